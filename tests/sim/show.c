/*
 * show: the SHOW statements other than SHOW PROC (facts 4.1-4.5).
 */
#include <stdio.h>
#include <string.h>

#include "ddlparse.h"
#include "ddlprint.h"
#include "dispatch.h"
#include "errs.h"
#include "infoschema.h"
#include "query.h"
#include "showproc.h"
#include "shownodes.h"
#include "simutil.h"

/* Optional "LIKE 'pattern'" or "WHERE ..." after a SHOW. */
static int
like_or_where(struct qctx *q, const char **like)
{
	*like = NULL;
	if (lex_kw(q->lx, "LIKE")) {
		if (!lex_string(q->lx, like))
			return q_syntax(q);
	} else if (lex_is_kw(q->lx, "WHERE")) {
		int rc = sel_parse_where(q->lx, &q->plan, q->msg, sizeof q->msg);
		if (rc)
			return rc;
		q->plan.star = true;
		q->rs->plan = &q->plan;
	}
	return lex_at_end(q->lx) ? 0 : q_syntax(q);
}

static gint
name_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
show_databases(struct qctx *q)
{
	const char *like;
	int rc = like_or_where(q, &like);

	if (rc)
		return rc;
	static const char *const titles[] = { "Database" };
	if (!rs_begin(q->rs, titles, 1))
		return 0;
	GPtrArray *names = g_ptr_array_new();
	GPtrArray *dbs = cat_dbs_sorted(q->cl, false);
	for (guint i = 0; i < dbs->len; i++)
		g_ptr_array_add(names, ((struct db *)g_ptr_array_index(dbs, i))->name);
	g_ptr_array_add(names, (char *)"information_schema");
	if (q->cl->prof.v >= PV(3, 2, 0))
		g_ptr_array_add(names, (char *)"sys");
	g_ptr_array_sort(names, name_cmp);
	for (guint i = 0; i < names->len; i++) {
		const char *nm = g_ptr_array_index(names, i);
		if (like && !su_like(nm, like, false))
			continue;
		rs_add(q->rs, nm);
		rs_end_row(q->rs);
	}
	g_ptr_array_free(names, TRUE);
	g_ptr_array_free(dbs, TRUE);
	return 0;
}

static gint
table_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp((*(struct table *const *)a)->name, (*(struct table *const *)b)->name);
}

static int
show_tables(struct qctx *q, bool full)
{
	const char *dbname = NULL, *like;
	int rc = 0;

	if (lex_kw(q->lx, "FROM") || lex_kw(q->lx, "IN")) {
		if (!lex_ident(q->lx, &dbname))
			return q_syntax(q);
	}
	if ((rc = like_or_where(q, &like)))
		return rc;
	const char *dn = dbname ? dbname : q->s->db;
	char title[300];
	snprintf(title, sizeof title, "Tables_in_%s", dn);
	const char *titles[] = { title, "Table_type" };
	if (dn && strcmp(dn, "information_schema") == 0) {
		if (!rs_begin(q->rs, titles, full ? 2 : 1))
			return 0;
		for (const char *const *t = is_table_names(); *t; t++) {
			if (like && !su_like(*t, like, false))
				continue;
			rs_add(q->rs, *t);
			if (full)
				rs_add(q->rs, "SYSTEM VIEW");
			rs_end_row(q->rs);
		}
		return 0;
	}
	struct db *d = q_db(q, dbname, &rc);
	if (!d)
		return rc;
	if (!rs_begin(q->rs, titles, full ? 2 : 1))
		return 0;
	GPtrArray *ts = g_ptr_array_new();
	for (guint i = 0; i < d->tables->len; i++)
		g_ptr_array_add(ts, g_ptr_array_index(d->tables, i));
	g_ptr_array_sort(ts, table_cmp);
	for (guint i = 0; i < ts->len; i++) {
		struct table *t = g_ptr_array_index(ts, i);
		if (like && !su_like(t->name, like, false))
			continue;
		rs_add(q->rs, t->name);
		if (full)
			rs_add(q->rs, t->kind == TK_OLAP ? "BASE TABLE" : "VIEW");
		rs_end_row(q->rs);
	}
	g_ptr_array_free(ts, TRUE);
	return 0;
}

static int
show_create(struct qctx *q)
{
	struct qname qn;
	int rc = 0;
	bool want_view = false, want_mv = false;

	if (lex_kw(q->lx, "DATABASE") || lex_kw(q->lx, "SCHEMA")) {
		const char *dn;
		if (!lex_ident(q->lx, &dn) || !lex_at_end(q->lx))
			return q_syntax(q);
		if (!q_db(q, dn, &rc))
			return rc;
		static const char *const titles[] = { "Database", "Create Database" };
		if (rs_begin(q->rs, titles, 2)) {
			rs_add(q->rs, dn);
			char *sql = g_strdup_printf("CREATE DATABASE `%s`", dn);
			rs_add(q->rs, sql);
			g_free(sql);
			rs_end_row(q->rs);
		}
		return 0;
	}
	if (lex_kw(q->lx, "VIEW"))
		want_view = true;
	else if (lex_kws(q->lx, "MATERIALIZED", "VIEW"))
		want_mv = true;
	else if (!lex_kw(q->lx, "TABLE"))
		return q_syntax(q);
	if (!dp_qname(q->lx, &qn) || !lex_at_end(q->lx)) {
		dp_qname_free(&qn);
		return q_syntax(q);
	}
	struct table *t = q_table(q, qn.db, qn.name, &rc);
	dp_qname_free(&qn);
	if (!t)
		return rc;
	if (want_view && t->kind != TK_VIEW)
		return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: Table[%s] is not a VIEW.", t->name);
	if (want_mv && t->kind != TK_MV)
		return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: Table[%s] is not a "
			       "materialized view.", t->name);
	char *sql;
	if (t->kind == TK_VIEW) {
		static const char *const titles[] = { "View", "Create View", "character_set_client",
						      "collation_connection" };
		if (!rs_begin(q->rs, titles, 4))
			return 0;
		sql = dpr_view(t);
		rs_add(q->rs, t->name);
		rs_add(q->rs, sql);
		rs_add(q->rs, "utf8");
		rs_add(q->rs, "utf8_general_ci");
	} else if (t->kind == TK_MV) {
		static const char *const titles[] = { "Materialized View", "Create Materialized View" };
		if (!rs_begin(q->rs, titles, 2))
			return 0;
		sql = dpr_mv(q->cl, t);
		rs_add(q->rs, t->name);
		rs_add(q->rs, sql);
	} else {
		static const char *const titles[] = { "Table", "Create Table" };
		if (!rs_begin(q->rs, titles, 2))
			return 0;
		sql = dpr_table(q->cl, t);
		rs_add(q->rs, t->name);
		rs_add(q->rs, sql);
	}
	rs_end_row(q->rs);
	g_free(sql);
	return 0;
}

static struct table *
from_table(struct qctx *q, int *rc, bool allow_view)
{
	struct qname qn;

	if (!(lex_kw(q->lx, "FROM") || lex_kw(q->lx, "IN")) || !dp_qname(q->lx, &qn)) {
		*rc = q_syntax(q);
		return NULL;
	}
	const char *db = qn.db;
	const char *d2;
	if (!db && (lex_kw(q->lx, "FROM") || lex_kw(q->lx, "IN")) && lex_ident(q->lx, &d2))
		db = d2;
	struct table *t = q_table(q, db, qn.name, rc);
	dp_qname_free(&qn);
	if (t && t->kind == TK_VIEW && !allow_view) {
		*rc = q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: Table '%s' is not a OLAP table",
			      t->name);
		return NULL;
	}
	return t;
}

static int
show_partitions(struct qctx *q, bool temp)
{
	int rc = 0;
	struct table *t = from_table(q, &rc, false);

	if (!t)
		return rc;
	if (lex_is_kw(q->lx, "WHERE") || lex_is_kw(q->lx, "ORDER") || lex_is_kw(q->lx, "LIMIT")) {
		if ((rc = sel_parse_tail(q->lx, &q->plan, q->msg, sizeof q->msg)))
			return rc;
		q->plan.star = true;
		q->rs->plan = &q->plan;
	} else if (!lex_at_end(q->lx)) {
		return q_syntax(q);
	}
	proc_partition_rows(q->cl, t, temp, q->rs);
	return 0;
}

static int
show_tablet(struct qctx *q)
{
	int rc = 0;
	int64_t id;

	if (lex_int(q->lx, &id)) {
		if (!lex_at_end(q->lx))
			return q_syntax(q);
		static const char *const titles[] = { "DbName", "TableName", "PartitionName", "IndexName", "DbId",
						      "TableId", "PartitionId", "IndexId", "IsSync", "DetailCmd" };
		if (!rs_begin(q->rs, titles, 10))
			return 0;
		struct tablet_ref ref;
		if (cat_tablet_find(q->cl, id, &ref) && ref.replica == -1) {
			rs_add(q->rs, ref.t->db->name);
			rs_add(q->rs, ref.t->name);
			rs_add(q->rs, ref.p->name);
			rs_add(q->rs, ref.t->tidx[ref.slot].name);
			rs_addi(q->rs, ref.t->db->id);
			rs_addi(q->rs, ref.t->id);
			rs_addi(q->rs, ref.p->phys_id);
			rs_addi(q->rs, ref.t->tidx[ref.slot].id);
			rs_add(q->rs, "true");
			rs_addf(q->rs, "SHOW PROC '/dbs/%lld/%lld/partitions/%lld/%lld/%lld';", (long long)ref.t->db->id,
				(long long)ref.t->id, (long long)ref.p->phys_id, (long long)ref.t->tidx[ref.slot].id,
				(long long)id);
		} else {
			/* an unknown tablet answers one row of NULLs ("N/A") like the FE */
			for (int i = 0; i < 10; i++)
				rs_add(q->rs, i < 4 ? "N/A" : "-1");
		}
		rs_end_row(q->rs);
		return 0;
	}
	struct table *t = from_table(q, &rc, false);
	if (!t)
		return rc;
	GPtrArray *parts = NULL;
	if (lex_kw(q->lx, "PARTITION") || lex_kw(q->lx, "PARTITIONS")) {
		parts = g_ptr_array_new();
		if (!lex_punct(q->lx, "("))
			goto syntax;
		do {
			const char *pn;
			if (!lex_ident(q->lx, &pn))
				goto syntax;
			struct partition *p = cat_part(t, pn, false);
			if (!p) {
				g_ptr_array_free(parts, TRUE);
				return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: "
					       "Unknown partition '%s' in table '%s'", pn, t->name);
			}
			g_ptr_array_add(parts, p);
		} while (lex_punct(q->lx, ","));
		if (!lex_punct(q->lx, ")"))
			goto syntax;
	}
	if (lex_is_kw(q->lx, "WHERE") || lex_is_kw(q->lx, "ORDER") || lex_is_kw(q->lx, "LIMIT")) {
		if ((rc = sel_parse_tail(q->lx, &q->plan, q->msg, sizeof q->msg))) {
			if (parts)
				g_ptr_array_free(parts, TRUE);
			return rc;
		}
		q->plan.star = true;
		q->rs->plan = &q->plan;
	} else if (!lex_at_end(q->lx)) {
		goto syntax;
	}
	if (!parts) {
		/* every partition, temp ones excluded */
		parts = g_ptr_array_new();
		for (guint i = 0; i < t->parts->len; i++) {
			struct partition *p = g_ptr_array_index(t->parts, i);
			if (!p->temp)
				g_ptr_array_add(parts, p);
		}
	}
	proc_tablet_rows(q->cl, t, parts, -1, q->rs);
	g_ptr_array_free(parts, TRUE);
	return 0;
syntax:
	if (parts)
		g_ptr_array_free(parts, TRUE);
	return q_syntax(q);
}

static void
data_row(struct rs *rs, const char *name, int64_t size, int64_t replicas)
{
	char b[32];

	rs_add(rs, name);
	rs_add(rs, su_fmt_byte_unit(b, sizeof b, size));
	rs_addi(rs, replicas);
	rs_end_row(rs);
}

static int
show_data(struct qctx *q)
{
	int rc = 0;
	char b[32];

	if (lex_at_end(q->lx)) {
		struct db *d = q_db(q, NULL, &rc);
		if (!d)
			return rc;
		static const char *const titles[] = { "TableName", "Size", "ReplicaCount" };
		if (!rs_begin(q->rs, titles, 3))
			return 0;
		GPtrArray *ts = g_ptr_array_new();
		for (guint i = 0; i < d->tables->len; i++) {
			struct table *t = g_ptr_array_index(d->tables, i);
			if (t->kind != TK_VIEW)
				g_ptr_array_add(ts, t);
		}
		g_ptr_array_sort(ts, table_cmp);
		int64_t total = 0, reps = 0;
		for (guint i = 0; i < ts->len; i++) {
			struct table *t = g_ptr_array_index(ts, i);
			data_row(q->rs, t->name, cat_table_size(t), cat_table_replica_count(t));
			total += cat_table_size(t);
			reps += cat_table_replica_count(t);
		}
		g_ptr_array_free(ts, TRUE);
		data_row(q->rs, "Total", total, reps);
		data_row(q->rs, "Quota", d->quota, d->replica_quota);
		data_row(q->rs, "Left", d->quota - total, d->replica_quota - reps);
		return 0;
	}
	struct table *t = from_table(q, &rc, false);
	if (!t)
		return rc;
	if (!lex_at_end(q->lx))
		return q_syntax(q);
	static const char *const titles[] = { "TableName", "IndexName", "Size", "ReplicaCount", "RowCount" };
	if (!rs_begin(q->rs, titles, 5))
		return 0;
	int64_t size = cat_table_size(t), reps = cat_table_replica_count(t) / (t->ntidx ? t->ntidx : 1);
	for (int s = 0; s < t->ntidx; s++) {
		rs_add(q->rs, s == 0 ? t->name : "");
		rs_add(q->rs, t->tidx[s].name);
		rs_add(q->rs, su_fmt_byte_unit(b, sizeof b, size));
		rs_addi(q->rs, reps);
		rs_addi(q->rs, cat_table_rows(t));
		rs_end_row(q->rs);
	}
	rs_add(q->rs, "");
	rs_add(q->rs, "Total");
	rs_add(q->rs, su_fmt_byte_unit(b, sizeof b, size * (t->ntidx ? t->ntidx : 1)));
	rs_addi(q->rs, cat_table_replica_count(t));
	rs_add(q->rs, "");
	rs_end_row(q->rs);
	return 0;
}

static int
show_volumes(struct qctx *q)
{
	const char *like;
	int rc = like_or_where(q, &like);

	if (rc)
		return rc;
	static const char *const titles[] = { "Storage Volume" };
	if (!rs_begin(q->rs, titles, 1))
		return 0;
	for (guint i = 0; i < q->cl->volumes->len; i++) {
		struct volume *v = g_ptr_array_index(q->cl->volumes, i);
		if (like && !su_like(v->name, like, false))
			continue;
		rs_add(q->rs, v->name);
		rs_end_row(q->rs);
	}
	return 0;
}

static int
show_grants(struct qctx *q)
{
	const char *who = q->s->user ? q->s->user->name : "";

	if (lex_kw(q->lx, "FOR")) {
		if (!lex_string(q->lx, &who) && !lex_ident(q->lx, &who))
			return q_syntax(q);
		if (lex_punct(q->lx, "@")) {
			const char *host;
			if (!lex_string(q->lx, &host) && !lex_ident(q->lx, &host))
				return q_syntax(q);
		}
	}
	if (!lex_at_end(q->lx))
		return q_syntax(q);
	struct user *u = sim_user(q->cl, who);
	if (!u)
		return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: cannot find user '%s'@'%%'.", who);
	static const char *const titles[] = { "UserIdentity", "Catalog", "Grants" };
	if (!rs_begin(q->rs, titles, 3))
		return 0;
	char *ident = g_strdup_printf("'%s'@'%%'", u->name);
	rs_add(q->rs, ident);
	rs_add(q->rs, NULL);
	if (u->operate)
		rs_addf(q->rs, "GRANT OPERATE ON SYSTEM TO USER %s", ident);
	else
		rs_addf(q->rs, "GRANT 'public' TO USER %s", ident);
	rs_end_row(q->rs);
	g_free(ident);
	return 0;
}

static int
show_index(struct qctx *q)
{
	int rc = 0;
	struct table *t = from_table(q, &rc, false);

	if (!t)
		return rc;
	if (!lex_at_end(q->lx))
		return q_syntax(q);
	static const char *const titles[] = { "Table", "Non_unique", "Key_name", "Seq_in_index", "Column_name",
					      "Collation", "Cardinality", "Sub_part", "Packed", "Null", "Index_type",
					      "Comment" };
	if (!rs_begin(q->rs, titles, 12))
		return 0;
	for (int i = 0; i < t->nbidx; i++)
		for (int k = 0; t->bidx[i].cols[k]; k++) {
			rs_add(q->rs, t->name);
			rs_add(q->rs, "");
			rs_add(q->rs, t->bidx[i].name);
			rs_addi(q->rs, k + 1);
			rs_add(q->rs, t->bidx[i].cols[k]);
			rs_add(q->rs, "");
			rs_add(q->rs, "");
			rs_add(q->rs, "");
			rs_add(q->rs, "");
			rs_add(q->rs, "");
			rs_add(q->rs, "BITMAP");
			rs_add(q->rs, t->bidx[i].comment ? t->bidx[i].comment : "");
			rs_end_row(q->rs);
		}
	return 0;
}

int
show_stmt(struct qctx *q)
{
	struct lexer *lx = q->lx;
	int rc = 0;

	lex_kw(lx, "SHOW");
	if (lex_kw(lx, "DATABASES") || lex_kw(lx, "SCHEMAS"))
		return show_databases(q);
	if (lex_kws(lx, "FULL", "TABLES"))
		return show_tables(q, true);
	if (lex_kw(lx, "TABLES"))
		return show_tables(q, false);
	if (lex_kw(lx, "CREATE"))
		return show_create(q);
	if (lex_kw(lx, "PARTITIONS"))
		return show_partitions(q, false);
	if (lex_kws(lx, "TEMPORARY", "PARTITIONS"))
		return show_partitions(q, true);
	if (lex_kw(lx, "TABLET"))
		return show_tablet(q);
	if (lex_kw(lx, "DATA"))
		return show_data(q);
	if (lex_kws(lx, "STORAGE", "VOLUMES"))
		return show_volumes(q);
	if (lex_kw(lx, "GRANTS"))
		return show_grants(q);
	if (lex_kws(lx, "MATERIALIZED", "VIEWS")) {
		const char *db = NULL, *like;
		if ((lex_kw(lx, "FROM") || lex_kw(lx, "IN")) && !lex_ident(lx, &db))
			return q_syntax(q);
		if ((rc = like_or_where(q, &like)))
			return rc;
		struct db *d = q_db(q, db, &rc);
		if (!d)
			return rc;
		is_mv_rows(q->cl, d, like, false, q->rs);
		return 0;
	}
	if (lex_kw(lx, "INDEX") || lex_kw(lx, "INDEXES") || lex_kw(lx, "KEYS"))
		return show_index(q);
	if (lex_kw(lx, "FRONTENDS") || lex_kw(lx, "BACKENDS") || lex_kws(lx, "COMPUTE", "NODES")) {
		const struct token *w = &lx->t[lx->pos - 1];
		if (!lex_at_end(lx))
			return q_syntax(q);
		if ((rc = q_need_operate(q)))
			return rc;
		if (su_ieq(w->text, "FRONTENDS"))
			shn_frontends(q->cl, q->rs);
		else if (su_ieq(w->text, "BACKENDS"))
			shn_backends(q->cl, q->rs);
		else
			shn_compute_nodes(q->cl, q->rs);
		return 0;
	}
	/* SHOW [GLOBAL | SESSION] VARIABLES */
	if (!lex_kw(lx, "GLOBAL"))
		lex_kw(lx, "SESSION");
	if (lex_kw(lx, "VARIABLES")) {
		const char *like;
		if ((rc = like_or_where(q, &like)))
			return rc;
		qv_rows(q, like);
		return 0;
	}
	if (lex_kw(lx, "WARNINGS") || lex_kw(lx, "ERRORS")) {
		static const char *const titles[] = { "Level", "Code", "Message" };
		rs_begin(q->rs, titles, 3);
		return 0;
	}
	bool full = lex_kw(lx, "FULL");
	if (lex_kw(lx, "COLUMNS") || lex_kw(lx, "FIELDS")) {
		struct table *t = from_table(q, &rc, true);
		if (!t)
			return rc;
		if (!lex_at_end(lx))
			return q_syntax(q);
		qdesc_rows(q, t, full);
		return 0;
	}
	return q_syntax(q);
}
