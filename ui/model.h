/*
 * model: the UI's own copy of what the engine reported. Panes draw from it
 * and from nothing else, so a test can build one by hand.
 *
 * Events carry whole objects keyed by id: applying one replaces the row (or
 * adds it), EV_FORGET removes it. Objects live in collections (struct coll):
 * rows sit in slots that stay put for an object's life, a map goes from id
 * to slot, and one view lists every live slot in sort order ("order") and
 * the slots that pass the filter ("vis"). Sorting and filtering move slot
 * numbers, never rows.
 *
 * The view is brought up to date lazily, once per frame (coll_refresh):
 * - the sort changed: sort every slot, O(n log n);
 * - the filter changed: test every row again and keep the order, O(n);
 * - k rows changed: take them out, sort them and merge them back in,
 *   O(n + k log n); or sort everything when k is a large share of n.
 * Row pointers handed out are valid until the next model_apply.
 */
#ifndef SRMIGRATE_UI_MODEL_H
#define SRMIGRATE_UI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srmigrate/event.h"

enum m_kind { MK_JOBS, MK_TABLES, MK_DDL, MK_NODES, MK_CHECKS, MK_N };

/* Rows. Each starts with its uint32_t key; texts are owned by the row. */
struct m_table {
	uint32_t id;
	enum table_state state;
	uint32_t partitions, lagging, attempts;
	int64_t src_version, tgt_version;
	int64_t src_rows, tgt_rows, src_bytes, tgt_bytes, lag_bytes;
	int64_t synced_ms;
	char *name;
	char *reason;
};

struct m_job {
	uint32_t id;
	uint32_t table_id;
	enum job_state state;
	uint32_t partitions, attempts;
	int64_t bytes;
	int64_t created_ms, sent_ms, ended_ms;
	char fe_state[16];
	char fe_progress[16];
	char job_id[48];
	char *table;
	char *error;
};

struct m_ddl {
	uint32_t id;
	uint32_t table_id;
	enum ddl_state state;
	bool drops_data;
	uint32_t attempts;
	int64_t queued_ms, done_ms;
	char *target;
	char *statement;
	char *error;
};

/* Nodes and checks are few: their rows are the events themselves. */

/* Compare rows @a and @b by column @col: < 0, 0, > 0. */
typedef int (*coll_cmp_fn)(const void *a, const void *b, int col);
/* Does @row contain @needle (lower case, not empty)? */
typedef bool (*coll_match_fn)(const void *row, const char *needle);

#define COLL_NEEDLE 128

struct coll {
	size_t elem;			/* row size */
	void (*drop)(void *row);	/* frees what a row owns; may be NULL */
	unsigned char *rows;
	uint8_t *flags;			/* per slot: live, changed, matches */
	uint32_t cap, used, n_live;
	uint32_t *free_slots, n_free;
	struct _GHashTable *map;	/* id -> slot + 1 */
	uint32_t *dirty, n_dirty;	/* slots changed since the last refresh */
	/* The view. */
	uint32_t *order, n_order;
	uint32_t *vis, n_vis;
	coll_cmp_fn cmp;
	int sort_col, tie_col;
	bool reverse;
	coll_match_fn match;
	char needle[COLL_NEEDLE];
	bool need_sort, need_match;
	uint64_t gen;			/* bumped whenever vis may have changed */
};

struct model {
	struct coll c[MK_N];
	struct ev_engine engine;
	struct ev_cluster cluster[2];
	struct ev_progress progress;
	struct ev_cutover cutover;
	struct ev_log log;		/* the latest line */
	struct ev_quit quit;
	bool have_engine, have_cluster[2], have_progress, have_cutover, have_log, have_quit;
	uint32_t warnings, errors;	/* log lines of those levels so far */
	uint32_t ddl_held;		/* DDL rows in DDL_HELD */
	bool frozen;
	struct _GHashTable *deferred;	/* while frozen: (kind, id) -> latest event */
	uint64_t applied;		/* events applied or deferred */
};

void model_init(struct model *m);
void model_fini(struct model *m);
/* Apply one event. @return true when what is on screen may have changed. */
bool model_apply(struct model *m, const struct event *ev);
/*
 * Freeze the panes: while frozen, object events (tables, jobs, DDL, nodes)
 * are kept aside, latest per object, and the rest applies as usual. Thawing
 * applies what was kept.
 */
void model_freeze(struct model *m, bool frozen);
size_t model_deferred(const struct model *m);

void coll_init(struct coll *c, size_t elem, void (*drop)(void *row));
void coll_fini(struct coll *c);
void coll_clear(struct coll *c);
/* The row of @id, new and zeroed or existing; marked changed. */
void *coll_upsert(struct coll *c, uint32_t id);
bool coll_forget(struct coll *c, uint32_t id);
const void *coll_get(const struct coll *c, uint32_t id);
const void *coll_slot(const struct coll *c, uint32_t slot);
/* The row at position @i of the view (i < n_vis). */
const void *coll_vis(const struct coll *c, uint32_t i);
void coll_set_sort(struct coll *c, coll_cmp_fn cmp, int col, int tie_col, bool reverse);
/* @needle: any case; "" shows every row. */
void coll_set_filter(struct coll *c, coll_match_fn match, const char *needle);
/* Bring order and vis up to date. @return true when vis changed. */
bool coll_refresh(struct coll *c);

/* Case-insensitive (ASCII) substring test, @needle already lower case. */
bool str_icontains(const char *hay, const char *needle);

#endif /* SRMIGRATE_UI_MODEL_H */
