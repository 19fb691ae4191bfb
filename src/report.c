/* report: plan and status (see report.h). */
#include "srmigrate/report.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/diff.h"
#include "srmigrate/engine.h"
#include "srmigrate/meta.h"
#include "srmigrate/par.h"
#include "srmigrate/preflight.h"
#include "srmigrate/settings.h"
#include "srmigrate/log.h"
#include "srmigrate/verify.h"
#include "srmigrate/util.h"

struct snapshot {
	struct sql_pool pool[2];
	struct catalog *cat[2];
	int rc[2];
	char err[2][SRM_ERR_LEN];
	const struct srm_config *cfg;
};

static void
read_one(void *ctx, size_t i, int worker)
{
	struct snapshot *s = ctx;

	(void)worker;
	s->cat[i] = catalog_new((enum side)i);
	s->rc[i] = meta_read_cluster(&s->pool[i], s->cat[i], s->err[i], sizeof(s->err[i]));
	if (s->rc[i] == 0)
		s->rc[i] = meta_read_objects(&s->pool[i], s->cat[i], &s->cfg->filter,
					     (int)s->cfg->meta_job_threads, s->err[i], sizeof(s->err[i]));
	if (s->rc[i] == 0)
		s->rc[i] = meta_read_definitions(&s->pool[i], s->cat[i], &s->cfg->filter, s->cfg->enable_view_sync,
						 s->cfg->enable_materialized_view_sync, s->err[i],
						 sizeof(s->err[i]));
}

static void
snapshot_init(struct snapshot *s, struct srm_config *cfg)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	for (int i = 0; i < 2; i++)
		sql_pool_init(&s->pool[i], (enum side)i, i == 0 ? &cfg->source : &cfg->target, &cfg->hosts,
			      cfg->jdbc_connect_timeout_ms, cfg->jdbc_socket_timeout_ms);
}

/* (Re)read both clusters; a side that fails keeps its error and a NULL catalog. */
static void
snapshot_load(struct snapshot *s)
{
	for (int i = 0; i < 2; i++) {
		catalog_unref(s->cat[i]);
		s->cat[i] = NULL;
	}
	par_for(2, 2, read_one, s);
	for (int i = 0; i < 2; i++) {
		if (s->rc[i] != 0) {
			catalog_unref(s->cat[i]);
			s->cat[i] = NULL;
		}
	}
}

/* Read both clusters; on failure print why and return the exit status (4). */
static int
snapshot_read(struct snapshot *s, struct srm_config *cfg)
{
	snapshot_init(s, cfg);
	snapshot_load(s);
	for (int i = 0; i < 2; i++) {
		if (s->rc[i] != 0) {
			fprintf(stderr, "srmigrate: %s cluster: %s\n", i == 0 ? "source" : "target", s->err[i]);
			return 4;
		}
	}
	return 0;
}

static void
snapshot_free(struct snapshot *s)
{
	for (int i = 0; i < 2; i++) {
		catalog_unref(s->cat[i]);
		sql_pool_fini(&s->pool[i]);
	}
}

static void
header(FILE *out, const struct snapshot *s)
{
	fprintf(out, "-- source %s:%lld  %s %s\n-- target %s:%lld  %s %s\n", s->cfg->source.fe_host,
		(long long)s->cfg->source.query_port, s->cat[0]->version.text,
		s->cat[0]->shared_data ? "shared_data" : "shared_nothing", s->cfg->target.fe_host,
		(long long)s->cfg->target.query_port, s->cat[1]->version.text,
		s->cat[1]->shared_data ? "shared_data" : "shared_nothing");
}

/* --- plan ------------------------------------------------------------------- */

/* What plan prints of one job: its request is built, summed up and freed at once. */
struct plan_line {
	bool built, nothing_lags;
	size_t n_names, tablets, src_replicas;
	int64_t bytes, replicas;
	const char *names[8];	/* the first partitions (catalog strings) */
	char *err;
};

struct plan_jobs {
	struct snapshot *s;
	struct migration *m;
	struct plan_line *lines;
	_Atomic uint64_t statements;
};

static void
plan_one(void *ctx, size_t i, int worker)
{
	struct plan_jobs *p = ctx;
	const struct mjob *j = p->m->jobs[i];
	const struct mtable *t = mig_table_by_id(p->m, j->table_id);
	struct sql_pool *pools[2] = { &p->s->pool[0], &p->s->pool[1] };
	struct plan_line *l = &p->lines[i];
	struct job_plan jp;

	(void)worker;
	jobs_build(&jp, pools, p->s->cat[0], p->s->cat[1], p->s->cfg, t->db, t->name, j->partitions,
		   j->n_partitions, "plan");
	atomic_fetch_add(&p->statements, jp.statements);
	l->built = jp.built;
	l->nothing_lags = jp.nothing_lags;
	l->n_names = jp.n_names;
	for (size_t k = 0; k < jp.n_names && k < ARRAY_LEN(l->names); k++)
		l->names[k] = jp.names[k];
	if (jp.built) {
		l->bytes = jp.rb.bytes;
		l->tablets = jp.rb.req.n_tablets;
		l->replicas = jp.rb.replicas;
		l->src_replicas = jp.rb.req.n_backend_of;
	} else if (jp.schema_change[0]) {
		l->err = xasprintf("the schema differs: %s", jp.schema_change);
	} else if (jp.n_wants) {
		l->err = xasprintf("%zu index or property statement(s) come first", jp.n_wants);
	} else {
		l->err = xstrdup(jp.err);
	}
	jobs_plan_free(&jp);
}

static void
print_ddl(FILE *out, struct snapshot *s, struct migration *m)
{
	struct ddl_rules rules = ddlq_rules(s->cfg, s->cat[0], s->cat[1]);
	void *cache = ddlq_show_cache_new();
	struct sql_conn *src;
	char err[SRM_ERR_LEN];

	fprintf(out, "\n-- DDL, in the order it would run (%zu)\n", m->n_ddls);
	src = m->n_ddls ? sql_get(&s->pool[0], err, sizeof(err)) : NULL;
	for (size_t i = 0; i < m->n_ddls; i++) {
		const struct mddl *d = m->ddls[i];
		char *sql = d->prepared ? xstrdup(d->statement)
			    : src ? ddlq_statement(src, s->cat[0], &rules, d->kind, d->db, d->table,
						   d->partition, cache, err, sizeof(err)) : NULL;

		if (d->state == DDL_HELD)
			fprintf(out, "-- held: drops data, waits for the operator (a / approve %u)\n", d->id);
		if (sql)
			fprintf(out, "%s;\n", sql);
		else
			fprintf(out, "-- %s %s.%s: cannot build the statement: %s\n", ddl_kind_name(d->kind),
				d->db, d->table ? d->table : "", err);
		free(sql);
	}
	sql_put(&s->pool[0], src);
	ddlq_show_cache_free(cache);
}

int
report_plan(struct srm_config *cfg, bool confirm_drops, FILE *out)
{
	struct snapshot s;
	struct migration m;
	struct diff_opts o = { .cfg = cfg, .confirm_drops = confirm_drops, .plan_jobs = true };
	struct diff_stats st;
	struct plan_jobs pj = { 0 };
	char size[32];
	int rc = snapshot_read(&s, cfg);

	if (rc != 0) {
		snapshot_free(&s);
		return rc;
	}
	mig_init(&m);
	diff_run(&m, s.cat[0], s.cat[1], &o, &st);
	header(out, &s);
	fprintf(out, "-- %u tables: %u in sync, %u lagging, %u waiting for DDL, %u blocked\n", st.tables,
		st.finished, st.lagging, st.waiting_ddl, st.blocked);
	print_ddl(out, &s, &m);

	pj.s = &s;
	pj.m = &m;
	pj.lines = xcalloc(m.n_jobs ? m.n_jobs : 1, sizeof(*pj.lines));
	par_for(m.n_jobs, (int)cfg->meta_job_threads, plan_one, &pj);
	fprintf(out, "\n-- replication jobs (%zu; tables waiting for DDL get theirs after it)\n",
		m.n_jobs);
	for (size_t i = 0; i < m.n_jobs; i++) {
		const struct mjob *j = m.jobs[i];
		const struct mtable *t = mig_table_by_id(&m, j->table_id);
		struct plan_line *l = &pj.lines[i];

		if (l->nothing_lags)
			continue;
		if (!l->built) {
			fprintf(out, "-- %s: %u partitions: cannot build the request: %s\n", t->display,
				j->n_partitions, l->err);
			free(l->err);
			rc = 1;
			continue;
		}
		fprintf(out, "-- %s: %zu partitions, %s, %zu tablets, %lld target replicas, %zu source "
			"replicas:", t->display, l->n_names, fmt_bytes(size, sizeof(size), l->bytes), l->tablets,
			(long long)l->replicas, l->src_replicas);
		for (size_t k = 0; k < l->n_names && k < ARRAY_LEN(l->names); k++)
			fprintf(out, " %s", l->names[k]);
		fprintf(out, "%s\n", l->n_names > ARRAY_LEN(l->names) ? " ..." : "");
	}
	fprintf(out, "\n-- blocked\n");
	for (size_t i = 0; i < m.n_tables; i++)
		if (m.tables[i]->state == TABLE_BLOCKED)
			fprintf(out, "-- %s: %s\n", m.tables[i]->display, m.tables[i]->reason);
	fprintf(out, "\n-- statements: %llu source, %llu target (%llu for job detail)\n",
		(unsigned long long)atomic_load(&s.pool[0].statements),
		(unsigned long long)atomic_load(&s.pool[1].statements),
		(unsigned long long)atomic_load(&pj.statements));
	free(pj.lines);
	mig_fini(&m);
	snapshot_free(&s);
	return rc;
}

/* --- check ------------------------------------------------------------------------ */

int
report_check(struct srm_config *cfg, bool fix, FILE *out)
{
	struct snapshot s;
	struct preflight pf;
	const char *errs[2];
	unsigned fails;

	snapshot_init(&s, cfg);
	snapshot_load(&s);
	errs[0] = s.err[0];
	errs[1] = s.err[1];
	preflight_run(&pf, s.pool, s.cat, errs, cfg);
	if (fix) {
		struct settings st;
		char msg[EV_TEXT_LEN];
		unsigned fixed = 0;

		if (settings_open(&st, cfg->log_dir, msg, sizeof(msg)) != 0) {
			fprintf(stderr, "srmigrate: %s\n", msg);
			preflight_free(&pf);
			snapshot_free(&s);
			return 2;
		}
		for (size_t i = 0; i < pf.n_items; i++) {
			const struct check_item *it = &pf.items[i];

			if (!it->ev.fixable || it->ev.status != CHECK_FAIL)
				continue;
			fixed += preflight_fix(it, s.pool, &st, msg, sizeof(msg)) == 0;
			fprintf(out, "fix   %s\n", msg);
		}
		settings_close(&st);
		if (fixed) {
			/* Check again what the clusters say now. */
			preflight_free(&pf);
			snapshot_load(&s);
			preflight_run(&pf, s.pool, s.cat, errs, cfg);
		}
	}
	preflight_print(&pf, out);
	fails = pf.fails;
	preflight_free(&pf);
	snapshot_free(&s);
	return fails ? 1 : 0;
}

/* --- verify ------------------------------------------------------------------------ */

int
report_verify(struct srm_config *cfg, bool count, FILE *out)
{
	struct snapshot s;
	struct verify_report r;
	char err[SRM_ERR_LEN];
	int rc = snapshot_read(&s, cfg);

	if (rc != 0) {
		snapshot_free(&s);
		return rc;
	}
	verify_run(s.pool, s.cat[0], s.cat[1], cfg, count, &r);
	verify_print(&r, out);
	if (log_open(cfg->log_dir, err, sizeof(err)) != 0 ||
	    verify_write(&r, cfg->log_dir, err, sizeof(err)) != 0) {
		fprintf(stderr, "srmigrate: cannot write the report: %s\n", err);
		rc = 2;
	} else {
		fprintf(out, "report: %s, %s\n", r.text_path, r.json_path);
		log_info("verification: %zu tables, %zu mismatches; report %s", r.tables, r.n_issues,
			 r.text_path);
		rc = r.n_issues ? 1 : 0;
	}
	log_close();
	verify_free(&r);
	snapshot_free(&s);
	return rc;
}

/* --- status ------------------------------------------------------------------- */

int
report_status(struct srm_config *cfg, bool json, FILE *out)
{
	struct snapshot s;
	struct migration m;
	struct diff_opts o = { .cfg = cfg, .confirm_drops = true, .plan_jobs = false };
	struct diff_stats st;
	int rc = snapshot_read(&s, cfg);

	if (rc != 0) {
		snapshot_free(&s);
		return rc;
	}
	mig_init(&m);
	diff_run(&m, s.cat[0], s.cat[1], &o, &st);
	if (json)
		fputs("{\"tables\": [", out);
	else
		fprintf(out, "%-40s %-10s %5s %5s %10s %10s %12s %12s  %s\n", "table", "state", "parts",
			"lag", "src ver", "tgt ver", "src rows", "tgt rows", "reason");
	for (size_t i = 0; i < m.n_tables; i++) {
		const struct mtable *t = m.tables[i];

		if (json) {
			fprintf(out, "%s\n  {\"table\": ", i ? "," : "");
			json_quote(out, t->display);
			fprintf(out, ", \"state\": \"%s\", \"partitions\": %u, \"lagging\": %u, "
				"\"source_version\": %lld, \"target_version\": %lld, \"source_rows\": %lld, "
				"\"target_rows\": %lld, \"source_bytes\": %lld, \"target_bytes\": %lld, "
				"\"reason\": ", table_state_name(t->state), t->partitions, t->lagging,
				(long long)t->src_version, (long long)t->tgt_version, (long long)t->src_rows,
				(long long)t->tgt_rows, (long long)t->src_bytes, (long long)t->tgt_bytes);
			json_quote(out, t->reason);
			fputc('}', out);
		} else {
			fprintf(out, "%-40s %-10s %5u %5u %10lld %10lld %12lld %12lld  %s\n", t->display,
				table_state_name(t->state), t->partitions, t->lagging,
				(long long)t->src_version, (long long)t->tgt_version, (long long)t->src_rows,
				(long long)t->tgt_rows, t->reason);
		}
	}
	if (json)
		fprintf(out, "\n], \"in_sync\": %u, \"lagging\": %u, \"waiting_ddl\": %u, \"blocked\": %u}\n",
			st.finished, st.lagging, st.waiting_ddl, st.blocked);
	else
		fprintf(out, "%u tables: %u in sync, %u lagging, %u waiting for DDL, %u blocked\n",
			st.tables, st.finished, st.lagging, st.waiting_ddl, st.blocked);
	mig_fini(&m);
	snapshot_free(&s);
	return 0;
}
