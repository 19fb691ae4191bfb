/*
 * scalar: evaluate one expression of a SELECT without FROM.
 */
#ifndef SRSIM_SCALAR_H
#define SRSIM_SCALAR_H

#include <stdbool.h>
#include <stddef.h>

#include "dispatch.h"

/* A value: bytes (NUL-terminated, may hold NULs) or SQL NULL. */
struct sval {
	char *p;
	size_t n;
	bool null;
};

/* Parse and evaluate the expression at the cursor; 0 or an error code (q->msg). */
int sc_eval(struct qctx *q, struct sval *out);
void sc_free(struct sval *v);

#endif /* SRSIM_SCALAR_H */
