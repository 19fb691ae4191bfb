/*
 * srsim's Thrift listener: startTableReplication validation and admission
 * messages (facts 3.1, 3.2), sent with the generated c_glib client.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "simtest.h"

static const char scenario[] =
	"[source]\nversion = 3.3.5\npassword = spw\ntoken = tok-src\nbe = 3\n"
	"[target]\nversion = 3.3.5\npassword = tpw\nbe = 3\nfe = 2\n"
	"[replication]\nsnapshot_latency = 60s\n"
	"[table sales.orders]\npartition_by = range(dt)\npartitions = 2\nbuckets = 2\nrows = 2000\non_target = true\n"
	"[table sales.small]\nrows = 100\non_target = true\n"
	"[table sales.big]\nrows = 100\non_target = true\n"
	"[view target sales.v]\nquery = SELECT 1\n";

static struct sim sim;
static char token[128];

static int
setup(void **state)
{
	(void)state;
	thriftfix_install();
	if (sim_start(&sim, scenario, 1) != 0)
		return -1;
	st_token(&sim, token, sizeof token);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sim_stop(&sim);
	return 0;
}

static int
send_req(srmTTableReplicationRequest *r, char *msg, size_t n)
{
	int rc = rq_send(sim.ports[SIM_TARGET_RPC], r, msg, n);

	g_object_unref(r);
	return rc;
}

static void
expect_error(srmTTableReplicationRequest *r, const char *want)
{
	char msg[1024];

	assert_non_null(r);
	assert_int_equal(send_req(r, msg, sizeof msg), 6);
	assert_string_equal(msg, want);
}

static void
test_type_must_be_olap(void **state)
{
	(void)state;
	srmTTableReplicationRequest *r = st_build(&sim, "sales", "small", token, "j-type", ST_ADDR_MAPPED);
	assert_non_null(r);
	r->src_table_type = SRM_T_TABLE_TYPE_VIEW;
	expect_error(r, "");
}

static void
test_unknown_database(void **state)
{
	(void)state;
	expect_error(rq_new(987654321, 1, token, "j"), "Database 987654321 not found");
}

static void
test_unknown_table_and_view(void **state)
{
	struct st_ids ids;
	char want[256];

	(void)state;
	assert_int_equal(st_table_ids(&sim, SIM_TARGET, "sales", "v", &ids), 0);
	expect_error(rq_new(ids.db, 123, token, "j"), "Table 123 in database sales not found");
	snprintf(want, sizeof want, "Table %lld in database sales is not olap table", (long long)ids.table);
	expect_error(rq_new(ids.db, ids.table, token, "j"), want);
}

static void
test_unknown_partition_index_tablet(void **state)
{
	struct st_ids ids;
	char want[256];

	(void)state;
	assert_int_equal(st_table_ids(&sim, SIM_TARGET, "sales", "orders", &ids), 0);
	srmTTableReplicationRequest *r = rq_new(ids.db, ids.table, token, "j");
	rq_part(r, 77, 5);
	expect_error(r, "Partition 77 in table orders in database sales not found");

	struct sim_result *p = st_q(&sim, SIM_TARGET, "SHOW PARTITIONS FROM sales.orders");
	assert_non_null(p);
	int64_t pid = st_i64(sim_cell(p, 0, "PartitionId"));
	r = rq_new(ids.db, ids.table, token, "j");
	rq_index(rq_part(r, pid, 9), 55, 1);
	snprintf(want, sizeof want, "Index 55 in partition %s in table orders not found", sim_cell(p, 0, "PartitionName"));
	expect_error(r, want);

	struct sim_result *ix = st_q(&sim, SIM_TARGET, "SHOW PROC '/dbs/sales/orders/index_schema'");
	assert_non_null(ix);
	int64_t iid = st_i64(sim_cell(ix, 0, "IndexId"));
	r = rq_new(ids.db, ids.table, token, "j");
	rq_tablet(rq_index(rq_part(r, pid, 9), iid, 1), 33, 44);
	snprintf(want, sizeof want, "Tablet 33 in index %lld in table orders not found", (long long)iid);
	expect_error(r, want);
	sim_result_free(ix);
	sim_result_free(p);
}

static void
test_versions(void **state)
{
	struct st_ids ids;
	char want[256];

	(void)state;
	assert_int_equal(st_table_ids(&sim, SIM_TARGET, "sales", "orders", &ids), 0);
	assert_int_equal(sim_exec(&sim, SIM_TARGET, "INSERT INTO sales.orders PARTITION (p20240101) VALUES (1), (2)",
				  want, sizeof want), 0);
	struct sim_result *p = st_q(&sim, SIM_TARGET, "SHOW PARTITIONS FROM sales.orders WHERE PartitionName = 'p20240101'");
	assert_non_null(p);
	assert_int_equal(sim_rows(p), 1);
	int64_t pid = st_i64(sim_cell(p, 0, "PartitionId")), v = st_i64(sim_cell(p, 0, "VisibleVersion"));
	assert_int_equal(v, 2);
	/* 3.3.5 compares visible versions (the data-version wording is 3.3.10+) */
	srmTTableReplicationRequest *r = rq_new(ids.db, ids.table, token, "j");
	rq_part(r, pid, 1);
	snprintf(want, sizeof want, "Target visible version: %lld is larger than source visible version: 1", (long long)v);
	expect_error(r, want);
	/* an equal version is skipped; with nothing else to do the FE says so */
	r = rq_new(ids.db, ids.table, token, "j");
	rq_part(r, pid, v);
	expect_error(r, "No data need to replicate");
	sim_result_free(p);
}

static void
test_accept_then_already_running(void **state)
{
	char msg[1024], want[256];
	struct st_ids ids;

	(void)state;
	assert_int_equal(send_req(st_build(&sim, "sales", "small", token, "j-run-1", ST_ADDR_MAPPED), msg, sizeof msg), 0);
	assert_int_equal(st_table_ids(&sim, SIM_TARGET, "sales", "small", &ids), 0);
	snprintf(want, sizeof want, "Replication job of table %lld is already running", (long long)ids.table);
	expect_error(st_build(&sim, "sales", "small", token, "j-run-2", ST_ADDR_MAPPED), want);
}

/* The caps look at running jobs; sales.small is running (60 s snapshot). */
static void
test_caps(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(sim_exec(&sim, SIM_TARGET, "ADMIN SET FRONTEND CONFIG (\"replication_max_parallel_table_count\" = \"1\")",
				  err, sizeof err), 0);
	expect_error(st_build(&sim, "sales", "big", token, "j-cap", ST_ADDR_MAPPED),
		     "The replication jobs exceeds the replication_max_parallel_table_count: 1");
	assert_int_equal(sim_exec(&sim, SIM_TARGET, "ADMIN SET FRONTEND CONFIG (\"replication_max_parallel_table_count\" = \"100\")",
				  err, sizeof err), 0);
	assert_int_equal(sim_exec(&sim, SIM_TARGET, "ADMIN SET FRONTEND CONFIG (\"replication_max_parallel_replica_count\" = \"3\")",
				  err, sizeof err), 0);
	/* sales.small: 4 buckets x 3 replicas are replicating */
	expect_error(st_build(&sim, "sales", "big", token, "j-cap", ST_ADDR_MAPPED),
		     "The replicating replica count in all running replication jobs 12 exceeds "
		     "replication_max_parallel_replica_count: 3");
	assert_int_equal(sim_exec(&sim, SIM_TARGET, "ADMIN SET FRONTEND CONFIG (\"replication_max_parallel_replica_count\" = \"10240\")",
				  err, sizeof err), 0);
	assert_int_equal(sim_exec(&sim, SIM_TARGET, "ADMIN SET FRONTEND CONFIG (\"replication_max_parallel_data_size_mb\" = \"0\")",
				  err, sizeof err), 0);
	expect_error(st_build(&sim, "sales", "big", token, "j-cap", ST_ADDR_MAPPED),
		     "The replicating data size in all running replication jobs 0(MB) exceeds "
		     "replication_max_parallel_data_size_mb: 0");
	assert_int_equal(sim_exec(&sim, SIM_TARGET, "ADMIN SET FRONTEND CONFIG (\"replication_max_parallel_data_size_mb\" = \"1048576\")",
				  err, sizeof err), 0);
}

/* A raw socket: a strict CALL of an unknown method, or a message without the version bit. */
static int
raw_call(const unsigned char *msg, size_t n, unsigned char *reply, size_t max)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)sim.ports[SIM_TARGET_RPC]) };
	struct timeval tv = { 3, 0 };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 || write(fd, msg, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	ssize_t got = read(fd, reply, max);
	/* a reset (unread request bytes at close) is a close too */
	if (got < 0 && errno == ECONNRESET)
		got = 0;
	close(fd);
	return (int)got;
}

static void
test_unknown_method(void **state)
{
	/* 0x80010001 CALL, name "nope", seqid 7, empty struct */
	static const unsigned char call[] = { 0x80, 0x01, 0x00, 0x01, 0, 0, 0, 4, 'n', 'o', 'p', 'e',
					      0, 0, 0, 7, 0 };
	unsigned char reply[512];

	(void)state;
	int n = raw_call(call, sizeof call, reply, sizeof reply);
	assert_true(n > 12);
	/* an EXCEPTION message (type 3) for seqid 7, carrying UNKNOWN_METHOD (1) */
	assert_int_equal(reply[3], 3);
	assert_memory_equal(reply + 4, "\0\0\0\4nope\0\0\0\7", 12);
	bool unknown_method = false;
	for (int i = 12; i + 6 < n; i++)
		if (reply[i] == 8 && reply[i + 1] == 0 && reply[i + 2] == 2 && reply[i + 6] == 1)
			unknown_method = true;
	assert_true(unknown_method);
}

static void
test_non_strict_is_refused(void **state)
{
	/* the old non-strict header: name length first, no version */
	static const unsigned char call[] = { 0, 0, 0, 21, 's', 't', 'a', 'r', 't', 'T', 'a', 'b', 'l', 'e', 'R',
					      'e', 'p', 'l', 'i', 'c', 'a', 't', 'i', 'o', 'n', 1, 0, 0, 0, 1, 0 };
	unsigned char reply[64];

	(void)state;
	assert_int_equal(raw_call(call, sizeof call, reply, sizeof reply), 0);
}

static void
test_follower_forwards_unless_leader_down(void **state)
{
	char msg[1024];
	int fe1 = st_port(&sim, "TARGET_FE_1_RPC_PORT");

	(void)state;
	assert_true(fe1 > 0);
	srmTTableReplicationRequest *r = rq_new(987654321, 1, token, "j");
	assert_int_equal(rq_send(fe1, r, msg, sizeof msg), 6);
	assert_string_equal(msg, "Database 987654321 not found");
	/* fe-0, the leader, goes away (set through fe-1): fe-1 cannot forward */
	MYSQL *m = mysql_init(NULL);
	assert_non_null(mysql_real_connect(m, "127.0.0.1", "root", "tpw", NULL,
					   (unsigned)st_port(&sim, "TARGET_FE_1_QUERY_PORT"), NULL, 0));
	assert_int_equal(mysql_query(m, "ADMIN SET FRONTEND CONFIG (\"sim_fe_down\" = \"0\")"), 0);
	assert_int_equal(rq_send(fe1, r, msg, sizeof msg), 6);
	assert_string_equal(msg, "forward request to fe master failed");
	/* SHOW FRONTENDS through fe-1 tells the same story */
	assert_int_equal(mysql_query(m, "SHOW FRONTENDS"), 0);
	MYSQL_RES *res = mysql_store_result(m);
	MYSQL_ROW row = mysql_fetch_row(res);
	assert_non_null(row);
	assert_string_equal(row[9], "false");	/* Alive of fe-0 (3.3: no Id column) */
	mysql_free_result(res);
	/* a leader change: fe-1 leads and answers itself */
	assert_int_equal(mysql_query(m, "ADMIN SET FRONTEND CONFIG (\"sim_leader\" = \"1\")"), 0);
	assert_int_equal(rq_send(fe1, r, msg, sizeof msg), 6);
	assert_string_equal(msg, "Database 987654321 not found");
	assert_int_equal(mysql_query(m, "ADMIN SET FRONTEND CONFIG (\"sim_fe_up\" = \"0\")"), 0);
	assert_int_equal(mysql_query(m, "ADMIN SET FRONTEND CONFIG (\"sim_leader\" = \"0\")"), 0);
	g_object_unref(r);
	mysql_close(m);
}

static void
test_idle_connection_closed(void **state)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)sim.ports[SIM_TARGET_RPC]) };
	struct timeval tv = { 9, 0 };
	char b;

	(void)state;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	/* thrift_client_timeout_ms = 5000: the FE drops it, well before our 9 s */
	assert_int_equal(read(fd, &b, 1), 0);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_must_be_olap),
		cmocka_unit_test(test_unknown_database),
		cmocka_unit_test(test_unknown_table_and_view),
		cmocka_unit_test(test_unknown_partition_index_tablet),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_accept_then_already_running),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_unknown_method),
		cmocka_unit_test(test_non_strict_is_refused),
		cmocka_unit_test(test_follower_forwards_unless_leader_down),
		cmocka_unit_test(test_idle_connection_closed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
