/* engine: the thread, its loop, commands, guards (design in engine.h). */
#include "srmigrate/engine.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/log.h"
#include "srmigrate/util.h"

#define TICK_MS 50
#define ONCE_MAX_ATTEMPTS 5	/* --once: a table failing this often counts as not syncable */
#define FOLLOW_MS 2000
#define FOLLOW_WAITING_MIN_MS 100
#define FOLLOW_WAITING_SHARE 40	/* while jobs wait: a job's end is seen within 1/40 of a job */
#define CONFIRM_MIN_MS 2000
#define PRUNE_EVERY_MS 30000
#define KEEP_ENDED_MS (2 * 60 * 1000)	/* ended jobs and DDL of past cycles stay in view this long */
#define ROLL_MIN_ENDED 1000		/* a cycle that never ends moves on past this many ended jobs ... */
#define ROLL_PER_TABLE 4		/* ... plus this many per table */

struct engine *
engine_new(struct srm_config *cfg, struct settings *settings, const struct engine_opts *o,
	   struct ring *events, struct ring *commands)
{
	struct engine *e = xcalloc(1, sizeof(*e));

	e->cfg = cfg;
	e->settings = settings;
	e->opts = *o;
	e->events = events;
	e->commands = commands;
	for (int s = 0; s < 2; s++)
		sql_pool_init(&e->pool[s], (enum side)s, s == 0 ? &cfg->source : &cfg->target, &cfg->hosts,
			      cfg->jdbc_connect_timeout_ms, cfg->jdbc_socket_timeout_ms);
	mig_init(&e->mig);
	progress_init(&e->prog);
	e->state = ENGINE_CHECKING;
	e->pub_engine = e->pub_progress = e->pub_cluster[0] = e->pub_cluster[1] = true;
	e->cap_tables = 100;
	e->cap_replicas = 10240;
	e->cap_data_mb = 1048576;
	return e;
}

void
engine_attach_control(struct engine *e, struct ring *commands, struct ring *replies)
{
	e->ctl_commands = commands;
	e->ctl_replies = replies;
}

void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	for (int s = 0; s < 2; s++) {
		catalog_unref(e->cat[s]);
		sql_pool_fini(&e->pool[s]);
	}
	mig_fini(&e->mig);
	preflight_free(&e->pf);
	cutover_free(e);
	free(e->check_dirty);
	free(e->nodes);
	free(e->node_dirty);
	free(e->forgets);
	if (e->node_ids)
		g_hash_table_destroy(e->node_ids);
	if (e->fe_running)
		g_hash_table_destroy(e->fe_running);
	jobs_prepared_free(e);
	free(e);
}

void
engine_set_state(struct engine *e, enum engine_state s, const char *reason)
{
	if (e->state == s && str_eq(e->reason, reason ? reason : ""))
		return;
	if (e->state != s)
		log_info("engine: %s%s%s", engine_state_name(s), reason && reason[0] ? ": " : "",
			 reason ? reason : "");
	e->state = s;
	str_copy(e->reason, sizeof(e->reason), reason ? reason : "");
	e->pub_engine = true;
}

bool
engine_may_write(const struct engine *e)
{
	return e->continued && !e->paused && !e->opts.readonly && !e->stop && !e->cut.sync_stopped &&
	       (e->state == ENGINE_SYNCING || e->state == ENGINE_STOPPED || e->state == ENGINE_CUTOVER);
}

/* The state to show when nothing special holds. */
static void
settle_state(struct engine *e)
{
	char why[EV_TEXT_LEN];

	if (e->state == ENGINE_DONE || e->stop)
		return;
	if (!e->continued) {
		if (e->checks_done && checks_allow_start(e, why, sizeof(why)))
			engine_set_state(e, ENGINE_WAITING, "checks done: press Enter to start");
		else if (e->checks_done)
			engine_set_state(e, ENGINE_WAITING, why);
		return;
	}
	if (e->cut.step != CUT_NONE && e->cut.step != CUT_DONE)
		engine_set_state(e, ENGINE_CUTOVER, cutover_step_title(e->cut.step));
	else if (e->paused)
		engine_set_state(e, ENGINE_PAUSED, "paused by the operator");
	else if (e->disk_stop)
		engine_set_state(e, ENGINE_STOPPED, str_fmt(why, sizeof(why), "disk: %s", e->disk_node));
	else
		engine_set_state(e, ENGINE_SYNCING, e->opts.readonly ? "read-only: nothing is written" : "");
}

/* --- commands ------------------------------------------------------------------ */

static void
status_text(struct engine *e, char *out, size_t len)
{
	struct ev_progress p;
	char job[512], table[512], age[32];
	size_t w = 0;

	progress_compute(&e->prog, &e->mig, now_ms(), &p);
	progress_lines(&p, job, sizeof(job), table, sizeof(table));
	w += (size_t)snprintf(out + w, len - w, "state: %s%s%s\n", engine_state_name(e->state),
			      e->reason[0] ? ": " : "", e->reason);
	for (int s = 0; s < 2 && w < len; s++) {
		const struct catalog *c = e->cat[s];
		const struct cluster_cfg *cc = s == 0 ? &e->cfg->source : &e->cfg->target;
		char via[96];

		fmt_duration(age, sizeof(age),
			     e->health[s].last_ok_ms ? (wall_ms() - e->health[s].last_ok_ms) / 1000 : -1);
		sql_pool_address(&e->pool[s], via, sizeof(via));
		/* The age is that of the last complete read: what the panes show is that old. */
		w += (size_t)snprintf(out + w, len - w, "%s: %s:%lld %s %s %s (data %s old; via %s; "
				      "%llu connections lost, %llu FE switches)%s%s\n",
				      s == 0 ? "source" : "target", cc->fe_host, (long long)cc->query_port,
				      c && c->version_known ? c->version.text : "?",
				      c ? (c->shared_data ? "shared_data" : "shared_nothing") : "?",
				      e->health[s].connected ? "connected" : "NOT CONNECTED", age,
				      via[0] ? via : "-",
				      (unsigned long long)atomic_load(&e->pool[s].lost),
				      (unsigned long long)atomic_load(&e->pool[s].failovers),
				      e->health[s].error[0] ? ": " : "", e->health[s].error);
	}
	if (w < len)
		w += (size_t)snprintf(out + w, len - w, "%s\n%s\nblocked tables: %u, failed tables: %u, "
				      "meta passes: %u\n", job, table, p.tables_blocked, p.tables_failed,
				      e->passes);
	for (size_t i = 0; i < e->mig.n_ddls && w < len; i++) {
		const struct mddl *d = e->mig.ddls[i];

		if (d->state == DDL_HELD)
			w += (size_t)snprintf(out + w, len - w, "held DDL %u (approve %u / skip %u): %s %s%s%s%s%s\n",
					      d->id, d->id, d->id, ddl_kind_name(d->kind), d->db,
					      d->table ? "." : "", d->table ? d->table : "",
					      d->partition ? " " : "", d->partition ? d->partition : "");
	}
	if (w < len)
		cutover_status(e, out + w, len - w);
}

/* Drop what the operator skipped for this table and what blocked it, so it may be proposed again. */
static void
forget_skips(struct engine *e, struct mtable *t)
{
	struct migration *m = &e->mig;

	for (size_t i = m->n_ddls; i-- > 0;) {
		if (m->ddls[i]->table_id == t->id && m->ddls[i]->state == DDL_SKIPPED) {
			mig_ddl_delete(m, m->ddls[i]);
		}
	}
	t->blocked = false;
	/* A schema difference found before is looked for again, from scratch. */
	free(t->schema_change);
	t->schema_change = NULL;
	t->schema_recreates = 0;
}

static bool
retry_table(struct engine *e, struct mtable *t)
{
	bool any = t->failures > 0 || t->state == TABLE_BLOCKED;

	forget_skips(e, t);
	jobs_retry(e, t);
	e->confirm_wanted = true;
	if (any)
		log_info("operator: retry %s", t->display);
	return any;
}

static bool
handle(struct engine *e, const struct command *c, char *msg, size_t len)
{
	struct mtable *t;

	switch (c->type) {
	case CMD_PAUSE:
	case CMD_RESUME:
		if (e->opts.readonly) {
			str_copy(msg, len, "read-only: nothing to pause");
			return false;
		}
		e->paused = c->type == CMD_PAUSE;
		log_warn("operator: %s the migration", e->paused ? "paused" : "resumed");
		if (!e->paused)
			e->triggers++;
		settle_state(e);
		str_copy(msg, len, e->paused ? "paused: no DDL and no new job until resume" : "resumed");
		return true;
	case CMD_RETRY_TABLE:
		t = c->id ? mig_table_by_id(&e->mig, c->id) : mig_table_by_display(&e->mig, c->arg);
		if (t == NULL) {
			str_fmt(msg, len, "no table %s", c->id ? "with that id" : c->arg);
			return false;
		}
		retry_table(e, t);
		str_fmt(msg, len, "retrying %s", t->display);
		return true;
	case CMD_RETRY_ALL: {
		uint32_t n = 0;

		for (size_t i = 0; i < e->mig.n_tables; i++)
			if (e->mig.tables[i]->failures > 0 || e->mig.tables[i]->state == TABLE_BLOCKED)
				n += retry_table(e, e->mig.tables[i]);
		str_fmt(msg, len, "retrying %u tables", n);
		return true;
	}
	case CMD_APPROVE_DDL:
	case CMD_SKIP_DDL:
		if (e->opts.readonly) {
			str_copy(msg, len, "read-only: no DDL runs");
			return false;
		}
		return ddlq_approve(e, c->id, c->type == CMD_APPROVE_DDL, msg, len) == 0;
	case CMD_CONTINUE:
	case CMD_FORCE:
		if (!e->checks_done) {
			str_copy(msg, len, "the checklist is still running");
			return false;
		}
		if (c->type == CMD_FORCE && e->pf.fails) {
			e->opts.force = true;
			log_warn("operator: started over %u failed checks", e->pf.fails);
		}
		if (!checks_allow_start(e, msg, len))
			return false;
		e->continued = true;
		settle_state(e);
		e->triggers++;
		str_copy(msg, len, "syncing");
		return true;
	case CMD_STATUS:
		status_text(e, msg, len);
		return true;
	case CMD_STOP:
		e->stop = true;
		str_copy(msg, len, "stopping");
		return true;
	case CMD_FIX_CHECK:
		return checks_fix(e, c->arg, msg, len) == 0;
	case CMD_RECHECK:
		checks_again(e);
		str_copy(msg, len, "running the checklist again after a fresh read of both clusters");
		return true;
	case CMD_CUTOVER_START:
	case CMD_CUTOVER_NEXT:
	case CMD_CUTOVER_ABORT: {
		int rc = cutover_command(e, c->type, c->id, msg, len);

		settle_state(e);
		return rc == 0;
	}
	}
	str_copy(msg, len, "not available in this version");
	return false;
}

static void
take_commands(struct engine *e)
{
	struct command c;
	char msg[2048];

	while (ring_pop(e->commands, &c)) {
		if (!handle(e, &c, msg, sizeof(msg)) && msg[0])
			log_warn("%s", msg);
	}
	while (e->ctl_commands && ring_pop(e->ctl_commands, &c)) {
		struct reply r = { .request = c.request };

		r.ok = handle(e, &c, r.text, sizeof(r.text));
		/* The control thread waits for this reply: it must not be lost. */
		while (!ring_push(e->ctl_replies, &r))
			sleep_ms(1);
	}
}

/* --- guards and completion ---------------------------------------------------- */

void
engine_finish(struct engine *e, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->exit_reason, sizeof(e->exit_reason), fmt, ap);
	va_end(ap);
	e->exit_status = status;
	e->stop = true;
	if (status == 0)
		log_info("%s", e->exit_reason);
	else
		log_error("%s", e->exit_reason);
}

static void
guards(struct engine *e)
{
	int64_t budget = e->cfg->cluster_lost_timeout_seconds * 1000;

	if (e->disk_stop && !e->opts.tui && e->continued && !e->stop) {
		engine_finish(e, 3, "stopped by the disk guard: %s", e->disk_node);
		engine_set_state(e, ENGINE_STOPPED, e->exit_reason);
	}
	for (int s = 0; s < 2 && !e->stop; s++) {
		if (!e->opts.tui && e->health[s].lost_since &&
		    now_ms() - e->health[s].lost_since > budget)
			engine_finish(e, 4, "lost the %s cluster for more than %llds: %s", s ? "target" : "source",
			       (long long)(budget / 1000), e->health[s].error);
	}
}

/* --once: done when every table has been in sync once; stuck when nothing can move. */
static void
once_check(struct engine *e)
{
	struct migration *m = &e->mig;
	uint32_t pending = 0, stuck = 0;

	if (!e->opts.once || e->passes == 0 || e->meta_inflight || e->stop)
		return;
	for (size_t i = 0; i < m->n_tables; i++) {
		const struct mtable *t = m->tables[i];

		if (!t->on_source || t->ever_synced)
			continue;
		if (t->blocked || t->failures >= ONCE_MAX_ATTEMPTS)
			stuck++;
		else
			pending++;
	}
	/* Statements of no table (views, databases) are part of the run too. */
	for (size_t i = 0; i < m->n_ddls; i++) {
		const struct mddl *d = m->ddls[i];

		if (d->table_id != 0 || !mig_ddl_open(d))
			continue;
		if (d->state == DDL_HELD || d->attempts >= ONCE_MAX_ATTEMPTS)
			stuck++;
		else
			pending++;
	}
	if (pending > 0 || e->sends_inflight > 0 || jobs_active(e) > 0 || e->ddl_inflight)
		return;
	if (stuck == 0) {
		engine_set_state(e, ENGINE_DONE, "every selected table has been in sync once");
		engine_finish(e, 0, "one-time run complete: every selected table has been in sync once");
		return;
	}
	for (size_t i = 0; i < m->n_tables; i++) {
		const struct mtable *t = m->tables[i];

		if (t->on_source && !t->ever_synced)
			log_error("not synced: %s: %s", t->display, t->reason[0] ? t->reason : t->last_error);
	}
	for (size_t i = 0; i < m->n_ddls; i++) {
		const struct mddl *d = m->ddls[i];

		if (d->table_id == 0 && mig_ddl_open(d))
			log_error("not done: %s %s%s%s: %s", ddl_kind_name(d->kind), d->db, d->table ? "." : "",
				  d->table ? d->table : "", d->state == DDL_HELD ? "held for the operator" : d->error);
	}
	engine_set_state(e, ENGINE_DONE, "some objects cannot be synced");
	engine_finish(e, 1, "one-time run ended: %u tables or statements cannot be done (listed above)", stuck);
}

static void
report(struct engine *e)
{
	struct ev_progress p;
	char err[SRM_ERR_LEN];
	bool up[2] = { e->health[0].connected, e->health[1].connected };

	progress_compute(&e->prog, &e->mig, now_ms(), &p);
	p.passes = e->passes;
	progress_report(&p);
	if (e->cfg->metrics_file[0] &&
	    progress_write_metrics(e->cfg->metrics_file, &p, e->state, up, err, sizeof(err)) != 0)
		log_warn("metrics file: %s", err);
}

/*
 * Start the cycle anew when nothing of it is open any more, so "100%" means
 * caught up. A job the FE never showed (unknown) has ended too: its table
 * gets a new job, and waiting for it would keep the cycle open for good.
 * Under loads that never pause, a moment with nothing open may never come,
 * and the cycle's ended jobs would pile up for as long as srmigrate runs:
 * past a few rounds of every table, the open work moves on into a new cycle,
 * and what ended in the old one ages out (prune).
 */
static void
maybe_new_cycle(struct engine *e)
{
	struct migration *m = &e->mig;
	struct ev_progress p;

	if (m->cycle_done)
		return;
	progress_compute(&e->prog, m, now_ms(), &p);
	if (p.total == 0)
		return;
	if (p.ddl_pending + p.job_pending + p.sent + p.running + p.failed == 0) {
		m->cycle_done = true;
		return;
	}
	if (p.finished + p.unknown < ROLL_MIN_ENDED + ROLL_PER_TABLE * m->n_tables)
		return;
	m->cycle++;
	for (size_t i = 0; i < m->n_jobs; i++) {
		if (mig_job_open(m->jobs[i])) {
			m->jobs[i]->cycle = m->cycle;
			m->jobs[i]->dirty = true;
		}
	}
	for (size_t i = 0; i < m->n_ddls; i++) {
		if (mig_ddl_open(m->ddls[i])) {
			m->ddls[i]->cycle = m->cycle;
			m->ddls[i]->dirty = true;
		}
	}
	e->pub_progress = true;
	log_info("progress: a new round after %u jobs done; %u jobs and %u DDL carried over (the source keeps "
		 "changing)", p.finished + p.unknown, p.job_pending + p.sent + p.running + p.failed,
		 p.ddl_pending);
}

/* Ended jobs and DDL of past cycles leave memory and the view after a while. */
static void
prune(struct engine *e)
{
	struct migration *m = &e->mig;
	int64_t before = wall_ms() - KEEP_ENDED_MS;

	mig_jobs_prune(m, before);
	mig_ddl_prune(m, before);
}

/*
 * How often the FE's jobs are read. While jobs wait to be sent (for a
 * slot, or for a trigger: a job's end is one), a slot found free late is
 * time the target copies nothing: then a job's end is seen within a 40th
 * of how long jobs take lately, between 100 ms and the usual 2 s.
 */
static int64_t
follow_interval(const struct engine *e)
{
	int64_t ms = e->job_ms ? e->job_ms / FOLLOW_WAITING_SHARE : FOLLOW_MS / 8;

	if (!e->jobs_waiting)
		return FOLLOW_MS;
	return ms < FOLLOW_WAITING_MIN_MS ? FOLLOW_WAITING_MIN_MS : ms > FOLLOW_MS ? FOLLOW_MS : ms;
}

/* --- the loop -------------------------------------------------------------------- */

static void
tick(struct engine *e)
{
	int64_t now = now_ms(), follow;

	if (!e->meta_inflight && !e->confirm_inflight && now >= e->next_meta)
		metapass_start(e, false);
	else if (e->confirm_wanted && !e->meta_inflight && !e->confirm_inflight &&
		 now >= e->confirm_at) {
		metapass_start(e, true);
		e->confirm_at = now + CONFIRM_MIN_MS;
	}
	if (e->passes > 0 && !e->checks_done && !e->checks_inflight)
		checks_start(e);
	if (engine_may_write(e) && now >= e->next_ddl) {
		ddlq_run(e);
		e->next_ddl = now + e->cfg->ddl_job_interval_seconds * 1000;
	}
	if (engine_may_write(e) && !e->disk_stop && (e->kick_repl || e->triggers || now >= e->next_repl)) {
		if (now >= e->next_repl) {
			e->triggers++;
			e->next_repl = now + e->cfg->replication_job_interval_seconds * 1000;
		}
		if (jobs_dispatch(e, e->triggers))
			e->triggers = 0;
		e->kick_repl = false;
		e->prepare_more = true;
	}
	if (engine_may_write(e) && !e->disk_stop && e->jobs_waiting && e->prepare_more)
		jobs_prepare(e);
	/* Following also reads the FE's jobs once before the first send (jobs_dispatch waits for it). */
	follow = follow_interval(e);
	if (e->next_follow > now + follow)
		e->next_follow = now + follow;
	if (!e->follow_inflight && now >= e->next_follow &&
	    (jobs_active(e) > 0 || (!e->fe_surveyed && e->cat[SIDE_TARGET]))) {
		jobs_follow(e);
		e->next_follow = now + follow;
	}
	if (now >= e->next_report) {
		if (e->passes > 0)
			report(e);
		e->next_report = now + e->cfg->report_interval_seconds * 1000;
	}
	cutover_update(e);
	guards(e);
	once_check(e);
	maybe_new_cycle(e);
	if (now >= e->next_prune) {
		prune(e);
		e->next_prune = now + PRUNE_EVERY_MS;
	}
	settle_state(e);
}

static void
drain(struct engine *e)
{
	/* No new work; let what is in flight end (each task has its timeouts). */
	while (taskpool_in_flight(&e->tp) > 0) {
		taskpool_wait(&e->tp, TICK_MS);
		taskpool_reap(&e->tp, e);
		publish_flush(e);
	}
}

static void *
engine_main(void *arg)
{
	struct engine *e = arg;
	struct event quit = { .type = EV_QUIT };

	log_info("srmigrate %s: source %s:%lld, target %s:%lld%s%s", SRM_VERSION, e->cfg->source.fe_host,
		 (long long)e->cfg->source.query_port, e->cfg->target.fe_host,
		 (long long)e->cfg->target.query_port, e->opts.readonly ? ", read-only" : "",
		 e->opts.once ? ", one-time run" : "");
	cutover_load(e);
	e->next_meta = e->next_ddl = e->next_repl = now_ms();
	e->next_report = now_ms() + e->cfg->report_interval_seconds * 1000;
	while (!e->stop) {
		take_commands(e);
		if (srm_stop_signal)
			e->stop = true;
		taskpool_reap(&e->tp, e);
		if (!e->stop)
			tick(e);
		publish_flush(e);
		if (!e->stop)
			taskpool_wait(&e->tp, TICK_MS);
	}
	log_info("stopping: waiting for %zu operations in flight", taskpool_in_flight(&e->tp));
	drain(e);
	if (e->passes > 0)
		report(e);
	if (e->state != ENGINE_DONE && e->exit_status == 0)
		engine_set_state(e, ENGINE_DONE, e->exit_reason[0] ? e->exit_reason : "stopped");
	publish_flush(e);
	quit.u.quit.status = e->exit_status;
	str_copy(quit.u.quit.reason, sizeof(quit.u.quit.reason),
		 e->exit_reason[0] ? e->exit_reason : "stopped");
	/* The consumer waits for this one: it must get through. */
	while (!ring_push(e->events, &quit)) {
		sleep_ms(5);
		if (srm_stop_signal > 1)
			break;
	}
	return NULL;
}

int
engine_start(struct engine *e)
{
	if (taskpool_init(&e->tp, 8) != 0)
		return -1;
	if (pthread_create(&e->thread, NULL, engine_main, e) != 0) {
		taskpool_fini(&e->tp);
		return -1;
	}
	e->started = true;
	return 0;
}

int
engine_join(struct engine *e)
{
	if (!e->started)
		return e->exit_status;
	pthread_join(e->thread, NULL);
	taskpool_fini(&e->tp);
	e->started = false;
	return e->exit_status;
}
