/*
 * sim: the simulated world srsim plays: a source and a target cluster, each
 * with FEs (MySQL, Thrift and HTTP listeners), BEs and CNs (be_port and HTTP
 * listeners), a catalog, transactions, replication jobs, FE configs, faults
 * and statement counters.
 *
 * Locking: one reader-writer lock, world.lock, guards every catalog, every
 * transaction list and every job of both clusters. Statements that only read
 * take it shared; DDL, loads and job steps take it exclusive. Nothing blocks on
 * the network while holding it except a result set being written to a client
 * (the rows are produced and sent under a shared lock, which only delays
 * writers). Counters are atomics and need no lock.
 */
#ifndef SRSIM_SIM_H
#define SRSIM_SIM_H

#include <glib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "catalog.h"
#include "profile.h"

enum { SIDE_SOURCE = 0, SIDE_TARGET = 1 };
enum node_kind { NODE_FE, NODE_BE, NODE_CN };

struct listener;

struct node {
	enum node_kind kind;
	int idx;
	int64_t id;		/* backend / compute node id; FE: the 3.5 "Id" */
	char host[80];		/* fe-0.source.invalid */
	char name[128];		/* FE node name: host_9010_<start ms> */
	struct cluster *cl;
	struct listener *query, *rpc, *http, *be;	/* the real loopback listeners */
	int64_t start_time;
	int64_t capacity;	/* bytes of disk */
	int cpu_cores;
	int64_t mem_limit;
	uint64_t path_hash;
	int64_t worker_id;	/* shared-data StarOS worker */
	atomic_bool down;	/* fault: refuses connections, shown not alive */
	atomic_llong stall_until;	/* fault: monotonic ms until which it answers nothing */
	atomic_int disk_pct;		/* fault: used disk percent, -1 for the cluster's */
};

struct volume {
	char *name, *type, *location, *params, *comment;	/* params: JSON object text */
	bool is_default, enabled;
};

struct user {
	char *name, *password;
	bool operate;		/* SYSTEM OPERATE (ADMIN SHOW/SET, SHOW PROC) */
};

enum txn_status { TXN_PREPARE, TXN_COMMITTED, TXN_VISIBLE, TXN_ABORTED };
#define TXN_KEEP 2000

struct txn {
	int64_t id;
	int64_t db_id, table_id;
	char *label;
	char *coordinator;	/* "FE: fe-0.target.invalid" / "BE: ..." */
	const char *source_type;	/* LoadJobSourceType name */
	enum txn_status status;
	int64_t prepare_time, commit_time, publish_time, finish_time;
	char *reason;
	int64_t timeout_ms;
	int64_t listener_id;
};

/* FE configs: values per cluster, definitions in feconfig.c. */
struct fe_config {
	char **values;		/* parallel to the definition table */
	GHashTable *sim;	/* sim_* keys set at run time or by the scenario: key -> value */
};

/* Statement kinds counted per cluster (stats.env) and addressed by faults. */
#define STMT_KINDS(_) \
	_(SHOW_PROC) _(SHOW_PARTITIONS) _(SHOW_TABLET) _(SHOW_CREATE) _(SHOW_TABLES) \
	_(SHOW_DATABASES) _(SHOW_NODES) _(SHOW_DATA) _(SHOW_OTHER) _(SELECT) \
	_(ADMIN) _(DDL) _(SET) _(OTHER) _(ERROR)
#define STMT_ENUM(x) STMT_##x,
enum stmt_kind { STMT_KINDS(STMT_ENUM) STMT_NKINDS };
#undef STMT_ENUM

struct faults;

struct stats {
	atomic_llong statements, rpcs, connections, kinds[STMT_NKINDS];
};

struct cluster {
	int side;
	const char *label;	/* "SOURCE" / "TARGET" */
	const char *domain;	/* "source" / "target" */
	struct profile prof;
	char *user, *password, *token, *service_id;
	GPtrArray *users;	/* struct user * (the first is the scenario's user) */
	struct node *fes, *bes, *cns;
	int nfe, nbe, ncn;
	atomic_int leader;
	int cluster_id;
	GPtrArray *volumes;	/* struct volume * */
	int disk_used_pct;
	/* catalog (catalog.c) */
	int64_t next_id, next_txn_id;
	GPtrArray *dbs;
	GHashTable *db_by_name, *db_by_id, *table_by_id;
	GArray *tranges;	/* tablet id ranges, sorted */
	/* replication (target side, jobs.c) */
	GHashTable *jobs;	/* table id -> struct rjob *, one per table as the FE keeps */
	int64_t job_seq;
	struct fe_config cfg;
	struct faults *flt;
	struct stats st;
	int64_t journal_id;
};

struct world {
	pthread_rwlock_t lock;
	struct cluster cl[2];
	double speed;		/* --speed: simulated seconds per real second */
	char dir[4096];
	atomic_bool stopping;
	uint64_t seed;
	/* [replication] */
	double snapshot_latency, snapshot_per_tablet, init_delay, publish_delay;
	int64_t copy_speed;	/* bytes per simulated second */
	double version_retention;	/* simulated seconds a replaced version stays readable */
	bool system_dbs;
};

extern struct world world;

static inline struct cluster *
sim_cluster(int side)
{
	return &world.cl[side];
}

/* Real milliseconds for a simulated duration in seconds. */
int64_t sim_real_ms(double sim_seconds);

void sim_rdlock(void);
void sim_wrlock(void);
void sim_unlock(void);

/* The leader FE of a cluster. */
struct node *sim_leader(struct cluster *c);
/* A node by its advertised host (fe-0.source.invalid), in either cluster. */
struct node *sim_node_by_host(const char *host);
/* The node owning a real listener port, in either cluster. */
struct node *sim_node_by_port(int port, int *which);	/* which: 0 be_port, 1 http */
/* Wait while a node is stalled by a fault; false when srsim is stopping. */
bool sim_wait_stall(struct node *n);
/* Storage workers of a shared-data cluster (its CNs, then its BEs). */
int sim_workers(const struct cluster *c);
struct node *sim_worker(struct cluster *c, int i);
/* Data-holding nodes (BEs for shared-nothing, workers for shared-data). */
int sim_data_nodes(const struct cluster *c);
struct node *sim_data_node(struct cluster *c, int i);
struct user *sim_user(struct cluster *c, const char *name);

#endif /* SRSIM_SIM_H */
