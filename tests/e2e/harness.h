/*
 * harness: start srsim for a test, talk to its clusters, compare them.
 *
 * It knows srsim only through its command line, the files it writes
 * (ports.env, sync.properties, stats.env), signals and SQL: nothing of
 * srmigrate. A test typically does
 *
 *	struct sim s;
 *	assert_int_equal(sim_start(&s, SCENARIO, 50), 0);
 *	... run srmigrate -c s.dir ...
 *	assert_int_equal(sim_compare(&s, NULL, report, sizeof report), 0);
 *	sim_stop(&s);
 */
#ifndef SRMIGRATE_TESTS_HARNESS_H
#define SRMIGRATE_TESTS_HARNESS_H

#include <mysql.h>
#include <stddef.h>
#include <sys/types.h>

enum { SIM_SOURCE_QUERY, SIM_SOURCE_RPC, SIM_TARGET_QUERY, SIM_TARGET_RPC };
enum { SIM_SOURCE = 0, SIM_TARGET = 1 };

struct sim {
	pid_t pid;
	char dir[4096];		/* has ports.env, sync.properties, hosts.properties, scenario.ini */
	int ports[4];		/* SIM_SOURCE_QUERY ... SIM_TARGET_RPC */
};

/*
 * A temporary directory under $SRM_TMP (else /tmp), scenario.ini written
 * there, then $SRSIM (else ./tests/sim/srsim) --scenario ... --dir ...
 * --speed ...; waits at most 20 s for its READY line and reads ports.env.
 * 0 on success; on failure srsim's stderr (DIR/srsim.log) is copied to
 * stderr and the directory removed.
 */
int sim_start(struct sim *s, const char *scenario_ini_text, double speed);
/* SIGTERM, wait (SIGKILL after 10 s), remove the directory unless $SRM_KEEP is set. */
void sim_stop(struct sim *s);

/* A libmariadb connection to a cluster's fe-0 as the scenario's user; NULL on failure. */
MYSQL *sim_connect(struct sim *s, int side);
/* Run one statement (results discarded); 0, or the MySQL error code with err filled. */
int sim_exec(struct sim *s, int side, const char *sql, char *err, size_t errlen);

/* A result as strings: column titles and cells (NULL cells are NULL). */
struct sim_result;
struct sim_result *sim_query(struct sim *s, int side, const char *sql, char *err, size_t errlen);
size_t sim_rows(const struct sim_result *r);
unsigned sim_cols(const struct sim_result *r);
const char *sim_title(const struct sim_result *r, unsigned col);
/* The cell of a row by column title; NULL for a NULL cell or an unknown title. */
const char *sim_cell(const struct sim_result *r, size_t row, const char *title);
/* Whether the result has a column of that title. */
int sim_has_col(const struct sim_result *r, const char *title);
void sim_result_free(struct sim_result *r);

/*
 * For every base table of every non-system database of the source (or only
 * those named in `only`, a "db" or "db.table" comma list): the target has the
 * table and the same partition names, and per partition the target's
 * replicated version (DataVersion where the target has that column, else
 * VisibleVersion) equals the source's (DataVersion where the source has it,
 * which for a shared-nothing source is its VisibleVersion) and the row counts
 * are equal. Reads SHOW PARTITIONS on both sides. Fills report with one line
 * per difference; returns the number of differences (0: equal, -1: a query
 * failed, see report).
 */
int sim_compare(struct sim *s, const char *only, char *report, size_t len);

/* Ask srsim for DIR/stats.env (SIGUSR1) and return <SIDE>_<key> ("STATEMENTS",
 * "RPCS", "SHOW_PROC", ...), or -1. */
long sim_stat(struct sim *s, int side, const char *key);

/* Set srsim's statement counters of both clusters back to zero (SIGUSR2) and
 * wait until it has; 0, or -1. sim_stat then counts from here. */
int sim_stats_reset(struct sim *s);

/* Poll a query until the cell under title equals want (or the timeout in ms); 0 when it did. */
int sim_wait_cell(struct sim *s, int side, const char *sql, const char *title, const char *want, int timeout_ms);

#endif /* SRMIGRATE_TESTS_HARNESS_H */
