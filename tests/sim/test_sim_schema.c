/*
 * A table's schema as every answer shows it after a change: ALTER TABLE
 * ADD / MODIFY / DROP COLUMN in SHOW CREATE TABLE, DESC and
 * information_schema.columns; column defaults as Column.toSql and
 * getMetaDefaultValue print them; materialized views as SHOW MATERIALIZED
 * VIEWS and information_schema.materialized_views list them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <cmocka.h>

#include "simtest.h"

static const char scenario[] = "[source]\nversion = 3.3.5\nbe = 1\n[target]\nversion = 3.3.5\nbe = 1\n"
			       "[database source d]\n[user source weak]\npassword = w\n"
			       "[table source d.sized]\nbuckets = 2\nrows = 1000\ndata_size = 1MB\n";

SIMTEST_GROUP(scenario)

static char *
show_create(const char *table)
{
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "SHOW CREATE TABLE %s", table);
	assert_non_null(r);
	char *s = g_strdup(sim_cell(r, 0, "Create Table"));
	sim_result_free(r);
	return s;
}

/* The column names of a result's rows under one title, comma-joined. */
static char *
names(struct sim_result *r, const char *title)
{
	GString *s = g_string_new(NULL);

	assert_non_null(r);
	for (size_t i = 0; i < sim_rows(r); i++)
		g_string_append_printf(s, "%s%s", i ? "," : "", sim_cell(r, i, title));
	sim_result_free(r);
	return g_string_free(s, FALSE);
}

static void
test_column_changes_everywhere(void **state)
{
	(void)state;
	st_exec_ok(&sim, SIM_SOURCE, "CREATE TABLE d.t (k INT NOT NULL, a VARCHAR(10), b BIGINT) DUPLICATE KEY(k) "
		"DISTRIBUTED BY HASH(k) BUCKETS 1");
	st_exec_ok(&sim, SIM_SOURCE, "ALTER TABLE d.t ADD COLUMN c DATE AFTER a");
	st_exec_ok(&sim, SIM_SOURCE, "ALTER TABLE d.t MODIFY COLUMN a VARCHAR(64)");
	st_exec_ok(&sim, SIM_SOURCE, "ALTER TABLE d.t DROP COLUMN b");

	char *ddl = show_create("d.t");
	assert_non_null(strstr(ddl, "  `k` int(11) NOT NULL COMMENT \"\",\n  `a` varchar(64) NULL COMMENT \"\",\n"
				    "  `c` date NULL COMMENT \"\"\n) ENGINE=OLAP"));
	g_free(ddl);
	char *n = names(st_q(&sim, SIM_SOURCE, "DESC d.t"), "Field");
	assert_string_equal(n, "k,a,c");
	g_free(n);
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "DESC d.t");
	assert_string_equal(sim_cell(r, 1, "Type"), "varchar(64)");
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SELECT COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, DATA_TYPE FROM "
		 "information_schema.columns WHERE TABLE_SCHEMA = 'd' AND TABLE_NAME = 't' ORDER BY ORDINAL_POSITION");
	assert_int_equal(sim_rows(r), 3);
	assert_string_equal(sim_cell(r, 2, "COLUMN_NAME"), "c");
	assert_string_equal(sim_cell(r, 2, "ORDINAL_POSITION"), "3");
	assert_string_equal(sim_cell(r, 1, "COLUMN_TYPE"), "varchar(64)");
	assert_string_equal(sim_cell(r, 1, "DATA_TYPE"), "varchar");
	sim_result_free(r);
}

static void
test_defaults(void **state)
{
	(void)state;
	st_exec_ok(&sim, SIM_SOURCE, "CREATE TABLE d.defs (k INT NOT NULL, s VARCHAR(40) DEFAULT 'a\"b\\\\c\\td', "
		"u VARCHAR(40) DEFAULT 'é', n INT DEFAULT NULL, ts DATETIME DEFAULT CURRENT_TIMESTAMP, "
		"id VARCHAR(64) DEFAULT (uuid())) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
	char *ddl = show_create("d.defs");
	/* escapeJava: quote, backslash and tab escaped; non-ASCII as itself; DEFAULT NULL not printed */
	assert_non_null(strstr(ddl, "`s` varchar(40) NULL DEFAULT \"a\\\"b\\\\c\\td\" COMMENT"));
	assert_non_null(strstr(ddl, "`u` varchar(40) NULL DEFAULT \"é\" COMMENT"));
	assert_non_null(strstr(ddl, "`n` int(11) NULL COMMENT"));
	assert_non_null(strstr(ddl, "`ts` datetime NULL DEFAULT CURRENT_TIMESTAMP COMMENT"));
	assert_non_null(strstr(ddl, "`id` varchar(64) NULL DEFAULT (uuid()) COMMENT"));
	g_free(ddl);
	/* the value itself in DESC and information_schema.columns */
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "DESC d.defs");
	assert_string_equal(sim_cell(r, 1, "Default"), "a\"b\\c\td");
	assert_null(sim_cell(r, 3, "Default"));
	assert_string_equal(sim_cell(r, 4, "Default"), "CURRENT_TIMESTAMP");
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SELECT COLUMN_DEFAULT FROM information_schema.columns WHERE TABLE_NAME = 'defs' "
		 "ORDER BY ORDINAL_POSITION");
	assert_string_equal(sim_cell(r, 2, "COLUMN_DEFAULT"), "é");
	assert_string_equal(sim_cell(r, 5, "COLUMN_DEFAULT"), "uuid()");
	sim_result_free(r);
	/* the shown text creates the same table again */
	ddl = show_create("d.defs");
	st_exec_ok(&sim, SIM_SOURCE, "DROP TABLE d.defs");
	char *again = g_strdup_printf("CREATE TABLE d.%s", ddl + strlen("CREATE TABLE "));
	st_exec_ok(&sim, SIM_SOURCE, again);
	char *ddl2 = show_create("d.defs");
	assert_string_equal(ddl, ddl2);
	g_free(ddl);
	g_free(ddl2);
	g_free(again);
}

static void
test_materialized_view_listing(void **state)
{
	(void)state;
	st_exec_ok(&sim, SIM_SOURCE, "CREATE TABLE d.base (k INT NOT NULL, dt DATE NOT NULL, v BIGINT) DUPLICATE KEY(k, dt) "
		"PARTITION BY RANGE(dt) (PARTITION p1 VALUES LESS THAN (\"2024-01-01\")) DISTRIBUTED BY HASH(k) BUCKETS 1");
	st_exec_ok(&sim, SIM_SOURCE, "CREATE MATERIALIZED VIEW d.amv DISTRIBUTED BY HASH(k) BUCKETS 1 REFRESH ASYNC AS "
		"SELECT k, sum(v) AS total FROM d.base GROUP BY k");
	st_exec_ok(&sim, SIM_SOURCE, "CREATE MATERIALIZED VIEW d.rollup1 AS SELECT k, dt, sum(v) FROM d.base GROUP BY k, dt");
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "SHOW MATERIALIZED VIEWS FROM d");
	assert_int_equal(sim_rows(r), 2);
	for (size_t i = 0; i < 2; i++) {
		const char *name = sim_cell(r, i, "name"), *text = sim_cell(r, i, "text");
		if (!strcmp(name, "amv")) {
			/* an async MV: its whole DDL, as SHOW CREATE MATERIALIZED VIEW prints it */
			assert_string_equal(sim_cell(r, i, "refresh_type"), "ASYNC");
			struct sim_result *c = st_q(&sim, SIM_SOURCE, "SHOW CREATE MATERIALIZED VIEW d.amv");
			assert_string_equal(text, sim_cell(c, 0, "Create Materialized View"));
			sim_result_free(c);
		} else {
			/* a synchronous MV: a rollup of a RANGE table, its statement, no rows counted */
			assert_string_equal(name, "rollup1");
			assert_string_equal(sim_cell(r, i, "refresh_type"), "ROLLUP");
			assert_string_equal(sim_cell(r, i, "partition_type"), "RANGE");
			assert_string_equal(sim_cell(r, i, "rows"), "0");
			assert_true(g_str_has_prefix(text, "CREATE MATERIALIZED VIEW rollup1 AS SELECT k, dt, sum(v)"));
		}
	}
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SELECT TABLE_NAME, MATERIALIZED_VIEW_DEFINITION FROM "
		 "information_schema.materialized_views WHERE TABLE_SCHEMA = 'd' AND TABLE_NAME = 'amv'");
	assert_int_equal(sim_rows(r), 1);
	assert_true(g_str_has_prefix(sim_cell(r, 0, "MATERIALIZED_VIEW_DEFINITION"), "CREATE MATERIALIZED VIEW `amv`"));
	sim_result_free(r);
}

/* SHOW DATA totals and SHOW GRANTS of an account with and without SYSTEM OPERATE. */
static void
test_data_and_grants(void **state)
{
	(void)state;
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "SHOW DATA FROM d.sized");
	assert_non_null(r);
	/* one row per index, then Total; sizes as DebugUtil.getByteUint prints them */
	assert_int_equal(sim_rows(r), 2);
	assert_string_equal(sim_cell(r, 0, "Size"), "1.000 MB");
	assert_string_equal(sim_cell(r, 0, "RowCount"), "1000");
	assert_string_equal(sim_cell(r, 1, "IndexName"), "Total");
	assert_string_equal(sim_cell(r, 1, "ReplicaCount"), "2");
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SHOW GRANTS FOR weak");
	assert_string_equal(sim_cell(r, 0, "UserIdentity"), "'weak'@'%'");
	assert_null(strstr(sim_cell(r, 0, "Grants"), "OPERATE"));
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SHOW GRANTS");
	assert_non_null(strstr(sim_cell(r, 0, "Grants"), "GRANT OPERATE ON SYSTEM TO USER 'root'@'%'"));
	sim_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_column_changes_everywhere),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_materialized_view_listing),
		cmocka_unit_test(test_data_and_grants),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
