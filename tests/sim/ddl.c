/*
 * ddl: CREATE / DROP / ALTER / TRUNCATE on a cluster's catalog.
 */
#include <stdio.h>
#include <string.h>

#include "ddlparse.h"
#include "dispatch.h"
#include "errs.h"
#include "jobs.h"
#include "simutil.h"

/* --- databases ------------------------------------------------------------------------------- */

static int
create_database(struct qctx *q)
{
	const char *name;
	bool ine;

	if (!lex_if_not_exists(q->lx, &ine) || !lex_ident(q->lx, &name))
		return q_syntax(q);
	/* PROPERTIES such as the storage volume of a shared-data database are accepted */
	if (lex_kw(q->lx, "PROPERTIES") && !lex_skip_parens(q->lx))
		return q_syntax(q);
	if (!lex_at_end(q->lx))
		return q_syntax(q);
	int rc = dp_check_name(DPN_DB, name, q->msg, sizeof q->msg);
	if (rc)
		return rc;
	if (cat_db(q->cl, name) || !strcmp(name, "information_schema") || !strcmp(name, "sys"))
		return ine ? 0 : q_error(q, E_DB_CREATE_EXISTS, "Can't create database '%s'; database exists", name);
	cat_db_create(q->cl, name);
	q->cl->journal_id++;
	return 0;
}

static void
drop_table_objects(struct cluster *c, struct table *t)
{
	jobs_table_dropped(c, t->id);
	cat_table_drop(c, t);
	c->journal_id++;
}

static int
drop_database(struct qctx *q)
{
	const char *name;
	bool ie;

	if (!lex_if_exists(q->lx, &ie) || !lex_ident(q->lx, &name))
		return q_syntax(q);
	lex_kw(q->lx, "FORCE");
	if (!lex_at_end(q->lx))
		return q_syntax(q);
	struct db *d = cat_db(q->cl, name);
	if (!d)
		return ie ? 0 : q_error(q, E_DB_DROP_EXISTS, "Can't drop database '%s'; database doesn't exist", name);
	while (d->tables->len)
		drop_table_objects(q->cl, g_ptr_array_index(d->tables, d->tables->len - 1));
	cat_db_drop(q->cl, d);
	return 0;
}

/* --- tables, views, materialized views ----------------------------------------------------------- */

static int
add_table(struct qctx *q, struct qname *qn, bool ine, struct table *t)
{
	int rc = 0;
	struct db *d = q_db(q, qn->db, &rc);

	if (d && cat_table(d, qn->name)) {
		cat_table_free(t);
		return ine ? 0 : q_error(q, E_TABLE_EXISTS, "Table '%s' already exists", qn->name);
	}
	if (!d) {
		cat_table_free(t);
		return rc;
	}
	cat_table_add(q->cl, d, t);
	q->cl->journal_id++;
	return 0;
}

static int
create_table(struct qctx *q)
{
	struct qname qn;
	bool ine;
	struct table *t;
	int rc = dp_create_table(q->lx, q->cl, &qn, &ine, &t, q->msg, sizeof q->msg);

	if (rc)
		return rc;
	rc = add_table(q, &qn, ine, t);
	dp_qname_free(&qn);
	return rc;
}

static int
create_view(struct qctx *q, bool replace)
{
	struct qname qn;
	bool ine;
	struct table *t;
	int rc = dp_create_view(q->lx, &qn, &ine, &t, q->msg, sizeof q->msg);

	if (rc)
		return rc;
	struct db *d = replace ? q_db(q, qn.db, &rc) : NULL;
	struct table *old = d ? cat_table(d, qn.name) : NULL;
	if (old && old->kind == TK_VIEW) {
		g_free(old->view_def);
		old->view_def = t->view_def;
		t->view_def = NULL;
		cat_table_free(t);
		dp_qname_free(&qn);
		return 0;
	}
	rc = add_table(q, &qn, ine, t);
	dp_qname_free(&qn);
	return rc;
}

static int
create_mv(struct qctx *q)
{
	struct qname qn, base;
	bool ine, sync;
	struct table *t;
	int rc = dp_create_mv(q->lx, q->cl, &qn, &ine, &sync, &base, &t, q->msg, sizeof q->msg);

	if (rc)
		return rc;
	struct table *bt = q_table(q, base.db, base.name, &rc);
	if (!bt) {
		cat_table_free(t);
		goto out;
	}
	if (!sync) {
		/* an asynchronous MV is a table of its own with one partition */
		struct partition *p = g_new0(struct partition, 1);
		p->name = g_strdup(t->name);
		if (!t->dist_cols && !t->random_dist)
			t->random_dist = true;
		t->parts = g_ptr_array_new();
		g_ptr_array_add(t->parts, p);
		t->ncols = 0;
		rc = add_table(q, &qn, ine, t);
		goto out;
	}
	/* a synchronous MV is a rollup index of its base table */
	for (int s = 0; s < bt->ntidx; s++)
		if (!strcmp(bt->tidx[s].name, qn.name)) {
			cat_table_free(t);
			rc = ine ? 0 : q_error(q, E_SYNTAX, "Materialized view[%s] already exists", qn.name);
			goto out;
		}
	struct tindex ix = { .name = g_strdup(qn.name), .mv_def = g_strdup(t->view_def) };
	GPtrArray *cols = g_ptr_array_new();
	for (int i = 0; i < bt->ncols; i++)
		if (strstr(t->view_def, bt->cols[i].name))
			g_ptr_array_add(cols, g_strdup(bt->cols[i].name));
	g_ptr_array_add(cols, NULL);
	ix.cols = (char **)g_ptr_array_free(cols, FALSE);
	ix.short_keys = 1;
	cat_index_add(q->cl, bt, &ix);
	cat_table_free(t);
	q->cl->journal_id++;
out:
	dp_qname_free(&qn);
	dp_qname_free(&base);
	return rc;
}

static int
drop_table(struct qctx *q, enum tkind kind)
{
	struct qname qn;
	bool ie;
	int rc = 0;

	if (!lex_if_exists(q->lx, &ie) || !dp_qname(q->lx, &qn))
		return q_syntax(q);
	lex_kw(q->lx, "FORCE");
	if (!lex_at_end(q->lx)) {
		dp_qname_free(&qn);
		return q_syntax(q);
	}
	struct db *d = q_db(q, qn.db, &rc);
	struct table *t = d ? cat_table(d, qn.name) : NULL;
	if (d && !t && kind == TK_MV) {
		/* a synchronous MV: a rollup index of some table of the database */
		for (guint i = 0; i < d->tables->len; i++) {
			struct table *bt = g_ptr_array_index(d->tables, i);
			for (int s = 1; s < bt->ntidx; s++)
				if (!strcmp(bt->tidx[s].name, qn.name)) {
					cat_index_drop(q->cl, bt, s);
					dp_qname_free(&qn);
					return 0;
				}
		}
	}
	if (!d) {
		dp_qname_free(&qn);
		return rc;
	}
	bool match = t && (kind == TK_OLAP ? t->kind != TK_VIEW : t->kind == kind);
	if (!match) {
		rc = ie ? 0 : q_error(q, E_BAD_TABLE, "Unknown table '%s'", qn.name);
		dp_qname_free(&qn);
		return rc;
	}
	drop_table_objects(q->cl, t);
	dp_qname_free(&qn);
	return 0;
}

static int
truncate_table(struct qctx *q)
{
	struct qname qn;
	int rc = 0;

	lex_kw(q->lx, "TABLE");
	if (!dp_qname(q->lx, &qn))
		return q_syntax(q);
	struct table *t = q_table(q, qn.db, qn.name, &rc);
	dp_qname_free(&qn);
	if (!t)
		return rc;
	if (!lex_at_end(q->lx))
		return q_syntax(q);
	guint n = t->parts->len;
	for (guint i = 0; i < n; i++) {
		struct partition *old = g_ptr_array_index(t->parts, 0);
		struct partition *p = g_new0(struct partition, 1);
		p->name = g_strdup(old->name);
		p->temp = old->temp;
		p->lower = old->lower ? g_strdupv(old->lower) : NULL;
		p->upper = old->upper ? g_strdupv(old->upper) : NULL;
		p->nlists = old->nlists;
		p->lists = old->nlists ? g_new0(char **, old->nlists) : NULL;
		for (int k = 0; k < old->nlists; k++)
			p->lists[k] = g_strdupv(old->lists[k]);
		p->buckets = old->buckets;
		p->replication_num = old->replication_num;
		p->storage_medium = g_strdup(old->storage_medium);
		cat_part_drop(q->cl, t, old);
		cat_part_add(q->cl, t, p);
	}
	q->cl->journal_id++;
	return 0;
}

/* --- storage volumes --------------------------------------------------------------------------------- */

static int
create_volume(struct qctx *q)
{
	struct lexer *lx = q->lx;
	const char *name, *type = NULL, *loc = NULL, *cm = "";
	bool ine;
	struct props p = { 0 };
	int rc;

	if (!lex_if_not_exists(lx, &ine) || !lex_ident(lx, &name))
		return q_syntax(q);
	if (!lex_kw(lx, "TYPE") || !lex_punct(lx, "=") || !lex_ident(lx, &type))
		return q_syntax(q);
	if (!lex_kw(lx, "LOCATIONS") || !lex_punct(lx, "=") || !lex_punct(lx, "(") || !lex_string(lx, &loc))
		return q_syntax(q);
	while (lex_punct(lx, ",")) {
		const char *more;
		if (!lex_string(lx, &more))
			return q_syntax(q);
	}
	if (!lex_punct(lx, ")"))
		return q_syntax(q);
	if (lex_kw(lx, "COMMENT") && !lex_string(lx, &cm))
		return q_syntax(q);
	if (lex_kw(lx, "PROPERTIES") && (rc = dp_props(lx, &p, q->msg, sizeof q->msg)))
		return rc;
	if (!lex_at_end(lx)) {
		props_free(&p);
		return q_syntax(q);
	}
	if (!q->cl->prof.shared_data) {
		props_free(&p);
		return q_error(q, E_SYNTAX, "unsupported statement in shared_nothing mode");
	}
	for (guint i = 0; i < q->cl->volumes->len; i++)
		if (!strcmp(((struct volume *)g_ptr_array_index(q->cl->volumes, i))->name, name)) {
			props_free(&p);
			return ine ? 0 : q_error(q, E_SYNTAX, "Storage volume '%s' already exists", name);
		}
	struct volume *v = g_new0(struct volume, 1);
	struct sb js;
	sb_init(&js);
	sb_putc(&js, '{');
	for (int i = 0; i < p.n; i++) {
		if (!strcmp(p.e[i].k, "enabled"))
			continue;
		bool secret = strstr(p.e[i].k, "secret") || strstr(p.e[i].k, "access_key");
		sb_printf(&js, "%s\"%s\":\"%s\"", js.len > 1 ? "," : "", p.e[i].k, secret ? "******" : p.e[i].v);
	}
	sb_putc(&js, '}');
	v->name = g_strdup(name);
	v->type = g_ascii_strup(type, -1);
	v->location = g_strdup(loc);
	v->params = sb_steal(&js);
	v->comment = g_strdup(cm);
	const char *en = props_get(&p, "enabled");
	v->enabled = !en || su_ieq(en, "true");
	g_ptr_array_add(q->cl->volumes, v);
	props_free(&p);
	return 0;
}

int
ddl_stmt(struct qctx *q)
{
	struct lexer *lx = q->lx;

	if (lex_kw(lx, "CREATE")) {
		lex_kw(lx, "EXTERNAL");
		if (lex_kw(lx, "DATABASE") || lex_kw(lx, "SCHEMA"))
			return create_database(q);
		if (lex_kw(lx, "TABLE"))
			return create_table(q);
		bool replace = lex_kws(lx, "OR", "REPLACE");
		if (lex_kw(lx, "VIEW"))
			return create_view(q, replace);
		if (replace)
			return q_syntax(q);
		if (lex_kws(lx, "MATERIALIZED", "VIEW"))
			return create_mv(q);
		if (lex_kw(lx, "INDEX"))
			return create_index_stmt(q);
		if (lex_kws(lx, "STORAGE", "VOLUME"))
			return create_volume(q);
		return q_syntax(q);
	}
	if (lex_kw(lx, "DROP")) {
		if (lex_kw(lx, "DATABASE") || lex_kw(lx, "SCHEMA"))
			return drop_database(q);
		if (lex_kw(lx, "TABLE"))
			return drop_table(q, TK_OLAP);
		if (lex_kw(lx, "VIEW"))
			return drop_table(q, TK_VIEW);
		if (lex_kws(lx, "MATERIALIZED", "VIEW"))
			return drop_table(q, TK_MV);
		if (lex_kw(lx, "INDEX"))
			return drop_index_stmt(q);
		return q_syntax(q);
	}
	if (lex_kw(lx, "ALTER")) {
		if (lex_kw(lx, "TABLE"))
			return alter_stmt(q);
		return q_syntax(q);
	}
	if (lex_kw(lx, "TRUNCATE"))
		return truncate_table(q);
	return q_syntax(q);
}
