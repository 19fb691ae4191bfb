/*
 * uidemo: the terminal UI on a canned migration, for the tmux test and for
 * looking at the UI without clusters. A thread plays the engine: it reports
 * two clusters, their nodes and a checklist, waits for Enter, then moves
 * tables and jobs along, and answers every command the UI sends the way the
 * engine does (pause, resume, retry, approve, skip, fix, recheck, cutover,
 * stop). Usage:
 *   uidemo [--readonly] [--blocking] [--tables N] [--die-after MS]
 * --die-after ends the process with a fatal error from the engine thread,
 * as an engine out of memory would (the terminal must come back). The
 * engine thread also writes a line to stderr while the screen is up: it
 * must not show there, and must show after the exit.
 * SRMIGRATE_SCRIPT and SRMIGRATE_NO_DISPLAY work as for srmigrate.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include "srmigrate/event.h"
#include "srmigrate/ring.h"
#include "srmigrate/ui.h"
#include "srmigrate/util.h"

#define TICK_MS 200

/* Set once ui_run has returned: nobody reads the events any more. */
static _Atomic bool ui_gone;

struct demo {
	struct ring events, commands;
	bool readonly, blocking, paused, continued;
	uint32_t n_tables, done, failed_table;
	int64_t die_at;
	enum cutover_step cut;
	int tick;
};

static void
push(struct demo *d, const struct event *e)
{
	while (!ring_push(&d->events, e) && !ui_gone)
		sleep_ms(5);	/* a demo may wait; the engine coalesces instead */
}

static void
engine_state(struct demo *d, enum engine_state s, const char *reason)
{
	struct event e = { .type = EV_ENGINE };

	e.u.engine.state = s;
	e.u.engine.readonly = d->readonly;
	str_copy(e.u.engine.reason, sizeof(e.u.engine.reason), reason);
	push(d, &e);
}

static void
logf_(struct demo *d, enum log_level level, const char *text)
{
	struct event e = { .type = EV_LOG };

	e.u.log.time_ms = wall_ms();
	e.u.log.level = level;
	str_copy(e.u.log.text, sizeof(e.u.log.text), text);
	push(d, &e);
}

static void
clusters(struct demo *d)
{
	static const char *const addr[] = { "fe-a.example:9030", "fe-b.example:9030" };
	static const char *const ver[] = { "3.3.5-6d81f75", "3.4.2-1a2b3c4" };
	static const char *const mode[] = { "shared_nothing", "shared_data" };

	for (int s = 0; s < 2; s++) {
		struct event e = { .type = EV_CLUSTER };

		e.u.cluster.side = (enum side)s;
		e.u.cluster.connected = true;
		e.u.cluster.last_ok_ms = wall_ms() - 1000 * (s + 1);
		str_copy(e.u.cluster.address, sizeof(e.u.cluster.address), addr[s]);
		str_copy(e.u.cluster.version, sizeof(e.u.cluster.version), ver[s]);
		str_copy(e.u.cluster.run_mode, sizeof(e.u.cluster.run_mode), mode[s]);
		push(d, &e);
	}
	for (uint32_t i = 0; i < 7; i++) {
		struct event e = { .type = EV_NODE };
		struct ev_node *n = &e.u.node;

		n->id = i + 1;
		n->side = i < 4 ? SIDE_SOURCE : SIDE_TARGET;
		n->kind = i == 0 || i == 4 ? NODE_FE : n->side == SIDE_SOURCE ? NODE_BE : NODE_CN;
		n->alive = true;
		n->reachable = 1;
		n->is_leader = n->kind == NODE_FE;
		n->disk_pct = n->kind == NODE_FE ? -1 : 30.0 + 9 * i;
		snprintf(n->name, sizeof(n->name), "%s-%u.%s.invalid", node_kind_name(n->kind), i,
			 n->side == SIDE_SOURCE ? "source" : "target");
		snprintf(n->mapped, sizeof(n->mapped), "127.0.0.1:%u", 19030 + i);
		push(d, &e);
	}
}

static void
check(struct demo *d, uint32_t index, enum check_status st, bool blocks, bool fixable,
      const char *key, const char *title, const char *seen, const char *fix)
{
	struct event e = { .type = EV_CHECK };

	e.u.check.index = index;
	e.u.check.status = st;
	e.u.check.blocks = blocks;
	e.u.check.fixable = fixable;
	str_copy(e.u.check.key, sizeof(e.u.check.key), key);
	str_copy(e.u.check.title, sizeof(e.u.check.title), title);
	str_copy(e.u.check.seen, sizeof(e.u.check.seen), seen);
	str_copy(e.u.check.fix, sizeof(e.u.check.fix), fix);
	push(d, &e);
}

static void
checks(struct demo *d)
{
	check(d, 1, CHECK_PASS, false, false, "login", "Both FEs reachable and logged in",
	      "SHOW PROC works on both", "");
	check(d, 2, CHECK_PASS, false, false, "path", "Versions and run modes",
	      "shared_nothing -> shared_data, target 3.4.2", "");
	check(d, 3, d->blocking ? CHECK_FAIL : CHECK_PASS, d->blocking, d->blocking,
	      "legacy_compat", "Target legacy compatibility for replication",
	      d->blocking ? "enable_legacy_compatibility_for_replication=false" : "true",
	      "ADMIN SET FRONTEND CONFIG (\"enable_legacy_compatibility_for_replication\" = \"true\")");
	check(d, 8, CHECK_WARN, false, false, "nodes", "Every node mapped and reachable",
	      "7 of 7 reachable; be-3 answers slowly (900 ms)", "Check the network to be-3.");
}

static void
table(struct demo *d, uint32_t i, enum table_state st, const char *reason)
{
	struct event e = { .type = EV_TABLE };
	struct ev_table *t = &e.u.table;

	t->id = i + 1;
	t->state = st;
	t->partitions = 4 + i % 5;
	t->lagging = st == TABLE_FINISHED ? 0 : 1 + i % 3;
	t->src_version = 100 + i;
	t->tgt_version = st == TABLE_FINISHED ? 100 + i : 90 + i;
	t->src_rows = 1000LL * (i + 1) * (i + 1);
	t->tgt_rows = st == TABLE_FINISHED ? t->src_rows : t->src_rows / 2;
	t->src_bytes = t->src_rows * 120;
	t->tgt_bytes = t->tgt_rows * 120;
	t->lag_bytes = t->src_bytes - t->tgt_bytes;
	t->attempts = st == TABLE_FAILED ? 2 : 0;
	t->synced_ms = st == TABLE_FINISHED ? wall_ms() : 0;
	snprintf(t->name, sizeof(t->name), "%s.table_%04u",
		 (const char *[]){ "sales", "hr", "web", "ops" }[i % 4], i);
	str_copy(t->reason, sizeof(t->reason), reason ? reason : "");
	push(d, &e);
}

static void
job(struct demo *d, uint32_t i, enum job_state st, const char *error)
{
	struct event e = { .type = EV_JOB };
	struct ev_job *j = &e.u.job;

	j->id = i + 1;
	j->table_id = i + 1;
	j->state = st;
	j->partitions = 1 + i % 3;
	j->attempts = error ? 2 : 1;
	j->bytes = (int64_t)(i + 1) << 24;
	j->created_ms = wall_ms() - 60000;
	j->sent_ms = st == JOB_PENDING ? 0 : wall_ms() - 50000;
	j->ended_ms = st == JOB_FINISHED || st == JOB_FAILED ? wall_ms() : 0;
	snprintf(j->job_id, sizeof(j->job_id), "srm_%u", i + 1);
	if (st == JOB_RUNNING) {
		str_copy(j->fe_state, sizeof(j->fe_state), "REPLICATING");
		snprintf(j->fe_progress, sizeof(j->fe_progress), "%u/8", 1 + (uint32_t)d->tick % 8);
	}
	snprintf(j->table, sizeof(j->table), "%s.table_%04u",
		 (const char *[]){ "sales", "hr", "web", "ops" }[i % 4], i);
	str_copy(j->error, sizeof(j->error), error ? error : "");
	push(d, &e);
}

static void
ddl(struct demo *d, uint32_t id, enum ddl_state st)
{
	struct event e = { .type = EV_DDL };

	e.u.ddl.id = id;
	e.u.ddl.state = st;
	e.u.ddl.drops_data = id == 2;
	e.u.ddl.queued_ms = wall_ms();
	str_copy(e.u.ddl.target, sizeof(e.u.ddl.target), id == 2 ? "hr.table_0001" : "web.clicks");
	str_copy(e.u.ddl.statement, sizeof(e.u.ddl.statement),
		 id == 2 ? "DROP TABLE `hr`.`table_0001` FORCE" :
			   "CREATE TABLE `web`.`clicks` (`id` BIGINT) DUPLICATE KEY(`id`)");
	push(d, &e);
}

static void
progress(struct demo *d)
{
	struct event e = { .type = EV_PROGRESS };
	struct ev_progress *p = &e.u.progress;
	uint32_t running = d->paused ? 0 : (d->n_tables - d->done > 4 ? 4 : d->n_tables - d->done);

	p->total = d->n_tables;
	p->finished = d->done;
	p->running = running;
	p->job_pending = d->n_tables - d->done - running - (d->failed_table ? 1 : 0);
	p->failed = d->failed_table ? 1 : 0;
	p->tables_total = d->n_tables;
	p->tables_finished = d->done;
	p->tables_unfinished = d->n_tables - d->done;
	p->tables_failed = p->failed;
	p->bytes_per_s = d->paused ? 0 : 48.0 * 1024 * 1024;
	p->eta_s = d->paused ? -1 : (int64_t)(d->n_tables - d->done) * TICK_MS / 1000;
	push(d, &e);
}

static void
start_sync(struct demo *d)
{
	d->continued = true;
	engine_state(d, ENGINE_SYNCING, d->readonly ? "read-only: nothing is written" : "");
	d->failed_table = 3;
	for (uint32_t i = 0; i < d->n_tables; i++)
		table(d, i, i == d->failed_table ? TABLE_FAILED : TABLE_UNFINISHED,
		      i == d->failed_table ? "replication failed: tablet 10042 has no healthy replica" :
					     NULL);
	job(d, d->failed_table, JOB_FAILED, "Backend 10003 not reachable");
	ddl(d, 1, DDL_DONE);
	ddl(d, 2, DDL_HELD);
	logf_(d, LOG_INFO, "syncing: every selected table is compared at each meta pass");
}

/* One step of the migration: a table finishes, the next ones run. */
static void
advance(struct demo *d)
{
	if (!d->continued || d->paused || d->done >= d->n_tables)
		return;
	if (d->done == d->failed_table && d->failed_table) {
		d->done++;
		return;
	}
	table(d, d->done, TABLE_FINISHED, NULL);
	job(d, d->done, JOB_FINISHED, NULL);
	for (uint32_t i = d->done + 1; i < d->n_tables && i < d->done + 5; i++)
		if (i != d->failed_table)
			job(d, i, JOB_RUNNING, NULL);
	d->done++;
	if (d->done % 5 == 0) {
		char line[128];

		snprintf(line, sizeof(line), "%u of %u tables in sync", d->done, d->n_tables);
		logf_(d, LOG_INFO, line);
	}
}

static void
cutover(struct demo *d, enum cutover_step step, bool open, const char *gate, const char *result)
{
	struct event e = { .type = EV_CUTOVER };

	d->cut = step;
	e.u.cutover.step = step;
	e.u.cutover.open = open;
	e.u.cutover.quiet_passes = 3;
	e.u.cutover.quiet_needed = 3;
	str_copy(e.u.cutover.gate, sizeof(e.u.cutover.gate), gate);
	str_copy(e.u.cutover.result, sizeof(e.u.cutover.result), result);
	push(d, &e);
}

/* @return false on CMD_STOP. */
static bool
command(struct demo *d, const struct command *c)
{
	char line[512];

	switch (c->type) {
	case CMD_CONTINUE: case CMD_FORCE:
		start_sync(d);
		break;
	case CMD_PAUSE: case CMD_RESUME:
		d->paused = c->type == CMD_PAUSE;
		engine_state(d, d->paused ? ENGINE_PAUSED : ENGINE_SYNCING,
			     d->paused ? "paused by the operator" : "");
		logf_(d, LOG_WARN, d->paused ? "operator: paused the migration" :
					       "operator: resumed the migration");
		break;
	case CMD_RETRY_TABLE: case CMD_RETRY_ALL:
		if (d->failed_table) {
			table(d, d->failed_table, TABLE_SYNCING, NULL);
			job(d, d->failed_table, JOB_RUNNING, NULL);
			d->failed_table = 0;
		}
		snprintf(line, sizeof(line), "operator: retry %s", c->type == CMD_RETRY_ALL ? "all" : c->arg);
		logf_(d, LOG_INFO, line);
		break;
	case CMD_APPROVE_DDL: case CMD_SKIP_DDL:
		ddl(d, c->id, c->type == CMD_APPROVE_DDL ? DDL_DONE : DDL_SKIPPED);
		break;
	case CMD_FIX_CHECK: case CMD_RECHECK:
		d->blocking = false;
		checks(d);
		break;
	case CMD_CUTOVER_START:
		engine_state(d, ENGINE_CUTOVER, "");
		cutover(d, CUT_STOP_WRITES, true, "stop the applications writing to the source", "");
		break;
	case CMD_CUTOVER_NEXT:
		if (d->cut < CUT_DONE)
			cutover(d, (enum cutover_step)(d->cut + 1), true, "ready", "the step went well");
		break;
	case CMD_CUTOVER_ABORT:
		cutover(d, CUT_NONE, false, "", "aborted by the operator");
		engine_state(d, ENGINE_SYNCING, "");
		break;
	case CMD_STOP:
		return false;
	case CMD_STATUS:
		break;
	}
	return true;
}

static void *
engine_main(void *arg)
{
	struct demo *d = arg;
	struct event quit = { .type = EV_QUIT };
	bool run = true;

	engine_state(d, ENGINE_CHECKING, "");
	clusters(d);
	checks(d);
	engine_state(d, ENGINE_WAITING, "checks done: press Enter to start");
	fprintf(stderr, "uidemo: a line on stderr while the screen is up\n");
	while (run && !srm_stop_signal) {
		struct command c;

		while (run && ring_pop(&d->commands, &c))
			run = command(d, &c);
		if (d->die_at && now_ms() >= d->die_at)
			srm_die("uidemo: a fatal error on purpose (--die-after)");
		d->tick++;
		advance(d);
		if (d->continued)
			progress(d);
		sleep_ms(TICK_MS);
	}
	engine_state(d, ENGINE_DONE, "stopped");
	str_copy(quit.u.quit.reason, sizeof(quit.u.quit.reason), "stopped");
	push(d, &quit);
	return NULL;
}

static void
on_signal(int sig)
{
	(void)sig;
	srm_stop_signal++;
}

int
main(int argc, char **argv)
{
	struct demo d = { .n_tables = 40 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct ui_opts o = { .confirm_drops = true, .log_dir = "./log", .conf_dir = "./conf" };
	pthread_t th;
	int status;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--readonly") == 0)
			d.readonly = true;
		else if (strcmp(argv[i], "--blocking") == 0)
			d.blocking = true;
		else if (strcmp(argv[i], "--tables") == 0 && i + 1 < argc)
			d.n_tables = (uint32_t)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--die-after") == 0 && i + 1 < argc)
			d.die_at = now_ms() + strtoll(argv[++i], NULL, 10);
		else {
			fprintf(stderr, "usage: uidemo [--readonly] [--blocking] [--tables N] "
				"[--die-after MS]\n");
			return 2;
		}
	}
	if (d.n_tables < 8)
		d.n_tables = 8;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (ring_init(&d.events, sizeof(struct event), 4096) != 0 ||
	    ring_init(&d.commands, sizeof(struct command), 64) != 0)
		return 70;
	o.readonly = d.readonly;
	o.script = getenv("SRMIGRATE_SCRIPT");
	o.no_display = getenv("SRMIGRATE_NO_DISPLAY") != NULL;
	if (pthread_create(&th, NULL, engine_main, &d) != 0)
		return 70;
	status = ui_run(&o, &d.events, &d.commands);
	/* The UI returned: make sure the engine stops too (script end, timeout). */
	ui_gone = true;
	if (!srm_stop_signal)
		srm_stop_signal = 1;
	pthread_join(th, NULL);
	ring_fini(&d.events);
	ring_fini(&d.commands);
	return status;
}
