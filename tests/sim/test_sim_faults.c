/*
 * srsim's faults, from the scenario and at run time through
 * ADMIN SET FRONTEND CONFIG ("sim_..." = ...).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "simtest.h"

static const char scenario[] =
	"[source]\nversion = 3.3.5\npassword = spw\nbe = 3\n"
	"[target]\nversion = 3.4.4\npassword = tpw\nbe = 3\nfe = 2\n"
	"[replication]\nsnapshot_latency = 1s\ninit_delay = 0.2s\npublish_delay = 0.2s\n"
	"[faults target]\njob_abort_first_attempt = d.first\njob_abort_reason = disk full on be-9\n"
	"[table d.first]\nrows = 10\non_target = true\n"
	"[table d.always]\nrows = 10\non_target = true\n"
	"[table d.wide]\npartition_by = range(dt)\npartitions = 100\nbuckets = 1\nrows = 1000\n";

static struct sim sim;
static char token[128];

static int
setup(void **state)
{
	(void)state;
	thriftfix_install();
	if (sim_start(&sim, scenario, 20) != 0)
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

static void
set(int side, const char *key, const char *value)
{
	char sql[512], err[512];

	snprintf(sql, sizeof sql, "ADMIN SET FRONTEND CONFIG (\"%s\" = \"%s\")", key, value);
	if (sim_exec(&sim, side, sql, err, sizeof err) != 0)
		fail_msg("%s: %s", sql, err);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
rpc_unknown_db(void)
{
	char msg[512];
	srmTTableReplicationRequest *r = rq_new(424242, 1, token, "j");
	int rc = rq_send(sim.ports[SIM_TARGET_RPC], r, msg, sizeof msg);

	g_object_unref(r);
	return rc;
}

static void
test_rpc_errors(void **state)
{
	(void)state;
	set(SIM_TARGET, "sim_rpc_error_every", "2");
	int failed = 0, ok = 0;
	for (int i = 0; i < 4; i++) {
		int rc = rpc_unknown_db();
		if (rc == -1)
			failed++;
		else if (rc == 6)
			ok++;
	}
	assert_int_equal(failed, 2);
	assert_int_equal(ok, 2);
	set(SIM_TARGET, "sim_rpc_error_mode", "exception");
	int exceptions = 0;
	for (int i = 0; i < 2; i++)
		exceptions += rpc_unknown_db() == -2;
	assert_int_equal(exceptions, 1);
	set(SIM_TARGET, "sim_rpc_error_every", "0");
	assert_int_equal(rpc_unknown_db(), 6);
	/* a hanging FE */
	set(SIM_TARGET, "sim_rpc_hang_ms", "1200");
	long long t0 = now_ms();
	assert_int_equal(rpc_unknown_db(), 6);
	assert_true(now_ms() - t0 >= 1100);
	set(SIM_TARGET, "sim_rpc_hang_ms", "0");
	assert_true(sim_stat(&sim, SIM_TARGET, "RPCS") >= 8);
}

static const char *
run_job(const char *tbl, const char *job_id, char *error, size_t n)
{
	char msg[512];
	static char state_buf[32];
	srmTTableReplicationRequest *r = st_build(&sim, "d", tbl, token, job_id, ST_ADDR_MAPPED);

	assert_non_null(r);
	int rc = rq_send(sim.ports[SIM_TARGET_RPC], r, msg, sizeof msg);
	g_object_unref(r);
	if (rc != 0)
		fail_msg("%s: %s", job_id, msg);
	state_buf[0] = '\0';
	for (int i = 0; i < 200; i++) {
		struct sim_result *x = st_q(&sim, SIM_TARGET, "SHOW PROC '/replications'");
		for (size_t k = 0; x && k < sim_rows(x); k++)
			if (!strcmp(sim_cell(x, k, "JobID"), job_id)) {
				snprintf(state_buf, sizeof state_buf, "%s", sim_cell(x, k, "State"));
				snprintf(error, n, "%s", sim_cell(x, k, "Error"));
			}
		sim_result_free(x);
		if (!strcmp(state_buf, "COMMITTED") || !strcmp(state_buf, "ABORTED"))
			break;
		usleep(50000);
	}
	return state_buf;
}

static void
test_job_aborts(void **state)
{
	char error[512];

	(void)state;
	/* from the scenario: the first attempt of d.first aborts, the next one goes through */
	assert_string_equal(run_job("first", "f-1", error, sizeof error), "ABORTED");
	assert_string_equal(error, "disk full on be-9");
	assert_string_equal(run_job("first", "f-2", error, sizeof error), "COMMITTED");
	/* named tables abort every time */
	set(SIM_TARGET, "sim_job_abort_tables", "d.always");
	assert_string_equal(run_job("always", "a-1", error, sizeof error), "ABORTED");
	assert_string_equal(run_job("always", "a-2", error, sizeof error), "ABORTED");
	set(SIM_TARGET, "sim_job_abort_tables", "");
	set(SIM_TARGET, "sim_job_abort_probability", "1");
	assert_string_equal(run_job("always", "a-3", error, sizeof error), "ABORTED");
	set(SIM_TARGET, "sim_job_abort_probability", "0");
	assert_string_equal(run_job("always", "a-4", error, sizeof error), "COMMITTED");
}

static void
test_dropped_result(void **state)
{
	(void)state;
	set(SIM_SOURCE, "sim_drop_result_every", "1");
	set(SIM_SOURCE, "sim_drop_result_after_rows", "10");
	MYSQL *m = sim_connect(&sim, SIM_SOURCE);
	assert_non_null(m);
	/* the statement goes out, part of the rows come back, then the connection is gone */
	assert_int_equal(mysql_query(m, "SHOW PARTITIONS FROM d.wide"), 0);
	MYSQL_RES *res = mysql_store_result(m);
	assert_null(res);
	assert_true(mysql_errno(m) == 2013 || mysql_errno(m) == 2006 || mysql_errno(m) == 2026);
	mysql_close(m);
	/* every 2nd result set: one whole, one cut */
	set(SIM_SOURCE, "sim_drop_result_every", "2");
	char err[256];
	struct sim_result *r = sim_query(&sim, SIM_SOURCE, "SHOW PARTITIONS FROM d.wide", err, sizeof err);
	struct sim_result *r2 = sim_query(&sim, SIM_SOURCE, "SHOW PARTITIONS FROM d.wide", err, sizeof err);
	assert_true((r == NULL) != (r2 == NULL));
	assert_int_equal(sim_rows(r ? r : r2), 100);
	sim_result_free(r);
	sim_result_free(r2);
	set(SIM_SOURCE, "sim_drop_result_every", "0");
}

static void
test_slow_and_stalled(void **state)
{
	char err[256];

	(void)state;
	set(SIM_SOURCE, "sim_slow_ms", "300");
	long long t0 = now_ms();
	assert_int_equal(sim_exec(&sim, SIM_SOURCE, "SELECT 1", err, sizeof err), 0);
	assert_true(now_ms() - t0 >= 300);
	set(SIM_SOURCE, "sim_slow_ms", "0");

	/* fe-0 of the target stops answering for 1.5 s: its open connections stall too */
	MYSQL *m = sim_connect(&sim, SIM_TARGET);
	assert_non_null(m);
	assert_int_equal(mysql_query(m, "ADMIN SET FRONTEND CONFIG (\"sim_stall_seconds\" = \"1.5\")"), 0);
	t0 = now_ms();
	assert_int_equal(mysql_query(m, "SELECT 1"), 0);
	mysql_free_result(mysql_store_result(m));
	assert_true(now_ms() - t0 >= 1200);
	mysql_close(m);
}

static void
test_leader_and_disk(void **state)
{
	(void)state;
	set(SIM_TARGET, "sim_leader", "1");
	struct sim_result *r = st_q(&sim, SIM_TARGET, "SHOW FRONTENDS");
	assert_string_equal(sim_cell(r, 0, "Role"), "FOLLOWER");
	assert_string_equal(sim_cell(r, 1, "Role"), "LEADER");
	sim_result_free(r);
	/* fe-0 forwards the RPC to the leader, which is down */
	set(SIM_TARGET, "sim_fe_down", "1");
	char msg[512];
	srmTTableReplicationRequest *rq = st_build(&sim, "d", "always", token, "fwd", ST_ADDR_MAPPED);
	assert_non_null(rq);
	assert_int_equal(rq_send(sim.ports[SIM_TARGET_RPC], rq, msg, sizeof msg), 6);
	assert_string_equal(msg, "forward request to fe master failed");
	g_object_unref(rq);
	r = st_q(&sim, SIM_TARGET, "SHOW FRONTENDS");
	assert_string_equal(sim_cell(r, 1, "Alive"), "false");
	sim_result_free(r);
	set(SIM_TARGET, "sim_fe_up", "1");
	set(SIM_TARGET, "sim_leader", "0");

	set(SIM_TARGET, "sim_disk_used_pct", "91");
	set(SIM_TARGET, "sim_disk_used_pct", "2:97");
	r = st_q(&sim, SIM_TARGET, "SHOW BACKENDS");
	assert_string_equal(sim_cell(r, 0, "MaxDiskUsedPct"), "91.00 %");
	assert_string_equal(sim_cell(r, 2, "UsedPct"), "97.00 %");
	sim_result_free(r);
	set(SIM_TARGET, "sim_disk_used_pct", "30");
	r = st_q(&sim, SIM_TARGET, "ADMIN SHOW FRONTEND CONFIG LIKE 'sim_disk%%'");
	assert_int_equal(sim_rows(r), 1);
	assert_string_equal(sim_cell(r, 0, "Value"), "30");
	sim_result_free(r);
}

static void
test_backend_down(void **state)
{
	(void)state;
	int port = st_port(&sim, "SOURCE_BE_0_BE_PORT");
	set(SIM_SOURCE, "sim_be_down", "0");
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_not_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	close(fd);
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "SHOW BACKENDS");
	assert_string_equal(sim_cell(r, 0, "Alive"), "false");
	sim_result_free(r);
	set(SIM_SOURCE, "sim_be_up", "0");
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	close(fd);
}

static void
test_malformed(void **state)
{
	(void)state;
	set(SIM_SOURCE, "sim_malformed", "partitions_meta:nonnumeric,show_partitions:nulls");
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "SELECT VISIBLE_VERSION, PARTITION_NAME FROM "
				    "information_schema.partitions_meta WHERE TABLE_NAME = 'first'");
	assert_non_null(r);
	const char *v = sim_cell(r, 0, "VISIBLE_VERSION");
	assert_non_null(v);
	assert_non_null(strchr(v, 'x'));
	assert_string_equal(sim_cell(r, 0, "PARTITION_NAME"), "first");
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SHOW PARTITIONS FROM d.first");
	assert_null(sim_cell(r, 0, "PartitionName"));
	sim_result_free(r);
	/* other statements are untouched */
	r = st_q(&sim, SIM_SOURCE, "SHOW PROC '/dbs/d/first/partitions'");
	assert_string_equal(sim_cell(r, 0, "PartitionName"), "first");
	sim_result_free(r);
	set(SIM_SOURCE, "sim_malformed", "show_proc:missing_column,select:negative");
	r = st_q(&sim, SIM_SOURCE, "SHOW PROC '/dbs'");
	assert_int_equal(sim_cols(r), 5);
	assert_false(sim_has_col(r, "TableNum"));
	sim_result_free(r);
	r = st_q(&sim, SIM_SOURCE, "SELECT COUNT(*) AS n FROM d.first");
	assert_string_equal(sim_cell(r, 0, "n"), "-10");
	sim_result_free(r);
	set(SIM_SOURCE, "sim_malformed", "show_databases:long_string");
	r = st_q(&sim, SIM_SOURCE, "SHOW DATABASES");
	assert_non_null(r);
	assert_int_equal(strlen(sim_cell(r, 0, "Database")), 10 * 1024 * 1024);
	sim_result_free(r);
	/* a wrong column count is still a whole result: an extra first column under the first title */
	set(SIM_SOURCE, "sim_malformed", "show_tables:wrong_count");
	r = st_q(&sim, SIM_SOURCE, "SHOW FULL TABLES FROM d");
	assert_non_null(r);
	assert_int_equal(sim_cols(r), 3);
	assert_string_equal(sim_title(r, 0), "Tables_in_d");
	assert_string_equal(sim_title(r, 1), "Tables_in_d");
	assert_string_equal(sim_cell(r, 0, "Tables_in_d"), "?");
	assert_string_equal(sim_cell(r, 0, "Table_type"), "BASE TABLE");
	sim_result_free(r);
	/* non-numeric also spoils what starts with a digit: versions, dates */
	set(SIM_SOURCE, "sim_malformed", "select:nonnumeric");
	r = st_q(&sim, SIM_SOURCE, "SELECT @@version_comment AS v");
	assert_string_equal(sim_cell(r, 0, "v"), "x.3.5-6d81f75");
	sim_result_free(r);
	set(SIM_SOURCE, "sim_malformed", "");
	char msg[256];
	assert_int_equal(sim_exec(&sim, SIM_SOURCE, "ADMIN SET FRONTEND CONFIG (\"sim_malformed\" = \"x:y\")", msg,
				  sizeof msg), 5102);
	assert_int_equal(sim_exec(&sim, SIM_SOURCE, "ADMIN SET FRONTEND CONFIG (\"sim_no_such_fault\" = \"1\")", msg,
				  sizeof msg), 5102);
	assert_string_equal(msg, "Config 'sim_no_such_fault' does not exist or is not mutable");
}

/*
 * Every corruption on every statement kind and information_schema table: the
 * client (libmariadb, which refuses a broken packet) reads a whole result and
 * sees the bad values.
 */
static void
test_malformed_keeps_protocol(void **state)
{
	static const char *const modes[] = { "nonnumeric", "negative", "huge", "nulls", "missing_column",
					     "wrong_count", "long_string" };
	static const struct { const char *kind, *sql; } stmts[] = {
		{ "show_proc", "SHOW PROC '/dbs/d/first/partitions'" },
		{ "show_partitions", "SHOW PARTITIONS FROM d.wide" },
		{ "show_tablet", "SHOW TABLET FROM d.first" },
		{ "show_create", "SHOW CREATE TABLE d.first" },
		{ "show_tables", "SHOW FULL TABLES FROM d" },
		{ "show_databases", "SHOW DATABASES" },
		{ "show_nodes", "SHOW BACKENDS" },
		{ "show_data", "SHOW DATA FROM d.first" },
		{ "show_other", "SHOW STORAGE VOLUMES" },
		{ "select", "SELECT @@version_comment, current_version()" },
		{ "admin", "ADMIN SHOW FRONTEND CONFIG LIKE 'replication_%'" },
		{ "partitions_meta", "SELECT * FROM information_schema.partitions_meta WHERE DB_NAME = 'd'" },
		{ "tables_config", "SELECT * FROM information_schema.tables_config WHERE TABLE_SCHEMA = 'd'" },
		{ "be_tablets", "SELECT * FROM information_schema.be_tablets" },
		{ "tables", "SELECT * FROM information_schema.tables WHERE TABLE_SCHEMA = 'd'" },
	};
	char value[128], err[512];

	(void)state;
	for (size_t k = 0; k < G_N_ELEMENTS(stmts); k++) {
		struct sim_result *clean = st_q(&sim, SIM_SOURCE, "%s", stmts[k].sql);
		assert_non_null(clean);
		for (size_t m = 0; m < G_N_ELEMENTS(modes); m++) {
			snprintf(value, sizeof value, "%s:%s", stmts[k].kind, modes[m]);
			set(SIM_SOURCE, "sim_malformed", value);
			struct sim_result *r = sim_query(&sim, SIM_SOURCE, stmts[k].sql, err, sizeof err);
			if (!r)
				fail_msg("%s with %s: %s", stmts[k].sql, value, err);
			assert_int_equal(sim_rows(r), sim_rows(clean));
			unsigned want = sim_cols(clean) + (!strcmp(modes[m], "wrong_count") ? 1 : 0) -
					(!strcmp(modes[m], "missing_column") && sim_cols(clean) > 1 ? 1 : 0);
			assert_int_equal(sim_cols(r), want);
			if (!strcmp(modes[m], "nulls") && sim_rows(r))
				for (unsigned c = 0; c < sim_cols(r); c++)
					assert_null(sim_cell(r, 0, sim_title(r, c)));
			sim_result_free(r);
			/* the connection goes on as usual */
			set(SIM_SOURCE, "sim_malformed", "");
			r = st_q(&sim, SIM_SOURCE, "SELECT 1 AS one");
			assert_string_equal(sim_cell(r, 0, "one"), "1");
			sim_result_free(r);
		}
		sim_result_free(clean);
	}
	/* "all" corrupts every answer */
	set(SIM_SOURCE, "sim_malformed", "all:negative");
	struct sim_result *r = st_q(&sim, SIM_SOURCE, "SHOW PARTITIONS FROM d.first");
	assert_int_equal(sim_cell(r, 0, "Buckets")[0], '-');
	sim_result_free(r);
	set(SIM_SOURCE, "sim_malformed", "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpc_errors),
		cmocka_unit_test(test_job_aborts),
		cmocka_unit_test(test_dropped_result),
		cmocka_unit_test(test_slow_and_stalled),
		cmocka_unit_test(test_leader_and_disk),
		cmocka_unit_test(test_backend_down),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_malformed_keeps_protocol),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
