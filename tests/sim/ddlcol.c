/*
 * ddlcol: column types, column definitions and PROPERTIES of StarRocks DDL
 * (part of the ddlparse module).
 */
#include "ddlparse.h"

#include <stdio.h>
#include <string.h>

#include "errs.h"
#include "feconfig.h"
#include "sim.h"
#include "simutil.h"

#define FAIL(...) do { snprintf(msg, n, __VA_ARGS__); return E_SYNTAX; } while (0)
#define SYNTAX() do { lex_syntax_error(lx, msg, n); return E_SYNTAX; } while (0)

static bool parse_type(struct lexer *lx, struct sb *out);

static bool
type_args(struct lexer *lx, int64_t *a, int64_t *b, int *nargs)
{
	*nargs = 0;
	if (!lex_punct(lx, "("))
		return true;
	if (!lex_int(lx, a))
		return false;
	*nargs = 1;
	if (lex_punct(lx, ",")) {
		if (!lex_int(lx, b))
			return false;
		*nargs = 2;
	}
	return lex_punct(lx, ")");
}

/* ScalarType.toSql spellings. */
static bool
parse_type(struct lexer *lx, struct sb *out)
{
	const char *w;
	int64_t a = 0, b = 0;
	int na;
	static const struct { const char *in, *out; } fixed[] = {
		{ "tinyint", "tinyint(4)" }, { "smallint", "smallint(6)" }, { "int", "int(11)" },
		{ "integer", "int(11)" }, { "bigint", "bigint(20)" }, { "largeint", "largeint(40)" },
		{ "boolean", "boolean" }, { "bool", "boolean" }, { "float", "float" }, { "double", "double" },
		{ "date", "date" }, { "datetime", "datetime" }, { "json", "json" }, { "bitmap", "bitmap" },
		{ "hll", "hll" }, { "percentile", "percentile" }, { "string", "varchar(65533)" },
		{ "time", "time" }, { "variant", "variant" },
	};

	if (!lex_ident(lx, &w))
		return false;
	char *lw = g_ascii_strdown(w, -1);
	bool ok = true;
	if (strcmp(lw, "array") == 0) {
		ok = lex_punct(lx, "<");
		sb_puts(out, "array<");
		ok = ok && parse_type(lx, out) && lex_punct(lx, ">");
		sb_putc(out, '>');
	} else if (strcmp(lw, "map") == 0) {
		ok = lex_punct(lx, "<");
		sb_puts(out, "map<");
		ok = ok && parse_type(lx, out) && lex_punct(lx, ",");
		sb_putc(out, ',');
		ok = ok && parse_type(lx, out) && lex_punct(lx, ">");
		sb_putc(out, '>');
	} else if (strcmp(lw, "struct") == 0) {
		ok = lex_punct(lx, "<");
		sb_puts(out, "struct<");
		for (bool first = true; ok; first = false) {
			const char *f;
			if (!first)
				sb_puts(out, ", ");
			ok = lex_ident(lx, &f);
			if (!ok)
				break;
			sb_puts(out, f);
			sb_putc(out, ' ');
			ok = parse_type(lx, out);
			if (!lex_punct(lx, ","))
				break;
		}
		ok = ok && lex_punct(lx, ">");
		sb_putc(out, '>');
	} else if (strcmp(lw, "decimal") == 0 || strcmp(lw, "decimalv2") == 0 || strcmp(lw, "decimal32") == 0 ||
		   strcmp(lw, "decimal64") == 0 || strcmp(lw, "decimal128") == 0 || strcmp(lw, "numeric") == 0) {
		ok = type_args(lx, &a, &b, &na);
		if (na == 0)
			a = 10;
		if (na < 2)
			b = 0;
		sb_printf(out, "decimal(%lld, %lld)", (long long)a, (long long)b);
	} else if (strcmp(lw, "char") == 0 || strcmp(lw, "varchar") == 0 || strcmp(lw, "varbinary") == 0 ||
		   strcmp(lw, "binary") == 0) {
		ok = type_args(lx, &a, &b, &na);
		if (na == 0)
			a = strcmp(lw, "varchar") == 0 ? 1 : 1;
		if (strcmp(lw, "binary") == 0 || strcmp(lw, "varbinary") == 0)
			sb_printf(out, "varbinary(%lld)", (long long)a);
		else
			sb_printf(out, "%s(%lld)", lw, (long long)a);
	} else {
		const char *f = NULL;
		for (size_t i = 0; i < SU_LEN(fixed); i++)
			if (strcmp(lw, fixed[i].in) == 0)
				f = fixed[i].out;
		if (!f) {
			g_free(lw);
			return false;
		}
		/* int(11) and friends may carry a display width: ignored as StarRocks does */
		ok = type_args(lx, &a, &b, &na);
		sb_puts(out, f);
	}
	g_free(lw);
	return ok;
}

const char *
dp_primitive(const char *type)
{
	static const struct { const char *prefix, *prim; } m[] = {
		{ "tinyint", "TINYINT" }, { "smallint", "SMALLINT" }, { "int(", "INT" }, { "bigint", "BIGINT" },
		{ "largeint", "LARGEINT" }, { "datetime", "DATETIME" }, { "date", "DATE" },
		{ "varchar", "VARCHAR" }, { "char", "CHAR" }, { "boolean", "BOOLEAN" }, { "decimal", "DECIMAL64" },
	};

	for (size_t i = 0; i < SU_LEN(m); i++)
		if (g_str_has_prefix(type, m[i].prefix))
			return m[i].prim;
	return "VARCHAR";
}

const char *
dp_part_col_type(const struct table *t, int i)
{
	int ci = cat_col_index(t, t->part_cols[i]);

	return ci >= 0 ? dp_primitive(t->cols[ci].type) : "VARCHAR";
}

/* --- columns ------------------------------------------------------------------------ */

void
dp_column_free(struct column *col)
{
	g_free(col->name);
	g_free(col->type);
	g_free(col->agg);
	g_free(col->default_value);
	g_free(col->default_expr);
	g_free(col->generated);
	g_free(col->comment);
	memset(col, 0, sizeof *col);
}

static bool
is_agg_word(const char *w)
{
	static const char *const aggs[] = { "SUM", "MAX", "MIN", "REPLACE", "REPLACE_IF_NOT_NULL", "HLL_UNION",
					    "BITMAP_UNION", "PERCENTILE_UNION" };

	for (size_t i = 0; i < SU_LEN(aggs); i++)
		if (su_ieq(w, aggs[i]))
			return true;
	return false;
}

/* An expression up to a top-level ',' or ')' or one of the stop words. */
static char *
raw_expr(struct lexer *lx, const char *const *stop)
{
	size_t from = lex_peek(lx)->off, to = from;
	int depth = 0;

	for (;;) {
		const struct token *t = lex_peek(lx);
		if (t->kind == TK_EOF)
			break;
		if (t->kind == TK_PUNCT && depth == 0 && (strcmp(t->text, ",") == 0 || strcmp(t->text, ")") == 0))
			break;
		if (t->kind == TK_WORD && depth == 0 && stop) {
			bool hit = false;
			for (const char *const *s = stop; *s; s++)
				if (su_ieq(t->text, *s))
					hit = true;
			if (hit)
				break;
		}
		if (t->kind == TK_PUNCT && strcmp(t->text, "(") == 0)
			depth++;
		if (t->kind == TK_PUNCT && strcmp(t->text, ")") == 0)
			depth--;
		to = t->end;
		lex_next(lx);
	}
	return lex_raw(lx, from, to);
}

int
dp_column(struct lexer *lx, struct column *col, char *msg, size_t n)
{
	const char *name, *w;
	struct sb ty;
	static const char *const stop[] = { "COMMENT", "NULL", "NOT", "KEY", "DEFAULT", "AS", NULL };

	memset(col, 0, sizeof *col);
	col->nullable = true;
	if (!lex_ident(lx, &name))
		SYNTAX();
	sb_init(&ty);
	if (!parse_type(lx, &ty)) {
		sb_free(&ty);
		SYNTAX();
	}
	col->name = g_strdup(name);
	col->type = sb_steal(&ty);
	int rc = dp_check_name(DPN_COLUMN, name, msg, n);
	if (rc)
		return rc;
	for (;;) {
		const struct token *tk = lex_peek(lx);
		if (tk->kind != TK_WORD)
			break;
		w = tk->text;
		if (su_ieq(w, "KEY")) {
			lex_next(lx);
			col->key = true;
		} else if (is_agg_word(w)) {
			lex_next(lx);
			col->agg = g_ascii_strup(w, -1);
		} else if (su_ieq(w, "NOT") && su_ieq(lex_peek_at(lx, 1)->text, "NULL")) {
			lex_next(lx);
			lex_next(lx);
			col->nullable = false;
		} else if (su_ieq(w, "NULL")) {
			lex_next(lx);
			col->nullable = true;
		} else if (su_ieq(w, "AUTO_INCREMENT")) {
			lex_next(lx);
			col->auto_inc = true;
		} else if (su_ieq(w, "CHARSET") || su_ieq(w, "COLLATE")) {
			const char *cs;
			lex_next(lx);
			if (!lex_ident(lx, &cs))
				SYNTAX();
		} else if (su_ieq(w, "DEFAULT")) {
			lex_next(lx);
			const struct token *v = lex_peek(lx);
			g_free(col->default_expr);
			g_free(col->default_value);
			col->default_expr = col->default_value = NULL;
			if (v->kind == TK_STRING || v->kind == TK_NUMBER) {
				col->default_value = g_strdup(v->text);
				lex_next(lx);
			} else if (lex_is_kw(lx, "NULL")) {
				/* DEFAULT NULL: no default value at all */
				lex_next(lx);
			} else if (lex_is_kw(lx, "CURRENT_TIMESTAMP")) {
				lex_next(lx);
				col->default_expr = g_strdup("now()");
			} else if (lex_is_punct(lx, "(")) {
				size_t open = lx->pos;
				if (!lex_skip_parens(lx))
					SYNTAX();
				/* the expression inside the parentheses */
				col->default_expr = lex_raw(lx, lx->t[open].end, lx->t[lx->pos - 1].off);
			} else {
				SYNTAX();
			}
		} else if (su_ieq(w, "AS")) {
			lex_next(lx);
			g_free(col->generated);
			col->generated = raw_expr(lx, stop);
			if (!*col->generated)
				SYNTAX();
		} else if (su_ieq(w, "COMMENT")) {
			const char *cm;
			lex_next(lx);
			if (!lex_string(lx, &cm))
				SYNTAX();
			g_free(col->comment);
			col->comment = g_strdup(cm);
		} else {
			break;
		}
	}
	if (!col->comment)
		col->comment = g_strdup("");
	return 0;
}

/* --- properties ------------------------------------------------------------------------ */

int
dp_props(struct lexer *lx, struct props *p, char *msg, size_t n)
{
	if (!lex_punct(lx, "("))
		SYNTAX();
	if (lex_punct(lx, ")"))
		return 0;
	do {
		const char *k, *v;
		if (!lex_string(lx, &k) || !lex_punct(lx, "=") || !lex_string(lx, &v))
			SYNTAX();
		props_set(p, k, v);
	} while (lex_punct(lx, ","));
	if (!lex_punct(lx, ")"))
		SYNTAX();
	return 0;
}
