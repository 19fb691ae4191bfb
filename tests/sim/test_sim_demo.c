/*
 * The demo scenario (conf/demo/scenario.ini): it loads with the shape the
 * demo promises (a shared-nothing 3.3 source, a shared-data 3.5 target, four
 * databases, forty tables of every model and partitioning, loads going on),
 * and srmigrate, run headless on it, brings every table into sync: the loads
 * are held after a while so that there is an end to reach, and the table
 * whose first replication attempt fails is caught up by its retry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <unistd.h>

#include <cmocka.h>

#include "e2e/e2e.h"
#include "simtest.h"

#define SPEED 40
#define DEMO "conf/demo/scenario.ini"

static struct sim sim;

static int
setup(void **state)
{
	gchar *text = NULL;

	(void)state;
	if (!g_file_get_contents(DEMO, &text, NULL, NULL)) {
		fprintf(stderr, "test_sim_demo: cannot read %s (run from the source tree)\n", DEMO);
		return -1;
	}
	int rc = sim_start(&sim, text, SPEED);
	g_free(text);
	return rc;
}

static int
teardown(void **state)
{
	(void)state;
	sim_stop(&sim);
	return 0;
}

static int64_t
count(int side, const char *sql)
{
	struct sim_result *r = st_q(&sim, side, "%s", sql);
	int64_t n = r && sim_rows(r) ? st_i64(sim_cell(r, 0, "n")) : -1;

	sim_result_free(r);
	return n;
}

static void
test_shape(void **state)
{
	(void)state;
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "SELECT @@version_comment AS v");
	assert_true(g_str_has_prefix(sim_cell(r, 0, "v"), "3.3."));
	sim_result_free(r);
	r = st_q(&sim, SIM_TARGET, "SELECT @@version_comment AS v");
	assert_true(g_str_has_prefix(sim_cell(r, 0, "v"), "3.5."));
	sim_result_free(r);
	r = st_q(&sim, SIM_TARGET, "ADMIN SHOW FRONTEND CONFIG LIKE 'run_mode'");
	assert_string_equal(sim_cell(r, 0, "Value"), "shared_data");
	sim_result_free(r);

	assert_int_equal(count(SIM_SOURCE, "SELECT COUNT(DISTINCT TABLE_SCHEMA) AS n FROM information_schema.tables "
				"WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA <> '_statistics_'"), 4);
	int64_t tables = count(SIM_SOURCE, "SELECT COUNT(*) AS n FROM information_schema.tables WHERE "
			       "TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA <> '_statistics_'");
	assert_in_range(tables, 30, 60);
	assert_int_equal(count(SIM_SOURCE, "SELECT COUNT(DISTINCT TABLE_MODEL) AS n FROM information_schema.tables_config "
				"WHERE TABLE_SCHEMA <> '_statistics_' AND TABLE_ENGINE = 'OLAP'"), 4);
	/* range, list, expression and unpartitioned tables */
	static const char *const kinds[] = { "RANGE", "LIST", "EXPR_RANGE", "UNPARTITIONED" };
	bool seen[4] = { false };
	static const char *const dbs[] = { "sales", "inventory", "analytics", "logs" };
	for (size_t d = 0; d < 4; d++) {
		r = st_q(&sim, SIM_SOURCE, "SHOW PROC '/dbs/%s'", dbs[d]);
		assert_non_null(r);
		for (size_t i = 0; i < sim_rows(r); i++)
			for (size_t k = 0; k < 4; k++)
				seen[k] |= !strcmp(sim_cell(r, i, "PartitionType"), kinds[k]);
		sim_result_free(r);
	}
	for (size_t k = 0; k < 4; k++)
		if (!seen[k])
			fail_msg("no %s table in the demo", kinds[k]);
	/* loads are going on: the load transactions of the busy database keep coming */
	int64_t before = count(SIM_SOURCE, "SELECT COUNT(*) AS n FROM information_schema.partitions_meta "
			       "WHERE DB_NAME = 'sales' AND VISIBLE_VERSION > 5");
	usleep(1500 * 1000);
	int64_t after = count(SIM_SOURCE, "SELECT COUNT(*) AS n FROM information_schema.partitions_meta "
			      "WHERE DB_NAME = 'sales' AND VISIBLE_VERSION > 5");
	assert_true(after > before);
}

static void
test_srmigrate_converges(void **state)
{
	char err[512];
	static char report[1 << 16];

	(void)state;
	e2e_fast(&sim);
	pid_t pid = e2e_start(&sim, "--no-tui", NULL);
	assert_true(pid > 0);
	/* a while with loads going on, then an end to reach */
	sleep(10);
	assert_int_equal(sim_exec(&sim, SIM_SOURCE, "ADMIN SET FRONTEND CONFIG (\"sim_load_pause\" = \"true\")", err,
				  sizeof err), 0);
	int diff = e2e_converge(&sim, NULL, 40, report, sizeof report);
	kill(pid, SIGTERM);
	int rc = e2e_wait(pid, 20);
	if (diff != 0) {
		fprintf(stderr, "%s", report);
		fail_msg("%d tables or partitions still differ", diff);
	}
	assert_int_equal(rc, 0);
	/* the table whose first attempt failed: one aborted replication transaction, then the data */
	struct sim_result *r = st_q(&sim, SIM_TARGET, "SHOW PROC '/transactions/sales/finished'");
	assert_non_null(r);
	int aborted = 0;
	for (size_t i = 0; i < sim_rows(r); i++)
		if (!strcmp(sim_cell(r, i, "TransactionStatus"), "ABORTED") &&
		    strstr(sim_cell(r, i, "Reason"), "snapshot of tablet lost"))
			aborted++;
	sim_result_free(r);
	assert_int_equal(aborted, 1);
	assert_int_equal(sim_compare(&sim, "sales.order_items", report, sizeof report), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_srmigrate_converges),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
