/*
 * feconfig: FE configs with per-version defaults (Config.java, facts 3.8).
 */
#include "feconfig.h"

#include <stdio.h>
#include <string.h>

#include "errs.h"
#include "faults.h"
#include "result.h"
#include "sim.h"
#include "simutil.h"

struct cfg_def {
	const char *key;
	const char *type;	/* Java simple type name, as the Type column prints */
	bool mutable_;
	const char *(*dflt)(const struct profile *p);
	bool (*exists)(const struct profile *p);
	const char *fixed;	/* default when dflt is NULL */
};

static const char *
d_run_mode(const struct profile *p)
{
	return p->shared_data ? "shared_data" : "shared_nothing";
}

static const char *
d_mysql_version(const struct profile *p)
{
	return prof_mysql_version(p);
}

static const char *
d_interval(const struct profile *p)
{
	return p->v >= PV(3, 3, 0) ? "100" : "10";
}

static bool
e_replica_cap(const struct profile *p)
{
	return prof_since(p, PV(3, 1, 12), PV(3, 2, 7), PV(3, 3, 0), PV(3, 4, 0), PV(3, 5, 0));
}

static const char *
d_data_cap(const struct profile *p)
{
	return e_replica_cap(p) ? "1048576" : "10240";
}

static const char *
d_txn_timeout(const struct profile *p)
{
	return prof_since(p, PV(3, 1, 16), PV(3, 2, 12), PV(3, 3, 5), PV(3, 4, 0), PV(3, 5, 0)) ? "86400" : "3600";
}

static bool
e_legacy(const struct profile *p)
{
	return prof_since(p, PV(3, 1, 10), PV(3, 2, 5), PV(3, 3, 0), PV(3, 4, 0), PV(3, 5, 0));
}

static bool
e_partitions_meta(const struct profile *p)
{
	return prof_has_partitions_meta(p);
}

static bool
e_v33(const struct profile *p)
{
	return p->v >= PV(3, 3, 0);
}

static const struct cfg_def defs[] = {
	{ "run_mode", "String", false, d_run_mode, NULL, NULL },
	{ "edit_log_port", "int", false, NULL, NULL, "9010" },
	{ "http_port", "int", false, NULL, NULL, "8030" },
	{ "query_port", "int", false, NULL, NULL, "9030" },
	{ "rpc_port", "int", false, NULL, NULL, "9020" },
	{ "mysql_server_version", "String", true, d_mysql_version, NULL, NULL },
	{ "auth_token", "String", false, NULL, NULL, "" },
	{ "enable_auth_check", "boolean", false, NULL, NULL, "true" },
	{ "thrift_client_timeout_ms", "int", false, NULL, NULL, "5000" },
	{ "thrift_backlog_num", "int", false, NULL, NULL, "1024" },
	{ "thrift_server_max_worker_threads", "int", true, NULL, NULL, "4096" },
	{ "thrift_rpc_timeout_ms", "int", true, NULL, NULL, "10000" },
	{ "thrift_rpc_strict_mode", "boolean", false, NULL, NULL, "true" },
	{ "thrift_rpc_max_body_size", "int", false, NULL, NULL, "-1" },
	{ "default_replication_num", "short", true, NULL, NULL, "3" },
	{ "max_bucket_number_per_partition", "int", true, NULL, NULL, "1024" },
	{ "label_keep_max_second", "int", true, NULL, NULL, "259200" },
	{ "history_job_keep_max_second", "int", true, NULL, NULL, "604800" },
	{ "enable_display_shadow_partitions", "boolean", true, NULL, NULL, "false" },
	{ "max_get_partitions_meta_result_count", "int", true, NULL, e_partitions_meta, "100000" },
	{ "replication_interval_ms", "long", false, d_interval, NULL, NULL },
	{ "replication_max_parallel_table_count", "int", true, NULL, NULL, "100" },
	{ "replication_max_parallel_replica_count", "int", true, NULL, e_replica_cap, "10240" },
	{ "replication_max_parallel_data_size_mb", "int", true, d_data_cap, NULL, NULL },
	{ "replication_transaction_timeout_sec", "int", true, d_txn_timeout, NULL, NULL },
	{ "enable_legacy_compatibility_for_replication", "boolean", true, NULL, e_legacy, "false" },
	{ "enable_create_partial_partition_in_batch", "boolean", true, NULL, e_v33, "false" },
	{ "lake_compaction_max_tasks", "int", true, NULL, NULL, "-1" },
	{ "lake_autovacuum_grace_period_minutes", "long", true, NULL, NULL, "30" },
};

static int
def_index(const struct cluster *c, const char *key)
{
	for (size_t i = 0; i < SU_LEN(defs); i++)
		if (strcmp(defs[i].key, key) == 0)
			return !defs[i].exists || defs[i].exists(&c->prof) ? (int)i : -1;
	return -1;
}

void
cfg_init(struct cluster *c)
{
	c->cfg.values = g_new0(char *, SU_LEN(defs));
	for (size_t i = 0; i < SU_LEN(defs); i++)
		c->cfg.values[i] = g_strdup(defs[i].dflt ? defs[i].dflt(&c->prof) : defs[i].fixed);
	c->cfg.sim = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

void
cfg_free(struct cluster *c)
{
	for (size_t i = 0; c->cfg.values && i < SU_LEN(defs); i++)
		g_free(c->cfg.values[i]);
	g_free(c->cfg.values);
	if (c->cfg.sim)
		g_hash_table_destroy(c->cfg.sim);
	memset(&c->cfg, 0, sizeof c->cfg);
}

const char *
cfg_get(const struct cluster *c, const char *key)
{
	int i = def_index(c, key);

	return i < 0 ? NULL : c->cfg.values[i];
}

int64_t
cfg_int(const struct cluster *c, const char *key, int64_t dflt)
{
	int64_t v;
	const char *s = cfg_get(c, key);

	return s && su_parse_i64(s, &v) ? v : dflt;
}

bool
cfg_bool(const struct cluster *c, const char *key)
{
	const char *s = cfg_get(c, key);

	return s && su_ieq(s, "true");
}

/* The value check ConfigBase.setConfigField makes per type. */
static bool
check_value(const struct cfg_def *d, const char *value, char *msg, size_t n)
{
	int64_t v;

	if (strcmp(d->type, "boolean") == 0) {
		if (!su_ieq(value, "true") && !su_ieq(value, "false")) {
			snprintf(msg, n, "Set config failed: type mismatch");
			return false;
		}
	} else if (strcmp(d->type, "String") != 0) {
		if (!su_parse_i64(value, &v)) {
			snprintf(msg, n, "Set config failed: For input string: \"%s\"", value);
			return false;
		}
	}
	return true;
}

bool
cfg_preset(struct cluster *c, const char *key, const char *value, char *err, size_t n)
{
	int i = def_index(c, key);

	if (i < 0) {
		snprintf(err, n, "unknown FE config '%s' for %s", key, c->prof.version);
		return false;
	}
	if (!check_value(&defs[i], value, err, n))
		return false;
	g_free(c->cfg.values[i]);
	c->cfg.values[i] = g_strdup(strcmp(defs[i].type, "boolean") == 0 ? (su_ieq(value, "true") ? "true" : "false")
									 : value);
	return true;
}

static void
show_row(struct rs *rs, const char *key, const char *value, const char *type, bool mut)
{
	rs_add(rs, key);
	rs_add(rs, "[]");
	rs_add(rs, value);
	rs_add(rs, type);
	rs_addb(rs, mut);
	rs_add(rs, "");
	rs_end_row(rs);
}

void
cfg_show(const struct cluster *c, const char *like, struct rs *rs)
{
	static const char *const titles[] = { "Key", "AliasNames", "Value", "Type", "IsMutable", "Comment" };

	if (!rs_begin(rs, titles, 6))
		return;
	for (size_t i = 0; i < SU_LEN(defs); i++) {
		if (defs[i].exists && !defs[i].exists(&c->prof))
			continue;
		if (like && !su_like(defs[i].key, like, true))
			continue;
		show_row(rs, defs[i].key, c->cfg.values[i], defs[i].type, defs[i].mutable_);
	}
	/* srsim's fault switches only show when asked for by their prefix */
	if (like && su_istarts(like, "sim_")) {
		GHashTableIter it;
		gpointer k, v;
		g_hash_table_iter_init(&it, c->cfg.sim);
		while (g_hash_table_iter_next(&it, &k, &v))
			if (su_like(k, like, true))
				show_row(rs, k, v, "String", true);
	}
}

int
cfg_set(struct cluster *c, const char *key, const char *value, char *msg, size_t n)
{
	if (g_str_has_prefix(key, "sim_")) {
		if (!flt_set(c, key, value, msg, n))
			return msg[0] ? E_CONFIG : (snprintf(msg, n, "Config '%s' does not exist or is not mutable", key),
						    E_CONFIG);
		return 0;
	}
	int i = def_index(c, key);
	if (i < 0 || !defs[i].mutable_) {
		snprintf(msg, n, "Config '%s' does not exist or is not mutable", key);
		return E_CONFIG;
	}
	if (!check_value(&defs[i], value, msg, n))
		return E_CONFIG;
	g_free(c->cfg.values[i]);
	c->cfg.values[i] = g_strdup(strcmp(defs[i].type, "boolean") == 0 ? (su_ieq(value, "true") ? "true" : "false")
									 : value);
	return 0;
}
