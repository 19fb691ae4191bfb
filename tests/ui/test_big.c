/*
 * test_big: the UI with 100 000 tables. Filter keystrokes, sorts and jumps
 * through the Tables pane must not stall: the time between two screen dumps
 * around the keys is bounded (loosely: this runs under sanitizers; make
 * bench has the release figures).
 */
#include "uitest.h"

#include <sys/stat.h>

#define N_TABLES 100000

static void *
load(void *arg)
{
	struct ut *t = arg;
	char name[64];

	ut_engine(t, ENGINE_SYNCING, NULL);
	ut_clusters(t);
	for (uint32_t i = 0; i < N_TABLES; i++) {
		struct event e;

		snprintf(name, sizeof(name), "db%03u.table_%06u%s", i % 97, i, i % 10 ? "" : "_orders");
		e = ut_table_ev(i + 1, name, (enum table_state)(i % 8), 100 + i % 50, 90, i % 3,
				(int64_t)i * 1000, i, NULL);
		while (!ring_push(&t->ev, &e))
			sleep_ms(1);
	}
	return NULL;
}

static int64_t
mtime_us(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (int64_t)st.st_mtim.tv_sec * 1000000 + st.st_mtim.tv_nsec / 1000;
}

static void
test_100k_keys(void **state)
{
	struct ut *t = ut_new(4096);
	char script[4096], before[512], after[512], last[512];
	pthread_t th;
	int64_t keys_us;
	char *screen;

	(void)state;
	ut_path(before, sizeof(before), "big_before");
	ut_path(after, sizeof(after), "big_after");
	ut_path(last, sizeof(last), "big_last");
	snprintf(script, sizeof(script),
		 ":wait-events %d\n2\n:save-display %s\n"
		 "/ o r d e r s <Enter>\n> > o <End> <PgUp> <Home> j\n\\\n< <\n"
		 ":save-display %s\n/ table_099990 <Enter>\n:save-display %s\n",
		 N_TABLES + 3, before, after, last);
	assert_int_equal(pthread_create(&th, NULL, load, t), 0);
	assert_int_equal(ut_run(t, script), 0);
	pthread_join(th, NULL);
	keys_us = mtime_us(after) - mtime_us(before);
	print_message("100000 tables: 17 keys (filter, sorts, jumps) in %.1f ms\n", keys_us / 1000.0);
	assert_true(keys_us < 3000000);
	screen = ut_dump("big_before");
	assert_non_null(strstr(screen, "2 Tables (100000)"));
	free(screen);
	screen = ut_dump("big_after");
	assert_non_null(strstr(screen, "2 Tables (100000)"));
	free(screen);
	/* The filter finds the one table among 100 000. */
	screen = ut_dump("big_last");
	assert_non_null(strstr(screen, "2 Tables (1 of 100000)"));
	assert_non_null(strstr(screen, "db080.table_099990_orders"));
	free(screen);
	ut_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_100k_keys),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
