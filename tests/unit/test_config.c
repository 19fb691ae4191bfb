/*
 * test_config: conf/sync.properties as the official tool documents it, plus
 * our keys. Every key of cfg_opts[] (config.c is included to walk the table)
 * takes its good values and refuses bad ones with "PATH:LINE: key: why".
 */
#include "unit.h"

#include "../../src/config.c"

#define PATH "conf/sync.properties"

/* conf/sync.properties as shipped with the official tool (reference, Step 2), verbatim. */
static const char official_file[] =
	"# If true, all tables will be synchronized only once, and the program will exit automatically after completion.\n"
	"one_time_run_mode=false\n"
	"\n"
	"source_fe_host=\n"
	"source_fe_query_port=9030\n"
	"source_cluster_user=root\n"
	"source_cluster_password=\n"
	"source_cluster_password_secret_key=\n"
	"# You can leave this empty or omit it if you want to migrate data between shared-data source clusters.\n"
	"source_cluster_token=\n"
	"\n"
	"target_fe_host=\n"
	"target_fe_query_port=9030\n"
	"target_cluster_user=root\n"
	"target_cluster_password=\n"
	"target_cluster_password_secret_key=\n"
	"\n"
	"jdbc_connect_timeout_ms=30000\n"
	"jdbc_socket_timeout_ms=60000\n"
	"\n"
	"# Comma-separated list of database names or table names like <db_name> or <db_name.table_name>\n"
	"# example: db1,db2.tbl2,db3\n"
	"# Effective order: 1. include 2. exclude\n"
	"include_data_list=\n"
	"exclude_data_list=\n"
	"\n"
	"# If there are no special requirements, please maintain the default values for the following configurations.\n"
	"target_cluster_storage_volume=\n"
	"# This configuration item is for migration between shared-data clusters only.\n"
	"target_cluster_use_builtin_storage_volume_only=false\n"
	"target_cluster_replication_num=-1\n"
	"target_cluster_max_disk_used_percent=80\n"
	"# To maintain consistency with the source cluster, use null.\n"
	"target_cluster_enable_persistent_index=\n"
	"\n"
	"max_replication_data_size_per_job_in_gb=1024\n"
	"\n"
	"meta_job_interval_seconds=180\n"
	"meta_job_threads=4\n"
	"ddl_job_interval_seconds=10\n"
	"ddl_job_batch_size=10\n"
	"\n"
	"# table config\n"
	"ddl_job_allow_drop_target_only=false\n"
	"ddl_job_allow_drop_schema_change_table=true\n"
	"ddl_job_allow_drop_inconsistent_partition=true\n"
	"ddl_job_allow_drop_inconsistent_time_partition = true\n"
	"ddl_job_allow_drop_partition_target_only=true\n"
	"# index config\n"
	"enable_bitmap_index_sync=false\n"
	"ddl_job_allow_drop_inconsistent_bitmap_index=true\n"
	"ddl_job_allow_drop_bitmap_index_target_only=true\n"
	"# MV config\n"
	"enable_materialized_view_sync=false\n"
	"ddl_job_allow_drop_inconsistent_materialized_view=true\n"
	"ddl_job_allow_drop_materialized_view_target_only=false\n"
	"# View config\n"
	"enable_view_sync=false\n"
	"ddl_job_allow_drop_inconsistent_view=true\n"
	"ddl_job_allow_drop_view_target_only=false\n"
	"\n"
	"replication_job_interval_seconds=10\n"
	"replication_job_batch_size=10\n"
	"report_interval_seconds=300\n"
	"enable_table_property_sync=false\n";

/* --- helpers ----------------------------------------------------------------- */

static void
clear_env(void)
{
	unsetenv("SRMIGRATE_SOURCE_PASSWORD");
	unsetenv("SRMIGRATE_TARGET_PASSWORD");
}

static int
setup(void **state)
{
	(void)state;
	clear_env();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	clear_env();
	secret_forget_all();
	return 0;
}

/* Fresh defaults, then @text as sync.properties. */
static int
parse(struct srm_config *cfg, const char *text, char *err)
{
	cfg_defaults(cfg, "conf", "log");
	err[0] = '\0';
	return cfg_load_text(cfg, PATH, text, err, SRM_ERR_LEN);
}

static const struct cfg_opt *
opt(const char *key)
{
	size_t i;
	const struct cfg_opt *o = opt_find(key, &i);

	assert_non_null(o);
	return o;
}

static int64_t
int_of(struct srm_config *cfg, const struct cfg_opt *o)
{
	if (o->type == T_BOOL)
		return *(bool *)field(cfg, o);
	return *(int64_t *)field(cfg, o);
}

static const char *
str_of(struct srm_config *cfg, const struct cfg_opt *o)
{
	return *(char **)field(cfg, o);
}

static char *
dump_of(void (*fn)(FILE *), const struct srm_config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (fn)
		fn(f);
	else
		cfg_dump(cfg, f);
	fclose(f);
	return buf;
}

/* "key=value" on line 3 must load, and give the value @want (ints) back. */
static void
expect_int(const struct cfg_opt *o, const char *value, int64_t want)
{
	struct srm_config cfg;
	char err[SRM_ERR_LEN], *text;
	int rc;

	if (asprintf(&text, "# line 1\n\n%s=%s\n", o->key, value) < 0)
		abort();
	rc = parse(&cfg, text, err);
	if (rc != 0)
		print_error("%s=%s: %s\n", o->key, value, err);
	assert_int_equal(rc, 0);
	if (int_of(&cfg, o) != want)
		print_error("%s=%s gave %lld\n", o->key, value, (long long)int_of(&cfg, o));
	assert_int_equal(int_of(&cfg, o), want);
	assert_int_equal(cfg.n_warnings, 0);
	cfg_free(&cfg);
	free(text);
}

/* "key=value" on line 3 must fail with "conf/sync.properties:3: key: <why>". */
static void
expect_bad(const struct cfg_opt *o, const char *value)
{
	struct srm_config cfg;
	char err[SRM_ERR_LEN], *text, *prefix;
	int rc;

	if (asprintf(&text, "# line 1\n; line 2\n%s=%s\n", o->key, value) < 0 ||
	    asprintf(&prefix, "%s:3: %s: ", PATH, o->key) < 0)
		abort();
	rc = parse(&cfg, text, err);
	if (rc == 0)
		print_error("%s=%s was accepted\n", o->key, value);
	assert_int_equal(rc, -1);
	assert_prefix(err, prefix);
	/* Something after the prefix says why. */
	assert_true(strlen(err) > strlen(prefix) + 5);
	cfg_free(&cfg);
	free(text);
	free(prefix);
}

static void
expect_str(const struct cfg_opt *o, const char *value, const char *want)
{
	struct srm_config cfg;
	char err[SRM_ERR_LEN], *text;

	if (asprintf(&text, "%s=%s\n", o->key, value) < 0)
		abort();
	assert_int_equal(parse(&cfg, text, err), 0);
	assert_string_equal(str_of(&cfg, o), want);
	cfg_free(&cfg);
	free(text);
}

/* --- defaults ------------------------------------------------------------------ */

/* The defaults are the official tool's (reference, Step 2) and ours (product.md §3). */
static void
test_defaults(void **state)
{
	struct srm_config c;

	(void)state;
	cfg_defaults(&c, "conf", "log");
	assert_string_equal(c.sync_path, "conf/sync.properties");
	assert_string_equal(c.hosts_path, "conf/hosts.properties");
	assert_false(c.one_time_run_mode);
	assert_string_equal(c.source.fe_host, "");
	assert_int_equal(c.source.query_port, 9030);
	assert_int_equal(c.target.query_port, 9030);
	assert_string_equal(c.source.user, "root");
	assert_string_equal(c.target.user, "root");
	assert_string_equal(c.source.password, "");
	assert_string_equal(c.source.token, "");
	assert_int_equal(c.jdbc_connect_timeout_ms, 30000);
	assert_int_equal(c.jdbc_socket_timeout_ms, 60000);
	assert_string_equal(c.include_data_list, "");
	assert_string_equal(c.exclude_data_list, "");
	assert_string_equal(c.target_cluster_storage_volume, "");
	assert_false(c.target_cluster_use_builtin_storage_volume_only);
	assert_int_equal(c.target_cluster_replication_num, -1);
	assert_int_equal(c.target_cluster_max_disk_used_percent, 80);
	assert_int_equal(c.target_cluster_enable_persistent_index, -1);
	assert_int_equal(c.max_replication_data_size_per_job_in_gb, 1024);
	assert_int_equal(c.meta_job_interval_seconds, 180);
	assert_int_equal(c.meta_job_threads, 4);
	assert_int_equal(c.ddl_job_interval_seconds, 10);
	assert_int_equal(c.ddl_job_batch_size, 10);
	assert_false(c.ddl_job_allow_drop_target_only);
	assert_true(c.ddl_job_allow_drop_schema_change_table);
	assert_true(c.ddl_job_allow_drop_inconsistent_partition);
	assert_true(c.ddl_job_allow_drop_inconsistent_time_partition);
	assert_true(c.ddl_job_allow_drop_partition_target_only);
	assert_false(c.enable_bitmap_index_sync);
	assert_true(c.ddl_job_allow_drop_inconsistent_bitmap_index);
	assert_true(c.ddl_job_allow_drop_bitmap_index_target_only);
	assert_false(c.enable_materialized_view_sync);
	assert_true(c.ddl_job_allow_drop_inconsistent_materialized_view);
	assert_false(c.ddl_job_allow_drop_materialized_view_target_only);
	assert_false(c.enable_view_sync);
	assert_true(c.ddl_job_allow_drop_inconsistent_view);
	assert_false(c.ddl_job_allow_drop_view_target_only);
	assert_int_equal(c.replication_job_interval_seconds, 10);
	assert_int_equal(c.replication_job_batch_size, 10);
	assert_int_equal(c.report_interval_seconds, 300);
	assert_false(c.enable_table_property_sync);
	/* Ours. */
	assert_int_equal(c.source.n_fe_hosts, 0);
	assert_int_equal(c.source.ssl_mode, SSL_PREFERRED);
	assert_int_equal(c.target.ssl_mode, SSL_PREFERRED);
	assert_int_equal(c.ddl_job_confirm_drops, -1);
	assert_int_equal(c.cutover_quiet_rounds, 3);
	assert_string_equal(c.control_socket, "log/srmigrate.sock");
	assert_string_equal(c.metrics_file, "log/metrics.prom");
	assert_int_equal(c.n_warnings, 0);
	cfg_free(&c);
}

/*
 * The official file is read without an error or a warning and changes
 * nothing; its keys are exactly our OFFICIAL keys, with the same defaults.
 */
static void
test_official_file(void **state)
{
	struct srm_config c, d;
	char err[SRM_ERR_LEN], *copy = strdup(official_file), *save = NULL;
	size_t seen = 0, official = 0;

	(void)state;
	assert_int_equal(parse(&c, official_file, err), 0);
	assert_int_equal(c.n_warnings, 0);
	cfg_defaults(&d, "conf", "log");
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct cfg_opt *o = &cfg_opts[i];

		if (o->type == T_STR || o->type == T_SECRET || o->type == T_PATH || o->type == T_LIST)
			assert_string_equal(str_of(&c, o), str_of(&d, o));
		else if (o->type != T_HOSTS)
			assert_int_equal(int_of(&c, o), int_of(&d, o));
		if (o->flags & OFFICIAL)
			official++;
	}
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		size_t i;

		if (line[0] == '#' || eq == NULL)
			continue;
		*eq = '\0';
		const struct cfg_opt *o = opt_find(str_trim(line), &i);

		if (o == NULL)
			print_error("official key %s is missing from cfg_opts\n", line);
		assert_non_null(o);
		assert_true(o->flags & OFFICIAL);
		assert_string_equal(o->def, str_trim(eq + 1));
		seen++;
	}
	/* The tool's own docs list one key per line of the file: no OFFICIAL key is invented. */
	assert_int_equal(seen, official);
	free(copy);
	cfg_free(&c);
	cfg_free(&d);
}

/* --- every key, by type ----------------------------------------------------------- */

static void
test_bool_keys(void **state)
{
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct cfg_opt *o = &cfg_opts[i];

		if (o->type != T_BOOL)
			continue;
		n++;
		expect_int(o, "true", 1);
		expect_int(o, "false", 0);
		expect_int(o, "TRUE", 1);
		expect_int(o, "False", 0);
		expect_int(o, "  true  ", 1);
		expect_bad(o, "yes");
		expect_bad(o, "1");
		expect_bad(o, "0");
		expect_bad(o, "no");
		expect_bad(o, "truee");
		expect_bad(o, "");
	}
	assert_true(n >= 17);
}

static void
test_optbool_keys(void **state)
{
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct cfg_opt *o = &cfg_opts[i];

		if (o->type != T_OPTBOOL)
			continue;
		n++;
		expect_int(o, "true", 1);
		expect_int(o, "FALSE", 0);
		expect_int(o, "", -1);
		expect_bad(o, "yes");
		expect_bad(o, "1");
		expect_bad(o, "null");
	}
	assert_int_equal(n, 2);
}

static void
test_int_keys(void **state)
{
	char buf[64];
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct cfg_opt *o = &cfg_opts[i];

		if (o->type != T_INT)
			continue;
		n++;
		assert_true(o->min <= o->max);
		snprintf(buf, sizeof(buf), "%lld", (long long)o->min);
		expect_int(o, buf, o->min);
		snprintf(buf, sizeof(buf), "%lld", (long long)o->max);
		expect_int(o, buf, o->max);
		snprintf(buf, sizeof(buf), " %lld ", (long long)(o->min + (o->max - o->min) / 2));
		expect_int(o, buf, o->min + (o->max - o->min) / 2);
		snprintf(buf, sizeof(buf), "+%lld", (long long)o->max);
		expect_int(o, buf, o->max);
		if (o->special != NO_SPECIAL) {
			snprintf(buf, sizeof(buf), "%lld", (long long)o->special);
			expect_int(o, buf, o->special);
			snprintf(buf, sizeof(buf), "%lld", (long long)o->special - 1);
			expect_bad(o, buf);
		} else {
			/* No special: a negative value (an interval, a count) is refused. */
			expect_bad(o, "-1");
		}
		if (o->min - 1 != o->special) {
			snprintf(buf, sizeof(buf), "%lld", (long long)o->min - 1);
			expect_bad(o, buf);
		}
		snprintf(buf, sizeof(buf), "%lld", (long long)o->max + 1);
		expect_bad(o, buf);
		expect_bad(o, "");
		expect_bad(o, "abc");
		expect_bad(o, "1.5");
		expect_bad(o, "10s");
		expect_bad(o, "1 2");
		expect_bad(o, "0x10");
		expect_bad(o, "99999999999999999999");
		expect_bad(o, "-99999999999999999999");
	}
	assert_true(n >= 15);
}

/* The ranges that matter to a DBA, spelled out. */
static void
test_int_ranges(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN];

	(void)state;
	expect_int(opt("source_fe_query_port"), "1", 1);
	expect_int(opt("source_fe_query_port"), "65535", 65535);
	expect_bad(opt("source_fe_query_port"), "0");
	expect_bad(opt("source_fe_query_port"), "65536");
	expect_bad(opt("target_fe_query_port"), "70000");
	expect_int(opt("target_cluster_max_disk_used_percent"), "0", 0);
	expect_int(opt("target_cluster_max_disk_used_percent"), "100", 100);
	expect_bad(opt("target_cluster_max_disk_used_percent"), "101");
	expect_bad(opt("target_cluster_max_disk_used_percent"), "-1");
	expect_int(opt("target_cluster_replication_num"), "-1", -1);
	expect_int(opt("target_cluster_replication_num"), "3", 3);
	expect_bad(opt("target_cluster_replication_num"), "0");
	expect_int(opt("max_replication_data_size_per_job_in_gb"), "-1", -1);
	expect_bad(opt("max_replication_data_size_per_job_in_gb"), "0");
	expect_bad(opt("meta_job_interval_seconds"), "0");
	expect_bad(opt("meta_job_interval_seconds"), "-180");
	expect_bad(opt("report_interval_seconds"), "-1");
	expect_bad(opt("replication_job_interval_seconds"), "-10");
	expect_bad(opt("ddl_job_interval_seconds"), "-5");
	expect_bad(opt("meta_job_threads"), "0");

	/* The message says what is allowed. */
	assert_int_equal(parse(&c, "target_cluster_replication_num=0\n", err), -1);
	assert_string_equal(err, PATH ":1: target_cluster_replication_num: 0 is out of range (-1, or 1 to 32)");
	cfg_free(&c);
	assert_int_equal(parse(&c, "\nmeta_job_interval_seconds=-180\n", err), -1);
	assert_string_equal(err, PATH ":2: meta_job_interval_seconds: -180 is out of range (1 to 86400)");
	cfg_free(&c);
	assert_int_equal(parse(&c, "meta_job_threads=four\n", err), -1);
	assert_string_equal(err, PATH ":1: meta_job_threads: not an integer: 'four'");
	cfg_free(&c);
	assert_int_equal(parse(&c, "enable_view_sync=yes\n", err), -1);
	assert_string_equal(err, PATH ":1: enable_view_sync: not a boolean: 'yes' (true or false)");
	cfg_free(&c);
}

/* Strings keep everything between the first '=' and the end of the line, blanks around trimmed. */
static void
test_string_keys(void **state)
{
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct cfg_opt *o = &cfg_opts[i];

		if ((o->type != T_STR && o->type != T_SECRET && o->type != T_PATH) ||
		    strstr(o->key, "secret_key"))
			continue;
		n++;
		expect_str(o, "p@ss ;word #1", "p@ss ;word #1");
		expect_str(o, "  a=b:c  ", "a=b:c");
		expect_str(o, "", "");
	}
	assert_true(n >= 12);
}

static void
test_password_keeps_specials(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN];

	(void)state;
	assert_int_equal(parse(&c, "source_cluster_password=p@ss ;word #1\n"
				   "target_cluster_password=#starts;with=hash\n", err), 0);
	assert_string_equal(c.source.password, "p@ss ;word #1");
	assert_string_equal(c.target.password, "#starts;with=hash");
	assert_false(c.source.password_from_env);
	cfg_free(&c);
}

static void
test_list_keys(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN];

	(void)state;
	expect_str(opt("include_data_list"), "db1, db2.tbl2 ,db3", "db1, db2.tbl2 ,db3");
	expect_bad(opt("include_data_list"), "db1,,db2");
	expect_bad(opt("exclude_data_list"), "db1,");
	expect_bad(opt("exclude_data_list"), ",db1");
	expect_bad(opt("include_data_list"), "db.t.x");

	assert_int_equal(parse(&c, "include_data_list=db1, db2.tbl2, db3\nexclude_data_list=db3\n", err), 0);
	assert_int_equal(c.filter.n_include, 3);
	assert_int_equal(c.filter.n_exclude, 1);
	assert_string_equal(c.filter.include[1].db, "db2");
	assert_string_equal(c.filter.include[1].table, "tbl2");
	assert_true(filter_table(&c.filter, "db2", "tbl2"));
	assert_false(filter_db(&c.filter, "db3"));
	cfg_free(&c);

	/* The error names the key and the line of the list, not of the file's end. */
	assert_int_equal(parse(&c, "# x\nexclude_data_list=a, ,b\nmeta_job_threads=2\n", err), -1);
	assert_string_equal(err, PATH ":2: exclude_data_list: a list with an empty element");
	cfg_free(&c);
}

static void
test_host_lists(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN];
	const struct cfg_opt *o = opt("source_fe_hosts");

	(void)state;
	assert_int_equal(parse(&c, "source_fe_hosts=a,b:9031,[::1]:9030\n"
				   "target_fe_hosts= fe1 , [fd00::2] ,fe3:19031\n"
				   "target_fe_query_port=19030\n", err), 0);
	assert_int_equal(c.source.n_fe_hosts, 3);
	assert_string_equal(c.source.fe_hosts[0].host, "a");
	assert_int_equal(c.source.fe_hosts[0].port, 9030);	/* the query port */
	assert_string_equal(c.source.fe_hosts[1].host, "b");
	assert_int_equal(c.source.fe_hosts[1].port, 9031);
	assert_string_equal(c.source.fe_hosts[2].host, "::1");
	assert_int_equal(c.source.fe_hosts[2].port, 9030);
	assert_int_equal(c.target.n_fe_hosts, 3);
	assert_string_equal(c.target.fe_hosts[0].host, "fe1");
	assert_int_equal(c.target.fe_hosts[0].port, 19030);	/* set on a later line */
	assert_string_equal(c.target.fe_hosts[1].host, "fd00::2");
	assert_int_equal(c.target.fe_hosts[1].port, 19030);
	assert_int_equal(c.target.fe_hosts[2].port, 19031);
	cfg_free(&c);

	expect_bad(o, "a,,b");
	expect_bad(o, "a,");
	expect_bad(o, "a:0");
	expect_bad(o, "a:70000");
	expect_bad(o, "a:");
	expect_bad(o, "a:port");
	expect_bad(o, ":9030");
	expect_bad(o, "[::1");
	expect_bad(o, "[::1]9030");
	expect_bad(o, "[]:9030");
	/* An IPv6 address needs its brackets, or its last group would be read as a port. */
	expect_bad(o, "fd00::2");
	expect_bad(opt("target_fe_hosts"), "fe1,fd00::1:9030");
}

static void
test_ssl_modes(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN];

	(void)state;
	for (int side = 0; side < 2; side++) {
		const struct cfg_opt *o = opt(side ? "target_cluster_ssl_mode" : "source_cluster_ssl_mode");

		expect_int(o, "disabled", SSL_DISABLED);
		expect_int(o, "preferred", SSL_PREFERRED);
		expect_int(o, "required", SSL_REQUIRED);
		expect_int(o, "REQUIRED", SSL_REQUIRED);
		expect_bad(o, "tls");
		expect_bad(o, "");
		expect_bad(o, "verify");
		/* verify_* without a CA file: an error naming the mode's key and line. */
		expect_bad(o, "verify_ca");
		expect_bad(o, "verify_identity");
	}
	assert_int_equal(parse(&c, "\ntarget_cluster_ssl_mode=verify_ca\n", err), -1);
	assert_string_equal(err, PATH ":2: target_cluster_ssl_mode: verify_ca needs target_cluster_ssl_ca");
	cfg_free(&c);
	assert_int_equal(parse(&c, "source_cluster_ssl_mode=verify_identity\n"
				   "source_cluster_ssl_ca=/etc/ssl/ca.pem\n"
				   "target_cluster_ssl_ca=/etc/ssl/ca2.pem\n"
				   "target_cluster_ssl_mode=Verify_CA\n", err), 0);
	assert_int_equal(c.source.ssl_mode, SSL_VERIFY_IDENTITY);
	assert_int_equal(c.target.ssl_mode, SSL_VERIFY_CA);
	assert_string_equal(c.source.ssl_ca, "/etc/ssl/ca.pem");
	cfg_free(&c);
	assert_string_equal(ssl_mode_name(SSL_VERIFY_IDENTITY), "verify_identity");
	assert_string_equal(ssl_mode_name((enum ssl_mode)42), "?");
}

static void
test_paths(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN], long_path[200], *text;

	(void)state;
	assert_int_equal(parse(&c, "control_socket=\nmetrics_file=/var/lib/srm/m.prom\n", err), 0);
	assert_string_equal(c.control_socket, "");
	assert_string_equal(c.metrics_file, "/var/lib/srm/m.prom");
	cfg_free(&c);

	memset(long_path, 'x', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	if (asprintf(&text, "\n\ncontrol_socket=%s\n", long_path) < 0)
		abort();
	assert_int_equal(parse(&c, text, err), -1);
	assert_prefix(err, PATH ":3: control_socket: ");
	cfg_free(&c);
	free(text);
}

/* --- file syntax -------------------------------------------------------------- */

/*
 * Files written for the official tool are Java properties: escapes are
 * decoded and a line ending in a backslash continues on the next one.
 */
static void
test_java_escapes(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN];

	(void)state;
	assert_int_equal(parse(&c, "source_cluster_password=back\\\\slash\\=\\u00e9\\t\\q\n"
				   "target_cluster_password=a\\\\\n"
				   "include_data_list=db1, \\\n"
				   "     db2,\\\n"
				   "\tdb3\n"
				   "# a comment ending in a backslash does not continue \\\n"
				   "meta_job_threads=3\n"
				   "meta_job_threads=x\n", err), -1);
	/* Line numbers count physical lines: the bad value is on line 8. */
	assert_string_equal(err, PATH ":8: meta_job_threads: not an integer: 'x'");
	cfg_free(&c);

	assert_int_equal(parse(&c, "source_cluster_password=back\\\\slash\\=\\u00e9\\t\\q\n"
				   "target_cluster_password=a\\\\\n"
				   "include_data_list=db1, \\\n"
				   "     db2,\\\n"
				   "\tdb3\n"
				   "meta_job_threads=3\n", err), 0);
	assert_string_equal(c.source.password, "back\\slash=\xc3\xa9\tq");
	/* An even number of backslashes is escaped backslashes, not a continuation. */
	assert_string_equal(c.target.password, "a\\");
	assert_int_equal(c.filter.n_include, 3);
	assert_string_equal(c.filter.include[2].db, "db3");
	assert_int_equal(c.meta_job_threads, 3);
	cfg_free(&c);

	assert_int_equal(parse(&c, "# c\nsource_cluster_password=\\u12g4\n", err), -1);
	assert_string_equal(err, PATH ":2: source_cluster_password: a \\u escape wants four hex digits "
				 "(not a surrogate)");
	cfg_free(&c);
	assert_int_equal(parse(&c, "source_cluster_password=\\ud800x\n", err), -1);
	cfg_free(&c);
}

static void
test_comments_and_blanks(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN];

	(void)state;
	assert_int_equal(parse(&c, "# meta_job_threads=1\n"
				   "; meta_job_threads=2\n"
				   "   # indented hash\n"
				   "\t; indented semicolon\n"
				   "#\n"
				   "\n"
				   "   \n"
				   "  meta_job_threads  =  7  \n"
				   "ddl_job_batch_size=5\r\n"
				   "report_interval_seconds=60", err), 0);
	assert_int_equal(c.meta_job_threads, 7);
	assert_int_equal(c.ddl_job_batch_size, 5);	/* CRLF from a Windows editor */
	assert_int_equal(c.report_interval_seconds, 60);	/* no final newline */
	assert_int_equal(c.n_warnings, 0);
	cfg_free(&c);

	/* A UTF-8 byte order mark does not hide the first key. */
	assert_int_equal(parse(&c, "\xEF\xBB\xBFmeta_job_threads=9\n", err), 0);
	assert_int_equal(c.meta_job_threads, 9);
	assert_int_equal(c.n_warnings, 0);
	cfg_free(&c);

	assert_int_equal(parse(&c, "", err), 0);
	assert_int_equal(c.meta_job_interval_seconds, 180);
	cfg_free(&c);
}

static void
test_unknown_and_repeated_keys(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN];

	(void)state;
	assert_int_equal(parse(&c, "# x\n"
				   "meta_job_threads=2\n"
				   "no_such_key=1\n"
				   "\n"
				   "meta_job_threads=3\n"
				   "Meta_Job_Threads=5\n", err), 0);
	assert_int_equal(c.meta_job_threads, 3);	/* the last one wins */
	assert_int_equal(c.n_warnings, 3);
	assert_string_equal(c.warnings[0], PATH ":3: unknown key 'no_such_key' (ignored)");
	assert_string_equal(c.warnings[1], PATH ":5: meta_job_threads set again (line 2 is overridden)");
	/* Keys are case-sensitive, as in the official tool. */
	assert_string_equal(c.warnings[2], PATH ":6: unknown key 'Meta_Job_Threads' (ignored)");
	cfg_free(&c);
}

static void
test_syntax_errors(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN];

	(void)state;
	assert_int_equal(parse(&c, "meta_job_threads=2\njust some words\nmeta_job_threads=3\n", err), -1);
	assert_string_equal(err, PATH ":2: not a key=value line");
	cfg_free(&c);

	assert_int_equal(parse(&c, "# c\n\n[sync]\nmeta_job_threads=3\n", err), -1);
	assert_prefix(err, PATH ":3: ");
	assert_contains(err, "[sync]");
	cfg_free(&c);

	/* A section header on the last line, with no key after it, is still an error. */
	assert_int_equal(parse(&c, "meta_job_threads=3\n  [tail]  \n", err), -1);
	assert_string_equal(err, PATH ":2: [tail]: sections are not used in this file");
	cfg_free(&c);

	/* The first error stops the load: a later bad line is not reached. */
	assert_int_equal(parse(&c, "meta_job_threads=0\nmeta_job_threads=x\n", err), -1);
	assert_prefix(err, PATH ":1: meta_job_threads: ");
	cfg_free(&c);
}

/* A long include list is one line; line numbers after it stay right. */
static void
test_long_lines(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN], *text;
	size_t cap = 64 * 1024, len = 0;

	(void)state;
	text = malloc(cap);
	len += (size_t)snprintf(text + len, cap - len, "# long\ninclude_data_list=");
	for (int i = 0; i < 1500; i++)
		len += (size_t)snprintf(text + len, cap - len, "%sdatabase_%04d", i ? ", " : "", i);
	assert_true(len > 4096 * 4);
	len += (size_t)snprintf(text + len, cap - len, "\nbogus=1\nmeta_job_threads=6\n");
	assert_int_equal(parse(&c, text, err), 0);
	assert_int_equal(c.filter.n_include, 1500);
	assert_string_equal(c.filter.include[1499].db, "database_1499");
	assert_int_equal(c.meta_job_threads, 6);
	assert_int_equal(c.n_warnings, 1);
	assert_string_equal(c.warnings[0], PATH ":3: unknown key 'bogus' (ignored)");
	cfg_free(&c);

	/* A bad element at the end of a long line: the error names that line. */
	len = (size_t)snprintf(text, cap, "\n\n\nexclude_data_list=");
	for (int i = 0; i < 800; i++)
		len += (size_t)snprintf(text + len, cap - len, "db_%04d.table_%04d,", i, i);
	len += (size_t)snprintf(text + len, cap - len, ",x\n");
	assert_int_equal(parse(&c, text, err), -1);
	assert_string_equal(err, PATH ":4: exclude_data_list: a list with an empty element");
	cfg_free(&c);
	free(text);
}

/* --- passwords ------------------------------------------------------------------ */

static void
test_encrypted_passwords(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN], buf[64];

	(void)state;
	assert_int_equal(parse(&c, "source_cluster_password=zvW+ckt7mLYyFslae9aByQ==\n"
				   "source_cluster_password_secret_key=key\n"
				   "target_cluster_password_secret_key=doris342422131ey\n"
				   "target_cluster_password=QktOmwQvxSdKd6grtLuYJg==\n", err), 0);
	assert_string_equal(c.source.password, "key");
	assert_string_equal(c.target.password, "kewfewy");
	/* The keys are wiped once used. */
	assert_string_equal(c.source.password_secret_key, "");
	assert_string_equal(c.target.password_secret_key, "");
	assert_false(c.source.password_from_env);
	/* The plain password is registered for redaction (>= 4 bytes). */
	str_copy(buf, sizeof(buf), "login with kewfewy failed");
	secret_redact(buf, sizeof(buf));
	assert_string_equal(buf, "login with **** failed");
	cfg_free(&c);
}

static void
test_wrong_secret_key(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN];

	(void)state;
	assert_int_equal(parse(&c, "# c\n"
				   "target_cluster_password=QktOmwQvxSdKd6grtLuYJg==\n"
				   "target_cluster_password_secret_key=not-the-key\n", err), -1);
	assert_prefix(err, PATH ":2: target_cluster_password: ");
	assert_contains(err, "target_cluster_password_secret_key");
	assert_contains(err, "wrong secret key");
	assert_not_contains(err, "QktOmwQvxSdKd6grtLuYJg");
	assert_not_contains(err, "not-the-key");
	assert_not_contains(err, "kewfewy");
	cfg_free(&c);

	/* A plain password with a key set is not an encrypted one: a clear error too. */
	assert_int_equal(parse(&c, "source_cluster_password_secret_key=key\n"
				   "source_cluster_password=plain secret!\n", err), -1);
	assert_prefix(err, PATH ":2: source_cluster_password: ");
	assert_not_contains(err, "plain secret!");
	cfg_free(&c);

	/* A key without any password line: the key names the problem (no line to point at). */
	assert_int_equal(parse(&c, "source_cluster_password_secret_key=key\n", err), -1);
	assert_prefix(err, PATH ": source_cluster_password: ");
	cfg_free(&c);
}

static void
test_env_passwords(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN];

	(void)state;
	setenv("SRMIGRATE_SOURCE_PASSWORD", "env source pw", 1);
	assert_int_equal(parse(&c, "source_cluster_password=file-pw\ntarget_cluster_password=file-tgt\n", err), 0);
	assert_string_equal(c.source.password, "env source pw");
	assert_true(c.source.password_from_env);
	assert_string_equal(c.target.password, "file-tgt");
	assert_false(c.target.password_from_env);
	cfg_free(&c);

	/* The environment wins over an encrypted value, even one with a wrong key. */
	setenv("SRMIGRATE_TARGET_PASSWORD", "env target pw", 1);
	assert_int_equal(parse(&c, "target_cluster_password=QktOmwQvxSdKd6grtLuYJg==\n"
				   "target_cluster_password_secret_key=wrong\n", err), 0);
	assert_string_equal(c.target.password, "env target pw");
	assert_true(c.target.password_from_env);
	assert_string_equal(c.target.password_secret_key, "");
	cfg_free(&c);
}

/* --- files --------------------------------------------------------------------- */

static void
test_files(void **state)
{
	char *dir = ut_tmpdir("config"), *sync = ut_path(dir, "sync.properties");
	char *hosts = ut_path(dir, "hosts.properties"), *log = ut_path(dir, "log");
	struct srm_config c;
	char err[SRM_ERR_LEN];

	(void)state;
	/* Missing sync.properties: an error naming the file. */
	assert_int_equal(cfg_load(&c, dir, log, err, sizeof(err)), -1);
	assert_prefix(err, sync);
	assert_contains(err, "no such file");
	cfg_free(&c);

	/* 0600, no hosts.properties: clean. */
	ut_write(sync, "source_fe_host=fe-a\nsource_cluster_password=s3cret-pw\n", 0600);
	assert_int_equal(cfg_load(&c, dir, log, err, sizeof(err)), 0);
	assert_int_equal(c.n_warnings, 0);
	assert_string_equal(c.source.fe_host, "fe-a");
	assert_string_equal(c.sync_path, sync);
	assert_int_equal(c.hosts.n, 0);
	{
		char *sock = ut_path(log, "srmigrate.sock");

		assert_string_equal(c.control_socket, sock);
		free(sock);
	}
	cfg_free(&c);

	/* Readable by others: a warning naming the file. */
	ut_write(sync, "source_fe_host=fe-a\n", 0644);
	assert_int_equal(cfg_load(&c, dir, log, err, sizeof(err)), 0);
	assert_int_equal(c.n_warnings, 1);
	assert_prefix(c.warnings[0], sync);
	assert_contains(c.warnings[0], "readable by others");
	assert_contains(c.warnings[0], "644");
	cfg_free(&c);

	/* Group access counts too (mode 640); owner read-only is clean. */
	ut_write(sync, "source_fe_host=fe-a\n", 0640);
	assert_int_equal(cfg_load(&c, dir, log, err, sizeof(err)), 0);
	assert_int_equal(c.n_warnings, 1);
	assert_contains(c.warnings[0], "mode 640");
	cfg_free(&c);
	ut_write(sync, "source_fe_host=fe-a\n", 0400);
	assert_int_equal(cfg_load(&c, dir, log, err, sizeof(err)), 0);
	assert_int_equal(c.n_warnings, 0);
	cfg_free(&c);
	chmod(sync, 0600);

	/* An error in the file carries the real path. */
	ut_write(sync, "# c\nmeta_job_threads=100\n", 0600);
	assert_int_equal(cfg_load(&c, dir, log, err, sizeof(err)), -1);
	{
		char *want;

		if (asprintf(&want, "%s:2: meta_job_threads: ", sync) < 0)
			abort();
		assert_prefix(err, want);
		free(want);
	}
	cfg_free(&c);

	/* hosts.properties is read, and its errors name it. */
	ut_write(sync, "source_fe_host=fe-a\n", 0600);
	ut_write(hosts, "SOURCE_fe-a=127.0.0.11;9030:19030\n", 0644);
	assert_int_equal(cfg_load(&c, dir, log, err, sizeof(err)), 0);
	assert_int_equal(c.hosts.n, 1);
	cfg_free(&c);
	ut_write(hosts, "# map\nSOURCE_fe-a=127.0.0.11;9030\n", 0644);
	assert_int_equal(cfg_load(&c, dir, log, err, sizeof(err)), -1);
	{
		char *want;

		if (asprintf(&want, "%s:2: ", hosts) < 0)
			abort();
		assert_prefix(err, want);
		free(want);
	}
	cfg_free(&c);

	/* A long line read from a file. */
	{
		size_t cap = 32 * 1024, len = 0;
		char *text = malloc(cap);

		len += (size_t)snprintf(text + len, cap - len, "include_data_list=");
		for (int i = 0; i < 1000; i++)
			len += (size_t)snprintf(text + len, cap - len, "%sdb%d.t%d", i ? "," : "", i, i);
		snprintf(text + len, cap - len, "\nmeta_job_threads=8\nxx=1\n");
		ut_write(sync, text, 0600);
		unlink(hosts);
		assert_int_equal(cfg_load(&c, dir, log, err, sizeof(err)), 0);
		assert_int_equal(c.filter.n_include, 1000);
		assert_int_equal(c.meta_job_threads, 8);
		assert_int_equal(c.n_warnings, 1);
		assert_contains(c.warnings[0], "sync.properties:3: unknown key 'xx'");
		cfg_free(&c);
		free(text);
	}
	free(sync);
	free(hosts);
	free(log);
	ut_rmtree(dir);
}

static void
test_require_clusters(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN];

	(void)state;
	assert_int_equal(parse(&c, "", err), 0);
	assert_int_equal(cfg_require_clusters(&c, err, sizeof(err)), -1);
	assert_string_equal(err, PATH ": source_fe_host: required");
	cfg_free(&c);
	assert_int_equal(parse(&c, "source_fe_host=a\n", err), 0);
	assert_int_equal(cfg_require_clusters(&c, err, sizeof(err)), -1);
	assert_string_equal(err, PATH ": target_fe_host: required");
	cfg_free(&c);
	assert_int_equal(parse(&c, "source_fe_host=a\ntarget_fe_host=b\n", err), 0);
	assert_int_equal(cfg_require_clusters(&c, err, sizeof(err)), 0);
	cfg_free(&c);
}

/* --- output ---------------------------------------------------------------------- */

static void
test_dump_masks_secrets(void **state)
{
	struct srm_config c;
	char err[SRM_ERR_LEN], *out, line[128];

	(void)state;
	assert_int_equal(parse(&c, "source_cluster_password=hunter2-plain\n"
				   "source_cluster_token=aaaa-bbbb-cccc\n"
				   "target_cluster_password=QktOmwQvxSdKd6grtLuYJg==\n"
				   "target_cluster_password_secret_key=doris342422131ey\n"
				   "source_fe_hosts=a,b:9031\n"
				   "meta_job_threads=6\n"
				   "target_cluster_enable_persistent_index=true\n", err), 0);
	out = dump_of(NULL, &c);
	assert_not_contains(out, "hunter2-plain");
	assert_not_contains(out, "aaaa-bbbb-cccc");
	assert_not_contains(out, "kewfewy");
	assert_not_contains(out, "doris342422131ey");
	assert_not_contains(out, "QktOmwQvxSdKd6grtLuYJg");
	assert_contains(out, "\nsource_cluster_password=****\n");
	assert_contains(out, "\nsource_cluster_token=****\n");
	assert_contains(out, "\ntarget_cluster_password=****\n");
	/* An empty secret shows as empty, not as a mask. */
	assert_contains(out, "\ntarget_cluster_password_secret_key=\n");
	assert_contains(out, "\nmeta_job_threads=6\n");
	assert_contains(out, "\nsource_fe_hosts=a:9030,b:9031\n");
	assert_contains(out, "\ntarget_cluster_enable_persistent_index=true\n");
	assert_contains(out, "\nsource_cluster_ssl_mode=preferred\n");
	assert_prefix(out, "one_time_run_mode=false\n");
	/* Every key once, at the start of a line. */
	for (size_t i = 0; i < N_OPTS; i++) {
		snprintf(line, sizeof(line), "\n%s=", cfg_opts[i].key);
		assert_int_equal(ut_count(out, line) + (i == 0 ? 1 : 0), 1);
	}
	assert_int_equal(ut_count(out, "\n"), N_OPTS);
	free(out);
	cfg_free(&c);
}

static void
test_print_mdoc_and_keys(void **state)
{
	char *mdoc = dump_of(cfg_print_mdoc, NULL), *keys = dump_of(cfg_print_keys, NULL), line[128];
	size_t ours = 0;

	(void)state;
	assert_prefix(mdoc, ".Bl -tag -width Ds\n");
	assert_int_equal(strcmp(mdoc + strlen(mdoc) - 4, ".El\n"), 0);
	for (size_t i = 0; i < N_OPTS; i++) {
		snprintf(line, sizeof(line), ".It Cm %s Pq default: ", cfg_opts[i].key);
		assert_int_equal(ut_count(mdoc, line), 1);
		snprintf(line, sizeof(line), "  %s ", cfg_opts[i].key);
		assert_int_equal(ut_count(keys, line), 1);
		if (!(cfg_opts[i].flags & OFFICIAL))
			ours++;
	}
	assert_int_equal(ut_count(mdoc, ".It Cm "), N_OPTS);
	assert_int_equal(ut_count(mdoc, "An srmigrate extension.\n"), ours);
	assert_contains(mdoc, ".It Cm meta_job_interval_seconds Pq default: 180\n");
	assert_contains(mdoc, ".It Cm control_socket Pq default: LOG_DIR/srmigrate.sock\n");
	assert_contains(mdoc, ".It Cm include_data_list Pq default: (empty)\n");
	/* No line of the help text starts a request by accident. */
	for (const char *p = mdoc; (p = strchr(p, '\n')) != NULL; p++)
		assert_true(p[1] != '\'');
	assert_contains(keys, "report_interval_seconds");
	free(mdoc);
	free(keys);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_official_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bool_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_optbool_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_int_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_int_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_string_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_password_keeps_specials, setup, teardown),
		cmocka_unit_test_setup_teardown(test_java_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ssl_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comments_and_blanks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_repeated_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encrypted_passwords, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_secret_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_passwords, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_require_clusters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_masks_secrets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_mdoc_and_keys, setup, teardown),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
