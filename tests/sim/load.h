/*
 * load: data arriving on a cluster. Every load is a transaction that makes
 * one partition's next version visible (and its data version on >= 3.3.2) and
 * adds rows and bytes. The scenario's [load ...] sections run loads on a
 * schedule; INSERT ... VALUES runs one. Expression- and automatically
 * partitioned tables get new partitions as loads come in. On a shared-data
 * cluster with compaction on (lake_compaction_max_tasks != 0) a compaction
 * now and then raises the visible version alone, as lake compaction does.
 */
#ifndef SRSIM_LOAD_H
#define SRSIM_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim.h"

struct load_spec {
	int side;
	char **tables;		/* "db.tbl", "db.*" or "*"; NULL: every base table */
	double fraction;	/* of the matching tables, chosen by a stable hash */
	double interval;	/* simulated seconds between loads of one table */
	int64_t rows, bytes;	/* per load */
	double start, stop;	/* simulated seconds after start; stop 0: never */
	int new_partition_every;	/* expression/automatic tables: a new partition every N loads */
};

/* One load into p (NULL: the table's newest partition). Caller holds the write lock. */
bool load_apply(struct cluster *c, struct table *t, struct partition *p, int64_t rows, int64_t bytes,
		const char *source_type, char *err, size_t n);

/* The next partition of an expression or automatic table, as a load creates it
 * (NULL if that name exists). */
struct partition *load_new_partition(struct cluster *c, struct table *t);
/* A lake compaction of p now and then (every 4th data version) while compaction is on. */
void load_compact(struct cluster *c, struct table *t, struct partition *p);

/* Schedules from the scenario; resolved against the catalog at start. */
void load_add_spec(const struct load_spec *s);
void load_start(void);
void load_free(void);
/* Run what is due; the clock thread calls it with the write lock held. */
void load_tick(int64_t now_ms);
/* Hold (or resume) the scheduled loads into one cluster: sim_load_pause. */
void load_pause(int side, bool on);

#endif /* SRSIM_LOAD_H */
