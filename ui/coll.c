/*
 * coll: a collection of rows keyed by id, with one sorted and filtered view
 * made of slot numbers. The design is in model.h.
 */
#include "model.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/util.h"

enum { F_LIVE = 1, F_DIRTY = 2, F_MATCH = 4 };

#define ROW(c, slot) ((void *)((c)->rows + (size_t)(slot) * (c)->elem))
#define ROW_ID(c, slot) (*(const uint32_t *)ROW(c, slot))

void
coll_init(struct coll *c, size_t elem, void (*drop)(void *row))
{
	memset(c, 0, sizeof(*c));
	c->elem = elem;
	c->drop = drop;
	c->map = g_hash_table_new(g_direct_hash, g_direct_equal);
	c->need_sort = true;
}

static void
drop_rows(struct coll *c)
{
	if (c->drop == NULL)
		return;
	for (uint32_t s = 0; s < c->used; s++)
		if (c->flags[s] & F_LIVE)
			c->drop(ROW(c, s));
}

void
coll_fini(struct coll *c)
{
	drop_rows(c);
	g_hash_table_destroy(c->map);
	free(c->rows);
	free(c->flags);
	free(c->free_slots);
	free(c->dirty);
	free(c->order);
	free(c->vis);
	memset(c, 0, sizeof(*c));
}

void
coll_clear(struct coll *c)
{
	drop_rows(c);
	g_hash_table_remove_all(c->map);
	if (c->cap)
		memset(c->flags, 0, c->cap);
	c->used = c->n_live = c->n_free = c->n_dirty = 0;
	c->n_order = c->n_vis = 0;
	c->need_sort = true;
	c->gen++;
}

static void
grow(struct coll *c)
{
	uint32_t cap = c->cap ? c->cap * 2 : 64;

	c->rows = xrealloc(c->rows, (size_t)cap * c->elem);
	c->flags = xrealloc(c->flags, cap);
	memset(c->flags + c->cap, 0, cap - c->cap);
	c->free_slots = xrealloc(c->free_slots, (size_t)cap * sizeof(uint32_t));
	c->dirty = xrealloc(c->dirty, (size_t)cap * sizeof(uint32_t));
	c->order = xrealloc(c->order, (size_t)cap * sizeof(uint32_t));
	c->vis = xrealloc(c->vis, (size_t)cap * sizeof(uint32_t));
	c->cap = cap;
}

static void
mark_dirty(struct coll *c, uint32_t slot)
{
	if (!(c->flags[slot] & F_DIRTY)) {
		c->flags[slot] |= F_DIRTY;
		c->dirty[c->n_dirty++] = slot;
	}
}

void *
coll_upsert(struct coll *c, uint32_t id)
{
	gpointer v;
	uint32_t slot;

	if (g_hash_table_lookup_extended(c->map, GUINT_TO_POINTER(id), NULL, &v)) {
		slot = GPOINTER_TO_UINT(v) - 1;
		mark_dirty(c, slot);
		return ROW(c, slot);
	}
	if (c->n_free > 0) {
		slot = c->free_slots[--c->n_free];
	} else {
		if (c->used == c->cap)
			grow(c);
		slot = c->used++;
	}
	memset(ROW(c, slot), 0, c->elem);
	*(uint32_t *)ROW(c, slot) = id;
	c->flags[slot] |= F_LIVE;
	c->n_live++;
	g_hash_table_insert(c->map, GUINT_TO_POINTER(id), GUINT_TO_POINTER(slot + 1));
	mark_dirty(c, slot);
	return ROW(c, slot);
}

bool
coll_forget(struct coll *c, uint32_t id)
{
	gpointer v;
	uint32_t slot;

	if (!g_hash_table_lookup_extended(c->map, GUINT_TO_POINTER(id), NULL, &v))
		return false;
	slot = GPOINTER_TO_UINT(v) - 1;
	g_hash_table_remove(c->map, GUINT_TO_POINTER(id));
	if (c->drop)
		c->drop(ROW(c, slot));
	c->flags[slot] &= (uint8_t)~(F_LIVE | F_MATCH);
	c->n_live--;
	/* Still in the order until the next refresh takes changed slots out. */
	mark_dirty(c, slot);
	c->free_slots[c->n_free++] = slot;
	return true;
}

const void *
coll_get(const struct coll *c, uint32_t id)
{
	gpointer v;

	if (!g_hash_table_lookup_extended(c->map, GUINT_TO_POINTER(id), NULL, &v))
		return NULL;
	return ROW(c, GPOINTER_TO_UINT(v) - 1);
}

const void *
coll_slot(const struct coll *c, uint32_t slot)
{
	return slot < c->used && (c->flags[slot] & F_LIVE) ? ROW(c, slot) : NULL;
}

const void *
coll_vis(const struct coll *c, uint32_t i)
{
	return i < c->n_vis ? ROW(c, c->vis[i]) : NULL;
}

void
coll_set_sort(struct coll *c, coll_cmp_fn cmp, int col, int tie_col, bool reverse)
{
	if (c->cmp == cmp && c->sort_col == col && c->tie_col == tie_col && c->reverse == reverse)
		return;
	c->cmp = cmp;
	c->sort_col = col;
	c->tie_col = tie_col;
	c->reverse = reverse;
	c->need_sort = true;
}

void
coll_set_filter(struct coll *c, coll_match_fn match, const char *needle)
{
	char low[COLL_NEEDLE];
	size_t i;

	for (i = 0; needle[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)((needle[i] >= 'A' && needle[i] <= 'Z') ? needle[i] + 32 : needle[i]);
	low[i] = '\0';
	if (c->match == match && strcmp(c->needle, low) == 0)
		return;
	c->match = match;
	memcpy(c->needle, low, i + 1);
	c->need_match = true;
}

bool
str_icontains(const char *hay, const char *needle)
{
	unsigned char first = (unsigned char)needle[0];
	unsigned char upper = first >= 'a' && first <= 'z' ? first - 32 : first;

	for (; *hay; hay++) {
		const char *h, *n;

		if ((unsigned char)*hay != first && (unsigned char)*hay != upper)
			continue;
		for (h = hay, n = needle; *n && *h; h++, n++) {
			unsigned char ch = (unsigned char)*h;

			if (ch >= 'A' && ch <= 'Z')
				ch += 32;
			if (ch != (unsigned char)*n)
				break;
		}
		if (*n == '\0')
			return true;
	}
	return false;
}

/*
 * The total order of the view: the sort column (reversed on demand), then
 * the tie column ascending, then the id, so equal keys always come out the
 * same way whatever the algorithm.
 */
static int
compare_slots(const struct coll *c, uint32_t a, uint32_t b)
{
	const void *ra = ROW(c, a), *rb = ROW(c, b);
	uint32_t ia, ib;
	int r = 0;

	if (c->cmp) {
		r = c->cmp(ra, rb, c->sort_col);
		if (c->reverse)
			r = -r;
		if (r == 0 && c->tie_col != c->sort_col)
			r = c->cmp(ra, rb, c->tie_col);
	}
	if (r != 0)
		return r;
	ia = ROW_ID(c, a);
	ib = ROW_ID(c, b);
	return (ia > ib) - (ia < ib);
}

static int
qsort_slots(const void *pa, const void *pb, void *arg)
{
	return compare_slots(arg, *(const uint32_t *)pa, *(const uint32_t *)pb);
}

static bool
row_matches(const struct coll *c, uint32_t slot)
{
	return c->match == NULL || c->match(ROW(c, slot), c->needle);
}

static void
set_match(struct coll *c, uint32_t slot)
{
	if (c->needle[0] == '\0' || !(c->flags[slot] & F_LIVE))
		return;
	if (row_matches(c, slot))
		c->flags[slot] |= F_MATCH;
	else
		c->flags[slot] &= (uint8_t)~F_MATCH;
}

static void
sort_all(struct coll *c)
{
	uint32_t n = 0;

	for (uint32_t s = 0; s < c->used; s++)
		if (c->flags[s] & F_LIVE)
			c->order[n++] = s;
	c->n_order = n;
	if (n > 1)
		qsort_r(c->order, n, sizeof(uint32_t), qsort_slots, c);
}

/* First position in order[0, n) whose slot sorts after @slot. */
static uint32_t
upper_bound(const struct coll *c, uint32_t n, uint32_t slot)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (compare_slots(c, c->order[mid], slot) > 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * Take the changed slots out of the order, sort the live ones among them
 * and merge them back in from the end: every slot of the order moves at
 * most once, and each changed one costs a binary search.
 */
static void
merge_changed(struct coll *c)
{
	uint32_t *tmp = c->vis;	/* rebuilt right after: free to use here */
	uint32_t n = 0, k = 0, i, j, w;

	for (i = 0; i < c->n_order; i++)
		if (!(c->flags[c->order[i]] & F_DIRTY))
			c->order[n++] = c->order[i];
	for (i = 0; i < c->n_dirty; i++)
		if (c->flags[c->dirty[i]] & F_LIVE)
			tmp[k++] = c->dirty[i];
	if (k > 1)
		qsort_r(tmp, k, sizeof(uint32_t), qsort_slots, c);
	i = n;
	j = k;
	w = n + k;
	while (j > 0) {
		uint32_t p = upper_bound(c, i, tmp[j - 1]);

		memmove(&c->order[w - (i - p)], &c->order[p], (size_t)(i - p) * sizeof(uint32_t));
		w -= i - p;
		i = p;
		c->order[--w] = tmp[--j];
	}
	c->n_order = n + k;
}

bool
coll_refresh(struct coll *c)
{
	bool all = c->needle[0] == '\0';

	if (!c->need_sort && !c->need_match && c->n_dirty == 0)
		return false;
	if (c->need_match) {
		for (uint32_t s = 0; s < c->used; s++)
			set_match(c, s);
	} else {
		for (uint32_t i = 0; i < c->n_dirty; i++)
			set_match(c, c->dirty[i]);
	}
	/* Many changes: one sort beats many binary searches. */
	if (c->need_sort || (uint64_t)c->n_dirty * 16 > c->n_live)
		sort_all(c);
	else if (c->n_dirty > 0)
		merge_changed(c);
	for (uint32_t i = 0; i < c->n_dirty; i++)
		c->flags[c->dirty[i]] &= (uint8_t)~F_DIRTY;
	c->n_dirty = 0;
	c->n_vis = 0;
	for (uint32_t i = 0; i < c->n_order; i++)
		if (all || (c->flags[c->order[i]] & F_MATCH))
			c->vis[c->n_vis++] = c->order[i];
	c->need_sort = c->need_match = false;
	c->gen++;
	return true;
}
