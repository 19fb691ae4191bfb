/*
 * Every migration path and version profile, end to end: srmigrate --once
 * against simulated clusters, then the clusters compared partition by
 * partition by the test itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e/e2e.h"

#define SPEED 50

static void
migrate(const char *source, const char *target, const char *extra)
{
	char scen[4096], report[8192];
	struct sim s;
	struct e2e_progress p;
	int rc;

	snprintf(scen, sizeof(scen),
		 "[source]\n%s\nuser = root\npassword = s3cret;#pw\n"
		 "token = 8a1f2c3d-0000-4000-8000-00000000beef\n\n"
		 "[target]\n%s\nuser = root\npassword = t4rget pw\n\n"
		 "[generate]\ndatabases = 2\ntables = 6\npartitions = 3\nrows = 3000\n%s", source, target,
		 extra ? extra : "");
	assert_int_equal(sim_start(&s, scen, SPEED), 0);
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
	/* The clusters agree: versions and rows per partition, read by SQL. */
	rc = sim_compare(&s, NULL, report, sizeof(report));
	if (rc != 0)
		fprintf(stderr, "differences:\n%s\n", report);
	assert_int_equal(rc, 0);
	/* The official progress lines, parsed back. */
	assert_int_equal(e2e_progress(&s, &p), 0);
	assert_true(p.total > 0);
	assert_int_equal(p.finished, p.total);
	assert_true(p.pct > 99.99);
	assert_int_equal(p.tables, 6);
	assert_int_equal(p.tables_finished, 6);
	assert_int_equal(p.tables_unfinished + p.tables_expired, 0);
	e2e_finish(&s);
}

/* 3.2.3 has no partitions_meta: partitions come from SHOW PARTITIONS per table. */
static void
from_3_2_to_3_3(void **state)
{
	(void)state;
	migrate("version = 3.2.3\nrun_mode = shared_nothing", "version = 3.3.5\nrun_mode = shared_nothing",
		NULL);
}

static void
from_3_3_to_3_5_shared_data(void **state)
{
	(void)state;
	migrate("version = 3.3.5\nrun_mode = shared_nothing", "version = 3.5.2\nrun_mode = shared_data",
		NULL);
}

static void
from_3_5_to_3_5(void **state)
{
	(void)state;
	migrate("version = 3.5.2\nrun_mode = shared_nothing", "version = 3.5.2\nrun_mode = shared_nothing",
		NULL);
}

/* The oldest target: no partitions_meta, no /replications (jobs followed by their labels). */
static void
from_3_1_to_3_2_3(void **state)
{
	(void)state;
	migrate("version = 3.1.8\nrun_mode = shared_nothing", "version = 3.2.3\nrun_mode = shared_nothing",
		NULL);
}

static void
from_3_4_to_4_1_shared_data(void **state)
{
	(void)state;
	migrate("version = 3.4.4\nrun_mode = shared_nothing", "version = 4.1.0\nrun_mode = shared_data",
		NULL);
}

/*
 * Shared-data to shared-data: no BE addresses or token; the target reads the
 * source's files through its src_<volume>, named with the service id from
 * the storage path.
 */
#define SRC_VOLUME                                                                               \
	"[volume source builtin_storage_volume]\ndefault = true\nlocation = s3://bucket\n\n"          \
	"[volume target builtin_storage_volume]\ndefault = true\nlocation = s3://target-bucket\n\n"   \
	"[volume target src_builtin_storage_volume]\nlocation = s3://bucket\n"

static void
from_3_5_to_4_1_shared_data_both(void **state)
{
	(void)state;
	migrate("version = 3.5.2\nrun_mode = shared_data", "version = 4.1.0\nrun_mode = shared_data",
		SRC_VOLUME);
}

/* 3.2.3 has no partitions_meta: the storage path comes from SHOW PROC '/dbs/<db>'. */
static void
from_3_2_to_4_1_shared_data_both(void **state)
{
	(void)state;
	migrate("version = 3.2.3\nrun_mode = shared_data", "version = 4.1.0\nrun_mode = shared_data",
		SRC_VOLUME);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(from_3_2_to_3_3, e2e_teardown),
		cmocka_unit_test_teardown(from_3_3_to_3_5_shared_data, e2e_teardown),
		cmocka_unit_test_teardown(from_3_5_to_3_5, e2e_teardown),
		cmocka_unit_test_teardown(from_3_1_to_3_2_3, e2e_teardown),
		cmocka_unit_test_teardown(from_3_4_to_4_1_shared_data, e2e_teardown),
		cmocka_unit_test_teardown(from_3_5_to_4_1_shared_data_both, e2e_teardown),
		cmocka_unit_test_teardown(from_3_2_to_4_1_shared_data_both, e2e_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
