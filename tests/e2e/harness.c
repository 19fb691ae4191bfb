/*
 * harness: srsim for tests (see harness.h).
 */
#include "harness.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct sim_result {
	unsigned ncols;
	char **titles;
	size_t nrows;
	char ***cells;
};

static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	int ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* VALUE of KEY=VALUE in a file, into out; 0 when found. */
static int
file_value(const char *path, const char *key, char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	size_t kl = strlen(key);
	int rc = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, key, kl) != 0 || line[kl] != '=')
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		/* the .properties escapes srsim writes: \\ \n and a leading "\ " */
		size_t o = 0;
		for (const char *p = line + kl + 1; *p && o + 1 < n; p++) {
			if (*p == '\\' && p[1]) {
				p++;
				out[o++] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
			} else {
				out[o++] = *p;
			}
		}
		if (n)
			out[o] = '\0';
		rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

static void
dump_log(const struct sim *s)
{
	char path[4200], line[1024];

	snprintf(path, sizeof path, "%s/srsim.log", s->dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		fprintf(stderr, "srsim: %s", line);
	fclose(f);
}

int
sim_start(struct sim *s, const char *scenario_ini_text, double speed)
{
	const char *base = getenv("SRM_TMP") && *getenv("SRM_TMP") ? getenv("SRM_TMP") : "/tmp";
	const char *bin = getenv("SRSIM") && *getenv("SRSIM") ? getenv("SRSIM") : "./tests/sim/srsim";
	char ini[4200], log[4200], spd[64], line[512];
	int out[2];

	memset(s, 0, sizeof *s);
	s->pid = -1;
	snprintf(s->dir, sizeof s->dir, "%s/srsim-XXXXXX", base);
	if (!mkdtemp(s->dir)) {
		fprintf(stderr, "harness: mkdtemp %s: %s\n", s->dir, strerror(errno));
		return -1;
	}
	snprintf(ini, sizeof ini, "%s/scenario.ini", s->dir);
	snprintf(log, sizeof log, "%s/srsim.log", s->dir);
	snprintf(spd, sizeof spd, "%g", speed > 0 ? speed : 1.0);
	if (write_file(ini, scenario_ini_text) != 0 || pipe(out) != 0)
		goto fail;
	s->pid = fork();
	if (s->pid < 0) {
		close(out[0]);
		close(out[1]);
		goto fail;
	}
	if (s->pid == 0) {
		int lf = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(out[1], STDOUT_FILENO);
		if (lf >= 0)
			dup2(lf, STDERR_FILENO);
		close(out[0]);
		/* glib's slice magazines hand memory between threads under locks
		 * ThreadSanitizer cannot see; with malloc a TSan srsim stays checkable */
		setenv("G_SLICE", "always-malloc", 0);
		execl(bin, bin, "--scenario", ini, "--dir", s->dir, "--speed", spd, (char *)NULL);
		fprintf(stderr, "harness: exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	close(out[1]);
	/* wait for the READY line, at most 20 s */
	size_t got = 0;
	long long until = mono_ms() + 20000;
	int ready = 0;
	while (!ready && mono_ms() < until) {
		struct pollfd p = { out[0], POLLIN, 0 };
		if (poll(&p, 1, 200) <= 0)
			continue;
		ssize_t r = read(out[0], line + got, sizeof line - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
		line[got] = '\0';
		ready = strstr(line, "READY") && strchr(strstr(line, "READY"), '\n');
	}
	close(out[0]);
	if (!ready) {
		fprintf(stderr, "harness: srsim did not get ready\n");
		goto fail;
	}
	static const char *const keys[] = { "SOURCE_QUERY_PORT", "SOURCE_RPC_PORT", "TARGET_QUERY_PORT",
					    "TARGET_RPC_PORT" };
	char env[4200], v[64];
	snprintf(env, sizeof env, "%s/ports.env", s->dir);
	for (int i = 0; i < 4; i++) {
		if (file_value(env, keys[i], v, sizeof v) != 0 || (s->ports[i] = atoi(v)) <= 0) {
			fprintf(stderr, "harness: %s has no %s\n", env, keys[i]);
			goto fail;
		}
	}
	return 0;
fail:
	dump_log(s);
	sim_stop(s);
	return -1;
}

void
sim_stop(struct sim *s)
{
	if (s->pid > 0) {
		int status;
		kill(s->pid, SIGTERM);
		long long until = mono_ms() + 10000;
		while (waitpid(s->pid, &status, WNOHANG) == 0) {
			if (mono_ms() > until) {
				kill(s->pid, SIGKILL);
				waitpid(s->pid, &status, 0);
				break;
			}
			nap_ms(20);
		}
	}
	s->pid = -1;
	if (s->dir[0] && !getenv("SRM_KEEP"))
		rm_tree(s->dir);
	else if (s->dir[0])
		fprintf(stderr, "harness: kept %s\n", s->dir);
	s->dir[0] = '\0';
}

MYSQL *
sim_connect(struct sim *s, int side)
{
	char path[4200], user[256] = "root", pw[1024] = "";
	const char *pre = side == SIM_SOURCE ? "source" : "target";
	char key[64];
	unsigned int timeout = 10, rtimeout = 60;

	snprintf(path, sizeof path, "%s/sync.properties", s->dir);
	snprintf(key, sizeof key, "%s_cluster_user", pre);
	file_value(path, key, user, sizeof user);
	snprintf(key, sizeof key, "%s_cluster_password", pre);
	file_value(path, key, pw, sizeof pw);
	MYSQL *m = mysql_init(NULL);
	if (!m)
		return NULL;
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rtimeout);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &rtimeout);
	if (!mysql_real_connect(m, "127.0.0.1", user, pw, NULL,
				(unsigned)s->ports[side == SIM_SOURCE ? SIM_SOURCE_QUERY : SIM_TARGET_QUERY], NULL, 0)) {
		fprintf(stderr, "harness: connect: %s\n", mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	return m;
}

int
sim_exec(struct sim *s, int side, const char *sql, char *err, size_t errlen)
{
	MYSQL *m = sim_connect(s, side);
	int rc;

	if (!m) {
		snprintf(err, errlen, "cannot connect");
		return -1;
	}
	rc = mysql_query(m, sql) ? (int)mysql_errno(m) : 0;
	if (rc)
		snprintf(err, errlen, "%s", mysql_error(m));
	else
		mysql_free_result(mysql_store_result(m));
	mysql_close(m);
	return rc;
}

struct sim_result *
sim_query(struct sim *s, int side, const char *sql, char *err, size_t errlen)
{
	MYSQL *m = sim_connect(s, side);
	struct sim_result *r = NULL;

	if (!m) {
		snprintf(err, errlen, "cannot connect");
		return NULL;
	}
	if (mysql_query(m, sql)) {
		snprintf(err, errlen, "%u: %s", mysql_errno(m), mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	MYSQL_RES *res = mysql_store_result(m);
	if (!res) {
		snprintf(err, errlen, "%s", mysql_errno(m) ? mysql_error(m) : "no result set");
		mysql_close(m);
		return NULL;
	}
	r = calloc(1, sizeof *r);
	r->ncols = mysql_num_fields(res);
	r->titles = calloc(r->ncols + 1, sizeof *r->titles);
	MYSQL_FIELD *f = mysql_fetch_fields(res);
	for (unsigned i = 0; i < r->ncols; i++)
		r->titles[i] = strdup(f[i].name);
	r->nrows = (size_t)mysql_num_rows(res);
	r->cells = calloc(r->nrows + 1, sizeof *r->cells);
	for (size_t i = 0; i < r->nrows; i++) {
		MYSQL_ROW row = mysql_fetch_row(res);
		unsigned long *lens = mysql_fetch_lengths(res);
		r->cells[i] = calloc(r->ncols + 1, sizeof **r->cells);
		for (unsigned c = 0; row && c < r->ncols; c++) {
			if (!row[c])
				continue;
			r->cells[i][c] = malloc(lens[c] + 1);
			memcpy(r->cells[i][c], row[c], lens[c]);
			r->cells[i][c][lens[c]] = '\0';
		}
	}
	mysql_free_result(res);
	mysql_close(m);
	return r;
}

size_t
sim_rows(const struct sim_result *r)
{
	return r ? r->nrows : 0;
}

unsigned
sim_cols(const struct sim_result *r)
{
	return r ? r->ncols : 0;
}

const char *
sim_title(const struct sim_result *r, unsigned col)
{
	return r && col < r->ncols ? r->titles[col] : NULL;
}

static int
col_of(const struct sim_result *r, const char *title)
{
	for (unsigned i = 0; r && i < r->ncols; i++)
		if (strcmp(r->titles[i], title) == 0)
			return (int)i;
	return -1;
}

int
sim_has_col(const struct sim_result *r, const char *title)
{
	return col_of(r, title) >= 0;
}

const char *
sim_cell(const struct sim_result *r, size_t row, const char *title)
{
	int c = col_of(r, title);

	if (c < 0 || row >= r->nrows)
		return NULL;
	return r->cells[row][c];
}

void
sim_result_free(struct sim_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrows; i++) {
		for (unsigned c = 0; c < r->ncols; c++)
			free(r->cells[i][c]);
		free(r->cells[i]);
	}
	for (unsigned c = 0; c < r->ncols; c++)
		free(r->titles[c]);
	free(r->cells);
	free(r->titles);
	free(r);
}

/* --- compare --------------------------------------------------------------------------- */

struct report {
	char *p;
	size_t len, used;
	int diffs;
};

static void
note(struct report *rp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
note(struct report *rp, const char *fmt, ...)
{
	va_list ap;

	rp->diffs++;
	if (!rp->p || rp->used + 1 >= rp->len)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(rp->p + rp->used, rp->len - rp->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		rp->used += (size_t)n < rp->len - rp->used ? (size_t)n : rp->len - rp->used - 1;
	if (rp->used + 1 < rp->len) {
		rp->p[rp->used++] = '\n';
		rp->p[rp->used] = '\0';
	}
}

static int
is_system(const char *db)
{
	return !strcmp(db, "information_schema") || !strcmp(db, "_statistics_") || !strcmp(db, "sys") ||
	       !strcmp(db, "starrocks_audit_db__");
}

/* "db" or "db.table" in a comma list (NULL: everything). */
static int
selected(const char *only, const char *db, const char *table)
{
	if (!only || !*only)
		return 1;
	char *copy = strdup(only), *save = NULL;
	int hit = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok && !hit; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		char *end = tok + strlen(tok);
		while (end > tok && end[-1] == ' ')
			*--end = '\0';
		char *dot = strchr(tok, '.');
		if (dot) {
			*dot = '\0';
			hit = !strcmp(tok, db) && (!table || !strcmp(dot + 1, table));
		} else {
			hit = !strcmp(tok, db);
		}
	}
	free(copy);
	return hit;
}

/* `name` with backquotes doubled. */
static void
quote_ident(char *out, size_t n, const char *name)
{
	size_t o = 0;

	if (n < 3)
		return;
	out[o++] = '`';
	for (const char *p = name; *p && o + 3 < n; p++) {
		if (*p == '`')
			out[o++] = '`';
		out[o++] = *p;
	}
	out[o++] = '`';
	out[o] = '\0';
}

static const char *
repl_version(const struct sim_result *r, size_t row)
{
	const char *v = sim_cell(r, row, "DataVersion");

	return v ? v : sim_cell(r, row, "VisibleVersion");
}

static void
compare_table(struct sim *s, const char *db, const char *table, struct report *rp)
{
	char qd[600], qt[600], sql[1400], err[512];

	quote_ident(qd, sizeof qd, db);
	quote_ident(qt, sizeof qt, table);
	snprintf(sql, sizeof sql, "SHOW PARTITIONS FROM %s.%s", qd, qt);
	struct sim_result *src = sim_query(s, SIM_SOURCE, sql, err, sizeof err);
	if (!src) {
		note(rp, "%s.%s: source: %s", db, table, err);
		return;
	}
	struct sim_result *tgt = sim_query(s, SIM_TARGET, sql, err, sizeof err);
	if (!tgt) {
		note(rp, "%s.%s: missing on the target (%s)", db, table, err);
		sim_result_free(src);
		return;
	}
	for (size_t i = 0; i < sim_rows(src); i++) {
		const char *name = sim_cell(src, i, "PartitionName");
		size_t j;
		for (j = 0; j < sim_rows(tgt); j++)
			if (name && sim_cell(tgt, j, "PartitionName") && !strcmp(name, sim_cell(tgt, j, "PartitionName")))
				break;
		if (j == sim_rows(tgt)) {
			note(rp, "%s.%s: partition %s missing on the target", db, table, name ? name : "?");
			continue;
		}
		const char *sv = repl_version(src, i), *tv = repl_version(tgt, j);
		if (!sv || !tv || strcmp(sv, tv) != 0)
			note(rp, "%s.%s: partition %s: source version %s, target version %s", db, table, name,
			     sv ? sv : "NULL", tv ? tv : "NULL");
		const char *sr = sim_cell(src, i, "RowCount"), *tr = sim_cell(tgt, j, "RowCount");
		if (!sr || !tr || strcmp(sr, tr) != 0)
			note(rp, "%s.%s: partition %s: source rows %s, target rows %s", db, table, name,
			     sr ? sr : "NULL", tr ? tr : "NULL");
	}
	for (size_t j = 0; j < sim_rows(tgt); j++) {
		const char *name = sim_cell(tgt, j, "PartitionName");
		size_t i;
		for (i = 0; i < sim_rows(src); i++)
			if (name && sim_cell(src, i, "PartitionName") && !strcmp(name, sim_cell(src, i, "PartitionName")))
				break;
		if (i == sim_rows(src))
			note(rp, "%s.%s: partition %s only on the target", db, table, name ? name : "?");
	}
	sim_result_free(src);
	sim_result_free(tgt);
}

int
sim_compare(struct sim *s, const char *only, char *report, size_t len)
{
	struct report rp = { report, len, 0, 0 };
	char err[512], sql[700], qd[600];

	if (report && len)
		report[0] = '\0';
	struct sim_result *dbs = sim_query(s, SIM_SOURCE, "SHOW DATABASES", err, sizeof err);
	if (!dbs) {
		if (report)
			snprintf(report, len, "source: SHOW DATABASES: %s", err);
		return -1;
	}
	for (size_t i = 0; i < sim_rows(dbs); i++) {
		const char *db = sim_cell(dbs, i, "Database");
		if (!db || is_system(db) || !selected(only, db, NULL))
			continue;
		quote_ident(qd, sizeof qd, db);
		snprintf(sql, sizeof sql, "SHOW FULL TABLES FROM %s", qd);
		struct sim_result *ts = sim_query(s, SIM_SOURCE, sql, err, sizeof err);
		if (!ts) {
			note(&rp, "%s: source: %s", db, err);
			continue;
		}
		for (size_t k = 0; k < sim_rows(ts); k++) {
			const char *t = ts->cells[k][0];
			const char *type = sim_cell(ts, k, "Table_type");
			if (!t || !type || strcmp(type, "BASE TABLE") != 0 || !selected(only, db, t))
				continue;
			compare_table(s, db, t, &rp);
		}
		sim_result_free(ts);
	}
	sim_result_free(dbs);
	return rp.diffs;
}

long
sim_stat(struct sim *s, int side, const char *key)
{
	char path[4200], k[128], v[64];

	snprintf(path, sizeof path, "%s/stats.env", s->dir);
	unlink(path);
	if (kill(s->pid, SIGUSR1) != 0)
		return -1;
	for (int i = 0; i < 250 && access(path, R_OK) != 0; i++)
		nap_ms(20);
	snprintf(k, sizeof k, "%s_%s", side == SIM_SOURCE ? "SOURCE" : "TARGET", key);
	if (file_value(path, k, v, sizeof v) != 0)
		return -1;
	return atol(v);
}

int
sim_stats_reset(struct sim *s)
{
	char path[4200];

	snprintf(path, sizeof path, "%s/stats.env", s->dir);
	unlink(path);
	if (kill(s->pid, SIGUSR2) != 0)
		return -1;
	/* srsim writes the zeroed counters once it has reset them */
	for (int i = 0; i < 250 && access(path, R_OK) != 0; i++)
		nap_ms(20);
	return access(path, R_OK) == 0 ? 0 : -1;
}

int
sim_wait_cell(struct sim *s, int side, const char *sql, const char *title, const char *want, int timeout_ms)
{
	long long until = mono_ms() + timeout_ms;
	char err[512];

	do {
		struct sim_result *r = sim_query(s, side, sql, err, sizeof err);
		const char *v = r && sim_rows(r) ? sim_cell(r, 0, title) : NULL;
		int hit = v && want && !strcmp(v, want);
		sim_result_free(r);
		if (hit)
			return 0;
		nap_ms(50);
	} while (mono_ms() < until);
	return -1;
}
