/*
 * meta: fill a catalog from a cluster (see meta.h).
 *
 * Statements per pass and cluster (no per-table statement on 3.1.9+/3.2.4+/3.3+):
 *   SELECT @@version_comment, ADMIN SHOW FRONTEND CONFIG, SHOW FRONTENDS,
 *   SHOW BACKENDS, SHOW COMPUTE NODES, SHOW PROC '/dbs',
 *   information_schema.tables_config, .tables, .partitions_meta.
 */
#include "srmigrate/meta.h"

#include <ctype.h>
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/ddl.h"
#include "srmigrate/par.h"
#include "srmigrate/util.h"

/* Largest size or count we believe: beyond it the cell is hostile or broken. */
#define SANE_MAX ((int64_t)1 << 60)

static bool
cell_i64(const struct sql_res *r, size_t row, int col, int64_t min, int64_t max, int64_t *out)
{
	const char *s = sql_cell(r, row, col);

	return s && parse_i64(s, min, max, out);
}

static bool
cell_bool(const struct sql_res *r, size_t row, int col)
{
	const char *s = sql_cell(r, row, col);

	return s && (str_ieq(s, "true") || str_eq(s, "1") || str_ieq(s, "yes"));
}

int64_t
meta_parse_size(const char *s)
{
	static const struct { const char *unit; double mul; } units[] = {
		{ "B", 1 }, { "KB", 1024.0 }, { "MB", 1048576.0 }, { "GB", 1073741824.0 },
		{ "TB", 1099511627776.0 }, { "PB", 1125899906842624.0 },
	};
	char num[32];
	const char *p;
	size_t int_len, frac = 0;
	int64_t n;
	double v = 0, scale = 1;

	if (s == NULL)
		return -1;
	while (*s == ' ')
		s++;
	/*
	 * Digits, maybe '.' and digits: StarRocks prints no sign, exponent or
	 * hex. Read by hand, not strtod: the process locale may use ',' for '.'.
	 */
	int_len = strspn(s, "0123456789");
	if (int_len == 0 || int_len >= sizeof(num))
		return -1;
	p = s + int_len;
	if (*p == '.') {
		frac = strspn(p + 1, "0123456789");
		if (frac == 0)
			return -1;
		p += 1 + frac;
	}
	while (*p == ' ')
		p++;
	if (*p == '\0' && frac == 0) {	/* plain bytes: exact, not through a double */
		memcpy(num, s, int_len);
		num[int_len] = '\0';
		return parse_i64(num, 0, SANE_MAX - 1, &n) ? n : -1;
	}
	for (size_t i = 0; i < int_len; i++)
		v = v * 10 + (s[i] - '0');
	for (size_t i = 0; i < frac; i++) {
		scale /= 10;
		v += (s[int_len + 1 + i] - '0') * scale;
	}
	if (*p == '\0')
		return v < (double)SANE_MAX ? (int64_t)v : -1;
	for (size_t i = 0; i < ARRAY_LEN(units); i++) {
		if (str_ieq(p, units[i].unit)) {
			double b = v * units[i].mul;

			return isfinite(b) && b < (double)SANE_MAX ? (int64_t)llround(b) : -1;
		}
	}
	return -1;
}

/* "12.34 %" or "12.34" -> 12.34; -1 when unparsable. */
static double
parse_pct(const char *s)
{
	char *end;
	double v;

	if (s == NULL)
		return -1;
	v = strtod(s, &end);
	if (end == s || !isfinite(v) || v < 0 || v > 100.0001)
		return -1;
	return v;
}

static int
query_failed(struct catalog *c, const char *what, const char *why, char *err, size_t errlen)
{
	(void)c;
	str_fmt(err, errlen, "%s: %s", what, why);
	return -1;
}

static int
read_version(struct sql_pool *p, struct catalog *c, char *err, size_t errlen)
{
	char why[SRM_ERR_LEN];
	struct sql_res *r = sql_pool_query(p, "SELECT @@version_comment", why, sizeof(why));
	const char *v;

	if (r == NULL)
		return query_failed(c, "SELECT @@version_comment", why, err, errlen);
	v = sql_rows(r) ? sql_cell(r, 0, 0) : NULL;
	c->version_known = version_parse(v, &c->version);
	if (!c->version_known)
		str_fmt(err, errlen, "cannot read the StarRocks version from @@version_comment '%.60s'",
			v ? v : "(NULL)");
	sql_res_free(r);
	return c->version_known ? 0 : -1;
}

static int
read_configs(struct sql_pool *p, struct catalog *c, char *err, size_t errlen)
{
	char why[SRM_ERR_LEN];
	struct sql_res *r = sql_pool_query(p, "ADMIN SHOW FRONTEND CONFIG", why, sizeof(why));
	int kc, vc;
	const char *mode;

	if (r == NULL)
		return query_failed(c, "ADMIN SHOW FRONTEND CONFIG", why, err, errlen);
	kc = sql_col(r, "Key");
	vc = sql_col(r, "Value");
	for (size_t i = 0; i < sql_rows(r); i++) {
		const char *k = sql_cell(r, i, kc);

		if (k)
			catalog_set_config(c, k, sql_cell(r, i, vc));
	}
	sql_res_free(r);
	mode = catalog_config(c, "run_mode");
	c->shared_data = mode && str_ieq(mode, "shared_data");
	return 0;
}

/* One port cell: a node with a bad one keeps an error and port 0. */
static int
node_port(struct catalog *c, struct cat_node *n, const struct sql_res *r, size_t row,
	  const char *title)
{
	int64_t v;

	if (cell_i64(r, row, sql_col(r, title), 0, 65535, &v))
		return (int)v;
	if (n->error == NULL) {
		char why[128];

		str_fmt(why, sizeof(why), "%s '%.20s' is not a port", title,
			sql_cell(r, row, sql_col(r, title)) ? sql_cell(r, row, sql_col(r, title)) : "NULL");
		n->error = catalog_str(c, why);
	}
	return 0;
}

static int
read_frontends(struct sql_pool *p, struct catalog *c, char *err, size_t errlen)
{
	char why[SRM_ERR_LEN];
	struct sql_res *r = sql_pool_query(p, "SHOW FRONTENDS", why, sizeof(why));

	if (r == NULL)
		return query_failed(c, "SHOW FRONTENDS", why, err, errlen);
	for (size_t i = 0; i < sql_rows(r); i++) {
		const char *ip = sql_cell(r, i, sql_col(r, "IP"));
		const char *role = sql_cell(r, i, sql_col(r, "Role"));
		struct cat_node *n;

		if (ip == NULL || ip[0] == '\0')
			continue;
		n = catalog_add_node(c, NODE_FE);
		n->host = catalog_str(c, ip);
		n->query_port = node_port(c, n, r, i, "QueryPort");
		n->http_port = node_port(c, n, r, i, "HttpPort");
		n->rpc_port = node_port(c, n, r, i, "RpcPort");
		n->alive = cell_bool(r, i, sql_col(r, "Alive"));
		n->is_leader = role && (str_ieq(role, "LEADER") || str_ieq(role, "MASTER"));
		n->version = catalog_str(c, sql_cell(r, i, sql_col(r, "Version")));
		if (n->error == NULL) {
			const char *e = sql_cell(r, i, sql_col(r, "ErrMsg"));

			n->error = e && e[0] ? catalog_str(c, e) : NULL;
		}
	}
	sql_res_free(r);
	return 0;
}

static void
read_backends(struct sql_pool *p, struct catalog *c, enum node_kind kind)
{
	char why[SRM_ERR_LEN];
	struct sql_res *r = sql_pool_query(p, kind == NODE_BE ? "SHOW BACKENDS" : "SHOW COMPUTE NODES",
					   why, sizeof(why));
	const char *id_title = kind == NODE_BE ? "BackendId" : "ComputeNodeId";

	if (r == NULL)
		return;	/* a cluster without compute nodes may refuse the statement */
	for (size_t i = 0; i < sql_rows(r); i++) {
		const char *ip = sql_cell(r, i, sql_col(r, "IP"));
		struct cat_node *n;
		int64_t id;

		if (ip == NULL || ip[0] == '\0')
			continue;
		n = catalog_add_node(c, kind);
		n->host = catalog_str(c, ip);
		if (!cell_i64(r, i, sql_col(r, id_title), 0, INT64_MAX, &id)) {
			n->error = catalog_str(c, "no usable node id");
			id = -1;
		}
		n->id = id;
		n->be_port = node_port(c, n, r, i, "BePort");
		n->http_port = node_port(c, n, r, i, "HttpPort");
		n->heartbeat_port = node_port(c, n, r, i, "HeartbeatPort");
		n->alive = cell_bool(r, i, sql_col(r, "Alive"));
		n->disk_pct = parse_pct(sql_cell(r, i, sql_col(r, "MaxDiskUsedPct")));
		n->avail_bytes = meta_parse_size(sql_cell(r, i, sql_col(r, "AvailCapacity")));
		n->version = catalog_str(c, sql_cell(r, i, sql_col(r, "Version")));
		if (n->error == NULL) {
			const char *e = sql_cell(r, i, sql_col(r, "ErrMsg"));

			n->error = e && e[0] ? catalog_str(c, e) : NULL;
		}
	}
	sql_res_free(r);
}

/* Storage volumes of a shared-data cluster: SHOW STORAGE VOLUMES, then DESC each. */
static int
read_volumes(struct sql_pool *p, struct catalog *c, char *err, size_t errlen)
{
	char why[SRM_ERR_LEN];
	struct sql_res *r = sql_pool_query(p, "SHOW STORAGE VOLUMES", why, sizeof(why));

	if (r == NULL)
		return query_failed(c, "SHOW STORAGE VOLUMES", why, err, errlen);
	for (size_t i = 0; i < sql_rows(r); i++) {
		const char *name = sql_cell(r, i, sql_col(r, "Storage Volume"));
		char *ident, *q;
		struct sql_res *d;
		struct cat_volume *v;

		if (name == NULL)
			continue;
		ident = sql_ident(name);
		q = xasprintf("DESC STORAGE VOLUME %s", ident);
		d = sql_pool_query(p, q, why, sizeof(why));
		free(ident);
		free(q);
		if (d == NULL || sql_rows(d) == 0) {
			sql_res_free(d);
			continue;	/* dropped meanwhile */
		}
		v = catalog_add_volume(c);
		v->name = catalog_str(c, name);
		v->type = catalog_str(c, sql_cell(d, 0, sql_col(d, "Type")));
		v->location = catalog_str(c, sql_cell(d, 0, sql_col(d, "Location")));
		v->params = catalog_str(c, sql_cell(d, 0, sql_col(d, "Params")));
		v->is_default = cell_bool(d, 0, sql_col(d, "IsDefault"));
		sql_res_free(d);
	}
	sql_res_free(r);
	return 0;
}

int
meta_read_cluster(struct sql_pool *p, struct catalog *c, char *err, size_t errlen)
{
	if (read_version(p, c, err, errlen) != 0 || read_configs(p, c, err, errlen) != 0 ||
	    read_frontends(p, c, err, errlen) != 0)
		return -1;
	read_backends(p, c, NODE_BE);
	read_backends(p, c, NODE_CN);
	if (c->shared_data && read_volumes(p, c, err, errlen) != 0)
		return -1;
	return 0;
}

/* " WHERE <col> IN (...)" for the included databases, else the system ones excluded. */
static char *
db_where(const struct filter *f, const char *col)
{
	GString *s = g_string_new(NULL);

	if (f->n_include > 0) {
		g_string_append_printf(s, " WHERE %s IN (", col);
		for (size_t i = 0; i < f->n_include; i++) {
			char *lit = sql_string(f->include[i].db);

			g_string_append_printf(s, "%s%s", i ? ", " : "", lit);
			free(lit);
		}
		g_string_append(s, ")");
	} else {
		g_string_append_printf(s, " WHERE %s NOT IN ('information_schema', '_statistics_', 'sys')",
				       col);
	}
	return g_string_free(s, FALSE);
}

static int
read_dbs(struct sql_pool *p, struct catalog *c, const struct filter *f, char *err, size_t errlen)
{
	char why[SRM_ERR_LEN];
	struct sql_res *r = sql_pool_query(p, "SHOW PROC '/dbs'", why, sizeof(why));

	if (r == NULL)
		return query_failed(c, "SHOW PROC '/dbs'", why, err, errlen);
	for (size_t i = 0; i < sql_rows(r); i++) {
		const char *name = sql_cell(r, i, sql_col(r, "DbName"));
		int64_t id;

		if (name == NULL || !filter_db(f, name))
			continue;
		if (!cell_i64(r, i, sql_col(r, "DbId"), 0, INT64_MAX, &id))
			id = -1;	/* tables of this db get an error below */
		catalog_add_db(c, name, id);
	}
	sql_res_free(r);
	return 0;
}

static enum table_kind
engine_kind(const char *engine)
{
	if (engine == NULL)
		return TK_OTHER;
	if (str_eq(engine, "OLAP"))
		return TK_OLAP;
	if (str_eq(engine, "CLOUD_NATIVE") || str_eq(engine, "LAKE"))
		return TK_CLOUD_NATIVE;
	if (strstr(engine, "MATERIALIZED_VIEW"))
		return TK_MV;
	return TK_OTHER;
}

static enum keys_type
model_keys(const char *m)
{
	if (m == NULL)
		return KT_UNKNOWN;
	if (str_eq(m, "DUP_KEYS"))
		return KT_DUP;
	if (str_eq(m, "AGG_KEYS"))
		return KT_AGG;
	if (str_eq(m, "UNIQUE_KEYS"))
		return KT_UNIQUE;
	if (str_eq(m, "PRIMARY_KEYS"))
		return KT_PRIMARY;
	return KT_UNKNOWN;
}

static void
table_error(struct catalog *c, struct cat_table *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
table_error(struct catalog *c, struct cat_table *t, const char *fmt, ...)
{
	char buf[EV_TEXT_LEN];
	va_list ap;

	if (t->error)
		return;	/* the first reason is the one to show */
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	t->error = catalog_str(c, buf);
}

static int
read_tables(struct sql_pool *p, struct catalog *c, const struct filter *f, char *err, size_t errlen)
{
	char why[SRM_ERR_LEN], *where = db_where(f, "TABLE_SCHEMA"), *q;
	struct sql_res *r;

	q = xasprintf("SELECT * FROM information_schema.tables_config%s", where);
	r = sql_pool_query(p, q, why, sizeof(why));
	free(q);
	if (r == NULL) {
		free(where);
		return query_failed(c, "information_schema.tables_config", why, err, errlen);
	}
	int c_db = sql_col(r, "TABLE_SCHEMA"), c_name = sql_col(r, "TABLE_NAME");
	int c_engine = sql_col(r, "TABLE_ENGINE"), c_model = sql_col(r, "TABLE_MODEL");
	int c_id = sql_col(r, "TABLE_ID"), c_buckets = sql_col(r, "DISTRIBUTE_BUCKET");

	for (size_t i = 0; i < sql_rows(r); i++) {
		const char *db = sql_cell(r, i, c_db), *name = sql_cell(r, i, c_name);
		const struct cat_db *d;
		struct cat_table *t;
		int64_t v;

		if (db == NULL || name == NULL || !filter_table(f, db, name))
			continue;
		t = catalog_add_table(c, db, name);
		t->kind = engine_kind(sql_cell(r, i, c_engine));
		t->keys = model_keys(sql_cell(r, i, c_model));
		t->partition_key = catalog_str(c, sql_cell(r, i, sql_col(r, "PARTITION_KEY")));
		t->distribute_key = catalog_str(c, sql_cell(r, i, sql_col(r, "DISTRIBUTE_KEY")));
		t->sort_key = catalog_str(c, sql_cell(r, i, sql_col(r, "SORT_KEY")));
		t->properties = catalog_str(c, sql_cell(r, i, sql_col(r, "PROPERTIES")));
		if (t->kind == TK_OLAP || t->kind == TK_CLOUD_NATIVE || t->kind == TK_MV) {
			if (cell_i64(r, i, c_id, 1, INT64_MAX, &v))
				t->id = v;
			else
				table_error(c, t, "TABLE_ID '%.30s' is not an id",
					    sql_cell(r, i, c_id) ? sql_cell(r, i, c_id) : "NULL");
			if (cell_i64(r, i, c_buckets, 0, 1 << 20, &v))
				t->buckets = (int32_t)v;
		}
		d = catalog_db(c, db);
		if (d && d->id > 0)
			t->db_id = d->id;
		else	/* not in SHOW PROC '/dbs' (created since), or a bad DbId */
			table_error(c, t, "database %.64s has no usable id", db);
	}
	sql_res_free(r);

	q = xasprintf("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_ROWS, DATA_LENGTH "
		      "FROM information_schema.tables%s", where);
	r = sql_pool_query(p, q, why, sizeof(why));
	free(q);
	free(where);
	if (r == NULL)
		return query_failed(c, "information_schema.tables", why, err, errlen);
	c_db = sql_col(r, "TABLE_SCHEMA");
	c_name = sql_col(r, "TABLE_NAME");
	int c_type = sql_col(r, "TABLE_TYPE"), c_rows = sql_col(r, "TABLE_ROWS");
	int c_len = sql_col(r, "DATA_LENGTH");

	for (size_t i = 0; i < sql_rows(r); i++) {
		const char *db = sql_cell(r, i, c_db), *name = sql_cell(r, i, c_name);
		const char *type = sql_cell(r, i, c_type);
		struct cat_table *t;

		if (db == NULL || name == NULL || !filter_table(f, db, name))
			continue;
		t = catalog_table(c, db, name);
		/*
		 * tables_config lists views with nothing but their names, and
		 * materialized views as such; TABLE_TYPE VIEW on anything else
		 * is a view. A view is worth knowing; other kinds are not ours.
		 */
		if (type && str_eq(type, "VIEW") && (t == NULL || t->kind == TK_OTHER)) {
			if (t == NULL && catalog_db(c, db) == NULL)
				continue;
			if (t == NULL)
				t = catalog_add_table(c, db, name);
			t->kind = TK_VIEW;
			continue;
		}
		if (t == NULL)
			continue;
		if (!cell_i64(r, i, c_rows, 0, SANE_MAX, &t->rows))
			t->rows = -1;
		if (!cell_i64(r, i, c_len, 0, SANE_MAX, &t->bytes))
			t->bytes = -1;
	}
	sql_res_free(r);
	return 0;
}

/* Fill one partition from a row; the titles differ between the two sources. */
struct part_titles {
	int name, id, visible, data, epoch, value, dist, buckets, repl, size, rows, temp, path;
};

static void
part_from_row(struct catalog *c, struct cat_table *t, const struct sql_res *r, size_t row,
	      const struct part_titles *pt)
{
	const char *name = sql_cell(r, row, pt->name);
	struct cat_part *p;
	int64_t v;

	if (name == NULL) {
		table_error(c, t, "a partition without a name");
		return;
	}
	p = catalog_part_add(c, t);
	p->name = catalog_str(c, name);
	if (!cell_i64(r, row, pt->id, 1, INT64_MAX, &p->id))
		table_error(c, t, "partition %.64s: id '%.30s' is not an id", name,
			    sql_cell(r, row, pt->id) ? sql_cell(r, row, pt->id) : "NULL");
	if (!cell_i64(r, row, pt->visible, 0, SANE_MAX, &p->visible_version))
		table_error(c, t, "partition %.64s: visible version '%.30s' is not a version", name,
			    sql_cell(r, row, pt->visible) ? sql_cell(r, row, pt->visible) : "NULL");
	if (pt->data >= 0 && !cell_i64(r, row, pt->data, 0, SANE_MAX, &p->data_version))
		table_error(c, t, "partition %.64s: data version '%.30s' is not a version", name,
			    sql_cell(r, row, pt->data) ? sql_cell(r, row, pt->data) : "NULL");
	if (pt->epoch >= 0 && !cell_i64(r, row, pt->epoch, 0, INT64_MAX, &p->version_epoch))
		p->version_epoch = -1;
	p->rows = cell_i64(r, row, pt->rows, 0, SANE_MAX, &v) ? v : -1;
	/* "1.2KB" in SHOW PARTITIONS and, before 4.1, in partitions_meta; bytes in 4.1's. */
	p->bytes = meta_parse_size(sql_cell(r, row, pt->size));
	p->buckets = cell_i64(r, row, pt->buckets, 0, 1 << 20, &v) ? (int32_t)v : -1;
	p->replication_num = cell_i64(r, row, pt->repl, -1, 1000, &v) ? (int32_t)v : -1;
	p->value = catalog_str(c, sql_cell(r, row, pt->value));
	p->dist_key = catalog_str(c, sql_cell(r, row, pt->dist));
	p->storage_path = catalog_str(c, sql_cell(r, row, pt->path));
}

static int
read_partitions_meta(struct sql_pool *p, struct catalog *c, const struct filter *f, char *err,
		     size_t errlen)
{
	char why[SRM_ERR_LEN], *where = db_where(f, "DB_NAME");
	char *q = xasprintf("SELECT * FROM information_schema.partitions_meta%s", where);
	struct sql_res *r = sql_pool_query(p, q, why, sizeof(why));
	bool dv = ver_has_data_version(&c->version);

	free(q);
	free(where);
	if (r == NULL)
		return query_failed(c, "information_schema.partitions_meta", why, err, errlen);
	struct part_titles pt = {
		.name = sql_col(r, "PARTITION_NAME"), .id = sql_col(r, "PARTITION_ID"),
		.visible = sql_col(r, "VISIBLE_VERSION"),
		.data = dv ? sql_col(r, "DATA_VERSION") : -1,
		.epoch = dv ? sql_col(r, "VERSION_EPOCH") : -1,
		.value = sql_col(r, "PARTITION_VALUE"), .dist = sql_col(r, "DISTRIBUTION_KEY"),
		.buckets = sql_col(r, "BUCKETS"), .repl = sql_col(r, "REPLICATION_NUM"),
		.size = sql_col(r, "DATA_SIZE"), .rows = sql_col(r, "ROW_COUNT"),
		.temp = sql_col(r, "IS_TEMP"), .path = sql_col(r, "STORAGE_PATH"),
	};
	int c_db = sql_col(r, "DB_NAME"), c_tbl = sql_col(r, "TABLE_NAME");

	if (dv && pt.data < 0) {
		sql_res_free(r);
		return query_failed(c, "information_schema.partitions_meta",
				    "no DATA_VERSION column although the version has it", err, errlen);
	}
	for (size_t i = 0; i < sql_rows(r); i++) {
		const char *db = sql_cell(r, i, c_db), *tbl = sql_cell(r, i, c_tbl);
		struct cat_table *t;

		if (db == NULL || tbl == NULL || cell_bool(r, i, pt.temp))
			continue;	/* temporary partitions are not migrated */
		t = catalog_table(c, db, tbl);
		if (t == NULL || t->kind == TK_VIEW)
			continue;
		part_from_row(c, t, r, i, &pt);
	}
	sql_res_free(r);
	/* Tables with no row at all have no partition: known, and empty. */
	for (size_t i = 0; i < c->n_tables; i++)
		if (c->tables[i].kind == TK_OLAP || c->tables[i].kind == TK_CLOUD_NATIVE)
			c->tables[i].parts_known = true;
	catalog_parts_done(c);
	return 0;
}

/* --- SHOW PARTITIONS per table, for versions without partitions_meta ------- */

struct show_parts {
	struct sql_pool *pool;
	struct catalog *c;
	size_t *tables;		/* catalog positions */
	struct sql_res **res;
	char (*errs)[EV_TEXT_LEN];
};

static void
show_parts_one(void *ctx, size_t i, int worker)
{
	struct show_parts *sp = ctx;
	const struct cat_table *t = &sp->c->tables[sp->tables[i]];
	char *db = sql_ident(t->db), *name = sql_ident(t->name);
	char *q = xasprintf("SHOW PARTITIONS FROM %s.%s", db, name);

	(void)worker;
	sp->res[i] = sql_pool_query(sp->pool, q, sp->errs[i], sizeof(sp->errs[i]));
	free(q);
	free(db);
	free(name);
}

static void
read_show_partitions(struct sql_pool *p, struct catalog *c, int threads)
{
	struct show_parts sp = { .pool = p, .c = c };
	size_t n = 0;

	sp.tables = xcalloc(c->n_tables, sizeof(*sp.tables));
	for (size_t i = 0; i < c->n_tables; i++)
		if (c->tables[i].kind == TK_OLAP || c->tables[i].kind == TK_CLOUD_NATIVE)
			sp.tables[n++] = i;
	sp.res = xcalloc(n, sizeof(*sp.res));
	sp.errs = xcalloc(n, sizeof(*sp.errs));
	par_for(n, threads, show_parts_one, &sp);
	for (size_t i = 0; i < n; i++) {
		struct cat_table *t = &c->tables[sp.tables[i]];
		struct sql_res *r = sp.res[i];

		if (r == NULL) {
			table_error(c, t, "SHOW PARTITIONS: %s", sp.errs[i]);
			continue;
		}
		int value = sql_col(r, "Range");
		struct part_titles pt = {
			.name = sql_col(r, "PartitionName"), .id = sql_col(r, "PartitionId"),
			.visible = sql_col(r, "VisibleVersion"), .data = sql_col(r, "DataVersion"),
			.epoch = sql_col(r, "VersionEpoch"),
			.value = value >= 0 ? value : sql_col(r, "List"),
			.dist = sql_col(r, "DistributionKey"), .buckets = sql_col(r, "Buckets"),
			.repl = sql_col(r, "ReplicationNum"), .size = sql_col(r, "DataSize"),
			.rows = sql_col(r, "RowCount"), .temp = -1, .path = -1,
		};

		for (size_t row = 0; row < sql_rows(r); row++)
			part_from_row(c, t, r, row, &pt);
		t->parts_known = true;
		sql_res_free(r);
	}
	catalog_parts_done(c);
	free(sp.tables);
	free(sp.res);
	free(sp.errs);
}

/*
 * SHOW PARTITIONS has no storage path; a shared-data table's is in its
 * database's SHOW PROC listing (StoragePath), one statement per database.
 * Its partitions take it: the volume and the service id are read from it.
 */
static void
read_table_paths(struct sql_pool *p, struct catalog *c)
{
	for (size_t d = 0; d < c->n_dbs; d++) {
		char q[64], why[SRM_ERR_LEN];
		struct sql_res *r;

		if (c->dbs[d].id <= 0)
			continue;
		str_fmt(q, sizeof(q), "SHOW PROC '/dbs/%lld'", (long long)c->dbs[d].id);
		if ((r = sql_pool_query(p, q, why, sizeof(why))) == NULL)
			continue;	/* jobs of these tables say what is missing */
		int c_name = sql_col(r, "TableName"), c_path = sql_col(r, "StoragePath");

		for (size_t i = 0; i < sql_rows(r); i++) {
			const char *name = sql_cell(r, i, c_name), *path = sql_cell(r, i, c_path);
			const struct cat_table *t = name ? catalog_table(c, c->dbs[d].name, name) : NULL;

			if (t == NULL || path == NULL || path[0] == '\0')
				continue;
			path = catalog_str(c, path);
			for (size_t k = t->first_part; k < t->first_part + t->n_parts; k++)
				if (c->parts[k].storage_path == NULL)
					c->parts[k].storage_path = path;
		}
		sql_res_free(r);
	}
}

int
meta_read_objects(struct sql_pool *p, struct catalog *c, const struct filter *f, int threads,
		  char *err, size_t errlen)
{
	if (read_dbs(p, c, f, err, errlen) != 0 || read_tables(p, c, f, err, errlen) != 0)
		return -1;
	if (ver_has_partitions_meta(&c->version))
		return read_partitions_meta(p, c, f, err, errlen);
	read_show_partitions(p, c, threads);
	if (c->shared_data)
		read_table_paths(p, c);
	return 0;
}

/*
 * What a view or materialized view is, for comparing the two sides: a
 * view's VIEW_DEFINITION (its query as the FE prints it), an MV's query
 * taken from MATERIALIZED_VIEW_DEFINITION (its whole CREATE statement, whose
 * properties the target's rules change anyway).
 */
static int
read_definitions(struct sql_pool *p, struct catalog *c, const struct filter *f, const char *table,
		 const char *column, enum table_kind kind, char *err, size_t errlen)
{
	char why[SRM_ERR_LEN], *where = db_where(f, "TABLE_SCHEMA");
	char *q = xasprintf("SELECT TABLE_SCHEMA, TABLE_NAME, %s FROM information_schema.%s%s", column, table,
			    where);
	struct sql_res *r = sql_pool_query(p, q, why, sizeof(why));

	free(q);
	free(where);
	if (r == NULL)
		return query_failed(c, table, why, err, errlen);
	int c_db = sql_col(r, "TABLE_SCHEMA"), c_name = sql_col(r, "TABLE_NAME"), c_def = sql_col(r, column);

	for (size_t i = 0; i < sql_rows(r); i++) {
		const char *db = sql_cell(r, i, c_db), *name = sql_cell(r, i, c_name);
		const char *def = sql_cell(r, i, c_def);
		struct cat_table *t;

		if (db == NULL || name == NULL || !filter_table(f, db, name))
			continue;
		t = catalog_table(c, db, name);
		if (t == NULL || t->kind != kind)
			continue;	/* views lists materialized views too on some versions */
		/* The FE prints the whole CREATE statement; its query is what both sides must share. */
		if (kind == TK_MV && def && g_ascii_strncasecmp(def, "CREATE", 6) == 0 && ddl_defining_query(def))
			def = ddl_defining_query(def);
		if (def == NULL)
			table_error(c, t, "%s has no %s", table, column);
		else
			t->definition = catalog_str(c, def);
	}
	sql_res_free(r);
	return 0;
}

int
meta_read_definitions(struct sql_pool *p, struct catalog *c, const struct filter *f, bool views, bool mvs,
		      char *err, size_t errlen)
{
	if (views && read_definitions(p, c, f, "views", "VIEW_DEFINITION", TK_VIEW, err, errlen) != 0)
		return -1;
	if (mvs && read_definitions(p, c, f, "materialized_views", "MATERIALIZED_VIEW_DEFINITION", TK_MV, err,
				    errlen) != 0)
		return -1;
	return 0;
}

/* --- per-table detail for a replication request ----------------------------- */

static int
detail_query(struct sql_conn *conn, struct meta_detail *d, const char *q, struct sql_res **out,
	     char *err, size_t errlen)
{
	d->statements++;
	*out = sql_query(conn, q, err, errlen);
	return *out ? 0 : -1;
}

/* "[10001, 10002]" or "10001" -> ids appended to d->replica_backend. */
static int
parse_backends(struct meta_detail *d, const char *s, size_t *cap)
{
	int count = 0;

	if (s == NULL)
		return -1;
	while (*s) {
		char *end;
		long long id;

		while (*s == '[' || *s == ']' || *s == ',' || *s == ' ')
			s++;
		if (*s == '\0')
			break;
		if (!isdigit((unsigned char)*s))
			return -1;
		id = strtoll(s, &end, 10);
		if (d->n_replicas == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			d->replica_backend = xrealloc(d->replica_backend, *cap * sizeof(int64_t));
		}
		d->replica_backend[d->n_replicas++] = id;
		count++;
		s = end;
	}
	return count;
}

struct tablet_row {
	int64_t tablet;
	int64_t replica;
	size_t row;
};

static int
tablet_row_cmp(const void *a, const void *b)
{
	const struct tablet_row *x = a, *y = b;

	if (x->tablet != y->tablet)
		return x->tablet < y->tablet ? -1 : 1;
	return x->replica < y->replica ? -1 : x->replica > y->replica;
}

static int
read_tablets(struct sql_conn *conn, const struct cat_table *t, int64_t part_id,
	     const struct meta_index *idx, struct meta_detail *d, size_t *cap_t, size_t *cap_r,
	     char *err, size_t errlen)
{
	char *q = xasprintf("SHOW PROC '/dbs/%lld/%lld/partitions/%lld/%lld'", (long long)t->db_id,
			    (long long)t->id, (long long)part_id, (long long)idx->id);
	struct sql_res *r;
	struct meta_part_index *pi;
	struct tablet_row *rows;
	size_t n;
	int c_tab, c_rep, c_be;

	if (detail_query(conn, d, q, &r, err, errlen) != 0) {
		free(q);
		return -1;
	}
	free(q);
	c_tab = sql_col(r, "TabletId");
	c_rep = sql_col(r, "ReplicaId");
	c_be = sql_col(r, "BackendId");
	n = sql_rows(r);
	rows = xcalloc(n ? n : 1, sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		if (!cell_i64(r, i, c_tab, 1, INT64_MAX, &rows[i].tablet)) {
			str_fmt(err, errlen, "partition %lld index %s: TabletId '%.30s' is not an id",
				(long long)part_id, idx->name,
				sql_cell(r, i, c_tab) ? sql_cell(r, i, c_tab) : "NULL");
			free(rows);
			sql_res_free(r);
			return -1;
		}
		if (c_rep < 0 || !cell_i64(r, i, c_rep, INT64_MIN, INT64_MAX, &rows[i].replica))
			rows[i].replica = 0;
		rows[i].row = i;
	}
	/* The FE sorts by tablet id already; bucket order is ascending tablet id. */
	qsort(rows, n, sizeof(*rows), tablet_row_cmp);

	d->pis = xrealloc(d->pis, (d->n_pis + 1) * sizeof(*d->pis));
	pi = &d->pis[d->n_pis++];
	pi->partition_id = part_id;
	pi->index_id = idx->id;
	pi->first_tablet = (uint32_t)d->n_tablets;
	pi->n_tablets = 0;
	for (size_t i = 0; i < n; i++) {
		struct meta_tablet *tab;
		int got;

		if (i == 0 || rows[i].tablet != rows[i - 1].tablet) {
			if (d->n_tablets == *cap_t) {
				*cap_t = *cap_t ? *cap_t * 2 : 64;
				d->tablets = xrealloc(d->tablets, *cap_t * sizeof(*d->tablets));
			}
			tab = &d->tablets[d->n_tablets++];
			tab->id = rows[i].tablet;
			tab->first_replica = (uint32_t)d->n_replicas;
			tab->n_replicas = 0;
			pi->n_tablets++;
		}
		tab = &d->tablets[d->n_tablets - 1];
		got = parse_backends(d, sql_cell(r, rows[i].row, c_be), cap_r);
		if (got < 0) {
			/* A replica row without a backend (replica being created): skip it. */
			continue;
		}
		tab->n_replicas = (uint16_t)(tab->n_replicas + got);
	}
	free(rows);
	sql_res_free(r);
	return 0;
}

int
meta_read_detail(struct sql_conn *conn, const struct catalog *c, const struct cat_table *t,
		 const int64_t *part_ids, size_t n_parts, struct meta_detail *d, char *err,
		 size_t errlen)
{
	struct sql_res *r;
	char *q;
	size_t cap_t = 0, cap_r = 0;
	int c_id, c_name, c_hash;

	(void)c;
	memset(d, 0, sizeof(*d));
	d->strings = g_string_chunk_new(1024);
	q = xasprintf("SHOW PROC '/dbs/%lld/%lld/index_schema'", (long long)t->db_id, (long long)t->id);
	if (detail_query(conn, d, q, &r, err, errlen) != 0) {
		free(q);
		return -1;
	}
	free(q);
	c_id = sql_col(r, "IndexId");
	c_name = sql_col(r, "IndexName");
	c_hash = sql_col(r, "SchemaHash");
	d->indexes = xcalloc(sql_rows(r) ? sql_rows(r) : 1, sizeof(*d->indexes));
	for (size_t i = 0; i < sql_rows(r); i++) {
		struct meta_index *ix = &d->indexes[d->n_indexes];
		int64_t v;

		if (!cell_i64(r, i, c_id, 1, INT64_MAX, &ix->id) || sql_cell(r, i, c_name) == NULL) {
			str_fmt(err, errlen, "index_schema row %zu has no usable IndexId/IndexName", i);
			sql_res_free(r);
			return -1;
		}
		ix->name = g_string_chunk_insert_const(d->strings, sql_cell(r, i, c_name));
		ix->schema_hash = cell_i64(r, i, c_hash, INT32_MIN, INT32_MAX, &v) ? (int32_t)v : 0;
		d->n_indexes++;
	}
	sql_res_free(r);
	if (d->n_indexes == 0) {
		str_fmt(err, errlen, "the table has no index (index_schema is empty)");
		return -1;
	}
	for (size_t p = 0; p < n_parts; p++)
		for (size_t i = 0; i < d->n_indexes; i++)
			if (read_tablets(conn, t, part_ids[p], &d->indexes[i], d, &cap_t, &cap_r, err,
					 errlen) != 0)
				return -1;
	return 0;
}

void
meta_detail_free(struct meta_detail *d)
{
	free(d->indexes);
	free(d->pis);
	free(d->tablets);
	free(d->replica_backend);
	if (d->strings)
		g_string_chunk_free(d->strings);
	memset(d, 0, sizeof(*d));
}

const struct meta_part_index *
meta_detail_find(const struct meta_detail *d, int64_t partition_id, int64_t index_id)
{
	for (size_t i = 0; i < d->n_pis; i++)
		if (d->pis[i].partition_id == partition_id && d->pis[i].index_id == index_id)
			return &d->pis[i];
	return NULL;
}

char *
meta_show_create(struct sql_conn *conn, const char *db, const char *name, char *err, size_t errlen)
{
	static const char *const titles[] = { "Create Table", "Create View", "Create Materialized View" };
	char *qdb = sql_ident(db), *qname = sql_ident(name);
	char *q = xasprintf("SHOW CREATE TABLE %s.%s", qdb, qname);
	struct sql_res *r = sql_query(conn, q, err, errlen);
	char *text = NULL;

	free(q);
	free(qdb);
	free(qname);
	if (r == NULL)
		return NULL;
	for (size_t i = 0; i < ARRAY_LEN(titles) && text == NULL; i++) {
		const char *s = sql_rows(r) ? sql_cell(r, 0, sql_col(r, titles[i])) : NULL;

		if (s)
			text = xstrdup(s);
	}
	if (text == NULL)
		str_fmt(err, errlen, "SHOW CREATE TABLE %s.%s returned no statement", db, name);
	sql_res_free(r);
	return text;
}
