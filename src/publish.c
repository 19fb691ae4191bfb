/*
 * publish: engine state -> events on the consumer's ring.
 *
 * Coalescing policy: objects carry a dirty flag; publish_flush() sends the
 * current state of dirty objects until the ring is full and resumes where
 * it stopped at the next call, so a consumer that falls behind gets the
 * latest state of everything, never a backlog of stale ones. Log lines are
 * the only events that are not state: when there is no room they wait in
 * the log tap, and what overflows it is counted and announced.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/engine.h"
#include "srmigrate/log.h"
#include "srmigrate/util.h"

static bool
push(struct engine *e, const struct event *ev)
{
	return ring_push(e->events, ev);
}

static bool
flush_engine(struct engine *e)
{
	struct event ev = { .type = EV_ENGINE };

	if (!e->pub_engine)
		return true;
	ev.u.engine.state = e->state;
	ev.u.engine.readonly = e->opts.readonly;
	ev.u.engine.forced = e->opts.force;
	str_copy(ev.u.engine.reason, sizeof(ev.u.engine.reason), e->reason);
	if (!push(e, &ev))
		return false;
	e->pub_engine = false;
	return true;
}

static bool
flush_cluster(struct engine *e, enum side s)
{
	struct event ev = { .type = EV_CLUSTER };
	struct ev_cluster *c = &ev.u.cluster;
	const struct cluster_cfg *cc = s == SIDE_SOURCE ? &e->cfg->source : &e->cfg->target;

	if (!e->pub_cluster[s])
		return true;
	c->side = s;
	c->connected = e->health[s].connected;
	c->last_ok_ms = e->health[s].last_ok_ms;
	str_fmt(c->address, sizeof(c->address), "%s:%lld", cc->fe_host, (long long)cc->query_port);
	if (e->cat[s] && e->cat[s]->version_known) {
		str_copy(c->version, sizeof(c->version), e->cat[s]->version.text);
		str_copy(c->run_mode, sizeof(c->run_mode),
			 e->cat[s]->shared_data ? "shared_data" : "shared_nothing");
	}
	str_copy(c->error, sizeof(c->error), e->health[s].error);
	if (!push(e, &ev))
		return false;
	e->pub_cluster[s] = false;
	return true;
}

static bool
flush_progress(struct engine *e)
{
	struct event ev = { .type = EV_PROGRESS };

	if (!e->pub_progress)
		return true;
	progress_compute(&e->prog, &e->mig, now_ms(), &ev.u.progress);
	ev.u.progress.passes = e->passes;
	ev.u.progress.pass_ms = e->pass_ms;
	ev.u.progress.last_pass_ms = e->last_pass_wall;
	ev.u.progress.next_pass_ms = wall_ms() + (e->next_meta > now_ms() ? e->next_meta - now_ms() : 0);
	ev.u.progress.quiet_passes = e->quiet_passes;
	if (!push(e, &ev))
		return false;
	e->pub_progress = false;
	return true;
}

static bool
flush_nodes(struct engine *e)
{
	for (size_t i = 0; i < e->n_nodes; i++) {
		struct event ev = { .type = EV_NODE };

		if (!e->node_dirty[i])
			continue;
		ev.u.node = e->nodes[i];
		if (!push(e, &ev))
			return false;
		e->node_dirty[i] = false;
	}
	return true;
}

static bool
flush_checks(struct engine *e)
{
	for (size_t i = 0; i < e->pf.n_items; i++) {
		struct event ev = { .type = EV_CHECK };

		if (!e->check_dirty[i])
			continue;
		ev.u.check = e->pf.items[i].ev;
		if (!push(e, &ev))
			return false;
		e->check_dirty[i] = false;
	}
	return true;
}

static bool
flush_cutover(struct engine *e)
{
	struct event ev = { .type = EV_CUTOVER };
	struct ev_cutover *c = &ev.u.cutover;

	if (!e->pub_cutover)
		return true;
	c->step = e->cut.step;
	c->open = e->cut.open;
	c->busy = e->cut.busy;
	c->quiet_passes = e->quiet_passes;
	c->quiet_needed = (uint32_t)e->cfg->cutover_quiet_rounds;
	str_copy(c->gate, sizeof(c->gate), e->cut.gate);
	str_copy(c->result, sizeof(c->result), e->cut.result);
	if (!push(e, &ev))
		return false;
	e->pub_cutover = false;
	return true;
}

static bool
flush_forgets(struct engine *e)
{
	size_t i = 0;

	while (i < e->n_forgets && push(e, &e->forgets[i]))
		i++;
	if (i > 0) {
		memmove(e->forgets, e->forgets + i, (e->n_forgets - i) * sizeof(*e->forgets));
		e->n_forgets -= i;
	}
	return e->n_forgets == 0;
}

/* Objects of one kind, from the cursor on, wrapping once. */
#define FLUSH_OBJECTS(e, arr, n, cursor, fill)                                          \
	do {                                                                            \
		size_t n_ = (n);                                                        \
		for (size_t k_ = 0; k_ < n_; k_++) {                                    \
			size_t i_ = ((cursor) + k_) % n_;                               \
			struct event ev_;                                               \
			if (!(arr)[i_]->dirty)                                          \
				continue;                                               \
			fill;                                                           \
			if (!push((e), &ev_)) {                                         \
				(cursor) = i_;                                          \
				return;                                                 \
			}                                                               \
			(arr)[i_]->dirty = false;                                       \
		}                                                                       \
	} while (0)

static void
flush_logs(struct engine *e)
{
	struct ev_log logs[64];
	size_t free_slots = ring_capacity(e->events) - ring_count(e->events), dropped = 0, n;

	if (free_slots == 0)
		return;
	n = log_drain(logs, free_slots < ARRAY_LEN(logs) ? free_slots : ARRAY_LEN(logs), &dropped);
	e->logs_dropped += dropped;
	for (size_t i = 0; i < n; i++) {
		struct event ev = { .type = EV_LOG };

		ev.u.log = logs[i];
		if (!push(e, &ev))
			e->logs_dropped++;	/* raced with our own count: lose it, count it */
	}
	if (e->logs_dropped && ring_capacity(e->events) > ring_count(e->events)) {
		struct event ev = { .type = EV_LOG };

		ev.u.log.time_ms = wall_ms();
		ev.u.log.level = LOG_WARN;
		str_fmt(ev.u.log.text, sizeof(ev.u.log.text),
			"%llu log lines were not shown here (the display fell behind); see sync.INFO.log",
			(unsigned long long)e->logs_dropped);
		if (push(e, &ev))
			e->logs_dropped = 0;
	}
}

/* Jobs and DDL entries gone from the model leave the view. */
static void
forget_gone(struct engine *e)
{
	uint32_t *jobs, *ddls;
	size_t n_jobs, n_ddls;

	mig_take_gone(&e->mig, &jobs, &n_jobs, &ddls, &n_ddls);
	for (size_t i = 0; i < n_jobs; i++)
		publish_forget(e, FORGET_JOB, jobs[i]);
	for (size_t i = 0; i < n_ddls; i++)
		publish_forget(e, FORGET_DDL, ddls[i]);
	free(jobs);
	free(ddls);
}

void
publish_flush(struct engine *e)
{
	struct migration *m = &e->mig;

	forget_gone(e);
	if (!flush_engine(e) || !flush_cluster(e, SIDE_SOURCE) || !flush_cluster(e, SIDE_TARGET) ||
	    !flush_forgets(e) || !flush_checks(e) || !flush_cutover(e) || !flush_progress(e) ||
	    !flush_nodes(e))
		return;
	FLUSH_OBJECTS(e, m->ddls, m->n_ddls, e->pub_cursor[2], mig_ddl_event(m->ddls[i_], &ev_));
	FLUSH_OBJECTS(e, m->jobs, m->n_jobs, e->pub_cursor[1], mig_job_event(m, m->jobs[i_], &ev_));
	FLUSH_OBJECTS(e, m->tables, m->n_tables, e->pub_cursor[0], mig_table_event(m->tables[i_], &ev_));
	flush_logs(e);
}

void
publish_forget(struct engine *e, enum forget_kind kind, uint32_t id)
{
	struct event ev = { .type = EV_FORGET };

	ev.u.forget.kind = kind;
	ev.u.forget.id = id;
	e->forgets = xrealloc(e->forgets, (e->n_forgets + 1) * sizeof(*e->forgets));
	e->forgets[e->n_forgets++] = ev;
}

static uint32_t
node_id(struct engine *e, enum side s, const struct cat_node *n)
{
	char *key = xasprintf("%d|%d|%s|%d", (int)s, (int)n->kind, n->host,
			      n->kind == NODE_FE ? n->query_port : n->be_port);
	gpointer id;

	if (e->node_ids == NULL)
		e->node_ids = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	id = g_hash_table_lookup(e->node_ids, key);
	if (id == NULL) {
		id = GUINT_TO_POINTER(++e->next_node_id);
		g_hash_table_insert(e->node_ids, key, id);
	} else {
		free(key);
	}
	return GPOINTER_TO_UINT(id);
}

/* "127.0.0.1:19030" for one mapped port, ":19030" when the host repeats. */
static void
mapped(struct engine *e, enum side s, const char *host, const int *ports, size_t n, char *out,
       size_t len)
{
	const char *first = NULL;
	size_t w = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && w < len; i++) {
		const char *h;
		int p;

		if (ports[i] <= 0)
			continue;
		hostmap_resolve(&e->cfg->hosts, s, host, ports[i], &h, &p);
		if (first && str_eq(first, h))
			w += (size_t)snprintf(out + w, len - w, " :%d", p);
		else
			w += (size_t)snprintf(out + w, len - w, "%s%s:%d", first ? " " : "", h, p);
		first = h;
	}
}

void
publish_nodes(struct engine *e)
{
	size_t n = 0, cap = 0;
	struct ev_node *nodes = NULL;

	for (int s = 0; s < 2; s++) {
		const struct catalog *c = e->cat[s];

		for (size_t i = 0; c && i < c->n_nodes; i++) {
			const struct cat_node *cn = &c->nodes[i];
			struct ev_node *v;
			int ports[3];

			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				nodes = xrealloc(nodes, cap * sizeof(*nodes));
			}
			v = &nodes[n++];
			memset(v, 0, sizeof(*v));
			v->id = node_id(e, (enum side)s, cn);
			v->side = (enum side)s;
			v->kind = cn->kind;
			v->alive = cn->alive;
			v->reachable = -1;
			v->is_leader = cn->is_leader;
			v->disk_pct = cn->disk_pct;
			str_copy(v->name, sizeof(v->name), cn->host);
			if (cn->kind == NODE_FE) {
				ports[0] = cn->query_port;
				ports[1] = cn->http_port;
				ports[2] = cn->rpc_port;
			} else {
				ports[0] = cn->be_port;
				ports[1] = cn->http_port;
				ports[2] = 0;
			}
			if (ports[2])
				str_fmt(v->ports, sizeof(v->ports), "%d %d %d", ports[0], ports[1], ports[2]);
			else
				str_fmt(v->ports, sizeof(v->ports), "%d %d", ports[0], ports[1]);
			mapped(e, (enum side)s, cn->host, ports, 3, v->mapped, sizeof(v->mapped));
			str_copy(v->error, sizeof(v->error), cn->error ? cn->error : "");
		}
	}
	/* Nodes that went away leave the view. */
	for (size_t i = 0; i < e->n_nodes; i++) {
		bool kept = false;

		for (size_t k = 0; k < n && !kept; k++)
			kept = nodes[k].id == e->nodes[i].id;
		if (!kept)
			publish_forget(e, FORGET_NODE, e->nodes[i].id);
	}
	/* Keep what the checks learnt about reachability. */
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < e->n_nodes; i++)
			if (nodes[k].id == e->nodes[i].id)
				nodes[k].reachable = e->nodes[i].reachable;
	free(e->nodes);
	free(e->node_dirty);
	e->nodes = nodes;
	e->n_nodes = n;
	e->node_dirty = xcalloc(n ? n : 1, sizeof(bool));
	for (size_t k = 0; k < n; k++)
		e->node_dirty[k] = true;
}
