/*
 * procrows: the rows of partitions, tablets and replicas that SHOW PROC,
 * SHOW PARTITIONS and SHOW TABLET share (part of the showproc module).
 */
#include "showproc.h"

#include <stdio.h>
#include <string.h>

#include "ddlprint.h"
#include "simutil.h"

const char *
proc_root_path(void)
{
	return "/data/starrocks/be/storage";
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
			rs_add_joined(rs, t->part_cols);
			rs_add(rs, vals);
			if (t->random_dist)
				rs_add(rs, "ALL KEY");
			else
				rs_add_joined(rs, t->dist_cols);
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
			rs_add_joined(rs, t->part_cols);
			rs_add(rs, vals);
			if (t->random_dist)
				rs_add(rs, "ALL KEY");
			else
				rs_add_joined(rs, t->dist_cols);
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
	struct node *be = sim_data_node(c, cat_replica_node(c, p, tb->slot, tb->bucket, r));
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
lake_row(struct cluster *c, const struct tab *tb, int ntitles, struct rs *rs)
{
	const struct partition *p = tb->p;
	struct node *cn = sim_data_node(c, cat_replica_node(c, p, tb->slot, tb->bucket, 0));
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
			lake_row(c, tb, n, rs);
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
void
proc_replica_rows(struct cluster *c, const struct tablet_ref *ref, struct rs *rs)
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
			lake_row(c, &tb, n, rs);
		return;
	}
	if (!rs_begin(rs, replica_titles, 20))
		return;
	for (int r = 0; r < cat_replicas(t, p); r++) {
		struct node *be = sim_data_node(c, cat_replica_node(c, p, ref->slot, ref->bucket, r));
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
