/*
 * Scale: a cluster the size of the benchmark's (10 000 tables x 10
 * partitions x 16 buckets x 3 replicas = 1.6 M tablets and 4.8 M replicas on
 * each side) starts within the harness's 20 s, even under the sanitizers, and
 * answers the bulk queries a meta pass sends, whole and in bounded time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <cmocka.h>

#include "simtest.h"

#define GEN(side) \
	"[generate " side "]\ndatabases = 10\ntables = 10000\npartitions = 10\nbuckets = 16\nreplication_num = 3\n" \
	"rows = 100000\ndata_size = 10MB\npartitioning = range\n"

static const char scenario[] = "[source]\nversion = 3.3.5\nbe = 3\n[target]\nversion = 3.5.2\nbe = 3\n"
			       "[sim]\nsystem_dbs = false\n" GEN("source") GEN("target");

static struct sim sim;

static int
setup(void **state)
{
	(void)state;
	return sim_start(&sim, scenario, 1);
}

static int
teardown(void **state)
{
	(void)state;
	sim_stop(&sim);
	return 0;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Rows of a query, and that it took less than limit seconds. */
static size_t
rows_within(const char *sql, double limit)
{
	double t0 = now_s();
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "%s", sql);
	double took = now_s() - t0;

	assert_non_null(r);
	size_t n = sim_rows(r);
	sim_result_free(r);
	if (took > limit)
		fail_msg("%s took %.1f s (bound %.0f s)", sql, took, limit);
	return n;
}

static void
test_bulk_answers(void **state)
{
	(void)state;
	assert_int_equal(rows_within("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM information_schema.tables "
				     "WHERE TABLE_TYPE = 'BASE TABLE'", 10),
			 10000);
	assert_int_equal(rows_within("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ID FROM information_schema.tables_config", 10),
			 10000);
	assert_int_equal(rows_within("SELECT DB_NAME, TABLE_NAME, PARTITION_NAME, PARTITION_ID, VISIBLE_VERSION, "
				     "DATA_VERSION FROM information_schema.partitions_meta", 20), 100000);
	/* every replica of every tablet: 10 000 x 10 x 16 x 3 */
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "SELECT COUNT(*) AS n FROM information_schema.be_tablets");
	assert_string_equal(sim_cell(r, 0, "n"), "4800000");
	sim_result_free(r);
	/* per partition: its indexes, then its tablets in bucket order with their replicas */
	r = st_q(&sim, SIM_SOURCE, "SHOW PROC '/dbs/gen_db_007/t_09997/partitions'");
	assert_int_equal(sim_rows(r), 10);
	char *pid = g_strdup(sim_cell(r, 9, "PartitionId"));
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SHOW PROC '/dbs/gen_db_007/t_09997/partitions/%s'", pid);
	assert_int_equal(sim_rows(r), 1);
	char *iid = g_strdup(sim_cell(r, 0, "IndexId"));
	sim_result_free(r);
	char sql[256];
	snprintf(sql, sizeof sql, "SHOW PROC '/dbs/gen_db_007/t_09997/partitions/%s/%s'", pid, iid);
	double t0 = now_s();
	for (int i = 0; i < 100; i++)
		assert_int_equal(rows_within(sql, 5), 48);
	if (now_s() - t0 > 20)
		fail_msg("100 tablet listings took %.1f s", now_s() - t0);
	g_free(pid);
	g_free(iid);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bulk_answers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
