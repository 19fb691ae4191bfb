/* migration: the engine's lasting state (see migration.h). */
#include "srmigrate/migration.h"

#include <glib.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/util.h"

void
mig_init(struct migration *m)
{
	memset(m, 0, sizeof(*m));
	m->table_by_name = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	m->table_by_id = g_hash_table_new(g_direct_hash, g_direct_equal);
	m->job_by_id = g_hash_table_new(g_direct_hash, g_direct_equal);
	m->job_by_fe_id = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	m->noted = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	m->new_notes = g_ptr_array_new_with_free_func(free);
	m->recreated = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	m->next_table_id = m->next_job_id = m->next_ddl_id = 1;
	m->cycle = 1;
}

static void
job_free(struct mjob *j)
{
	for (uint32_t i = 0; i < j->n_partitions; i++)
		free(j->partitions[i]);
	free(j->partitions);
	free(j);
}

static void
ddl_free(struct mddl *d)
{
	free(d->db);
	free(d->table);
	free(d->partition);
	free(d->statement);
	free(d);
}

void
ddl_wants_free(struct ddl_want *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(w[i].object);
		free(w[i].create);
		free(w[i].drop);
	}
	free(w);
}

static void
table_free(struct mtable *t)
{
	free(t->schema_change);
	ddl_wants_free(t->wants, t->n_wants);
	free(t->db);
	free(t->name);
	free(t->display);
	free(t);
}

void
mig_fini(struct migration *m)
{
	for (size_t i = 0; i < m->n_tables; i++)
		table_free(m->tables[i]);
	for (size_t i = 0; i < m->n_jobs; i++)
		job_free(m->jobs[i]);
	for (size_t i = 0; i < m->n_ddls; i++)
		ddl_free(m->ddls[i]);
	free(m->tables);
	free(m->jobs);
	free(m->ddls);
	g_hash_table_destroy(m->table_by_name);
	g_hash_table_destroy(m->table_by_id);
	g_hash_table_destroy(m->job_by_id);
	g_hash_table_destroy(m->job_by_fe_id);
	g_hash_table_destroy(m->noted);
	g_ptr_array_free(m->new_notes, TRUE);
	g_hash_table_destroy(m->recreated);
	free(m->gone_jobs);
	free(m->gone_ddls);
	memset(m, 0, sizeof(*m));
}

bool
mig_note(struct migration *m, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (g_hash_table_contains(m->noted, text)) {
		g_free(text);
		return false;
	}
	g_hash_table_add(m->noted, xstrdup(text));
	g_ptr_array_add(m->new_notes, xstrdup(text));
	g_free(text);
	return true;
}

char *
mig_take_note(struct migration *m)
{
	GPtrArray *a = m->new_notes;

	return a->len ? g_ptr_array_steal_index(a, 0) : NULL;
}

unsigned
mig_recreated(struct migration *m, enum ddl_kind kind, const char *db, const char *name, bool count)
{
	char *key = xasprintf("%d\x1f%s\x1f%s", (int)kind, db, name);
	unsigned n = GPOINTER_TO_UINT(g_hash_table_lookup(m->recreated, key));

	if (count)
		g_hash_table_insert(m->recreated, key, GUINT_TO_POINTER(++n));
	else
		free(key);
	return n;
}

static void
gone(uint32_t **ids, size_t *n, uint32_t id)
{
	*ids = xrealloc(*ids, (*n + 1) * sizeof(**ids));
	(*ids)[(*n)++] = id;
}

void
mig_take_gone(struct migration *m, uint32_t **jobs, size_t *n_jobs, uint32_t **ddls, size_t *n_ddls)
{
	*jobs = m->gone_jobs;
	*n_jobs = m->n_gone_jobs;
	*ddls = m->gone_ddls;
	*n_ddls = m->n_gone_ddls;
	m->gone_jobs = m->gone_ddls = NULL;
	m->n_gone_jobs = m->n_gone_ddls = 0;
}

/* Forget a job's index entries and free it. */
static void
job_drop(struct migration *m, struct mjob *j)
{
	gone(&m->gone_jobs, &m->n_gone_jobs, j->id);
	g_hash_table_remove(m->job_by_id, GUINT_TO_POINTER(j->id));
	if (j->fe_job_id[0] && g_hash_table_lookup(m->job_by_fe_id, j->fe_job_id) == j)
		g_hash_table_remove(m->job_by_fe_id, j->fe_job_id);
	job_free(j);
}

static void
ddl_drop(struct migration *m, struct mddl *d)
{
	gone(&m->gone_ddls, &m->n_gone_ddls, d->id);
	ddl_free(d);
}

static char *
name_key(const char *db, const char *name)
{
	return xasprintf("%s\x1f%s", db, name);
}

struct mtable *
mig_table(struct migration *m, const char *db, const char *name, bool create)
{
	char *k = name_key(db, name);
	struct mtable *t = g_hash_table_lookup(m->table_by_name, k);

	if (t || !create) {
		free(k);
		return t;
	}
	t = xcalloc(1, sizeof(*t));
	t->id = m->next_table_id++;
	t->db = xstrdup(db);
	t->name = xstrdup(name);
	t->display = xasprintf("%s.%s", db, name);
	t->state = TABLE_UNKNOWN;
	t->tgt_version = -1;
	t->dirty = true;
	g_hash_table_insert(m->table_by_name, k, t);
	g_hash_table_insert(m->table_by_id, GUINT_TO_POINTER(t->id), t);
	m->tables = xrealloc(m->tables, (m->n_tables + 1) * sizeof(*m->tables));
	m->tables[m->n_tables++] = t;
	return t;
}

struct mtable *
mig_table_by_id(struct migration *m, uint32_t id)
{
	return g_hash_table_lookup(m->table_by_id, GUINT_TO_POINTER(id));
}

struct mtable *
mig_table_by_display(struct migration *m, const char *display)
{
	for (size_t i = 0; i < m->n_tables; i++)
		if (str_eq(m->tables[i]->display, display))
			return m->tables[i];
	return NULL;
}

void
mig_table_remove(struct migration *m, struct mtable *t)
{
	char *k = name_key(t->db, t->name);
	size_t w = 0;

	for (size_t i = 0; i < m->n_jobs; i++) {
		if (m->jobs[i]->table_id == t->id)
			job_drop(m, m->jobs[i]);
		else
			m->jobs[w++] = m->jobs[i];
	}
	m->n_jobs = w;
	w = 0;
	for (size_t i = 0; i < m->n_ddls; i++) {
		if (m->ddls[i]->table_id == t->id)
			ddl_drop(m, m->ddls[i]);
		else
			m->ddls[w++] = m->ddls[i];
	}
	m->n_ddls = w;
	g_hash_table_remove(m->table_by_name, k);
	g_hash_table_remove(m->table_by_id, GUINT_TO_POINTER(t->id));
	free(k);
	for (size_t i = 0; i < m->n_tables; i++) {
		if (m->tables[i] == t) {
			memmove(&m->tables[i], &m->tables[i + 1], (m->n_tables - i - 1) * sizeof(*m->tables));
			m->n_tables--;
			break;
		}
	}
	table_free(t);
}

/* New work after a finished cycle opens the next one. */
static void
new_work(struct migration *m)
{
	if (m->cycle_done) {
		m->cycle++;
		m->cycle_done = false;
	}
}

struct mjob *
mig_job_new(struct migration *m, struct mtable *t)
{
	struct mjob *j = xcalloc(1, sizeof(*j));

	new_work(m);
	j->id = m->next_job_id++;
	j->table_id = t->id;
	j->state = JOB_PENDING;
	j->cycle = m->cycle;
	j->created_ms = wall_ms();
	j->dirty = true;
	m->jobs = xrealloc(m->jobs, (m->n_jobs + 1) * sizeof(*m->jobs));
	m->jobs[m->n_jobs++] = j;
	g_hash_table_insert(m->job_by_id, GUINT_TO_POINTER(j->id), j);
	t->jobs_open++;
	return j;
}

struct mjob *
mig_job_by_id(struct migration *m, uint32_t id)
{
	return g_hash_table_lookup(m->job_by_id, GUINT_TO_POINTER(id));
}

struct mjob *
mig_job_by_fe_id(struct migration *m, const char *fe_job_id)
{
	return g_hash_table_lookup(m->job_by_fe_id, fe_job_id);
}

void
mig_job_set_partitions(struct mjob *j, char *const *names, size_t n)
{
	for (uint32_t i = 0; i < j->n_partitions; i++)
		free(j->partitions[i]);
	free(j->partitions);
	j->partitions = xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		j->partitions[i] = xstrdup(names[i]);
	j->n_partitions = (uint32_t)n;
}

void
mig_job_set_fe_id(struct migration *m, struct mjob *j, const char *id)
{
	if (j->fe_job_id[0] && g_hash_table_lookup(m->job_by_fe_id, j->fe_job_id) == j)
		g_hash_table_remove(m->job_by_fe_id, j->fe_job_id);
	str_copy(j->fe_job_id, sizeof(j->fe_job_id), id);
	if (id[0])
		g_hash_table_insert(m->job_by_fe_id, xstrdup(id), j);
	j->dirty = true;
}

void
mig_job_new_fe_id(struct migration *m, struct mjob *j)
{
	char id[48];

	/* The shape the official tool uses: <epoch ms>-<n> (label REPLICATION_<db>_<tbl>_<id>). */
	str_fmt(id, sizeof(id), "%lld-%llu", (long long)wall_ms(), (unsigned long long)m->job_seq++);
	mig_job_set_fe_id(m, j, id);
}

bool
mig_job_open(const struct mjob *j)
{
	return j->state == JOB_PENDING || j->state == JOB_SENT || j->state == JOB_RUNNING ||
	       j->state == JOB_FAILED;
}

void
mig_job_state(struct migration *m, struct mjob *j, enum job_state st)
{
	struct mtable *t = mig_table_by_id(m, j->table_id);
	bool was = mig_job_open(j);

	j->state = st;
	j->dirty = true;
	if (t && was != mig_job_open(j)) {
		if (was)
			t->jobs_open--;
		else
			t->jobs_open++;
		t->dirty = true;
	}
	if (!mig_job_open(j) && j->ended_ms == 0)
		j->ended_ms = wall_ms();
}

void
mig_job_delete(struct migration *m, struct mjob *j)
{
	struct mtable *t = mig_table_by_id(m, j->table_id);

	if (t && mig_job_open(j))
		t->jobs_open--;
	for (size_t i = 0; i < m->n_jobs; i++) {
		if (m->jobs[i] == j) {
			memmove(&m->jobs[i], &m->jobs[i + 1], (m->n_jobs - i - 1) * sizeof(*m->jobs));
			m->n_jobs--;
			break;
		}
	}
	job_drop(m, j);
}

/* A job of a past cycle that ended before @before_ms (wall clock). */
static bool
job_expired(const struct migration *m, const struct mjob *j, int64_t before_ms)
{
	return !mig_job_open(j) && j->cycle != m->cycle && j->ended_ms && j->ended_ms < before_ms;
}

void
mig_jobs_prune(struct migration *m, int64_t before_ms)
{
	size_t w = 0;

	for (size_t i = 0; i < m->n_jobs; i++) {
		struct mjob *j = m->jobs[i];

		if (job_expired(m, j, before_ms))
			job_drop(m, j);
		else
			m->jobs[w++] = j;
	}
	m->n_jobs = w;
}

struct mddl *
mig_ddl_add(struct migration *m, enum ddl_kind kind, struct mtable *t, const char *db,
	    const char *table, const char *partition)
{
	struct mddl *d = xcalloc(1, sizeof(*d));

	new_work(m);
	d->id = m->next_ddl_id++;
	d->table_id = t ? t->id : 0;
	d->kind = kind;
	d->state = DDL_QUEUED;
	d->cycle = m->cycle;
	d->db = xstrdup(db);
	d->table = table ? xstrdup(table) : NULL;
	d->partition = partition ? xstrdup(partition) : NULL;
	d->drops = ddl_kind_drops(kind);
	d->queued_ms = wall_ms();
	d->dirty = true;
	m->ddls = xrealloc(m->ddls, (m->n_ddls + 1) * sizeof(*m->ddls));
	m->ddls[m->n_ddls++] = d;
	if (t)
		t->ddl_open++;
	return d;
}

bool
mig_ddl_open(const struct mddl *d)
{
	return d->state != DDL_DONE && d->state != DDL_SKIPPED;
}

void
mig_ddl_state(struct migration *m, struct mddl *d, enum ddl_state st)
{
	struct mtable *t = d->table_id ? mig_table_by_id(m, d->table_id) : NULL;
	bool was = mig_ddl_open(d);

	d->state = st;
	d->dirty = true;
	if (t && was != mig_ddl_open(d)) {
		if (was)
			t->ddl_open--;
		else
			t->ddl_open++;
		t->dirty = true;
	}
	if (!mig_ddl_open(d))
		d->done_ms = wall_ms();
}

struct mddl *
mig_ddl_by_id(struct migration *m, uint32_t id)
{
	for (size_t i = 0; i < m->n_ddls; i++)
		if (m->ddls[i]->id == id)
			return m->ddls[i];
	return NULL;
}

static bool
opt_eq(const char *a, const char *b)
{
	return a == b || (a && b && str_eq(a, b));
}

struct mddl *
mig_ddl_find(struct migration *m, enum ddl_kind kind, const char *db, const char *table,
	     const char *partition)
{
	for (size_t i = 0; i < m->n_ddls; i++) {
		struct mddl *d = m->ddls[i];

		if (d->kind == kind && mig_ddl_open(d) &&
		    str_eq(d->db, db) && opt_eq(d->table, table) && opt_eq(d->partition, partition))
			return d;
	}
	return NULL;
}

struct mddl *
mig_ddl_skipped(struct migration *m, enum ddl_kind kind, const char *db, const char *table,
		const char *partition)
{
	for (size_t i = 0; i < m->n_ddls; i++) {
		struct mddl *d = m->ddls[i];

		if (d->kind == kind && d->state == DDL_SKIPPED && str_eq(d->db, db) &&
		    opt_eq(d->table, table) && opt_eq(d->partition, partition))
			return d;
	}
	return NULL;
}

/* Done in a past cycle, before @before_ms (skipped ones stay: the operator's word is remembered). */
static bool
ddl_expired(const struct migration *m, const struct mddl *d, int64_t before_ms)
{
	return d->state == DDL_DONE && d->cycle != m->cycle && d->done_ms < before_ms;
}

void
mig_ddl_prune(struct migration *m, int64_t before_ms)
{
	size_t w = 0;

	for (size_t i = 0; i < m->n_ddls; i++) {
		struct mddl *d = m->ddls[i];

		if (ddl_expired(m, d, before_ms))
			ddl_drop(m, d);
		else
			m->ddls[w++] = d;
	}
	m->n_ddls = w;
}

void
mig_ddl_delete(struct migration *m, struct mddl *d)
{
	struct mtable *t = d->table_id ? mig_table_by_id(m, d->table_id) : NULL;

	if (t && mig_ddl_open(d))
		t->ddl_open--;
	for (size_t i = 0; i < m->n_ddls; i++) {
		if (m->ddls[i] == d) {
			memmove(&m->ddls[i], &m->ddls[i + 1], (m->n_ddls - i - 1) * sizeof(*m->ddls));
			m->n_ddls--;
			break;
		}
	}
	ddl_drop(m, d);
}

const char *
ddl_kind_name(enum ddl_kind k)
{
	static const char *const n[] = {
		[DDL_CREATE_DB] = "create database", [DDL_CREATE_TABLE] = "create table",
		[DDL_ADD_PARTITION] = "add partition", [DDL_DROP_PARTITION] = "drop partition",
		[DDL_DROP_TABLE] = "drop table", [DDL_DROP_DB] = "drop database",
		[DDL_CREATE_INDEX] = "create index", [DDL_DROP_INDEX] = "drop index",
		[DDL_SET_PROPERTY] = "set property", [DDL_CREATE_VIEW] = "create view",
		[DDL_DROP_VIEW] = "drop view", [DDL_CREATE_MV] = "create materialized view",
		[DDL_DROP_MV] = "drop materialized view",
	};
	return (size_t)k < ARRAY_LEN(n) ? n[k] : "?";
}

/* Every drop waits for the operator when drops must be confirmed, not only those of data. */
bool
ddl_kind_drops(enum ddl_kind k)
{
	return k == DDL_DROP_PARTITION || k == DDL_DROP_TABLE || k == DDL_DROP_DB || k == DDL_DROP_INDEX ||
	       k == DDL_DROP_VIEW || k == DDL_DROP_MV;
}

void
mig_table_event(const struct mtable *t, struct event *ev)
{
	struct ev_table *e = &ev->u.table;

	memset(ev, 0, sizeof(*ev));
	ev->type = EV_TABLE;
	e->id = t->id;
	e->state = t->state;
	e->partitions = t->partitions;
	e->lagging = t->lagging;
	e->src_version = t->src_version;
	e->tgt_version = t->tgt_version;
	e->src_rows = t->src_rows;
	e->tgt_rows = t->tgt_rows;
	e->src_bytes = t->src_bytes;
	e->tgt_bytes = t->tgt_bytes;
	e->lag_bytes = t->lag_bytes;
	e->attempts = t->failures;
	e->synced_ms = t->synced_ms;
	str_copy(e->name, sizeof(e->name), t->display);
	str_copy(e->reason, sizeof(e->reason), t->reason);
}

void
mig_job_event(const struct migration *m, const struct mjob *j, struct event *ev)
{
	struct ev_job *e = &ev->u.job;
	const struct mtable *t = g_hash_table_lookup(m->table_by_id, GUINT_TO_POINTER(j->table_id));

	memset(ev, 0, sizeof(*ev));
	ev->type = EV_JOB;
	e->id = j->id;
	e->table_id = j->table_id;
	e->state = j->state;
	e->partitions = j->n_partitions;
	e->attempts = j->attempts;
	e->bytes = j->bytes;
	e->created_ms = j->created_ms;
	e->sent_ms = j->sent_ms;
	e->ended_ms = j->ended_ms;
	str_copy(e->fe_state, sizeof(e->fe_state), j->fe_state);
	str_copy(e->fe_progress, sizeof(e->fe_progress), j->fe_progress);
	str_copy(e->job_id, sizeof(e->job_id), j->fe_job_id);
	str_copy(e->table, sizeof(e->table), t ? t->display : "?");
	str_copy(e->error, sizeof(e->error), j->error);
}

void
mig_ddl_event(const struct mddl *d, struct event *ev)
{
	struct ev_ddl *e = &ev->u.ddl;

	memset(ev, 0, sizeof(*ev));
	ev->type = EV_DDL;
	e->id = d->id;
	e->table_id = d->table_id;
	e->state = d->state;
	e->drops_data = d->drops;
	e->attempts = d->attempts;
	e->queued_ms = d->queued_ms;
	e->done_ms = d->done_ms;
	if (d->partition)
		str_fmt(e->target, sizeof(e->target), "%s.%s %s", d->db, d->table, d->partition);
	else if (d->table)
		str_fmt(e->target, sizeof(e->target), "%s.%s", d->db, d->table);
	else
		str_copy(e->target, sizeof(e->target), d->db);
	if (d->statement)
		str_copy(e->statement, sizeof(e->statement), d->statement);
	else
		str_fmt(e->statement, sizeof(e->statement), "%s %s", ddl_kind_name(d->kind), e->target);
	str_copy(e->error, sizeof(e->error), d->error);
}
