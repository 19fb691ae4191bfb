/*
 * infoschema: the information_schema tables a migration reads (facts 4.6):
 * tables, tables_config, partitions_meta (where the version has it),
 * be_tablets, materialized_views, columns, views, schemata. Rows go through
 * the SELECT engine; equality and IN conditions on the names and ids only
 * narrow which objects are visited.
 */
#ifndef SRSIM_INFOSCHEMA_H
#define SRSIM_INFOSCHEMA_H

#include <stdbool.h>

#include "result.h"
#include "select.h"
#include "sim.h"

/* NULL-terminated names of the answered tables. */
const char *const *is_table_names(void);
/* Produce the rows of information_schema.<name>; false if the table does not
 * exist for this version (the caller answers "Unknown table"). */
bool is_produce(struct cluster *c, const char *name, const struct sel_plan *plan, struct rs *rs);
/* SHOW MATERIALIZED VIEWS (lower-case titles) or information_schema.materialized_views. */
void is_mv_rows(struct cluster *c, struct db *only, const char *like, bool upper, struct rs *rs);

#endif /* SRSIM_INFOSCHEMA_H */
