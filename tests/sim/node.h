/*
 * node: every node's real listeners. FEs: query (MySQL), rpc (Thrift) and
 * http; BEs and CNs: be_port and http. The http port answers /api/health and,
 * on BEs and CNs, /api/_tablet/_download with the token and path checks of
 * be/src/http/download_action.cpp. A node set down (fault) closes its
 * listeners, so connecting is refused, until it is set up again.
 */
#ifndef SRSIM_NODE_H
#define SRSIM_NODE_H

#include <stdbool.h>
#include <stddef.h>

#include "sim.h"

/* Fixed ports for fe-0 of a cluster (0: ephemeral). */
struct node_ports {
	int query, rpc, http;
};

bool node_start_all(const struct node_ports fixed[2], char *err, size_t n);
void node_stop_all(void);
void node_set_down(struct node *nd, bool down);

/* The snapshot directory a source node makes for a job, and the download URL path. */
char *node_snapshot_dir(const struct node *src, int64_t job_seq);

#endif /* SRSIM_NODE_H */
