/*
 * The pre-flight checklist and the verification, end to end: `srmigrate
 * check` and `srmigrate verify` against simulated clusters, each item made to
 * fail and to pass by changing the clusters or the configuration, fixes read
 * back from the clusters and from LOG_DIR/state, mismatches made on the
 * target by SQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "e2e/e2e.h"

#define SPEED 50
#define TOKEN "8a1f2c3d-0000-4000-8000-00000000beef"

/* Shared-nothing to shared-nothing, two tables, users with and without OPERATE. */
static const char base[] =
	"[source]\nversion = 3.3.5\nrun_mode = shared_nothing\nuser = root\npassword = srcpw\n"
	"token = " TOKEN "\n\n"
	"[target]\nversion = 3.3.5\nrun_mode = shared_nothing\nuser = root\npassword = tgtpw\n\n"
	"[user source migrator]\npassword = mig\noperate = false\n\n"
	"[user source operator]\npassword = op\noperate = true\n\n"
	"[table source shop.orders]\npartition_by = range\npartitions = 3\nrows = 2000\n\n"
	"[table source shop.items]\nrows = 500\n";

static void
start(struct sim *s, const char *scenario)
{
	assert_int_equal(sim_start(s, scenario, SPEED), 0);
	e2e_keep(s);
	e2e_fast(s);
}

/* Run srmigrate with up to three arguments; its status, and what it printed in *out. */
static int
run(struct sim *s, char **out, const char *a, const char *b, const char *c)
{
	char path[4200];
	int rc;

	snprintf(path, sizeof(path), "%s/srmigrate.out", s->dir);
	unlink(path);
	rc = e2e_run(s, 120, a, b, c, (char *)NULL);
	*out = e2e_read(s, "srmigrate.out");
	if (*out == NULL)
		*out = strdup("");
	return rc;
}

static int
check(struct sim *s, char **out)
{
	return run(s, out, "check", NULL, NULL);
}

/* The item's line ("STATUS  key  title: seen") and, when it has one, its fix line. */
static bool
find_item(const char *out, const char *key, char *line, size_t len, char *fix, size_t fixlen)
{
	for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		char status[8], k[64];
		size_t n = strcspn(p, "\n");

		if (sscanf(p, "%7s %63s", status, k) != 2 || strcmp(k, key) != 0 || strcmp(status, "fix") == 0)
			continue;
		snprintf(line, len, "%.*s", (int)n, p);
		fix[0] = '\0';
		if (p[n] == '\n' && strncmp(p + n + 1, "      fix", 9) == 0)
			snprintf(fix, fixlen, "%.*s", (int)strcspn(p + n + 1, "\n"), p + n + 1);
		return true;
	}
	return false;
}

/* The item is there with @status, its line has @seen and its fix line @fix (NULL: either). */
static void
expect_item(const char *out, const char *key, const char *status, const char *seen, const char *fix)
{
	char line[2048], fixline[4096];
	bool ok = find_item(out, key, line, sizeof(line), fixline, sizeof(fixline));

	ok = ok && strncmp(line, status, strlen(status)) == 0 && line[strlen(status)] == ' ';
	ok = ok && (seen == NULL || strstr(line, seen) != NULL);
	ok = ok && (fix == NULL || strstr(fixline, fix) != NULL);
	if (!ok)
		fprintf(stderr, "expected %s %s with '%s' and fix '%s' in:\n%s\n", status, key,
			seen ? seen : "", fix ? fix : "(any)", out);
	assert_true(ok);
}

static void
expect_text(const char *out, const char *needle)
{
	if (strstr(out, needle) == NULL)
		fprintf(stderr, "expected '%s' in:\n%s\n", needle, out);
	assert_non_null(strstr(out, needle));
}

/* A FE config as the cluster says it now. */
static void
fe_config(struct sim *s, int side, const char *key, char *value, size_t len)
{
	char q[256], err[256];
	struct sim_result *r;

	snprintf(q, sizeof(q), "ADMIN SHOW FRONTEND CONFIG LIKE '%s'", key);
	r = sim_query(s, side, q, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(sim_rows(r), 1);
	snprintf(value, len, "%s", sim_cell(r, 0, "Value"));
	sim_result_free(r);
}

static void
expect_config(struct sim *s, int side, const char *key, const char *want)
{
	char v[256];

	fe_config(s, side, key, v, sizeof(v));
	if (strcmp(v, want) != 0)
		fprintf(stderr, "%s %s = %s, expected %s\n", side ? "target" : "source", key, v, want);
	assert_string_equal(v, want);
}

static void
set_config(struct sim *s, int side, const char *key, const char *value)
{
	char err[256];

	assert_int_equal(e2e_set_config(s, side, key, value, err, sizeof(err)), 0);
}

/* A loopback port nobody listens on. */
static int
closed_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static void
write_hosts(struct sim *s, const char *text)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/hosts.properties", s->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * hosts.properties with the line of @host changed: its mapping of @port
 * goes to @to (0: the whole line is left out).
 */
static void
remap(struct sim *s, const char *orig, const char *host, int port, int to)
{
	char *out = calloc(1, strlen(orig) + 64), *w = out, key[128], from[32];
	size_t klen;

	assert_non_null(out);
	snprintf(key, sizeof(key), "%s=", host);
	snprintf(from, sizeof(from), "%d:", port);
	klen = strlen(key);
	for (const char *p = orig; *p;) {
		size_t n = strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n');
		const char *at;

		if (strncmp(p, key, klen) != 0) {
			memcpy(w, p, n);
			w += n;
		} else if (to != 0) {
			at = strstr(p, from);
			assert_non_null(at);
			assert_true(at < p + n);
			memcpy(w, p, (size_t)(at - p));
			w += at - p;
			w += sprintf(w, "%d:%d", port, to);
			at += strlen(from) + strspn(at + strlen(from), "0123456789");
			memcpy(w, at, (size_t)(p + n - at));
			w += p + n - at;
		}
		p += n;
	}
	*w = '\0';
	write_hosts(s, out);
	free(out);
}

/* --- versions and run modes ------------------------------------------------------ */

struct path_case {
	const char *source, *target;	/* "version run_mode" */
	const char *status, *seen, *fix;	/* of the path item */
	const char *key, *key_status, *key_seen;	/* one more item this pair decides */
	const char *refusal;		/* what a run says when it refuses the pair */
};

static void
paths(void **state)
{
	static const struct path_case cases[] = {
		{ "3.3.5 shared_nothing", "3.2.3 shared_nothing", "PASS", "-> target 3.2.3", NULL,
		  "legacy_compat", "SKIP", "target 3.2.3-a1b2c3d has no such setting" },
		{ "3.3.5 shared_nothing", "3.1.8 shared_nothing", "PASS", "-> target 3.1.8", NULL,
		  "lake_compaction", "SKIP", "shared-nothing target" },
		{ "3.3.5 shared_nothing", "3.5.2 shared_data", "PASS",
		  "shared_nothing -> target 3.5.2-a1b2c3d shared_data", NULL,
		  "lake_compaction", "FAIL", "lake_compaction_max_tasks = -1" },
		{ "4.1.0 shared_data", "3.5.2 shared_nothing", "FAIL",
		  "shared-data to shared-nothing is not supported", "Use a shared-data target.",
		  "vacuum_grace", "FAIL", "lake_autovacuum_grace_period_minutes = 30",
		  "cannot migrate: shared-data to shared-nothing is not supported" },
		{ "3.5.2 shared_data", "3.5.2 shared_data", "FAIL",
		  "shared-data to shared-data needs a 4.1+ target; it runs 3.5.2", "Upgrade the target to 4.1",
		  "token", "SKIP", "shared-data source",
		  "cannot migrate: shared-data to shared-data needs a 4.1+ target (it runs 3.5.2" },
		{ "3.3.5 shared_nothing", "3.2.2 shared_nothing", "FAIL", "cannot take replication jobs",
		  "Upgrade the target to 3.1.8+ (3.1 line) or 3.2.3+.", NULL, NULL, NULL,
		  "cannot migrate: the target runs 3.2.2-a1b2c3d; replication needs 3.1.8+" },
		{ "3.3.5 shared_nothing", "3.1.7 shared_nothing", "FAIL", "cannot take replication jobs",
		  "Upgrade the target to 3.1.8+", NULL, NULL, NULL,
		  "cannot migrate: the target runs 3.1.7-a1b2c3d" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct path_case *c = &cases[i];
		char scen[2048], sv[16], sm[32], tv[16], tm[32], *out;
		struct sim s;
		int rc;

		sscanf(c->source, "%15s %31s", sv, sm);
		sscanf(c->target, "%15s %31s", tv, tm);
		snprintf(scen, sizeof(scen),
			 "[source]\nversion = %s\nrun_mode = %s\nuser = root\npassword = srcpw\ntoken = " TOKEN "\n\n"
			 "[target]\nversion = %s\nrun_mode = %s\nuser = root\npassword = tgtpw\n\n"
			 "[table source shop.orders]\nrows = 100\n", sv, sm, tv, tm);
		start(&s, scen);
		rc = check(&s, &out);
		expect_item(out, "path", c->status, c->seen, c->fix);
		if (c->key)
			expect_item(out, c->key, c->key_status, c->key_seen, NULL);
		expect_text(out, "failed, ");
		if (strcmp(c->status, "FAIL") == 0) {
			assert_int_equal(rc, 1);
			free(out);
			/* Not even --force migrates an unsupported pair; nothing reaches the target. */
			rc = run(&s, &out, "--once", "--force", NULL);
			if (rc != 1)
				fprintf(stderr, "%s -> %s: exit %d:\n%s\n", c->source, c->target, rc, out);
			assert_int_equal(rc, 1);
			expect_text(out, c->refusal);
			struct sim_result *r = sim_query(&s, SIM_TARGET, "SHOW DATABASES", NULL, 0);

			assert_non_null(r);
			for (size_t k = 0; k < sim_rows(r); k++)
				assert_string_not_equal(sim_cell(r, k, "Database"), "shop");
			sim_result_free(r);
		}
		free(out);
		e2e_finish(&s);
	}
}

/* --- every item on one pair, then each made to fail ------------------------------- */

static void
all_pass_then_each_fails(void **state)
{
	struct sim s;
	char *out, *hosts, err[256];
	int rc, port;

	(void)state;
	start(&s, base);
	e2e_prepare(&s);
	rc = check(&s, &out);
	if (rc != 0)
		fprintf(stderr, "%s\n", out);
	assert_int_equal(rc, 0);
	expect_item(out, "source_login", "PASS", "root@fe-0.source.invalid:9030", NULL);
	expect_item(out, "target_login", "PASS", "root@fe-0.target.invalid:9030", NULL);
	expect_item(out, "path", "PASS", "source 3.3.5-6d81f75 shared_nothing -> target 3.3.5-a1b2c3d "
		    "shared_nothing", NULL);
	expect_item(out, "legacy_compat", "PASS", "enable_legacy_compatibility_for_replication = true", NULL);
	expect_item(out, "lake_compaction", "SKIP", "shared-nothing target: compaction does not conflict", NULL);
	expect_item(out, "vacuum_grace", "SKIP", "shared-nothing source: no auto-vacuum", NULL);
	expect_item(out, "src_volumes", "SKIP", "only for shared-data to shared-data", NULL);
	expect_item(out, "token", "PASS", "accepts it", NULL);
	/* 1 FE and 3 BEs of the source, 1 FE of the target. */
	expect_item(out, "nodes", "PASS", "5 nodes, every port answers", NULL);
	expect_item(out, "disk", "PASS", "highest BE use 30.0% (limit 80%)", NULL);
	expect_item(out, "replicas", "PASS", "3 live backends", NULL);
	expect_item(out, "target_drops", "PASS", "nothing on the target would be dropped", NULL);
	expect_item(out, "filters", "PASS", "2 tables selected", NULL);
	expect_text(out, "0 failed, 0 warnings");
	free(out);

	/* The legacy setting off: FAIL, fixable, with the fe.conf line. */
	set_config(&s, SIM_TARGET, "enable_legacy_compatibility_for_replication", "false");
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "legacy_compat", "FAIL", "enable_legacy_compatibility_for_replication = false",
		    "fix (srmigrate check --fix): ADMIN SET FRONTEND CONFIG "
		    "(\"enable_legacy_compatibility_for_replication\" = \"true\"); on the target, and add "
		    "'enable_legacy_compatibility_for_replication = true' to fe.conf");
	expect_text(out, "1 failed, 0 warnings");
	free(out);
	set_config(&s, SIM_TARGET, "enable_legacy_compatibility_for_replication", "true");

	/* A wrong token: the source BE's download endpoint refuses it. */
	e2e_conf(&s, "source_cluster_token=0b0b0b0b-1111-4222-8333-444444444444\n");
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "token", "FAIL", "refuses it: invalid token.", "source_cluster_token");
	free(out);
	e2e_conf(&s, "source_cluster_token=\n");
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "token", "FAIL", "source_cluster_token is empty", "fe/meta/image/VERSION");
	free(out);
	e2e_conf(&s, "source_cluster_token=" TOKEN "\n");

	/* An unreachable mapped port: a source BE's HTTP port, then a target FE's RPC port. */
	hosts = e2e_read(&s, "hosts.properties");
	assert_non_null(hosts);
	port = closed_port();
	remap(&s, hosts, "SOURCE_be-1.source.invalid", 8040, port);
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "nodes", "FAIL", "1 of 5 unreachable; first: SOURCE BE be-1.source.invalid: port 8040",
		    "SOURCE_be-1.source.invalid=");
	free(out);
	remap(&s, hosts, "TARGET_fe-0.target.invalid", 9020, port);
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "nodes", "FAIL", "first: TARGET FE fe-0.target.invalid: port 9020", "hosts.properties");
	/* The query port still answers: the login is fine, only the RPC port is not. */
	expect_item(out, "target_login", "PASS", NULL, NULL);
	free(out);
	/* A node not mapped at all: its name does not resolve from here. */
	remap(&s, hosts, "SOURCE_be-2.source.invalid", 9060, 0);
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "nodes", "FAIL", "SOURCE BE be-2.source.invalid: port 9060", NULL);
	free(out);
	write_hosts(&s, hosts);
	free(hosts);

	/* A target BE over the disk limit, then the limit raised above it. */
	set_config(&s, SIM_TARGET, "sim_disk_used_pct", "1:93");
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "disk", "FAIL", "BE be-1.target.invalid is at 93.0% (limit 80%)",
		    "target_cluster_max_disk_used_percent");
	free(out);
	e2e_conf(&s, "target_cluster_max_disk_used_percent=95\n");
	assert_int_equal(check(&s, &out), 0);
	expect_item(out, "disk", "PASS", "highest BE use 93.0% (limit 95%)", NULL);
	free(out);

	/* More replicas than the target has backends. */
	e2e_conf(&s, "target_cluster_replication_num=5\n");
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "replicas", "FAIL", "tables need 5 replicas, the target has 3 live backends",
		    "Add target backends");
	free(out);
	e2e_conf(&s, "target_cluster_replication_num=-1\n");

	/* A target table that differs and the policy would drop: a warning, exit 0. */
	assert_int_equal(sim_exec(&s, SIM_TARGET, "CREATE DATABASE shop", err, sizeof(err)), 0);
	assert_int_equal(sim_exec(&s, SIM_TARGET, "CREATE TABLE shop.stray (k bigint) DUPLICATE KEY(k) "
				  "DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES (\"replication_num\" = \"1\")",
				  err, sizeof(err)), 0);
	e2e_conf(&s, "ddl_job_allow_drop_target_only=true\n");
	assert_int_equal(check(&s, &out), 0);
	expect_item(out, "target_drops", "WARN", "1 drop: ", "ddl_job_allow_drop_");
	expect_item(out, "target_drops", "WARN", "shop.stray", NULL);
	expect_text(out, "0 failed, 1 warnings");
	free(out);
	e2e_finish(&s);
}

static void
privilege_and_login(void **state)
{
	struct sim s;
	char *out;

	(void)state;
	start(&s, base);
	e2e_prepare(&s);
	/* A user without OPERATE: logged in, but SHOW PROC is refused. */
	e2e_conf(&s, "source_cluster_user=migrator\nsource_cluster_password=mig\n");
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "source_login", "FAIL", "OPERATE",
		    "fix: As an admin on the source cluster: GRANT OPERATE ON SYSTEM TO USER 'migrator'@'%';");
	expect_item(out, "target_login", "PASS", NULL, NULL);
	/* What needs the source is skipped, and says why. */
	expect_item(out, "path", "SKIP", "needs both clusters", NULL);
	expect_item(out, "filters", "SKIP", "needs the source cluster", NULL);
	free(out);
	/* A wrong password: the fix points at the configuration instead. */
	e2e_conf(&s, "source_cluster_user=operator\nsource_cluster_password=wrong\n");
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "source_login", "FAIL", "Access denied", "source_fe_host");
	free(out);
	/* A user with OPERATE passes. */
	e2e_conf(&s, "source_cluster_password=op\n");
	assert_int_equal(check(&s, &out), 0);
	expect_item(out, "source_login", "PASS", "operator@fe-0.source.invalid:9030", NULL);
	free(out);
	e2e_finish(&s);
}

static void
filters_selecting_nothing(void **state)
{
	struct sim s;
	char *out;

	(void)state;
	start(&s, base);
	e2e_prepare(&s);
	e2e_conf(&s, "include_data_list=nosuchdb\n");
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "filters", "FAIL", "no table is selected; unknown: nosuchdb",
		    "include_data_list and exclude_data_list");
	expect_item(out, "replicas", "SKIP", "no selected table has partitions yet", NULL);
	free(out);
	/* One name that exists, one that does not: a warning only. */
	e2e_conf(&s, "include_data_list=shop.orders,ghost.t\n");
	assert_int_equal(check(&s, &out), 0);
	expect_item(out, "filters", "WARN", "1 tables selected; not on the source: ghost.t", "spelling");
	free(out);
	/* Everything excluded. */
	e2e_conf(&s, "include_data_list=\nexclude_data_list=shop\n");
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "filters", "FAIL", "no table is selected", NULL);
	free(out);
	e2e_finish(&s);
}

static void
bad_configuration(void **state)
{
	struct sim s;
	char *out, path[4200];

	(void)state;
	start(&s, base);
	e2e_conf(&s, "meta_job_threads=lots\n");
	assert_int_equal(check(&s, &out), 2);
	expect_text(out, "sync.properties:");
	expect_text(out, "meta_job_threads");
	/* Nothing was checked. */
	assert_null(strstr(out, "PASS "));
	free(out);
	e2e_conf(&s, "meta_job_threads=4\n");
	/* No sync.properties at all. */
	snprintf(path, sizeof(path), "%s/sync.properties", s.dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(check(&s, &out), 2);
	expect_text(out, "sync.properties");
	free(out);
	e2e_finish(&s);
}

/* --- fixes ------------------------------------------------------------------------ */

/* Shared-data to shared-data: every setting item applies; values found are not the defaults. */
static const char shared_data[] =
	"[source]\nversion = 4.1.0\nrun_mode = shared_data\nuser = root\npassword = srcpw\n"
	"config.lake_autovacuum_grace_period_minutes = 45\n\n"
	"[target]\nversion = 4.1.0\nrun_mode = shared_data\nuser = root\npassword = tgtpw\n"
	"config.lake_compaction_max_tasks = 7\n\n"
	"[volume target builtin_storage_volume]\ndefault = true\nlocation = s3://target-bucket\n\n"
	"[volume source builtin_storage_volume]\ndefault = true\nlocation = s3://bucket\n"
	"params = {\"aws.s3.region\":\"us-west-2\",\"aws.s3.endpoint\":\"https://s3.example.invalid\","
	"\"aws.s3.access_key\":\"AKIAEXAMPLE\",\"aws.s3.secret_key\":\"SeCrEtKeY123\"}\n\n"
	"%s"
	"[table source shop.orders]\npartition_by = range\npartitions = 3\nrows = 2000\n";

#define SRC_VOLUME_OK                                                                          \
	"[volume target src_builtin_storage_volume]\nlocation = s3://bucket\n"                \
	"params = {\"aws.s3.region\":\"us-west-2\",\"aws.s3.enable_partitioned_prefix\":\"false\"}\n\n"

static bool
line_in(const char *text, const char *line)
{
	for (const char *p = text; p && (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[strlen(line)] == '\t')
			return true;
	return false;
}

static void
fix_records_then_changes(void **state)
{
	struct sim s;
	char scen[4096], *out, *rec;
	DIR *d;
	struct dirent *de;

	(void)state;
	snprintf(scen, sizeof(scen), shared_data, SRC_VOLUME_OK);
	start(&s, scen);
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "legacy_compat", "FAIL", "enable_legacy_compatibility_for_replication = false",
		    "(srmigrate check --fix)");
	expect_item(out, "lake_compaction", "FAIL", "lake_compaction_max_tasks = 7",
		    "fix (srmigrate check --fix): ADMIN SET FRONTEND CONFIG (\"lake_compaction_max_tasks\" = \"0\"); "
		    "on the target, and add 'lake_compaction_max_tasks = 0' to fe.conf on every target FE");
	expect_item(out, "vacuum_grace", "FAIL", "lake_autovacuum_grace_period_minutes = 45",
		    "(\"lake_autovacuum_grace_period_minutes\" = \"10000000\"); on the source");
	expect_item(out, "src_volumes", "PASS", NULL, NULL);
	expect_text(out, "3 failed, 0 warnings");
	free(out);
	/* Checking changes nothing. */
	expect_config(&s, SIM_TARGET, "lake_compaction_max_tasks", "7");
	assert_null(e2e_read(&s, "log/state/settings"));

	assert_int_equal(run(&s, &out, "check", "--fix", NULL), 0);
	expect_text(out, "fix   legacy_compat: enable_legacy_compatibility_for_replication set to true on the target");
	expect_text(out, "fix   lake_compaction: lake_compaction_max_tasks set to 0 on the target");
	expect_text(out, "fix   vacuum_grace: lake_autovacuum_grace_period_minutes set to 10000000 on the source");
	/* The list printed after the fixes is read again from the clusters. */
	expect_item(out, "legacy_compat", "PASS", "= true", NULL);
	expect_item(out, "lake_compaction", "PASS", "= 0", NULL);
	expect_item(out, "vacuum_grace", "PASS", "= 10000000", NULL);
	expect_text(out, "0 failed, 0 warnings");
	free(out);
	/* Each on its own cluster, the same keys on the other one untouched. */
	expect_config(&s, SIM_TARGET, "enable_legacy_compatibility_for_replication", "true");
	expect_config(&s, SIM_TARGET, "lake_compaction_max_tasks", "0");
	expect_config(&s, SIM_SOURCE, "lake_autovacuum_grace_period_minutes", "10000000");
	expect_config(&s, SIM_SOURCE, "enable_legacy_compatibility_for_replication", "false");
	expect_config(&s, SIM_SOURCE, "lake_compaction_max_tasks", "-1");
	expect_config(&s, SIM_TARGET, "lake_autovacuum_grace_period_minutes", "30");
	/* Recorded: side, key, the value found, the value set. */
	rec = e2e_read(&s, "log/state/settings");
	assert_non_null(rec);
	assert_true(strncmp(rec, "srmigrate-state settings v1 ", 28) == 0);
	assert_true(line_in(rec, "target\tenable_legacy_compatibility_for_replication\tfalse\ttrue"));
	assert_true(line_in(rec, "target\tlake_compaction_max_tasks\t7\t0"));
	assert_true(line_in(rec, "source\tlake_autovacuum_grace_period_minutes\t45\t10000000"));
	free(rec);

	/* Nothing left to fix: a second --fix changes and records nothing. */
	rec = e2e_read(&s, "log/state/settings");
	assert_int_equal(run(&s, &out, "check", "--fix", NULL), 0);
	assert_null(strstr(out, "fix   "));
	free(out);
	out = e2e_read(&s, "log/state/settings");
	assert_string_equal(out, rec);
	free(out);
	free(rec);

	/* Someone changes a value again; the next fix keeps the value found first. */
	set_config(&s, SIM_TARGET, "lake_compaction_max_tasks", "3");
	assert_int_equal(run(&s, &out, "check", "--fix", NULL), 0);
	expect_text(out, "fix   lake_compaction: lake_compaction_max_tasks set to 0");
	free(out);
	expect_config(&s, SIM_TARGET, "lake_compaction_max_tasks", "0");
	rec = e2e_read(&s, "log/state/settings");
	assert_true(line_in(rec, "target\tlake_compaction_max_tasks\t7\t0"));
	assert_false(line_in(rec, "target\tlake_compaction_max_tasks\t3\t0"));
	free(rec);
	/* Written by rename: no temporary file stays behind. */
	{
		char path[4200];

		snprintf(path, sizeof(path), "%s/log/state", s.dir);
		d = opendir(path);
		assert_non_null(d);
		while ((de = readdir(d)) != NULL)
			assert_null(strstr(de->d_name, ".tmp"));
		closedir(d);
	}
	e2e_finish(&s);
}

/* A FAIL holds the run; --force starts it anyway and the log says so. */
static void
fail_needs_force(void **state)
{
	struct sim s;
	char *out, report[4096];
	struct sim_result *r;

	(void)state;
	start(&s, base);
	/* e2e_prepare not called: the legacy setting is off on the target. */
	assert_int_equal(run(&s, &out, "--once", NULL, NULL), 1);
	expect_text(out, "check FAIL legacy_compat");
	expect_text(out, "1 checks failed: fix them (srmigrate check --fix) or start with --force");
	free(out);
	/* Held before anything was written. */
	r = sim_query(&s, SIM_TARGET, "SHOW DATABASES", NULL, 0);
	assert_non_null(r);
	for (size_t k = 0; k < sim_rows(r); k++)
		assert_string_not_equal(sim_cell(r, k, "Database"), "shop");
	sim_result_free(r);

	assert_int_equal(run(&s, &out, "--once", "--force", NULL), 0);
	expect_text(out, "--force: the migration starts even if a check fails");
	expect_text(out, "starting over 1 failed checks (--force)");
	free(out);
	assert_true(e2e_log_has(&s, "starting over 1 failed checks (--force)"));
	assert_int_equal(sim_compare(&s, NULL, report, sizeof(report)), 0);
	e2e_finish(&s);
}

/* --- storage volumes ---------------------------------------------------------------- */

static void
src_volumes(void **state)
{
	struct sim s;
	char scen[4096], *out, line[2048], fix[4096], stmt[4096], err[512];
	const char *at;

	(void)state;
	/* A src_ volume with the partitioned prefix on will not do. */
	snprintf(scen, sizeof(scen), shared_data,
		 "[volume target src_builtin_storage_volume]\nlocation = s3://bucket\n"
		 "params = {\"aws.s3.region\":\"us-west-2\",\"aws.s3.enable_partitioned_prefix\":\"true\"}\n\n");
	start(&s, scen);
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "src_volumes", "FAIL", "src_builtin_storage_volume has the partitioned prefix on",
		    "CREATE STORAGE VOLUME src_builtin_storage_volume");
	free(out);
	e2e_finish(&s);

	/* None at all: the statement to make it, secrets left as placeholders. */
	snprintf(scen, sizeof(scen), shared_data, "");
	start(&s, scen);
	assert_int_equal(check(&s, &out), 1);
	expect_item(out, "src_volumes", "FAIL", "src_builtin_storage_volume is missing",
		    "fix: CREATE STORAGE VOLUME src_builtin_storage_volume TYPE = S3 LOCATIONS = (\"s3://bucket\")");
	assert_true(find_item(out, "src_volumes", line, sizeof(line), fix, sizeof(fix)));
	assert_non_null(strstr(fix, "\"aws.s3.region\" = \"us-west-2\""));
	assert_non_null(strstr(fix, "\"aws.s3.secret_key\" = \"<aws.s3.secret_key>\""));
	assert_non_null(strstr(fix, "\"aws.s3.access_key\" = \"<aws.s3.access_key>\""));
	assert_non_null(strstr(fix, "\"aws.s3.enable_partitioned_prefix\" = \"false\");"));
	/* Not the fixable kind: an operator runs it. */
	assert_null(strstr(fix, "--fix"));
	/* No secret of the source reaches the output. */
	assert_null(strstr(out, "SeCrEtKeY123"));
	assert_null(strstr(out, "AKIAEXAMPLE"));
	free(out);
	/* The statement shown, secrets filled in by the operator, makes the item pass. */
	at = strstr(fix, "CREATE STORAGE VOLUME");
	assert_non_null(at);
	snprintf(stmt, sizeof(stmt), "%s", at);
	for (char *p; (p = strstr(stmt, "<aws.s3.")) != NULL;) {
		char *end = strchr(p, '>');

		assert_non_null(end);
		memmove(p + 1, end + 1, strlen(end + 1) + 1);
		p[0] = 'x';
	}
	stmt[strcspn(stmt, ";")] = '\0';
	if (sim_exec(&s, SIM_TARGET, stmt, err, sizeof(err)) != 0)
		fprintf(stderr, "%s\n%s\n", stmt, err);
	assert_int_equal(sim_exec(&s, SIM_TARGET, "SHOW STORAGE VOLUMES", err, sizeof(err)), 0);
	assert_int_equal(check(&s, &out), 1);	/* the settings still fail */
	expect_item(out, "src_volumes", "PASS", "every source volume in use has its src_ volume", NULL);
	free(out);
	e2e_finish(&s);
}

/* --- verification -------------------------------------------------------------------- */

static char *
newest(struct sim *s, const char *suffix)
{
	char path[4200], best[256] = "";
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "%s/log", s->dir);
	d = opendir(path);
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (strncmp(de->d_name, "verify-", 7) == 0 && n > strlen(suffix) &&
		    strcmp(de->d_name + n - strlen(suffix), suffix) == 0 && strcmp(de->d_name, best) > 0)
			snprintf(best, sizeof(best), "%s", de->d_name);
	}
	closedir(d);
	if (best[0] == '\0')
		return NULL;
	snprintf(path, sizeof(path), "log/%s", best);
	return e2e_read(s, path);
}

static long long
count_rows(struct sim *s, int side)
{
	struct sim_result *r = sim_query(s, side, "SELECT COUNT(*) AS n FROM shop.orders", NULL, 0);
	long long n;

	assert_non_null(r);
	n = atoll(sim_cell(r, 0, "n"));
	sim_result_free(r);
	return n;
}

static void
verification(void **state)
{
	struct sim s;
	char *out, *json, *text, err[512], want[256], part[2][64];
	struct sim_result *r;
	long long rows[2], dropped = 0, before;

	(void)state;
	start(&s, base);
	e2e_prepare(&s);
	assert_int_equal(run(&s, &out, "--once", NULL, NULL), 0);
	free(out);
	assert_int_equal(sim_compare(&s, NULL, err, sizeof(err)), 0);

	assert_int_equal(run(&s, &out, "verify", NULL, NULL), 0);
	expect_text(out, "verification: 2 tables, 4 partitions\n");
	expect_text(out, "every table matches");
	expect_text(out, "report: ");
	free(out);
	text = newest(&s, ".txt");
	json = newest(&s, ".json");
	assert_non_null(text);
	assert_non_null(json);
	assert_non_null(strstr(text, "every table matches"));
	assert_non_null(strstr(json, "\"tables\": 2, \"partitions\": 4, \"exact_counts\": false"));
	assert_non_null(strstr(json, "\"matches\": true, \"mismatches\": [\n]}"));
	free(text);
	free(json);

	/* Two partitions of the target's copy: one gets rows of its own, one goes away. */
	r = sim_query(&s, SIM_TARGET, "SHOW PARTITIONS FROM shop.orders", err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(sim_rows(r), 3);
	snprintf(part[0], sizeof(part[0]), "%s", sim_cell(r, 0, "PartitionName"));
	snprintf(part[1], sizeof(part[1]), "%s", sim_cell(r, 2, "PartitionName"));
	rows[0] = atoll(sim_cell(r, 0, "RowCount"));
	dropped = atoll(sim_cell(r, 2, "RowCount"));
	sim_result_free(r);
	before = count_rows(&s, SIM_TARGET);
	assert_int_equal(before, count_rows(&s, SIM_SOURCE));

	snprintf(want, sizeof(want), "INSERT INTO shop.orders PARTITION (%s) VALUES (1, '2024-01-01', 1), "
		 "(2, '2024-01-01', 2), (3, '2024-01-01', 3)", part[0]);
	assert_int_equal(sim_exec(&s, SIM_TARGET, want, err, sizeof(err)), 0);
	assert_int_equal(run(&s, &out, "verify", NULL, NULL), 1);
	snprintf(want, sizeof(want), "MISMATCH shop.orders partition %s: rows: source %lld, target %lld",
		 part[0], rows[0], rows[0] + 3);
	expect_text(out, want);
	snprintf(want, sizeof(want), "MISMATCH shop.orders partition %s: version: source ", part[0]);
	expect_text(out, want);
	free(out);
	json = newest(&s, ".json");
	assert_non_null(json);
	assert_non_null(strstr(json, "\"matches\": false"));
	snprintf(want, sizeof(want), "{\"table\": \"shop.orders\", \"partition\": \"%s\", \"what\": \"rows: "
		 "source %lld, target %lld\"}", part[0], rows[0], rows[0] + 3);
	assert_non_null(strstr(json, want));
	free(json);

	snprintf(want, sizeof(want), "ALTER TABLE shop.orders DROP PARTITION %s", part[1]);
	assert_int_equal(sim_exec(&s, SIM_TARGET, want, err, sizeof(err)), 0);
	assert_int_equal(run(&s, &out, "verify", NULL, NULL), 1);
	snprintf(want, sizeof(want), "MISMATCH shop.orders partition %s: missing on the target", part[1]);
	expect_text(out, want);
	/* shop.items was not touched. */
	assert_null(strstr(out, "MISMATCH shop.items"));
	free(out);

	/* --count: SELECT COUNT(*) on both sides, the numbers the clusters give. */
	rows[0] = count_rows(&s, SIM_SOURCE);
	rows[1] = count_rows(&s, SIM_TARGET);
	assert_true(rows[1] == before + 3 - dropped);
	assert_int_equal(run(&s, &out, "verify", "--count", NULL), 1);
	expect_text(out, ", exact row counts\n");
	snprintf(want, sizeof(want), "MISMATCH shop.orders: COUNT(*): source %lld, target %lld", rows[0], rows[1]);
	expect_text(out, want);
	assert_null(strstr(out, "MISMATCH shop.items"));
	free(out);
	json = newest(&s, ".json");
	assert_non_null(json);
	assert_non_null(strstr(json, "\"exact_counts\": true"));
	free(json);
	e2e_finish(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(paths, e2e_teardown),
		cmocka_unit_test_teardown(all_pass_then_each_fails, e2e_teardown),
		cmocka_unit_test_teardown(privilege_and_login, e2e_teardown),
		cmocka_unit_test_teardown(filters_selecting_nothing, e2e_teardown),
		cmocka_unit_test_teardown(bad_configuration, e2e_teardown),
		cmocka_unit_test_teardown(fix_records_then_changes, e2e_teardown),
		cmocka_unit_test_teardown(fail_needs_force, e2e_teardown),
		cmocka_unit_test_teardown(src_volumes, e2e_teardown),
		cmocka_unit_test_teardown(verification, e2e_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
