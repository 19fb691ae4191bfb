/*
 * metapass: read both clusters (a task), then apply on the engine thread:
 * catalogs, health, FE candidates, admission caps, nodes, guards, the diff.
 *
 * A full pass reads both sides in parallel. A target-only pass ("confirm")
 * re-reads the target after DDL ran or jobs finished and diffs it against
 * the source catalog we have, so a new table gets its job without waiting
 * for the next full pass and without any extra load on the source.
 */
#include <stdlib.h>
#include <string.h>

#include "srmigrate/diff.h"
#include "srmigrate/engine.h"
#include "srmigrate/log.h"
#include "srmigrate/meta.h"
#include "srmigrate/par.h"
#include "srmigrate/util.h"

struct meta_task {
	struct task base;
	struct sql_pool *pool[2];
	const struct srm_config *cfg;	/* filter, threads, which definitions */
	bool target_only;
	int64_t started;	/* monotonic */
	int64_t started_wall;
	struct catalog *cat[2];
	int rc[2];
	char err[2][SRM_ERR_LEN];
};

static void
read_side(void *ctx, size_t i, int worker)
{
	struct meta_task *t = ctx;
	enum side s = t->target_only ? SIDE_TARGET : (enum side)i;

	(void)worker;
	t->cat[s] = catalog_new(s);
	t->rc[s] = meta_read_cluster(t->pool[s], t->cat[s], t->err[s], sizeof(t->err[s]));
	if (t->rc[s] == 0)
		t->rc[s] = meta_read_objects(t->pool[s], t->cat[s], &t->cfg->filter,
					     (int)t->cfg->meta_job_threads, t->err[s], sizeof(t->err[s]));
	if (t->rc[s] == 0)
		t->rc[s] = meta_read_definitions(t->pool[s], t->cat[s], &t->cfg->filter, t->cfg->enable_view_sync,
						 t->cfg->enable_materialized_view_sync, t->err[s],
						 sizeof(t->err[s]));
	t->cat[s]->read_ms = wall_ms();
}

static void
meta_run(struct task *base)
{
	struct meta_task *t = (struct meta_task *)base;

	par_for(t->target_only ? 1 : 2, 2, read_side, t);
}

static void
update_health(struct engine *e, enum side s, int rc, const char *err)
{
	struct cluster_health *h = &e->health[s];
	bool was = h->connected;

	h->connected = rc == 0;
	if (rc == 0) {
		h->last_ok_ms = wall_ms();
		h->lost_since = 0;
		h->error[0] = '\0';
		if (!was && e->passes > 0)
			log_info("%s cluster answers again", side_name(s));
	} else {
		str_copy(h->error, sizeof(h->error), err);
		if (h->lost_since == 0)
			h->lost_since = now_ms();
		log_error("%s cluster: %s", side_name(s), err);
	}
	e->pub_cluster[s] = true;
}

/* The FEs a cluster reports become fail-over candidates for its pool. */
static void
learn_frontends(struct engine *e, enum side s)
{
	const struct catalog *c = e->cat[s];
	char **hosts = xcalloc(c->n_nodes + 1, sizeof(char *));
	int *ports = xcalloc(c->n_nodes + 1, sizeof(int));
	size_t n = 0;

	for (size_t i = 0; i < c->n_nodes; i++) {
		if (c->nodes[i].kind == NODE_FE && c->nodes[i].query_port > 0) {
			hosts[n] = (char *)c->nodes[i].host;
			ports[n++] = c->nodes[i].query_port;
		}
	}
	sql_pool_set_frontends(&e->pool[s], hosts, ports, n);
	free(hosts);
	free(ports);
}

static void
read_caps(struct engine *e)
{
	const struct catalog *t = e->cat[SIDE_TARGET];

	/* Defaults as of 3.3 when the FE does not list a config (facts §3.8). */
	e->cap_tables = catalog_config_i64(t, "replication_max_parallel_table_count", 100);
	e->cap_replicas = catalog_config_i64(t, "replication_max_parallel_replica_count", 10240);
	e->cap_data_mb = catalog_config_i64(t, "replication_max_parallel_data_size_mb", 1048576);
}

/* target_cluster_max_disk_used_percent: no new job while a target BE is above it. */
static void
disk_guard(struct engine *e)
{
	const struct catalog *t = e->cat[SIDE_TARGET];
	const struct cat_node *worst = NULL;
	bool was = e->disk_stop;

	for (size_t i = 0; i < t->n_nodes; i++) {
		const struct cat_node *n = &t->nodes[i];

		if (n->kind != NODE_FE && n->disk_pct >= 0 &&
		    n->disk_pct > (double)e->cfg->target_cluster_max_disk_used_percent &&
		    (worst == NULL || n->disk_pct > worst->disk_pct))
			worst = n;
	}
	e->disk_stop = worst != NULL;
	if (worst) {
		str_fmt(e->disk_node, sizeof(e->disk_node), "%s %s (%.1f%% > %lld%%)",
			node_kind_name(worst->kind), worst->host, worst->disk_pct,
			(long long)e->cfg->target_cluster_max_disk_used_percent);
		if (!was)
			log_error("target disk guard: %s; no new replication job starts", e->disk_node);
	} else if (was) {
		log_info("target disk use is back under %lld%%; jobs may start again",
			 (long long)e->cfg->target_cluster_max_disk_used_percent);
	}
}

/* Is this source -> target pair one StarRocks can replicate? NULL when it is. */
static const char *
unsupported_path(const struct engine *e, char *buf, size_t len)
{
	const struct catalog *s = e->cat[SIDE_SOURCE], *t = e->cat[SIDE_TARGET];

	if (!ver_can_be_target(&t->version))
		return str_fmt(buf, len, "the target runs %s; replication needs 3.1.8+ (3.1 line) or "
			       "3.2.3+", t->version.text);
	if (s->shared_data && !t->shared_data)
		return str_fmt(buf, len, "shared-data to shared-nothing is not supported");
	if (s->shared_data && t->shared_data && !ver_has_lake_replication(&t->version))
		return str_fmt(buf, len, "shared-data to shared-data needs a 4.1+ target (it runs %s)",
			       t->version.text);
	return NULL;
}

/* Tables gone from both sides leave the view once nothing is in flight for them. */
static void
prune_tables(struct engine *e)
{
	struct migration *m = &e->mig;

	for (size_t i = m->n_tables; i-- > 0;) {
		struct mtable *t = m->tables[i];

		if (!t->on_source && !t->on_target && t->jobs_open == 0 && t->ddl_open == 0) {
			publish_forget(e, FORGET_TABLE, t->id);
			mig_table_remove(m, t);
		}
	}
}

/*
 * Did a DDL statement end after @read_wall, when the target's read began?
 * Then the catalog may not show what it did (a partition added while the
 * partitions were being read), and a diff on it would queue the statement
 * again, which the FE refuses (a duplicate partition) for good.
 */
static bool
ddl_ended_since(const struct engine *e, int64_t read_wall)
{
	for (size_t i = 0; i < e->mig.n_ddls; i++) {
		const struct mddl *d = e->mig.ddls[i];

		if (d->state == DDL_DONE && d->done_ms >= read_wall)
			return true;
	}
	return false;
}

static void
apply(struct engine *e, bool full, int64_t read_wall)
{
	struct diff_opts o = { .cfg = e->cfg, .confirm_drops = e->opts.confirm_drops, .plan_jobs = true };
	struct diff_stats st;
	char why[EV_TEXT_LEN];

	learn_frontends(e, SIDE_SOURCE);
	learn_frontends(e, SIDE_TARGET);
	read_caps(e);
	publish_nodes(e);
	disk_guard(e);
	if (unsupported_path(e, why, sizeof(why))) {
		log_error("cannot migrate: %s", why);
		e->exit_status = 1;
		str_copy(e->exit_reason, sizeof(e->exit_reason), why);
		engine_set_state(e, ENGINE_STOPPED, why);
		e->stop = true;
		return;
	}
	if (ddl_ended_since(e, read_wall)) {
		/* Read the target again (a confirm pass) and decide on that. */
		e->confirm_wanted = true;
		e->pub_progress = true;
		return;
	}
	diff_run(&e->mig, e->cat[SIDE_SOURCE], e->cat[SIDE_TARGET], &o, &st);
	for (char *note; (note = mig_take_note(&e->mig)) != NULL; free(note))
		log_warn("%s", note);
	prune_tables(e);
	if (full) {
		bool all_synced = st.tables > 0 && st.finished == st.tables;

		e->quiet_passes = !st.source_changed && all_synced ? e->quiet_passes + 1 : 0;
		log_info("meta pass %u: %u tables, %u in sync, %u lagging, %u waiting for DDL, %u blocked; "
			 "%u new DDL, %u new jobs (%lld ms)", e->passes, st.tables, st.finished, st.lagging,
			 st.waiting_ddl, st.blocked, st.new_ddl, st.new_jobs, (long long)e->pass_ms);
	}
	if (st.new_jobs)
		e->triggers++;
	e->pub_progress = true;
}

static void
meta_done(struct task *base, void *owner)
{
	struct meta_task *t = (struct meta_task *)base;
	struct engine *e = owner;
	bool ok = true;

	for (int s = 0; s < 2; s++) {
		if (t->target_only && s == SIDE_SOURCE)
			continue;
		update_health(e, (enum side)s, t->rc[s], t->err[s]);
		if (t->rc[s] == 0) {
			catalog_unref(e->cat[s]);
			e->cat[s] = t->cat[s];
		} else {
			catalog_unref(t->cat[s]);
			ok = false;
		}
	}
	if (t->target_only) {
		e->confirm_inflight = false;
	} else {
		e->meta_inflight = false;
		e->pass_ms = now_ms() - t->started;
		e->last_pass_wall = wall_ms();
		e->next_meta = t->started + e->cfg->meta_job_interval_seconds * 1000;
		if (ok)
			e->passes++;
	}
	/* Decide only on a fresh pair: never act on one side's stale view. */
	if (ok && e->cat[SIDE_SOURCE] && e->cat[SIDE_TARGET])
		apply(e, !t->target_only, t->started_wall);
	if (!t->target_only && e->recheck_wanted && !e->checks_inflight) {
		e->recheck_wanted = false;
		checks_start(e);
	}
	e->pub_progress = true;
	free(t);
}

void
metapass_start(struct engine *e, bool target_only)
{
	struct meta_task *t = xcalloc(1, sizeof(*t));

	if (target_only && e->cat[SIDE_SOURCE] == NULL) {
		free(t);
		return;	/* nothing to compare with yet */
	}
	t->base.run = meta_run;
	t->base.done = meta_done;
	t->pool[0] = &e->pool[0];
	t->pool[1] = &e->pool[1];
	t->cfg = e->cfg;
	t->target_only = target_only;
	t->started = now_ms();
	t->started_wall = wall_ms();
	if (target_only) {
		e->confirm_inflight = true;
		e->confirm_wanted = false;
	} else {
		e->meta_inflight = true;
	}
	taskpool_submit(&e->tp, &t->base);
}
