/*
 * e2e: run srmigrate against a simulator started with harness.h.
 *
 * srmigrate is $SRMIGRATE (set by tests/run.sh), else ./build/asan/srmigrate.
 * It runs with -c DIR -l DIR/log, headless; what it prints goes to
 * DIR/srmigrate.out. Tests prove results on the clusters themselves
 * (sim_compare, SQL), not by what srmigrate says.
 */
#ifndef SRMIGRATE_TESTS_E2E_H
#define SRMIGRATE_TESTS_E2E_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "e2e/harness.h"

/* Set keys in DIR/sync.properties ("k=v\n" lines): an existing key is replaced, a new one appended. */
void e2e_conf(struct sim *s, const char *lines);
/* Timings for tests: passes every 2 s, DDL and jobs every second, reports every 2 s. */
void e2e_fast(struct sim *s);
/* The settings the checklist wants, made by hand on the clusters (as an operator would). */
void e2e_prepare(struct sim *s);

/* Run srmigrate with the NULL-terminated arguments (after -c/-l); its exit status, or -1 on timeout. */
int e2e_run(struct sim *s, int timeout_s, ...);
pid_t e2e_start(struct sim *s, ...);
/* Wait for a started srmigrate; its exit status, or -1 (killed) after @timeout_s. */
int e2e_wait(pid_t pid, int timeout_s);

/* A file under DIR (new string, NULL if absent). */
char *e2e_read(struct sim *s, const char *rel);
bool e2e_log_has(struct sim *s, const char *needle);
/* How many lines of sync.INFO.log contain @needle. */
int e2e_log_count(struct sim *s, const char *needle);

struct e2e_progress {
	double pct;
	unsigned total, ddl_pending, job_pending, sent, running, finished, failed, unknown;
	double finished_ratio, expired_ratio;
	unsigned tables, tables_finished, tables_unfinished, tables_expired;
};

/* The last pair of progress lines in sync.INFO.log, parsed back. 0, or -1 when absent. */
int e2e_progress(struct sim *s, struct e2e_progress *p);

/* A port from DIR/ports.env ("TARGET_FE_1_QUERY_PORT"), or -1. */
int e2e_port(struct sim *s, const char *key);
/* srmigrate.out and sync.INFO.log on stderr: what a failing test shows. */
void e2e_show(struct sim *s);
/* Monotonic seconds. */
double e2e_now(void);

/*
 * What a failing test leaves running (a failed assertion leaves the test at
 * once) is stopped by e2e_teardown, a cmocka teardown: e2e_keep remembers
 * the simulator and e2e_finish stops it; e2e_launch starts srmigrate as
 * e2e_start does and remembers it, e2e_await waits for it as e2e_wait does.
 */
void e2e_keep(const struct sim *s);
void e2e_finish(struct sim *s);
pid_t e2e_launch(struct sim *s, ...);
int e2e_await(pid_t pid, int timeout_s);
/* Has it exited? Then it is reaped, and *rc is its status as e2e_await gives it. */
bool e2e_exited(pid_t pid, int *rc);
int e2e_teardown(void **state);

/* `srmigrate ctl CMD` against the running one: its exit status, its answer in @out. */
int e2e_ctl(struct sim *s, const char *cmd, char *out, size_t len);
/* ADMIN SET FRONTEND CONFIG on one side: 0, or the error in @err. */
int e2e_set_config(struct sim *s, int side, const char *key, const char *value, char *err, size_t errlen);
/* e2e_converge over every table; when they never agree, the differences and e2e_show on stderr. */
int e2e_converged(struct sim *s, int timeout_s);

/* Wait until sim_compare says the clusters agree (or timeout); the last difference count. */
int e2e_converge(struct sim *s, const char *only, int timeout_s, char *report, size_t len);

#endif /* SRMIGRATE_TESTS_E2E_H */
