/*
 * scenario: reading the INI file and building clusters, nodes, users,
 * volumes, faults and loads from it.
 */
#include "scenario.h"

#include <ini.h>
#include <stdio.h>
#include <string.h>

#include "faults.h"
#include "feconfig.h"
#include "jobs.h"
#include "load.h"
#include "simutil.h"

struct reader {
	FILE *f;
	GPtrArray *sections;
	struct scn_section *cur;
};

static struct scn_section *
section_new(const char *head)
{
	struct scn_section *s = g_new0(struct scn_section, 1);
	char *h = g_strstrip(g_strdup(head));
	char *sp = strchr(h, ' ');

	s->head = g_strdup(h);
	s->keys = g_ptr_array_new_with_free_func(g_free);
	s->vals = g_ptr_array_new_with_free_func(g_free);
	if (sp) {
		*sp = '\0';
		char *rest = g_strstrip(sp + 1);
		char *sp2 = strchr(rest, ' ');
		if ((g_str_has_prefix(rest, "source") || g_str_has_prefix(rest, "target")) &&
		    (!rest[6] || rest[6] == ' ')) {
			s->side = g_strndup(rest, 6);
			s->name = sp2 ? g_strdup(g_strstrip(sp2 + 1)) : NULL;
		} else {
			s->name = g_strdup(rest);
		}
	}
	s->kind = g_ascii_strdown(h, -1);
	g_free(h);
	return s;
}

static int
on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct reader *r = user;
	char *head = g_strstrip(g_strdup(section));

	if (!r->cur || strcmp(r->cur->head, head) != 0) {
		r->cur = section_new(head);
		g_ptr_array_add(r->sections, r->cur);
	}
	g_free(head);
	if (!name)
		return 1;
	/* a continuation line of a multi-line value arrives as the same key again */
	for (guint i = 0; i < r->cur->keys->len; i++)
		if (!strcmp(g_ptr_array_index(r->cur->keys, i), name)) {
			char *old = g_ptr_array_index(r->cur->vals, i);
			r->cur->vals->pdata[i] = g_strconcat(old, "\n", value, NULL);
			g_free(old);
			return 1;
		}
	g_ptr_array_add(r->cur->keys, g_strdup(name));
	g_ptr_array_add(r->cur->vals, g_strdup(value));
	return 1;
}

/* inih reports a section only with its first key: the reader notes every
 * "[section]" line itself, so that a section without keys ([database d]) counts. */
static char *
read_line(char *str, int num, void *stream)
{
	struct reader *r = stream;
	char *line = fgets(str, num, r->f);
	const char *p = line;

	while (p && (*p == ' ' || *p == '\t'))
		p++;
	if (p && *p == '[' && strchr(p, ']')) {
		char *head = g_strndup(p + 1, (size_t)(strchr(p, ']') - p - 1));
		r->cur = section_new(head);
		g_ptr_array_add(r->sections, r->cur);
		g_free(head);
	}
	return line;
}

static void
section_free(gpointer p)
{
	struct scn_section *s = p;

	g_free(s->head);
	g_free(s->kind);
	g_free(s->side);
	g_free(s->name);
	g_ptr_array_free(s->keys, TRUE);
	g_ptr_array_free(s->vals, TRUE);
	g_free(s);
}

GPtrArray *
scn_read(const char *path, char *err, size_t n)
{
	struct reader r = { NULL, g_ptr_array_new_with_free_func(section_free), NULL };

	/* passwords may hold ';' and DDL is long: no inline comments, long lines */
	ini_allow_inline_comments = false;
	ini_allow_multiline = true;
	ini_use_stack = false;
	ini_allow_realloc = true;
	ini_max_line = 1 << 20;
	r.f = fopen(path, "r");
	int rc = r.f ? ini_parse_stream(read_line, &r, on_entry, &r) : -1;
	if (r.f)
		fclose(r.f);
	if (rc != 0) {
		if (rc < 0)
			snprintf(err, n, "%s: cannot read the scenario", path);
		else
			snprintf(err, n, "%s:%d: not an INI line", path, rc);
		g_ptr_array_free(r.sections, TRUE);
		return NULL;
	}
	return r.sections;
}

void
scn_free(GPtrArray *sections)
{
	if (sections)
		g_ptr_array_free(sections, TRUE);
}

const char *
scn_get(const struct scn_section *s, const char *key)
{
	for (guint i = 0; i < s->keys->len; i++)
		if (!strcmp(g_ptr_array_index(s->keys, i), key))
			return g_ptr_array_index(s->vals, i);
	return NULL;
}

static const struct scn_section *
find(GPtrArray *sections, const char *kind)
{
	for (guint i = 0; i < sections->len; i++) {
		const struct scn_section *s = g_ptr_array_index(sections, i);
		if (!strcmp(s->kind, kind))
			return s;
	}
	return NULL;
}

static int
side_of(const struct scn_section *s, int dflt)
{
	if (!s->side)
		return dflt;
	return strcmp(s->side, "target") == 0 ? SIDE_TARGET : SIDE_SOURCE;
}

#define BAD(...) do { snprintf(err, n, __VA_ARGS__); return false; } while (0)

static bool
get_int(const struct scn_section *s, const char *key, int64_t dflt, int64_t lo, int64_t hi, int64_t *out, char *err,
	size_t n)
{
	const char *v = scn_get(s, key);

	*out = dflt;
	if (v && (!su_parse_i64(v, out) || *out < lo || *out > hi))
		BAD("[%s] %s: want an integer within [%lld, %lld], got \"%s\"", s->head, key, (long long)lo,
		    (long long)hi, v);
	return true;
}

static bool
get_size(const struct scn_section *s, const char *key, int64_t dflt, int64_t *out, char *err, size_t n)
{
	const char *v = scn_get(s, key);

	*out = dflt;
	if (v && !su_parse_size(v, out))
		BAD("[%s] %s: want a size such as 64MB, got \"%s\"", s->head, key, v);
	return true;
}

static bool
get_secs(const struct scn_section *s, const char *key, double dflt, double *out, char *err, size_t n)
{
	const char *v = scn_get(s, key);

	*out = dflt;
	if (v && !su_parse_duration(v, out))
		BAD("[%s] %s: want a duration such as 10s or 500ms, got \"%s\"", s->head, key, v);
	return true;
}

static bool
get_bool(const struct scn_section *s, const char *key, bool dflt, bool *out, char *err, size_t n)
{
	const char *v = scn_get(s, key);

	*out = dflt;
	if (v && !su_parse_bool(v, out))
		BAD("[%s] %s: want true or false, got \"%s\"", s->head, key, v);
	return true;
}

static void
make_nodes(struct cluster *c, enum node_kind kind, int count, int64_t capacity)
{
	static const char *const prefix[] = { "fe", "be", "cn" };
	struct node *nodes = count ? g_new0(struct node, count) : NULL;
	int64_t start = su_wall_ms();

	for (int i = 0; i < count; i++) {
		struct node *nd = &nodes[i];
		nd->kind = kind;
		nd->idx = i;
		nd->cl = c;
		snprintf(nd->host, sizeof nd->host, "%s-%d.%s.invalid", prefix[kind], i, c->domain);
		snprintf(nd->name, sizeof nd->name, "%s_9010_%lld", nd->host, (long long)start);
		nd->id = kind == NODE_FE ? i + 1 : cat_next_id(c);
		nd->start_time = start;
		nd->capacity = capacity;
		nd->cpu_cores = 16;
		nd->mem_limit = (int64_t)64 << 30;
		nd->path_hash = su_mix((uint64_t)nd->id * 131 + (uint64_t)c->side);
		nd->worker_id = kind == NODE_FE ? 0 : i + 1 + (kind == NODE_BE ? c->ncn : 0);
		atomic_store(&nd->disk_pct, -1);
	}
	if (kind == NODE_FE) {
		c->fes = nodes;
		c->nfe = count;
	} else if (kind == NODE_BE) {
		c->bes = nodes;
		c->nbe = count;
	} else {
		c->cns = nodes;
		c->ncn = count;
	}
}

static struct volume *
volume_new(const char *name, const char *type, const char *loc, const char *params, bool dflt)
{
	struct volume *v = g_new0(struct volume, 1);

	v->name = g_strdup(name);
	v->type = g_strdup(type);
	v->location = g_strdup(loc);
	v->params = g_strdup(params);
	v->comment = g_strdup("");
	v->is_default = dflt;
	v->enabled = true;
	return v;
}

static bool
build_cluster(struct cluster *c, int side, const struct scn_section *s, struct node_ports *fixed, char *err,
	      size_t n)
{
	const char *v;
	int64_t fe, be, cn, base, pct, port;
	int64_t cap;

	c->side = side;
	c->label = side == SIDE_SOURCE ? "SOURCE" : "TARGET";
	c->domain = side == SIDE_SOURCE ? "source" : "target";
	if (!(v = scn_get(s, "version")) || !prof_parse(v, &c->prof))
		BAD("[%s] version: want a StarRocks version from 3.1.0 on (3.3.5, 4.1.0), got \"%s\"", s->head,
		    v ? v : "");
	const char *mode = scn_get(s, "run_mode");
	if (mode && strcmp(mode, "shared_nothing") != 0 && strcmp(mode, "shared_data") != 0)
		BAD("[%s] run_mode: shared_nothing or shared_data, got \"%s\"", s->head, mode);
	c->prof.shared_data = mode && !strcmp(mode, "shared_data");
	v = scn_get(s, "commit");
	snprintf(c->prof.commit, sizeof c->prof.commit, "%s",
		 v ? v : (side == SIDE_SOURCE ? "6d81f75" : "a1b2c3d"));
	c->user = g_strdup((v = scn_get(s, "user")) ? v : "root");
	c->password = g_strdup((v = scn_get(s, "password")) ? v : "");
	c->token = (v = scn_get(s, "token")) ? g_strdup(v) : g_uuid_string_random();
	c->service_id = (v = scn_get(s, "service_id")) ? g_strdup(v) : g_uuid_string_random();
	if (!get_int(s, "fe", 1, 1, 9, &fe, err, n) ||
	    !get_int(s, "be", c->prof.shared_data ? 0 : 3, 0, 256, &be, err, n) ||
	    !get_int(s, "cn", c->prof.shared_data ? 3 : 0, 0, 256, &cn, err, n) ||
	    !get_int(s, "id_base", side == SIDE_SOURCE ? 10000 : 1000000000, 1, INT64_MAX / 4, &base, err, n) ||
	    !get_int(s, "disk_used_pct", 30, 0, 100, &pct, err, n) || !get_size(s, "capacity", (int64_t)1 << 40, &cap, err, n))
		return false;
	if (c->prof.shared_data ? be + cn == 0 : be == 0)
		BAD("[%s] a %s cluster needs %s", s->head, c->prof.shared_data ? "shared-data" : "shared-nothing",
		    c->prof.shared_data ? "a compute node (cn)" : "a backend (be)");
	if (!get_int(s, "query_port", 0, 0, 65535, &port, err, n))
		return false;
	fixed->query = (int)port;
	if (!get_int(s, "rpc_port", 0, 0, 65535, &port, err, n))
		return false;
	fixed->rpc = (int)port;
	if (!get_int(s, "http_port", 0, 0, 65535, &port, err, n))
		return false;
	fixed->http = (int)port;
	c->disk_used_pct = (int)pct;
	c->cluster_id = (int)(su_mix((uint64_t)base + (uint64_t)side) % 2000000000);
	cat_init(c, base);
	c->next_txn_id = base / 10 + 1;
	make_nodes(c, NODE_FE, (int)fe, cap);
	make_nodes(c, NODE_CN, (int)cn, cap);
	make_nodes(c, NODE_BE, (int)be, cap);
	int64_t leader;
	if (!get_int(s, "leader", 0, 0, fe - 1, &leader, err, n))
		return false;
	atomic_store(&c->leader, (int)leader);
	c->users = g_ptr_array_new();
	struct user *u = g_new0(struct user, 1);
	u->name = g_strdup(c->user);
	u->password = g_strdup(c->password);
	u->operate = true;
	g_ptr_array_add(c->users, u);
	c->volumes = g_ptr_array_new();
	cfg_init(c);
	flt_init(c);
	/* config.<key> = value presets the FE config */
	for (guint i = 0; i < s->keys->len; i++) {
		const char *k = g_ptr_array_index(s->keys, i);
		if (g_str_has_prefix(k, "config.") &&
		    !cfg_preset(c, k + 7, g_ptr_array_index(s->vals, i), err, n))
			return false;
	}
	return true;
}

static bool
build_extras(GPtrArray *sections, char *err, size_t n)
{
	for (guint i = 0; i < sections->len; i++) {
		const struct scn_section *s = g_ptr_array_index(sections, i);
		struct cluster *c = sim_cluster(side_of(s, SIDE_SOURCE));
		bool b;
		if (!strcmp(s->kind, "user")) {
			if (!s->name)
				BAD("[%s] wants a user name: [user source NAME]", s->head);
			struct user *u = g_new0(struct user, 1);
			u->name = g_strdup(s->name);
			u->password = g_strdup(scn_get(s, "password") ? scn_get(s, "password") : "");
			g_ptr_array_add(c->users, u);
			if (!get_bool(s, "operate", false, &b, err, n))
				return false;
			u->operate = b;
		} else if (!strcmp(s->kind, "volume")) {
			if (!s->name)
				BAD("[%s] wants a volume name: [volume target NAME]", s->head);
			const char *loc = scn_get(s, "location");
			if (!get_bool(s, "default", false, &b, err, n))
				return false;
			struct volume *v = volume_new(s->name, scn_get(s, "type") ? scn_get(s, "type") : "S3",
						      loc ? loc : "s3://bucket/path",
						      scn_get(s, "params") ? scn_get(s, "params") : "{}", b);
			if (!get_bool(s, "enabled", true, &v->enabled, err, n))
				return false;
			if (scn_get(s, "comment")) {
				g_free(v->comment);
				v->comment = g_strdup(scn_get(s, "comment"));
			}
			g_ptr_array_add(c->volumes, v);
		} else if (!strcmp(s->kind, "faults")) {
			c = sim_cluster(side_of(s, SIDE_TARGET));
			for (guint k = 0; k < s->keys->len; k++) {
				const char *key = g_ptr_array_index(s->keys, k);
				if (!flt_set(c, key, g_ptr_array_index(s->vals, k), err, n)) {
					if (!err[0])
						snprintf(err, n, "[%s] %s: no such fault", s->head, key);
					return false;
				}
			}
		} else if (!strcmp(s->kind, "load")) {
			struct load_spec ls = { .side = side_of(s, SIDE_SOURCE), .fraction = 1.0 };
			int64_t every;
			const char *tl = scn_get(s, "tables");
			char **tables = tl ? su_split(tl, ',') : NULL;
			if (!get_secs(s, "interval", 10, &ls.interval, err, n) ||
			    !get_int(s, "rows", 1000, 0, INT64_MAX / 2, &ls.rows, err, n) ||
			    !get_size(s, "bytes", 65536, &ls.bytes, err, n) || !get_secs(s, "start", 0, &ls.start, err, n) ||
			    !get_secs(s, "stop", 0, &ls.stop, err, n) ||
			    !get_int(s, "new_partition_every", 0, 0, 1000000, &every, err, n)) {
				g_strfreev(tables);
				return false;
			}
			const char *fr = scn_get(s, "fraction");
			if (fr)
				ls.fraction = g_ascii_strtod(fr, NULL);
			ls.tables = tables;
			ls.new_partition_every = (int)every;
			if (ls.interval <= 0 || ls.fraction < 0 || ls.fraction > 1) {
				g_strfreev(tables);
				BAD("[%s] interval > 0 and fraction within [0, 1]", s->head);
			}
			load_add_spec(&ls);
			g_strfreev(tables);
		}
	}
	for (int side = 0; side < 2; side++) {
		struct cluster *c = sim_cluster(side);
		if (!c->prof.shared_data || c->volumes->len)
			continue;
		char *loc = g_strdup_printf("s3://starrocks-%s/builtin", c->domain);
		g_ptr_array_add(c->volumes, volume_new("builtin_storage_volume", "S3", loc,
						       "{\"aws.s3.region\":\"us-west-2\",\"aws.s3.endpoint\":\"\","
						       "\"aws.s3.use_instance_profile\":\"true\"}",
						       true));
		g_free(loc);
	}
	return true;
}

/* The keys every kind of section takes ("*": any key, checked where it is
 * used; a trailing '.' is a prefix). A misspelt key is an error rather than a
 * silently different world. */
static const struct {
	const char *kind;
	const char *keys;
} known[] = {
	{ "sim", "seed system_dbs" },
	{ "source", "version commit run_mode user password token service_id fe be cn id_base disk_used_pct capacity "
		    "query_port rpc_port http_port leader config." },
	{ "target", "version commit run_mode user password token service_id fe be cn id_base disk_used_pct capacity "
		    "query_port rpc_port http_port leader config." },
	{ "user", "password operate" },
	{ "volume", "type location params default enabled comment" },
	{ "database", "" },
	{ "table", "db name ddl model columns keys partition_by partition_clause partitions partition_start "
		   "partition_step buckets distribution replication_num properties comment rows data_size version "
		   "on_target" },
	{ "view", "db name query ddl" },
	{ "mv", "db name query ddl refresh sync" },
	{ "generate", "databases tables partitions buckets replication_num rows data_size version models partitioning "
		      "db_prefix table_prefix" },
	{ "load", "tables fraction interval rows bytes start stop new_partition_every" },
	{ "replication", "copy_speed snapshot_latency snapshot_per_tablet init_delay publish_delay "
			 "version_retention" },
	{ "faults", "*" },
	{ "sync", "*" },
};

static bool
key_known(const char *keys, const char *key)
{
	if (!strcmp(keys, "*"))
		return true;
	for (const char *p = keys; *p;) {
		size_t len = strcspn(p, " ");
		if ((len == strlen(key) && !strncmp(p, key, len)) ||
		    (len > 1 && p[len - 1] == '.' && !strncmp(p, key, len)))
			return true;
		p += len;
		p += strspn(p, " ");
	}
	return false;
}

static bool
check_sections(GPtrArray *sections, char *err, size_t n)
{
	for (guint i = 0; i < sections->len; i++) {
		const struct scn_section *s = g_ptr_array_index(sections, i);
		size_t k = 0;
		while (k < SU_LEN(known) && strcmp(known[k].kind, s->kind) != 0)
			k++;
		if (k == SU_LEN(known))
			BAD("[%s]: unknown section kind \"%s\" (see tests/sim/README.md)", s->head, s->kind);
		for (guint j = 0; j < s->keys->len; j++)
			if (!key_known(known[k].keys, g_ptr_array_index(s->keys, j)))
				BAD("[%s] %s: unknown key (see tests/sim/README.md)", s->head,
				    (const char *)g_ptr_array_index(s->keys, j));
	}
	return true;
}

bool
scn_build(GPtrArray *sections, struct node_ports fixed[2], char *err, size_t n)
{
	const struct scn_section *s;
	bool b;

	err[0] = '\0';
	if (!check_sections(sections, err, n))
		return false;
	world.snapshot_latency = 2;
	world.snapshot_per_tablet = 0.01;
	world.init_delay = 0.5;
	world.publish_delay = 0.5;
	world.version_retention = 1800;	/* the BE's tablet_rowset_stale_sweep_time_sec */
	world.copy_speed = (int64_t)100 << 20;
	world.system_dbs = true;
	if ((s = find(sections, "sim"))) {
		int64_t seed;
		if (!get_int(s, "seed", 42, 0, INT64_MAX, &seed, err, n) || !get_bool(s, "system_dbs", true, &b, err, n))
			return false;
		world.seed = (uint64_t)seed;
		world.system_dbs = b;
	}
	g_random_set_seed((guint32)world.seed);
	if ((s = find(sections, "replication"))) {
		if (!get_size(s, "copy_speed", world.copy_speed, &world.copy_speed, err, n) ||
		    !get_secs(s, "snapshot_latency", world.snapshot_latency, &world.snapshot_latency, err, n) ||
		    !get_secs(s, "snapshot_per_tablet", world.snapshot_per_tablet, &world.snapshot_per_tablet, err, n) ||
		    !get_secs(s, "init_delay", world.init_delay, &world.init_delay, err, n) ||
		    !get_secs(s, "publish_delay", world.publish_delay, &world.publish_delay, err, n) ||
		    !get_secs(s, "version_retention", world.version_retention, &world.version_retention, err, n))
			return false;
	}
	for (int side = 0; side < 2; side++) {
		const char *kind = side == SIDE_SOURCE ? "source" : "target";
		if (!(s = find(sections, kind)))
			BAD("the scenario has no [%s] section", kind);
		if (!build_cluster(sim_cluster(side), side, s, &fixed[side], err, n))
			return false;
	}
	return build_extras(sections, err, n) && pop_catalog(sections, err, n);
}

void
scn_teardown(void)
{
	load_free();
	for (int side = 0; side < 2; side++) {
		struct cluster *c = sim_cluster(side);
		if (c->jobs)
			g_hash_table_destroy(c->jobs);
		if (c->dbs)
			cat_free(c);
		cfg_free(c);
		flt_free(c);
		for (guint i = 0; c->users && i < c->users->len; i++) {
			struct user *u = g_ptr_array_index(c->users, i);
			g_free(u->name);
			g_free(u->password);
			g_free(u);
		}
		if (c->users)
			g_ptr_array_free(c->users, TRUE);
		for (guint i = 0; c->volumes && i < c->volumes->len; i++) {
			struct volume *v = g_ptr_array_index(c->volumes, i);
			g_free(v->name);
			g_free(v->type);
			g_free(v->location);
			g_free(v->params);
			g_free(v->comment);
			g_free(v);
		}
		if (c->volumes)
			g_ptr_array_free(c->volumes, TRUE);
		g_free(c->fes);
		g_free(c->bes);
		g_free(c->cns);
		g_free(c->user);
		g_free(c->password);
		g_free(c->token);
		g_free(c->service_id);
		memset(c, 0, sizeof *c);
	}
}
