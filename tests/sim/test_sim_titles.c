/*
 * Column titles per emulated version and run mode, written out from the facts
 * (starrocks-protocol.md section 4), for 3.2.3, 3.3.5, 3.4.4 (both modes),
 * 3.5.2 and 4.1.0 profiles.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <cmocka.h>

#include "simtest.h"

#define T(...) #__VA_ARGS__

static const char *const scenarios[] = {
	"[source]\nversion = 3.2.3\nbe = 3\n[target]\nversion = 3.3.5\nbe = 3\n"
	"[table d.t]\npartition_by = range(dt)\npartitions = 2\nrows = 10\non_target = true\n",
	"[source]\nversion = 3.4.4\nbe = 3\n[target]\nversion = 3.5.2\nrun_mode = shared_data\ncn = 2\n"
	"[table d.t]\npartition_by = range(dt)\npartitions = 2\nrows = 10\non_target = true\n",
	"[source]\nversion = 4.1.0\nrun_mode = shared_data\ncn = 2\n[target]\nversion = 3.4.4\nrun_mode = shared_data\n"
	"cn = 1\nbe = 1\n"
	"[table d.t]\npartition_by = list\npartitions = 2\nrows = 10\non_target = true\n",
};

static struct sim sims[3];

static int
setup(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++)
		if (sim_start(&sims[i], scenarios[i], 10) != 0)
			return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++)
		sim_stop(&sims[i]);
	return 0;
}

/* The titles of a result, ", "-joined, as the facts list them. */
static void
expect_titles(int si, int side, const char *sql, const char *want)
{
	char err[512];
	struct sim_result *r = sim_query(&sims[si], side, sql, err, sizeof err);

	if (!r)
		fail_msg("%s: %s", sql, err);
	GString *got = g_string_new(NULL);
	for (unsigned i = 0; i < sim_cols(r); i++)
		g_string_append_printf(got, "%s%s", i ? ", " : "", sim_title(r, i));
	if (strcmp(got->str, want) != 0)
		fail_msg("sim %d side %d %s:\n got  %s\n want %s", si, side, sql, got->str, want);
	g_string_free(got, TRUE);
	sim_result_free(r);
}

static void
expect_error(int si, int side, const char *sql, const char *needle)
{
	char err[512];
	struct sim_result *r = sim_query(&sims[si], side, sql, err, sizeof err);

	assert_null(r);
	if (!strstr(err, needle))
		fail_msg("%s: \"%s\" lacks \"%s\"", sql, err, needle);
}

static const char fe_old[] = T(Name, IP, EditLogPort, HttpPort, QueryPort, RpcPort, Role, ClusterId, Join, Alive,
			       ReplayedJournalId, LastHeartbeat, IsHelper, ErrMsg, StartTime, Version);

static void
test_frontends(void **state)
{
	(void)state;
	expect_titles(0, SIM_SOURCE, "SHOW FRONTENDS", fe_old);
	expect_titles(0, SIM_TARGET, "SHOW FRONTENDS", fe_old);
	expect_titles(1, SIM_SOURCE, "SHOW FRONTENDS", fe_old);
	/* 3.5.0-rc01+: Id first */
	expect_titles(1, SIM_TARGET, "SHOW FRONTENDS",
		      T(Id, Name, IP, EditLogPort, HttpPort, QueryPort, RpcPort, Role, ClusterId, Join, Alive,
			ReplayedJournalId, LastHeartbeat, IsHelper, ErrMsg, StartTime, Version));
	expect_titles(2, SIM_SOURCE, "SHOW PROC '/frontends'",
		      T(Id, Name, IP, EditLogPort, HttpPort, QueryPort, RpcPort, Role, ClusterId, Join, Alive,
			ReplayedJournalId, LastHeartbeat, IsHelper, ErrMsg, StartTime, Version));
}

#define BE_BASE T(BackendId, IP, HeartbeatPort, BePort, HttpPort, BrpcPort, LastStartTime, LastHeartbeat, Alive, \
		  SystemDecommissioned, ClusterDecommissioned, TabletNum, DataUsedCapacity, AvailCapacity, \
		  TotalCapacity, UsedPct, MaxDiskUsedPct, ErrMsg, Version, Status, DataTotalCapacity, DataUsedPct, \
		  CpuCores)

static void
test_backends(void **state)
{
	(void)state;
	expect_titles(0, SIM_SOURCE, "SHOW BACKENDS", BE_BASE ", NumRunningQueries, MemUsedPct, CpuUsedPct");
	expect_titles(0, SIM_TARGET, "SHOW BACKENDS",
		      BE_BASE ", NumRunningQueries, MemUsedPct, CpuUsedPct, DataCacheMetrics, Location");
	expect_titles(1, SIM_SOURCE, "SHOW BACKENDS",
		      BE_BASE ", MemLimit, NumRunningQueries, MemUsedPct, CpuUsedPct, DataCacheMetrics, Location, "
			      "StatusCode");
	expect_titles(2, SIM_TARGET, "SHOW BACKENDS",
		      BE_BASE ", MemLimit, NumRunningQueries, MemUsedPct, CpuUsedPct, DataCacheMetrics, Location, "
			      "StatusCode, StarletPort, WorkerId, WarehouseName");
}

#define CN_BASE T(ComputeNodeId, IP, HeartbeatPort, BePort, HttpPort, BrpcPort, LastStartTime, LastHeartbeat, \
		  Alive, SystemDecommissioned, ClusterDecommissioned, ErrMsg, Version, CpuCores)

static void
test_compute_nodes(void **state)
{
	(void)state;
	expect_titles(0, SIM_SOURCE, "SHOW COMPUTE NODES",
		      CN_BASE ", NumRunningQueries, MemUsedPct, CpuUsedPct, HasStoragePath");
	expect_titles(0, SIM_TARGET, "SHOW COMPUTE NODES",
		      CN_BASE ", NumRunningQueries, MemUsedPct, CpuUsedPct, DataCacheMetrics, HasStoragePath");
	expect_titles(1, SIM_TARGET, "SHOW COMPUTE NODES",
		      CN_BASE ", MemLimit, NumRunningQueries, MemUsedPct, CpuUsedPct, DataCacheMetrics, HasStoragePath, "
			      "StatusCode, StarletPort, WorkerId, WarehouseName, TabletNum");
}

#define PART_SN T(PartitionId, PartitionName, VisibleVersion, VisibleVersionTime, VisibleVersionHash, State, \
		  PartitionKey, Range, DistributionKey, Buckets, ReplicationNum, StorageMedium, CooldownTime, \
		  LastConsistencyCheckTime, DataSize)

static void
test_partitions(void **state)
{
	(void)state;
	expect_titles(0, SIM_SOURCE, "SHOW PARTITIONS FROM d.t", PART_SN ", IsInMemory, RowCount");
	expect_titles(0, SIM_TARGET, "SHOW PARTITIONS FROM d.t",
		      PART_SN ", IsInMemory, RowCount, DataVersion, VersionEpoch, VersionTxnType");
	expect_titles(1, SIM_SOURCE, "SHOW PARTITIONS FROM d.t",
		      PART_SN ", StorageSize, IsInMemory, RowCount, DataVersion, VersionEpoch, VersionTxnType");
	expect_titles(1, SIM_TARGET, "SHOW TEMPORARY PARTITIONS FROM d.t",
		      T(PartitionId, PartitionName, CompactVersion, VisibleVersion, NextVersion, State, PartitionKey,
			Range, DistributionKey, Buckets, DataSize, StorageSize, RowCount, EnableDataCache, AsyncWrite,
			AvgCS, P50CS, MaxCS, DataVersion, VersionEpoch, VersionTxnType));
	/* LIST tables title column 8 "List"; the 4.0 line appends MetaSwitchVersion */
	expect_titles(2, SIM_SOURCE, "SHOW PROC '/dbs/d/t/partitions'",
		      T(PartitionId, PartitionName, CompactVersion, VisibleVersion, NextVersion, State, PartitionKey,
			List, DistributionKey, Buckets, DataSize, StorageSize, RowCount, EnableDataCache, AsyncWrite,
			AvgCS, P50CS, MaxCS, DataVersion, VersionEpoch, VersionTxnType, MetaSwitchVersion));
}

#define TAB_LOCAL T(TabletId, ReplicaId, BackendId, SchemaHash, Version, VersionHash, LstSuccessVersion, \
		    LstSuccessVersionHash, LstFailedVersion, LstFailedVersionHash, LstFailedTime, DataSize, RowCount, \
		    State, LstConsistencyCheckTime, CheckVersion, CheckVersionHash, VersionCount, PathHash, MetaUrl, \
		    CompactionStatus)

static void
test_tablets(void **state)
{
	(void)state;
	expect_titles(0, SIM_SOURCE, "SHOW TABLET FROM d.t", TAB_LOCAL);
	expect_titles(0, SIM_TARGET, "SHOW TABLET FROM d.t", TAB_LOCAL ", DiskRootPath");
	expect_titles(1, SIM_SOURCE, "SHOW TABLET FROM d.t", TAB_LOCAL ", DiskRootPath, IsConsistent, Checksum");
	expect_titles(1, SIM_TARGET, "SHOW TABLET FROM d.t", T(TabletId, BackendId, DataSize, RowCount, MinVersion));
	expect_titles(2, SIM_SOURCE, "SHOW TABLET FROM d.t",
		      T(TabletId, BackendId, DataSize, RowCount, MinVersion, VirtualBuckets));
	expect_titles(0, SIM_SOURCE, "SHOW TABLET 1",
		      T(DbName, TableName, PartitionName, IndexName, DbId, TableId, PartitionId, IndexId, IsSync,
			DetailCmd));
}

static void
test_proc_tree(void **state)
{
	(void)state;
	expect_titles(0, SIM_SOURCE, "SHOW PROC '/dbs'",
		      T(DbId, DbName, TableNum, Quota, LastConsistencyCheckTime, ReplicaQuota));
	expect_titles(0, SIM_SOURCE, "SHOW PROC '/dbs/d'",
		      T(TableId, TableName, IndexNum, PartitionColumnName, PartitionNum, State, Type,
			LastConsistencyCheckTime, ReplicaCount, PartitionType, StoragePath));
	expect_titles(0, SIM_SOURCE, "SHOW PROC '/dbs/d/t'", "Nodes");
	expect_titles(0, SIM_SOURCE, "SHOW PROC '/dbs/d/t/index_schema'",
		      T(IndexId, IndexName, SchemaVersion, SchemaHash, ShortKeyColumnCount, StorageType, Keys));
	expect_titles(0, SIM_SOURCE, "SHOW PROC '/transactions'", T(DbId, DbName));
	expect_titles(0, SIM_SOURCE, "SHOW PROC '/transactions/d'", T(State, Number));
	expect_titles(0, SIM_SOURCE, "SHOW PROC '/transactions/d/running'",
		      T(TransactionId, Label, Coordinator, TransactionStatus, LoadJobSourceType, PrepareTime,
			CommitTime, PublishTime, FinishTime, Reason, ErrorReplicasCount, ListenerId, TimeoutMs, ErrMsg));
	expect_error(0, SIM_SOURCE, "SHOW PROC '/transactions/d/bogus'", "State is invalid");
	/* /replications: 3.1.16 / 3.2.11 / 3.3.4 / 3.4.0 */
	expect_error(0, SIM_SOURCE, "SHOW PROC '/replications'", "Proc path '/replications' doesn't exist");
	expect_titles(0, SIM_TARGET, "SHOW PROC '/replications'",
		      T(JobID, DatabaseID, TableID, TxnID, CreatedTime, FinishedTime, State, Progress, Error));
	expect_error(0, SIM_SOURCE, "SHOW PROC '/dbs/nope'", "Unknown database id or name \"nope\"");
	expect_error(0, SIM_SOURCE, "SHOW PROC '/dbs/d/nope'", "unknown table id or name \"nope\"");
}

static void
test_information_schema(void **state)
{
	(void)state;
	/* partitions_meta: absent in 3.2.3 */
	expect_error(0, SIM_SOURCE, "SELECT * FROM information_schema.partitions_meta", "Unknown table");
	expect_titles(0, SIM_TARGET, "SELECT * FROM information_schema.partitions_meta",
		      T(DB_NAME, TABLE_NAME, PARTITION_NAME, PARTITION_ID, COMPACT_VERSION, VISIBLE_VERSION,
			VISIBLE_VERSION_TIME, NEXT_VERSION, DATA_VERSION, VERSION_EPOCH, VERSION_TXN_TYPE,
			PARTITION_KEY, PARTITION_VALUE, DISTRIBUTION_KEY, BUCKETS, REPLICATION_NUM, STORAGE_MEDIUM,
			COOLDOWN_TIME, LAST_CONSISTENCY_CHECK_TIME, IS_IN_MEMORY, IS_TEMP, DATA_SIZE, ROW_COUNT,
			ENABLE_DATACACHE, AVG_CS, P50_CS, MAX_CS, STORAGE_PATH));
	expect_titles(1, SIM_SOURCE, "select * from INFORMATION_SCHEMA.PARTITIONS_META limit 0",
		      T(DB_NAME, TABLE_NAME, PARTITION_NAME, PARTITION_ID, COMPACT_VERSION, VISIBLE_VERSION,
			VISIBLE_VERSION_TIME, NEXT_VERSION, DATA_VERSION, VERSION_EPOCH, VERSION_TXN_TYPE,
			PARTITION_KEY, PARTITION_VALUE, DISTRIBUTION_KEY, BUCKETS, REPLICATION_NUM, STORAGE_MEDIUM,
			COOLDOWN_TIME, LAST_CONSISTENCY_CHECK_TIME, IS_IN_MEMORY, IS_TEMP, DATA_SIZE, ROW_COUNT,
			ENABLE_DATACACHE, AVG_CS, P50_CS, MAX_CS, STORAGE_PATH, STORAGE_SIZE));
	expect_titles(0, SIM_SOURCE, "SELECT * FROM information_schema.be_tablets",
		      T(BE_ID, TABLE_ID, PARTITION_ID, TABLET_ID, NUM_VERSION, MAX_VERSION, MIN_VERSION, NUM_ROWSET,
			NUM_ROW, DATA_SIZE, INDEX_MEM, CREATE_TIME, STATE, TYPE, DATA_DIR, SHARD_ID, SCHEMA_HASH,
			INDEX_DISK, MEDIUM_TYPE, NUM_SEGMENT));
	expect_titles(0, SIM_SOURCE, "SELECT * FROM information_schema.tables_config",
		      T(TABLE_SCHEMA, TABLE_NAME, TABLE_ENGINE, TABLE_MODEL, PRIMARY_KEY, PARTITION_KEY,
			DISTRIBUTE_KEY, DISTRIBUTE_TYPE, DISTRIBUTE_BUCKET, SORT_KEY, PROPERTIES, TABLE_ID));
	expect_titles(0, SIM_SOURCE, "SELECT * FROM information_schema.tables",
		      T(TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, VERSION, ROW_FORMAT, TABLE_ROWS,
			AVG_ROW_LENGTH, DATA_LENGTH, MAX_DATA_LENGTH, INDEX_LENGTH, DATA_FREE, AUTO_INCREMENT,
			CREATE_TIME, UPDATE_TIME, CHECK_TIME, TABLE_COLLATION, CHECKSUM, CREATE_OPTIONS, TABLE_COMMENT));
	/* materialized_views: 3.3.0 adds two columns, 3.3.4 / 3.4.0 CREATOR, the 3.5 line two more */
	const char *mv = "MATERIALIZED_VIEW_ID, TABLE_SCHEMA, TABLE_NAME, REFRESH_TYPE, IS_ACTIVE, INACTIVE_REASON, "
			 "PARTITION_TYPE, TASK_ID, TASK_NAME, LAST_REFRESH_START_TIME, LAST_REFRESH_FINISHED_TIME, "
			 "LAST_REFRESH_DURATION, LAST_REFRESH_STATE, LAST_REFRESH_FORCE_REFRESH, "
			 "LAST_REFRESH_START_PARTITION, LAST_REFRESH_END_PARTITION, "
			 "LAST_REFRESH_BASE_REFRESH_PARTITIONS, LAST_REFRESH_MV_REFRESH_PARTITIONS, "
			 "LAST_REFRESH_ERROR_CODE, LAST_REFRESH_ERROR_MESSAGE, TABLE_ROWS, MATERIALIZED_VIEW_DEFINITION";
	expect_titles(0, SIM_SOURCE, "SELECT * FROM information_schema.materialized_views", mv);
	char buf[2048];
	snprintf(buf, sizeof buf, "%s, EXTRA_MESSAGE, QUERY_REWRITE_STATUS, CREATOR", mv);
	expect_titles(0, SIM_TARGET, "SELECT * FROM information_schema.materialized_views", buf);
	snprintf(buf, sizeof buf, "%s, EXTRA_MESSAGE, QUERY_REWRITE_STATUS, CREATOR, LAST_REFRESH_PROCESS_TIME, "
		 "LAST_REFRESH_JOB_ID", mv);
	expect_titles(1, SIM_TARGET, "SELECT * FROM information_schema.materialized_views", buf);
}

static void
test_other_shows(void **state)
{
	(void)state;
	expect_titles(0, SIM_SOURCE, "ADMIN SHOW FRONTEND CONFIG LIKE 'run_mode'",
		      T(Key, AliasNames, Value, Type, IsMutable, Comment));
	expect_titles(0, SIM_SOURCE, "SHOW CREATE TABLE d.t", "Table, Create Table");
	expect_titles(0, SIM_SOURCE, "SHOW DATA FROM d.t", T(TableName, IndexName, Size, ReplicaCount, RowCount));
	MYSQL *m = sim_connect(&sims[0], SIM_SOURCE);
	assert_int_equal(mysql_select_db(m, "d"), 0);
	assert_int_equal(mysql_query(m, "SHOW DATA"), 0);
	MYSQL_RES *res = mysql_store_result(m);
	assert_int_equal(mysql_num_fields(res), 3);
	assert_string_equal(mysql_fetch_field_direct(res, 0)->name, "TableName");
	assert_string_equal(mysql_fetch_field_direct(res, 1)->name, "Size");
	assert_string_equal(mysql_fetch_field_direct(res, 2)->name, "ReplicaCount");
	mysql_free_result(res);
	mysql_close(m);
	expect_titles(1, SIM_TARGET, "SHOW STORAGE VOLUMES", "Storage Volume");
	expect_titles(1, SIM_TARGET, "DESC STORAGE VOLUME builtin_storage_volume",
		      T(Name, Type, IsDefault, Location, Params, Enabled, Comment));
	expect_titles(0, SIM_SOURCE, "SHOW GRANTS", T(UserIdentity, Catalog, Grants));
	expect_titles(0, SIM_SOURCE, "SHOW INDEX FROM d.t",
		      T(Table, Non_unique, Key_name, Seq_in_index, Column_name, Collation, Cardinality, Sub_part,
			Packed, Null, Index_type, Comment));
	expect_titles(0, SIM_SOURCE, "SHOW FULL TABLES FROM d", T(Tables_in_d, Table_type));
	expect_titles(0, SIM_SOURCE, "SHOW DATABASES", "Database");
}

static void
test_run_mode_and_configs(void **state)
{
	(void)state;
	struct sim_result *r = st_q(&sims[1], SIM_TARGET, "ADMIN SHOW FRONTEND CONFIG LIKE 'run_mode'");
	assert_string_equal(sim_cell(r, 0, "Value"), "shared_data");
	assert_string_equal(sim_cell(r, 0, "IsMutable"), "false");
	sim_result_free(r);
	/* enable_legacy_compatibility_for_replication: 3.2.5+ */
	r = st_q(&sims[0], SIM_SOURCE, "ADMIN SHOW FRONTEND CONFIG LIKE 'enable_legacy%%'");
	assert_int_equal(sim_rows(r), 0);
	sim_result_free(r);
	r = st_q(&sims[0], SIM_TARGET, "ADMIN SHOW FRONTEND CONFIG LIKE 'enable_legacy%%'");
	assert_int_equal(sim_rows(r), 1);
	assert_string_equal(sim_cell(r, 0, "Value"), "false");
	assert_string_equal(sim_cell(r, 0, "Type"), "boolean");
	sim_result_free(r);
	/* the 3.2.3 defaults of facts 3.8 */
	r = st_q(&sims[0], SIM_SOURCE, "ADMIN SHOW FRONTEND CONFIG LIKE 'replication_%%'");
	for (size_t i = 0; i < sim_rows(r); i++) {
		const char *k = sim_cell(r, i, "Key"), *v = sim_cell(r, i, "Value");
		if (!strcmp(k, "replication_interval_ms"))
			assert_string_equal(v, "10");
		if (!strcmp(k, "replication_max_parallel_data_size_mb"))
			assert_string_equal(v, "10240");
		if (!strcmp(k, "replication_transaction_timeout_sec"))
			assert_string_equal(v, "3600");
		assert_string_not_equal(k, "replication_max_parallel_replica_count");
	}
	sim_result_free(r);
	char err[256];
	assert_int_equal(sim_exec(&sims[0], SIM_SOURCE, "ADMIN SET FRONTEND CONFIG (\"run_mode\" = \"x\")", err, sizeof err),
			 5102);
	assert_string_equal(err, "Config 'run_mode' does not exist or is not mutable");
	assert_int_equal(sim_exec(&sims[0], SIM_SOURCE, "ADMIN SET FRONTEND CONFIG (\"no_such_thing\" = \"1\")", err,
				  sizeof err), 5102);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frontends),
		cmocka_unit_test(test_backends),
		cmocka_unit_test(test_compute_nodes),
		cmocka_unit_test(test_partitions),
		cmocka_unit_test(test_tablets),
		cmocka_unit_test(test_proc_tree),
		cmocka_unit_test(test_information_schema),
		cmocka_unit_test(test_other_shows),
		cmocka_unit_test(test_run_mode_and_configs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
