/* verify: table-by-table comparison and its report (see verify.h). */
#include "srmigrate/verify.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "srmigrate/par.h"
#include "srmigrate/state.h"
#include "srmigrate/util.h"

static void
issue(struct verify_report *r, const struct cat_table *t, const char *partition, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
issue(struct verify_report *r, const struct cat_table *t, const char *partition, const char *fmt, ...)
{
	struct verify_issue *x;
	va_list ap;

	r->issues = xrealloc(r->issues, (r->n_issues + 1) * sizeof(*r->issues));
	x = &r->issues[r->n_issues++];
	str_fmt(x->table, sizeof(x->table), "%s.%s", t->db, t->name);
	str_copy(x->partition, sizeof(x->partition), partition ? partition : "");
	va_start(ap, fmt);
	vsnprintf(x->what, sizeof(x->what), fmt, ap);
	va_end(ap);
}

static void
compare_table(struct verify_report *r, const struct catalog *src, const struct cat_table *st,
	      const struct catalog *tgt, const struct cat_table *tt, int64_t tolerance)
{
	size_t ns, nt;
	const struct cat_part *sp = catalog_parts(src, st, &ns), *tp = catalog_parts(tgt, tt, &nt);
	int64_t sbytes = 0, tbytes = 0;

	for (size_t i = 0; i < ns; i++) {
		const struct cat_part *q = catalog_part(tgt, tt, sp[i].name);

		r->partitions++;
		sbytes += sp[i].bytes > 0 ? sp[i].bytes : 0;
		if (q == NULL) {
			issue(r, st, sp[i].name, "missing on the target");
			continue;
		}
		if (cat_target_version(q) != cat_source_version(&sp[i]))
			issue(r, st, sp[i].name, "version: source %lld, target %lld",
			      (long long)cat_source_version(&sp[i]), (long long)cat_target_version(q));
		if (sp[i].rows >= 0 && q->rows >= 0 && sp[i].rows != q->rows)
			issue(r, st, sp[i].name, "rows: source %lld, target %lld", (long long)sp[i].rows,
			      (long long)q->rows);
	}
	for (size_t i = 0; i < nt; i++) {
		tbytes += tp[i].bytes > 0 ? tp[i].bytes : 0;
		if (catalog_part(src, st, tp[i].name) == NULL)
			issue(r, st, tp[i].name, "only on the target");
	}
	if (sbytes > 0 && llabs(sbytes - tbytes) * 100 > sbytes * tolerance)
		issue(r, st, NULL, "data size: source %lld bytes, target %lld bytes (beyond %lld%%)",
		      (long long)sbytes, (long long)tbytes, (long long)tolerance);
}

struct counter {
	struct sql_pool *pool;
	const struct cat_table **tables;
	int64_t (*rows)[2];
	char (*err)[EV_TEXT_LEN];
};

static void
count_one(void *ctx, size_t i, int worker)
{
	struct counter *c = ctx;
	const struct cat_table *t = c->tables[i];
	char *db = sql_ident(t->db), *name = sql_ident(t->name);
	char *q = xasprintf("SELECT COUNT(*) FROM %s.%s", db, name);

	(void)worker;
	for (int s = 0; s < 2; s++) {
		struct sql_res *r = sql_pool_query(&c->pool[s], q, c->err[i], sizeof(c->err[i]));

		c->rows[i][s] = -1;
		if (r && sql_rows(r) && sql_cell(r, 0, 0))
			parse_i64(sql_cell(r, 0, 0), 0, INT64_MAX, &c->rows[i][s]);
		sql_res_free(r);
	}
	free(q);
	free(db);
	free(name);
}

void
verify_run(struct sql_pool pool[2], const struct catalog *src, const struct catalog *tgt,
	   const struct srm_config *cfg, bool count, struct verify_report *out)
{
	const struct cat_table **both = xcalloc(src->n_tables + 1, sizeof(*both));
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	out->started_ms = wall_ms();
	out->counted = count;
	for (size_t i = 0; i < src->n_tables; i++) {
		const struct cat_table *st = &src->tables[i], *tt;

		if (st->kind != TK_OLAP && st->kind != TK_CLOUD_NATIVE)
			continue;
		out->tables++;
		tt = catalog_table(tgt, st->db, st->name);
		if (tt == NULL) {
			issue(out, st, NULL, "missing on the target");
			continue;
		}
		compare_table(out, src, st, tgt, tt, cfg->verify_size_tolerance_percent);
		both[n++] = st;
	}
	if (count && n > 0) {
		struct counter c = { .pool = pool, .tables = both };

		c.rows = xcalloc(n, sizeof(*c.rows));
		c.err = xcalloc(n, sizeof(*c.err));
		par_for(n, (int)cfg->meta_job_threads, count_one, &c);
		for (size_t i = 0; i < n; i++) {
			if (c.rows[i][0] < 0 || c.rows[i][1] < 0)
				issue(out, both[i], NULL, "COUNT(*) failed: %s", c.err[i]);
			else if (c.rows[i][0] != c.rows[i][1])
				issue(out, both[i], NULL, "COUNT(*): source %lld, target %lld",
				      (long long)c.rows[i][0], (long long)c.rows[i][1]);
		}
		free(c.rows);
		free(c.err);
	}
	free(both);
	out->ended_ms = wall_ms();
}

void
verify_print(const struct verify_report *r, FILE *out)
{
	fprintf(out, "verification: %zu tables, %zu partitions%s\n", r->tables, r->partitions,
		r->counted ? ", exact row counts" : "");
	for (size_t i = 0; i < r->n_issues; i++) {
		const struct verify_issue *x = &r->issues[i];

		fprintf(out, "MISMATCH %s%s%s: %s\n", x->table, x->partition[0] ? " partition " : "",
			x->partition, x->what);
	}
	if (r->n_issues == 0)
		fprintf(out, "every table matches\n");
	else
		fprintf(out, "%zu mismatches%s\n", r->n_issues, r->counted ? "" :
			" (partition row counts come from tablet statistics, which may lag: --count "
			"counts exactly)");
}

static int
write_json(const struct verify_report *r, FILE *out)
{
	fprintf(out, "{\"tables\": %zu, \"partitions\": %zu, \"exact_counts\": %s, \"started_ms\": %lld, "
		"\"ended_ms\": %lld, \"matches\": %s, \"mismatches\": [", r->tables, r->partitions,
		r->counted ? "true" : "false", (long long)r->started_ms, (long long)r->ended_ms,
		r->n_issues ? "false" : "true");
	for (size_t i = 0; i < r->n_issues; i++) {
		fprintf(out, "%s\n  {\"table\": ", i ? "," : "");
		json_quote(out, r->issues[i].table);
		fputs(", \"partition\": ", out);
		json_quote(out, r->issues[i].partition);
		fputs(", \"what\": ", out);
		json_quote(out, r->issues[i].what);
		fputc('}', out);
	}
	fputs("\n]}\n", out);
	return ferror(out) ? -1 : 0;
}

/* Render with @fn into memory, then write atomically. */
static int
write_report(const char *path, const struct verify_report *r, int (*fn)(const struct verify_report *,
	     FILE *), char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (f == NULL || fn(r, f) != 0) {
		str_fmt(err, errlen, "%s: cannot render the report", path);
		if (f)
			fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	rc = state_write_file(path, buf, len, err, errlen);
	free(buf);
	return rc;
}

static int
write_text(const struct verify_report *r, FILE *out)
{
	verify_print(r, out);
	return ferror(out) ? -1 : 0;
}

int
verify_write(struct verify_report *r, const char *log_dir, char *err, size_t errlen)
{
	char stamp[32];
	time_t t = (time_t)(r->ended_ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	str_fmt(r->text_path, sizeof(r->text_path), "%s/verify-%s.txt", log_dir, stamp);
	str_fmt(r->json_path, sizeof(r->json_path), "%s/verify-%s.json", log_dir, stamp);
	if (write_report(r->text_path, r, write_text, err, errlen) != 0 ||
	    write_report(r->json_path, r, write_json, err, errlen) != 0)
		return -1;
	return 0;
}

void
verify_free(struct verify_report *r)
{
	free(r->issues);
	memset(r, 0, sizeof(*r));
}
