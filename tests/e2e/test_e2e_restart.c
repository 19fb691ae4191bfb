/*
 * srmigrate stopped in the middle of a migration and started again.
 *
 * SIGKILL while jobs run on the target: the new process follows the jobs
 * the FE still runs instead of sending them again, sends nothing for a
 * table already in sync, finds the settings its checklist changed where it
 * left them (LOG_DIR/state), and converges. The jobs sent after the restart
 * are counted on the target FE (srsim's RPC counter) and must be exactly one
 * per table that was neither in sync nor being copied when it died. Both the
 * /replications path (3.3.5) and the transaction-label path (3.2.3, which
 * has no /replications) are covered.
 *
 * SIGTERM: a graceful stop that lets the answers in flight land, writes the
 * last progress lines, and exits 0; the next start picks up from there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e/e2e.h"

#define SPEED 50
#define TABLES 6

/*
 * 6 tables of 1 MB in 2 partitions, 3 replicas; 8 KB per simulated second makes a copy
 * last about 380 simulated seconds (8 s here), and the target admits two
 * jobs at a time: when srmigrate dies, some tables are in sync, some are
 * being copied and some have not started.
 */
static const char scenario_fmt[] =
	"[source]\nversion = %s\nrun_mode = shared_nothing\nuser = root\npassword = srcpw\n"
	"token = 8a1f2c3d-0000-4000-8000-00000000beef\n\n"
	"[target]\nversion = %s\nrun_mode = shared_nothing\nuser = root\npassword = tgtpw\n"
	"config.replication_max_parallel_table_count = 2\n\n"
	"[generate]\ndatabases = 2\ntables = 6\npartitions = 2\nrows = 10000\ndata_size = 1MB\n\n"
	"[replication]\ncopy_speed = 8KB\nsnapshot_latency = 1s\n";

/*
 * With @fix, the checklist's own fix (srmigrate check --fix) sets what the
 * target lacks, enable_legacy_compatibility_for_replication from 3.3 on,
 * and records it in state/; else nothing needs fixing.
 */
static void
start(struct sim *s, const char *version, bool fix)
{
	char scen[4096], *out;

	snprintf(scen, sizeof(scen), scenario_fmt, version, version);
	assert_int_equal(sim_start(s, scen, SPEED), 0);
	e2e_keep(s);
	e2e_fast(s);
	if (!fix)
		return;
	assert_int_equal(e2e_run(s, 60, "check", "--fix", (char *)NULL), 0);
	out = e2e_read(s, "log/state/settings");
	assert_non_null(out);
	assert_non_null(strstr(out, "target\tenable_legacy_compatibility_for_replication\tfalse\ttrue\t"));
	free(out);
}

/* The tables of the source, "db.table", in a fixed order. */
struct tables {
	char name[TABLES][64];
	char id[TABLES][24];	/* the target's table id, "" when it has none */
	char db_id[TABLES][24];
	size_t n;
};

static void
list_tables(struct sim *s, struct tables *t)
{
	char err[256], sql[256];

	memset(t, 0, sizeof(*t));
	for (int d = 0; d < 2; d++) {
		struct sim_result *r;

		snprintf(sql, sizeof(sql), "SHOW TABLES FROM gen_db_%03d", d);
		r = sim_query(s, SIM_SOURCE, sql, err, sizeof(err));
		assert_non_null(r);
		for (size_t i = 0; i < sim_rows(r) && t->n < TABLES; i++) {
			char title[64];

			snprintf(title, sizeof(title), "Tables_in_gen_db_%03d", d);
			snprintf(t->name[t->n++], sizeof(t->name[0]), "gen_db_%03d.%s", d, sim_cell(r, i, title));
		}
		sim_result_free(r);
	}
	assert_int_equal(t->n, TABLES);
}

/* The target's database and table ids (every table exists there once the DDL ran). */
static void
target_ids(struct sim *s, struct tables *t)
{
	char err[256], sql[256];
	struct sim_result *dbs = sim_query(s, SIM_TARGET, "SHOW PROC '/dbs'", err, sizeof(err));

	assert_non_null(dbs);
	for (size_t k = 0; k < t->n; k++) {
		char db[64];
		const char *dot = strchr(t->name[k], '.');

		snprintf(db, sizeof(db), "%.*s", (int)(dot - t->name[k]), t->name[k]);
		for (size_t i = 0; i < sim_rows(dbs); i++) {
			struct sim_result *tb;

			if (strcmp(sim_cell(dbs, i, "DbName"), db) != 0)
				continue;
			snprintf(t->db_id[k], sizeof(t->db_id[k]), "%s", sim_cell(dbs, i, "DbId"));
			snprintf(sql, sizeof(sql), "SHOW PROC '/dbs/%s'", t->db_id[k]);
			tb = sim_query(s, SIM_TARGET, sql, err, sizeof(err));
			assert_non_null(tb);
			for (size_t j = 0; j < sim_rows(tb); j++)
				if (strcmp(sim_cell(tb, j, "TableName"), dot + 1) == 0)
					snprintf(t->id[k], sizeof(t->id[k]), "%s", sim_cell(tb, j, "TableId"));
			sim_result_free(tb);
		}
		assert_true(t->id[k][0] != '\0');
	}
	sim_result_free(dbs);
}

/*
 * Per table: the FE job id running for it now, or "" (none running). Read
 * from /replications where the target has it, else from the running
 * transactions of the table's database (label REPLICATION_<db>_<table>_<job>).
 */
static void
running_jobs(struct sim *s, const struct tables *t, bool proc, char job[TABLES][64])
{
	char err[256], sql[256];

	for (size_t k = 0; k < t->n; k++)
		job[k][0] = '\0';
	if (proc) {
		struct sim_result *r = sim_query(s, SIM_TARGET, "SHOW PROC '/replications'", err, sizeof(err));

		assert_non_null(r);
		for (size_t i = 0; i < sim_rows(r); i++) {
			const char *st = sim_cell(r, i, "State");

			if (strcmp(st, "INITIALIZING") != 0 && strcmp(st, "SNAPSHOTING") != 0 &&
			    strcmp(st, "REPLICATING") != 0)
				continue;
			for (size_t k = 0; k < t->n; k++)
				if (strcmp(sim_cell(r, i, "TableID"), t->id[k]) == 0)
					snprintf(job[k], 64, "%s", sim_cell(r, i, "JobID"));
		}
		sim_result_free(r);
		return;
	}
	for (size_t k = 0; k < t->n; k++) {
		struct sim_result *r;
		char prefix[128];

		snprintf(sql, sizeof(sql), "SHOW PROC '/transactions/%s/running'", t->db_id[k]);
		snprintf(prefix, sizeof(prefix), "REPLICATION_%s_%s_", t->db_id[k], t->id[k]);
		r = sim_query(s, SIM_TARGET, sql, err, sizeof(err));
		assert_non_null(r);
		for (size_t i = 0; i < sim_rows(r); i++) {
			const char *label = sim_cell(r, i, "Label");

			if (label && strncmp(label, prefix, strlen(prefix)) == 0)
				snprintf(job[k], 64, "%s", label + strlen(prefix));
		}
		sim_result_free(r);
	}
}

static bool
in_sync(struct sim *s, const char *table)
{
	char report[2048];

	return sim_compare(s, table, report, sizeof(report)) == 0;
}

/* Wait until at least @synced tables are in sync and @running jobs run; false on timeout. */
static bool
wait_midway(struct sim *s, struct tables *t, bool proc, size_t synced, size_t running, int timeout_s)
{
	double until = e2e_now() + timeout_s;
	char job[TABLES][64];

	while (e2e_now() < until) {
		size_t n_sync = 0, n_run = 0;

		if (e2e_log_count(s, "DDL done: CREATE TABLE") >= TABLES) {
			if (t->id[0][0] == '\0')
				target_ids(s, t);
			running_jobs(s, t, proc, job);
			for (size_t k = 0; k < t->n; k++) {
				n_run += job[k][0] != '\0';
				n_sync += in_sync(s, t->name[k]);
			}
			if (n_sync >= synced && n_run >= running)
				return true;
		}
		usleep(200000);
	}
	return false;
}

/* Lines of sync.INFO.log from the last start on, counted. */
static int
count_since_last_start(struct sim *s, const char *needle)
{
	char *log = e2e_read(s, "log/sync.INFO.log"), *from = NULL;
	int n = 0;

	for (char *p = log; p && (p = strstr(p, "srmigrate 0.")) != NULL; p++)
		from = p;
	for (char *p = from; p && (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	free(log);
	return n;
}

static void
killed_then_restarted(const char *version, bool proc)
{
	struct sim s;
	struct tables t;
	char job_at_kill[TABLES][64], job_end[TABLES][64], *settings_before, *settings_after;
	bool synced_at_kill[TABLES];
	size_t want_sends = 0, running_at_kill = 0;
	long rpcs_at_kill, rpcs_end, stale;
	double t0 = e2e_now();
	pid_t pid;

	start(&s, version, proc);
	list_tables(&s, &t);
	settings_before = e2e_read(&s, "log/state/settings");
	assert_true(!proc || settings_before != NULL);
	pid = e2e_launch(&s, (char *)NULL);
	if (!wait_midway(&s, &t, proc, 1, 2, 90)) {
		kill(pid, SIGKILL);
		e2e_await(pid, 10);
		e2e_show(&s);
		fail_msg("never reached a state with tables in sync and jobs running");
	}
	kill(pid, SIGKILL);
	assert_int_equal(e2e_await(pid, 10), 128 + SIGKILL);

	/* What the target holds now: nothing moves but the jobs the FE runs. */
	rpcs_at_kill = sim_stat(&s, SIM_TARGET, "RPCS");
	running_jobs(&s, &t, proc, job_at_kill);
	for (size_t k = 0; k < t.n; k++) {
		synced_at_kill[k] = in_sync(&s, t.name[k]);
		running_at_kill += job_at_kill[k][0] != '\0';
		if (!synced_at_kill[k] && job_at_kill[k][0] == '\0')
			want_sends++;
	}
	assert_true(rpcs_at_kill >= 3);
	assert_true(running_at_kill >= 2);
	fprintf(stderr, "at the kill (%.0f s): %ld jobs sent, %zu running, %zu tables to send\n",
		e2e_now() - t0, rpcs_at_kill, running_at_kill, want_sends);

	pid = e2e_launch(&s, (char *)NULL);
	assert_int_equal(e2e_converged(&s, 90), 0);
	sleep(2);	/* a follow and a pass after the last commit */
	kill(pid, SIGTERM);
	assert_int_equal(e2e_await(pid, 60), 0);

	/*
	 * One job per table that was neither in sync nor being copied; none for
	 * the others. (A pass on a target read just before a commit may plan
	 * one more for the table; the FE answers that it has nothing to copy,
	 * or that the last version still publishes: counted apart.)
	 */
	rpcs_end = sim_stat(&s, SIM_TARGET, "RPCS");
	stale = count_since_last_start(&s, "the FE had nothing to copy") +
		count_since_last_start(&s, "the target still publishes the last job");
	if (rpcs_end - rpcs_at_kill != (long)want_sends + stale)
		e2e_show(&s);
	assert_int_equal(rpcs_end - rpcs_at_kill, (long)want_sends + stale);
	assert_int_equal(count_since_last_start(&s, " sent ("), (int)want_sends);
	/* The jobs running at the kill were followed to their end under their own ids. */
	running_jobs(&s, &t, proc, job_end);
	for (size_t k = 0; k < t.n; k++) {
		char line[640];

		assert_string_equal(job_end[k], "");
		if (job_at_kill[k][0] == '\0')
			continue;
		snprintf(line, sizeof(line), "job %s for %s finished", job_at_kill[k], t.name[k]);
		if (count_since_last_start(&s, line) != 1)
			e2e_show(&s);
		assert_int_equal(count_since_last_start(&s, line), 1);
	}
	/* Tables in sync at the kill: not one job of theirs in the new run. */
	for (size_t k = 0; k < t.n; k++) {
		char line[640];

		if (!synced_at_kill[k])
			continue;
		snprintf(line, sizeof(line), " for %s ", t.name[k]);
		assert_int_equal(count_since_last_start(&s, line), 0);
	}
	assert_true(count_since_last_start(&s, "is running on the FE already; following it") >= 1);

	/* The record of the changed setting is as it was, and so is the setting on the target. */
	settings_after = e2e_read(&s, "log/state/settings");
	if (proc) {
		assert_non_null(settings_after);
		assert_string_equal(settings_after, settings_before);
		assert_int_equal(sim_wait_cell(&s, SIM_TARGET, "ADMIN SHOW FRONTEND CONFIG LIKE "
					       "'enable_legacy_compatibility_for_replication'", "Value", "true",
					       1000), 0);
	}
	free(settings_before);
	free(settings_after);
	fprintf(stderr, "converged and stopped at %.0f s\n", e2e_now() - t0);
	e2e_finish(&s);
}

static void
sigkill_with_replications_proc(void **state)
{
	(void)state;
	killed_then_restarted("3.3.5", true);
}

static void
sigkill_with_transaction_labels(void **state)
{
	(void)state;
	killed_then_restarted("3.2.3", false);
}

/* SIGTERM while jobs run: exit 0 promptly, last progress written, then a restart finishes the work. */
static void
sigterm_is_graceful(void **state)
{
	struct sim s;
	struct tables t;
	struct e2e_progress p;
	char *log, *stop, *last;
	double t0;
	long rpcs_at_stop;
	pid_t pid;

	(void)state;
	start(&s, "3.3.5", false);
	e2e_prepare(&s);
	list_tables(&s, &t);
	pid = e2e_launch(&s, (char *)NULL);
	if (!wait_midway(&s, &t, true, 0, 2, 90)) {
		kill(pid, SIGKILL);
		e2e_await(pid, 10);
		e2e_show(&s);
		fail_msg("jobs never ran");
	}
	t0 = e2e_now();
	kill(pid, SIGTERM);
	assert_int_equal(e2e_await(pid, 30), 0);
	assert_true(e2e_now() - t0 < 10);
	rpcs_at_stop = sim_stat(&s, SIM_TARGET, "RPCS");
	/* The stop is logged, and the progress lines come after it: written on the way out. */
	log = e2e_read(&s, "log/sync.INFO.log");
	assert_non_null(log);
	stop = strstr(log, "stopping: waiting for");
	assert_non_null(stop);
	last = NULL;
	for (char *q = log; (q = strstr(q, "Sync job progress: ")) != NULL; q++)
		last = q;
	assert_true(last != NULL && last > stop);
	free(log);
	assert_int_equal(e2e_progress(&s, &p), 0);
	assert_true(p.running + p.sent >= 2);
	/* The metrics file was written too; the state file is whole (the next start reads it). */
	log = e2e_read(&s, "log/metrics.prom");
	assert_non_null(log);
	free(log);

	/* The next start follows what still runs and converges. */
	pid = e2e_launch(&s, (char *)NULL);
	assert_int_equal(e2e_converged(&s, 90), 0);
	kill(pid, SIGTERM);
	assert_int_equal(e2e_await(pid, 60), 0);
	assert_true(sim_stat(&s, SIM_TARGET, "RPCS") - rpcs_at_stop <= TABLES - 2);
	e2e_finish(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(sigkill_with_replications_proc, e2e_teardown),
		cmocka_unit_test_teardown(sigkill_with_transaction_labels, e2e_teardown),
		cmocka_unit_test_teardown(sigterm_is_graceful, e2e_teardown),
	};

	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
