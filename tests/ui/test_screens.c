/*
 * test_screens: what the operator sees. Each test builds a model by hand
 * (events into the ring), drives the UI with a script and compares screen
 * dumps with the expected screens in tests/ui/screens/.
 */
#include "uitest.h"

static void
test_checklist_first(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "checklist" };

	(void)state;
	ut_engine(t, ENGINE_CHECKING, NULL);
	ut_clusters(t);
	ut_node(t, 1, SIDE_SOURCE, NODE_FE, "fe-0.source.invalid", "127.0.0.1:19030", 1, -1, NULL);
	ut_node(t, 2, SIDE_SOURCE, NODE_BE, "be-0.source.invalid", "127.0.0.1:19060", 1, 40, NULL);
	ut_node(t, 3, SIDE_TARGET, NODE_FE, "fe-0.target.invalid", "127.0.0.1:29030", 1, -1, NULL);
	ut_node(t, 4, SIDE_TARGET, NODE_CN, "cn-0.target.invalid", "127.0.0.1:29060", -1, 10, NULL);
	ut_check(t, 1, CHECK_PASS, false, false, "fe_login", "Both FEs reachable and logged in",
		 "source 3.3.5, target 3.4.2; SHOW PROC works on both", "");
	ut_check(t, 2, CHECK_PASS, false, false, "path", "Versions and run modes",
		 "shared_nothing -> shared_data, target 3.4.2 >= 3.2.3", "");
	ut_check(t, 3, CHECK_FAIL, true, true, "legacy_compat",
		 "Target legacy compatibility for replication",
		 "enable_legacy_compatibility_for_replication=false",
		 "ADMIN SET FRONTEND CONFIG (\"enable_legacy_compatibility_for_replication\" = "
		 "\"true\"); also add it to fe.conf");
	ut_check(t, 4, CHECK_WARN, false, true, "compaction", "Shared-data target: compaction off",
		 "lake_compaction_max_tasks=-1",
		 "ADMIN SET FRONTEND CONFIG (\"lake_compaction_max_tasks\" = \"0\")");
	ut_check(t, 7, CHECK_SKIP, false, false, "token", "Source token",
		 "not needed for this path", "");
	ut_engine(t, ENGINE_WAITING, NULL);
	/* The selection moves to the blocking item: its finding and fix show below. */
	ut_run_dumps(t, ":wait-events\nj j\n:save-display @0\n", names, 1);
	ut_expect_screen("checklist");
	ut_expect_no_cmd(t);
	ut_free(t);
}

/* Before any check item: what the engine knows (connections, versions, modes). */
static void
test_checklist_known(void **state)
{
	struct ut *t = ut_new(64);
	const char *names[] = { "checklist_known" };

	(void)state;
	ut_engine(t, ENGINE_CHECKING, NULL);
	ut_cluster(t, SIDE_SOURCE, "fe-a:9030", "3.3.5-6d81f75", "shared_nothing", true,
		   UT_NOW - 4000, NULL);
	ut_cluster(t, SIDE_TARGET, "fe-b:9030", "", "", false, 0,
		   "Access denied for user 'migrate'@'127.0.0.17'");
	ut_run_dumps(t, ":wait-events\n:save-display @0\n", names, 1);
	ut_expect_screen("checklist_known");
	ut_free(t);
}

static void
test_wide_grid(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "wide" };

	(void)state;
	ut_env(180, 36);
	ut_scenario(t);
	ut_run_dumps(t, ":wait-events\n:save-display @0\n", names, 1);
	ut_expect_screen("wide");
	ut_expect_no_cmd(t);
	ut_free(t);
}

/* Narrow: one pane under tabs; 1-4 and Tab move the focus. */
static void
test_narrow_tabs(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "narrow_jobs", "narrow_tables", "narrow_ddl", "narrow_nodes" };

	(void)state;
	ut_scenario(t);
	ut_run_dumps(t, ":wait-events\n:save-display @0\n2\n:save-display @1\n<Tab>\n"
		  ":save-display @2\n4\n:save-display @3\n", names, 4);
	for (int i = 0; i < 4; i++)
		ut_expect_screen(names[i]);
	ut_free(t);
}

/* Filter: substring, any case; sort: < > o; the selection stays on its table. */
static void
test_filter_sort(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "filter", "filter_cleared", "sort_rows", "sort_rows_rev" };
	const char *more[] = { "sort_details" };
	char *d;

	(void)state;
	ut_scenario(t);

	ut_run_dumps(t, ":wait-events\n2\n/ SALES <Enter>\n:save-display @0\n\\\n"
		  "j\n:save-display @1\n>>>>\n:save-display @2\no\n:save-display @3\n", names, 4);
	for (int i = 0; i < 4; i++)
		ut_expect_screen(names[i]);
	/* j had selected hr.people: it is still selected after two sorts. */
	ut_scenario(t);
	ut_run_dumps(t, ":wait-events\n2\nj>>>>o\n<Enter>\n:save-display @0\n", more, 1);
	d = ut_dump("sort_details");
	assert_non_null(strstr(d, "Details: table hr.people"));
	free(d);
	ut_free(t);
}

static void
test_details(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "details_table", "details_back", "details_ddl" };

	(void)state;
	ut_scenario(t);
	ut_run_dumps(t, ":wait-events\n2\n<Enter>\n:save-display @0\n<Esc>\n:save-display @1\n"
		  "3\n<Enter>\n:save-display @2\n", names, 3);
	for (int i = 0; i < 3; i++)
		ut_expect_screen(names[i]);
	ut_free(t);
}

static void
test_zoom(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "zoom", "unzoom" };
	char *a, *b;

	(void)state;
	ut_env(180, 36);
	ut_scenario(t);
	ut_run_dumps(t, ":wait-events\n2\nz\n:save-display @0\nz\n:save-display @1\n", names, 2);
	ut_expect_screen("zoom");
	a = ut_dump("unzoom");
	/* Back to the grid: the four titles side by side again. */
	assert_non_null(strstr(a, "1 Jobs (5)"));
	assert_non_null(strstr(a, "4 Nodes (5)"));
	b = strstr(a, "2 Tables (6)");
	assert_non_null(b);
	free(a);
	ut_free(t);
}

static void
push_while_frozen(struct ut *t)
{
	struct event e;

	e = ut_table_ev(11, "sales.orders", TABLE_FINISHED, 120, 120, 0, 0, 1234567, NULL);
	ut_push(t, &e);
	e = ut_table_ev(17, "sales.refunds", TABLE_FAILED, 3, 1, 1, 100, 10, "disk full");
	ut_push(t, &e);
	ut_engine(t, ENGINE_PAUSED, NULL);
}

/* Space freezes the panes (not the migration); the header keeps moving. */
static void
test_freeze(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "freeze_flag", "frozen", "thawed" };
	struct ut_late late;
	char script[2048], p1[512], p2[512];

	(void)state;
	ut_scenario(t);
	ut_late_start(&late, t, names[0], push_while_frozen);
	snprintf(script, sizeof(script),
		 ":wait-events\n2\n<Space>\n:save-display %s\n:wait-events %zu\n"
		 ":save-display %s\n<Space>\n:save-display %s\n", late.flag,
		 ring_count(&t->ev) + 3, ut_path(p1, sizeof(p1), names[1]),
		 ut_path(p2, sizeof(p2), names[2]));
	assert_int_equal(ut_run(t, script), 0);
	ut_late_join(&late);
	ut_expect_screen("frozen");
	ut_expect_screen("thawed");
	ut_free(t);
}

static void
push_orders_failed(struct ut *t)
{
	struct event e = ut_table_ev(11, "sales.orders", TABLE_FAILED, 120, 100, 3, 3LL << 30,
				     1234567, "job 101 aborted by the FE");

	ut_push(t, &e);
}

/* An update that moves the selected row: the selection moves with it. */
static void
test_selection_follows(void **state)
{
	struct ut *t = ut_new(256);
	struct ut_late late;
	char script[2048], p1[512];
	char *d;

	(void)state;
	ut_scenario(t);
	ut_late_start(&late, t, "follow_flag", push_orders_failed);
	/* Tables by state: returns, people, payroll, orders: three j down is orders. */
	snprintf(script, sizeof(script),
		 ":wait-events\n2\njjj\n:save-display %s\n:wait-events %zu\n<Enter>\n"
		 ":save-display %s\n", late.flag, ring_count(&t->ev) + 1,
		 ut_path(p1, sizeof(p1), "follow"));
	assert_int_equal(ut_run(t, script), 0);
	ut_late_join(&late);
	d = ut_dump("follow");
	assert_non_null(strstr(d, "Details: table sales.orders"));
	assert_non_null(strstr(d, "job 101 aborted by the FE"));
	free(d);
	ut_free(t);
}

/* Below 80x24 a note, not a broken picture; back to the panes after a resize. */
static void
test_too_small(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "small", "after_small", "before_small" };
	char *a, *b;

	(void)state;
	ut_scenario(t);
	ut_run_dumps(t, ":wait-events\n:save-display @0\n:resize 60x15\n:save-display @1\nq\n"
		  ":resize 100x30\n:save-display @2\n", (const char *[]){ names[2], names[0],
		  names[1] }, 3);
	ut_expect_screen("small");
	a = ut_dump("before_small");
	b = ut_dump("after_small");
	assert_string_equal(a, b);	/* and q did nothing while it was too small */
	ut_expect_no_cmd(t);
	free(a);
	free(b);
	ut_free(t);
}

/* The colour of the cell where @text starts on the screen line holding @row. */
static char
color_at(const char *screen, const char *colors, const char *row, const char *text)
{
	const char *hit = strstr(screen, row), *line, *at, *cl = colors;
	int y = 0, col = 0;

	assert_non_null(hit);
	line = hit;
	while (line > screen && line[-1] != '\n')
		line--;
	at = strstr(hit, text);
	assert_non_null(at);
	for (const char *c = screen; c < line; c++)
		y += *c == '\n';
	for (int i = 0; i < y; i++)
		cl = strchr(cl, '\n') + 1;
	/* Dumps are UTF-8: count columns, not bytes. */
	for (const char *c = line; c < at; c++)
		col += ((unsigned char)*c & 0xc0) != 0x80;
	return cl[col];
}

/* Colours by meaning: failed red, running cyan, lag yellow, done green. */
static void
test_colors(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "colors_text", "colors_map" };
	char *text, *map;

	(void)state;
	ut_env(180, 36);
	ut_scenario(t);
	/* j: the failed job is no longer under the selection bar. */
	ut_run_dumps(t, ":wait-events\nj\n:save-display @0\n:save-colors @1\n", names, 2);
	text = ut_dump("colors_text");
	map = ut_dump("colors_map");
	assert_int_equal(color_at(text, map, "sales.returns ", "failed"), 'r');
	assert_int_equal(color_at(text, map, "hr.people ", "blocked"), 'r');
	assert_int_equal(color_at(text, map, "web.clicks ", "sent"), 'c');
	assert_int_equal(color_at(text, map, "hr.payroll ", "expired"), 'y');
	assert_int_equal(color_at(text, map, "sales.customers ", "finished"), 'g');
	assert_int_equal(color_at(text, map, "SYNCING", "SYNCING"), 'G');
	free(text);
	free(map);
	ut_free(t);
}

/* The colour dump holds no colour: only plain, bold, reverse and underline cells. */
static void
assert_no_color(const char *map)
{
	for (const char *c = map; *c; c++)
		if (*c != '.' && *c != '*' && *c != '#' && *c != '_' && *c != '\n')
			fail_msg("colour '%c' in the monochrome theme", *c);
}

/* NO_COLOR, or a terminal without colours: meaning stays in words and bold. */
static void
test_monochrome(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "mono_text", "mono_map" };
	char *text, *map;

	(void)state;
	ut_env(180, 36);
	setenv("NO_COLOR", "1", 1);
	ut_scenario(t);
	ut_run_dumps(t, ":wait-events\nj\n:save-display @0\n:save-colors @1\n", names, 2);
	unsetenv("NO_COLOR");
	text = ut_dump("mono_text");
	map = ut_dump("mono_map");
	assert_no_color(map);
	assert_int_equal(color_at(text, map, "sales.returns ", "failed"), '*');
	assert_int_equal(color_at(text, map, "web.clicks ", "sent"), '.');
	assert_int_equal(color_at(text, map, "SYNCING", "SYNCING"), '#');
	free(text);
	free(map);
	/* NO_COLOR set but empty does not count (no-color.org). */
	setenv("NO_COLOR", "", 1);
	ut_scenario(t);
	ut_run_dumps(t, ":wait-events\nj\n:save-display @0\n:save-colors @1\n", names, 2);
	unsetenv("NO_COLOR");
	text = ut_dump("mono_text");
	map = ut_dump("mono_map");
	assert_int_equal(color_at(text, map, "sales.returns ", "failed"), 'r');
	free(text);
	free(map);
	/* A terminal that has no colours. */
	setenv("TERM", "xterm-mono", 1);
	ut_scenario(t);
	ut_run_dumps(t, ":wait-events\nj\n:save-display @0\n:save-colors @1\n", names, 2);
	text = ut_dump("mono_text");
	map = ut_dump("mono_map");
	assert_no_color(map);
	assert_int_equal(color_at(text, map, "sales.returns ", "failed"), '*');
	free(text);
	free(map);
	ut_free(t);
}

/* Names in wide characters keep the columns in place. */
static void
test_wide_chars(void **state)
{
	struct ut *t = ut_new(64);
	const char *names[] = { "wide_chars" };

	(void)state;
	ut_engine(t, ENGINE_SYNCING, NULL);
	ut_clusters(t);
	ut_table(t, 1, "\xe9\x94\x80\xe5\x94\xae.\xe8\xae\xa2\xe5\x8d\x95", TABLE_SYNCING, 9, 8,
		 1, 2048, 10, NULL);
	ut_table(t, 2, "caf\xc3\xa9.cr\xc3\xa8me_br\xc3\xbbl\xc3\xa9\x65_with_a_long_name_indeed",
		 TABLE_FAILED, 9, 8, 1, 2048, 10, "line one\nline two\ttab");
	ut_run_dumps(t, ":wait-events\n2\n:save-display @0\n", names, 1);
	ut_expect_screen("wide_chars");
	ut_free(t);
}

static void
test_cutover_screen(void **state)
{
	struct ut *t = ut_new(64);
	const char *names[] = { "cutover_none", "cutover_step2" };

	(void)state;
	ut_scenario(t);
	ut_run_dumps(t, ":wait-events\nc\n:save-display @0\n", names, 1);
	ut_expect_screen("cutover_none");
	ut_scenario(t);
	ut_cutover(t, CUT_CATCH_UP, false, "2 tables are behind: sales.orders, hr.payroll",
		   "Step 1: the source versions have not moved for 3 minutes.");
	ut_run_dumps(t, ":wait-events\nc\n:save-display @0\n", names + 1, 1);
	ut_expect_screen("cutover_step2");
	ut_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checklist_first),
		cmocka_unit_test(test_checklist_known),
		cmocka_unit_test(test_wide_grid),
		cmocka_unit_test(test_narrow_tabs),
		cmocka_unit_test(test_filter_sort),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_zoom),
		cmocka_unit_test(test_freeze),
		cmocka_unit_test(test_selection_follows),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_colors),
		cmocka_unit_test(test_monochrome),
		cmocka_unit_test(test_wide_chars),
		cmocka_unit_test(test_cutover_screen),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
