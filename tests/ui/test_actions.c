/*
 * test_actions: what the keys send to the engine. Every writing action asks
 * first (default no), is refused read-only, and sends exactly the command
 * the engine expects; q and a stop signal wait for the engine's EV_QUIT.
 */
#include "uitest.h"

static void
checks(struct ut *t, bool blocking)
{
	ut_engine(t, ENGINE_CHECKING, NULL);
	ut_clusters(t);
	ut_check(t, 1, CHECK_PASS, false, false, "fe_login", "Both FEs reachable and logged in",
		 "SHOW PROC works on both", "");
	ut_check(t, 3, blocking ? CHECK_FAIL : CHECK_PASS, blocking, blocking, "legacy_compat",
		 "Target legacy compatibility for replication",
		 blocking ? "enable_legacy_compatibility_for_replication=false" : "true",
		 "ADMIN SET FRONTEND CONFIG (\"enable_legacy_compatibility_for_replication\" = \"true\")");
	ut_check(t, 4, CHECK_WARN, false, true, "compaction", "Shared-data target: compaction off",
		 "lake_compaction_max_tasks=-1",
		 "ADMIN SET FRONTEND CONFIG (\"lake_compaction_max_tasks\" = \"0\")");
}

/* Enter on the checklist continues once the engine waits and nothing blocks. */
static void
test_continue(void **state)
{
	struct ut *t = ut_new(64);

	(void)state;
	checks(t, false);
	/* Still checking: Enter says so and sends nothing. */
	assert_int_equal(ut_run(t, ":wait-events\n<Enter>\n"), 0);
	ut_expect_no_cmd(t);
	checks(t, false);
	ut_engine(t, ENGINE_WAITING, NULL);
	assert_int_equal(ut_run(t, ":wait-events\n<Enter>\n"), 0);
	ut_expect_cmd(t, CMD_CONTINUE, 0, NULL);
	ut_expect_no_cmd(t);
	ut_free(t);
}

/* A blocking FAIL: Enter refuses; ! asks, naming the risk; only y sends CMD_FORCE. */
static void
test_blocking_needs_override(void **state)
{
	struct ut *t = ut_new(64);
	const char *names[] = { "blocked_enter", "override" };
	char *a, *b;

	(void)state;
	checks(t, true);
	ut_engine(t, ENGINE_WAITING, NULL);
	ut_run_dumps(t, ":wait-events\n<Enter>\n:save-display @0\n!\n:save-display @1\nn\n",
		     names, 2);
	ut_expect_no_cmd(t);
	a = ut_dump("blocked_enter");
	assert_non_null(strstr(a, "cannot start: 1 check blocks"));
	b = ut_dump("override");
	assert_non_null(strstr(b, "Override the checklist"));
	assert_non_null(strstr(b, "Target legacy compatibility for replication:"));
	assert_non_null(strstr(b, "enable_legacy_compatibility_for_replication=false"));
	assert_non_null(strstr(b, "damage the target"));
	free(a);
	free(b);
	checks(t, true);
	ut_engine(t, ENGINE_WAITING, NULL);
	assert_int_equal(ut_run(t, ":wait-events\n! y\n"), 0);
	ut_expect_cmd(t, CMD_FORCE, 0, NULL);
	ut_expect_no_cmd(t);
	ut_free(t);
}

/* f on a fixable item shows the statement and sends its key; R re-runs the checks. */
static void
test_fix_and_recheck(void **state)
{
	struct ut *t = ut_new(64);
	const char *names[] = { "fix" };
	char *d;

	(void)state;
	checks(t, true);
	ut_engine(t, ENGINE_WAITING, NULL);
	/* f on item 1 (a PASS): nothing; j to item 3, f, the dialog, y. */
	ut_run_dumps(t, ":wait-events\nf\nj f\n:save-display @0\ny\nR\n<F5>\n", names, 1);
	d = ut_dump("fix");
	assert_non_null(strstr(d, "Fix 'Target legacy compatibility for replication'?"));
	assert_non_null(strstr(d, "srmigrate runs:"));
	assert_non_null(strstr(d, "ADMIN SET FRONTEND CONFIG (\"enable_legacy_compatibility_for_replication\""));
	free(d);
	ut_expect_cmd(t, CMD_FIX_CHECK, 0, "legacy_compat");
	ut_expect_cmd(t, CMD_RECHECK, 0, NULL);
	ut_expect_cmd(t, CMD_RECHECK, 0, NULL);
	ut_expect_no_cmd(t);
	ut_free(t);
}

static void
push_paused(struct ut *t)
{
	ut_engine(t, ENGINE_PAUSED, NULL);
}

/* P asks; Enter alone keeps No; y pauses; the header says PAUSED once the engine does. */
static void
test_pause_resume(void **state)
{
	struct ut *t = ut_new(256);
	struct ut_late late;
	char script[4096], p1[512], p2[512], p3[512];
	char *a, *b, *c;

	(void)state;
	ut_scenario(t);
	ut_late_start(&late, t, "pause_flag", push_paused);
	snprintf(script, sizeof(script),
		 ":wait-events\nP\n:save-display %s\n<Enter>\nP y\n:save-display %s\n"
		 ":wait-events %zu\n:save-display %s\nP y\n:save-display %s\n",
		 ut_path(p1, sizeof(p1), "pause_ask"), late.flag, ring_count(&t->ev) + 1,
		 ut_path(p2, sizeof(p2), "paused"), ut_path(p3, sizeof(p3), "resume_sent"));
	assert_int_equal(ut_run(t, script), 0);
	ut_late_join(&late);
	ut_expect_cmd(t, CMD_PAUSE, 0, NULL);
	ut_expect_cmd(t, CMD_RESUME, 0, NULL);
	ut_expect_no_cmd(t);
	a = ut_dump("pause_ask");
	assert_non_null(strstr(a, "Pause the migration?"));
	assert_non_null(strstr(a, "[ Yes ]"));
	b = ut_dump("paused");
	assert_non_null(strstr(b, " PAUSED\n"));
	assert_null(strstr(b, "SYNCING"));
	assert_non_null(strstr(b, "PResume"));
	c = ut_dump("resume_sent");
	/* The engine has not said so: the header still says PAUSED. */
	assert_non_null(strstr(c, " PAUSED\n"));
	free(a);
	free(b);
	free(c);
	ut_free(t);
}

/* The dialog starts on No: Right moves to Yes, Enter then sends. */
static void
test_dialog_default_no(void **state)
{
	struct ut *t = ut_new(256);

	(void)state;
	ut_scenario(t);
	assert_int_equal(ut_run(t, ":wait-events\nP <Enter> P <Esc> P n P q\n"), 0);
	ut_expect_no_cmd(t);
	ut_scenario(t);
	assert_int_equal(ut_run(t, ":wait-events\nP <Right> <Enter>\n"), 0);
	ut_expect_cmd(t, CMD_PAUSE, 0, NULL);
	ut_free(t);
}

/* r on a failed job or table retries its table, on a blocked table checks it again;
 * not on a running one. */
static void
test_retry(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "retry_ask", "retry_blocked" };
	char *d;

	(void)state;
	ut_scenario(t);
	/* Jobs by state: the failed job 102 first, then the running 101. */
	ut_run_dumps(t, ":wait-events\nr\n:save-display @0\ny\nj r\n2 r y\nj r\n:save-display @1\ny\n"
		     "j r\n", names, 2);
	d = ut_dump("retry_ask");
	assert_non_null(strstr(d, "Retry sales.returns now?"));
	assert_non_null(strstr(d, "Backend 10003 not reachable"));
	free(d);
	d = ut_dump("retry_blocked");
	assert_non_null(strstr(d, "Check hr.people again now?"));
	assert_non_null(strstr(d, "ddl_job_allow_drop_target_only=false"));
	free(d);
	/* Jobs r y, then Tables: failed sales.returns, blocked hr.people; expired hr.payroll: no. */
	ut_expect_cmd(t, CMD_RETRY_TABLE, 13, "sales.returns");
	ut_expect_cmd(t, CMD_RETRY_TABLE, 13, "sales.returns");
	ut_expect_cmd(t, CMD_RETRY_TABLE, 14, "hr.people");
	ut_expect_no_cmd(t);
	ut_free(t);
}

/* R asks before retrying all; with nothing failed it says so. */
static void
test_retry_all(void **state)
{
	struct ut *t = ut_new(256);

	(void)state;
	ut_scenario(t);
	assert_int_equal(ut_run(t, ":wait-events\nR y\n"), 0);
	ut_expect_no_cmd(t);
	ut_scenario(t);
	ut_progress(t, 100, 5, 2, 8, 84, 1, 720);
	assert_int_equal(ut_run(t, ":wait-events\nR n R y\n"), 0);
	ut_expect_cmd(t, CMD_RETRY_ALL, 0, NULL);
	ut_expect_no_cmd(t);
	ut_free(t);
}

/* a and x on a held drop: the question names the object and that it drops data. */
static void
test_approve_skip(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "approve_ask", "skip_ask" };
	char *a, *b;

	(void)state;
	ut_scenario(t);
	/* DDL by state: the held drop 202 first; j then a on the failed 204: refused. */
	ut_run_dumps(t, ":wait-events\n3\na\n:save-display @0\ny\nx\n:save-display @1\ny\n"
		     "a n\nj a x\n", names, 2);
	a = ut_dump("approve_ask");
	assert_non_null(strstr(a, "DROP TABLE `hr`.`people` FORCE"));
	assert_non_null(strstr(a, "DROPS DATA of hr.people"));
	b = ut_dump("skip_ask");
	assert_non_null(strstr(b, "Skip this DDL for good?"));
	assert_non_null(strstr(b, "hr.people stays as it is"));
	free(a);
	free(b);
	ut_expect_cmd(t, CMD_APPROVE_DDL, 202, NULL);
	ut_expect_cmd(t, CMD_SKIP_DDL, 202, NULL);
	ut_expect_no_cmd(t);
	ut_free(t);
}

/* --readonly: every writing key says why it does nothing; looking still works. */
static void
test_readonly(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "ro_pause", "ro_details", "ro_force" };
	char *a, *b, *c;

	(void)state;
	t->opts.readonly = true;
	ut_scenario(t);
	ut_run_dumps(t, ":wait-events\nP\n:save-display @0\nr R 3 a x\n2 <Enter>\n"
		     ":save-display @1\n<Esc> c c <Enter> A\n", names, 2);
	ut_expect_no_cmd(t);
	a = ut_dump("ro_pause");
	assert_non_null(strstr(a, "read-only: pause is disabled"));
	assert_non_null(strstr(a, "READ-ONLY"));
	/* The bar offers no writing key. */
	assert_null(strstr(a, "PPause"));
	b = ut_dump("ro_details");
	assert_non_null(strstr(b, "Details: table sales.returns"));
	free(a);
	free(b);
	checks(t, true);
	ut_engine(t, ENGINE_WAITING, NULL);
	ut_run_dumps(t, ":wait-events\n! j f\n:save-display @2\n", names, 3);
	ut_expect_no_cmd(t);
	c = ut_dump("ro_force");
	assert_non_null(strstr(c, "read-only: fix is disabled"));
	free(c);
	ut_free(t);
}

/* q while jobs run asks (they go on in the cluster); y sends CMD_STOP. */
static void
test_quit_asks_while_jobs_run(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "quit_ask" };
	char *d;

	(void)state;
	ut_scenario(t);
	ut_run_dumps(t, ":wait-events\nq\n:save-display @0\nn\nq y\n", names, 1);
	d = ut_dump("quit_ask");
	assert_non_null(strstr(d, "10 jobs run in the cluster"));
	assert_non_null(strstr(d, "They go on there, and srmigrate picks them"));
	free(d);
	ut_expect_cmd(t, CMD_STOP, 0, NULL);
	ut_expect_no_cmd(t);
	/* Nothing running: q stops at once. */
	ut_scenario(t);
	ut_progress(t, 100, 5, 0, 0, 95, 0, 60);
	assert_int_equal(ut_run(t, ":wait-events\nq\n"), 0);
	ut_expect_cmd(t, CMD_STOP, 0, NULL);
	ut_free(t);
}

/* After q the UI waits for the engine's EV_QUIT and returns its status. */
static void
test_quit_waits_for_engine(void **state)
{
	struct ut *t = ut_new(256);
	struct ut_fake fake;
	int64_t start;

	(void)state;
	ut_scenario(t);
	ut_fake_start(&fake, t, 3);
	start = now_ms();
	/* The sleep would keep the UI up for 20 s: EV_QUIT ends it long before. */
	assert_int_equal(ut_run(t, ":wait-events\nq y\n:sleep 20000\n"), 3);
	assert_true(now_ms() - start < 10000);
	ut_fake_join(&fake);
	assert_int_equal(fake.nseen, 1);
	assert_int_equal(fake.seen[0].type, CMD_STOP);
	ut_free(t);
}

/* SIGINT or SIGTERM: CMD_STOP, then the same wait. */
static void
test_stop_signal(void **state)
{
	struct ut *t = ut_new(256);
	struct ut_fake fake;

	(void)state;
	ut_scenario(t);
	ut_fake_start(&fake, t, 0);
	assert_int_equal(ut_run(t, ":wait-events\n:signal\n:sleep 20000\n"), 0);
	ut_fake_join(&fake);
	assert_int_equal(fake.nseen, 1);
	assert_int_equal(fake.seen[0].type, CMD_STOP);
	srm_stop_signal = 0;
	ut_free(t);
}

/* The engine that never answers: after 15 s the UI gives up with status 1. */
static void
test_stop_gives_up(void **state)
{
	struct ut *t = ut_new(64);
	int64_t start;
	int status;

	(void)state;
	ut_engine(t, ENGINE_SYNCING, NULL);
	start = now_ms();
	status = ut_run(t, ":wait-events\nq\n:sleep 30000\n");
	assert_int_equal(status, 1);
	assert_true(now_ms() - start >= 14500);
	assert_true(now_ms() - start < 25000);
	ut_expect_cmd(t, CMD_STOP, 0, NULL);
	ut_free(t);
}

/* EV_QUIT on its own (a guard, a one-time run done): the reason stays until a key. */
static void
test_engine_quits_alone(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "quit_alone" };
	char *d;
	char script[1024], p[512];
	int64_t start;

	(void)state;
	/* In script mode it returns at the end of the script, with the engine's status. */
	ut_scenario(t);
	ut_quit(t, 3, "target disk above target_cluster_max_disk_used_percent (92% on cn-0)");
	assert_int_equal(ut_run(t, ""), 3);
	/* On screen, the reason stays up until a key; x leaves and does nothing else. */
	ut_scenario(t);
	ut_quit(t, 3, "target disk above target_cluster_max_disk_used_percent (92% on cn-0)");
	snprintf(script, sizeof(script), ":wait-events\n:save-display %s\nx\n:sleep 20000\n",
		 ut_path(p, sizeof(p), names[0]));
	start = now_ms();
	assert_int_equal(ut_run(t, script), 3);
	assert_true(now_ms() - start < 10000);	/* x ended it, not the 20 s sleep */
	d = ut_dump("quit_alone");
	assert_non_null(strstr(d, "srmigrate has stopped"));
	assert_non_null(strstr(d, "92% on cn-0"));
	assert_non_null(strstr(d, "Exit status 3"));
	free(d);
	/* x left; it did not skip anything. */
	ut_expect_no_cmd(t);
	ut_free(t);
}

/* The cutover wizard: c starts, Enter goes on when open (asking on step 1), A aborts. */
static void
test_cutover_keys(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "cut_step1" };
	char *d;

	(void)state;
	ut_scenario(t);
	assert_int_equal(ut_run(t, ":wait-events\nc <Enter> A c <Esc> c\n"), 0);
	/* Not started: Enter and A say so; c in the wizard starts; Esc leaves; c reopens. */
	ut_expect_cmd(t, CMD_CUTOVER_START, 0, NULL);
	ut_expect_no_cmd(t);
	ut_scenario(t);
	ut_cutover(t, CUT_STOP_WRITES, true, "stop the writes, then confirm", "");
	ut_run_dumps(t, ":wait-events\nc <Enter>\n:save-display @0\ny\nA y\n", names, 1);
	d = ut_dump("cut_step1");
	assert_non_null(strstr(d, "Have the applications stopped writing to the source?"));
	free(d);
	ut_expect_cmd(t, CMD_CUTOVER_NEXT, CUT_STOP_WRITES, NULL);
	ut_expect_cmd(t, CMD_CUTOVER_ABORT, 0, NULL);
	ut_expect_no_cmd(t);
	/* A closed gate: Enter says why and sends nothing; a step that changes nothing goes on at once. */
	ut_scenario(t);
	ut_cutover(t, CUT_CATCH_UP, false, "2 tables are behind", "");
	assert_int_equal(ut_run(t, ":wait-events\nc <Enter> y\n"), 0);
	ut_expect_no_cmd(t);
	ut_scenario(t);
	ut_cutover(t, CUT_VERIFY, true, "the target matches the source: stop syncing next", "");
	assert_int_equal(ut_run(t, ":wait-events\nc y\n"), 0);
	ut_expect_cmd(t, CMD_CUTOVER_NEXT, CUT_VERIFY, NULL);
	/* Mismatches close the gate, yet Enter verifies again; busy: nothing. */
	ut_scenario(t);
	ut_cutover(t, CUT_VERIFY, false, "mismatches found (see the report): fix, then verify "
		   "again (Enter)", "");
	assert_int_equal(ut_run(t, ":wait-events\nc <Enter>\n"), 0);
	ut_expect_cmd(t, CMD_CUTOVER_NEXT, CUT_VERIFY, NULL);
	ut_expect_no_cmd(t);
	/* The last step ends the run: it asks. */
	ut_scenario(t);
	ut_cutover(t, CUT_REMIND, true, "the last steps are yours (below); confirm when done", "");
	assert_int_equal(ut_run(t, ":wait-events\nc <Enter> n <Enter> y\n"), 0);
	ut_expect_cmd(t, CMD_CUTOVER_NEXT, CUT_REMIND, NULL);
	ut_expect_no_cmd(t);
	ut_free(t);
}

/* A full command ring: the dialog says nothing was sent instead of losing it quietly. */
static void
test_command_ring_full(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "not_sent" };
	struct command filler = { .type = CMD_STATUS };
	char *d;

	(void)state;
	ut_scenario(t);
	while (ring_push(&t->cmd, &filler))
		;
	ut_run_dumps(t, ":wait-events\nP y\n:save-display @0\n", names, 1);
	d = ut_dump("not_sent");
	assert_non_null(strstr(d, "Not sent"));
	assert_non_null(strstr(d, "nothing was sent"));
	free(d);
	ut_free(t);
}

static void
test_bad_script(void **state)
{
	struct ut *t = ut_new(64);

	(void)state;
	assert_int_equal(ut_run(t, "<NoSuchKey>\n"), 2);
	assert_int_equal(ut_run(t, ":resize big\n"), 2);
	assert_int_equal(ut_run(t, ":frobnicate\n"), 2);
	ut_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_continue),
		cmocka_unit_test(test_blocking_needs_override),
		cmocka_unit_test(test_fix_and_recheck),
		cmocka_unit_test(test_pause_resume),
		cmocka_unit_test(test_dialog_default_no),
		cmocka_unit_test(test_retry),
		cmocka_unit_test(test_retry_all),
		cmocka_unit_test(test_approve_skip),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_quit_asks_while_jobs_run),
		cmocka_unit_test(test_quit_waits_for_engine),
		cmocka_unit_test(test_stop_signal),
		cmocka_unit_test(test_stop_gives_up),
		cmocka_unit_test(test_engine_quits_alone),
		cmocka_unit_test(test_cutover_keys),
		cmocka_unit_test(test_command_ring_full),
		cmocka_unit_test(test_bad_script),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
