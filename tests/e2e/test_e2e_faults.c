/*
 * Faults a real network and real clusters produce, injected into srsim
 * while srmigrate runs headless; every case ends with the target compared
 * to the source.
 *
 * Time: srsim runs at --speed 50 and srmigrate with e2e_fast's timings
 * (2 s passes). Stalls last real seconds, so the stall test shortens the
 * timeouts instead: "an FE silent for 2 minutes" against the default 60 s
 * read and 30 s connect timeouts is played as 12 s against 5 s and 1 s,
 * about the same number of timeouts in a row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e/e2e.h"

#define SPEED 50

static const char base[] =
	"[source]\nversion = 3.3.5\nrun_mode = shared_nothing\nuser = root\npassword = srcpw\n"
	"token = 8a1f2c3d-0000-4000-8000-00000000beef\nfe = 3\n\n"
	"[target]\nversion = 3.3.5\nrun_mode = shared_nothing\nuser = root\npassword = tgtpw\nfe = 3\n";

static void
start(struct sim *s, const char *more)
{
	char scen[8192];

	snprintf(scen, sizeof(scen), "%s%s", base, more);
	assert_int_equal(sim_start(s, scen, SPEED), 0);
	e2e_keep(s);
	e2e_fast(s);
	e2e_prepare(s);
}

static void
set_fault(struct sim *s, int side, const char *key, const char *value)
{
	char err[256];

	if (e2e_set_config(s, side, key, value, err, sizeof(err)) != 0)
		fail_msg("%s = %s: %s", key, value, err);
}

/* The status line of one side ("source: ..." / "target: ..."), copied into @line. */
static bool
status_line(const char *status, const char *side, char *line, size_t len)
{
	char want[32];
	const char *at;

	snprintf(want, sizeof(want), "%s: ", side);
	at = strncmp(status, want, strlen(want)) == 0 ? status : NULL;
	if (at == NULL) {
		snprintf(want, sizeof(want), "\n%s: ", side);
		at = strstr(status, want);
		if (at)
			at++;
	}
	if (at == NULL)
		return false;
	snprintf(line, len, "%.*s", (int)strcspn(at, "\n"), at);
	return true;
}

/* A number just before @what in @line ("3 connections lost"), or -1. */
static long
number_before(const char *line, const char *what)
{
	const char *at = strstr(line, what);

	if (at == NULL || at == line)
		return -1;
	while (at > line && at[-1] == ' ')
		at--;
	while (at > line && at[-1] >= '0' && at[-1] <= '9')
		at--;
	return strtol(at, NULL, 10);
}

/* Seconds in "data 12s old" / "data 1m 5s old"; -1 when absent. */
static long
data_age(const char *line)
{
	const char *at = strstr(line, "(data ");
	long total = 0, v;
	char *end;

	if (at == NULL)
		return -1;
	at += 6;
	while ((v = strtol(at, &end, 10)) >= 0 && end != at) {
		if (*end == 'h')
			total += v * 3600;
		else if (*end == 'm')
			total += v * 60;
		else if (*end == 's')
			total += v;
		else
			return -1;
		at = end + 1;
		while (*at == ' ')
			at++;
		if (strncmp(at, "old", 3) == 0)
			return total;
	}
	return -1;
}

/* Wait until the running srmigrate's log has @needle (or fail after @timeout_s). */
static void
wait_log(struct sim *s, const char *needle, int count, int timeout_s)
{
	double until = e2e_now() + timeout_s;

	while (e2e_now() < until) {
		if (e2e_log_count(s, needle) >= count)
			return;
		usleep(200000);
	}
	e2e_show(s);
	fail_msg("never logged %d times: %s", count, needle);
}

/* --- a connection cut mid-result, slow answers, aborted jobs, caps ----------------- */

/*
 * Every fourth result on the source is cut after its first row, the target
 * answers each statement 20 ms late, the FE aborts the first job of two
 * tables and one job in five at random, and admits replicas for one job
 * and a half at a time. The run converges with no job left failed, says it
 * waited at the limit and retried the aborted jobs, and its status counts
 * the lost connections. (The cuts hit every client of the source, this
 * test's too: they stop once most tables are copied, before the clusters
 * are compared.)
 */
static void
flaky_answers(void **state)
{
	struct sim s;
	struct e2e_progress p;
	char out[8192], line[1024];
	long lost = -1;
	pid_t pid;

	(void)state;
	start(&s, "\n[sim]\nseed = 7\n\n[generate]\ndatabases = 2\ntables = 6\npartitions = 2\n\n"
		  "[faults target]\nsim_slow_ms = 20\njob_abort_first_attempt = gen_db_000.t_00000,gen_db_001.t_00003\n"
		  "job_abort_probability = 0.2\njob_abort_reason = simulated snapshot failure\n");
	/* Each job copies 2 partitions x 4 buckets x 3 replicas = 24 replicas. */
	set_fault(&s, SIM_TARGET, "replication_max_parallel_replica_count", "30");
	set_fault(&s, SIM_SOURCE, "sim_drop_result_after_rows", "1");
	set_fault(&s, SIM_SOURCE, "sim_drop_result_every", "4");
	pid = e2e_launch(&s, (char *)NULL);
	wait_log(&s, " finished (", 4, 90);
	for (int i = 0; i < 20 && sim_exec(&s, SIM_SOURCE, "ADMIN SET FRONTEND CONFIG (\"sim_drop_result_every\" = "
					   "\"0\")", line, sizeof(line)) != 0; i++)
		;	/* this statement's own answer may be cut */
	assert_int_equal(e2e_converged(&s, 90), 0);
	/* The status, over the control socket, counts what the source dropped. */
	assert_int_equal(e2e_ctl(&s, "status", out, sizeof(out)), 0);
	assert_true(status_line(out, "source", line, sizeof(line)));
	lost = number_before(line, "connections lost");
	if (lost < 1)
		fprintf(stderr, "status:\n%s\n", out);
	assert_true(lost >= 1);
	sleep(3);	/* a progress report after the last job */
	kill(pid, SIGTERM);
	assert_int_equal(e2e_await(pid, 30), 0);

	assert_true(e2e_log_has(&s, "for gen_db_000.t_00000 failed (attempt 1): simulated snapshot failure"));
	assert_true(e2e_log_has(&s, "for gen_db_001.t_00003 failed (attempt 1): simulated snapshot failure"));
	assert_true(e2e_log_has(&s, "target at its limit (The replicating replica count in all running "
				    "replication jobs"));
	assert_int_equal(e2e_progress(&s, &p), 0);
	assert_int_equal(p.failed, 0);
	assert_int_equal(p.tables_finished, 6);
	assert_int_equal(e2e_converged(&s, 5), 0);
	e2e_finish(&s);
}

/* --- partitions added while the target answers slowly ------------------------------------ */

/*
 * Eight automatically partitioned tables get a new partition every second
 * load while the target takes 400 ms per statement, so a read of the target
 * lasts long enough for an ADD PARTITION to finish in the middle of it. The
 * pass must not take the partition it did not see for missing and add it
 * again (the FE refuses a duplicate for good and the table stops syncing).
 */
static void
partitions_added_during_slow_reads(void **state)
{
	struct sim s;
	pid_t pid;

	(void)state;
	start(&s, "\n[generate]\ndatabases = 1\ntables = 8\npartitions = 4\npartitioning = auto\n\n"
		  "[load]\ninterval = 50s\nrows = 100\nnew_partition_every = 2\nstop = 1100s\n");
	pid = e2e_launch(&s, (char *)NULL);
	wait_log(&s, "DDL done: ALTER TABLE", 8, 30);
	set_fault(&s, SIM_TARGET, "sim_slow_ms", "400");
	sleep(15);
	set_fault(&s, SIM_TARGET, "sim_slow_ms", "0");
	assert_int_equal(e2e_converged(&s, 60), 0);
	kill(pid, SIGTERM);
	assert_int_equal(e2e_await(pid, 30), 0);
	assert_true(e2e_log_count(&s, "ADD PARTITION") >= 20);
	if (e2e_log_has(&s, "Duplicate partition name"))
		e2e_show(&s);
	assert_false(e2e_log_has(&s, "Duplicate partition name"));
	e2e_finish(&s);
}

/* --- an FE that stops answering; then every FE ----------------------------------------- */

/*
 * Loads run on the source. The configured FE of each side stops answering
 * for 12 s: srmigrate moves to another FE (target_fe_hosts names fe-2; the
 * source's others come from SHOW FRONTENDS) and goes on copying meanwhile;
 * its control socket answers at once all along, with data no older than a
 * few passes. Then every target FE is silent for 16 s, longer than one read
 * timeout and a connect timeout per FE: the target is reported lost, the
 * status shows its data ageing, reconnection backs off, and when the FEs
 * answer again the run catches up.
 */
static void
stalled_fe(void **state)
{
	struct sim s;
	char out[8192], line[1024], port0[2][16], err[256];
	const char *side[2] = { "source", "target" };
	long switched[2] = { 0, 0 }, worst_age = 0, oldest_while_down = 0;
	double t0, slowest_ctl = 0;
	int finished_before, finished_during;
	pid_t pid;

	(void)state;
	/* The target's leader is fe-1: the stall of fe-0 leaves the RPCs alone. */
	start(&s, "leader = 1\n\n[generate]\ndatabases = 1\ntables = 4\npartitions = 2\n\n"
		  "[load]\ninterval = 20s\nrows = 100\nstop = 2600s\n");
	e2e_conf(&s, "target_fe_hosts=fe-2.target.invalid:9030\ncluster_lost_timeout_seconds=600\n"
		     "jdbc_socket_timeout_ms=5000\njdbc_connect_timeout_ms=1000\n");
	snprintf(port0[0], sizeof(port0[0]), "%d", e2e_port(&s, "SOURCE_FE_0_QUERY_PORT"));
	snprintf(port0[1], sizeof(port0[1]), "%d", e2e_port(&s, "TARGET_FE_0_QUERY_PORT"));
	pid = e2e_launch(&s, (char *)NULL);
	wait_log(&s, " finished (", 4, 60);

	/* fe-0 of both sides: silent for 12 s. */
	set_fault(&s, SIM_SOURCE, "sim_stall_fe", "0");
	set_fault(&s, SIM_TARGET, "sim_stall_fe", "0");
	finished_before = e2e_log_count(&s, " finished (");
	set_fault(&s, SIM_SOURCE, "sim_stall_seconds", "12");
	set_fault(&s, SIM_TARGET, "sim_stall_seconds", "12");
	t0 = e2e_now();
	while (e2e_now() - t0 < 11) {
		double c0 = e2e_now();

		assert_int_equal(e2e_ctl(&s, "status", out, sizeof(out)), 0);
		if (e2e_now() - c0 > slowest_ctl)
			slowest_ctl = e2e_now() - c0;
		for (int k = 0; k < 2; k++) {
			char via0[64];

			assert_true(status_line(out, side[k], line, sizeof(line)));
			snprintf(via0, sizeof(via0), "via 127.0.0.1:%s;", port0[k]);
			if (strstr(line, "via 127.0.0.1:") && strstr(line, via0) == NULL &&
			    number_before(line, "FE switches") >= 1)
				switched[k] = 1;
			/* Once moved, the data is fresh again: a pass or two old. */
			if (switched[0] && switched[1] && data_age(line) > worst_age)
				worst_age = data_age(line);
		}
		usleep(500000);
	}
	finished_during = e2e_log_count(&s, " finished (") - finished_before;
	if (!switched[0] || !switched[1])
		fprintf(stderr, "last status:\n%s\n", out);
	assert_true(switched[0]);
	assert_true(switched[1]);
	assert_true(slowest_ctl < 2.0);
	assert_true(worst_age <= 8);
	assert_true(finished_during >= 1);	/* copying went on through the other FEs */
	assert_true(e2e_log_has(&s, "SOURCE: now using FE 127.0.0.1:"));
	assert_true(e2e_log_has(&s, "TARGET: now using FE 127.0.0.1:"));
	sleep(2);	/* fe-0 answers again */

	/* Every target FE silent for 16 s. */
	set_fault(&s, SIM_TARGET, "sim_stall_fe", "-1");
	set_fault(&s, SIM_TARGET, "sim_stall_seconds", "16");
	t0 = e2e_now();
	while (e2e_now() - t0 < 15) {
		double c0 = e2e_now();

		assert_int_equal(e2e_ctl(&s, "status", out, sizeof(out)), 0);
		if (e2e_now() - c0 > slowest_ctl)
			slowest_ctl = e2e_now() - c0;
		assert_true(status_line(out, "target", line, sizeof(line)));
		if (data_age(line) > oldest_while_down)
			oldest_while_down = data_age(line);
		usleep(500000);
	}
	if (oldest_while_down < 10)
		fprintf(stderr, "last status:\n%s\n", out);
	assert_true(slowest_ctl < 2.0);
	assert_true(oldest_while_down >= 10);
	wait_log(&s, "TARGET cluster answers again", 1, 30);
	assert_true(e2e_log_has(&s, "ERROR TARGET cluster: "));
	assert_true(e2e_log_has(&s, "no FE answers (next try in "));
	/* The loads go on a little longer (52 s after the start): caught up by new jobs. */
	assert_int_equal(e2e_converged(&s, 90), 0);
	{
		char *log = e2e_read(&s, "log/sync.INFO.log"), *back = NULL;

		for (char *q = log; q && (q = strstr(q, "TARGET cluster answers again")) != NULL; q++)
			back = q;
		assert_non_null(back);
		assert_non_null(strstr(back, " finished ("));
		free(log);
	}
	kill(pid, SIGTERM);
	assert_int_equal(e2e_await(pid, 30), 0);
	(void)err;
	e2e_finish(&s);
}

/* --- a hung RPC, then a leader change ------------------------------------------------ */

/* Every JobID of /replications, and whether one table ever had two jobs running at once. */
struct seen_jobs {
	char ids[32][64];
	size_t n;
	bool two_running;
};

static void
poll_replications(struct sim *s, struct seen_jobs *seen)
{
	char err[256];
	struct sim_result *r = sim_query(s, SIM_TARGET, "SHOW PROC '/replications'", err, sizeof(err));

	for (size_t i = 0; r && i < sim_rows(r); i++) {
		const char *id = sim_cell(r, i, "JobID"), *st = sim_cell(r, i, "State");
		bool known = false;

		for (size_t k = 0; k < seen->n; k++)
			known = known || strcmp(seen->ids[k], id) == 0;
		if (!known && seen->n < 32)
			snprintf(seen->ids[seen->n++], sizeof(seen->ids[0]), "%s", id);
		for (size_t j = i + 1; j < sim_rows(r); j++)
			if (strcmp(sim_cell(r, j, "TableID"), sim_cell(r, i, "TableID")) == 0 &&
			    strcmp(st, "COMMITTED") != 0 && strcmp(st, "ABORTED") != 0 &&
			    strcmp(sim_cell(r, j, "State"), "COMMITTED") != 0 &&
			    strcmp(sim_cell(r, j, "State"), "ABORTED") != 0)
				seen->two_running = true;
	}
	sim_result_free(r);
}

/*
 * The first three requests hang 20 s, past srmigrate's 15 s RPC timeout;
 * the FE then takes the first and third and drops the second without a job.
 * srmigrate follows the two it never got an answer for under their own ids,
 * gives the third up once the FE has not shown it for its grace period, and
 * sends that table again under a new id. Meanwhile the leader moves from
 * fe-1 to fe-2 and fe-1 goes silent: the new request must go to fe-2 (sent
 * to fe-1 it would hang and time out again). Four requests in all, no job
 * the FE runs that srmigrate did not send, never two at once for a table.
 */
static void
hung_rpc_and_leader_change(void **state)
{
	struct sim s;
	struct seen_jobs seen = { .n = 0 };
	char *log;
	int rc = -1;
	pid_t pid;

	(void)state;
	start(&s, "leader = 1\n\n[generate]\ndatabases = 1\ntables = 3\npartitions = 2\n\n"
		  "[faults target]\nrpc_hang_ms = 20000\nrpc_error_every = 2\nrpc_error_mode = close\n");
	pid = e2e_launch(&s, "--once", (char *)NULL);
	for (double t0 = e2e_now(); e2e_now() - t0 < 40 && e2e_log_count(&s, "no answer") < 3;) {
		poll_replications(&s, &seen);
		usleep(250000);
	}
	assert_int_equal(e2e_log_count(&s, "no answer"), 3);
	assert_int_equal(sim_stat(&s, SIM_TARGET, "RPCS"), 3);
	set_fault(&s, SIM_TARGET, "sim_rpc_hang_ms", "0");
	set_fault(&s, SIM_TARGET, "sim_rpc_error_every", "0");
	set_fault(&s, SIM_TARGET, "sim_leader", "2");
	set_fault(&s, SIM_TARGET, "sim_stall_fe", "1");
	set_fault(&s, SIM_TARGET, "sim_stall_seconds", "50");
	for (double t0 = e2e_now(); e2e_now() - t0 < 90;) {
		poll_replications(&s, &seen);
		if (e2e_exited(pid, &rc))
			break;
		usleep(250000);
	}
	if (rc != 0)
		e2e_show(&s);
	assert_int_equal(rc, 0);
	assert_int_equal(e2e_converged(&s, 10), 0);
	/* The two late ones followed, the lost one given up once and sent again to the new leader. */
	assert_int_equal(e2e_log_count(&s, "no answer"), 3);
	assert_int_equal(e2e_log_count(&s, "the FE does not know it"), 1);
	assert_int_equal(e2e_log_count(&s, " sent ("), 1);
	assert_true(e2e_log_count(&s, " finished (") >= 3);
	/* (Plus those a pass planned on a target read just before a commit: nothing to copy, or still publishing.) */
	assert_int_equal(sim_stat(&s, SIM_TARGET, "RPCS"), 4 + e2e_log_count(&s, "the FE had nothing to copy") +
			 e2e_log_count(&s, "the target still publishes the last job"));
	/* Every job the FE ran is one srmigrate sent, under its own id; none ran twice at once. */
	assert_false(seen.two_running);
	assert_true(seen.n >= 3);
	log = e2e_read(&s, "log/sync.INFO.log");
	for (size_t k = 0; k < seen.n; k++) {
		char want[96];

		snprintf(want, sizeof(want), "job %s for ", seen.ids[k]);
		if (strstr(log, want) == NULL)
			fprintf(stderr, "the FE ran %s, which srmigrate never logged\n", seen.ids[k]);
		assert_non_null(strstr(log, want));
	}
	free(log);
	e2e_finish(&s);
}

/* --- the target's disks fill up in the middle -------------------------------------------- */

/*
 * A target BE goes over target_cluster_max_disk_used_percent while jobs
 * run: headless srmigrate stops with exit 3 and sends nothing more. Once
 * space is back, a new start follows what the FE still runs and finishes.
 */
static void
disk_fills_midway(void **state)
{
	struct sim s;
	char *out, *log, *guard;
	long rpcs_at_stop;
	pid_t pid;

	(void)state;
	start(&s, "\n[generate]\ndatabases = 1\ntables = 6\npartitions = 2\n\n"
		  "[replication]\ncopy_speed = 20KB\n");
	e2e_conf(&s, "target_cluster_max_disk_used_percent=85\n");
	set_fault(&s, SIM_TARGET, "replication_max_parallel_table_count", "2");
	pid = e2e_launch(&s, (char *)NULL);
	wait_log(&s, " finished (", 1, 60);
	set_fault(&s, SIM_TARGET, "sim_disk_used_pct", "1:91");
	assert_int_equal(e2e_await(pid, 30), 3);
	rpcs_at_stop = sim_stat(&s, SIM_TARGET, "RPCS");
	out = e2e_read(&s, "srmigrate.out");
	assert_non_null(strstr(out, "stopped by the disk guard: BE be-1.target.invalid (91.0% > 85%)"));
	free(out);
	log = e2e_read(&s, "log/sync.INFO.log");
	guard = strstr(log, "target disk guard: BE be-1.target.invalid");
	assert_non_null(guard);
	assert_null(strstr(guard, " sent ("));
	free(log);
	assert_true(rpcs_at_stop < 6);

	set_fault(&s, SIM_TARGET, "sim_disk_used_pct", "30");
	pid = e2e_launch(&s, (char *)NULL);
	assert_int_equal(e2e_converged(&s, 90), 0);
	kill(pid, SIGTERM);
	assert_int_equal(e2e_await(pid, 30), 0);
	/* Afterwards: one job for each table that had none running, none sent twice. */
	assert_true(sim_stat(&s, SIM_TARGET, "RPCS") <= 6);
	e2e_finish(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(flaky_answers, e2e_teardown),
		cmocka_unit_test_teardown(partitions_added_during_slow_reads, e2e_teardown),
		cmocka_unit_test_teardown(stalled_fe, e2e_teardown),
		cmocka_unit_test_teardown(hung_rpc_and_leader_change, e2e_teardown),
		cmocka_unit_test_teardown(disk_fills_midway, e2e_teardown),
	};

	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
