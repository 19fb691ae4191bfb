/* catalog: see catalog.h. */
#include "srmigrate/catalog.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/util.h"

/* Kept outside struct catalog: only needed while partitions are collected. */
struct part_owner {
	uint32_t table;
	uint32_t seq;		/* arrival order, so grouping is stable */
};

struct catalog_private {
	struct part_owner *owners;
	size_t cap_tables, cap_parts, cap_nodes, cap_dbs, cap_volumes;
};

/* The private part lives right after the public struct. */
struct catalog_box {
	struct catalog pub;
	struct catalog_private priv;
};

static struct catalog_private *
priv(struct catalog *c)
{
	return &((struct catalog_box *)c)->priv;
}

struct catalog *
catalog_new(enum side side)
{
	struct catalog_box *b = xcalloc(1, sizeof(*b));
	struct catalog *c = &b->pub;

	atomic_init(&c->refs, 1);
	c->side = side;
	c->configs = g_hash_table_new(g_str_hash, g_str_equal);
	c->table_index = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	c->strings = g_string_chunk_new(64 * 1024);
	return c;
}

struct catalog *
catalog_ref(struct catalog *c)
{
	atomic_fetch_add(&c->refs, 1);
	return c;
}

void
catalog_unref(struct catalog *c)
{
	if (c == NULL || atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	g_hash_table_destroy(c->configs);
	g_hash_table_destroy(c->table_index);
	g_string_chunk_free(c->strings);
	free(c->nodes);
	free(c->dbs);
	free(c->volumes);
	free(c->tables);
	free(c->parts);
	free(priv(c)->owners);
	free(c);
}

const char *
catalog_str(struct catalog *c, const char *s)
{
	return s ? g_string_chunk_insert_const(c->strings, s) : NULL;
}

/* Grow *arr (element size @size) to hold @need; *cap tracks capacity. */
static void *
grow(void *arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 16;
	if (*cap < need)
		*cap = need;
	return xrealloc(arr, *cap * size);
}

struct cat_db *
catalog_add_db(struct catalog *c, const char *name, int64_t id)
{
	struct cat_db *d;

	c->dbs = grow(c->dbs, &priv(c)->cap_dbs, c->n_dbs + 1, sizeof(*c->dbs));
	d = &c->dbs[c->n_dbs++];
	d->name = catalog_str(c, name);
	d->id = id;
	return d;
}

const struct cat_db *
catalog_db(const struct catalog *c, const char *name)
{
	for (size_t i = 0; i < c->n_dbs; i++)
		if (str_eq(c->dbs[i].name, name))
			return &c->dbs[i];
	return NULL;
}

static char *
table_key(const char *db, const char *name)
{
	/* 0x1f (unit separator) cannot appear in a StarRocks name. */
	return xasprintf("%s\x1f%s", db, name);
}

struct cat_table *
catalog_add_table(struct catalog *c, const char *db, const char *name)
{
	struct cat_table *t = catalog_table(c, db, name);

	if (t)
		return t;
	c->tables = grow(c->tables, &priv(c)->cap_tables, c->n_tables + 1, sizeof(*c->tables));
	t = &c->tables[c->n_tables++];
	memset(t, 0, sizeof(*t));
	t->db = catalog_str(c, db);
	t->name = catalog_str(c, name);
	t->id = t->db_id = -1;
	g_hash_table_insert(c->table_index, table_key(db, name), GSIZE_TO_POINTER(c->n_tables));
	return t;
}

struct cat_table *
catalog_table(const struct catalog *c, const char *db, const char *name)
{
	char *k = table_key(db, name);
	gpointer pos = g_hash_table_lookup(c->table_index, k);

	free(k);
	return pos ? &c->tables[GPOINTER_TO_SIZE(pos) - 1] : NULL;
}

struct cat_node *
catalog_add_node(struct catalog *c, enum node_kind kind)
{
	struct cat_node *n;

	c->nodes = grow(c->nodes, &priv(c)->cap_nodes, c->n_nodes + 1, sizeof(*c->nodes));
	n = &c->nodes[c->n_nodes++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->disk_pct = -1;
	n->avail_bytes = -1;
	return n;
}

void
catalog_set_config(struct catalog *c, const char *key, const char *value)
{
	g_hash_table_insert(c->configs, (gpointer)catalog_str(c, key),
			    (gpointer)catalog_str(c, value ? value : ""));
}

const char *
catalog_config(const struct catalog *c, const char *key)
{
	return g_hash_table_lookup(c->configs, key);
}

int64_t
catalog_config_i64(const struct catalog *c, const char *key, int64_t def)
{
	const char *v = catalog_config(c, key);
	int64_t n;

	return v && parse_i64(v, INT64_MIN, INT64_MAX, &n) ? n : def;
}

struct cat_part *
catalog_part_add(struct catalog *c, struct cat_table *t)
{
	struct catalog_private *p = priv(c);
	size_t cap = p->cap_parts;
	struct cat_part *part;

	c->parts = grow(c->parts, &p->cap_parts, c->n_parts + 1, sizeof(*c->parts));
	if (p->cap_parts != cap || p->owners == NULL)
		p->owners = xrealloc(p->owners, p->cap_parts * sizeof(*p->owners));
	p->owners[c->n_parts] = (struct part_owner){ (uint32_t)(t - c->tables), (uint32_t)c->n_parts };
	part = &c->parts[c->n_parts++];
	memset(part, 0, sizeof(*part));
	part->data_version = part->version_epoch = -1;
	t->parts_known = true;
	return part;
}

/* Group by table, and within a table order by name (catalog_part searches it). */
static int
owner_cmp(const void *a, const void *b, void *arg)
{
	const struct part_owner *x = a, *y = b;
	const struct cat_part *parts = arg;
	int c;

	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	c = strcmp(parts[x->seq].name, parts[y->seq].name);
	if (c != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
catalog_parts_done(struct catalog *c)
{
	struct catalog_private *p = priv(c);
	struct cat_part *sorted;

	if (c->n_parts == 0)
		return;
	qsort_r(p->owners, c->n_parts, sizeof(*p->owners), owner_cmp, c->parts);
	sorted = xmalloc(c->n_parts * sizeof(*sorted));
	for (size_t i = 0; i < c->n_parts; i++)
		sorted[i] = c->parts[p->owners[i].seq];
	for (size_t i = 0; i < c->n_tables; i++)
		c->tables[i].n_parts = 0;
	for (size_t i = 0; i < c->n_parts; i++) {
		struct cat_table *t = &c->tables[p->owners[i].table];

		if (t->n_parts == 0)
			t->first_part = (uint32_t)i;
		t->n_parts++;
	}
	free(c->parts);
	c->parts = sorted;
	p->cap_parts = c->n_parts;
	free(p->owners);
	p->owners = NULL;
}

const struct cat_part *
catalog_parts(const struct catalog *c, const struct cat_table *t, size_t *n)
{
	*n = t->n_parts;
	return t->n_parts ? &c->parts[t->first_part] : NULL;
}

const struct cat_part *
catalog_part(const struct catalog *c, const struct cat_table *t, const char *name)
{
	size_t n, lo = 0, hi;
	const struct cat_part *p = catalog_parts(c, t, &n);

	/* A table's partitions are sorted by name (catalog_parts_done). */
	hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(p[mid].name, name);

		if (cmp == 0)
			return &p[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int64_t
cat_source_version(const struct cat_part *p)
{
	return p->visible_version;
}

int64_t
cat_target_version(const struct cat_part *p)
{
	return p->data_version >= 0 ? p->data_version : p->visible_version;
}

struct cat_volume *
catalog_add_volume(struct catalog *c)
{
	struct cat_volume *v;

	c->volumes = grow(c->volumes, &priv(c)->cap_volumes, c->n_volumes + 1, sizeof(*c->volumes));
	v = &c->volumes[c->n_volumes++];
	memset(v, 0, sizeof(*v));
	return v;
}

const struct cat_volume *
catalog_volume_of(const struct catalog *c, const char *path)
{
	const struct cat_volume *best = NULL;

	/* The longest matching location wins (one volume may nest in another's bucket). */
	for (size_t i = 0; path && i < c->n_volumes; i++) {
		size_t n = c->volumes[i].location ? strlen(c->volumes[i].location) : 0;

		if (n > 0 && strncmp(path, c->volumes[i].location, n) == 0 &&
		    (path[n] == '/' || path[n] == '\0' || c->volumes[i].location[n - 1] == '/') &&
		    (best == NULL || n > strlen(best->location)))
			best = &c->volumes[i];
	}
	return best;
}

bool
catalog_service_id(const char *path, int64_t db_id, int64_t table_id, char *out, size_t len)
{
	char tail[64];
	const char *at, *start;
	size_t tl;

	if (path == NULL)
		return false;
	str_fmt(tail, sizeof(tail), "/db%lld/%lld", (long long)db_id, (long long)table_id);
	tl = strlen(tail);
	at = strstr(path, tail);
	if (at == NULL || (at[tl] != '\0' && at[tl] != '/') || at == path)
		return false;
	for (start = at; start > path && start[-1] != '/'; start--)
		;
	if (start == at || (size_t)(at - start) >= len)
		return false;
	memcpy(out, start, (size_t)(at - start));
	out[at - start] = '\0';
	return true;
}

const struct cat_node *
catalog_leader(const struct catalog *c)
{
	for (size_t i = 0; i < c->n_nodes; i++)
		if (c->nodes[i].kind == NODE_FE && c->nodes[i].is_leader)
			return &c->nodes[i];
	return NULL;
}

const struct cat_node *
catalog_backend(const struct catalog *c, int64_t id)
{
	for (size_t i = 0; i < c->n_nodes; i++)
		if (c->nodes[i].kind != NODE_FE && c->nodes[i].id == id)
			return &c->nodes[i];
	return NULL;
}

const char *
table_kind_name(enum table_kind k)
{
	static const char *const n[] = {
		[TK_OTHER] = "other", [TK_OLAP] = "OLAP", [TK_CLOUD_NATIVE] = "CLOUD_NATIVE",
		[TK_MV] = "MATERIALIZED_VIEW", [TK_VIEW] = "VIEW",
	};
	return (size_t)k < ARRAY_LEN(n) ? n[k] : "?";
}
