/*
 * bench_engine: srmigrate at scale against srsim, counted by srsim.
 *
 *   pass    10 000 tables x 10 partitions on both sides, nothing lagging:
 *           statements per meta pass per cluster (srsim's counters over
 *           several passes) and the pass's wall time (srmigrate's log).
 *   plan    the same catalog with every target partition behind (the
 *           tables exist, empty), 16 buckets: `srmigrate plan` with
 *           meta_job_threads=4 builds every job's request. Statements sent,
 *           against the minimum the SQL interface allows; wall time; peak
 *           RSS of srmigrate.
 *   slots   2 000 one-partition tables whose replication takes a fixed
 *           simulated time, the target capped at 100 running jobs: the
 *           makespan of a one-time run against tables x time / cap.
 *
 * srmigrate and srsim are $SRMIGRATE and $SRSIM (the release build).
 * One line per figure: BENCH<TAB>label<TAB>value<TAB>unit<TAB>goal<TAB>ok|MISSED
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e/e2e.h"

#define TABLES		10000
#define PARTITIONS	10
#define BUCKETS		16
#define SLOT_TABLES	2000
#define SLOT_CAP	100
#define SLOT_JOB_S	20.0	/* simulated seconds per job */
#define SLOT_SPEED	5.0	/* -> 4 real seconds per job */

static int missed;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
report(const char *label, double value, int decimals, const char *unit, const char *goal, bool ok)
{
	printf("BENCH\t%s\t%.*f\t%s\t%s\t%s\n", label, decimals, value, unit, goal, ok ? "ok" : "MISSED");
	fflush(stdout);
	missed += !ok;
}

static void
die(const char *what)
{
	fprintf(stderr, "bench_engine: %s\n", what);
	exit(2);
}

/*
 * The scenario: both clusters with the same generated catalog at version 3
 * on the source; on the target the same (@synced) or every table empty at
 * version 1, so that every partition lags. Then @extra.
 */
static void
start(struct sim *s, const char *generate, bool synced, const char *extra, double speed)
{
	char scen[4096];

	snprintf(scen, sizeof(scen),
		 "[source]\nversion = 3.5.2\nrun_mode = shared_nothing\nuser = root\npassword = srcpw\n"
		 "be = 3\n\n"
		 "[target]\nversion = 3.5.2\nrun_mode = shared_nothing\nuser = root\npassword = tgtpw\n"
		 "be = 3\n\n[generate source]\n%sversion = 3\n\n[generate target]\n%s%s\n%s", generate,
		 generate, synced ? "version = 3\n" : "version = 1\nrows = 0\ndata_size = 0\n",
		 extra ? extra : "");
	if (sim_start(s, scen, speed) != 0)
		die("srsim did not start");
	e2e_prepare(s);
}

/* The "(N ms)" of meta pass @n in the log, or -1 while it is not there. */
static long
pass_ms(struct sim *s, int n)
{
	char *log = e2e_read(s, "log/sync.INFO.log"), needle[32], *at;
	long ms = -1;

	snprintf(needle, sizeof(needle), "meta pass %d: ", n);
	if (log && (at = strstr(log, needle)) != NULL) {
		char *eol = strchr(at, '\n'), *paren = eol ? eol : at + strlen(at);

		while (paren > at && *paren != '(')
			paren--;
		if (*paren == '(')
			ms = strtol(paren + 1, NULL, 10);
	}
	free(log);
	return ms;
}

static void
wait_pass(struct sim *s, int n, int timeout_s)
{
	double until = now_s() + timeout_s;

	while (pass_ms(s, n) < 0) {
		if (now_s() > until)
			die("no meta pass in time");
		usleep(50 * 1000);
	}
}

/* --- pass -------------------------------------------------------------------------- */

static void
bench_pass(void)
{
	char gen[256];
	struct sim s;
	long before[2], after[2], ms[3];
	pid_t pid;

	snprintf(gen, sizeof(gen),
		 "databases = 10\ntables = %d\npartitions = %d\nbuckets = 4\nreplication_num = 1\n",
		 TABLES, PARTITIONS);
	start(&s, gen, true, NULL, 1);
	e2e_conf(&s, "meta_job_interval_seconds=3\nreport_interval_seconds=60\n");
	pid = e2e_start(&s, (char *)NULL);
	wait_pass(&s, 3, 120);
	before[0] = sim_stat(&s, SIM_SOURCE, "STATEMENTS");
	before[1] = sim_stat(&s, SIM_TARGET, "STATEMENTS");
	wait_pass(&s, 6, 60);
	after[0] = sim_stat(&s, SIM_SOURCE, "STATEMENTS");
	after[1] = sim_stat(&s, SIM_TARGET, "STATEMENTS");
	for (int i = 0; i < 3; i++)
		ms[i] = pass_ms(&s, 4 + i);
	kill(pid, SIGTERM);
	e2e_wait(pid, 30);
	if (!e2e_log_has(&s, "10000 in sync"))
		die("pass: the catalogs were not in sync");
	for (int side = 0; side < 2; side++) {
		double per = (double)(after[side] - before[side]) / 3;

		report(side ? "meta pass: statements, target (10k tables x 10 partitions)"
			    : "meta pass: statements, source (10k tables x 10 partitions)",
		       per, 1, "per pass", "<= 20 (one per table: >= 10000)", per <= 20);
	}
	/* The median of three passes. */
	long lo = ms[0] < ms[1] ? ms[0] : ms[1], hi = ms[0] < ms[1] ? ms[1] : ms[0];
	long med = ms[2] < lo ? lo : ms[2] > hi ? hi : ms[2];

	report("meta pass: wall time, both clusters", (double)med / 1000, 2, "s", "<= 2", med <= 2000);
	sim_stop(&s);
}

/* --- plan -------------------------------------------------------------------------- */

static void
bench_plan(void)
{
	char gen[256];
	struct sim s;
	struct rusage ru;
	long before, after;
	double t0, t;
	int st;
	pid_t pid;

	snprintf(gen, sizeof(gen),
		 "databases = 10\ntables = %d\npartitions = %d\nbuckets = %d\nreplication_num = 1\n"
		 "models = duplicate\npartitioning = range\n", TABLES, PARTITIONS, BUCKETS);
	start(&s, gen, false, NULL, 1);
	e2e_conf(&s, "meta_job_threads=4\n");
	before = sim_stat(&s, SIM_SOURCE, "STATEMENTS") + sim_stat(&s, SIM_TARGET, "STATEMENTS");
	t0 = now_s();
	pid = e2e_start(&s, "plan", (char *)NULL);
	if (wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		die("plan did not succeed");
	t = now_s() - t0;
	after = sim_stat(&s, SIM_SOURCE, "STATEMENTS") + sim_stat(&s, SIM_TARGET, "STATEMENTS");
	/*
	 * The minimum: a request names every tablet of every lagging partition
	 * and index, in bucket order, on both sides. SHOW PROC on a partition's
	 * index is the only statement that gives one index's tablets in that
	 * order (SHOW TABLET and be_tablets carry no index), and index_schema
	 * the index ids: per side, one per table and one per partition-index.
	 * With one index per table: 2 x (tables + partitions).
	 */
	double minimum = 2.0 * (TABLES + (double)TABLES * PARTITIONS);
	double sent = (double)(after - before);
	double tablets = (double)TABLES * PARTITIONS * BUCKETS;

	report("plan: statements / minimum (100k partitions, 1.6M tablets)", sent / minimum, 3, "x",
	       "<= 1.2", sent / minimum <= 1.2);
	report("plan: statements sent", sent, 0, "", "-", true);
	report("plan: wall time (meta_job_threads=4)", t, 1, "s", "<= 30", t <= 30);
	report("plan: peak RSS of srmigrate", (double)ru.ru_maxrss / 1024, 0, "MB", "<= 256",
	       ru.ru_maxrss <= 256 * 1024);
	report("plan: bytes of RSS per tablet", (double)ru.ru_maxrss * 1024 / tablets, 0, "B", "<= 150",
	       (double)ru.ru_maxrss * 1024 / tablets <= 150);
	sim_stop(&s);
}

/* --- slots ------------------------------------------------------------------------- */

/* Seconds of "YYYY-MM-DD HH:MM:SS.mmm" at the start of a log line (the day ignored), or -1. */
static double
line_time(const char *line)
{
	int h, m, sec, ms;

	if (sscanf(line, "%*d-%*d-%*d %d:%d:%d.%d", &h, &m, &sec, &ms) != 4)
		return -1;
	return h * 3600.0 + m * 60.0 + sec + ms / 1000.0;
}

/* From the first job sent to the last job finished, by the log. */
static double
makespan(struct sim *s)
{
	char *log = e2e_read(s, "log/sync.INFO.log"), *line, *save = NULL;
	double first = -1, last = -1;

	for (line = log ? strtok_r(log, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		double t = line_time(line);

		if (strstr(line, "INFO  job ") == NULL || t < 0)
			continue;
		if (strstr(line, " sent (") && first < 0)
			first = t;
		if (strstr(line, " finished ("))
			last = t;
	}
	free(log);
	if (first < 0 || last < first)
		die("slots: no jobs in the log");
	return last - first;
}

static void
bench_slots(void)
{
	char gen[256], extra[512], cap[160];
	struct sim s;
	double t, bound = SLOT_TABLES * (SLOT_JOB_S / SLOT_SPEED) / SLOT_CAP;
	int rc;

	snprintf(gen, sizeof(gen),
		 "databases = 4\ntables = %d\npartitions = 1\nbuckets = 1\nreplication_num = 1\n"
		 "models = duplicate\npartitioning = none\n", SLOT_TABLES);
	/* Every job takes the same time: all of it in the snapshot step. */
	snprintf(extra, sizeof(extra),
		 "\n[replication]\nsnapshot_latency = %gs\nsnapshot_per_tablet = 0\ninit_delay = 0\n"
		 "publish_delay = 0\ncopy_speed = 1TB\n", SLOT_JOB_S);
	start(&s, gen, false, extra, SLOT_SPEED);
	snprintf(cap, sizeof(cap), "ADMIN SET FRONTEND CONFIG (\"replication_max_parallel_table_count\" = \"%d\")",
		 SLOT_CAP);
	if (sim_exec(&s, SIM_TARGET, cap, NULL, 0) != 0)
		die("cannot set the cap");
	/* The documented defaults for the interval and batch: the trigger on a job's end does the rest. */
	e2e_conf(&s, "meta_job_interval_seconds=5\nreplication_job_interval_seconds=10\n"
		      "replication_job_batch_size=50\nreport_interval_seconds=60\n");
	rc = e2e_run(&s, 1800, "--once", (char *)NULL);
	if (rc != 0)
		die("the slot run did not finish");
	t = makespan(&s);
	report("slots: lower bound / makespan (2000 jobs, cap 100)", bound / t * 100, 1, "%", ">= 90",
	       bound / t >= 0.9);
	sim_stop(&s);
}

int
main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;

	if (only == NULL || strcmp(only, "pass") == 0)
		bench_pass();
	if (only == NULL || strcmp(only, "plan") == 0)
		bench_plan();
	if (only == NULL || strcmp(only, "slots") == 0)
		bench_slots();
	return missed ? 1 : 0;
}
