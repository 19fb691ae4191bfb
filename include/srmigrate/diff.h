/*
 * diff: compare the source and target catalogs and decide, per selected
 * table: DDL to queue, a replication job to plan, a block with its reason,
 * and the table's state. Runs on the engine thread after each meta pass.
 *
 * A mismatch that needs a drop is decided by its ddl_job_allow_drop_* key:
 * allowed -> a DROP (and the re-create) goes on the DDL queue, held for the
 * operator when drops must be confirmed; not allowed -> the table is
 * blocked with the key named in the reason. Nothing is skipped silently.
 */
#ifndef SRMIGRATE_DIFF_H
#define SRMIGRATE_DIFF_H

#include <stdbool.h>
#include <stdint.h>

#include "srmigrate/catalog.h"
#include "srmigrate/config.h"
#include "srmigrate/migration.h"

struct diff_stats {
	uint32_t tables, finished, lagging, blocked, waiting_ddl;
	uint32_t new_ddl, new_jobs;
	bool source_changed;	/* some source partition version moved since the last pass */
};

struct diff_opts {
	const struct srm_config *cfg;
	bool confirm_drops;	/* drops wait in DDL_HELD */
	bool plan_jobs;		/* create jobs for lagging tables (false: only compare) */
};

void diff_run(struct migration *m, const struct catalog *src, const struct catalog *tgt,
	      const struct diff_opts *o, struct diff_stats *st);

/*
 * The source partitions of @t that lag on the target, in partition-name
 * order, split into groups of at most @max_bytes (< 0: one group). Fills
 * names (pointers into @src) and group ends; returns the number of groups.
 */
size_t diff_lagging_groups(const struct catalog *src, const struct cat_table *st,
			   const struct catalog *tgt, const struct cat_table *tt, int64_t max_bytes,
			   const char ***names, size_t **group_end, size_t *n_names);

#endif /* SRMIGRATE_DIFF_H */
