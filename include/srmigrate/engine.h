/*
 * engine: the migration, on its own thread.
 *
 * DESIGN
 * engine.c runs one loop on the engine thread: it takes commands from the
 * consumer's ring (and the control socket's), reaps finished tasks, starts
 * the work that is due (meta pass, DDL batch, job sends, job following,
 * progress report), applies the guards, and publishes what changed as
 * events. All network work runs as tasks on the worker pool (task.h), so
 * the loop never blocks on a cluster: a stalled FE makes data old, not the
 * engine deaf. Only this thread touches struct engine after engine_start.
 *
 * The other modules of the engine share this struct:
 *   metapass.c  meta passes, the diff, nodes
 *   jobs.c      job sends (request building, RPC) and following
 *   ddlq.c      the DDL queue
 *   progress.c  counters, ETA, the sync.INFO.log lines, the metrics file
 *   publish.c   events to the consumer, coalesced when the ring is full
 *   checks.c    the pre-flight checklist as a task, and its fixes
 *   cutover.c   the guided cutover: gated steps, verification, restoring settings
 */
#ifndef SRMIGRATE_ENGINE_H
#define SRMIGRATE_ENGINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "srmigrate/catalog.h"
#include "srmigrate/config.h"
#include "srmigrate/ddl.h"
#include "srmigrate/event.h"
#include "srmigrate/migration.h"
#include "srmigrate/preflight.h"
#include "srmigrate/meta.h"
#include "srmigrate/progress.h"
#include "srmigrate/request.h"
#include "srmigrate/ring.h"
#include "srmigrate/settings.h"
#include "srmigrate/sql.h"
#include "srmigrate/task.h"

struct engine_opts {
	bool tui;		/* a UI consumes events: wait for CMD_CONTINUE after the checks */
	bool readonly;		/* never write to either cluster */
	bool once;		/* one_time_run_mode */
	bool force;		/* start although a check fails */
	bool confirm_drops;	/* drops wait for the operator */
};

struct cluster_health {
	bool connected;
	int64_t last_ok_ms;	/* wall clock */
	int64_t lost_since;	/* monotonic, 0 while connected */
	char error[EV_TEXT_LEN];
};

struct engine {
	struct srm_config *cfg;
	struct engine_opts opts;
	struct ring *events, *commands;
	struct ring *ctl_commands, *ctl_replies;	/* control socket, may be NULL */
	pthread_t thread;
	bool started;

	struct sql_pool pool[2];
	struct catalog *cat[2];		/* last complete catalogs (our references) */
	struct migration mig;
	struct taskpool tp;

	enum engine_state state;
	char reason[EV_TEXT_LEN];
	bool paused;			/* by the operator */
	bool continued;			/* the operator (or headless mode) let syncing start */
	bool stop;
	int exit_status;
	char exit_reason[EV_TEXT_LEN];

	struct cluster_health health[2];

	/* Work in flight and timers (monotonic ms). */
	bool meta_inflight, confirm_inflight, ddl_inflight, follow_inflight;
	uint32_t sends_inflight;
	int64_t next_meta, next_ddl, next_repl, next_follow, next_report, confirm_at, next_prune;
	bool confirm_wanted;		/* re-read the target soon (DDL done, job finished) */
	bool kick_repl;			/* dispatch now (the FE's jobs were read, a job ended) */
	/*
	 * Triggers since the dispatcher last sent, each worth a batch: the
	 * interval, a job's end on the FE, a pass that planned jobs, the
	 * operator (resume, retry). One the dispatcher could not act on (no
	 * catalogs yet) waits for it.
	 */
	uint32_t triggers;
	int64_t job_ms;			/* how long a job takes lately (moving average), 0: none yet */
	bool jobs_waiting;		/* the last dispatch held a job back (a limit, or the batch) */
	/* Requests built ahead while jobs wait (jobs.c): GHashTable job id -> its task. */
	void *prepared;
	uint32_t prepares_inflight;
	bool prepare_more;		/* a prepare ended or jobs wait anew: look for more */
	uint32_t passes;
	int64_t pass_ms, last_pass_wall;
	uint32_t quiet_passes;

	/*
	 * The target FE's running replication jobs (GHashTable of int64 target
	 * table id -> FE job id), from the last follow (jobs.c). Nothing is sent
	 * before one follow has read them: a job still running from before a
	 * restart is followed, not sent again.
	 */
	void *fe_running;
	bool fe_surveyed;

	/* Target admission limits, read from its FE configuration. */
	int64_t cap_tables, cap_replicas, cap_data_mb;

	/* The checklist (checks.c) and the settings it changed. */
	struct settings *settings;
	struct preflight pf;
	bool checks_inflight, checks_done, fix_inflight;
	bool recheck_wanted;		/* run the checklist after the next full pass */
	bool *check_dirty;

	/* The cutover (cutover.c). */
	struct cutover {
		enum cutover_step step;
		bool open, busy, verified;
		bool sync_stopped;		/* step 4 done: no new DDL or job */
		int64_t writes_stopped_ms;
		char gate[EV_TEXT_LEN];
		char result[EV_LONG_LEN];
		char report[512];		/* the verification report */
		char *state_path, *log_path;
	} cut;
	bool pub_cutover;

	/* Guards. */
	bool disk_stop;
	char disk_node[EV_NAME_LEN];

	struct progress prog;

	/* Publishing state (publish.c). */
	bool pub_engine, pub_progress, pub_cluster[2];
	size_t pub_cursor[3];		/* tables, jobs, ddls: where the last flush stopped */
	uint64_t logs_dropped;
	struct ev_node *nodes;		/* the Nodes view, rebuilt each pass */
	size_t n_nodes;
	bool *node_dirty;
	void *node_ids;			/* GHashTable "side|kind|host" -> id */
	uint32_t next_node_id;
	struct event *forgets;		/* EV_FORGET waiting for room */
	size_t n_forgets;
};

/* Create (nothing runs yet). The engine borrows @cfg, @settings and the rings. */
struct engine *engine_new(struct srm_config *cfg, struct settings *settings,
			  const struct engine_opts *o, struct ring *events, struct ring *commands);
/* The control socket's command and reply rings (before engine_start). */
void engine_attach_control(struct engine *e, struct ring *commands, struct ring *replies);
int engine_start(struct engine *e);
/* Wait for the thread; returns the exit status it asks for. */
int engine_join(struct engine *e);
void engine_free(struct engine *e);

/* --- shared by the engine's modules (engine thread only) --------------------- */

void engine_set_state(struct engine *e, enum engine_state s, const char *reason);
/* Can the engine write now (not read-only, not paused, past the checks, no guard)? */
bool engine_may_write(const struct engine *e);

/* checks.c */
void checks_start(struct engine *e);
/* Read both clusters again, then run the checklist on what they say now. */
void checks_again(struct engine *e);
int checks_fix(struct engine *e, const char *key, char *msg, size_t msglen);
/* The start may go on: no check fails, or the operator forced it. */
bool checks_allow_start(const struct engine *e, char *why, size_t len);
void engine_finish(struct engine *e, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* cutover.c */
void cutover_load(struct engine *e);
void cutover_update(struct engine *e);		/* gates, after each pass and tick */
/* @seen: for CMD_CUTOVER_NEXT, the step the operator answered (CUT_NONE: the current one). */
int cutover_command(struct engine *e, enum cmd_type type, uint32_t seen, char *msg, size_t msglen);
void cutover_status(const struct engine *e, char *out, size_t len);
void cutover_free(struct engine *e);
/* metapass.c */
void metapass_start(struct engine *e, bool target_only);
/* publish.c */
void publish_flush(struct engine *e);
void publish_forget(struct engine *e, enum forget_kind kind, uint32_t id);
void publish_nodes(struct engine *e);
/* jobs.c */
/* One job's request, read and built but not sent (plan uses it too). */
struct job_plan {
	const char **names;		/* partitions that still lag */
	size_t n_names;
	bool nothing_lags;
	bool built;
	bool io_failed;			/* a connection failed: worth another try */
	struct meta_detail sd, td;
	struct req_built rb;
	uint64_t statements;
	char volume[160], service_id[128];	/* shared-data source: what the request names */
	/* The schema check: a difference in the columns, or statements wanted first (no request then). */
	char schema_change[EV_TEXT_LEN];
	struct ddl_want *wants;
	size_t n_wants;
	char note[EV_TEXT_LEN];			/* what could not be compared */
	char err[EV_TEXT_LEN];
};
int jobs_build(struct job_plan *jp, struct sql_pool *pool[2], const struct catalog *src,
	       const struct catalog *tgt, const struct srm_config *cfg, const char *db,
	       const char *table, char *const *partitions, size_t n_partitions, const char *fe_job_id);
void jobs_plan_free(struct job_plan *jp);
/*
 * What a request for @partitions of db.table was built from: both tables'
 * ids, which partitions lag, and their ids and versions on both sides. A
 * request built ahead keeps its basis instead of the catalogs.
 */
struct plan_part {
	bool lagging;
	int64_t src_id, src_version, tgt_id, tgt_version;	/* lagging ones only */
};
struct plan_basis {
	int64_t src_table_id, tgt_table_id;	/* -1: missing */
	struct plan_part *parts;		/* one per partition asked for */
	size_t n;
};
void jobs_plan_basis(struct plan_basis *b, const struct catalog *src, const struct catalog *tgt, const char *db,
		     const char *table, char *const *partitions, size_t n_partitions);
void jobs_plan_basis_free(struct plan_basis *b);
/* Would @src/@tgt (the catalogs of now) build the request @b was taken for again, the same? */
bool jobs_plan_still(const struct plan_basis *b, const struct catalog *src, const struct catalog *tgt,
		     const char *db, const char *table, char *const *partitions, size_t n_partitions);

/* What an FE's rejection of startTableReplication means for the job (facts §3.1-3.2). */
enum fe_answer {
	FE_NOTHING_TO_DO,	/* "No data need to replicate": the table is in sync */
	FE_ALREADY_RUNNING,	/* a job for the table runs: follow it */
	FE_AT_LIMIT,		/* a replication_max_parallel_* limit: try later */
	FE_PUBLISHING,		/* a partition's last version is still publishing: again shortly */
	FE_FAILED,		/* anything else: the job failed */
};
enum fe_answer jobs_classify(const char *message);
/* Send what the limits admit, up to a batch per trigger; false when it cannot look yet. */
bool jobs_dispatch(struct engine *e, uint32_t triggers);
/* While jobs wait: build the next ones' requests ahead, a few at a time. */
void jobs_prepare(struct engine *e);
void jobs_prepared_free(struct engine *e);
void jobs_follow(struct engine *e);
void jobs_retry(struct engine *e, struct mtable *t);
uint32_t jobs_active(const struct engine *e);
/* ddlq.c */
struct ddl_rules ddlq_rules(const struct srm_config *cfg, const struct catalog *src,
			    const struct catalog *tgt);
/*
 * The SQL of one DDL entry. CREATE TABLE and ADD PARTITION read the source's
 * SHOW CREATE TABLE on @src_conn, kept in @show_cache (a GHashTable from
 * ddlq_show_cache_new) for the other entries of the same table.
 */
char *ddlq_statement(struct sql_conn *src_conn, const struct catalog *src,
		     const struct ddl_rules *rules, enum ddl_kind kind, const char *db,
		     const char *table, const char *partition, void *show_cache, char *err,
		     size_t errlen);
void *ddlq_show_cache_new(void);
void ddlq_show_cache_free(void *cache);
void ddlq_run(struct engine *e);
int ddlq_approve(struct engine *e, uint32_t id, bool approve, char *msg, size_t msglen);

#endif /* SRMIGRATE_ENGINE_H */
