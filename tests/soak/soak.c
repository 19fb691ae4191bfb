/*
 * soak: srmigrate left running against srsim under continuous loads and a
 * fault every minute, for SOAK_MINUTES (default 30).
 *
 *	make soak                    (release build, 30 minutes)
 *	SOAK_MINUTES=10 make soak
 *
 * srsim plays a 3.3.5 source and target with three FEs each and 240 tables
 * loaded all along (automatic list tables open new partitions). srmigrate runs
 * headless and continuously. Each minute one fault of the list below is
 * switched on for 30 s (a stall ends by itself), and srmigrate's resident
 * memory is sampled. The loads stop two minutes before the end; then every
 * table must converge, and srmigrate must stop with exit 0 on SIGTERM.
 *
 * Fails when srmigrate dies, when the clusters do not converge, or when
 * its RSS after the warm-up (the first fifth of the run, at least three
 * minutes) rises above the RSS at the end of the warm-up by more than
 * max(4 MB, 10 %) plus 1 kB for every partition the source gained since
 * (the automatic partitions the loads open: srmigrate holds both clusters'
 * catalogs, which grow with them). Prints the samples, the faults and the
 * figures.
 */
#include <mysql.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e/e2e.h"

#define SPEED 20
#define MAX_MINUTES 24 * 60

static const char scenario_fmt[] =
	"[sim]\nseed = 11\n\n"
	"[source]\nversion = 3.3.5\nrun_mode = shared_nothing\nuser = root\npassword = soak src;#1\n"
	"token = 0b7c5e1a-6d2f-4c3b-8a9e-5f4d3c2b1a09\nfe = 3\nbe = 3\n\n"
	"[target]\nversion = 3.3.5\nrun_mode = shared_nothing\nuser = root\npassword = soak tgt;#2\n"
	"fe = 3\nbe = 3\nleader = 1\n\n"
	"[generate]\ndatabases = 4\ntables = 240\npartitions = 4\nbuckets = 4\nrows = 20000\n"
	"data_size = 4MB\npartitioning = range,list,none,auto\n\n"
	"[load]\ninterval = 120s\nrows = 500\nbytes = 256KB\nnew_partition_every = 10\nstop = %lds\n\n"
	"[replication]\nversion_retention = 7200s\n";

/*
 * ADMIN SET FRONTEND CONFIG on one side through its fe-2 (configs are per
 * cluster; fe-2 is never the one stalled alone, so the statement is not
 * held up by the fault it starts or ends). 0, or -1 with a message.
 */
static int
admin(struct sim *s, int side, const char *key, const char *value)
{
	char port_key[64], user[64] = "root", sql[512];
	const char *pw = side == SIM_SOURCE ? "soak src;#1" : "soak tgt;#2";
	unsigned int ct = 5, rt = 30;
	MYSQL *m = mysql_init(NULL);
	int rc = 0;

	snprintf(port_key, sizeof(port_key), "%s_FE_2_QUERY_PORT", side == SIM_SOURCE ? "SOURCE" : "TARGET");
	snprintf(sql, sizeof(sql), "ADMIN SET FRONTEND CONFIG (\"%s\" = \"%s\")", key, value);
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rt);
	if (mysql_real_connect(m, "127.0.0.1", user, pw, NULL, (unsigned)e2e_port(s, port_key), NULL, 0) == NULL ||
	    mysql_query(m, sql) != 0) {
		fprintf(stderr, "soak: %s on the %s: %s\n", sql, side == SIM_SOURCE ? "source" : "target",
			mysql_error(m));
		rc = -1;
	}
	mysql_close(m);
	return rc;
}

/* One fault: what to set at the start of its minute and what undoes it 30 s later. */
struct fault {
	const char *name;
	int side;
	const char *on[3][2];
	const char *off[3][2];
};

static const struct fault faults[] = {
	{ "results cut after one row (source, every 7th)", SIM_SOURCE,
	  { { "sim_drop_result_after_rows", "1" }, { "sim_drop_result_every", "7" } },
	  { { "sim_drop_result_every", "0" } } },
	{ "slow answers (target, 150 ms per statement)", SIM_TARGET,
	  { { "sim_slow_ms", "150" } }, { { "sim_slow_ms", "0" } } },
	{ "configured FE silent for 20 s (target fe-0)", SIM_TARGET,
	  { { "sim_stall_fe", "0" }, { "sim_stall_seconds", "20" } }, { { NULL, NULL } } },
	{ "jobs aborted by the FE (target, 30 %)", SIM_TARGET,
	  { { "sim_job_abort_probability", "0.3" }, { "sim_job_abort_reason", "soak: snapshot failed" } },
	  { { "sim_job_abort_probability", "0" } } },
	{ "RPCs hang 20 s (target, every 4th)", SIM_TARGET,
	  { { "sim_rpc_hang_every", "4" }, { "sim_rpc_hang_ms", "20000" } }, { { "sim_rpc_hang_ms", "0" } } },
	{ "leader moves (target fe-1 -> fe-2)", SIM_TARGET, { { "sim_leader", "2" } }, { { NULL, NULL } } },
	{ "parallel table limit 3 (target)", SIM_TARGET,
	  { { "replication_max_parallel_table_count", "3" } },
	  { { "replication_max_parallel_table_count", "100" } } },
	{ "RPCs answered by an exception (target, every 3rd)", SIM_TARGET,
	  { { "sim_rpc_error_mode", "exception" }, { "sim_rpc_error_every", "3" } },
	  { { "sim_rpc_error_every", "0" } } },
	{ "every source FE silent for 12 s", SIM_SOURCE,
	  { { "sim_stall_fe", "-1" }, { "sim_stall_seconds", "12" } }, { { NULL, NULL } } },
	{ "a source BE down (be-0)", SIM_SOURCE, { { "sim_be_down", "0" } }, { { "sim_be_up", "0" } } },
	{ "leader moves back (target fe-2 -> fe-1)", SIM_TARGET, { { "sim_leader", "1" } }, { { NULL, NULL } } },
	{ "connections closed on RPCs (target, every 5th)", SIM_TARGET,
	  { { "sim_rpc_error_mode", "close" }, { "sim_rpc_error_every", "5" } },
	  { { "sim_rpc_error_every", "0" } } },
};

static void
apply(struct sim *s, const char *const kv[3][2], int side)
{
	for (int i = 0; i < 3 && kv[i][0]; i++)
		admin(s, side, kv[i][0], kv[i][1]);
}

static long
rss_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	FILE *f;
	long kb = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, strlen(field)) == 0)
			kb = strtol(line + strlen(field), NULL, 10);
	fclose(f);
	return kb;
}

/* Compare until equal or @timeout_s of wall time (one comparison of 240 tables takes a while). */
static int
converge(struct sim *s, int timeout_s, char *report, size_t len)
{
	double until = e2e_now() + timeout_s;
	int diff;

	do {
		diff = sim_compare(s, NULL, report, len);
		if (diff == 0)
			return 0;
		sleep(2);
	} while (e2e_now() < until);
	return diff;
}

/* The source's partitions, or -1 (asked again a few times: a fault may be on). */
static long
source_partitions(struct sim *s)
{
	for (int i = 0; i < 10; i++) {
		struct sim_result *r = sim_query(s, SIM_SOURCE,
						 "SELECT COUNT(*) AS n FROM information_schema.partitions_meta", NULL, 0);
		const char *n = r && sim_rows(r) == 1 ? sim_cell(r, 0, "n") : NULL;
		long v = n ? strtol(n, NULL, 10) : -1;

		sim_result_free(r);
		if (v >= 0)
			return v;
		sleep(1);
	}
	return -1;
}

static bool
alive(pid_t pid, int *status)
{
	return waitpid(pid, status, WNOHANG) == 0;
}

int
main(void)
{
	const char *env = getenv("SOAK_MINUTES");
	long minutes = env && *env ? strtol(env, NULL, 10) : 30;
	long warmup, rss[MAX_MINUTES + 1], base, peak_after = 0, bound, load_stop, parts_base = -1, parts_end;
	char scen[4096], report[16384], *log;
	struct e2e_progress p;
	struct sim s;
	double t0;
	int st = 0, diff, rc;
	bool ok = true;
	pid_t pid;

	if (minutes < 5 || minutes > MAX_MINUTES) {
		fprintf(stderr, "soak: SOAK_MINUTES must be 5 to %d\n", MAX_MINUTES);
		return 2;
	}
	warmup = minutes / 5 > 3 ? minutes / 5 : 3;
	/* Loads stop two minutes before the end (simulated seconds). */
	load_stop = (minutes - 2) * 60 * SPEED;
	snprintf(scen, sizeof(scen), scenario_fmt, load_stop);
	if (sim_start(&s, scen, SPEED) != 0) {
		fprintf(stderr, "soak: srsim did not start\n");
		return 1;
	}
	e2e_conf(&s, "meta_job_interval_seconds=5\nddl_job_interval_seconds=2\nreplication_job_interval_seconds=2\n"
		     "report_interval_seconds=10\njdbc_connect_timeout_ms=2000\njdbc_socket_timeout_ms=8000\n"
		     "target_fe_hosts=fe-2.target.invalid:9030\ncluster_lost_timeout_seconds=600\n"
		     "replication_job_batch_size=50\n");
	admin(&s, SIM_TARGET, "enable_legacy_compatibility_for_replication", "true");
	pid = e2e_start(&s, (char *)NULL);
	printf("soak: %ld minutes (warm-up %ld), srsim --speed %d, 240 tables under load until minute %ld\n",
	       minutes, warmup, SPEED, minutes - 2);
	printf("%6s %10s %10s %8s %8s  %s\n", "minute", "RSS kB", "peak kB", "passes", "jobs", "fault this minute");
	t0 = e2e_now();
	for (long m = 0; m <= minutes; m++) {
		const struct fault *f = m > 0 && m < minutes - 2 ? &faults[(m - 1) % (sizeof(faults) / sizeof(faults[0]))]
							     : NULL;

		while (e2e_now() - t0 < m * 60.0 && alive(pid, &st))
			usleep(200000);
		if (!alive(pid, &st)) {
			printf("soak: FAILED: srmigrate ended at minute %ld (status %d)\n", m, st);
			ok = false;
			break;
		}
		rss[m] = rss_kb(pid, "VmRSS:");
		printf("%6ld %10ld %10ld %8d %8d  %s\n", m, rss[m], rss_kb(pid, "VmHWM:"),
		       e2e_log_count(&s, "INFO  meta pass "), e2e_log_count(&s, " finished ("),
		       f ? f->name : m >= minutes - 2 ? "(none: loads stopped, catching up)" : "(none)");
		fflush(stdout);
		if (m > warmup && rss[m] > peak_after)
			peak_after = rss[m];
		if (m == warmup)
			parts_base = source_partitions(&s);
		if (m == minutes)
			break;
		if (f) {
			apply(&s, f->on, f->side);
			while (e2e_now() - t0 < m * 60.0 + 30 && alive(pid, &st))
				usleep(200000);
			apply(&s, f->off, f->side);
		}
	}
	if (ok) {
		diff = converge(&s, 180, report, sizeof(report));
		if (diff != 0) {
			printf("soak: FAILED: the clusters differ after the loads stopped:\n%s\n", report);
			ok = false;
		}
		kill(pid, SIGTERM);
		rc = e2e_wait(pid, 60);
		if (rc != 0) {
			printf("soak: FAILED: srmigrate exited with %d on SIGTERM\n", rc);
			ok = false;
		}
	} else {
		kill(pid, SIGKILL);
		e2e_wait(pid, 10);
	}
	if (ok) {
		base = rss[warmup];
		parts_end = source_partitions(&s);
		bound = (base / 10 > 4096 ? base / 10 : 4096) +
			(parts_base >= 0 && parts_end > parts_base ? parts_end - parts_base : 0);
		printf("soak: source partitions %ld at the end of the warm-up, %ld at the end\n", parts_base,
		       parts_end);
		printf("soak: RSS at the end of the warm-up %ld kB, highest after it %ld kB (+%ld kB, bound +%ld kB)\n",
		       base, peak_after, peak_after - base, bound);
		if (peak_after - base > bound) {
			printf("soak: FAILED: memory grew beyond the bound\n");
			ok = false;
		}
	}
	if (e2e_progress(&s, &p) == 0)
		printf("soak: last progress: %u jobs (%u finished, %u failed, %u unknown), %u tables (%u in sync)\n",
		       p.total, p.finished, p.failed, p.unknown, p.tables, p.tables_finished);
	printf("soak: %d meta passes, %d jobs finished, %d job failures retried, %d jobs without an answer, "
	       "%d FE switches, %d DDL statements\n",
	       e2e_log_count(&s, "INFO  meta pass "), e2e_log_count(&s, " finished ("),
	       e2e_log_count(&s, " failed (attempt "), e2e_log_count(&s, ": no answer ("),
	       e2e_log_count(&s, ": now using FE "), e2e_log_count(&s, "DDL done: "));
	printf("soak: target FE received %ld replication requests\n", sim_stat(&s, SIM_TARGET, "RPCS"));
	log = e2e_read(&s, "srmigrate.out");
	if (!ok && log)
		printf("--- last srmigrate output ---\n%s\n", strlen(log) > 8000 ? log + strlen(log) - 8000 : log);
	free(log);
	if (!ok) {
		setenv("SRM_KEEP", "1", 1);
		printf("soak: kept %s\n", s.dir);
	}
	sim_stop(&s);
	printf("soak: %s\n", ok ? "PASSED" : "FAILED");
	return ok ? 0 : 1;
}
