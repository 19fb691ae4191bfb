/*
 * cattablet: tablets and replicas, whose ids are computed rather than stored
 * (a partition index keeps its first tablet id and a backend offset), and the
 * versions a partition went through (part of the catalog module).
 */
#include "catalog.h"

#include <string.h>

#include "sim.h"
#include "simutil.h"

/* --- tablet ranges: every partition index's tablet and replica ids, for lookups by id --- */

/* A run of tablet (and replica) ids owned by one partition index. */
struct trange {
	int64_t first, last;
	struct table *t;
	struct partition *p;
	int slot;
};

void
cat_tablets_init(struct cluster *c)
{
	c->tranges = g_array_new(FALSE, FALSE, sizeof(struct trange));
}

void
cat_tablets_add(struct cluster *c, struct table *t, struct partition *p, int slot)
{
	int n = p->buckets * cat_tablet_stride(t, p);
	struct trange r = { p->first_tablet[slot], p->first_tablet[slot] + n - 1, t, p, slot };
	guint lo = c->tranges->len;

	/* ids only grow, so this is nearly always an append */
	while (lo > 0 && g_array_index(c->tranges, struct trange, lo - 1).first > r.first)
		lo--;
	g_array_insert_val(c->tranges, lo, r);
}

static gint
trange_find(const struct cluster *c, int64_t id)
{
	gint lo = 0, hi = (gint)c->tranges->len - 1;

	while (lo <= hi) {
		gint mid = (lo + hi) / 2;
		const struct trange *r = &g_array_index(c->tranges, struct trange, mid);
		if (id < r->first)
			hi = mid - 1;
		else if (id > r->last)
			lo = mid + 1;
		else
			return mid;
	}
	return -1;
}

void
cat_tablets_remove(struct cluster *c, struct partition *p, int slot)
{
	gint i = trange_find(c, p->first_tablet[slot]);

	if (i >= 0)
		g_array_remove_index(c->tranges, (guint)i);
}

bool
cat_tablet_find(const struct cluster *c, int64_t id, struct tablet_ref *out)
{
	gint i = trange_find(c, id);

	if (i < 0)
		return false;
	const struct trange *r = &g_array_index(c->tranges, struct trange, i);
	int stride = cat_tablet_stride(r->t, r->p);
	int64_t off = id - r->first;
	out->t = r->t;
	out->p = r->p;
	out->slot = r->slot;
	out->bucket = (int)(off / stride);
	out->replica = (int)(off % stride) - 1;
	return true;
}

int
cat_tablet_stride(const struct table *t, const struct partition *p)
{
	return t->cloud_native ? 1 : 1 + p->replication_num;
}

int
cat_replicas(const struct table *t, const struct partition *p)
{
	return t->cloud_native ? 1 : p->replication_num;
}

int64_t
cat_tablet_id(const struct table *t, const struct partition *p, int slot, int bucket)
{
	return p->first_tablet[slot] + (int64_t)bucket * cat_tablet_stride(t, p);
}

int64_t
cat_replica_id(const struct table *t, const struct partition *p, int slot, int bucket, int r)
{
	return cat_tablet_id(t, p, slot, bucket) + 1 + r;
}

int
cat_replica_node(const struct cluster *c, const struct partition *p, int slot, int bucket, int r)
{
	int n = sim_data_nodes(c);

	return n ? (p->be_offset[slot] + bucket + r) % n : 0;
}

int64_t
cat_bucket_share(int64_t total, int buckets, int bucket)
{
	if (buckets <= 0)
		return 0;
	return total / buckets + (bucket < total % buckets ? 1 : 0);
}

void
cat_tablets_make(struct cluster *c, struct table *t, struct partition *p, int slot)
{
	int stride = cat_tablet_stride(t, p);
	int n = sim_data_nodes(c);

	p->first_tablet[slot] = c->next_id;
	c->next_id += (int64_t)p->buckets * stride;
	p->be_offset[slot] = n ? (int)(su_mix((uint64_t)p->first_tablet[slot]) % (uint64_t)n) : 0;
	cat_tablets_add(c, t, p, slot);
}

/* --- version history ------------------------------------------------------------ */

void
cat_part_record(struct partition *p)
{
	int64_t v = p->data_version, now = su_now_ms();
	struct vpoint *last = p->nhist ? &p->hist[p->nhist - 1] : NULL;

	if (last && last->version == v) {
		last->rows = p->rows;
		last->size = p->size;
		return;
	}
	if (last)
		last->superseded_ms = now;
	/* forget what the BEs have swept: versions replaced longer ago than the retention */
	int64_t keep = sim_real_ms(world.version_retention);
	int drop = 0;
	while (drop < p->nhist && now - p->hist[drop].superseded_ms > keep)
		drop++;
	if (drop) {
		memmove(p->hist, p->hist + drop, (size_t)(p->nhist - drop) * sizeof *p->hist);
		p->nhist -= drop;
	}
	if (p->nhist == p->hist_cap) {
		p->hist_cap = p->hist_cap ? p->hist_cap * 2 : 2;
		p->hist = g_renew(struct vpoint, p->hist, p->hist_cap);
	}
	p->hist[p->nhist++] = (struct vpoint){ v, p->rows, p->size, INT64_MAX };
}

bool
cat_part_at(const struct partition *p, int64_t version, int64_t *rows, int64_t *size)
{
	const struct vpoint *best = NULL;

	for (int i = 0; i < p->nhist && p->hist[i].version <= version; i++)
		best = &p->hist[i];
	if (!best)
		return false;
	*rows = best->rows;
	*size = best->size;
	return true;
}

int64_t
cat_part_repl_version(const struct cluster *c, const struct partition *p)
{
	return prof_has_data_version(&c->prof) ? p->data_version : p->visible_version;
}
