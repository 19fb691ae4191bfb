/*
 * Every object srmigrate handles, end to end: schema changes on the source,
 * bitmap indexes, table properties, views and materialized views (each by
 * its keys), expression and automatic partitions opened by loads, temporary
 * partitions, and the table models and properties a target must accept.
 * Outcomes are read from the clusters themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e/e2e.h"

#define SPEED 50

#define CLUSTERS(src_version, src_mode, tgt_version, tgt_mode)                                   \
	"[source]\nversion = " src_version "\nrun_mode = " src_mode "\nuser = root\n"             \
	"password = srcpw\ntoken = 8a1f2c3d-0000-4000-8000-00000000beef\n\n"                      \
	"[target]\nversion = " tgt_version "\nrun_mode = " tgt_mode "\nuser = root\n"             \
	"password = tgtpw\n\n"

#define ORDERS                                                                                   \
	"[table source shop.orders]\nddl = CREATE TABLE shop.orders (k bigint NOT NULL, "         \
	"dt date NOT NULL, region varchar(16) NULL, v bigint NULL, "                               \
	"INDEX idx_region (region) USING BITMAP COMMENT 'by region') DUPLICATE KEY(k, dt) "        \
	"PARTITION BY RANGE(dt) (PARTITION p1 VALUES [(\"2024-01-01\"), (\"2024-01-02\")), "      \
	"PARTITION p2 VALUES [(\"2024-01-02\"), (\"2024-01-03\"))) "                              \
	"DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES (\"replication_num\" = \"3\", "               \
	"\"partition_live_number\" = \"5\")\nrows = 1000\n\n"

static void
start(struct sim *s, const char *scenario, const char *conf)
{
	assert_int_equal(sim_start(s, scenario, SPEED), 0);
	e2e_keep(s);
	e2e_fast(s);
	e2e_prepare(s);
	if (conf)
		e2e_conf(s, conf);
}

static void
exec(struct sim *s, int side, const char *sql)
{
	char err[512] = "";
	int rc = sim_exec(s, side, sql, err, sizeof(err));

	if (rc != 0)
		fprintf(stderr, "%s: %s\n", sql, err);
	assert_int_equal(rc, 0);
}

/* SHOW CREATE TABLE of @name on @side (new string), NULL when it does not exist. */
static char *
show_create(struct sim *s, int side, const char *name)
{
	static const char *const titles[] = { "Create Table", "Create View", "Create Materialized View" };
	char q[256], err[256];
	struct sim_result *r;
	char *text = NULL;

	snprintf(q, sizeof(q), "SHOW CREATE TABLE %s", name);
	r = sim_query(s, side, q, err, sizeof(err));
	for (size_t i = 0; r && sim_rows(r) && i < 3 && text == NULL; i++)
		if (sim_has_col(r, titles[i]))
			text = strdup(sim_cell(r, 0, titles[i]));
	sim_result_free(r);
	return text;
}

static void
expect_contains(struct sim *s, int side, const char *name, const char *needle, bool want)
{
	char *text = show_create(s, side, name);

	if (text == NULL || (strstr(text, needle) != NULL) != want)
		fprintf(stderr, "%s on the %s, %s \"%s\":\n%s\n", name, side == SIM_SOURCE ? "source" : "target",
			want ? "expected" : "not expected", needle, text ? text : "(none)");
	assert_non_null(text);
	assert_int_equal(strstr(text, needle) != NULL, want);
	free(text);
}

static void
run_once(struct sim *s, int want_rc)
{
	int rc = e2e_run(s, 120, "--once", (char *)NULL);

	if (rc != want_rc) {
		char *out = e2e_read(s, "srmigrate.out");

		fprintf(stderr, "srmigrate exited %d, not %d:\n%s\n", rc, want_rc, out ? out : "");
		free(out);
	}
	assert_int_equal(rc, want_rc);
}

static void
expect_in_sync(struct sim *s, const char *only)
{
	char report[8192];
	int rc = sim_compare(s, only, report, sizeof(report));

	if (rc != 0)
		fprintf(stderr, "differences:\n%s\n", report);
	assert_int_equal(rc, 0);
}

/* --- schema changes ------------------------------------------------------------------ */

static void
added_column_recreates_the_table(void **state)
{
	struct sim s;

	(void)state;
	start(&s, CLUSTERS("3.3.5", "shared_nothing", "3.5.2", "shared_nothing") ORDERS, NULL);
	run_once(&s, 0);
	expect_in_sync(&s, NULL);
	/* A column on the source, and a load that makes the table lag. */
	exec(&s, SIM_SOURCE, "ALTER TABLE shop.orders ADD COLUMN note varchar(32) NULL");
	exec(&s, SIM_SOURCE, "INSERT INTO shop.orders VALUES (1, '2024-01-02', 'eu', 5, 'x')");
	run_once(&s, 0);
	expect_contains(&s, SIM_TARGET, "shop.orders", "`note` varchar(32)", true);
	assert_true(e2e_log_has(&s, "column note was added on the source"));
	assert_true(e2e_log_has(&s, "DDL done: DROP TABLE IF EXISTS `shop`.`orders`"));
	expect_in_sync(&s, NULL);
	e2e_finish(&s);
}

static void
changed_type_blocks_when_drops_are_refused(void **state)
{
	struct sim s;

	(void)state;
	start(&s, CLUSTERS("3.3.5", "shared_nothing", "3.3.5", "shared_nothing") ORDERS,
	      "ddl_job_allow_drop_schema_change_table=false\n");
	run_once(&s, 0);
	exec(&s, SIM_SOURCE, "ALTER TABLE shop.orders MODIFY COLUMN region varchar(64) NULL");
	exec(&s, SIM_SOURCE, "INSERT INTO shop.orders VALUES (1, '2024-01-02', 'eu', 5)");
	/* One-time run: the table cannot sync, so it ends with 1 and says why. */
	run_once(&s, 1);
	assert_true(e2e_log_has(&s, "column region is varchar(64) on the source, varchar(16) on the target"));
	assert_true(e2e_log_has(&s, "ddl_job_allow_drop_schema_change_table=false"));
	/* Nothing was dropped. */
	expect_contains(&s, SIM_TARGET, "shop.orders", "`region` varchar(16)", true);
	assert_false(e2e_log_has(&s, "DROP TABLE"));
	e2e_finish(&s);
}

/* --- bitmap indexes and properties ------------------------------------------------- */

static void
bitmap_indexes_follow_their_keys(void **state)
{
	struct sim s;

	(void)state;
	start(&s, CLUSTERS("3.3.5", "shared_nothing", "3.3.5", "shared_nothing") ORDERS,
	      "enable_bitmap_index_sync=true\nddl_job_allow_drop_bitmap_index_target_only=false\n");
	run_once(&s, 0);
	/* Created with the table, as the source has it. */
	expect_contains(&s, SIM_TARGET, "shop.orders", "idx_region", true);
	exec(&s, SIM_SOURCE, "CREATE INDEX idx_v ON shop.orders (v) USING BITMAP COMMENT 'new'");
	exec(&s, SIM_TARGET, "CREATE INDEX idx_extra ON shop.orders (k) USING BITMAP");
	exec(&s, SIM_SOURCE, "INSERT INTO shop.orders VALUES (2, '2024-01-02', 'us', 7)");
	run_once(&s, 0);
	expect_contains(&s, SIM_TARGET, "shop.orders", "idx_v", true);
	/* Only on the target, and its drop refused: kept, said once. */
	expect_contains(&s, SIM_TARGET, "shop.orders", "idx_extra", true);
	assert_int_equal(e2e_log_count(&s, "bitmap index idx_extra is only on the target; kept"), 1);

	e2e_conf(&s, "ddl_job_allow_drop_bitmap_index_target_only=true\n");
	exec(&s, SIM_SOURCE, "INSERT INTO shop.orders VALUES (3, '2024-01-02', 'us', 8)");
	run_once(&s, 0);
	expect_contains(&s, SIM_TARGET, "shop.orders", "idx_extra", false);
	expect_contains(&s, SIM_TARGET, "shop.orders", "idx_v", true);
	expect_in_sync(&s, NULL);
	e2e_finish(&s);
}

static void
bitmap_index_sync_off_leaves_indexes(void **state)
{
	struct sim s;

	(void)state;
	start(&s, CLUSTERS("3.3.5", "shared_nothing", "3.3.5", "shared_nothing") ORDERS, NULL);
	run_once(&s, 0);
	exec(&s, SIM_SOURCE, "CREATE INDEX idx_v ON shop.orders (v) USING BITMAP");
	exec(&s, SIM_SOURCE, "INSERT INTO shop.orders VALUES (2, '2024-01-02', 'us', 7)");
	run_once(&s, 0);
	expect_contains(&s, SIM_TARGET, "shop.orders", "idx_v", false);
	expect_in_sync(&s, NULL);
	e2e_finish(&s);
}

static void
properties_follow_the_source(void **state)
{
	struct sim s;

	(void)state;
	start(&s, CLUSTERS("3.3.5", "shared_nothing", "3.5.2", "shared_data") ORDERS,
	      "enable_table_property_sync=true\n");
	run_once(&s, 0);
	expect_contains(&s, SIM_TARGET, "shop.orders", "\"partition_live_number\" = \"5\"", true);
	exec(&s, SIM_SOURCE, "ALTER TABLE shop.orders SET (\"partition_live_number\" = \"9\")");
	exec(&s, SIM_SOURCE, "INSERT INTO shop.orders VALUES (2, '2024-01-02', 'us', 7)");
	run_once(&s, 0);
	expect_contains(&s, SIM_TARGET, "shop.orders", "\"partition_live_number\" = \"9\"", true);
	assert_true(e2e_log_has(&s, "SET (\"partition_live_number\" = \"9\")"));
	/* The replica number is the target's rule, not a property to copy. */
	assert_false(e2e_log_has(&s, "SET (\"replication_num\""));
	expect_in_sync(&s, NULL);
	e2e_finish(&s);
}

/* --- views and materialized views ------------------------------------------------ */

#define VIEWS                                                                                    \
	"[view source shop.v_orders]\nquery = SELECT k, v FROM shop.orders WHERE v > 0\n\n"       \
	"[mv source shop.mv_daily]\nquery = SELECT dt, sum(v) AS total FROM shop.orders GROUP BY dt\n" \
	"refresh = ASYNC\n\n"

static void
views_and_mvs_are_created(void **state)
{
	struct sim s;

	(void)state;
	start(&s, CLUSTERS("3.3.5", "shared_nothing", "3.5.2", "shared_data") ORDERS VIEWS,
	      "enable_view_sync=true\nenable_materialized_view_sync=true\n");
	exec(&s, SIM_TARGET, "CREATE DATABASE shop");
	exec(&s, SIM_TARGET, "CREATE TABLE shop.keep_me (k bigint) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) "
			     "BUCKETS 1 PROPERTIES (\"replication_num\" = \"1\")");
	exec(&s, SIM_TARGET, "CREATE VIEW shop.v_target_only AS SELECT k FROM shop.keep_me");
	run_once(&s, 0);
	expect_contains(&s, SIM_TARGET, "shop.v_orders", "FROM", true);
	expect_contains(&s, SIM_TARGET, "shop.mv_daily", "GROUP BY", true);
	/* The target's own view stays: ddl_job_allow_drop_view_target_only is false by default. */
	expect_contains(&s, SIM_TARGET, "shop.v_target_only", "keep_me", true);
	assert_true(e2e_log_has(&s, "view shop.v_target_only is only on the target; kept"));
	/* The MV is a definition: never replicated as a table. */
	assert_false(e2e_log_has(&s, "for shop.mv_daily sent"));
	expect_in_sync(&s, "shop.orders");
	e2e_finish(&s);
}

static void
changed_view_is_replaced(void **state)
{
	struct sim s;

	(void)state;
	start(&s, CLUSTERS("3.3.5", "shared_nothing", "3.3.5", "shared_nothing") ORDERS VIEWS,
	      "enable_view_sync=true\nddl_job_allow_drop_view_target_only=true\n");
	run_once(&s, 0);
	exec(&s, SIM_SOURCE, "DROP VIEW shop.v_orders");
	exec(&s, SIM_SOURCE, "CREATE VIEW shop.v_orders AS SELECT k, v, region FROM shop.orders");
	exec(&s, SIM_TARGET, "CREATE VIEW shop.v_extra AS SELECT k FROM shop.orders");
	run_once(&s, 0);
	expect_contains(&s, SIM_TARGET, "shop.v_orders", "region", true);
	assert_null(show_create(&s, SIM_TARGET, "shop.v_extra"));
	e2e_finish(&s);
}

/* --- partitions ---------------------------------------------------------------------- */

static void
partitions_opened_by_loads_are_added(void **state)
{
	struct sim s;
	char report[8192];
	pid_t pid;

	(void)state;
	start(&s, CLUSTERS("3.3.5", "shared_nothing", "3.5.2", "shared_data")
		  "[table source shop.events]\npartition_by = expr\npartitions = 2\nrows = 500\n\n"
		  "[table source shop.cities]\npartition_by = auto(region)\npartitions = 2\nrows = 500\n\n"
		  "[load]\ntables = shop.events, shop.cities\ninterval = 20s\nnew_partition_every = 1\n"
		  "stop = 150s\n",
	      NULL);
	pid = e2e_launch(&s, (char *)NULL);
	/* Loads stop after 150 simulated seconds (3 s); then everything must arrive. */
	sleep(4);
	assert_int_equal(e2e_converge(&s, NULL, 60, report, sizeof(report)), 0);
	kill(pid, SIGTERM);
	assert_int_equal(e2e_await(pid, 30), 0);
	assert_true(e2e_log_has(&s, "ADD PARTITION"));
	assert_true(e2e_log_has(&s, "ADD PARTITIONS START ("));
	assert_true(e2e_log_has(&s, "VALUES IN ("));
	e2e_finish(&s);
}

static void
temporary_partitions_are_not_migrated(void **state)
{
	struct sim s;
	char err[256];
	struct sim_result *r;

	(void)state;
	start(&s, CLUSTERS("3.3.5", "shared_nothing", "3.3.5", "shared_nothing") ORDERS, NULL);
	exec(&s, SIM_SOURCE, "ALTER TABLE shop.orders ADD TEMPORARY PARTITION tp1 VALUES "
			     "[(\"2024-01-01\"), (\"2024-01-02\"))");
	run_once(&s, 0);
	r = sim_query(&s, SIM_TARGET, "SHOW TEMPORARY PARTITIONS FROM shop.orders", err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(sim_rows(r), 0);
	sim_result_free(r);
	assert_false(e2e_log_has(&s, "tp1"));
	expect_in_sync(&s, NULL);
	e2e_finish(&s);
}

/* --- models and properties a target must accept ------------------------------------ */

static void
every_model_arrives_valid(void **state)
{
	struct sim s;

	(void)state;
	start(&s, CLUSTERS("3.5.2", "shared_data", "4.1.0", "shared_data")
		  "[volume source builtin_storage_volume]\ndefault = true\nlocation = s3://bucket\n\n"
		  "[volume target builtin_storage_volume]\ndefault = true\nlocation = s3://target-bucket\n\n"
		  "[volume target src_builtin_storage_volume]\nlocation = s3://bucket\n\n"
		  "[table source shop.sums]\nmodel = aggregate\n"
		  "columns = k1 bigint, dt date, region varchar(32), total decimal(27, 9) SUM, last varchar(8) REPLACE\n"
		  "keys = `k1`, `dt`, `region`\npartition_by = range\npartitions = 2\nrows = 400\n\n"
		  "[table source shop.uniq]\nmodel = unique\npartition_by = list\npartitions = 2\nrows = 400\n\n"
		  "[table source shop.pk]\nmodel = primary\npartition_by = expr\npartitions = 2\nrows = 400\n"
		  "properties = \"enable_persistent_index\" = \"true\", \"persistent_index_type\" = \"LOCAL\"\n\n"
		  "[table source shop.gen]\nddl = CREATE TABLE shop.gen (k bigint NOT NULL, v bigint NULL, "
		  "w bigint AS v * 2) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES "
		  "(\"colocate_with\" = \"g1\")\nrows = 300\n",
	      NULL);
	run_once(&s, 0);
	expect_contains(&s, SIM_TARGET, "shop.sums", "SUM", true);
	expect_contains(&s, SIM_TARGET, "shop.uniq", "UNIQUE KEY", true);
	/* Shared-data targets keep the primary index in the cloud. */
	expect_contains(&s, SIM_TARGET, "shop.pk", "\"persistent_index_type\" = \"CLOUD_NATIVE\"", true);
	expect_contains(&s, SIM_TARGET, "shop.pk", "PRIMARY KEY", true);
	expect_contains(&s, SIM_TARGET, "shop.gen", "AS", true);
	expect_contains(&s, SIM_TARGET, "shop.gen", "\"colocate_with\" = \"g1\"", true);
	expect_in_sync(&s, NULL);
	e2e_finish(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(added_column_recreates_the_table, e2e_teardown),
		cmocka_unit_test_teardown(changed_type_blocks_when_drops_are_refused, e2e_teardown),
		cmocka_unit_test_teardown(bitmap_indexes_follow_their_keys, e2e_teardown),
		cmocka_unit_test_teardown(bitmap_index_sync_off_leaves_indexes, e2e_teardown),
		cmocka_unit_test_teardown(properties_follow_the_source, e2e_teardown),
		cmocka_unit_test_teardown(views_and_mvs_are_created, e2e_teardown),
		cmocka_unit_test_teardown(changed_view_is_replaced, e2e_teardown),
		cmocka_unit_test_teardown(partitions_opened_by_loads_are_added, e2e_teardown),
		cmocka_unit_test_teardown(temporary_partitions_are_not_migrated, e2e_teardown),
		cmocka_unit_test_teardown(every_model_arrives_valid, e2e_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
