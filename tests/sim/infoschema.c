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

/* --- pushdown: col = 'v' / col IN (...) in the top-level AND chain --------------------- */

static void
collect(const struct sel_expr *e, const char *col, GHashTable **set, bool *contradiction)
{
	if (!e)
		return;
	if (e->op == SX_AND) {
		collect(e->a, col, set, contradiction);
		collect(e->b, col, set, contradiction);
		return;
	}
	bool eq = e->op == SX_CMP && strcmp(e->cmp, "=") == 0;
	bool in = e->op == SX_IN && !e->negate;
	if (!(eq || in) || !e->col || g_ascii_strcasecmp(e->col, col) != 0)
		return;
	GHashTable *mine = g_hash_table_new(g_str_hash, g_str_equal);
	for (int i = 0; i < e->nvals; i++)
		if (e->vals[i])
			g_hash_table_add(mine, e->vals[i]);
	if (!*set) {
		*set = mine;
		return;
	}
	/* two conditions on one column: keep what both allow */
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, *set);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (!g_hash_table_contains(mine, k))
			g_hash_table_iter_remove(&it);
	g_hash_table_destroy(mine);
	if (!g_hash_table_size(*set))
		*contradiction = true;
}

/* NULL when unconstrained; the caller frees the set (not its strings). */
static GHashTable *
eq_set(const struct sel_plan *p, const char *col)
{
	GHashTable *set = NULL;
	bool none = false;

	if (p)
		collect(p->where, col, &set, &none);
	return set;
}

static bool
allowed(GHashTable *set, const char *v)
{
	return !set || g_hash_table_contains(set, v);
}

static bool
allowed_i(GHashTable *set, int64_t v)
{
	char b[32];

	if (!set)
		return true;
	snprintf(b, sizeof b, "%lld", (long long)v);
	return g_hash_table_contains(set, b);
}

static void
set_free(GHashTable *s)
{
	if (s)
		g_hash_table_destroy(s);
}

static void
types(struct rs *rs, const int *t, int n)
{
	for (int i = 0; i < n; i++)
		if (t[i])
			rs_type(rs, i, t[i]);
}

/* Tables in db order then creation order, narrowed by schema and name sets. */
#define FOR_TABLES(c, sch, nam, d, t)                                                         \
	for (guint _di = 0; _di < (c)->dbs->len; _di++)                                        \
		for (struct db *d = g_ptr_array_index((c)->dbs, _di); d && allowed(sch, d->name); d = NULL) \
			for (guint _ti = 0; _ti < d->tables->len; _ti++)                       \
				for (struct table *t = g_ptr_array_index(d->tables, _ti);      \
				     t && allowed(nam, t->name); t = NULL)

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
	GHashTable *sch = eq_set(plan, "TABLE_SCHEMA"), *nam = eq_set(plan, "TABLE_NAME");
	char tb[32];

	if (!rs_begin(rs, titles, 21))
		goto out;
	types(rs, ty, 21);
	FOR_TABLES(c, sch, nam, d, t) {
		if (rs_stop(rs))
			goto out;
		bool olap = t->kind != TK_VIEW;
		int64_t rows = olap ? cat_table_rows(t) : 0, size = olap ? cat_table_size(t) : 0;
		rs_add(rs, "def");
		rs_add(rs, d->name);
		rs_add(rs, t->name);
		rs_add(rs, t->kind == TK_OLAP ? "BASE TABLE" : "VIEW");
		rs_add(rs, olap ? "StarRocks" : NULL);
		rs_add(rs, NULL);
		rs_add(rs, NULL);
		rs_addi(rs, rows);
		rs_addi(rs, rows ? size / rows : 0);
		rs_addi(rs, size);
		rs_addi(rs, 0);
		rs_addi(rs, 0);
		rs_addi(rs, 0);
		rs_add(rs, NULL);
		rs_add(rs, su_fmt_time(tb, sizeof tb, t->create_time));
		rs_add(rs, su_fmt_time(tb, sizeof tb, t->update_time));
		rs_add(rs, NULL);
		rs_add(rs, "utf8_general_ci");
		rs_add(rs, NULL);
		rs_add(rs, "");
		rs_add(rs, t->comment ? t->comment : "");
		rs_end_row(rs);
	}
	for (const char *const *n = is_names; *n && allowed(sch, "information_schema"); n++) {
		if (!allowed(nam, *n) || (!strcmp(*n, "partitions_meta") && !prof_has_partitions_meta(&c->prof)))
			continue;
		const char *cells[] = { "def", "information_schema", *n, "SYSTEM VIEW", "MEMORY" };
		for (size_t i = 0; i < 21; i++)
			rs_add(rs, i < 5 ? cells[i] : (i == 7 || i == 8 || i == 9 ? "0" : NULL));
		rs_end_row(rs);
	}
out:
	set_free(sch);
	set_free(nam);
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

static void
idents(struct sb *b, char **names)
{
	for (int i = 0; names && names[i]; i++) {
		if (i)
			sb_puts(b, ", ");
		sb_ident(b, names[i]);
	}
}

static void
tables_config_rows(struct cluster *c, const struct sel_plan *plan, struct rs *rs)
{
	static const char *const titles[] = { "TABLE_SCHEMA", "TABLE_NAME", "TABLE_ENGINE", "TABLE_MODEL",
					      "PRIMARY_KEY", "PARTITION_KEY", "DISTRIBUTE_KEY", "DISTRIBUTE_TYPE",
					      "DISTRIBUTE_BUCKET", "SORT_KEY", "PROPERTIES", "TABLE_ID" };
	GHashTable *sch = eq_set(plan, "TABLE_SCHEMA"), *nam = eq_set(plan, "TABLE_NAME");
	struct sb b;

	sb_init(&b);
	if (!rs_begin(rs, titles, 12))
		goto out;
	rs_type(rs, 8, CT_BIGINT);
	rs_type(rs, 11, CT_BIGINT);
	FOR_TABLES(c, sch, nam, d, t) {
		if (rs_stop(rs))
			goto out;
		if (t->kind == TK_VIEW)
			continue;
		rs_add(rs, d->name);
		rs_add(rs, t->name);
		rs_add(rs, t->cloud_native ? "CLOUD_NATIVE" : "OLAP");
		rs_add(rs, cat_model_keys_type(t->model));
		sb_reset(&b);
		sb_put(&b, "", 0);
		for (int i = 0; i < t->nkeys; i++) {
			if (i)
				sb_puts(&b, ", ");
			sb_ident(&b, t->cols[i].name);
		}
		rs_add(rs, b.p);
		sb_reset(&b);
		sb_put(&b, "", 0);
		idents(&b, t->part_cols);
		rs_add(rs, b.p);
		sb_reset(&b);
		sb_put(&b, "", 0);
		idents(&b, t->dist_cols);
		rs_add(rs, b.p);
		rs_add(rs, t->random_dist ? "RANDOM" : "HASH");
		rs_addi(rs, t->buckets);
		sb_reset(&b);
		sb_put(&b, "", 0);
		if (t->order_cols)
			idents(&b, t->order_cols);
		else
			for (int i = 0; i < t->nkeys; i++)
				sb_printf(&b, "%s`%s`", i ? ", " : "", t->cols[i].name);
		rs_add(rs, b.p);
		sb_reset(&b);
		props_json(&b, c, t);
		rs_add(rs, b.p);
		rs_addi(rs, t->id);
		rs_end_row(rs);
	}
out:
	sb_free(&b);
	set_free(sch);
	set_free(nam);
}

static void
partitions_meta_rows(struct cluster *c, const struct sel_plan *plan, struct rs *rs)
{
	const char *titles[40];
	int ty[40] = { 0 };
	int n = 0;
	bool dv = prof_has_data_version(&c->prof);
	GHashTable *sch = eq_set(plan, "DB_NAME"), *nam = eq_set(plan, "TABLE_NAME");
	char tb[32];
	int64_t cap = cfg_int(c, "max_get_partitions_meta_result_count", 100000);

#define COL(name, type) do { ty[n] = (type); titles[n++] = (name); } while (0)
	COL("DB_NAME", 0);
	COL("TABLE_NAME", 0);
	COL("PARTITION_NAME", 0);
	COL("PARTITION_ID", CT_BIGINT);
	COL("COMPACT_VERSION", CT_BIGINT);
	COL("VISIBLE_VERSION", CT_BIGINT);
	COL("VISIBLE_VERSION_TIME", CT_DATETIME);
	COL("NEXT_VERSION", CT_BIGINT);
	if (dv) {
		COL("DATA_VERSION", CT_BIGINT);
		COL("VERSION_EPOCH", CT_BIGINT);
		COL("VERSION_TXN_TYPE", 0);
	}
	COL("PARTITION_KEY", 0);
	COL("PARTITION_VALUE", 0);
	COL("DISTRIBUTION_KEY", 0);
	COL("BUCKETS", CT_INT);
	COL("REPLICATION_NUM", CT_INT);
	COL("STORAGE_MEDIUM", 0);
	COL("COOLDOWN_TIME", CT_DATETIME);
	COL("LAST_CONSISTENCY_CHECK_TIME", CT_DATETIME);
	COL("IS_IN_MEMORY", CT_TINY);
	COL("IS_TEMP", CT_TINY);
	COL("DATA_SIZE", CT_BIGINT);
	COL("ROW_COUNT", CT_BIGINT);
	COL("ENABLE_DATACACHE", CT_TINY);
	COL("AVG_CS", CT_DOUBLE);
	COL("P50_CS", CT_DOUBLE);
	COL("MAX_CS", CT_DOUBLE);
	COL("STORAGE_PATH", 0);
	if (prof_has_storage_size(&c->prof))
		COL("STORAGE_SIZE", CT_BIGINT);
	if (c->prof.v >= PV(4, 0, 0))
		COL("METADATA_SWITCH_VERSION", CT_BIGINT);
#undef COL
	if (!rs_begin(rs, titles, n))
		goto out;
	types(rs, ty, n);
	int64_t produced = 0;
	FOR_TABLES(c, sch, nam, d, t) {
		if (rs_stop(rs))
			goto out;
		if (t->kind == TK_VIEW)
			continue;
		/* past the cap no further table starts; a started one is returned whole */
		if (produced >= cap)
			goto out;
		for (guint i = 0; i < t->parts->len; i++) {
			const struct partition *p = g_ptr_array_index(t->parts, i);
			char *vals = dpr_part_values(t, p);
			struct sb k;
			sb_init(&k);
			sb_put(&k, "", 0);
			for (int j = 0; t->part_cols && t->part_cols[j]; j++)
				sb_printf(&k, "%s%s", j ? ", " : "", t->part_cols[j]);
			rs_add(rs, d->name);
			rs_add(rs, t->name);
			rs_add(rs, p->name);
			rs_addi(rs, p->phys_id);
			rs_addi(rs, p->compact_version);
			rs_addi(rs, p->visible_version);
			rs_add(rs, su_fmt_time(tb, sizeof tb, p->visible_time));
			rs_addi(rs, p->next_version);
			if (dv) {
				rs_addi(rs, p->data_version);
				rs_addi(rs, p->version_epoch);
				rs_add(rs, p->txn_replication ? "TXN_REPLICATION" : "TXN_NORMAL");
			}
			rs_add(rs, k.p);
			rs_add(rs, vals);
			sb_reset(&k);
			sb_put(&k, "", 0);
			for (int j = 0; t->dist_cols && t->dist_cols[j]; j++)
				sb_printf(&k, "%s%s", j ? ", " : "", t->dist_cols[j]);
			rs_add(rs, t->random_dist ? "ALL KEY" : k.p);
			rs_addi(rs, p->buckets);
			rs_addi(rs, t->cloud_native ? 1 : p->replication_num);
			rs_add(rs, t->cloud_native ? "" : p->storage_medium);
			rs_add(rs, t->cloud_native ? NULL : "9999-12-31 23:59:59");
			rs_add(rs, NULL);
			rs_add(rs, "0");
			rs_add(rs, p->temp ? "1" : "0");
			rs_addi(rs, p->size);
			rs_addi(rs, p->rows);
			rs_add(rs, t->cloud_native ? "1" : "0");
			rs_add(rs, "0");
			rs_add(rs, "0");
			rs_add(rs, "0");
			if (t->cloud_native)
				rs_addf(rs, "%s/%s/db%lld/%lld/%lld", "s3://bucket", c->service_id ? c->service_id : "",
					(long long)d->id, (long long)t->id, (long long)p->phys_id);
			else
				rs_add(rs, "");
			if (prof_has_storage_size(&c->prof))
				rs_addi(rs, p->size);
			if (c->prof.v >= PV(4, 0, 0))
				rs_addi(rs, 0);
			rs_end_row(rs);
			sb_free(&k);
			g_free(vals);
			produced++;
		}
	}
out:
	set_free(sch);
	set_free(nam);
}

/* One be_tablets row: replica of bucket b of index slot s of p, on be. */
static void
be_tablet_row(struct rs *rs, const struct node *be, const struct table *t, const struct partition *p, int s,
	      int b, int ncols)
{
	static const char *const types_[] = { "DUP", "AGG", "UNIQUE", "PRIMARY" };
	int64_t tid = cat_tablet_id(t, p, s, b);
	int64_t vc = p->visible_version < 10 ? p->visible_version : 10;

	rs_addi(rs, be->id);
	rs_addi(rs, t->id);
	rs_addi(rs, p->phys_id);
	rs_addi(rs, tid);
	rs_addi(rs, vc);
	rs_addi(rs, p->visible_version);
	rs_addi(rs, p->visible_version - vc + 1 > 0 ? p->visible_version - vc + 1 : 0);
	rs_addi(rs, vc);
	rs_addi(rs, cat_bucket_share(p->rows, p->buckets, b));
	rs_addi(rs, cat_bucket_share(p->size, p->buckets, b));
	rs_addi(rs, 0);
	rs_addi(rs, p->create_time / 1000);
	rs_add(rs, "RUNNING");
	rs_add(rs, types_[t->model]);
	rs_add(rs, proc_root_path());
	rs_addi(rs, (int64_t)(su_mix((uint64_t)tid) % 1024));
	rs_addi(rs, t->tidx[s].schema_hash);
	rs_addi(rs, 0);
	rs_add(rs, p->storage_medium);
	if (ncols > 19)
		rs_addi(rs, vc);
	rs_end_row(rs);
}

static void
be_tablets_rows(struct cluster *c, const struct sel_plan *plan, struct rs *rs)
{
	static const char *const titles[] = {
		"BE_ID", "TABLE_ID", "PARTITION_ID", "TABLET_ID", "NUM_VERSION", "MAX_VERSION", "MIN_VERSION",
		"NUM_ROWSET", "NUM_ROW", "DATA_SIZE", "INDEX_MEM", "CREATE_TIME", "STATE", "TYPE", "DATA_DIR",
		"SHARD_ID", "SCHEMA_HASH", "INDEX_DISK", "MEDIUM_TYPE", "NUM_SEGMENT" };
	static const int ty[] = { CT_BIGINT, CT_BIGINT, CT_BIGINT, CT_BIGINT, CT_BIGINT, CT_BIGINT, CT_BIGINT,
				  CT_BIGINT, CT_BIGINT, CT_BIGINT, CT_BIGINT, CT_BIGINT, 0, 0, 0, CT_BIGINT,
				  CT_BIGINT, CT_BIGINT, 0, CT_BIGINT };
	int n = prof_since(&c->prof, PV(3, 1, 9), PV(3, 2, 3), PV(3, 3, 0), PV(3, 4, 0), PV(3, 5, 0)) ? 20 : 19;
	int nn = sim_data_nodes(c) ? sim_data_nodes(c) : 1;
	GHashTable *tids = eq_set(plan, "TABLE_ID"), *bids = eq_set(plan, "BE_ID");

	if (!rs_begin(rs, titles, n))
		goto out;
	types(rs, ty, n);
	/* each BE reports its own local tablets; shared-data CNs have none */
	if (c->prof.shared_data)
		goto out;
	for (int bi = 0; bi < c->nbe && !rs_stop(rs); bi++) {
		struct node *be = &c->bes[bi];
		if (!allowed_i(bids, be->id))
			continue;
		for (guint di = 0; di < c->dbs->len; di++) {
			struct db *d = g_ptr_array_index(c->dbs, di);
			for (guint ti = 0; ti < d->tables->len && !rs_stop(rs); ti++) {
				struct table *t = g_ptr_array_index(d->tables, ti);
				if (t->kind == TK_VIEW || !allowed_i(tids, t->id))
					continue;
				for (guint pi = 0; pi < t->parts->len; pi++) {
					const struct partition *p = g_ptr_array_index(t->parts, pi);
					for (int s = 0; s < t->ntidx; s++)
						for (int b = 0; b < p->buckets; b++) {
							/* the replica of bucket b this BE holds, if any
							 * (replica r sits on node (offset + b + r) % n) */
							int r = ((bi - p->be_offset[s] - b) % nn + nn) % nn;
							if (r >= p->replication_num ||
							    cat_replica_node(c, t, p, s, b, r) != bi)
								continue;
							be_tablet_row(rs, be, t, p, s, b, n);
						}
				}
			}
		}
	}
out:
	set_free(tids);
	set_free(bids);
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
	GHashTable *sch = eq_set(plan, "TABLE_SCHEMA"), *nam = eq_set(plan, "TABLE_NAME");

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
			rs_add(rs, col->default_sql);
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
	set_free(sch);
	set_free(nam);
}

static void
views_rows(struct cluster *c, const struct sel_plan *plan, struct rs *rs)
{
	static const char *const titles[] = { "TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "VIEW_DEFINITION",
					      "CHECK_OPTION", "IS_UPDATABLE", "DEFINER", "SECURITY_TYPE",
					      "CHARACTER_SET_CLIENT", "COLLATION_CONNECTION" };
	GHashTable *sch = eq_set(plan, "TABLE_SCHEMA"), *nam = eq_set(plan, "TABLE_NAME");

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
	set_free(sch);
	set_free(nam);
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
				rs_add(rs, t->kind == TK_MV && t->part_expr ? "RANGE" : "UNPARTITIONED");
				for (int k = 7; k < 20; k++)
					rs_add(rs, k == 12 ? "SUCCESS" : k == 13 ? "false" : "");
				rs_addi(rs, cat_table_rows(t));
				rs_add(rs, t->kind == TK_MV ? t->view_def : t->tidx[s].mv_def);
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
	{ "partitions_meta", partitions_meta_rows, prof_has_partitions_meta },
	{ "be_tablets", be_tablets_rows, NULL },
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
