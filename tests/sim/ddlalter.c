/*
 * ddlalter: ALTER TABLE (partitions, columns, bitmap indexes, properties,
 * rename) and CREATE / DROP INDEX.
 */
#include <stdio.h>
#include <string.h>

#include "ddlparse.h"
#include "dispatch.h"
#include "errs.h"
#include "jobs.h"
#include "simutil.h"

static int
key_cmp(const char *a, const char *b)
{
	int64_t x, y;

	if (su_parse_i64(a, &x) && su_parse_i64(b, &y))
		return x < y ? -1 : x > y;
	return strcmp(a, b);
}

static const struct partition *
range_overlap(const struct table *t, const struct partition *p)
{
	if (!p->lower || !p->upper || (t->part_cols && t->part_cols[0] && t->part_cols[1]))
		return NULL;
	for (guint i = 0; i < t->parts->len; i++) {
		const struct partition *o = g_ptr_array_index(t->parts, i);
		if (o->temp != p->temp || !o->lower || !o->upper)
			continue;
		if (key_cmp(p->lower[0], o->upper[0]) < 0 && key_cmp(o->lower[0], p->upper[0]) < 0)
			return o;
	}
	return NULL;
}

static int
add_partitions(struct qctx *q, struct table *t)
{
	struct lexer *lx = q->lx;
	bool temp = lex_kw(lx, "TEMPORARY");
	bool ine = lex_is_kw(lx, "PARTITION") && lex_peek_at(lx, 1)->kind == TK_WORD &&
		   su_ieq(lex_peek_at(lx, 1)->text, "IF");
	GPtrArray *parts = g_ptr_array_new();
	int rc = 0;

	if (t->ptype == PT_UNPARTITIONED)
		return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: Table %s is not partitioned.",
			       t->name);
	if (lex_kw(lx, "PARTITIONS")) {
		if ((rc = dp_partition_desc(lx, t, parts, q->msg, sizeof q->msg)))
			goto out;
	} else if ((rc = dp_partition_desc(lx, t, parts, q->msg, sizeof q->msg))) {
		goto out;
	}
	int64_t buckets = 0;
	if (lex_kw(lx, "DISTRIBUTED")) {
		if (!lex_kw(lx, "BY"))
			goto syntax;
		if (lex_kw(lx, "HASH")) {
			if (!lex_skip_parens(lx))
				goto syntax;
		} else if (!lex_kw(lx, "RANDOM")) {
			goto syntax;
		}
		if (lex_kw(lx, "BUCKETS") && !lex_int(lx, &buckets))
			goto syntax;
	}
	if (!lex_at_end(lx))
		goto syntax;
	if (t->ptype != PT_LIST)
		dp_fix_ranges(t, parts);
	for (guint i = 0; i < parts->len; i++) {
		struct partition *p = g_ptr_array_index(parts, i);
		p->temp = temp;
		if (buckets > 0)
			p->buckets = (int)buckets;
		if (cat_part(t, p->name, temp)) {
			if (ine)
				continue;
			rc = q_error(q, E_SYNTAX, "Duplicate partition name %s", p->name);
			goto out;
		}
		const struct partition *o = range_overlap(t, p);
		if (o) {
			rc = q_error(q, E_SYNTAX, "Range [%s, %s) is intersected with range of partition %s", p->lower[0],
				     p->upper[0], o->name);
			goto out;
		}
	}
	for (guint i = 0; i < parts->len; i++) {
		struct partition *p = g_ptr_array_index(parts, i);
		if (cat_part(t, p->name, temp))
			continue;
		cat_part_add(q->cl, t, p);
		parts->pdata[i] = NULL;
	}
	q->cl->journal_id++;
	goto out;
syntax:
	rc = q_syntax(q);
out:
	for (guint i = 0; i < parts->len; i++)
		cat_part_free(g_ptr_array_index(parts, i));
	g_ptr_array_free(parts, TRUE);
	return rc;
}

static int
drop_partition(struct qctx *q, struct table *t)
{
	struct lexer *lx = q->lx;
	bool temp = lex_kw(lx, "TEMPORARY");
	bool ie;
	const char *name;

	if (!lex_kw(lx, "PARTITION") || !lex_if_exists(lx, &ie) || !lex_ident(lx, &name))
		return q_syntax(q);
	lex_kw(lx, "FORCE");
	if (!lex_at_end(lx))
		return q_syntax(q);
	struct partition *p = cat_part(t, name, temp);
	if (!p)
		return ie ? 0 : q_error(q, E_SYNTAX, "Error in list of partitions to %s", name);
	cat_part_drop(q->cl, t, p);
	q->cl->journal_id++;
	return 0;
}

/* A schema change: light (a new schema version) or full (new index and tablet ids). */
static void
schema_changed(struct cluster *c, struct table *t, bool full)
{
	const char *fse = props_get(&t->props, "fast_schema_evolution");

	if (!full && !(fse && su_ieq(fse, "false"))) {
		t->tidx[0].schema_version++;
	} else {
		for (int s = 0; s < t->ntidx; s++)
			cat_index_rebuild(c, t, s);
	}
	t->update_time = su_wall_ms();
	c->journal_id++;
}

static int
alter_columns(struct qctx *q, struct table *t, const char *op)
{
	struct lexer *lx = q->lx;
	int rc;

	lex_kw(lx, "COLUMN");
	if (!strcmp(op, "DROP")) {
		const char *name;
		if (!lex_ident(lx, &name) || !lex_at_end(lx))
			return q_syntax(q);
		int i = cat_col_index(t, name);
		if (i < 0)
			return q_error(q, E_SYNTAX, "Column does not exists: %s", name);
		if (t->cols[i].key)
			return q_error(q, E_SYNTAX, "Can not drop key column in %s table", cat_model_name(t->model));
		dp_column_free(&t->cols[i]);
		memmove(t->cols + i, t->cols + i + 1, sizeof(struct column) * (size_t)(t->ncols - i - 1));
		t->ncols--;
		schema_changed(q->cl, t, false);
		return 0;
	}
	bool paren = !strcmp(op, "ADD") && lex_punct(lx, "(");
	do {
		struct column col;
		if ((rc = dp_column(lx, &col, q->msg, sizeof q->msg))) {
			if (col.name)
				dp_column_free(&col);
			return rc;
		}
		const char *after = NULL;
		bool first = lex_kw(lx, "FIRST");
		if (lex_kw(lx, "AFTER") && !lex_ident(lx, &after)) {
			dp_column_free(&col);
			return q_syntax(q);
		}
		int at = cat_col_index(t, col.name);
		if (!strcmp(op, "MODIFY")) {
			if (at < 0) {
				rc = q_error(q, E_SYNTAX, "Column[%s] does not exists", col.name);
				dp_column_free(&col);
				return rc;
			}
			col.key = t->cols[at].key;
			col.uid = t->cols[at].uid;
			if (!col.agg && t->cols[at].agg)
				col.agg = g_strdup(t->cols[at].agg);
			dp_column_free(&t->cols[at]);
			t->cols[at] = col;
			schema_changed(q->cl, t, true);
		} else {
			if (at >= 0) {
				rc = q_error(q, E_SYNTAX, "Duplicate column name '%s'", col.name);
				dp_column_free(&col);
				return rc;
			}
			if (t->model == MODEL_AGG && !col.key && !col.agg)
				col.agg = g_strdup("REPLACE");
			int pos = first ? 0 : after ? cat_col_index(t, after) + 1 : t->ncols;
			if (pos < 0 || (!col.key && pos < t->nkeys))
				pos = t->ncols;
			col.uid = t->next_uid++;
			t->cols = g_renew(struct column, t->cols, t->ncols + 1);
			memmove(t->cols + pos + 1, t->cols + pos, sizeof(struct column) * (size_t)(t->ncols - pos));
			t->cols[pos] = col;
			t->ncols++;
			if (col.key)
				t->nkeys++;
			schema_changed(q->cl, t, col.key);
		}
	} while (paren && lex_punct(lx, ","));
	if ((paren && !lex_punct(lx, ")")) || !lex_at_end(lx))
		return q_syntax(q);
	return 0;
}

static int
add_bitmap(struct qctx *q, struct table *t, const char *name)
{
	struct lexer *lx = q->lx;
	GPtrArray *cols = g_ptr_array_new_with_free_func(g_free);
	const char *c, *cm = "";
	int rc = 0;

	if (!lex_punct(lx, "("))
		goto syntax;
	do {
		if (!lex_ident(lx, &c))
			goto syntax;
		if (cat_col_index(t, c) < 0) {
			rc = q_error(q, E_SYNTAX, "Column does not exist in table. invalid column: %s", c);
			goto out;
		}
		g_ptr_array_add(cols, g_strdup(c));
	} while (lex_punct(lx, ","));
	if (!lex_punct(lx, ")") || (lex_kw(lx, "USING") && !lex_kw(lx, "BITMAP")))
		goto syntax;
	if (lex_kw(lx, "COMMENT") && !lex_string(lx, &cm))
		goto syntax;
	if (!lex_at_end(lx))
		goto syntax;
	for (int i = 0; i < t->nbidx; i++)
		if (!strcmp(t->bidx[i].name, name)) {
			rc = q_error(q, E_SYNTAX, "index `%s` already exist.", name);
			goto out;
		}
	t->bidx = g_renew(struct bitmap_index, t->bidx, t->nbidx + 1);
	g_ptr_array_add(cols, NULL);
	g_ptr_array_set_free_func(cols, NULL);
	t->bidx[t->nbidx].name = g_strdup(name);
	t->bidx[t->nbidx].cols = (char **)g_ptr_array_free(cols, FALSE);
	t->bidx[t->nbidx].comment = g_strdup(cm);
	t->nbidx++;
	q->cl->journal_id++;
	return 0;
syntax:
	rc = q_syntax(q);
out:
	g_ptr_array_free(cols, TRUE);
	return rc;
}

static int
drop_bitmap(struct qctx *q, struct table *t, const char *name)
{
	for (int i = 0; i < t->nbidx; i++)
		if (!strcmp(t->bidx[i].name, name)) {
			g_free(t->bidx[i].name);
			g_strfreev(t->bidx[i].cols);
			g_free(t->bidx[i].comment);
			memmove(t->bidx + i, t->bidx + i + 1, sizeof(struct bitmap_index) * (size_t)(t->nbidx - i - 1));
			t->nbidx--;
			q->cl->journal_id++;
			return 0;
		}
	return q_error(q, E_SYNTAX, "index %s does not exist", name);
}

int
alter_stmt(struct qctx *q)
{
	struct lexer *lx = q->lx;
	struct qname qn;
	int rc = 0;

	if (!dp_qname(lx, &qn))
		return q_syntax(q);
	struct table *t = q_table(q, qn.db, qn.name, &rc);
	dp_qname_free(&qn);
	if (!t)
		return rc;
	if (t->kind == TK_VIEW)
		return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: Do not support alter view.");
	if (lex_kw(lx, "SET")) {
		struct props p = { 0 };
		if ((rc = dp_props(lx, &p, q->msg, sizeof q->msg)))
			return rc;
		if (!lex_at_end(lx)) {
			props_free(&p);
			return q_syntax(q);
		}
		for (int i = 0; i < p.n; i++) {
			int64_t v;
			if (!strcmp(p.e[i].k, "replication_num")) {
				if (!su_parse_i64(p.e[i].v, &v) || v <= 0) {
					props_free(&p);
					return q_error(q, E_SYNTAX, "Replication num should larger than 0");
				}
				/* the default for new partitions; existing ones keep their replicas */
				t->replication_num = (int)v;
			}
			props_set(&t->props, p.e[i].k, p.e[i].v);
		}
		props_free(&p);
		q->cl->journal_id++;
		return 0;
	}
	if (lex_kw(lx, "RENAME")) {
		const char *nn;
		if (!lex_ident(lx, &nn) || !lex_at_end(lx))
			return q_syntax(q);
		if (cat_table(t->db, nn))
			return q_error(q, E_TABLE_EXISTS, "Table '%s' already exists", nn);
		g_hash_table_remove(t->db->by_name, t->name);
		g_free(t->name);
		t->name = g_strdup(nn);
		g_free(t->tidx[0].name);
		t->tidx[0].name = g_strdup(nn);
		g_hash_table_insert(t->db->by_name, t->name, t);
		q->cl->journal_id++;
		return 0;
	}
	if (lex_kw(lx, "ADD")) {
		if (lex_is_kw(lx, "PARTITION") || lex_is_kw(lx, "PARTITIONS") || lex_is_kw(lx, "TEMPORARY"))
			return add_partitions(q, t);
		if (lex_kw(lx, "INDEX")) {
			const char *name;
			if (!lex_ident(lx, &name))
				return q_syntax(q);
			return add_bitmap(q, t, name);
		}
		return alter_columns(q, t, "ADD");
	}
	if (lex_kw(lx, "DROP")) {
		if (lex_is_kw(lx, "PARTITION") || lex_is_kw(lx, "TEMPORARY"))
			return drop_partition(q, t);
		if (lex_kw(lx, "INDEX")) {
			const char *name;
			if (!lex_ident(lx, &name) || !lex_at_end(lx))
				return q_syntax(q);
			return drop_bitmap(q, t, name);
		}
		return alter_columns(q, t, "DROP");
	}
	if (lex_kw(lx, "MODIFY"))
		return alter_columns(q, t, "MODIFY");
	return q_syntax(q);
}

int
create_index_stmt(struct qctx *q)
{
	const char *name;
	struct qname qn;
	int rc = 0;

	if (!lex_ident(q->lx, &name) || !lex_kw(q->lx, "ON") || !dp_qname(q->lx, &qn))
		return q_syntax(q);
	struct table *t = q_table(q, qn.db, qn.name, &rc);
	dp_qname_free(&qn);
	return t ? add_bitmap(q, t, name) : rc;
}

int
drop_index_stmt(struct qctx *q)
{
	const char *name;
	struct qname qn;
	int rc = 0;

	if (!lex_ident(q->lx, &name) || !lex_kw(q->lx, "ON") || !dp_qname(q->lx, &qn))
		return q_syntax(q);
	if (!lex_at_end(q->lx)) {
		dp_qname_free(&qn);
		return q_syntax(q);
	}
	struct table *t = q_table(q, qn.db, qn.name, &rc);
	dp_qname_free(&qn);
	return t ? drop_bitmap(q, t, name) : rc;
}

/* TRUNCATE replaces partitions by empty ones with new ids, as StarRocks does. */
