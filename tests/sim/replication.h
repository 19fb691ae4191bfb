/*
 * replication: startTableReplication on a target FE: the job is built and
 * validated in the order and with the messages of facts 3.1 (type, database,
 * table, per partition: existence, publish state, version order, equal
 * versions skipped; per index and tablet: existence; replica mapping by
 * version; "No data need to replicate"), then admitted as ReplicationMgr does
 * (3.2: the three parallel caps, then "already running"). Shared-data to
 * shared-data requests to a 4.1+ target build a lake job (3.7).
 */
#ifndef SRSIM_REPLICATION_H
#define SRSIM_REPLICATION_H

#include <stdbool.h>
#include <stddef.h>

#include "sim.h"
#include "srm_replication_types.h"

/* With the world write lock held. 0: admitted; else msg is the INTERNAL_ERROR message. */
int repl_start(struct cluster *c, const srmTTableReplicationRequest *req, char *msg, size_t n);

#endif /* SRSIM_REPLICATION_H */
