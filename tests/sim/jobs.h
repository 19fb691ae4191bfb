/*
 * jobs: replication jobs on a target cluster, as ReplicationMgr and
 * ReplicationJob run them (facts 3.3-3.5): INITIALIZING -> SNAPSHOTING ->
 * REPLICATING -> COMMITTED (or ABORTED), one transaction each, labelled
 * REPLICATION_<db>_<tbl>_<job id>. A shared-data to shared-data (lake) job
 * skips SNAPSHOTING. The FE keeps one job per table id: running, committed or
 * aborted.
 *
 * Time: each step lasts its simulated duration ([replication] keys) divided
 * by --speed; the clock thread (clock.c) advances every job. The snapshot step
 * really connects to the source BEs named in the request (snapshot.c).
 */
#ifndef SRSIM_JOBS_H
#define SRSIM_JOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "sim.h"

enum rjob_state { RJ_INITIALIZING = 1, RJ_SNAPSHOTING, RJ_REPLICATING, RJ_COMMITTED, RJ_ABORTED };

struct rjob_backend {
	char *host;
	int be_port, http_port;
};

struct rjob_tablet {
	int64_t tablet_id, src_tablet_id;
	int32_t src_schema_hash;
	int64_t src_version;
	int back0, nback;	/* its source backends: backs[tback[back0 .. back0 + nback)] */
	int part;		/* index into the job's parts */
};

struct rjob_part {
	int64_t phys_id;	/* target physical partition */
	int64_t src_version, src_epoch, src_partition_id;
	bool has_epoch;
	/* set at commit, applied at publish */
	int64_t new_visible, rows, size;
	bool have_src;
};

struct snapcheck;
struct rs;

struct rjob {
	char *job_id;
	struct cluster *cl;
	int64_t db_id, table_id, txn_id;
	int64_t created, finished;	/* wall ms */
	enum rjob_state state;
	char *error;
	bool lake;
	char *src_token;
	struct rjob_part *parts;
	int nparts;
	struct rjob_tablet *tablets;
	int ntablets;
	struct rjob_backend *backs;	/* distinct source backends */
	int nbacks;
	int *tback;			/* per tablet runs of indexes into backs */
	int ntback;
	int total_tasks;
	int64_t replica_count;		/* for replication_max_parallel_replica_count */
	int64_t data_size;		/* src_table_data_size - target table size, for the data cap */
	int64_t bytes;			/* what REPLICATING copies */
	int64_t step_start, step_end;	/* monotonic ms of the current step */
	int64_t txn_start;		/* monotonic ms the transaction began */
	bool published;
	char *fault_abort;		/* sim_job_abort_*: the reason this attempt aborts with */
	struct snapcheck *check;	/* the snapshot step's connection checks */
	/* lake jobs */
	char *src_service_id, *src_volume;
	int64_t src_db_id, src_table_id;
};

const char *jobs_state_name(enum rjob_state s);
bool jobs_is_running(const struct rjob *j);

/* Running jobs of a cluster and what they hold against the admission caps. */
int jobs_running_count(struct cluster *c, int64_t *replicas, int64_t *data_mb);
struct rjob *jobs_get(struct cluster *c, int64_t table_id);
/* Register an admitted job (replaces the table's finished one); begins INITIALIZING. */
void jobs_add(struct cluster *c, struct rjob *j);
void jobs_free(struct rjob *j);

/* Advance every job of both clusters; called by the clock thread with the write lock. */
void jobs_tick(int64_t now_ms);
/* A dropped table aborts its job ("Table is deleted"). */
void jobs_table_dropped(struct cluster *c, int64_t table_id);

/* SHOW PROC '/replications'. */
void jobs_rows(struct cluster *c, struct rs *rs);

#endif /* SRSIM_JOBS_H */
