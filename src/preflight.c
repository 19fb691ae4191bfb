/* preflight: the checklist (see preflight.h). */
#include "srmigrate/preflight.h"

#include <ctype.h>
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/diff.h"
#include "srmigrate/net.h"
#include "srmigrate/par.h"
#include "srmigrate/util.h"

#define PROBE_MS 3000
#define GRACE_MIN_MINUTES 10080		/* a week: "significantly large" */
#define GRACE_FIX "10000000"		/* the reference's value */

struct ctx {
	struct preflight *pf;
	struct sql_pool *pool;
	struct catalog **cat;
	const char **read_err;
	struct srm_config *cfg;
};

static struct check_item *
item(struct ctx *c, const char *key, const char *title)
{
	struct check_item *it = &c->pf->items[c->pf->n_items++];

	memset(it, 0, sizeof(*it));
	it->ev.index = (uint32_t)(c->pf->n_items - 1);
	str_copy(it->ev.key, sizeof(it->ev.key), key);
	str_copy(it->ev.title, sizeof(it->ev.title), title);
	return it;
}

static void
verdict(struct ctx *c, struct check_item *it, enum check_status st, const char *fix,
	const char *seen_fmt, ...) __attribute__((format(printf, 5, 6)));

static void
verdict(struct ctx *c, struct check_item *it, enum check_status st, const char *fix,
	const char *seen_fmt, ...)
{
	va_list ap;

	it->ev.status = st;
	it->ev.blocks = st == CHECK_FAIL;
	va_start(ap, seen_fmt);
	vsnprintf(it->ev.seen, sizeof(it->ev.seen), seen_fmt, ap);
	va_end(ap);
	str_copy(it->ev.fix, sizeof(it->ev.fix), fix ? fix : "");
	if (st == CHECK_FAIL)
		c->pf->fails++;
	else if (st == CHECK_WARN)
		c->pf->warns++;
}

static void
fixable(struct check_item *it, enum side side, const char *key, const char *value)
{
	it->ev.fixable = true;
	it->fix_side = side;
	str_copy(it->fix_key, sizeof(it->fix_key), key);
	str_copy(it->fix_value, sizeof(it->fix_value), value);
}

static bool
have(struct ctx *c, enum side s)
{
	return c->cat[s] != NULL;
}

/* 1, 2: logged in with SYSTEM OPERATE (the metadata read needs exactly that). */
static void
check_login(struct ctx *c, enum side s)
{
	const struct cluster_cfg *cc = s == SIDE_SOURCE ? &c->cfg->source : &c->cfg->target;
	struct check_item *it = item(c, s == SIDE_SOURCE ? "source_login" : "target_login",
				     s == SIDE_SOURCE ? "Source FE: logged in, SYSTEM OPERATE"
						      : "Target FE: logged in, SYSTEM OPERATE");
	char fix[EV_LONG_LEN];

	if (have(c, s)) {
		verdict(c, it, CHECK_PASS, NULL, "%s@%s:%lld, %s", cc->user, cc->fe_host,
			(long long)cc->query_port, c->pool[s].address);
		return;
	}
	if (strstr(c->read_err[s], "Access denied") && strstr(c->read_err[s], "OPERATE"))
		str_fmt(fix, sizeof(fix), "As an admin on the %s cluster: GRANT OPERATE ON SYSTEM TO USER "
			"'%s'@'%%';", s == SIDE_SOURCE ? "source" : "target", cc->user);
	else
		str_fmt(fix, sizeof(fix), "Check %s_fe_host, %s_fe_query_port, the user and password in "
			"sync.properties, and the %s_ lines of hosts.properties.",
			s == SIDE_SOURCE ? "source" : "target", s == SIDE_SOURCE ? "source" : "target",
			s == SIDE_SOURCE ? "SOURCE" : "TARGET");
	verdict(c, it, CHECK_FAIL, fix, "%s", c->read_err[s]);
}

/* 3: versions and run modes form a supported path. */
static void
check_path(struct ctx *c)
{
	struct check_item *it = item(c, "path", "Versions and run modes: a supported path");
	const struct catalog *s = c->cat[SIDE_SOURCE], *t = c->cat[SIDE_TARGET];
	const char *sm, *tm;

	if (!have(c, SIDE_SOURCE) || !have(c, SIDE_TARGET)) {
		verdict(c, it, CHECK_SKIP, NULL, "needs both clusters");
		return;
	}
	sm = s->shared_data ? "shared_data" : "shared_nothing";
	tm = t->shared_data ? "shared_data" : "shared_nothing";
	if (!ver_can_be_target(&t->version))
		verdict(c, it, CHECK_FAIL, "Upgrade the target to 3.1.8+ (3.1 line) or 3.2.3+.",
			"target %s %s cannot take replication jobs", t->version.text, tm);
	else if (s->shared_data && !t->shared_data)
		verdict(c, it, CHECK_FAIL, "Use a shared-data target.",
			"source %s %s -> target %s %s: shared-data to shared-nothing is not supported",
			s->version.text, sm, t->version.text, tm);
	else if (s->shared_data && !ver_has_lake_replication(&t->version))
		verdict(c, it, CHECK_FAIL, "Upgrade the target to 4.1 or later.",
			"shared-data to shared-data needs a 4.1+ target; it runs %s", t->version.text);
	else
		verdict(c, it, CHECK_PASS, NULL, "source %s %s -> target %s %s", s->version.text, sm,
			t->version.text, tm);
}

/* A boolean-ish FE setting that must have a value; fixable. */
static void
check_setting(struct ctx *c, const char *id, enum side side, const char *key, const char *title,
	      const char *want, bool (*ok)(const char *value), const char *fe_conf_line)
{
	struct check_item *it = item(c, id, title);
	const char *v = catalog_config(c->cat[side], key);
	char fix[EV_LONG_LEN];

	str_fmt(fix, sizeof(fix), "ADMIN SET FRONTEND CONFIG (\"%s\" = \"%s\"); on the %s, and add "
		"'%s' to fe.conf on every %s FE so a restart keeps it.", key, want,
		side == SIDE_SOURCE ? "source" : "target", fe_conf_line,
		side == SIDE_SOURCE ? "source" : "target");
	if (v == NULL) {
		verdict(c, it, CHECK_FAIL, fix, "the %s FE has no config '%s'", side_name(side), key);
		return;
	}
	if (ok(v)) {
		verdict(c, it, CHECK_PASS, NULL, "%s = %s (remember fe.conf: '%s')", key, v, fe_conf_line);
		return;
	}
	fixable(it, side, key, want);
	verdict(c, it, CHECK_FAIL, fix, "%s = %s", key, v);
}

static bool
is_true(const char *v)
{
	return str_ieq(v, "true");
}

static bool
is_zero(const char *v)
{
	return str_eq(v, "0");
}

static bool
grace_large(const char *v)
{
	int64_t n;

	return parse_i64(v, 0, INT64_MAX, &n) && n >= GRACE_MIN_MINUTES;
}

static void
check_settings(struct ctx *c)
{
	const struct catalog *s = c->cat[SIDE_SOURCE], *t = c->cat[SIDE_TARGET];
	struct check_item *it;

	if (!have(c, SIDE_TARGET)) {
		verdict(c, item(c, "legacy_compat", "Target: legacy compatibility for replication"),
			CHECK_SKIP, NULL, "needs the target cluster");
	} else if (!ver_has_legacy_compat(&t->version)) {
		verdict(c, item(c, "legacy_compat", "Target: legacy compatibility for replication"),
			CHECK_SKIP, NULL, "target %s has no such setting (3.1.10 / 3.2.5 / 3.3.0+)",
			t->version.text);
	} else {
		check_setting(c, "legacy_compat", SIDE_TARGET, "enable_legacy_compatibility_for_replication",
			      "Target: legacy compatibility for replication", "true", is_true,
			      "enable_legacy_compatibility_for_replication = true");
	}
	if (have(c, SIDE_TARGET) && t->shared_data) {
		check_setting(c, "lake_compaction", SIDE_TARGET, "lake_compaction_max_tasks",
			      "Target (shared-data): compaction off", "0", is_zero,
			      "lake_compaction_max_tasks = 0");
	} else {
		it = item(c, "lake_compaction", "Target (shared-data): compaction off");
		verdict(c, it, CHECK_SKIP, NULL, have(c, SIDE_TARGET) ? "shared-nothing target: "
			"compaction does not conflict" : "needs the target cluster");
	}
	if (have(c, SIDE_SOURCE) && s->shared_data) {
		check_setting(c, "vacuum_grace", SIDE_SOURCE, "lake_autovacuum_grace_period_minutes",
			      "Source (shared-data): auto-vacuum grace period large", GRACE_FIX,
			      grace_large, "lake_autovacuum_grace_period_minutes = " GRACE_FIX);
	} else {
		it = item(c, "vacuum_grace", "Source (shared-data): auto-vacuum grace period large");
		verdict(c, it, CHECK_SKIP, NULL, have(c, SIDE_SOURCE) ? "shared-nothing source: no "
			"auto-vacuum" : "needs the source cluster");
	}
}

/* --- storage volumes (shared-data to shared-data) ------------------------------ */

static bool
volume_in_use(const struct catalog *c, const struct cat_volume *v)
{
	for (size_t i = 0; i < c->n_parts; i++)
		if (catalog_volume_of(c, c->parts[i].storage_path) == v)
			return true;
	return false;
}

/* "aws.s3.region":"x" pairs of the Params JSON into PROPERTIES lines; secrets become placeholders. */
static void
volume_statement(const struct cat_volume *v, char *out, size_t len)
{
	size_t w = (size_t)snprintf(out, len, "CREATE STORAGE VOLUME src_%s TYPE = %s LOCATIONS = (\"%s\") "
				    "PROPERTIES (\"enabled\" = \"true\"", v->name,
				    v->type && v->type[0] ? v->type : "S3", v->location ? v->location : "");
	const char *p = v->params ? v->params : "";

	while (w < len && (p = strchr(p, '"')) != NULL) {
		char key[128], value[256];

		if (sscanf(p, "\"%127[^\"]\":\"%255[^\"]\"", key, value) != 2) {
			p++;
			continue;
		}
		p = strchr(p + strlen(key) + 2, '"');
		p = p ? strchr(p + 1, '"') : NULL;
		if (p == NULL)
			break;
		p++;
		if (str_eq(key, "aws.s3.enable_partitioned_prefix") || str_eq(key, "enabled"))
			continue;
		if (strstr(key, "secret") || strstr(key, "access_key") || strstr(key, "password") ||
		    strstr(key, "token") || strstr(key, "credential"))
			str_fmt(value, sizeof(value), "<%s>", key);
		w += (size_t)snprintf(out + w, len - w, ", \"%s\" = \"%s\"", key, value);
	}
	if (w < len)
		snprintf(out + w, len - w, ", \"aws.s3.enable_partitioned_prefix\" = \"false\");");
}

static void
check_volumes(struct ctx *c)
{
	struct check_item *it = item(c, "src_volumes", "Target: src_<volume> for each source volume");
	const struct catalog *src = c->cat[SIDE_SOURCE], *tgt = c->cat[SIDE_TARGET];
	char fix[EV_LONG_LEN] = "", seen[EV_TEXT_LEN] = "";
	size_t missing = 0;

	if (!have(c, SIDE_SOURCE) || !have(c, SIDE_TARGET) || !src->shared_data || !tgt->shared_data) {
		verdict(c, it, CHECK_SKIP, NULL, "only for shared-data to shared-data");
		return;
	}
	/* A job needs the volume of every partition it copies: a path under none cannot be copied. */
	for (size_t i = 0; i < src->n_tables; i++) {
		const struct cat_table *t = &src->tables[i];
		size_t np;
		const struct cat_part *p = catalog_parts(src, t, &np);

		for (size_t k = 0; k < np; k++) {
			if (catalog_volume_of(src, p[k].storage_path) != NULL)
				continue;
			verdict(c, it, CHECK_FAIL, "Check SHOW STORAGE VOLUMES and DESC STORAGE VOLUME on the "
				"source: every table's storage path must lie under a volume's location.",
				"%s.%s partition %s: no source storage volume holds %s", t->db, t->name,
				p[k].name, p[k].storage_path ? p[k].storage_path : "(no storage path)");
			return;
		}
	}
	for (size_t i = 0; i < src->n_volumes; i++) {
		const struct cat_volume *sv = &src->volumes[i], *found = NULL;
		char want[160];

		if (!volume_in_use(src, sv))
			continue;
		str_fmt(want, sizeof(want), "src_%s", sv->name);
		for (size_t k = 0; k < tgt->n_volumes && found == NULL; k++)
			if (str_eq(tgt->volumes[k].name, want))
				found = &tgt->volumes[k];
		if (found && found->params &&
		    !strstr(found->params, "\"aws.s3.enable_partitioned_prefix\":\"true\""))
			continue;
		missing++;
		str_fmt(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s%s %s", seen[0] ? "; " : "",
			want, found ? "has the partitioned prefix on" : "is missing");
		if (fix[0] == '\0')
			volume_statement(sv, fix, sizeof(fix));
	}
	if (missing)
		verdict(c, it, CHECK_FAIL, fix, "%s", seen);
	else
		verdict(c, it, CHECK_PASS, NULL, "every source volume in use has its src_ volume");
}

/* --- token --------------------------------------------------------------------- */

static bool
uuid_shaped(const char *t)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (strlen(t) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == '-' ? t[i] != '-' : !isxdigit((unsigned char)t[i]))
			return false;
	return true;
}

/* Ask a source BE's download endpoint: a wrong token gets "invalid token." (facts §3.3). */
static int
token_accepted(struct ctx *c, char *seen, size_t len)
{
	const struct catalog *s = c->cat[SIDE_SOURCE];
	char *path, body[512], err[SRM_ERR_LEN];
	int status;

	for (size_t i = 0; i < s->n_nodes; i++) {
		const struct cat_node *n = &s->nodes[i];
		const char *host;
		int port;

		if (n->kind == NODE_FE || !n->alive || n->http_port <= 0)
			continue;
		hostmap_resolve(&c->cfg->hosts, SIDE_SOURCE, n->host, n->http_port, &host, &port);
		path = xasprintf("/api/_tablet/_download?token=%s&type=V2&file=/srmigrate-token-check",
				 c->cfg->source.token);
		if (net_http_get(host, port, path, PROBE_MS, &status, body, sizeof(body), err,
				 sizeof(err)) != 0) {
			free(path);
			str_fmt(seen, len, "could not ask %s: %s", n->host, err);
			continue;
		}
		free(path);
		if (strstr(body, "invalid token") || strstr(body, "token is not specified")) {
			str_fmt(seen, len, "BE %s refuses it: %.80s", n->host, body);
			return 0;
		}
		str_fmt(seen, len, "BE %s accepts it", n->host);
		return 1;
	}
	return -1;
}

static void
check_token(struct ctx *c)
{
	struct check_item *it = item(c, "token", "Source cluster token");
	const char *t = c->cfg->source.token;
	char seen[EV_TEXT_LEN] = "no live source BE to ask";
	const char *fix = "Set source_cluster_token to the token= line of fe/meta/image/VERSION on a "
			  "source FE (cat fe/meta/image/VERSION | grep token).";
	int ok;

	if (have(c, SIDE_SOURCE) && c->cat[SIDE_SOURCE]->shared_data) {
		verdict(c, it, CHECK_SKIP, NULL, "shared-data source: files are read from object storage");
		return;
	}
	if (t[0] == '\0') {
		verdict(c, it, CHECK_FAIL, fix, "source_cluster_token is empty");
		return;
	}
	if (strpbrk(t, " \t")) {
		verdict(c, it, CHECK_FAIL, fix, "the token contains blanks");
		return;
	}
	if (!have(c, SIDE_SOURCE)) {
		verdict(c, it, CHECK_SKIP, NULL, "set; needs the source cluster to be checked");
		return;
	}
	ok = token_accepted(c, seen, sizeof(seen));
	if (ok == 0)
		verdict(c, it, CHECK_FAIL, fix, "%s", seen);
	else if (ok < 0 || !uuid_shaped(t))
		verdict(c, it, CHECK_WARN, ok < 0 ? fix : NULL, "%s%s", uuid_shaped(t) ? "" :
			"not UUID-shaped (fine if auth_token is set); ", seen);
	else
		verdict(c, it, CHECK_PASS, NULL, "%s", seen);
}

/* --- reachability ------------------------------------------------------------- */

struct probe {
	struct node_reach *r;
	const struct hostmap *hosts;
	int ports[3];
};

static void
probe_one(void *ctx, size_t i, int worker)
{
	struct probe *p = &((struct probe *)ctx)[i];

	(void)worker;
	p->r->ok = true;
	for (int k = 0; k < 3 && p->r->ok; k++) {
		const char *host;
		int port;
		char err[SRM_ERR_LEN];

		if (p->ports[k] <= 0)
			continue;
		hostmap_resolve(p->hosts, p->r->side, p->r->host, p->ports[k], &host, &port);
		if (net_probe(host, port, PROBE_MS, err, sizeof(err)) != 0) {
			p->r->ok = false;
			str_fmt(p->r->detail, sizeof(p->r->detail), "port %d: %s", p->ports[k], err);
		}
	}
}

static void
check_nodes(struct ctx *c)
{
	struct check_item *it = item(c, "nodes", "Every node address mapped and reachable from here");
	struct probe *probes = NULL;
	size_t n = 0, bad = 0;
	char seen[EV_TEXT_LEN] = "", fix[EV_LONG_LEN];

	for (int s = 0; s < 2; s++) {
		const struct catalog *cat = c->cat[s];

		for (size_t i = 0; cat && i < cat->n_nodes; i++) {
			const struct cat_node *nd = &cat->nodes[i];
			struct probe *p;

			/* BEs matter only where data flows from them: a shared-nothing source. */
			if (nd->kind != NODE_FE && (s == SIDE_TARGET || cat->shared_data))
				continue;
			probes = xrealloc(probes, (n + 1) * sizeof(*probes));
			c->pf->nodes = xrealloc(c->pf->nodes, (n + 1) * sizeof(*c->pf->nodes));
			p = &probes[n];
			memset(p, 0, sizeof(*p));
			memset(&c->pf->nodes[n], 0, sizeof(c->pf->nodes[n]));
			c->pf->nodes[n].side = (enum side)s;
			c->pf->nodes[n].kind = nd->kind;
			str_copy(c->pf->nodes[n].host, sizeof(c->pf->nodes[n].host), nd->host);
			p->hosts = &c->cfg->hosts;
			if (nd->kind == NODE_FE) {
				p->ports[0] = nd->query_port;
				p->ports[1] = nd->http_port;
				p->ports[2] = nd->rpc_port;
			} else {
				p->ports[0] = nd->be_port;
				p->ports[1] = nd->http_port;
			}
			n++;
		}
	}
	for (size_t i = 0; i < n; i++)
		probes[i].r = &c->pf->nodes[i];
	c->pf->n_nodes = n;
	par_for(n, 8, probe_one, probes);
	for (size_t i = 0; i < n; i++) {
		const struct node_reach *r = &c->pf->nodes[i];

		if (r->ok)
			continue;
		if (bad++ == 0) {
			str_fmt(seen, sizeof(seen), "%s %s %s: %s", side_name(r->side), node_kind_name(r->kind),
				r->host, r->detail);
			str_fmt(fix, sizeof(fix), "Map the address in hosts.properties, e.g. %s_%s=<address "
				"reachable from here>[;<port>:<port>,...], or open the firewall.",
				side_name(r->side), r->host);
		}
	}
	free(probes);
	if (n == 0)
		verdict(c, it, CHECK_SKIP, NULL, "no cluster read");
	else if (bad)
		verdict(c, it, CHECK_FAIL, fix, "%zu of %zu unreachable; first: %s", bad, n, seen);
	else
		verdict(c, it, CHECK_PASS, NULL, "%zu nodes, every port answers", n);
}

/* --- capacity --------------------------------------------------------------------- */

static void
check_disk(struct ctx *c)
{
	struct check_item *it = item(c, "disk", "Target disks: below the limit, room for the data");
	const struct catalog *t = c->cat[SIDE_TARGET], *s = c->cat[SIDE_SOURCE];
	const struct cat_node *worst = NULL;
	int64_t avail = 0, need = 0, limit = c->cfg->target_cluster_max_disk_used_percent;
	char a[32], b[32];

	if (!have(c, SIDE_TARGET) || !have(c, SIDE_SOURCE)) {
		verdict(c, it, CHECK_SKIP, NULL, "needs both clusters");
		return;
	}
	if (t->shared_data) {
		verdict(c, it, CHECK_SKIP, NULL, "shared-data target: data goes to object storage");
		return;
	}
	for (size_t i = 0; i < t->n_nodes; i++) {
		const struct cat_node *n = &t->nodes[i];

		if (n->kind != NODE_BE)
			continue;
		if (n->avail_bytes > 0)
			avail += n->avail_bytes;
		if (n->disk_pct >= 0 && (worst == NULL || n->disk_pct > worst->disk_pct))
			worst = n;
	}
	for (size_t i = 0; i < s->n_tables; i++)
		if (s->tables[i].bytes > 0)
			need += s->tables[i].bytes;
	if (c->cfg->target_cluster_replication_num > 0)
		need *= c->cfg->target_cluster_replication_num;
	if (worst && worst->disk_pct > (double)limit) {
		verdict(c, it, CHECK_FAIL, "Free space on the target, or raise "
			"target_cluster_max_disk_used_percent.", "BE %s is at %.1f%% (limit %lld%%)",
			worst->host, worst->disk_pct, (long long)limit);
	} else if (avail > 0 && need > avail) {
		verdict(c, it, CHECK_WARN, "Add capacity to the target before the copy fills it.",
			"the source holds %s, the target has %s free", fmt_bytes(a, sizeof(a), need),
			fmt_bytes(b, sizeof(b), avail));
	} else {
		verdict(c, it, CHECK_PASS, NULL, "highest BE use %.1f%% (limit %lld%%); %s free for %s",
			worst ? worst->disk_pct : 0.0, (long long)limit, fmt_bytes(b, sizeof(b), avail),
			fmt_bytes(a, sizeof(a), need));
	}
}

static void
check_replicas(struct ctx *c)
{
	struct check_item *it = item(c, "replicas", "Target: enough live backends for the replicas");
	const struct catalog *t = c->cat[SIDE_TARGET], *s = c->cat[SIDE_SOURCE];
	int64_t live = 0, want = c->cfg->target_cluster_replication_num;

	if (!have(c, SIDE_TARGET) || !have(c, SIDE_SOURCE)) {
		verdict(c, it, CHECK_SKIP, NULL, "needs both clusters");
		return;
	}
	if (t->shared_data) {
		verdict(c, it, CHECK_SKIP, NULL, "shared-data target: no local replicas");
		return;
	}
	for (size_t i = 0; i < t->n_nodes; i++)
		live += t->nodes[i].kind == NODE_BE && t->nodes[i].alive;
	if (want <= 0) {
		/* As the source: the largest replica number among its partitions. */
		for (size_t i = 0; i < s->n_parts; i++)
			if (s->parts[i].replication_num > want)
				want = s->parts[i].replication_num;
	}
	if (want <= 0)
		verdict(c, it, CHECK_SKIP, NULL, "no selected table has partitions yet");
	else if (want > live)
		verdict(c, it, CHECK_FAIL, "Add target backends, or set target_cluster_replication_num.",
			"tables need %lld replicas, the target has %lld live backends", (long long)want,
			(long long)live);
	else
		verdict(c, it, CHECK_PASS, NULL, "%lld replicas, %lld live backends", (long long)want,
			(long long)live);
}

/* 10: what the current policy would drop on the target. */
static void
check_drops(struct ctx *c)
{
	struct check_item *it = item(c, "target_drops", "Target tables that differ and would be dropped");
	struct diff_opts o = { .cfg = c->cfg, .plan_jobs = false };
	struct diff_stats st;
	struct migration m;
	char seen[EV_TEXT_LEN] = "";
	size_t drops = 0;

	if (!have(c, SIDE_TARGET) || !have(c, SIDE_SOURCE)) {
		verdict(c, it, CHECK_SKIP, NULL, "needs both clusters");
		return;
	}
	mig_init(&m);
	diff_run(&m, c->cat[SIDE_SOURCE], c->cat[SIDE_TARGET], &o, &st);
	for (size_t i = 0; i < m.n_ddls; i++) {
		const struct mddl *d = m.ddls[i];

		if (!d->drops)
			continue;
		if (drops++ < 4)
			str_fmt(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s%s %s.%s%s%s",
				seen[0] ? "; " : "", ddl_kind_name(d->kind), d->db, d->table ? d->table : "",
				d->partition ? " " : "", d->partition ? d->partition : "");
	}
	if (drops)
		verdict(c, it, CHECK_WARN, "Review: each drop waits for approval in the TUI (a/x), or set "
			"the ddl_job_allow_drop_* keys to false to keep these objects.",
			"%zu drop%s: %s%s", drops, drops > 1 ? "s" : "", seen, drops > 4 ? "; ..." : "");
	else
		verdict(c, it, CHECK_PASS, NULL, "nothing on the target would be dropped");
	mig_fini(&m);
}

/* Mark a private copy of the list items against every name the source has. */
static void
mark_existing(struct ctx *c, struct filter *local)
{
	struct sql_pool *p = &c->pool[SIDE_SOURCE];
	char err[SRM_ERR_LEN];
	struct sql_res *r = sql_pool_query(p, "SHOW DATABASES", err, sizeof(err));
	GString *q = g_string_new("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.tables "
				  "WHERE TABLE_SCHEMA IN (");
	bool any = false;

	for (size_t i = 0; r && i < sql_rows(r); i++)
		if (sql_cell(r, i, 0))
			filter_mark(local, sql_cell(r, i, 0), NULL);
	sql_res_free(r);
	for (int side = 0; side < 2; side++) {
		const struct filter_item *v = side ? local->exclude : local->include;
		size_t n = side ? local->n_exclude : local->n_include;

		for (size_t i = 0; i < n; i++) {
			char *lit;

			if (v[i].table == NULL)
				continue;
			lit = sql_string(v[i].db);
			g_string_append_printf(q, "%s%s", any ? ", " : "", lit);
			free(lit);
			any = true;
		}
	}
	g_string_append(q, ")");
	r = any ? sql_pool_query(p, q->str, err, sizeof(err)) : NULL;
	for (size_t i = 0; r && i < sql_rows(r); i++) {
		const char *db = sql_cell(r, i, 0), *t = sql_cell(r, i, 1);

		if (db && t)
			filter_mark(local, db, t);
	}
	sql_res_free(r);
	g_string_free(q, TRUE);
}

/* 11: the lists name objects that exist, and something is selected. */
static void
check_filters(struct ctx *c)
{
	struct check_item *it = item(c, "filters", "include/exclude lists name existing objects");
	const struct filter *f = &c->cfg->filter;
	const struct catalog *s = c->cat[SIDE_SOURCE];
	struct filter local = *f;
	char seen[EV_TEXT_LEN] = "";
	size_t unmatched = 0, selected = 0;

	if (!have(c, SIDE_SOURCE)) {
		verdict(c, it, CHECK_SKIP, NULL, "needs the source cluster");
		return;
	}
	for (size_t i = 0; i < s->n_tables; i++)
		selected += s->tables[i].kind == TK_OLAP || s->tables[i].kind == TK_CLOUD_NATIVE;
	/* The items point at the configuration's names; only the flags are ours. */
	local.include = xcalloc(f->n_include + 1, sizeof(*local.include));
	local.exclude = xcalloc(f->n_exclude + 1, sizeof(*local.exclude));
	for (size_t i = 0; i < f->n_include; i++)
		local.include[i] = (struct filter_item){ f->include[i].db, f->include[i].table, false };
	for (size_t i = 0; i < f->n_exclude; i++)
		local.exclude[i] = (struct filter_item){ f->exclude[i].db, f->exclude[i].table, false };
	if (f->n_include + f->n_exclude > 0)
		mark_existing(c, &local);
	for (int side = 0; side < 2; side++) {
		const struct filter_item *v = side ? local.exclude : local.include;
		size_t n = side ? local.n_exclude : local.n_include;

		for (size_t i = 0; i < n; i++) {
			if (v[i].matched)
				continue;
			if (unmatched++ < 4)
				str_fmt(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s%s%s%s",
					seen[0] ? ", " : "", v[i].db, v[i].table ? "." : "",
					v[i].table ? v[i].table : "");
		}
	}
	free(local.include);
	free(local.exclude);
	if (selected == 0)
		verdict(c, it, CHECK_FAIL, "Check include_data_list and exclude_data_list (names are "
			"case-sensitive).", "no table is selected%s%s", unmatched ? "; unknown: " : "", seen);
	else if (unmatched)
		verdict(c, it, CHECK_WARN, "Check the spelling (names are case-sensitive).",
			"%zu tables selected; not on the source: %s", selected, seen);
	else
		verdict(c, it, CHECK_PASS, NULL, "%zu tables selected", selected);
}

void
preflight_run(struct preflight *pf, struct sql_pool pool[2], struct catalog *cat[2],
	      const char *read_err[2], struct srm_config *cfg)
{
	struct ctx c = { .pf = pf, .pool = pool, .cat = cat, .read_err = read_err, .cfg = cfg };

	memset(pf, 0, sizeof(*pf));
	check_login(&c, SIDE_SOURCE);
	check_login(&c, SIDE_TARGET);
	check_path(&c);
	check_settings(&c);
	check_volumes(&c);
	check_token(&c);
	check_nodes(&c);
	check_disk(&c);
	check_replicas(&c);
	check_drops(&c);
	check_filters(&c);
}

void
preflight_free(struct preflight *pf)
{
	free(pf->nodes);
	memset(pf, 0, sizeof(*pf));
}

const struct check_item *
preflight_item(const struct preflight *pf, const char *key)
{
	for (size_t i = 0; i < pf->n_items; i++)
		if (str_eq(pf->items[i].ev.key, key))
			return &pf->items[i];
	return NULL;
}

int
preflight_fix(const struct check_item *it, struct sql_pool pool[2], struct settings *st, char *msg,
	      size_t msglen)
{
	char err[SRM_ERR_LEN];

	if (!it->ev.fixable) {
		str_fmt(msg, msglen, "%s: not something srmigrate can fix; %s", it->ev.key, it->ev.fix);
		return -1;
	}
	if (settings_change(st, &pool[it->fix_side], it->fix_side, it->fix_key, it->fix_value, err,
			    sizeof(err)) != 0) {
		str_fmt(msg, msglen, "%s: %s", it->ev.key, err);
		return -1;
	}
	str_fmt(msg, msglen, "%s: %s set to %s on the %s; add it to fe.conf too", it->ev.key, it->fix_key,
		it->fix_value, it->fix_side == SIDE_SOURCE ? "source" : "target");
	return 0;
}

void
preflight_print(const struct preflight *pf, FILE *out)
{
	for (size_t i = 0; i < pf->n_items; i++) {
		const struct ev_check *e = &pf->items[i].ev;

		fprintf(out, "%-4s  %-16s %s: %s\n", check_status_name(e->status), e->key, e->title, e->seen);
		if (e->fix[0] && (e->status == CHECK_FAIL || e->status == CHECK_WARN))
			fprintf(out, "      fix%s: %s\n", e->fixable ? " (srmigrate check --fix)" : "", e->fix);
	}
	fprintf(out, "%u failed, %u warnings\n", pf->fails, pf->warns);
}
