/*
 * Hostile names: what StarRocks accepts (FeNameFormat: databases and
 * partitions ASCII word characters only, tables anything but NUL, columns
 * anything but NUL = < > ! *), how backquoted identifiers with `` doubling
 * are read, and how every answer prints the names back: SHOW CREATE TABLE
 * with backquotes around names but a backquote inside left single (as
 * Column.toSql does), SHOW TABLES, SHOW PARTITIONS, SHOW PROC and
 * information_schema with the names as they are.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <cmocka.h>

#include "simtest.h"

/* Scenario syntax: backquoted names in the section head and in columns=. */
static const char scenario[] =
	"[source]\nversion = 3.3.5\nbe = 1\n[target]\nversion = 3.3.5\nbe = 1\n"
	"[table hostile.`semi;colon 'quote' \"dq\" é`]\n"
	"columns = `k` bigint NOT NULL, `dt` date NOT NULL, `v a;l\"ue é` bigint NULL\nkeys = `k`, `dt`\n"
	"distribution = HASH(`k`)\npartition_by = range(dt)\npartitions = 2\nbuckets = 1\nrows = 20\n"
	"[table hostile.`back``tick`]\n"
	"columns = `k` bigint NOT NULL, `dt` date NOT NULL, `c``1` varchar(8) NULL\nkeys = `k`, `dt`\n"
	"distribution = HASH(`k`)\nbuckets = 1\nrows = 5\n";

SIMTEST_GROUP(scenario)

static int
exec(const char *sql, char *err, size_t n)
{
	return sim_exec(&sim, SIM_SOURCE, sql, err, n);
}

static void
test_what_is_refused(void **state)
{
	char err[512];

	(void)state;
	/* databases: a letter or underscore first, then ASCII word characters */
	assert_int_equal(exec("CREATE DATABASE `odd db`", err, sizeof err), 1102);
	assert_string_equal(err, "Getting analyzing error. Detail message: Incorrect database name 'odd db'.");
	assert_int_equal(exec("CREATE DATABASE `dé`", err, sizeof err), 1102);
	assert_int_equal(exec("CREATE DATABASE `a;b`", err, sizeof err), 1102);
	assert_int_equal(exec("CREATE DATABASE `1abc`", err, sizeof err), 1102);
	assert_int_equal(exec("CREATE DATABASE _9_x", err, sizeof err), 0);
	/* columns: no = < > ! * */
	assert_int_equal(exec("CREATE TABLE hostile.c1 (`a=b` INT) DISTRIBUTED BY HASH(`a=b`) BUCKETS 1", err, sizeof err),
			 1166);
	assert_string_equal(err, "Getting analyzing error. Detail message: Incorrect column name 'a=b'.");
	assert_int_equal(exec("ALTER TABLE hostile.`back``tick` ADD COLUMN `x*y` INT", err, sizeof err), 1166);
	/* partitions: like databases, at most 64 characters */
	assert_int_equal(exec("ALTER TABLE hostile.`semi;colon 'quote' \"dq\" é` ADD PARTITION `p 1` VALUES LESS THAN "
			      "(\"2030-01-01\")", err, sizeof err), 1567);
	assert_string_equal(err, "Getting analyzing error. Detail message: Incorrect partition name 'p 1'.");
	assert_int_equal(exec("ALTER TABLE hostile.`semi;colon 'quote' \"dq\" é` ADD PARTITION placeholder_1 VALUES "
			      "LESS THAN (\"2030-01-01\")", err, sizeof err), 1567);
	/* tables: anything but NUL, up to 1024 characters */
	char long_name[1100];
	memset(long_name, 'x', 1025);
	long_name[1025] = '\0';
	char *sql = g_strdup_printf("CREATE TABLE hostile.%s (k INT) DISTRIBUTED BY HASH(k) BUCKETS 1", long_name);
	assert_int_equal(exec(sql, err, sizeof err), 1104);
	g_free(sql);
	assert_int_equal(exec("ALTER TABLE hostile.`back``tick` RENAME ``", err, sizeof err), 1104);
}

static void
test_show_create_prints_names_as_starrocks(void **state)
{
	(void)state;
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "SHOW CREATE TABLE hostile.`back``tick`");
	assert_non_null(r);
	const char *ddl = sim_cell(r, 0, "Create Table");
	/* the backquote inside a name is not doubled: the text does not parse back */
	assert_true(g_str_has_prefix(ddl, "CREATE TABLE `back`tick` (\n"));
	assert_non_null(strstr(ddl, "  `c`1` varchar(8) NULL COMMENT \"\"\n"));
	assert_string_equal(sim_cell(r, 0, "Table"), "back`tick");
	sim_result_free(r);

	r = st_q(&sim, SIM_SOURCE, "SHOW CREATE TABLE hostile.`semi;colon 'quote' \"dq\" é`");
	ddl = sim_cell(r, 0, "Create Table");
	assert_true(g_str_has_prefix(ddl, "CREATE TABLE `semi;colon 'quote' \"dq\" é` (\n"));
	assert_non_null(strstr(ddl, "  `v a;l\"ue é` bigint(20) NULL COMMENT \"\"\n"));
	/* without a backquote in it, the text creates the same table again */
	char *shown = g_strdup(ddl);
	sim_result_free(r);
	char err[512];
	assert_int_equal(exec("CREATE DATABASE copy2", err, sizeof err), 0);
	char *sql = g_strdup_printf("CREATE TABLE copy2.%s", shown + strlen("CREATE TABLE "));
	assert_int_equal(exec(sql, err, sizeof err), 0);
	r = st_q(&sim, SIM_SOURCE, "SHOW CREATE TABLE copy2.`semi;colon 'quote' \"dq\" é`");
	assert_string_equal(sim_cell(r, 0, "Create Table"), shown);
	sim_result_free(r);
	g_free(sql);
	g_free(shown);
}

static void
test_names_in_listings(void **state)
{
	(void)state;
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "SHOW TABLES FROM hostile");
	assert_int_equal(sim_rows(r), 2);
	assert_string_equal(sim_cell(r, 0, "Tables_in_hostile"), "back`tick");
	assert_string_equal(sim_cell(r, 1, "Tables_in_hostile"), "semi;colon 'quote' \"dq\" é");
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SHOW PROC '/dbs/hostile'");
	assert_int_equal(sim_rows(r), 2);
	sim_result_free(r);
	/* SHOW PARTITIONS and information_schema with WHERE on the odd name */
	r = st_q(&sim, SIM_SOURCE, "SHOW PARTITIONS FROM hostile.`semi;colon 'quote' \"dq\" é`");
	assert_int_equal(sim_rows(r), 2);
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SELECT TABLE_NAME, PARTITION_NAME, PARTITION_KEY FROM information_schema.partitions_meta "
		 "WHERE DB_NAME = 'hostile' AND TABLE_NAME = 'semi;colon ''quote'' \"dq\" é' ORDER BY PARTITION_NAME");
	assert_int_equal(sim_rows(r), 2);
	assert_string_equal(sim_cell(r, 0, "TABLE_NAME"), "semi;colon 'quote' \"dq\" é");
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SELECT COLUMN_NAME FROM information_schema.columns WHERE TABLE_SCHEMA = 'hostile' "
		 "AND TABLE_NAME = 'back`tick' ORDER BY ORDINAL_POSITION");
	assert_int_equal(sim_rows(r), 3);
	assert_string_equal(sim_cell(r, 2, "COLUMN_NAME"), "c`1");
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SELECT TABLE_NAME, DISTRIBUTE_KEY FROM information_schema.tables_config WHERE "
		 "TABLE_SCHEMA = 'hostile' AND TABLE_NAME = 'back`tick'");
	assert_int_equal(sim_rows(r), 1);
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SELECT COUNT(*) FROM hostile.`back``tick`");
	assert_string_equal(sim_cell(r, 0, "COUNT(*)"), "5");
	sim_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_what_is_refused),
		cmocka_unit_test(test_show_create_prints_names_as_starrocks),
		cmocka_unit_test(test_names_in_listings),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
