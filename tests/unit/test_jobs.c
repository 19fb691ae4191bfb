/*
 * jobs: what an FE's refusal of startTableReplication means (facts 3.1-3.2);
 * when a request built ahead may still be sent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "srmigrate/catalog.h"
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

/*
 * One table "d.t" with partitions p1..p3 at @versions; ids from @id_base
 * (a table dropped and created again has new ids).
 */
static struct catalog *
cat(enum side side, int64_t id_base, const int64_t versions[3])
{
	struct catalog *c = catalog_new(side);
	struct cat_table *t;
	static const char *const names[] = { "p1", "p2", "p3" };

	catalog_add_db(c, "d", 10);
	t = catalog_add_table(c, "d", "t");
	t->db_id = 10;
	t->id = id_base;
	t->parts_known = true;
	for (int i = 0; i < 3; i++) {
		struct cat_part *p = catalog_part_add(c, t);

		p->name = catalog_str(c, names[i]);
		p->id = id_base + 1 + i;
		p->visible_version = versions[i];
		p->data_version = side == SIDE_TARGET ? versions[i] : -1;
		p->version_epoch = -1;
	}
	catalog_parts_done(c);
	return c;
}

static void
plan_still_holds_only_for_the_same_catalog_facts(void **state)
{
	static const int64_t src_v[3] = { 5, 7, 3 }, tgt_v[3] = { 5, 6, 2 };
	char p1[] = "p1", p2[] = "p2", p3[] = "p3", *parts[] = { p1, p2, p3 };
	const char *names[] = { "p2", "p3" };	/* p1 is in sync */
	struct catalog *bs = cat(SIDE_SOURCE, 100, src_v), *bt = cat(SIDE_TARGET, 900, tgt_v);
	struct catalog *s2, *t2;

	(void)state;
	/* The catalogs it was built on, or equal ones read later: still good. */
	assert_true(jobs_plan_still(bs, bt, bs, bt, "d", "t", parts, 3, names, 2));
	s2 = cat(SIDE_SOURCE, 100, src_v);
	t2 = cat(SIDE_TARGET, 900, tgt_v);
	assert_true(jobs_plan_still(s2, t2, bs, bt, "d", "t", parts, 3, names, 2));
	catalog_unref(s2);
	catalog_unref(t2);
	/* A load on the source since: the request would send an old version. */
	s2 = cat(SIDE_SOURCE, 100, (const int64_t[3]){ 5, 8, 3 });
	assert_false(jobs_plan_still(s2, bt, bs, bt, "d", "t", parts, 3, names, 2));
	catalog_unref(s2);
	/* A partition in sync before lags now: it would be left out. */
	s2 = cat(SIDE_SOURCE, 100, (const int64_t[3]){ 6, 7, 3 });
	assert_false(jobs_plan_still(s2, bt, bs, bt, "d", "t", parts, 3, names, 2));
	catalog_unref(s2);
	/* The target caught up on one (another job): its version moved. */
	t2 = cat(SIDE_TARGET, 900, (const int64_t[3]){ 5, 7, 2 });
	assert_false(jobs_plan_still(bs, t2, bs, bt, "d", "t", parts, 3, names, 2));
	catalog_unref(t2);
	/* The target table dropped and created again: new ids. */
	t2 = cat(SIDE_TARGET, 800, tgt_v);
	assert_false(jobs_plan_still(bs, t2, bs, bt, "d", "t", parts, 3, names, 2));
	catalog_unref(t2);
	/* A name list that is not the lagging partitions in order. */
	assert_false(jobs_plan_still(bs, bt, bs, bt, "d", "t", parts, 3, (const char *[]){ "p3", "p2" }, 2));
	assert_false(jobs_plan_still(bs, bt, bs, bt, "d", "t", parts, 3, names, 1));
	/* The table gone from the catalogs of now. */
	s2 = catalog_new(SIDE_SOURCE);
	assert_false(jobs_plan_still(s2, bt, bs, bt, "d", "t", parts, 3, names, 2));
	catalog_unref(s2);
	catalog_unref(bs);
	catalog_unref(bt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(plan_still_holds_only_for_the_same_catalog_facts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
