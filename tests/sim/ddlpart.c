/*
 * ddlpart: partition clauses of StarRocks DDL: RANGE (LESS THAN, fixed,
 * START/END/EVERY), LIST, expression and automatic (part of the ddlparse module).
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

struct partition *
dp_new_part(const char *name)
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
batch_partitions(struct lexer *lx, const struct table *t, GPtrArray *parts, struct dp_batch *b, char *msg, size_t n)
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
	if (b) {
		b->batch = true;
		b->every = every;
		snprintf(b->unit, sizeof b->unit, "%s", unit ? unit : "");
		snprintf(b->start, sizeof b->start, "%s", start[0]);
		snprintf(b->end, sizeof b->end, "%s", end[0]);
	}
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
			struct partition *p = dp_new_part(nm);
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
		int64_t a, z;
		if (!su_parse_i64(start[0], &a) || !su_parse_i64(end[0], &z))
			goto out;
		for (int64_t v = a; v < z; v += every) {
			char nm[48];
			snprintf(nm, sizeof nm, "p%lld", (long long)v);
			struct partition *p = dp_new_part(nm);
			p->lower = g_new0(char *, 2);
			p->upper = g_new0(char *, 2);
			p->lower[0] = g_strdup_printf("%lld", (long long)v);
			p->upper[0] = g_strdup_printf("%lld", (long long)(v + every < z ? v + every : z));
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
dp_partition_desc(struct lexer *lx, const struct table *t, GPtrArray *parts, struct dp_batch *b, char *msg,
		  size_t n)
{
	const char *name;

	msg[0] = '\0';
	if (b)
		memset(b, 0, sizeof *b);
	if (lex_is_kw(lx, "START"))
		return batch_partitions(lx, t, parts, b, msg, n);
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
	int rc = dp_check_name(DPN_PARTITION, name, msg, n);
	if (rc)
		return rc;
	struct partition *p = dp_new_part(name);
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
	rc = part_options(lx, p, msg, n);
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
int
dp_partition_clause(struct lexer *lx, struct table *t, GPtrArray *parts, char *msg, size_t n)
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
		} else if (!(t->part_cols = dp_name_list(lx))) {
			SYNTAX();
		}
		if (!lex_punct(lx, "("))
			SYNTAX();
		if (!lex_punct(lx, ")")) {
			do {
				int rc = dp_partition_desc(lx, t, parts, NULL, msg, n);
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
			if (!(t->part_cols = dp_name_list(lx)))
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
	/* the time unit: date_trunc('unit', c), or time_slice(c, INTERVAL n unit[, floor]) */
	t->part_step = 1;
	t->part_time_slice = su_ieq(fn, "time_slice");
	for (size_t i = inner; i < lx->pos && !t->part_unit; i++) {
		const struct token *tk = &lx->t[i];
		int64_t step;
		if (!t->part_time_slice && tk->kind == TK_STRING) {
			t->part_unit = g_ascii_strdown(tk->text, -1);
		} else if (t->part_time_slice && tk->kind == TK_WORD && su_ieq(tk->text, "INTERVAL") && i + 2 < lx->pos &&
			   su_parse_i64(lx->t[i + 1].text, &step) && step > 0 && step <= 100000) {
			t->part_step = (int)step;
			t->part_unit = g_ascii_strdown(lx->t[i + 2].text, -1);
		}
	}
	/* printed with the column backquoted, as the analyzer rewrites it (a
	 * backquote inside the name stays single, as in every DDL text) */
	struct sb e;
	sb_init(&e);
	for (size_t i = from; i < lx->pos; i++) {
		const struct token *tk = &lx->t[i];
		if (i > from && !(tk->kind == TK_PUNCT && (tk->text[0] == ')' || tk->text[0] == ',')) &&
		    !(lx->t[i - 1].kind == TK_PUNCT && lx->t[i - 1].text[0] == '(') &&
		    !(tk->kind == TK_PUNCT && tk->text[0] == '('))
			sb_putc(&e, ' ');
		if (tk->kind == TK_QIDENT || i == ci)
			sb_printf(&e, "`%s`", tk->text);
		else if (tk->kind == TK_STRING)
			sb_printf(&e, "'%s'", tk->text);
		else
			sb_puts(&e, tk->text);
	}
	t->part_expr = sb_steal(&e);
	return 0;
}
