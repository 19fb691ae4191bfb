/*
 * uitest: what the UI tests share (a header, because each test is one
 * object file). Events made by hand go into a ring, ui_run reads keys from
 * a script on a screen drawn in memory, and :save-display dumps are compared
 * with the expected screens in tests/ui/screens/ (UPDATE_SCREENS=1 rewrites
 * them: read the diff before committing).
 *
 * The environment is pinned: TERM, LINES, COLUMNS, TZ=UTC, a UTF-8 locale,
 * no NO_COLOR, and the UI's clock fixed at UT_NOW.
 */
#ifndef SRMIGRATE_TESTS_UITEST_H
#define SRMIGRATE_TESTS_UITEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "srmigrate/event.h"
#include "srmigrate/ring.h"
#include "srmigrate/ui.h"
#include "srmigrate/util.h"

#define UT_NOW_S 1795442580LL		/* 2026-11-23 14:03:00 UTC */
#define UT_NOW (UT_NOW_S * 1000)

struct ut {
	struct ring ev, cmd;
	struct ui_opts opts;
	char script[512];
	int status;
};

static inline void
ut_env(int cols, int lines)
{
	char buf[16];

	setenv("TERM", "xterm-256color", 1);
	snprintf(buf, sizeof(buf), "%d", cols);
	setenv("COLUMNS", buf, 1);
	snprintf(buf, sizeof(buf), "%d", lines);
	setenv("LINES", buf, 1);
	setenv("TZ", "UTC", 1);
	tzset();
	setenv("LC_ALL", "C.UTF-8", 1);
	unsetenv("NO_COLOR");
	snprintf(buf, sizeof(buf), "%lld", UT_NOW_S);
	setenv("SRMIGRATE_TEST_NOW", buf, 1);
	srm_stop_signal = 0;
}

static inline const char *
ut_tmpdir(void)
{
	const char *d = getenv("SRM_TMP");

	return d && d[0] ? d : "/tmp";
}

/* A path in the test directory, unique to this process. */
static inline char *
ut_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/ui-%ld-%s", ut_tmpdir(), (long)getpid(), name);
	return buf;
}

static inline struct ut *
ut_new(size_t capacity)
{
	struct ut *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	assert_int_equal(ring_init(&t->ev, sizeof(struct event), capacity), 0);
	assert_int_equal(ring_init(&t->cmd, sizeof(struct command), 64), 0);
	t->opts.no_display = true;
	t->opts.confirm_drops = true;
	t->opts.log_dir = "./log";
	t->opts.conf_dir = "./conf";
	ut_env(100, 30);
	return t;
}

static inline void
ut_free(struct ut *t)
{
	unlink(t->script);
	ring_fini(&t->ev);
	ring_fini(&t->cmd);
	free(t);
}

static inline void
ut_push(struct ut *t, const struct event *e)
{
	assert_true(ring_push(&t->ev, e));
}

/* Run ui_run on @keys (script text); returns its status. */
static inline int
ut_run(struct ut *t, const char *keys)
{
	FILE *f;

	ut_path(t->script, sizeof(t->script), "script");
	f = fopen(t->script, "w");
	assert_non_null(f);
	fputs(keys, f);
	fclose(f);
	t->opts.script = t->script;
	t->status = ui_run(&t->opts, &t->ev, &t->cmd);
	return t->status;
}

/* Run @keys where "@N" (a digit) stands for the dump path of @names[N]; expect status 0. */
static inline void
ut_run_dumps(struct ut *t, const char *keys, const char *const *names, int n)
{
	char script[4096], path[512];
	size_t len = 0;

	for (const char *k = keys; *k && len + 600 < sizeof(script); k++) {
		if (k[0] == '@' && k[1] >= '0' && k[1] < '0' + n) {
			ut_path(path, sizeof(path), names[k[1] - '0']);
			len += (size_t)snprintf(script + len, sizeof(script) - len, "%s", path);
			k++;
		} else {
			script[len++] = *k;
		}
	}
	script[len] = '\0';
	assert_int_equal(ut_run(t, script), 0);
}

static inline char *
ut_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The dump @name written by ":save-display <ut_path(name)>". */
static inline char *
ut_dump(const char *name)
{
	char path[512];
	char *s = ut_slurp(ut_path(path, sizeof(path), name));

	if (s == NULL)
		fail_msg("no screen dump %s", path);
	if (getenv("KEEP_DUMPS") == NULL)
		unlink(path);
	return s;
}

/* Compare dump @name with tests/ui/screens/@name.txt. */
static inline void
ut_expect_screen(const char *name)
{
	char expected_path[512], got_path[512], cmd[1200];
	char *got, *want;
	const char *src = getenv("SRM_SRCDIR");

	snprintf(expected_path, sizeof(expected_path), "%s/tests/ui/screens/%s.txt",
		 src && src[0] ? src : ".", name);
	ut_path(got_path, sizeof(got_path), name);
	got = ut_slurp(got_path);
	if (got == NULL)
		fail_msg("no screen dump %s", got_path);
	if (getenv("UPDATE_SCREENS") && getenv("UPDATE_SCREENS")[0] == '1') {
		FILE *f = fopen(expected_path, "w");

		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	want = ut_slurp(expected_path);
	if (want == NULL)
		fail_msg("no expected screen %s (UPDATE_SCREENS=1 writes it)", expected_path);
	if (strcmp(got, want) != 0) {
		snprintf(cmd, sizeof(cmd), "diff -u %s %s", expected_path, got_path);
		if (system(cmd) < 0)
			perror("diff");
		free(got);
		free(want);
		fail_msg("screen %s differs from %s", got_path, expected_path);
	}
	unlink(got_path);
	free(got);
	free(want);
}

static inline void
ut_expect_cmd(struct ut *t, enum cmd_type type, uint32_t id, const char *arg)
{
	struct command c;

	if (!ring_pop(&t->cmd, &c))
		fail_msg("expected command %d, got none", type);
	assert_int_equal(c.type, type);
	assert_int_equal(c.id, id);
	if (arg != NULL)
		assert_string_equal(c.arg, arg);
}

static inline void
ut_expect_no_cmd(struct ut *t)
{
	struct command c;

	if (ring_pop(&t->cmd, &c))
		fail_msg("expected no command, got %d (id %u)", c.type, c.id);
}

/*
 * Events that must arrive while ui_run runs, at a known point of the script:
 * the thread waits until the script dumps the screen into @flag (any
 * ":save-display" to that path), then calls @push.
 */
struct ut_late {
	struct ut *t;
	char flag[512];
	void (*push)(struct ut *t);
	pthread_t thread;
};

static inline void *
ut_late_main(void *arg)
{
	struct ut_late *l = arg;

	while (access(l->flag, F_OK) != 0)
		sleep_ms(2);
	l->push(l->t);
	return NULL;
}

static inline void
ut_late_start(struct ut_late *l, struct ut *t, const char *flag_name, void (*push)(struct ut *))
{
	l->t = t;
	l->push = push;
	ut_path(l->flag, sizeof(l->flag), flag_name);
	unlink(l->flag);
	assert_int_equal(pthread_create(&l->thread, NULL, ut_late_main, l), 0);
}

static inline void
ut_late_join(struct ut_late *l)
{
	pthread_join(l->thread, NULL);
	unlink(l->flag);
}

/*
 * A stand-in for the engine's command side: it consumes the command ring
 * and answers CMD_STOP with EV_QUIT(@status), as the engine will. Every
 * other command is kept in @seen, in order.
 */
struct ut_fake {
	struct ut *t;
	int status;
	pthread_t thread;
	_Atomic bool over;
	struct command seen[64];
	_Atomic int nseen;
};

static inline void *
ut_fake_main(void *arg)
{
	struct ut_fake *f = arg;
	struct command c;

	while (!f->over) {
		if (!ring_pop(&f->t->cmd, &c)) {
			sleep_ms(1);
			continue;
		}
		if (f->nseen < 64)
			f->seen[f->nseen++] = c;
		if (c.type == CMD_STOP) {
			struct event e = { .type = EV_QUIT };

			e.u.quit.status = f->status;
			str_copy(e.u.quit.reason, sizeof(e.u.quit.reason), "stopped by the operator");
			while (!ring_push(&f->t->ev, &e))
				sleep_ms(1);
			break;
		}
	}
	return NULL;
}

static inline void
ut_fake_start(struct ut_fake *f, struct ut *t, int status)
{
	f->t = t;
	f->status = status;
	f->over = false;
	f->nseen = 0;
	assert_int_equal(pthread_create(&f->thread, NULL, ut_fake_main, f), 0);
}

static inline void
ut_fake_join(struct ut_fake *f)
{
	f->over = true;
	pthread_join(f->thread, NULL);
}

/* --- events ---------------------------------------------------------------------- */

static inline void
ut_engine(struct ut *t, enum engine_state s, const char *reason)
{
	struct event e = { .type = EV_ENGINE };

	e.u.engine.state = s;
	str_copy(e.u.engine.reason, sizeof(e.u.engine.reason), reason ? reason : "");
	ut_push(t, &e);
}

static inline void
ut_cluster(struct ut *t, enum side side, const char *addr, const char *version,
	   const char *mode, bool connected, int64_t last_ok_ms, const char *error)
{
	struct event e = { .type = EV_CLUSTER };

	e.u.cluster.side = side;
	e.u.cluster.connected = connected;
	e.u.cluster.last_ok_ms = last_ok_ms;
	str_copy(e.u.cluster.address, sizeof(e.u.cluster.address), addr);
	str_copy(e.u.cluster.version, sizeof(e.u.cluster.version), version);
	str_copy(e.u.cluster.run_mode, sizeof(e.u.cluster.run_mode), mode);
	str_copy(e.u.cluster.error, sizeof(e.u.cluster.error), error ? error : "");
	ut_push(t, &e);
}

static inline void
ut_node(struct ut *t, uint32_t id, enum side side, enum node_kind kind, const char *name,
	const char *mapped, int reachable, double disk, const char *error)
{
	struct event e = { .type = EV_NODE };

	e.u.node.id = id;
	e.u.node.side = side;
	e.u.node.kind = kind;
	e.u.node.alive = true;
	e.u.node.reachable = (int8_t)reachable;
	e.u.node.is_leader = kind == NODE_FE;
	e.u.node.disk_pct = disk;
	str_copy(e.u.node.name, sizeof(e.u.node.name), name);
	str_copy(e.u.node.mapped, sizeof(e.u.node.mapped), mapped);
	str_copy(e.u.node.ports, sizeof(e.u.node.ports), kind == NODE_FE ? "9030 8030 9020" : "9060 8040");
	str_copy(e.u.node.error, sizeof(e.u.node.error), error ? error : "");
	ut_push(t, &e);
}

static inline struct event
ut_table_ev(uint32_t id, const char *name, enum table_state state, int64_t srcv, int64_t tgtv,
	    uint32_t lagging, int64_t lag_bytes, int64_t rows, const char *reason)
{
	struct event e = { .type = EV_TABLE };

	e.u.table.id = id;
	e.u.table.state = state;
	e.u.table.partitions = 4;
	e.u.table.lagging = lagging;
	e.u.table.src_version = srcv;
	e.u.table.tgt_version = tgtv;
	e.u.table.src_rows = rows;
	e.u.table.tgt_rows = tgtv < 0 ? 0 : rows;
	e.u.table.src_bytes = rows * 100;
	e.u.table.tgt_bytes = tgtv < 0 ? 0 : rows * 100;
	e.u.table.lag_bytes = lag_bytes;
	e.u.table.attempts = state == TABLE_FAILED ? 2 : 0;
	e.u.table.synced_ms = state == TABLE_FINISHED ? UT_NOW - 300000 : 0;
	str_copy(e.u.table.name, sizeof(e.u.table.name), name);
	str_copy(e.u.table.reason, sizeof(e.u.table.reason), reason ? reason : "");
	return e;
}

static inline void
ut_table(struct ut *t, uint32_t id, const char *name, enum table_state state, int64_t srcv,
	 int64_t tgtv, uint32_t lagging, int64_t lag_bytes, int64_t rows, const char *reason)
{
	struct event e = ut_table_ev(id, name, state, srcv, tgtv, lagging, lag_bytes, rows, reason);

	ut_push(t, &e);
}

static inline void
ut_job(struct ut *t, uint32_t id, uint32_t table_id, const char *table, enum job_state state,
       uint32_t parts, int64_t bytes, uint32_t attempts, int64_t age_s, const char *error)
{
	struct event e = { .type = EV_JOB };

	e.u.job.id = id;
	e.u.job.table_id = table_id;
	e.u.job.state = state;
	e.u.job.partitions = parts;
	e.u.job.attempts = attempts;
	e.u.job.bytes = bytes;
	e.u.job.created_ms = UT_NOW - age_s * 1000;
	e.u.job.sent_ms = state == JOB_PENDING ? 0 : UT_NOW - age_s * 1000 + 1000;
	e.u.job.ended_ms = state == JOB_FINISHED || state == JOB_FAILED ? UT_NOW - 1000 : 0;
	if (state == JOB_RUNNING) {
		str_copy(e.u.job.fe_state, sizeof(e.u.job.fe_state), "REPLICATING");
		str_copy(e.u.job.fe_progress, sizeof(e.u.job.fe_progress), "3/8");
	}
	snprintf(e.u.job.job_id, sizeof(e.u.job.job_id), "srm_%u_%u", id, attempts);
	str_copy(e.u.job.table, sizeof(e.u.job.table), table);
	str_copy(e.u.job.error, sizeof(e.u.job.error), error ? error : "");
	ut_push(t, &e);
}

static inline void
ut_ddl(struct ut *t, uint32_t id, const char *statement, const char *target,
       enum ddl_state state, bool drops, const char *error)
{
	struct event e = { .type = EV_DDL };

	e.u.ddl.id = id;
	e.u.ddl.state = state;
	e.u.ddl.drops_data = drops;
	e.u.ddl.attempts = state == DDL_FAILED ? 3 : 0;
	e.u.ddl.queued_ms = UT_NOW - 60000;
	str_copy(e.u.ddl.statement, sizeof(e.u.ddl.statement), statement);
	str_copy(e.u.ddl.target, sizeof(e.u.ddl.target), target);
	str_copy(e.u.ddl.error, sizeof(e.u.ddl.error), error ? error : "");
	ut_push(t, &e);
}

static inline void
ut_check(struct ut *t, uint32_t index, enum check_status st, bool blocks, bool fixable,
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
	ut_push(t, &e);
}

static inline void
ut_progress(struct ut *t, uint32_t total, uint32_t pend, uint32_t sent, uint32_t run,
	    uint32_t done, uint32_t failed, int64_t eta_s)
{
	struct event e = { .type = EV_PROGRESS };

	e.u.progress.total = total;
	e.u.progress.job_pending = pend;
	e.u.progress.sent = sent;
	e.u.progress.running = run;
	e.u.progress.finished = done;
	e.u.progress.failed = failed;
	e.u.progress.tables_total = 500;
	e.u.progress.tables_finished = 412;
	e.u.progress.tables_unfinished = 85;
	e.u.progress.tables_expired = 3;
	e.u.progress.tables_failed = failed ? 1 : 0;
	e.u.progress.bytes_per_s = eta_s < 0 ? -1 : 12.5 * 1024 * 1024;
	e.u.progress.eta_s = eta_s;
	ut_push(t, &e);
}

static inline void
ut_log(struct ut *t, enum log_level level, const char *text)
{
	struct event e = { .type = EV_LOG };

	e.u.log.time_ms = UT_NOW - 49000;
	e.u.log.level = level;
	str_copy(e.u.log.text, sizeof(e.u.log.text), text);
	ut_push(t, &e);
}

static inline void
ut_quit(struct ut *t, int status, const char *reason)
{
	struct event e = { .type = EV_QUIT };

	e.u.quit.status = status;
	str_copy(e.u.quit.reason, sizeof(e.u.quit.reason), reason);
	ut_push(t, &e);
}

static inline void
ut_cutover(struct ut *t, enum cutover_step step, bool open, const char *gate, const char *result)
{
	struct event e = { .type = EV_CUTOVER };

	e.u.cutover.step = step;
	e.u.cutover.open = open;
	e.u.cutover.quiet_passes = 1;
	e.u.cutover.quiet_needed = 3;
	str_copy(e.u.cutover.gate, sizeof(e.u.cutover.gate), gate);
	str_copy(e.u.cutover.result, sizeof(e.u.cutover.result), result);
	ut_push(t, &e);
}

/* Both clusters as the engine knows them at start. */
static inline void
ut_clusters(struct ut *t)
{
	ut_cluster(t, SIDE_SOURCE, "fe-a:9030", "3.3.5-6d81f75", "shared_nothing", true,
		   UT_NOW - 2000, NULL);
	ut_cluster(t, SIDE_TARGET, "fe-b:9030", "3.4.2-1a2b3c4", "shared_data", true,
		   UT_NOW - 1000, NULL);
}

/* A migration under way: every pane has rows in most of their states. */
static inline void
ut_scenario(struct ut *t)
{
	ut_engine(t, ENGINE_CHECKING, NULL);
	ut_clusters(t);
	ut_node(t, 1, SIDE_SOURCE, NODE_FE, "fe-0.source.invalid", "127.0.0.1:19030", 1, -1, NULL);
	ut_node(t, 2, SIDE_SOURCE, NODE_BE, "be-0.source.invalid", "127.0.0.1:19060", 1, 41.5, NULL);
	ut_node(t, 3, SIDE_SOURCE, NODE_BE, "be-1.source.invalid", "127.0.0.1:19061", 0, 43.0,
		"connect: connection refused");
	ut_node(t, 4, SIDE_TARGET, NODE_FE, "fe-0.target.invalid", "127.0.0.1:29030", 1, -1, NULL);
	ut_node(t, 5, SIDE_TARGET, NODE_CN, "cn-0.target.invalid", "127.0.0.1:29060", 1, 91.5, NULL);
	ut_engine(t, ENGINE_SYNCING, NULL);
	ut_table(t, 11, "sales.orders", TABLE_SYNCING, 120, 100, 3, 3LL << 30, 1234567, NULL);
	ut_table(t, 12, "sales.customers", TABLE_FINISHED, 40, 40, 0, 0, 98765, NULL);
	ut_table(t, 13, "sales.returns", TABLE_FAILED, 17, 12, 1, 1 << 20, 5000,
		 "replication failed: tablet 10042 has no healthy replica");
	ut_table(t, 14, "hr.people", TABLE_BLOCKED, 9, 8, 1, 4096, 120,
		 "schema differs and ddl_job_allow_drop_target_only=false");
	ut_table(t, 15, "hr.payroll", TABLE_EXPIRED, 33, 31, 2, 20 << 20, 77000, NULL);
	ut_table(t, 16, "web.clicks", TABLE_UNFINISHED, 5, -1, 4, 900LL << 30, 4200000000LL, NULL);
	ut_job(t, 101, 11, "sales.orders", JOB_RUNNING, 3, 3LL << 30, 1, 125, NULL);
	ut_job(t, 102, 13, "sales.returns", JOB_FAILED, 1, 1 << 20, 2, 3700,
	       "Backend 10003 not reachable");
	ut_job(t, 103, 15, "hr.payroll", JOB_PENDING, 2, 20 << 20, 0, 10, NULL);
	ut_job(t, 104, 12, "sales.customers", JOB_FINISHED, 4, 9 << 20, 1, 900, NULL);
	ut_job(t, 105, 16, "web.clicks", JOB_SENT, 4, 900LL << 30, 1, 30, NULL);
	ut_ddl(t, 201, "CREATE TABLE `web`.`clicks` (`id` BIGINT, `ts` DATETIME) DUPLICATE KEY(`id`)",
	       "web.clicks", DDL_DONE, false, NULL);
	ut_ddl(t, 202, "DROP TABLE `hr`.`people` FORCE", "hr.people", DDL_HELD, true, NULL);
	ut_ddl(t, 203, "ALTER TABLE `hr`.`payroll` ADD PARTITION p202611 VALUES LESS THAN ('2026-12-01')",
	       "hr.payroll", DDL_QUEUED, false, NULL);
	ut_ddl(t, 204, "ALTER TABLE `sales`.`returns` ADD COLUMN note VARCHAR(64)", "sales.returns",
	       DDL_FAILED, false, "Unknown table 'returns'");
	ut_progress(t, 100, 5, 2, 8, 85, 0, 720);
	ut_log(t, LOG_INFO, "job sales.orders finished (3 partitions, 1.2 GB, 41 s)");
}

#endif /* SRMIGRATE_TESTS_UITEST_H */
