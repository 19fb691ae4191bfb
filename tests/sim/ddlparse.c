/*
 * ddlparse: CREATE TABLE, VIEW and MATERIALIZED VIEW into catalog objects;
 * column types in ddlcol.c, partition clauses in ddlpart.c.
 */
#include "ddlparse.h"

#include <stdio.h>
#include <string.h>

#include "errs.h"
#include "feconfig.h"
#include "sim.h"
#include "simutil.h"

#define FAIL(...) do { snprintf(msg, n, __VA_ARGS__); return E_SYNTAX; } while (0)
#define SYNTAX() do { lex_syntax_error(lx, msg, n); return E_SYNTAX; } while (0)

bool
dp_qname(struct lexer *lx, struct qname *q)
{
	const char *a, *b;

	memset(q, 0, sizeof *q);
	if (!lex_ident(lx, &a))
		return false;
	if (lex_punct(lx, ".")) {
		if (!lex_ident(lx, &b))
			return false;
		q->db = g_strdup(a);
		q->name = g_strdup(b);
	} else {
		q->name = g_strdup(a);
	}
	return true;
}

void
dp_qname_free(struct qname *q)
{
	g_free(q->db);
	g_free(q->name);
	q->db = q->name = NULL;
}

/* "(a, b, c)": a NULL-terminated list of names, or NULL. */
char **
dp_name_list(struct lexer *lx)
{
	GPtrArray *a = g_ptr_array_new();
	const char *id;

	if (!lex_punct(lx, "("))
		goto err;
	do {
		if (!lex_ident(lx, &id))
			goto err;
		g_ptr_array_add(a, g_strdup(id));
	} while (lex_punct(lx, ","));
	if (!lex_punct(lx, ")"))
		goto err;
	g_ptr_array_add(a, NULL);
	return (char **)g_ptr_array_free(a, FALSE);
err:
	g_ptr_array_set_free_func(a, g_free);
	g_ptr_array_free(a, TRUE);
	return NULL;
}

static int
distribution(struct lexer *lx, struct table *t, char *msg, size_t n)
{
	if (!lex_kw(lx, "BY"))
		SYNTAX();
	if (lex_kw(lx, "HASH")) {
		g_strfreev(t->dist_cols);
		if (!(t->dist_cols = dp_name_list(lx)))
			SYNTAX();
		t->random_dist = false;
	} else if (lex_kw(lx, "RANDOM")) {
		t->random_dist = true;
	} else {
		SYNTAX();
	}
	t->buckets = 0;
	if (lex_kw(lx, "BUCKETS")) {
		int64_t b;
		if (!lex_int(lx, &b))
			SYNTAX();
		if (b <= 0)
			FAIL("Number of hash distribution should be greater than zero.");
		t->buckets = (int)b;
	}
	return 0;
}

/* The partition-key checks StarRocks's analyzer makes that matter to a client. */
static int
validate(struct cluster *c, struct table *t, GPtrArray *parts, char *msg, size_t n)
{
	for (int i = 0; t->part_cols && t->part_cols[i]; i++)
		if (cat_col_index(t, t->part_cols[i]) < 0)
			FAIL("Getting analyzing error. Detail message: Partition column[%s] does not exist in column list.",
			     t->part_cols[i]);
	for (int i = 0; t->dist_cols && t->dist_cols[i]; i++)
		if (cat_col_index(t, t->dist_cols[i]) < 0)
			FAIL("Getting analyzing error. Detail message: Distribution column(%s) doesn't exist.",
			     t->dist_cols[i]);
	for (guint i = 0; i < parts->len; i++)
		for (guint j = i + 1; j < parts->len; j++)
			if (g_ascii_strcasecmp(((struct partition *)g_ptr_array_index(parts, i))->name,
					       ((struct partition *)g_ptr_array_index(parts, j))->name) == 0)
				FAIL("Duplicate partition name %s",
				     ((struct partition *)g_ptr_array_index(parts, i))->name);
	if (!c->prof.shared_data && t->replication_num > c->nbe)
		FAIL("Table replication num should be less than or equal to the number of available BE nodes. "
		     "You can change this default by setting the replication_num table properties. "
		     "Current alive backend is [%d]. , table=%s, properties.replication_num=%d",
		     c->nbe, t->name, t->replication_num);
	return 0;
}

static const char *const known_props[] = {
	"replication_num", "replication_allocation", "storage_medium", "storage_cooldown_time",
	"storage_cooldown_ttl", "bloom_filter_columns", "bloom_filter_fpp", "colocate_with", "in_memory",
	"enable_persistent_index", "persistent_index_type", "primary_index_cache_expire_sec",
	"replicated_storage", "write_quorum", "compression", "storage_volume", "datacache.enable",
	"datacache.partition_duration", "enable_async_write_back", "fast_schema_evolution", "bucket_size",
	"mutable_bucket_num", "enable_load_profile", "labels.location", "partition_live_number",
	"partition_ttl", "partition_retention_condition", "unique_constraints", "foreign_key_constraints",
	"binlog_enable", "binlog_max_size", "binlog_ttl_second", "storage_type", "file_bundling",
	"base_compaction_forbidden_time_ranges", "time_drift_constraint", "flat_json.enable",
	"flat_json.null.factor", "flat_json.sparsity.factor", "flat_json.column.max", "enable_dynamic_tablet",
	"compaction_strategy", "session.query_timeout", "auto_refresh_partitions_limit",
	"partition_refresh_number", "excluded_trigger_tables", "mv_rewrite_staleness_second",
	"query_rewrite_consistency", "force_external_table_query_rewrite", "resource_group", "warehouse",
	"enable_query_rewrite", "transparent_mv_rewrite_mode", "dynamic_partition.", NULL,
};

static int
apply_props(struct cluster *c, struct table *t, char *msg, size_t n)
{
	struct sb bad;

	sb_init(&bad);
	for (int i = 0; i < t->props.n; i++) {
		const char *k = t->props.e[i].k;
		bool ok = false;
		for (const char *const *kp = known_props; *kp; kp++)
			if (strcmp(k, *kp) == 0 || (g_str_has_suffix(*kp, ".") && g_str_has_prefix(k, *kp)))
				ok = true;
		if (!ok)
			sb_printf(&bad, "%s%s=%s", bad.len ? ", " : "", k, t->props.e[i].v);
	}
	if (bad.len) {
		snprintf(msg, n, "Unknown properties: {%s}", bad.p);
		sb_free(&bad);
		return E_SYNTAX;
	}
	sb_free(&bad);
	const char *rn = props_get(&t->props, "replication_num");
	int64_t v;
	if (rn) {
		if (!su_parse_i64(rn, &v) || v <= 0)
			FAIL("Replication num should larger than 0");
		t->replication_num = (int)v;
	} else {
		int def = (int)cfg_int(c, "default_replication_num", 3);
		t->replication_num = c->prof.shared_data ? 1 : (def < c->nbe ? def : (c->nbe > 0 ? c->nbe : 1));
	}
	if (c->prof.shared_data) {
		const char *sv = props_get(&t->props, "storage_volume");
		if (sv) {
			bool found = false;
			for (guint i = 0; i < c->volumes->len; i++)
				if (strcmp(((struct volume *)g_ptr_array_index(c->volumes, i))->name, sv) == 0)
					found = true;
			if (!found)
				FAIL("Unknown storage volume \"%s\"", sv);
			t->storage_volume = g_strdup(sv);
		} else {
			for (guint i = 0; i < c->volumes->len; i++) {
				struct volume *vol = g_ptr_array_index(c->volumes, i);
				if (vol->is_default)
					t->storage_volume = g_strdup(vol->name);
			}
			if (!t->storage_volume)
				FAIL("The default storage volume does not exist. A default storage volume can be created "
				     "by following these steps: 1. Create a storage volume. 2. Set the storage volume as "
				     "default");
		}
	}
	return 0;
}

/* DECIMAL SUM columns of aggregate tables widen to DECIMAL128(38, s) unless the
 * FE keeps legacy compatibility for replication (facts 3.6). */
static void
widen_decimal_sums(struct cluster *c, struct table *t)
{
	if (t->model != MODEL_AGG || cfg_bool(c, "enable_legacy_compatibility_for_replication"))
		return;
	for (int i = 0; i < t->ncols; i++) {
		struct column *col = &t->cols[i];
		int p, s;
		if (!col->agg || strcmp(col->agg, "SUM") != 0 || sscanf(col->type, "decimal(%d, %d)", &p, &s) != 2)
			continue;
		g_free(col->type);
		col->type = g_strdup_printf("decimal(38, %d)", s);
	}
}

int
dp_create_table(struct lexer *lx, struct cluster *c, struct qname *name, bool *if_not_exists,
		struct table **out, char *msg, size_t n)
{
	struct table *t = g_new0(struct table, 1);
	GArray *cols = g_array_new(FALSE, TRUE, sizeof(struct column));
	GArray *bidx = g_array_new(FALSE, TRUE, sizeof(struct bitmap_index));
	GPtrArray *parts = g_ptr_array_new();
	char **keys = NULL;
	int rc = E_SYNTAX;

	msg[0] = '\0';
	*if_not_exists = false;
	if (lex_kw(lx, "IF")) {
		if (!lex_kw(lx, "NOT") || !lex_kw(lx, "EXISTS"))
			goto syntax;
		*if_not_exists = true;
	}
	if (!dp_qname(lx, name) || !lex_punct(lx, "("))
		goto syntax;
	t->name = g_strdup(name->name);
	if ((rc = dp_check_name(DPN_TABLE, t->name, msg, n)))
		goto fail;
	rc = E_SYNTAX;
	t->model = MODEL_DUP;
	do {
		if (lex_kw(lx, "INDEX")) {
			struct bitmap_index bi = { 0 };
			const char *in, *cm;
			if (!lex_ident(lx, &in) || !(bi.cols = dp_name_list(lx)))
				goto syntax;
			bi.name = g_strdup(in);
			if (lex_kw(lx, "USING") && !lex_kw(lx, "BITMAP")) {
				g_array_append_val(bidx, bi);
				goto syntax;
			}
			bi.comment = g_strdup(lex_kw(lx, "COMMENT") && lex_string(lx, &cm) ? cm : "");
			g_array_append_val(bidx, bi);
			continue;
		}
		struct column col;
		rc = dp_column(lx, &col, msg, n);
		if (rc) {
			if (col.name)
				dp_column_free(&col);
			goto fail;
		}
		col.uid = (int)cols->len;
		g_array_append_val(cols, col);
		rc = E_SYNTAX;
	} while (lex_punct(lx, ","));
	if (!lex_punct(lx, ")"))
		goto syntax;
	t->ncols = (int)cols->len;
	t->cols = (struct column *)g_array_free(cols, FALSE);
	cols = NULL;
	t->next_uid = t->ncols;
	t->nbidx = (int)bidx->len;
	t->bidx = (struct bitmap_index *)g_array_free(bidx, FALSE);
	bidx = NULL;
	if (lex_kw(lx, "ENGINE")) {
		const char *e;
		if (!lex_punct(lx, "=") || !lex_ident(lx, &e))
			goto syntax;
		if (!su_ieq(e, "olap")) {
			snprintf(msg, n, "Unknown storage engine '%s'", e);
			goto fail;
		}
	}
	static const struct { const char *kw; enum model m; } models[] = {
		{ "DUPLICATE", MODEL_DUP }, { "AGGREGATE", MODEL_AGG }, { "UNIQUE", MODEL_UNIQUE },
		{ "PRIMARY", MODEL_PRIMARY },
	};
	for (size_t i = 0; i < SU_LEN(models); i++)
		if (lex_kws(lx, models[i].kw, "KEY")) {
			t->model = models[i].m;
			if (!(keys = dp_name_list(lx)))
				goto syntax;
			break;
		}
	const char *cm;
	if (lex_kw(lx, "COMMENT")) {
		if (!lex_string(lx, &cm))
			goto syntax;
		t->comment = g_strdup(cm);
	}
	if (lex_kws(lx, "PARTITION", "BY")) {
		t->parts = NULL;
		/* partition columns may be checked against the columns already known */
		rc = dp_partition_clause(lx, t, parts, msg, n);
		if (rc)
			goto fail;
		rc = E_SYNTAX;
	}
	if (lex_kw(lx, "DISTRIBUTED")) {
		rc = distribution(lx, t, msg, n);
		if (rc)
			goto fail;
		rc = E_SYNTAX;
	} else {
		t->random_dist = t->model == MODEL_DUP;
	}
	if (lex_kws(lx, "ORDER", "BY")) {
		if (!(t->order_cols = dp_name_list(lx)))
			goto syntax;
	}
	if (lex_kw(lx, "PROPERTIES")) {
		rc = dp_props(lx, &t->props, msg, n);
		if (rc)
			goto fail;
		rc = E_SYNTAX;
	}
	if (!lex_at_end(lx))
		goto syntax;

	/* keys: the named key columns, else the first column (DUPLICATE default) */
	if (keys) {
		for (int i = 0; keys[i]; i++) {
			int ci = cat_col_index(t, keys[i]);
			if (ci < 0) {
				snprintf(msg, n, "Getting analyzing error. Detail message: Key column(%s) doesn't exist.",
					 keys[i]);
				goto fail;
			}
			if (ci != i) {
				snprintf(msg, n, "Getting analyzing error. Detail message: "
					 "Key columns should be a ordered prefix of the schema.");
				goto fail;
			}
			t->cols[ci].key = true;
		}
		t->nkeys = (int)g_strv_length(keys);
	} else {
		int nk = 0;
		for (int i = 0; i < t->ncols; i++)
			if (t->cols[i].key)
				nk = i + 1;
		if (nk == 0) {
			/* DUPLICATE KEY defaults to the leading columns (at most 3) */
			nk = 1;
			t->cols[0].key = true;
		}
		t->nkeys = nk;
	}
	for (int i = 0; i < t->ncols; i++) {
		struct column *col = &t->cols[i];
		if (col->key && t->model == MODEL_PRIMARY)
			col->nullable = false;
		if (!col->key && t->model == MODEL_AGG && !col->agg) {
			snprintf(msg, n, "Getting analyzing error. Detail message: "
				 "Value column[%s] must have an aggregate type in aggregate key table.", col->name);
			goto fail;
		}
		if (col->agg && t->model != MODEL_AGG) {
			snprintf(msg, n, "Getting analyzing error. Detail message: "
				 "Column[%s] can't have aggregate type in %s table.", col->name,
				 cat_model_keys(t->model));
			goto fail;
		}
		if (!col->key && t->model == MODEL_UNIQUE)
			col->agg = NULL;
	}
	if (!t->dist_cols && !t->random_dist) {
		t->dist_cols = g_new0(char *, 2);
		t->dist_cols[0] = g_strdup(t->cols[0].name);
	}
	if (t->ptype == PT_UNPARTITIONED) {
		struct partition *p = dp_new_part(t->name);
		g_ptr_array_add(parts, p);
	}
	rc = apply_props(c, t, msg, n);
	if (rc)
		goto fail;
	rc = validate(c, t, parts, msg, n);
	if (rc)
		goto fail;
	widen_decimal_sums(c, t);
	t->cloud_native = c->prof.shared_data;
	t->kind = TK_OLAP;
	t->parts = parts;
	g_strfreev(keys);
	*out = t;
	return 0;
syntax:
	lex_syntax_error(lx, msg, n);
	rc = E_SYNTAX;
fail:
	if (!rc)
		rc = E_SYNTAX;
	if (cols) {
		for (guint i = 0; i < cols->len; i++)
			dp_column_free(&g_array_index(cols, struct column, i));
		g_array_free(cols, TRUE);
	}
	if (bidx) {
		for (guint i = 0; i < bidx->len; i++) {
			g_free(g_array_index(bidx, struct bitmap_index, i).name);
			g_strfreev(g_array_index(bidx, struct bitmap_index, i).cols);
			g_free(g_array_index(bidx, struct bitmap_index, i).comment);
		}
		g_array_free(bidx, TRUE);
	}
	for (guint i = 0; i < parts->len; i++)
		cat_part_free(g_ptr_array_index(parts, i));
	g_ptr_array_free(parts, TRUE);
	g_strfreev(keys);
	t->parts = NULL;
	cat_table_free(t);
	dp_qname_free(name);
	return rc;
}

int
dp_create_view(struct lexer *lx, struct qname *name, bool *if_not_exists, struct table **out, char *msg,
	       size_t n)
{
	*if_not_exists = false;
	if (lex_kw(lx, "IF")) {
		if (!lex_kw(lx, "NOT") || !lex_kw(lx, "EXISTS"))
			SYNTAX();
		*if_not_exists = true;
	}
	if (!dp_qname(lx, name))
		SYNTAX();
	struct table *t = g_new0(struct table, 1);
	t->kind = TK_VIEW;
	t->name = g_strdup(name->name);
	int rc = dp_check_name(DPN_TABLE, t->name, msg, n);
	if (rc) {
		cat_table_free(t);
		dp_qname_free(name);
		return rc;
	}
	if (lex_is_punct(lx, "(")) {
		size_t from = lex_peek(lx)->off;
		if (!lex_skip_parens(lx))
			goto syntax;
		t->view_cols = lex_raw(lx, from, lx->t[lx->pos - 1].end);
	}
	const char *cm;
	if (lex_kw(lx, "COMMENT")) {
		if (!lex_string(lx, &cm))
			goto syntax;
		t->comment = g_strdup(cm);
	}
	if (!lex_kw(lx, "AS") || lex_peek(lx)->kind == TK_EOF)
		goto syntax;
	size_t from = lex_peek(lx)->off;
	size_t to = from;
	while (!lex_at_end(lx))
		to = lex_next(lx)->end;
	t->view_def = lex_raw(lx, from, to);
	*out = t;
	return 0;
syntax:
	cat_table_free(t);
	dp_qname_free(name);
	SYNTAX();
}

int
dp_create_mv(struct lexer *lx, struct cluster *c, struct qname *name, bool *if_not_exists, bool *is_sync,
	     struct qname *base, struct table **out, char *msg, size_t n)
{
	struct table *t = g_new0(struct table, 1);
	int rc;

	*if_not_exists = false;
	*is_sync = true;
	memset(base, 0, sizeof *base);
	t->kind = TK_MV;
	t->model = MODEL_DUP;
	t->random_dist = true;
	if (lex_kw(lx, "IF")) {
		if (!lex_kw(lx, "NOT") || !lex_kw(lx, "EXISTS"))
			goto syntax;
		*if_not_exists = true;
	}
	if (!dp_qname(lx, name))
		goto syntax;
	t->name = g_strdup(name->name);
	if ((rc = dp_check_name(DPN_TABLE, t->name, msg, n)))
		goto fail;
	/* The column list SHOW CREATE MATERIALIZED VIEW prints: names (and comments) of the query's columns. */
	if (lex_is_punct(lx, "(") && !lex_skip_parens(lx))
		goto syntax;
	for (;;) {
		const char *cm;
		if (lex_kw(lx, "COMMENT")) {
			if (!lex_string(lx, &cm))
				goto syntax;
			t->comment = g_strdup(cm);
		} else if (lex_kw(lx, "DISTRIBUTED")) {
			*is_sync = false;
			if ((rc = distribution(lx, t, msg, n)))
				goto fail;
		} else if (lex_kws(lx, "PARTITION", "BY")) {
			*is_sync = false;
			size_t from = lex_peek(lx)->off;
			while (!lex_is_kw(lx, "DISTRIBUTED") && !lex_is_kw(lx, "REFRESH") && !lex_is_kw(lx, "AS") &&
			       !lex_is_kw(lx, "PROPERTIES") && !lex_is_kw(lx, "ORDER") && lex_peek(lx)->kind != TK_EOF)
				lex_next(lx);
			t->part_expr = lex_raw(lx, from, lex_peek(lx)->off);
		} else if (lex_kw(lx, "REFRESH")) {
			*is_sync = false;
			size_t from = lex_peek(lx)->off;
			while (!lex_is_kw(lx, "AS") && !lex_is_kw(lx, "PROPERTIES") && !lex_is_kw(lx, "DISTRIBUTED") &&
			       lex_peek(lx)->kind != TK_EOF)
				lex_next(lx);
			t->mv_refresh = lex_raw(lx, from, lex_peek(lx)->off);
		} else if (lex_kws(lx, "ORDER", "BY")) {
			if (!(t->order_cols = dp_name_list(lx)))
				goto syntax;
		} else if (lex_kw(lx, "PROPERTIES")) {
			*is_sync = false;
			if ((rc = dp_props(lx, &t->props, msg, n)))
				goto fail;
		} else {
			break;
		}
	}
	if (!lex_kw(lx, "AS"))
		goto syntax;
	size_t from = lex_peek(lx)->off, to = from;
	size_t sel = lx->pos;
	while (!lex_at_end(lx))
		to = lex_next(lx)->end;
	t->view_def = lex_raw(lx, from, to);
	if (!*t->view_def)
		goto syntax;
	/* the base table: the first name after FROM */
	for (size_t i = sel; i < lx->pos; i++)
		if (lx->t[i].kind == TK_WORD && su_ieq(lx->t[i].text, "FROM")) {
			struct lexer sub = *lx;
			sub.pos = i + 1;
			struct qname q;
			if (dp_qname(&sub, &q))
				*base = q;
			break;
		}
	if (!base->name)
		goto syntax;
	if (!*is_sync) {
		const char *rn = props_get(&t->props, "replication_num");
		int64_t v;
		t->replication_num = rn && su_parse_i64(rn, &v) && v > 0 ? (int)v
				     : (c->prof.shared_data ? 1 : (c->nbe < 3 ? (c->nbe ? c->nbe : 1) : 3));
		t->cloud_native = c->prof.shared_data;
		if (!t->mv_refresh)
			t->mv_refresh = g_strdup("DEFERRED MANUAL");
	}
	*out = t;
	return 0;
syntax:
	lex_syntax_error(lx, msg, n);
	rc = E_SYNTAX;
fail:
	cat_table_free(t);
	dp_qname_free(name);
	dp_qname_free(base);
	return rc;
}
