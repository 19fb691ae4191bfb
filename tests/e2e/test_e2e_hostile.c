/*
 * Hostile and bad input, end to end: names built to break quoting arrive
 * intact and inject nothing; answers that are malformed in every way srsim
 * can make them (non-numeric, negative, huge, NULL, missing or extra
 * columns, a 10 MB cell) never crash srmigrate nor make it act on a value it
 * could not read, and once the answers are sound again it converges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e/e2e.h"

#define SPEED 50

#define CLUSTERS                                                                                 \
	"[source]\nversion = 3.5.2\nrun_mode = shared_nothing\nuser = root\npassword = srcpw\n"   \
	"token = 8a1f2c3d-0000-4000-8000-00000000beef\n\n"                                        \
	"[target]\nversion = 3.5.2\nrun_mode = shared_nothing\nuser = root\npassword = tgtpw\n\n"

/*
 * StarRocks keeps database and partition names to ASCII word characters
 * (FeNameFormat); a table name may be anything but NUL and a column name
 * anything but NUL = < > ! *. So the table and its columns carry the
 * quotes, semicolons, backquotes and non-ASCII, and the partition and
 * database names what is left of SQL that could be injected.
 */
#define HOSTILE_TABLE "t'1\" ; `x`; DROP DATABASE shop; -- é"

static const char hostile[] =
	CLUSTERS
	"[table source shop.plain]\nrows = 100\n\n"
	"[table source hostile]\ndb = drop_database_shop\nname = " HOSTILE_TABLE "\n"
	"columns = `k 1 ;` bigint NOT NULL, `dt` date NOT NULL, `naïve \"v\"; '--` varchar(20) NULL\n"
	"keys = `k 1 ;`, `dt`\ndistribution = HASH(`k 1 ;`)\npartition_by = range(dt)\npartitions = 3\n"
	"buckets = 2\nrows = 500\n";

static bool
has_row(struct sim *s, int side, const char *sql, const char *title, const char *want)
{
	char err[256];
	struct sim_result *r = sim_query(s, side, sql, err, sizeof(err));
	bool found = false;

	for (size_t i = 0; r && i < sim_rows(r) && !found; i++)
		found = sim_cell(r, i, title) && strcmp(sim_cell(r, i, title), want) == 0;
	if (r == NULL)
		fprintf(stderr, "%s: %s\n", sql, err);
	sim_result_free(r);
	return found;
}

static void
expect_in_sync(struct sim *s)
{
	char report[8192];
	int rc = sim_compare(s, NULL, report, sizeof(report));

	if (rc != 0)
		fprintf(stderr, "differences:\n%s\n", report);
	assert_int_equal(rc, 0);
}

static void
hostile_names_arrive_intact(void **state)
{
	struct sim s;
	int rc;

	(void)state;
	assert_int_equal(sim_start(&s, hostile, SPEED), 0);
	e2e_keep(&s);
	e2e_fast(&s);
	e2e_prepare(&s);
	rc = e2e_run(&s, 120, "--once", (char *)NULL);
	if (rc != 0) {
		char *out = e2e_read(&s, "srmigrate.out");

		fprintf(stderr, "srmigrate exited %d:\n%s\n", rc, out ? out : "");
		free(out);
	}
	assert_int_equal(rc, 0);
	/* Every name on the target exactly as on the source, and nothing was injected. */
	assert_true(has_row(&s, SIM_TARGET, "SHOW DATABASES", "Database", "drop_database_shop"));
	assert_true(has_row(&s, SIM_TARGET, "SHOW DATABASES", "Database", "shop"));
	assert_true(has_row(&s, SIM_TARGET, "SHOW TABLES FROM drop_database_shop", "Tables_in_drop_database_shop",
			    HOSTILE_TABLE));
	assert_true(has_row(&s, SIM_TARGET, "SHOW TABLES FROM shop", "Tables_in_shop", "plain"));
	assert_true(has_row(&s, SIM_TARGET, "SELECT COLUMN_NAME FROM information_schema.columns "
			    "WHERE TABLE_SCHEMA = 'drop_database_shop'", "COLUMN_NAME", "naïve \"v\"; '--"));
	expect_in_sync(&s);
	assert_false(e2e_log_has(&s, "DDL failed"));
	e2e_finish(&s);
}

/* --- malformed answers ------------------------------------------------------------------ */

static const char *const modes[] = {
	"nonnumeric", "negative", "huge", "nulls", "missing_column", "wrong_count", "long_string",
};

static void
set_malformed(struct sim *s, int side, const char *value)
{
	char sql[256], err[256];

	int rc;

	snprintf(sql, sizeof(sql), "ADMIN SET FRONTEND CONFIG (\"sim_malformed\" = \"%s\")", value);
	rc = sim_exec(s, side, sql, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "%s: %s\n", sql, err);
	assert_int_equal(rc, 0);
}

/*
 * Each mode for every statement on one side, a few passes each, while
 * srmigrate runs with drops allowed: it lives through all of it, drops
 * nothing, sends no job built from a value it could not read, and once the
 * answers are sound it brings the target in line.
 */
static void
malformed_answers_are_survived(void **state)
{
	struct sim s;
	pid_t pid;
	int rc;

	(void)state;
	assert_int_equal(sim_start(&s, CLUSTERS "[generate]\ndatabases = 2\ntables = 6\npartitions = 3\nrows = 600\n"
					     "[load]\ninterval = 30s\n", SPEED), 0);
	e2e_keep(&s);
	e2e_fast(&s);
	e2e_prepare(&s);
	e2e_conf(&s, "ddl_job_allow_drop_target_only=true\nddl_job_allow_drop_partition_target_only=true\n"
		     "ddl_job_allow_drop_inconsistent_partition=true\n");
	pid = e2e_launch(&s, (char *)NULL);
	for (int side = 0; side < 2; side++) {
		for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
			char v[64];

			snprintf(v, sizeof(v), "all:%s", modes[m]);
			set_malformed(&s, side, v);
			sleep(3);	/* about two passes */
			if (e2e_exited(pid, &rc)) {
				fprintf(stderr, "srmigrate ended (%d) under %s %s\n", rc, side ? "target" : "source", v);
				e2e_show(&s);
				fail();
			}
			set_malformed(&s, side, "");
		}
	}
	/* Sound again: everything converges, and nothing was dropped on the way. */
	assert_int_equal(e2e_converged(&s, 90), 0);
	kill(pid, SIGTERM);
	assert_int_equal(e2e_await(pid, 30), 0);
	assert_false(e2e_log_has(&s, "DDL done: DROP"));
	{
		char *out = e2e_read(&s, "srmigrate.out");

		assert_non_null(out);
		assert_null(strstr(out, "AddressSanitizer"));
		assert_null(strstr(out, "runtime error"));
		free(out);
	}
	e2e_finish(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(hostile_names_arrive_intact, e2e_teardown),
		cmocka_unit_test_teardown(malformed_answers_are_survived, e2e_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
