/*
 * replication: job construction, validation and admission.
 */
#include "replication.h"

#include <stdio.h>
#include <string.h>

#include "feconfig.h"
#include "faults.h"
#include "jobs.h"
#include "simutil.h"

#define FAIL(...) do { snprintf(msg, n, __VA_ARGS__); goto fail; } while (0)

static gint
key_cmp(gconstpointer a, gconstpointer b)
{
	int64_t x = **(const gint64 *const *)a, y = **(const gint64 *const *)b;

	return x < y ? -1 : x > y;
}

/* The values of a Thrift map in key order (the FE iterates values; any order would do). */
static GPtrArray *
values(GHashTable *h)
{
	GPtrArray *keys = g_ptr_array_new(), *out = g_ptr_array_new();
	GHashTableIter it;
	gpointer k;

	if (h) {
		g_hash_table_iter_init(&it, h);
		while (g_hash_table_iter_next(&it, &k, NULL))
			g_ptr_array_add(keys, k);
	}
	g_ptr_array_sort(keys, key_cmp);
	for (guint i = 0; i < keys->len; i++)
		g_ptr_array_add(out, g_hash_table_lookup(h, g_ptr_array_index(keys, i)));
	g_ptr_array_free(keys, TRUE);
	return out;
}

static int
backend_index(GArray *backs, const srmTBackend *b)
{
	for (guint i = 0; i < backs->len; i++) {
		struct rjob_backend *x = &g_array_index(backs, struct rjob_backend, i);
		if (x->be_port == b->be_port && x->http_port == b->http_port && !strcmp(x->host, b->host ? b->host : ""))
			return (int)i;
	}
	struct rjob_backend nb = { g_strdup(b->host ? b->host : ""), b->be_port, b->http_port };
	g_array_append_val(backs, nb);
	return (int)backs->len - 1;
}

static bool
heterogeneous_replicas(const struct profile *p)
{
	return prof_since(p, PV(3, 1, 11), PV(3, 2, 5), PV(3, 3, 0), PV(3, 4, 0), PV(3, 5, 0));
}

static bool
data_version_checks(const struct profile *p)
{
	return prof_since(p, 0, 0, PV(3, 3, 10), PV(3, 4, 1), PV(3, 5, 0));
}

static bool
has_replica_cap(const struct profile *p)
{
	return prof_since(p, PV(3, 1, 12), PV(3, 2, 7), PV(3, 3, 0), PV(3, 4, 0), PV(3, 5, 0));
}

/* Tasks a tablet sends: one per target replica with a non-empty slice of the M sources. */
static int
tablet_tasks(const struct profile *p, int n_target, int m_source)
{
	if (!heterogeneous_replicas(p))
		return n_target;
	return m_source < n_target ? m_source : n_target;
}

int
repl_start(struct cluster *c, const srmTTableReplicationRequest *req, char *msg, size_t n)
{
	const struct profile *prof = &c->prof;
	struct rjob *j = g_new0(struct rjob, 1);
	GArray *parts = g_array_new(FALSE, TRUE, sizeof(struct rjob_part));
	GArray *tablets = g_array_new(FALSE, TRUE, sizeof(struct rjob_tablet));
	GArray *backs = g_array_new(FALSE, TRUE, sizeof(struct rjob_backend));
	GArray *runs = g_array_new(FALSE, FALSE, sizeof(int));
	GPtrArray *pinfos = NULL;
	bool lake = prof->v >= PV(4, 1, 0) && req->__isset_src_cluster_run_mode &&
		    req->src_cluster_run_mode == SRM_T_RUN_MODE_SHARED_DATA;

	msg[0] = '\0';
	/* 1. Preconditions.checkState(src_table_type == OLAP_TABLE): no message */
	if (!req->__isset_src_table_type || req->src_table_type != SRM_T_TABLE_TYPE_OLAP_TABLE)
		goto fail;
	/* 2-3. database, table */
	struct db *d = cat_db_by_id(c, req->database_id);
	if (!d)
		FAIL("Database %lld not found", (long long)req->database_id);
	struct table *t = cat_table_by_id(c, req->table_id);
	if (!t || t->db != d)
		FAIL("Table %lld in database %s not found", (long long)req->table_id, d->name);
	if (t->kind == TK_VIEW)
		FAIL("Table %lld in database %s is not olap table", (long long)req->table_id, d->name);
	if (lake) {
		/* LakeReplicationJob: checkArgument on the source ids, then the source volume */
		if (!req->__isset_src_database_id || req->src_database_id <= 0 || !req->__isset_src_table_id ||
		    req->src_table_id <= 0)
			goto fail;
		bool found = false;
		for (guint i = 0; i < c->volumes->len; i++)
			if (req->src_storage_volume_name &&
			    !strcmp(((struct volume *)g_ptr_array_index(c->volumes, i))->name, req->src_storage_volume_name))
				found = true;
		if (!found)
			FAIL("Source storage volume not found: %s", req->src_storage_volume_name ? req->src_storage_volume_name
												  : "");
	}
	int64_t table_size = 0;
	for (guint i = 0; i < t->parts->len; i++)
		table_size += ((struct partition *)g_ptr_array_index(t->parts, i))->size;
	j->data_size = (req->__isset_src_table_data_size ? req->src_table_data_size : 0) - table_size;

	/* 4-7. partitions, indexes, tablets */
	pinfos = values(req->partition_replication_infos);
	bool dvc = data_version_checks(prof);
	for (guint pi = 0; pi < pinfos->len; pi++) {
		srmTPartitionReplicationInfo *ip = g_ptr_array_index(pinfos, pi);
		struct partition *p = cat_part_by_phys(t, ip->partition_id);
		if (!p)
			FAIL("Partition %lld in table %s in database %s not found", (long long)ip->partition_id, t->name,
			     d->name);
		int64_t committed = p->next_version - 1;
		if (dvc ? p->committed_data_version != p->data_version : committed != p->visible_version)
			FAIL("Partition %lld in table %s in database %s publish version not finished",
			     (long long)ip->partition_id, t->name, d->name);
		int64_t have = dvc ? p->data_version : p->visible_version;
		if (have > ip->src_version) {
			if (dvc)
				FAIL("Target data version: %lld is larger than source data version: %lld", (long long)have,
				     (long long)ip->src_version);
			FAIL("Target visible version: %lld is larger than source visible version: %lld", (long long)have,
			     (long long)ip->src_version);
		}
		if (have == ip->src_version)
			continue;
		struct rjob_part rp = { .phys_id = p->phys_id, .src_version = ip->src_version,
					.src_epoch = ip->src_version_epoch,
					.has_epoch = ip->__isset_src_version_epoch && prof_has_data_version(prof),
					.src_partition_id = ip->src_partition_id };
		GPtrArray *iinfos = values(ip->index_replication_infos);
		for (guint ii = 0; ii < iinfos->len; ii++) {
			srmTIndexReplicationInfo *ix = g_ptr_array_index(iinfos, ii);
			int slot = -1;
			for (int s = 0; s < t->ntidx; s++)
				if (t->tidx[s].id == ix->index_id)
					slot = s;
			if (slot < 0) {
				g_ptr_array_free(iinfos, TRUE);
				FAIL("Index %lld in partition %s in table %s not found", (long long)ix->index_id, p->name,
				     t->name);
			}
			GPtrArray *tinfos = values(ix->tablet_replication_infos);
			for (guint ti = 0; ti < tinfos->len; ti++) {
				srmTTabletReplicationInfo *it = g_ptr_array_index(tinfos, ti);
				struct tablet_ref ref;
				if (!cat_tablet_find(c, it->tablet_id, &ref) || ref.p != p || ref.slot != slot ||
				    ref.replica != -1) {
					g_ptr_array_free(tinfos, TRUE);
					g_ptr_array_free(iinfos, TRUE);
					FAIL("Tablet %lld in index %lld in table %s not found", (long long)it->tablet_id,
					     (long long)ix->index_id, t->name);
				}
				int nt = cat_replicas(t, p);
				int m = it->replica_replication_infos ? (int)it->replica_replication_infos->len : 0;
				if (!lake && !heterogeneous_replicas(prof) && m < nt) {
					g_ptr_array_free(tinfos, TRUE);
					g_ptr_array_free(iinfos, TRUE);
					FAIL("Source replica number must not less than target replica number");
				}
				struct rjob_tablet rt = { .tablet_id = it->tablet_id, .src_tablet_id = it->src_tablet_id,
							  .src_schema_hash = ix->src_schema_hash,
							  .src_version = ip->src_version, .back0 = -1,
							  .part = (int)parts->len };
				rt.back0 = (int)runs->len;
				for (int r = 0; r < m; r++) {
					srmTReplicaReplicationInfo *ri = g_ptr_array_index(it->replica_replication_infos, r);
					if (!ri->__isset_src_backend || !ri->src_backend)
						continue;
					int bi = backend_index(backs, ri->src_backend);
					g_array_append_val(runs, bi);
				}
				rt.nback = (int)runs->len - rt.back0;
				g_array_append_val(tablets, rt);
				j->replica_count += lake ? 1 : nt;
				j->total_tasks += lake ? 1 : tablet_tasks(prof, nt, m);
			}
			g_ptr_array_free(tinfos, TRUE);
		}
		g_ptr_array_free(iinfos, TRUE);
		g_array_append_val(parts, rp);
	}
	if (parts->len == 0)
		FAIL("No data need to replicate");

	/* 3.2 admission: the caps look at the running jobs only, then one job per table */
	int64_t run_replicas = 0, run_mb = 0;
	int running = jobs_running_count(c, &run_replicas, &run_mb);
	int64_t cap = cfg_int(c, "replication_max_parallel_table_count", 100);
	if (running >= cap)
		FAIL("The replication jobs exceeds the replication_max_parallel_table_count: %lld", (long long)cap);
	if (has_replica_cap(prof)) {
		cap = cfg_int(c, "replication_max_parallel_replica_count", 10240);
		if (run_replicas >= cap)
			FAIL("The replicating replica count in all running replication jobs %lld exceeds "
			     "replication_max_parallel_replica_count: %lld", (long long)run_replicas, (long long)cap);
	}
	cap = cfg_int(c, "replication_max_parallel_data_size_mb", 1048576);
	if (run_mb >= cap)
		FAIL("The replicating data size in all running replication jobs %lld(MB) exceeds "
		     "replication_max_parallel_data_size_mb: %lld", (long long)run_mb, (long long)cap);
	struct rjob *old = jobs_get(c, t->id);
	if (old && jobs_is_running(old))
		FAIL("Replication job of table %lld is already running", (long long)t->id);

	bool has_job_id = prof_since(prof, PV(3, 1, 8), PV(3, 2, 3), PV(3, 3, 0), PV(3, 4, 0), PV(3, 5, 0));
	j->job_id = has_job_id && req->__isset_job_id && req->job_id && *req->job_id ? g_strdup(req->job_id)
		    : g_uuid_string_random();
	j->cl = c;
	j->db_id = d->id;
	j->table_id = t->id;
	j->lake = lake;
	j->src_token = g_strdup(req->src_token ? req->src_token : "");
	j->nparts = (int)parts->len;
	j->parts = (struct rjob_part *)g_array_free(parts, FALSE);
	j->ntablets = (int)tablets->len;
	j->tablets = (struct rjob_tablet *)g_array_free(tablets, FALSE);
	j->bytes = j->data_size > 0 ? j->data_size : 0;
	if (lake) {
		j->src_service_id = g_strdup(req->src_service_id ? req->src_service_id : "");
		j->src_volume = g_strdup(req->src_storage_volume_name);
		j->src_db_id = req->src_database_id;
		j->src_table_id = req->src_table_id;
	}
	j->nbacks = (int)backs->len;
	j->backs = (struct rjob_backend *)g_array_free(backs, FALSE);
	j->ntback = (int)runs->len;
	j->tback = (int *)g_array_free(runs, FALSE);
	char reason[256];
	if (flt_job_abort(c, d->name, t->name, reason, sizeof reason))
		j->fault_abort = g_strdup(reason);
	g_ptr_array_free(pinfos, TRUE);
	jobs_add(c, j);
	return 0;
fail:
	g_array_free(parts, TRUE);
	g_array_free(tablets, TRUE);
	for (guint i = 0; i < backs->len; i++)
		g_free(g_array_index(backs, struct rjob_backend, i).host);
	g_array_free(backs, TRUE);
	g_array_free(runs, TRUE);
	if (pinfos)
		g_ptr_array_free(pinfos, TRUE);
	g_free(j);
	return -1;
}
