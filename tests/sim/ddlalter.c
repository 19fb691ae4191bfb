/*
 * ddlalter: ALTER TABLE (partitions, columns, bitmap indexes, properties,
 * rename) and CREATE / DROP INDEX.
 */
#include <stdio.h>
#include <string.h>

#include "ddlparse.h"
#include "dispatch.h"
#include "errs.h"
#include "feconfig.h"
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

/* The analyzer's SemanticException from 3.3 (PartitionDescAnalyzer), the
 * plain DdlException text of LocalMetastore before. */
static int
auto_error(struct qctx *q, const char *detail)
{
	if (q->cl->prof.v >= PV(3, 3, 0))
		return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: %s.", detail);
	return q_error(q, E_SYNTAX, "%s", detail);
}

/*
 * checkManualAddPartitionDateAligned: a batch's bounds must be whole units
 * (an hour's minutes, a day's time, the first of a month, the first day of a
 * year). The message names the range and suggests the aligned one.
 */
static int
unaligned(struct qctx *q, const struct table *t, const struct dp_batch *b, const char *unit)
{
	GDateTime *d[2];
	const char *keys[2] = { b->start, b->end };
	int step = t->part_step > 0 ? t->part_step : 1;
	bool datetime = g_str_has_prefix(dp_part_col_type(t, 0), "DATETIME");
	const char *fmt = datetime ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d";
	char *got[2], *std[2];
	int rc = 0;

	for (int i = 0; i < 2; i++) {
		int y, mo, dd, h = 0, mi = 0, sec = 0;
		if (sscanf(keys[i], "%d-%d-%d %d:%d:%d", &y, &mo, &dd, &h, &mi, &sec) < 3 ||
		    !(d[i] = g_date_time_new_utc(y, mo, dd, h, mi, sec)))
			return 0;	/* not a date: the batch itself was refused already */
	}
	GDateTime *s[2];
	for (int i = 0; i < 2; i++) {
		int y = g_date_time_get_year(d[i]), mo = g_date_time_get_month(d[i]);
		int dd = g_date_time_get_day_of_month(d[i]), h = g_date_time_get_hour(d[i]);
		int mi = g_date_time_get_minute(d[i]), sec = g_date_time_get_second(d[i]);
		if (su_ieq(unit, "hour"))
			s[i] = g_date_time_new_utc(y, mo, dd, h, 0, 0);
		else if (su_ieq(unit, "day"))
			s[i] = g_date_time_new_utc(y, mo, dd, 0, 0, 0);
		else if (su_ieq(unit, "month"))
			s[i] = g_date_time_new_utc(y, mo, 1, h, mi, sec);
		else if (su_ieq(unit, "year"))
			s[i] = g_date_time_new_utc(y, 1, 1, h, mi, sec);
		else
			s[i] = g_date_time_ref(d[i]);
	}
	if (g_date_time_equal(s[0], s[1])) {
		GDateTime *e = su_ieq(unit, "hour") ? g_date_time_add_hours(s[1], step)
			     : su_ieq(unit, "day") ? g_date_time_add_days(s[1], step)
			     : su_ieq(unit, "month") ? g_date_time_add_months(s[1], step)
			     : su_ieq(unit, "year") ? g_date_time_add_years(s[1], step) : g_date_time_ref(s[1]);
		g_date_time_unref(s[1]);
		s[1] = e;
	}
	if (!g_date_time_equal(s[0], d[0]) || !g_date_time_equal(s[1], d[1])) {
		char m[768], upper[16];
		for (int i = 0; i < 2; i++) {
			got[i] = g_date_time_format(d[i], fmt);
			std[i] = g_date_time_format(s[i], fmt);
		}
		snprintf(upper, sizeof upper, "%s", unit);
		for (char *c = upper; *c; c++)
			*c = g_ascii_toupper(*c);
		snprintf(m, sizeof m, "Batch build partition range [%s,%s) should be a standard unit of time (%s) %s. "
			 "suggest range [%s,%s)If you want to create partial partitions in batch, you can turn off this "
			 "check by setting the FE config enable_create_partial_partition_in_batch=true", got[0], got[1],
			 upper, su_ieq(unit, "month") ? "with start day of month 1" : "", std[0], std[1]);
		rc = auto_error(q, m);
		for (int i = 0; i < 2; i++) {
			g_free(got[i]);
			g_free(std[i]);
		}
	}
	for (int i = 0; i < 2; i++) {
		g_date_time_unref(d[i]);
		g_date_time_unref(s[i]);
	}
	return rc;
}

/*
 * What ALTER TABLE ADD PARTITION may do to an automatically partitioned
 * table (PartitionDescAnalyzer.analyzeAddPartition from 3.3,
 * LocalMetastore.checkNotSystemTableForAutoPartition and
 * checkAutoPartitionTableLimit before): an expression range table takes only
 * START..END..EVERY batches in its own unit, one unit per partition (a
 * time_slice table its own step from 3.3, none before), on unit boundaries
 * unless enable_create_partial_partition_in_batch; an automatic list table
 * takes one value (or one tuple) per partition.
 */
static int
auto_check(struct qctx *q, const struct table *t, GPtrArray *parts, const struct dp_batch *b)
{
	bool v33 = q->cl->prof.v >= PV(3, 3, 0);

	if (t->ptype == PT_LIST && t->auto_list) {
		for (guint i = 0; i < parts->len; i++)
			if (((struct partition *)g_ptr_array_index(parts, i))->nlists > 1)
				return auto_error(q, "Automatically partitioned tables does not support multiple values in "
						  "the same partition");
		return 0;
	}
	if (t->ptype != PT_EXPR_RANGE)
		return 0;
	if (!b->batch)
		return auto_error(q, v33 ? "Currently, you cannot manually add a single range partition to a table "
					   "that is automatically partition"
				      : "Automatically partitioned tables only support the syntax for adding partitions "
					"in batches.");
	if (t->part_time_slice && !v33)
		return auto_error(q, "time_slice does not support pre-created partitions");
	const char *unit = t->part_unit ? t->part_unit : "";
	if (v33 && b->every > 1)
		return auto_error(q, "The step of the auto-partitioned table should be 1");
	if (!su_ieq(b->unit, unit)) {
		char m[256];
		snprintf(m, sizeof m, "The granularity of the auto-partitioned table granularity(%s) should be "
			 "consistent with the increased partition granularity(%s).", unit, b->unit);
		return auto_error(q, m);
	}
	if (!v33 && b->every > 1)
		return auto_error(q, "The step of the auto-partitioned table should be 1");
	if (v33 && b->every != t->part_step)
		return q_error(q, E_PARTITION_STEP, "Step length [%lld] in the operation is not equal to the partition "
			       "step length [%d] stored in the table", (long long)b->every, t->part_step);
	if (v33 && !cfg_bool(q->cl, "enable_create_partial_partition_in_batch"))
		return unaligned(q, t, b, unit);
	return 0;
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
	struct dp_batch batch;
	lex_kw(lx, "PARTITIONS");
	if ((rc = dp_partition_desc(lx, t, parts, &batch, q->msg, sizeof q->msg)))
		goto out;
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
	if ((rc = auto_check(q, t, parts, &batch)))
		goto out;
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
		if ((rc = dp_check_name(DPN_TABLE, nn, q->msg, sizeof q->msg)))
			return rc;
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
