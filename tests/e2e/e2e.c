/* e2e: see e2e.h. */
#include "e2e/e2e.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

char *
e2e_read(struct sim *s, const char *rel)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", s->dir, rel);
	return slurp(path);
}

void
e2e_conf(struct sim *s, const char *lines)
{
	char path[4200], *text, *copy = strdup(lines), *save = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sync.properties", s->dir);
	text = slurp(path);
	for (char *kv = strtok_r(copy, "\n", &save); kv; kv = strtok_r(NULL, "\n", &save)) {
		size_t klen = strcspn(kv, "=");
		char *out = NULL, *line, *lsave = NULL;
		size_t cap = strlen(text) + strlen(kv) + 4, len = 0;
		int found = 0;

		out = malloc(cap);
		out[0] = '\0';
		for (line = strtok_r(text, "\n", &lsave); line; line = strtok_r(NULL, "\n", &lsave)) {
			const char *use = line;

			if (strncmp(line, kv, klen) == 0 && line[klen] == '=') {
				use = kv;
				found = 1;
			}
			len += (size_t)snprintf(out + len, cap - len, "%s\n", use);
			if (len + strlen(kv) + 4 >= cap) {
				cap *= 2;
				out = realloc(out, cap);
			}
		}
		if (!found)
			snprintf(out + len, cap - len, "%s\n", kv);
		free(text);
		text = out;
	}
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	chmod(path, 0600);
	free(text);
	free(copy);
}

void
e2e_fast(struct sim *s)
{
	e2e_conf(s, "meta_job_interval_seconds=2\nddl_job_interval_seconds=1\n"
		    "replication_job_interval_seconds=1\nreport_interval_seconds=2\n"
		    "jdbc_connect_timeout_ms=3000\njdbc_socket_timeout_ms=10000\n");
}

void
e2e_prepare(struct sim *s)
{
	char err[256];

	/* Whatever the profile lacks answers with an error: fine, the checklist skips it. */
	sim_exec(s, SIM_TARGET, "ADMIN SET FRONTEND CONFIG (\"enable_legacy_compatibility_for_replication\" "
		 "= \"true\")", err, sizeof(err));
	sim_exec(s, SIM_TARGET, "ADMIN SET FRONTEND CONFIG (\"lake_compaction_max_tasks\" = \"0\")", err,
		 sizeof(err));
	sim_exec(s, SIM_SOURCE, "ADMIN SET FRONTEND CONFIG (\"lake_autovacuum_grace_period_minutes\" = "
		 "\"10000000\")", err, sizeof(err));
}

static const char *
binary(void)
{
	const char *b = getenv("SRMIGRATE");

	return b && b[0] ? b : "./build/asan/srmigrate";
}

static pid_t
vstart(struct sim *s, va_list ap)
{
	char conf[4200], log[4200], out[4200];
	const char *argv[64];
	int argc = 0;
	const char *a;
	pid_t pid;

	snprintf(conf, sizeof(conf), "%s", s->dir);
	snprintf(log, sizeof(log), "%s/log", s->dir);
	snprintf(out, sizeof(out), "%s/srmigrate.out", s->dir);
	argv[argc++] = binary();
	argv[argc++] = "-c";
	argv[argc++] = conf;
	argv[argc++] = "-l";
	argv[argc++] = log;
	argv[argc++] = "--no-tui";
	while ((a = va_arg(ap, const char *)) != NULL && argc < 62)
		argv[argc++] = a;
	argv[argc] = NULL;
	pid = fork();
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

pid_t
e2e_start(struct sim *s, ...)
{
	va_list ap;
	pid_t pid;

	va_start(ap, s);
	pid = vstart(s, ap);
	va_end(ap);
	return pid;
}

int
e2e_wait(pid_t pid, int timeout_s)
{
	struct timespec t0, t;
	int st;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= timeout_s) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		usleep(20000);
	}
}

/* What e2e_teardown stops: a copy of the running simulator (pid 0: none), srmigrate (0: none). */
static struct sim live;
static pid_t live_pid;

void
e2e_keep(const struct sim *s)
{
	live = *s;
}

void
e2e_finish(struct sim *s)
{
	sim_stop(s);
	live.pid = 0;
}

pid_t
e2e_launch(struct sim *s, ...)
{
	va_list ap;

	va_start(ap, s);
	live_pid = vstart(s, ap);
	va_end(ap);
	return live_pid;
}

int
e2e_await(pid_t pid, int timeout_s)
{
	int rc = e2e_wait(pid, timeout_s);

	if (pid == live_pid)
		live_pid = 0;
	return rc;
}

bool
e2e_exited(pid_t pid, int *rc)
{
	siginfo_t info = { 0 };

	/* Look without reaping; e2e_await reaps (and forgets it for the teardown). */
	if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid != pid)
		return false;
	*rc = e2e_await(pid, 1);
	return true;
}

int
e2e_teardown(void **state)
{
	(void)state;
	if (live_pid > 0) {
		kill(live_pid, SIGKILL);
		waitpid(live_pid, NULL, 0);
		live_pid = 0;
	}
	if (live.pid > 0) {
		sim_stop(&live);
		live.pid = 0;
	}
	return 0;
}

int
e2e_port(struct sim *s, const char *key)
{
	char *env = e2e_read(s, "ports.env"), want[128];
	const char *at;
	int port = -1;

	snprintf(want, sizeof(want), "\n%s=", key);
	if (env && strncmp(env, want + 1, strlen(want + 1)) == 0)
		port = atoi(env + strlen(want + 1));
	else if (env && (at = strstr(env, want)) != NULL)
		port = atoi(at + strlen(want));
	free(env);
	return port;
}

void
e2e_show(struct sim *s)
{
	char *out = e2e_read(s, "srmigrate.out"), *log = e2e_read(s, "log/sync.INFO.log");

	fprintf(stderr, "--- srmigrate output ---\n%s\n--- sync.INFO.log ---\n%s\n", out ? out : "",
		log ? log : "");
	free(out);
	free(log);
}

double
e2e_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
e2e_run(struct sim *s, int timeout_s, ...)
{
	va_list ap;
	pid_t pid;

	va_start(ap, timeout_s);
	pid = vstart(s, ap);
	va_end(ap);
	return e2e_wait(pid, timeout_s);
}

int
e2e_log_count(struct sim *s, const char *needle)
{
	char *log = e2e_read(s, "log/sync.INFO.log");
	int n = 0;

	for (char *p = log; p && (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	free(log);
	return n;
}

bool
e2e_log_has(struct sim *s, const char *needle)
{
	return e2e_log_count(s, needle) > 0;
}

int
e2e_progress(struct sim *s, struct e2e_progress *p)
{
	char *log = e2e_read(s, "log/sync.INFO.log"), *job = NULL, *tab = NULL;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	for (char *q = log; q && (q = strstr(q, "Sync job progress: ")) != NULL; q++)
		job = q;
	for (char *q = log; q && (q = strstr(q, "Sync table progress, ")) != NULL; q++)
		tab = q;
	if (job && tab &&
	    sscanf(job, "Sync job progress: %lf%%, total: %u, ddlPending: %u, jobPending: %u, sent: %u, "
			"running: %u, finished: %u, failed: %u, unknown: %u", &p->pct, &p->total,
		   &p->ddl_pending, &p->job_pending, &p->sent, &p->running, &p->finished, &p->failed,
		   &p->unknown) == 9 &&
	    sscanf(tab, "Sync table progress, finishedTableRatio: %lf%%, expiredTableRatio: %lf%%, total "
			"table: %u, finished table: %u, unfinished table: %u, expired table: %u",
		   &p->finished_ratio, &p->expired_ratio, &p->tables, &p->tables_finished,
		   &p->tables_unfinished, &p->tables_expired) == 6)
		rc = 0;
	free(log);
	return rc;
}

int
e2e_ctl(struct sim *s, const char *cmd, char *out, size_t len)
{
	char line[16384];
	FILE *p;
	size_t n;
	int st;

	snprintf(line, sizeof(line), "%s -c %s -l %s/log ctl %s 2>&1", binary(), s->dir, s->dir, cmd);
	p = popen(line, "r");
	n = p ? fread(out, 1, len - 1, p) : 0;
	out[n] = '\0';
	st = p ? pclose(p) : -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
e2e_set_config(struct sim *s, int side, const char *key, const char *value, char *err, size_t errlen)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "ADMIN SET FRONTEND CONFIG (\"%s\" = \"%s\")", key, value);
	return sim_exec(s, side, sql, err, errlen);
}

int
e2e_converged(struct sim *s, int timeout_s)
{
	char report[8192];
	int rc = e2e_converge(s, NULL, timeout_s, report, sizeof(report));

	if (rc != 0) {
		fprintf(stderr, "never converged:\n%s\n", report);
		e2e_show(s);
	}
	return rc;
}

int
e2e_converge(struct sim *s, const char *only, int timeout_s, char *report, size_t len)
{
	int diff = -1;

	for (int i = 0; i < timeout_s * 4; i++) {
		diff = sim_compare(s, only, report, len);
		if (diff == 0)
			return 0;
		usleep(250000);
	}
	return diff;
}
