/*
 * srsim's SELECT engine over information_schema and SHOW answers: WHERE with
 * =, IN, LIKE, comparisons, IS NULL, AND/OR/NOT and parentheses on columns
 * that are not selected, ORDER BY a column not selected, LIMIT/OFFSET,
 * DISTINCT, COUNT(*), aliases, case-insensitive names, and the errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <cmocka.h>

#include "simtest.h"

static const char scenario[] =
	"[source]\nversion = 3.3.5\nbe = 3\n"
	"[target]\nversion = 3.4.4\n"
	"[table a.small]\nmodel = duplicate\npartition_by = range(dt)\npartitions = 3\nbuckets = 2\n"
	"rows = 300\ndata_size = 3000\n"
	"[table a.big]\nmodel = primary\npartition_by = list(region)\npartitions = 5\nbuckets = 4\n"
	"rows = 5000\ndata_size = 50000\n"
	"[table b.flat]\nmodel = aggregate\nbuckets = 3\nrows = 7\n"
	"[table b.rnd]\nmodel = duplicate\npartition_by = list(region)\npartitions = 2\ndistribution = random\n"
	"[view b.v]\nquery = SELECT k1 FROM b.flat\n"
	"[mv b.m]\nquery = SELECT k1, sum(v1) AS s FROM b.flat GROUP BY k1\n";

SIMTEST_GROUP(scenario)

static struct sim_result *
q(const char *sql)
{
	char err[512] = "";
	struct sim_result *r = sim_query(&sim, SIM_SOURCE, sql, err, sizeof err);

	if (!r)
		fail_msg("%s: %s", sql, err);
	return r;
}

static void
test_where_on_unselected_columns(void **state)
{
	(void)state;
	struct sim_result *r = q("select partition_name from information_schema.partitions_meta "
				 "where DB_NAME = 'a' and (TABLE_NAME = 'small' or TABLE_NAME like 'b%') "
				 "and not PARTITION_NAME in ('nothing') order by ROW_COUNT desc, partition_name");
	assert_int_equal(sim_rows(r), 8);
	assert_int_equal(sim_cols(r), 1);
	assert_string_equal(sim_title(r, 0), "partition_name");
	/* the big table's partitions hold 1 000 rows each, the small one's 100: small's come last */
	struct sim_result *small = q("SELECT PARTITION_NAME FROM information_schema.partitions_meta "
				     "WHERE TABLE_NAME = 'small' ORDER BY PARTITION_NAME");
	assert_int_equal(sim_rows(small), 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(sim_cell(r, 5 + i, "partition_name"), sim_cell(small, i, "PARTITION_NAME"));
	sim_result_free(small);
	sim_result_free(r);
	r = q("SELECT TABLE_NAME FROM information_schema.partitions_meta WHERE DB_NAME = 'a' ORDER BY ROW_COUNT, "
	      "PARTITION_NAME LIMIT 1");
	assert_int_equal(sim_rows(r), 1);
	assert_string_equal(sim_cell(r, 0, "TABLE_NAME"), "small");
	sim_result_free(r);
	r = q("SELECT TABLE_NAME FROM information_schema.partitions_meta WHERE DB_NAME = 'a' ORDER BY ROW_COUNT DESC "
	      "LIMIT 1");
	assert_string_equal(sim_cell(r, 0, "TABLE_NAME"), "big");
	sim_result_free(r);
}

static void
test_count_distinct_limit(void **state)
{
	(void)state;
	struct sim_result *r = q("SELECT COUNT(*) FROM information_schema.partitions_meta WHERE DB_NAME = 'a'");
	assert_string_equal(sim_cell(r, 0, "COUNT(*)"), "8");
	sim_result_free(r);
	r = q("select count(*) as n from INFORMATION_SCHEMA.PARTITIONS_META where db_name in ('a', 'b') and "
	      "row_count >= 100");
	assert_string_equal(sim_cell(r, 0, "n"), "8");
	sim_result_free(r);
	/* COUNT(DISTINCT c): distinct non-NULL values; LAST_CONSISTENCY_CHECK_TIME is NULL everywhere */
	r = q("SELECT COUNT(DISTINCT TABLE_NAME) AS n, COUNT(*) FROM information_schema.partitions_meta WHERE DB_NAME = 'a'");
	assert_string_equal(sim_cell(r, 0, "n"), "2");
	sim_result_free(r);
	r = q("SELECT count(distinct LAST_CONSISTENCY_CHECK_TIME) AS n FROM information_schema.partitions_meta");
	assert_string_equal(sim_cell(r, 0, "n"), "0");
	sim_result_free(r);
	r = q("SELECT DISTINCT TABLE_NAME FROM information_schema.partitions_meta WHERE DB_NAME = 'a' ORDER BY "
	      "TABLE_NAME");
	assert_int_equal(sim_rows(r), 2);
	assert_string_equal(sim_cell(r, 0, "TABLE_NAME"), "big");
	assert_string_equal(sim_cell(r, 1, "TABLE_NAME"), "small");
	sim_result_free(r);
	r = q("SELECT TABLE_NAME t, PARTITION_NAME FROM information_schema.partitions_meta WHERE DB_NAME = 'a' "
	      "ORDER BY TABLE_NAME, PARTITION_NAME LIMIT 2, 3");
	assert_int_equal(sim_rows(r), 3);
	assert_string_equal(sim_title(r, 0), "t");
	assert_string_equal(sim_cell(r, 0, "t"), "big");
	sim_result_free(r);
	r = q("SELECT TABLE_NAME FROM information_schema.partitions_meta WHERE DB_NAME = 'a' LIMIT 4 OFFSET 6");
	assert_int_equal(sim_rows(r), 2);
	sim_result_free(r);
}

static void
test_null_and_numbers(void **state)
{
	(void)state;
	/* shared-nothing partitions have no STORAGE_PATH-like NULLs, but LAST_CONSISTENCY_CHECK_TIME is NULL */
	struct sim_result *r = q("SELECT PARTITION_NAME, LAST_CONSISTENCY_CHECK_TIME FROM "
				 "information_schema.partitions_meta WHERE TABLE_NAME = 'flat' AND "
				 "LAST_CONSISTENCY_CHECK_TIME IS NULL");
	assert_int_equal(sim_rows(r), 1);
	assert_null(sim_cell(r, 0, "LAST_CONSISTENCY_CHECK_TIME"));
	sim_result_free(r);
	/* numbers compare numerically: 1000 > 9 */
	r = q("SELECT COUNT(*) FROM information_schema.partitions_meta WHERE ROW_COUNT > 9 AND DB_NAME = 'a'");
	assert_string_equal(sim_cell(r, 0, "COUNT(*)"), "8");
	sim_result_free(r);
	r = q("SELECT * FROM information_schema.partitions_meta WHERE DB_NAME = 'nobody'");
	assert_int_equal(sim_rows(r), 0);
	assert_true(sim_has_col(r, "PARTITION_ID"));
	assert_true(sim_has_col(r, "DATA_VERSION"));
	sim_result_free(r);
}

static void
test_show_where_and_be_tablets(void **state)
{
	(void)state;
	struct sim_result *r = q("SHOW PARTITIONS FROM a.big WHERE Buckets = 4 ORDER BY PartitionName DESC LIMIT 2");
	assert_int_equal(sim_rows(r), 2);
	sim_result_free(r);
	/* every replica of every tablet once: 5 partitions x 4 buckets x 3 replicas */
	r = q("SELECT TABLE_ID FROM information_schema.tables_config WHERE TABLE_SCHEMA = 'a' AND TABLE_NAME = 'big'");
	assert_int_equal(sim_rows(r), 1);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM information_schema.be_tablets WHERE TABLE_ID = %s",
		 sim_cell(r, 0, "TABLE_ID"));
	sim_result_free(r);
	r = q(sql);
	assert_string_equal(sim_cell(r, 0, "COUNT(*)"), "60");
	sim_result_free(r);
	snprintf(sql + strlen(sql), sizeof sql - strlen(sql), " AND NUM_ROW = 250");
	r = q(sql);
	assert_string_equal(sim_cell(r, 0, "COUNT(*)"), "60");
	sim_result_free(r);
	r = q("SELECT DISTINCT BE_ID FROM information_schema.be_tablets ORDER BY BE_ID DESC");
	assert_int_equal(sim_rows(r), 3);
	assert_true(st_i64(sim_cell(r, 0, "BE_ID")) > st_i64(sim_cell(r, 2, "BE_ID")));
	sim_result_free(r);
}

/* InformationSchemaDataSource.genNormalTableConfigInfo, 3.3 on */
static void
test_tables_config(void **state)
{
	(void)state;
	struct sim_result *r = q("SELECT * FROM information_schema.tables_config WHERE TABLE_SCHEMA IN ('a', 'b') "
				 "ORDER BY TABLE_NAME");
	assert_int_equal(sim_rows(r), 6);
	/* big: primary keys, list partitioned */
	assert_string_equal(sim_cell(r, 0, "TABLE_NAME"), "big");
	assert_string_equal(sim_cell(r, 0, "TABLE_ENGINE"), "OLAP");
	assert_string_equal(sim_cell(r, 0, "TABLE_MODEL"), "PRIMARY_KEYS");
	assert_string_equal(sim_cell(r, 0, "PRIMARY_KEY"), "`k1`, `dt`, `region`");
	assert_string_equal(sim_cell(r, 0, "PARTITION_KEY"), "`region`");
	assert_string_equal(sim_cell(r, 0, "DISTRIBUTE_KEY"), "`k1`");
	assert_string_equal(sim_cell(r, 0, "DISTRIBUTE_TYPE"), "HASH");
	assert_string_equal(sim_cell(r, 0, "DISTRIBUTE_BUCKET"), "4");
	/* m: an asynchronous materialized view */
	assert_string_equal(sim_cell(r, 2, "TABLE_NAME"), "m");
	assert_string_equal(sim_cell(r, 2, "TABLE_ENGINE"), "MATERIALIZED_VIEW");
	/* rnd: duplicate keys have no PRIMARY_KEY, random distribution no key */
	assert_string_equal(sim_cell(r, 3, "TABLE_NAME"), "rnd");
	assert_string_equal(sim_cell(r, 3, "PRIMARY_KEY"), "");
	assert_string_equal(sim_cell(r, 3, "SORT_KEY"), "`k1`, `dt`, `region`");
	assert_string_equal(sim_cell(r, 3, "DISTRIBUTE_TYPE"), "RANDOM");
	assert_string_equal(sim_cell(r, 3, "DISTRIBUTE_KEY"), "");
	/* v: a view has its names and nothing else */
	assert_string_equal(sim_cell(r, 5, "TABLE_NAME"), "v");
	assert_string_equal(sim_cell(r, 5, "TABLE_ENGINE"), "");
	assert_string_equal(sim_cell(r, 5, "TABLE_ID"), "0");
	sim_result_free(r);

	/* information_schema.tables: a materialized view is a VIEW of engine StarRocks; a view
	 * has no engine and NULL sizes; what the FE does not know (-1) is NULL */
	r = q("SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH FROM "
	      "information_schema.tables WHERE TABLE_SCHEMA = 'b' ORDER BY TABLE_NAME");
	assert_int_equal(sim_rows(r), 4);
	assert_string_equal(sim_cell(r, 0, "TABLE_TYPE"), "BASE TABLE");
	assert_string_equal(sim_cell(r, 0, "TABLE_ROWS"), "7");
	assert_null(sim_cell(r, 0, "INDEX_LENGTH"));
	assert_string_equal(sim_cell(r, 1, "TABLE_NAME"), "m");
	assert_string_equal(sim_cell(r, 1, "TABLE_TYPE"), "VIEW");
	assert_string_equal(sim_cell(r, 1, "ENGINE"), "StarRocks");
	assert_string_equal(sim_cell(r, 3, "TABLE_NAME"), "v");
	assert_string_equal(sim_cell(r, 3, "ENGINE"), "");
	assert_null(sim_cell(r, 3, "DATA_LENGTH"));
	sim_result_free(r);
}

static void
test_errors(void **state)
{
	(void)state;
	char err[512];

	assert_null(sim_query(&sim, SIM_SOURCE, "SELECT NO_SUCH FROM information_schema.tables", err, sizeof err));
	assert_non_null(strstr(err, "NO_SUCH"));
	assert_null(sim_query(&sim, SIM_SOURCE, "SELECT * FROM information_schema.tables WHERE", err, sizeof err));
	assert_null(sim_query(&sim, SIM_SOURCE, "SELECT * FROM information_schema.nothing_here", err, sizeof err));
	assert_non_null(strstr(err, "nothing_here"));
}

int
main(void)
{
	thriftfix_install();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_where_on_unselected_columns),
		cmocka_unit_test(test_count_distinct_limit),
		cmocka_unit_test(test_null_and_numbers),
		cmocka_unit_test(test_show_where_and_be_tablets),
		cmocka_unit_test(test_tables_config),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
