/*
 * showproc: the SHOW PROC paths; the rows of partitions, tablets and replicas
 * are in procrows.c.
 */
#include "showproc.h"

#include <stdio.h>
#include <string.h>

#include "ddlprint.h"
#include "dispatch.h"
#include "errs.h"
#include "jobs.h"
#include "shownodes.h"
#include "simutil.h"
#include "txn.h"

/* --- the tree ---------------------------------------------------------------------------- */

static void
dbs_rows(struct cluster *c, struct rs *rs)
{
	static const char *const titles[] = { "DbId", "DbName", "TableNum", "Quota", "LastConsistencyCheckTime",
					      "ReplicaQuota" };
	char q[64];

	if (!rs_begin(rs, titles, 6))
		return;
	GPtrArray *dbs = cat_dbs_sorted(c, true);
	for (guint i = 0; i < dbs->len; i++) {
		struct db *d = g_ptr_array_index(dbs, i);
		rs_addi(rs, d->id);
		rs_add(rs, d->name);
		rs_addi(rs, d->tables->len);
		rs_add(rs, su_fmt_byte_unit(q, sizeof q, d->quota));
		rs_add(rs, "\\N");
		rs_addi(rs, d->replica_quota);
		rs_end_row(rs);
	}
	g_ptr_array_free(dbs, TRUE);
}

static const char *
table_type(const struct table *t)
{
	if (t->kind == TK_VIEW)
		return "VIEW";
	if (t->kind == TK_MV)
		return t->cloud_native ? "CLOUD_NATIVE_MATERIALIZED_VIEW" : "MATERIALIZED_VIEW";
	return t->cloud_native ? "CLOUD_NATIVE" : "OLAP";
}

static void
tables_rows(struct cluster *c, struct db *d, struct rs *rs)
{
	static const char *const titles[] = { "TableId", "TableName", "IndexNum", "PartitionColumnName",
					      "PartitionNum", "State", "Type", "LastConsistencyCheckTime",
					      "ReplicaCount", "PartitionType", "StoragePath" };

	if (!rs_begin(rs, titles, 11))
		return;
	/* creation order is id order */
	for (guint i = 0; i < d->tables->len && !rs_stop(rs); i++) {
		struct table *t = g_ptr_array_index(d->tables, i);
		bool olap = t->kind != TK_VIEW;
		rs_addi(rs, t->id);
		rs_add(rs, t->name);
		if (olap)
			rs_addi(rs, t->ntidx);
		else
			rs_add(rs, "\\N");
		if (olap)
			rs_add_joined(rs, t->part_cols);
		else
			rs_add(rs, "\\N");
		bool counted = olap && (t->ptype == PT_RANGE || t->ptype == PT_EXPR_RANGE || t->ptype == PT_LIST);
		rs_addi(rs, counted ? cat_part_count(t, false) : 1);
		rs_add(rs, olap ? "NORMAL" : "\\N");
		rs_add(rs, table_type(t));
		rs_add(rs, "\\N");
		rs_addi(rs, olap ? cat_table_replica_count(t) : 0);
		rs_add(rs, olap ? cat_ptype_name(t->ptype) : "UNPARTITIONED");
		if (t->cloud_native) {
			rs_addf(rs, "%s/%s/db%lld/%lld", cat_table_location(c, t), c->service_id ? c->service_id : "",
				(long long)d->id, (long long)t->id);
		} else {
			rs_add(rs, "\\N");
		}
		rs_end_row(rs);
	}
}

static void
index_rows(struct cluster *c, const struct table *t, struct rs *rs)
{
	static const char *const titles[] = { "IndexId", "IndexName", "State", "LastConsistencyCheckTime",
					      "VirtualBuckets", "Tablets" };
	int n = c->prof.v >= PV(4, 0, 0) ? 6 : 4;

	if (!rs_begin(rs, titles, n))
		return;
	for (int s = 0; s < t->ntidx; s++) {
		rs_addi(rs, t->tidx[s].id);
		rs_add(rs, t->tidx[s].name);
		rs_add(rs, "NORMAL");
		rs_add(rs, "\\N");
		if (n > 4) {
			rs_add(rs, "[]");
			rs_add(rs, "[]");
		}
		rs_end_row(rs);
	}
}

static void
index_schema_rows(const struct table *t, struct rs *rs)
{
	static const char *const titles[] = { "IndexId", "IndexName", "SchemaVersion", "SchemaHash",
					      "ShortKeyColumnCount", "StorageType", "Keys" };

	if (!rs_begin(rs, titles, 7))
		return;
	for (int s = 0; s < t->ntidx; s++) {
		const struct tindex *ix = &t->tidx[s];
		struct sb keys;
		sb_init(&keys);
		sb_printf(&keys, "%s(", cat_model_keys_type(t->model));
		int nk = 0;
		for (int i = 0; i < t->nkeys; i++) {
			const char *cn = t->cols[i].name;
			if (ix->cols && !g_strv_contains((const char *const *)ix->cols, cn))
				continue;
			sb_printf(&keys, "%s%s", nk++ ? ", " : "", cn);
		}
		sb_putc(&keys, ')');
		rs_addi(rs, ix->id);
		rs_add(rs, ix->name);
		rs_addi(rs, ix->schema_version);
		rs_addi(rs, ix->schema_hash);
		rs_addi(rs, ix->short_keys);
		rs_add(rs, "COLUMN");
		rs_add(rs, keys.p);
		sb_free(&keys);
		rs_end_row(rs);
	}
}

static int
not_found(struct qctx *q, const char *path)
{
	return q_error(q, E_SYNTAX, "Proc path '%s' doesn't exist", path);
}

static int
table_path(struct qctx *q, struct db *d, char **parts, int np, const char *path)
{
	struct cluster *c = q->cl;
	struct table *t = cat_table_lookup(d, parts[2]);

	if (!t)
		return q_error(q, E_SYNTAX, "unknown table id or name \"%s\"", parts[2]);
	if (np == 3) {
		static const char *const nodes[] = { "Nodes" };
		if (rs_begin(q->rs, nodes, 1)) {
			static const char *const rows[] = { "partitions", "temp_partitions", "index_schema" };
			for (size_t i = 0; i < SU_LEN(rows); i++) {
				rs_add(q->rs, rows[i]);
				rs_end_row(q->rs);
			}
		}
		return 0;
	}
	if (t->kind == TK_VIEW)
		return not_found(q, path);
	if (np == 4 && strcmp(parts[3], "index_schema") == 0) {
		index_schema_rows(t, q->rs);
		return 0;
	}
	bool temp = strcmp(parts[3], "temp_partitions") == 0;
	if (!temp && strcmp(parts[3], "partitions") != 0)
		return not_found(q, path);
	if (np == 4) {
		proc_partition_rows(c, t, temp, q->rs);
		return 0;
	}
	struct partition *p = cat_part_lookup(t, parts[4]);
	if (!p)
		return q_error(q, E_SYNTAX, "Unknown partition id or name \"%s\"", parts[4]);
	if (np == 5) {
		index_rows(c, t, q->rs);
		return 0;
	}
	int64_t iid;
	if (!su_parse_i64(parts[5], &iid))
		return q_error(q, E_SYNTAX, "Invalid index id format: %s", parts[5]);
	int slot = -1;
	for (int s = 0; s < t->ntidx; s++)
		if (t->tidx[s].id == iid)
			slot = s;
	if (slot < 0)
		return q_error(q, E_SYNTAX, "Index[%lld] does not exist.", (long long)iid);
	if (np == 6) {
		GPtrArray *one = g_ptr_array_new();
		g_ptr_array_add(one, p);
		proc_tablet_rows(c, t, one, slot, q->rs);
		g_ptr_array_free(one, TRUE);
		return 0;
	}
	int64_t tid;
	if (np != 7)
		return not_found(q, path);
	if (!su_parse_i64(parts[6], &tid))
		return q_error(q, E_SYNTAX, "Invalid tablet id format: %s", parts[6]);
	struct tablet_ref ref;
	bool found = cat_tablet_find(c, tid, &ref) && ref.replica == -1;
	proc_replica_rows(c, found ? &ref : NULL, q->rs);
	return 0;
}

static int
transactions_path(struct qctx *q, char **parts, int np, const char *path)
{
	struct cluster *c = q->cl;

	if (np == 1) {
		static const char *const titles[] = { "DbId", "DbName" };
		if (rs_begin(q->rs, titles, 2)) {
			GPtrArray *dbs = cat_dbs_sorted(c, true);
			for (guint i = 0; i < dbs->len; i++) {
				struct db *d = g_ptr_array_index(dbs, i);
				rs_addi(q->rs, d->id);
				rs_add(q->rs, d->name);
				rs_end_row(q->rs);
			}
			g_ptr_array_free(dbs, TRUE);
		}
		return 0;
	}
	struct db *d = cat_db_lookup(c, parts[1]);
	if (!d)
		return q_error(q, E_SYNTAX, "Unknown database id or name \"%s\"", parts[1]);
	if (np == 2) {
		static const char *const titles[] = { "State", "Number" };
		if (rs_begin(q->rs, titles, 2)) {
			rs_add(q->rs, "running");
			rs_addi(q->rs, d->txn_running->len);
			rs_end_row(q->rs);
			rs_add(q->rs, "finished");
			rs_addi(q->rs, g_queue_get_length(d->txn_finished));
			rs_end_row(q->rs);
		}
		return 0;
	}
	if (strcmp(parts[2], "running") != 0 && strcmp(parts[2], "finished") != 0)
		return q_error(q, E_SYNTAX, "State is invalid");
	if (np == 3) {
		txn_rows(d, strcmp(parts[2], "running") == 0, q->rs);
		return 0;
	}
	return not_found(q, path);
}

int
proc_stmt(struct qctx *q)
{
	const char *path;
	struct cluster *c = q->cl;
	int rc;

	lex_kw(q->lx, "SHOW");
	lex_kw(q->lx, "PROC");
	if (!lex_string(q->lx, &path) || !lex_at_end(q->lx))
		return q_syntax(q);
	if ((rc = q_need_operate(q)))
		return rc;
	if (path[0] != '/')
		return q_error(q, E_SYNTAX, "Path must starts with '/'");
	char **parts = g_strsplit(path + 1, "/", -1);
	int np = 0;
	while (parts[np])
		np++;
	while (np > 0 && !*parts[np - 1])
		np--;
	rc = 0;
	if (np == 0) {
		static const char *const titles[] = { "name" };
		static const char *const roots[] = { "backends", "compute_nodes", "dbs", "frontends", "replications",
						     "transactions" };
		if (rs_begin(q->rs, titles, 1))
			for (size_t i = 0; i < SU_LEN(roots); i++) {
				if (!strcmp(roots[i], "replications") && !prof_has_replications_proc(&c->prof))
					continue;
				rs_add(q->rs, roots[i]);
				rs_end_row(q->rs);
			}
	} else if (!strcmp(parts[0], "dbs")) {
		if (np == 1) {
			dbs_rows(c, q->rs);
		} else {
			struct db *d = cat_db_lookup(c, parts[1]);
			if (!d)
				rc = q_error(q, E_SYNTAX, "Unknown database id or name \"%s\"", parts[1]);
			else if (np == 2)
				tables_rows(c, d, q->rs);
			else
				rc = table_path(q, d, parts, np, path);
		}
	} else if (!strcmp(parts[0], "transactions")) {
		rc = transactions_path(q, parts, np, path);
	} else if (!strcmp(parts[0], "replications") && np == 1 && prof_has_replications_proc(&c->prof)) {
		jobs_rows(c, q->rs);
	} else if (!strcmp(parts[0], "frontends") && np == 1) {
		shn_frontends(c, q->rs);
	} else if (!strcmp(parts[0], "backends") && np == 1) {
		shn_backends(c, q->rs);
	} else if (!strcmp(parts[0], "compute_nodes") && np == 1) {
		shn_compute_nodes(c, q->rs);
	} else {
		rc = not_found(q, path);
	}
	g_strfreev(parts);
	return rc;
}
