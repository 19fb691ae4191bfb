/*
 * srsim's scenario and the files it writes: ports.env, hosts.properties and
 * sync.properties (no routable address anywhere), [sync] overrides, generated
 * catalogs, ongoing loads (versions, rows, transactions, new partitions), and
 * scenarios srsim must refuse.
 */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

#include <cmocka.h>

#include "simtest.h"

static char *
slurp(struct sim *s, const char *name)
{
	char path[4200], *text = NULL;

	snprintf(path, sizeof path, "%s/%s", s->dir, name);
	if (!g_file_get_contents(path, &text, NULL, NULL))
		fail_msg("cannot read %s", path);
	return text;
}

/* Every dotted quad in text is 127.0.0.1. */
static void
assert_loopback_only(const char *text)
{
	regex_t re;
	regmatch_t m;
	const char *p = text;

	assert_int_equal(regcomp(&re, "[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+", REG_EXTENDED), 0);
	while (regexec(&re, p, 1, &m, 0) == 0) {
		char quad[64];
		snprintf(quad, sizeof quad, "%.*s", (int)(m.rm_eo - m.rm_so), p + m.rm_so);
		assert_string_equal(quad, "127.0.0.1");
		p += m.rm_eo;
	}
	regfree(&re);
}

static void
test_files(void **state)
{
	(void)state;
	struct sim s;
	static const char scn[] = "[source]\nversion = 3.3.5\nuser = mig\npassword = a\\b#c\ntoken = tok-1\nbe = 2\n"
				  "fe = 2\n"
				  "[target]\nversion = 3.5.2\nrun_mode = shared_data\npassword = tp\ncn = 2\nbe = 1\n"
				  "[sync]\nmeta_job_interval_seconds = 5\nextra_key = yes\n";

	assert_int_equal(sim_start(&s, scn, 10), 0);
	char *ports = slurp(&s, "ports.env"), want[256];
	snprintf(want, sizeof want, "SOURCE_QUERY_PORT=%d\nSOURCE_RPC_PORT=%d\nTARGET_QUERY_PORT=%d\nTARGET_RPC_PORT=%d\n",
		 s.ports[0], s.ports[1], s.ports[2], s.ports[3]);
	assert_true(g_str_has_prefix(ports, want));
	for (int i = 0; i < 4; i++)
		assert_true(s.ports[i] > 0);

	char *hosts = slurp(&s, "hosts.properties");
	snprintf(want, sizeof want, "SOURCE_fe-0.source.invalid=127.0.0.1;9030:%d,9020:%d,8030:", s.ports[0], s.ports[1]);
	assert_non_null(strstr(hosts, want));
	snprintf(want, sizeof want, "TARGET_fe-0.target.invalid=127.0.0.1;9030:%d,9020:%d,8030:", s.ports[2], s.ports[3]);
	assert_non_null(strstr(hosts, want));
	static const char *const nodes[] = { "SOURCE_fe-1.source.invalid=127.0.0.1;9030:",
					     "SOURCE_be-0.source.invalid=127.0.0.1;9060:",
					     "SOURCE_be-1.source.invalid=127.0.0.1;9060:",
					     "TARGET_cn-0.target.invalid=127.0.0.1;9060:",
					     "TARGET_cn-1.target.invalid=127.0.0.1;9060:",
					     "TARGET_be-0.target.invalid=127.0.0.1;9060:" };
	for (size_t i = 0; i < G_N_ELEMENTS(nodes); i++)
		assert_non_null(strstr(hosts, nodes[i]));
	assert_null(strstr(hosts, "be-2.source"));
	assert_non_null(strstr(hosts, ",8040:"));

	char *sync = slurp(&s, "sync.properties");
	static const char *const lines[] = { "\nsource_fe_host=fe-0.source.invalid\n", "\nsource_fe_query_port=9030\n",
					     "\nsource_cluster_user=mig\n", "\nsource_cluster_password=a\\\\b#c\n",
					     "\nsource_cluster_token=tok-1\n", "\ntarget_fe_host=fe-0.target.invalid\n",
					     "\ntarget_fe_query_port=9030\n", "\ntarget_cluster_user=root\n",
					     "\ntarget_cluster_password=tp\n", "\nmeta_job_interval_seconds=5\n",
					     "\nextra_key=yes\n", "\nreplication_job_batch_size=10\n" };
	for (size_t i = 0; i < G_N_ELEMENTS(lines); i++)
		if (!strstr(sync, lines[i]))
			fail_msg("sync.properties lacks %s", lines[i] + 1);
	assert_null(strstr(sync, "meta_job_interval_seconds=180"));
	assert_loopback_only(ports);
	assert_loopback_only(hosts);
	assert_loopback_only(sync);

	/* the harness reads the escaped password back and logs in with it */
	MYSQL *m = sim_connect(&s, SIM_SOURCE);
	assert_non_null(m);
	mysql_close(m);
	/* the nodes name themselves as the files do */
	struct sim_result *r = st_q(&s, SIM_SOURCE, "SHOW FRONTENDS");
	assert_int_equal(sim_rows(r), 2);
	assert_string_equal(sim_cell(r, 0, "IP"), "fe-0.source.invalid");
	assert_string_equal(sim_cell(r, 1, "IP"), "fe-1.source.invalid");
	sim_result_free(r);
	g_free(ports);
	g_free(hosts);
	g_free(sync);
	sim_stop(&s);
}

static void
test_generate(void **state)
{
	(void)state;
	struct sim s;
	static const char scn[] = "[sim]\nsystem_dbs = false\n[source]\nversion = 3.2.3\n[target]\nversion = 3.3.5\n"
				  "[generate]\ndatabases = 3\ntables = 30\npartitions = 2\nbuckets = 2\nrows = 100\n"
				  "[generate target]\ndatabases = 1\ntables = 2\ndb_prefix = pre\ntable_prefix = x\n";

	assert_int_equal(sim_start(&s, scn, 10), 0);
	struct sim_result *r = st_q(&s, SIM_SOURCE, "SELECT COUNT(*) FROM information_schema.tables WHERE "
						    "TABLE_SCHEMA LIKE 'gen_db_%%' AND TABLE_TYPE = 'BASE TABLE'");
	assert_string_equal(sim_cell(r, 0, "COUNT(*)"), "30");
	sim_result_free(r);
	/* gen_db_000..002 and the built-in information_schema and sys, but no _statistics_ */
	r = st_q(&s, SIM_SOURCE, "SHOW DATABASES");
	assert_int_equal(sim_rows(r), 5);
	assert_string_equal(sim_cell(r, 2, "Database"), "gen_db_002");
	sim_result_free(r);
	r = st_q(&s, SIM_SOURCE, "SELECT DISTINCT TABLE_MODEL FROM information_schema.tables_config");
	assert_int_equal(sim_rows(r), 4);
	sim_result_free(r);
	r = st_q(&s, SIM_TARGET, "SHOW TABLES FROM pre_000");
	assert_int_equal(sim_rows(r), 2);
	sim_result_free(r);
	sim_stop(&s);
}

static long
partition_number(struct sim *s, const char *sql, const char *title)
{
	struct sim_result *r = st_q(s, SIM_SOURCE, "%s", sql);
	long v = sim_rows(r) ? (long)st_i64(sim_cell(r, 0, title)) : -1;

	sim_result_free(r);
	return v;
}

static void
test_load(void **state)
{
	(void)state;
	struct sim s;
	static const char scn[] = "[source]\nversion = 3.3.5\n[target]\nversion = 3.3.5\n"
				  "[table d.t]\npartition_by = none\nbuckets = 2\nrows = 1000\nversion = 5\n"
				  "[table d.e]\npartition_by = expr\npartitions = 1\nrows = 0\n"
				  "[table d.quiet]\npartition_by = none\nrows = 7\n"
				  "[load]\ntables = d.t, d.e\ninterval = 2s\nrows = 10\nbytes = 1KB\nnew_partition_every = 2\n"
				  "stop = 10s\n";

	assert_int_equal(sim_start(&s, scn, 20), 0);
	long quiet = partition_number(&s, "SHOW PARTITIONS FROM d.quiet", "VisibleVersion");
	/* 2 s at speed 20: a load every ~100 ms, none after 500 ms */
	usleep(800 * 1000);
	long v = partition_number(&s, "SHOW PARTITIONS FROM d.t", "VisibleVersion");
	long dv = partition_number(&s, "SHOW PARTITIONS FROM d.t", "DataVersion");
	long rows = partition_number(&s, "SHOW PARTITIONS FROM d.t", "RowCount");
	assert_true(v > 5);
	assert_int_equal(dv, v);	/* a normal load moves both */
	assert_int_equal(rows, 1000 + 10 * (v - 5));
	assert_int_equal(partition_number(&s, "SELECT COUNT(*) FROM d.t", "COUNT(*)"), rows);
	assert_int_equal(partition_number(&s, "SHOW PARTITIONS FROM d.quiet", "VisibleVersion"), quiet);

	/* every load is a visible transaction */
	struct sim_result *r = st_q(&s, SIM_SOURCE, "SHOW PROC '/transactions/d/finished'");
	assert_true(sim_rows(r) >= (size_t)(v - 5));
	assert_string_equal(sim_cell(r, 0, "TransactionStatus"), "VISIBLE");
	assert_string_equal(sim_cell(r, 0, "LoadJobSourceType"), "BACKEND_STREAMING");
	sim_result_free(r);

	/* the expression-partitioned table grows a partition every second load */
	r = st_q(&s, SIM_SOURCE, "SHOW PARTITIONS FROM d.e");
	assert_true(sim_rows(r) >= 2);
	sim_result_free(r);
	sim_stop(&s);

	/* sim_load_pause holds the scheduled loads of a cluster, and lets them go again */
	static const char forever[] = "[source]\nversion = 3.3.5\n[target]\nversion = 3.3.5\n"
				      "[table d.t]\npartition_by = none\nrows = 10\nversion = 2\n"
				      "[load]\ntables = d.t\ninterval = 1s\n";
	char err[256];
	assert_int_equal(sim_start(&s, forever, 20), 0);
	assert_int_equal(sim_exec(&s, SIM_SOURCE, "ADMIN SET FRONTEND CONFIG (\"sim_load_pause\" = \"true\")", err,
				  sizeof err), 0);
	usleep(200 * 1000);
	long held = partition_number(&s, "SHOW PARTITIONS FROM d.t", "VisibleVersion");
	usleep(400 * 1000);
	assert_int_equal(partition_number(&s, "SHOW PARTITIONS FROM d.t", "VisibleVersion"), held);
	assert_int_equal(sim_exec(&s, SIM_SOURCE, "ADMIN SET FRONTEND CONFIG (\"sim_load_pause\" = \"false\")", err,
				  sizeof err), 0);
	usleep(400 * 1000);
	assert_true(partition_number(&s, "SHOW PARTITIONS FROM d.t", "VisibleVersion") > held);
	sim_stop(&s);
}

static void
test_refused(void **state)
{
	(void)state;
	struct sim s;
	static const char *const bad[] = {
		"[source]\nversion = 3.3.5\nbee = 3\n[target]\nversion = 3.3.5\n",
		"[source]\nversion = 3.3.5\n[target]\nversion = 3.3.5\n[tabel d.t]\n",
		"[source]\nversion = 2.5.0\n[target]\nversion = 3.3.5\n",
		"[source]\nversion = 3.3.5\n",
		"[source]\nversion = 3.3.5\nrun_mode = shared_everything\n[target]\nversion = 3.3.5\n",
		"[source]\nversion = 3.3.5\n[target]\nversion = 3.3.5\n[table d.t]\nmodel = primary\nbuckets = x\n",
		"[source]\nversion = 3.3.5\n[target]\nversion = 3.3.5\n[faults]\nsim_no_such_fault = 1\n",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		memset(&s, 0, sizeof s);
		if (sim_start(&s, bad[i], 10) == 0) {
			sim_stop(&s);
			fail_msg("srsim accepted scenario %zu", i);
		}
		sim_stop(&s);
	}
}

int
main(void)
{
	thriftfix_install();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
