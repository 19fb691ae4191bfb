/* diff: source vs target -> DDL, jobs, blocks and states (see diff.h). */
#include "srmigrate/diff.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/ddl.h"
#include "srmigrate/util.h"

static bool
native(const struct cat_table *t)
{
	return t && (t->kind == TK_OLAP || t->kind == TK_CLOUD_NATIVE);
}

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* "`a`, `b`" and "a,b" compare equal: backticks and blanks are formatting. */
static bool
keys_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return true;	/* unknown on one side: nothing to compare */
	for (;;) {
		while (*a == '`' || isspace((unsigned char)*a))
			a++;
		while (*b == '`' || isspace((unsigned char)*b))
			b++;
		if (*a != *b)
			return false;
		if (*a == '\0')
			return true;
		a++;
		b++;
	}
}

struct ctx {
	struct migration *m;
	const struct catalog *src, *tgt;
	const struct diff_opts *o;
	const struct srm_config *cfg;
	struct diff_stats *st;
};

static void
block(struct mtable *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
block(struct mtable *t, const char *fmt, ...)
{
	va_list ap;

	if (t->blocked)
		return;	/* keep the first reason */
	t->blocked = true;
	va_start(ap, fmt);
	vsnprintf(t->reason, sizeof(t->reason), fmt, ap);
	va_end(ap);
}

/* Queue a DDL unless the same one is already open. Drops wait when they must be confirmed. */
static struct mddl *
ensure(struct ctx *c, enum ddl_kind kind, struct mtable *t, const char *db, const char *table,
       const char *partition)
{
	struct mddl *d = mig_ddl_find(c->m, kind, db, table, partition);

	if (d)
		return d;
	if (mig_ddl_skipped(c->m, kind, db, table, partition)) {
		/* The operator said no: a table stays blocked until they retry it; anything else stays as is. */
		if (t)
			block(t, "%s%s%s skipped by the operator (retry the table to be asked again)",
			      ddl_kind_name(kind), partition ? " " : "", partition ? partition : "");
		return NULL;
	}
	d = mig_ddl_add(c->m, kind, t, db, table, partition);
	if (d->drops && c->o->confirm_drops)
		mig_ddl_state(c->m, d, DDL_HELD);
	c->st->new_ddl++;
	return d;
}

/* Queue a statement built when it was found (an index, a property), unless it is open already. */
static void
ensure_prepared(struct ctx *c, enum ddl_kind kind, struct mtable *t, const char *object,
		const char *statement)
{
	bool known = mig_ddl_find(c->m, kind, t->db, t->name, object) != NULL;
	struct mddl *d = ensure(c, kind, t, t->db, t->name, object);

	if (d && !known) {
		free(d->statement);
		d->statement = xstrdup(statement);
		d->prepared = true;
	}
}

/* The statements the last schema check wanted before the table's next job. */
static void
queue_wants(struct ctx *c, struct mtable *t)
{
	for (size_t i = 0; i < t->n_wants; i++) {
		const struct ddl_want *w = &t->wants[i];

		switch (w->kind) {
		case WANT_INDEX_ADD:
			ensure_prepared(c, DDL_CREATE_INDEX, t, w->object, w->create);
			break;
		case WANT_INDEX_REPLACE:
			ensure_prepared(c, DDL_DROP_INDEX, t, w->object, w->drop);
			ensure_prepared(c, DDL_CREATE_INDEX, t, w->object, w->create);
			break;
		case WANT_INDEX_TARGET_ONLY:
			ensure_prepared(c, DDL_DROP_INDEX, t, w->object, w->drop);
			break;
		case WANT_PROPERTY:
			ensure_prepared(c, DDL_SET_PROPERTY, t, w->object, w->create);
			break;
		}
	}
	ddl_wants_free(t->wants, t->n_wants);
	t->wants = NULL;
	t->n_wants = 0;
}

static void
source_stats(struct ctx *c, const struct cat_table *s, struct mtable *t)
{
	size_t n;
	const struct cat_part *p = catalog_parts(c->src, s, &n);
	uint64_t sig = 1469598103934665603ULL;

	t->partitions = (uint32_t)n;
	t->src_version = 0;
	t->src_rows = t->src_bytes = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t v = cat_source_version(&p[i]);

		if (v > t->src_version)
			t->src_version = v;
		t->src_rows += p[i].rows > 0 ? p[i].rows : 0;
		t->src_bytes += p[i].bytes > 0 ? p[i].bytes : 0;
		sig = fnv(sig, p[i].name, strlen(p[i].name) + 1);
		sig = fnv(sig, &v, sizeof(v));
	}
	if (t->src_signature != 0 && t->src_signature != sig)
		c->st->source_changed = true;
	t->src_signature = sig;
}

static void
target_stats(struct ctx *c, const struct cat_table *tt, struct mtable *t)
{
	size_t n;
	const struct cat_part *p = catalog_parts(c->tgt, tt, &n);

	t->tgt_version = 0;
	t->tgt_rows = t->tgt_bytes = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t v = cat_target_version(&p[i]);

		if (v > t->tgt_version)
			t->tgt_version = v;
		t->tgt_rows += p[i].rows > 0 ? p[i].rows : 0;
		t->tgt_bytes += p[i].bytes > 0 ? p[i].bytes : 0;
	}
}

/* Drop and add again one partition, or block, as @allow says. */
static void
replace_partition(struct ctx *c, struct mtable *t, const char *part, bool allow, const char *key,
		  const char *why)
{
	if (!allow) {
		block(t, "partition %s: %s (%s=false)", part, why, key);
		return;
	}
	ensure(c, DDL_DROP_PARTITION, t, t->db, t->name, part);
	ensure(c, DDL_ADD_PARTITION, t, t->db, t->name, part);
	if (t->reason[0] == '\0')
		str_fmt(t->reason, sizeof(t->reason), "partition %s: %s; dropped and synced again", part,
			why);
}

/* Compare partitions; returns the number that lag (lag bytes in t). */
static void
compare_partitions(struct ctx *c, const struct cat_table *s, const struct cat_table *tt,
		   struct mtable *t)
{
	const struct srm_config *cfg = c->cfg;
	size_t ns, nt;
	const struct cat_part *sp = catalog_parts(c->src, s, &ns);
	const struct cat_part *tp = catalog_parts(c->tgt, tt, &nt);

	t->lagging = 0;
	t->lag_bytes = 0;
	for (size_t i = 0; i < ns; i++) {
		const struct cat_part *p = &sp[i], *q = catalog_part(c->tgt, tt, p->name);
		char why[EV_TEXT_LEN];

		if (q == NULL) {
			ensure(c, DDL_ADD_PARTITION, t, t->db, t->name, p->name);
			t->lagging++;
			t->lag_bytes += p->bytes > 0 ? p->bytes : 0;
			continue;
		}
		int64_t sv = cat_source_version(p), tv = cat_target_version(q);

		if (p->buckets > 0 && q->buckets > 0 && p->buckets != q->buckets) {
			str_fmt(why, sizeof(why), "%d buckets on the source, %d on the target", p->buckets,
				q->buckets);
			replace_partition(c, t, p->name, cfg->ddl_job_allow_drop_inconsistent_partition,
					  "ddl_job_allow_drop_inconsistent_partition", why);
		} else if (p->value && q->value && p->value[0] && q->value[0] &&
			   !str_eq(p->value, q->value)) {
			str_fmt(why, sizeof(why), "bounds differ (source %.80s, target %.80s)", p->value,
				q->value);
			replace_partition(c, t, p->name, cfg->ddl_job_allow_drop_inconsistent_time_partition,
					  "ddl_job_allow_drop_inconsistent_time_partition", why);
		} else if (tv > sv) {
			str_fmt(why, sizeof(why), "target version %lld is ahead of the source's %lld",
				(long long)tv, (long long)sv);
			replace_partition(c, t, p->name, cfg->ddl_job_allow_drop_inconsistent_partition,
					  "ddl_job_allow_drop_inconsistent_partition", why);
		} else if (tv < sv) {
			t->lagging++;
			t->lag_bytes += p->bytes > 0 ? p->bytes : 0;
		}
	}
	for (size_t i = 0; i < nt; i++) {
		if (catalog_part(c->src, s, tp[i].name))
			continue;
		if (cfg->ddl_job_allow_drop_partition_target_only)
			ensure(c, DDL_DROP_PARTITION, t, t->db, t->name, tp[i].name);
		else
			block(t, "partition %s exists only on the target "
				 "(ddl_job_allow_drop_partition_target_only=false)", tp[i].name);
	}
}

/* The source schema changed when keys, partitioning or distribution differ. */
static const char *
schema_difference(const struct cat_table *s, const struct cat_table *tt)
{
	if (s->keys != KT_UNKNOWN && tt->keys != KT_UNKNOWN && s->keys != tt->keys)
		return "key model differs";
	/* Before 3.3 tables_config leaves PARTITION_KEY empty for list partitioning: unknown, not none. */
	if (s->partition_key && tt->partition_key && s->partition_key[0] && tt->partition_key[0] &&
	    !keys_equal(s->partition_key, tt->partition_key))
		return "partition columns differ";
	if (!keys_equal(s->distribute_key, tt->distribute_key))
		return "distribution columns differ";
	if (!keys_equal(s->sort_key, tt->sort_key))
		return "sort key differs";
	return NULL;
}

static void
plan_jobs(struct ctx *c, const struct cat_table *s, const struct cat_table *tt, struct mtable *t)
{
	int64_t gb = c->cfg->max_replication_data_size_per_job_in_gb;
	const char **names;
	size_t *ends, n, groups, start = 0;

	if (t->jobs_open > 0)
		return;
	groups = diff_lagging_groups(c->src, s, c->tgt, tt, gb < 0 ? -1 : gb << 30, &names, &ends, &n);
	for (size_t g = 0; g < groups; g++) {
		struct mjob *j = mig_job_new(c->m, t);
		const struct cat_part *p;

		mig_job_set_partitions(j, (char *const *)names + start, ends[g] - start);
		for (size_t i = start; i < ends[g]; i++) {
			p = catalog_part(c->src, s, names[i]);
			j->bytes += p && p->bytes > 0 ? p->bytes : 0;
		}
		start = ends[g];
		c->st->new_jobs++;
	}
	free(names);
	free(ends);
}

/* Jobs never sent are dropped when the table no longer needs them. */
static void
drop_unsent_jobs(struct migration *m, struct mtable *t)
{
	for (size_t i = m->n_jobs; i-- > 0;) {
		struct mjob *j = m->jobs[i];

		if (j->table_id == t->id && j->state == JOB_PENDING && j->attempts == 0)
			mig_job_delete(m, j);
	}
}

static void
decide(struct ctx *c, const struct cat_table *s, const struct cat_table *tt, struct mtable *t)
{
	const struct srm_config *cfg = c->cfg;
	const char *why;

	source_stats(c, s, t);
	if (s->error) {
		block(t, "source: %s", s->error);
		return;
	}
	if (catalog_db(c->tgt, s->db) == NULL)
		ensure(c, DDL_CREATE_DB, NULL, s->db, NULL, NULL);
	if (tt == NULL) {
		ensure(c, DDL_CREATE_TABLE, t, t->db, t->name, NULL);
		t->tgt_version = -1;
		t->tgt_rows = t->tgt_bytes = 0;
		t->lagging = t->partitions;
		t->lag_bytes = t->src_bytes;
		return;
	}
	if (tt->error) {
		block(t, "target: %s", tt->error);
		return;
	}
	if (!native(tt)) {
		block(t, "the target has a %s with this name", table_kind_name(tt->kind));
		return;
	}
	target_stats(c, tt, t);
	if ((why = schema_difference(s, tt)) == NULL)
		why = t->schema_change;	/* found by the check before the last job */
	if (why != NULL) {
		if (!cfg->ddl_job_allow_drop_schema_change_table) {
			block(t, "schema changed on the source: %s "
				 "(ddl_job_allow_drop_schema_change_table=false)", why);
			return;
		}
		/* Once re-created from the source's own text, a difference left is ours to explain. */
		if (t->schema_recreates >= 1 && why == t->schema_change) {
			block(t, "the schema still differs after re-creating the table: %s "
				 "(retry the table to re-create it again)", why);
			return;
		}
		str_fmt(t->reason, sizeof(t->reason), "schema changed on the source (%s): dropped and "
			"synced again", why);
		if (ensure(c, DDL_DROP_TABLE, t, t->db, t->name, NULL) &&
		    ensure(c, DDL_CREATE_TABLE, t, t->db, t->name, NULL) && why == t->schema_change) {
			t->schema_recreates++;
			free(t->schema_change);
			t->schema_change = NULL;
		}
		t->lagging = t->partitions;
		t->lag_bytes = t->src_bytes;
		return;
	}
	queue_wants(c, t);
	compare_partitions(c, s, tt, t);
}

static void
settle(struct ctx *c, const struct cat_table *s, const struct cat_table *tt, struct mtable *t)
{
	enum table_state old = t->state;

	if (t->blocked) {
		drop_unsent_jobs(c->m, t);
		t->state = TABLE_BLOCKED;
		c->st->blocked++;
	} else if (t->ddl_open > 0) {
		t->state = TABLE_DDL;
		c->st->waiting_ddl++;
	} else if (t->lagging == 0) {
		drop_unsent_jobs(c->m, t);
		t->state = TABLE_FINISHED;
		t->reason[0] = '\0';
		if (!t->ever_synced || old != TABLE_FINISHED)
			t->synced_ms = wall_ms();
		t->ever_synced = true;
		t->failures = 0;
		t->last_error[0] = '\0';
		c->st->finished++;
	} else {
		c->st->lagging++;
		if (c->o->plan_jobs)
			plan_jobs(c, s, tt, t);
		if (t->failures > 0) {
			t->state = TABLE_FAILED;
			str_copy(t->reason, sizeof(t->reason), t->last_error);
		} else if (t->jobs_open > 0) {
			t->state = TABLE_SYNCING;
		} else {
			t->state = t->ever_synced ? TABLE_EXPIRED : TABLE_UNFINISHED;
		}
	}
	t->dirty = true;
}

/* A selected database the source does not have. */
static bool
db_target_only(const struct ctx *c, const char *db)
{
	return catalog_db(c->tgt, db) && !catalog_db(c->src, db);
}

static void
target_only(struct ctx *c, const struct cat_table *tt)
{
	struct mtable *t = mig_table(c->m, tt->db, tt->name, true);

	t->on_target = true;
	t->target_only = true;
	t->blocked = false;
	t->reason[0] = '\0';
	t->partitions = t->lagging = 0;
	t->src_version = -1;
	target_stats(c, tt, t);
	if (c->cfg->ddl_job_allow_drop_target_only && db_target_only(c, tt->db)) {
		/* Its whole database goes, with it. */
		str_copy(t->reason, sizeof(t->reason), "only on the target: its database is dropped");
		t->state = TABLE_DDL;
	} else if (c->cfg->ddl_job_allow_drop_target_only) {
		ensure(c, DDL_DROP_TABLE, t, t->db, t->name, NULL);
		str_copy(t->reason, sizeof(t->reason), "only on the target: dropped");
		t->state = TABLE_DDL;
	} else {
		block(t, "only on the target; kept (ddl_job_allow_drop_target_only=false)");
		t->state = TABLE_BLOCKED;
	}
	t->dirty = true;
}

/* --- views and materialized views ------------------------------------------------- */

struct object_rules {
	enum table_kind kind;
	const char *what;
	enum ddl_kind create, drop;
	bool drop_inconsistent, drop_target_only;
	const char *inconsistent_key, *target_only_key;
};

/* Whose query reads tables the migration does not select: their refresh fails on the target. */
static void
note_unselected_bases(struct ctx *c, const struct cat_table *s, const struct object_rules *r)
{
	char **pairs;
	size_t n = ddl_query_tables(s->definition, s->db, &pairs);

	for (size_t i = 0; i < n; i++) {
		if (!filter_table(&c->cfg->filter, pairs[2 * i], pairs[2 * i + 1]))
			mig_note(c->m, "%s %s.%s reads %s.%s, which is not selected: it cannot refresh on the "
				 "target until that table is migrated too", r->what, s->db, s->name, pairs[2 * i],
				 pairs[2 * i + 1]);
		free(pairs[2 * i]);
		free(pairs[2 * i + 1]);
	}
	free(pairs);
}

/*
 * Views and materialized views (definitions only; an MV's data is its own
 * to refresh). Created once their tables are (the DDL queue orders that);
 * one whose query differs is re-created where the key allows, once: if it
 * still differs the FE prints it otherwise and it is left, with a note.
 */
static void
sync_objects(struct ctx *c, const struct object_rules *r)
{
	for (size_t i = 0; i < c->src->n_tables; i++) {
		const struct cat_table *s = &c->src->tables[i], *tt;

		if (s->kind != r->kind)
			continue;
		tt = catalog_table(c->tgt, s->db, s->name);
		if (catalog_db(c->tgt, s->db) == NULL)
			ensure(c, DDL_CREATE_DB, NULL, s->db, NULL, NULL);
		if (r->kind == TK_MV && s->definition)
			note_unselected_bases(c, s, r);
		if (tt == NULL) {
			ensure(c, r->create, NULL, s->db, s->name, NULL);
		} else if (tt->kind != r->kind) {
			mig_note(c->m, "%s %s.%s: the target has a %s with this name; left alone", r->what, s->db,
				 s->name, table_kind_name(tt->kind));
		} else if (s->definition && tt->definition && !str_eq(s->definition, tt->definition)) {
			if (!r->drop_inconsistent)
				mig_note(c->m, "%s %s.%s differs from the source's; kept (%s=false)", r->what,
					 s->db, s->name, r->inconsistent_key);
			else if (mig_recreated(c->m, r->create, s->db, s->name, false) > 0)
				mig_note(c->m, "%s %s.%s still differs after re-creating it (the target prints "
					 "its query otherwise); left as it is", r->what, s->db, s->name);
			else if (ensure(c, r->drop, NULL, s->db, s->name, NULL) &&
				 ensure(c, r->create, NULL, s->db, s->name, NULL))
				mig_recreated(c->m, r->create, s->db, s->name, true);
		}
	}
	for (size_t i = 0; i < c->tgt->n_tables; i++) {
		const struct cat_table *tt = &c->tgt->tables[i];

		if (tt->kind != r->kind || catalog_table(c->src, tt->db, tt->name))
			continue;
		if (r->drop_target_only)
			ensure(c, r->drop, NULL, tt->db, tt->name, NULL);
		else
			mig_note(c->m, "%s %s.%s is only on the target; kept (%s=false)", r->what, tt->db, tt->name,
				 r->target_only_key);
	}
}

void
diff_run(struct migration *m, const struct catalog *src, const struct catalog *tgt,
	 const struct diff_opts *o, struct diff_stats *st)
{
	struct ctx c = { .m = m, .src = src, .tgt = tgt, .o = o, .cfg = o->cfg, .st = st };

	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < m->n_tables; i++) {
		m->tables[i]->on_source = m->tables[i]->on_target = false;
		m->tables[i]->target_only = false;
	}
	for (size_t i = 0; i < src->n_tables; i++) {
		const struct cat_table *s = &src->tables[i];
		const struct cat_table *tt = catalog_table(tgt, s->db, s->name);
		struct mtable *t;

		if (!native(s))
			continue;
		t = mig_table(m, s->db, s->name, true);
		t->on_source = true;
		t->on_target = tt != NULL;
		t->blocked = false;
		t->reason[0] = '\0';
		decide(&c, s, tt, t);
		settle(&c, s, tt, t);
		st->tables++;
	}
	for (size_t i = 0; i < tgt->n_tables; i++) {
		const struct cat_table *tt = &tgt->tables[i];

		if (native(tt) && !catalog_table(src, tt->db, tt->name))
			target_only(&c, tt);
	}
	/* Selected databases only the target has (system databases are never selected). */
	for (size_t i = 0; i < tgt->n_dbs && c.cfg->ddl_job_allow_drop_target_only; i++)
		if (db_target_only(&c, tgt->dbs[i].name))
			ensure(&c, DDL_DROP_DB, NULL, tgt->dbs[i].name, NULL, NULL);
	if (c.cfg->enable_view_sync) {
		const struct object_rules views = {
			TK_VIEW, "view", DDL_CREATE_VIEW, DDL_DROP_VIEW, c.cfg->ddl_job_allow_drop_inconsistent_view,
			c.cfg->ddl_job_allow_drop_view_target_only, "ddl_job_allow_drop_inconsistent_view",
			"ddl_job_allow_drop_view_target_only",
		};

		sync_objects(&c, &views);
	}
	if (c.cfg->enable_materialized_view_sync) {
		const struct object_rules mvs = {
			TK_MV, "materialized view", DDL_CREATE_MV, DDL_DROP_MV,
			c.cfg->ddl_job_allow_drop_inconsistent_materialized_view,
			c.cfg->ddl_job_allow_drop_materialized_view_target_only,
			"ddl_job_allow_drop_inconsistent_materialized_view",
			"ddl_job_allow_drop_materialized_view_target_only",
		};

		sync_objects(&c, &mvs);
	}
}

size_t
diff_lagging_groups(const struct catalog *src, const struct cat_table *st,
		    const struct catalog *tgt, const struct cat_table *tt, int64_t max_bytes,
		    const char ***names_out, size_t **ends_out, size_t *n_out)
{
	size_t n, k = 0, groups = 0;
	const struct cat_part *p = catalog_parts(src, st, &n);
	const char **names = xcalloc(n ? n : 1, sizeof(*names));
	size_t *ends = xcalloc(n ? n : 1, sizeof(*ends));
	int64_t acc = 0;

	for (size_t i = 0; i < n; i++) {
		const struct cat_part *q = tt ? catalog_part(tgt, tt, p[i].name) : NULL;

		if (q && cat_target_version(q) < cat_source_version(&p[i]))
			names[k++] = p[i].name;
	}
	/* catalog_parts gives them in name order already. */
	for (size_t i = 0; i < k; i++) {
		int64_t b = catalog_part(src, st, names[i])->bytes;

		b = b > 0 ? b : 0;
		/* A partition bigger than the limit still goes, alone. */
		if (max_bytes >= 0 && acc > 0 && acc + b > max_bytes) {
			ends[groups++] = i;
			acc = 0;
		}
		acc += b;
	}
	if (k > 0)
		ends[groups++] = k;
	*names_out = names;
	*ends_out = ends;
	*n_out = k;
	return groups;
}
