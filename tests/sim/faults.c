/*
 * faults: the fault switches of one cluster.
 */
#include "faults.h"

#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "load.h"
#include "node.h"
#include "sim.h"
#include "stats.h"
#include "simutil.h"

/* pthread locks rather than GMutex throughout srsim: ThreadSanitizer sees
 * through pthread locks, not through glib's futex-based ones. */
struct faults {
	pthread_mutex_t lock;
	uint64_t rng;			/* splitmix64 state for job_abort_probability */
	int64_t rpc_error_every, rpc_calls;
	bool rpc_exception;
	int64_t rpc_hang_ms, rpc_hang_every;
	double job_abort_probability;
	char **job_abort_tables, **job_abort_first;
	GHashTable *attempted;		/* "db.tbl" seen by job_abort_first */
	char *job_abort_reason;
	int64_t drop_every, drop_after, results;
	int64_t slow_ms;
	GHashTable *malformed;		/* kind -> GUINT mode bits */
};

void
flt_init(struct cluster *c)
{
	struct faults *f = g_new0(struct faults, 1);

	pthread_mutex_init(&f->lock, NULL);
	f->rng = world.seed * 2 + (uint64_t)c->side + 1;
	f->attempted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	f->malformed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	f->drop_after = 1;
	f->rpc_hang_every = 1;
	c->flt = f;
}

void
flt_free(struct cluster *c)
{
	struct faults *f = c->flt;

	if (!f)
		return;
	g_strfreev(f->job_abort_tables);
	g_strfreev(f->job_abort_first);
	g_hash_table_destroy(f->attempted);
	g_hash_table_destroy(f->malformed);
	g_free(f->job_abort_reason);
	pthread_mutex_destroy(&f->lock);
	g_free(f);
	c->flt = NULL;
}

static bool
num(const char *v, int64_t lo, int64_t hi, int64_t *out, char *msg, size_t n)
{
	if (!su_parse_i64(v, out) || *out < lo || *out > hi) {
		snprintf(msg, n, "Set config failed: For input string: \"%s\"", v);
		return false;
	}
	return true;
}

/* "i" or "i:value" for per-node switches; i is the node index. */
static struct node *
node_arg(struct cluster *c, enum node_kind kind, const char *v, char *msg, size_t n)
{
	int64_t i;
	int cnt = kind == NODE_FE ? c->nfe : kind == NODE_BE ? c->nbe : c->ncn;
	struct node *base = kind == NODE_FE ? c->fes : kind == NODE_BE ? c->bes : c->cns;

	if (!num(v, 0, cnt - 1, &i, msg, n))
		return NULL;
	return &base[i];
}

static bool
set_malformed(struct faults *f, const char *v, char *msg, size_t n)
{
	static const struct { const char *name; unsigned bit; } modes[] = {
		{ "nonnumeric", FLT_MAL_NONNUMERIC }, { "negative", FLT_MAL_NEGATIVE }, { "huge", FLT_MAL_HUGE },
		{ "nulls", FLT_MAL_NULLS }, { "missing_column", FLT_MAL_MISSING_COLUMN },
		{ "wrong_count", FLT_MAL_WRONG_COUNT }, { "long_string", FLT_MAL_LONG_STRING },
	};
	char **items = su_split(v, ',');
	bool ok = true;

	g_hash_table_remove_all(f->malformed);
	for (char **it = items; *it && ok; it++) {
		char *colon = strchr(*it, ':');
		unsigned bit = 0;
		if (colon) {
			*colon = '\0';
			for (size_t i = 0; i < SU_LEN(modes); i++)
				if (su_ieq(colon + 1, modes[i].name))
					bit = modes[i].bit;
		}
		if (!bit) {
			snprintf(msg, n, "Set config failed: sim_malformed wants kind:mode[,kind:mode], got \"%s\"", v);
			ok = false;
			break;
		}
		char *kind = g_ascii_strdown(*it, -1);
		unsigned old = GPOINTER_TO_UINT(g_hash_table_lookup(f->malformed, kind));
		g_hash_table_insert(f->malformed, kind, GUINT_TO_POINTER(old | bit));
	}
	g_strfreev(items);
	return ok;
}

bool
flt_set(struct cluster *c, const char *key, const char *value, char *msg, size_t n)
{
	struct faults *f = c->flt;
	const char *k = g_str_has_prefix(key, "sim_") ? key + 4 : key;
	int64_t v = 0;
	bool ok = true;
	struct node *nd;

	msg[0] = '\0';
	pthread_mutex_lock(&f->lock);
	if (!strcmp(k, "rpc_error_every")) {
		ok = num(value, 0, INT32_MAX, &f->rpc_error_every, msg, n);
		f->rpc_calls = 0;
	} else if (!strcmp(k, "rpc_error_mode")) {
		ok = su_ieq(value, "close") || su_ieq(value, "exception");
		f->rpc_exception = su_ieq(value, "exception");
		if (!ok)
			snprintf(msg, n, "Set config failed: sim_rpc_error_mode is close or exception");
	} else if (!strcmp(k, "rpc_hang_ms")) {
		ok = num(value, 0, 3600000, &f->rpc_hang_ms, msg, n);
	} else if (!strcmp(k, "rpc_hang_every")) {
		ok = num(value, 1, INT32_MAX, &f->rpc_hang_every, msg, n);
	} else if (!strcmp(k, "job_abort_probability")) {
		double p = g_ascii_strtod(value, NULL);
		ok = p >= 0 && p <= 1;
		f->job_abort_probability = p;
		if (!ok)
			snprintf(msg, n, "Set config failed: a probability is within [0, 1]");
	} else if (!strcmp(k, "job_abort_tables")) {
		g_strfreev(f->job_abort_tables);
		f->job_abort_tables = su_split(value, ',');
	} else if (!strcmp(k, "job_abort_first_attempt")) {
		g_strfreev(f->job_abort_first);
		f->job_abort_first = su_split(value, ',');
		g_hash_table_remove_all(f->attempted);
	} else if (!strcmp(k, "job_abort_reason")) {
		g_free(f->job_abort_reason);
		f->job_abort_reason = *value ? g_strdup(value) : NULL;
	} else if (!strcmp(k, "drop_result_every")) {
		ok = num(value, 0, INT32_MAX, &f->drop_every, msg, n);
		f->results = 0;
	} else if (!strcmp(k, "drop_result_after_rows")) {
		ok = num(value, 0, INT32_MAX, &f->drop_after, msg, n);
	} else if (!strcmp(k, "slow_ms")) {
		ok = num(value, 0, 600000, &f->slow_ms, msg, n);
	} else if (!strcmp(k, "malformed")) {
		ok = set_malformed(f, value, msg, n);
	} else if (!strcmp(k, "stall_seconds")) {
		/* the FE named by sim_stall_fe (default: the leader) stops answering */
		const char *which = g_hash_table_lookup(c->cfg.sim, "sim_stall_fe");
		int64_t idx = atomic_load(&c->leader);
		double secs = g_ascii_strtod(value, NULL);
		if (which)
			su_parse_i64(which, &idx);
		ok = secs >= 0 && idx >= -1 && idx < c->nfe;
		for (int i = 0; ok && i < c->nfe; i++)
			if (idx == -1 || idx == i)
				atomic_store(&c->fes[i].stall_until, su_now_ms() + (int64_t)(secs * 1000));
		if (!ok)
			snprintf(msg, n, "Set config failed: bad sim_stall_seconds or sim_stall_fe");
	} else if (!strcmp(k, "stall_fe")) {
		ok = num(value, -1, c->nfe - 1, &v, msg, n);
	} else if (!strcmp(k, "leader")) {
		ok = num(value, 0, c->nfe - 1, &v, msg, n);
		if (ok)
			atomic_store(&c->leader, (int)v);
	} else if (!strcmp(k, "fe_down") || !strcmp(k, "fe_up")) {
		if ((nd = node_arg(c, NODE_FE, value, msg, n)))
			node_set_down(nd, !strcmp(k, "fe_down"));
		ok = nd != NULL;
	} else if (!strcmp(k, "be_down") || !strcmp(k, "be_up")) {
		if ((nd = node_arg(c, NODE_BE, value, msg, n)))
			node_set_down(nd, !strcmp(k, "be_down"));
		ok = nd != NULL;
	} else if (!strcmp(k, "cn_down") || !strcmp(k, "cn_up")) {
		if ((nd = node_arg(c, NODE_CN, value, msg, n)))
			node_set_down(nd, !strcmp(k, "cn_down"));
		ok = nd != NULL;
	} else if (!strcmp(k, "disk_used_pct")) {
		/* "N" for every BE, "i:N" for BE i */
		const char *colon = strchr(value, ':');
		if (colon) {
			char *idx = g_strndup(value, (size_t)(colon - value));
			nd = node_arg(c, NODE_BE, idx, msg, n);
			g_free(idx);
			ok = nd && num(colon + 1, 0, 100, &v, msg, n);
			if (ok)
				atomic_store(&nd->disk_pct, (int)v);
		} else {
			ok = num(value, 0, 100, &v, msg, n);
			for (int i = 0; ok && i < c->nbe; i++)
				atomic_store(&c->bes[i].disk_pct, (int)v);
			for (int i = 0; ok && i < c->ncn; i++)
				atomic_store(&c->cns[i].disk_pct, (int)v);
		}
	} else if (!strcmp(k, "snapshot_latency") || !strcmp(k, "publish_delay") || !strcmp(k, "init_delay") ||
		   !strcmp(k, "version_retention")) {
		/* timings of the replication steps (simulated seconds); the caller holds the world lock */
		double secs;
		ok = su_parse_duration(value, &secs);
		if (ok)
			*(!strcmp(k, "snapshot_latency") ? &world.snapshot_latency
			  : !strcmp(k, "publish_delay") ? &world.publish_delay
			  : !strcmp(k, "version_retention") ? &world.version_retention : &world.init_delay) = secs;
		else
			snprintf(msg, n, "Set config failed: a duration such as 10s, got \"%s\"", value);
	} else if (!strcmp(k, "stats_reset")) {
		bool on;
		ok = su_parse_bool(value, &on);
		if (ok && on)
			stats_reset();
		else if (!ok)
			snprintf(msg, n, "Set config failed: sim_stats_reset is true or false, got \"%s\"", value);
	} else if (!strcmp(k, "load_pause")) {
		bool on;
		ok = su_parse_bool(value, &on);
		if (ok)
			load_pause(c->side, on);
		else
			snprintf(msg, n, "Set config failed: sim_load_pause is true or false, got \"%s\"", value);
	} else if (!strcmp(k, "copy_speed")) {
		ok = su_parse_size(value, &v) && v > 0;
		if (ok)
			world.copy_speed = v;
		else
			snprintf(msg, n, "Set config failed: a size per second such as 100MB, got \"%s\"", value);
	} else {
		ok = false;	/* unknown: the caller answers "does not exist" */
	}
	if (ok)
		g_hash_table_insert(c->cfg.sim, g_strconcat("sim_", k, NULL), g_strdup(value));
	pthread_mutex_unlock(&f->lock);
	return ok;
}

enum flt_rpc
flt_rpc(struct cluster *c, int *hang_ms)
{
	struct faults *f = c->flt;
	enum flt_rpc r = FLT_RPC_OK;

	pthread_mutex_lock(&f->lock);
	f->rpc_calls++;
	*hang_ms = f->rpc_hang_ms > 0 && f->rpc_calls % f->rpc_hang_every == 0 ? (int)f->rpc_hang_ms : 0;
	if (f->rpc_error_every > 0 && f->rpc_calls % f->rpc_error_every == 0)
		r = f->rpc_exception ? FLT_RPC_EXCEPTION : FLT_RPC_CLOSE;
	pthread_mutex_unlock(&f->lock);
	return r;
}

static bool
listed(char **list, const char *name)
{
	for (char **p = list; p && *p; p++)
		if (strcmp(*p, name) == 0)
			return true;
	return false;
}

bool
flt_job_abort(struct cluster *c, const char *db, const char *tbl, char *reason, size_t n)
{
	struct faults *f = c->flt;
	char *name = g_strdup_printf("%s.%s", db, tbl);
	bool abort = false;

	pthread_mutex_lock(&f->lock);
	if (listed(f->job_abort_tables, name))
		abort = true;
	if (listed(f->job_abort_first, name) && !g_hash_table_contains(f->attempted, name)) {
		g_hash_table_add(f->attempted, g_strdup(name));
		abort = true;
	}
	f->rng += 0x9e3779b97f4a7c15ULL;
	if (f->job_abort_probability > 0 && (double)(su_mix(f->rng) >> 11) / 9007199254740992.0 < f->job_abort_probability)
		abort = true;
	if (abort)
		snprintf(reason, n, "%s", f->job_abort_reason ? f->job_abort_reason
				    : "replicate snapshot failed: remote snapshot task failed on backend (simulated fault)");
	pthread_mutex_unlock(&f->lock);
	g_free(name);
	return abort;
}

int64_t
flt_result_cut(struct cluster *c)
{
	struct faults *f = c->flt;
	int64_t cut = -1;

	pthread_mutex_lock(&f->lock);
	if (f->drop_every > 0 && ++f->results % f->drop_every == 0)
		cut = f->drop_after;
	pthread_mutex_unlock(&f->lock);
	return cut;
}

int
flt_slow_ms(struct cluster *c)
{
	struct faults *f = c->flt;

	pthread_mutex_lock(&f->lock);
	int ms = (int)f->slow_ms;
	pthread_mutex_unlock(&f->lock);
	return ms;
}

unsigned
flt_malformed(struct cluster *c, const char *kind, const char *table)
{
	struct faults *f = c->flt;
	unsigned bits = 0;

	pthread_mutex_lock(&f->lock);
	if (g_hash_table_size(f->malformed)) {
		bits |= GPOINTER_TO_UINT(g_hash_table_lookup(f->malformed, "all"));
		if (kind)
			bits |= GPOINTER_TO_UINT(g_hash_table_lookup(f->malformed, kind));
		if (table)
			bits |= GPOINTER_TO_UINT(g_hash_table_lookup(f->malformed, table));
	}
	pthread_mutex_unlock(&f->lock);
	return bits;
}
