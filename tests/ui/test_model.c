/*
 * test_model: the UI's model on its own. Apply replaces, forget removes, the
 * view's incremental upkeep gives exactly what a full sort and filter give,
 * ties come out the same way every time, freezing defers, and 100 000 rows
 * sort and filter fast.
 */
#include "uitest.h"

#include "../../ui/tui.h"

static struct event
table(uint32_t id, const char *name, enum table_state st, const char *reason)
{
	return ut_table_ev(id, name, st, 10, 9, 1, 100, 1000, reason);
}

static void
apply(struct model *m, struct event e)
{
	assert_true(model_apply(m, &e));
}

static const struct m_table *
vis(struct model *m, uint32_t i)
{
	return coll_vis(&m->c[MK_TABLES], i);
}

static void
sort_tables(struct model *m, int col, bool rev)
{
	coll_set_sort(&m->c[MK_TABLES], pane_tables_ops.cmp, col, 0, rev);
}

/* Columns of pane_tables: 0 table, 1 state, 5 rows. */
enum { COL_NAME = 0, COL_STATE = 1, COL_ROWS = 5 };

static void
test_apply_replaces(void **state)
{
	struct model m;
	const struct m_table *t;

	(void)state;
	model_init(&m);
	apply(&m, table(7, "a.b", TABLE_SYNCING, NULL));
	apply(&m, table(7, "a.renamed", TABLE_FAILED, "tablet lost"));
	assert_int_equal(m.c[MK_TABLES].n_live, 1);
	t = coll_get(&m.c[MK_TABLES], 7);
	assert_non_null(t);
	assert_string_equal(t->name, "a.renamed");
	assert_string_equal(t->reason, "tablet lost");
	assert_int_equal(t->state, TABLE_FAILED);
	/* An empty text replaces a full one. */
	apply(&m, table(7, "a.renamed", TABLE_FINISHED, NULL));
	assert_string_equal(((const struct m_table *)coll_get(&m.c[MK_TABLES], 7))->reason, "");
	assert_int_equal(m.applied, 3);
	model_fini(&m);
}

static void
test_forget(void **state)
{
	struct model m;
	struct event f = { .type = EV_FORGET };

	(void)state;
	model_init(&m);
	for (uint32_t i = 1; i <= 5; i++)
		apply(&m, table(i, i % 2 ? "odd" : "even", TABLE_SYNCING, NULL));
	f.u.forget.kind = FORGET_TABLE;
	f.u.forget.id = 2;
	apply(&m, f);
	f.u.forget.id = 99;	/* unknown: nothing happens */
	apply(&m, f);
	assert_int_equal(m.c[MK_TABLES].n_live, 4);
	assert_null(coll_get(&m.c[MK_TABLES], 2));
	/* The freed slot is reused; the others keep their rows. */
	apply(&m, table(6, "six", TABLE_SYNCING, NULL));
	assert_int_equal(m.c[MK_TABLES].used, 5);
	assert_string_equal(((const struct m_table *)coll_get(&m.c[MK_TABLES], 6))->name, "six");
	assert_string_equal(((const struct m_table *)coll_get(&m.c[MK_TABLES], 5))->name, "odd");
	sort_tables(&m, COL_NAME, false);
	coll_refresh(&m.c[MK_TABLES]);
	assert_int_equal(m.c[MK_TABLES].n_vis, 5);
	for (uint32_t i = 0; i < 5; i++)
		assert_int_not_equal(vis(&m, i)->id, 2);
	model_fini(&m);
}

/* Equal keys: the tie column (name), then the id; reverse turns only the key. */
static void
test_sort_ties(void **state)
{
	struct model m;
	static const uint32_t want_asc[] = { 3, 1, 4, 2, 5 };
	static const uint32_t want_rev[] = { 2, 5, 3, 1, 4 };

	(void)state;
	model_init(&m);
	apply(&m, table(1, "b", TABLE_FAILED, NULL));
	apply(&m, table(2, "a", TABLE_FINISHED, NULL));
	apply(&m, table(3, "a", TABLE_FAILED, NULL));
	apply(&m, table(4, "b", TABLE_FAILED, NULL));
	apply(&m, table(5, "b", TABLE_FINISHED, NULL));
	sort_tables(&m, COL_STATE, false);
	coll_refresh(&m.c[MK_TABLES]);
	for (int i = 0; i < 5; i++)
		assert_int_equal(vis(&m, (uint32_t)i)->id, want_asc[i]);
	sort_tables(&m, COL_STATE, true);
	coll_refresh(&m.c[MK_TABLES]);
	for (int i = 0; i < 5; i++)
		assert_int_equal(vis(&m, (uint32_t)i)->id, want_rev[i]);
	model_fini(&m);
}

static int
brute_cmp(const void *a, const void *b, void *arg)
{
	const struct coll *c = arg;
	const struct m_table *x = *(const struct m_table *const *)a;
	const struct m_table *y = *(const struct m_table *const *)b;
	int r = pane_tables_ops.cmp(x, y, c->sort_col);

	if (c->reverse)
		r = -r;
	if (r == 0)
		r = pane_tables_ops.cmp(x, y, c->tie_col);
	return r ? r : (x->id > y->id) - (x->id < y->id);
}

/* What the view must hold, computed the slow, obvious way. */
static void
check_against_brute_force(struct coll *c)
{
	const struct m_table **all = calloc(c->used + 1, sizeof(*all));
	uint32_t n = 0;

	for (uint32_t s = 0; s < c->used; s++) {
		const struct m_table *t = coll_slot(c, s);

		if (t && (!c->needle[0] || pane_tables_ops.match(t, c->needle)))
			all[n++] = t;
	}
	qsort_r(all, n, sizeof(*all), brute_cmp, c);
	coll_refresh(c);
	assert_int_equal(c->n_vis, n);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(((const struct m_table *)coll_vis(c, i))->id, all[i]->id);
	free(all);
}

/* Random updates, forgets, sorts and filters: incremental upkeep == from scratch. */
static void
test_incremental_matches_full(void **state)
{
	static const char *const names[] = { "sales.orders", "hr.people", "web.clicks", "Ord", "x" };
	struct model m;
	unsigned seed = 12345;

	(void)state;
	model_init(&m);
	sort_tables(&m, COL_STATE, false);
	for (int round = 0; round < 300; round++) {
		int ops = 1 + rand_r(&seed) % (round % 10 == 0 ? 400 : 8);

		for (int k = 0; k < ops; k++) {
			uint32_t id = (uint32_t)(rand_r(&seed) % 500);

			if (rand_r(&seed) % 5 == 0) {
				struct event f = { .type = EV_FORGET };

				f.u.forget.kind = FORGET_TABLE;
				f.u.forget.id = id;
				model_apply(&m, &f);
			} else {
				struct event e = table(id, names[rand_r(&seed) % 5],
						       (enum table_state)(rand_r(&seed) % 8),
						       rand_r(&seed) % 3 ? NULL : "ORDER lost");

				e.u.table.src_rows = rand_r(&seed) % 50;
				apply(&m, e);
			}
		}
		if (round % 37 == 0)
			sort_tables(&m, rand_r(&seed) % 2 ? COL_ROWS : COL_STATE, rand_r(&seed) % 2);
		if (round % 53 == 0)
			coll_set_filter(&m.c[MK_TABLES], pane_tables_ops.match,
					rand_r(&seed) % 2 ? "ord" : "");
		check_against_brute_force(&m.c[MK_TABLES]);
	}
	model_fini(&m);
}

static void
test_filter(void **state)
{
	struct model m;
	struct coll *c;

	(void)state;
	model_init(&m);
	c = &m.c[MK_TABLES];
	apply(&m, table(1, "sales.Orders", TABLE_SYNCING, NULL));
	apply(&m, table(2, "hr.people", TABLE_BLOCKED, "ORDER of columns differs"));
	apply(&m, table(3, "web.clicks", TABLE_FAILED, NULL));
	sort_tables(&m, COL_NAME, false);
	coll_set_filter(c, pane_tables_ops.match, "oRdEr");
	coll_refresh(c);
	assert_int_equal(c->n_vis, 2);	/* a name and a reason, any case */
	assert_int_equal(vis(&m, 0)->id, 2);
	assert_int_equal(vis(&m, 1)->id, 1);
	coll_set_filter(c, pane_tables_ops.match, "failed");	/* the state's name */
	coll_refresh(c);
	assert_int_equal(c->n_vis, 1);
	assert_int_equal(vis(&m, 0)->id, 3);
	/* A row that stops matching leaves the view at the next refresh. */
	apply(&m, table(3, "web.clicks", TABLE_FINISHED, NULL));
	coll_refresh(c);
	assert_int_equal(c->n_vis, 0);
	coll_set_filter(c, pane_tables_ops.match, "");
	coll_refresh(c);
	assert_int_equal(c->n_vis, 3);
	assert_true(str_icontains("abcDEF", "cde"));
	assert_false(str_icontains("abc", "abcd"));
	assert_true(str_icontains("aab", "ab"));
	assert_false(str_icontains("", "a"));
	model_fini(&m);
}

/* Frozen: object events wait, latest per object, and everything else applies. */
static void
test_freeze_defers(void **state)
{
	struct model m;
	struct event f = { .type = EV_FORGET }, eng = { .type = EV_ENGINE };

	(void)state;
	model_init(&m);
	apply(&m, table(1, "one", TABLE_SYNCING, NULL));
	apply(&m, table(2, "two", TABLE_SYNCING, NULL));
	model_freeze(&m, true);
	apply(&m, table(1, "one", TABLE_FAILED, "first"));
	apply(&m, table(1, "one", TABLE_FAILED, "second"));
	f.u.forget.kind = FORGET_TABLE;
	f.u.forget.id = 2;
	apply(&m, f);
	apply(&m, table(3, "three", TABLE_SYNCING, NULL));
	eng.u.engine.state = ENGINE_PAUSED;
	apply(&m, eng);
	assert_int_equal(m.engine.state, ENGINE_PAUSED);
	assert_int_equal(model_deferred(&m), 3);
	assert_int_equal(m.c[MK_TABLES].n_live, 2);
	assert_int_equal(((const struct m_table *)coll_get(&m.c[MK_TABLES], 1))->state, TABLE_SYNCING);
	model_freeze(&m, false);
	assert_int_equal(model_deferred(&m), 0);
	assert_int_equal(m.c[MK_TABLES].n_live, 2);
	assert_null(coll_get(&m.c[MK_TABLES], 2));
	assert_string_equal(((const struct m_table *)coll_get(&m.c[MK_TABLES], 1))->reason, "second");
	assert_non_null(coll_get(&m.c[MK_TABLES], 3));
	assert_int_equal(m.applied, 7);	/* each event counted once, when it came */
	model_fini(&m);
}

static void
test_checks_and_held(void **state)
{
	struct model m;
	struct event c = { .type = EV_CHECK }, f = { .type = EV_FORGET }, d = { .type = EV_DDL };

	(void)state;
	model_init(&m);
	for (uint32_t i = 1; i <= 3; i++) {
		c.u.check.index = i;
		apply(&m, c);
	}
	f.u.forget.kind = FORGET_ALL_CHECKS;
	apply(&m, f);
	assert_int_equal(m.c[MK_CHECKS].n_live, 0);
	c.u.check.index = 9;
	apply(&m, c);
	assert_int_equal(m.c[MK_CHECKS].n_live, 1);
	/* The count of held DDL follows replace and forget. */
	d.u.ddl.id = 5;
	d.u.ddl.state = DDL_HELD;
	apply(&m, d);
	apply(&m, d);
	assert_int_equal(m.ddl_held, 1);
	d.u.ddl.id = 6;
	apply(&m, d);
	assert_int_equal(m.ddl_held, 2);
	d.u.ddl.state = DDL_DONE;
	apply(&m, d);
	assert_int_equal(m.ddl_held, 1);
	f.u.forget.kind = FORGET_DDL;
	f.u.forget.id = 5;
	apply(&m, f);
	assert_int_equal(m.ddl_held, 0);
	model_fini(&m);
}

static double
ms_since(int64_t t0_us)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3 - (double)t0_us) / 1000.0;
}

static int64_t
us_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * 100 000 tables: the first sort, a filter keystroke, a new sort column and
 * a burst of 1 000 updates. The bounds are loose (this runs under
 * sanitizers); an algorithm that is not O(n log n) blows them by far. The
 * figures of a release build come from make bench.
 */
static void
test_100k_rows(void **state)
{
	struct model m;
	struct coll *c;
	char name[64];
	int64_t t0;
	double sort_ms, filter_ms, resort_ms, burst_ms;

	(void)state;
	model_init(&m);
	c = &m.c[MK_TABLES];
	for (uint32_t i = 0; i < 100000; i++) {
		snprintf(name, sizeof(name), "db%03u.table_%06u%s", i % 97, i, i % 10 ? "" : "_orders");
		apply(&m, table(i + 1, name, (enum table_state)(i % 8), NULL));
	}
	sort_tables(&m, COL_STATE, false);
	t0 = us_now();
	coll_refresh(c);
	sort_ms = ms_since(t0);
	coll_set_filter(c, pane_tables_ops.match, "orders");
	t0 = us_now();
	coll_refresh(c);
	filter_ms = ms_since(t0);
	assert_int_equal(c->n_vis, 10000);
	sort_tables(&m, COL_NAME, true);
	t0 = us_now();
	coll_refresh(c);
	resort_ms = ms_since(t0);
	for (uint32_t i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "db%03u.table_%06u_orders", i % 97, i * 97);
		apply(&m, table(i * 97 + 1, name, TABLE_FAILED, "burst"));
	}
	t0 = us_now();
	coll_refresh(c);
	burst_ms = ms_since(t0);
	check_against_brute_force(c);
	print_message("100000 rows: sort %.1f ms, filter %.1f ms, new sort %.1f ms, "
		      "1000 updates %.1f ms\n", sort_ms, filter_ms, resort_ms, burst_ms);
	assert_true(sort_ms < 2000);
	assert_true(filter_ms < 1000);
	assert_true(resort_ms < 2000);
	assert_true(burst_ms < 500);
	model_fini(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_replaces),
		cmocka_unit_test(test_forget),
		cmocka_unit_test(test_sort_ties),
		cmocka_unit_test(test_incremental_matches_full),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_freeze_defers),
		cmocka_unit_test(test_checks_and_held),
		cmocka_unit_test(test_100k_rows),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
