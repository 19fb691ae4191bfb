/*
 * srsim's replication jobs: states in /replications and /transactions, the
 * label, versions and rows at commit, the snapshot step's real checks of the
 * source backends (token, address, port), label reuse, a dropped table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

#include <cmocka.h>

#include "simtest.h"

static const char scenario[] =
	"[source]\nversion = 3.3.5\npassword = spw\ntoken = tok-src\nbe = 3\n"
	"[target]\nversion = 3.3.5\npassword = tpw\nbe = 3\n"
	"[replication]\nsnapshot_latency = 4s\ninit_delay = 1s\npublish_delay = 1s\ncopy_speed = 1MB\n"
	"[table sales.orders]\npartition_by = range(dt)\npartitions = 2\nbuckets = 2\nrows = 2000\ndata_size = 2MB\n"
	"on_target = true\n"
	"[table sales.token]\nrows = 10\non_target = true\n"
	"[table sales.empty_token]\nrows = 10\non_target = true\n"
	"[table sales.unmapped]\nrows = 10\non_target = true\n"
	"[table sales.badport]\nrows = 10\non_target = true\n"
	"[table sales.dropme]\nrows = 10\non_target = true\n"
	"[table sales.swept]\nrows = 10\non_target = true\n";

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

/* The /replications row of a job, copied into out (title -> value for a few titles). */
struct job_row {
	char state[32], progress[32], error[1024], txn[32], table[32];
	bool found;
};

static struct job_row
job(const char *job_id)
{
	struct job_row j = { 0 };
	struct sim_result *r = st_q(&sim, SIM_TARGET, "SHOW PROC '/replications'");

	for (size_t i = 0; r && i < sim_rows(r); i++) {
		if (strcmp(sim_cell(r, i, "JobID"), job_id) != 0)
			continue;
		j.found = true;
		snprintf(j.state, sizeof j.state, "%s", sim_cell(r, i, "State"));
		snprintf(j.progress, sizeof j.progress, "%s", sim_cell(r, i, "Progress"));
		snprintf(j.error, sizeof j.error, "%s", sim_cell(r, i, "Error"));
		snprintf(j.txn, sizeof j.txn, "%s", sim_cell(r, i, "TxnID"));
		snprintf(j.table, sizeof j.table, "%s", sim_cell(r, i, "TableID"));
	}
	sim_result_free(r);
	return j;
}

static struct job_row
wait_end(const char *job_id)
{
	struct job_row j;

	for (int i = 0; i < 300; i++) {
		j = job(job_id);
		if (j.found && (!strcmp(j.state, "COMMITTED") || !strcmp(j.state, "ABORTED")))
			return j;
		usleep(50000);
	}
	return j;
}

static int
start(const char *tbl, const char *tok, const char *job_id, enum st_addr addr, char *msg, size_t n)
{
	srmTTableReplicationRequest *r = st_build(&sim, "sales", tbl, tok, job_id, addr);

	assert_non_null(r);
	int rc = rq_send(sim.ports[SIM_TARGET_RPC], r, msg, n);
	g_object_unref(r);
	return rc;
}

static void
test_life_cycle(void **state)
{
	char msg[1024];
	struct st_ids ids;
	bool seen_progress = false;

	(void)state;
	assert_int_equal(start("orders", token, "job-1", ST_ADDR_MAPPED, msg, sizeof msg), 0);
	struct job_row j = job("job-1");
	assert_true(j.found);
	assert_true(!strcmp(j.state, "INITIALIZING") || !strcmp(j.state, "SNAPSHOTING"));
	/* while running, Progress is "<running tasks>/<total tasks>": 2 partitions x 2 buckets x 3 replicas */
	for (int i = 0; i < 200 && !seen_progress; i++) {
		j = job("job-1");
		if (!strcmp(j.state, "SNAPSHOTING") || !strcmp(j.state, "REPLICATING")) {
			int run = -1, total = -1;
			assert_int_equal(sscanf(j.progress, "%d/%d", &run, &total), 2);
			assert_int_equal(total, 12);
			assert_true(run >= 1 && run <= 12);
			seen_progress = true;
		}
		usleep(20000);
	}
	assert_true(seen_progress);
	j = wait_end("job-1");
	assert_string_equal(j.state, "COMMITTED");
	assert_string_equal(j.error, "");
	assert_string_equal(j.progress, "");

	/* the transaction: REPLICATION_<db>_<tbl>_<job>, coordinated by the leader, VISIBLE after publish */
	assert_int_equal(st_table_ids(&sim, SIM_TARGET, "sales", "orders", &ids), 0);
	char label[256];
	snprintf(label, sizeof label, "REPLICATION_%lld_%lld_job-1", (long long)ids.db, (long long)ids.table);
	bool visible = false;
	for (int i = 0; i < 100 && !visible; i++) {
		struct sim_result *t = st_q(&sim, SIM_TARGET, "SHOW PROC '/transactions/sales/finished'");
		for (size_t k = 0; t && k < sim_rows(t); k++)
			if (!strcmp(sim_cell(t, k, "Label"), label)) {
				assert_string_equal(sim_cell(t, k, "LoadJobSourceType"), "REPLICATION");
				assert_string_equal(sim_cell(t, k, "Coordinator"), "FE: fe-0.target.invalid");
				assert_string_equal(sim_cell(t, k, "TransactionId"), j.txn);
				visible = !strcmp(sim_cell(t, k, "TransactionStatus"), "VISIBLE");
			}
		sim_result_free(t);
		usleep(50000);
	}
	assert_true(visible);
	/* the target partitions took the source's versions and rows */
	char report[4096];
	assert_int_equal(sim_compare(&sim, "sales.orders", report, sizeof report), 0);
	struct sim_result *p = st_q(&sim, SIM_TARGET, "SHOW PARTITIONS FROM sales.orders");
	assert_non_null(p);
	assert_string_equal(sim_cell(p, 0, "VersionTxnType"), "TXN_REPLICATION");
	sim_result_free(p);
	/* nothing moved since: the FE says so */
	assert_int_equal(start("orders", token, "job-2", ST_ADDR_MAPPED, msg, sizeof msg), 6);
	assert_string_equal(msg, "No data need to replicate");
}

static void
test_label_reuse(void **state)
{
	char msg[1024], err[256];

	(void)state;
	/* the source moves on; the same job id makes the same label, which is used */
	assert_int_equal(sim_exec(&sim, SIM_SOURCE, "INSERT INTO sales.orders VALUES (1), (2), (3)", err, sizeof err), 0);
	assert_int_equal(start("orders", token, "job-1", ST_ADDR_MAPPED, msg, sizeof msg), 0);
	struct job_row j = wait_end("job-1");
	assert_string_equal(j.state, "ABORTED");
	/* beginTransaction failed: no transaction, so the FE reports it as not found */
	assert_string_equal(j.txn, "0");
	assert_string_equal(j.error, "Transaction not found");
	/* a fresh job id catches up */
	assert_int_equal(start("orders", token, "job-3", ST_ADDR_MAPPED, msg, sizeof msg), 0);
	assert_string_equal(wait_end("job-3").state, "COMMITTED");
	assert_int_equal(sim_wait_cell(&sim, SIM_TARGET, "SELECT COUNT(*) AS n FROM sales.orders", "n", "2003", 5000), 0);
}

static void
expect_abort(const char *tbl, const char *tok, const char *job_id, enum st_addr addr, const char *needle)
{
	char msg[1024];

	assert_int_equal(start(tbl, tok, job_id, addr, msg, sizeof msg), 0);
	struct job_row j = wait_end(job_id);
	assert_string_equal(j.state, "ABORTED");
	print_message("%s aborted: %s\n", job_id, j.error);
	if (!strstr(j.error, needle))
		fail_msg("error \"%s\" lacks \"%s\"", j.error, needle);
	/* the reason is the aborted transaction's */
	struct sim_result *t = st_q(&sim, SIM_TARGET, "SHOW PROC '/transactions/sales/finished'");
	bool found = false;
	for (size_t k = 0; t && k < sim_rows(t); k++)
		if (!strcmp(sim_cell(t, k, "TransactionId"), j.txn)) {
			assert_string_equal(sim_cell(t, k, "TransactionStatus"), "ABORTED");
			assert_string_equal(sim_cell(t, k, "Reason"), j.error);
			found = true;
		}
	sim_result_free(t);
	assert_true(found);
}

static void
test_wrong_token(void **state)
{
	(void)state;
	expect_abort("token", "not-the-token", "job-tok", ST_ADDR_MAPPED, "invalid token.");
	expect_abort("empty_token", "", "job-notok", ST_ADDR_MAPPED, "token is not specified.");
}

static void
test_unreachable_backends(void **state)
{
	(void)state;
	/* a .invalid name the client did not map never resolves */
	expect_abort("unmapped", token, "job-unmapped", ST_ADDR_INVALID_NAME, "be-");
	expect_abort("badport", token, "job-port", ST_ADDR_WRONG_PORT, "127.0.0.1:1 failed");
}

static void
test_dropped_table(void **state)
{
	char msg[1024], err[256];

	(void)state;
	assert_int_equal(sim_exec(&sim, SIM_TARGET, "ADMIN SET FRONTEND CONFIG (\"sim_snapshot_latency\" = \"600s\")",
				  err, sizeof err), 0);
	assert_int_equal(start("dropme", token, "job-drop", ST_ADDR_MAPPED, msg, sizeof msg), 0);
	for (int i = 0; i < 100 && strcmp(job("job-drop").state, "SNAPSHOTING") != 0; i++)
		usleep(20000);
	assert_string_equal(job("job-drop").state, "SNAPSHOTING");
	assert_int_equal(sim_exec(&sim, SIM_TARGET, "DROP TABLE sales.dropme", err, sizeof err), 0);
	struct job_row j = job("job-drop");
	assert_string_equal(j.state, "ABORTED");
	assert_string_equal(j.error, "Table is deleted");
	assert_int_equal(sim_exec(&sim, SIM_TARGET, "ADMIN SET FRONTEND CONFIG (\"sim_snapshot_latency\" = \"4s\")",
				  err, sizeof err), 0);
}

static void
test_swept_version(void **state)
{
	char msg[1024], err[256];

	(void)state;
	srmTTableReplicationRequest *r = st_build(&sim, "sales", "swept", token, "job-swept", ST_ADDR_MAPPED);
	assert_non_null(r);
	/* two loads replace the requested version; without retention the BEs sweep it at once */
	assert_int_equal(sim_exec(&sim, SIM_SOURCE, "ADMIN SET FRONTEND CONFIG (\"sim_version_retention\" = \"0s\")",
				  err, sizeof err), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(sim_exec(&sim, SIM_SOURCE,
					  "INSERT INTO sales.swept VALUES (1, '2024-01-01', 'r', 1, 'x', 1.5)", err,
					  sizeof err), 0);
		usleep(20000);
	}
	assert_int_equal(rq_send(sim.ports[SIM_TARGET_RPC], r, msg, sizeof msg), 0);
	g_object_unref(r);
	struct job_row j = wait_end("job-swept");
	assert_string_equal(j.state, "ABORTED");
	if (!strstr(j.error, "not found"))
		fail_msg("error \"%s\" is not about a missing version", j.error);
	assert_int_equal(sim_exec(&sim, SIM_SOURCE,
				  "ADMIN SET FRONTEND CONFIG (\"sim_version_retention\" = \"1800s\")", err, sizeof err), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_life_cycle),
		cmocka_unit_test(test_label_reuse),
		cmocka_unit_test(test_wrong_token),
		cmocka_unit_test(test_unreachable_backends),
		cmocka_unit_test(test_dropped_table),
		cmocka_unit_test(test_swept_version),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
