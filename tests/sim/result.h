/*
 * result: how every answer with rows is produced.
 *
 * A producer (a SHOW, a proc node, an information_schema table) declares its
 * columns with rs_begin, then adds cells and ends rows. Rows flow through an
 * optional SELECT plan (WHERE, projection, DISTINCT, COUNT(*), ORDER BY, LIMIT:
 * select.h) into a sink, which for a client connection writes MySQL packets
 * (mysqlproto.c) and applies the result-set faults. Nothing is sent before the
 * first row passes (or the end), so a producer can still fail with an error
 * packet until then. Cells are strings; a NULL cell is a SQL NULL.
 */
#ifndef SRSIM_RESULT_H
#define SRSIM_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "simutil.h"

/* MySQL column types used in column definitions. */
enum { CT_VARCHAR = 0xfd, CT_BIGINT = 0x08, CT_INT = 0x03, CT_DATETIME = 0x0c, CT_DOUBLE = 0x05,
       CT_TINY = 0x01 };

struct rs_col {
	char *name;
	int type;
};

struct rs_sink {
	/* Column definitions, once, before the first row. */
	bool (*header)(void *ctx, const struct rs_col *cols, int n);
	/* One row; false when the client is gone (production stops). */
	bool (*row)(void *ctx, const char *const *cells, const size_t *lens, int n);
	void *ctx;
};

struct sel_plan;
struct srow;

struct rs {
	struct rs_col *cols;		/* produced columns */
	int ncols;
	struct sel_plan *plan;		/* NULL: rows go out as produced */
	struct rs_sink sink;
	/* the row being built */
	struct sb buf;
	size_t *off, *len;
	bool *null;
	bool *need;			/* with a plan: the produced columns it reads */
	int ncur;
	/* plan state */
	int *map;			/* output column -> produced column (-1: COUNT(*)) */
	struct rs_col *ocols;
	int nocols;
	void *rows;			/* GPtrArray of struct srow * held for ORDER BY */
	void *seen;			/* GHashTable for DISTINCT */
	int64_t matched, skipped, sent;
	bool header_sent, dead, done;
	int err;			/* error code, 0 if none */
	char errmsg[512];
};

void rs_init(struct rs *rs, struct sel_plan *plan, struct rs_sink sink);
void rs_free(struct rs *rs);

/* Declare the produced columns (all VARCHAR until rs_type says otherwise).
 * Fails (rs->err) when the plan names a column the producer does not have. */
bool rs_begin(struct rs *rs, const char *const *titles, int n);
void rs_type(struct rs *rs, int col, int type);

void rs_add(struct rs *rs, const char *s);	/* NULL: a NULL cell */
void rs_addn(struct rs *rs, const char *s, size_t n);
void rs_addf(struct rs *rs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rs_addi(struct rs *rs, int64_t v);
void rs_addb(struct rs *rs, bool v);		/* "true" / "false" */
void rs_add_joined(struct rs *rs, char **names);	/* "a, b, c" of a NULL-terminated list */
void rs_end_row(struct rs *rs);
/* Flush held rows and the header of an empty result. */
void rs_finish(struct rs *rs);
/* Whether producing more rows is useless (client gone, LIMIT reached, error). */
bool rs_stop(const struct rs *rs);
void rs_error(struct rs *rs, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A result collected in memory (tests, and statements answered as a table). */
struct rs_table {
	struct rs_col *cols;
	int ncols;
	char ***rows;			/* rows[i][j], NULL cells are NULL */
	size_t nrows;
};

struct rs_sink rs_table_sink(struct rs_table *t);
void rs_table_free(struct rs_table *t);

#endif /* SRSIM_RESULT_H */
