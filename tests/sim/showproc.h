/*
 * showproc: the SHOW PROC tree (facts 4.4) and the partition and tablet rows
 * SHOW PARTITIONS and SHOW TABLET share with it.
 */
#ifndef SRSIM_SHOWPROC_H
#define SRSIM_SHOWPROC_H

#include <stdbool.h>

#include "result.h"
#include "sim.h"

/* PartitionsProcDir rows of t (temp or normal partitions). */
void proc_partition_rows(struct cluster *c, const struct table *t, bool temp, struct rs *rs);
/* Local or lake tablet rows of the given partitions (NULL: all) and index slot (-1: all),
 * sorted by tablet id then replica id. */
void proc_tablet_rows(struct cluster *c, const struct table *t, GPtrArray *parts, int slot, struct rs *rs);
/* The titles of tablet rows, for an empty SHOW TABLET result. */
void proc_tablet_titles(struct cluster *c, const struct table *t, struct rs *rs);
/* ReplicasProcNode rows of one tablet (ref NULL: an unknown tablet, no rows). */
struct tablet_ref;
void proc_replica_rows(struct cluster *c, const struct tablet_ref *ref, struct rs *rs);
/* The "DATA_DIR" / DiskRootPath of a node. */
const char *proc_root_path(void);

#endif /* SRSIM_SHOWPROC_H */
