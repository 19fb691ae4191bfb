/* diff: source vs target catalogs -> DDL, jobs, blocks, states. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/diff.h"
#include "srmigrate/util.h"

struct fixture {
	struct catalog *src, *tgt;
	struct srm_config cfg;
	struct migration m;
	struct diff_stats st;
	bool confirm;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	f->src = catalog_new(SIDE_SOURCE);
	f->tgt = catalog_new(SIDE_TARGET);
	version_parse("3.3.5-abc", &f->src->version);
	version_parse("3.3.5-abc", &f->tgt->version);
	cfg_defaults(&f->cfg, "conf", "log");
	mig_init(&f->m);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	catalog_unref(f->src);
	catalog_unref(f->tgt);
	cfg_free(&f->cfg);
	mig_fini(&f->m);
	free(f);
	return 0;
}

struct part_spec {
	const char *name;
	int64_t version;	/* visible (source) / data (target) */
	int64_t bytes;
	int buckets;
	const char *value;
};

/* A table with partitions; call catalog_parts_done() after the last table. */
static struct cat_table *
table(struct catalog *c, const char *db, const char *name, const struct part_spec *parts, size_t n)
{
	struct cat_table *t;

	if (catalog_db(c, db) == NULL)
		catalog_add_db(c, db, c->side == SIDE_SOURCE ? 100 : 900);
	t = catalog_add_table(c, db, name);
	t->kind = c->side == SIDE_SOURCE ? TK_OLAP : TK_CLOUD_NATIVE;
	t->keys = KT_DUP;
	t->db_id = catalog_db(c, db)->id;
	t->id = 1000 + (int64_t)c->n_tables;
	t->distribute_key = catalog_str(c, "`k1`");
	t->parts_known = true;
	for (size_t i = 0; i < n; i++) {
		struct cat_part *p = catalog_part_add(c, t);

		p->name = catalog_str(c, parts[i].name);
		p->id = 5000 + (int64_t)c->n_parts;
		p->visible_version = parts[i].version;
		p->data_version = c->side == SIDE_TARGET ? parts[i].version : -1;
		p->bytes = parts[i].bytes;
		p->rows = parts[i].bytes / 10;
		p->buckets = parts[i].buckets ? parts[i].buckets : 4;
		p->value = catalog_str(c, parts[i].value ? parts[i].value : "");
	}
	return t;
}

static void
run(struct fixture *f)
{
	struct diff_opts o = { .cfg = &f->cfg, .confirm_drops = f->confirm, .plan_jobs = true };

	catalog_parts_done(f->src);
	catalog_parts_done(f->tgt);
	diff_run(&f->m, f->src, f->tgt, &o, &f->st);
}

static size_t
count_ddl(struct fixture *f, enum ddl_kind kind, enum ddl_state state)
{
	size_t n = 0;

	for (size_t i = 0; i < f->m.n_ddls; i++)
		if (f->m.ddls[i]->kind == kind && f->m.ddls[i]->state == state)
			n++;
	return n;
}

static struct mtable *
mt(struct fixture *f, const char *db, const char *name)
{
	struct mtable *t = mig_table(&f->m, db, name, false);

	assert_non_null(t);
	return t;
}

static void
missing_db_and_table_are_created(void **state)
{
	struct fixture *f = *state;
	struct part_spec p[] = { { "p1", 5, 100 }, { "p2", 3, 100 } };

	table(f->src, "sales", "orders", p, 2);
	run(f);
	assert_int_equal(count_ddl(f, DDL_CREATE_DB, DDL_QUEUED), 1);
	assert_int_equal(count_ddl(f, DDL_CREATE_TABLE, DDL_QUEUED), 1);
	assert_int_equal(mt(f, "sales", "orders")->state, TABLE_DDL);
	assert_int_equal(mt(f, "sales", "orders")->lagging, 2);
	assert_int_equal(f->m.n_jobs, 0);	/* no job before the table exists */
	/* A second pass on the same catalogs queues nothing new. */
	diff_run(&f->m, f->src, f->tgt, &(struct diff_opts){ .cfg = &f->cfg, .plan_jobs = true }, &f->st);
	assert_int_equal(f->st.new_ddl, 0);
	assert_int_equal(f->m.n_ddls, 2);
}

static void
lagging_partitions_make_one_job(void **state)
{
	struct fixture *f = *state;
	struct part_spec s[] = { { "p1", 5, 100 }, { "p2", 3, 100 }, { "p3", 2, 100 } };
	struct part_spec t[] = { { "p1", 5, 100 }, { "p2", 1, 0 }, { "p3", 1, 0 } };
	struct mjob *j;

	table(f->src, "db", "t", s, 3);
	table(f->tgt, "db", "t", t, 3);
	run(f);
	assert_int_equal(f->m.n_ddls, 0);
	assert_int_equal(f->m.n_jobs, 1);
	j = f->m.jobs[0];
	assert_int_equal(j->n_partitions, 2);
	assert_string_equal(j->partitions[0], "p2");
	assert_string_equal(j->partitions[1], "p3");
	assert_int_equal(j->bytes, 200);
	assert_int_equal(mt(f, "db", "t")->state, TABLE_SYNCING);
	assert_int_equal(mt(f, "db", "t")->lag_bytes, 200);
}

static void
in_sync_table_is_finished(void **state)
{
	struct fixture *f = *state;
	struct part_spec p[] = { { "p1", 7, 100 } };

	table(f->src, "db", "t", p, 1);
	table(f->tgt, "db", "t", p, 1);
	run(f);
	assert_int_equal(mt(f, "db", "t")->state, TABLE_FINISHED);
	assert_true(mt(f, "db", "t")->ever_synced);
	assert_int_equal(f->m.n_jobs, 0);
	assert_int_equal(f->st.finished, 1);
}

static void
large_table_is_split_by_size(void **state)
{
	struct fixture *f = *state;
	int64_t gb = (int64_t)1 << 30;
	struct part_spec s[] = { { "a", 2, gb }, { "b", 2, gb }, { "c", 2, 3 * gb }, { "d", 2, gb } };
	struct part_spec t[] = { { "a", 1 }, { "b", 1 }, { "c", 1 }, { "d", 1 } };

	f->cfg.max_replication_data_size_per_job_in_gb = 2;
	table(f->src, "db", "big", s, 4);
	table(f->tgt, "db", "big", t, 4);
	run(f);
	/* a+b fit in 2 GB, c is bigger than the limit and goes alone, then d. */
	assert_int_equal(f->m.n_jobs, 3);
	assert_int_equal(f->m.jobs[0]->n_partitions, 2);
	assert_int_equal(f->m.jobs[1]->n_partitions, 1);
	assert_string_equal(f->m.jobs[1]->partitions[0], "c");
	assert_int_equal(f->m.jobs[2]->n_partitions, 1);
	assert_string_equal(f->m.jobs[2]->partitions[0], "d");
}

static void
missing_partition_is_added(void **state)
{
	struct fixture *f = *state;
	struct part_spec s[] = { { "p1", 2, 10 }, { "p2", 2, 10 } };
	struct part_spec t[] = { { "p1", 2, 10 } };

	table(f->src, "db", "t", s, 2);
	table(f->tgt, "db", "t", t, 1);
	run(f);
	assert_int_equal(count_ddl(f, DDL_ADD_PARTITION, DDL_QUEUED), 1);
	assert_string_equal(f->m.ddls[0]->partition, "p2");
	assert_int_equal(mt(f, "db", "t")->state, TABLE_DDL);
	assert_int_equal(f->m.n_jobs, 0);
}

static void
target_ahead_follows_its_key(void **state)
{
	struct fixture *f = *state;
	struct part_spec s[] = { { "p1", 2, 10 } };
	struct part_spec t[] = { { "p1", 9, 10 } };

	table(f->src, "db", "t", s, 1);
	table(f->tgt, "db", "t", t, 1);
	f->cfg.ddl_job_allow_drop_inconsistent_partition = false;
	run(f);
	assert_int_equal(mt(f, "db", "t")->state, TABLE_BLOCKED);
	assert_non_null(strstr(mt(f, "db", "t")->reason, "ddl_job_allow_drop_inconsistent_partition=false"));
	assert_non_null(strstr(mt(f, "db", "t")->reason, "ahead"));
	assert_int_equal(f->m.n_ddls, 0);

	f->cfg.ddl_job_allow_drop_inconsistent_partition = true;
	diff_run(&f->m, f->src, f->tgt, &(struct diff_opts){ .cfg = &f->cfg, .plan_jobs = true }, &f->st);
	assert_int_equal(count_ddl(f, DDL_DROP_PARTITION, DDL_QUEUED), 1);
	assert_int_equal(count_ddl(f, DDL_ADD_PARTITION, DDL_QUEUED), 1);
	assert_true(f->m.ddls[0]->kind == DDL_DROP_PARTITION);	/* the drop first */
}

static void
drops_wait_for_the_operator(void **state)
{
	struct fixture *f = *state;
	struct part_spec s[] = { { "p1", 2, 10 } };
	struct part_spec t[] = { { "p1", 2, 10 }, { "old", 4, 10 } };

	f->confirm = true;
	table(f->src, "db", "t", s, 1);
	table(f->tgt, "db", "t", t, 2);
	run(f);
	assert_int_equal(count_ddl(f, DDL_DROP_PARTITION, DDL_HELD), 1);
	assert_true(f->m.ddls[0]->drops);
	assert_int_equal(mt(f, "db", "t")->state, TABLE_DDL);
}

static void
target_only_partition_follows_its_key(void **state)
{
	struct fixture *f = *state;
	struct part_spec s[] = { { "p1", 2, 10 } };
	struct part_spec t[] = { { "p1", 2, 10 }, { "old", 4, 10 } };

	f->cfg.ddl_job_allow_drop_partition_target_only = false;
	table(f->src, "db", "t", s, 1);
	table(f->tgt, "db", "t", t, 2);
	run(f);
	assert_int_equal(mt(f, "db", "t")->state, TABLE_BLOCKED);
	assert_non_null(strstr(mt(f, "db", "t")->reason, "old"));
	assert_non_null(strstr(mt(f, "db", "t")->reason, "ddl_job_allow_drop_partition_target_only=false"));
	assert_int_equal(f->m.n_ddls, 0);
}

static void
bounds_and_buckets_that_differ(void **state)
{
	struct fixture *f = *state;
	struct part_spec s[] = { { "p1", 2, 10, 4, "[2024-01-01, 2024-01-02)" },
				 { "p2", 2, 10, 8, "[2024-01-02, 2024-01-03)" } };
	struct part_spec t[] = { { "p1", 2, 10, 4, "[2024-01-01, 2024-01-05)" },
				 { "p2", 2, 10, 4, "[2024-01-02, 2024-01-03)" } };

	f->cfg.ddl_job_allow_drop_inconsistent_time_partition = false;
	table(f->src, "db", "t", s, 2);
	table(f->tgt, "db", "t", t, 2);
	run(f);
	/* p1's bounds differ and may not be dropped: blocked. */
	assert_int_equal(mt(f, "db", "t")->state, TABLE_BLOCKED);
	assert_non_null(strstr(mt(f, "db", "t")->reason, "p1"));
	assert_non_null(strstr(mt(f, "db", "t")->reason, "bounds"));
	/* p2's buckets differ and may: dropped and added again. */
	assert_non_null(mig_ddl_find(&f->m, DDL_DROP_PARTITION, "db", "t", "p2"));
	assert_null(mig_ddl_find(&f->m, DDL_DROP_PARTITION, "db", "t", "p1"));
}

static void
schema_change_follows_its_key(void **state)
{
	struct fixture *f = *state;
	struct part_spec p[] = { { "p1", 2, 10 } };
	struct cat_table *tt;

	table(f->src, "db", "t", p, 1);
	tt = table(f->tgt, "db", "t", p, 1);
	tt->keys = KT_PRIMARY;
	f->cfg.ddl_job_allow_drop_schema_change_table = false;
	run(f);
	assert_int_equal(mt(f, "db", "t")->state, TABLE_BLOCKED);
	assert_non_null(strstr(mt(f, "db", "t")->reason, "ddl_job_allow_drop_schema_change_table=false"));

	f->cfg.ddl_job_allow_drop_schema_change_table = true;
	diff_run(&f->m, f->src, f->tgt, &(struct diff_opts){ .cfg = &f->cfg, .plan_jobs = true }, &f->st);
	assert_non_null(mig_ddl_find(&f->m, DDL_DROP_TABLE, "db", "t", NULL));
	assert_non_null(mig_ddl_find(&f->m, DDL_CREATE_TABLE, "db", "t", NULL));
}

static void
distribution_key_formatting_is_not_a_change(void **state)
{
	struct fixture *f = *state;
	struct part_spec p[] = { { "p1", 2, 10 } };
	struct cat_table *tt;

	table(f->src, "db", "t", p, 1);
	tt = table(f->tgt, "db", "t", p, 1);
	tt->distribute_key = catalog_str(f->tgt, "k1");	/* no backticks */
	run(f);
	assert_int_equal(mt(f, "db", "t")->state, TABLE_FINISHED);
}

static void
target_only_table_follows_its_key(void **state)
{
	struct fixture *f = *state;
	struct part_spec p[] = { { "p1", 2, 10 } };

	table(f->tgt, "db", "stray", p, 1);
	run(f);
	assert_int_equal(mt(f, "db", "stray")->state, TABLE_BLOCKED);
	assert_true(mt(f, "db", "stray")->target_only);
	assert_int_equal(f->m.n_ddls, 0);

	f->cfg.ddl_job_allow_drop_target_only = true;
	f->confirm = true;
	diff_run(&f->m, f->src, f->tgt,
		 &(struct diff_opts){ .cfg = &f->cfg, .confirm_drops = true, .plan_jobs = true }, &f->st);
	assert_int_equal(count_ddl(f, DDL_DROP_TABLE, DDL_HELD), 1);
}

static void
unparsable_source_value_blocks(void **state)
{
	struct fixture *f = *state;
	struct part_spec p[] = { { "p1", 2, 10 } };
	struct cat_table *st = table(f->src, "db", "t", p, 1);

	st->error = catalog_str(f->src, "partition p1: visible version 'abc' is not a version");
	run(f);
	assert_int_equal(mt(f, "db", "t")->state, TABLE_BLOCKED);
	assert_non_null(strstr(mt(f, "db", "t")->reason, "source: partition p1"));
	assert_int_equal(f->m.n_ddls + f->m.n_jobs, 0);	/* nothing acted on */
}

static void
skipped_drop_keeps_the_table_blocked(void **state)
{
	struct fixture *f = *state;
	struct part_spec s[] = { { "p1", 2, 10 } };
	struct part_spec t[] = { { "p1", 2, 10 }, { "old", 4, 10 } };
	struct mddl *d;

	f->confirm = true;
	table(f->src, "db", "t", s, 1);
	table(f->tgt, "db", "t", t, 2);
	run(f);
	d = mig_ddl_find(&f->m, DDL_DROP_PARTITION, "db", "t", "old");
	assert_non_null(d);
	mig_ddl_state(&f->m, d, DDL_SKIPPED);
	diff_run(&f->m, f->src, f->tgt,
		 &(struct diff_opts){ .cfg = &f->cfg, .confirm_drops = true, .plan_jobs = true }, &f->st);
	assert_int_equal(f->st.new_ddl, 0);	/* not asked again */
	assert_int_equal(mt(f, "db", "t")->state, TABLE_BLOCKED);
	assert_non_null(strstr(mt(f, "db", "t")->reason, "skipped by the operator"));
}

static void
source_changes_are_noticed(void **state)
{
	struct fixture *f = *state;
	struct part_spec p[] = { { "p1", 2, 10 } };
	struct catalog *next;
	struct diff_opts o = { .cfg = &f->cfg, .plan_jobs = true };

	table(f->src, "db", "t", p, 1);
	table(f->tgt, "db", "t", p, 1);
	run(f);
	assert_false(f->st.source_changed);
	diff_run(&f->m, f->src, f->tgt, &o, &f->st);
	assert_false(f->st.source_changed);
	/* A load on the source: version 2 -> 3. */
	next = catalog_new(SIDE_SOURCE);
	next->version = f->src->version;
	table(next, "db", "t", (struct part_spec[]){ { "p1", 3, 20 } }, 1);
	catalog_parts_done(next);
	diff_run(&f->m, next, f->tgt, &o, &f->st);
	assert_true(f->st.source_changed);
	assert_int_equal(mt(f, "db", "t")->state, TABLE_SYNCING);
	assert_true(mt(f, "db", "t")->ever_synced);
	catalog_unref(next);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(missing_db_and_table_are_created, setup, teardown),
		cmocka_unit_test_setup_teardown(lagging_partitions_make_one_job, setup, teardown),
		cmocka_unit_test_setup_teardown(in_sync_table_is_finished, setup, teardown),
		cmocka_unit_test_setup_teardown(large_table_is_split_by_size, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_partition_is_added, setup, teardown),
		cmocka_unit_test_setup_teardown(target_ahead_follows_its_key, setup, teardown),
		cmocka_unit_test_setup_teardown(drops_wait_for_the_operator, setup, teardown),
		cmocka_unit_test_setup_teardown(target_only_partition_follows_its_key, setup, teardown),
		cmocka_unit_test_setup_teardown(bounds_and_buckets_that_differ, setup, teardown),
		cmocka_unit_test_setup_teardown(schema_change_follows_its_key, setup, teardown),
		cmocka_unit_test_setup_teardown(distribution_key_formatting_is_not_a_change, setup, teardown),
		cmocka_unit_test_setup_teardown(target_only_table_follows_its_key, setup, teardown),
		cmocka_unit_test_setup_teardown(unparsable_source_value_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(skipped_drop_keeps_the_table_blocked, setup, teardown),
		cmocka_unit_test_setup_teardown(source_changes_are_noticed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
