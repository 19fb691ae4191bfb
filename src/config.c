/*
 * config: sync.properties and hosts.properties (see config.h).
 *
 * cfg_opts[] is the only list of keys: parsing, defaults, validation, the
 * --help text, the man page and cfg_dump all read it.
 */
#include "srmigrate/config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "srmigrate/props.h"
#include "srmigrate/secret.h"
#include "srmigrate/util.h"

enum opt_type {
	T_BOOL,		/* true / false, any case */
	T_OPTBOOL,	/* true / false / empty (= unset, -1) */
	T_INT,		/* decimal within [min, max], or one of the allowed specials */
	T_STR,
	T_SECRET,	/* a string never printed */
	T_LIST,		/* include/exclude list, checked by filter_parse */
	T_HOSTS,	/* host[:port], comma separated */
	T_SSL,		/* enum ssl_mode */
	T_PATH,		/* a path; empty disables; unset takes LOG_DIR/<default> */
};

#define OFFICIAL 0x1	/* a key of the official tool */
#define SECRET   0x2

struct cfg_opt {
	const char *key;
	enum opt_type type;
	size_t offset;
	const char *def;	/* the default, as it would be written in the file */
	int64_t min, max;
	int64_t special;	/* a value outside [min, max] that is allowed (e.g. -1) */
	unsigned flags;
	const char *help;
};

#define OFF(m) offsetof(struct srm_config, m)
#define NO_SPECIAL INT64_MIN

static const struct cfg_opt cfg_opts[] = {
	{ "one_time_run_mode", T_BOOL, OFF(one_time_run_mode), "false", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Sync every selected table once, then exit (same as --once)." },

	{ "source_fe_host", T_STR, OFF(source.fe_host), "", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Source FE address (IP or FQDN, as in SHOW FRONTENDS; mapped through hosts.properties)." },
	{ "source_fe_query_port", T_INT, OFF(source.query_port), "9030", 1, 65535, NO_SPECIAL, OFFICIAL,
	  "Source FE query port." },
	{ "source_cluster_user", T_STR, OFF(source.user), "root", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Source user; needs the SYSTEM-level OPERATE privilege." },
	{ "source_cluster_password", T_SECRET, OFF(source.password), "", 0, 0, NO_SPECIAL, OFFICIAL | SECRET,
	  "Source password, plain or encrypted with the secret key. SRMIGRATE_SOURCE_PASSWORD wins." },
	{ "source_cluster_password_secret_key", T_SECRET, OFF(source.password_secret_key), "", 0, 0,
	  NO_SPECIAL, OFFICIAL | SECRET,
	  "Key of an encrypted password: TO_BASE64(AES_ENCRYPT(password, key)). Empty: not encrypted." },
	{ "source_cluster_token", T_SECRET, OFF(source.token), "", 0, 0, NO_SPECIAL, OFFICIAL | SECRET,
	  "Source cluster token (token= in fe/meta/image/VERSION). Not needed for a shared-data source." },
	{ "target_fe_host", T_STR, OFF(target.fe_host), "", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Target FE address (IP or FQDN, as in SHOW FRONTENDS; mapped through hosts.properties)." },
	{ "target_fe_query_port", T_INT, OFF(target.query_port), "9030", 1, 65535, NO_SPECIAL, OFFICIAL,
	  "Target FE query port." },
	{ "target_cluster_user", T_STR, OFF(target.user), "root", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Target user; needs the SYSTEM-level OPERATE privilege." },
	{ "target_cluster_password", T_SECRET, OFF(target.password), "", 0, 0, NO_SPECIAL, OFFICIAL | SECRET,
	  "Target password, plain or encrypted with the secret key. SRMIGRATE_TARGET_PASSWORD wins." },
	{ "target_cluster_password_secret_key", T_SECRET, OFF(target.password_secret_key), "", 0, 0,
	  NO_SPECIAL, OFFICIAL | SECRET,
	  "Key of an encrypted target password. Empty: not encrypted." },
	{ "jdbc_connect_timeout_ms", T_INT, OFF(jdbc_connect_timeout_ms), "30000", 1, 3600000, NO_SPECIAL,
	  OFFICIAL, "Connect timeout of FE queries, in milliseconds." },
	{ "jdbc_socket_timeout_ms", T_INT, OFF(jdbc_socket_timeout_ms), "60000", 1, 86400000, NO_SPECIAL,
	  OFFICIAL, "Read and write timeout of FE queries, in milliseconds." },
	{ "include_data_list", T_LIST, OFF(include_data_list), "", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Databases and tables to migrate (db or db.table, comma separated); empty = all. Applied first." },
	{ "exclude_data_list", T_LIST, OFF(exclude_data_list), "", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Databases and tables not to migrate (db or db.table, comma separated). Applied after the include list." },

	{ "target_cluster_storage_volume", T_STR, OFF(target_cluster_storage_volume), "", 0, 0, NO_SPECIAL,
	  OFFICIAL, "Storage volume for tables created on a shared-data target; empty = the source table's." },
	{ "target_cluster_use_builtin_storage_volume_only", T_BOOL,
	  OFF(target_cluster_use_builtin_storage_volume_only), "false", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Create every target table on builtin_storage_volume (shared-data to shared-data)." },
	{ "target_cluster_replication_num", T_INT, OFF(target_cluster_replication_num), "-1", 1, 32, -1,
	  OFFICIAL, "Replica number of created tables; -1 = the source table's." },
	{ "target_cluster_max_disk_used_percent", T_INT, OFF(target_cluster_max_disk_used_percent), "80", 0,
	  100, NO_SPECIAL, OFFICIAL,
	  "No new job starts while a target BE's disk use is above this percent (shared-nothing target)." },
	{ "target_cluster_enable_persistent_index", T_OPTBOOL, OFF(target_cluster_enable_persistent_index),
	  "", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Persistent index of created primary-key tables; empty = as the source." },
	{ "max_replication_data_size_per_job_in_gb", T_INT, OFF(max_replication_data_size_per_job_in_gb),
	  "1024", 1, 1 << 30, -1, OFFICIAL,
	  "Split a table's lagging partitions into jobs of at most this many GB; -1 = no limit." },
	{ "meta_job_interval_seconds", T_INT, OFF(meta_job_interval_seconds), "180", 1, 86400, NO_SPECIAL,
	  OFFICIAL, "Seconds between two reads of both clusters' metadata." },
	{ "meta_job_threads", T_INT, OFF(meta_job_threads), "4", 1, 64, NO_SPECIAL, OFFICIAL,
	  "Connections per cluster that read metadata in parallel." },
	{ "ddl_job_interval_seconds", T_INT, OFF(ddl_job_interval_seconds), "10", 1, 86400, NO_SPECIAL,
	  OFFICIAL, "Seconds between two batches of DDL on the target." },
	{ "ddl_job_batch_size", T_INT, OFF(ddl_job_batch_size), "10", 1, 100000, NO_SPECIAL, OFFICIAL,
	  "DDL statements per batch." },
	{ "ddl_job_allow_drop_target_only", T_BOOL, OFF(ddl_job_allow_drop_target_only), "false", 0, 0,
	  NO_SPECIAL, OFFICIAL, "Drop selected databases and tables that exist only on the target." },
	{ "ddl_job_allow_drop_schema_change_table", T_BOOL, OFF(ddl_job_allow_drop_schema_change_table),
	  "true", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Drop and re-sync a target table whose schema differs from the source's." },
	{ "ddl_job_allow_drop_inconsistent_partition", T_BOOL,
	  OFF(ddl_job_allow_drop_inconsistent_partition), "true", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Drop and re-sync a target partition whose data distribution differs." },
	{ "ddl_job_allow_drop_inconsistent_time_partition", T_BOOL,
	  OFF(ddl_job_allow_drop_inconsistent_time_partition), "true", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Drop and re-sync a target partition whose range or values differ." },
	{ "ddl_job_allow_drop_partition_target_only", T_BOOL, OFF(ddl_job_allow_drop_partition_target_only),
	  "true", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Drop target partitions that no longer exist on the source." },
	{ "enable_bitmap_index_sync", T_BOOL, OFF(enable_bitmap_index_sync), "false", 0, 0, NO_SPECIAL,
	  OFFICIAL, "Sync bitmap indexes." },
	{ "ddl_job_allow_drop_inconsistent_bitmap_index", T_BOOL,
	  OFF(ddl_job_allow_drop_inconsistent_bitmap_index), "true", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Drop and re-create a bitmap index that differs." },
	{ "ddl_job_allow_drop_bitmap_index_target_only", T_BOOL,
	  OFF(ddl_job_allow_drop_bitmap_index_target_only), "true", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Drop bitmap indexes that exist only on the target." },
	{ "enable_materialized_view_sync", T_BOOL, OFF(enable_materialized_view_sync), "false", 0, 0,
	  NO_SPECIAL, OFFICIAL, "Sync materialized view definitions (not their data)." },
	{ "ddl_job_allow_drop_inconsistent_materialized_view", T_BOOL,
	  OFF(ddl_job_allow_drop_inconsistent_materialized_view), "true", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Drop and re-create a materialized view whose definition differs." },
	{ "ddl_job_allow_drop_materialized_view_target_only", T_BOOL,
	  OFF(ddl_job_allow_drop_materialized_view_target_only), "false", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Drop materialized views that exist only on the target." },
	{ "enable_view_sync", T_BOOL, OFF(enable_view_sync), "false", 0, 0, NO_SPECIAL, OFFICIAL,
	  "Sync logical views." },
	{ "ddl_job_allow_drop_inconsistent_view", T_BOOL, OFF(ddl_job_allow_drop_inconsistent_view), "true",
	  0, 0, NO_SPECIAL, OFFICIAL, "Drop and re-create a view whose definition differs." },
	{ "ddl_job_allow_drop_view_target_only", T_BOOL, OFF(ddl_job_allow_drop_view_target_only), "false",
	  0, 0, NO_SPECIAL, OFFICIAL, "Drop views that exist only on the target." },
	{ "replication_job_interval_seconds", T_INT, OFF(replication_job_interval_seconds), "10", 1, 86400,
	  NO_SPECIAL, OFFICIAL,
	  "Seconds between two triggers of replication jobs. A job ending on the target, a pass that plans "
	  "jobs and the operator's resume or retry trigger too." },
	{ "replication_job_batch_size", T_INT, OFF(replication_job_batch_size), "10", 1, 100000, NO_SPECIAL,
	  OFFICIAL, "Replication jobs sent per trigger, at most (never more than the target's "
	  "replication_max_parallel_* limits admit)." },
	{ "report_interval_seconds", T_INT, OFF(report_interval_seconds), "300", 1, 86400, NO_SPECIAL,
	  OFFICIAL, "Seconds between two progress reports in sync.INFO.log." },
	{ "enable_table_property_sync", T_BOOL, OFF(enable_table_property_sync), "false", 0, 0, NO_SPECIAL,
	  OFFICIAL, "Bring target table properties in line with the source (ALTER TABLE SET)." },

	/* Ours. */
	{ "source_fe_hosts", T_HOSTS, OFF(source.fe_hosts), "", 0, 0, NO_SPECIAL, 0,
	  "More source FEs (host[:port], comma separated) to fail over to." },
	{ "target_fe_hosts", T_HOSTS, OFF(target.fe_hosts), "", 0, 0, NO_SPECIAL, 0,
	  "More target FEs (host[:port], comma separated) to fail over to." },
	{ "source_cluster_ssl_mode", T_SSL, OFF(source.ssl_mode), "preferred", 0, 0, NO_SPECIAL, 0,
	  "TLS to the source FEs: disabled, preferred, required, verify_ca or verify_identity." },
	{ "source_cluster_ssl_ca", T_STR, OFF(source.ssl_ca), "", 0, 0, NO_SPECIAL, 0,
	  "CA file for verify_ca and verify_identity (source)." },
	{ "target_cluster_ssl_mode", T_SSL, OFF(target.ssl_mode), "preferred", 0, 0, NO_SPECIAL, 0,
	  "TLS to the target FEs: disabled, preferred, required, verify_ca or verify_identity." },
	{ "target_cluster_ssl_ca", T_STR, OFF(target.ssl_ca), "", 0, 0, NO_SPECIAL, 0,
	  "CA file for verify_ca and verify_identity (target)." },
	{ "ddl_job_confirm_drops", T_OPTBOOL, OFF(ddl_job_confirm_drops), "", 0, 0, NO_SPECIAL, 0,
	  "A DDL that drops target data waits for the operator; empty = yes in the TUI, no headless." },
	{ "cutover_quiet_rounds", T_INT, OFF(cutover_quiet_rounds), "3", 1, 1000, NO_SPECIAL, 0,
	  "Meta passes in a row with no source change and 100% synced before cutover goes on." },
	{ "control_socket", T_PATH, OFF(control_socket), "srmigrate.sock", 0, 0, NO_SPECIAL, 0,
	  "Control socket path (default LOG_DIR/srmigrate.sock); empty disables it." },
	{ "metrics_file", T_PATH, OFF(metrics_file), "metrics.prom", 0, 0, NO_SPECIAL, 0,
	  "Prometheus text file rewritten every report interval (default LOG_DIR/metrics.prom); empty disables." },
	{ "verify_size_tolerance_percent", T_INT, OFF(verify_size_tolerance_percent), "10", 0, 100,
	  NO_SPECIAL, 0, "Allowed data size difference between a source and a target table in verify." },
	{ "cluster_lost_timeout_seconds", T_INT, OFF(cluster_lost_timeout_seconds), "1800", 10, 604800,
	  NO_SPECIAL, 0,
	  "A cluster unreachable this long stops a headless run with exit status 4 (the TUI keeps waiting)." },
};

#define N_OPTS ARRAY_LEN(cfg_opts)

const char *
ssl_mode_name(enum ssl_mode m)
{
	static const char *const n[] = {
		[SSL_DISABLED] = "disabled", [SSL_PREFERRED] = "preferred",
		[SSL_REQUIRED] = "required", [SSL_VERIFY_CA] = "verify_ca",
		[SSL_VERIFY_IDENTITY] = "verify_identity",
	};
	return (size_t)m < ARRAY_LEN(n) ? n[m] : "?";
}

static void *
field(struct srm_config *cfg, const struct cfg_opt *o)
{
	return (char *)cfg + o->offset;
}

static void
warn(struct srm_config *cfg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
warn(struct srm_config *cfg, const char *fmt, ...)
{
	char buf[SRM_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cfg->warnings = xrealloc(cfg->warnings, (cfg->n_warnings + 1) * sizeof(char *));
	cfg->warnings[cfg->n_warnings++] = xstrdup(buf);
}

static void
free_hosts(struct hostport **hp, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free((*hp)[i].host);
	free(*hp);
	*hp = NULL;
	*n = 0;
}

/* host[:port] or [v6]:port, comma separated; port defaults to the query port later (0). */
static int
parse_hosts(const char *value, struct hostport **out, size_t *n, char *why, size_t whylen)
{
	char *copy = xstrdup(value), *rest = copy, *tok;
	int rc = 0;

	if (str_trim(copy)[0] == '\0') {
		free(copy);
		return 0;
	}
	/* strsep, not strtok: "a,,b" has an empty element, which is an error. */
	while ((tok = strsep(&rest, ",")) != NULL) {
		char *item = str_trim(tok), *colon;
		int64_t port = 0;

		if (item[0] == '\0') {
			str_fmt(why, whylen, "a list with an empty element");
			rc = -1;
			break;
		}
		if (item[0] == '[') {
			char *end = strchr(item, ']');

			if (end == NULL || (end[1] != '\0' && end[1] != ':')) {
				str_fmt(why, whylen, "bad address '%s'", item);
				rc = -1;
				break;
			}
			colon = end[1] == ':' ? end + 1 : NULL;
			*end = '\0';
			item++;
		} else {
			colon = strchr(item, ':');
			if (colon && strchr(colon + 1, ':')) {
				/* fd00::2 would read as host "fd00:" port 2. */
				str_fmt(why, whylen, "write an IPv6 address in brackets: '[%s]'", item);
				rc = -1;
				break;
			}
		}
		if (colon) {
			*colon = '\0';
			if (!parse_i64(colon + 1, 1, 65535, &port)) {
				str_fmt(why, whylen, "bad port in '%s:%s'", item, colon + 1);
				rc = -1;
				break;
			}
		}
		if (item[0] == '\0') {
			str_fmt(why, whylen, "an address without a host");
			rc = -1;
			break;
		}
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[*n].host = xstrdup(item);
		(*out)[*n].port = (int)port;
		(*n)++;
	}
	free(copy);
	return rc;
}

static int
parse_bool(const char *v, bool *out)
{
	if (str_ieq(v, "true")) {
		*out = true;
		return 0;
	}
	if (str_ieq(v, "false")) {
		*out = false;
		return 0;
	}
	return -1;
}

/* Set one option from its text. On a bad value, fill why and return -1. */
static int
opt_set(struct srm_config *cfg, const struct cfg_opt *o, const char *value, char *why, size_t whylen)
{
	void *p = field(cfg, o);

	switch (o->type) {
	case T_BOOL: {
		bool b;

		if (parse_bool(value, &b) != 0) {
			str_fmt(why, whylen, "not a boolean: '%s' (true or false)", value);
			return -1;
		}
		*(bool *)p = b;
		return 0;
	}
	case T_OPTBOOL: {
		bool b;

		if (value[0] == '\0') {
			*(int64_t *)p = -1;
			return 0;
		}
		if (parse_bool(value, &b) != 0) {
			str_fmt(why, whylen, "not a boolean: '%s' (true, false or empty)", value);
			return -1;
		}
		*(int64_t *)p = b;
		return 0;
	}
	case T_INT: {
		int64_t v;

		if (!parse_i64(value, INT64_MIN, INT64_MAX, &v)) {
			str_fmt(why, whylen, "not an integer: '%s'", value);
			return -1;
		}
		if ((v < o->min || v > o->max) && v != o->special) {
			if (o->special != NO_SPECIAL)
				str_fmt(why, whylen, "%lld is out of range (%lld, or %lld to %lld)",
					(long long)v, (long long)o->special, (long long)o->min,
					(long long)o->max);
			else
				str_fmt(why, whylen, "%lld is out of range (%lld to %lld)", (long long)v,
					(long long)o->min, (long long)o->max);
			return -1;
		}
		*(int64_t *)p = v;
		return 0;
	}
	case T_STR:
	case T_SECRET:
	case T_PATH:
	case T_LIST:
		if (o->type == T_SECRET && *(char **)p)
			mem_wipe(*(char **)p, strlen(*(char **)p));
		free(*(char **)p);
		*(char **)p = xstrdup(value);
		return 0;
	case T_HOSTS: {
		struct cluster_cfg *c = (struct cluster_cfg *)((char *)p - offsetof(struct cluster_cfg, fe_hosts));

		free_hosts(&c->fe_hosts, &c->n_fe_hosts);
		return parse_hosts(value, &c->fe_hosts, &c->n_fe_hosts, why, whylen);
	}
	case T_SSL:
		for (int m = SSL_DISABLED; m <= SSL_VERIFY_IDENTITY; m++) {
			if (str_ieq(value, ssl_mode_name(m))) {
				*(int64_t *)p = m;
				return 0;
			}
		}
		str_fmt(why, whylen, "unknown mode '%s' (disabled, preferred, required, verify_ca, "
			"verify_identity)", value);
		return -1;
	}
	return -1;
}

void
cfg_defaults(struct srm_config *cfg, const char *conf_dir, const char *log_dir)
{
	char why[SRM_ERR_LEN];

	memset(cfg, 0, sizeof(*cfg));
	cfg->conf_dir = xstrdup(conf_dir);
	cfg->log_dir = xstrdup(log_dir);
	cfg->sync_path = xasprintf("%s/sync.properties", conf_dir);
	cfg->hosts_path = xasprintf("%s/hosts.properties", conf_dir);
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct cfg_opt *o = &cfg_opts[i];

		if (o->type == T_PATH) {
			*(char **)field(cfg, o) = xasprintf("%s/%s", log_dir, o->def);
			continue;
		}
		if (opt_set(cfg, o, o->def, why, sizeof(why)) != 0)
			srm_die("default of %s does not parse: %s", o->key, why);
	}
}

struct load_ctx {
	struct srm_config *cfg;
	const char *path;
	int lines[N_OPTS];	/* where each key was set, 0 = default */
	char *err;
	size_t errlen;
};

static const struct cfg_opt *
opt_find(const char *key, size_t *index)
{
	for (size_t i = 0; i < N_OPTS; i++) {
		if (str_eq(cfg_opts[i].key, key)) {
			*index = i;
			return &cfg_opts[i];
		}
	}
	return NULL;
}

static int
load_handler(void *user, const char *key, const char *value, int line)
{
	struct load_ctx *lc = user;
	char why[SRM_ERR_LEN];
	size_t i;
	const struct cfg_opt *o = opt_find(key, &i);

	if (o == NULL) {
		warn(lc->cfg, "%s:%d: unknown key '%s' (ignored)", lc->path, line, key);
		return 0;
	}
	if (lc->lines[i] != 0)
		warn(lc->cfg, "%s:%d: %s set again (line %d is overridden)", lc->path, line, key,
		     lc->lines[i]);
	lc->lines[i] = line;
	if (opt_set(lc->cfg, o, value, why, sizeof(why)) != 0) {
		str_fmt(lc->err, lc->errlen, "%s:%d: %s: %s", lc->path, line, key, why);
		return -1;
	}
	return 0;
}

static int
line_of(const struct load_ctx *lc, const char *key)
{
	size_t i;

	return opt_find(key, &i) ? lc->lines[i] : 0;
}

static void
where(char *buf, size_t n, const struct load_ctx *lc, const char *key)
{
	int line = line_of(lc, key);

	if (line > 0)
		str_fmt(buf, n, "%s:%d: %s", lc->path, line, key);
	else
		str_fmt(buf, n, "%s: %s", lc->path, key);
}

/* Environment first, then decryption: the plain password ends in c->password. */
static int
resolve_password(struct load_ctx *lc, struct cluster_cfg *c, const char *side)
{
	char key_pw[64], key_sk[64], at[SRM_ERR_LEN], why[SRM_ERR_LEN];
	const char *var = str_eq(side, "source") ? "SRMIGRATE_SOURCE_PASSWORD" : "SRMIGRATE_TARGET_PASSWORD";
	char *env = getenv(var), *plain = NULL;

	str_fmt(key_pw, sizeof(key_pw), "%s_cluster_password", side);
	str_fmt(key_sk, sizeof(key_sk), "%s_cluster_password_secret_key", side);
	if (env != NULL) {
		mem_wipe(c->password, strlen(c->password));
		free(c->password);
		c->password = xstrdup(env);
		c->password_from_env = true;
		/*
		 * Taken, then wiped where it was: the environment the process
		 * started with is what /proc/PID/environ shows for its whole life.
		 */
		mem_wipe(env, strlen(env));
		unsetenv(var);
	} else if (c->password_secret_key[0] != '\0') {
		if (secret_decrypt(c->password, c->password_secret_key, &plain, why, sizeof(why)) != 0) {
			where(at, sizeof(at), lc, key_pw);
			str_fmt(lc->err, lc->errlen, "%s: cannot decrypt with %s: %s", at, key_sk, why);
			return -1;
		}
		mem_wipe(c->password, strlen(c->password));
		free(c->password);
		c->password = plain;
	}
	mem_wipe(c->password_secret_key, strlen(c->password_secret_key));
	secret_register(c->password);
	return 0;
}

static int
finish(struct load_ctx *lc)
{
	struct srm_config *cfg = lc->cfg;
	char why[SRM_ERR_LEN], at[SRM_ERR_LEN];

	for (int excl = 0; excl < 2; excl++) {
		const char *key = excl ? "exclude_data_list" : "include_data_list";

		if (filter_add(&cfg->filter, excl, excl ? cfg->exclude_data_list : cfg->include_data_list,
			       why, sizeof(why)) != 0) {
			where(at, sizeof(at), lc, key);
			str_fmt(lc->err, lc->errlen, "%s: %s", at, why);
			return -1;
		}
	}
	for (int s = 0; s < 2; s++) {
		struct cluster_cfg *c = s == 0 ? &cfg->source : &cfg->target;
		const char *side = s == 0 ? "source" : "target";

		for (size_t i = 0; i < c->n_fe_hosts; i++)
			if (c->fe_hosts[i].port == 0)
				c->fe_hosts[i].port = (int)c->query_port;
		if (resolve_password(lc, c, side) != 0)
			return -1;
		if ((c->ssl_mode == SSL_VERIFY_CA || c->ssl_mode == SSL_VERIFY_IDENTITY) &&
		    c->ssl_ca[0] == '\0') {
			char key[64];

			str_fmt(key, sizeof(key), "%s_cluster_ssl_mode", side);
			where(at, sizeof(at), lc, key);
			str_fmt(lc->err, lc->errlen, "%s: %s needs %s_cluster_ssl_ca", at,
				ssl_mode_name((enum ssl_mode)c->ssl_mode), side);
			return -1;
		}
	}
	secret_register(cfg->source.token);
	if (cfg->control_socket[0] != '\0' && strlen(cfg->control_socket) >= 108) {
		where(at, sizeof(at), lc, "control_socket");
		str_fmt(lc->err, lc->errlen, "%s: path longer than a socket address allows (107 bytes)", at);
		return -1;
	}
	return 0;
}

static int
load(struct srm_config *cfg, const char *path, const char *text, char *err, size_t errlen)
{
	struct load_ctx lc = { .cfg = cfg, .path = path, .err = err, .errlen = errlen };

	if (props_parse(path, text, load_handler, &lc, err, errlen) != 0)
		return -1;
	return finish(&lc);
}

int
cfg_load_text(struct srm_config *cfg, const char *path, const char *text, char *err, size_t errlen)
{
	return load(cfg, path, text, err, errlen);
}

int
cfg_load(struct srm_config *cfg, const char *conf_dir, const char *log_dir, char *err, size_t errlen)
{
	struct stat st;

	cfg_defaults(cfg, conf_dir, log_dir);
	if (stat(cfg->sync_path, &st) != 0) {
		str_fmt(err, errlen, "%s: no such file (is -c %s the configuration directory?)",
			cfg->sync_path, conf_dir);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		warn(cfg, "%s: readable by others (mode %03o) while it holds passwords: chmod 600 it",
		     cfg->sync_path, (unsigned)(st.st_mode & 0777));
	if (load(cfg, cfg->sync_path, NULL, err, errlen) != 0)
		return -1;
	return hostmap_load(&cfg->hosts, cfg->hosts_path, err, errlen);
}

int
cfg_require_clusters(const struct srm_config *cfg, char *err, size_t errlen)
{
	if (cfg->source.fe_host[0] == '\0') {
		str_fmt(err, errlen, "%s: source_fe_host: required", cfg->sync_path);
		return -1;
	}
	if (cfg->target.fe_host[0] == '\0') {
		str_fmt(err, errlen, "%s: target_fe_host: required", cfg->sync_path);
		return -1;
	}
	return 0;
}

static void
free_cluster(struct cluster_cfg *c)
{
	if (c->password)
		mem_wipe(c->password, strlen(c->password));
	if (c->password_secret_key)
		mem_wipe(c->password_secret_key, strlen(c->password_secret_key));
	if (c->token)
		mem_wipe(c->token, strlen(c->token));
	free_hosts(&c->fe_hosts, &c->n_fe_hosts);
}

void
cfg_free(struct srm_config *cfg)
{
	free_cluster(&cfg->source);
	free_cluster(&cfg->target);
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct cfg_opt *o = &cfg_opts[i];

		if (o->type == T_STR || o->type == T_SECRET || o->type == T_PATH || o->type == T_LIST)
			free(*(char **)field(cfg, o));
	}
	filter_free(&cfg->filter);
	hostmap_free(&cfg->hosts);
	for (size_t i = 0; i < cfg->n_warnings; i++)
		free(cfg->warnings[i]);
	free(cfg->warnings);
	free(cfg->conf_dir);
	free(cfg->log_dir);
	free(cfg->sync_path);
	free(cfg->hosts_path);
	memset(cfg, 0, sizeof(*cfg));
}

static const char *
default_text(const struct cfg_opt *o)
{
	if (o->type == T_PATH)
		return o->key[0] == 'c' ? "LOG_DIR/srmigrate.sock" : "LOG_DIR/metrics.prom";
	return o->def[0] ? o->def : "(empty)";
}

void
cfg_print_keys(FILE *out)
{
	for (size_t i = 0; i < N_OPTS; i++)
		fprintf(out, "  %-50s %s\n      %s\n", cfg_opts[i].key, default_text(&cfg_opts[i]),
			cfg_opts[i].help);
}

/* mdoc text: backslashes escaped, a leading dot or quote guarded, one sentence per line. */
static void
mdoc_text(FILE *out, const char *s)
{
	bool line_start = true;

	for (; *s; s++) {
		if (line_start && (*s == '.' || *s == '\''))
			fputs("\\&", out);
		line_start = false;
		if (*s == '\\') {
			fputs("\\e", out);
		} else if (*s == '.' && s[1] == ' ' && s[2] != '\0') {
			fputc(*s, out);
			fputc('\n', out);
			s++;
			line_start = true;
		} else {
			fputc(*s, out);
		}
	}
}

void
cfg_print_mdoc(FILE *out)
{
	fputs(".Bl -tag -width Ds\n", out);
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct cfg_opt *o = &cfg_opts[i];

		fprintf(out, ".It Cm %s Pq default: ", o->key);
		mdoc_text(out, default_text(o));
		fputc('\n', out);
		mdoc_text(out, o->help);
		fputc('\n', out);
		if (!(o->flags & OFFICIAL))
			fputs("An srmigrate extension.\n", out);
	}
	fputs(".El\n", out);
}

void
cfg_dump(const struct srm_config *cfg, FILE *out)
{
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct cfg_opt *o = &cfg_opts[i];
		const void *p = (const char *)cfg + o->offset;

		fprintf(out, "%s=", o->key);
		switch (o->type) {
		case T_BOOL:
			fputs(*(const bool *)p ? "true" : "false", out);
			break;
		case T_OPTBOOL:
			fputs(*(const int64_t *)p < 0 ? "" : *(const int64_t *)p ? "true" : "false", out);
			break;
		case T_INT:
			fprintf(out, "%lld", (long long)*(const int64_t *)p);
			break;
		case T_SSL:
			fputs(ssl_mode_name((enum ssl_mode) * (const int64_t *)p), out);
			break;
		case T_SECRET:
			fputs(*(char *const *)p && (*(char *const *)p)[0] ? "****" : "", out);
			break;
		case T_HOSTS: {
			const struct cluster_cfg *c =
				(const struct cluster_cfg *)((const char *)p - offsetof(struct cluster_cfg, fe_hosts));

			for (size_t k = 0; k < c->n_fe_hosts; k++)
				fprintf(out, "%s%s:%d", k ? "," : "", c->fe_hosts[k].host, c->fe_hosts[k].port);
			break;
		}
		default:
			fputs(*(char *const *)p ? *(char *const *)p : "", out);
		}
		fputc('\n', out);
	}
}
