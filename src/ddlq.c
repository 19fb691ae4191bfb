/*
 * ddlq: run the DDL queue on the target, ddl_job_batch_size statements
 * every ddl_job_interval_seconds.
 *
 * Entries run in queue order, and an entry waits while an earlier one for
 * the same table (or, for CREATE TABLE, its database) is still open, so
 * "drop then add" and "create database then table" keep their order. A
 * held drop waits for the operator; a skipped drop blocks its table and
 * cancels what depended on it. A failed statement keeps its error and is
 * tried again with backoff.
 */
#include <glib.h>
#include <mysqld_error.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/ddl.h"
#include "srmigrate/engine.h"
#include "srmigrate/log.h"
#include "srmigrate/meta.h"
#include "srmigrate/util.h"

#define DDL_BACKOFF_MAX_MS (10 * 60 * 1000)

struct ddl_item {
	uint32_t id;
	enum ddl_kind kind;
	char *db, *table, *partition;
	char *prepared;		/* the statement it was queued with, or NULL */
	/* Result. */
	bool ran, ok, already;	/* already: the object was there (treated as done) */
	char *statement;
	char error[EV_TEXT_LEN];
};

struct ddl_task {
	struct task base;
	struct sql_pool *pool[2];
	struct catalog *src, *tgt;	/* references */
	struct ddl_rules rules;
	struct ddl_item *items;
	size_t n_items;
};

void *
ddlq_show_cache_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
}

void
ddlq_show_cache_free(void *cache)
{
	g_hash_table_destroy(cache);
}

struct ddl_rules
ddlq_rules(const struct srm_config *cfg, const struct catalog *src, const struct catalog *tgt)
{
	return (struct ddl_rules){
		.target_shared_data = tgt->shared_data,
		.source_shared_data = src->shared_data,
		.replication_num = cfg->target_cluster_replication_num,
		.persistent_index = cfg->target_cluster_enable_persistent_index,
		.builtin_volume_only = cfg->target_cluster_use_builtin_storage_volume_only,
		.storage_volume = cfg->target_cluster_storage_volume,
	};
}

char *
ddlq_statement(struct sql_conn *src_conn, const struct catalog *src, const struct ddl_rules *rules,
	       enum ddl_kind kind, const char *db, const char *table, const char *partition,
	       void *show_cache, char *err, size_t errlen)
{
	char *show, *key;

	switch (kind) {
	case DDL_CREATE_DB:
		return ddl_create_database(db);
	case DDL_DROP_DB:
		return ddl_drop_database(db);
	case DDL_DROP_TABLE:
		return ddl_drop_table(db, table);
	case DDL_DROP_PARTITION:
		return ddl_drop_partition(db, table, partition);
	case DDL_DROP_VIEW:
		return ddl_drop_view(db, table);
	case DDL_DROP_MV:
		return ddl_drop_mv(db, table);
	case DDL_CREATE_INDEX:
	case DDL_DROP_INDEX:
	case DDL_SET_PROPERTY:
		/* Queued with their statement: reaching here is a bug, not a guess to make. */
		str_fmt(err, errlen, "%s has no statement", ddl_kind_name(kind));
		return NULL;
	case DDL_CREATE_TABLE:
	case DDL_ADD_PARTITION:
	case DDL_CREATE_VIEW:
	case DDL_CREATE_MV:
		break;
	}
	key = xasprintf("%s\x1f%s", db, table);
	show = g_hash_table_lookup(show_cache, key);
	if (show == NULL) {
		show = meta_show_create(src_conn, db, table, err, errlen);
		if (show == NULL) {
			free(key);
			return NULL;
		}
		g_hash_table_insert(show_cache, key, show);
	} else {
		free(key);
	}
	if (kind == DDL_CREATE_TABLE)
		return ddl_create_table(show, db, table, rules, err, errlen);
	if (kind == DDL_CREATE_VIEW)
		return ddl_create_view(show, db, table, err, errlen);
	if (kind == DDL_CREATE_MV)
		return ddl_create_mv(show, db, table, rules, err, errlen);

	const struct cat_table *st = catalog_table(src, db, table);
	const struct cat_part *sp = st ? catalog_part(src, st, partition) : NULL;

	if (sp == NULL) {
		str_fmt(err, errlen, "partition %s is no longer on the source", partition);
		return NULL;
	}
	struct ddl_partition part = { .db = db, .table = table, .name = partition, .value = sp->value,
				      .dist_key = sp->dist_key, .buckets = sp->buckets };

	return ddl_add_partition(show, &part, rules, err, errlen);
}

/* Errors that mean the statement's effect is already there. */
static bool
already_there(const struct ddl_item *it, unsigned err)
{
	switch (it->kind) {
	case DDL_CREATE_TABLE:
		return err == ER_TABLE_EXISTS_ERROR;
	case DDL_ADD_PARTITION:
		return err == ER_SAME_NAME_PARTITION;
	case DDL_CREATE_VIEW:
	case DDL_CREATE_MV:
		return err == ER_TABLE_EXISTS_ERROR;
	default:
		return false;
	}
}

/*
 * A view's query names its tables as its author wrote them: with the view's
 * database current, an unqualified name means on the target what it meant
 * on the source.
 */
static int
use_db(struct sql_conn *conn, const char *db, char *err, size_t errlen)
{
	char *q = sql_ident(db), *sql = xasprintf("USE %s", q);
	int rc = sql_exec(conn, sql, err, errlen);

	free(sql);
	free(q);
	return rc;
}

static void
ddl_run_task(struct task *base)
{
	struct ddl_task *t = (struct ddl_task *)base;
	void *cache = ddlq_show_cache_new();
	GHashTable *failed_tables = g_hash_table_new(g_str_hash, g_str_equal);
	struct sql_conn *src = NULL, *tgt = NULL;
	char err[EV_TEXT_LEN];

	tgt = sql_get(t->pool[SIDE_TARGET], err, sizeof(err));
	src = sql_get(t->pool[SIDE_SOURCE], err, sizeof(err));
	for (size_t i = 0; i < t->n_items; i++) {
		struct ddl_item *it = &t->items[i];

		/* A later statement of a table whose earlier one failed waits. */
		if (it->table && g_hash_table_contains(failed_tables, it->table))
			continue;
		it->ran = true;
		if (tgt == NULL || src == NULL) {
			str_copy(it->error, sizeof(it->error), err);
			continue;
		}
		it->statement = it->prepared ? xstrdup(it->prepared)
					     : ddlq_statement(src, t->src, &t->rules, it->kind, it->db, it->table,
							      it->partition, cache, it->error, sizeof(it->error));
		if (it->statement && (it->kind == DDL_CREATE_VIEW || it->kind == DDL_CREATE_MV) &&
		    use_db(tgt, it->db, it->error, sizeof(it->error)) != 0) {
			free(it->statement);
			it->statement = NULL;
		}
		if (it->statement && sql_exec(tgt, it->statement, it->error, sizeof(it->error)) == 0) {
			it->ok = true;
		} else if (it->statement && already_there(it, sql_errno(tgt))) {
			it->ok = it->already = true;
		}
		if (!it->ok && it->table)
			g_hash_table_add(failed_tables, it->table);
	}
	sql_put(t->pool[SIDE_TARGET], tgt);
	sql_put(t->pool[SIDE_SOURCE], src);
	ddlq_show_cache_free(cache);
	g_hash_table_destroy(failed_tables);
}

/* A statement on one line, for the log (CREATE TABLE text spans many). */
static char *
one_line(const char *sql)
{
	char *s = xstrdup(sql), *w = s;
	bool blank = false;

	for (const char *r = sql; *r; r++) {
		bool sp = *r == '\n' || *r == '\r' || *r == '\t' || *r == ' ';

		if (sp && blank)
			continue;
		*w++ = sp ? ' ' : *r;
		blank = sp;
	}
	*w = '\0';
	return s;
}

static void
ddl_done(struct task *base, void *owner)
{
	struct ddl_task *t = (struct ddl_task *)base;
	struct engine *e = owner;
	bool any_ok = false;

	e->ddl_inflight = false;
	for (size_t i = 0; i < t->n_items; i++) {
		struct ddl_item *it = &t->items[i];
		struct mddl *d = mig_ddl_by_id(&e->mig, it->id);

		if (d && it->statement && !d->prepared) {
			free(d->statement);
			d->statement = xstrdup(it->statement);
		}
		if (d == NULL || !it->ran) {
			if (d && d->state == DDL_RUNNING)
				mig_ddl_state(&e->mig, d, DDL_QUEUED);
		} else if (it->ok) {
			char *line = one_line(it->statement);

			d->error[0] = '\0';
			mig_ddl_state(&e->mig, d, DDL_DONE);
			any_ok = true;
			log_info("DDL done%s: %s", it->already ? " (it was already there)" : "", line);
			free(line);
		} else {
			char *line = it->statement ? one_line(it->statement) : NULL;

			int64_t wait = e->cfg->ddl_job_interval_seconds * 1000;

			d->attempts++;
			for (uint32_t k = 1; k < d->attempts && wait < DDL_BACKOFF_MAX_MS; k++)
				wait *= 2;
			d->retry_at_ms = now_ms() + (wait < DDL_BACKOFF_MAX_MS ? wait : DDL_BACKOFF_MAX_MS);
			str_copy(d->error, sizeof(d->error), it->error);
			mig_ddl_state(&e->mig, d, DDL_FAILED);
			log_error("DDL failed (attempt %u): %s: %s", d->attempts,
				  line ? line : ddl_kind_name(d->kind), it->error);
			free(line);
		}
		free(it->db);
		free(it->table);
		free(it->partition);
		free(it->prepared);
		free(it->statement);
	}
	if (any_ok)
		e->confirm_wanted = true;
	e->pub_progress = true;
	catalog_unref(t->src);
	catalog_unref(t->tgt);
	free(t->items);
	free(t);
}

/* May @d run now, given the entries before it? */
static bool
eligible(const struct migration *m, size_t pos, int64_t now)
{
	const struct mddl *d = m->ddls[pos];

	if (d->state == DDL_FAILED ? now < d->retry_at_ms : d->state != DDL_QUEUED)
		return false;
	for (size_t i = 0; i < pos; i++) {
		const struct mddl *p = m->ddls[i];

		/* A view or materialized view may read tables of any database: they come first. */
		if ((d->kind == DDL_CREATE_VIEW || d->kind == DDL_CREATE_MV) && mig_ddl_open(p) &&
		    (p->kind == DDL_CREATE_DB || p->kind == DDL_CREATE_TABLE || p->kind == DDL_DROP_TABLE))
			return false;

		if (!mig_ddl_open(p) || !str_eq(p->db, d->db))
			continue;
		if (p->kind == DDL_CREATE_DB)
			return false;	/* the database first */
		if (d->kind == DDL_CREATE_DB || d->kind == DDL_DROP_DB)
			return false;	/* whole-database statements wait for the rest */
		if (p->table && d->table && str_eq(p->table, d->table))
			return false;
	}
	return true;
}

void
ddlq_run(struct engine *e)
{
	struct migration *m = &e->mig;
	struct ddl_task *t;
	int64_t now = now_ms();

	if (e->ddl_inflight || e->cat[SIDE_SOURCE] == NULL || e->cat[SIDE_TARGET] == NULL)
		return;
	t = xcalloc(1, sizeof(*t));
	t->items = xcalloc((size_t)e->cfg->ddl_job_batch_size, sizeof(*t->items));
	for (size_t i = 0; i < m->n_ddls && t->n_items < (size_t)e->cfg->ddl_job_batch_size; i++) {
		struct mddl *d = m->ddls[i];
		struct ddl_item *it;

		if (!eligible(m, i, now))
			continue;
		it = &t->items[t->n_items++];
		it->id = d->id;
		it->kind = d->kind;
		it->db = xstrdup(d->db);
		it->table = d->table ? xstrdup(d->table) : NULL;
		it->partition = d->partition ? xstrdup(d->partition) : NULL;
		it->prepared = d->prepared ? xstrdup(d->statement) : NULL;
		mig_ddl_state(m, d, DDL_RUNNING);
	}
	if (t->n_items == 0) {
		free(t->items);
		free(t);
		return;
	}
	t->base.run = ddl_run_task;
	t->base.done = ddl_done;
	t->pool[0] = &e->pool[0];
	t->pool[1] = &e->pool[1];
	t->src = catalog_ref(e->cat[SIDE_SOURCE]);
	t->tgt = catalog_ref(e->cat[SIDE_TARGET]);
	t->rules = ddlq_rules(e->cfg, t->src, t->tgt);
	e->ddl_inflight = true;
	e->pub_progress = true;
	taskpool_submit(&e->tp, &t->base);
}

int
ddlq_approve(struct engine *e, uint32_t id, bool approve, char *msg, size_t msglen)
{
	struct migration *m = &e->mig;
	struct mddl *d = mig_ddl_by_id(m, id);
	struct mtable *t;

	if (d == NULL) {
		str_fmt(msg, msglen, "no DDL entry %u", id);
		return -1;
	}
	if (d->state != DDL_HELD) {
		str_fmt(msg, msglen, "DDL %u is %s, not held", id, ddl_state_name(d->state));
		return -1;
	}
	t = d->table_id ? mig_table_by_id(m, d->table_id) : NULL;
	if (approve) {
		mig_ddl_state(m, d, DDL_QUEUED);
		log_warn("operator approved: %s %s.%s%s%s", ddl_kind_name(d->kind), d->db,
			 d->table ? d->table : "", d->partition ? " " : "", d->partition ? d->partition : "");
		str_fmt(msg, msglen, "approved DDL %u", id);
		return 0;
	}
	mig_ddl_state(m, d, DDL_SKIPPED);
	/* What came after it for the same object cannot run as planned. */
	for (size_t i = 0; i < m->n_ddls; i++) {
		struct mddl *x = m->ddls[i];

		if (x != d && mig_ddl_open(x) && x->id > d->id && str_eq(x->db, d->db) &&
		    (d->table == NULL || (x->table && str_eq(x->table, d->table))))
			mig_ddl_state(m, x, DDL_SKIPPED);
	}
	if (t) {
		t->blocked = true;
		str_fmt(t->reason, sizeof(t->reason), "%s skipped by the operator", ddl_kind_name(d->kind));
		t->state = TABLE_BLOCKED;
		t->dirty = true;
	}
	log_warn("operator skipped: %s %s%s%s", ddl_kind_name(d->kind), d->db, d->table ? "." : "",
		 d->table ? d->table : "");
	str_fmt(msg, msglen, "skipped DDL %u", id);
	return 0;
}
