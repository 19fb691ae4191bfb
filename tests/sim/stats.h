/*
 * stats: per-cluster statement counters, written to DIR/stats.env on SIGUSR1
 * and at exit: <SIDE>_STATEMENTS, <SIDE>_RPCS, <SIDE>_CONNECTIONS and one
 * <SIDE>_<KIND> per statement kind (SOURCE_SHOW_PROC=12 ...), then
 * STATS_RESETS. SIGUSR2, or ADMIN SET FRONTEND CONFIG ("sim_stats_reset" =
 * "true") on either cluster, sets every counter of both clusters back to zero
 * (the resetting statement itself is not left counted), so that a benchmark
 * counts exactly what was sent between a reset and a SIGUSR1.
 */
#ifndef SRSIM_STATS_H
#define SRSIM_STATS_H

#include <stdbool.h>

#include "sim.h"

void stats_count(struct cluster *c, enum stmt_kind k);
/* "show_proc", as sim_malformed names kinds. */
const char *stats_kind_name(enum stmt_kind k);
/* Atomically replace DIR/stats.env. */
bool stats_write(const char *dir);
/* Every counter of both clusters back to zero. */
void stats_reset(void);

#endif /* SRSIM_STATS_H */
