/*
 * select: a select list, WHERE, ORDER BY and LIMIT over produced rows.
 */
#include "select.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "errs.h"
#include "simutil.h"

#define SYNTAX() do { lex_syntax_error(lx, msg, n); return E_SYNTAX; } while (0)

void
sel_plan_init(struct sel_plan *p)
{
	memset(p, 0, sizeof *p);
	p->limit = -1;
	p->count_ci = -1;
}

static void
expr_free(struct sel_expr *e)
{
	if (!e)
		return;
	expr_free(e->a);
	expr_free(e->b);
	g_free(e->col);
	for (int i = 0; i < e->nvals; i++)
		g_free(e->vals[i]);
	g_free(e->vals);
	g_free(e);
}

void
sel_plan_free(struct sel_plan *p)
{
	for (int i = 0; i < p->nitems; i++) {
		g_free(p->items[i].col);
		g_free(p->items[i].label);
	}
	g_free(p->items);
	for (int i = 0; i < p->norder; i++)
		g_free(p->order[i].col);
	g_free(p->order);
	expr_free(p->where);
	sel_plan_init(p);
}

/* A column name, possibly qualified (t.col, db.t.col): the last part. */
static bool
colref(struct lexer *lx, const char **out)
{
	const char *id;

	if (!lex_ident(lx, &id))
		return false;
	while (lex_punct(lx, ".")) {
		if (!lex_ident(lx, &id))
			return false;
	}
	*out = id;
	return true;
}

int
sel_parse_items(struct lexer *lx, struct sel_plan *p, char *msg, size_t n)
{
	GArray *items = g_array_new(FALSE, TRUE, sizeof(struct sel_item));

	if (lex_kw(lx, "DISTINCT"))
		p->distinct = true;
	do {
		struct sel_item it = { 0 };
		size_t from = lex_peek(lx)->off;
		if (lex_punct(lx, "*")) {
			p->star = true;
			continue;
		}
		if (lex_is_kw(lx, "COUNT") && lex_is_punct_at(lx, 1, "(")) {
			lex_next(lx);
			lex_next(lx);
			if (lex_kw(lx, "DISTINCT")) {
				const char *c;
				if (!colref(lx, &c) || !lex_punct(lx, ")"))
					goto syntax;
				it.col = g_strdup(c);
			} else {
				const struct token *t = lex_next(lx);
				if (!((t->kind == TK_PUNCT && strcmp(t->text, "*") == 0) ||
				      (t->kind == TK_NUMBER && strcmp(t->text, "1") == 0)) || !lex_punct(lx, ")"))
					goto syntax;
			}
			it.count = true;
			p->has_count = true;
			it.label = lex_raw(lx, from, lx->t[lx->pos - 1].end);
		} else {
			const char *c;
			if (!colref(lx, &c))
				goto syntax;
			it.col = g_strdup(c);
			it.label = g_strdup(c);
		}
		const char *alias;
		if (lex_kw(lx, "AS")) {
			if (!lex_ident(lx, &alias) && !lex_string(lx, &alias))
				goto syntax_item;
			g_free(it.label);
			it.label = g_strdup(alias);
		} else if (lex_peek(lx)->kind == TK_QIDENT ||
			   (lex_peek(lx)->kind == TK_WORD && !lex_is_kw(lx, "FROM"))) {
			lex_ident(lx, &alias);
			g_free(it.label);
			it.label = g_strdup(alias);
		}
		g_array_append_val(items, it);
		continue;
syntax_item:
		g_free(it.col);
		g_free(it.label);
		goto syntax;
	} while (lex_punct(lx, ","));
	p->nitems = (int)items->len;
	p->items = (struct sel_item *)g_array_free(items, FALSE);
	if (p->star && p->nitems) {
		snprintf(msg, n, "Getting analyzing error. Detail message: srsim: '*' cannot be mixed with columns.");
		return E_SYNTAX;
	}
	return 0;
syntax:
	for (guint i = 0; i < items->len; i++) {
		g_free(g_array_index(items, struct sel_item, i).col);
		g_free(g_array_index(items, struct sel_item, i).label);
	}
	g_array_free(items, TRUE);
	SYNTAX();
}

/* --- WHERE --------------------------------------------------------------------------- */

struct operand {
	bool is_col, is_null;
	const char *text;	/* NULL for a negative number, which is in num */
	char num[40];
};

static const char *
otext(const struct operand *o)
{
	return o->text ? o->text : o->num;
}

static bool
operand(struct lexer *lx, struct operand *o)
{
	const struct token *t = lex_peek(lx);

	memset(o, 0, sizeof *o);
	if (t->kind == TK_STRING || t->kind == TK_NUMBER) {
		o->text = t->text;
		lex_next(lx);
		return true;
	}
	if (t->kind == TK_PUNCT && strcmp(t->text, "-") == 0 && lex_peek_at(lx, 1)->kind == TK_NUMBER) {
		lex_next(lx);
		snprintf(o->num, sizeof o->num, "-%s", lex_next(lx)->text);
		return true;
	}
	if (t->kind == TK_WORD && su_ieq(t->text, "NULL")) {
		o->is_null = true;
		lex_next(lx);
		return true;
	}
	if (t->kind == TK_WORD && (su_ieq(t->text, "TRUE") || su_ieq(t->text, "FALSE"))) {
		o->text = su_ieq(t->text, "TRUE") ? "1" : "0";
		lex_next(lx);
		return true;
	}
	o->is_col = true;
	return colref(lx, &o->text);
}

static struct sel_expr *parse_or(struct lexer *lx);

static struct sel_expr *
newx(enum sx_op op)
{
	struct sel_expr *e = g_new0(struct sel_expr, 1);

	e->op = op;
	e->ci = -1;
	return e;
}

static bool
literal_list(struct lexer *lx, struct sel_expr *e)
{
	GPtrArray *v = g_ptr_array_new();

	if (!lex_punct(lx, "("))
		goto err;
	do {
		struct operand o;
		if (!operand(lx, &o) || o.is_col)
			goto err;
		g_ptr_array_add(v, o.is_null ? NULL : g_strdup(otext(&o)));
	} while (lex_punct(lx, ","));
	if (!lex_punct(lx, ")"))
		goto err;
	e->nvals = (int)v->len;
	e->vals = (char **)g_ptr_array_free(v, FALSE);
	return true;
err:
	g_ptr_array_set_free_func(v, g_free);
	g_ptr_array_free(v, TRUE);
	return false;
}

static bool
konst_cmp(const char *cmp, const char *a, const char *b)
{
	int r = sel_cmp_values(a, b);

	if (!strcmp(cmp, "="))
		return r == 0;
	if (!strcmp(cmp, "!="))
		return r != 0;
	if (!strcmp(cmp, "<"))
		return r < 0;
	if (!strcmp(cmp, "<="))
		return r <= 0;
	if (!strcmp(cmp, ">"))
		return r > 0;
	return r >= 0;
}

static struct sel_expr *
parse_pred(struct lexer *lx)
{
	struct operand l, r;
	struct sel_expr *e;

	if (lex_kw(lx, "NOT")) {
		struct sel_expr *inner = parse_pred(lx);
		if (!inner)
			return NULL;
		e = newx(SX_NOT);
		e->a = inner;
		return e;
	}
	if (lex_punct(lx, "(")) {
		e = parse_or(lx);
		if (!e || !lex_punct(lx, ")")) {
			expr_free(e);
			return NULL;
		}
		return e;
	}
	if (!operand(lx, &l))
		return NULL;
	bool neg = false;
	if (lex_kw(lx, "IS")) {
		neg = lex_kw(lx, "NOT");
		if (!lex_kw(lx, "NULL") || !l.is_col)
			return NULL;
		e = newx(SX_ISNULL);
		e->col = g_strdup(l.text);
		e->negate = neg;
		return e;
	}
	if (lex_kw(lx, "NOT"))
		neg = true;
	if (lex_kw(lx, "IN")) {
		if (!l.is_col)
			return NULL;
		e = newx(SX_IN);
		e->col = g_strdup(l.text);
		e->negate = neg;
		if (!literal_list(lx, e)) {
			expr_free(e);
			return NULL;
		}
		return e;
	}
	if (lex_kw(lx, "LIKE")) {
		if (!l.is_col || !operand(lx, &r) || r.is_col || r.is_null)
			return NULL;
		e = newx(SX_LIKE);
		e->col = g_strdup(l.text);
		e->negate = neg;
		e->vals = g_new0(char *, 1);
		e->vals[0] = g_strdup(otext(&r));
		e->nvals = 1;
		return e;
	}
	if (neg)
		return NULL;
	const struct token *op = lex_peek(lx);
	if (op->kind != TK_PUNCT)
		return NULL;
	const char *cmp = NULL;
	static const char *const ops[][2] = { { "=", "=" }, { "==", "=" }, { "!=", "!=" }, { "<>", "!=" },
					      { "<", "<" }, { "<=", "<=" }, { ">", ">" }, { ">=", ">=" } };
	for (size_t i = 0; i < SU_LEN(ops); i++)
		if (strcmp(op->text, ops[i][0]) == 0)
			cmp = ops[i][1];
	if (!cmp)
		return NULL;
	lex_next(lx);
	if (!operand(lx, &r))
		return NULL;
	if (!l.is_col && !r.is_col) {
		e = newx(SX_CONST);
		e->konst = !l.is_null && !r.is_null && konst_cmp(cmp, otext(&l), otext(&r));
		return e;
	}
	if (!l.is_col) {
		/* literal on the left: mirror the comparison */
		struct operand t = l;
		l = r;
		r = t;
		if (cmp[0] == '<')
			cmp = cmp[1] ? ">=" : ">";
		else if (cmp[0] == '>')
			cmp = cmp[1] ? "<=" : "<";
	}
	if (r.is_col)
		return NULL;	/* column against column: not answered */
	e = newx(SX_CMP);
	e->col = g_strdup(l.text);
	snprintf(e->cmp, sizeof e->cmp, "%s", cmp);
	e->vals = g_new0(char *, 1);
	e->vals[0] = r.is_null ? NULL : g_strdup(otext(&r));
	e->nvals = 1;
	return e;
}

static struct sel_expr *
parse_and(struct lexer *lx)
{
	struct sel_expr *e = parse_pred(lx);

	while (e && (lex_kw(lx, "AND") || lex_punct(lx, "&&"))) {
		struct sel_expr *r = parse_pred(lx);
		if (!r) {
			expr_free(e);
			return NULL;
		}
		struct sel_expr *x = newx(SX_AND);
		x->a = e;
		x->b = r;
		e = x;
	}
	return e;
}

static struct sel_expr *
parse_or(struct lexer *lx)
{
	struct sel_expr *e = parse_and(lx);

	while (e && (lex_kw(lx, "OR") || lex_punct(lx, "||"))) {
		struct sel_expr *r = parse_and(lx);
		if (!r) {
			expr_free(e);
			return NULL;
		}
		struct sel_expr *x = newx(SX_OR);
		x->a = e;
		x->b = r;
		e = x;
	}
	return e;
}

int
sel_parse_where(struct lexer *lx, struct sel_plan *p, char *msg, size_t n)
{
	if (!lex_kw(lx, "WHERE"))
		return 0;
	p->where = parse_or(lx);
	if (!p->where)
		SYNTAX();
	return 0;
}

int
sel_parse_tail(struct lexer *lx, struct sel_plan *p, char *msg, size_t n)
{
	int rc = sel_parse_where(lx, p, msg, n);

	if (rc)
		return rc;
	if (lex_kws(lx, "ORDER", "BY")) {
		GArray *o = g_array_new(FALSE, TRUE, sizeof(struct sel_order));
		do {
			struct sel_order it = { .ci = -1 };
			const char *c;
			if (lex_peek(lx)->kind == TK_NUMBER)
				c = lex_next(lx)->text;
			else if (!colref(lx, &c)) {
				for (guint i = 0; i < o->len; i++)
					g_free(g_array_index(o, struct sel_order, i).col);
				g_array_free(o, TRUE);
				SYNTAX();
			}
			it.col = g_strdup(c);
			if (lex_kw(lx, "DESC"))
				it.desc = true;
			else
				lex_kw(lx, "ASC");
			g_array_append_val(o, it);
		} while (lex_punct(lx, ","));
		p->norder = (int)o->len;
		p->order = (struct sel_order *)g_array_free(o, FALSE);
	}
	if (lex_kw(lx, "LIMIT")) {
		int64_t a, b;
		if (!lex_int(lx, &a))
			SYNTAX();
		if (lex_punct(lx, ",")) {
			if (!lex_int(lx, &b))
				SYNTAX();
			p->offset = a;
			p->limit = b;
		} else {
			p->limit = a;
			if (lex_kw(lx, "OFFSET") && !lex_int(lx, &p->offset))
				SYNTAX();
		}
		if (p->limit < 0 || p->offset < 0)
			SYNTAX();
	}
	if (!lex_at_end(lx))
		SYNTAX();
	return 0;
}

/* --- binding and evaluation -------------------------------------------------------- */

static int
find_col(const struct rs_col *cols, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (g_ascii_strcasecmp(cols[i].name, name) == 0)
			return i;
	return -1;
}

static bool
bind_expr(struct sel_expr *e, const struct rs_col *cols, int n, char *err, size_t errlen)
{
	if (!e)
		return true;
	if (e->col) {
		e->ci = find_col(cols, n, e->col);
		if (e->ci < 0) {
			snprintf(err, errlen, "Getting analyzing error. Detail message: Column '%s' cannot be resolved.",
				 e->col);
			return false;
		}
	}
	return bind_expr(e->a, cols, n, err, errlen) && bind_expr(e->b, cols, n, err, errlen);
}

bool
sel_bind(struct sel_plan *p, const struct rs_col *cols, int n, int **map, struct rs_col **ocols, int *nocols,
	 char *err, size_t errlen)
{
	int no = p->star ? n : p->nitems;

	if (!bind_expr(p->where, cols, n, err, errlen))
		return false;
	*map = g_new0(int, no > 0 ? no : 1);
	*ocols = g_new0(struct rs_col, no > 0 ? no : 1);
	*nocols = no;
	for (int i = 0; i < no; i++) {
		if (p->star) {
			(*map)[i] = i;
			(*ocols)[i].name = g_strdup(cols[i].name);
			(*ocols)[i].type = cols[i].type;
			continue;
		}
		struct sel_item *it = &p->items[i];
		if (it->count) {
			/* COUNT(DISTINCT c) counts the distinct non-NULL values of c */
			if (it->col && (p->count_ci = find_col(cols, n, it->col)) < 0) {
				snprintf(err, errlen, "Getting analyzing error. Detail message: Column '%s' cannot be "
					 "resolved.", it->col);
				return false;
			}
			(*map)[i] = -1;
			(*ocols)[i].name = g_strdup(it->label);
			(*ocols)[i].type = CT_BIGINT;
			continue;
		}
		int ci = find_col(cols, n, it->col);
		if (ci < 0) {
			snprintf(err, errlen, "Getting analyzing error. Detail message: Column '%s' cannot be resolved.",
				 it->col);
			return false;
		}
		if (p->has_count) {
			snprintf(err, errlen, "Getting analyzing error. Detail message: '%s' must be an aggregate "
				 "expression or appear in GROUP BY clause", it->col);
			return false;
		}
		(*map)[i] = ci;
		(*ocols)[i].name = g_strdup(it->label);
		(*ocols)[i].type = cols[ci].type;
	}
	for (int i = 0; i < p->norder; i++) {
		struct sel_order *o = &p->order[i];
		int64_t pos;
		o->ci = -1;
		if (su_parse_i64(o->col, &pos)) {
			if (pos >= 1 && pos <= no && (*map)[pos - 1] >= 0)
				o->ci = (*map)[pos - 1];
		} else {
			for (int k = 0; k < no && o->ci < 0; k++)
				if (g_ascii_strcasecmp((*ocols)[k].name, o->col) == 0 && (*map)[k] >= 0)
					o->ci = (*map)[k];
			if (o->ci < 0)
				o->ci = find_col(cols, n, o->col);
		}
		if (o->ci < 0) {
			snprintf(err, errlen, "Getting analyzing error. Detail message: Column '%s' cannot be resolved.",
				 o->col);
			return false;
		}
	}
	return true;
}

static bool
looks_number(const char *s, double *v)
{
	char *end;

	if (!s || !*s)
		return false;
	*v = g_ascii_strtod(s, &end);
	return *end == '\0';
}

int
sel_cmp_values(const char *a, const char *b)
{
	double x, y;

	if (!a || !b)
		return a ? 1 : (b ? -1 : 0);
	if (looks_number(a, &x) && looks_number(b, &y))
		return x < y ? -1 : x > y;
	return strcmp(a, b);
}

bool
sel_match(const struct sel_expr *e, const char *const *cells)
{
	const char *v = e->ci >= 0 ? cells[e->ci] : NULL;

	switch (e->op) {
	case SX_AND:
		return sel_match(e->a, cells) && sel_match(e->b, cells);
	case SX_OR:
		return sel_match(e->a, cells) || sel_match(e->b, cells);
	case SX_NOT:
		return !sel_match(e->a, cells);
	case SX_CONST:
		return e->konst;
	case SX_ISNULL:
		return (v == NULL) != e->negate;
	case SX_LIKE:
		if (!v)
			return false;
		return su_like(v, e->vals[0], false) != e->negate;
	case SX_IN:
		if (!v)
			return false;
		for (int i = 0; i < e->nvals; i++)
			if (e->vals[i] && sel_cmp_values(v, e->vals[i]) == 0)
				return !e->negate;
		return e->negate;
	case SX_CMP:
		if (!v || !e->vals[0])
			return false;
		return konst_cmp(e->cmp, v, e->vals[0]);
	}
	return false;
}
