/*
 * The cutover over the control socket (`srmigrate ctl cutover
 * start|next|abort`, `ctl status`), end to end: gates that hold while the
 * source changes, the whole walk on a quiet source with every setting put
 * back (read back from the clusters), cutover.log, and restarts in the middle
 * that resume at the step they left.
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

static const char shared_nothing[] =
	"[source]\nversion = 3.3.5\nrun_mode = shared_nothing\nuser = root\npassword = srcpw\n"
	"token = 8a1f2c3d-0000-4000-8000-00000000beef\n\n"
	"[target]\nversion = 3.3.5\nrun_mode = shared_nothing\nuser = root\npassword = tgtpw\n\n"
	"[table source shop.orders]\npartition_by = range\npartitions = 3\nrows = 2000\n\n"
	"[table source shop.items]\nrows = 500\n";

/* Shared-data to shared-data: all three settings apply, none at its documented default. */
static const char shared_data[] =
	"[source]\nversion = 4.1.0\nrun_mode = shared_data\nuser = root\npassword = srcpw\n"
	"config.lake_autovacuum_grace_period_minutes = 45\n\n"
	"[target]\nversion = 4.1.0\nrun_mode = shared_data\nuser = root\npassword = tgtpw\n"
	"config.lake_compaction_max_tasks = 7\n\n"
	"[volume source builtin_storage_volume]\ndefault = true\nlocation = s3://bucket\n"
	"params = {\"aws.s3.region\":\"us-west-2\"}\n\n"
	"[volume target builtin_storage_volume]\ndefault = true\nlocation = s3://target-bucket\n\n"
	"[volume target src_builtin_storage_volume]\nlocation = s3://bucket\n"
	"params = {\"aws.s3.region\":\"us-west-2\",\"aws.s3.enable_partitioned_prefix\":\"false\"}\n\n"
	"[table source shop.orders]\npartition_by = range\npartitions = 3\nrows = 2000\n";

static void
start(struct sim *s, const char *scenario)
{
	assert_int_equal(sim_start(s, scenario, SPEED), 0);
	e2e_keep(s);
	e2e_fast(s);
}

static pid_t
migrate(struct sim *s)
{
	pid_t pid = e2e_launch(s, (char *)NULL);

	assert_true(pid > 0);
	return pid;
}

/* SIGTERM: srmigrate stops as an operator stops it, with status 0. */
static void
stop_migrate(pid_t pid)
{
	kill(pid, SIGTERM);
	assert_int_equal(e2e_await(pid, 30), 0);
}

/* Send @cmd every 250 ms until it succeeds with @needle in its answer; the answer, or fail. */
static void
ctl_until(struct sim *s, const char *cmd, const char *needle, int timeout_s, char *out, size_t len)
{
	double until = e2e_now() + timeout_s;
	int rc = -1;

	do {
		rc = e2e_ctl(s, cmd, out, len);
		if (rc == 0 && strstr(out, needle))
			return;
		usleep(250000);
	} while (e2e_now() < until);
	fprintf(stderr, "'ctl %s' never answered with '%s' in %d s; last (exit %d):\n%s\n", cmd, needle,
		timeout_s, rc, out);
	fail();
}

static void
expect_text(const char *text, const char *needle)
{
	if (text == NULL || strstr(text, needle) == NULL)
		fprintf(stderr, "expected '%s' in:\n%s\n", needle, text ? text : "(nothing)");
	assert_non_null(text);
	assert_non_null(strstr(text, needle));
}

static void
expect_config(struct sim *s, int side, const char *key, const char *want)
{
	char q[256], err[256];
	struct sim_result *r;

	snprintf(q, sizeof(q), "ADMIN SHOW FRONTEND CONFIG LIKE '%s'", key);
	r = sim_query(s, side, q, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(sim_rows(r), 1);
	if (strcmp(sim_cell(r, 0, "Value"), want) != 0)
		fprintf(stderr, "%s %s = %s, expected %s\n", side ? "target" : "source", key,
			sim_cell(r, 0, "Value"), want);
	assert_string_equal(sim_cell(r, 0, "Value"), want);
	sim_result_free(r);
}

static void
load_source(struct sim *s)
{
	char err[256];

	assert_int_equal(sim_exec(s, SIM_SOURCE, "INSERT INTO shop.orders VALUES (1, '2024-01-01', 1), "
				  "(2, '2024-01-01', 2)", err, sizeof(err)), 0);
}

/* The lines of cutover.log that contain @needles, in that order, each with a timestamp. */
static void
expect_journal(struct sim *s, const char *const *needles)
{
	char *log = e2e_read(s, "log/cutover.log");
	const char *at = log;

	assert_non_null(log);
	for (const char *p = log; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		int y, mo, d, h, mi, sec;

		if (sscanf(p, "%4d-%2d-%2d %2d:%2d:%2d ", &y, &mo, &d, &h, &mi, &sec) != 6) {
			fprintf(stderr, "cutover.log: a line without its timestamp:\n%s\n", log);
			fail();
		}
	}
	for (size_t i = 0; needles[i]; i++) {
		const char *next = strstr(at, needles[i]);

		if (next == NULL)
			fprintf(stderr, "cutover.log: '%s' missing after '%.60s':\n%s\n", needles[i], at, log);
		assert_non_null(next);
		at = next + strlen(needles[i]);
	}
	free(log);
}

/* Every record of LOG_DIR/state/settings (after its header line) is marked restored. */
static void
expect_restored(const char *rec, int want)
{
	char *copy = strdup(strchr(rec, '\n') + 1), *save = NULL;
	int n = 0;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(line);

		if (len < 2 || strcmp(line + len - 2, "\t1") != 0)
			fprintf(stderr, "not restored: %s\n", line);
		assert_true(len >= 2 && strcmp(line + len - 2, "\t1") == 0);
		n++;
	}
	free(copy);
	assert_int_equal(n, want);
}

/* Wait until the running srmigrate has made at least @n meta passes (ctl status). */
static void
wait_passes(struct sim *s, unsigned n, int timeout_s)
{
	char out[8192];
	double until = e2e_now() + timeout_s;
	unsigned have = 0;

	do {
		const char *at;

		if (e2e_ctl(s, "status", out, sizeof(out)) == 0 && (at = strstr(out, "meta passes: ")) != NULL)
			sscanf(at, "meta passes: %u", &have);
		if (have >= n)
			return;
		usleep(250000);
	} while (e2e_now() < until);
	fprintf(stderr, "%u meta passes after %d s, waiting for %u:\n%s\n", have, timeout_s, n, out);
	fail();
}

/* --- gates ------------------------------------------------------------------------ */

static void
gates_hold_while_the_source_changes(void **state)
{
	struct sim s;
	char out[8192], report[4096];
	double last_load, opened;
	int refused = 0;
	pid_t pid;

	(void)state;
	start(&s, shared_nothing);
	e2e_prepare(&s);
	pid = migrate(&s);
	assert_int_equal(e2e_converge(&s, NULL, 60, report, sizeof(report)), 0);

	/* Paused, with a new load on the source: a table lags and step 1 stays shut. */
	ctl_until(&s, "pause", "paused", 20, out, sizeof(out));
	load_source(&s);
	ctl_until(&s, "cutover start", "cutover started", 20, out, sizeof(out));
	ctl_until(&s, "status", "cutover: 1. Stop writes to the source (closed): not yet: 1 of 2 tables not "
		  "in sync yet", 20, out, sizeof(out));
	expect_text(out, "state: CUTOVER: 1. Stop writes to the source");
	assert_int_equal(e2e_ctl(&s, "cutover next", out, sizeof(out)), 1);
	expect_text(out, "1. Stop writes to the source is not open: not yet: 1 of 2 tables not in sync yet");
	/* Resumed, the table syncs and the step opens. */
	ctl_until(&s, "resume", "resumed", 10, out, sizeof(out));
	ctl_until(&s, "cutover next", "2. Catch up", 60, out, sizeof(out));

	/* The source keeps loading: catching up never opens the verification. */
	last_load = e2e_now();
	for (double until = e2e_now() + 9; e2e_now() < until;) {
		load_source(&s);
		last_load = e2e_now();
		usleep(300000);
		if (e2e_ctl(&s, "cutover next", out, sizeof(out)) == 0) {
			fprintf(stderr, "opened while the source loads:\n%s\n", out);
			fail();
		}
		expect_text(out, "2. Catch up is not open: ");
		assert_null(strstr(out, "3/3"));
		refused++;
		usleep(300000);
	}
	assert_true(refused >= 5);
	assert_int_equal(e2e_ctl(&s, "status", out, sizeof(out)), 0);
	expect_text(out, "cutover: 2. Catch up (closed)");

	/* Quiet now: it opens after the quiet passes, not before. */
	ctl_until(&s, "cutover next", "3. Verify", 60, out, sizeof(out));
	opened = e2e_now();
	/* Three passes two seconds apart, after the last change was seen. */
	if (opened - last_load < 4.0)
		fprintf(stderr, "verification opened %.1f s after the last load\n", opened - last_load);
	assert_true(opened - last_load >= 4.0);
	ctl_until(&s, "status", "cutover: 3. Verify (open): the target matches the source", 30, out, sizeof(out));

	/* Leaving the cutover: syncing goes on, the log says where it was left. */
	assert_int_equal(e2e_ctl(&s, "cutover abort", out, sizeof(out)), 0);
	expect_text(out, "cutover left; syncing goes on");
	assert_int_equal(e2e_ctl(&s, "status", out, sizeof(out)), 0);
	expect_text(out, "cutover: not started");
	expect_text(out, "state: SYNCING");
	assert_int_equal(e2e_ctl(&s, "cutover next", out, sizeof(out)), 1);
	expect_text(out, "no cutover in progress");
	load_source(&s);
	assert_int_equal(e2e_converge(&s, NULL, 60, report, sizeof(report)), 0);
	{
		static const char *const steps[] = {
			"now at 1. Stop writes to the source", "1. Stop writes to the source: confirmed by the operator",
			"now at 2. Catch up", "2. Catch up: confirmed by the operator", "now at 3. Verify",
			"verify: 2 tables, 4 partitions match. Report: ", "left by the operator at 3. Verify", NULL,
		};

		expect_journal(&s, steps);
	}
	stop_migrate(pid);
	e2e_finish(&s);
}

/* --- the whole walk ---------------------------------------------------------------- */

static void
full_cutover_restores_every_setting(void **state)
{
	struct sim s;
	char out[8192], report[4096], path[512], *text, *rec;
	const char *at;
	pid_t pid;

	(void)state;
	start(&s, shared_data);
	/* The checklist changes the three settings, recording the values it found. */
	assert_int_equal(e2e_run(&s, 60, "check", "--fix", (char *)NULL), 0);
	expect_config(&s, SIM_SOURCE, "lake_autovacuum_grace_period_minutes", "10000000");
	expect_config(&s, SIM_TARGET, "lake_compaction_max_tasks", "0");
	expect_config(&s, SIM_TARGET, "enable_legacy_compatibility_for_replication", "true");

	pid = migrate(&s);
	assert_int_equal(e2e_converge(&s, NULL, 60, report, sizeof(report)), 0);
	ctl_until(&s, "cutover start", "cutover started", 20, out, sizeof(out));
	ctl_until(&s, "cutover next", "2. Catch up", 30, out, sizeof(out));
	ctl_until(&s, "cutover next", "3. Verify", 40, out, sizeof(out));
	ctl_until(&s, "cutover next", "4. Stop syncing", 30, out, sizeof(out));
	expect_text(out, "last result: 1 tables, 3 partitions match. Report: ");
	ctl_until(&s, "cutover next", "5. Restore settings", 30, out, sizeof(out));
	ctl_until(&s, "status", "cutover: 6. Last manual steps (open)", 30, out, sizeof(out));
	/* The reminders: fe.conf lines, the src_ volumes, where applications go now. */
	expect_text(out, "Remove from fe.conf on every target FE: enable_legacy_compatibility_for_replication = "
		    "true, lake_compaction_max_tasks = 0.");
	expect_text(out, "DROP STORAGE VOLUME src_<name>");
	expect_text(out, "Point the applications to the target (fe-0.target.invalid:9030).");

	/* Each setting holds the value found before the migration again, on its own cluster. */
	expect_config(&s, SIM_SOURCE, "lake_autovacuum_grace_period_minutes", "45");
	expect_config(&s, SIM_TARGET, "lake_compaction_max_tasks", "7");
	expect_config(&s, SIM_TARGET, "enable_legacy_compatibility_for_replication", "false");
	rec = e2e_read(&s, "log/state/settings");
	assert_non_null(rec);
	expect_text(rec, "source\tlake_autovacuum_grace_period_minutes\t45\t10000000\t");
	expect_text(rec, "target\tlake_compaction_max_tasks\t7\t0\t");
	expect_restored(rec, 3);
	free(rec);

	/* Syncing stopped: a load on the source is not copied any more. */
	load_source(&s);
	sleep(5);
	assert_true(sim_compare(&s, NULL, report, sizeof(report)) > 0);
	expect_text(report, "shop.orders");

	/* The operator's word on the last step ends the run. */
	assert_int_equal(e2e_ctl(&s, "cutover next", out, sizeof(out)), 0);
	expect_text(out, "Cutover complete");
	assert_int_equal(e2e_await(pid, 30), 0);
	assert_true(e2e_log_has(&s, "cutover complete: the target is ready"));
	{
		static const char *const steps[] = {
			"now at 1. Stop writes to the source", "1. Stop writes to the source: confirmed by the operator",
			"now at 2. Catch up", "2. Catch up: confirmed by the operator",
			"now at 3. Verify", "verify: 1 tables, 3 partitions match. Report: ",
			"3. Verify: confirmed by the operator", "now at 4. Stop syncing",
			"4. Stop syncing: confirmed by the operator", "now at 5. Restore settings",
			"restore: SOURCE lake_autovacuum_grace_period_minutes = 45 (the value found before the "
			"migration); TARGET lake_compaction_max_tasks = 7 (the value found before the migration); "
			"TARGET enable_legacy_compatibility_for_replication = false (the value found before the "
			"migration)",
			"now at 6. Last manual steps", "remind: Remove from fe.conf",
			"6. Last manual steps: confirmed by the operator", "now at Cutover complete", NULL,
		};

		expect_journal(&s, steps);
	}
	/* The verification report of step 3 is in LOG_DIR. */
	text = e2e_read(&s, "log/cutover.log");
	at = strstr(text, "Report: ");
	assert_non_null(at);
	assert_int_equal(sscanf(at, "Report: %511s", path), 1);
	free(text);
	assert_true(strncmp(path, s.dir, strlen(s.dir)) == 0);
	assert_true(strncmp(path + strlen(s.dir), "/log/verify-", 12) == 0);
	text = e2e_read(&s, path + strlen(s.dir) + 1);
	expect_text(text, "every table matches");
	free(text);
	rec = e2e_read(&s, "log/state/cutover");
	expect_text(rec, "\nstep=7\n");
	free(rec);
	e2e_finish(&s);
}

/* --- restarts ------------------------------------------------------------------------ */

static void
restart_resumes_at_the_step(void **state)
{
	struct sim s;
	char out[8192], report[4096], *rec;
	pid_t pid;

	(void)state;
	start(&s, shared_nothing);
	assert_int_equal(e2e_run(&s, 60, "check", "--fix", (char *)NULL), 0);
	pid = migrate(&s);
	assert_int_equal(e2e_converge(&s, NULL, 60, report, sizeof(report)), 0);
	ctl_until(&s, "cutover start", "cutover started", 20, out, sizeof(out));
	ctl_until(&s, "cutover next", "2. Catch up", 30, out, sizeof(out));
	ctl_until(&s, "cutover next", "3. Verify", 40, out, sizeof(out));
	ctl_until(&s, "status", "cutover: 3. Verify (open)", 30, out, sizeof(out));
	ctl_until(&s, "cutover next", "4. Stop syncing", 30, out, sizeof(out));

	/* Stopped at step 4, started again: there again, and told so. */
	stop_migrate(pid);
	rec = e2e_read(&s, "log/state/cutover");
	expect_text(rec, "step=4\n");
	free(rec);
	pid = migrate(&s);
	ctl_until(&s, "status", "cutover: 4. Stop syncing", 30, out, sizeof(out));
	expect_text(out, "state: CUTOVER: 4. Stop syncing");
	rec = e2e_read(&s, "log/cutover.log");
	expect_text(rec, "resumed at 4. Stop syncing");
	free(rec);
	/* Starting again refuses: it is under way. */
	assert_int_equal(e2e_ctl(&s, "cutover start", out, sizeof(out)), 0);
	expect_text(out, "cutover already at 4. Stop syncing");
	ctl_until(&s, "cutover next", "5. Restore settings", 30, out, sizeof(out));
	ctl_until(&s, "status", "cutover: 6. Last manual steps", 30, out, sizeof(out));
	expect_config(&s, SIM_TARGET, "enable_legacy_compatibility_for_replication", "false");

	/*
	 * Stopped at step 6, a load on the source meanwhile, started again: the
	 * checklist now fails (the setting is back off, as it should be) and
	 * must not hold the cutover, and syncing stays stopped.
	 */
	stop_migrate(pid);
	load_source(&s);
	pid = migrate(&s);
	ctl_until(&s, "status", "cutover: 6. Last manual steps (open)", 30, out, sizeof(out));
	wait_passes(&s, 3, 30);
	assert_true(e2e_log_has(&s, "resumed at 6. Last manual steps"));
	assert_true(e2e_log_has(&s, "check FAIL legacy_compat"));
	assert_true(e2e_log_has(&s, "1 failed checks do not hold a cutover past stop syncing"));
	assert_true(sim_compare(&s, NULL, report, sizeof(report)) > 0);
	expect_config(&s, SIM_TARGET, "enable_legacy_compatibility_for_replication", "false");
	assert_int_equal(e2e_ctl(&s, "cutover next", out, sizeof(out)), 0);
	expect_text(out, "Cutover complete");
	assert_int_equal(e2e_await(pid, 30), 0);
	{
		static const char *const steps[] = {
			"now at 4. Stop syncing", "resumed at 4. Stop syncing",
			"4. Stop syncing: confirmed by the operator",
			"restore: TARGET enable_legacy_compatibility_for_replication = false (the value found "
			"before the migration)",
			"resumed at 6. Last manual steps", "6. Last manual steps: confirmed by the operator",
			"now at Cutover complete", NULL,
		};

		expect_journal(&s, steps);
	}
	e2e_finish(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(gates_hold_while_the_source_changes, e2e_teardown),
		cmocka_unit_test_teardown(full_cutover_restores_every_setting, e2e_teardown),
		cmocka_unit_test_teardown(restart_resumes_at_the_step, e2e_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
