/*
 * test_ddl: SHOW CREATE TABLE rewritten for the target (facts §5 layout),
 * ADD PARTITION from the source's bounds, the PROPERTIES helpers and the
 * database/table/partition statements.
 */
#include "unit.h"

#include "srmigrate/ddl.h"
#include "srmigrate/util.h"

/* --- SHOW CREATE TABLE texts, as the FE prints them ---------------------------- */

/* Duplicate key, RANGE, a per-partition replica number, an index, comments with traps; 3.3 sorted properties. */
static const char orders[] =
	"CREATE TABLE `orders` (\n"
	"  `dt` date NOT NULL COMMENT \"order date\",\n"
	"  `id` bigint(20) NOT NULL COMMENT \"\",\n"
	"  `note` varchar(65533) NULL DEFAULT \"none\" COMMENT \"it's a \\\"note\\\"; PROPERTIES (\\\"x\\\" = \\\"y\\\")\",\n"
	"  INDEX idx_note (`note`) USING BITMAP COMMENT 'PROPERTIES (\"replication_num\" = \"9\")'\n"
	") ENGINE=OLAP \n"
	"DUPLICATE KEY(`dt`, `id`)\n"
	"COMMENT \"orders; PRIMARY KEY lives elsewhere; see PROPERTIES\"\n"
	"PARTITION BY RANGE(`dt`)\n"
	"(PARTITION p20240101 VALUES [(\"2024-01-01\"), (\"2024-01-02\")),\n"
	"PARTITION p20240102 VALUES [(\"2024-01-02\"), (\"2024-01-03\")) (\"replication_num\" = \"1\"),\n"
	"PARTITION p20240103 VALUES [(\"2024-01-03\"), (\"2024-01-04\")))\n"
	"DISTRIBUTED BY HASH(`id`) BUCKETS 8 \n"
	"ORDER BY(`dt`)\n"
	"PROPERTIES (\n"
	"\"compression\" = \"LZ4\",\n"
	"\"fast_schema_evolution\" = \"true\",\n"
	"\"replicated_storage\" = \"true\",\n"
	"\"replication_num\" = \"3\",\n"
	"\"storage_medium\" = \"SSD\"\n"
	");";

/* Aggregate key, LIST partitions. */
static const char agg[] =
	"CREATE TABLE `agg` (\n"
	"  `k` int(11) NOT NULL COMMENT \"\",\n"
	"  `v` bigint(20) SUM NULL COMMENT \"\",\n"
	"  `m` decimal(38, 9) SUM NULL COMMENT \"\"\n"
	") ENGINE=OLAP \n"
	"AGGREGATE KEY(`k`)\n"
	"PARTITION BY LIST(`k`)(\n"
	"  PARTITION p1 VALUES IN (\"1\", \"2\"),\n"
	"  PARTITION p10 VALUES IN (\"10\"),\n"
	"  PARTITION p2 VALUES IN (\"3\")\n"
	")\n"
	"DISTRIBUTED BY HASH(`k`) BUCKETS 2 \n"
	"PROPERTIES (\n"
	"\"compression\" = \"ZSTD(3)\",\n"
	"\"replicated_storage\" = \"true\",\n"
	"\"replication_num\" = \"3\"\n"
	");";

/* Primary key on a shared-data cluster: expression partitioning, lake properties. */
static const char events[] =
	"CREATE TABLE `events` (\n"
	"  `id` bigint(20) NOT NULL COMMENT \"\",\n"
	"  `ts` datetime NOT NULL COMMENT \"\",\n"
	"  `v` varchar(100) NULL COMMENT \"\"\n"
	") ENGINE=OLAP \n"
	"PRIMARY KEY(`id`, `ts`)\n"
	"PARTITION BY date_trunc('day', `ts`)\n"
	"DISTRIBUTED BY HASH(`id`) BUCKETS 4 \n"
	"PROPERTIES (\n"
	"\"compression\" = \"LZ4\",\n"
	"\"datacache.enable\" = \"true\",\n"
	"\"enable_async_write_back\" = \"false\",\n"
	"\"enable_persistent_index\" = \"true\",\n"
	"\"persistent_index_type\" = \"LOCAL\",\n"
	"\"replication_num\" = \"1\",\n"
	"\"storage_volume\" = \"vol1\"\n"
	");";

/* Unique key, unpartitioned, random distribution, 3.1/3.2 property order, a table name with a backtick. */
static const char uniq[] =
	"CREATE TABLE `we``ird` (\n"
	"  `k` varchar(20) NOT NULL COMMENT \"\",\n"
	"  `v` int(11) REPLACE NULL COMMENT \"\"\n"
	") ENGINE=OLAP \n"
	"UNIQUE KEY(`k`)\n"
	"DISTRIBUTED BY RANDOM BUCKETS 3 \n"
	"PROPERTIES (\n"
	"\"replication_num\" = \"2\",\n"
	"\"in_memory\" = \"false\",\n"
	"\"enable_persistent_index\" = \"false\",\n"
	"\"replicated_storage\" = \"true\",\n"
	"\"binlog_enable\" = \"false\",\n"
	"\"binlog_ttl_second\" = \"1800\",\n"
	"\"compression\" = \"LZ4\"\n"
	");";

/* Multi-column RANGE and a quoted partition name. */
static const char multi_range[] =
	"CREATE TABLE `m` (\n"
	"  `dt` date NOT NULL COMMENT \"\",\n"
	"  `region` varchar(8) NOT NULL COMMENT \"\"\n"
	") ENGINE=OLAP \n"
	"DUPLICATE KEY(`dt`, `region`)\n"
	"PARTITION BY RANGE(`dt`, `region`)\n"
	"(PARTITION `p 1` VALUES [(\"2024-01-01\", \"eu\"), (\"2024-01-01\", \"us\")),\n"
	"PARTITION p2 VALUES [(\"2024-01-01\", \"us\"), (\"2024-01-02\", \"eu\")))\n"
	"DISTRIBUTED BY HASH(`dt`, `region`) BUCKETS 6 \n"
	"PROPERTIES (\n"
	"\"replication_num\" = \"3\"\n"
	");";

/* Multi-column LIST. */
static const char multi_list[] =
	"CREATE TABLE `ml` (\n"
	"  `region` varchar(8) NOT NULL COMMENT \"\",\n"
	"  `city` varchar(32) NOT NULL COMMENT \"\"\n"
	") ENGINE=OLAP \n"
	"DUPLICATE KEY(`region`, `city`)\n"
	"PARTITION BY LIST(`region`, `city`)(\n"
	"  PARTITION p_eu VALUES IN ((\"eu\", \"paris\"), (\"eu\", \"rome, italy\")),\n"
	"  PARTITION p_us VALUES IN ((\"us\", \"nyc\"))\n"
	")\n"
	"DISTRIBUTED BY RANDOM\n"
	"PROPERTIES (\n"
	"\"replication_num\" = \"3\"\n"
	");";

/* Automatic list partitioning: no partition list. */
static const char auto_list[] =
	"CREATE TABLE `al` (\n"
	"  `c1` int(11) NOT NULL COMMENT \"\",\n"
	"  `c2` varchar(8) NOT NULL COMMENT \"\"\n"
	") ENGINE=OLAP \n"
	"DUPLICATE KEY(`c1`)\n"
	"PARTITION BY (`c1`,`c2`)\n"
	"DISTRIBUTED BY HASH(`c1`)\n"
	"PROPERTIES (\n"
	"\"replication_num\" = \"3\"\n"
	");";

/* No PROPERTIES at all (not printed by a real FE, but possible in hand-made input). */
static const char bare[] =
	"CREATE TABLE `bare` (\n"
	"  `k` int(11) NOT NULL COMMENT \"\"\n"
	") ENGINE=OLAP \n"
	"DUPLICATE KEY(`k`)\n"
	"DISTRIBUTED BY HASH(`k`) BUCKETS 1 ;\n";

static const struct ddl_rules keep = { .replication_num = -1, .persistent_index = -1, .storage_volume = "" };

/* The text after "CREATE TABLE `name`", without its final ';'. */
static char *
tail_of(const char *show, const char *quoted_name)
{
	const char *p = strstr(show, quoted_name);
	char *t;
	size_t n;

	assert_non_null(p);
	p += strlen(quoted_name);
	t = strdup(p);
	n = strlen(t);
	while (n && (t[n - 1] == ';' || t[n - 1] == '\n' || t[n - 1] == ' '))
		t[--n] = '\0';
	return t;
}

/* The PROPERTIES block of @sql, from "PROPERTIES (" to the end. */
static const char *
props_of(const char *sql)
{
	const char *p = strstr(sql, "\nPROPERTIES (\n");

	assert_non_null(p);
	return p + 1;
}

static char *
create(const char *show, const char *db, const char *table, const struct ddl_rules *r)
{
	char err[SRM_ERR_LEN] = "";
	char *sql = ddl_create_table(show, db, table, r, err, sizeof(err));

	if (sql == NULL)
		print_error("%s\n", err);
	assert_non_null(sql);
	/* One statement: no trailing semicolon or blank. */
	assert_true(sql[strlen(sql) - 1] != ';' && sql[strlen(sql) - 1] != '\n');
	return sql;
}

/* --- CREATE TABLE ---------------------------------------------------------------- */

/* Rules that change nothing: the FE's text comes back byte for byte, under the new name. */
static void
test_create_unchanged(void **state)
{
	static const struct {
		const char *show, *name, *table;
	} t[] = {
		{ orders, "`orders`", "orders" }, { agg, "`agg`", "agg" }, { multi_range, "`m`", "m" },
		{ multi_list, "`ml`", "ml" }, { auto_list, "`al`", "al" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(t); i++) {
		char *sql = create(t[i].show, "sales", t[i].table, &keep), *tail = tail_of(t[i].show, t[i].name);
		char *want;

		if (asprintf(&want, "CREATE TABLE `sales`.`%s`%s", t[i].table, tail) < 0)
			abort();
		assert_string_equal(sql, want);
		free(want);
		free(tail);
		free(sql);
	}
}

/* The name: `db`.`table`, a backtick doubled, whatever the source called it. */
static void
test_create_names(void **state)
{
	char *sql;

	(void)state;
	sql = create(uniq, "my`db", "we`ird", &keep);
	assert_prefix(sql, "CREATE TABLE `my``db`.`we``ird` (\n  `k` varchar(20)");
	free(sql);
	/* The target name comes from the arguments, not from the text. */
	sql = create(orders, "db2", "orders_copy", &keep);
	assert_prefix(sql, "CREATE TABLE `db2`.`orders_copy` (\n  `dt` date");
	assert_int_equal(ut_count(sql, "`orders`"), 0);
	free(sql);
	/* A qualified or unquoted name in the source text is replaced whole. */
	sql = create("CREATE TABLE `db0`.`t` (\n  `k` int(11) NULL COMMENT \"\"\n) ENGINE=OLAP \n"
		     "DUPLICATE KEY(`k`)\nDISTRIBUTED BY HASH(`k`) BUCKETS 1 \nPROPERTIES (\n"
		     "\"replication_num\" = \"1\"\n);", "d", "t", &keep);
	assert_prefix(sql, "CREATE TABLE `d`.`t` (\n");
	free(sql);
	sql = create("CREATE TABLE IF NOT EXISTS plain_name (k int) DUPLICATE KEY(k) "
		     "DISTRIBUTED BY HASH(k) PROPERTIES (\"replication_num\" = \"1\")", "d", "t", &keep);
	assert_prefix(sql, "CREATE TABLE `d`.`t` (k int) DUPLICATE KEY(k)");
	free(sql);
}

/* Shared-nothing to shared-data: shared-nothing-only properties go, the replica number is set. */
static void
test_create_to_shared_data(void **state)
{
	struct ddl_rules r = keep;
	char *sql, *tail;

	(void)state;
	r.target_shared_data = true;
	r.replication_num = 1;
	sql = create(orders, "sales", "orders", &r);
	assert_string_equal(props_of(sql), "PROPERTIES (\n"
					   "\"compression\" = \"LZ4\",\n"
					   "\"replication_num\" = \"1\"\n"
					   ")");
	/* Everything before PROPERTIES is the FE's, but for the per-partition replica number. */
	tail = tail_of(orders, "`orders`");
	*strstr(tail, "\nPROPERTIES (") = '\0';
	*strstr(tail, "(\"replication_num\" = \"1\")") = '\0';
	assert_contains(sql, tail);
	assert_contains(sql, "COMMENT 'PROPERTIES (\"replication_num\" = \"9\")'");
	assert_contains(sql, "COMMENT \"it's a \\\"note\\\"; PROPERTIES (\\\"x\\\" = \\\"y\\\")\"");
	free(tail);
	free(sql);

	/* A storage volume named by the configuration is used. */
	r.storage_volume = "tgt_vol";
	sql = create(orders, "sales", "orders", &r);
	assert_contains(props_of(sql), "\"storage_volume\" = \"tgt_vol\"");
	free(sql);
	/* No persistent index on a duplicate-key table, whatever the rule says. */
	r.persistent_index = 1;
	sql = create(orders, "sales", "orders", &r);
	assert_not_contains(sql, "enable_persistent_index");
	free(sql);
}

/*
 * target_cluster_replication_num is every partition's replica number on the
 * target: a partition that had its own on the source gets the configured one
 * (the checklist counts backends for that number).
 */
static void
test_create_partition_replicas(void **state)
{
	struct ddl_rules r = keep;
	char *sql;

	(void)state;
	r.replication_num = 2;
	sql = create(orders, "sales", "orders", &r);
	assert_contains(sql, "PARTITION p20240102 VALUES [(\"2024-01-02\"), (\"2024-01-03\")) (\"replication_num\" = \"2\"),\n");
	assert_not_contains(sql, "\"replication_num\" = \"1\"");
	assert_not_contains(sql, "\"replication_num\" = \"3\"");
	/* An index comment that merely quotes the property is text, left alone. */
	assert_contains(sql, "COMMENT 'PROPERTIES (\"replication_num\" = \"9\")'");
	assert_contains(props_of(sql), "\"replication_num\" = \"2\",\n");
	free(sql);
	/* -1 keeps the source's numbers, per partition too. */
	sql = create(orders, "sales", "orders", &keep);
	assert_contains(sql, "(\"replication_num\" = \"1\"),\n");
	assert_contains(props_of(sql), "\"replication_num\" = \"3\",\n");
	free(sql);
}

/* Partitions that dynamic partitioning creates on the target get the configured number too. */
static void
test_create_dynamic_partition_replicas(void **state)
{
	static const char dyn[] =
		"CREATE TABLE `d` (\n"
		"  `dt` date NOT NULL COMMENT \"\"\n"
		") ENGINE=OLAP \n"
		"DUPLICATE KEY(`dt`)\n"
		"PARTITION BY RANGE(`dt`)\n"
		"(PARTITION p20240101 VALUES [(\"2024-01-01\"), (\"2024-01-02\")))\n"
		"DISTRIBUTED BY HASH(`dt`) BUCKETS 2 \n"
		"PROPERTIES (\n"
		"\"dynamic_partition.enable\" = \"true\",\n"
		"\"dynamic_partition.replication_num\" = \"3\",\n"
		"\"dynamic_partition.time_unit\" = \"DAY\",\n"
		"\"replication_num\" = \"3\"\n"
		");";
	struct ddl_rules r = keep;
	char *sql;

	(void)state;
	r.replication_num = 1;
	sql = create(dyn, "d", "d", &r);
	assert_string_equal(props_of(sql), "PROPERTIES (\n"
					   "\"dynamic_partition.enable\" = \"true\",\n"
					   "\"dynamic_partition.replication_num\" = \"1\",\n"
					   "\"dynamic_partition.time_unit\" = \"DAY\",\n"
					   "\"replication_num\" = \"1\"\n"
					   ")");
	free(sql);
	/* Not added where the source has none. */
	sql = create(orders, "sales", "orders", &r);
	assert_not_contains(sql, "dynamic_partition");
	free(sql);
}

/* Shared-data to shared-data: the storage volume by the reference's three rules, in order. */
static void
test_create_storage_volume_rules(void **state)
{
	struct ddl_rules r = keep;
	char *sql;

	(void)state;
	r.target_shared_data = r.source_shared_data = true;
	/* 3: the source table's volume is kept. */
	sql = create(events, "app", "events", &r);
	assert_contains(props_of(sql), "\"storage_volume\" = \"vol1\"");
	free(sql);
	/* 2: target_cluster_storage_volume. */
	r.storage_volume = "target_vol";
	sql = create(events, "app", "events", &r);
	assert_contains(props_of(sql), "\"storage_volume\" = \"target_vol\"");
	assert_not_contains(sql, "vol1");
	free(sql);
	/* 1: builtin only wins over both. */
	r.builtin_volume_only = true;
	sql = create(events, "app", "events", &r);
	assert_contains(props_of(sql), "\"storage_volume\" = \"builtin_storage_volume\"");
	assert_not_contains(sql, "target_vol");
	assert_int_equal(ut_count(sql, "\"storage_volume\""), 1);
	free(sql);
}

/* Primary key between shared-data clusters: LOCAL becomes CLOUD_NATIVE; lake properties stay. */
static void
test_create_persistent_index(void **state)
{
	struct ddl_rules r = keep;
	char *sql;

	(void)state;
	r.target_shared_data = r.source_shared_data = true;
	sql = create(events, "app", "events", &r);
	assert_string_equal(props_of(sql), "PROPERTIES (\n"
					   "\"compression\" = \"LZ4\",\n"
					   "\"datacache.enable\" = \"true\",\n"
					   "\"enable_async_write_back\" = \"false\",\n"
					   "\"enable_persistent_index\" = \"true\",\n"
					   "\"persistent_index_type\" = \"CLOUD_NATIVE\",\n"
					   "\"replication_num\" = \"1\",\n"
					   "\"storage_volume\" = \"vol1\"\n"
					   ")");
	assert_contains(sql, "PRIMARY KEY(`id`, `ts`)\nPARTITION BY date_trunc('day', `ts`)\n");
	free(sql);
	/* The rule sets the index on a primary-key table. */
	r.persistent_index = 0;
	sql = create(events, "app", "events", &r);
	assert_contains(props_of(sql), "\"enable_persistent_index\" = \"false\"");
	assert_not_contains(props_of(sql), "\"enable_persistent_index\" = \"true\"");
	free(sql);
	/* Shared-nothing target: the lake-only properties go, LOCAL is not touched (it goes too). */
	r = keep;
	r.source_shared_data = true;
	r.persistent_index = 1;
	sql = create(events, "app", "events", &r);
	assert_string_equal(props_of(sql), "PROPERTIES (\n"
					   "\"compression\" = \"LZ4\",\n"
					   "\"enable_persistent_index\" = \"true\",\n"
					   "\"replication_num\" = \"1\"\n"
					   ")");
	free(sql);
}

/* Older FEs print another order; the rules do not depend on it. */
static void
test_create_old_order(void **state)
{
	struct ddl_rules r = keep;
	char *sql;

	(void)state;
	r.target_shared_data = true;
	r.persistent_index = 1;	/* unique key: not a primary-key table */
	sql = create(uniq, "d", "w", &r);
	assert_string_equal(props_of(sql), "PROPERTIES (\n"
					   "\"replication_num\" = \"2\",\n"
					   "\"enable_persistent_index\" = \"false\",\n"
					   "\"compression\" = \"LZ4\"\n"
					   ")");
	assert_contains(sql, "UNIQUE KEY(`k`)\nDISTRIBUTED BY RANDOM BUCKETS 3 \n");
	free(sql);
}

/* A text without PROPERTIES gets one only when a rule sets something. */
static void
test_create_without_properties(void **state)
{
	struct ddl_rules r = keep;
	char *sql;

	(void)state;
	sql = create(bare, "d", "bare", &keep);
	assert_string_equal(sql, "CREATE TABLE `d`.`bare` (\n  `k` int(11) NOT NULL COMMENT \"\"\n) ENGINE=OLAP \n"
			    "DUPLICATE KEY(`k`)\nDISTRIBUTED BY HASH(`k`) BUCKETS 1");
	free(sql);
	r.replication_num = 2;
	sql = create(bare, "d", "bare", &r);
	assert_string_equal(sql, "CREATE TABLE `d`.`bare` (\n  `k` int(11) NOT NULL COMMENT \"\"\n) ENGINE=OLAP \n"
			    "DUPLICATE KEY(`k`)\nDISTRIBUTED BY HASH(`k`) BUCKETS 1\n"
			    "PROPERTIES (\n\"replication_num\" = \"2\"\n)");
	free(sql);
}

static void
test_create_errors(void **state)
{
	static const char *const bad[] = {
		"", "SELECT 1", "CREATE VIEW `v` AS SELECT 1 AS `x`",
		"CREATE VIEW `v` AS SELECT * FROM TABLE(generate_series(1, 3))",
		"CREATE TABLE", "CREATE TABLE (k int)",
		"CREATE TABLE `t` (k int) PROPERTIES (\"a\" = b)",
		"CREATE TABLE `t` (k int) PROPERTIES (a = \"b\")",
		"CREATE TABLE `t` (k int) PROPERTIES (\"a\" \"b\")",
		"/* CREATE TABLE */ SELECT 1",
	};
	char err[SRM_ERR_LEN];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char *sql;

		err[0] = '\0';
		sql = ddl_create_table(bad[i], "d", "t", &keep, err, sizeof(err));
		if (sql)
			print_error("'%s' gave '%s'\n", bad[i], sql);
		assert_null(sql);
		assert_true(strlen(err) > 5);
	}
}

/* --- PROPERTIES helpers ------------------------------------------------------------ */

static void
test_props(void **state)
{
	struct ddl_props p;
	char err[SRM_ERR_LEN];

	(void)state;
	assert_int_equal(ddl_props_parse(orders, &p, err, sizeof(err)), 0);
	assert_int_equal(p.n, 5);
	assert_string_equal(p.v[0].key, "compression");
	assert_string_equal(ddl_props_get(&p, "replication_num"), "3");
	assert_string_equal(ddl_props_get(&p, "storage_medium"), "SSD");
	assert_null(ddl_props_get(&p, "x"));	/* the one in the column comment is not the table's */
	ddl_props_set(&p, "replication_num", "2");
	assert_string_equal(ddl_props_get(&p, "replication_num"), "2");
	assert_int_equal(p.n, 5);
	ddl_props_set(&p, "storage_volume", "v");
	assert_int_equal(p.n, 6);
	assert_string_equal(p.v[5].key, "storage_volume");
	ddl_props_del(&p, "compression");
	ddl_props_del(&p, "no_such");
	assert_int_equal(p.n, 5);
	assert_null(ddl_props_get(&p, "compression"));
	assert_string_equal(p.v[0].key, "fast_schema_evolution");
	ddl_props_free(&p);
	assert_int_equal(p.n, 0);

	/* Escapes are kept as written, so the value prints back unchanged. */
	assert_int_equal(ddl_props_parse("CREATE TABLE t (k int) PROPERTIES ( \"a\"=\"x\\\"y\" , \"b\" = \"\" )",
					 &p, err, sizeof(err)), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(ddl_props_get(&p, "a"), "x\\\"y");
	assert_string_equal(ddl_props_get(&p, "b"), "");
	ddl_props_free(&p);

	/* None: empty, not an error. */
	assert_int_equal(ddl_props_parse(bare, &p, err, sizeof(err)), 0);
	assert_int_equal(p.n, 0);
	ddl_props_free(&p);
	assert_int_equal(ddl_props_parse("CREATE TABLE t (k int) PROPERTIES (\"a\" = \"1\", \"b\" = 2)", &p,
					 err, sizeof(err)), -1);
	assert_int_equal(p.n, 0);
	assert_contains(err, "\"b\"");
}

static void
test_prop_kinds(void **state)
{
	static const char *const sn[] = {
		"storage_medium", "storage_cooldown_ttl", "replicated_storage", "write_quorum", "in_memory",
		"storage_type", "fast_schema_evolution", "binlog_enable", "binlog_ttl_second",
		"flat_json.enable",
	};
	static const char *const sd[] = {
		"datacache.enable", "datacache.partition_duration", "enable_async_write_back",
		"storage_volume", "persistent_index_type",
	};
	static const char *const both[] = {
		"replication_num", "compression", "bloom_filter_columns", "colocate_with",
		"enable_persistent_index", "dynamic_partition.enable", "partition_live_number", "binlog",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(sn); i++) {
		assert_true(ddl_prop_shared_nothing_only(sn[i]));
		assert_false(ddl_prop_shared_data_only(sn[i]));
	}
	for (size_t i = 0; i < ARRAY_LEN(sd); i++) {
		assert_true(ddl_prop_shared_data_only(sd[i]));
		assert_false(ddl_prop_shared_nothing_only(sd[i]));
	}
	for (size_t i = 0; i < ARRAY_LEN(both); i++) {
		assert_false(ddl_prop_shared_data_only(both[i]));
		assert_false(ddl_prop_shared_nothing_only(both[i]));
	}
}

/* --- ADD PARTITION ------------------------------------------------------------------ */

static char *
add_r(const char *show, const char *part, const char *value, const char *dist, int buckets,
      const struct ddl_rules *r)
{
	char err[SRM_ERR_LEN] = "";
	struct ddl_partition p = { .db = "sales", .table = "t", .name = part, .value = value,
				   .dist_key = dist, .buckets = buckets };
	char *sql = ddl_add_partition(show, &p, r, err, sizeof(err));

	if (sql == NULL)
		print_error("%s\n", err);
	assert_non_null(sql);
	return sql;
}

static char *
add(const char *show, const char *part, const char *dist, int buckets)
{
	return add_r(show, part, NULL, dist, buckets, &keep);
}

static void
expect_add(const char *show, const char *part, const char *dist, int buckets, const char *want)
{
	char *sql = add(show, part, dist, buckets);

	assert_string_equal(sql, want);
	free(sql);
}

/* The error of an ADD PARTITION that cannot be built, or "" when it was. */
static const char *
add_error(const char *show, const char *part, const char *value)
{
	static char err[SRM_ERR_LEN];
	struct ddl_partition p = { .db = "d", .table = "t", .name = part, .value = value, .dist_key = "k",
				   .buckets = 2 };
	char *sql;

	err[0] = '\0';
	sql = ddl_add_partition(show, &p, &keep, err, sizeof(err));
	assert_true(sql == NULL || err[0] == '\0');
	if (sql)
		assert_true(err[0] == '\0');
	else
		assert_true(err[0] != '\0');
	free(sql);
	return err;
}

static void
test_add_range(void **state)
{
	(void)state;
	expect_add(orders, "p20240101", "id", 8,
		   "ALTER TABLE `sales`.`t` ADD PARTITION p20240101 VALUES [(\"2024-01-01\"), (\"2024-01-02\")) "
		   "DISTRIBUTED BY HASH(`id`) BUCKETS 8");
	expect_add(orders, "p20240102", "`id`", 16,
		   "ALTER TABLE `sales`.`t` ADD PARTITION p20240102 VALUES [(\"2024-01-02\"), (\"2024-01-03\")) "
		   "(\"replication_num\" = \"1\") DISTRIBUTED BY HASH(`id`) BUCKETS 16");
	/* The last one, closed by the list's own ')'. */
	expect_add(orders, "p20240103", "id", 0,
		   "ALTER TABLE `sales`.`t` ADD PARTITION p20240103 VALUES [(\"2024-01-03\"), (\"2024-01-04\")) "
		   "DISTRIBUTED BY HASH(`id`)");
	/* Multi-column range, a quoted name, hash over two columns. */
	expect_add(multi_range, "p 1", "dt, region", 6,
		   "ALTER TABLE `sales`.`t` ADD PARTITION `p 1` VALUES [(\"2024-01-01\", \"eu\"), (\"2024-01-01\", \"us\")) "
		   "DISTRIBUTED BY HASH(`dt`, `region`) BUCKETS 6");
	expect_add(multi_range, "p2", "`dt`,`region`", 6,
		   "ALTER TABLE `sales`.`t` ADD PARTITION p2 VALUES [(\"2024-01-01\", \"us\"), (\"2024-01-02\", \"eu\")) "
		   "DISTRIBUTED BY HASH(`dt`, `region`) BUCKETS 6");
}

/* A partition's own replica number follows the configured one, as in CREATE TABLE. */
static void
test_add_replication_num(void **state)
{
	struct ddl_rules r = keep;
	char *sql;

	(void)state;
	r.replication_num = 3;
	sql = add_r(orders, "p20240102", NULL, "id", 16, &r);
	assert_string_equal(sql, "ALTER TABLE `sales`.`t` ADD PARTITION p20240102 VALUES [(\"2024-01-02\"), "
				 "(\"2024-01-03\")) (\"replication_num\" = \"3\") DISTRIBUTED BY HASH(`id`) BUCKETS 16");
	free(sql);
	/* None of its own: the table's default (already the configured one) applies. */
	sql = add_r(orders, "p20240101", NULL, "id", 8, &r);
	assert_false(strstr(sql, "replication_num"));
	free(sql);
}

static void
test_add_list(void **state)
{
	(void)state;
	expect_add(agg, "p1", "k", 2,
		   "ALTER TABLE `sales`.`t` ADD PARTITION p1 VALUES IN (\"1\", \"2\") DISTRIBUTED BY HASH(`k`) BUCKETS 2");
	/* p1 is not p10, and p10 is not p1. */
	expect_add(agg, "p10", "k", 2,
		   "ALTER TABLE `sales`.`t` ADD PARTITION p10 VALUES IN (\"10\") DISTRIBUTED BY HASH(`k`) BUCKETS 2");
	expect_add(agg, "p2", "k", 2,
		   "ALTER TABLE `sales`.`t` ADD PARTITION p2 VALUES IN (\"3\") DISTRIBUTED BY HASH(`k`) BUCKETS 2");
	/* Multi-column list, a comma inside a value; random distribution. */
	expect_add(multi_list, "p_eu", "ALL KEY", 0,
		   "ALTER TABLE `sales`.`t` ADD PARTITION p_eu VALUES IN ((\"eu\", \"paris\"), (\"eu\", \"rome, italy\")) "
		   "DISTRIBUTED BY RANDOM");
	expect_add(multi_list, "p_us", "ALL KEY", 4,
		   "ALTER TABLE `sales`.`t` ADD PARTITION p_us VALUES IN ((\"us\", \"nyc\")) DISTRIBUTED BY RANDOM BUCKETS 4");
	/* No distribution known: none given (the table's applies). */
	expect_add(multi_list, "p_us", "", 4,
		   "ALTER TABLE `sales`.`t` ADD PARTITION p_us VALUES IN ((\"us\", \"nyc\"))");
	expect_add(multi_list, "p_us", NULL, 4,
		   "ALTER TABLE `sales`.`t` ADD PARTITION p_us VALUES IN ((\"us\", \"nyc\"))");
}

/* Expression and automatic partitioning print no list: the bounds come from the partition's cell. */
static void
test_add_expression(void **state)
{
	char *sql;

	(void)state;
	sql = add_r(events, "p20240101",
		    "[types: [DATETIME]; keys: [2024-01-01 00:00:00]; ..types: [DATETIME]; keys: [2024-01-02 00:00:00]; )",
		    "id", 4, &keep);
	/* A single range partition is refused there: a batch of one step makes it, under the same name. */
	assert_string_equal(sql, "ALTER TABLE `sales`.`t` ADD PARTITIONS START (\"2024-01-01 00:00:00\") "
				 "END (\"2024-01-02 00:00:00\") EVERY (INTERVAL 1 DAY) DISTRIBUTED BY HASH(`id`) BUCKETS 4");
	free(sql);
	{
		static const char slices[] =
			"CREATE TABLE `s` (\n  `ts` datetime NOT NULL COMMENT \"\"\n) ENGINE=OLAP \n"
			"DUPLICATE KEY(`ts`)\nPARTITION BY time_slice(`ts`, INTERVAL 3 hour, floor)\n"
			"DISTRIBUTED BY RANDOM\nPROPERTIES (\n\"replication_num\" = \"1\"\n);";
		static const char other[] =
			"CREATE TABLE `o` (\n  `ts` datetime NOT NULL COMMENT \"\"\n) ENGINE=OLAP \n"
			"DUPLICATE KEY(`ts`)\nPARTITION BY from_unixtime(`ts`)\n"
			"DISTRIBUTED BY RANDOM\nPROPERTIES (\n\"replication_num\" = \"1\"\n);";
		const char *cell = "[types: [DATETIME]; keys: [2024-01-01 03:00:00]; ..types: [DATETIME]; "
				   "keys: [2024-01-01 06:00:00]; )";

		sql = add_r(slices, "p2024010103", cell, "ALL KEY", 0, &keep);
		assert_string_equal(sql, "ALTER TABLE `sales`.`t` ADD PARTITIONS START (\"2024-01-01 03:00:00\") "
					 "END (\"2024-01-01 06:00:00\") EVERY (INTERVAL 3 HOUR) DISTRIBUTED BY RANDOM");
		free(sql);
		assert_string_equal(add_error(other, "p1", cell),
				    "an expression partitioning other than date_trunc or time_slice");
	}
	sql = add_r(auto_list, "pbeijing_1", "(('beijing', '1'))", "c1", 0, &keep);
	assert_string_equal(sql, "ALTER TABLE `sales`.`t` ADD PARTITION `pbeijing_1` VALUES IN (('beijing', '1')) "
				 "DISTRIBUTED BY HASH(`c1`)");
	free(sql);
}

static void
expect_values(const char *cell, const char *want)
{
	char err[SRM_ERR_LEN] = "";
	char *v = ddl_partition_values(cell, err, sizeof(err));

	if (want == NULL) {
		if (v)
			print_error("accepted: %s -> %s\n", cell, v);
		assert_null(v);
		assert_contains(err, "partition bounds not understood");
		return;
	}
	if (v == NULL)
		print_error("%s: %s\n", cell, err);
	assert_non_null(v);
	assert_string_equal(v, want);
	free(v);
}

static void
test_partition_values(void **state)
{
	(void)state;
	expect_values("[types: [DATE]; keys: [2024-01-01]; ..types: [DATE]; keys: [2024-01-02]; )",
		      "VALUES [(\"2024-01-01\"), (\"2024-01-02\"))");
	expect_values("[types: [INT, DATE]; keys: [-5, 2024-01-01]; ..types: [INT, DATE]; keys: [MAXVALUE, MAXVALUE]; )",
		      "VALUES [(\"-5\", \"2024-01-01\"), (MAXVALUE, MAXVALUE))");
	expect_values("('a', 'b')", "VALUES IN ('a', 'b')");
	/* Values are printed unescaped: a quote inside one is escaped here. */
	expect_values("('it's', 'x')", "VALUES IN ('it\\'s', 'x')");
	expect_values("(('eu', 'rome, italy'), ('us', 'nyc'))", "VALUES IN (('eu', 'rome, italy'), ('us', 'nyc'))");
	/* Anything else is refused, never guessed at. */
	expect_values(NULL, NULL);
	expect_values("", NULL);
	expect_values("[types: [DATE]; keys: [2024-01-01\"); DROP]; ..types: [DATE]; keys: [x]; )", NULL);
	expect_values("[types: [DATE]; keys: [2024-01-01]; ..types: [DATE]; keys: [2024-01-02]; ", NULL);
	expect_values("[types: [DATE]; keys: []; ..types: [DATE]; keys: [2024-01-02]; )", NULL);
	expect_values("('a', 'b') extra", NULL);
	expect_values("('a'", NULL);
	expect_values("(a, b)", NULL);
	expect_values("(('a', 'b')", NULL);
}

/* Column names from partitions_meta are quoted, a backtick doubled. */
static void
test_add_quoting(void **state)
{
	struct ddl_partition p = { .db = "my`db", .table = "t`1", .name = "p1", .dist_key = "k", .buckets = 1 };
	char *sql;

	(void)state;
	sql = add(agg, "p1", "a b, c`d", 1);
	assert_contains(sql, "DISTRIBUTED BY HASH(`a b`, `c``d`) BUCKETS 1");
	free(sql);
	sql = ddl_add_partition(agg, &p, &keep, NULL, 0);
	assert_non_null(sql);
	assert_prefix(sql, "ALTER TABLE `my``db`.`t``1` ADD PARTITION p1 ");
	free(sql);
	/* A partition name from a cell is quoted too. */
	p.name = "p`x";
	sql = ddl_add_partition(events, &p, &keep, NULL, 0);
	assert_null(sql);
	p.value = "('a')";
	sql = ddl_add_partition(events, &p, &keep, NULL, 0);
	assert_non_null(sql);
	assert_contains(sql, "ADD PARTITION `p``x` VALUES IN ('a')");
	free(sql);
}

static void
test_add_errors(void **state)
{
	(void)state;
	assert_string_equal(add_error(orders, "p2099", NULL), "partition p2099 is not in the table's PARTITION BY list");
	assert_contains(add_error(agg, "p", NULL), "not in the table's PARTITION BY list");
	assert_contains(add_error(orders, "P20240101", NULL), "not in the table's PARTITION BY list");
	assert_string_equal(add_error(uniq, "p1", "('a')"), "the table has no PARTITION BY clause");
	/* Expression and automatic partitioning with no cell, or one not understood. */
	assert_contains(add_error(events, "p20240101", NULL), "partition bounds not understood");
	assert_contains(add_error(auto_list, "p1", "garbage"), "partition bounds not understood");
	/* A comment that says PARTITION is not a partition. */
	assert_contains(add_error(orders, "lives", NULL), "not in the table's PARTITION BY list");
}

/* The FE prints a table name's backquote as it is (not doubled): the known name is found anyway. */
static void
test_name_with_backquote(void **state)
{
	static const char show[] =
		"CREATE TABLE `back`tick; x` (\n"
		"  `k` int(11) NOT NULL COMMENT \"\"\n"
		") ENGINE=OLAP \n"
		"DUPLICATE KEY(`k`)\n"
		"DISTRIBUTED BY HASH(`k`) BUCKETS 1 \n"
		"PROPERTIES (\n"
		"\"replication_num\" = \"1\"\n"
		");";
	char err[SRM_ERR_LEN];
	struct ddl_schema sc;
	char *sql;

	(void)state;
	sql = ddl_create_table(show, "d", "back`tick; x", &keep, err, sizeof(err));
	assert_non_null(sql);
	assert_prefix(sql, "CREATE TABLE `d`.`back``tick; x` (\n  `k` int(11) NOT NULL");
	free(sql);
	assert_int_equal(ddl_schema_parse(show, "back`tick; x", &sc, err, sizeof(err)), 0);
	assert_int_equal(sc.n_cols, 1);
	assert_string_equal(sc.cols[0].name, "k");
	ddl_schema_free(&sc);
}

/* --- views and materialized views -------------------------------------------------- */

static void
test_create_view_and_mv(void **state)
{
	static const char view[] =
		"CREATE VIEW `v1` (`dt` COMMENT \"day\", `n` COMMENT \"\") COMMENT \"daily\" AS "
		"SELECT `sales`.`orders`.`dt`, count(*) AS `n` FROM `sales`.`orders` GROUP BY `sales`.`orders`.`dt`;";
	static const char mv[] =
		"CREATE MATERIALIZED VIEW `mv1` (`dt`, `n`)\n"
		"DISTRIBUTED BY HASH(`dt`) BUCKETS 2 \n"
		"REFRESH ASYNC START(\"2024-01-01 00:00:00\") EVERY(INTERVAL 1 DAY)\n"
		"PROPERTIES (\n"
		"\"replicated_storage\" = \"true\",\n"
		"\"replication_num\" = \"3\",\n"
		"\"storage_medium\" = \"HDD\"\n"
		")\n"
		"AS SELECT `orders`.`dt`, count(*) AS `n` FROM `sales`.`orders` GROUP BY `orders`.`dt`;";
	struct ddl_rules r = keep;
	char err[SRM_ERR_LEN];
	char *sql;

	(void)state;
	sql = ddl_create_view(view, "sa`les", "v1", err, sizeof(err));
	assert_non_null(sql);
	assert_string_equal(sql, "CREATE VIEW `sa``les`.`v1` (`dt` COMMENT \"day\", `n` COMMENT \"\") COMMENT \"daily\" AS "
				 "SELECT `sales`.`orders`.`dt`, count(*) AS `n` FROM `sales`.`orders` GROUP BY "
				 "`sales`.`orders`.`dt`");
	free(sql);

	r.target_shared_data = true;
	r.replication_num = 1;
	sql = ddl_create_mv(mv, "sales", "mv1", &r, err, sizeof(err));
	assert_non_null(sql);
	assert_prefix(sql, "CREATE MATERIALIZED VIEW `sales`.`mv1` (`dt`, `n`)\nDISTRIBUTED BY HASH(`dt`)");
	assert_contains(sql, "PROPERTIES (\n\"replication_num\" = \"1\"\n)\nAS SELECT `orders`.`dt`, count(*) AS `n`");
	assert_not_contains(sql, "storage_medium");
	free(sql);

	/* The wrong kind of statement is refused. */
	assert_null(ddl_create_view(mv, "d", "v", err, sizeof(err)));
	assert_string_equal(err, "not a CREATE VIEW statement");
	assert_null(ddl_create_mv(view, "d", "v", &r, err, sizeof(err)));
	assert_null(ddl_create_table(view, "d", "v", &r, err, sizeof(err)));

	/* The defining query: after the top-level AS, not an AS inside the query's parentheses. */
	assert_string_equal(ddl_defining_query(mv), "SELECT `orders`.`dt`, count(*) AS `n` FROM `sales`.`orders` "
						     "GROUP BY `orders`.`dt`;");
	assert_prefix(ddl_defining_query(view), "SELECT `sales`.`orders`.`dt`");
	assert_null(ddl_defining_query("CREATE VIEW `v` (`as` COMMENT \"AS\")"));

	sql = ddl_drop_view("d", "v`1");
	assert_string_equal(sql, "DROP VIEW IF EXISTS `d`.`v``1`");
	free(sql);
	sql = ddl_drop_mv("d", "m");
	assert_string_equal(sql, "DROP MATERIALIZED VIEW IF EXISTS `d`.`m`");
	free(sql);
}

/* --- schema ------------------------------------------------------------------------ */

static void
parse_ok(const char *show, struct ddl_schema *s)
{
	char err[SRM_ERR_LEN] = "";

	if (ddl_schema_parse(show, NULL, s, err, sizeof(err)) != 0)
		print_error("%s\n", err);
	assert_true(err[0] == '\0');
}

static void
test_schema_parse(void **state)
{
	struct ddl_schema s;
	char err[SRM_ERR_LEN];

	(void)state;
	parse_ok(orders, &s);
	assert_int_equal(s.n_cols, 3);
	assert_string_equal(s.cols[0].name, "dt");
	assert_string_equal(s.cols[0].type, "date");
	assert_false(s.cols[0].nullable);
	assert_string_equal(s.cols[1].type, "bigint");	/* display width dropped */
	assert_string_equal(s.cols[2].type, "varchar(65533)");
	assert_true(s.cols[2].nullable);
	assert_null(s.cols[2].agg);
	assert_int_equal(s.n_idx, 1);
	assert_string_equal(s.idx[0].name, "idx_note");
	assert_string_equal(s.idx[0].columns, "(`note`)");
	assert_string_equal(s.idx[0].using, "BITMAP");
	assert_string_equal(s.idx[0].comment, "'PROPERTIES (\"replication_num\" = \"9\")'");
	ddl_schema_free(&s);

	parse_ok(agg, &s);
	assert_int_equal(s.n_cols, 3);
	assert_string_equal(s.cols[1].agg, "SUM");
	assert_string_equal(s.cols[2].type, "decimal(38,9)");
	assert_string_equal(s.cols[2].agg, "SUM");
	assert_int_equal(s.n_idx, 0);
	ddl_schema_free(&s);

	parse_ok(uniq, &s);
	assert_string_equal(s.cols[1].agg, "REPLACE");
	ddl_schema_free(&s);

	/* Complex types keep their inner blanks out and their structure in. */
	parse_ok("CREATE TABLE `c` (\n  `a` ARRAY<INT(11)> NULL,\n  `s` STRUCT<x int(11), y varchar(3)> NOT NULL "
		 "COMMENT \"NOT NULL, really\",\n  `d` DECIMAL64(10, 2) NULL DEFAULT \"0\"\n) ENGINE=OLAP", &s);
	assert_int_equal(s.n_cols, 3);
	assert_string_equal(s.cols[0].type, "array<int>");
	assert_string_equal(s.cols[1].type, "struct<xint,yvarchar(3)>");
	assert_false(s.cols[1].nullable);
	assert_string_equal(s.cols[2].type, "decimal(10,2)");
	assert_true(s.cols[2].nullable);
	ddl_schema_free(&s);

	/* A generated column's comparison is not a type's '<'. */
	parse_ok("CREATE TABLE `g` (\n  `a` int(11) NULL,\n  `g` boolean NULL AS `a` < 5 COMMENT \"\",\n"
		 "  `m` MAP<varchar(3), int(11)> NULL\n) ENGINE=OLAP", &s);
	assert_int_equal(s.n_cols, 3);
	assert_string_equal(s.cols[1].type, "boolean");
	assert_string_equal(s.cols[2].type, "map<varchar(3),int>");
	ddl_schema_free(&s);

	assert_int_equal(ddl_schema_parse("CREATE VIEW `v` AS SELECT 1", NULL, &s, err, sizeof(err)), -1);
	assert_int_equal(ddl_schema_parse("CREATE TABLE `t` ENGINE=OLAP", NULL, &s, err, sizeof(err)), -1);
	assert_int_equal(ddl_schema_parse("CREATE TABLE `t` (\n) ENGINE=OLAP", NULL, &s, err, sizeof(err)), -1);
	assert_int_equal(ddl_schema_parse("CREATE TABLE `t` (`a` int, INDEX i USING BITMAP)", NULL, &s, err,
					  sizeof(err)), -1);
	assert_contains(err, "cannot read");
}

static void
expect_columns(const char *a_cols, const char *b_cols, const char *want)
{
	char *a = xasprintf("CREATE TABLE `t` (\n%s\n) ENGINE=OLAP", a_cols);
	char *b = xasprintf("CREATE TABLE `t` (\n%s\n) ENGINE=OLAP", b_cols);
	struct ddl_schema sa, sb;
	char why[256] = "";

	parse_ok(a, &sa);
	parse_ok(b, &sb);
	if (want == NULL) {
		if (ddl_columns_differ(&sa, &sb, why, sizeof(why)))
			print_error("%s\n", why);
		assert_false(ddl_columns_differ(&sa, &sb, why, sizeof(why)));
	} else {
		assert_true(ddl_columns_differ(&sa, &sb, why, sizeof(why)));
		assert_string_equal(why, want);
	}
	ddl_schema_free(&sa);
	ddl_schema_free(&sb);
	free(a);
	free(b);
}

static void
test_schema_compare(void **state)
{
	(void)state;
	/* Spellings of one schema across versions. */
	expect_columns("`k` int(11) NOT NULL COMMENT \"\", `v` bigint(20) SUM NULL COMMENT \"x\"",
		       "`k` INT NOT NULL COMMENT \"other\", `v` BIGINT SUM NULL", NULL);
	expect_columns("`d` decimal128(38, 9) NULL", "`d` DECIMAL(38,9) NULL", NULL);
	/* What a schema change does. */
	expect_columns("`k` int(11) NOT NULL, `n` varchar(10) NULL", "`k` int(11) NOT NULL",
		       "column n was added on the source");
	expect_columns("`k` int(11) NOT NULL", "`k` int(11) NOT NULL, `n` varchar(10) NULL",
		       "column n is not on the source");
	expect_columns("`k` bigint(20) NOT NULL", "`k` int(11) NOT NULL",
		       "column k is bigint on the source, int on the target");
	expect_columns("`n` varchar(20) NULL", "`n` varchar(10) NULL",
		       "column n is varchar(20) on the source, varchar(10) on the target");
	expect_columns("`k` int(11) NULL", "`k` int(11) NOT NULL", "column k is nullable on the source");
	expect_columns("`v` int(11) MAX NULL", "`v` int(11) SUM NULL",
		       "column v aggregates with MAX on the source, SUM on the target");
	expect_columns("`a` int NULL, `b` int NULL", "`b` int NULL, `a` int NULL",
		       "columns are in another order (a is column 1 on the source)");
	/* Names are case-sensitive and quoted names are names. */
	expect_columns("`A b` int NULL", "`a b` int NULL", "column A b was added on the source");
}

static void
test_indexes(void **state)
{
	struct ddl_schema a, b;
	char *sql;

	(void)state;
	parse_ok("CREATE TABLE `t` (`k` int, `n` varchar(9),\n  INDEX i1 (`n`) USING BITMAP COMMENT 'c1',\n"
		 "  INDEX `i 2` (`k`, `n`) USING BITMAP\n) ENGINE=OLAP", &a);
	parse_ok("CREATE TABLE `t` (`k` int, `n` varchar(9),\n  INDEX i1 (`n`) USING BITMAP COMMENT 'other',\n"
		 "  INDEX `i 2` (`k`) USING BITMAP\n) ENGINE=OLAP", &b);
	assert_int_equal(a.n_idx, 2);
	/* A comment is not the index; its columns are. */
	assert_true(ddl_index_equal(ddl_schema_index(&a, "i1"), ddl_schema_index(&b, "i1")));
	assert_false(ddl_index_equal(ddl_schema_index(&a, "i 2"), ddl_schema_index(&b, "i 2")));
	assert_null(ddl_schema_index(&a, "i3"));

	sql = ddl_create_index("d", "t", ddl_schema_index(&a, "i1"));
	assert_string_equal(sql, "CREATE INDEX `i1` ON `d`.`t` (`n`) USING BITMAP COMMENT 'c1'");
	free(sql);
	sql = ddl_create_index("d", "t", ddl_schema_index(&a, "i 2"));
	assert_string_equal(sql, "CREATE INDEX `i 2` ON `d`.`t` (`k`, `n`) USING BITMAP");
	free(sql);
	sql = ddl_drop_index("d", "t`x", "i 2");
	assert_string_equal(sql, "DROP INDEX `i 2` ON `d`.`t``x`");
	free(sql);
	ddl_schema_free(&a);
	ddl_schema_free(&b);
}

static void
test_property_changes(void **state)
{
	static const char src[] =
		"CREATE TABLE `t` (`k` int) ENGINE=OLAP DUPLICATE KEY(`k`) DISTRIBUTED BY HASH(`k`)\n"
		"PROPERTIES (\n"
		"\"bloom_filter_columns\" = \"k\",\n"
		"\"compression\" = \"ZSTD(3)\",\n"
		"\"dynamic_partition.end\" = \"3\",\n"
		"\"partition_live_number\" = \"7\",\n"
		"\"replication_num\" = \"3\",\n"
		"\"storage_cooldown_ttl\" = \"1 day\"\n"
		");";
	static const char tgt[] =
		"CREATE TABLE `t` (`k` int) ENGINE=OLAP DUPLICATE KEY(`k`) DISTRIBUTED BY HASH(`k`)\n"
		"PROPERTIES (\n"
		"\"compression\" = \"LZ4\",\n"
		"\"dynamic_partition.end\" = \"3\",\n"
		"\"partition_live_number\" = \"5\",\n"
		"\"replication_num\" = \"1\"\n"
		");";
	struct ddl_rules r = keep;
	struct ddl_props ch;
	char err[SRM_ERR_LEN], *sql;

	(void)state;
	r.target_shared_data = true;
	r.replication_num = 1;
	assert_int_equal(ddl_property_changes(src, tgt, &r, &ch, err, sizeof(err)), 0);
	/* Settable and different only: not compression (fixed at creation), not the replica number
	 * (the rules'), not storage_cooldown_ttl (shared-nothing only, the target is shared-data). */
	assert_int_equal(ch.n, 2);
	assert_string_equal(ch.v[0].key, "bloom_filter_columns");
	assert_string_equal(ch.v[0].value, "k");
	assert_string_equal(ch.v[1].key, "partition_live_number");
	assert_string_equal(ch.v[1].value, "7");
	sql = ddl_set_property("d", "t`", ch.v[1].key, ch.v[1].value);
	assert_string_equal(sql, "ALTER TABLE `d`.`t``` SET (\"partition_live_number\" = \"7\")");
	free(sql);
	ddl_props_free(&ch);
	/* Equal: nothing. */
	assert_int_equal(ddl_property_changes(tgt, tgt, &keep, &ch, err, sizeof(err)), 0);
	assert_int_equal(ch.n, 0);
	assert_int_equal(ddl_property_changes("CREATE TABLE `t` (`k` int) PROPERTIES (\"a\" = )", tgt, &keep, &ch,
					      err, sizeof(err)), -1);
	assert_true(ddl_prop_settable("dynamic_partition.enable"));
	assert_false(ddl_prop_settable("replication_num"));
	assert_false(ddl_prop_settable("storage_volume"));
}

/* --- other statements --------------------------------------------------------------- */

static void
test_statements(void **state)
{
	char *s;

	(void)state;
	s = ddl_create_database("sales");
	assert_string_equal(s, "CREATE DATABASE IF NOT EXISTS `sales`");
	free(s);
	s = ddl_create_database("a`b");
	assert_string_equal(s, "CREATE DATABASE IF NOT EXISTS `a``b`");
	free(s);
	s = ddl_drop_database("old db");
	assert_string_equal(s, "DROP DATABASE IF EXISTS `old db`");
	free(s);
	s = ddl_drop_table("d", "t`x");
	assert_string_equal(s, "DROP TABLE IF EXISTS `d`.`t``x`");
	free(s);
	s = ddl_drop_partition("d", "t", "p20240101");
	assert_string_equal(s, "ALTER TABLE `d`.`t` DROP PARTITION IF EXISTS `p20240101`");
	free(s);
	/* Never FORCE: a dropped object stays recoverable. */
	s = ddl_drop_table("d", "t");
	assert_not_contains(s, "FORCE");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_unchanged),
		cmocka_unit_test(test_create_names),
		cmocka_unit_test(test_create_to_shared_data),
		cmocka_unit_test(test_create_partition_replicas),
		cmocka_unit_test(test_create_dynamic_partition_replicas),
		cmocka_unit_test(test_create_storage_volume_rules),
		cmocka_unit_test(test_create_persistent_index),
		cmocka_unit_test(test_create_old_order),
		cmocka_unit_test(test_create_without_properties),
		cmocka_unit_test(test_create_errors),
		cmocka_unit_test(test_props),
		cmocka_unit_test(test_prop_kinds),
		cmocka_unit_test(test_add_range),
		cmocka_unit_test(test_add_replication_num),
		cmocka_unit_test(test_add_list),
		cmocka_unit_test(test_add_expression),
		cmocka_unit_test(test_partition_values),
		cmocka_unit_test(test_add_quoting),
		cmocka_unit_test(test_add_errors),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_name_with_backquote),
		cmocka_unit_test(test_create_view_and_mv),
		cmocka_unit_test(test_schema_parse),
		cmocka_unit_test(test_schema_compare),
		cmocka_unit_test(test_indexes),
		cmocka_unit_test(test_property_changes),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
