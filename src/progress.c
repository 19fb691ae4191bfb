/* progress: see progress.h. */
#include "srmigrate/progress.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "srmigrate/log.h"
#include "srmigrate/migration.h"
#include "srmigrate/state.h"
#include "srmigrate/util.h"

void
progress_init(struct progress *p)
{
	memset(p, 0, sizeof(*p));
}

static void
sample(struct progress *p, int64_t now)
{
	size_t last = (p->head + PROGRESS_SAMPLES - 1) % PROGRESS_SAMPLES;

	/* One sample per 10 s is plenty for a 10-minute window. */
	if (p->n_samples > 0 && now - p->samples[last].mono_ms < 10000) {
		p->samples[last].bytes = p->bytes_done;
		return;
	}
	p->samples[p->head].mono_ms = now;
	p->samples[p->head].bytes = p->bytes_done;
	p->head = (p->head + 1) % PROGRESS_SAMPLES;
	if (p->n_samples < PROGRESS_SAMPLES)
		p->n_samples++;
}

void
progress_add(struct progress *p, int64_t bytes, int64_t now_mono)
{
	if (p->n_samples == 0)
		sample(p, now_mono);	/* the start of the window */
	p->bytes_done += bytes > 0 ? bytes : 0;
	sample(p, now_mono);
}

/* Bytes per second over the window, or -1 when there is nothing to measure. */
static double
rate(struct progress *p, int64_t now)
{
	size_t oldest = (p->head + PROGRESS_SAMPLES - p->n_samples) % PROGRESS_SAMPLES;
	int64_t t0, b0;

	if (p->n_samples == 0)
		return -1;
	/* Skip samples older than the window. */
	for (size_t k = 0; k + 1 < p->n_samples; k++) {
		size_t i = (oldest + k) % PROGRESS_SAMPLES;

		if (now - p->samples[i].mono_ms <= PROGRESS_WINDOW_S * 1000LL)
			break;
		oldest = (oldest + 1) % PROGRESS_SAMPLES;
	}
	t0 = p->samples[oldest].mono_ms;
	b0 = p->samples[oldest].bytes;
	if (now - t0 < 5000 || p->bytes_done <= b0)
		return -1;
	return (double)(p->bytes_done - b0) * 1000.0 / (double)(now - t0);
}

void
progress_compute(struct progress *p, struct migration *m, int64_t now_mono, struct ev_progress *o)
{
	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < m->n_jobs; i++) {
		const struct mjob *j = m->jobs[i];

		if (j->cycle != m->cycle)
			continue;
		switch (j->state) {
		case JOB_PENDING: o->job_pending++; break;
		case JOB_SENT: o->sent++; break;
		case JOB_RUNNING: o->running++; break;
		case JOB_FINISHED: o->finished++; break;
		case JOB_FAILED: o->failed++; break;
		case JOB_UNKNOWN: o->unknown++; break;
		}
	}
	for (size_t i = 0; i < m->n_ddls; i++)
		if (m->ddls[i]->cycle == m->cycle && mig_ddl_open(m->ddls[i]))
			o->ddl_pending++;
	o->total = o->ddl_pending + o->job_pending + o->sent + o->running + o->finished + o->failed +
		   o->unknown;
	for (size_t i = 0; i < m->n_tables; i++) {
		const struct mtable *t = m->tables[i];

		if (!t->on_source)
			continue;
		o->tables_total++;
		if (t->state == TABLE_FINISHED)
			o->tables_finished++;
		else if (t->ever_synced)
			o->tables_expired++;
		else
			o->tables_unfinished++;
		if (t->state == TABLE_BLOCKED)
			o->tables_blocked++;
		if (t->state == TABLE_FAILED)
			o->tables_failed++;
		o->bytes_left += t->lag_bytes;
	}
	o->bytes_done = p->bytes_done;
	o->bytes_per_s = rate(p, now_mono);
	o->eta_s = o->bytes_per_s > 0 ? (int64_t)((double)o->bytes_left / o->bytes_per_s) : -1;
	if (o->bytes_left == 0 && o->job_pending + o->sent + o->running + o->ddl_pending == 0)
		o->eta_s = 0;
}

static double
pct(uint32_t part, uint32_t whole)
{
	return whole ? 100.0 * part / whole : 100.0;
}

void
progress_lines(const struct ev_progress *e, char *job, size_t jlen, char *table, size_t tlen)
{
	str_fmt(job, jlen,
		"Sync job progress: %.2f%%, total: %u, ddlPending: %u, jobPending: %u, sent: %u, "
		"running: %u, finished: %u, failed: %u, unknown: %u",
		pct(e->finished, e->total), e->total, e->ddl_pending, e->job_pending, e->sent,
		e->running, e->finished, e->failed, e->unknown);
	str_fmt(table, tlen,
		"Sync table progress, finishedTableRatio: %.2f%%, expiredTableRatio: %.2f%%, "
		"total table: %u, finished table: %u, unfinished table: %u, expired table: %u",
		e->tables_total ? pct(e->tables_finished, e->tables_total) : 0.0,
		e->tables_total ? pct(e->tables_expired, e->tables_total) : 0.0, e->tables_total,
		e->tables_finished, e->tables_unfinished, e->tables_expired);
}

void
progress_report(const struct ev_progress *e)
{
	char job[512], table[512];

	progress_lines(e, job, sizeof(job), table, sizeof(table));
	log_info("%s", job);
	log_info("%s", table);
}

int
progress_write_metrics(const char *path, const struct ev_progress *e, enum engine_state state,
		       const bool connected[2], char *err, size_t errlen)
{
	static const char *const jobs[] = { "pending", "sent", "running", "finished", "failed",
					    "unknown" };
	const uint32_t jv[] = { e->job_pending, e->sent, e->running, e->finished, e->failed,
				e->unknown };
	GString *s = g_string_new(NULL);
	int rc;

	g_string_append(s, "# HELP srmigrate_jobs Replication jobs of the current progress cycle, "
			   "by state.\n# TYPE srmigrate_jobs gauge\n");
	for (size_t i = 0; i < ARRAY_LEN(jobs); i++)
		g_string_append_printf(s, "srmigrate_jobs{state=\"%s\"} %u\n", jobs[i], jv[i]);
	g_string_append_printf(s, "# HELP srmigrate_ddl_pending DDL statements waiting or held.\n"
			       "# TYPE srmigrate_ddl_pending gauge\nsrmigrate_ddl_pending %u\n",
			       e->ddl_pending);
	g_string_append_printf(s, "# HELP srmigrate_tables Selected tables, by state.\n"
			       "# TYPE srmigrate_tables gauge\n"
			       "srmigrate_tables{state=\"finished\"} %u\n"
			       "srmigrate_tables{state=\"unfinished\"} %u\n"
			       "srmigrate_tables{state=\"expired\"} %u\n"
			       "srmigrate_tables{state=\"blocked\"} %u\n"
			       "srmigrate_tables{state=\"failed\"} %u\n",
			       e->tables_finished, e->tables_unfinished, e->tables_expired,
			       e->tables_blocked, e->tables_failed);
	g_string_append_printf(s, "# HELP srmigrate_bytes_lagging Source bytes of partitions the "
			       "target lacks.\n# TYPE srmigrate_bytes_lagging gauge\n"
			       "srmigrate_bytes_lagging %lld\n", (long long)e->bytes_left);
	g_string_append_printf(s, "# HELP srmigrate_replicated_bytes_total Source bytes of finished "
			       "jobs since start.\n# TYPE srmigrate_replicated_bytes_total counter\n"
			       "srmigrate_replicated_bytes_total %lld\n", (long long)e->bytes_done);
	g_string_append_printf(s, "# HELP srmigrate_eta_seconds Estimated seconds to catch up; -1 "
			       "unknown.\n# TYPE srmigrate_eta_seconds gauge\n"
			       "srmigrate_eta_seconds %lld\n", (long long)e->eta_s);
	g_string_append_printf(s, "# HELP srmigrate_meta_passes_total Metadata passes done.\n"
			       "# TYPE srmigrate_meta_passes_total counter\n"
			       "srmigrate_meta_passes_total %u\n", e->passes);
	g_string_append_printf(s, "# HELP srmigrate_cluster_up Whether the cluster answers.\n"
			       "# TYPE srmigrate_cluster_up gauge\n"
			       "srmigrate_cluster_up{side=\"source\"} %d\n"
			       "srmigrate_cluster_up{side=\"target\"} %d\n",
			       connected[0], connected[1]);
	g_string_append(s, "# HELP srmigrate_engine_state The engine's state (1 for the current one).\n"
			   "# TYPE srmigrate_engine_state gauge\n");
	for (int st = ENGINE_CHECKING; st <= ENGINE_DONE; st++)
		g_string_append_printf(s, "srmigrate_engine_state{state=\"%s\"} %d\n",
				       engine_state_name(st), st == (int)state);
	rc = state_write_file(path, s->str, s->len, err, errlen);
	g_string_free(s, TRUE);
	return rc;
}
