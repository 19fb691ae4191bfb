/*
 * ddlparse: CREATE TABLE and friends into catalog objects.
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

bool
dp_qname(struct lexer *lx, struct qname *q)
{
	const char *a, *b;

	memset(q, 0, sizeof *q);
	if (!lex_ident(lx, &a))
		return false;
	if (lex_punct(lx, ".")) {
		if (!lex_ident(lx, &b))
			return false;
		q->db = g_strdup(a);
		q->name = g_strdup(b);
	} else {
		q->name = g_strdup(a);
	}
	return true;
}

void
dp_qname_free(struct qname *q)
{
	g_free(q->db);
	g_free(q->name);
	q->db = q->name = NULL;
}

/* --- types ------------------------------------------------------------------------ */

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
	g_free(col->default_sql);
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
dp_column(struct lexer *lx, const struct table *t, struct column *col, char *msg, size_t n)
{
	const char *name, *w;
	struct sb ty;
	static const char *const stop[] = { "COMMENT", "NULL", "NOT", "KEY", "DEFAULT", "AS", NULL };

	(void)t;
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
			g_free(col->default_sql);
			if (v->kind == TK_STRING || v->kind == TK_NUMBER) {
				struct sb d;
				sb_init(&d);
				sb_putc(&d, '"');
				sb_puts(&d, v->text);
				sb_putc(&d, '"');
				col->default_sql = sb_steal(&d);
				lex_next(lx);
			} else if (lex_is_kw(lx, "NULL")) {
				lex_next(lx);
				col->default_sql = g_strdup("NULL");
			} else if (lex_is_kw(lx, "CURRENT_TIMESTAMP")) {
				lex_next(lx);
				col->default_sql = g_strdup("CURRENT_TIMESTAMP");
			} else if (lex_is_punct(lx, "(")) {
				size_t from = lex_peek(lx)->off;
				if (!lex_skip_parens(lx))
					SYNTAX();
				col->default_sql = lex_raw(lx, from, lx->t[lx->pos - 1].end);
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

/* --- partitions ------------------------------------------------------------------------ */

static char **
name_list(struct lexer *lx)
{
	GPtrArray *a = g_ptr_array_new();
	const char *id;

	if (!lex_punct(lx, "("))
		goto err;
	do {
		if (!lex_ident(lx, &id))
			goto err;
		g_ptr_array_add(a, g_strdup(id));
	} while (lex_punct(lx, ","));
	if (!lex_punct(lx, ")"))
		goto err;
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
err:
	g_ptr_array_set_free_func(a, g_free);
	g_ptr_array_free(a, TRUE);
	return NULL;
}

static int
npart_cols(const struct table *t)
{
	return t->part_cols ? (int)g_strv_length(t->part_cols) : 0;
}

/* The smallest or largest key of a primitive type (LESS THAN / MAXVALUE bounds). */
static const char *
type_bound(const char *prim, bool max)
{
	static const struct { const char *prim, *min, *max; } b[] = {
		{ "TINYINT", "-128", "127" },
		{ "SMALLINT", "-32768", "32767" },
		{ "INT", "-2147483648", "2147483647" },
		{ "BIGINT", "-9223372036854775808", "9223372036854775807" },
		{ "LARGEINT", "-170141183460469231731687303715884105728", "170141183460469231731687303715884105727" },
		{ "DATE", "0000-01-01", "9999-12-31" },
		{ "DATETIME", "0000-01-01 00:00:00", "9999-12-31 23:59:59" },
	};

	for (size_t i = 0; i < SU_LEN(b); i++)
		if (strcmp(prim, b[i].prim) == 0)
			return max ? b[i].max : b[i].min;
	return max ? "MAXVALUE" : "";
}

/* Keys as StarRocks stores them: DATETIME keys get their time part. */
static char *
norm_key(const char *prim, const char *v)
{
	if (strcmp(prim, "DATETIME") == 0 && strlen(v) == 10)
		return g_strdup_printf("%s 00:00:00", v);
	return g_strdup(v);
}

/* ("a", "b") -> keys; MAXVALUE allowed for a LESS THAN bound. */
static char **
key_tuple(struct lexer *lx, const struct table *t, bool allow_max)
{
	int nc = npart_cols(t);
	GPtrArray *a = g_ptr_array_new();

	if (allow_max && lex_kw(lx, "MAXVALUE")) {
		for (int i = 0; i < nc; i++)
			g_ptr_array_add(a, g_strdup(type_bound(dp_part_col_type(t, i), true)));
		g_ptr_array_add(a, NULL);
		return (char **)g_ptr_array_free(a, FALSE);
	}
	if (!lex_punct(lx, "("))
		goto err;
	do {
		const struct token *tk = lex_peek(lx);
		int i = (int)a->len;
		if (allow_max && lex_kw(lx, "MAXVALUE")) {
			g_ptr_array_add(a, g_strdup(i < nc ? type_bound(dp_part_col_type(t, i), true) : "MAXVALUE"));
			continue;
		}
		if (tk->kind != TK_STRING && tk->kind != TK_NUMBER && !(tk->kind == TK_PUNCT && tk->text[0] == '-'))
			goto err;
		int64_t iv;
		if (tk->kind == TK_PUNCT) {
			if (!lex_int(lx, &iv))
				goto err;
			g_ptr_array_add(a, g_strdup_printf("%lld", (long long)iv));
			continue;
		}
		g_ptr_array_add(a, norm_key(i < nc ? dp_part_col_type(t, i) : "VARCHAR", tk->text));
		lex_next(lx);
	} while (lex_punct(lx, ","));
	if (!lex_punct(lx, ")") || (int)a->len > nc || a->len == 0)
		goto err;
	/* a shorter LESS THAN tuple fills the rest with the type's maximum */
	while ((int)a->len < nc)
		g_ptr_array_add(a, g_strdup(allow_max ? type_bound(dp_part_col_type(t, (int)a->len), true)
					    : type_bound(dp_part_col_type(t, (int)a->len), false)));
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
err:
	g_ptr_array_set_free_func(a, g_free);
	g_ptr_array_free(a, TRUE);
	return NULL;
}

/* VALUES IN ('a', 'b') or (('a', 1), ('b', 2)). */
static bool
list_values(struct lexer *lx, const struct table *t, struct partition *p)
{
	int nc = npart_cols(t);
	GPtrArray *items = g_ptr_array_new();

	if (!lex_punct(lx, "("))
		goto err;
	do {
		GPtrArray *one = g_ptr_array_new();
		bool tuple = lex_punct(lx, "(");
		do {
			const struct token *tk = lex_peek(lx);
			if (tk->kind != TK_STRING && tk->kind != TK_NUMBER) {
				g_ptr_array_set_free_func(one, g_free);
				g_ptr_array_free(one, TRUE);
				goto err;
			}
			g_ptr_array_add(one, g_strdup(tk->text));
			lex_next(lx);
		} while (tuple && lex_punct(lx, ","));
		if ((tuple && !lex_punct(lx, ")")) || (int)one->len != (tuple ? nc : 1)) {
			g_ptr_array_set_free_func(one, g_free);
			g_ptr_array_free(one, TRUE);
			goto err;
		}
		g_ptr_array_add(one, NULL);
		g_ptr_array_add(items, g_ptr_array_free(one, FALSE));
	} while (lex_punct(lx, ","));
	if (!lex_punct(lx, ")"))
		goto err;
	p->nlists = (int)items->len;
	p->lists = (char ***)g_ptr_array_free(items, FALSE);
	return true;
err:
	g_ptr_array_set_free_func(items, (GDestroyNotify)g_strfreev);
	g_ptr_array_free(items, TRUE);
	return false;
}

/* Per-partition options: ("replication_num" = "1") and DISTRIBUTED BY ... BUCKETS n. */
static int
part_options(struct lexer *lx, struct partition *p, char *msg, size_t n)
{
	if (lex_is_punct(lx, "(")) {
		struct props pp = { 0 };
		int rc = dp_props(lx, &pp, msg, n);
		if (rc)
			return rc;
		const char *rn = props_get(&pp, "replication_num");
		int64_t v;
		if (rn && su_parse_i64(rn, &v))
			p->replication_num = (int)v;
		const char *sm = props_get(&pp, "storage_medium");
		if (sm)
			p->storage_medium = g_ascii_strup(sm, -1);
		props_free(&pp);
	}
	return 0;
}

static struct partition *
new_part(const char *name)
{
	struct partition *p = g_new0(struct partition, 1);

	p->name = g_strdup(name);
	return p;
}

/* p20240101 style names for START/END/EVERY batches. */
static bool
date_parse(const char *s, GDateTime **out)
{
	int y, m, d, hh = 0, mm = 0, ss = 0;

	if (sscanf(s, "%d-%d-%d %d:%d:%d", &y, &m, &d, &hh, &mm, &ss) < 3)
		return false;
	*out = g_date_time_new_utc(y, m, d, hh, mm, ss);
	return *out != NULL;
}

static int
batch_partitions(struct lexer *lx, const struct table *t, GPtrArray *parts, char *msg, size_t n)
{
	char **start, **end;
	int64_t every = 1;
	const char *unit = NULL;

	if (!lex_kw(lx, "START") || !(start = key_tuple(lx, t, false)))
		SYNTAX();
	if (!lex_kw(lx, "END") || !(end = key_tuple(lx, t, false))) {
		g_strfreev(start);
		SYNTAX();
	}
	int rc = E_SYNTAX;
	if (!lex_kw(lx, "EVERY") || !lex_punct(lx, "("))
		goto out;
	if (lex_kw(lx, "INTERVAL")) {
		if (!lex_int(lx, &every) || !lex_ident(lx, &unit))
			goto out;
	} else if (!lex_int(lx, &every)) {
		goto out;
	}
	if (!lex_punct(lx, ")") || every <= 0)
		goto out;
	const char *prim = dp_part_col_type(t, 0);
	if (unit) {
		GDateTime *cur, *stop;
		if (!date_parse(start[0], &cur) || !date_parse(end[0], &stop))
			goto out;
		int guard = 0;
		while (g_date_time_compare(cur, stop) < 0 && guard++ < 100000) {
			GDateTime *next;
			const char *fmt;
			if (su_ieq(unit, "DAY")) {
				next = g_date_time_add_days(cur, (int)every);
				fmt = "p%Y%m%d";
			} else if (su_ieq(unit, "MONTH")) {
				next = g_date_time_add_months(cur, (int)every);
				fmt = "p%Y%m";
			} else if (su_ieq(unit, "YEAR")) {
				next = g_date_time_add_years(cur, (int)every);
				fmt = "p%Y";
			} else if (su_ieq(unit, "HOUR")) {
				next = g_date_time_add_hours(cur, (int)every);
				fmt = "p%Y%m%d%H";
			} else if (su_ieq(unit, "WEEK")) {
				next = g_date_time_add_weeks(cur, (int)every);
				fmt = "p%Y_%V";
			} else {
				g_date_time_unref(cur);
				g_date_time_unref(stop);
				snprintf(msg, n, "Unsupported time unit '%s'", unit);
				goto out;
			}
			const char *kfmt = strcmp(prim, "DATETIME") == 0 ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d";
			char *nm = g_date_time_format(cur, fmt);
			struct partition *p = new_part(nm);
			g_free(nm);
			p->lower = g_new0(char *, 2);
			p->upper = g_new0(char *, 2);
			p->lower[0] = g_date_time_format(cur, kfmt);
			if (g_date_time_compare(next, stop) > 0)
				p->upper[0] = g_date_time_format(stop, kfmt);
			else
				p->upper[0] = g_date_time_format(next, kfmt);
			g_ptr_array_add(parts, p);
			g_date_time_unref(cur);
			cur = next;
		}
		g_date_time_unref(cur);
		g_date_time_unref(stop);
	} else {
		int64_t a, b;
		if (!su_parse_i64(start[0], &a) || !su_parse_i64(end[0], &b))
			goto out;
		for (int64_t v = a; v < b; v += every) {
			char nm[48];
			snprintf(nm, sizeof nm, "p%lld", (long long)v);
			struct partition *p = new_part(nm);
			p->lower = g_new0(char *, 2);
			p->upper = g_new0(char *, 2);
			p->lower[0] = g_strdup_printf("%lld", (long long)v);
			p->upper[0] = g_strdup_printf("%lld", (long long)(v + every < b ? v + every : b));
			g_ptr_array_add(parts, p);
		}
	}
	rc = 0;
out:
	g_strfreev(start);
	g_strfreev(end);
	if (rc && !msg[0])
		lex_syntax_error(lx, msg, n);
	return rc;
}

int
dp_partition_desc(struct lexer *lx, const struct table *t, GPtrArray *parts, char *msg, size_t n)
{
	const char *name;

	msg[0] = '\0';
	if (lex_is_kw(lx, "START"))
		return batch_partitions(lx, t, parts, msg, n);
	if (!lex_kw(lx, "PARTITION"))
		SYNTAX();
	bool ine = false;
	if (lex_kw(lx, "IF")) {
		if (!lex_kw(lx, "NOT") || !lex_kw(lx, "EXISTS"))
			SYNTAX();
		ine = true;
	}
	(void)ine;
	if (!lex_ident(lx, &name))
		SYNTAX();
	struct partition *p = new_part(name);
	if (!lex_kw(lx, "VALUES"))
		goto syntax;
	if (t->ptype == PT_LIST) {
		if (!lex_kw(lx, "IN") || !list_values(lx, t, p))
			goto syntax;
	} else if (t->ptype != PT_UNPARTITIONED) {
		if (lex_kws(lx, "LESS", "THAN")) {
			if (!(p->upper = key_tuple(lx, t, true)))
				goto syntax;
		} else if (lex_punct(lx, "[")) {
			if (!(p->lower = key_tuple(lx, t, false)) || !lex_punct(lx, ",") ||
			    !(p->upper = key_tuple(lx, t, true)) || !lex_punct(lx, ")"))
				goto syntax;
		} else {
			goto syntax;
		}
	} else {
		goto syntax;
	}
	int rc = part_options(lx, p, msg, n);
	if (rc) {
		cat_part_free(p);
		return rc;
	}
	g_ptr_array_add(parts, p);
	return 0;
syntax:
	cat_part_free(p);
	SYNTAX();
}

static gint
upper_cmp(gconstpointer pa, gconstpointer pb)
{
	const struct partition *a = *(struct partition *const *)pa, *b = *(struct partition *const *)pb;

	for (int i = 0; a->upper[i] && b->upper[i]; i++) {
		int64_t x, y;
		int r;
		if (su_parse_i64(a->upper[i], &x) && su_parse_i64(b->upper[i], &y))
			r = x < y ? -1 : x > y;
		else
			r = strcmp(a->upper[i], b->upper[i]);
		if (r)
			return r;
	}
	return 0;
}

void
dp_fix_ranges(const struct table *t, GPtrArray *parts)
{
	int nc = npart_cols(t);
	GPtrArray *all = g_ptr_array_new();

	/* LESS THAN bounds chain from the previous upper bound, across existing partitions too */
	for (guint i = 0; t->parts && i < t->parts->len; i++) {
		struct partition *p = g_ptr_array_index(t->parts, i);
		if (p->upper && !p->temp)
			g_ptr_array_add(all, p);
	}
	for (guint i = 0; i < parts->len; i++) {
		struct partition *p = g_ptr_array_index(parts, i);
		if (p->upper)
			g_ptr_array_add(all, p);
	}
	g_ptr_array_sort(all, upper_cmp);
	for (guint i = 0; i < all->len; i++) {
		struct partition *p = g_ptr_array_index(all, i);
		if (p->lower)
			continue;
		p->lower = g_new0(char *, (size_t)nc + 1);
		for (int k = 0; k < nc; k++) {
			if (i == 0)
				p->lower[k] = g_strdup(type_bound(dp_part_col_type(t, k), false));
			else
				p->lower[k] = g_strdup(((struct partition *)g_ptr_array_index(all, i - 1))->upper[k]);
		}
	}
	g_ptr_array_free(all, TRUE);
}

/* PARTITION BY ... for CREATE TABLE. */
static int
partition_clause(struct lexer *lx, struct table *t, GPtrArray *parts, char *msg, size_t n)
{
	if (lex_kw(lx, "RANGE") || (lex_is_kw(lx, "LIST") && lex_is_punct_at(lx, 1, "("))) {
		bool list = lx->t[lx->pos].kind == TK_WORD && su_ieq(lx->t[lx->pos].text, "LIST");
		if (list)
			lex_next(lx);
		t->ptype = list ? PT_LIST : PT_RANGE;
		/* RANGE(str2date(c, fmt)): expression range partitioning, version 2 */
		if (!list && lex_peek_at(lx, 1)->kind == TK_WORD && lex_peek_at(lx, 2)->kind == TK_PUNCT &&
		    strcmp(lex_peek_at(lx, 2)->text, "(") == 0) {
			size_t from = lex_peek(lx)->off;
			lex_next(lx);
			const char *fn, *col;
			if (!lex_ident(lx, &fn) || !lex_punct(lx, "(") || !lex_ident(lx, &col))
				SYNTAX();
			t->part_cols = g_new0(char *, 2);
			t->part_cols[0] = g_strdup(col);
			while (!lex_is_punct(lx, ")") && lex_peek(lx)->kind != TK_EOF)
				lex_next(lx);
			if (!lex_punct(lx, ")") || !lex_punct(lx, ")"))
				SYNTAX();
			char *e = lex_raw(lx, from + 1, lx->t[lx->pos - 1].off);
			t->part_expr = e;
			t->ptype = PT_EXPR_RANGE_V2;
		} else if (!(t->part_cols = name_list(lx))) {
			SYNTAX();
		}
		if (!lex_punct(lx, "("))
			SYNTAX();
		if (!lex_punct(lx, ")")) {
			do {
				int rc = dp_partition_desc(lx, t, parts, msg, n);
				if (rc)
					return rc;
			} while (lex_punct(lx, ","));
			if (!lex_punct(lx, ")"))
				SYNTAX();
		}
		if (t->ptype != PT_LIST)
			dp_fix_ranges(t, parts);
		return 0;
	}
	if (lex_is_punct(lx, "(") || lex_peek_at(lx, 1)->kind != TK_PUNCT ||
	    strcmp(lex_peek_at(lx, 1)->text, "(") != 0) {
		/* PARTITION BY (c1, c2) or PARTITION BY c1, c2: automatic LIST */
		t->ptype = PT_LIST;
		t->auto_list = true;
		if (lex_is_punct(lx, "(")) {
			if (!(t->part_cols = name_list(lx)))
				SYNTAX();
		} else {
			GPtrArray *a = g_ptr_array_new();
			const char *c;
			do {
				if (!lex_ident(lx, &c)) {
					g_ptr_array_set_free_func(a, g_free);
					g_ptr_array_free(a, TRUE);
					SYNTAX();
				}
				g_ptr_array_add(a, g_strdup(c));
			} while (lex_punct(lx, ","));
			g_ptr_array_add(a, NULL);
			t->part_cols = (char **)g_ptr_array_free(a, FALSE);
		}
		return 0;
	}
	/* PARTITION BY date_trunc('day', dt) / time_slice(dt, INTERVAL 1 day) */
	size_t from = lx->pos;
	const char *fn;
	if (!lex_ident(lx, &fn) || !lex_is_punct(lx, "("))
		SYNTAX();
	size_t inner = lx->pos + 1;
	if (!lex_skip_parens(lx))
		SYNTAX();
	char *col = NULL;
	size_t ci = 0;
	/* the column is the first name that is not the unit of an INTERVAL n unit
	 * (a column may well be called day) */
	for (size_t i = inner; i < lx->pos; i++) {
		if (lx->t[i].kind == TK_WORD && su_ieq(lx->t[i].text, "INTERVAL")) {
			i += 2;
			continue;
		}
		if (lx->t[i].kind == TK_QIDENT || lx->t[i].kind == TK_WORD) {
			col = lx->t[i].text;
			ci = i;
			break;
		}
	}
	if (!col)
		SYNTAX();
	t->ptype = PT_EXPR_RANGE;
	t->part_cols = g_new0(char *, 2);
	t->part_cols[0] = g_strdup(col);
	/* printed with the column backquoted, as the analyzer rewrites it */
	struct sb e;
	sb_init(&e);
	for (size_t i = from; i < lx->pos; i++) {
		const struct token *tk = &lx->t[i];
		if (i > from && !(tk->kind == TK_PUNCT && (tk->text[0] == ')' || tk->text[0] == ',')) &&
		    !(lx->t[i - 1].kind == TK_PUNCT && lx->t[i - 1].text[0] == '(') &&
		    !(tk->kind == TK_PUNCT && tk->text[0] == '('))
			sb_putc(&e, ' ');
		if (tk->kind == TK_QIDENT || i == ci)
			sb_ident(&e, tk->text);
		else if (tk->kind == TK_STRING)
			sb_printf(&e, "'%s'", tk->text);
		else
			sb_puts(&e, tk->text);
	}
	t->part_expr = sb_steal(&e);
	return 0;
}

static int
distribution(struct lexer *lx, struct table *t, char *msg, size_t n)
{
	if (!lex_kw(lx, "BY"))
		SYNTAX();
	if (lex_kw(lx, "HASH")) {
		g_strfreev(t->dist_cols);
		if (!(t->dist_cols = name_list(lx)))
			SYNTAX();
		t->random_dist = false;
	} else if (lex_kw(lx, "RANDOM")) {
		t->random_dist = true;
	} else {
		SYNTAX();
	}
	t->buckets = 0;
	if (lex_kw(lx, "BUCKETS")) {
		int64_t b;
		if (!lex_int(lx, &b))
			SYNTAX();
		if (b <= 0)
			FAIL("Number of hash distribution should be greater than zero.");
		t->buckets = (int)b;
	}
	return 0;
}

/* The partition-key checks StarRocks's analyzer makes that matter to a client. */
static int
validate(struct cluster *c, struct table *t, GPtrArray *parts, char *msg, size_t n)
{
	for (int i = 0; t->part_cols && t->part_cols[i]; i++)
		if (cat_col_index(t, t->part_cols[i]) < 0)
			FAIL("Getting analyzing error. Detail message: Partition column[%s] does not exist in column list.",
			     t->part_cols[i]);
	for (int i = 0; t->dist_cols && t->dist_cols[i]; i++)
		if (cat_col_index(t, t->dist_cols[i]) < 0)
			FAIL("Getting analyzing error. Detail message: Distribution column(%s) doesn't exist.",
			     t->dist_cols[i]);
	for (guint i = 0; i < parts->len; i++)
		for (guint j = i + 1; j < parts->len; j++)
			if (g_ascii_strcasecmp(((struct partition *)g_ptr_array_index(parts, i))->name,
					       ((struct partition *)g_ptr_array_index(parts, j))->name) == 0)
				FAIL("Duplicate partition name %s",
				     ((struct partition *)g_ptr_array_index(parts, i))->name);
	if (!c->prof.shared_data && t->replication_num > c->nbe)
		FAIL("Table replication num should be less than or equal to the number of available BE nodes. "
		     "You can change this default by setting the replication_num table properties. "
		     "Current alive backend is [%d]. , table=%s, properties.replication_num=%d",
		     c->nbe, t->name, t->replication_num);
	return 0;
}

static const char *const known_props[] = {
	"replication_num", "replication_allocation", "storage_medium", "storage_cooldown_time",
	"storage_cooldown_ttl", "bloom_filter_columns", "bloom_filter_fpp", "colocate_with", "in_memory",
	"enable_persistent_index", "persistent_index_type", "primary_index_cache_expire_sec",
	"replicated_storage", "write_quorum", "compression", "storage_volume", "datacache.enable",
	"datacache.partition_duration", "enable_async_write_back", "fast_schema_evolution", "bucket_size",
	"mutable_bucket_num", "enable_load_profile", "labels.location", "partition_live_number",
	"partition_ttl", "partition_retention_condition", "unique_constraints", "foreign_key_constraints",
	"binlog_enable", "binlog_max_size", "binlog_ttl_second", "storage_type", "file_bundling",
	"base_compaction_forbidden_time_ranges", "time_drift_constraint", "flat_json.enable",
	"flat_json.null.factor", "flat_json.sparsity.factor", "flat_json.column.max", "enable_dynamic_tablet",
	"compaction_strategy", "session.query_timeout", "auto_refresh_partitions_limit",
	"partition_refresh_number", "excluded_trigger_tables", "mv_rewrite_staleness_second",
	"query_rewrite_consistency", "force_external_table_query_rewrite", "resource_group", "warehouse",
	"enable_query_rewrite", "transparent_mv_rewrite_mode", "dynamic_partition.", NULL,
};

static int
apply_props(struct cluster *c, struct table *t, char *msg, size_t n)
{
	struct sb bad;

	sb_init(&bad);
	for (int i = 0; i < t->props.n; i++) {
		const char *k = t->props.e[i].k;
		bool ok = false;
		for (const char *const *kp = known_props; *kp; kp++)
			if (strcmp(k, *kp) == 0 || (g_str_has_suffix(*kp, ".") && g_str_has_prefix(k, *kp)))
				ok = true;
		if (!ok)
			sb_printf(&bad, "%s%s=%s", bad.len ? ", " : "", k, t->props.e[i].v);
	}
	if (bad.len) {
		snprintf(msg, n, "Unknown properties: {%s}", bad.p);
		sb_free(&bad);
		return E_SYNTAX;
	}
	sb_free(&bad);
	const char *rn = props_get(&t->props, "replication_num");
	int64_t v;
	if (rn) {
		if (!su_parse_i64(rn, &v) || v <= 0)
			FAIL("Replication num should larger than 0");
		t->replication_num = (int)v;
	} else {
		int def = (int)cfg_int(c, "default_replication_num", 3);
		t->replication_num = c->prof.shared_data ? 1 : (def < c->nbe ? def : (c->nbe > 0 ? c->nbe : 1));
	}
	if (c->prof.shared_data) {
		const char *sv = props_get(&t->props, "storage_volume");
		if (sv) {
			bool found = false;
			for (guint i = 0; i < c->volumes->len; i++)
				if (strcmp(((struct volume *)g_ptr_array_index(c->volumes, i))->name, sv) == 0)
					found = true;
			if (!found)
				FAIL("Unknown storage volume \"%s\"", sv);
			t->storage_volume = g_strdup(sv);
		} else {
			for (guint i = 0; i < c->volumes->len; i++) {
				struct volume *vol = g_ptr_array_index(c->volumes, i);
				if (vol->is_default)
					t->storage_volume = g_strdup(vol->name);
			}
			if (!t->storage_volume)
				FAIL("The default storage volume does not exist. A default storage volume can be created "
				     "by following these steps: 1. Create a storage volume. 2. Set the storage volume as "
				     "default");
		}
	}
	return 0;
}

/* DECIMAL SUM columns of aggregate tables widen to DECIMAL128(38, s) unless the
 * FE keeps legacy compatibility for replication (facts 3.6). */
static void
widen_decimal_sums(struct cluster *c, struct table *t)
{
	if (t->model != MODEL_AGG || cfg_bool(c, "enable_legacy_compatibility_for_replication"))
		return;
	for (int i = 0; i < t->ncols; i++) {
		struct column *col = &t->cols[i];
		int p, s;
		if (!col->agg || strcmp(col->agg, "SUM") != 0 || sscanf(col->type, "decimal(%d, %d)", &p, &s) != 2)
			continue;
		g_free(col->type);
		col->type = g_strdup_printf("decimal(38, %d)", s);
	}
}

int
dp_create_table(struct lexer *lx, struct cluster *c, struct qname *name, bool *if_not_exists,
		struct table **out, char *msg, size_t n)
{
	struct table *t = g_new0(struct table, 1);
	GArray *cols = g_array_new(FALSE, TRUE, sizeof(struct column));
	GArray *bidx = g_array_new(FALSE, TRUE, sizeof(struct bitmap_index));
	GPtrArray *parts = g_ptr_array_new();
	char **keys = NULL;
	int rc = E_SYNTAX;

	msg[0] = '\0';
	*if_not_exists = false;
	if (lex_kw(lx, "IF")) {
		if (!lex_kw(lx, "NOT") || !lex_kw(lx, "EXISTS"))
			goto syntax;
		*if_not_exists = true;
	}
	if (!dp_qname(lx, name) || !lex_punct(lx, "("))
		goto syntax;
	t->name = g_strdup(name->name);
	t->model = MODEL_DUP;
	do {
		if (lex_kw(lx, "INDEX")) {
			struct bitmap_index bi = { 0 };
			const char *in, *cm;
			if (!lex_ident(lx, &in) || !(bi.cols = name_list(lx)))
				goto syntax;
			bi.name = g_strdup(in);
			if (lex_kw(lx, "USING") && !lex_kw(lx, "BITMAP")) {
				g_array_append_val(bidx, bi);
				goto syntax;
			}
			bi.comment = g_strdup(lex_kw(lx, "COMMENT") && lex_string(lx, &cm) ? cm : "");
			g_array_append_val(bidx, bi);
			continue;
		}
		struct column col;
		rc = dp_column(lx, t, &col, msg, n);
		if (rc) {
			if (col.name)
				dp_column_free(&col);
			goto fail;
		}
		col.uid = (int)cols->len;
		g_array_append_val(cols, col);
		rc = E_SYNTAX;
	} while (lex_punct(lx, ","));
	if (!lex_punct(lx, ")"))
		goto syntax;
	t->ncols = (int)cols->len;
	t->cols = (struct column *)g_array_free(cols, FALSE);
	cols = NULL;
	t->next_uid = t->ncols;
	t->nbidx = (int)bidx->len;
	t->bidx = (struct bitmap_index *)g_array_free(bidx, FALSE);
	bidx = NULL;
	if (lex_kw(lx, "ENGINE")) {
		const char *e;
		if (!lex_punct(lx, "=") || !lex_ident(lx, &e))
			goto syntax;
		if (!su_ieq(e, "olap")) {
			snprintf(msg, n, "Unknown storage engine '%s'", e);
			goto fail;
		}
	}
	static const struct { const char *kw; enum model m; } models[] = {
		{ "DUPLICATE", MODEL_DUP }, { "AGGREGATE", MODEL_AGG }, { "UNIQUE", MODEL_UNIQUE },
		{ "PRIMARY", MODEL_PRIMARY },
	};
	for (size_t i = 0; i < SU_LEN(models); i++)
		if (lex_kws(lx, models[i].kw, "KEY")) {
			t->model = models[i].m;
			if (!(keys = name_list(lx)))
				goto syntax;
			break;
		}
	const char *cm;
	if (lex_kw(lx, "COMMENT")) {
		if (!lex_string(lx, &cm))
			goto syntax;
		t->comment = g_strdup(cm);
	}
	if (lex_kws(lx, "PARTITION", "BY")) {
		t->parts = NULL;
		/* partition columns may be checked against the columns already known */
		rc = partition_clause(lx, t, parts, msg, n);
		if (rc)
			goto fail;
		rc = E_SYNTAX;
	}
	if (lex_kw(lx, "DISTRIBUTED")) {
		rc = distribution(lx, t, msg, n);
		if (rc)
			goto fail;
		rc = E_SYNTAX;
	} else {
		t->random_dist = t->model == MODEL_DUP;
	}
	if (lex_kws(lx, "ORDER", "BY")) {
		if (!(t->order_cols = name_list(lx)))
			goto syntax;
	}
	if (lex_kw(lx, "PROPERTIES")) {
		rc = dp_props(lx, &t->props, msg, n);
		if (rc)
			goto fail;
		rc = E_SYNTAX;
	}
	if (!lex_at_end(lx))
		goto syntax;

	/* keys: the named key columns, else the first column (DUPLICATE default) */
	if (keys) {
		for (int i = 0; keys[i]; i++) {
			int ci = cat_col_index(t, keys[i]);
			if (ci < 0) {
				snprintf(msg, n, "Getting analyzing error. Detail message: Key column(%s) doesn't exist.",
					 keys[i]);
				goto fail;
			}
			if (ci != i) {
				snprintf(msg, n, "Getting analyzing error. Detail message: "
					 "Key columns should be a ordered prefix of the schema.");
				goto fail;
			}
			t->cols[ci].key = true;
		}
		t->nkeys = (int)g_strv_length(keys);
	} else {
		int nk = 0;
		for (int i = 0; i < t->ncols; i++)
			if (t->cols[i].key)
				nk = i + 1;
		if (nk == 0) {
			/* DUPLICATE KEY defaults to the leading columns (at most 3) */
			nk = 1;
			t->cols[0].key = true;
		}
		t->nkeys = nk;
	}
	for (int i = 0; i < t->ncols; i++) {
		struct column *col = &t->cols[i];
		if (col->key && t->model == MODEL_PRIMARY)
			col->nullable = false;
		if (!col->key && t->model == MODEL_AGG && !col->agg) {
			snprintf(msg, n, "Getting analyzing error. Detail message: "
				 "Value column[%s] must have an aggregate type in aggregate key table.", col->name);
			goto fail;
		}
		if (col->agg && t->model != MODEL_AGG) {
			snprintf(msg, n, "Getting analyzing error. Detail message: "
				 "Column[%s] can't have aggregate type in %s table.", col->name,
				 cat_model_keys(t->model));
			goto fail;
		}
		if (!col->key && t->model == MODEL_UNIQUE)
			col->agg = NULL;
	}
	if (!t->dist_cols && !t->random_dist) {
		t->dist_cols = g_new0(char *, 2);
		t->dist_cols[0] = g_strdup(t->cols[0].name);
	}
	if (t->ptype == PT_UNPARTITIONED) {
		struct partition *p = new_part(t->name);
		g_ptr_array_add(parts, p);
	}
	rc = apply_props(c, t, msg, n);
	if (rc)
		goto fail;
	rc = validate(c, t, parts, msg, n);
	if (rc)
		goto fail;
	widen_decimal_sums(c, t);
	t->cloud_native = c->prof.shared_data;
	t->kind = TK_OLAP;
	t->parts = parts;
	g_strfreev(keys);
	*out = t;
	return 0;
syntax:
	lex_syntax_error(lx, msg, n);
	rc = E_SYNTAX;
fail:
	if (!rc)
		rc = E_SYNTAX;
	if (cols) {
		for (guint i = 0; i < cols->len; i++)
			dp_column_free(&g_array_index(cols, struct column, i));
		g_array_free(cols, TRUE);
	}
	if (bidx) {
		for (guint i = 0; i < bidx->len; i++) {
			g_free(g_array_index(bidx, struct bitmap_index, i).name);
			g_strfreev(g_array_index(bidx, struct bitmap_index, i).cols);
			g_free(g_array_index(bidx, struct bitmap_index, i).comment);
		}
		g_array_free(bidx, TRUE);
	}
	for (guint i = 0; i < parts->len; i++)
		cat_part_free(g_ptr_array_index(parts, i));
	g_ptr_array_free(parts, TRUE);
	g_strfreev(keys);
	t->parts = NULL;
	cat_table_free(t);
	dp_qname_free(name);
	return rc;
}

int
dp_create_view(struct lexer *lx, struct qname *name, bool *if_not_exists, struct table **out, char *msg,
	       size_t n)
{
	*if_not_exists = false;
	if (lex_kw(lx, "IF")) {
		if (!lex_kw(lx, "NOT") || !lex_kw(lx, "EXISTS"))
			SYNTAX();
		*if_not_exists = true;
	}
	if (!dp_qname(lx, name))
		SYNTAX();
	struct table *t = g_new0(struct table, 1);
	t->kind = TK_VIEW;
	t->name = g_strdup(name->name);
	if (lex_is_punct(lx, "(")) {
		size_t from = lex_peek(lx)->off;
		if (!lex_skip_parens(lx))
			goto syntax;
		t->view_cols = lex_raw(lx, from, lx->t[lx->pos - 1].end);
	}
	const char *cm;
	if (lex_kw(lx, "COMMENT")) {
		if (!lex_string(lx, &cm))
			goto syntax;
		t->comment = g_strdup(cm);
	}
	if (!lex_kw(lx, "AS") || lex_peek(lx)->kind == TK_EOF)
		goto syntax;
	size_t from = lex_peek(lx)->off;
	size_t to = from;
	while (!lex_at_end(lx))
		to = lex_next(lx)->end;
	t->view_def = lex_raw(lx, from, to);
	*out = t;
	return 0;
syntax:
	cat_table_free(t);
	dp_qname_free(name);
	SYNTAX();
}

int
dp_create_mv(struct lexer *lx, struct cluster *c, struct qname *name, bool *if_not_exists, bool *is_sync,
	     struct qname *base, struct table **out, char *msg, size_t n)
{
	struct table *t = g_new0(struct table, 1);
	int rc;

	*if_not_exists = false;
	*is_sync = true;
	memset(base, 0, sizeof *base);
	t->kind = TK_MV;
	t->model = MODEL_DUP;
	t->random_dist = true;
	if (lex_kw(lx, "IF")) {
		if (!lex_kw(lx, "NOT") || !lex_kw(lx, "EXISTS"))
			goto syntax;
		*if_not_exists = true;
	}
	if (!dp_qname(lx, name))
		goto syntax;
	t->name = g_strdup(name->name);
	for (;;) {
		const char *cm;
		if (lex_kw(lx, "COMMENT")) {
			if (!lex_string(lx, &cm))
				goto syntax;
			t->comment = g_strdup(cm);
		} else if (lex_kw(lx, "DISTRIBUTED")) {
			*is_sync = false;
			if ((rc = distribution(lx, t, msg, n)))
				goto fail;
		} else if (lex_kws(lx, "PARTITION", "BY")) {
			*is_sync = false;
			size_t from = lex_peek(lx)->off;
			while (!lex_is_kw(lx, "DISTRIBUTED") && !lex_is_kw(lx, "REFRESH") && !lex_is_kw(lx, "AS") &&
			       !lex_is_kw(lx, "PROPERTIES") && !lex_is_kw(lx, "ORDER") && lex_peek(lx)->kind != TK_EOF)
				lex_next(lx);
			t->part_expr = lex_raw(lx, from, lex_peek(lx)->off);
		} else if (lex_kw(lx, "REFRESH")) {
			*is_sync = false;
			size_t from = lex_peek(lx)->off;
			while (!lex_is_kw(lx, "AS") && !lex_is_kw(lx, "PROPERTIES") && !lex_is_kw(lx, "DISTRIBUTED") &&
			       lex_peek(lx)->kind != TK_EOF)
				lex_next(lx);
			t->mv_refresh = lex_raw(lx, from, lex_peek(lx)->off);
		} else if (lex_kws(lx, "ORDER", "BY")) {
			if (!(t->order_cols = name_list(lx)))
				goto syntax;
		} else if (lex_kw(lx, "PROPERTIES")) {
			*is_sync = false;
			if ((rc = dp_props(lx, &t->props, msg, n)))
				goto fail;
		} else {
			break;
		}
	}
	if (!lex_kw(lx, "AS"))
		goto syntax;
	size_t from = lex_peek(lx)->off, to = from;
	size_t sel = lx->pos;
	while (!lex_at_end(lx))
		to = lex_next(lx)->end;
	t->view_def = lex_raw(lx, from, to);
	if (!*t->view_def)
		goto syntax;
	/* the base table: the first name after FROM */
	for (size_t i = sel; i < lx->pos; i++)
		if (lx->t[i].kind == TK_WORD && su_ieq(lx->t[i].text, "FROM")) {
			struct lexer sub = *lx;
			sub.pos = i + 1;
			struct qname q;
			if (dp_qname(&sub, &q))
				*base = q;
			break;
		}
	if (!base->name)
		goto syntax;
	if (!*is_sync) {
		const char *rn = props_get(&t->props, "replication_num");
		int64_t v;
		t->replication_num = rn && su_parse_i64(rn, &v) && v > 0 ? (int)v
				     : (c->prof.shared_data ? 1 : (c->nbe < 3 ? (c->nbe ? c->nbe : 1) : 3));
		t->cloud_native = c->prof.shared_data;
		if (!t->mv_refresh)
			t->mv_refresh = g_strdup("DEFERRED MANUAL");
	}
	*out = t;
	return 0;
syntax:
	lex_syntax_error(lx, msg, n);
	rc = E_SYNTAX;
fail:
	cat_table_free(t);
	dp_qname_free(name);
	dp_qname_free(base);
	return rc;
}
