/*
 * catalog: databases, tables, partitions and the id space of one cluster.
 */
#include "catalog.h"

#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "simutil.h"
#include "txn.h"


const char *
cat_model_keys(enum model m)
{
	static const char *const s[] = { "DUPLICATE KEY", "AGGREGATE KEY", "UNIQUE KEY", "PRIMARY KEY" };

	return s[m];
}

const char *
cat_model_keys_type(enum model m)
{
	static const char *const s[] = { "DUP_KEYS", "AGG_KEYS", "UNIQUE_KEYS", "PRIMARY_KEYS" };

	return s[m];
}

const char *
cat_model_name(enum model m)
{
	static const char *const s[] = { "DUPLICATE", "AGGREGATE", "UNIQUE", "PRIMARY" };

	return s[m];
}

const char *
cat_ptype_name(enum ptype p)
{
	static const char *const s[] = { "UNPARTITIONED", "RANGE", "LIST", "EXPR_RANGE", "EXPR_RANGE_V2" };

	return s[p];
}

static guint
i64_hash(gconstpointer k)
{
	return g_int64_hash(k);
}

void
cat_init(struct cluster *c, int64_t id_base)
{
	c->next_id = id_base;
	c->dbs = g_ptr_array_new();
	c->db_by_name = g_hash_table_new(g_str_hash, g_str_equal);
	c->db_by_id = g_hash_table_new(i64_hash, g_int64_equal);
	c->table_by_id = g_hash_table_new(i64_hash, g_int64_equal);
	cat_tablets_init(c);
}

static void
db_free(struct db *d)
{
	for (guint i = 0; i < d->tables->len; i++)
		cat_table_free(g_ptr_array_index(d->tables, i));
	g_ptr_array_free(d->tables, TRUE);
	g_hash_table_destroy(d->by_name);
	txn_free_all(d);
	g_free(d->name);
	g_free(d);
}

void
cat_free(struct cluster *c)
{
	for (guint i = 0; i < c->dbs->len; i++)
		db_free(g_ptr_array_index(c->dbs, i));
	g_ptr_array_free(c->dbs, TRUE);
	g_hash_table_destroy(c->db_by_name);
	g_hash_table_destroy(c->db_by_id);
	g_hash_table_destroy(c->table_by_id);
	g_array_free(c->tranges, TRUE);
}

int64_t
cat_next_id(struct cluster *c)
{
	return c->next_id++;
}

int32_t
cat_schema_hash(struct cluster *c)
{
	return (int32_t)(su_mix((uint64_t)c->next_id * 31 + (uint64_t)c->side) % 2147483646) + 1;
}

bool
cat_is_system_db(const char *name)
{
	return strcmp(name, "information_schema") == 0 || strcmp(name, "_statistics_") == 0 ||
	       strcmp(name, "sys") == 0 || strcmp(name, "starrocks_audit_db__") == 0;
}

struct db *
cat_db(struct cluster *c, const char *name)
{
	return g_hash_table_lookup(c->db_by_name, name);
}

struct db *
cat_db_by_id(struct cluster *c, int64_t id)
{
	return g_hash_table_lookup(c->db_by_id, &id);
}

struct db *
cat_db_lookup(struct cluster *c, const char *id_or_name)
{
	int64_t id;

	if (su_parse_i64(id_or_name, &id))
		return cat_db_by_id(c, id);
	return cat_db(c, id_or_name);
}

struct db *
cat_db_create(struct cluster *c, const char *name)
{
	struct db *d = g_new0(struct db, 1);

	d->id = cat_next_id(c);
	d->name = g_strdup(name);
	d->tables = g_ptr_array_new();
	d->by_name = g_hash_table_new(g_str_hash, g_str_equal);
	d->txn_running = g_ptr_array_new();
	d->txn_finished = g_queue_new();
	d->quota = INT64_MAX;
	d->replica_quota = 1073741824;
	g_ptr_array_add(c->dbs, d);
	g_hash_table_insert(c->db_by_name, d->name, d);
	g_hash_table_insert(c->db_by_id, &d->id, d);
	return d;
}

void
cat_db_drop(struct cluster *c, struct db *d)
{
	while (d->tables->len)
		cat_table_drop(c, g_ptr_array_index(d->tables, d->tables->len - 1));
	g_hash_table_remove(c->db_by_name, d->name);
	g_hash_table_remove(c->db_by_id, &d->id);
	g_ptr_array_remove(c->dbs, d);
	db_free(d);
}

static gint
db_cmp_name(gconstpointer a, gconstpointer b)
{
	return strcmp((*(struct db *const *)a)->name, (*(struct db *const *)b)->name);
}

static gint
db_cmp_id(gconstpointer a, gconstpointer b)
{
	int64_t x = (*(struct db *const *)a)->id, y = (*(struct db *const *)b)->id;

	return x < y ? -1 : x > y;
}

GPtrArray *
cat_dbs_sorted(struct cluster *c, bool by_id)
{
	GPtrArray *a = g_ptr_array_sized_new(c->dbs->len);

	for (guint i = 0; i < c->dbs->len; i++)
		g_ptr_array_add(a, g_ptr_array_index(c->dbs, i));
	g_ptr_array_sort(a, by_id ? db_cmp_id : db_cmp_name);
	return a;
}

struct table *
cat_table(struct db *d, const char *name)
{
	return g_hash_table_lookup(d->by_name, name);
}

struct table *
cat_table_by_id(struct cluster *c, int64_t id)
{
	return g_hash_table_lookup(c->table_by_id, &id);
}

struct table *
cat_table_lookup(struct db *d, const char *id_or_name)
{
	int64_t id;

	if (su_parse_i64(id_or_name, &id)) {
		for (guint i = 0; i < d->tables->len; i++) {
			struct table *t = g_ptr_array_index(d->tables, i);
			if (t->id == id)
				return t;
		}
		return NULL;
	}
	return cat_table(d, id_or_name);
}

const char *
cat_col_default(const struct column *c)
{
	if (c->default_expr && su_ieq(c->default_expr, "now()"))
		return "CURRENT_TIMESTAMP";
	return c->default_value ? c->default_value : c->default_expr;
}

int
cat_col_index(const struct table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (g_ascii_strcasecmp(t->cols[i].name, name) == 0)
			return i;
	return -1;
}

void
cat_part_add(struct cluster *c, struct table *t, struct partition *p)
{
	p->id = cat_next_id(c);
	p->phys_id = prof_physical_ids_differ(&c->prof) ? cat_next_id(c) : p->id;
	if (p->buckets <= 0)
		p->buckets = t->buckets > 0 ? t->buckets : 1;
	if (p->replication_num <= 0)
		p->replication_num = t->replication_num;
	if (!p->storage_medium)
		p->storage_medium = g_strdup("HDD");
	if (p->visible_version < 1)
		p->visible_version = 1;
	p->next_version = p->visible_version + 1;
	p->data_version = p->committed_data_version = p->visible_version;
	p->create_time = su_wall_ms();
	if (p->visible_time == 0)
		p->visible_time = p->create_time;
	p->first_tablet = g_new0(int64_t, t->ntidx > 0 ? t->ntidx : 1);
	p->be_offset = g_new0(int, t->ntidx > 0 ? t->ntidx : 1);
	for (int s = 0; s < t->ntidx; s++)
		cat_tablets_make(c, t, p, s);
	cat_part_record(p);
	g_ptr_array_add(t->parts, p);
	t->update_time = su_wall_ms();
}

void
cat_part_free(struct partition *p)
{
	if (!p)
		return;
	g_strfreev(p->lower);
	g_strfreev(p->upper);
	for (int i = 0; i < p->nlists; i++)
		g_strfreev(p->lists[i]);
	g_free(p->lists);
	g_free(p->name);
	g_free(p->storage_medium);
	g_free(p->first_tablet);
	g_free(p->be_offset);
	g_free(p->hist);
	g_free(p);
}

void
cat_part_drop(struct cluster *c, struct table *t, struct partition *p)
{
	for (int s = 0; s < t->ntidx; s++)
		cat_tablets_remove(c, p, s);
	g_ptr_array_remove(t->parts, p);
	cat_part_free(p);
	t->update_time = su_wall_ms();
}

struct partition *
cat_part(const struct table *t, const char *name, bool temp)
{
	for (guint i = 0; i < t->parts->len; i++) {
		struct partition *p = g_ptr_array_index(t->parts, i);
		if (p->temp == temp && g_ascii_strcasecmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}

struct partition *
cat_part_by_phys(const struct table *t, int64_t phys_id)
{
	for (guint i = 0; i < t->parts->len; i++) {
		struct partition *p = g_ptr_array_index(t->parts, i);
		if (p->phys_id == phys_id)
			return p;
	}
	return NULL;
}

struct partition *
cat_part_lookup(const struct table *t, const char *id_or_name)
{
	int64_t id;

	if (su_parse_i64(id_or_name, &id))
		return cat_part_by_phys(t, id);
	struct partition *p = cat_part(t, id_or_name, false);
	return p ? p : cat_part(t, id_or_name, true);
}

int
cat_part_count(const struct table *t, bool temp)
{
	int n = 0;

	for (guint i = 0; i < t->parts->len; i++)
		if (((struct partition *)g_ptr_array_index(t->parts, i))->temp == temp)
			n++;
	return n;
}

/* Compare range keys as StarRocks does: numbers numerically, dates as text. */
static int
key_cmp(const char *a, const char *b)
{
	int64_t x, y;

	if (su_parse_i64(a, &x) && su_parse_i64(b, &y))
		return x < y ? -1 : x > y;
	return strcmp(a, b);
}

static gint
part_cmp_range(gconstpointer pa, gconstpointer pb)
{
	const struct partition *a = *(struct partition *const *)pa, *b = *(struct partition *const *)pb;

	if (!a->lower || !b->lower)
		return a->id < b->id ? -1 : a->id > b->id;
	for (int i = 0; a->lower[i] && b->lower[i]; i++) {
		int r = key_cmp(a->lower[i], b->lower[i]);
		if (r)
			return r;
	}
	return a->id < b->id ? -1 : a->id > b->id;
}

GPtrArray *
cat_parts_sorted(const struct table *t, bool temp)
{
	GPtrArray *a = g_ptr_array_new();

	for (guint i = 0; i < t->parts->len; i++) {
		struct partition *p = g_ptr_array_index(t->parts, i);
		if (p->temp == temp)
			g_ptr_array_add(a, p);
	}
	if (t->ptype == PT_RANGE || t->ptype == PT_EXPR_RANGE || t->ptype == PT_EXPR_RANGE_V2)
		g_ptr_array_sort(a, part_cmp_range);
	return a;
}

/* --- tables -------------------------------------------------------------------- */

void
cat_table_add(struct cluster *c, struct db *d, struct table *t)
{
	GPtrArray *pending = t->parts;

	t->id = cat_next_id(c);
	t->db = d;
	t->create_time = t->update_time = su_wall_ms();
	t->parts = g_ptr_array_new();
	if (t->kind != TK_VIEW && t->ntidx == 0) {
		t->tidx = g_new0(struct tindex, 1);
		t->ntidx = 1;
		t->tidx[0].id = cat_next_id(c);
		t->tidx[0].name = g_strdup(t->name);
		t->tidx[0].schema_hash = cat_schema_hash(c);
		t->tidx[0].short_keys = t->nkeys < 3 ? (t->nkeys > 0 ? t->nkeys : 1) : 3;
	}
	if (pending) {
		for (guint i = 0; i < pending->len; i++)
			cat_part_add(c, t, g_ptr_array_index(pending, i));
		g_ptr_array_free(pending, TRUE);
	}
	g_ptr_array_add(d->tables, t);
	g_hash_table_insert(d->by_name, t->name, t);
	g_hash_table_insert(c->table_by_id, &t->id, t);
}

void
cat_table_free(struct table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->ncols; i++) {
		struct column *col = &t->cols[i];
		g_free(col->name);
		g_free(col->type);
		g_free(col->agg);
		g_free(col->default_value);
		g_free(col->default_expr);
		g_free(col->generated);
		g_free(col->comment);
	}
	g_free(t->cols);
	for (int i = 0; i < t->nbidx; i++) {
		g_free(t->bidx[i].name);
		g_strfreev(t->bidx[i].cols);
		g_free(t->bidx[i].comment);
	}
	g_free(t->bidx);
	for (int i = 0; i < t->ntidx; i++) {
		g_free(t->tidx[i].name);
		g_strfreev(t->tidx[i].cols);
		g_free(t->tidx[i].mv_def);
	}
	g_free(t->tidx);
	if (t->parts) {
		for (guint i = 0; i < t->parts->len; i++)
			cat_part_free(g_ptr_array_index(t->parts, i));
		g_ptr_array_free(t->parts, TRUE);
	}
	g_strfreev(t->part_cols);
	g_strfreev(t->dist_cols);
	g_strfreev(t->order_cols);
	props_free(&t->props);
	g_free(t->name);
	g_free(t->part_expr);
	g_free(t->part_unit);
	g_free(t->comment);
	g_free(t->storage_volume);
	g_free(t->view_def);
	g_free(t->view_cols);
	g_free(t->mv_refresh);
	g_free(t);
}

void
cat_table_drop(struct cluster *c, struct table *t)
{
	struct db *d = t->db;

	for (guint i = 0; i < t->parts->len; i++)
		for (int s = 0; s < t->ntidx; s++)
			cat_tablets_remove(c, g_ptr_array_index(t->parts, i), s);
	g_hash_table_remove(c->table_by_id, &t->id);
	g_hash_table_remove(d->by_name, t->name);
	g_ptr_array_remove(d->tables, t);
	cat_table_free(t);
}

void
cat_index_add(struct cluster *c, struct table *t, struct tindex *ix)
{
	int slot = t->ntidx;

	ix->id = cat_next_id(c);
	ix->schema_hash = cat_schema_hash(c);
	t->tidx = g_renew(struct tindex, t->tidx, t->ntidx + 1);
	t->tidx[t->ntidx++] = *ix;
	for (guint i = 0; i < t->parts->len; i++) {
		struct partition *p = g_ptr_array_index(t->parts, i);
		p->first_tablet = g_renew(int64_t, p->first_tablet, t->ntidx);
		p->be_offset = g_renew(int, p->be_offset, t->ntidx);
		cat_tablets_make(c, t, p, slot);
	}
}

void
cat_index_drop(struct cluster *c, struct table *t, int slot)
{
	for (guint i = 0; i < t->parts->len; i++) {
		struct partition *p = g_ptr_array_index(t->parts, i);
		cat_tablets_remove(c, p, slot);
		memmove(p->first_tablet + slot, p->first_tablet + slot + 1,
			sizeof(int64_t) * (size_t)(t->ntidx - slot - 1));
		memmove(p->be_offset + slot, p->be_offset + slot + 1, sizeof(int) * (size_t)(t->ntidx - slot - 1));
	}
	g_free(t->tidx[slot].name);
	g_strfreev(t->tidx[slot].cols);
	g_free(t->tidx[slot].mv_def);
	memmove(t->tidx + slot, t->tidx + slot + 1, sizeof(struct tindex) * (size_t)(t->ntidx - slot - 1));
	t->ntidx--;
}

void
cat_index_rebuild(struct cluster *c, struct table *t, int slot)
{
	struct tindex *ix = &t->tidx[slot];

	ix->id = cat_next_id(c);
	ix->schema_hash = cat_schema_hash(c);
	ix->schema_version++;
	for (guint i = 0; i < t->parts->len; i++) {
		struct partition *p = g_ptr_array_index(t->parts, i);
		cat_tablets_remove(c, p, slot);
		cat_tablets_make(c, t, p, slot);
	}
}

int64_t
cat_table_rows(const struct table *t)
{
	int64_t n = 0;

	for (guint i = 0; t->parts && i < t->parts->len; i++) {
		const struct partition *p = g_ptr_array_index(t->parts, i);
		if (!p->temp)
			n += p->rows;
	}
	return n;
}

int64_t
cat_table_size(const struct table *t)
{
	int64_t n = 0;

	for (guint i = 0; t->parts && i < t->parts->len; i++) {
		const struct partition *p = g_ptr_array_index(t->parts, i);
		if (!p->temp)
			n += p->size * cat_replicas(t, p);
	}
	return n;
}

int64_t
cat_table_replica_count(const struct table *t)
{
	int64_t n = 0;

	for (guint i = 0; t->parts && i < t->parts->len; i++) {
		const struct partition *p = g_ptr_array_index(t->parts, i);
		n += (int64_t)p->buckets * cat_replicas(t, p) * t->ntidx;
	}
	return n;
}

/* --- properties ------------------------------------------------------------------ */

const char *
props_get(const struct props *p, const char *k)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->e[i].k, k) == 0)
			return p->e[i].v;
	return NULL;
}

void
props_set(struct props *p, const char *k, const char *v)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->e[i].k, k) == 0) {
			g_free(p->e[i].v);
			p->e[i].v = g_strdup(v);
			return;
		}
	p->e = g_renew(struct kv, p->e, p->n + 1);
	p->e[p->n].k = g_strdup(k);
	p->e[p->n].v = g_strdup(v);
	p->n++;
}

void
props_del(struct props *p, const char *k)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->e[i].k, k) == 0) {
			g_free(p->e[i].k);
			g_free(p->e[i].v);
			memmove(p->e + i, p->e + i + 1, sizeof(struct kv) * (size_t)(p->n - i - 1));
			p->n--;
			return;
		}
}

void
props_free(struct props *p)
{
	for (int i = 0; i < p->n; i++) {
		g_free(p->e[i].k);
		g_free(p->e[i].v);
	}
	g_free(p->e);
	p->e = NULL;
	p->n = 0;
}

const char *
cat_table_location(const struct cluster *c, const struct table *t)
{
	const struct volume *dflt = NULL;

	for (guint i = 0; c->volumes && i < c->volumes->len; i++) {
		const struct volume *v = g_ptr_array_index(c->volumes, i);

		if (t->storage_volume && strcmp(v->name, t->storage_volume) == 0)
			return v->location;
		if (v->is_default)
			dflt = v;
	}
	return dflt ? dflt->location : "s3://bucket";
}
