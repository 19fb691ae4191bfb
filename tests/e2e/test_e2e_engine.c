/*
 * The engine against simulated clusters: selection, secrets, job splitting,
 * retries, the FE's limits, the disk guard, --once, continuous loads. Each
 * test proves its outcome on the clusters (SQL) or in the official log lines.
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
#include <unistd.h>

#include "e2e/e2e.h"
#include "srmigrate/secret.h"

#define SPEED 50

static const char base[] =
	"[source]\nversion = 3.3.5\nrun_mode = shared_nothing\nuser = root\npassword = srcpw\n"
	"token = 8a1f2c3d-0000-4000-8000-00000000beef\n\n"
	"[target]\nversion = 3.3.5\nrun_mode = shared_nothing\nuser = root\npassword = tgtpw\n";

static void
start(struct sim *s, const char *more)
{
	char scen[8192];

	snprintf(scen, sizeof(scen), "%s\n%s", base, more);
	assert_int_equal(sim_start(s, scen, SPEED), 0);
	e2e_keep(s);
	e2e_fast(s);
	e2e_prepare(s);
}

static void
expect_equal(struct sim *s, const char *only)
{
	char report[8192];
	int rc = sim_compare(s, only, report, sizeof(report));

	if (rc != 0)
		fprintf(stderr, "differences:\n%s\n", report);
	assert_int_equal(rc, 0);
}

static bool
target_has_table(struct sim *s, const char *db, const char *table)
{
	char sql[256], err[256];
	struct sim_result *r;
	bool found = false;

	snprintf(sql, sizeof(sql), "SHOW TABLES FROM %s", db);
	r = sim_query(s, SIM_TARGET, sql, err, sizeof(err));
	for (size_t i = 0; r && i < sim_rows(r); i++) {
		char title[128];

		snprintf(title, sizeof(title), "Tables_in_%s", db);
		if (sim_cell(r, i, title) && strcmp(sim_cell(r, i, title), table) == 0)
			found = true;
	}
	sim_result_free(r);
	return found;
}

static void
include_then_exclude(void **state)
{
	struct sim s;
	char report[4096];

	(void)state;
	start(&s, "[generate]\ndatabases = 2\ntables = 6\npartitions = 2\n");
	e2e_conf(&s, "include_data_list=gen_db_000, gen_db_001.t_00001\n"
		     "exclude_data_list=gen_db_000.t_00002\n");
	assert_int_equal(e2e_run(&s, 120, "--once", (char *)NULL), 0);
	/* gen_db_000 holds t_00000, t_00002, t_00004; gen_db_001 holds 1, 3, 5. */
	assert_true(target_has_table(&s, "gen_db_000", "t_00000"));
	assert_true(target_has_table(&s, "gen_db_000", "t_00004"));
	assert_false(target_has_table(&s, "gen_db_000", "t_00002"));
	assert_true(target_has_table(&s, "gen_db_001", "t_00001"));
	assert_false(target_has_table(&s, "gen_db_001", "t_00003"));
	assert_false(target_has_table(&s, "gen_db_001", "t_00005"));
	assert_int_equal(sim_compare(&s, "gen_db_000.t_00000,gen_db_000.t_00004,gen_db_001.t_00001", report,
				     sizeof(report)), 0);
	e2e_finish(&s);
}

static void
encrypted_and_environment_passwords(void **state)
{
	struct sim s;
	char line[512], *enc;

	(void)state;
	start(&s, "[generate]\ndatabases = 1\ntables = 2\npartitions = 2\n");
	/* The source password as the official tool's AES value; the target's from the environment. */
	enc = secret_encrypt("srcpw", "a key; with #s");
	snprintf(line, sizeof(line), "source_cluster_password=%s\nsource_cluster_password_secret_key=a key; "
		 "with #s\ntarget_cluster_password=wrong\n", enc);
	free(enc);
	e2e_conf(&s, line);
	setenv("SRMIGRATE_TARGET_PASSWORD", "tgtpw", 1);
	assert_int_equal(e2e_run(&s, 120, "--once", (char *)NULL), 0);
	unsetenv("SRMIGRATE_TARGET_PASSWORD");
	/* The harness logs in with the plain passwords of the same file. */
	e2e_conf(&s, "source_cluster_password=srcpw\nsource_cluster_password_secret_key=\n"
		     "target_cluster_password=tgtpw\n");
	expect_equal(&s, NULL);
	e2e_conf(&s, line);
	/* A wrong key: a clear error naming the file, the line and the key; no run. */
	e2e_conf(&s, "source_cluster_password_secret_key=not the key\n");
	assert_int_equal(e2e_run(&s, 30, "--once", (char *)NULL), 2);
	{
		char *out = e2e_read(&s, "srmigrate.out");

		assert_non_null(strstr(out, "sync.properties:"));
		assert_non_null(strstr(out, "source_cluster_password: cannot decrypt"));
		assert_null(strstr(out, "srcpw"));
		free(out);
	}
	e2e_finish(&s);
}

static void
large_table_is_split(void **state)
{
	struct sim s;

	(void)state;
	/* 4 partitions of 1.5 GB each; at most 2 GB per job: one partition per job. */
	start(&s, "[table source big.facts]\n"
		  "ddl = CREATE TABLE big.facts (k bigint, dt date, v bigint) DUPLICATE KEY(k) "
		  "PARTITION BY RANGE(dt) (PARTITION p1 VALUES [(\"2024-01-01\"), (\"2024-01-02\")), "
		  "PARTITION p2 VALUES [(\"2024-01-02\"), (\"2024-01-03\")), "
		  "PARTITION p3 VALUES [(\"2024-01-03\"), (\"2024-01-04\")), "
		  "PARTITION p4 VALUES [(\"2024-01-04\"), (\"2024-01-05\"))) "
		  "DISTRIBUTED BY HASH(k) BUCKETS 4 PROPERTIES (\"replication_num\" = \"3\")\n"
		  "rows = 40000\ndata_size = 6GB\n");
	e2e_conf(&s, "max_replication_data_size_per_job_in_gb=2\n");
	assert_int_equal(e2e_run(&s, 120, "--once", (char *)NULL), 0);
	expect_equal(&s, NULL);
	assert_int_equal(e2e_log_count(&s, "for big.facts sent (1 partitions"), 4);
	assert_int_equal(e2e_log_count(&s, "for big.facts sent (2 partitions"), 0);
	e2e_finish(&s);
}

static void
failing_table_is_retried(void **state)
{
	struct sim s;
	char err[256];
	struct e2e_progress p;

	(void)state;
	start(&s, "[generate]\ndatabases = 1\ntables = 3\npartitions = 2\n");
	assert_int_equal(sim_exec(&s, SIM_TARGET, "ADMIN SET FRONTEND CONFIG (\"sim_job_abort_first_attempt\" "
				  "= \"gen_db_000.t_00001\")", err, sizeof(err)), 0);
	assert_int_equal(e2e_run(&s, 120, "--once", (char *)NULL), 0);
	expect_equal(&s, NULL);
	/* The first attempt failed with the FE's reason, the second made it. */
	assert_true(e2e_log_has(&s, "for gen_db_000.t_00001 failed (attempt 1)"));
	assert_int_equal(e2e_log_count(&s, "for gen_db_000.t_00001 finished"), 1);
	assert_int_equal(e2e_progress(&s, &p), 0);
	assert_int_equal(p.failed, 0);
	e2e_finish(&s);
}

/* Poll the target's /replications while srmigrate runs: never more running than the cap. */
static void
cap_is_respected(void **state)
{
	struct sim s;
	char err[256];
	pid_t pid;
	int max_running = 0, rc = -1;

	(void)state;
	start(&s, "[generate]\ndatabases = 1\ntables = 6\npartitions = 2\n[replication]\ncopy_speed = 2MB\n");
	assert_int_equal(sim_exec(&s, SIM_TARGET, "ADMIN SET FRONTEND CONFIG "
				  "(\"replication_max_parallel_table_count\" = \"2\")", err, sizeof(err)), 0);
	pid = e2e_launch(&s, "--once", (char *)NULL);
	for (int i = 0; i < 2400; i++) {
		struct sim_result *r = sim_query(&s, SIM_TARGET, "SHOW PROC '/replications'", err, sizeof(err));
		int running = 0;

		for (size_t k = 0; r && k < sim_rows(r); k++) {
			const char *state_ = sim_cell(r, k, "State");

			running += state_ && (strcmp(state_, "SNAPSHOTING") == 0 ||
					      strcmp(state_, "REPLICATING") == 0 ||
					      strcmp(state_, "INITIALIZING") == 0);
		}
		sim_result_free(r);
		if (running > max_running)
			max_running = running;
		if (e2e_exited(pid, &rc))
			break;
		usleep(25000);
	}
	if (rc != 0)
		e2e_show(&s);
	assert_int_equal(rc, 0);
	assert_true(max_running >= 1);
	assert_true(max_running <= 2);
	/* The jobs that waited for a slot went out with requests built while they waited. */
	assert_true(e2e_log_count(&s, ", built ahead)") >= 1);
	expect_equal(&s, NULL);
	e2e_finish(&s);
}

static void
disk_guard_stops_headless_run(void **state)
{
	struct sim s;
	char *out;

	(void)state;
	start(&s, "[generate]\ndatabases = 1\ntables = 2\npartitions = 2\n");
	e2e_conf(&s, "target_cluster_max_disk_used_percent=85\n");
	{
		char err[256];

		assert_int_equal(sim_exec(&s, SIM_TARGET, "ADMIN SET FRONTEND CONFIG (\"sim_disk_used_pct\" = "
					  "\"1:91\")", err, sizeof(err)), 0);
	}
	/* The checklist fails on the disk; with --force the guard itself stops the run. */
	assert_int_equal(e2e_run(&s, 60, "--once", (char *)NULL), 1);
	assert_int_equal(e2e_run(&s, 60, "--once", "--force", (char *)NULL), 3);
	out = e2e_read(&s, "srmigrate.out");
	assert_non_null(strstr(out, "stopped by the disk guard: BE be-1.target.invalid (91.0% > 85%)"));
	free(out);
	/* No job was sent. */
	assert_int_equal(e2e_log_count(&s, " sent ("), 0);
	e2e_finish(&s);
}

static void
once_reports_tables_that_cannot_sync(void **state)
{
	struct sim s;
	char err[256], *out;

	(void)state;
	start(&s, "[generate]\ndatabases = 1\ntables = 2\npartitions = 2\n");
	/* A target table with another key model, and drops not allowed: blocked. */
	assert_int_equal(sim_exec(&s, SIM_TARGET, "CREATE DATABASE gen_db_000", err, sizeof(err)), 0);
	assert_int_equal(sim_exec(&s, SIM_TARGET, "CREATE TABLE gen_db_000.t_00001 (k bigint, v bigint) "
				  "PRIMARY KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2 "
				  "PROPERTIES (\"replication_num\" = \"1\")", err, sizeof(err)), 0);
	e2e_conf(&s, "ddl_job_allow_drop_schema_change_table=false\n");
	assert_int_equal(e2e_run(&s, 120, "--once", (char *)NULL), 1);
	out = e2e_read(&s, "srmigrate.out");
	assert_non_null(strstr(out, "not synced: gen_db_000.t_00001: schema changed on the source"));
	assert_non_null(strstr(out, "ddl_job_allow_drop_schema_change_table=false"));
	assert_non_null(strstr(out, "1 tables or statements cannot be done"));
	free(out);
	/* The other table made it; the blocked one was left alone. */
	expect_equal(&s, "gen_db_000.t_00000");
	e2e_finish(&s);
}

static void
continuous_loads_are_caught_up(void **state)
{
	struct sim s;
	struct e2e_progress p;
	pid_t pid;

	(void)state;
	/* Loads every 10 s (0.2 s real) for 150 s (3 s real) on every table. */
	start(&s, "[generate]\ndatabases = 1\ntables = 3\npartitions = 2\n"
		  "[load]\ninterval = 10s\nstop = 150s\nrows = 100\n");
	pid = e2e_launch(&s, (char *)NULL);
	/* Catches up once loads stop, and the table progress went through expired states. */
	assert_int_equal(e2e_converged(&s, 60), 0);
	sleep(3);	/* a report after convergence */
	kill(pid, SIGTERM);
	assert_int_equal(e2e_await(pid, 30), 0);
	/* More jobs than tables: incremental catch-up, not one copy each. */
	assert_true(e2e_log_count(&s, " finished (") > 3);
	assert_int_equal(e2e_progress(&s, &p), 0);
	assert_int_equal(p.tables_finished, 3);
	expect_equal(&s, NULL);
	e2e_finish(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(include_then_exclude, e2e_teardown),
		cmocka_unit_test_teardown(encrypted_and_environment_passwords, e2e_teardown),
		cmocka_unit_test_teardown(large_table_is_split, e2e_teardown),
		cmocka_unit_test_teardown(failing_table_is_retried, e2e_teardown),
		cmocka_unit_test_teardown(cap_is_respected, e2e_teardown),
		cmocka_unit_test_teardown(disk_guard_stops_headless_run, e2e_teardown),
		cmocka_unit_test_teardown(once_reports_tables_that_cannot_sync, e2e_teardown),
		cmocka_unit_test_teardown(continuous_loads_are_caught_up, e2e_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
