/*
 * jobs: send replication jobs and follow them to their end.
 *
 * Dispatch (engine thread) picks pending jobs, oldest first, one per table
 * (the FE runs one job per table), while the target's three admission
 * limits leave room. Each pick becomes a send task: read the table's index
 * and tablet detail on both sides, build the request, call the FE. The
 * answer decides: OK -> sent; "No data need to replicate" -> finished;
 * "already running" -> running (adopted when following); a limit reached
 * -> pending again; anything else -> failed, retried with backoff.
 *
 * While jobs wait for a slot, the next ones are prepared: their requests
 * built ahead by a task or two, so that when a slot frees only the RPC
 * remains. A prepared request is sent only while the catalogs still say
 * what they said when it was built (its basis: same table and partition
 * ids, same versions, same lagging partitions) and it is younger than a
 * minute; else it is built again at the send.
 *
 * Following reads SHOW PROC '/replications' where the target has it, else
 * the transactions of the jobs' databases by label, and the versions at the
 * next pass in any case.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/ddl.h"
#include "srmigrate/engine.h"
#include "srmigrate/log.h"
#include "srmigrate/meta.h"
#include "srmigrate/request.h"
#include "srmigrate/util.h"

#define BACKOFF_MAX_MS (30 * 60 * 1000)
#define RPC_TIMEOUT_MS 15000
#define PUBLISH_WAIT_MS 1000
#define PREPARE_PARALLEL 2	/* prepare tasks at once: the other threads stay free for sends */
#define PREPARED_MAX 256	/* requests built ahead, at most (and no more than the table cap) */
#define PREPARED_MAX_MS 60000	/* older ones are built again */

/* --- sending ---------------------------------------------------------------- */

struct rpc_endpoint {
	char *host;
	int port;
};

struct send_task {
	struct task base;
	uint32_t job_id;
	char fe_job_id[48];
	char *db, *table;
	char **partitions;
	size_t n_partitions;
	struct catalog *src, *tgt;		/* references */
	struct sql_pool *pool[2];
	const struct srm_config *cfg;
	struct rpc_endpoint *eps;
	size_t n_eps;
	/* Results. */
	enum rpc_result result;
	bool nothing_lags;			/* every partition caught up meanwhile */
	bool build_failed;			/* the request could not be built (err says why) */
	bool io_failed;				/* reading detail failed: try again later */
	int64_t replicas, bytes;
	char msg[EV_TEXT_LEN];
	/* The schema check's findings (then nothing was sent). */
	char *schema_change;
	struct ddl_want *wants;
	size_t n_wants;
	char note[EV_TEXT_LEN];
	/* Building ahead: a prepare task keeps its plan (jp) for the send. */
	bool prepare_only;
	bool prepared;				/* the prepare task has run */
	bool ahead;				/* sent with the plan a prepare task built */
	struct job_plan *jp;
	struct plan_basis basis;		/* what jp was built from */
	int64_t built_ms;			/* monotonic, when the prepare task ended */
};

static void
send_task_free(struct send_task *t)
{
	if (t->jp) {
		jobs_plan_free(t->jp);
		free(t->jp);
	}
	jobs_plan_basis_free(&t->basis);
	for (size_t i = 0; i < t->n_partitions; i++)
		free(t->partitions[i]);
	free(t->partitions);
	for (size_t i = 0; i < t->n_eps; i++)
		free(t->eps[i].host);
	free(t->eps);
	free(t->db);
	free(t->table);
	free(t->schema_change);
	ddl_wants_free(t->wants, t->n_wants);
	catalog_unref(t->src);
	catalog_unref(t->tgt);
	free(t);
}

static int
read_details(struct job_plan *jp, struct sql_conn *sc, struct sql_conn *tc, const struct catalog *src,
	     const struct catalog *tgt, const struct cat_table *st, const struct cat_table *tt)
{
	size_t n = jp->n_names;
	int64_t *sids = xcalloc(n ? n : 1, sizeof(*sids)), *tids = xcalloc(n ? n : 1, sizeof(*tids));
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		sids[i] = catalog_part(src, st, jp->names[i])->id;
		tids[i] = catalog_part(tgt, tt, jp->names[i])->id;
	}
	if (meta_read_detail(sc, src, st, sids, n, &jp->sd, jp->err, sizeof(jp->err)) != 0 ||
	    meta_read_detail(tc, tgt, tt, tids, n, &jp->td, jp->err, sizeof(jp->err)) != 0) {
		/* A lost connection is worth another try; an answer we cannot use is not. */
		jp->io_failed = sql_errno(sc) != 0 || sql_errno(tc) != 0;
		rc = -1;
	}
	jp->statements += jp->sd.statements + jp->td.statements;
	free(sids);
	free(tids);
	return rc;
}

static void
want(struct job_plan *jp, enum want_kind kind, const char *object, char *create, char *drop)
{
	jp->wants = xrealloc(jp->wants, (jp->n_wants + 1) * sizeof(*jp->wants));
	jp->wants[jp->n_wants++] = (struct ddl_want){ kind, xstrdup(object), create, drop };
}

/*
 * Bitmap indexes of the source the target lacks or has otherwise, and those
 * only it has. What the drop keys forbid is kept, said in the note, and
 * does not hold the data back.
 */
static void
index_wants(struct job_plan *jp, const struct srm_config *cfg, const struct ddl_schema *s,
	    const struct ddl_schema *t, const char *db, const char *table)
{
	for (size_t i = 0; i < s->n_idx; i++) {
		const struct ddl_index *a = &s->idx[i], *b = ddl_schema_index(t, a->name);

		if (!str_eq(a->using, "BITMAP"))
			continue;
		if (b == NULL)
			want(jp, WANT_INDEX_ADD, a->name, ddl_create_index(db, table, a), NULL);
		else if (ddl_index_equal(a, b))
			continue;
		else if (cfg->ddl_job_allow_drop_inconsistent_bitmap_index)
			want(jp, WANT_INDEX_REPLACE, a->name, ddl_create_index(db, table, a),
			     ddl_drop_index(db, table, a->name));
		else
			str_fmt(jp->note, sizeof(jp->note), "bitmap index %s differs from the source's; kept "
				"(ddl_job_allow_drop_inconsistent_bitmap_index=false)", a->name);
	}
	for (size_t i = 0; i < t->n_idx; i++) {
		const char *name = t->idx[i].name;

		if (!str_eq(t->idx[i].using, "BITMAP") || ddl_schema_index(s, name))
			continue;
		if (cfg->ddl_job_allow_drop_bitmap_index_target_only)
			want(jp, WANT_INDEX_TARGET_ONLY, name, NULL, ddl_drop_index(db, table, name));
		else
			str_fmt(jp->note, sizeof(jp->note), "bitmap index %s is only on the target; kept "
				"(ddl_job_allow_drop_bitmap_index_target_only=false)", name);
	}
}

/*
 * Before data moves, both tables must have one schema: SHOW CREATE TABLE on
 * each side, the columns compared (a difference stops the job; diff decides
 * by ddl_job_allow_drop_schema_change_table) and, where their sync is on,
 * bitmap indexes and settable properties (statements for diff to queue).
 * A text we cannot read stops nothing: it goes into the note and the job is
 * sent, as it would be without the check.
 */
static int
schema_check(struct job_plan *jp, struct sql_conn *sc, struct sql_conn *tc, const struct srm_config *cfg,
	     const struct catalog *src, const struct catalog *tgt, const char *db, const char *table)
{
	struct ddl_schema ss, ts;
	char *s_show, *t_show, why[EV_TEXT_LEN];

	s_show = meta_show_create(sc, db, table, jp->err, sizeof(jp->err));
	t_show = s_show ? meta_show_create(tc, db, table, jp->err, sizeof(jp->err)) : NULL;
	jp->statements += 1 + (s_show != NULL);
	if (t_show == NULL) {
		jp->io_failed = sql_errno(sc) != 0 || sql_errno(tc) != 0;
		free(s_show);
		return -1;
	}
	if (ddl_schema_parse(s_show, table, &ss, why, sizeof(why)) != 0) {
		str_fmt(jp->note, sizeof(jp->note), "schema not compared: source: %s", why);
		goto out;
	}
	if (ddl_schema_parse(t_show, table, &ts, why, sizeof(why)) != 0) {
		str_fmt(jp->note, sizeof(jp->note), "schema not compared: target: %s", why);
		ddl_schema_free(&ss);
		goto out;
	}
	if (!ddl_columns_differ(&ss, &ts, jp->schema_change, sizeof(jp->schema_change))) {
		if (cfg->enable_bitmap_index_sync)
			index_wants(jp, cfg, &ss, &ts, db, table);
		if (cfg->enable_table_property_sync) {
			struct ddl_rules r = ddlq_rules(cfg, src, tgt);
			struct ddl_props ch;

			if (ddl_property_changes(s_show, t_show, &r, &ch, why, sizeof(why)) != 0) {
				str_fmt(jp->note, sizeof(jp->note), "properties not compared: %s", why);
			} else {
				for (size_t i = 0; i < ch.n; i++)
					want(jp, WANT_PROPERTY, ch.v[i].key,
					     ddl_set_property(db, table, ch.v[i].key, ch.v[i].value), NULL);
				ddl_props_free(&ch);
			}
		}
	}
	ddl_schema_free(&ss);
	ddl_schema_free(&ts);
out:
	free(s_show);
	free(t_show);
	return 0;
}

/*
 * Shared-data to shared-data: the target reads the source's files itself,
 * through the target's src_<volume>, at the path StarMgr gave the source
 * table: <volume location>/<service id>/db<id>/<id>.
 */
static int
lake_source(struct job_plan *jp, const struct catalog *src, const struct cat_table *st,
	    struct req_input *in)
{
	size_t n;
	const struct cat_part *p = catalog_parts(src, st, &n);
	const char *path = n ? p[0].storage_path : NULL;
	const struct cat_volume *v = catalog_volume_of(src, path);

	if (v == NULL) {
		str_fmt(jp->err, sizeof(jp->err), "no source storage volume holds %s",
			path ? path : "the table (no storage path)");
		return -1;
	}
	if (!catalog_service_id(path, st->db_id, st->id, jp->service_id, sizeof(jp->service_id))) {
		str_fmt(jp->err, sizeof(jp->err), "cannot read the service id from the storage path %s", path);
		return -1;
	}
	str_fmt(jp->volume, sizeof(jp->volume), "src_%s", v->name);
	in->lake_volume = jp->volume;
	in->service_id = jp->service_id;
	return 0;
}

int
jobs_build(struct job_plan *jp, struct sql_pool *pool[2], const struct catalog *src,
	   const struct catalog *tgt, const struct srm_config *cfg, const char *db, const char *table,
	   char *const *partitions, size_t n_partitions, const char *fe_job_id)
{
	const struct cat_table *st = catalog_table(src, db, table);
	const struct cat_table *tt = catalog_table(tgt, db, table);
	struct sql_conn *sc = NULL, *tc = NULL;
	size_t n = 0;
	int rc;

	memset(jp, 0, sizeof(*jp));
	if (st == NULL || tt == NULL) {
		str_fmt(jp->err, sizeof(jp->err), "the table is missing on the %s",
			st == NULL ? "source" : "target");
		return -1;
	}
	/* Only the partitions that still lag by these catalogs. */
	jp->names = xcalloc(n_partitions ? n_partitions : 1, sizeof(*jp->names));
	for (size_t i = 0; i < n_partitions; i++) {
		const struct cat_part *sp = catalog_part(src, st, partitions[i]);
		const struct cat_part *tp = catalog_part(tgt, tt, partitions[i]);

		if (sp && tp && cat_target_version(tp) < cat_source_version(sp))
			jp->names[n++] = partitions[i];
	}
	jp->n_names = n;
	if (n == 0) {
		jp->nothing_lags = true;
		return 0;
	}
	if ((sc = sql_get(pool[SIDE_SOURCE], jp->err, sizeof(jp->err))) == NULL ||
	    (tc = sql_get(pool[SIDE_TARGET], jp->err, sizeof(jp->err))) == NULL) {
		sql_put(pool[SIDE_SOURCE], sc);
		jp->io_failed = true;
		return -1;
	}
	rc = schema_check(jp, sc, tc, cfg, src, tgt, db, table);
	if (rc == 0 && !jp->schema_change[0] && jp->n_wants == 0)
		rc = read_details(jp, sc, tc, src, tgt, st, tt);
	sql_put(pool[SIDE_SOURCE], sc);
	sql_put(pool[SIDE_TARGET], tc);
	if (rc != 0 || jp->schema_change[0] || jp->n_wants)
		return rc;
	struct req_input in = {
		.src = src, .tgt = tgt, .st = st, .tt = tt, .sd = &jp->sd, .td = &jp->td,
		.partitions = jp->names, .n_partitions = n, .hosts = &cfg->hosts,
		.token = cfg->source.token[0] ? cfg->source.token : NULL,
		.user = cfg->target.user, .password = cfg->target.password, .job_id = fe_job_id,
		.send_epoch = ver_has_data_version(&tgt->version) && ver_has_data_version(&src->version),
		.lake = src->shared_data && tgt->shared_data,
	};

	if (in.lake && lake_source(jp, src, st, &in) != 0)
		return -1;
	if (req_build(&in, &jp->rb, jp->err, sizeof(jp->err)) != 0)
		return -1;
	jp->built = true;
	return 0;
}

void
jobs_plan_free(struct job_plan *jp)
{
	if (jp->built)
		req_free(&jp->rb);
	meta_detail_free(&jp->sd);
	meta_detail_free(&jp->td);
	ddl_wants_free(jp->wants, jp->n_wants);
	free(jp->names);
	memset(jp, 0, sizeof(*jp));
}

static void
send_run(struct task *base)
{
	struct send_task *t = (struct send_task *)base;
	struct job_plan *jp = t->jp;

	if (jp == NULL) {
		jp = xcalloc(1, sizeof(*jp));
		int rc = jobs_build(jp, t->pool, t->src, t->tgt, t->cfg, t->db, t->table, t->partitions,
				    t->n_partitions, t->fe_job_id);

		str_copy(t->note, sizeof(t->note), jp->note);
		if (rc != 0) {
			t->io_failed = jp->io_failed;
			t->build_failed = !jp->io_failed;
			str_copy(t->msg, sizeof(t->msg), jp->err);
			goto out;
		}
		if (jp->nothing_lags) {
			t->nothing_lags = true;
			goto out;
		}
		if (jp->schema_change[0] || jp->n_wants) {
			t->schema_change = jp->schema_change[0] ? xstrdup(jp->schema_change) : NULL;
			t->wants = jp->wants;
			t->n_wants = jp->n_wants;
			jp->wants = NULL;
			jp->n_wants = 0;
			goto out;
		}
		if (t->prepare_only) {
			t->jp = jp;
			jobs_plan_basis(&t->basis, t->src, t->tgt, t->db, t->table, t->partitions,
					t->n_partitions);
			return;
		}
	}
	/* Sent under the id the job has now (a prepared request was built before it had one). */
	jp->rb.req.job_id = t->fe_job_id;
	t->replicas = jp->rb.replicas;
	t->bytes = jp->rb.bytes;
	t->result = RPC_UNREACHABLE;
	for (size_t i = 0; i < t->n_eps && t->result == RPC_UNREACHABLE; i++)
		t->result = rpc_start_table_replication(t->eps[i].host, t->eps[i].port, RPC_TIMEOUT_MS,
							&jp->rb.req, t->msg, sizeof(t->msg));
out:
	jobs_plan_free(jp);
	free(jp);
	t->jp = NULL;
}

static int64_t
backoff_ms(const struct engine *e, uint32_t failures)
{
	int64_t ms = e->cfg->replication_job_interval_seconds * 1000;

	for (uint32_t i = 1; i < failures && ms < BACKOFF_MAX_MS; i++)
		ms *= 2;
	return ms < BACKOFF_MAX_MS ? ms : BACKOFF_MAX_MS;
}

/*
 * A job the FE took has ended (not one answered at once): its slot is free,
 * and the end is a trigger for the dispatcher, worth a batch of its own.
 */
static void
slot_freed(struct engine *e, const struct mjob *j)
{
	if ((j->state == JOB_SENT || j->state == JOB_RUNNING) && j->sent_mono_ms) {
		int64_t took = now_ms() - j->sent_mono_ms;

		e->triggers++;
		/* How long jobs take lately (the engine follows faster when they are short). */
		e->job_ms = e->job_ms ? (7 * e->job_ms + took) / 8 : took;
	}
}

static void
job_failed(struct engine *e, struct mjob *j, const char *why)
{
	struct mtable *t = mig_table_by_id(&e->mig, j->table_id);

	slot_freed(e, j);
	str_copy(j->error, sizeof(j->error), why);
	mig_job_state(&e->mig, j, JOB_FAILED);
	if (t) {
		t->failures++;
		t->retry_at_ms = now_ms() + backoff_ms(e, t->failures);
		str_copy(t->last_error, sizeof(t->last_error), why);
		str_copy(t->reason, sizeof(t->reason), why);
		t->state = TABLE_FAILED;
		t->dirty = true;
		log_warn("job %s for %s failed (attempt %u): %s; retry in %llds", j->fe_job_id,
			 t->display, j->attempts, why, (long long)(backoff_ms(e, t->failures) / 1000));
	}
}

static void
job_finished(struct engine *e, struct mjob *j, const char *how)
{
	struct mtable *t = mig_table_by_id(&e->mig, j->table_id);

	slot_freed(e, j);
	mig_job_state(&e->mig, j, JOB_FINISHED);
	j->error[0] = '\0';
	progress_add(&e->prog, j->bytes, now_ms());
	e->confirm_wanted = true;
	e->kick_repl = true;
	if (t) {
		t->failures = 0;
		t->last_error[0] = '\0';
		t->schema_recreates = 0;
		t->dirty = true;
	}
	log_info("job %s for %s finished (%u partitions, %s)", j->fe_job_id, t ? t->display : "?",
		 j->n_partitions, how);
}

enum fe_answer
jobs_classify(const char *msg)
{
	if (strstr(msg, "No data need to replicate"))
		return FE_NOTHING_TO_DO;
	if (strstr(msg, "is already running"))
		return FE_ALREADY_RUNNING;
	/* "... exceeds the replication_max_parallel_table_count: n" and the replica/size ones. */
	if (strstr(msg, "exceeds the replication_max_parallel_") ||
	    strstr(msg, "exceeds replication_max_parallel_"))
		return FE_AT_LIMIT;
	/* The last job's transaction is committed but not yet visible (facts 3.1). */
	if (strstr(msg, "publish version not finished"))
		return FE_PUBLISHING;
	return FE_FAILED;
}

/* A check's note goes to the log when it is new for the table, not at every job. */
static void
note_once(struct engine *e, uint32_t table_id, const struct send_task *t)
{
	struct mtable *tbl = mig_table_by_id(&e->mig, table_id);
	guint h = t->note[0] ? g_str_hash(t->note) : 0;

	if (tbl == NULL || tbl->note_hash == h)
		return;
	tbl->note_hash = h;
	if (h)
		log_warn("%s.%s: %s", t->db, t->table, t->note);
}

static void
send_done(struct task *base, void *owner)
{
	struct send_task *t = (struct send_task *)base;
	struct engine *e = owner;
	struct mjob *j = mig_job_by_id(&e->mig, t->job_id);

	e->sends_inflight--;
	if (j == NULL)
		goto out;
	j->replicas = t->replicas;
	if (t->bytes)
		j->bytes = t->bytes;
	note_once(e, j->table_id, t);
	if (t->nothing_lags) {
		job_finished(e, j, "nothing left to copy");
	} else if (t->schema_change || t->n_wants) {
		struct mtable *tbl = mig_table_by_id(&e->mig, j->table_id);

		/* Not sent: the next pass decides on the findings, the job comes again after. */
		if (tbl) {
			free(tbl->schema_change);
			ddl_wants_free(tbl->wants, tbl->n_wants);
			tbl->schema_change = t->schema_change;
			tbl->wants = t->wants;
			tbl->n_wants = t->n_wants;
			t->schema_change = NULL;
			t->wants = NULL;
			t->n_wants = 0;
		}
		log_info("%s.%s: %s; the job waits", t->db, t->table,
			 tbl && tbl->schema_change ? tbl->schema_change : "DDL wanted before the data");
		mig_job_delete(&e->mig, j);
		e->confirm_wanted = true;
		goto out;
	} else if (t->io_failed) {
		/* Not the job's fault: back to pending, no attempt spent. */
		j->attempts--;
		mig_job_state(&e->mig, j, JOB_PENDING);
		log_warn("job for %s.%s not sent: %s", t->db, t->table, t->msg);
	} else if (t->build_failed) {
		job_failed(e, j, t->msg);
	} else {
		switch (t->result) {
		case RPC_OK:
		case RPC_UNKNOWN:
			/* Unknown: it may have been taken; following finds out. */
			mig_job_state(&e->mig, j, JOB_SENT);
			j->sent_ms = wall_ms();
			j->sent_mono_ms = now_ms();
			str_copy(j->fe_state, sizeof(j->fe_state), "INITIALIZING");
			if (t->result == RPC_UNKNOWN)
				log_warn("job %s for %s.%s: no answer (%s); following it", j->fe_job_id,
					 t->db, t->table, t->msg);
			else
				log_info("job %s for %s.%s sent (%u partitions, %lld replicas%s)",
					 j->fe_job_id, t->db, t->table, j->n_partitions,
					 (long long)j->replicas, t->ahead ? ", built ahead" : "");
			break;
		case RPC_UNREACHABLE:
			j->attempts--;
			mig_job_state(&e->mig, j, JOB_PENDING);
			log_warn("job for %s.%s not sent: target FE unreachable: %s", t->db, t->table,
				 t->msg);
			break;
		case RPC_REJECTED:
			switch (jobs_classify(t->msg)) {
			case FE_NOTHING_TO_DO:
				job_finished(e, j, "the FE had nothing to copy");
				break;
			case FE_ALREADY_RUNNING:
				/* Ours from before (a timeout, a restart): follow it instead. */
				mig_job_state(&e->mig, j, JOB_RUNNING);
				mig_job_set_fe_id(&e->mig, j, "");
				j->sent_mono_ms = now_ms();
				log_info("%s.%s: a replication job is already running; following it",
					 t->db, t->table);
				break;
			case FE_AT_LIMIT:
				j->attempts--;
				mig_job_state(&e->mig, j, JOB_PENDING);
				e->next_repl = now_ms() + e->cfg->replication_job_interval_seconds * 1000;
				log_info("target at its limit (%s); job for %s.%s waits", t->msg, t->db,
					 t->table);
				break;
			case FE_PUBLISHING: {
				struct mtable *tbl = mig_table_by_id(&e->mig, j->table_id);

				/* Not the job's fault: the same job again in a moment. */
				j->attempts--;
				mig_job_state(&e->mig, j, JOB_PENDING);
				if (tbl)
					tbl->retry_at_ms = now_ms() + PUBLISH_WAIT_MS;
				log_info("%s.%s: the target still publishes the last job; the next waits",
					 t->db, t->table);
				break;
			}
			case FE_FAILED:
				job_failed(e, j, t->msg);
				break;
			}
			break;
		}
	}
	j->dirty = true;
out:
	e->pub_progress = true;
	send_task_free(t);
}

/* Leader first, then the other live FEs (a follower forwards to the leader). */
static void
rpc_endpoints(struct engine *e, struct send_task *t)
{
	const struct catalog *c = e->cat[SIDE_TARGET];

	t->eps = xcalloc(c->n_nodes + 1, sizeof(*t->eps));
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < c->n_nodes; i++) {
			const struct cat_node *n = &c->nodes[i];
			const char *host;
			int port;

			if (n->kind != NODE_FE || n->rpc_port <= 0 || n->is_leader != (pass == 0) ||
			    (pass == 1 && !n->alive))
				continue;
			hostmap_resolve(&e->cfg->hosts, SIDE_TARGET, n->host, n->rpc_port, &host, &port);
			t->eps[t->n_eps++] = (struct rpc_endpoint){ xstrdup(host), port };
		}
	}
}

/* A task for @j's request, built from the engine's catalogs of now. */
static struct send_task *
task_new(struct engine *e, const struct mjob *j, const struct mtable *tbl)
{
	struct send_task *t = xcalloc(1, sizeof(*t));

	t->job_id = j->id;
	t->db = xstrdup(tbl->db);
	t->table = xstrdup(tbl->name);
	t->partitions = xcalloc(j->n_partitions ? j->n_partitions : 1, sizeof(char *));
	for (uint32_t i = 0; i < j->n_partitions; i++)
		t->partitions[i] = xstrdup(j->partitions[i]);
	t->n_partitions = j->n_partitions;
	t->src = catalog_ref(e->cat[SIDE_SOURCE]);
	t->tgt = catalog_ref(e->cat[SIDE_TARGET]);
	t->pool[0] = &e->pool[0];
	t->pool[1] = &e->pool[1];
	t->cfg = e->cfg;
	return t;
}

void
jobs_plan_basis(struct plan_basis *b, const struct catalog *src, const struct catalog *tgt, const char *db,
		const char *table, char *const *partitions, size_t n_partitions)
{
	const struct cat_table *st = catalog_table(src, db, table), *tt = catalog_table(tgt, db, table);

	b->src_table_id = st ? st->id : -1;
	b->tgt_table_id = tt ? tt->id : -1;
	b->n = n_partitions;
	b->parts = xcalloc(n_partitions ? n_partitions : 1, sizeof(*b->parts));
	for (size_t i = 0; i < n_partitions; i++) {
		const struct cat_part *sp = st ? catalog_part(src, st, partitions[i]) : NULL;
		const struct cat_part *tp = tt ? catalog_part(tgt, tt, partitions[i]) : NULL;
		struct plan_part *p = &b->parts[i];

		/* What a request depends on: the lagging ones, their ids and versions. */
		p->lagging = sp && tp && cat_target_version(tp) < cat_source_version(sp);
		if (p->lagging)
			*p = (struct plan_part){ true, sp->id, cat_source_version(sp), tp->id, cat_target_version(tp) };
	}
}

void
jobs_plan_basis_free(struct plan_basis *b)
{
	free(b->parts);
	b->parts = NULL;
	b->n = 0;
}

bool
jobs_plan_still(const struct plan_basis *b, const struct catalog *src, const struct catalog *tgt,
		const char *db, const char *table, char *const *partitions, size_t n_partitions)
{
	struct plan_basis now;
	bool same;

	jobs_plan_basis(&now, src, tgt, db, table, partitions, n_partitions);
	same = now.src_table_id == b->src_table_id && now.tgt_table_id == b->tgt_table_id && now.n == b->n &&
	       now.src_table_id >= 0 && now.tgt_table_id >= 0;
	for (size_t i = 0; same && i < now.n; i++) {
		const struct plan_part *x = &now.parts[i], *y = &b->parts[i];

		same = x->lagging == y->lagging && x->src_id == y->src_id && x->src_version == y->src_version &&
		       x->tgt_id == y->tgt_id && x->tgt_version == y->tgt_version;
	}
	jobs_plan_basis_free(&now);
	return same;
}

/* Is @t's request, built ahead, still the one to send for @j now? */
static bool
plan_current(const struct engine *e, const struct send_task *t, const struct mjob *j)
{
	if (t->jp == NULL || now_ms() - t->built_ms > PREPARED_MAX_MS || t->n_partitions != j->n_partitions)
		return false;
	for (size_t i = 0; i < t->n_partitions; i++)
		if (!str_eq(t->partitions[i], j->partitions[i]))
			return false;
	return jobs_plan_still(&t->basis, e->cat[SIDE_SOURCE], e->cat[SIDE_TARGET], t->db, t->table,
			       t->partitions, t->n_partitions);
}

/* @j's request built ahead, if there is one and it is still good; else NULL (a stale one is freed). */
static struct send_task *
prepared_take(struct engine *e, const struct mjob *j)
{
	gpointer key = GUINT_TO_POINTER(j->id);
	struct send_task *t = e->prepared ? g_hash_table_lookup(e->prepared, key) : NULL;

	if (t == NULL || !t->prepared)
		return NULL;	/* none, or still being built: its end finds the job sent and drops it */
	g_hash_table_remove(e->prepared, key);
	if (plan_current(e, t, j)) {
		t->prepare_only = false;
		t->ahead = true;
		return t;
	}
	send_task_free(t);
	return NULL;
}

static void
send_job(struct engine *e, struct mjob *j, struct mtable *tbl)
{
	struct send_task *t = prepared_take(e, j);
	const struct cat_table *tt = catalog_table(e->cat[SIDE_TARGET], tbl->db, tbl->name);

	if (t == NULL)
		t = task_new(e, j, tbl);
	t->base.run = send_run;
	t->base.done = send_done;
	mig_job_new_fe_id(&e->mig, j);
	str_copy(t->fe_job_id, sizeof(t->fe_job_id), j->fe_job_id);
	rpc_endpoints(e, t);
	if (tt) {
		j->tgt_db_id = tt->db_id;
		j->tgt_table_id = tt->id;
	}
	j->attempts++;
	j->sent_mono_ms = 0;	/* following waits until the answer is in */
	j->error[0] = '\0';
	j->fe_state[0] = j->fe_progress[0] = '\0';
	/* In flight: counted against the limits as if sent. */
	mig_job_state(&e->mig, j, JOB_SENT);
	e->sends_inflight++;
	taskpool_submit(&e->tp, &t->base);
}

uint32_t
jobs_active(const struct engine *e)
{
	uint32_t n = 0;

	for (size_t i = 0; i < e->mig.n_jobs; i++)
		if (e->mig.jobs[i]->state == JOB_SENT || e->mig.jobs[i]->state == JOB_RUNNING)
			n++;
	return n;
}

/*
 * The FE runs a job for this table that none of our open jobs follows: one
 * sent before a restart, or one the FE took after we had given up waiting.
 * Follow it instead of sending another (which the FE would refuse anyway).
 */
static bool
adopt_running(struct engine *e, struct mjob *j, struct mtable *t)
{
	const struct cat_table *tt = catalog_table(e->cat[SIDE_TARGET], t->db, t->name);
	const char *fe_id;
	struct mjob *o;

	if (tt == NULL || e->fe_running == NULL ||
	    (fe_id = g_hash_table_lookup(e->fe_running, &tt->id)) == NULL)
		return false;
	o = mig_job_by_fe_id(&e->mig, fe_id);
	if (o && o != j && mig_job_open(o))
		return false;
	j->tgt_db_id = tt->db_id;
	j->tgt_table_id = tt->id;
	mig_job_set_fe_id(&e->mig, j, fe_id);
	mig_job_state(&e->mig, j, JOB_RUNNING);
	j->sent_ms = wall_ms();
	j->sent_mono_ms = now_ms();
	j->error[0] = '\0';
	j->dirty = true;
	log_info("job %s for %s is running on the FE already; following it instead of sending another",
		 j->fe_job_id, t->display);
	return true;
}

/* No DDL to wait for and not blocked: a job may go out for the table (limits and backoff aside). */
static bool
table_sendable(const struct mtable *t)
{
	return t && t->ddl_open == 0 && !t->blocked;
}

bool
jobs_dispatch(struct engine *e, uint32_t triggers)
{
	struct migration *m = &e->mig;
	GHashTable *busy;
	int64_t tables = 0, replicas = 0, data_mb = 0, sent = 0, now = now_ms();
	int64_t batch = (int64_t)e->cfg->replication_job_batch_size * (triggers ? triggers : 1);

	e->jobs_waiting = false;
	/* Nothing goes out before the FE's running jobs are known (see adopt_running). */
	if (e->cat[SIDE_SOURCE] == NULL || e->cat[SIDE_TARGET] == NULL || !e->fe_surveyed)
		return false;
	busy = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (size_t i = 0; i < m->n_jobs; i++) {
		const struct mjob *j = m->jobs[i];

		if (j->state == JOB_SENT || j->state == JOB_RUNNING) {
			g_hash_table_add(busy, GUINT_TO_POINTER(j->table_id));
			tables++;
			replicas += j->replicas;
			data_mb += j->bytes >> 20;
		}
	}
	/* Jobs were created in order, so the array is oldest first. */
	for (size_t i = 0; i < m->n_jobs; i++) {
		struct mjob *j = m->jobs[i];
		struct mtable *t;

		if (j->state != JOB_PENDING && j->state != JOB_FAILED)
			continue;
		t = mig_table_by_id(m, j->table_id);
		if (!table_sendable(t) || g_hash_table_contains(busy, GUINT_TO_POINTER(t->id)))
			continue;
		if (adopt_running(e, j, t)) {
			/* Already admitted by the FE: it counts against the limits, whatever they say. */
			g_hash_table_add(busy, GUINT_TO_POINTER(t->id));
			t->state = TABLE_SYNCING;
			t->dirty = true;
			tables++;
			replicas += j->replicas;
			data_mb += j->bytes >> 20;
			e->pub_progress = true;
			continue;
		}
		if (now < t->retry_at_ms)
			continue;	/* a failed job's backoff, or a publish to wait for */
		/* Full: no send, but later jobs may still be ones to adopt. */
		if (sent >= batch || tables >= e->cap_tables || replicas >= e->cap_replicas ||
		    data_mb >= e->cap_data_mb) {
			e->jobs_waiting = true;
			continue;
		}
		g_hash_table_add(busy, GUINT_TO_POINTER(t->id));
		send_job(e, j, t);
		t->state = TABLE_SYNCING;
		t->dirty = true;
		tables++;
		data_mb += j->bytes >> 20;
		sent++;
	}
	g_hash_table_destroy(busy);
	if (sent)
		e->pub_progress = true;
	return true;
}

/* --- building ahead ------------------------------------------------------------ */

static bool
job_wants_prepare(const struct mjob *j)
{
	return j && (j->state == JOB_PENDING || j->state == JOB_FAILED);
}

static void
prepare_done(struct task *base, void *owner)
{
	struct send_task *t = (struct send_task *)base;
	struct engine *e = owner;

	e->prepares_inflight--;
	e->prepare_more = true;
	if (!job_wants_prepare(mig_job_by_id(&e->mig, t->job_id))) {
		g_hash_table_remove(e->prepared, GUINT_TO_POINTER(t->job_id));
		send_task_free(t);
		return;
	}
	/*
	 * Kept, plan or not: without one (the table caught up, a schema change)
	 * the send builds again. The request needs the catalogs no more (it
	 * copied what it names, and its basis what it was built from): let
	 * them go, or a minute of prepared requests would hold every catalog
	 * read in that minute.
	 */
	t->prepared = true;
	t->built_ms = now_ms();	/* a marker without a plan ages too: tried again in a minute, not at once */
	catalog_unref(t->src);
	catalog_unref(t->tgt);
	t->src = t->tgt = NULL;
}

/* Drop what was built ahead for jobs that no longer wait, and what is too old. */
static void
prepared_prune(struct engine *e)
{
	GHashTableIter it;
	gpointer key, value;
	int64_t now = now_ms();

	g_hash_table_iter_init(&it, e->prepared);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		struct send_task *t = value;

		if (t->prepared && (!job_wants_prepare(mig_job_by_id(&e->mig, t->job_id)) ||
				    now - t->built_ms > PREPARED_MAX_MS)) {
			g_hash_table_iter_remove(&it);
			send_task_free(t);
		}
	}
}

void
jobs_prepare(struct engine *e)
{
	struct migration *m = &e->mig;
	int64_t now = now_ms();
	uint32_t want = e->cap_tables < PREPARED_MAX ? (uint32_t)e->cap_tables : PREPARED_MAX;
	uint32_t have;

	e->prepare_more = false;
	if (e->cat[SIDE_SOURCE] == NULL || e->cat[SIDE_TARGET] == NULL)
		return;
	if (e->prepared == NULL)
		e->prepared = g_hash_table_new(g_direct_hash, g_direct_equal);
	prepared_prune(e);
	have = g_hash_table_size(e->prepared);
	/* The next jobs in the dispatcher's order: oldest first, of tables with no other job open. */
	for (size_t i = 0; i < m->n_jobs && have < want && e->prepares_inflight < PREPARE_PARALLEL; i++) {
		struct mjob *j = m->jobs[i];
		struct mtable *tbl;
		struct send_task *t;

		if (!job_wants_prepare(j) ||
		    g_hash_table_contains(e->prepared, GUINT_TO_POINTER(j->id)))
			continue;
		tbl = mig_table_by_id(m, j->table_id);
		if (!table_sendable(tbl) || tbl->jobs_open > 1 || now < tbl->retry_at_ms)
			continue;
		t = task_new(e, j, tbl);
		t->base.run = send_run;
		t->base.done = prepare_done;
		t->prepare_only = true;
		g_hash_table_insert(e->prepared, GUINT_TO_POINTER(j->id), t);
		e->prepares_inflight++;
		have++;
		taskpool_submit(&e->tp, &t->base);
	}
}

void
jobs_prepared_free(struct engine *e)
{
	GHashTableIter it;
	gpointer value;

	if (e->prepared == NULL)
		return;
	/* After the drain: nothing of it is in flight. */
	g_hash_table_iter_init(&it, e->prepared);
	while (g_hash_table_iter_next(&it, NULL, &value))
		send_task_free(value);
	g_hash_table_destroy(e->prepared);
	e->prepared = NULL;
}

void
jobs_retry(struct engine *e, struct mtable *t)
{
	t->retry_at_ms = 0;
	for (size_t i = 0; i < e->mig.n_jobs; i++) {
		struct mjob *j = e->mig.jobs[i];

		if (j->table_id == t->id && j->state == JOB_FAILED)
			j->dirty = true;
	}
	e->triggers++;
}

/* --- following ---------------------------------------------------------------- */

struct fe_job {
	char *job_id;		/* JobID, or the label suffix */
	int64_t table_id;
	char state[16];		/* INITIALIZING ... COMMITTED, ABORTED; or PREPARE ... VISIBLE */
	char progress[16];
	char *error;
};

struct follow_task {
	struct task base;
	struct sql_pool *pool;
	bool proc;		/* SHOW PROC '/replications' */
	int64_t *db_ids;	/* for transactions, without /replications */
	size_t n_db_ids;
	struct fe_job *rows;
	size_t n_rows;
	bool failed;
	char err[SRM_ERR_LEN];
};

static void
add_row(struct follow_task *t, const char *id, int64_t table_id, const char *state,
	const char *progress, const char *error)
{
	struct fe_job *r;

	t->rows = xrealloc(t->rows, (t->n_rows + 1) * sizeof(*t->rows));
	r = &t->rows[t->n_rows++];
	r->job_id = xstrdup(id);
	r->table_id = table_id;
	str_copy(r->state, sizeof(r->state), state ? state : "");
	str_copy(r->progress, sizeof(r->progress), progress ? progress : "");
	r->error = xstrdup(error && !str_eq(error, "\\N") ? error : "");
}

static void
follow_replications(struct follow_task *t)
{
	struct sql_res *r = sql_pool_query(t->pool, "SHOW PROC '/replications'", t->err, sizeof(t->err));
	int c_id, c_tbl, c_state, c_prog, c_err;

	if (r == NULL) {
		t->failed = true;
		return;
	}
	c_id = sql_col(r, "JobID");
	c_tbl = sql_col(r, "TableID");
	c_state = sql_col(r, "State");
	c_prog = sql_col(r, "Progress");
	c_err = sql_col(r, "Error");
	for (size_t i = 0; i < sql_rows(r); i++) {
		const char *id = sql_cell(r, i, c_id);
		int64_t tbl;

		if (id == NULL || !parse_i64(sql_cell(r, i, c_tbl), 0, INT64_MAX, &tbl))
			continue;
		add_row(t, id, tbl, sql_cell(r, i, c_state), sql_cell(r, i, c_prog), sql_cell(r, i, c_err));
	}
	sql_res_free(r);
}

/* Label REPLICATION_<db>_<tbl>_<job id>: the table id and the job id. */
static void
follow_transactions(struct follow_task *t)
{
	static const char *const which[] = { "running", "finished" };

	for (size_t d = 0; d < t->n_db_ids; d++) {
		for (size_t w = 0; w < ARRAY_LEN(which); w++) {
			char *q = xasprintf("SHOW PROC '/transactions/%lld/%s'", (long long)t->db_ids[d],
					    which[w]);
			struct sql_res *r = sql_pool_query(t->pool, q, t->err, sizeof(t->err));

			free(q);
			if (r == NULL) {
				t->failed = true;
				return;
			}
			for (size_t i = 0; i < sql_rows(r); i++) {
				const char *label = sql_cell(r, i, sql_col(r, "Label"));
				long long db, tbl;
				int off = 0;

				if (label == NULL || !str_starts(label, "REPLICATION_") ||
				    sscanf(label, "REPLICATION_%lld_%lld_%n", &db, &tbl, &off) != 2 || off <= 0)
					continue;
				add_row(t, label + off, tbl, sql_cell(r, i, sql_col(r, "TransactionStatus")),
					NULL, sql_cell(r, i, sql_col(r, "Reason")));
			}
			sql_res_free(r);
		}
	}
}

static void
follow_run(struct task *base)
{
	struct follow_task *t = (struct follow_task *)base;

	if (t->proc)
		follow_replications(t);
	else
		follow_transactions(t);
}

static void
follow_free(struct follow_task *t)
{
	for (size_t i = 0; i < t->n_rows; i++) {
		free(t->rows[i].job_id);
		free(t->rows[i].error);
	}
	free(t->rows);
	free(t->db_ids);
	free(t);
}

/* An FE job in one of these states holds its table: the FE refuses another. */
static bool
fe_state_running(const char *s)
{
	return str_eq(s, "SNAPSHOTING") || str_eq(s, "REPLICATING") || str_eq(s, "INITIALIZING") ||
	       str_eq(s, "PREPARE");
}

/* Apply one FE row to our job. */
static void
apply_row(struct engine *e, struct mjob *j, const struct fe_job *r)
{
	const char *s = r->state;

	str_copy(j->fe_state, sizeof(j->fe_state), s);
	str_copy(j->fe_progress, sizeof(j->fe_progress), r->progress);
	j->dirty = true;
	if (str_eq(s, "COMMITTED") || str_eq(s, "VISIBLE")) {
		job_finished(e, j, str_eq(s, "VISIBLE") ? "transaction visible" : "committed");
	} else if (str_eq(s, "ABORTED")) {
		job_failed(e, j, r->error[0] ? r->error : "aborted by the FE");
	} else if (str_eq(s, "SNAPSHOTING") || str_eq(s, "REPLICATING") || str_eq(s, "PREPARE") ||
		   str_eq(s, "PREPARED")) {
		if (j->state != JOB_RUNNING)
			mig_job_state(&e->mig, j, JOB_RUNNING);
	}
}

static void
follow_done(struct task *base, void *owner)
{
	struct follow_task *t = (struct follow_task *)base;
	struct engine *e = owner;
	struct migration *m = &e->mig;
	GHashTable *by_id = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *running_by_table = g_hash_table_new(g_int64_hash, g_int64_equal);
	int64_t grace = 2 * e->cfg->replication_job_interval_seconds * 1000 + 30000;

	e->follow_inflight = false;
	if (t->failed) {
		log_warn("following jobs: %s", t->err);
		goto out;
	}
	if (e->fe_running == NULL)
		e->fe_running = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
	g_hash_table_remove_all(e->fe_running);
	for (size_t i = 0; i < t->n_rows; i++) {
		g_hash_table_insert(by_id, t->rows[i].job_id, &t->rows[i]);
		if (fe_state_running(t->rows[i].state)) {
			g_hash_table_insert(running_by_table, &t->rows[i].table_id, &t->rows[i]);
			g_hash_table_insert(e->fe_running, g_memdup2(&t->rows[i].table_id, sizeof(int64_t)),
					    g_strdup(t->rows[i].job_id));
		}
	}
	if (!e->fe_surveyed) {
		e->fe_surveyed = true;
		e->kick_repl = true;
		if (g_hash_table_size(e->fe_running))
			log_info("the target FE runs %u replication jobs already",
				 g_hash_table_size(e->fe_running));
	}
	for (size_t i = 0; i < m->n_jobs; i++) {
		struct mjob *j = m->jobs[i];
		const struct fe_job *r;

		if (j->state == JOB_UNKNOWN) {
			/* Given up on (no answer, then not seen), but the FE took it late: follow it again. */
			r = j->fe_job_id[0] ? g_hash_table_lookup(by_id, j->fe_job_id) : NULL;
			if (r && mig_job_by_fe_id(m, j->fe_job_id) == j && !str_eq(r->state, "ABORTED") &&
			    !str_eq(r->state, "INITIALIZING")) {
				struct mtable *tbl = mig_table_by_id(m, j->table_id);

				log_info("job %s for %s: the FE took it after all; following it", j->fe_job_id,
					 tbl ? tbl->display : "?");
				j->error[0] = '\0';
				apply_row(e, j, r);
			}
			continue;
		}
		if (j->state != JOB_SENT && j->state != JOB_RUNNING)
			continue;
		if (j->sent_mono_ms == 0)
			continue;	/* its send is still in flight */
		r = j->fe_job_id[0] ? g_hash_table_lookup(by_id, j->fe_job_id) : NULL;
		if (r == NULL && (r = g_hash_table_lookup(running_by_table, &j->tgt_table_id)) != NULL) {
			struct mjob *o = mig_job_by_fe_id(m, r->job_id);

			if (o == NULL || (o != j && !mig_job_open(o))) {
				/* The FE runs a job for this table we did not send now: adopt it. */
				log_info("following the FE's job %s for table id %lld", r->job_id,
					 (long long)j->tgt_table_id);
				mig_job_set_fe_id(m, j, r->job_id);
			} else if (o != j) {
				/* Another job of ours follows it ("already running" answered this one): wait. */
				mig_job_set_fe_id(m, j, "");
				mig_job_state(m, j, JOB_PENDING);
				if (j->attempts > 0)
					j->attempts--;
				continue;
			}
		}
		if (r) {
			apply_row(e, j, r);
		} else if (now_ms() - j->sent_mono_ms > grace) {
			str_copy(j->error, sizeof(j->error), "the FE does not know this job");
			mig_job_state(m, j, JOB_UNKNOWN);
			e->confirm_wanted = true;
			log_warn("job %s: the FE does not know it; the next pass decides", j->fe_job_id);
		}
	}
out:
	g_hash_table_destroy(by_id);
	g_hash_table_destroy(running_by_table);
	e->pub_progress = true;
	follow_free(t);
}

void
jobs_follow(struct engine *e)
{
	struct follow_task *t;
	GHashTable *dbs;

	if (e->cat[SIDE_TARGET] == NULL)
		return;
	t = xcalloc(1, sizeof(*t));
	t->base.run = follow_run;
	t->base.done = follow_done;
	t->pool = &e->pool[SIDE_TARGET];
	t->proc = ver_has_replications_proc(&e->cat[SIDE_TARGET]->version);
	if (!t->proc) {
		dbs = g_hash_table_new(g_int64_hash, g_int64_equal);
		for (size_t i = 0; i < e->mig.n_jobs; i++) {
			struct mjob *j = e->mig.jobs[i];
			const struct mtable *tbl;
			const struct cat_table *tt;

			/* Before the first send, the databases of every job to send: what runs there? */
			if (j->state == JOB_SENT || j->state == JOB_RUNNING || j->state == JOB_UNKNOWN) {
				if (j->tgt_db_id <= 0)
					continue;
			} else if (e->fe_surveyed || !mig_job_open(j) ||
				   (tbl = mig_table_by_id(&e->mig, j->table_id)) == NULL ||
				   (tt = catalog_table(e->cat[SIDE_TARGET], tbl->db, tbl->name)) == NULL) {
				continue;
			} else {
				j->tgt_db_id = tt->db_id;
				j->tgt_table_id = tt->id;
			}
			if (!g_hash_table_contains(dbs, &j->tgt_db_id)) {
				g_hash_table_add(dbs, &j->tgt_db_id);
				t->db_ids = xrealloc(t->db_ids, (t->n_db_ids + 1) * sizeof(int64_t));
				t->db_ids[t->n_db_ids++] = j->tgt_db_id;
			}
		}
		g_hash_table_destroy(dbs);
	}
	e->follow_inflight = true;
	taskpool_submit(&e->tp, &t->base);
}
