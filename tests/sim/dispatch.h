/*
 * dispatch: one SQL statement from a session to its handler, with the
 * privilege check, the world lock, the statement counters and the
 * statement-level faults (slow answers), and the answer: OK, ERR or rows.
 */
#ifndef SRSIM_DISPATCH_H
#define SRSIM_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lexer.h"
#include "result.h"
#include "select.h"
#include "session.h"

/* What a handler gets: the statement at its cursor and where rows go. */
struct qctx {
	struct session *s;
	struct cluster *cl;
	struct lexer *lx;
	struct rs *rs;
	struct sel_plan plan;	/* a handler that parses WHERE/ORDER/LIMIT fills it and sets rs->plan */
	char msg[1024];		/* the error message of a failing handler */
	int64_t affected;
};

/* A handler returns 0, or a MySQL error code with q->msg set. */
typedef int (*qhandler)(struct qctx *q);

void disp_query(struct session *s, const char *sql);
void disp_use(struct session *s, const char *db);

/* Helpers for handlers. */
int q_error(struct qctx *q, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int q_syntax(struct qctx *q);
/* The database a statement names, or the session's; sets an error when none or unknown. */
struct db *q_db(struct qctx *q, const char *name, int *rc);
/* A table by [db.]name; sets "Unknown table" when absent. */
struct table *q_table(struct qctx *q, const char *db, const char *name, int *rc);
/* SYSTEM OPERATE, required by SHOW PROC and ADMIN statements. */
int q_need_operate(struct qctx *q);

/* Statement families (show.c, showproc.c, infoschema.c, ddl.c, query.c). */
int show_stmt(struct qctx *q);
int proc_stmt(struct qctx *q);
int admin_stmt(struct qctx *q);
int select_stmt(struct qctx *q);
int ddl_stmt(struct qctx *q);
/* ddlalter.c: after ALTER TABLE, CREATE INDEX, DROP INDEX */
int alter_stmt(struct qctx *q);
int create_index_stmt(struct qctx *q);
int drop_index_stmt(struct qctx *q);
int desc_stmt(struct qctx *q);
int insert_stmt(struct qctx *q);

#endif /* SRSIM_DISPATCH_H */
