/*
 * files: ports.env, sync.properties, hosts.properties.
 */
#include "files.h"

#include <stdio.h>
#include <string.h>

#include "net.h"
#include "simutil.h"

static bool
write_atomic(const char *dir, const char *name, const char *text, char *err, size_t n)
{
	char *path = g_build_filename(dir, name, NULL);
	char *tmp = g_strconcat(path, ".tmp", NULL);
	GError *ge = NULL;
	bool ok = g_file_set_contents(tmp, text, -1, &ge) && rename(tmp, path) == 0;

	if (!ok)
		snprintf(err, n, "%s: %s", path, ge ? ge->message : "cannot write");
	g_clear_error(&ge);
	g_free(path);
	g_free(tmp);
	return ok;
}

static void
ports(struct sb *b)
{
	struct cluster *s = sim_cluster(SIDE_SOURCE), *t = sim_cluster(SIDE_TARGET);

	sb_printf(b, "SOURCE_QUERY_PORT=%d\nSOURCE_RPC_PORT=%d\nTARGET_QUERY_PORT=%d\nTARGET_RPC_PORT=%d\n",
		  net_port(s->fes[0].query), net_port(s->fes[0].rpc), net_port(t->fes[0].query),
		  net_port(t->fes[0].rpc));
	for (int side = 0; side < 2; side++) {
		struct cluster *c = sim_cluster(side);
		sb_printf(b, "%s_HTTP_PORT=%d\n", c->label, net_port(c->fes[0].http));
		for (int i = 0; i < c->nfe; i++)
			sb_printf(b, "%s_FE_%d_QUERY_PORT=%d\n%s_FE_%d_RPC_PORT=%d\n%s_FE_%d_HTTP_PORT=%d\n", c->label, i,
				  net_port(c->fes[i].query), c->label, i, net_port(c->fes[i].rpc), c->label, i,
				  net_port(c->fes[i].http));
		for (int k = 0; k < 2; k++) {
			struct node *nodes = k ? c->cns : c->bes;
			int cnt = k ? c->ncn : c->nbe;
			for (int i = 0; i < cnt; i++)
				sb_printf(b, "%s_%s_%d_BE_PORT=%d\n%s_%s_%d_HTTP_PORT=%d\n", c->label, k ? "CN" : "BE", i,
					  net_port(nodes[i].be), c->label, k ? "CN" : "BE", i, net_port(nodes[i].http));
		}
	}
}

static void
hosts(struct sb *b)
{
	sb_puts(b, "# Written by srsim: every simulated node name and default port mapped to the\n"
		   "# loopback listener that plays it.\n");
	for (int side = 0; side < 2; side++) {
		struct cluster *c = sim_cluster(side);
		for (int i = 0; i < c->nfe; i++)
			sb_printf(b, "%s_%s=127.0.0.1;9030:%d,9020:%d,8030:%d\n", c->label, c->fes[i].host,
				  net_port(c->fes[i].query), net_port(c->fes[i].rpc), net_port(c->fes[i].http));
		for (int k = 0; k < 2; k++) {
			struct node *nodes = k ? c->cns : c->bes;
			int cnt = k ? c->ncn : c->nbe;
			for (int i = 0; i < cnt; i++)
				sb_printf(b, "%s_%s=127.0.0.1;9060:%d,8040:%d\n", c->label, nodes[i].host,
					  net_port(nodes[i].be), net_port(nodes[i].http));
		}
	}
}

/* The official tool's keys and defaults; [sync] in the scenario overrides or adds. */
static const char *const sync_defaults[][2] = {
	{ "one_time_run_mode", "false" },
	{ "source_fe_host", NULL }, { "source_fe_query_port", "9030" }, { "source_cluster_user", NULL },
	{ "source_cluster_password", NULL }, { "source_cluster_password_secret_key", "" },
	{ "source_cluster_token", NULL },
	{ "target_fe_host", NULL }, { "target_fe_query_port", "9030" }, { "target_cluster_user", NULL },
	{ "target_cluster_password", NULL }, { "target_cluster_password_secret_key", "" },
	{ "jdbc_connect_timeout_ms", "30000" }, { "jdbc_socket_timeout_ms", "60000" },
	{ "include_data_list", "" }, { "exclude_data_list", "" },
	{ "target_cluster_storage_volume", "" }, { "target_cluster_use_builtin_storage_volume_only", "false" },
	{ "target_cluster_replication_num", "-1" }, { "target_cluster_max_disk_used_percent", "80" },
	{ "target_cluster_enable_persistent_index", "" }, { "max_replication_data_size_per_job_in_gb", "1024" },
	{ "meta_job_interval_seconds", "180" }, { "meta_job_threads", "4" }, { "ddl_job_interval_seconds", "10" },
	{ "ddl_job_batch_size", "10" }, { "ddl_job_allow_drop_target_only", "false" },
	{ "ddl_job_allow_drop_schema_change_table", "true" }, { "ddl_job_allow_drop_inconsistent_partition", "true" },
	{ "ddl_job_allow_drop_inconsistent_time_partition", "true" },
	{ "ddl_job_allow_drop_partition_target_only", "true" }, { "enable_bitmap_index_sync", "false" },
	{ "ddl_job_allow_drop_inconsistent_bitmap_index", "true" },
	{ "ddl_job_allow_drop_bitmap_index_target_only", "true" }, { "enable_materialized_view_sync", "false" },
	{ "ddl_job_allow_drop_inconsistent_materialized_view", "true" },
	{ "ddl_job_allow_drop_materialized_view_target_only", "false" }, { "enable_view_sync", "false" },
	{ "ddl_job_allow_drop_inconsistent_view", "true" }, { "ddl_job_allow_drop_view_target_only", "false" },
	{ "replication_job_interval_seconds", "10" }, { "replication_job_batch_size", "10" },
	{ "report_interval_seconds", "300" }, { "enable_table_property_sync", "false" },
};

static const char *
own_value(const char *key)
{
	struct cluster *s = sim_cluster(SIDE_SOURCE), *t = sim_cluster(SIDE_TARGET);

	if (!strcmp(key, "source_fe_host"))
		return s->fes[0].host;
	if (!strcmp(key, "source_cluster_user"))
		return s->user;
	if (!strcmp(key, "source_cluster_password"))
		return s->password;
	if (!strcmp(key, "source_cluster_token"))
		return s->prof.shared_data ? "" : s->token;
	if (!strcmp(key, "target_fe_host"))
		return t->fes[0].host;
	if (!strcmp(key, "target_cluster_user"))
		return t->user;
	if (!strcmp(key, "target_cluster_password"))
		return t->password;
	return "";
}

/* A .properties value: backslashes doubled and leading blanks kept, so that
 * a password such as " a\b" reads back as written. */
static void
prop_line(struct sb *b, const char *k, const char *v)
{
	sb_printf(b, "%s=", k);
	for (const char *p = v; *p; p++) {
		if (*p == '\\' || (p == v && (*p == ' ' || *p == '\t')))
			sb_putc(b, '\\');
		if (*p == '\n')
			sb_puts(b, "\\n");
		else
			sb_putc(b, *p);
	}
	sb_putc(b, '\n');
}

static void
sync_props(struct sb *b, GPtrArray *sections)
{
	const struct scn_section *over = NULL;

	for (guint i = 0; i < sections->len; i++)
		if (!strcmp(((struct scn_section *)g_ptr_array_index(sections, i))->kind, "sync"))
			over = g_ptr_array_index(sections, i);
	sb_puts(b, "# Written by srsim for its simulated source and target clusters.\n");
	for (size_t i = 0; i < SU_LEN(sync_defaults); i++) {
		const char *k = sync_defaults[i][0];
		const char *v = over && scn_get(over, k) ? scn_get(over, k)
				: sync_defaults[i][1] ? sync_defaults[i][1] : own_value(k);
		prop_line(b, k, v);
	}
	for (guint i = 0; over && i < over->keys->len; i++) {
		const char *k = g_ptr_array_index(over->keys, i);
		bool known = false;
		for (size_t d = 0; d < SU_LEN(sync_defaults); d++)
			known |= !strcmp(sync_defaults[d][0], k);
		if (!known)
			prop_line(b, k, g_ptr_array_index(over->vals, i));
	}
}

bool
files_write(const char *dir, GPtrArray *sections, char *err, size_t n)
{
	struct sb b;
	bool ok;

	sb_init(&b);
	ports(&b);
	ok = write_atomic(dir, "ports.env", b.p, err, n);
	sb_reset(&b);
	hosts(&b);
	ok = ok && write_atomic(dir, "hosts.properties", b.p, err, n);
	sb_reset(&b);
	sync_props(&b, sections);
	ok = ok && write_atomic(dir, "sync.properties", b.p, err, n);
	sb_free(&b);
	return ok;
}

char *
files_ready_line(void)
{
	struct cluster *s = sim_cluster(SIDE_SOURCE), *t = sim_cluster(SIDE_TARGET);

	return g_strdup_printf("READY SOURCE_QUERY_PORT=%d SOURCE_RPC_PORT=%d TARGET_QUERY_PORT=%d TARGET_RPC_PORT=%d",
			       net_port(s->fes[0].query), net_port(s->fes[0].rpc), net_port(t->fes[0].query),
			       net_port(t->fes[0].rpc));
}
