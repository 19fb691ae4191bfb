/*
 * ddlparse: StarRocks CREATE TABLE / VIEW / MATERIALIZED VIEW and partition
 * clauses, parsed into catalog objects that have no ids yet.
 *
 * The parser keeps what SHOW CREATE TABLE prints back: model, columns (types
 * normalised the way StarRocks prints them, aggregate types, NULL-ness,
 * defaults, generated columns, comments), bitmap indexes, partitioning
 * (RANGE with LESS THAN / fixed / START-END-EVERY, LIST single and
 * multi-column, expression, automatic), distribution, ORDER BY, comment and
 * properties.
 */
#ifndef SRSIM_DDLPARSE_H
#define SRSIM_DDLPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"
#include "lexer.h"

struct cluster;

struct qname {
	char *db;		/* NULL when not qualified */
	char *name;
};

/* db.name or name, identifiers quoted or not. */
bool dp_qname(struct lexer *lx, struct qname *q);
void dp_qname_free(struct qname *q);

/*
 * The cursor is just after CREATE TABLE. On success *out is a table with its
 * partitions in t->parts (no ids); returns 0, else an error code with msg set.
 */
int dp_create_table(struct lexer *lx, struct cluster *c, struct qname *name, bool *if_not_exists,
		    struct table **out, char *msg, size_t n);

/* After CREATE VIEW: columns, comment and the query text. */
int dp_create_view(struct lexer *lx, struct qname *name, bool *if_not_exists, struct table **out, char *msg,
		   size_t n);

/* After CREATE MATERIALIZED VIEW. *is_sync tells a synchronous MV (a rollup
 * index on its single base table, *base) from an asynchronous one (*out). */
int dp_create_mv(struct lexer *lx, struct cluster *c, struct qname *name, bool *if_not_exists, bool *is_sync,
		 struct qname *base, struct table **out, char *msg, size_t n);

/* What a START..END..EVERY batch said, for the checks ALTER TABLE makes. */
struct dp_batch {
	bool batch;		/* false: a single PARTITION p VALUES ... */
	int64_t every;
	char unit[16];		/* "day", "month" ...; "" for a numeric step */
	char start[32], end[32];	/* the first key of START and of END */
};

/*
 * One "PARTITION p VALUES ..." (or a START..END..EVERY batch) for table t,
 * appended to parts (struct partition *). The cursor is at PARTITION / START.
 * b (may be NULL) says which form it was.
 */
int dp_partition_desc(struct lexer *lx, const struct table *t, GPtrArray *parts, struct dp_batch *b, char *msg,
		      size_t n);
/* Lower bounds of LESS THAN partitions, from the sorted upper bounds. */
void dp_fix_ranges(const struct table *t, GPtrArray *parts);

/* FeNameFormat: whether StarRocks accepts a name; 0, or the error code with msg set. */
enum dp_name { DPN_DB, DPN_TABLE, DPN_COLUMN, DPN_PARTITION };
int dp_check_name(enum dp_name kind, const char *name, char *msg, size_t n);

/* A column definition (ALTER TABLE ADD/MODIFY COLUMN). */
int dp_column(struct lexer *lx, struct column *col, char *msg, size_t n);
void dp_column_free(struct column *col);

/* PROPERTIES ("k" = "v", ...) or ("k" = "v") after SET; the cursor is at '('. */
int dp_props(struct lexer *lx, struct props *p, char *msg, size_t n);

/* The StarRocks primitive type of a column type text ("INT", "DATE", "VARCHAR"). */
const char *dp_primitive(const char *type);
/* The partition columns' primitive types. */
const char *dp_part_col_type(const struct table *t, int i);

/* Shared between ddlparse.c, ddlcol.c and ddlpart.c. */
char **dp_name_list(struct lexer *lx);
struct partition *dp_new_part(const char *name);
/* PARTITION BY ... of CREATE TABLE; the cursor is after PARTITION BY. */
int dp_partition_clause(struct lexer *lx, struct table *t, GPtrArray *parts, char *msg, size_t n);

#endif /* SRSIM_DDLPARSE_H */
