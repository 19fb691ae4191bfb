/*
 * shownodes: SHOW FRONTENDS / BACKENDS / COMPUTE NODES (facts 4.1) and the
 * matching proc nodes, with the columns of the emulated version and run mode.
 */
#include "shownodes.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "dispatch.h"
#include "feconfig.h"
#include "net.h"
#include "simutil.h"

/* A row filled by title, emitted in the order of the version's title list. */
struct krow {
	const char *const *titles;
	int n;
	char **vals;
};

static void
kr_init(struct krow *k, const char *const *titles, int n)
{
	k->titles = titles;
	k->n = n;
	k->vals = g_new0(char *, n);
}

static void
kr_set(struct krow *k, const char *title, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
kr_set(struct krow *k, const char *title, const char *fmt, ...)
{
	va_list ap;

	for (int i = 0; i < k->n; i++)
		if (strcmp(k->titles[i], title) == 0) {
			g_free(k->vals[i]);
			va_start(ap, fmt);
			k->vals[i] = g_strdup_vprintf(fmt, ap);
			va_end(ap);
			return;
		}
}

static void
kr_emit(struct krow *k, struct rs *rs)
{
	for (int i = 0; i < k->n; i++) {
		rs_add(rs, k->vals[i] ? k->vals[i] : "");
		g_free(k->vals[i]);
		k->vals[i] = NULL;
	}
	rs_end_row(rs);
}

static void
kr_free(struct krow *k)
{
	for (int i = 0; i < k->n; i++)
		g_free(k->vals[i]);
	g_free(k->vals);
}

static const char *
full_version(const struct cluster *c, char *buf, size_t n)
{
	snprintf(buf, n, "%s-%s", c->prof.version, c->prof.commit);
	return buf;
}

void
shn_frontends(struct cluster *c, struct rs *rs)
{
	static const char *const titles[] = { "Id", "Name", "IP", "EditLogPort", "HttpPort", "QueryPort", "RpcPort",
					      "Role", "ClusterId", "Join", "Alive", "ReplayedJournalId",
					      "LastHeartbeat", "IsHelper", "ErrMsg", "StartTime", "Version" };
	bool has_id = c->prof.v >= PV(3, 5, 0);
	const char *const *t = has_id ? titles : titles + 1;
	int n = has_id ? 17 : 16;
	struct krow k;
	char tb[32], vb[64];

	if (!rs_begin(rs, t, n))
		return;
	kr_init(&k, t, n);
	struct node *leader = sim_leader(c);
	for (int i = 0; i < c->nfe; i++) {
		struct node *fe = &c->fes[i];
		bool alive = !atomic_load(&fe->down);
		kr_set(&k, "Id", "%lld", (long long)fe->id);
		kr_set(&k, "Name", "%s", fe->name);
		kr_set(&k, "IP", "%s", fe->host);
		kr_set(&k, "EditLogPort", "9010");
		kr_set(&k, "HttpPort", "8030");
		kr_set(&k, "QueryPort", "9030");
		kr_set(&k, "RpcPort", "9020");
		kr_set(&k, "Role", "%s", fe == leader ? "LEADER" : "FOLLOWER");
		kr_set(&k, "ClusterId", "%d", c->cluster_id);
		kr_set(&k, "Join", "true");
		kr_set(&k, "Alive", "%s", alive ? "true" : "false");
		kr_set(&k, "ReplayedJournalId", "%lld", (long long)c->journal_id);
		kr_set(&k, "LastHeartbeat", "%s", su_fmt_time(tb, sizeof tb, su_wall_ms()));
		kr_set(&k, "IsHelper", "%s", i == 0 ? "true" : "false");
		kr_set(&k, "ErrMsg", "%s", alive ? "" : "java.net.ConnectException: Connection refused");
		kr_set(&k, "StartTime", "%s", alive ? su_fmt_time(tb, sizeof tb, fe->start_time) : "NULL");
		kr_set(&k, "Version", "%s", full_version(c, vb, sizeof vb));
		kr_emit(&k, rs);
	}
	kr_free(&k);
}

int
shn_disk_pct(const struct cluster *c, const struct node *n)
{
	int pct = atomic_load(&n->disk_pct);

	return pct >= 0 ? pct : c->disk_used_pct;
}

/* Replicas (shared-nothing) or tablets (shared-data) every data node holds,
 * and their bytes, indexed like cat_replica_node: one pass over the catalog. */
static void
node_loads(struct cluster *c, int64_t **tablets, int64_t **bytes)
{
	int nd = sim_data_nodes(c);

	*tablets = g_new0(int64_t, nd + 1);
	*bytes = g_new0(int64_t, nd + 1);
	if (nd == 0)
		return;
	for (guint d = 0; d < c->dbs->len; d++) {
		struct db *db = g_ptr_array_index(c->dbs, d);
		for (guint ti = 0; ti < db->tables->len; ti++) {
			struct table *t = g_ptr_array_index(db->tables, ti);
			for (guint pi = 0; t->parts && pi < t->parts->len; pi++) {
				struct partition *p = g_ptr_array_index(t->parts, pi);
				int reps = cat_replicas(t, p);
				for (int s = 0; s < t->ntidx; s++)
					for (int b = 0; b < p->buckets; b++) {
						int64_t share = cat_bucket_share(p->size, p->buckets, b);
						for (int r = 0; r < reps; r++) {
							int at = (p->be_offset[s] + b + r) % nd;
							(*tablets)[at]++;
							(*bytes)[at] += share;
						}
					}
			}
		}
	}
}

static void
common_node(struct cluster *c, struct krow *k, struct node *n, char *tb, size_t tn)
{
	char vb[64];
	bool alive = !atomic_load(&n->down);

	kr_set(k, "IP", "%s", n->host);
	kr_set(k, "HeartbeatPort", "9050");
	kr_set(k, "BePort", "9060");
	kr_set(k, "HttpPort", "8040");
	kr_set(k, "BrpcPort", "8060");
	kr_set(k, "LastStartTime", "%s", su_fmt_time(tb, tn, n->start_time));
	kr_set(k, "LastHeartbeat", "%s", su_fmt_time(tb, tn, su_wall_ms()));
	kr_set(k, "Alive", "%s", alive ? "true" : "false");
	kr_set(k, "SystemDecommissioned", "false");
	kr_set(k, "ClusterDecommissioned", "false");
	kr_set(k, "ErrMsg", "%s", alive ? "" : "java.net.ConnectException: Connection refused");
	kr_set(k, "Version", "%s", full_version(c, vb, sizeof vb));
	kr_set(k, "CpuCores", "%d", n->cpu_cores);
	kr_set(k, "MemLimit", "%s", su_fmt_byte_unit(vb, sizeof vb, n->mem_limit));
	kr_set(k, "NumRunningQueries", "0");
	kr_set(k, "MemUsedPct", "%.2f %%", 3.27);
	kr_set(k, "CpuUsedPct", "%.1f %%", 1.2);
	kr_set(k, "DataCacheMetrics", "%s", c->prof.shared_data ? "Status: Normal, DiskUsage: 0B/0B, MemUsage: 0B/0B"
								 : "N/A");
	kr_set(k, "Location", "%s", "");
	kr_set(k, "StatusCode", "%s", alive ? "OK" : "DISCONNECTED");
	kr_set(k, "HasStoragePath", "%s", c->prof.shared_data ? "true" : "false");
	kr_set(k, "StarletPort", "9070");
	kr_set(k, "WorkerId", "%lld", (long long)n->worker_id);
	kr_set(k, "WarehouseName", "default_warehouse");
}

void
shn_backends(struct cluster *c, struct rs *rs)
{
	static const char *const base[] = {
		"BackendId", "IP", "HeartbeatPort", "BePort", "HttpPort", "BrpcPort", "LastStartTime",
		"LastHeartbeat", "Alive", "SystemDecommissioned", "ClusterDecommissioned", "TabletNum",
		"DataUsedCapacity", "AvailCapacity", "TotalCapacity", "UsedPct", "MaxDiskUsedPct", "ErrMsg",
		"Version", "Status", "DataTotalCapacity", "DataUsedPct", "CpuCores" };
	const char *titles[40];
	int n = 0;
	struct krow k;
	char tb[32], vb[64];
	int64_t *tablets, *bytes_at;

	for (size_t i = 0; i < SU_LEN(base); i++)
		titles[n++] = base[i];
	if (c->prof.v >= PV(3, 4, 0))
		titles[n++] = "MemLimit";
	titles[n++] = "NumRunningQueries";
	titles[n++] = "MemUsedPct";
	titles[n++] = "CpuUsedPct";
	if (c->prof.v >= PV(3, 3, 0)) {
		titles[n++] = "DataCacheMetrics";
		titles[n++] = "Location";
	}
	if (c->prof.v >= PV(3, 4, 0))
		titles[n++] = "StatusCode";
	if (c->prof.shared_data) {
		titles[n++] = "StarletPort";
		titles[n++] = "WorkerId";
		if (c->prof.v >= PV(3, 3, 0))
			titles[n++] = "WarehouseName";
	}
	if (!rs_begin(rs, titles, n))
		return;
	kr_init(&k, titles, n);
	node_loads(c, &tablets, &bytes_at);
	for (int i = 0; i < c->nbe; i++) {
		struct node *be = &c->bes[i];
		int idx = c->prof.shared_data ? c->ncn + i : i;
		int64_t bytes = bytes_at[idx];
		int pct = shn_disk_pct(c, be);
		int64_t used = be->capacity / 100 * pct;
		if (bytes > used)
			used = bytes;
		int64_t avail = be->capacity - used > 0 ? be->capacity - used : 0;
		double used_pct = be->capacity > 0 ? (double)(be->capacity - avail) * 100.0 / (double)be->capacity : 0;
		common_node(c, &k, be, tb, sizeof tb);
		kr_set(&k, "BackendId", "%lld", (long long)be->id);
		kr_set(&k, "TabletNum", "%lld", (long long)tablets[idx]);
		kr_set(&k, "DataUsedCapacity", "%s", su_fmt_byte_unit(vb, sizeof vb, bytes));
		kr_set(&k, "AvailCapacity", "%s", su_fmt_byte_unit(vb, sizeof vb, avail));
		kr_set(&k, "TotalCapacity", "%s", su_fmt_byte_unit(vb, sizeof vb, be->capacity));
		kr_set(&k, "UsedPct", "%.2f %%", used_pct);
		kr_set(&k, "MaxDiskUsedPct", "%.2f %%", used_pct);
		kr_set(&k, "Status", "{\"lastSuccessReportTabletsTime\":\"%s\"}",
		       su_fmt_time(tb, sizeof tb, su_wall_ms()));
		kr_set(&k, "DataTotalCapacity", "%s", su_fmt_byte_unit(vb, sizeof vb, bytes + avail));
		kr_set(&k, "DataUsedPct", "%.2f %%",
		       bytes + avail > 0 ? (double)bytes * 100.0 / (double)(bytes + avail) : 0.0);
		kr_emit(&k, rs);
	}
	kr_free(&k);
	g_free(tablets);
	g_free(bytes_at);
}

void
shn_compute_nodes(struct cluster *c, struct rs *rs)
{
	static const char *const base[] = {
		"ComputeNodeId", "IP", "HeartbeatPort", "BePort", "HttpPort", "BrpcPort", "LastStartTime",
		"LastHeartbeat", "Alive", "SystemDecommissioned", "ClusterDecommissioned", "ErrMsg", "Version",
		"CpuCores" };
	const char *titles[40];
	int n = 0;
	struct krow k;
	char tb[32];
	int64_t *tablets, *bytes;

	for (size_t i = 0; i < SU_LEN(base); i++)
		titles[n++] = base[i];
	if (c->prof.v >= PV(3, 4, 0))
		titles[n++] = "MemLimit";
	titles[n++] = "NumRunningQueries";
	titles[n++] = "MemUsedPct";
	titles[n++] = "CpuUsedPct";
	if (c->prof.v >= PV(3, 3, 0))
		titles[n++] = "DataCacheMetrics";
	titles[n++] = "HasStoragePath";
	if (c->prof.v >= PV(3, 4, 0))
		titles[n++] = "StatusCode";
	if (c->prof.shared_data) {
		titles[n++] = "StarletPort";
		titles[n++] = "WorkerId";
		if (c->prof.v >= PV(3, 3, 0)) {
			titles[n++] = "WarehouseName";
			titles[n++] = "TabletNum";
		}
	}
	if (!rs_begin(rs, titles, n))
		return;
	kr_init(&k, titles, n);
	/* compute nodes hold tablets only in shared-data clusters */
	node_loads(c, &tablets, &bytes);
	for (int i = 0; i < c->ncn; i++) {
		struct node *cn = &c->cns[i];
		common_node(c, &k, cn, tb, sizeof tb);
		kr_set(&k, "ComputeNodeId", "%lld", (long long)cn->id);
		kr_set(&k, "TabletNum", "%lld", (long long)(c->prof.shared_data ? tablets[i] : 0));
		kr_emit(&k, rs);
	}
	kr_free(&k);
	g_free(tablets);
	g_free(bytes);
}
