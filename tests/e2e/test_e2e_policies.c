/*
 * The ddl_job_allow_drop_* keys, each both ways, on targets that differ
 * from their source; and drops held for the operator, approved or skipped
 * over the control socket. Outcomes are read from the target itself.
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

#define SPEED 50

/* A source table with gaps between its partitions, so bounds can differ without overlapping. */
#define SOURCE_TABLE                                                                           \
	"CREATE TABLE shop.orders (k bigint, dt date, v bigint) DUPLICATE KEY(k) "             \
	"PARTITION BY RANGE(dt) (PARTITION p1 VALUES [(\"2024-01-01\"), (\"2024-01-02\")), "   \
	"PARTITION p2 VALUES [(\"2024-02-01\"), (\"2024-02-02\"))) "                           \
	"DISTRIBUTED BY HASH(k) BUCKETS 4 PROPERTIES (\"replication_num\" = \"3\")"

static const char scenario[] =
	"[source]\nversion = 3.3.5\nrun_mode = shared_nothing\nuser = root\npassword = srcpw\n"
	"token = 8a1f2c3d-0000-4000-8000-00000000beef\n\n"
	"[target]\nversion = 3.3.5\nrun_mode = shared_nothing\nuser = root\npassword = tgtpw\n\n"
	"[table source shop.orders]\nddl = " SOURCE_TABLE "\nrows = 2000\n";

/* The target's copy of the table, as srmigrate would make it, then @alter applied. */
static void
start(struct sim *s, const char *target_ddl, const char *alter)
{
	char err[512];

	assert_int_equal(sim_start(s, scenario, SPEED), 0);
	e2e_keep(s);
	e2e_fast(s);
	e2e_prepare(s);
	assert_int_equal(sim_exec(s, SIM_TARGET, "CREATE DATABASE shop", err, sizeof(err)), 0);
	if (target_ddl)
		assert_int_equal(sim_exec(s, SIM_TARGET, target_ddl, err, sizeof(err)), 0);
	if (alter)
		assert_int_equal(sim_exec(s, SIM_TARGET, alter, err, sizeof(err)), 0);
}

static bool
target_partition(struct sim *s, const char *name, char *value, size_t len)
{
	char err[256];
	struct sim_result *r = sim_query(s, SIM_TARGET, "SHOW PARTITIONS FROM shop.orders", err, sizeof(err));
	bool found = false;

	for (size_t i = 0; r && i < sim_rows(r); i++) {
		if (strcmp(sim_cell(r, i, "PartitionName"), name) != 0)
			continue;
		found = true;
		if (value)
			snprintf(value, len, "%s %s", sim_cell(r, i, "Range"), sim_cell(r, i, "Buckets"));
	}
	sim_result_free(r);
	return found;
}

static void
expect_in_sync(struct sim *s)
{
	char report[8192];
	int rc = sim_compare(s, NULL, report, sizeof(report));

	if (rc != 0)
		fprintf(stderr, "differences:\n%s\n", report);
	assert_int_equal(rc, 0);
}

static void
expect_output(struct sim *s, const char *needle)
{
	char *out = e2e_read(s, "srmigrate.out");

	if (out == NULL || strstr(out, needle) == NULL)
		fprintf(stderr, "expected '%s' in:\n%s\n", needle, out ? out : "");
	assert_non_null(out);
	assert_non_null(strstr(out, needle));
	free(out);
}

#define EXTRA_PARTITION "ALTER TABLE shop.orders ADD PARTITION p9 VALUES [(\"2030-01-01\"), (\"2030-01-02\"))"

static void
target_only_partition_dropped(void **state)
{
	struct sim s;

	(void)state;
	start(&s, SOURCE_TABLE, EXTRA_PARTITION);
	assert_int_equal(e2e_run(&s, 120, "--once", (char *)NULL), 0);
	assert_false(target_partition(&s, "p9", NULL, 0));
	expect_in_sync(&s);
	e2e_finish(&s);
}

static void
target_only_partition_kept(void **state)
{
	struct sim s;

	(void)state;
	start(&s, SOURCE_TABLE, EXTRA_PARTITION);
	e2e_conf(&s, "ddl_job_allow_drop_partition_target_only=false\n");
	assert_int_equal(e2e_run(&s, 120, "--once", (char *)NULL), 1);
	assert_true(target_partition(&s, "p9", NULL, 0));
	expect_output(&s, "partition p9 exists only on the target (ddl_job_allow_drop_partition_target_only=false)");
	e2e_finish(&s);
}

/* The target's p2 covers two days: the bounds differ. */
#define WIDE_P2                                                                                \
	"CREATE TABLE shop.orders (k bigint, dt date, v bigint) DUPLICATE KEY(k) "             \
	"PARTITION BY RANGE(dt) (PARTITION p1 VALUES [(\"2024-01-01\"), (\"2024-01-02\")), "   \
	"PARTITION p2 VALUES [(\"2024-02-01\"), (\"2024-02-03\"))) "                           \
	"DISTRIBUTED BY HASH(k) BUCKETS 4 PROPERTIES (\"replication_num\" = \"3\")"

static void
bounds_that_differ_replaced(void **state)
{
	struct sim s;
	char value[256];

	(void)state;
	start(&s, WIDE_P2, NULL);
	assert_int_equal(e2e_run(&s, 120, "--once", (char *)NULL), 0);
	assert_true(target_partition(&s, "p2", value, sizeof(value)));
	assert_non_null(strstr(value, "2024-02-02"));
	assert_null(strstr(value, "2024-02-03"));
	expect_in_sync(&s);
	e2e_finish(&s);
}

static void
bounds_that_differ_kept(void **state)
{
	struct sim s;
	char value[256];

	(void)state;
	start(&s, WIDE_P2, NULL);
	e2e_conf(&s, "ddl_job_allow_drop_inconsistent_time_partition=false\n");
	assert_int_equal(e2e_run(&s, 120, "--once", (char *)NULL), 1);
	assert_true(target_partition(&s, "p2", value, sizeof(value)));
	assert_non_null(strstr(value, "2024-02-03"));
	expect_output(&s, "ddl_job_allow_drop_inconsistent_time_partition=false");
	e2e_finish(&s);
}

/* The target's p2 has 8 buckets: the distribution differs. */
#define P2_BUCKETS "ALTER TABLE shop.orders DROP PARTITION p2"
#define P2_AGAIN                                                                               \
	"ALTER TABLE shop.orders ADD PARTITION p2 VALUES [(\"2024-02-01\"), (\"2024-02-02\")) " \
	"DISTRIBUTED BY HASH(k) BUCKETS 8"

static void
distribution_that_differs(void **state)
{
	struct sim s;
	char value[256], err[256];

	(void)state;
	for (int allow = 1; allow >= 0; allow--) {
		start(&s, SOURCE_TABLE, P2_BUCKETS);
		assert_int_equal(sim_exec(&s, SIM_TARGET, P2_AGAIN, err, sizeof(err)), 0);
		e2e_conf(&s, allow ? "ddl_job_allow_drop_inconsistent_partition=true\n"
				   : "ddl_job_allow_drop_inconsistent_partition=false\n");
		assert_int_equal(e2e_run(&s, 120, "--once", (char *)NULL), allow ? 0 : 1);
		assert_true(target_partition(&s, "p2", value, sizeof(value)));
		assert_non_null(strstr(value, allow ? " 4" : " 8"));
		if (allow)
			expect_in_sync(&s);
		else
			expect_output(&s, "4 buckets on the source, 8 on the target");
		e2e_finish(&s);
	}
}

#define OTHER_MODEL                                                                            \
	"CREATE TABLE shop.orders (k bigint, dt date, v bigint) PRIMARY KEY(k, dt) "           \
	"PARTITION BY RANGE(dt) (PARTITION p1 VALUES [(\"2024-01-01\"), (\"2024-01-02\"))) "   \
	"DISTRIBUTED BY HASH(k) BUCKETS 4 PROPERTIES (\"replication_num\" = \"3\")"

static void
schema_change_recreates_the_table(void **state)
{
	struct sim s;
	char err[256];
	struct sim_result *r;

	(void)state;
	start(&s, OTHER_MODEL, NULL);
	assert_int_equal(e2e_run(&s, 120, "--once", (char *)NULL), 0);
	expect_in_sync(&s);
	r = sim_query(&s, SIM_TARGET, "SELECT TABLE_MODEL FROM information_schema.tables_config "
		      "WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'orders'", err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(sim_rows(r), 1);
	assert_string_equal(sim_cell(r, 0, "TABLE_MODEL"), "DUP_KEYS");
	sim_result_free(r);
	e2e_finish(&s);
}

static void
target_only_table_follows_its_key(void **state)
{
	struct sim s;
	char err[256];
	struct sim_result *r;

	(void)state;
	for (int allow = 0; allow <= 1; allow++) {
		start(&s, NULL, "CREATE TABLE shop.stray (k bigint) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) "
				"BUCKETS 1 PROPERTIES (\"replication_num\" = \"1\")");
		e2e_conf(&s, allow ? "ddl_job_allow_drop_target_only=true\n"
				   : "ddl_job_allow_drop_target_only=false\n");
		assert_int_equal(e2e_run(&s, 120, "--once", (char *)NULL), 0);
		r = sim_query(&s, SIM_TARGET, "SHOW TABLES FROM shop", err, sizeof(err));
		assert_non_null(r);
		/* orders synced; stray dropped only when allowed. */
		assert_int_equal(sim_rows(r), allow ? 1 : 2);
		sim_result_free(r);
		expect_in_sync(&s);
		e2e_finish(&s);
	}
}

static unsigned
held_ddl(struct sim *s)
{
	char out[8192], *at;
	unsigned id = 0;

	for (int i = 0; i < 200 && id == 0; i++) {
		if (e2e_ctl(s, "status", out, sizeof(out)) == 0 && (at = strstr(out, "held DDL ")) != NULL)
			sscanf(at, "held DDL %u", &id);
		else
			usleep(100000);
	}
	return id;
}

static void
held_drop_approved_over_the_socket(void **state)
{
	struct sim s;
	char out[8192], cmd[64], report[4096];
	unsigned id;
	pid_t pid;

	(void)state;
	start(&s, SOURCE_TABLE, EXTRA_PARTITION);
	e2e_conf(&s, "ddl_job_confirm_drops=true\n");
	pid = e2e_launch(&s, (char *)NULL);
	id = held_ddl(&s);
	assert_true(id > 0);
	/* Held: nothing dropped yet, however long we wait. */
	sleep(2);
	assert_true(target_partition(&s, "p9", NULL, 0));
	snprintf(cmd, sizeof(cmd), "approve %u", id);
	assert_int_equal(e2e_ctl(&s, cmd, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "approved"));
	/* Approving twice is an error, not a second drop. */
	assert_int_equal(e2e_ctl(&s, cmd, out, sizeof(out)), 1);
	assert_int_equal(e2e_converge(&s, NULL, 60, report, sizeof(report)), 0);
	assert_false(target_partition(&s, "p9", NULL, 0));
	kill(pid, SIGTERM);
	assert_int_equal(e2e_await(pid, 30), 0);
	e2e_finish(&s);
}

static void
held_drop_skipped_over_the_socket(void **state)
{
	struct sim s;
	char out[8192], cmd[64];
	unsigned id;
	pid_t pid;

	(void)state;
	start(&s, SOURCE_TABLE, EXTRA_PARTITION);
	e2e_conf(&s, "ddl_job_confirm_drops=true\n");
	pid = e2e_launch(&s, (char *)NULL);
	id = held_ddl(&s);
	assert_true(id > 0);
	snprintf(cmd, sizeof(cmd), "skip %u", id);
	assert_int_equal(e2e_ctl(&s, cmd, out, sizeof(out)), 0);
	sleep(4);	/* two passes: it is not asked again */
	assert_int_equal(e2e_ctl(&s, "status", out, sizeof(out)), 0);
	assert_null(strstr(out, "held DDL"));
	assert_non_null(strstr(out, "blocked tables: 1"));
	assert_true(target_partition(&s, "p9", NULL, 0));
	kill(pid, SIGTERM);
	assert_int_equal(e2e_await(pid, 30), 0);
	e2e_finish(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(target_only_partition_dropped, e2e_teardown),
		cmocka_unit_test_teardown(target_only_partition_kept, e2e_teardown),
		cmocka_unit_test_teardown(bounds_that_differ_replaced, e2e_teardown),
		cmocka_unit_test_teardown(bounds_that_differ_kept, e2e_teardown),
		cmocka_unit_test_teardown(distribution_that_differs, e2e_teardown),
		cmocka_unit_test_teardown(schema_change_recreates_the_table, e2e_teardown),
		cmocka_unit_test_teardown(target_only_table_follows_its_key, e2e_teardown),
		cmocka_unit_test_teardown(held_drop_approved_over_the_socket, e2e_teardown),
		cmocka_unit_test_teardown(held_drop_skipped_over_the_socket, e2e_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
