/*
 * faults: what can go wrong on purpose, per cluster. Set from the scenario
 * ([faults source] / [faults target]) or at run time with
 * ADMIN SET FRONTEND CONFIG ("sim_<key>" = "value") on that cluster. Every key
 * is documented in tests/sim/README.md.
 */
#ifndef SRSIM_FAULTS_H
#define SRSIM_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cluster;

enum flt_rpc { FLT_RPC_OK, FLT_RPC_CLOSE, FLT_RPC_EXCEPTION };

/* Result-set corruptions ("malformed answers"), a bit set. */
enum {
	FLT_MAL_NONNUMERIC = 1 << 0,
	FLT_MAL_NEGATIVE = 1 << 1,
	FLT_MAL_HUGE = 1 << 2,
	FLT_MAL_NULLS = 1 << 3,
	FLT_MAL_MISSING_COLUMN = 1 << 4,
	FLT_MAL_WRONG_COUNT = 1 << 5,
	FLT_MAL_LONG_STRING = 1 << 6,
};

void flt_init(struct cluster *c);
void flt_free(struct cluster *c);

/* key with or without the "sim_" prefix. false: unknown key (msg empty) or bad value (msg set). */
bool flt_set(struct cluster *c, const char *key, const char *value, char *msg, size_t n);

/* Per RPC: what to do with this call, and how long to hang first. */
enum flt_rpc flt_rpc(struct cluster *c, int *hang_ms);
/* At job creation: whether this attempt of db.tbl is to abort, and why. */
bool flt_job_abort(struct cluster *c, const char *db, const char *tbl, char *reason, size_t n);
/* Per result set: rows to send before dropping the connection, or -1. */
int64_t flt_result_cut(struct cluster *c);
int flt_slow_ms(struct cluster *c);
/* Corruptions for a statement kind ("show_partitions") or information_schema table. */
unsigned flt_malformed(struct cluster *c, const char *kind, const char *table);

#endif /* SRSIM_FAULTS_H */
