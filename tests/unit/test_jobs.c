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

/* Would the catalogs @s/@t build the request @b was taken for again? */
static bool
still(const struct plan_basis *b, struct catalog *s, struct catalog *t, char *const *parts)
{
	bool r = jobs_plan_still(b, s, t, "d", "t", parts, 3);

	catalog_unref(s);
	catalog_unref(t);
	return r;
}

static void
plan_still_holds_only_for_the_same_catalog_facts(void **state)
{
	static const int64_t src_v[3] = { 5, 7, 3 }, tgt_v[3] = { 5, 6, 2 };
	char p1[] = "p1", p2[] = "p2", p3[] = "p3", *parts[] = { p1, p2, p3 };
	struct catalog *bs = cat(SIDE_SOURCE, 100, src_v), *bt = cat(SIDE_TARGET, 900, tgt_v);
	struct plan_basis b;

	(void)state;
	jobs_plan_basis(&b, bs, bt, "d", "t", parts, 3);
	assert_int_equal(b.src_table_id, 100);
	assert_int_equal(b.tgt_table_id, 900);
	assert_false(b.parts[0].lagging);	/* p1 is in sync */
	assert_true(b.parts[1].lagging);
	assert_int_equal(b.parts[2].src_version, 3);
	assert_int_equal(b.parts[2].tgt_version, 2);
	/* The catalogs it was built on, or equal ones read later: still good. */
	assert_true(jobs_plan_still(&b, bs, bt, "d", "t", parts, 3));
	assert_true(still(&b, cat(SIDE_SOURCE, 100, src_v), cat(SIDE_TARGET, 900, tgt_v), parts));
	/* A partition in sync moved on both sides alike: it is still in sync, nothing changes. */
	assert_true(still(&b, cat(SIDE_SOURCE, 100, (const int64_t[3]){ 9, 7, 3 }),
			  cat(SIDE_TARGET, 900, (const int64_t[3]){ 9, 6, 2 }), parts));
	/* A load on the source since: the request would send an old version. */
	assert_false(still(&b, cat(SIDE_SOURCE, 100, (const int64_t[3]){ 5, 8, 3 }), catalog_ref(bt), parts));
	/* A partition in sync before lags now: it would be left out. */
	assert_false(still(&b, cat(SIDE_SOURCE, 100, (const int64_t[3]){ 6, 7, 3 }), catalog_ref(bt), parts));
	/* The target caught up on one (another job): its version moved. */
	assert_false(still(&b, catalog_ref(bs), cat(SIDE_TARGET, 900, (const int64_t[3]){ 5, 7, 2 }), parts));
	/* The target table dropped and created again: new ids. */
	assert_false(still(&b, catalog_ref(bs), cat(SIDE_TARGET, 800, tgt_v), parts));
	/* The table gone from the catalogs of now. */
	assert_false(still(&b, catalog_new(SIDE_SOURCE), catalog_ref(bt), parts));
	jobs_plan_basis_free(&b);
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
