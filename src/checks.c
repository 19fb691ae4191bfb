/*
 * checks: the pre-flight checklist inside the engine.
 *
 * After the first meta pass the checklist runs as a task (preflight.c). Its
 * items become EV_CHECK events, its reachability results mark the Nodes
 * view, and a FAIL holds the start: the TUI waits for a fix or an explicit
 * override, a headless run ends with status 1 unless --force was given.
 * A fix (one FE setting, recorded first) is a task too, followed by a new run
 * of the checklist.
 */
#include <stdlib.h>
#include <string.h>

#include "srmigrate/engine.h"
#include "srmigrate/log.h"
#include "srmigrate/util.h"

struct checks_task {
	struct task base;
	struct sql_pool *pool;
	struct catalog *cat[2];
	char err[2][EV_TEXT_LEN];
	struct srm_config *cfg;
	struct preflight pf;
};

static void
checks_run(struct task *base)
{
	struct checks_task *t = (struct checks_task *)base;
	const char *errs[2] = { t->err[0], t->err[1] };

	preflight_run(&t->pf, t->pool, t->cat, errs, t->cfg);
}

static void
mark_nodes(struct engine *e)
{
	for (size_t i = 0; i < e->pf.n_nodes; i++) {
		const struct node_reach *r = &e->pf.nodes[i];

		for (size_t k = 0; k < e->n_nodes; k++) {
			struct ev_node *n = &e->nodes[k];

			if (n->side != r->side || n->kind != r->kind || !str_eq(n->name, r->host))
				continue;
			n->reachable = r->ok;
			if (!r->ok)
				str_copy(n->error, sizeof(n->error), r->detail);
			e->node_dirty[k] = true;
		}
	}
}

bool
checks_allow_start(const struct engine *e, char *why, size_t len)
{
	/* Past "stop syncing" the cutover puts settings back on purpose: their checks fail then. */
	if (e->pf.fails == 0 || e->opts.force || e->cut.sync_stopped)
		return true;
	str_fmt(why, len, "%u check%s fail%s: fix %s (f), or start anyway (!)", e->pf.fails,
		e->pf.fails > 1 ? "s" : "", e->pf.fails > 1 ? "" : "s", e->pf.fails > 1 ? "them" : "it");
	return false;
}

static void
checks_done(struct task *base, void *owner)
{
	struct checks_task *t = (struct checks_task *)base;
	struct engine *e = owner;
	char why[EV_TEXT_LEN];

	e->checks_inflight = false;
	preflight_free(&e->pf);
	e->pf = t->pf;
	free(e->check_dirty);
	e->check_dirty = xcalloc(e->pf.n_items + 1, sizeof(bool));
	for (size_t i = 0; i < e->pf.n_items; i++) {
		const struct ev_check *c = &e->pf.items[i].ev;

		e->check_dirty[i] = true;
		if (c->status == CHECK_FAIL || c->status == CHECK_WARN)
			log_msg(c->status == CHECK_FAIL ? LOG_ERROR : LOG_WARN, "check %s %s: %s: %s%s%s",
				check_status_name(c->status), c->key, c->title, c->seen,
				c->fix[0] ? "; fix: " : "", c->fix);
	}
	log_info("checklist: %u failed, %u warnings", e->pf.fails, e->pf.warns);
	mark_nodes(e);
	if (!e->checks_done && !e->continued) {
		if (!checks_allow_start(e, why, sizeof(why))) {
			if (!e->opts.tui)
				engine_finish(e, 1, "%u checks failed: fix them (srmigrate check --fix) or "
					      "start with --force", e->pf.fails);
			else
				engine_set_state(e, ENGINE_WAITING, why);
		} else if (!e->opts.tui) {
			if (e->pf.fails && e->cut.sync_stopped)
				log_warn("%u failed checks do not hold a cutover past stop syncing", e->pf.fails);
			else if (e->pf.fails)
				log_warn("starting over %u failed checks (--force)", e->pf.fails);
			e->continued = true;
		}
	}
	e->checks_done = true;
	catalog_unref(t->cat[0]);
	catalog_unref(t->cat[1]);
	free(t);
}

void
checks_start(struct engine *e)
{
	struct checks_task *t = xcalloc(1, sizeof(*t));

	t->base.run = checks_run;
	t->base.done = checks_done;
	t->pool = e->pool;
	t->cfg = e->cfg;
	for (int s = 0; s < 2; s++) {
		t->cat[s] = e->cat[s] ? catalog_ref(e->cat[s]) : NULL;
		str_copy(t->err[s], sizeof(t->err[s]), e->health[s].error);
	}
	e->checks_inflight = true;
	taskpool_submit(&e->tp, &t->base);
}

struct fix_task {
	struct task base;
	struct check_item item;
	struct sql_pool *pool;
	struct settings *settings;
	int rc;
	char msg[EV_TEXT_LEN];
};

static void
fix_run(struct task *base)
{
	struct fix_task *t = (struct fix_task *)base;

	t->rc = preflight_fix(&t->item, t->pool, t->settings, t->msg, sizeof(t->msg));
}

static void
fix_done(struct task *base, void *owner)
{
	struct fix_task *t = (struct fix_task *)base;
	struct engine *e = owner;

	e->fix_inflight = false;
	if (t->rc == 0)
		log_warn("fixed: %s", t->msg);
	else
		log_error("fix failed: %s", t->msg);
	checks_again(e);
	free(t);
}

void
checks_again(struct engine *e)
{
	/* The checks read the FE configuration the pass brings: it must be fresh. */
	e->recheck_wanted = true;
	e->next_meta = now_ms();
}

int
checks_fix(struct engine *e, const char *key, char *msg, size_t msglen)
{
	const struct check_item *it = preflight_item(&e->pf, key);
	struct fix_task *t;

	if (e->opts.readonly) {
		str_copy(msg, msglen, "read-only: no setting is changed");
		return -1;
	}
	if (it == NULL) {
		str_fmt(msg, msglen, "no check '%s'", key);
		return -1;
	}
	if (!it->ev.fixable) {
		str_fmt(msg, msglen, "%s cannot be fixed by srmigrate: %s", key, it->ev.fix);
		return -1;
	}
	if (e->fix_inflight) {
		str_copy(msg, msglen, "another fix is running; try again in a moment");
		return -1;
	}
	t = xcalloc(1, sizeof(*t));
	t->base.run = fix_run;
	t->base.done = fix_done;
	t->item = *it;
	t->pool = e->pool;
	t->settings = e->settings;
	e->fix_inflight = true;
	taskpool_submit(&e->tp, &t->base);
	str_fmt(msg, msglen, "fixing %s: %s = %s on the %s", key, it->fix_key, it->fix_value,
		it->fix_side == SIDE_SOURCE ? "source" : "target");
	return 0;
}
