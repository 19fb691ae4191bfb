/*
 * sql: MySQL-protocol access to one cluster's FEs (MariaDB Connector/C).
 *
 * A pool holds the connections to one cluster. Every address goes through
 * the hosts map; the candidates are the configured FE, then *_fe_hosts, then
 * the FEs the cluster itself reports (sql_pool_set_frontends). A connection
 * that is lost (refused, dropped, timed out) is dropped with the idle ones to
 * the same FE, and new connections try the next candidate first, so a dead or
 * stalled FE costs one timeout, not the migration. When no candidate answers,
 * sql_get() fails at once for a while (1 s, doubling up to 30 s) instead of
 * waiting on every FE again for each statement.
 *
 * Results are read by column title, never by position: titles differ between
 * StarRocks versions. Any thread may use a pool; a connection is used by one
 * thread at a time (sql_get / sql_put).
 */
#ifndef SRMIGRATE_SQL_H
#define SRMIGRATE_SQL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srmigrate/config.h"
#include "srmigrate/event.h"

struct sql_conn;

struct sql_endpoint {
	char *host;		/* as configured or reported (before mapping) */
	int port;
	bool reported;		/* came from SHOW FRONTENDS */
};

struct sql_pool {
	enum side side;
	const struct cluster_cfg *cc;
	const struct hostmap *hosts;
	int64_t connect_ms, rw_ms;

	pthread_mutex_t lock;
	struct sql_endpoint *eps;
	size_t n_eps;
	size_t current;		/* endpoint tried first */
	struct sql_conn **idle;
	size_t n_idle;
	char last_error[EV_TEXT_LEN];
	char address[96];	/* endpoint of the last good connection, mapped */

	int64_t retry_at_ms;	/* monotonic: no new connection before (every FE failed) */
	int64_t backoff_ms;	/* the next wait when every FE fails again */

	_Atomic int64_t last_ok_ms;	/* wall clock of the last good answer */
	_Atomic uint64_t statements;
	_Atomic uint64_t lost;		/* connections lost (dropped, timed out) */
	_Atomic uint64_t failovers;	/* new connections made to another FE than the last */
	_Atomic bool connected;
};

struct sql_res;

/* Once, before any thread starts. */
void sql_library_init(void);
void sql_library_end(void);

void sql_pool_init(struct sql_pool *p, enum side side, const struct cluster_cfg *cc,
		   const struct hostmap *hosts, int64_t connect_ms, int64_t rw_ms);
void sql_pool_fini(struct sql_pool *p);
/* Replace the reported FEs (host, query port as in SHOW FRONTENDS). */
void sql_pool_set_frontends(struct sql_pool *p, char *const *hosts, const int *ports, size_t n);
/* Copy of last_error under the lock. */
void sql_pool_error(struct sql_pool *p, char *buf, size_t len);
/* Copy of the mapped address of the FE last connected to ("" before any). */
void sql_pool_address(struct sql_pool *p, char *buf, size_t len);

/* An idle connection or a new one. NULL with err when no FE answers. */
struct sql_conn *sql_get(struct sql_pool *p, char *err, size_t errlen);
/* Give a connection back; a broken one is closed instead. */
void sql_put(struct sql_pool *p, struct sql_conn *c);

/*
 * Run a statement that returns rows. A lost connection is reconnected once
 * and the statement sent again (callers only send reads through here).
 * NULL with err on failure.
 */
struct sql_res *sql_query(struct sql_conn *c, const char *stmt, char *err, size_t errlen);
/* Run a statement that changes something; never sent twice. */
int sql_exec(struct sql_conn *c, const char *stmt, char *err, size_t errlen);
/* The MySQL error number of the last failure on @c (0 if none). */
unsigned sql_errno(const struct sql_conn *c);

/* sql_get + sql_query/sql_exec + sql_put. */
struct sql_res *sql_pool_query(struct sql_pool *p, const char *stmt, char *err, size_t errlen);
int sql_pool_exec(struct sql_pool *p, const char *stmt, char *err, size_t errlen);

size_t sql_rows(const struct sql_res *r);
size_t sql_cols(const struct sql_res *r);
const char *sql_title(const struct sql_res *r, size_t col);
/* Column index of @title (exact, then case-insensitive), or -1. */
int sql_col(const struct sql_res *r, const char *title);
/* Cell text, or NULL for SQL NULL, a missing column (col < 0) or a bad row. */
const char *sql_cell(const struct sql_res *r, size_t row, int col);
void sql_res_free(struct sql_res *r);
/*
 * A result built from rows rather than read from an FE (tests, fuzzing):
 * @titles has @ncols names, @cells has @nrows * @ncols cells row by row, a
 * NULL cell being SQL NULL. Everything is copied.
 */
struct sql_res *sql_res_new(size_t ncols, const char *const *titles, size_t nrows,
			    const char *const *cells);

/* `name` with backticks doubled, appended to a new string. */
char *sql_ident(const char *name);
/* 'text' with quotes and backslashes escaped, in a new string. */
char *sql_string(const char *text);

#endif /* SRMIGRATE_SQL_H */
