/*
 * cutover: the "After Migration" steps of the reference, in order, each
 * opened only when its gate holds (product.md §7):
 *
 *   1 stop writes   gate: every table synced, no DDL open, no failed job;
 *                   the operator confirms the source no longer takes writes
 *   2 catch up      gate: cutover_quiet_rounds passes in a row with no source
 *                   change, every table synced
 *   3 verify        runs the verification; gate: no mismatch
 *   4 stop syncing  gate: no job in flight; then no new DDL or job
 *   5 restore       puts back the settings the checklist changed (recorded
 *                   old values, else the documented defaults), read back
 *   6 remind        the manual last steps; confirming ends the run
 *
 * Every step, answer and result goes to LOG_DIR/cutover.log; the step is
 * kept in LOG_DIR/state/cutover so the wizard resumes after a restart.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "srmigrate/engine.h"
#include "srmigrate/log.h"
#include "srmigrate/state.h"
#include "srmigrate/util.h"
#include "srmigrate/verify.h"

#define CATCH_UP_PASS_MS 30000	/* passes come at least this often while catching up */

static void
journal(struct engine *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
journal(struct engine *e, const char *fmt, ...)
{
	char text[EV_LONG_LEN], stamp[32];
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	log_info("cutover: %s", text);
	f = e->cut.log_path ? fopen(e->cut.log_path, "a") : NULL;
	if (f) {
		fprintf(f, "%s %s\n", fmt_time(stamp, sizeof(stamp), wall_ms()), text);
		fclose(f);
	}
}

static void
save(struct engine *e)
{
	char body[1024], err[SRM_ERR_LEN];

	if (e->cut.state_path == NULL)
		return;
	str_fmt(body, sizeof(body), "step=%d\nwrites_stopped_ms=%lld\nverified=%d\nreport=%s\n",
		(int)e->cut.step, (long long)e->cut.writes_stopped_ms, e->cut.verified, e->cut.report);
	if (state_save(e->cut.state_path, "cutover", body, err, sizeof(err)) != 0)
		log_error("cutover state: %s", err);
}

void
cutover_load(struct engine *e)
{
	char err[SRM_ERR_LEN], *dir = state_dir(e->cfg->log_dir, err, sizeof(err)), *body = NULL;
	int step = 0, verified = 0;
	long long stopped = 0;

	e->cut.log_path = xasprintf("%s/cutover.log", e->cfg->log_dir);
	if (dir == NULL) {
		log_error("cutover state: %s", err);
		return;
	}
	e->cut.state_path = xasprintf("%s/cutover", dir);
	free(dir);
	if (state_load(e->cut.state_path, "cutover", &body, err, sizeof(err)) != 0) {
		log_error("cutover state not used: %s", err);
		return;
	}
	if (body == NULL)
		return;
	if (sscanf(body, "step=%d\nwrites_stopped_ms=%lld\nverified=%d\nreport=%511[^\n]", &step,
		   &stopped, &verified, e->cut.report) < 3 || step < CUT_NONE || step > CUT_DONE) {
		log_error("cutover state not used: %s does not parse", e->cut.state_path);
		free(body);
		return;
	}
	free(body);
	if (step == CUT_NONE || step == CUT_DONE)
		return;
	e->cut.step = (enum cutover_step)step;
	e->cut.writes_stopped_ms = stopped;
	e->cut.verified = verified;
	e->cut.sync_stopped = step > CUT_STOP_SYNC;
	journal(e, "resumed at %s", cutover_step_title(e->cut.step));
	e->pub_cutover = true;
}

void
cutover_free(struct engine *e)
{
	free(e->cut.state_path);
	free(e->cut.log_path);
}

/* Everything synced, nothing open: the gate of steps 1 and 2. */
static bool
all_synced(struct engine *e, char *why, size_t len)
{
	struct ev_progress p;

	progress_compute(&e->prog, &e->mig, now_ms(), &p);
	if (p.tables_total == 0)
		str_copy(why, len, "no table is selected");
	else if (p.tables_finished < p.tables_total)
		str_fmt(why, len, "%u of %u tables not in sync yet", p.tables_total - p.tables_finished,
			p.tables_total);
	else if (p.ddl_pending)
		str_fmt(why, len, "%u DDL statements pending or held", p.ddl_pending);
	else if (p.failed || p.tables_failed)
		str_fmt(why, len, "%u failed jobs", p.failed + p.tables_failed);
	else if (p.running + p.sent + p.job_pending)
		str_fmt(why, len, "%u jobs still to finish", p.running + p.sent + p.job_pending);
	else
		return true;
	return false;
}

static void
gate(struct engine *e, bool open, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
gate(struct engine *e, bool open, const char *fmt, ...)
{
	char text[EV_TEXT_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (e->cut.open != open || !str_eq(e->cut.gate, text)) {
		e->cut.open = open;
		str_copy(e->cut.gate, sizeof(e->cut.gate), text);
		e->pub_cutover = true;
	}
}

void
cutover_update(struct engine *e)
{
	struct cutover *c = &e->cut;
	char why[EV_TEXT_LEN];
	int64_t need = e->cfg->cutover_quiet_rounds;

	switch (c->step) {
	case CUT_NONE:
	case CUT_DONE:
		return;
	case CUT_STOP_WRITES:
		if (all_synced(e, why, sizeof(why)))
			gate(e, true, "every table is in sync: stop writes to the source, then confirm");
		else
			gate(e, false, "not yet: %s", why);
		break;
	case CUT_CATCH_UP:
		/* Passes come often while we wait for quiet ones. */
		if (e->next_meta > now_ms() + CATCH_UP_PASS_MS)
			e->next_meta = now_ms() + CATCH_UP_PASS_MS;
		if (!all_synced(e, why, sizeof(why)))
			gate(e, false, "catching up: %s (quiet passes %u/%lld)", why, e->quiet_passes,
			     (long long)need);
		else if (e->quiet_passes < need)
			gate(e, false, "quiet passes %u/%lld: the source must not change", e->quiet_passes,
			     (long long)need);
		else
			gate(e, true, "%u quiet passes at 100%%: verify next", e->quiet_passes);
		break;
	case CUT_VERIFY:
		if (c->busy)
			gate(e, false, "verifying");
		else if (c->verified)
			gate(e, true, "the target matches the source: stop syncing next");
		else
			gate(e, false, "mismatches found (see the report): fix, then verify again (Enter)");
		break;
	case CUT_STOP_SYNC:
		if (jobs_active(e) + e->sends_inflight > 0 || e->ddl_inflight)
			gate(e, false, "waiting for %u jobs in flight", jobs_active(e) + e->sends_inflight);
		else
			gate(e, true, "stop syncing: no new DDL or job will start");
		break;
	case CUT_RESTORE:
		if (c->busy)
			gate(e, false, "restoring settings");
		else
			gate(e, true, "put back the settings changed for the migration");
		break;
	case CUT_REMIND:
		gate(e, true, "the last steps are yours (below); confirm when done");
		break;
	}
}

/* --- tasks: verification and restoring ------------------------------------------ */

struct verify_task {
	struct task base;
	struct sql_pool *pool;
	struct catalog *cat[2];
	const struct srm_config *cfg;
	struct verify_report r;
	int rc;
	char err[SRM_ERR_LEN];
};

static void
verify_task_run(struct task *base)
{
	struct verify_task *t = (struct verify_task *)base;

	verify_run(t->pool, t->cat[0], t->cat[1], t->cfg, false, &t->r);
	t->rc = verify_write(&t->r, t->cfg->log_dir, t->err, sizeof(t->err));
}

static void
verify_task_done(struct task *base, void *owner)
{
	struct verify_task *t = (struct verify_task *)base;
	struct engine *e = owner;
	struct cutover *c = &e->cut;

	c->busy = false;
	c->verified = t->rc == 0 && t->r.n_issues == 0;
	str_copy(c->report, sizeof(c->report), t->r.text_path);
	if (t->rc != 0)
		str_fmt(c->result, sizeof(c->result), "could not write the report: %s", t->err);
	else if (t->r.n_issues)
		str_fmt(c->result, sizeof(c->result), "%zu mismatches in %zu tables; first: %s %s: %s. "
			"Report: %s", t->r.n_issues, t->r.tables, t->r.issues[0].table,
			t->r.issues[0].partition, t->r.issues[0].what, t->r.text_path);
	else
		str_fmt(c->result, sizeof(c->result), "%zu tables, %zu partitions match. Report: %s",
			t->r.tables, t->r.partitions, t->r.text_path);
	journal(e, "verify: %s", c->result);
	verify_free(&t->r);
	catalog_unref(t->cat[0]);
	catalog_unref(t->cat[1]);
	e->pub_cutover = true;
	save(e);
	free(t);
}

static void
start_verify(struct engine *e)
{
	struct verify_task *t = xcalloc(1, sizeof(*t));

	t->base.run = verify_task_run;
	t->base.done = verify_task_done;
	t->pool = e->pool;
	t->cat[0] = catalog_ref(e->cat[SIDE_SOURCE]);
	t->cat[1] = catalog_ref(e->cat[SIDE_TARGET]);
	t->cfg = e->cfg;
	e->cut.busy = true;
	e->cut.verified = false;
	e->pub_cutover = true;
	taskpool_submit(&e->tp, &t->base);
}

/* What the migration changed, and the documented default of each. */
struct restore {
	enum side side;
	const char *key, *fallback;
	bool needed;
};

struct restore_task {
	struct task base;
	struct sql_pool *pool;
	struct settings *settings;
	struct restore items[3];
	int failures;
	char result[EV_LONG_LEN];
};

static void
restore_run(struct task *base)
{
	struct restore_task *t = (struct restore_task *)base;
	size_t w = 0;

	for (size_t i = 0; i < ARRAY_LEN(t->items); i++) {
		char msg[EV_TEXT_LEN];
		int rc;

		if (!t->items[i].needed)
			continue;
		rc = settings_restore(t->settings, &t->pool[t->items[i].side], t->items[i].side,
				      t->items[i].key, t->items[i].fallback, msg, sizeof(msg));
		if (rc != 0)
			t->failures++;
		if (w < sizeof(t->result))
			w += (size_t)snprintf(t->result + w, sizeof(t->result) - w, "%s%s%s", w ? "; " : "",
					      rc != 0 ? "FAILED " : "", msg);
	}
	if (w == 0)
		str_copy(t->result, sizeof(t->result), "nothing to restore on these clusters");
}

static void
reminders(struct engine *e)
{
	const struct catalog *s = e->cat[SIDE_SOURCE], *t = e->cat[SIDE_TARGET];
	size_t w = 0;
	char *r = e->cut.result;
	size_t len = sizeof(e->cut.result);

	w += (size_t)snprintf(r + w, len - w, "Remove from fe.conf on every target FE: "
			      "enable_legacy_compatibility_for_replication = true%s. ",
			      t && t->shared_data ? ", lake_compaction_max_tasks = 0" : "");
	if (s && s->shared_data)
		w += (size_t)snprintf(r + w, len - w, "On the source, remove "
				      "lake_autovacuum_grace_period_minutes from fe.conf. Drop the src_ "
				      "storage volumes on the target (DROP STORAGE VOLUME src_<name>). ");
	snprintf(r + w, len - w, "Point the applications to the target (%s:%lld).",
		 e->cfg->target.fe_host, (long long)e->cfg->target.query_port);
}

static void
restore_done(struct task *base, void *owner)
{
	struct restore_task *t = (struct restore_task *)base;
	struct engine *e = owner;

	e->cut.busy = false;
	str_copy(e->cut.result, sizeof(e->cut.result), t->result);
	journal(e, "restore: %s", t->result);
	if (t->failures == 0) {
		e->cut.step = CUT_REMIND;
		journal(e, "now at %s", cutover_step_title(e->cut.step));
		reminders(e);
		journal(e, "remind: %s", e->cut.result);
	}
	e->pub_cutover = true;
	save(e);
	free(t);
}

static void
start_restore(struct engine *e)
{
	struct restore_task *t = xcalloc(1, sizeof(*t));
	const struct catalog *s = e->cat[SIDE_SOURCE], *tg = e->cat[SIDE_TARGET];

	t->base.run = restore_run;
	t->base.done = restore_done;
	t->pool = e->pool;
	t->settings = e->settings;
	/* The documented defaults: 30, -1, false (product.md §7). */
	t->items[0] = (struct restore){ SIDE_SOURCE, "lake_autovacuum_grace_period_minutes", "30",
					s && s->shared_data };
	t->items[1] = (struct restore){ SIDE_TARGET, "lake_compaction_max_tasks", "-1",
					tg && tg->shared_data };
	t->items[2] = (struct restore){ SIDE_TARGET, "enable_legacy_compatibility_for_replication", "false",
					tg && ver_has_legacy_compat(&tg->version) };
	e->cut.busy = true;
	e->pub_cutover = true;
	taskpool_submit(&e->tp, &t->base);
}

/* --- commands ---------------------------------------------------------------------- */

static void
advance(struct engine *e, enum cutover_step next)
{
	e->cut.step = next;
	e->cut.open = false;
	e->pub_cutover = true;
	journal(e, "now at %s", cutover_step_title(next));
	save(e);
}

int
cutover_command(struct engine *e, enum cmd_type type, uint32_t seen, char *msg, size_t len)
{
	struct cutover *c = &e->cut;

	if (e->opts.readonly) {
		str_copy(msg, len, "read-only: no cutover");
		return -1;
	}
	if (type == CMD_CUTOVER_ABORT) {
		if (c->step == CUT_NONE) {
			str_copy(msg, len, "no cutover in progress");
			return -1;
		}
		journal(e, "left by the operator at %s%s", cutover_step_title(c->step),
			c->sync_stopped ? " (syncing was stopped: it starts again)" : "");
		c->step = CUT_NONE;
		c->sync_stopped = false;
		c->result[0] = '\0';
		e->pub_cutover = true;
		e->triggers++;
		save(e);
		str_copy(msg, len, "cutover left; syncing goes on");
		return 0;
	}
	if (type == CMD_CUTOVER_START) {
		if (!e->continued) {
			str_copy(msg, len, "start the migration first");
			return -1;
		}
		if (c->step != CUT_NONE) {
			str_fmt(msg, len, "cutover already at %s", cutover_step_title(c->step));
			return 0;
		}
		advance(e, CUT_STOP_WRITES);
		cutover_update(e);
		str_fmt(msg, len, "cutover started: %s", c->gate);
		return 0;
	}
	/* CMD_CUTOVER_NEXT: confirm the current step. */
	if (c->step == CUT_NONE) {
		str_copy(msg, len, "no cutover in progress (cutover start)");
		return -1;
	}
	/* An answer given to a step that has moved on since confirms nothing. */
	if (seen != CUT_NONE && seen != (uint32_t)c->step) {
		str_fmt(msg, len, "the cutover has moved on to %s: nothing confirmed", cutover_step_title(c->step));
		return -1;
	}
	cutover_update(e);
	if (c->step == CUT_VERIFY && !c->busy && !c->verified) {
		journal(e, "verify: run again by the operator");
		start_verify(e);
		str_copy(msg, len, "verifying again");
		return 0;
	}
	if (!c->open) {
		str_fmt(msg, len, "%s is not open: %s", cutover_step_title(c->step), c->gate);
		return -1;
	}
	journal(e, "%s: confirmed by the operator", cutover_step_title(c->step));
	switch (c->step) {
	case CUT_STOP_WRITES:
		c->writes_stopped_ms = wall_ms();
		e->quiet_passes = 0;	/* quiet passes count from now */
		e->next_meta = now_ms();
		advance(e, CUT_CATCH_UP);
		break;
	case CUT_CATCH_UP:
		advance(e, CUT_VERIFY);
		start_verify(e);
		break;
	case CUT_VERIFY:
		advance(e, CUT_STOP_SYNC);
		break;
	case CUT_STOP_SYNC:
		c->sync_stopped = true;
		advance(e, CUT_RESTORE);
		start_restore(e);
		break;
	case CUT_RESTORE:
		start_restore(e);	/* the last attempt failed: try again */
		break;
	case CUT_REMIND:
		advance(e, CUT_DONE);
		engine_set_state(e, ENGINE_DONE, "cutover complete");
		engine_finish(e, 0, "cutover complete: the target is ready");
		break;
	case CUT_NONE:
	case CUT_DONE:
		break;
	}
	cutover_update(e);
	str_fmt(msg, len, "%s: %s%s%s", cutover_step_title(c->step), c->gate,
		c->result[0] ? "\nlast result: " : "", c->result);
	return 0;
}

void
cutover_status(const struct engine *e, char *out, size_t len)
{
	const struct cutover *c = &e->cut;

	if (c->step == CUT_NONE) {
		str_copy(out, len, "cutover: not started");
		return;
	}
	str_fmt(out, len, "cutover: %s (%s): %s%s%s", cutover_step_title(c->step),
		c->busy ? "running" : c->open ? "open" : "closed", c->gate, c->result[0] ? "\nlast result: " : "",
		c->result);
}
