/*
 * migration: what the engine knows and has decided, across meta passes.
 *
 * Catalogs are replaced at every pass; this state is not. It holds one
 * entry per selected table (keyed by db and name, with a stable id for
 * events and commands), the replication jobs, and the DDL queue. Only the
 * engine thread touches it.
 */
#ifndef SRMIGRATE_MIGRATION_H
#define SRMIGRATE_MIGRATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srmigrate/event.h"

enum ddl_kind {
	DDL_CREATE_DB,
	DDL_CREATE_TABLE,
	DDL_ADD_PARTITION,
	DDL_DROP_PARTITION,
	DDL_DROP_TABLE,
	DDL_DROP_DB,
	DDL_CREATE_INDEX,	/* partition = the index name */
	DDL_DROP_INDEX,
	DDL_SET_PROPERTY,	/* partition = the property key */
	DDL_CREATE_VIEW,	/* table = the view's name */
	DDL_DROP_VIEW,
	DDL_CREATE_MV,
	DDL_DROP_MV,
};

/*
 * A statement a table's schema check found wanted (a bitmap index to add,
 * replace or drop, a property to set), for diff to decide on by policy.
 */
enum want_kind { WANT_INDEX_ADD, WANT_INDEX_REPLACE, WANT_INDEX_TARGET_ONLY, WANT_PROPERTY };

struct ddl_want {
	enum want_kind kind;
	char *object;		/* index name or property key */
	char *create;		/* CREATE INDEX / ALTER TABLE SET, NULL for a target-only index */
	char *drop;		/* DROP INDEX, for a replaced or target-only index */
};

void ddl_wants_free(struct ddl_want *w, size_t n);

struct mtable {
	uint32_t id;
	char *db, *name, *display;	/* display = db.name */
	enum table_state state;
	char reason[EV_TEXT_LEN];

	bool on_source, on_target;	/* at the last pass */
	bool target_only;		/* selected, but only the target has it */
	bool blocked;			/* a policy or a mismatch stops it */
	bool ever_synced;		/* in sync at some pass */
	int64_t synced_ms;

	uint32_t partitions, lagging;
	int64_t src_version, tgt_version, src_rows, tgt_rows, src_bytes, tgt_bytes, lag_bytes;

	uint32_t ddl_open;		/* DDL entries not yet done or skipped */
	uint32_t jobs_open;		/* jobs pending, sent, running or failed (to retry) */
	uint64_t src_signature;		/* hash of the source partitions and versions */
	uint32_t failures;		/* failed attempts in a row */
	int64_t retry_at_ms;		/* monotonic; no new job before */
	char last_error[EV_TEXT_LEN];
	bool dirty;			/* changed since last published */

	/* What the last schema check before a job found, for the next pass to act on. */
	char *schema_change;		/* the columns differ: why */
	struct ddl_want *wants;
	size_t n_wants;
	uint8_t schema_recreates;	/* re-created for a schema change since its last good job */
	uint32_t note_hash;		/* of the check's last note, logged once */
};

struct mjob {
	uint32_t id;
	uint32_t table_id;
	enum job_state state;
	uint32_t cycle;			/* progress cycle it belongs to */
	uint32_t attempts;		/* sends so far */
	char **partitions;		/* source partition names in this job */
	uint32_t n_partitions;
	int64_t bytes;
	int64_t created_ms, sent_ms, ended_ms;	/* wall clock */
	int64_t sent_mono_ms;		/* monotonic, for timeouts */
	char fe_job_id[48];		/* of the current attempt */
	char fe_state[16], fe_progress[16];
	char error[EV_TEXT_LEN];
	int64_t replicas;		/* target replicas of the last request (FE limit) */
	int64_t tgt_db_id, tgt_table_id;	/* for labels and following */
	bool dirty;
};

struct mddl {
	uint32_t id;
	uint32_t table_id;		/* 0 for a database statement */
	enum ddl_kind kind;
	enum ddl_state state;
	uint32_t cycle;
	char *db, *table, *partition;
	char *statement;		/* the SQL once built, else a description */
	bool prepared;			/* statement was set when queued: run it as is */
	bool drops;
	uint32_t attempts;
	int64_t retry_at_ms;		/* monotonic */
	int64_t queued_ms, done_ms;
	char error[EV_TEXT_LEN];
	bool dirty;
};

struct migration {
	struct mtable **tables;
	size_t n_tables;
	struct mjob **jobs;
	size_t n_jobs;
	struct mddl **ddls;
	size_t n_ddls;
	void *table_by_name;		/* GHashTable "db\x1fname" -> mtable */
	void *table_by_id;		/* GHashTable id -> mtable */
	void *job_by_id;		/* GHashTable id -> mjob */
	void *job_by_fe_id;		/* GHashTable fe_job_id -> mjob (current attempt) */
	uint32_t next_table_id, next_job_id, next_ddl_id;
	uint32_t cycle;			/* current progress cycle */
	bool cycle_done;		/* all of it finished: the next new work starts a new one */
	uint64_t job_seq;		/* for FE job ids */
	void *noted;			/* GHashTable: every note made (each is made once) */
	void *new_notes;		/* GPtrArray: notes not yet taken (logged) */
	void *recreated;		/* GHashTable "kind\x1fdb\x1fname" -> times re-created */
	/* Ids of jobs and DDL entries deleted since mig_take_gone: what the view must forget. */
	uint32_t *gone_jobs, *gone_ddls;
	size_t n_gone_jobs, n_gone_ddls;
};

void mig_init(struct migration *m);
void mig_fini(struct migration *m);

struct mtable *mig_table(struct migration *m, const char *db, const char *name, bool create);
struct mtable *mig_table_by_id(struct migration *m, uint32_t id);
struct mtable *mig_table_by_display(struct migration *m, const char *display);
/* Remove a table no longer selected anywhere (with its finished jobs and DDL). */
void mig_table_remove(struct migration *m, struct mtable *t);

struct mjob *mig_job_new(struct migration *m, struct mtable *t);
/* Every job state change goes here: it keeps the table's jobs_open right. */
void mig_job_state(struct migration *m, struct mjob *j, enum job_state st);
/* Forget a job that was never sent. */
void mig_job_delete(struct migration *m, struct mjob *j);
/*
 * The jobs and DDL entries deleted since the last call (every way one
 * goes: deleted, pruned, with its table), for the view to forget: the
 * arrays are handed over (the caller frees them).
 */
void mig_take_gone(struct migration *m, uint32_t **jobs, size_t *n_jobs, uint32_t **ddls, size_t *n_ddls);
/* Pending, sent, running, or failed and waiting for its retry. */
bool mig_job_open(const struct mjob *j);
struct mjob *mig_job_by_id(struct migration *m, uint32_t id);
struct mjob *mig_job_by_fe_id(struct migration *m, const char *fe_job_id);
void mig_job_set_partitions(struct mjob *j, char *const *names, size_t n);
/* A fresh FE job id: "<epoch ms>-<n>", unique per process run. */
void mig_job_new_fe_id(struct migration *m, struct mjob *j);
/* Follow another FE job id (adopted, or none when @id is ""). */
void mig_job_set_fe_id(struct migration *m, struct mjob *j, const char *id);
/* Drop the jobs of past cycles that ended before @before_ms (wall clock). */
void mig_jobs_prune(struct migration *m, int64_t before_ms);

struct mddl *mig_ddl_add(struct migration *m, enum ddl_kind kind, struct mtable *t, const char *db,
			 const char *table, const char *partition);
struct mddl *mig_ddl_by_id(struct migration *m, uint32_t id);
/* Every DDL state change goes here: it keeps the table's ddl_open right. */
void mig_ddl_state(struct migration *m, struct mddl *d, enum ddl_state st);
bool mig_ddl_open(const struct mddl *d);
/* An open (not done, not skipped) entry of this kind for this object, or NULL. */
struct mddl *mig_ddl_find(struct migration *m, enum ddl_kind kind, const char *db,
			  const char *table, const char *partition);
/* The entry of this kind for this object that the operator skipped, or NULL. */
struct mddl *mig_ddl_skipped(struct migration *m, enum ddl_kind kind, const char *db,
			     const char *table, const char *partition);
/* Drop the DDL entries done in a past cycle before @before_ms (skipped ones stay remembered). */
void mig_ddl_prune(struct migration *m, int64_t before_ms);
/* Forget one entry (the caller publishes EV_FORGET). */
void mig_ddl_delete(struct migration *m, struct mddl *d);

/*
 * A note for the operator about something left alone (a view that differs
 * and may not be dropped...): made once per process, whatever the passes.
 * True when it is new; new notes wait in order for mig_take_note (free()).
 */
bool mig_note(struct migration *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *mig_take_note(struct migration *m);
/* How often an object was re-created because it differed; @count adds this time. */
unsigned mig_recreated(struct migration *m, enum ddl_kind kind, const char *db, const char *name,
		       bool count);

const char *ddl_kind_name(enum ddl_kind k);
bool ddl_kind_drops(enum ddl_kind k);

/* Fill events from state. */
void mig_table_event(const struct mtable *t, struct event *ev);
void mig_job_event(const struct migration *m, const struct mjob *j, struct event *ev);
void mig_ddl_event(const struct mddl *d, struct event *ev);

#endif /* SRMIGRATE_MIGRATION_H */
