/*
 * query: SELECT, DESC, ADMIN and INSERT.
 */
#include "query.h"

#include <stdio.h>
#include <string.h>

#include "ddlparse.h"
#include "errs.h"
#include "feconfig.h"
#include "infoschema.h"
#include "load.h"
#include "scalar.h"
#include "simutil.h"

/* --- system variables ------------------------------------------------------------------ */

static const struct { const char *name, *value; } vars[] = {
	{ "auto_increment_increment", "1" },
	{ "autocommit", "1" },
	{ "character_set_client", "utf8" },
	{ "character_set_connection", "utf8" },
	{ "character_set_database", "utf8" },
	{ "character_set_results", "utf8" },
	{ "character_set_server", "utf8" },
	{ "collation_connection", "utf8_general_ci" },
	{ "collation_database", "utf8_general_ci" },
	{ "collation_server", "utf8_general_ci" },
	{ "init_connect", "" },
	{ "interactive_timeout", "3600" },
	{ "language", "/starrocks/share/english/" },
	{ "license", "Apache License 2.0" },
	{ "lower_case_table_names", "0" },
	{ "max_allowed_packet", "33554432" },
	{ "net_buffer_length", "16384" },
	{ "net_write_timeout", "60" },
	{ "performance_schema", "0" },
	{ "query_cache_size", "1048576" },
	{ "query_cache_type", "0" },
	{ "query_timeout", "300" },
	{ "sql_mode", "ONLY_FULL_GROUP_BY" },
	{ "sql_select_limit", "9223372036854775807" },
	{ "system_time_zone", "UTC" },
	{ "time_zone", "UTC" },
	{ "transaction_isolation", "REPEATABLE-READ" },
	{ "transaction_read_only", "0" },
	{ "tx_isolation", "REPEATABLE-READ" },
	{ "tx_read_only", "0" },
	{ "wait_timeout", "28800" },
};

const char *
qv_get(struct cluster *c, const char *name, char *buf, size_t n)
{
	if (su_ieq(name, "version_comment")) {
		snprintf(buf, n, "%s-%s", c->prof.version, c->prof.commit);
		return buf;
	}
	if (su_ieq(name, "version")) {
		snprintf(buf, n, "%s", cfg_get(c, "mysql_server_version"));
		return buf;
	}
	for (size_t i = 0; i < SU_LEN(vars); i++)
		if (su_ieq(name, vars[i].name))
			return vars[i].value;
	return NULL;
}

void
qv_rows(struct qctx *q, const char *like)
{
	static const char *const titles[] = { "Variable_name", "Value" };
	char buf[128];

	if (!rs_begin(q->rs, titles, 2))
		return;
	const char *extra[] = { "version", "version_comment" };
	for (size_t i = 0; i < SU_LEN(extra); i++) {
		if (like && !su_like(extra[i], like, true))
			continue;
		rs_add(q->rs, extra[i]);
		rs_add(q->rs, qv_get(q->cl, extra[i], buf, sizeof buf));
		rs_end_row(q->rs);
	}
	for (size_t i = 0; i < SU_LEN(vars); i++) {
		if (like && !su_like(vars[i].name, like, true))
			continue;
		rs_add(q->rs, vars[i].name);
		rs_add(q->rs, vars[i].value);
		rs_end_row(q->rs);
	}
}

void
qdesc_rows(struct qctx *q, const struct table *t, bool full)
{
	static const char *const titles[] = { "Field", "Type", "Null", "Key", "Default", "Extra", "Collation",
					      "Privileges", "Comment" };

	if (!rs_begin(q->rs, titles, full ? 9 : 6))
		return;
	for (int i = 0; i < t->ncols; i++) {
		const struct column *c = &t->cols[i];
		rs_add(q->rs, c->name);
		rs_add(q->rs, c->type);
		rs_add(q->rs, c->nullable ? "YES" : "NO");
		rs_add(q->rs, c->key ? "true" : "false");
		rs_add(q->rs, cat_col_default(c));
		rs_add(q->rs, c->agg ? c->agg : "");
		if (full) {
			rs_add(q->rs, NULL);
			rs_add(q->rs, "");
			rs_add(q->rs, c->comment ? c->comment : "");
		}
		rs_end_row(q->rs);
	}
}

/* --- SELECT ------------------------------------------------------------------------------ */

static bool
has_from(const struct lexer *lx)
{
	int depth = 0;

	for (size_t i = lx->pos; i < lx->n; i++) {
		const struct token *t = &lx->t[i];
		if (t->kind == TK_PUNCT && !strcmp(t->text, "("))
			depth++;
		else if (t->kind == TK_PUNCT && !strcmp(t->text, ")"))
			depth--;
		else if (depth == 0 && t->kind == TK_WORD && su_ieq(t->text, "FROM"))
			return true;
	}
	return false;
}

static int
select_scalar(struct qctx *q)
{
	struct lexer *lx = q->lx;
	GPtrArray *labels = g_ptr_array_new_with_free_func(g_free);
	GArray *vals = g_array_new(FALSE, TRUE, sizeof(struct sval));
	int rc = 0;
	int64_t limit = -1;

	do {
		size_t from = lex_peek(lx)->off;
		struct sval v;
		if ((rc = sc_eval(q, &v)))
			goto out;
		g_array_append_val(vals, v);
		size_t to = lx->t[lx->pos - 1].end;
		const char *alias;
		if (lex_kw(lx, "AS")) {
			if (!lex_ident(lx, &alias) && !lex_string(lx, &alias)) {
				rc = q_syntax(q);
				goto out;
			}
			g_ptr_array_add(labels, g_strdup(alias));
		} else if (lex_peek(lx)->kind == TK_QIDENT ||
			   (lex_peek(lx)->kind == TK_WORD && !lex_is_kw(lx, "LIMIT"))) {
			lex_ident(lx, &alias);
			g_ptr_array_add(labels, g_strdup(alias));
		} else {
			g_ptr_array_add(labels, lex_raw(lx, from, to));
		}
	} while (lex_punct(lx, ","));
	if (lex_kw(lx, "LIMIT") && !lex_int(lx, &limit)) {
		rc = q_syntax(q);
		goto out;
	}
	if (!lex_at_end(lx)) {
		rc = q_syntax(q);
		goto out;
	}
	if (!rs_begin(q->rs, (const char *const *)labels->pdata, (int)labels->len))
		goto out;
	if (limit != 0) {
		for (guint i = 0; i < vals->len; i++) {
			struct sval *v = &g_array_index(vals, struct sval, i);
			if (v->null)
				rs_add(q->rs, NULL);
			else
				rs_addn(q->rs, v->p, v->n);
		}
		rs_end_row(q->rs);
	}
out:
	for (guint i = 0; i < vals->len; i++)
		sc_free(&g_array_index(vals, struct sval, i));
	g_array_free(vals, TRUE);
	g_ptr_array_free(labels, TRUE);
	return rc;
}

static bool
is_clause_word(const struct lexer *lx)
{
	static const char *const w[] = { "WHERE", "ORDER", "LIMIT", "GROUP", "HAVING", "UNION", NULL };

	for (const char *const *p = w; *p; p++)
		if (lex_is_kw(lx, *p))
			return true;
	return false;
}

int
select_stmt(struct qctx *q)
{
	struct lexer *lx = q->lx;
	struct qname from;
	int rc;

	if (!lex_kw(lx, "SELECT"))
		return q_syntax(q);
	if (!has_from(lx))
		return select_scalar(q);
	if ((rc = sel_parse_items(lx, &q->plan, q->msg, sizeof q->msg)))
		return rc;
	if (!lex_kw(lx, "FROM") || !dp_qname(lx, &from))
		return q_syntax(q);
	const char *alias;
	if (lex_kw(lx, "AS") || (!is_clause_word(lx) && (lex_peek(lx)->kind == TK_WORD || lex_peek(lx)->kind == TK_QIDENT)))
		lex_ident(lx, &alias);
	bool is = from.db ? su_ieq(from.db, "information_schema") : su_ieq(q->s->db, "information_schema");
	if (is) {
		char *name = g_ascii_strdown(from.name, -1);
		if ((rc = sel_parse_tail(lx, &q->plan, q->msg, sizeof q->msg))) {
			g_free(name);
			dp_qname_free(&from);
			return rc;
		}
		q->rs->plan = &q->plan;
		/* the kind sim_malformed addresses: the table's name */
		for (const char *const *n = is_table_names(); *n; n++)
			if (!strcmp(*n, name))
				q->s->table = *n;
		if (!is_produce(q->cl, name, &q->plan, q->rs))
			rc = q_error(q, E_BAD_TABLE, "Unknown table 'information_schema.%s'", from.name);
		g_free(name);
		dp_qname_free(&from);
		return rc;
	}
	/* table data: only a row count is answered */
	struct table *t = q_table(q, from.db, from.name, &rc);
	dp_qname_free(&from);
	if (!t)
		return rc;
	if (!q->plan.has_count || q->plan.nitems != 1 || !lex_at_end(lx))
		return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: srsim holds no table data; "
			       "only SELECT COUNT(*) FROM a table is answered.");
	const char *label = q->plan.items[0].label;
	if (!rs_begin(q->rs, &label, 1))
		return 0;
	rs_type(q->rs, 0, CT_BIGINT);
	rs_addi(q->rs, t->kind == TK_VIEW ? 0 : cat_table_rows(t));
	rs_end_row(q->rs);
	return 0;
}

/* --- DESC ------------------------------------------------------------------------------------ */

int
desc_stmt(struct qctx *q)
{
	struct lexer *lx = q->lx;
	int rc = 0;

	if (!lex_kw(lx, "DESC"))
		lex_kw(lx, "DESCRIBE");
	if (lex_kws(lx, "STORAGE", "VOLUME")) {
		const char *name;
		if (!lex_ident(lx, &name) || !lex_at_end(lx))
			return q_syntax(q);
		for (guint i = 0; i < q->cl->volumes->len; i++) {
			struct volume *v = g_ptr_array_index(q->cl->volumes, i);
			if (strcmp(v->name, name) != 0)
				continue;
			static const char *const titles[] = { "Name", "Type", "IsDefault", "Location", "Params",
							      "Enabled", "Comment" };
			if (rs_begin(q->rs, titles, 7)) {
				rs_add(q->rs, v->name);
				rs_add(q->rs, v->type);
				rs_addb(q->rs, v->is_default);
				rs_add(q->rs, v->location);
				rs_add(q->rs, v->params);
				rs_addb(q->rs, v->enabled);
				rs_add(q->rs, v->comment);
				rs_end_row(q->rs);
			}
			return 0;
		}
		return q_error(q, E_SYNTAX, "Storage volume '%s' does not exist", name);
	}
	struct qname qn;
	if (!dp_qname(lx, &qn))
		return q_syntax(q);
	lex_kw(lx, "ALL");
	struct table *t = lex_at_end(lx) ? q_table(q, qn.db, qn.name, &rc) : NULL;
	if (!t && !rc)
		rc = q_syntax(q);
	dp_qname_free(&qn);
	if (t)
		qdesc_rows(q, t, false);
	return rc;
}

/* --- ADMIN -------------------------------------------------------------------------------------- */

int
admin_stmt(struct qctx *q)
{
	struct lexer *lx = q->lx;
	int rc;

	lex_kw(lx, "ADMIN");
	if (lex_kw(lx, "SHOW")) {
		if (!lex_kws(lx, "FRONTEND", "CONFIG"))
			return q_syntax(q);
		const char *like = NULL;
		if (lex_kw(lx, "LIKE") && !lex_string(lx, &like))
			return q_syntax(q);
		if (!lex_at_end(lx))
			return q_syntax(q);
		if ((rc = q_need_operate(q)))
			return rc;
		cfg_show(q->cl, like, q->rs);
		return 0;
	}
	if (lex_kw(lx, "SET")) {
		if (!lex_kws(lx, "FRONTEND", "CONFIG"))
			return q_syntax(q);
		struct props p = { 0 };
		if ((rc = dp_props(lx, &p, q->msg, sizeof q->msg)))
			return rc;
		if (!lex_at_end(lx) || p.n == 0) {
			props_free(&p);
			return q_syntax(q);
		}
		if ((rc = q_need_operate(q)) == 0)
			for (int i = 0; i < p.n && !rc; i++)
				rc = cfg_set(q->cl, p.e[i].k, p.e[i].v, q->msg, sizeof q->msg);
		props_free(&p);
		return rc;
	}
	return q_syntax(q);
}

/* --- INSERT ... VALUES: a load of that many rows ---------------------------------------------- */

int
insert_stmt(struct qctx *q)
{
	struct lexer *lx = q->lx;
	struct qname qn;
	int rc = 0;
	const char *pname = NULL;

	lex_kw(lx, "INSERT");
	if (!lex_kw(lx, "INTO") || !dp_qname(lx, &qn))
		return q_syntax(q);
	struct table *t = q_table(q, qn.db, qn.name, &rc);
	dp_qname_free(&qn);
	if (!t)
		return rc;
	if (lex_kw(lx, "PARTITION")) {
		bool paren = lex_punct(lx, "(");
		if (!lex_ident(lx, &pname) || (paren && !lex_punct(lx, ")")))
			return q_syntax(q);
	}
	if (lex_is_punct(lx, "(") && !lex_skip_parens(lx))
		return q_syntax(q);
	if (!lex_kw(lx, "VALUES"))
		return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: srsim loads only "
			       "INSERT ... VALUES.");
	int64_t rows = 0;
	do {
		if (!lex_skip_parens(lx))
			return q_syntax(q);
		rows++;
	} while (lex_punct(lx, ","));
	if (!lex_at_end(lx))
		return q_syntax(q);
	if (t->kind != TK_OLAP)
		return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: %s is not an OLAP table.",
			       t->name);
	struct partition *p = pname ? cat_part(t, pname, false) : NULL;
	if (pname && !p)
		return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: Unknown partition '%s' in "
			       "table '%s'", pname, t->name);
	/* an automatically partitioned table opens its first partition with the first load */
	if (!p && (t->ptype == PT_EXPR_RANGE || t->auto_list) && cat_part_count(t, false) == 0) {
		t->load_seq++;
		load_new_partition(q->cl, t);
	}
	if (!load_apply(q->cl, t, p, rows, rows * 64, "INSERT_STREAMING", q->msg, sizeof q->msg))
		return E_SYNTAX;
	q->affected = rows;
	return 0;
}
