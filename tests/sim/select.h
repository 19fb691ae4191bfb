/*
 * select: the small general SELECT engine over produced rows: a select list
 * (columns, aliases, *, COUNT(*), COUNT(DISTINCT c), DISTINCT), WHERE with =, !=, <, <=, >, >=,
 * IN, LIKE, IS [NOT] NULL combined with AND / OR / NOT and parentheses,
 * ORDER BY, LIMIT [offset,] n / LIMIT n OFFSET m. Names are matched
 * case-insensitively, values compare as numbers when both sides are numbers.
 */
#ifndef SRSIM_SELECT_H
#define SRSIM_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lexer.h"
#include "result.h"

enum sx_op { SX_AND, SX_OR, SX_NOT, SX_CMP, SX_IN, SX_LIKE, SX_ISNULL, SX_CONST };

struct sel_expr {
	enum sx_op op;
	struct sel_expr *a, *b;
	char *col;
	int ci;			/* bound column index */
	char cmp[4];		/* "=", "!=", "<", "<=", ">", ">=" */
	char **vals;		/* literals (NULL entry: SQL NULL) */
	int nvals;
	bool negate;		/* NOT IN, NOT LIKE, IS NOT NULL */
	bool konst;		/* SX_CONST value */
};

struct sel_item {
	char *col;		/* NULL for COUNT(*); COUNT(DISTINCT col)'s column */
	char *label;
	bool count;
};

struct sel_order {
	char *col;
	int ci;
	bool desc;
};

struct sel_plan {
	bool star;
	struct sel_item *items;
	int nitems;
	bool distinct, has_count;
	int count_ci;		/* COUNT(DISTINCT col): the bound column, else -1 */
	struct sel_expr *where;
	struct sel_order *order;
	int norder;
	int64_t limit, offset;	/* limit -1: none */
};

void sel_plan_init(struct sel_plan *p);
void sel_plan_free(struct sel_plan *p);

/* The select list, up to (not including) FROM or the end. */
int sel_parse_items(struct lexer *lx, struct sel_plan *p, char *msg, size_t n);
/* Optional WHERE, ORDER BY and LIMIT, then the end of the statement. */
int sel_parse_tail(struct lexer *lx, struct sel_plan *p, char *msg, size_t n);
/* Only WHERE (SHOW ... WHERE). */
int sel_parse_where(struct lexer *lx, struct sel_plan *p, char *msg, size_t n);

/* Resolve names against produced columns; output map (-1 = COUNT(*)). */
bool sel_bind(struct sel_plan *p, const struct rs_col *cols, int n, int **map, struct rs_col **ocols,
	      int *nocols, char *err, size_t errlen);
bool sel_match(const struct sel_expr *e, const char *const *cells);
/* Numbers numerically, the rest bytewise; NULL sorts first. */
int sel_cmp_values(const char *a, const char *b);

#endif /* SRSIM_SELECT_H */
