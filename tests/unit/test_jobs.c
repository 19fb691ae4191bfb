/* jobs: what an FE's refusal of startTableReplication means (facts 3.1-3.2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "srmigrate/engine.h"

static void
test_classify(void **state)
{
	(void)state;
	assert_int_equal(jobs_classify("No data need to replicate"), FE_NOTHING_TO_DO);
	assert_int_equal(jobs_classify("Replication job of table 10023 is already running"), FE_ALREADY_RUNNING);
	assert_int_equal(jobs_classify("The replication jobs exceeds the replication_max_parallel_table_count: 100"),
			 FE_AT_LIMIT);
	assert_int_equal(jobs_classify("The replicating replica count in all running replication jobs 5000 "
				       "exceeds replication_max_parallel_replica_count: 4096"), FE_AT_LIMIT);
	assert_int_equal(jobs_classify("The replicating data size in all running replication jobs 20480(MB) "
				       "exceeds replication_max_parallel_data_size_mb: 10240"), FE_AT_LIMIT);
	assert_int_equal(jobs_classify("Partition 1000000165 in table order_items in database sales publish "
				       "version not finished"), FE_PUBLISHING);
	/* A version the target is past, a missing partition, a wrong token: the job failed. */
	assert_int_equal(jobs_classify("Target data version: 9 is larger than source data version: 7"), FE_FAILED);
	assert_int_equal(jobs_classify("Partition 12 in table t in database d not found"), FE_FAILED);
	assert_int_equal(jobs_classify("invalid token."), FE_FAILED);
	assert_int_equal(jobs_classify(""), FE_FAILED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
