/*
 * model: events applied to the UI's own copy of the engine's state (see
 * model.h). Only the UI thread calls these.
 */
#include "model.h"

#include <glib.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/util.h"

/* Texts of rows: one shared empty string, so a row's text is never NULL. */
static char empty_text[1];

static void
text_set(char **dst, const char *src, size_t cap)
{
	size_t len = strnlen(src, cap);

	if (*dst != NULL && strncmp(*dst, src, len) == 0 && (*dst)[len] == '\0')
		return;
	if (*dst != empty_text)
		free(*dst);
	*dst = len ? xstrndup(src, len) : empty_text;
}

static void
text_drop(char **p)
{
	if (*p != empty_text)
		free(*p);
	*p = NULL;
}

static void
table_drop(void *row)
{
	struct m_table *t = row;

	text_drop(&t->name);
	text_drop(&t->reason);
}

static void
job_drop(void *row)
{
	struct m_job *j = row;

	text_drop(&j->table);
	text_drop(&j->error);
}

static void
ddl_drop(void *row)
{
	struct m_ddl *d = row;

	text_drop(&d->target);
	text_drop(&d->statement);
	text_drop(&d->error);
}

void
model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
	coll_init(&m->c[MK_JOBS], sizeof(struct m_job), job_drop);
	coll_init(&m->c[MK_TABLES], sizeof(struct m_table), table_drop);
	coll_init(&m->c[MK_DDL], sizeof(struct m_ddl), ddl_drop);
	coll_init(&m->c[MK_NODES], sizeof(struct ev_node), NULL);
	coll_init(&m->c[MK_CHECKS], sizeof(struct ev_check), NULL);
	m->deferred = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, free);
}

void
model_fini(struct model *m)
{
	for (int k = 0; k < MK_N; k++)
		coll_fini(&m->c[k]);
	g_hash_table_destroy(m->deferred);
	m->deferred = NULL;
}

static void
apply_table(struct coll *c, const struct ev_table *e)
{
	struct m_table *t = coll_upsert(c, e->id);

	t->state = e->state;
	t->partitions = e->partitions;
	t->lagging = e->lagging;
	t->attempts = e->attempts;
	t->src_version = e->src_version;
	t->tgt_version = e->tgt_version;
	t->src_rows = e->src_rows;
	t->tgt_rows = e->tgt_rows;
	t->src_bytes = e->src_bytes;
	t->tgt_bytes = e->tgt_bytes;
	t->lag_bytes = e->lag_bytes;
	t->synced_ms = e->synced_ms;
	text_set(&t->name, e->name, sizeof(e->name));
	text_set(&t->reason, e->reason, sizeof(e->reason));
}

static void
apply_job(struct coll *c, const struct ev_job *e)
{
	struct m_job *j = coll_upsert(c, e->id);

	j->table_id = e->table_id;
	j->state = e->state;
	j->partitions = e->partitions;
	j->attempts = e->attempts;
	j->bytes = e->bytes;
	j->created_ms = e->created_ms;
	j->sent_ms = e->sent_ms;
	j->ended_ms = e->ended_ms;
	str_copy(j->fe_state, sizeof(j->fe_state), e->fe_state);
	str_copy(j->fe_progress, sizeof(j->fe_progress), e->fe_progress);
	str_copy(j->job_id, sizeof(j->job_id), e->job_id);
	text_set(&j->table, e->table, sizeof(e->table));
	text_set(&j->error, e->error, sizeof(e->error));
}

static void
apply_ddl(struct model *m, const struct ev_ddl *e)
{
	struct m_ddl *d = coll_upsert(&m->c[MK_DDL], e->id);

	/* A new row is zeroed: DDL_QUEUED, so it counts as not held. */
	m->ddl_held += (e->state == DDL_HELD) - (d->state == DDL_HELD);
	d->table_id = e->table_id;
	d->state = e->state;
	d->drops_data = e->drops_data;
	d->attempts = e->attempts;
	d->queued_ms = e->queued_ms;
	d->done_ms = e->done_ms;
	text_set(&d->target, e->target, sizeof(e->target));
	text_set(&d->statement, e->statement, sizeof(e->statement));
	text_set(&d->error, e->error, sizeof(e->error));
}

/* The row event's copy keeps the engine's guarantee: texts end in NUL. */
#define COPY_TERMINATED(dst, src) \
	do { \
		(dst) = (src); \
		(dst).name[sizeof((dst).name) - 1] = '\0'; \
	} while (0)

static void
apply_forget(struct model *m, const struct ev_forget *f)
{
	static const int kind_of[] = {
		[FORGET_TABLE] = MK_TABLES, [FORGET_JOB] = MK_JOBS,
		[FORGET_DDL] = MK_DDL, [FORGET_NODE] = MK_NODES,
	};

	if (f->kind == FORGET_ALL_CHECKS) {
		coll_clear(&m->c[MK_CHECKS]);
		return;
	}
	if (f->kind == FORGET_DDL) {
		const struct m_ddl *d = coll_get(&m->c[MK_DDL], f->id);

		if (d != NULL && d->state == DDL_HELD)
			m->ddl_held--;
	}
	if ((unsigned)f->kind < ARRAY_LEN(kind_of))
		coll_forget(&m->c[kind_of[f->kind]], f->id);
}

/* The key of an object event in the deferred map, or -1: not an object of a pane. */
static int64_t
deferred_key(const struct event *ev)
{
	switch (ev->type) {
	case EV_TABLE: return ((int64_t)MK_TABLES << 32) | ev->u.table.id;
	case EV_JOB: return ((int64_t)MK_JOBS << 32) | ev->u.job.id;
	case EV_DDL: return ((int64_t)MK_DDL << 32) | ev->u.ddl.id;
	case EV_NODE: return ((int64_t)MK_NODES << 32) | ev->u.node.id;
	case EV_FORGET:
		switch (ev->u.forget.kind) {
		case FORGET_TABLE: return ((int64_t)MK_TABLES << 32) | ev->u.forget.id;
		case FORGET_JOB: return ((int64_t)MK_JOBS << 32) | ev->u.forget.id;
		case FORGET_DDL: return ((int64_t)MK_DDL << 32) | ev->u.forget.id;
		case FORGET_NODE: return ((int64_t)MK_NODES << 32) | ev->u.forget.id;
		default: return -1;
		}
	default:
		return -1;
	}
}

/* Kept while frozen: only the bytes of the event's own variant. */
struct deferred {
	int64_t key;		/* the map's key points here */
	size_t size;
	unsigned char ev[];
};

static size_t
event_size(const struct event *ev)
{
	size_t head = offsetof(struct event, u);

	switch (ev->type) {
	case EV_TABLE: return head + sizeof(ev->u.table);
	case EV_JOB: return head + sizeof(ev->u.job);
	case EV_DDL: return head + sizeof(ev->u.ddl);
	case EV_NODE: return head + sizeof(ev->u.node);
	case EV_FORGET: return head + sizeof(ev->u.forget);
	default: return sizeof(*ev);
	}
}

static void
defer(struct model *m, int64_t key, const struct event *ev)
{
	size_t size = event_size(ev);
	struct deferred *d = xmalloc(sizeof(*d) + size);

	d->key = key;
	d->size = size;
	memcpy(d->ev, ev, size);
	/* replace, not insert: the old key lives in the old value, freed now. */
	g_hash_table_replace(m->deferred, &d->key, d);
}

bool
model_apply(struct model *m, const struct event *ev)
{
	m->applied++;
	if (m->frozen) {
		int64_t key = deferred_key(ev);

		if (key >= 0) {
			defer(m, key, ev);
			return true;	/* the FROZEN note counts what waits */
		}
	}
	switch (ev->type) {
	case EV_ENGINE:
		m->engine = ev->u.engine;
		m->engine.reason[sizeof(m->engine.reason) - 1] = '\0';
		m->have_engine = true;
		break;
	case EV_CLUSTER: {
		int s = ev->u.cluster.side == SIDE_TARGET ? 1 : 0;

		m->cluster[s] = ev->u.cluster;
		m->cluster[s].error[sizeof(m->cluster[s].error) - 1] = '\0';
		m->have_cluster[s] = true;
		break;
	}
	case EV_NODE: {
		struct ev_node *n = coll_upsert(&m->c[MK_NODES], ev->u.node.id);

		COPY_TERMINATED(*n, ev->u.node);
		break;
	}
	case EV_TABLE:
		apply_table(&m->c[MK_TABLES], &ev->u.table);
		break;
	case EV_JOB:
		apply_job(&m->c[MK_JOBS], &ev->u.job);
		break;
	case EV_DDL:
		apply_ddl(m, &ev->u.ddl);
		break;
	case EV_PROGRESS:
		m->progress = ev->u.progress;
		m->have_progress = true;
		break;
	case EV_LOG:
		m->log = ev->u.log;
		m->log.text[sizeof(m->log.text) - 1] = '\0';
		m->have_log = true;
		m->warnings += ev->u.log.level == LOG_WARN;
		m->errors += ev->u.log.level == LOG_ERROR;
		break;
	case EV_CHECK: {
		struct ev_check *c = coll_upsert(&m->c[MK_CHECKS], ev->u.check.index);

		*c = ev->u.check;
		c->title[sizeof(c->title) - 1] = '\0';
		c->seen[sizeof(c->seen) - 1] = '\0';
		c->fix[sizeof(c->fix) - 1] = '\0';
		c->key[sizeof(c->key) - 1] = '\0';
		break;
	}
	case EV_CUTOVER:
		m->cutover = ev->u.cutover;
		m->cutover.gate[sizeof(m->cutover.gate) - 1] = '\0';
		m->cutover.result[sizeof(m->cutover.result) - 1] = '\0';
		m->have_cutover = true;
		break;
	case EV_FORGET:
		apply_forget(m, &ev->u.forget);
		break;
	case EV_QUIT:
		m->quit = ev->u.quit;
		m->quit.reason[sizeof(m->quit.reason) - 1] = '\0';
		m->have_quit = true;
		break;
	default:
		m->applied--;
		return false;
	}
	return true;
}

void
model_freeze(struct model *m, bool frozen)
{
	GHashTableIter it;
	gpointer v;

	if (m->frozen == frozen)
		return;
	m->frozen = frozen;
	if (frozen)
		return;
	/* Objects are independent: the order in which they thaw does not matter. */
	g_hash_table_iter_init(&it, m->deferred);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		const struct deferred *d = v;
		struct event ev;

		memset(&ev, 0, sizeof(ev));
		memcpy(&ev, d->ev, d->size);
		model_apply(m, &ev);
		m->applied--;	/* counted once, when it arrived */
	}
	g_hash_table_remove_all(m->deferred);
}

size_t
model_deferred(const struct model *m)
{
	return g_hash_table_size(m->deferred);
}
