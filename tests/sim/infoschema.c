/*
 * infoschema: information_schema tables.
 */
#include "infoschema.h"

#include <stdio.h>
#include <string.h>

#include "ddlprint.h"
#include "feconfig.h"
#include "showproc.h"
#include "simutil.h"

static const char *const is_names[] = { "be_tablets", "columns", "materialized_views", "partitions_meta",
					"schemata", "tables", "tables_config", "views", NULL };

const char *const *
is_table_names(void)
{
	return is_names;
}

static void
tables_rows(struct cluster *c, const struct sel_plan *plan, struct rs *rs)
{
	static const char *const titles[] = {
		"TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "TABLE_TYPE", "ENGINE", "VERSION", "ROW_FORMAT",
		"TABLE_ROWS", "AVG_ROW_LENGTH", "DATA_LENGTH", "MAX_DATA_LENGTH", "INDEX_LENGTH", "DATA_FREE",
		"AUTO_INCREMENT", "CREATE_TIME", "UPDATE_TIME", "CHECK_TIME", "TABLE_COLLATION", "CHECKSUM",
		"CREATE_OPTIONS", "TABLE_COMMENT" };
	static const int ty[] = { 0, 0, 0, 0, 0, CT_BIGINT, 0, CT_BIGINT, CT_BIGINT, CT_BIGINT, CT_BIGINT,
				  CT_BIGINT, CT_BIGINT, CT_BIGINT, CT_DATETIME, CT_DATETIME, CT_DATETIME, 0,
				  CT_BIGINT, 0, 0 };
	GHashTable *sch = is_eq_set(plan, "TABLE_SCHEMA"), *nam = is_eq_set(plan, "TABLE_NAME");
	char tb[32];

	if (!rs_begin(rs, titles, 21))
		goto out;
	is_types(rs, ty, 21);
	FOR_TABLES(c, sch, nam, d, t) {
		if (rs_stop(rs))
			goto out;
		/* InformationSchemaDataSource: -1 (DEF_NULL_NUM, a NULL cell) for what
		 * it does not know, and the sizes of views; unset strings are empty */
		bool olap = t->kind != TK_VIEW;
		int64_t rows = olap ? cat_table_rows(t) : 0, size = olap ? cat_table_size(t) : 0;
		rs_add(rs, "def");
		rs_add(rs, d->name);
		rs_add(rs, t->name);
		rs_add(rs, t->kind == TK_OLAP ? "BASE TABLE" : "VIEW");
		rs_add(rs, olap ? "StarRocks" : "");
		rs_add(rs, NULL);
		rs_add(rs, "");
		if (olap) {
			rs_addi(rs, rows);
			rs_addi(rs, rows ? size / rows : 0);
			rs_addi(rs, size);
		} else {
			for (int i = 0; i < 3; i++)
				rs_add(rs, NULL);
		}
		for (int i = 0; i < 4; i++)
			rs_add(rs, NULL);
		rs_add(rs, su_fmt_time(tb, sizeof tb, t->create_time));
		rs_add(rs, olap ? su_fmt_time(tb, sizeof tb, t->update_time) : NULL);
		rs_add(rs, NULL);
		rs_add(rs, "utf8_general_ci");
		rs_add(rs, NULL);
		rs_add(rs, "");
		rs_add(rs, t->comment ? t->comment : "");
		rs_end_row(rs);
	}
	for (const char *const *n = is_names; *n && is_allowed(sch, "information_schema"); n++) {
		if (!is_allowed(nam, *n) || (!strcmp(*n, "partitions_meta") && !prof_has_partitions_meta(&c->prof)))
			continue;
		const char *cells[] = { "def", "information_schema", *n, "SYSTEM VIEW", "MEMORY", NULL, "" };
		for (size_t i = 0; i < 21; i++)
			rs_add(rs, i < 7 ? cells[i] : i == 17 ? "utf8_general_ci" : i >= 19 ? "" : NULL);
		rs_end_row(rs);
	}
out:
	is_set_free(sch);
	is_set_free(nam);
}

static void
props_json(struct sb *b, const struct cluster *c, const struct table *t)
{
	/* the same properties SHOW CREATE TABLE prints, as a JSON object */
	char *ddl = dpr_table(c, t);
	const char *p = strstr(ddl, "\nPROPERTIES (\n");

	sb_putc(b, '{');
	if (p) {
		p += strlen("\nPROPERTIES (\n");
		bool first = true;
		while (*p == '"') {
			const char *k = p + 1, *ke = strchr(k, '"');
			const char *v = ke ? strstr(ke, "= \"") : NULL;
			if (!v)
				break;
			v += 3;
			const char *ve = strchr(v, '"');
			if (!ve)
				break;
			sb_printf(b, "%s\"%.*s\":\"%.*s\"", first ? "" : ",", (int)(ke - k), k, (int)(ve - v), v);
			first = false;
			p = ve + 1;
			if (strncmp(p, ",\n", 2) != 0)
				break;
			p += 2;
		}
	}
	sb_putc(b, '}');
	g_free(ddl);
}

/* "`a`, `b`": names quoted as the FE quotes them here (no doubling). */
static void
quoted(struct sb *b, char **names, int n)
{
	sb_reset(b);
	sb_put(b, "", 0);
	for (int i = 0; names && (n < 0 ? names[i] != NULL : i < n); i++)
		sb_printf(b, "%s`%s`", i ? ", " : "", names[i]);
}

/*
 * InformationSchemaDataSource.genNormalTableConfigInfo: TABLE_ENGINE is the
 * table type (OLAP, CLOUD_NATIVE, MATERIALIZED_VIEW, ...), PRIMARY_KEY only
 * for primary and unique keys, SORT_KEY the sort key or else the key columns.
 * Before 3.3 PARTITION_KEY is filled for range partitioning only and
 * DISTRIBUTE_TYPE is always HASH; from 3.3 on every partition column and the
 * real type. A view gets a row too, with nothing but its names (the BE fills
 * the unset fields with empty strings and zeros).
 */
static void
tables_config_rows(struct cluster *c, const struct sel_plan *plan, struct rs *rs)
{
	static const char *const titles[] = { "TABLE_SCHEMA", "TABLE_NAME", "TABLE_ENGINE", "TABLE_MODEL",
					      "PRIMARY_KEY", "PARTITION_KEY", "DISTRIBUTE_KEY", "DISTRIBUTE_TYPE",
					      "DISTRIBUTE_BUCKET", "SORT_KEY", "PROPERTIES", "TABLE_ID" };
	GHashTable *sch = is_eq_set(plan, "TABLE_SCHEMA"), *nam = is_eq_set(plan, "TABLE_NAME");
	bool v33 = c->prof.v >= PV(3, 3, 0);
	struct sb b;
	char **keys = NULL;

	sb_init(&b);
	if (!rs_begin(rs, titles, 12))
		goto out;
	rs_type(rs, 8, CT_INT);
	rs_type(rs, 11, CT_BIGINT);
	FOR_TABLES(c, sch, nam, d, t) {
		if (rs_stop(rs))
			goto out;
		rs_add(rs, d->name);
		rs_add(rs, t->name);
		if (t->kind == TK_VIEW) {
			for (int i = 2; i < 12; i++)
				rs_add(rs, i == 8 || i == 11 ? "0" : "");
			rs_end_row(rs);
			continue;
		}
		if (t->kind == TK_MV)
			rs_add(rs, t->cloud_native ? "CLOUD_NATIVE_MATERIALIZED_VIEW" : "MATERIALIZED_VIEW");
		else
			rs_add(rs, t->cloud_native ? "CLOUD_NATIVE" : "OLAP");
		rs_add(rs, cat_model_keys_type(t->model));
		g_free(keys);
		keys = g_new0(char *, t->nkeys + 1);
		for (int i = 0; i < t->nkeys; i++)
			keys[i] = t->cols[i].name;
		quoted(&b, keys, t->nkeys);
		rs_add(rs, t->model == MODEL_PRIMARY || t->model == MODEL_UNIQUE ? b.p : "");
		bool range = t->ptype == PT_RANGE || t->ptype == PT_EXPR_RANGE || t->ptype == PT_EXPR_RANGE_V2;
		quoted(&b, v33 || range ? t->part_cols : NULL, -1);
		rs_add(rs, b.p);
		quoted(&b, t->random_dist ? NULL : t->dist_cols, -1);
		rs_add(rs, b.p);
		rs_add(rs, v33 && t->random_dist ? "RANDOM" : "HASH");
		rs_addi(rs, t->buckets);
		quoted(&b, t->order_cols ? t->order_cols : keys, -1);
		rs_add(rs, b.p);
		sb_reset(&b);
		props_json(&b, c, t);
		rs_add(rs, b.p);
		rs_addi(rs, t->id);
		rs_end_row(rs);
	}
out:
	g_free(keys);
	sb_free(&b);
	is_set_free(sch);
	is_set_free(nam);
}

static void
columns_rows(struct cluster *c, const struct sel_plan *plan, struct rs *rs)
{
	static const char *const titles[] = {
		"TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "ORDINAL_POSITION", "COLUMN_DEFAULT",
		"IS_NULLABLE", "DATA_TYPE", "CHARACTER_MAXIMUM_LENGTH", "CHARACTER_OCTET_LENGTH",
		"NUMERIC_PRECISION", "NUMERIC_SCALE", "DATETIME_PRECISION", "CHARACTER_SET_NAME", "COLLATION_NAME",
		"COLUMN_TYPE", "COLUMN_KEY", "EXTRA", "PRIVILEGES", "COLUMN_COMMENT", "COLUMN_SIZE",
		"DECIMAL_DIGITS", "GENERATION_EXPRESSION", "SRS_ID" };
	GHashTable *sch = is_eq_set(plan, "TABLE_SCHEMA"), *nam = is_eq_set(plan, "TABLE_NAME");

	if (!rs_begin(rs, titles, 24))
		goto out;
	rs_type(rs, 4, CT_BIGINT);
	FOR_TABLES(c, sch, nam, d, t) {
		if (rs_stop(rs))
			goto out;
		for (int i = 0; i < t->ncols; i++) {
			const struct column *col = &t->cols[i];
			char *dtype = g_strndup(col->type, strcspn(col->type, "(<"));
			rs_add(rs, "def");
			rs_add(rs, d->name);
			rs_add(rs, t->name);
			rs_add(rs, col->name);
			rs_addi(rs, i + 1);
			rs_add(rs, cat_col_default(col));
			rs_add(rs, col->nullable ? "YES" : "NO");
			rs_add(rs, dtype);
			for (int k = 0; k < 5; k++)
				rs_add(rs, NULL);
			rs_add(rs, NULL);
			rs_add(rs, NULL);
			rs_add(rs, col->type);
			rs_add(rs, col->key ? (t->model == MODEL_PRIMARY ? "PRI" : t->model == MODEL_UNIQUE ? "UNI" :
					       t->model == MODEL_AGG ? "AGG" : "DUP") : "");
			rs_add(rs, col->agg ? col->agg : "");
			rs_add(rs, "SELECT,INSERT,UPDATE,REFERENCES");
			rs_add(rs, col->comment ? col->comment : "");
			rs_add(rs, NULL);
			rs_add(rs, NULL);
			rs_add(rs, col->generated);
			rs_add(rs, NULL);
			rs_end_row(rs);
			g_free(dtype);
		}
	}
out:
	is_set_free(sch);
	is_set_free(nam);
}

static void
views_rows(struct cluster *c, const struct sel_plan *plan, struct rs *rs)
{
	static const char *const titles[] = { "TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "VIEW_DEFINITION",
					      "CHECK_OPTION", "IS_UPDATABLE", "DEFINER", "SECURITY_TYPE",
					      "CHARACTER_SET_CLIENT", "COLLATION_CONNECTION" };
	GHashTable *sch = is_eq_set(plan, "TABLE_SCHEMA"), *nam = is_eq_set(plan, "TABLE_NAME");

	if (!rs_begin(rs, titles, 10))
		goto out;
	FOR_TABLES(c, sch, nam, d, t) {
		if (t->kind != TK_VIEW)
			continue;
		rs_add(rs, "def");
		rs_add(rs, d->name);
		rs_add(rs, t->name);
		rs_add(rs, t->view_def);
		rs_add(rs, "NONE");
		rs_add(rs, "NO");
		rs_add(rs, "");
		rs_add(rs, "");
		rs_add(rs, "utf8");
		rs_add(rs, "utf8_general_ci");
		rs_end_row(rs);
	}
out:
	is_set_free(sch);
	is_set_free(nam);
}

static void
schemata_rows(struct cluster *c, const struct sel_plan *plan, struct rs *rs)
{
	static const char *const titles[] = { "CATALOG_NAME", "SCHEMA_NAME", "DEFAULT_CHARACTER_SET_NAME",
					      "DEFAULT_COLLATION_NAME", "SQL_PATH" };

	(void)plan;
	if (!rs_begin(rs, titles, 5))
		return;
	GPtrArray *dbs = cat_dbs_sorted(c, false);
	for (guint i = 0; i <= dbs->len; i++) {
		rs_add(rs, "def");
		rs_add(rs, i < dbs->len ? ((struct db *)g_ptr_array_index(dbs, i))->name : "information_schema");
		rs_add(rs, "utf8");
		rs_add(rs, "utf8_general_ci");
		rs_add(rs, NULL);
		rs_end_row(rs);
	}
	g_ptr_array_free(dbs, TRUE);
}

void
is_mv_rows(struct cluster *c, struct db *only, const char *like, bool upper, struct rs *rs)
{
	static const char *const base[] = {
		"id", "database_name", "name", "refresh_type", "is_active", "inactive_reason", "partition_type",
		"task_id", "task_name", "last_refresh_start_time", "last_refresh_finished_time",
		"last_refresh_duration", "last_refresh_state", "last_refresh_force_refresh",
		"last_refresh_start_partition", "last_refresh_end_partition", "last_refresh_base_refresh_partitions",
		"last_refresh_mv_refresh_partitions", "last_refresh_error_code", "last_refresh_error_message", "rows",
		"text", "extra_message", "query_rewrite_status", "creator", "last_refresh_process_time",
		"last_refresh_job_id" };
	static const char *const up_first[] = { "MATERIALIZED_VIEW_ID", "TABLE_SCHEMA", "TABLE_NAME" };
	int n = 22;
	char *names[32];
	const char *titles[32];

	if (c->prof.v >= PV(3, 3, 0))
		n = 24;
	if (prof_since(&c->prof, 0, 0, PV(3, 3, 4), PV(3, 4, 0), PV(3, 5, 0)))
		n = 25;
	if (c->prof.v >= PV(3, 5, 0))
		n = 27;
	for (int i = 0; i < n; i++) {
		if (!upper)
			names[i] = g_strdup(base[i]);
		else if (i < 3)
			names[i] = g_strdup(up_first[i]);
		else if (i == 20)
			names[i] = g_strdup("TABLE_ROWS");
		else if (i == 21)
			names[i] = g_strdup("MATERIALIZED_VIEW_DEFINITION");
		else
			names[i] = g_ascii_strup(base[i], -1);
		titles[i] = names[i];
	}
	if (!rs_begin(rs, titles, n))
		goto out;
	for (guint di = 0; di < c->dbs->len; di++) {
		struct db *d = g_ptr_array_index(c->dbs, di);
		if (only && d != only)
			continue;
		for (guint ti = 0; ti < d->tables->len; ti++) {
			struct table *t = g_ptr_array_index(d->tables, ti);
			for (int s = t->kind == TK_MV ? 0 : 1; s < t->ntidx; s++) {
				/* async MVs are tables; sync MVs are rollup indexes of their base table */
				const char *name = t->kind == TK_MV ? t->name : t->tidx[s].name;
				if (like && !su_like(name, like, false))
					continue;
				rs_addi(rs, t->kind == TK_MV ? t->id : t->tidx[s].id);
				rs_add(rs, d->name);
				rs_add(rs, name);
				rs_add(rs, t->kind == TK_MV ? (t->mv_refresh && su_istarts(t->mv_refresh, "ASYNC") ? "ASYNC"
							       : "MANUAL") : "ROLLUP");
				rs_add(rs, "true");
				rs_add(rs, "");
				/* an async MV's own partitioning, a rollup its base table's */
				if (t->kind == TK_MV)
					rs_add(rs, t->part_expr ? "RANGE" : "UNPARTITIONED");
				else
					rs_add(rs, cat_ptype_name(t->ptype));
				for (int k = 7; k < 20; k++)
					rs_add(rs, k == 12 ? "SUCCESS" : k == 13 ? "false" : "");
				/* text: getMaterializedViewDdlStmt for an async MV; for a rollup its
				 * CREATE statement on one line, its rows only when unpartitioned */
				if (t->kind == TK_MV) {
					char *ddl = dpr_mv(c, t);
					rs_addi(rs, cat_table_rows(t));
					rs_add(rs, ddl);
					g_free(ddl);
				} else {
					rs_addi(rs, t->ptype == PT_UNPARTITIONED ? cat_table_rows(t) : 0);
					rs_addf(rs, "CREATE MATERIALIZED VIEW %s AS %s", t->tidx[s].name, t->tidx[s].mv_def);
				}
				for (int k = 22; k < n; k++)
					rs_add(rs, k == 23 ? "VALID" : "");
				rs_end_row(rs);
				if (t->kind == TK_MV)
					break;
			}
		}
	}
out:
	for (int i = 0; i < n; i++)
		g_free(names[i]);
}

static void
mvs_rows(struct cluster *c, const struct sel_plan *plan, struct rs *rs)
{
	(void)plan;
	is_mv_rows(c, NULL, NULL, true, rs);
}

struct is_table {
	const char *name;
	void (*produce)(struct cluster *c, const struct sel_plan *plan, struct rs *rs);
	bool (*exists)(const struct profile *p);
};

static const struct is_table tables[] = {
	{ "tables", tables_rows, NULL },
	{ "tables_config", tables_config_rows, NULL },
	{ "partitions_meta", is_partitions_meta_rows, prof_has_partitions_meta },
	{ "be_tablets", is_be_tablets_rows, NULL },
	{ "materialized_views", mvs_rows, NULL },
	{ "columns", columns_rows, NULL },
	{ "views", views_rows, NULL },
	{ "schemata", schemata_rows, NULL },
};

bool
is_produce(struct cluster *c, const char *name, const struct sel_plan *plan, struct rs *rs)
{
	for (size_t i = 0; i < SU_LEN(tables); i++)
		if (g_ascii_strcasecmp(tables[i].name, name) == 0) {
			if (tables[i].exists && !tables[i].exists(&c->prof))
				return false;
			tables[i].produce(c, plan, rs);
			return true;
		}
	return false;
}
