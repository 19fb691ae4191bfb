/*
 * test_loop: the UI loop consuming while a producer thread floods the event
 * ring, as the engine does, and a second thread plays the engine's command
 * side. Run under ThreadSanitizer too (tests/tsan.list): the only shared
 * state is the two rings.
 */
#include "uitest.h"

#define ROUNDS 20000

struct flood {
	struct ut *t;
	size_t pushed;
};

static void
push_wait(struct ut *t, const struct event *e)
{
	while (!ring_push(&t->ev, e))
		sleep_ms(1);
}

/* Tables, jobs, logs and progress, over and over; the last of each is known. */
static void *
flood_main(void *arg)
{
	struct flood *f = arg;
	struct event e;
	char name[64];

	for (uint32_t i = 0; i < ROUNDS; i++) {
		snprintf(name, sizeof(name), "db.t%04u", i % 500);
		e = ut_table_ev(i % 500, name, (enum table_state)(i % 8), i, i / 2, 1, i, i, NULL);
		push_wait(f->t, &e);
		memset(&e, 0, sizeof(e));
		e.type = EV_JOB;
		e.u.job.id = i % 300;
		e.u.job.state = (enum job_state)(i % 6);
		snprintf(e.u.job.table, sizeof(e.u.job.table), "db.t%04u", i % 300);
		push_wait(f->t, &e);
		memset(&e, 0, sizeof(e));
		e.type = EV_LOG;
		e.u.log.time_ms = UT_NOW;
		snprintf(e.u.log.text, sizeof(e.u.log.text), "line %u", i);
		push_wait(f->t, &e);
		memset(&e, 0, sizeof(e));
		e.type = EV_PROGRESS;
		e.u.progress.total = ROUNDS;
		e.u.progress.finished = i + 1;
		e.u.progress.eta_s = -1;
		e.u.progress.bytes_per_s = -1;
		push_wait(f->t, &e);
		f->pushed += 4;
	}
	return NULL;
}

static void
test_flood_then_quit(void **state)
{
	struct ut *t = ut_new(1024);
	struct flood f = { .t = t };
	struct ut_fake fake;
	pthread_t th;
	char script[1024], p[512];
	char *d;

	(void)state;
	/* Past the checklist before the first key; the flood comes after. */
	ut_engine(t, ENGINE_SYNCING, NULL);
	f.pushed = 1;
	assert_int_equal(pthread_create(&th, NULL, flood_main, &f), 0);
	ut_fake_start(&fake, t, 0);
	/* Keys while the flood runs: focus, filter, sort, freeze and thaw, details. */
	snprintf(script, sizeof(script),
		 "2 / t 0 4 <Enter> > o <Space> <Space> <Enter> <Esc> z z\n"
		 ":wait-events %d\n<C-l>\n:save-display %s\nq y\n:sleep 20000\n",
		 1 + ROUNDS * 4, ut_path(p, sizeof(p), "flood"));
	assert_int_equal(ut_run(t, script), 0);
	pthread_join(th, NULL);
	ut_fake_join(&fake);
	assert_int_equal(f.pushed, 1 + ROUNDS * 4);
	d = ut_dump("flood");
	/* Every event arrived: the last progress and the last log line are shown. */
	assert_non_null(strstr(d, "100.0%"));
	assert_non_null(strstr(d, "line 19999"));
	assert_non_null(strstr(d, "2 Tables (100 of 500)"));
	free(d);
	assert_int_equal(fake.nseen, 1);
	assert_int_equal(fake.seen[0].type, CMD_STOP);
	ut_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flood_then_quit),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
