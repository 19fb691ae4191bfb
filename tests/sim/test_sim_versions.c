/*
 * Version-dependent replication: shared-data to shared-data jobs on a 4.1
 * target (facts 3.7), the 3.2.3 rules (one source replica per target replica,
 * visible version := src_version, no job id in 3.1.7 labels), and a 3.1.6 FE
 * that has no startTableReplication at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

#include <cmocka.h>

#include "simtest.h"

static const char lake[] =
	"[source]\nversion = 4.1.0\nrun_mode = shared_data\ncn = 2\nservice_id = svc-src\n"
	"[target]\nversion = 4.1.0\nrun_mode = shared_data\ncn = 2\nconfig.lake_compaction_max_tasks = 0\n"
	"[replication]\ninit_delay = 0.2s\npublish_delay = 0.2s\n"
	"[table d.t]\npartition_by = range(dt)\npartitions = 2\nbuckets = 2\nrows = 500\non_target = true\n";

static const char old[] =
	"[source]\nversion = 3.2.3\nbe = 3\ntoken = tk\n[target]\nversion = 3.2.3\nbe = 3\n"
	"[replication]\nsnapshot_latency = 0.2s\ninit_delay = 0.2s\npublish_delay = 0.2s\n"
	"[table d.t]\nrows = 300\nbuckets = 2\non_target = true\n";

static const char older[] = "[source]\nversion = 3.1.7\nbe = 1\ntoken = tk\n[target]\nversion = 3.1.6\nbe = 1\n"
			    "[table d.t]\nrows = 3\nreplication_num = 1\non_target = true\n";

static const char oldest_target_317[] = "[source]\nversion = 3.1.7\nbe = 1\ntoken = tk\n[target]\nversion = 3.1.7\nbe = 1\n"
					"[replication]\nsnapshot_latency = 0.2s\ninit_delay = 0.2s\n"
					"[table d.t]\nrows = 3\nreplication_num = 1\non_target = true\n";

static void
init(void **state)
{
	(void)state;
	thriftfix_install();
}

static char *
job_state(struct sim *s, const char *key, const char *title)
{
	struct sim_result *r = st_q(s, SIM_TARGET, "SHOW PROC '/replications'");
	char *v = NULL;

	for (size_t i = 0; r && i < sim_rows(r); i++)
		if (!strcmp(sim_cell(r, i, "JobID"), key))
			v = g_strdup(sim_cell(r, i, title));
	sim_result_free(r);
	return v;
}

/* A lake request: what st_build pairs, plus the 4.1 fields. */
static srmTTableReplicationRequest *
lake_request(struct sim *s, const char *job, const char *volume, const char *service, int64_t src_db)
{
	srmTTableReplicationRequest *r = st_build(s, "d", "t", "", job, ST_ADDR_MAPPED);
	struct st_ids src;

	assert_non_null(r);
	assert_int_equal(st_table_ids(s, SIM_SOURCE, "d", "t", &src), 0);
	r->src_cluster_run_mode = SRM_T_RUN_MODE_SHARED_DATA;
	r->__isset_src_cluster_run_mode = TRUE;
	r->src_storage_volume_name = g_strdup(volume);
	r->__isset_src_storage_volume_name = TRUE;
	r->src_service_id = g_strdup(service);
	r->__isset_src_service_id = TRUE;
	r->src_database_id = src_db < 0 ? src.db : src_db;
	r->__isset_src_database_id = TRUE;
	r->src_table_id = src.table;
	r->__isset_src_table_id = TRUE;
	/* field 5 of each partition: the source physical partition, paired by name */
	struct sim_result *sp = st_q(s, SIM_SOURCE, "SHOW PARTITIONS FROM d.t");
	struct sim_result *tp = st_q(s, SIM_TARGET, "SHOW PARTITIONS FROM d.t");
	for (size_t i = 0; i < sim_rows(tp); i++)
		for (size_t k = 0; k < sim_rows(sp); k++) {
			if (strcmp(sim_cell(tp, i, "PartitionName"), sim_cell(sp, k, "PartitionName")) != 0)
				continue;
			gint64 key = st_i64(sim_cell(tp, i, "PartitionId"));
			srmTPartitionReplicationInfo *pi = g_hash_table_lookup(r->partition_replication_infos, &key);
			assert_non_null(pi);
			pi->src_partition_id = st_i64(sim_cell(sp, k, "PartitionId"));
			pi->__isset_src_partition_id = TRUE;
		}
	sim_result_free(sp);
	sim_result_free(tp);
	return r;
}

static int
send(struct sim *s, srmTTableReplicationRequest *r, char *msg, size_t n)
{
	int rc = rq_send(s->ports[SIM_TARGET_RPC], r, msg, n);

	g_object_unref(r);
	return rc;
}

static void
test_lake_to_lake(void **state)
{
	struct sim s;
	char msg[1024];

	init(state);
	assert_int_equal(sim_start(&s, lake, 20), 0);
	assert_int_equal(send(&s, lake_request(&s, "l-0", "src_builtin_storage_volume", "svc-src", -1), msg, sizeof msg), 6);
	assert_string_equal(msg, "Source storage volume not found: src_builtin_storage_volume");
	/* checkArgument(src_database_id > 0): no message */
	assert_int_equal(send(&s, lake_request(&s, "l-0", "src_builtin_storage_volume", "svc-src", 0), msg, sizeof msg), 6);
	assert_string_equal(msg, "");
	char err[512];
	assert_int_equal(sim_exec(&s, SIM_TARGET, "CREATE STORAGE VOLUME src_builtin_storage_volume TYPE = S3 "
				  "LOCATIONS = (\"s3://starrocks-source/builtin\") PROPERTIES "
				  "(\"aws.s3.enable_partitioned_prefix\" = \"false\")", err, sizeof err), 0);
	/* a wrong service id: the CNs find no files */
	assert_int_equal(send(&s, lake_request(&s, "l-1", "src_builtin_storage_volume", "svc-other", -1), msg, sizeof msg), 0);
	char *st = NULL;
	for (int i = 0; i < 100; i++) {
		g_free(st);
		st = job_state(&s, "l-1", "State");
		if (st && (!strcmp(st, "ABORTED") || !strcmp(st, "COMMITTED")))
			break;
		usleep(50000);
	}
	assert_string_equal(st, "ABORTED");
	g_free(st);
	char *e = job_state(&s, "l-1", "Error");
	assert_non_null(strstr(e, "svc-other"));
	g_free(e);
	/* the right one: no SNAPSHOTING, straight to REPLICATING, then COMMITTED */
	assert_int_equal(send(&s, lake_request(&s, "l-2", "src_builtin_storage_volume", "svc-src", -1), msg, sizeof msg), 0);
	bool saw_snapshot = false;
	st = NULL;
	for (int i = 0; i < 200; i++) {
		g_free(st);
		st = job_state(&s, "l-2", "State");
		saw_snapshot |= st && !strcmp(st, "SNAPSHOTING");
		if (st && !strcmp(st, "COMMITTED"))
			break;
		usleep(10000);
	}
	assert_string_equal(st, "COMMITTED");
	g_free(st);
	assert_false(saw_snapshot);
	for (int i = 0; i < 100 && sim_compare(&s, NULL, NULL, 0) != 0; i++)
		usleep(50000);
	char report[2048];
	assert_int_equal(sim_compare(&s, NULL, report, sizeof report), 0);
	sim_stop(&s);
}

static void
test_3_2_rules(void **state)
{
	struct sim s;
	char msg[1024];
	struct st_ids ids;

	init(state);
	assert_int_equal(sim_start(&s, old, 20), 0);
	/* one source replica for three target ones: refused before 3.2.5 */
	srmTTableReplicationRequest *r = st_build(&s, "d", "t", "tk", "o-1", ST_ADDR_MAPPED);
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, r->partition_replication_infos);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		GHashTableIter ix;
		gpointer iv;
		g_hash_table_iter_init(&ix, ((srmTPartitionReplicationInfo *)v)->index_replication_infos);
		while (g_hash_table_iter_next(&ix, NULL, &iv)) {
			GHashTableIter tx;
			gpointer tv;
			g_hash_table_iter_init(&tx, ((srmTIndexReplicationInfo *)iv)->tablet_replication_infos);
			while (g_hash_table_iter_next(&tx, NULL, &tv))
				g_ptr_array_set_size(((srmTTabletReplicationInfo *)tv)->replica_replication_infos, 1);
		}
	}
	assert_int_equal(send(&s, r, msg, sizeof msg), 6);
	assert_string_equal(msg, "Source replica number must not less than target replica number");
	/* 3.2.3 has no /replications: follow the transaction by its label */
	assert_int_equal(send(&s, st_build(&s, "d", "t", "tk", "o-2", ST_ADDR_MAPPED), msg, sizeof msg), 0);
	assert_int_equal(st_table_ids(&s, SIM_TARGET, "d", "t", &ids), 0);
	char label[256];
	snprintf(label, sizeof label, "REPLICATION_%lld_%lld_o-2", (long long)ids.db, (long long)ids.table);
	bool visible = false;
	for (int i = 0; i < 100 && !visible; i++) {
		struct sim_result *t = st_q(&s, SIM_TARGET, "SHOW PROC '/transactions/d/finished'");
		for (size_t k = 0; t && k < sim_rows(t); k++)
			visible |= !strcmp(sim_cell(t, k, "Label"), label) &&
				   !strcmp(sim_cell(t, k, "TransactionStatus"), "VISIBLE");
		sim_result_free(t);
		usleep(50000);
	}
	assert_true(visible);
	/* the visible version is the source's (no DataVersion before 3.3.2) */
	struct sim_result *sp = st_q(&s, SIM_SOURCE, "SHOW PARTITIONS FROM d.t");
	struct sim_result *tp = st_q(&s, SIM_TARGET, "SHOW PARTITIONS FROM d.t");
	assert_false(sim_has_col(tp, "DataVersion"));
	assert_string_equal(sim_cell(tp, 0, "VisibleVersion"), sim_cell(sp, 0, "VisibleVersion"));
	assert_string_equal(sim_cell(tp, 0, "RowCount"), "300");
	sim_result_free(sp);
	sim_result_free(tp);
	sim_stop(&s);
}

static void
test_3_1_labels_and_missing_rpc(void **state)
{
	struct sim s;
	char msg[1024];
	struct st_ids ids;

	init(state);
	assert_int_equal(sim_start(&s, older, 20), 0);
	/* 3.1.6: startTableReplication does not exist yet */
	assert_int_equal(send(&s, st_build(&s, "d", "t", "tk", "x", ST_ADDR_MAPPED), msg, sizeof msg), -2);
	assert_non_null(strstr(msg, "startTableReplication"));
	sim_stop(&s);

	assert_int_equal(sim_start(&s, oldest_target_317, 20), 0);
	/* 3.1.7 ignores job_id: REPLICATION_<db>-<tbl>-<ms> */
	assert_int_equal(send(&s, st_build(&s, "d", "t", "tk", "ignored", ST_ADDR_MAPPED), msg, sizeof msg), 0);
	assert_int_equal(st_table_ids(&s, SIM_TARGET, "d", "t", &ids), 0);
	char prefix[128];
	snprintf(prefix, sizeof prefix, "REPLICATION_%lld-%lld-", (long long)ids.db, (long long)ids.table);
	bool found = false;
	for (int i = 0; i < 60 && !found; i++) {
		struct sim_result *t = st_q(&s, SIM_TARGET, "SHOW PROC '/transactions/d/running'");
		struct sim_result *f = st_q(&s, SIM_TARGET, "SHOW PROC '/transactions/d/finished'");
		for (size_t k = 0; t && k < sim_rows(t); k++)
			found |= g_str_has_prefix(sim_cell(t, k, "Label"), prefix);
		for (size_t k = 0; f && k < sim_rows(f); k++)
			found |= g_str_has_prefix(sim_cell(f, k, "Label"), prefix);
		sim_result_free(t);
		sim_result_free(f);
		usleep(50000);
	}
	assert_true(found);
	sim_stop(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lake_to_lake),
		cmocka_unit_test(test_3_2_rules),
		cmocka_unit_test(test_3_1_labels_and_missing_rpc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
