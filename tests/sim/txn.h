/*
 * txn: per-database transactions as the FE's DatabaseTransactionMgr keeps
 * them (running ones, and the most recent finished ones), for loads on the
 * source and replication jobs on the target, and the /transactions proc rows.
 * Callers hold the world write lock to change them.
 */
#ifndef SRSIM_TXN_H
#define SRSIM_TXN_H

#include <stdbool.h>
#include <stdint.h>

#include "sim.h"

struct rs;

struct txn *txn_begin(struct cluster *c, struct db *d, int64_t table_id, const char *label,
		      const char *source_type, const char *coordinator, int64_t timeout_ms);
void txn_commit(struct txn *t);
/* VISIBLE, then kept among the finished ones. */
void txn_visible(struct db *d, struct txn *t);
void txn_abort(struct db *d, struct txn *t, const char *reason);
struct txn *txn_find(struct db *d, int64_t id);
/* A transaction with that label that is not ABORTED (labels are single-use). */
bool txn_label_taken(struct db *d, const char *label);
/* TransProcDir rows: running or finished, newest first, at most 2000. */
void txn_rows(struct db *d, bool running, struct rs *rs);
const char *txn_status_name(enum txn_status s);
/* Free every transaction of a database being dropped. */
void txn_free_all(struct db *d);

#endif /* SRSIM_TXN_H */
