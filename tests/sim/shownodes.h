/*
 * shownodes: SHOW FRONTENDS / BACKENDS / COMPUTE NODES rows for a cluster.
 */
#ifndef SRSIM_SHOWNODES_H
#define SRSIM_SHOWNODES_H

#include "result.h"
#include "sim.h"

void shn_frontends(struct cluster *c, struct rs *rs);
void shn_backends(struct cluster *c, struct rs *rs);
void shn_compute_nodes(struct cluster *c, struct rs *rs);
/* Used disk percent of a node (fault override, else the cluster's). */
int shn_disk_pct(const struct cluster *c, const struct node *n);

#endif /* SRSIM_SHOWNODES_H */
