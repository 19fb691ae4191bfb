/*
 * jobs: the replication job state machine on the target FE.
 */
#include "jobs.h"

#include <stdio.h>
#include <string.h>

#include "feconfig.h"
#include "load.h"
#include "result.h"
#include "simutil.h"
#include "snapshot.h"
#include "txn.h"

const char *
jobs_state_name(enum rjob_state s)
{
	static const char *const n[] = { "", "INITIALIZING", "SNAPSHOTING", "REPLICATING", "COMMITTED", "ABORTED" };

	return n[s];
}

bool
jobs_is_running(const struct rjob *j)
{
	return j->state == RJ_INITIALIZING || j->state == RJ_SNAPSHOTING || j->state == RJ_REPLICATING;
}

static void
job_destroy(gpointer p)
{
	jobs_free(p);
}

static GHashTable *
table_of(struct cluster *c)
{
	if (!c->jobs)
		c->jobs = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, job_destroy);
	return c->jobs;
}

void
jobs_free(struct rjob *j)
{
	if (!j)
		return;
	snap_release(j->check);
	for (int i = 0; i < j->nbacks; i++)
		g_free(j->backs[i].host);
	g_free(j->backs);
	g_free(j->tback);
	g_free(j->tablets);
	g_free(j->parts);
	g_free(j->job_id);
	g_free(j->error);
	g_free(j->src_token);
	g_free(j->fault_abort);
	g_free(j->src_service_id);
	g_free(j->src_volume);
	g_free(j);
}

struct rjob *
jobs_get(struct cluster *c, int64_t table_id)
{
	return g_hash_table_lookup(table_of(c), &table_id);
}

int
jobs_running_count(struct cluster *c, int64_t *replicas, int64_t *data_mb)
{
	GHashTableIter it;
	gpointer v;
	int n = 0;

	*replicas = *data_mb = 0;
	g_hash_table_iter_init(&it, table_of(c));
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct rjob *j = v;
		if (!jobs_is_running(j))
			continue;
		n++;
		*replicas += j->replica_count;
		*data_mb += j->data_size / 1024 / 1024;
	}
	return n;
}

void
jobs_add(struct cluster *c, struct rjob *j)
{
	int64_t now = su_now_ms();

	/* admitting a job drops the table's committed or aborted history */
	g_hash_table_remove(table_of(c), &j->table_id);
	c->job_seq++;
	j->state = RJ_INITIALIZING;
	j->created = su_wall_ms();
	j->step_start = now;
	j->step_end = now + sim_real_ms(world.init_delay);
	g_hash_table_insert(table_of(c), &j->table_id, j);
}

static struct txn *
job_txn(struct rjob *j, struct db **dp)
{
	struct db *d = cat_db_by_id(j->cl, j->db_id);

	if (dp)
		*dp = d;
	return d && j->txn_id ? txn_find(d, j->txn_id) : NULL;
}

static void
abort_job(struct rjob *j, const char *reason)
{
	struct db *d;
	struct txn *t = job_txn(j, &d);

	if (t && (t->status == TXN_PREPARE || t->status == TXN_COMMITTED))
		txn_abort(d, t, reason);
	g_free(j->error);
	j->error = g_strdup(reason);
	j->state = RJ_ABORTED;
	j->finished = su_wall_ms();
}

void
jobs_table_dropped(struct cluster *c, int64_t table_id)
{
	struct rjob *j = jobs_get(c, table_id);

	if (j && jobs_is_running(j))
		abort_job(j, "Table is deleted");
}

static int64_t
copy_ms(const struct rjob *j)
{
	double secs = world.copy_speed > 0 ? (double)j->bytes / (double)world.copy_speed : 0;

	return sim_real_ms(0.5 + secs);
}

static void
begin(struct rjob *j, int64_t now)
{
	struct cluster *c = j->cl;
	struct db *d = cat_db_by_id(c, j->db_id);
	struct table *t = cat_table_by_id(c, j->table_id);
	char label[512], coord[128];

	if (!d || !t) {
		abort_job(j, "Table is deleted");
		return;
	}
	if (prof_since(&c->prof, PV(3, 1, 8), PV(3, 2, 3), PV(3, 3, 0), PV(3, 4, 0), PV(3, 5, 0)))
		snprintf(label, sizeof label, "REPLICATION_%lld_%lld_%s", (long long)j->db_id, (long long)j->table_id,
			 j->job_id);
	else
		snprintf(label, sizeof label, "REPLICATION_%lld-%lld-%lld", (long long)j->db_id, (long long)j->table_id,
			 (long long)su_wall_ms());
	if (txn_label_taken(d, label)) {
		/* beginTransaction throws: the job aborts with no transaction */
		char why[600];
		snprintf(why, sizeof why, "Label [%s] has already been used.", label);
		abort_job(j, why);
		return;
	}
	snprintf(coord, sizeof coord, "FE: %s", sim_leader(c)->host);
	struct txn *x = txn_begin(c, d, j->table_id, label, "REPLICATION", coord,
				  cfg_int(c, "replication_transaction_timeout_sec", 86400) * 1000);
	j->txn_id = x->id;
	j->txn_start = now;
	j->step_start = now;
	if (j->lake) {
		j->state = RJ_REPLICATING;
		j->step_end = now + copy_ms(j);
		return;
	}
	j->state = RJ_SNAPSHOTING;
	j->step_end = now + sim_real_ms(world.snapshot_latency + world.snapshot_per_tablet * j->ntablets);
	j->check = snap_start(j);
}

/* What the source holds at src_version, found through the request's ids. */
static bool
resolve_sources(struct rjob *j, char *err, size_t n)
{
	struct cluster *src = sim_cluster(1 - j->cl->side);

	for (int i = 0; i < j->nparts; i++) {
		struct rjob_part *rp = &j->parts[i];
		struct partition *sp = NULL;
		if (j->lake) {
			struct table *st = cat_table_by_id(src, j->src_table_id);
			if (strcmp(j->src_service_id, src->service_id ? src->service_id : "") != 0) {
				snprintf(err, n, "Replicate lake tablets failed: source path of service %s not found in "
					 "storage volume %s", j->src_service_id, j->src_volume);
				return false;
			}
			sp = st && st->db->id == j->src_db_id ? cat_part_by_phys(st, rp->src_partition_id) : NULL;
			if (!sp) {
				snprintf(err, n, "Replicate lake tablets failed: source partition %lld of table %lld not "
					 "found", (long long)rp->src_partition_id, (long long)j->src_table_id);
				return false;
			}
		} else {
			for (int t = 0; t < j->ntablets && !sp; t++) {
				struct tablet_ref ref;
				if (j->tablets[t].part == i && cat_tablet_find(src, j->tablets[t].src_tablet_id, &ref))
					sp = ref.p;
			}
			if (!sp) {
				rp->have_src = false;
				continue;
			}
		}
		if (!cat_part_at(sp, rp->src_version, &rp->rows, &rp->size) ||
		    cat_part_repl_version(src, sp) < rp->src_version) {
			snprintf(err, n, "Replicate snapshot failed: version %lld of source partition %lld not found",
				 (long long)rp->src_version, (long long)sp->phys_id);
			return false;
		}
		rp->have_src = true;
	}
	return true;
}

static void
commit(struct rjob *j, int64_t now)
{
	struct cluster *c = j->cl;
	struct db *d;
	struct txn *x = job_txn(j, &d);
	struct table *t = cat_table_by_id(c, j->table_id);
	char err[512];

	if (!x || !t) {
		abort_job(j, "Table is deleted");
		return;
	}
	if (!resolve_sources(j, err, sizeof err)) {
		abort_job(j, err);
		return;
	}
	bool dv = prof_has_data_version(&c->prof);
	for (int i = 0; i < j->nparts; i++) {
		struct rjob_part *rp = &j->parts[i];
		struct partition *p = cat_part_by_phys(t, rp->phys_id);
		if (!p)
			continue;
		int64_t committed = p->next_version - 1;
		/* <= 3.3.1: visible := src_version; >= 3.3.2: data := src_version and the
		 * visible version moves by as much as the data version does */
		rp->new_visible = dv ? committed + (rp->src_version - p->data_version) : rp->src_version;
		p->next_version = rp->new_visible + 1;
		p->committed_data_version = rp->src_version;
	}
	txn_commit(x);
	j->state = RJ_COMMITTED;
	j->finished = su_wall_ms();
	j->step_start = now;
	j->step_end = now + sim_real_ms(world.publish_delay);
}

static void
publish(struct rjob *j)
{
	struct cluster *c = j->cl;
	struct db *d;
	struct txn *x = job_txn(j, &d);
	struct table *t = cat_table_by_id(c, j->table_id);

	j->published = true;
	for (int i = 0; t && i < j->nparts; i++) {
		struct rjob_part *rp = &j->parts[i];
		struct partition *p = cat_part_by_phys(t, rp->phys_id);
		if (!p)
			continue;
		p->visible_version = rp->new_visible;
		p->data_version = rp->src_version;
		p->committed_data_version = p->data_version;
		if (rp->has_epoch)
			p->version_epoch = rp->src_epoch;
		if (rp->have_src) {
			p->rows = rp->rows;
			p->size = rp->size;
		}
		p->visible_time = su_wall_ms();
		p->txn_replication = true;
		cat_part_record(p);
		load_compact(c, t, p);
		t->update_time = p->visible_time;
	}
	if (x && x->status == TXN_COMMITTED)
		txn_visible(d, x);
	c->journal_id++;
}

static void
step(struct rjob *j, int64_t now)
{
	struct cluster *c = j->cl;
	char err[1024];
	bool ok;

	if (jobs_is_running(j) && j->txn_id) {
		/* the transaction expires after replication_transaction_timeout_sec (simulated) */
		double secs = (double)(now - j->txn_start) * world.speed / 1000.0;
		if (secs > (double)cfg_int(c, "replication_transaction_timeout_sec", 86400)) {
			abort_job(j, "timeout by txn manager");
			return;
		}
	}
	switch (j->state) {
	case RJ_INITIALIZING:
		if (now >= j->step_end)
			begin(j, now);
		break;
	case RJ_SNAPSHOTING:
		if (now < j->step_end || !snap_done(j->check, &ok, err, sizeof err))
			break;
		if (!ok) {
			abort_job(j, err);
			break;
		}
		j->state = RJ_REPLICATING;
		j->step_start = now;
		j->step_end = now + copy_ms(j);
		break;
	case RJ_REPLICATING:
		if (j->fault_abort && now >= j->step_start + (j->step_end - j->step_start) / 2) {
			abort_job(j, j->fault_abort);
			break;
		}
		if (now >= j->step_end)
			commit(j, now);
		break;
	case RJ_COMMITTED:
		if (!j->published && now >= j->step_end)
			publish(j);
		break;
	case RJ_ABORTED:
		break;
	}
}

void
jobs_tick(int64_t now_ms)
{
	for (int s = 0; s < 2; s++) {
		struct cluster *c = sim_cluster(s);
		if (!c->jobs)
			continue;
		GHashTableIter it;
		gpointer v;
		g_hash_table_iter_init(&it, c->jobs);
		while (g_hash_table_iter_next(&it, NULL, &v))
			step(v, now_ms);
	}
}

static gint
by_created(gconstpointer a, gconstpointer b)
{
	const struct rjob *x = *(struct rjob *const *)a, *y = *(struct rjob *const *)b;

	return x->created < y->created ? -1 : x->created > y->created;
}

void
jobs_rows(struct cluster *c, struct rs *rs)
{
	static const char *const titles[] = { "JobID", "DatabaseID", "TableID", "TxnID", "CreatedTime",
					      "FinishedTime", "State", "Progress", "Error" };
	GPtrArray *groups[3] = { g_ptr_array_new(), g_ptr_array_new(), g_ptr_array_new() };
	GHashTableIter it;
	gpointer v;
	char tb[32];
	int64_t now = su_now_ms();

	if (!rs_begin(rs, titles, 9))
		goto out;
	g_hash_table_iter_init(&it, table_of(c));
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct rjob *j = v;
		g_ptr_array_add(groups[jobs_is_running(j) ? 0 : j->state == RJ_ABORTED ? 1 : 2], j);
	}
	for (int g = 0; g < 3; g++) {
		g_ptr_array_sort(groups[g], by_created);
		for (guint i = 0; i < groups[g]->len; i++) {
			struct rjob *j = g_ptr_array_index(groups[g], i);
			rs_add(rs, j->job_id);
			rs_addi(rs, j->db_id);
			rs_addi(rs, j->table_id);
			rs_addi(rs, j->txn_id);
			rs_add(rs, su_fmt_time(tb, sizeof tb, j->created));
			rs_add(rs, su_fmt_time(tb, sizeof tb, j->finished));
			rs_add(rs, jobs_state_name(j->state));
			if (j->state == RJ_SNAPSHOTING || j->state == RJ_REPLICATING) {
				int64_t span = j->step_end - j->step_start;
				int64_t done = span > 0 ? (int64_t)j->total_tasks * (now - j->step_start) / span : j->total_tasks;
				if (done >= j->total_tasks)
					done = j->total_tasks > 0 ? j->total_tasks - 1 : 0;
				if (done < 0)
					done = 0;
				rs_addf(rs, "%lld/%d", (long long)(j->total_tasks - done), j->total_tasks);
			} else {
				rs_add(rs, "");
			}
			if (j->state == RJ_ABORTED) {
				struct txn *x = job_txn(j, NULL);
				rs_add(rs, x ? x->reason : "Transaction not found");
			} else {
				rs_add(rs, "");
			}
			rs_end_row(rs);
		}
	}
out:
	for (int g = 0; g < 3; g++)
		g_ptr_array_free(groups[g], TRUE);
}
