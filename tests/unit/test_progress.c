/* progress: the official counters, the report lines, the ETA window, metrics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srmigrate/migration.h"
#include "srmigrate/progress.h"
#include "srmigrate/util.h"

static void
lines_are_the_official_ones(void **state)
{
	struct ev_progress p = {
		.total = 100, .ddl_pending = 0, .job_pending = 5, .sent = 2, .running = 8, .finished = 85,
		.tables_total = 500, .tables_finished = 412, .tables_unfinished = 85, .tables_expired = 3,
	};
	char job[512], table[512];

	(void)state;
	progress_lines(&p, job, sizeof(job), table, sizeof(table));
	assert_string_equal(job, "Sync job progress: 85.00%, total: 100, ddlPending: 0, jobPending: 5, "
				 "sent: 2, running: 8, finished: 85, failed: 0, unknown: 0");
	assert_string_equal(table, "Sync table progress, finishedTableRatio: 82.40%, expiredTableRatio: "
				   "0.60%, total table: 500, finished table: 412, unfinished table: 85, "
				   "expired table: 3");
}

static void
nothing_to_do_is_one_hundred_percent(void **state)
{
	struct ev_progress p = { 0 };
	char job[512], table[512];

	(void)state;
	progress_lines(&p, job, sizeof(job), table, sizeof(table));
	assert_non_null(strstr(job, "Sync job progress: 100.00%, total: 0,"));
	assert_non_null(strstr(table, "finishedTableRatio: 0.00%"));
}

static void
counters_come_from_jobs_ddl_and_tables(void **state)
{
	struct migration m;
	struct progress pr;
	struct ev_progress p;
	struct mtable *a, *b, *c;
	struct mjob *j;

	(void)state;
	mig_init(&m);
	progress_init(&pr);
	a = mig_table(&m, "db", "a", true);
	b = mig_table(&m, "db", "b", true);
	c = mig_table(&m, "db", "c", true);
	a->on_source = b->on_source = c->on_source = true;
	a->state = TABLE_FINISHED;
	a->ever_synced = true;
	b->state = TABLE_SYNCING;
	b->ever_synced = true;	/* expired: had been in sync */
	b->lag_bytes = 300;
	c->state = TABLE_DDL;
	c->lag_bytes = 200;
	mig_job_new(&m, b);
	j = mig_job_new(&m, b);
	mig_job_state(&m, j, JOB_RUNNING);
	j = mig_job_new(&m, b);
	mig_job_state(&m, j, JOB_FINISHED);
	mig_ddl_add(&m, DDL_CREATE_TABLE, c, "db", "c", NULL);
	assert_int_equal(b->jobs_open, 2);
	assert_int_equal(c->ddl_open, 1);

	progress_compute(&pr, &m, now_ms(), &p);
	assert_int_equal(p.job_pending, 1);
	assert_int_equal(p.running, 1);
	assert_int_equal(p.finished, 1);
	assert_int_equal(p.ddl_pending, 1);
	assert_int_equal(p.total, 4);
	assert_int_equal(p.tables_total, 3);
	assert_int_equal(p.tables_finished, 1);
	assert_int_equal(p.tables_expired, 1);
	assert_int_equal(p.tables_unfinished, 1);
	assert_int_equal(p.bytes_left, 500);
	assert_int_equal(p.eta_s, -1);	/* nothing finished in the window: unknown */
	mig_fini(&m);
}

static void
a_new_cycle_starts_after_a_finished_one(void **state)
{
	struct migration m;
	struct progress pr;
	struct ev_progress p;
	struct mtable *t;
	struct mjob *j;

	(void)state;
	mig_init(&m);
	progress_init(&pr);
	t = mig_table(&m, "db", "t", true);
	j = mig_job_new(&m, t);
	mig_job_state(&m, j, JOB_FINISHED);
	progress_compute(&pr, &m, now_ms(), &p);
	assert_int_equal(p.total, 1);
	assert_int_equal(p.finished, 1);
	m.cycle_done = true;	/* the engine marks it so at 100% */
	mig_job_new(&m, t);
	progress_compute(&pr, &m, now_ms(), &p);
	assert_int_equal(p.total, 1);	/* only the new cycle counts */
	assert_int_equal(p.job_pending, 1);
	mig_fini(&m);
}

/* Ended work of past cycles leaves after a while; open work and the current cycle's stay. */
static void
ended_work_of_past_cycles_expires(void **state)
{
	struct migration m;
	struct mtable *t;
	struct mjob *old_done, *old_open, *cur_done;
	struct mddl *old_ddl, *skipped;
	int64_t later = wall_ms() + 1000;
	uint32_t old_done_id, old_ddl_id, *jobs, *ddls;
	size_t n_jobs, n_ddls;

	(void)state;
	mig_init(&m);
	t = mig_table(&m, "db", "t", true);
	old_done = mig_job_new(&m, t);
	mig_job_state(&m, old_done, JOB_FINISHED);
	old_open = mig_job_new(&m, t);
	mig_job_state(&m, old_open, JOB_RUNNING);
	old_ddl = mig_ddl_add(&m, DDL_ADD_PARTITION, t, "db", "t", "p1");
	mig_ddl_state(&m, old_ddl, DDL_DONE);
	skipped = mig_ddl_add(&m, DDL_ADD_PARTITION, t, "db", "t", "p2");
	mig_ddl_state(&m, skipped, DDL_SKIPPED);
	m.cycle++;
	old_open->cycle = m.cycle;	/* carried over, as the engine does */
	cur_done = mig_job_new(&m, t);
	mig_job_state(&m, cur_done, JOB_FINISHED);

	old_done_id = old_done->id;
	old_ddl_id = old_ddl->id;
	/* Not long enough ago: everything stays. */
	mig_jobs_prune(&m, old_done->ended_ms);
	mig_ddl_prune(&m, old_done->ended_ms);
	assert_int_equal(m.n_jobs, 3);
	assert_int_equal(m.n_ddls, 2);

	mig_jobs_prune(&m, later);
	mig_ddl_prune(&m, later);
	assert_int_equal(m.n_jobs, 2);
	assert_ptr_equal(m.jobs[0], old_open);
	assert_ptr_equal(m.jobs[1], cur_done);
	assert_int_equal(m.n_ddls, 1);
	assert_ptr_equal(m.ddls[0], skipped);
	assert_int_equal(t->jobs_open, 1);
	/* What went is handed to the view to forget, once. */
	mig_take_gone(&m, &jobs, &n_jobs, &ddls, &n_ddls);
	assert_int_equal(n_jobs, 1);
	assert_int_equal(jobs[0], old_done_id);
	assert_int_equal(n_ddls, 1);
	assert_int_equal(ddls[0], old_ddl_id);
	free(jobs);
	free(ddls);
	mig_take_gone(&m, &jobs, &n_jobs, &ddls, &n_ddls);
	assert_int_equal(n_jobs + n_ddls, 0);
	/* A table removed takes its jobs and DDL along, and they are forgotten too. */
	mig_table_remove(&m, t);
	mig_take_gone(&m, &jobs, &n_jobs, &ddls, &n_ddls);
	assert_int_equal(n_jobs, 2);
	assert_int_equal(n_ddls, 1);
	free(jobs);
	free(ddls);
	mig_fini(&m);
}

static void
eta_from_the_recent_window(void **state)
{
	struct migration m;
	struct progress pr;
	struct ev_progress p;
	struct mtable *t;
	int64_t t0 = 1000000;

	(void)state;
	mig_init(&m);
	progress_init(&pr);
	t = mig_table(&m, "db", "t", true);
	t->on_source = true;
	t->lag_bytes = 10000;
	progress_add(&pr, 0, t0);
	progress_add(&pr, 5000, t0 + 50000);	/* 5000 bytes in 50 s = 100 B/s */
	progress_compute(&pr, &m, t0 + 50000, &p);
	assert_true(p.bytes_per_s > 99.9 && p.bytes_per_s < 100.1);
	assert_int_equal(p.eta_s, 100);
	/* Ten minutes later with nothing new: the old samples leave the window. */
	progress_compute(&pr, &m, t0 + 50000 + 11 * 60 * 1000, &p);
	assert_int_equal(p.eta_s, -1);
	mig_fini(&m);
}

static void
metrics_file_is_prometheus_text(void **state)
{
	char dir[] = "/tmp/srm-prog-XXXXXX", path[64], err[SRM_ERR_LEN], buf[4096];
	struct ev_progress p = { .running = 3, .finished = 7, .tables_finished = 2, .eta_s = 60 };
	bool up[2] = { true, false };
	FILE *f;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/metrics.prom", dir);
	assert_int_equal(progress_write_metrics(path, &p, ENGINE_SYNCING, up, err, sizeof(err)), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_non_null(strstr(buf, "srmigrate_jobs{state=\"running\"} 3\n"));
	assert_non_null(strstr(buf, "srmigrate_jobs{state=\"finished\"} 7\n"));
	assert_non_null(strstr(buf, "srmigrate_tables{state=\"finished\"} 2\n"));
	assert_non_null(strstr(buf, "srmigrate_eta_seconds 60\n"));
	assert_non_null(strstr(buf, "srmigrate_cluster_up{side=\"target\"} 0\n"));
	assert_non_null(strstr(buf, "srmigrate_engine_state{state=\"SYNCING\"} 1\n"));
	assert_non_null(strstr(buf, "srmigrate_engine_state{state=\"PAUSED\"} 0\n"));
	assert_non_null(strstr(buf, "# TYPE srmigrate_replicated_bytes_total counter\n"));
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines_are_the_official_ones),
		cmocka_unit_test(nothing_to_do_is_one_hundred_percent),
		cmocka_unit_test(counters_come_from_jobs_ddl_and_tables),
		cmocka_unit_test(a_new_cycle_starts_after_a_finished_one),
		cmocka_unit_test(ended_work_of_past_cycles_expires),
		cmocka_unit_test(eta_from_the_recent_window),
		cmocka_unit_test(metrics_file_is_prometheus_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
