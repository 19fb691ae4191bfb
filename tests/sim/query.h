/*
 * query: SELECT (system variables, scalar functions such as current_version()
 * and TO_BASE64(AES_ENCRYPT(...)), COUNT(*) of a table, information_schema),
 * DESC, ADMIN SHOW/SET FRONTEND CONFIG and INSERT ... VALUES (a load).
 */
#ifndef SRSIM_QUERY_H
#define SRSIM_QUERY_H

#include <stdbool.h>

#include "dispatch.h"

/* A system variable's value for @@name / SHOW VARIABLES; NULL when unknown. */
const char *qv_get(struct cluster *c, const char *name, char *buf, size_t n);
/* SHOW VARIABLES [LIKE]. */
void qv_rows(struct qctx *q, const char *like);
/* DESC table / SHOW [FULL] COLUMNS. */
void qdesc_rows(struct qctx *q, const struct table *t, bool full);

#endif /* SRSIM_QUERY_H */
