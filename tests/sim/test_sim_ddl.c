/*
 * DDL on srsim's catalog: CREATE TABLE -> SHOW CREATE TABLE layout (facts 5)
 * and round trips, partitions, schema changes, indexes,
 * views, materialized views, storage volumes, and the id spaces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <cmocka.h>

#include "simtest.h"

static const char scenario[] =
	"[source]\nversion = 3.3.5\nbe = 3\n"
	"[target]\nversion = 3.5.2\nrun_mode = shared_data\ncn = 2\n"
	"[database source d]\n[database target d]\n";

static const char scenario32[] = "[source]\nversion = 3.2.3\nbe = 1\n[target]\nversion = 3.2.3\nbe = 1\n"
				 "[database source d]\n";

static struct sim sim, sim32;

static int
setup(void **state)
{
	(void)state;
	return sim_start(&sim, scenario, 10) || sim_start(&sim32, scenario32, 10) ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	sim_stop(&sim);
	sim_stop(&sim32);
	return 0;
}

static int
exec_err(struct sim *s, int side, const char *sql, char *err, size_t n)
{
	int rc = sim_exec(s, side, sql, err, n);

	assert_int_not_equal(rc, 0);
	return rc;
}

static char *
show_create(struct sim *s, int side, const char *qualified)
{
	char sql[512], err[1024];

	snprintf(sql, sizeof sql, "SHOW CREATE TABLE %s", qualified);
	struct sim_result *r = sim_query(s, side, sql, err, sizeof err);
	if (!r)
		fail_msg("%s: %s", sql, err);
	char *text = g_strdup(sim_cell(r, 0, "Create Table") ? sim_cell(r, 0, "Create Table")
			      : sim_cell(r, 0, "Create View") ? sim_cell(r, 0, "Create View")
			      : sim_cell(r, 0, "Create Materialized View"));
	sim_result_free(r);
	return text;
}

static void
test_layout_3_3(void **state)
{
	(void)state;
	st_exec_ok(&sim, SIM_SOURCE,
		"CREATE TABLE d.sales (k1 DATE NOT NULL, k2 INT, v1 BIGINT SUM DEFAULT \"0\" COMMENT 'total', "
		"v2 DECIMAL(10, 2) SUM, INDEX idx_k2 (k2) USING BITMAP COMMENT 'by k2') AGGREGATE KEY(k1, k2) "
		"COMMENT \"daily sales\" PARTITION BY RANGE(k1) (PARTITION p1 VALUES LESS THAN (\"2024-01-02\"), "
		"PARTITION p2 VALUES [(\"2024-01-02\"), (\"2024-01-03\"))) DISTRIBUTED BY HASH(k1, k2) BUCKETS 8 "
		"PROPERTIES (\"replication_num\" = \"2\", \"storage_medium\" = \"SSD\")");
	char *ddl = show_create(&sim, SIM_SOURCE, "d.sales");
	/* facts 5: two-space columns, aggregate types, the index line, ENGINE=OLAP and a trailing space,
	 * fixed ranges, hash distribution with a trailing space, properties sorted (3.3+), DECIMAL SUM
	 * widened to DECIMAL128 without legacy compatibility */
	assert_string_equal(ddl,
			    "CREATE TABLE `sales` (\n"
			    "  `k1` date NOT NULL COMMENT \"\",\n"
			    "  `k2` int(11) NULL COMMENT \"\",\n"
			    "  `v1` bigint(20) SUM NULL DEFAULT \"0\" COMMENT \"total\",\n"
			    "  `v2` decimal(38, 2) SUM NULL COMMENT \"\",\n"
			    "  INDEX idx_k2 (`k2`) USING BITMAP COMMENT 'by k2'\n"
			    ") ENGINE=OLAP \n"
			    "AGGREGATE KEY(`k1`, `k2`)\n"
			    "COMMENT \"daily sales\"\n"
			    "PARTITION BY RANGE(`k1`)\n"
			    "(PARTITION p1 VALUES [(\"0000-01-01\"), (\"2024-01-02\")),\n"
			    "PARTITION p2 VALUES [(\"2024-01-02\"), (\"2024-01-03\")))\n"
			    "DISTRIBUTED BY HASH(`k1`, `k2`) BUCKETS 8 \n"
			    "PROPERTIES (\n"
			    "\"compression\" = \"LZ4\",\n"
			    "\"fast_schema_evolution\" = \"true\",\n"
			    "\"replicated_storage\" = \"true\",\n"
			    "\"replication_num\" = \"2\",\n"
			    "\"storage_medium\" = \"SSD\"\n"
			    ");");
	g_free(ddl);
	/* with legacy compatibility the declared DECIMAL stays */
	st_exec_ok(&sim, SIM_SOURCE, "ADMIN SET FRONTEND CONFIG (\"enable_legacy_compatibility_for_replication\" = \"true\")");
	st_exec_ok(&sim, SIM_SOURCE, "CREATE TABLE d.legacy (k INT, v DECIMAL(10, 2) SUM) AGGREGATE KEY(k) "
		"DISTRIBUTED BY HASH(k) BUCKETS 1");
	ddl = show_create(&sim, SIM_SOURCE, "d.legacy");
	assert_non_null(strstr(ddl, "`v` decimal(10, 2) SUM NULL"));
	g_free(ddl);
	st_exec_ok(&sim, SIM_SOURCE, "ADMIN SET FRONTEND CONFIG (\"enable_legacy_compatibility_for_replication\" = \"false\")");
}

static void
test_layout_lake_and_3_2(void **state)
{
	(void)state;
	st_exec_ok(&sim, SIM_TARGET, "CREATE TABLE d.pk (id BIGINT NOT NULL, name VARCHAR(20)) PRIMARY KEY(id) "
		"DISTRIBUTED BY HASH(id) BUCKETS 2 ORDER BY(name)");
	char *ddl = show_create(&sim, SIM_TARGET, "d.pk");
	assert_non_null(strstr(ddl, "PRIMARY KEY(`id`)\nDISTRIBUTED BY HASH(`id`) BUCKETS 2 \nORDER BY(`name`)\n"));
	/* lake properties: datacache, async write back, the storage volume, a cloud-native index */
	assert_non_null(strstr(ddl, "PROPERTIES (\n\"compression\" = \"LZ4\",\n\"datacache.enable\" = \"true\",\n"
				    "\"enable_async_write_back\" = \"false\",\n\"enable_persistent_index\" = \"true\",\n"
				    "\"persistent_index_type\" = \"CLOUD_NATIVE\",\n\"replication_num\" = \"1\",\n"
				    "\"storage_volume\" = \"builtin_storage_volume\"\n);"));
	assert_null(strstr(ddl, "replicated_storage"));
	g_free(ddl);
	/* 3.2: the fixed order of GlobalStateMgr.getDdlStmt */
	st_exec_ok(&sim32, SIM_SOURCE, "CREATE TABLE d.t (k INT) DUPLICATE KEY(k) DISTRIBUTED BY RANDOM BUCKETS 3 "
		"PROPERTIES (\"replication_num\" = \"1\", \"bloom_filter_columns\" = \"k\")");
	ddl = show_create(&sim32, SIM_SOURCE, "d.t");
	assert_non_null(strstr(ddl, "DISTRIBUTED BY RANDOM BUCKETS 3\nPROPERTIES (\n\"replication_num\" = \"1\",\n"
				    "\"bloom_filter_columns\" = \"k\",\n\"in_memory\" = \"false\",\n"
				    "\"enable_persistent_index\" = \"false\",\n\"replicated_storage\" = \"true\",\n"
				    "\"fast_schema_evolution\" = \"true\",\n\"compression\" = \"LZ4\"\n);"));
	g_free(ddl);
}

/* CREATE -> SHOW CREATE -> DROP -> CREATE from the shown text -> the same text. */
static void
round_trip(struct sim *s, int side, const char *qualified, const char *create)
{
	char drop[512];

	st_exec_ok(s, side, create);
	char *a = show_create(s, side, qualified);
	snprintf(drop, sizeof drop, "DROP TABLE %s", qualified);
	st_exec_ok(s, side, drop);
	/* the shown text names the table without its database */
	char *sql = g_strdup(a);
	const char *dot = strchr(qualified, '.');
	GString *q = g_string_new(NULL);
	g_string_append_printf(q, "CREATE TABLE %.*s.%s", (int)(dot - qualified), qualified, strchr(a, '`'));
	g_free(sql);
	st_exec_ok(s, side, q->str);
	char *b = show_create(s, side, qualified);
	assert_string_equal(a, b);
	g_string_free(q, TRUE);
	g_free(a);
	g_free(b);
}

static void
test_round_trips(void **state)
{
	(void)state;
	round_trip(&sim, SIM_SOURCE, "d.rt_list",
		   "CREATE TABLE d.rt_list (city VARCHAR(20) NOT NULL, dt DATE NOT NULL, n BIGINT REPLACE_IF_NOT_NULL) "
		   "AGGREGATE KEY(city, dt) PARTITION BY LIST (city, dt) (PARTITION p1 VALUES IN ((\"a\", \"2024-01-01\"), "
		   "(\"b\", \"2024-01-02\")), PARTITION p2 VALUES IN ((\"c\", \"2024-01-01\"))) DISTRIBUTED BY "
		   "HASH(city) BUCKETS 2");
	round_trip(&sim, SIM_SOURCE, "d.rt_expr",
		   "CREATE TABLE d.rt_expr (ts DATETIME NOT NULL, s STRING, j JSON, a ARRAY<INT>, m MAP<STRING,INT>, "
		   "g INT AS (1 + 2), u BIGINT AUTO_INCREMENT) DUPLICATE KEY(ts) PARTITION BY date_trunc('day', ts) "
		   "DISTRIBUTED BY RANDOM");
	round_trip(&sim, SIM_SOURCE, "d.rt_auto",
		   "CREATE TABLE d.rt_auto (c1 INT NOT NULL, c2 VARCHAR(10) NOT NULL, v INT) UNIQUE KEY(c1, c2) "
		   "PARTITION BY (c1, c2) DISTRIBUTED BY HASH(c1) BUCKETS 4 "
		   "PROPERTIES (\"compression\" = \"ZSTD(3)\", \"dynamic_partition.enable\" = \"false\")");
	round_trip(&sim, SIM_SOURCE, "d.rt_multi",
		   "CREATE TABLE d.rt_multi (a INT NOT NULL, b DATE NOT NULL) DUPLICATE KEY(a, b) PARTITION BY RANGE(a, b) "
		   "(PARTITION p1 VALUES LESS THAN (\"10\", \"2024-01-01\"), PARTITION p2 VALUES LESS THAN (MAXVALUE)) "
		   "DISTRIBUTED BY HASH(a) BUCKETS 1");
	round_trip(&sim, SIM_TARGET, "d.rt_batch",
		   "CREATE TABLE d.rt_batch (dt DATE NOT NULL, v INT) PARTITION BY RANGE(dt) (START (\"2024-01-01\") "
		   "END (\"2024-01-04\") EVERY (INTERVAL 1 DAY)) DISTRIBUTED BY HASH(dt) BUCKETS 2");
	struct sim_result *r = st_q(&sim, SIM_TARGET, "SHOW PARTITIONS FROM d.rt_batch");
	assert_int_equal(sim_rows(r), 3);
	assert_string_equal(sim_cell(r, 0, "PartitionName"), "p20240101");
	/* partitions created by DDL start empty at version 1 */
	assert_string_equal(sim_cell(r, 0, "VisibleVersion"), "1");
	assert_string_equal(sim_cell(r, 0, "RowCount"), "0");
	sim_result_free(r);
}

static void
test_errors(void **state)
{
	char err[1024];

	(void)state;
	st_exec_ok(&sim, SIM_SOURCE, "CREATE TABLE d.e (k INT) DISTRIBUTED BY HASH(k) BUCKETS 1");
	assert_int_equal(exec_err(&sim, SIM_SOURCE, "CREATE TABLE d.e (k INT) DISTRIBUTED BY HASH(k)", err, sizeof err), 1050);
	assert_string_equal(err, "Table 'e' already exists");
	st_exec_ok(&sim, SIM_SOURCE, "CREATE TABLE IF NOT EXISTS d.e (k INT) DISTRIBUTED BY HASH(k)");
	assert_int_equal(exec_err(&sim, SIM_SOURCE, "DROP TABLE d.nope", err, sizeof err), 1051);
	st_exec_ok(&sim, SIM_SOURCE, "DROP TABLE IF EXISTS d.nope");
	exec_err(&sim, SIM_SOURCE, "CREATE TABLE d.e2 (k INT) DISTRIBUTED BY HASH(k) PROPERTIES (\"bogus\" = \"1\")", err,
		 sizeof err);
	assert_string_equal(err, "Unknown properties: {bogus=1}");
	exec_err(&sim, SIM_SOURCE, "CREATE TABLE d.e3 (k INT) PROPERTIES (\"replication_num\" = \"4\")", err, sizeof err);
	assert_non_null(strstr(err, "Table replication num should be less than or equal to the number of available BE"));
	assert_int_equal(exec_err(&sim, SIM_SOURCE, "CREATE DATABASE d", err, sizeof err), 1007);
	assert_int_equal(exec_err(&sim, SIM_SOURCE, "DROP DATABASE nope", err, sizeof err), 1008);
	assert_int_equal(exec_err(&sim, SIM_SOURCE, "CREATE TABLE d.e4 (k INT", err, sizeof err), 1064);
}

static void
test_partitions_and_schema_changes(void **state)
{
	char err[1024];

	(void)state;
	st_exec_ok(&sim, SIM_SOURCE, "CREATE TABLE d.p (dt DATE NOT NULL, v INT) PARTITION BY RANGE(dt) "
		"(PARTITION p1 VALUES [(\"2024-01-01\"), (\"2024-01-02\"))) DISTRIBUTED BY HASH(dt) BUCKETS 2");
	st_exec_ok(&sim, SIM_SOURCE, "ALTER TABLE d.p ADD PARTITION p2 VALUES [(\"2024-01-02\"), (\"2024-01-03\")) "
		"DISTRIBUTED BY HASH(dt) BUCKETS 5");
	st_exec_ok(&sim, SIM_SOURCE, "ALTER TABLE d.p ADD PARTITION IF NOT EXISTS p2 VALUES [(\"2024-01-02\"), (\"2024-01-03\"))");
	exec_err(&sim, SIM_SOURCE, "ALTER TABLE d.p ADD PARTITION p2 VALUES [(\"2024-01-05\"), (\"2024-01-06\"))", err,
		 sizeof err);
	assert_string_equal(err, "Duplicate partition name p2");
	exec_err(&sim, SIM_SOURCE, "ALTER TABLE d.p ADD PARTITION p3 VALUES [(\"2024-01-01\"), (\"2024-01-05\"))", err,
		 sizeof err);
	assert_non_null(strstr(err, "intersected"));
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "SHOW PARTITIONS FROM d.p WHERE PartitionName = 'p2'");
	assert_int_equal(sim_rows(r), 1);
	assert_string_equal(sim_cell(r, 0, "Buckets"), "5");
	sim_result_free(r);
	st_exec_ok(&sim, SIM_SOURCE, "ALTER TABLE d.p DROP PARTITION p1");
	exec_err(&sim, SIM_SOURCE, "ALTER TABLE d.p DROP PARTITION p1", err, sizeof err);
	assert_string_equal(err, "Error in list of partitions to p1");

	/* a light schema change keeps the index and tablets; a type change makes new ones */
	r = st_q(&sim, SIM_SOURCE, "SHOW PROC '/dbs/d/p/index_schema'");
	char iid[32], ver[32];
	snprintf(iid, sizeof iid, "%s", sim_cell(r, 0, "IndexId"));
	snprintf(ver, sizeof ver, "%s", sim_cell(r, 0, "SchemaVersion"));
	sim_result_free(r);
	st_exec_ok(&sim, SIM_SOURCE, "ALTER TABLE d.p ADD COLUMN w BIGINT DEFAULT \"7\"");
	r = st_q(&sim, SIM_SOURCE, "SHOW PROC '/dbs/d/p/index_schema'");
	assert_string_equal(sim_cell(r, 0, "IndexId"), iid);
	assert_string_not_equal(sim_cell(r, 0, "SchemaVersion"), ver);
	sim_result_free(r);
	st_exec_ok(&sim, SIM_SOURCE, "ALTER TABLE d.p MODIFY COLUMN v BIGINT");
	r = st_q(&sim, SIM_SOURCE, "SHOW PROC '/dbs/d/p/index_schema'");
	assert_string_not_equal(sim_cell(r, 0, "IndexId"), iid);
	sim_result_free(r);
	char *ddl = show_create(&sim, SIM_SOURCE, "d.p");
	assert_non_null(strstr(ddl, "  `v` bigint(20) NULL COMMENT \"\",\n  `w` bigint(20) NULL DEFAULT \"7\""));
	g_free(ddl);
	st_exec_ok(&sim, SIM_SOURCE, "ALTER TABLE d.p DROP COLUMN w");
	st_exec_ok(&sim, SIM_SOURCE, "ALTER TABLE d.p SET (\"bloom_filter_columns\" = \"v\")");
	ddl = show_create(&sim, SIM_SOURCE, "d.p");
	assert_non_null(strstr(ddl, "\"bloom_filter_columns\" = \"v\""));
	assert_null(strstr(ddl, "`w`"));
	g_free(ddl);

	/* TRUNCATE makes new partitions: new ids, version 1 */
	r = st_q(&sim, SIM_SOURCE, "SHOW PARTITIONS FROM d.p");
	char pid[32];
	snprintf(pid, sizeof pid, "%s", sim_cell(r, 0, "PartitionId"));
	sim_result_free(r);
	st_exec_ok(&sim, SIM_SOURCE, "INSERT INTO d.p VALUES (\"2024-01-02\", 1)");
	st_exec_ok(&sim, SIM_SOURCE, "TRUNCATE TABLE d.p");
	r = st_q(&sim, SIM_SOURCE, "SHOW PARTITIONS FROM d.p");
	assert_string_not_equal(sim_cell(r, 0, "PartitionId"), pid);
	assert_string_equal(sim_cell(r, 0, "VisibleVersion"), "1");
	sim_result_free(r);
}

static void
test_indexes_views_mvs(void **state)
{
	char err[1024];

	(void)state;
	st_exec_ok(&sim, SIM_SOURCE, "CREATE TABLE d.base (k INT, c VARCHAR(10), v BIGINT) DUPLICATE KEY(k) "
		"DISTRIBUTED BY HASH(k) BUCKETS 2");
	st_exec_ok(&sim, SIM_SOURCE, "CREATE INDEX idx_c ON d.base (c) USING BITMAP COMMENT 'c'");
	exec_err(&sim, SIM_SOURCE, "CREATE INDEX idx_c ON d.base (c) USING BITMAP", err, sizeof err);
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "SHOW INDEX FROM d.base");
	assert_int_equal(sim_rows(r), 1);
	assert_string_equal(sim_cell(r, 0, "Key_name"), "idx_c");
	assert_string_equal(sim_cell(r, 0, "Index_type"), "BITMAP");
	sim_result_free(r);
	st_exec_ok(&sim, SIM_SOURCE, "DROP INDEX idx_c ON d.base");
	st_exec_ok(&sim, SIM_SOURCE, "ALTER TABLE d.base ADD INDEX idx_v (v) USING BITMAP");
	st_exec_ok(&sim, SIM_SOURCE, "ALTER TABLE d.base DROP INDEX idx_v");

	st_exec_ok(&sim, SIM_SOURCE, "CREATE VIEW d.v1 (k, total) COMMENT 'a view' AS SELECT k, sum(v) FROM d.base GROUP BY k");
	r = st_q(&sim, SIM_SOURCE, "SHOW CREATE VIEW d.v1");
	assert_string_equal(sim_title(r, 0), "View");
	assert_string_equal(sim_title(r, 1), "Create View");
	assert_string_equal(sim_cell(r, 0, "Create View"),
			    "CREATE VIEW `v1` (k, total) COMMENT \"a view\" AS SELECT k, sum(v) FROM d.base GROUP BY k;");
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SHOW FULL TABLES FROM d LIKE 'v%%'");
	assert_string_equal(sim_cell(r, 0, "Table_type"), "VIEW");
	sim_result_free(r);

	/* an asynchronous MV is a table of its own; a synchronous one is an index of its base table */
	st_exec_ok(&sim, SIM_SOURCE, "CREATE MATERIALIZED VIEW d.mv1 DISTRIBUTED BY HASH(k) BUCKETS 2 REFRESH ASYNC "
		"AS SELECT k, sum(v) AS total FROM d.base GROUP BY k");
	r = st_q(&sim, SIM_SOURCE, "SHOW CREATE MATERIALIZED VIEW d.mv1");
	assert_string_equal(sim_title(r, 0), "Materialized View");
	assert_true(g_str_has_prefix(sim_cell(r, 0, "Create Materialized View"),
				     "CREATE MATERIALIZED VIEW `mv1` (`k`, `total`)\nDISTRIBUTED BY HASH(`k`) BUCKETS 2 \n"
				     "REFRESH ASYNC\n"));
	/* What SHOW CREATE prints, column list included, creates it again elsewhere. */
	{
		char *again = g_strdup(sim_cell(r, 0, "Create Materialized View"));
		char *sql = g_strdup_printf("CREATE MATERIALIZED VIEW d.mv2%s", again + strlen("CREATE MATERIALIZED VIEW `mv1`"));

		st_exec_ok(&sim, SIM_SOURCE, sql);
		st_exec_ok(&sim, SIM_SOURCE, "DROP MATERIALIZED VIEW d.mv2");
		g_free(sql);
		g_free(again);
	}
	sim_result_free(r);
	st_exec_ok(&sim, SIM_SOURCE, "CREATE MATERIALIZED VIEW d.sync_mv AS SELECT k, sum(v) FROM d.base GROUP BY k");
	r = st_q(&sim, SIM_SOURCE, "SHOW PROC '/dbs/d/base/index_schema'");
	assert_int_equal(sim_rows(r), 2);
	assert_string_equal(sim_cell(r, 1, "IndexName"), "sync_mv");
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SHOW MATERIALIZED VIEWS FROM d");
	assert_int_equal(sim_rows(r), 2);
	sim_result_free(r);
	st_exec_ok(&sim, SIM_SOURCE, "DROP MATERIALIZED VIEW d.sync_mv");
	st_exec_ok(&sim, SIM_SOURCE, "DROP MATERIALIZED VIEW d.mv1");
	st_exec_ok(&sim, SIM_SOURCE, "DROP VIEW d.v1");
	r = st_q(&sim, SIM_SOURCE, "SHOW MATERIALIZED VIEWS FROM d");
	assert_int_equal(sim_rows(r), 0);
	sim_result_free(r);
}

static void
test_storage_volumes(void **state)
{
	char err[1024];

	(void)state;
	st_exec_ok(&sim, SIM_TARGET, "CREATE STORAGE VOLUME src_builtin_storage_volume TYPE = S3 LOCATIONS = "
		"(\"s3://starrocks-source/builtin\") PROPERTIES (\"enabled\" = \"true\", \"aws.s3.region\" = \"us-west-2\", "
		"\"aws.s3.secret_key\" = \"hush\", \"aws.s3.enable_partitioned_prefix\" = \"false\")");
	struct sim_result *r = st_q(&sim, SIM_TARGET, "DESC STORAGE VOLUME src_builtin_storage_volume");
	assert_string_equal(sim_cell(r, 0, "Location"), "s3://starrocks-source/builtin");
	assert_string_equal(sim_cell(r, 0, "IsDefault"), "false");
	assert_null(strstr(sim_cell(r, 0, "Params"), "hush"));
	assert_non_null(strstr(sim_cell(r, 0, "Params"), "\"aws.s3.enable_partitioned_prefix\":\"false\""));
	sim_result_free(r);
	r = st_q(&sim, SIM_TARGET, "SHOW STORAGE VOLUMES");
	assert_int_equal(sim_rows(r), 2);
	sim_result_free(r);
	exec_err(&sim, SIM_SOURCE, "CREATE STORAGE VOLUME v TYPE = S3 LOCATIONS = (\"s3://x\")", err, sizeof err);
	assert_string_equal(err, "unsupported statement in shared_nothing mode");
}

/* Ids: each cluster its own space, never the same on both sides. */
static void
test_id_spaces(void **state)
{
	(void)state;
	st_exec_ok(&sim, SIM_SOURCE, "CREATE TABLE d.same (k INT) DISTRIBUTED BY HASH(k) BUCKETS 1");
	st_exec_ok(&sim, SIM_TARGET, "CREATE TABLE d.same (k INT) DISTRIBUTED BY HASH(k) BUCKETS 1");
	struct st_ids a, b;
	assert_int_equal(st_table_ids(&sim, SIM_SOURCE, "d", "same", &a), 0);
	assert_int_equal(st_table_ids(&sim, SIM_TARGET, "d", "same", &b), 0);
	assert_true(a.db != b.db && a.table != b.table);
	struct sim_result *ra = st_q(&sim, SIM_SOURCE, "SHOW TABLET FROM d.same");
	struct sim_result *rb = st_q(&sim, SIM_TARGET, "SHOW TABLET FROM d.same");
	assert_string_not_equal(sim_cell(ra, 0, "TabletId"), sim_cell(rb, 0, "TabletId"));
	sim_result_free(ra);
	sim_result_free(rb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_3_3),
		cmocka_unit_test(test_layout_lake_and_3_2),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_partitions_and_schema_changes),
		cmocka_unit_test(test_indexes_views_mvs),
		cmocka_unit_test(test_storage_volumes),
		cmocka_unit_test(test_id_spaces),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
