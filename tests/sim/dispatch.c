/*
 * dispatch: statements to handlers.
 */
#include "dispatch.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errs.h"
#include "faults.h"
#include "stats.h"

enum lockmode { LOCK_NONE, LOCK_READ, LOCK_WRITE };

struct route {
	enum stmt_kind kind;
	enum lockmode lock;
	qhandler fn;
};

int
q_error(struct qctx *q, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q->msg, sizeof q->msg, fmt, ap);
	va_end(ap);
	return code;
}

int
q_syntax(struct qctx *q)
{
	lex_syntax_error(q->lx, q->msg, sizeof q->msg);
	return E_SYNTAX;
}

struct db *
q_db(struct qctx *q, const char *name, int *rc)
{
	const char *n = name ? name : q->s->db;

	if (!n || !*n) {
		*rc = q_error(q, E_NO_DB, "No database selected");
		return NULL;
	}
	struct db *d = cat_db(q->cl, n);
	if (!d)
		*rc = q_error(q, E_BAD_DB, "Unknown database '%s'", n);
	return d;
}

struct table *
q_table(struct qctx *q, const char *db, const char *name, int *rc)
{
	struct db *d = q_db(q, db, rc);

	if (!d)
		return NULL;
	struct table *t = cat_table(d, name);
	if (!t)
		*rc = q_error(q, E_BAD_TABLE, "Unknown table '%s.%s'", d->name, name);
	return t;
}

int
q_need_operate(struct qctx *q)
{
	if (q->s->user && q->s->user->operate)
		return 0;
	return q_error(q, E_ACCESS_DENIED,
		       "Access denied; you need (at least one of) the OPERATE privilege(s) on SYSTEM for this "
		       "operation. Please ask the admin to grant permission(s) or try activating existing roles "
		       "using <set [default] role>. Current role(s): NONE. Inactivated role(s): NONE.");
}

static int
h_ok(struct qctx *q)
{
	(void)q;
	return 0;
}

static int
h_use(struct qctx *q)
{
	const char *db;
	int rc = 0;

	lex_kw(q->lx, "USE");
	if (!lex_ident(q->lx, &db) || !lex_at_end(q->lx))
		return q_syntax(q);
	if (strcmp(db, "information_schema") != 0 && !q_db(q, db, &rc))
		return rc;
	snprintf(q->s->db, sizeof q->s->db, "%s", db);
	return 0;
}

static int
h_unknown(struct qctx *q)
{
	return q_syntax(q);
}

static struct route
classify(struct lexer *lx)
{
	const struct token *a = lex_peek(lx), *b = lex_peek_at(lx, 1), *c = lex_peek_at(lx, 2);
	const char *w = a->kind == TK_WORD ? a->text : "";
	const char *w2 = b->kind == TK_WORD ? b->text : "";

	if (su_ieq(w, "SELECT") || (a->kind == TK_PUNCT && strcmp(a->text, "(") == 0) || su_ieq(w, "WITH"))
		return (struct route){ STMT_SELECT, LOCK_READ, select_stmt };
	if (su_ieq(w, "SHOW")) {
		if (su_ieq(w2, "PROC"))
			return (struct route){ STMT_SHOW_PROC, LOCK_READ, proc_stmt };
		enum stmt_kind k = STMT_SHOW_OTHER;
		if (su_ieq(w2, "PARTITIONS") || su_ieq(w2, "TEMPORARY"))
			k = STMT_SHOW_PARTITIONS;
		else if (su_ieq(w2, "TABLET"))
			k = STMT_SHOW_TABLET;
		else if (su_ieq(w2, "CREATE"))
			k = STMT_SHOW_CREATE;
		else if (su_ieq(w2, "TABLES") || (su_ieq(w2, "FULL") && c->kind == TK_WORD && su_ieq(c->text, "TABLES")))
			k = STMT_SHOW_TABLES;
		else if (su_ieq(w2, "DATABASES") || su_ieq(w2, "SCHEMAS"))
			k = STMT_SHOW_DATABASES;
		else if (su_ieq(w2, "FRONTENDS") || su_ieq(w2, "BACKENDS") || su_ieq(w2, "COMPUTE"))
			k = STMT_SHOW_NODES;
		else if (su_ieq(w2, "DATA"))
			k = STMT_SHOW_DATA;
		return (struct route){ k, LOCK_READ, show_stmt };
	}
	if (su_ieq(w, "ADMIN"))
		return (struct route){ STMT_ADMIN, su_ieq(w2, "SET") ? LOCK_WRITE : LOCK_READ, admin_stmt };
	if (su_ieq(w, "CREATE") || su_ieq(w, "DROP") || su_ieq(w, "ALTER") || su_ieq(w, "TRUNCATE"))
		return (struct route){ STMT_DDL, LOCK_WRITE, ddl_stmt };
	if (su_ieq(w, "INSERT"))
		return (struct route){ STMT_OTHER, LOCK_WRITE, insert_stmt };
	if (su_ieq(w, "DESC") || su_ieq(w, "DESCRIBE"))
		return (struct route){ STMT_SHOW_OTHER, LOCK_READ, desc_stmt };
	if (su_ieq(w, "SET"))
		return (struct route){ STMT_SET, LOCK_NONE, h_ok };
	if (su_ieq(w, "USE"))
		return (struct route){ STMT_OTHER, LOCK_READ, h_use };
	if (su_ieq(w, "BEGIN") || su_ieq(w, "COMMIT") || su_ieq(w, "ROLLBACK") || su_ieq(w, "START"))
		return (struct route){ STMT_OTHER, LOCK_NONE, h_ok };
	return (struct route){ STMT_OTHER, LOCK_NONE, h_unknown };
}

void
disp_query(struct session *s, const char *sql)
{
	struct lexer lx;
	struct qctx q = { .s = s, .cl = s->cl, .lx = &lx };
	struct rs rs;
	int rc;

	atomic_fetch_add(&s->cl->st.statements, 1);
	int slow = flt_slow_ms(s->cl);
	if (slow > 0)
		su_sleep_ms(slow);
	if (!lex_init(&lx, sql)) {
		stats_count(s->cl, STMT_ERROR);
		mp_err(&s->mp, E_SYNTAX, lx.err);
		return;
	}
	struct route r = classify(&lx);
	stats_count(s->cl, r.kind);
	s->kind = stats_kind_name(r.kind);
	s->table = NULL;
	sel_plan_init(&q.plan);
	rs_init(&rs, NULL, sess_sink(s));
	q.rs = &rs;
	if (r.lock == LOCK_READ)
		sim_rdlock();
	else if (r.lock == LOCK_WRITE)
		sim_wrlock();
	rc = r.fn(&q);
	if (!rc && rs.cols)
		rs_finish(&rs);
	if (r.lock != LOCK_NONE)
		sim_unlock();
	if (!rc && rs.err) {
		rc = rs.err;
		snprintf(q.msg, sizeof q.msg, "%s", rs.errmsg);
	}
	if (rc) {
		stats_count(s->cl, STMT_ERROR);
		if (!rs.header_sent)
			mp_err(&s->mp, rc, q.msg);
	} else if (rs.cols) {
		if (!rs.dead)
			mp_eof(&s->mp);
	} else {
		mp_ok(&s->mp, (uint64_t)q.affected);
	}
	rs_free(&rs);
	sel_plan_free(&q.plan);
	lex_free(&lx);
}

void
disp_use(struct session *s, const char *db)
{
	/* COM_INIT_DB counts as a statement, as the FE handles it like USE */
	struct lexer lx;
	struct qctx q = { .s = s, .cl = s->cl, .lx = &lx };
	atomic_fetch_add(&s->cl->st.statements, 1);
	stats_count(s->cl, STMT_OTHER);
	if (!lex_init(&lx, "")) {
		mp_err(&s->mp, E_SYNTAX, lx.err);
		return;
	}
	sim_rdlock();
	int rc = 0;
	bool ok = strcmp(db, "information_schema") == 0 || q_db(&q, db, &rc);
	sim_unlock();
	if (ok) {
		snprintf(s->db, sizeof s->db, "%s", db);
		mp_ok(&s->mp, 0);
	} else {
		stats_count(s->cl, STMT_ERROR);
		mp_err(&s->mp, rc, q.msg);
	}
	lex_free(&lx);
}
