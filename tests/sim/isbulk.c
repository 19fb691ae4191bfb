/*
 * isbulk: the information_schema tables with a row per partition or per
 * replica (partitions_meta, be_tablets), and the pushdown of equality and IN
 * conditions every information_schema table uses (part of the infoschema
 * module).
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
GHashTable *
is_eq_set(const struct sel_plan *p, const char *col)
{
	GHashTable *set = NULL;
	bool none = false;

	if (p)
		collect(p->where, col, &set, &none);
	return set;
}

bool
is_allowed(GHashTable *set, const char *v)
{
	return !set || g_hash_table_contains(set, v);
}

bool
is_allowed_i(GHashTable *set, int64_t v)
{
	char b[32];

	if (!set)
		return true;
	snprintf(b, sizeof b, "%lld", (long long)v);
	return g_hash_table_contains(set, b);
}

void
is_set_free(GHashTable *s)
{
	if (s)
		g_hash_table_destroy(s);
}

void
is_types(struct rs *rs, const int *t, int n)
{
	for (int i = 0; i < n; i++)
		if (t[i])
			rs_type(rs, i, t[i]);
}

void
is_partitions_meta_rows(struct cluster *c, const struct sel_plan *plan, struct rs *rs)
{
	const char *titles[40];
	int ty[40] = { 0 };
	int n = 0;
	bool dv = prof_has_data_version(&c->prof);
	/* TPartitionMetaInfo.data_size is a string the FE fills with
	 * ByteSizeValue.toString() ("1.2KB"); the 4.1 table declares a BIGINT */
	bool text_size = c->prof.v < PV(4, 1, 0);
	GHashTable *sch = is_eq_set(plan, "DB_NAME"), *nam = is_eq_set(plan, "TABLE_NAME");
	char tb[32], sz[32];
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
	COL("DATA_SIZE", text_size ? 0 : CT_BIGINT);
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
	is_types(rs, ty, n);
	int64_t produced = 0;
	FOR_TABLES(c, sch, nam, d, t) {
		if (rs_stop(rs))
			goto out;
		if (t->kind == TK_VIEW)
			continue;
		/* past the cap no further table starts; a started one is returned whole */
		if (produced >= cap)
			goto out;
		/* per table: the partition and distribution keys */
		char *key = dpr_partition_key(c, t);
		struct sb k;
		sb_init(&k);
		sb_put(&k, "", 0);
		for (int j = 0; t->dist_cols && t->dist_cols[j]; j++)
			sb_printf(&k, "%s%s", j ? ", " : "", t->dist_cols[j]);
		for (guint i = 0; i < t->parts->len; i++) {
			const struct partition *p = g_ptr_array_index(t->parts, i);
			char *vals = dpr_part_values(t, p);
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
			rs_add(rs, key);
			rs_add(rs, vals);
			rs_add(rs, t->random_dist ? "ALL KEY" : k.p);
			rs_addi(rs, p->buckets);
			rs_addi(rs, t->cloud_native ? 1 : p->replication_num);
			rs_add(rs, t->cloud_native ? "" : p->storage_medium);
			rs_add(rs, t->cloud_native ? NULL : "9999-12-31 23:59:59");
			rs_add(rs, NULL);
			rs_add(rs, "0");
			rs_add(rs, p->temp ? "1" : "0");
			if (text_size)
				rs_add(rs, su_fmt_bytesize(sz, sizeof sz, p->size));
			else
				rs_addi(rs, p->size);
			rs_addi(rs, p->rows);
			rs_add(rs, t->cloud_native ? "1" : "0");
			rs_add(rs, "0");
			rs_add(rs, "0");
			rs_add(rs, "0");
			if (t->cloud_native)
				rs_addf(rs, "%s/%s/db%lld/%lld/%lld", cat_table_location(c, t), c->service_id ? c->service_id : "",
					(long long)d->id, (long long)t->id, (long long)p->phys_id);
			else
				rs_add(rs, "");
			if (prof_has_storage_size(&c->prof))
				rs_addi(rs, p->size);
			if (c->prof.v >= PV(4, 0, 0))
				rs_addi(rs, 0);
			rs_end_row(rs);
			g_free(vals);
			produced++;
		}
		sb_free(&k);
		g_free(key);
	}
out:
	is_set_free(sch);
	is_set_free(nam);
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

void
is_be_tablets_rows(struct cluster *c, const struct sel_plan *plan, struct rs *rs)
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
	GHashTable *tids = is_eq_set(plan, "TABLE_ID"), *bids = is_eq_set(plan, "BE_ID");

	if (!rs_begin(rs, titles, n))
		goto out;
	is_types(rs, ty, n);
	/* each BE reports its own local tablets; shared-data CNs have none */
	if (c->prof.shared_data)
		goto out;
	for (int bi = 0; bi < c->nbe && !rs_stop(rs); bi++) {
		struct node *be = &c->bes[bi];
		if (!is_allowed_i(bids, be->id))
			continue;
		for (guint di = 0; di < c->dbs->len; di++) {
			struct db *d = g_ptr_array_index(c->dbs, di);
			for (guint ti = 0; ti < d->tables->len && !rs_stop(rs); ti++) {
				struct table *t = g_ptr_array_index(d->tables, ti);
				if (t->kind == TK_VIEW || !is_allowed_i(tids, t->id))
					continue;
				for (guint pi = 0; pi < t->parts->len; pi++) {
					const struct partition *p = g_ptr_array_index(t->parts, pi);
					for (int s = 0; s < t->ntidx; s++)
						for (int b = 0; b < p->buckets; b++) {
							/* the replica of bucket b this BE holds, if any
							 * (replica r sits on node (offset + b + r) % n) */
							int r = ((bi - p->be_offset[s] - b) % nn + nn) % nn;
							if (r >= p->replication_num ||
							    cat_replica_node(c, p, s, b, r) != bi)
								continue;
							be_tablet_row(rs, be, t, p, s, b, n);
						}
				}
			}
		}
	}
out:
	is_set_free(tids);
	is_set_free(bids);
}
