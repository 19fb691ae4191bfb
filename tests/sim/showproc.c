/*
 * showproc: SHOW PROC paths and the partition and tablet rows.
 */
#include "showproc.h"

#include <stdio.h>
#include <string.h>

#include "ddlprint.h"
#include "dispatch.h"
#include "errs.h"
#include "jobs.h"
#include "shownodes.h"
#include "simutil.h"
#include "txn.h"

const char *
proc_root_path(void)
{
	return "/data/starrocks/be/storage";
}

static void
join_names(struct sb *b, char **names)
{
	for (int i = 0; names && names[i]; i++)
		sb_printf(b, "%s%s", i ? ", " : "", names[i]);
}

static void
add_joined(struct rs *rs, char **names)
{
	struct sb b;

	sb_init(&b);
	sb_put(&b, "", 0);
	join_names(&b, names);
	rs_add(rs, b.p);
	sb_free(&b);
}

/* --- partitions ----------------------------------------------------------------------- */

void
proc_partition_rows(struct cluster *c, const struct table *t, bool temp, struct rs *rs)
{
	const char *titles[32];
	int n = 0;
	bool lake = t->cloud_native;
	bool dv = prof_has_data_version(&c->prof);
	bool ss = prof_has_storage_size(&c->prof);
	const char *values = t->ptype == PT_LIST ? "List" : "Range";

	titles[n++] = "PartitionId";
	titles[n++] = "PartitionName";
	if (lake) {
		static const char *const l1[] = { "CompactVersion", "VisibleVersion", "NextVersion", "State",
						  "PartitionKey" };
		for (size_t i = 0; i < SU_LEN(l1); i++)
			titles[n++] = l1[i];
		titles[n++] = values;
		titles[n++] = "DistributionKey";
		titles[n++] = "Buckets";
		titles[n++] = "DataSize";
		if (ss)
			titles[n++] = "StorageSize";
		static const char *const l2[] = { "RowCount", "EnableDataCache", "AsyncWrite", "AvgCS", "P50CS",
						  "MaxCS" };
		for (size_t i = 0; i < SU_LEN(l2); i++)
			titles[n++] = l2[i];
	} else {
		static const char *const o1[] = { "VisibleVersion", "VisibleVersionTime", "VisibleVersionHash",
						  "State", "PartitionKey" };
		for (size_t i = 0; i < SU_LEN(o1); i++)
			titles[n++] = o1[i];
		titles[n++] = values;
		static const char *const o2[] = { "DistributionKey", "Buckets", "ReplicationNum", "StorageMedium",
						  "CooldownTime", "LastConsistencyCheckTime", "DataSize" };
		for (size_t i = 0; i < SU_LEN(o2); i++)
			titles[n++] = o2[i];
		if (ss)
			titles[n++] = "StorageSize";
		titles[n++] = "IsInMemory";
		titles[n++] = "RowCount";
	}
	if (dv) {
		titles[n++] = "DataVersion";
		titles[n++] = "VersionEpoch";
		titles[n++] = "VersionTxnType";
	}
	if (lake && c->prof.v >= PV(4, 0, 0))
		titles[n++] = "MetaSwitchVersion";
	if (!rs_begin(rs, titles, n))
		return;

	GPtrArray *ps = cat_parts_sorted(t, temp);
	char tb[32], sz[32];
	for (guint i = 0; i < ps->len && !rs_stop(rs); i++) {
		const struct partition *p = g_ptr_array_index(ps, i);
		char *vals = dpr_part_values(t, p);
		rs_addi(rs, p->phys_id);
		rs_add(rs, p->name);
		if (lake) {
			rs_addi(rs, p->compact_version);
			rs_addi(rs, p->visible_version);
			rs_addi(rs, p->next_version);
			rs_add(rs, "NORMAL");
			add_joined(rs, t->part_cols);
			rs_add(rs, vals);
			if (t->random_dist)
				rs_add(rs, "ALL KEY");
			else
				add_joined(rs, t->dist_cols);
			rs_addi(rs, p->buckets);
			rs_add(rs, su_fmt_bytesize(sz, sizeof sz, p->size));
			if (ss)
				rs_add(rs, su_fmt_bytesize(sz, sizeof sz, p->size));
			rs_addi(rs, p->rows);
			rs_add(rs, "true");
			rs_add(rs, "false");
			rs_add(rs, "0.00");
			rs_add(rs, "0.00");
			rs_add(rs, "0.00");
		} else {
			rs_addi(rs, p->visible_version);
			rs_add(rs, su_fmt_time(tb, sizeof tb, p->visible_time));
			rs_add(rs, "0");
			rs_add(rs, "NORMAL");
			add_joined(rs, t->part_cols);
			rs_add(rs, vals);
			if (t->random_dist)
				rs_add(rs, "ALL KEY");
			else
				add_joined(rs, t->dist_cols);
			rs_addi(rs, p->buckets);
			rs_addi(rs, p->replication_num);
			rs_add(rs, p->storage_medium);
			rs_add(rs, strcmp(p->storage_medium, "SSD") == 0 ? "\\N" : "9999-12-31 23:59:59");
			rs_add(rs, "\\N");
			rs_add(rs, su_fmt_bytesize(sz, sizeof sz, p->size));
			if (ss)
				rs_add(rs, su_fmt_bytesize(sz, sizeof sz, p->size));
			rs_add(rs, "false");
			rs_addi(rs, p->rows);
		}
		if (dv) {
			rs_addi(rs, p->data_version);
			rs_addi(rs, p->version_epoch);
			rs_add(rs, p->txn_replication ? "TXN_REPLICATION" : "TXN_NORMAL");
		}
		if (lake && c->prof.v >= PV(4, 0, 0))
			rs_add(rs, "0");
		rs_end_row(rs);
		g_free(vals);
	}
	g_ptr_array_free(ps, TRUE);
}

/* --- tablets -------------------------------------------------------------------------- */

struct tab {
	int64_t id;
	const struct partition *p;
	int slot, bucket;
};

static gint
tab_cmp(gconstpointer a, gconstpointer b)
{
	int64_t x = ((const struct tab *)a)->id, y = ((const struct tab *)b)->id;

	return x < y ? -1 : x > y;
}

static int
tablet_titles(struct cluster *c, const struct table *t, const char **titles)
{
	int n = 0;

	if (t->cloud_native) {
		titles[n++] = "TabletId";
		titles[n++] = "BackendId";
		titles[n++] = "DataSize";
		titles[n++] = "RowCount";
		if (prof_since(&c->prof, 0, 0, PV(3, 3, 12), PV(3, 4, 2), PV(3, 5, 0)))
			titles[n++] = "MinVersion";
		if (c->prof.v >= PV(4, 0, 0))
			titles[n++] = "VirtualBuckets";
		return n;
	}
	static const char *const base[] = {
		"TabletId", "ReplicaId", "BackendId", "SchemaHash", "Version", "VersionHash", "LstSuccessVersion",
		"LstSuccessVersionHash", "LstFailedVersion", "LstFailedVersionHash", "LstFailedTime", "DataSize",
		"RowCount", "State", "LstConsistencyCheckTime", "CheckVersion", "CheckVersionHash", "VersionCount",
		"PathHash", "MetaUrl", "CompactionStatus" };
	for (size_t i = 0; i < SU_LEN(base); i++)
		titles[n++] = base[i];
	if (prof_since(&c->prof, 0, 0, PV(3, 3, 4), PV(3, 4, 0), PV(3, 5, 0)))
		titles[n++] = "DiskRootPath";
	if (prof_since(&c->prof, 0, 0, PV(3, 3, 12), PV(3, 4, 2), PV(3, 5, 0))) {
		titles[n++] = "IsConsistent";
		titles[n++] = "Checksum";
	}
	return n;
}

void
proc_tablet_titles(struct cluster *c, const struct table *t, struct rs *rs)
{
	const char *titles[32];
	int n = tablet_titles(c, t, titles);

	rs_begin(rs, titles, n);
}

static int64_t
version_count(const struct partition *p)
{
	return p->visible_version < 10 ? p->visible_version : 10;
}

static void
local_row(struct cluster *c, const struct table *t, const struct tab *tb, int r, int ntitles, struct rs *rs)
{
	const struct partition *p = tb->p;
	struct node *be = sim_data_node(c, cat_replica_node(c, t, p, tb->slot, tb->bucket, r));
	char sz[32];

	rs_addi(rs, tb->id);
	rs_addi(rs, cat_replica_id(t, p, tb->slot, tb->bucket, r));
	rs_addi(rs, be->id);
	rs_add(rs, "0");
	rs_addi(rs, p->visible_version);
	rs_add(rs, "0");
	rs_addi(rs, p->visible_version);
	rs_add(rs, "0");
	rs_add(rs, "-1");
	rs_add(rs, "0");
	rs_add(rs, "\\N");
	rs_add(rs, su_fmt_bytesize(sz, sizeof sz, cat_bucket_share(p->size, p->buckets, tb->bucket)));
	rs_addi(rs, cat_bucket_share(p->rows, p->buckets, tb->bucket));
	rs_add(rs, "NORMAL");
	rs_add(rs, "\\N");
	rs_add(rs, "-1");
	rs_add(rs, "0");
	rs_addi(rs, version_count(p));
	rs_addi(rs, (int64_t)(be->path_hash >> 1));
	rs_addf(rs, "http://%s:8040/api/meta/header/%lld", be->host, (long long)tb->id);
	rs_addf(rs, "http://%s:8040/api/compaction/show?tablet_id=%lld", be->host, (long long)tb->id);
	if (ntitles > 21)
		rs_add(rs, proc_root_path());
	if (ntitles > 22) {
		rs_add(rs, "true");
		rs_add(rs, "-1");
	}
	rs_end_row(rs);
}

static void
lake_row(struct cluster *c, const struct table *t, const struct tab *tb, int ntitles, struct rs *rs)
{
	const struct partition *p = tb->p;
	struct node *cn = sim_data_node(c, cat_replica_node(c, t, p, tb->slot, tb->bucket, 0));
	char sz[32];

	rs_addi(rs, tb->id);
	rs_addf(rs, "[%lld]", (long long)cn->id);
	rs_add(rs, su_fmt_bytesize(sz, sizeof sz, cat_bucket_share(p->size, p->buckets, tb->bucket)));
	rs_addi(rs, cat_bucket_share(p->rows, p->buckets, tb->bucket));
	if (ntitles > 4)
		rs_addi(rs, p->visible_version);
	if (ntitles > 5)
		rs_add(rs, "[]");
	rs_end_row(rs);
}

void
proc_tablet_rows(struct cluster *c, const struct table *t, GPtrArray *parts, int slot, struct rs *rs)
{
	const char *titles[32];
	int n = tablet_titles(c, t, titles);
	GArray *all = g_array_new(FALSE, FALSE, sizeof(struct tab));
	GPtrArray *ps = parts ? parts : t->parts;

	if (!rs_begin(rs, titles, n))
		goto out;
	for (guint i = 0; i < ps->len; i++) {
		const struct partition *p = g_ptr_array_index(ps, i);
		for (int s = 0; s < t->ntidx; s++) {
			if (slot >= 0 && s != slot)
				continue;
			for (int b = 0; b < p->buckets; b++) {
				struct tab tb = { cat_tablet_id(t, p, s, b), p, s, b };
				g_array_append_val(all, tb);
			}
		}
	}
	g_array_sort(all, tab_cmp);
	for (guint i = 0; i < all->len && !rs_stop(rs); i++) {
		const struct tab *tb = &g_array_index(all, struct tab, i);
		if (t->cloud_native) {
			lake_row(c, t, tb, n, rs);
			continue;
		}
		for (int r = 0; r < cat_replicas(t, tb->p); r++)
			local_row(c, t, tb, r, n, rs);
	}
out:
	g_array_free(all, TRUE);
}

static const char *const replica_titles[] = {
		"ReplicaId", "BackendId", "Version", "VersionHash", "LstSuccessVersion", "LstSuccessVersionHash",
		"LstFailedVersion", "LstFailedVersionHash", "LstFailedTime", "SchemaHash", "DataSize", "RowCount",
		"State", "IsBad", "IsSetBadForce", "VersionCount", "PathHash", "MetaUrl", "CompactionStatus",
		"IsErrorState" };

/* ReplicasProcNode; ref NULL for a tablet id nobody holds (no rows). */
static void
replica_rows(struct cluster *c, const struct tablet_ref *ref, struct rs *rs)
{
	if (!ref) {
		rs_begin(rs, replica_titles, 20);
		return;
	}
	const struct table *t = ref->t;
	const struct partition *p = ref->p;
	int64_t tid = cat_tablet_id(t, p, ref->slot, ref->bucket);

	if (t->cloud_native) {
		struct tab tb = { tid, p, ref->slot, ref->bucket };
		const char *lt[32];
		int n = tablet_titles(c, t, lt);
		if (rs_begin(rs, lt, n))
			lake_row(c, t, &tb, n, rs);
		return;
	}
	if (!rs_begin(rs, replica_titles, 20))
		return;
	for (int r = 0; r < cat_replicas(t, p); r++) {
		struct node *be = sim_data_node(c, cat_replica_node(c, t, p, ref->slot, ref->bucket, r));
		rs_addi(rs, cat_replica_id(t, p, ref->slot, ref->bucket, r));
		rs_addi(rs, be->id);
		rs_addi(rs, p->visible_version);
		rs_add(rs, "0");
		rs_addi(rs, p->visible_version);
		rs_add(rs, "0");
		rs_add(rs, "-1");
		rs_add(rs, "0");
		rs_add(rs, "\\N");
		rs_addi(rs, t->tidx[ref->slot].schema_hash);
		rs_addi(rs, cat_bucket_share(p->size, p->buckets, ref->bucket));
		rs_addi(rs, cat_bucket_share(p->rows, p->buckets, ref->bucket));
		rs_add(rs, "NORMAL");
		rs_add(rs, "false");
		rs_add(rs, "false");
		rs_addi(rs, version_count(p));
		rs_addi(rs, (int64_t)(be->path_hash >> 1));
		rs_addf(rs, "http://%s:8040/api/meta/header/%lld", be->host, (long long)tid);
		rs_addf(rs, "http://%s:8040/api/compaction/show?tablet_id=%lld", be->host, (long long)tid);
		rs_add(rs, "false");
		rs_end_row(rs);
	}
}

/* --- the tree ---------------------------------------------------------------------------- */

static void
dbs_rows(struct cluster *c, struct rs *rs)
{
	static const char *const titles[] = { "DbId", "DbName", "TableNum", "Quota", "LastConsistencyCheckTime",
					      "ReplicaQuota" };
	char q[64];

	if (!rs_begin(rs, titles, 6))
		return;
	GPtrArray *dbs = cat_dbs_sorted(c, true);
	for (guint i = 0; i < dbs->len; i++) {
		struct db *d = g_ptr_array_index(dbs, i);
		rs_addi(rs, d->id);
		rs_add(rs, d->name);
		rs_addi(rs, d->tables->len);
		rs_add(rs, su_fmt_byte_unit(q, sizeof q, d->quota));
		rs_add(rs, "\\N");
		rs_addi(rs, d->replica_quota);
		rs_end_row(rs);
	}
	g_ptr_array_free(dbs, TRUE);
}

static const char *
table_type(const struct table *t)
{
	if (t->kind == TK_VIEW)
		return "VIEW";
	if (t->kind == TK_MV)
		return t->cloud_native ? "CLOUD_NATIVE_MATERIALIZED_VIEW" : "MATERIALIZED_VIEW";
	return t->cloud_native ? "CLOUD_NATIVE" : "OLAP";
}

static void
tables_rows(struct cluster *c, struct db *d, struct rs *rs)
{
	static const char *const titles[] = { "TableId", "TableName", "IndexNum", "PartitionColumnName",
					      "PartitionNum", "State", "Type", "LastConsistencyCheckTime",
					      "ReplicaCount", "PartitionType", "StoragePath" };

	if (!rs_begin(rs, titles, 11))
		return;
	/* creation order is id order */
	for (guint i = 0; i < d->tables->len && !rs_stop(rs); i++) {
		struct table *t = g_ptr_array_index(d->tables, i);
		bool olap = t->kind != TK_VIEW;
		rs_addi(rs, t->id);
		rs_add(rs, t->name);
		if (olap)
			rs_addi(rs, t->ntidx);
		else
			rs_add(rs, "\\N");
		if (olap)
			add_joined(rs, t->part_cols);
		else
			rs_add(rs, "\\N");
		bool counted = olap && (t->ptype == PT_RANGE || t->ptype == PT_EXPR_RANGE || t->ptype == PT_LIST);
		rs_addi(rs, counted ? cat_part_count(t, false) : 1);
		rs_add(rs, olap ? "NORMAL" : "\\N");
		rs_add(rs, table_type(t));
		rs_add(rs, "\\N");
		rs_addi(rs, olap ? cat_table_replica_count(t) : 0);
		rs_add(rs, olap ? cat_ptype_name(t->ptype) : "UNPARTITIONED");
		if (t->cloud_native) {
			struct volume *v = NULL;
			for (guint k = 0; k < c->volumes->len; k++) {
				struct volume *x = g_ptr_array_index(c->volumes, k);
				if (t->storage_volume && strcmp(x->name, t->storage_volume) == 0)
					v = x;
			}
			rs_addf(rs, "%s/%s/db%lld/%lld", v ? v->location : "s3://bucket", c->service_id ? c->service_id : "",
				(long long)d->id, (long long)t->id);
		} else {
			rs_add(rs, "\\N");
		}
		rs_end_row(rs);
	}
}

static void
index_rows(struct cluster *c, const struct table *t, struct rs *rs)
{
	static const char *const titles[] = { "IndexId", "IndexName", "State", "LastConsistencyCheckTime",
					      "VirtualBuckets", "Tablets" };
	int n = c->prof.v >= PV(4, 0, 0) ? 6 : 4;

	if (!rs_begin(rs, titles, n))
		return;
	for (int s = 0; s < t->ntidx; s++) {
		rs_addi(rs, t->tidx[s].id);
		rs_add(rs, t->tidx[s].name);
		rs_add(rs, "NORMAL");
		rs_add(rs, "\\N");
		if (n > 4) {
			rs_add(rs, "[]");
			rs_add(rs, "[]");
		}
		rs_end_row(rs);
	}
}

static void
index_schema_rows(const struct table *t, struct rs *rs)
{
	static const char *const titles[] = { "IndexId", "IndexName", "SchemaVersion", "SchemaHash",
					      "ShortKeyColumnCount", "StorageType", "Keys" };

	if (!rs_begin(rs, titles, 7))
		return;
	for (int s = 0; s < t->ntidx; s++) {
		const struct tindex *ix = &t->tidx[s];
		struct sb keys;
		sb_init(&keys);
		sb_printf(&keys, "%s(", cat_model_keys_type(t->model));
		int nk = 0;
		for (int i = 0; i < t->nkeys; i++) {
			const char *cn = t->cols[i].name;
			if (ix->cols && !g_strv_contains((const char *const *)ix->cols, cn))
				continue;
			sb_printf(&keys, "%s%s", nk++ ? ", " : "", cn);
		}
		sb_putc(&keys, ')');
		rs_addi(rs, ix->id);
		rs_add(rs, ix->name);
		rs_addi(rs, ix->schema_version);
		rs_addi(rs, ix->schema_hash);
		rs_addi(rs, ix->short_keys);
		rs_add(rs, "COLUMN");
		rs_add(rs, keys.p);
		sb_free(&keys);
		rs_end_row(rs);
	}
}

static int
not_found(struct qctx *q, const char *path)
{
	return q_error(q, E_SYNTAX, "Proc path '%s' doesn't exist", path);
}

static int
table_path(struct qctx *q, struct db *d, char **parts, int np, const char *path)
{
	struct cluster *c = q->cl;
	struct table *t = cat_table_lookup(d, parts[2]);

	if (!t)
		return q_error(q, E_SYNTAX, "unknown table id or name \"%s\"", parts[2]);
	if (np == 3) {
		static const char *const nodes[] = { "Nodes" };
		if (rs_begin(q->rs, nodes, 1)) {
			static const char *const rows[] = { "partitions", "temp_partitions", "index_schema" };
			for (size_t i = 0; i < SU_LEN(rows); i++) {
				rs_add(q->rs, rows[i]);
				rs_end_row(q->rs);
			}
		}
		return 0;
	}
	if (t->kind == TK_VIEW)
		return not_found(q, path);
	if (np == 4 && strcmp(parts[3], "index_schema") == 0) {
		index_schema_rows(t, q->rs);
		return 0;
	}
	bool temp = strcmp(parts[3], "temp_partitions") == 0;
	if (!temp && strcmp(parts[3], "partitions") != 0)
		return not_found(q, path);
	if (np == 4) {
		proc_partition_rows(c, t, temp, q->rs);
		return 0;
	}
	struct partition *p = cat_part_lookup(t, parts[4]);
	if (!p)
		return q_error(q, E_SYNTAX, "Unknown partition id or name \"%s\"", parts[4]);
	if (np == 5) {
		index_rows(c, t, q->rs);
		return 0;
	}
	int64_t iid;
	if (!su_parse_i64(parts[5], &iid))
		return q_error(q, E_SYNTAX, "Invalid index id format: %s", parts[5]);
	int slot = -1;
	for (int s = 0; s < t->ntidx; s++)
		if (t->tidx[s].id == iid)
			slot = s;
	if (slot < 0)
		return q_error(q, E_SYNTAX, "Index[%lld] does not exist.", (long long)iid);
	if (np == 6) {
		GPtrArray *one = g_ptr_array_new();
		g_ptr_array_add(one, p);
		proc_tablet_rows(c, t, one, slot, q->rs);
		g_ptr_array_free(one, TRUE);
		return 0;
	}
	int64_t tid;
	if (np != 7)
		return not_found(q, path);
	if (!su_parse_i64(parts[6], &tid))
		return q_error(q, E_SYNTAX, "Invalid tablet id format: %s", parts[6]);
	struct tablet_ref ref;
	bool found = cat_tablet_find(c, tid, &ref) && ref.replica == -1;
	replica_rows(c, found ? &ref : NULL, q->rs);
	return 0;
}

static int
transactions_path(struct qctx *q, char **parts, int np, const char *path)
{
	struct cluster *c = q->cl;

	if (np == 1) {
		static const char *const titles[] = { "DbId", "DbName" };
		if (rs_begin(q->rs, titles, 2)) {
			GPtrArray *dbs = cat_dbs_sorted(c, true);
			for (guint i = 0; i < dbs->len; i++) {
				struct db *d = g_ptr_array_index(dbs, i);
				rs_addi(q->rs, d->id);
				rs_add(q->rs, d->name);
				rs_end_row(q->rs);
			}
			g_ptr_array_free(dbs, TRUE);
		}
		return 0;
	}
	struct db *d = cat_db_lookup(c, parts[1]);
	if (!d)
		return q_error(q, E_SYNTAX, "Unknown database id or name \"%s\"", parts[1]);
	if (np == 2) {
		static const char *const titles[] = { "State", "Number" };
		if (rs_begin(q->rs, titles, 2)) {
			rs_add(q->rs, "running");
			rs_addi(q->rs, d->txn_running->len);
			rs_end_row(q->rs);
			rs_add(q->rs, "finished");
			rs_addi(q->rs, g_queue_get_length(d->txn_finished));
			rs_end_row(q->rs);
		}
		return 0;
	}
	if (strcmp(parts[2], "running") != 0 && strcmp(parts[2], "finished") != 0)
		return q_error(q, E_SYNTAX, "State is invalid");
	if (np == 3) {
		txn_rows(d, strcmp(parts[2], "running") == 0, q->rs);
		return 0;
	}
	return not_found(q, path);
}

int
proc_stmt(struct qctx *q)
{
	const char *path;
	struct cluster *c = q->cl;
	int rc;

	lex_kw(q->lx, "SHOW");
	lex_kw(q->lx, "PROC");
	if (!lex_string(q->lx, &path) || !lex_at_end(q->lx))
		return q_syntax(q);
	if ((rc = q_need_operate(q)))
		return rc;
	if (path[0] != '/')
		return q_error(q, E_SYNTAX, "Path must starts with '/'");
	char **parts = g_strsplit(path + 1, "/", -1);
	int np = 0;
	while (parts[np])
		np++;
	while (np > 0 && !*parts[np - 1])
		np--;
	rc = 0;
	if (np == 0) {
		static const char *const titles[] = { "name" };
		static const char *const roots[] = { "backends", "compute_nodes", "dbs", "frontends", "replications",
						     "transactions" };
		if (rs_begin(q->rs, titles, 1))
			for (size_t i = 0; i < SU_LEN(roots); i++) {
				if (!strcmp(roots[i], "replications") && !prof_has_replications_proc(&c->prof))
					continue;
				rs_add(q->rs, roots[i]);
				rs_end_row(q->rs);
			}
	} else if (!strcmp(parts[0], "dbs")) {
		if (np == 1) {
			dbs_rows(c, q->rs);
		} else {
			struct db *d = cat_db_lookup(c, parts[1]);
			if (!d)
				rc = q_error(q, E_SYNTAX, "Unknown database id or name \"%s\"", parts[1]);
			else if (np == 2)
				tables_rows(c, d, q->rs);
			else
				rc = table_path(q, d, parts, np, path);
		}
	} else if (!strcmp(parts[0], "transactions")) {
		rc = transactions_path(q, parts, np, path);
	} else if (!strcmp(parts[0], "replications") && np == 1 && prof_has_replications_proc(&c->prof)) {
		jobs_rows(c, q->rs);
	} else if (!strcmp(parts[0], "frontends") && np == 1) {
		shn_frontends(c, q->rs);
	} else if (!strcmp(parts[0], "backends") && np == 1) {
		shn_backends(c, q->rs);
	} else if (!strcmp(parts[0], "compute_nodes") && np == 1) {
		shn_compute_nodes(c, q->rs);
	} else {
		rc = not_found(q, path);
	}
	g_strfreev(parts);
	return rc;
}
