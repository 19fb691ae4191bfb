/*
 * Automatically partitioned tables (expression and automatic LIST) as
 * StarRocks keeps them: SHOW CREATE TABLE without a partition list, the
 * partitions loads create (named and bounded by the expression's unit),
 * what ALTER TABLE ADD PARTITION accepts per version, and the partitions_meta
 * cells PARTITION_KEY, PARTITION_VALUE and DATA_SIZE per version.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

#include <cmocka.h>

#include "simtest.h"

/* 3.2.8 has partitions_meta (3.2.4+) but not the 3.3 analyzer; 3.5.2 on the target. */
static const char scenario[] =
	"[source]\nversion = 3.2.8\nbe = 1\n"
	"[target]\nversion = 3.5.2\nbe = 1\n"
	"[database source d]\n[database target d]\n"
	"[table source d.daily]\npartition_by = expr\npartitions = 2\nbuckets = 1\nrows = 200\ndata_size = 4KB\n"
	"[table target d.daily]\npartition_by = expr\npartitions = 2\nbuckets = 1\nrows = 200\ndata_size = 4KB\n";

SIMTEST_GROUP(scenario)

/* The error of a statement that must fail, and its code. */
static int
exec_err(int side, const char *sql, char *err, size_t n)
{
	int rc = sim_exec(&sim, side, sql, err, n);

	if (rc == 0)
		fail_msg("%s: accepted", sql);
	return rc;
}

static char *
show_create(int side, const char *table)
{
	struct sim_result *r = st_q(&sim, side, "SHOW CREATE TABLE %s", table);
	assert_non_null(r);
	char *text = g_strdup(sim_cell(r, 0, "Create Table"));
	sim_result_free(r);
	return text;
}

/* Partition names of a table, in SHOW PARTITIONS order, comma-joined. */
static char *
partition_names(int side, const char *table)
{
	struct sim_result *r = st_q(&sim, side, "SHOW PARTITIONS FROM %s", table);
	GString *s = g_string_new(NULL);

	assert_non_null(r);
	for (size_t i = 0; i < sim_rows(r); i++)
		g_string_append_printf(s, "%s%s", i ? "," : "", sim_cell(r, i, "PartitionName"));
	sim_result_free(r);
	return g_string_free(s, FALSE);
}

static void
test_show_create_has_no_partition_list(void **state)
{
	(void)state;
	for (int side = 0; side < 2; side++) {
		st_exec_ok(&sim, side, "CREATE TABLE d.ts (ts DATETIME NOT NULL, v INT) DUPLICATE KEY(ts) "
			"PARTITION BY time_slice(ts, INTERVAL 3 day) DISTRIBUTED BY HASH(ts) BUCKETS 1");
		st_exec_ok(&sim, side, "CREATE TABLE d.al (city VARCHAR(20) NOT NULL, dt DATE NOT NULL, v INT) "
			"DUPLICATE KEY(city, dt) PARTITION BY (city, dt) DISTRIBUTED BY HASH(city) BUCKETS 1");
		st_exec_ok(&sim, side, "INSERT INTO d.al VALUES (\"x\", \"2024-01-01\", 1)");
		char *daily = show_create(side, "d.daily"), *ts = show_create(side, "d.ts"), *al = show_create(side, "d.al");
		/* ExpressionRangePartitionInfo.toSql: the expression alone; ListPartitionInfo.toSql for an
		 * automatic table: the columns, backquoted, joined by "," */
		assert_non_null(strstr(daily, "\nPARTITION BY date_trunc('day', `dt`)\nDISTRIBUTED BY HASH(`k1`) BUCKETS 1 \n"));
		assert_non_null(strstr(ts, "\nPARTITION BY time_slice(`ts`, INTERVAL 3 day)\nDISTRIBUTED BY"));
		assert_non_null(strstr(al, "\nPARTITION BY (`city`,`dt`)\nDISTRIBUTED BY HASH(`city`) BUCKETS 1 \n"));
		assert_null(strstr(daily, "VALUES"));
		assert_null(strstr(al, "VALUES"));
		g_free(daily);
		g_free(ts);
		g_free(al);
	}
	/* the automatic list partition a load made: one value per column, named after them */
	char *names = partition_names(SIM_SOURCE, "d.al");
	assert_string_equal(names, "pv1_v1");
	g_free(names);
}

static void
test_loads_create_partitions_by_unit(void **state)
{
	(void)state;
	struct sim s;
	static const char scn[] =
		"[source]\nversion = 3.3.5\nbe = 1\n[target]\nversion = 3.3.5\nbe = 1\n"
		"[table d.m]\ncolumns = `k1` bigint NOT NULL, `dt` date NOT NULL, `v1` bigint NULL\nkeys = `k1`, `dt`\n"
		"partition_by = expr(date_trunc('month', dt))\npartitions = 1\nbuckets = 1\n"
		"[table d.h]\ncolumns = `k1` bigint NOT NULL, `ts` datetime NOT NULL, `v1` bigint NULL\nkeys = `k1`, `ts`\n"
		"partition_by = expr(date_trunc('hour', ts))\npartitions = 1\nbuckets = 1\n"
		"[load]\ntables = d.m, d.h\ninterval = 1s\nrows = 10\nbytes = 1KB\nnew_partition_every = 1\nstop = 3s\n";

	assert_int_equal(sim_start(&s, scn, 20), 0);
	usleep(600 * 1000);
	struct sim_result *r = st_q(&s, SIM_SOURCE, "SHOW PARTITIONS FROM d.m");
	assert_non_null(r);
	assert_true(sim_rows(r) >= 2);
	char prev_upper[32] = "";
	for (size_t i = 0; i < sim_rows(r); i++) {
		const char *name = sim_cell(r, i, "PartitionName");
		char lower[32], upper[32], want[16];
		assert_int_equal(sscanf(sim_cell(r, i, "Range"), "[types: [DATE]; keys: [%31[^]]]; ..types: [DATE]; "
					"keys: [%31[^]]]; )", lower, upper), 2);
		/* p202401: a month, from its first day to the next month's, each after the last */
		assert_int_equal(strlen(name), 7);
		snprintf(want, sizeof want, "%.4s-%.2s-01", name + 1, name + 5);
		assert_string_equal(lower, want);
		assert_string_equal(upper + 8, "01");
		assert_string_not_equal(upper, lower);
		if (i)
			assert_string_equal(lower, prev_upper);
		snprintf(prev_upper, sizeof prev_upper, "%s", upper);
	}
	sim_result_free(r);
	r = st_q(&s, SIM_SOURCE, "SHOW PARTITIONS FROM d.h");
	assert_true(sim_rows(r) >= 2);
	/* p2024010112: an hour of a DATETIME column */
	assert_int_equal(strlen(sim_cell(r, 0, "PartitionName")), 11);
	assert_non_null(strstr(sim_cell(r, 0, "Range"), ":00:00]; ..types: [DATETIME]"));
	sim_result_free(r);
	sim_stop(&s);
}

static void
test_add_partition_3_3_and_later(void **state)
{
	char err[1024];

	(void)state;
	/* a single range partition: refused by the analyzer */
	assert_int_equal(exec_err(SIM_TARGET, "ALTER TABLE d.daily ADD PARTITION p20200101 VALUES "
				  "[(\"2020-01-01\"), (\"2020-01-02\"))", err, sizeof err), 1064);
	assert_string_equal(err, "Getting analyzing error. Detail message: Currently, you cannot manually add a single "
				 "range partition to a table that is automatically partition.");
	/* a batch in another unit, or of more than one unit */
	exec_err(SIM_TARGET, "ALTER TABLE d.daily ADD PARTITIONS START (\"2020-01-01\") END (\"2020-03-01\") "
		 "EVERY (INTERVAL 1 MONTH)", err, sizeof err);
	assert_string_equal(err, "Getting analyzing error. Detail message: The granularity of the auto-partitioned table "
				 "granularity(day) should be consistent with the increased partition granularity(MONTH)..");
	exec_err(SIM_TARGET, "ALTER TABLE d.daily ADD PARTITIONS START (\"2020-01-01\") END (\"2020-01-05\") "
		 "EVERY (INTERVAL 2 DAY)", err, sizeof err);
	assert_string_equal(err, "Getting analyzing error. Detail message: The step of the auto-partitioned table should "
				 "be 1.");
	/* a month batch that does not start on the first */
	st_exec_ok(&sim, SIM_TARGET, "CREATE TABLE d.monthly (dt DATE NOT NULL, v INT) PARTITION BY date_trunc('month', dt) "
		"DISTRIBUTED BY HASH(dt) BUCKETS 1");
	exec_err(SIM_TARGET, "ALTER TABLE d.monthly ADD PARTITIONS START (\"2020-01-15\") END (\"2020-03-01\") "
		 "EVERY (INTERVAL 1 MONTH)", err, sizeof err);
	assert_string_equal(err, "Getting analyzing error. Detail message: Batch build partition range "
				 "[2020-01-15,2020-03-01) should be a standard unit of time (MONTH) with start day of "
				 "month 1. suggest range [2020-01-01,2020-03-01)If you want to create partial partitions "
				 "in batch, you can turn off this check by setting the FE config "
				 "enable_create_partial_partition_in_batch=true.");
	/* the batches StarRocks takes: whole units of the table's own unit */
	st_exec_ok(&sim, SIM_TARGET, "ALTER TABLE d.monthly ADD PARTITIONS START (\"2020-01-01\") END (\"2020-03-01\") "
		"EVERY (INTERVAL 1 MONTH)");
	char *names = partition_names(SIM_TARGET, "d.monthly");
	assert_string_equal(names, "p202001,p202002");
	g_free(names);
	st_exec_ok(&sim, SIM_TARGET, "ALTER TABLE d.daily ADD PARTITIONS START (\"2020-01-01\") END (\"2020-01-02\") "
		"EVERY (INTERVAL 1 DAY)");
	struct sim_result *r = st_q(&sim, SIM_TARGET, "SHOW PARTITIONS FROM d.daily WHERE PartitionName = 'p20200101'");
	assert_int_equal(sim_rows(r), 1);
	sim_result_free(r);
	/* time_slice: its own step */
	exec_err(SIM_TARGET, "ALTER TABLE d.ts ADD PARTITIONS START (\"2020-01-01\") END (\"2020-01-07\") "
		 "EVERY (INTERVAL 1 DAY)", err, sizeof err);
	assert_string_equal(err, "Step length [1] in the operation is not equal to the partition step length [3] "
				 "stored in the table");
	/* automatic list: one value per partition */
	st_exec_ok(&sim, SIM_TARGET, "ALTER TABLE d.al ADD PARTITION p_y VALUES IN ((\"y\", \"2024-01-01\"))");
	exec_err(SIM_TARGET, "ALTER TABLE d.al ADD PARTITION p_z VALUES IN ((\"z\", \"2024-01-01\"), "
		 "(\"z\", \"2024-01-02\"))", err, sizeof err);
	assert_string_equal(err, "Getting analyzing error. Detail message: Automatically partitioned tables does not "
				 "support multiple values in the same partition.");
}

static void
test_add_partition_before_3_3(void **state)
{
	char err[1024];

	(void)state;
	exec_err(SIM_SOURCE, "ALTER TABLE d.daily ADD PARTITION p20200101 VALUES [(\"2020-01-01\"), (\"2020-01-02\"))",
		 err, sizeof err);
	assert_string_equal(err, "Automatically partitioned tables only support the syntax for adding partitions in "
				 "batches.");
	exec_err(SIM_SOURCE, "ALTER TABLE d.ts ADD PARTITIONS START (\"2020-01-01\") END (\"2020-01-04\") "
		 "EVERY (INTERVAL 3 DAY)", err, sizeof err);
	assert_string_equal(err, "time_slice does not support pre-created partitions");
	/* no alignment check before 3.3 */
	st_exec_ok(&sim, SIM_SOURCE, "ALTER TABLE d.daily ADD PARTITIONS START (\"2020-01-01 06:00:00\") END (\"2020-01-02\") "
		"EVERY (INTERVAL 1 DAY)");
	exec_err(SIM_SOURCE, "ALTER TABLE d.al ADD PARTITION p_z VALUES IN ((\"z\", \"2024-01-01\"), "
		 "(\"z\", \"2024-01-02\"))", err, sizeof err);
	assert_string_equal(err, "Automatically partitioned tables does not support multiple values in the same "
				 "partition");
}

static void
test_partitions_meta_cells(void **state)
{
	(void)state;
	static const char sql[] = "SELECT PARTITION_KEY, PARTITION_VALUE, DATA_SIZE FROM information_schema.partitions_meta "
				  "WHERE DB_NAME = 'd' AND TABLE_NAME = '%s' ORDER BY PARTITION_NAME";
	/* 3.2: the partition column names; DATA_SIZE as ByteSizeValue prints it (one INSERTed row: 64 bytes) */
	struct sim_result *r = st_q(&sim, SIM_SOURCE, sql, "al");
	assert_non_null(r);
	assert_string_equal(sim_cell(r, 0, "PARTITION_KEY"), "city, dt");
	assert_string_equal(sim_cell(r, 0, "PARTITION_VALUE"), "(('v1', 'v1'))");
	assert_string_equal(sim_cell(r, 0, "DATA_SIZE"), "64B");
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, sql, "daily");
	assert_string_equal(sim_cell(r, 0, "PARTITION_KEY"), "dt");
	assert_true(g_str_has_prefix(sim_cell(r, 0, "PARTITION_VALUE"), "[types: [DATE]; keys: ["));
	/* 200 rows of 4 KB over two partitions: 2 KB each */
	assert_string_equal(sim_cell(r, 1, "DATA_SIZE"), "2KB");
	sim_result_free(r);
	/* 3.4 and later: each partition column as Column.toString() prints it */
	r = st_q(&sim, SIM_TARGET, sql, "al");
	assert_string_equal(sim_cell(r, 0, "PARTITION_KEY"),
			    "`city` varchar(20) NOT NULL COMMENT \"\", `dt` date NOT NULL COMMENT \"\"");
	sim_result_free(r);
	r = st_q(&sim, SIM_TARGET, sql, "daily");
	assert_string_equal(sim_cell(r, 0, "PARTITION_KEY"), "`dt` date NOT NULL COMMENT \"\"");
	sim_result_free(r);

	/* 4.1 declares DATA_SIZE a BIGINT */
	struct sim s41;
	assert_int_equal(sim_start(&s41, "[source]\nversion = 4.1.0\nbe = 1\n[target]\nversion = 4.1.0\nbe = 1\n"
				   "[table d.t]\npartition_by = none\nbuckets = 1\nrows = 10\ndata_size = 2048\n", 10), 0);
	r = st_q(&s41, SIM_SOURCE, "SELECT PARTITION_KEY, DATA_SIZE FROM information_schema.partitions_meta WHERE "
		 "TABLE_NAME = 't'");
	assert_string_equal(sim_cell(r, 0, "DATA_SIZE"), "2048");
	assert_string_equal(sim_cell(r, 0, "PARTITION_KEY"), "");
	sim_result_free(r);
	sim_stop(&s41);
}

static void
test_temporary_partitions(void **state)
{
	char err[512];

	(void)state;
	st_exec_ok(&sim, SIM_TARGET, "CREATE TABLE d.r (dt DATE NOT NULL, v INT) PARTITION BY RANGE(dt) "
		"(PARTITION p1 VALUES [(\"2024-01-01\"), (\"2024-02-01\"))) DISTRIBUTED BY HASH(dt) BUCKETS 1");
	st_exec_ok(&sim, SIM_TARGET, "ALTER TABLE d.r ADD TEMPORARY PARTITION tp1 VALUES [(\"2024-01-01\"), (\"2024-01-15\"))");
	/* a temporary partition may overlap a formal one, but not another temporary one */
	exec_err(SIM_TARGET, "ALTER TABLE d.r ADD TEMPORARY PARTITION tp2 VALUES [(\"2024-01-10\"), (\"2024-01-20\"))",
		 err, sizeof err);
	assert_non_null(strstr(err, "intersected"));
	char *names = partition_names(SIM_TARGET, "d.r");
	assert_string_equal(names, "p1");
	g_free(names);
	struct sim_result *r = st_q(&sim, SIM_TARGET, "SHOW TEMPORARY PARTITIONS FROM d.r");
	assert_int_equal(sim_rows(r), 1);
	assert_string_equal(sim_cell(r, 0, "PartitionName"), "tp1");
	sim_result_free(r);
	r = st_q(&sim, SIM_TARGET, "SELECT PARTITION_NAME, IS_TEMP FROM information_schema.partitions_meta WHERE "
		 "TABLE_NAME = 'r' ORDER BY PARTITION_NAME");
	assert_int_equal(sim_rows(r), 2);
	assert_string_equal(sim_cell(r, 1, "PARTITION_NAME"), "tp1");
	assert_string_equal(sim_cell(r, 1, "IS_TEMP"), "1");
	assert_string_equal(sim_cell(r, 0, "IS_TEMP"), "0");
	sim_result_free(r);
	st_exec_ok(&sim, SIM_TARGET, "ALTER TABLE d.r DROP TEMPORARY PARTITION tp1");
	r = st_q(&sim, SIM_TARGET, "SHOW TEMPORARY PARTITIONS FROM d.r");
	assert_int_equal(sim_rows(r), 0);
	sim_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show_create_has_no_partition_list),
		cmocka_unit_test(test_loads_create_partitions_by_unit),
		cmocka_unit_test(test_add_partition_3_3_and_later),
		cmocka_unit_test(test_add_partition_before_3_3),
		cmocka_unit_test(test_partitions_meta_cells),
		cmocka_unit_test(test_temporary_partitions),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
