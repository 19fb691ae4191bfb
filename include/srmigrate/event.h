/*
 * event: the messages between the engine thread and its consumers.
 *
 * Events flow engine -> consumer (the TUI or the headless reporter) on one
 * SPSC ring; commands flow consumer -> engine on another. Every message is a
 * fixed-size struct copied by value: no pointer crosses a thread.
 *
 * Each event about an object (table, job, DDL, node, check item) carries the
 * object's whole current state, keyed by its id, so a consumer simply
 * replaces what it had. That is what lets the engine coalesce when the ring
 * is full: it keeps only the latest state per object and sends it when room
 * comes back. Strings are truncated to their field and always NUL-terminated.
 */
#ifndef SRMIGRATE_EVENT_H
#define SRMIGRATE_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#define EV_NAME_LEN   192	/* "db.table", or a node name */
#define EV_TEXT_LEN   256	/* an error, a reason, a statement */
#define EV_LONG_LEN   640	/* a fix or a log line */

enum side { SIDE_SOURCE = 0, SIDE_TARGET = 1 };

enum engine_state {
	ENGINE_CHECKING,	/* pre-flight: connecting and checking, nothing written */
	ENGINE_WAITING,		/* checklist shown, waiting for the operator to go on */
	ENGINE_SYNCING,
	ENGINE_PAUSED,		/* by the operator: no DDL, no new job */
	ENGINE_STOPPED,		/* by a guard (reason says which); may resume by itself */
	ENGINE_CUTOVER,		/* the cutover wizard owns the flow */
	ENGINE_DONE,		/* one-time run complete, or stopped for good */
};

enum table_state {
	TABLE_UNKNOWN,		/* not compared yet */
	TABLE_UNFINISHED,	/* never in sync yet */
	TABLE_DDL,		/* waiting for a CREATE/ADD/DROP to run */
	TABLE_SYNCING,		/* a replication job planned or in flight */
	TABLE_FINISHED,		/* every partition matched at the last pass */
	TABLE_EXPIRED,		/* had been in sync, the source moved ahead */
	TABLE_BLOCKED,		/* a policy or a mismatch stops it; reason says why */
	TABLE_FAILED,		/* its job failed; retried with backoff */
};

enum job_state {
	JOB_PENDING,		/* planned, not sent */
	JOB_SENT,		/* accepted by the FE, not yet seen running */
	JOB_RUNNING,
	JOB_FINISHED,
	JOB_FAILED,
	JOB_UNKNOWN,		/* sent, but the FE no longer knows it */
};

enum ddl_state {
	DDL_QUEUED,
	DDL_HELD,		/* drops target data: waits for the operator */
	DDL_RUNNING,
	DDL_DONE,
	DDL_FAILED,		/* kept with its error, retried with backoff */
	DDL_SKIPPED,		/* refused by the operator */
};

enum node_kind { NODE_FE, NODE_BE, NODE_CN };

enum check_status { CHECK_PENDING, CHECK_PASS, CHECK_WARN, CHECK_FAIL, CHECK_SKIP };

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

enum ev_type {
	EV_ENGINE = 1,
	EV_CLUSTER,
	EV_NODE,
	EV_TABLE,
	EV_JOB,
	EV_DDL,
	EV_PROGRESS,
	EV_LOG,
	EV_CHECK,
	EV_CUTOVER,
	EV_FORGET,		/* an object left the engine's view (see ev_forget) */
	EV_QUIT,		/* the engine thread has ended; last message */
};

struct ev_engine {
	enum engine_state state;
	bool readonly;
	bool forced;		/* started over a FAIL check by the operator */
	char reason[EV_TEXT_LEN];
};

struct ev_cluster {
	enum side side;
	bool connected;
	int64_t last_ok_ms;	/* wall clock of the last good answer, 0 never */
	char address[80];	/* host:port as configured */
	char version[40];	/* e.g. 3.3.5-6d81f75 */
	char run_mode[16];	/* shared_nothing | shared_data */
	char error[EV_TEXT_LEN];
};

struct ev_node {
	uint32_t id;		/* engine-wide node id */
	enum side side;
	enum node_kind kind;
	bool alive;		/* as the cluster reports it */
	int8_t reachable;	/* from this host: 1 yes, 0 no, -1 not checked */
	bool is_leader;
	double disk_pct;	/* max disk used %, < 0 unknown */
	char name[EV_NAME_LEN];	/* the IP column as reported */
	char ports[64];		/* e.g. "9030 8030 9020" or "9060 8040" */
	char mapped[96];	/* e.g. "127.0.0.1:19030 :18030 :19020" */
	char error[EV_TEXT_LEN];
};

struct ev_table {
	uint32_t id;
	enum table_state state;
	uint32_t partitions;	/* on the source */
	uint32_t lagging;	/* partitions behind on the target */
	int64_t src_version;	/* highest partition version, source */
	int64_t tgt_version;	/* same, target (-1 when the table is missing) */
	int64_t src_rows, tgt_rows;
	int64_t src_bytes, tgt_bytes;
	int64_t lag_bytes;	/* source bytes of the lagging partitions */
	uint32_t attempts;	/* failed attempts in a row */
	int64_t synced_ms;	/* last time it was seen in sync, 0 never */
	char name[EV_NAME_LEN];	/* db.table */
	char reason[EV_TEXT_LEN];	/* why blocked or failed */
};

struct ev_job {
	uint32_t id;		/* engine job id, stable across attempts */
	uint32_t table_id;
	enum job_state state;
	uint32_t partitions;
	uint32_t attempts;
	int64_t bytes;
	int64_t created_ms, sent_ms, ended_ms;
	char fe_state[16];	/* INITIALIZING, SNAPSHOTING, REPLICATING, ... */
	char fe_progress[16];	/* "3/8" while running */
	char job_id[48];	/* the id sent to the FE (label suffix) */
	char table[EV_NAME_LEN];
	char error[EV_TEXT_LEN];
};

struct ev_ddl {
	uint32_t id;
	uint32_t table_id;	/* 0 when not about one table */
	enum ddl_state state;
	bool drops_data;
	uint32_t attempts;
	int64_t queued_ms, done_ms;
	char target[EV_NAME_LEN];	/* the object it changes */
	char statement[EV_TEXT_LEN];	/* truncated for display */
	char error[EV_TEXT_LEN];
};

struct ev_progress {
	/* The official counters (product.md section 4). */
	uint32_t total, ddl_pending, job_pending, sent, running, finished, failed, unknown;
	uint32_t tables_total, tables_finished, tables_unfinished, tables_expired;
	uint32_t tables_blocked, tables_failed;
	int64_t bytes_left;	/* source bytes still to replicate */
	int64_t bytes_done;	/* replicated since start */
	double bytes_per_s;	/* over the recent window, < 0 unknown */
	int64_t eta_s;		/* < 0 unknown */
	uint32_t passes;	/* meta passes done */
	int64_t pass_ms;	/* wall time of the last pass */
	int64_t last_pass_ms;	/* wall clock when it ended */
	int64_t next_pass_ms;	/* wall clock of the next one */
	uint32_t quiet_passes;	/* passes in a row with no source change */
};

struct ev_log {
	int64_t time_ms;
	enum log_level level;
	char text[EV_LONG_LEN];
};

struct ev_check {
	uint32_t index;		/* position in the checklist */
	enum check_status status;
	bool fixable;		/* srmigrate can apply the fix (after confirmation) */
	bool blocks;		/* FAIL that stops the migration from starting */
	char key[32];		/* stable id, e.g. "legacy_compat" */
	char title[96];
	char seen[EV_TEXT_LEN];
	char fix[EV_LONG_LEN];	/* statement srmigrate runs, or the manual step */
};

enum cutover_step {
	CUT_NONE,
	CUT_STOP_WRITES,	/* 1: operator confirms writes are stopped */
	CUT_CATCH_UP,		/* 2: quiet passes at 100 % */
	CUT_VERIFY,		/* 3: verification report */
	CUT_STOP_SYNC,		/* 4 */
	CUT_RESTORE,		/* 5: put back changed settings */
	CUT_REMIND,		/* 6: the manual last steps */
	CUT_DONE,
};

struct ev_cutover {
	enum cutover_step step;	/* the current step */
	bool open;		/* its gate holds: the operator may go on */
	bool busy;		/* the step is running */
	uint32_t quiet_passes, quiet_needed;
	char gate[EV_TEXT_LEN];		/* why it is not open, or what it will do */
	char result[EV_LONG_LEN];	/* outcome of the last step */
};

enum forget_kind { FORGET_TABLE, FORGET_JOB, FORGET_DDL, FORGET_NODE, FORGET_ALL_CHECKS };

struct ev_forget {
	enum forget_kind kind;
	uint32_t id;
};

/* The engine thread has ended: @status is the process exit status it asks for. */
struct ev_quit {
	int status;
	char reason[EV_TEXT_LEN];
};

struct event {
	enum ev_type type;
	union {
		struct ev_engine engine;
		struct ev_cluster cluster;
		struct ev_node node;
		struct ev_table table;
		struct ev_job job;
		struct ev_ddl ddl;
		struct ev_progress progress;
		struct ev_log log;
		struct ev_check check;
		struct ev_cutover cutover;
		struct ev_forget forget;
		struct ev_quit quit;
	} u;
};

/* --- commands: consumer -> engine ------------------------------------------ */

enum cmd_type {
	CMD_PAUSE = 1,
	CMD_RESUME,
	CMD_RETRY_TABLE,	/* id = table id, or arg = "db.table" when id is 0 */
	CMD_RETRY_ALL,
	CMD_APPROVE_DDL,	/* id = DDL id */
	CMD_SKIP_DDL,
	CMD_CONTINUE,		/* leave the checklist and start syncing */
	CMD_FORCE,		/* start although a check FAILs (logged) */
	CMD_FIX_CHECK,		/* arg = check key; apply its fix */
	CMD_RECHECK,		/* run the checklist again */
	CMD_CUTOVER_START,
	CMD_CUTOVER_NEXT,	/* confirm the current step / go on when open */
	CMD_CUTOVER_ABORT,	/* leave the wizard; syncing goes on */
	CMD_STATUS,		/* control socket: reply with a status text */
	CMD_STOP,		/* graceful stop */
};

struct command {
	enum cmd_type type;
	uint32_t id;
	uint32_t request;	/* control socket request number, echoed in the reply */
	char arg[EV_NAME_LEN + 64];
};

/* Reply to a control-socket command, engine -> control thread. */
struct reply {
	uint32_t request;
	bool ok;
	char text[2048];
};

const char *engine_state_name(enum engine_state s);
const char *table_state_name(enum table_state s);
const char *job_state_name(enum job_state s);
const char *ddl_state_name(enum ddl_state s);
const char *check_status_name(enum check_status s);
const char *node_kind_name(enum node_kind k);
const char *side_name(enum side s);	/* "SOURCE" / "TARGET" */
const char *cutover_step_title(enum cutover_step s);

#endif /* SRMIGRATE_EVENT_H */
