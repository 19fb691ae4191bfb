/*
 * populate: the scenario's databases and tables. Everything goes through the
 * same DDL code a client's statements use, so a scenario table is exactly
 * what CREATE TABLE would have made; then rows, sizes and versions are set.
 */
#include <stdio.h>
#include <string.h>

#include "ddlparse.h"
#include "dispatch.h"
#include "load.h"
#include "scenario.h"
#include "simutil.h"

/* Run one statement as the cluster's admin user. */
static bool
exec_sql(struct cluster *c, const char *sql, char *err, size_t n)
{
	struct session s = { .cl = c, .fe = &c->fes[0], .user = g_ptr_array_index(c->users, 0), .drop_col = -1 };
	struct lexer lx;
	struct rs rs;
	struct rs_table tab;
	struct qctx q = { .s = &s, .cl = c, .lx = &lx, .rs = &rs };
	int rc;

	if (!lex_init(&lx, sql)) {
		snprintf(err, n, "%s", lx.err);
		return false;
	}
	sel_plan_init(&q.plan);
	rs_init(&rs, NULL, rs_table_sink(&tab));
	rc = ddl_stmt(&q);
	if (rc)
		snprintf(err, n, "%.200s: %s", sql, q.msg);
	rs_free(&rs);
	rs_table_free(&tab);
	lex_free(&lx);
	return rc == 0;
}

static struct table *
lookup(struct cluster *c, const char *db, const char *name)
{
	struct db *d = cat_db(c, db);

	return d ? cat_table(d, name) : NULL;
}

/* Rows, bytes and version over the partitions of a freshly created table. */
static void
fill(struct table *t, int64_t rows, int64_t size, int64_t version)
{
	guint np = 0;

	for (guint i = 0; i < t->parts->len; i++)
		if (!((struct partition *)g_ptr_array_index(t->parts, i))->temp)
			np++;
	for (guint i = 0, k = 0; i < t->parts->len; i++) {
		struct partition *p = g_ptr_array_index(t->parts, i);
		if (p->temp)
			continue;
		p->rows = cat_bucket_share(rows, (int)np, (int)k);
		p->size = cat_bucket_share(size, (int)np, (int)k);
		int64_t v = version > 0 ? version : (p->rows > 0 ? 2 + (int64_t)(su_mix((uint64_t)p->phys_id) % 4) : 1);
		p->visible_version = v;
		p->next_version = v + 1;
		p->data_version = p->committed_data_version = v;
		p->version_epoch = p->create_time * 1000 + (int64_t)(su_mix((uint64_t)p->phys_id) % 1000);
		p->nhist = 0;
		cat_part_record(p);
		k++;
	}
}

static bool
ensure_db(struct cluster *c, const char *db, char *err, size_t n)
{
	char *sql;
	bool ok;
	struct sb b;

	if (cat_db(c, db))
		return true;
	sb_init(&b);
	sb_puts(&b, "CREATE DATABASE ");
	sb_ident(&b, db);
	sql = sb_steal(&b);
	ok = exec_sql(c, sql, err, n);
	g_free(sql);
	return ok;
}

static void
system_dbs(struct cluster *c)
{
	static const char *const ddl[] = {
		"CREATE TABLE `_statistics_`.`column_statistics` (`table_id` bigint NOT NULL, `partition_id` bigint "
		"NOT NULL, `column_name` varchar(65530) NOT NULL, `db_id` bigint NOT NULL, `table_name` "
		"varchar(65530) NOT NULL, `partition_name` varchar(65530) NOT NULL, `row_count` bigint NOT NULL, "
		"`data_size` bigint NOT NULL, `ndv` hll NOT NULL, `null_count` bigint NOT NULL, `max` varchar(1048576) "
		"NOT NULL, `min` varchar(1048576) NOT NULL, `update_time` datetime NOT NULL) PRIMARY KEY(`table_id`, "
		"`partition_id`, `column_name`) DISTRIBUTED BY HASH(`table_id`, `partition_id`) BUCKETS 10",
		"CREATE TABLE `_statistics_`.`histogram_statistics` (`table_id` bigint NOT NULL, `column_name` "
		"varchar(65530) NOT NULL, `db_id` bigint NOT NULL, `table_name` varchar(65530) NOT NULL, `buckets` "
		"varchar(1048576) NOT NULL, `mcv` varchar(1048576) NOT NULL, `update_time` datetime NOT NULL) "
		"PRIMARY KEY(`table_id`, `column_name`) DISTRIBUTED BY HASH(`table_id`) BUCKETS 10",
		"CREATE TABLE `_statistics_`.`table_statistic_v1` (`table_id` bigint NOT NULL, `column_name` "
		"varchar(65530) NOT NULL, `db_id` bigint NOT NULL, `table_name` varchar(65530) NOT NULL, `db_name` "
		"varchar(65530) NOT NULL, `row_count` bigint NOT NULL, `data_size` bigint NOT NULL, `distinct_count` "
		"bigint NOT NULL, `null_count` bigint NOT NULL, `max` varchar(65530) NOT NULL, `min` varchar(65530) "
		"NOT NULL, `update_time` datetime NOT NULL) UNIQUE KEY(`table_id`, `column_name`, `db_id`) "
		"DISTRIBUTED BY HASH(`table_id`, `column_name`, `db_id`) BUCKETS 10",
	};
	char err[512];

	/* the FE creates these at start; a failure here is srsim's own bug */
	if (!ensure_db(c, "_statistics_", err, sizeof err))
		g_error("%s", err);
	for (size_t i = 0; i < SU_LEN(ddl); i++)
		if (!exec_sql(c, ddl[i], err, sizeof err))
			g_error("%s", err);
}

/* --- the short table form ------------------------------------------------------------------ */

struct shape {
	const char *model;	/* duplicate | aggregate | unique | primary */
	const char *partitioning;	/* range | list | expr | auto | none, or with a column: range(dt) */
	int partitions, buckets, replication_num;
	const char *start, *step;
	const char *columns, *keys, *distribution, *properties, *comment, *partition_clause;
};

static const char *
model_kw(const char *m)
{
	if (su_ieq(m, "aggregate") || su_ieq(m, "agg"))
		return "AGGREGATE";
	if (su_ieq(m, "unique"))
		return "UNIQUE";
	if (su_ieq(m, "primary") || su_ieq(m, "pk"))
		return "PRIMARY";
	return "DUPLICATE";
}

/* "range(dt)" -> "range" and "dt" */
static void
split_call(const char *spec, char *kind, size_t kn, char *arg, size_t an, const char *dflt)
{
	const char *p = strchr(spec, '(');

	snprintf(kind, kn, "%.*s", p ? (int)(p - spec) : (int)strlen(spec), spec);
	g_strstrip(kind);
	if (p && strrchr(p, ')'))
		snprintf(arg, an, "%.*s", (int)(strrchr(p, ')') - p - 1), p + 1);
	else
		snprintf(arg, an, "%s", dflt);
}

static char *
table_ddl(const char *db, const char *name, const struct shape *sh)
{
	struct sb b;
	const char *m = model_kw(sh->model ? sh->model : "duplicate");
	bool agg = !strcmp(m, "AGGREGATE");
	char kind[32], arg[256];

	sb_init(&b);
	sb_puts(&b, "CREATE TABLE ");
	sb_ident(&b, db);
	sb_putc(&b, '.');
	sb_ident(&b, name);
	sb_puts(&b, " (\n");
	if (sh->columns) {
		sb_puts(&b, sh->columns);
	} else {
		sb_printf(&b, "  `k1` bigint NOT NULL COMMENT \"\",\n  `dt` date NOT NULL COMMENT \"\",\n"
			  "  `region` varchar(32) NOT NULL COMMENT \"\",\n  `v1` bigint %s NULL COMMENT \"\",\n"
			  "  `v2` varchar(64) %s NULL COMMENT \"\",\n  `v3` decimal(18, 4) %s NULL COMMENT \"\"",
			  agg ? "SUM" : "", agg ? "REPLACE" : "", agg ? "SUM" : "");
	}
	sb_printf(&b, "\n) ENGINE=OLAP\n%s KEY(%s)", m, sh->keys ? sh->keys : "`k1`, `dt`, `region`");
	if (sh->comment) {
		sb_puts(&b, "\nCOMMENT \"");
		sb_puts(&b, sh->comment);
		sb_putc(&b, '"');
	}
	split_call(sh->partitioning ? sh->partitioning : "none", kind, sizeof kind, arg, sizeof arg, "");
	int np = sh->partitions > 0 ? sh->partitions : 1;
	if (sh->partition_clause) {
		sb_printf(&b, "\nPARTITION BY %s", sh->partition_clause);
	} else if (su_ieq(kind, "range")) {
		/* START .. END .. EVERY from partition_start by day, month or year */
		GDateTime *st = NULL;
		int y = 2024, mo = 1, d = 1;
		if (sh->start)
			sscanf(sh->start, "%d-%d-%d", &y, &mo, &d);
		st = g_date_time_new_utc(y, mo, d, 0, 0, 0);
		const char *unit = sh->step ? sh->step : "day";
		GDateTime *en = su_ieq(unit, "month") ? g_date_time_add_months(st, np)
			      : su_ieq(unit, "year") ? g_date_time_add_years(st, np)
			      : g_date_time_add_days(st, np);
		char *s1 = g_date_time_format(st, "%Y-%m-%d"), *s2 = g_date_time_format(en, "%Y-%m-%d");
		sb_printf(&b, "\nPARTITION BY RANGE(`%s`) (START (\"%s\") END (\"%s\") EVERY (INTERVAL 1 %s))",
			  *arg ? arg : "dt", s1, s2, su_ieq(unit, "month") ? "MONTH" : su_ieq(unit, "year") ? "YEAR" : "DAY");
		g_free(s1);
		g_free(s2);
		g_date_time_unref(st);
		g_date_time_unref(en);
	} else if (su_ieq(kind, "list")) {
		sb_printf(&b, "\nPARTITION BY LIST(`%s`) (", *arg ? arg : "region");
		for (int i = 0; i < np; i++)
			sb_printf(&b, "%sPARTITION p_r%d VALUES IN (\"r%d\")", i ? ", " : "", i, i);
		sb_putc(&b, ')');
	} else if (su_ieq(kind, "expr")) {
		sb_printf(&b, "\nPARTITION BY %s", *arg ? arg : "date_trunc('day', `dt`)");
	} else if (su_ieq(kind, "auto")) {
		sb_printf(&b, "\nPARTITION BY (`%s`)", *arg ? arg : "region");
	}
	if (sh->distribution && su_istarts(sh->distribution, "random"))
		sb_puts(&b, "\nDISTRIBUTED BY RANDOM");
	else
		sb_printf(&b, "\nDISTRIBUTED BY %s", sh->distribution ? sh->distribution : "HASH(`k1`)");
	if (sh->buckets > 0)
		sb_printf(&b, " BUCKETS %d", sh->buckets);
	sb_puts(&b, "\nPROPERTIES (");
	bool any = false;
	if (sh->replication_num > 0) {
		sb_printf(&b, "\"replication_num\" = \"%d\"", sh->replication_num);
		any = true;
	}
	if (sh->properties)
		sb_printf(&b, "%s%s", any ? ", " : "", sh->properties);
	sb_puts(&b, ")");
	return sb_steal(&b);
}

/* Expression and automatic tables get their partitions as loads would create them. */
static void
auto_partitions(struct cluster *c, struct table *t, int want)
{
	if (t->ptype != PT_EXPR_RANGE && !t->auto_list)
		return;
	for (int i = cat_part_count(t, false); i < want; i++) {
		t->load_seq++;
		if (!load_new_partition(c, t))
			break;
	}
}

static bool
make_table(struct cluster *c, const char *db, const char *name, const struct shape *sh, const char *ddl,
	   int64_t rows, int64_t size, int64_t version, char *err, size_t n)
{
	char *owned = ddl ? NULL : table_ddl(db, name, sh);
	bool ok = ensure_db(c, db, err, n) && exec_sql(c, ddl ? ddl : owned, err, n);

	g_free(owned);
	if (!ok)
		return false;
	struct table *t = lookup(c, db, name);
	if (!t) {
		snprintf(err, n, "the DDL of %s.%s made no table of that name", db, name);
		return false;
	}
	auto_partitions(c, t, sh ? sh->partitions : 0);
	fill(t, rows, size, version);
	return true;
}

#define BAD(...) do { snprintf(err, n, __VA_ARGS__); return false; } while (0)

static bool
sec_int(const struct scn_section *s, const char *key, int64_t dflt, int64_t *out, char *err, size_t n)
{
	const char *v = scn_get(s, key);

	*out = dflt;
	if (v && (!su_parse_i64(v, out) || *out < 0))
		BAD("[%s] %s: want a number, got \"%s\"", s->head, key, v);
	return true;
}

static bool
sec_size(const struct scn_section *s, const char *key, int64_t dflt, int64_t *out, char *err, size_t n)
{
	const char *v = scn_get(s, key);

	*out = dflt;
	if (v && !su_parse_size(v, out))
		BAD("[%s] %s: want a size, got \"%s\"", s->head, key, v);
	return true;
}

/* "db.name" of a section (identifiers may be backquoted, `` for a backquote),
 * or its db= and name= keys. */
static bool
qualified(const struct scn_section *s, char **db, char **name, char *err, size_t n)
{
	const char *kd = scn_get(s, "db"), *kn = scn_get(s, "name");
	struct lexer lx;
	struct qname q;

	if (kd && kn) {
		*db = g_strdup(kd);
		*name = g_strdup(kn);
		return true;
	}
	if (!s->name || !lex_init(&lx, s->name))
		BAD("[%s] wants db.name after the kind (or db= and name= keys)", s->head);
	bool ok = dp_qname(&lx, &q) && q.db && lex_at_end(&lx);
	lex_free(&lx);
	if (!ok) {
		dp_qname_free(&q);
		BAD("[%s] wants db.name after the kind (or db= and name= keys)", s->head);
	}
	*db = q.db;
	*name = q.name;
	return true;
}

static bool
explicit_table(const struct scn_section *s, char *err, size_t n)
{
	struct cluster *c = sim_cluster(s->side && !strcmp(s->side, "target") ? SIDE_TARGET : SIDE_SOURCE);
	char *db, *name;
	int64_t parts, buckets, repl, rows, size, version;
	struct shape sh = { 0 };
	bool ok = false;

	if (!qualified(s, &db, &name, err, n))
		return false;
	if (!sec_int(s, "partitions", 0, &parts, err, n) || !sec_int(s, "buckets", 0, &buckets, err, n) ||
	    !sec_int(s, "replication_num", 0, &repl, err, n) || !sec_int(s, "rows", 0, &rows, err, n) ||
	    !sec_size(s, "data_size", rows * 100, &size, err, n) || !sec_int(s, "version", 0, &version, err, n))
		goto out;
	sh.model = scn_get(s, "model");
	sh.partitioning = scn_get(s, "partition_by");
	sh.partition_clause = scn_get(s, "partition_clause");
	sh.partitions = (int)(parts ? parts : (sh.partitioning && !su_ieq(sh.partitioning, "none") ? 4 : 1));
	sh.buckets = (int)(buckets ? buckets : 4);
	sh.replication_num = (int)repl;
	sh.start = scn_get(s, "partition_start");
	sh.step = scn_get(s, "partition_step");
	sh.columns = scn_get(s, "columns");
	sh.keys = scn_get(s, "keys");
	sh.distribution = scn_get(s, "distribution");
	sh.properties = scn_get(s, "properties");
	sh.comment = scn_get(s, "comment");
	ok = make_table(c, db, name, &sh, scn_get(s, "ddl"), rows, size, version, err, n);
	/* the same table on the target too: created empty, at version 1 */
	if (ok && scn_get(s, "on_target") && su_ieq(scn_get(s, "on_target"), "true") && c->side == SIDE_SOURCE) {
		struct cluster *tc = sim_cluster(SIDE_TARGET);
		ok = make_table(tc, db, name, &sh, scn_get(s, "ddl"), 0, 0, 1, err, n);
	}
out:
	g_free(db);
	g_free(name);
	return ok;
}

static bool
generated(const struct scn_section *s, char *err, size_t n)
{
	struct cluster *c = sim_cluster(s->side && !strcmp(s->side, "target") ? SIDE_TARGET : SIDE_SOURCE);
	int64_t dbs, tables, parts, buckets, repl, rows, size, version;
	const char *dbp = scn_get(s, "db_prefix") ? scn_get(s, "db_prefix") : "gen_db";
	const char *tp = scn_get(s, "table_prefix") ? scn_get(s, "table_prefix") : "t";

	if (!sec_int(s, "databases", 1, &dbs, err, n) || !sec_int(s, "tables", 10, &tables, err, n) ||
	    !sec_int(s, "partitions", 4, &parts, err, n) || !sec_int(s, "buckets", 4, &buckets, err, n) ||
	    !sec_int(s, "replication_num", 0, &repl, err, n) || !sec_int(s, "rows", 10000, &rows, err, n) ||
	    !sec_size(s, "data_size", 1 << 20, &size, err, n) || !sec_int(s, "version", 0, &version, err, n))
		return false;
	if (dbs < 1)
		BAD("[%s] databases >= 1", s->head);
	char **models = su_split(scn_get(s, "models") ? scn_get(s, "models") : "duplicate,aggregate,unique,primary", ',');
	char **pts = su_split(scn_get(s, "partitioning") ? scn_get(s, "partitioning") : "range,list,none,expr", ',');
	guint nm = g_strv_length(models), npt = g_strv_length(pts);
	bool ok = nm && npt;
	for (int64_t i = 0; ok && i < tables; i++) {
		char db[128], name[128];
		snprintf(db, sizeof db, "%s_%03lld", dbp, (long long)(i % dbs));
		snprintf(name, sizeof name, "%s_%05lld", tp, (long long)i);
		struct shape sh = { .model = models[i % nm], .partitioning = pts[(i / nm) % npt],
				    .partitions = (int)parts, .buckets = (int)buckets, .replication_num = (int)repl };
		ok = make_table(c, db, name, &sh, NULL, rows, size, version, err, n);
	}
	for (int64_t i = 0; ok && i < dbs; i++) {
		char db[128];
		snprintf(db, sizeof db, "%s_%03lld", dbp, (long long)i);
		ok = ensure_db(c, db, err, n);
	}
	g_strfreev(models);
	g_strfreev(pts);
	return ok;
}

static bool
view_or_mv(const struct scn_section *s, bool mv, char *err, size_t n)
{
	struct cluster *c = sim_cluster(s->side && !strcmp(s->side, "target") ? SIDE_TARGET : SIDE_SOURCE);
	char *db, *name;
	const char *ddl = scn_get(s, "ddl"), *query = scn_get(s, "query");
	struct sb b;

	if (!qualified(s, &db, &name, err, n))
		return false;
	sb_init(&b);
	if (ddl) {
		sb_puts(&b, ddl);
	} else if (!query) {
		snprintf(err, n, "[%s] wants query= or ddl=", s->head);
		g_free(db);
		g_free(name);
		return false;
	} else {
		sb_puts(&b, mv ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ");
		sb_ident(&b, db);
		sb_putc(&b, '.');
		sb_ident(&b, name);
		if (mv && !(scn_get(s, "sync") && su_ieq(scn_get(s, "sync"), "true")))
			sb_printf(&b, " DISTRIBUTED BY RANDOM REFRESH %s",
				  scn_get(s, "refresh") ? scn_get(s, "refresh") : "ASYNC");
		sb_printf(&b, " AS %s", query);
	}
	bool ok = ensure_db(c, db, err, n) && exec_sql(c, b.p, err, n);
	sb_free(&b);
	g_free(db);
	g_free(name);
	return ok;
}

bool
pop_catalog(GPtrArray *sections, char *err, size_t n)
{
	if (world.system_dbs)
		for (int side = 0; side < 2; side++)
			system_dbs(sim_cluster(side));
	for (guint i = 0; i < sections->len; i++) {
		const struct scn_section *s = g_ptr_array_index(sections, i);
		struct cluster *c = sim_cluster(s->side && !strcmp(s->side, "target") ? SIDE_TARGET : SIDE_SOURCE);
		bool ok = true;
		if (!strcmp(s->kind, "database")) {
			if (!s->name)
				BAD("[%s] wants a database name", s->head);
			ok = ensure_db(c, s->name, err, n);
		} else if (!strcmp(s->kind, "generate")) {
			ok = generated(s, err, n);
		} else if (!strcmp(s->kind, "table")) {
			ok = explicit_table(s, err, n);
		} else if (!strcmp(s->kind, "view")) {
			ok = view_or_mv(s, false, err, n);
		} else if (!strcmp(s->kind, "mv")) {
			ok = view_or_mv(s, true, err, n);
		}
		if (!ok)
			return false;
	}
	return true;
}
