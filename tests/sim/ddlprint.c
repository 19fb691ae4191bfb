/*
 * ddlprint: statement text as SHOW CREATE prints it.
 */
#include "ddlprint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddlparse.h"
#include "sim.h"
#include "simutil.h"

static int
kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->k, ((const struct kv *)b)->k);
}

/*
 * A name as StarRocks prints it in DDL text: between backquotes, a backquote
 * inside not doubled (Column.toSql appends "`" + name + "`"), so that the text
 * of a table or column whose name holds one does not parse back.
 */
static void
ident(struct sb *b, const char *name)
{
	sb_putc(b, '`');
	sb_puts(b, name);
	sb_putc(b, '`');
}

static void
quoted(struct sb *b, const char *s)
{
	sb_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_putc(b, '\\');
		sb_putc(b, *s);
	}
	sb_putc(b, '"');
}

static void
idents(struct sb *b, char **names, const char *sep)
{
	for (int i = 0; names && names[i]; i++) {
		if (i)
			sb_puts(b, sep);
		ident(b, names[i]);
	}
}

/*
 * "value" as StringEscapeUtils.escapeJava writes it with UnicodeUnescaper run
 * over the result: quote, backslash and the five named controls escaped;
 * everything else (other controls, non-ASCII) back as itself.
 */
static void
java_quoted(struct sb *b, const char *v)
{
	sb_putc(b, '"');
	for (; *v; v++) {
		switch (*v) {
		case '"': sb_puts(b, "\\\""); break;
		case '\\': sb_puts(b, "\\\\"); break;
		case '\b': sb_puts(b, "\\b"); break;
		case '\f': sb_puts(b, "\\f"); break;
		case '\n': sb_puts(b, "\\n"); break;
		case '\r': sb_puts(b, "\\r"); break;
		case '\t': sb_puts(b, "\\t"); break;
		default: sb_putc(b, *v); break;
		}
	}
	sb_putc(b, '"');
}

/* Column.toSql: `name` type [AGG] NULL|NOT NULL [...] COMMENT "..." */
static void
column_sql(struct sb *b, const struct table *t, const struct column *c)
{
	ident(b, c->name);
	sb_printf(b, " %s", c->type);
	if (c->agg && t->model == MODEL_AGG)
		sb_printf(b, " %s", c->agg);
	sb_puts(b, c->nullable ? " NULL" : " NOT NULL");
	if (c->auto_inc)
		sb_puts(b, " AUTO_INCREMENT");
	else if (c->default_expr && su_ieq(c->default_expr, "now()"))
		sb_puts(b, " DEFAULT CURRENT_TIMESTAMP");
	else if (c->default_expr)
		sb_printf(b, " DEFAULT (%s)", c->default_expr);
	else if (c->default_value) {
		sb_puts(b, " DEFAULT ");
		java_quoted(b, c->default_value);
	}
	else if (c->generated)
		sb_printf(b, " AS %s", c->generated);
	sb_puts(b, " COMMENT ");
	quoted(b, c->comment ? c->comment : "");
}

static void
column(struct sb *b, const struct table *t, const struct column *c)
{
	sb_puts(b, "  ");
	column_sql(b, t, c);
}

static void
key_tuple(struct sb *b, char **keys)
{
	sb_putc(b, '(');
	for (int i = 0; keys && keys[i]; i++) {
		if (i)
			sb_puts(b, ", ");
		quoted(b, keys[i]);
	}
	sb_putc(b, ')');
}

static void
list_item(struct sb *b, const struct partition *p, bool multi)
{
	sb_putc(b, '(');
	for (int i = 0; i < p->nlists; i++) {
		if (i)
			sb_puts(b, ", ");
		if (multi)
			sb_putc(b, '(');
		for (int k = 0; p->lists[i][k]; k++)
			sb_printf(b, "%s'%s'", k ? ", " : "", p->lists[i][k]);
		if (multi)
			sb_putc(b, ')');
	}
	sb_putc(b, ')');
}

static bool
multi_list(const struct table *t)
{
	return t->part_cols && t->part_cols[0] && t->part_cols[1];
}

char *
dpr_part_values(const struct table *t, const struct partition *p)
{
	struct sb b;

	sb_init(&b);
	sb_put(&b, "", 0);
	if (t->ptype == PT_LIST && p->lists) {
		list_item(&b, p, multi_list(t));
	} else if (t->ptype != PT_UNPARTITIONED && t->ptype != PT_LIST && p->lower && p->upper) {
		/* Guava Range of PartitionKey: [types: [DATE]; keys: [a]; ..types: [DATE]; keys: [b]; ) */
		for (int side = 0; side < 2; side++) {
			char **keys = side ? p->upper : p->lower;
			sb_puts(&b, side ? ".." : "[");
			sb_puts(&b, "types: [");
			for (int i = 0; keys[i]; i++)
				sb_printf(&b, "%s%s", i ? ", " : "", dp_part_col_type(t, i));
			sb_puts(&b, "]; keys: [");
			for (int i = 0; keys[i]; i++)
				sb_printf(&b, "%s%s", i ? ", " : "", keys[i]);
			sb_puts(&b, "]; ");
		}
		sb_putc(&b, ')');
	}
	return sb_steal(&b);
}

char *
dpr_partition_key(const struct cluster *c, const struct table *t)
{
	struct sb b;
	bool sql = c->prof.v >= PV(3, 4, 0);

	sb_init(&b);
	sb_put(&b, "", 0);
	for (int i = 0; t->ptype != PT_UNPARTITIONED && t->part_cols && t->part_cols[i]; i++) {
		int at = cat_col_index(t, t->part_cols[i]);
		if (i)
			sb_puts(&b, ", ");
		if (sql && at >= 0)
			column_sql(&b, t, &t->cols[at]);
		else
			sb_puts(&b, t->part_cols[i]);
	}
	return sb_steal(&b);
}

static void
partitions(struct sb *b, const struct cluster *c, const struct table *t)
{
	(void)c;
	if (t->ptype == PT_UNPARTITIONED)
		return;
	if (t->ptype == PT_EXPR_RANGE) {
		sb_printf(b, "\nPARTITION BY %s", t->part_expr);
		return;
	}
	if (t->ptype == PT_LIST && t->auto_list) {
		sb_puts(b, "\nPARTITION BY (");
		idents(b, t->part_cols, ",");
		sb_putc(b, ')');
		return;
	}
	GPtrArray *ps = cat_parts_sorted(t, false);
	if (t->ptype == PT_LIST) {
		sb_puts(b, "\nPARTITION BY LIST(");
		idents(b, t->part_cols, ",");
		sb_puts(b, ")(\n");
		for (guint i = 0; i < ps->len; i++) {
			const struct partition *p = g_ptr_array_index(ps, i);
			sb_printf(b, "%s  PARTITION %s VALUES IN ", i ? ",\n" : "", p->name);
			list_item(b, p, multi_list(t));
			if (p->replication_num != t->replication_num)
				sb_printf(b, " (\"replication_num\" = \"%d\")", p->replication_num);
		}
		sb_puts(b, "\n)");
	} else {
		if (t->ptype == PT_EXPR_RANGE_V2)
			sb_printf(b, "\nPARTITION BY RANGE(%s)\n(", t->part_expr);
		else {
			sb_puts(b, "\nPARTITION BY RANGE(");
			idents(b, t->part_cols, ", ");
			sb_puts(b, ")\n(");
		}
		for (guint i = 0; i < ps->len; i++) {
			const struct partition *p = g_ptr_array_index(ps, i);
			sb_printf(b, "%sPARTITION %s VALUES [", i ? ",\n" : "", p->name);
			key_tuple(b, p->lower);
			sb_puts(b, ", ");
			key_tuple(b, p->upper);
			sb_putc(b, ')');
			if (p->replication_num != t->replication_num)
				sb_printf(b, " (\"replication_num\" = \"%d\")", p->replication_num);
		}
		sb_putc(b, ')');
	}
	g_ptr_array_free(ps, TRUE);
}

static void
distribution(struct sb *b, const struct table *t)
{
	if (t->random_dist) {
		sb_puts(b, "\nDISTRIBUTED BY RANDOM");
		if (t->buckets > 0)
			sb_printf(b, " BUCKETS %d", t->buckets);
	} else {
		sb_puts(b, "\nDISTRIBUTED BY HASH(");
		idents(b, t->dist_cols, ", ");
		sb_putc(b, ')');
		if (t->buckets > 0)
			sb_printf(b, " BUCKETS %d", t->buckets);
		sb_putc(b, ' ');
	}
}

/* The properties OlapTable / LakeTable report, in the version's order. */
static void
properties(struct props *out, const struct cluster *c, const struct table *t)
{
	const struct props *in = &t->props;
	bool lake = t->cloud_native;
	bool pk = t->model == MODEL_PRIMARY;
	char rn[16];
	const char *v;

	snprintf(rn, sizeof rn, "%d", t->replication_num);
	if (prof_sorted_properties(&c->prof)) {
		/* 3.3+: a TreeMap of what the table carries */
		props_set(out, "replication_num", rn);
		props_set(out, "compression", (v = props_get(in, "compression")) ? v : "LZ4");
		if (lake) {
			props_set(out, "datacache.enable", (v = props_get(in, "datacache.enable")) ? v : "true");
			props_set(out, "enable_async_write_back",
				  (v = props_get(in, "enable_async_write_back")) ? v : "false");
			props_set(out, "storage_volume", t->storage_volume ? t->storage_volume : "");
			if (pk && !((v = props_get(in, "enable_persistent_index")) && su_ieq(v, "false")))
				props_set(out, "persistent_index_type",
					  (v = props_get(in, "persistent_index_type")) ? v : "CLOUD_NATIVE");
		} else {
			props_set(out, "fast_schema_evolution",
				  (v = props_get(in, "fast_schema_evolution")) ? v : "true");
			props_set(out, "replicated_storage", (v = props_get(in, "replicated_storage")) ? v : "true");
		}
		if (pk)
			props_set(out, "enable_persistent_index",
				  (v = props_get(in, "enable_persistent_index")) ? v : "true");
		for (int i = 0; i < in->n; i++) {
			const char *k = in->e[i].k;
			if (props_get(out, k) || !strcmp(k, "replication_num") || !strcmp(k, "in_memory"))
				continue;
			if (lake && (!strcmp(k, "storage_medium") || !strcmp(k, "storage_cooldown_ttl") ||
				     !strcmp(k, "replicated_storage") || !strcmp(k, "fast_schema_evolution")))
				continue;
			if (!lake && (g_str_has_prefix(k, "datacache.") || !strcmp(k, "enable_async_write_back") ||
				      !strcmp(k, "storage_volume") || !strcmp(k, "persistent_index_type")))
				continue;
			props_set(out, k, in->e[i].v);
		}
		qsort(out->e, (size_t)out->n, sizeof(struct kv), kv_cmp);
		return;
	}
	/* 3.1 / 3.2: GlobalStateMgr.getDdlStmt's fixed order */
	static const char *const head[] = { "replication_num", "bloom_filter_columns", "colocate_with" };
	for (size_t i = 0; i < SU_LEN(head); i++) {
		if (i == 0)
			props_set(out, head[i], rn);
		else if ((v = props_get(in, head[i])))
			props_set(out, head[i], v);
	}
	for (int i = 0; i < in->n; i++)
		if (g_str_has_prefix(in->e[i].k, "dynamic_partition."))
			props_set(out, in->e[i].k, in->e[i].v);
	if ((v = props_get(in, "datacache.partition_duration")))
		props_set(out, "datacache.partition_duration", v);
	if ((v = props_get(in, "bucket_size")))
		props_set(out, "bucket_size", v);
	if (lake) {
		props_set(out, "datacache.enable", (v = props_get(in, "datacache.enable")) ? v : "true");
		props_set(out, "storage_volume", t->storage_volume ? t->storage_volume : "");
		props_set(out, "enable_async_write_back", (v = props_get(in, "enable_async_write_back")) ? v : "false");
		props_set(out, "enable_persistent_index",
			  (v = props_get(in, "enable_persistent_index")) ? v : "false");
		if ((v = props_get(in, "persistent_index_type")))
			props_set(out, "persistent_index_type", v);
	} else {
		props_set(out, "in_memory", (v = props_get(in, "in_memory")) ? v : "false");
		props_set(out, "enable_persistent_index",
			  (v = props_get(in, "enable_persistent_index")) ? v : "false");
		props_set(out, "replicated_storage", (v = props_get(in, "replicated_storage")) ? v : "true");
		for (int i = 0; i < in->n; i++)
			if (g_str_has_prefix(in->e[i].k, "binlog_"))
				props_set(out, in->e[i].k, in->e[i].v);
		if ((v = props_get(in, "write_quorum")))
			props_set(out, "write_quorum", v);
		if (c->prof.v >= PV(3, 2, 0))
			props_set(out, "fast_schema_evolution",
				  (v = props_get(in, "fast_schema_evolution")) ? v : "true");
		if ((v = props_get(in, "storage_medium")))
			props_set(out, "storage_medium", v);
		if ((v = props_get(in, "storage_cooldown_ttl")))
			props_set(out, "storage_cooldown_ttl", v);
	}
	static const char *const tail[] = { "unique_constraints", "foreign_key_constraints", "storage_type",
					    "partition_live_number", "primary_index_cache_expire_sec" };
	for (size_t i = 0; i < SU_LEN(tail); i++)
		if ((v = props_get(in, tail[i])))
			props_set(out, tail[i], v);
	props_set(out, "compression", (v = props_get(in, "compression")) ? v : "LZ4");
}

static void
print_props(struct sb *b, const struct props *p)
{
	sb_puts(b, "\nPROPERTIES (");
	for (int i = 0; i < p->n; i++) {
		sb_puts(b, i ? ",\n" : "\n");
		quoted(b, p->e[i].k);
		sb_puts(b, " = ");
		quoted(b, p->e[i].v);
	}
	sb_puts(b, "\n)");
}

char *
dpr_table(const struct cluster *c, const struct table *t)
{
	struct sb b;
	struct props out = { 0 };

	sb_init(&b);
	sb_puts(&b, "CREATE TABLE ");
	ident(&b, t->name);
	sb_puts(&b, " (\n");
	for (int i = 0; i < t->ncols; i++) {
		column(&b, t, &t->cols[i]);
		sb_puts(&b, i + 1 < t->ncols || t->nbidx ? ",\n" : "\n");
	}
	for (int i = 0; i < t->nbidx; i++) {
		sb_printf(&b, "  INDEX %s (", t->bidx[i].name);
		idents(&b, t->bidx[i].cols, ", ");
		sb_printf(&b, ") USING BITMAP COMMENT '%s'%s\n", t->bidx[i].comment ? t->bidx[i].comment : "",
			  i + 1 < t->nbidx ? "," : "");
	}
	sb_puts(&b, ") ENGINE=OLAP \n");
	sb_printf(&b, "%s(", cat_model_keys(t->model));
	for (int i = 0; i < t->nkeys; i++) {
		if (i)
			sb_puts(&b, ", ");
		ident(&b, t->cols[i].name);
	}
	sb_putc(&b, ')');
	if (t->comment && *t->comment) {
		sb_puts(&b, "\nCOMMENT ");
		quoted(&b, t->comment);
	}
	partitions(&b, c, t);
	distribution(&b, t);
	if (t->order_cols) {
		sb_puts(&b, "\nORDER BY(");
		idents(&b, t->order_cols, ", ");
		sb_putc(&b, ')');
	}
	properties(&out, c, t);
	print_props(&b, &out);
	props_free(&out);
	sb_puts(&b, ";");
	return sb_steal(&b);
}

char *
dpr_view(const struct table *t)
{
	struct sb b;

	sb_init(&b);
	sb_puts(&b, "CREATE VIEW ");
	ident(&b, t->name);
	if (t->view_cols)
		sb_printf(&b, " %s", t->view_cols);
	if (t->comment && *t->comment) {
		sb_puts(&b, " COMMENT ");
		quoted(&b, t->comment);
	}
	sb_printf(&b, " AS %s;", t->view_def);
	return sb_steal(&b);
}

/* Output names of a select list: aliases, else the last identifier of each item. */
static void
mv_columns(struct sb *b, const char *query)
{
	struct lexer lx;

	if (!lex_init(&lx, query))
		return;
	if (!lex_kw(&lx, "SELECT")) {
		lex_free(&lx);
		return;
	}
	lex_kw(&lx, "DISTINCT");
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	int depth = 0;
	const char *last = NULL;
	for (;;) {
		const struct token *tk = lex_next(&lx);
		bool end = tk->kind == TK_EOF || (depth == 0 && tk->kind == TK_WORD && su_ieq(tk->text, "FROM"));
		if (end || (depth == 0 && tk->kind == TK_PUNCT && !strcmp(tk->text, ","))) {
			if (last)
				g_ptr_array_add(names, g_strdup(last));
			last = NULL;
			if (end)
				break;
			continue;
		}
		if (tk->kind == TK_PUNCT && !strcmp(tk->text, "("))
			depth++;
		else if (tk->kind == TK_PUNCT && !strcmp(tk->text, ")"))
			depth--;
		else if (depth == 0 && (tk->kind == TK_WORD || tk->kind == TK_QIDENT) && !su_ieq(tk->text, "AS"))
			last = tk->text;
	}
	if (names->len) {
		sb_puts(b, " (");
		for (guint i = 0; i < names->len; i++) {
			if (i)
				sb_puts(b, ", ");
			ident(b, g_ptr_array_index(names, i));
		}
		sb_putc(b, ')');
	}
	g_ptr_array_free(names, TRUE);
	lex_free(&lx);
}

char *
dpr_mv(const struct cluster *c, const struct table *t)
{
	struct sb b;
	struct props out = { 0 };
	char rn[16];

	sb_init(&b);
	sb_puts(&b, "CREATE MATERIALIZED VIEW ");
	ident(&b, t->name);
	mv_columns(&b, t->view_def);
	if (t->comment && *t->comment) {
		sb_puts(&b, "\nCOMMENT ");
		quoted(&b, t->comment);
	}
	if (t->part_expr)
		sb_printf(&b, "\nPARTITION BY %s", t->part_expr);
	distribution(&b, t);
	sb_printf(&b, "\nREFRESH %s", t->mv_refresh ? t->mv_refresh : "MANUAL");
	snprintf(rn, sizeof rn, "%d", t->replication_num);
	props_set(&out, "replication_num", rn);
	if (!c->prof.shared_data)
		props_set(&out, "replicated_storage", "true");
	else if (t->storage_volume)
		props_set(&out, "storage_volume", t->storage_volume);
	for (int i = 0; i < t->props.n; i++)
		if (!props_get(&out, t->props.e[i].k))
			props_set(&out, t->props.e[i].k, t->props.e[i].v);
	qsort(out.e, (size_t)out.n, sizeof(struct kv), kv_cmp);
	print_props(&b, &out);
	props_free(&out);
	sb_printf(&b, "\nAS %s;", t->view_def);
	return sb_steal(&b);
}
