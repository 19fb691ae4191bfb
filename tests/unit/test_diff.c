/* diff: source vs target catalogs -> DDL, jobs, blocks, states. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/ddl.h"
#include "srmigrate/diff.h"
#include "srmigrate/util.h"

struct fixture {
	struct catalog *src, *tgt;
	struct srm_config cfg;
	struct migration m;
	struct diff_stats st;
	bool confirm;
	bool parts_done;
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

	/* The catalogs are complete at the first run; later runs are later passes over them. */
	if (!f->parts_done) {
		catalog_parts_done(f->src);
		catalog_parts_done(f->tgt);
		f->parts_done = true;
	}
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
mark_done(struct fixture *f)
{
	for (size_t i = 0; i < f->m.n_ddls; i++)
		if (mig_ddl_open(f->m.ddls[i]))
			mig_ddl_state(&f->m, f->m.ddls[i], DDL_DONE);
}

/* The check before a job found other columns: re-created once, then blocked if it still differs. */
static void
columns_found_before_a_job(void **state)
{
	struct fixture *f = *state;
	struct part_spec p[] = { { "p1", 2, 10 } };
	struct mtable *t;

	table(f->src, "db", "t", p, 1);
	table(f->tgt, "db", "t", (struct part_spec[]){ { "p1", 1, 10 } }, 1);
	run(f);
	t = mt(f, "db", "t");
	t->schema_change = xstrdup("column n was added on the source");
	f->cfg.ddl_job_allow_drop_schema_change_table = false;
	run(f);
	assert_int_equal(t->state, TABLE_BLOCKED);
	assert_string_equal(t->reason, "schema changed on the source: column n was added on the source "
				       "(ddl_job_allow_drop_schema_change_table=false)");
	assert_null(mig_ddl_find(&f->m, DDL_DROP_TABLE, "db", "t", NULL));
	/* Still blocked at the next pass: the finding stays until the table is retried. */
	run(f);
	assert_int_equal(t->state, TABLE_BLOCKED);

	f->cfg.ddl_job_allow_drop_schema_change_table = true;
	run(f);
	assert_non_null(mig_ddl_find(&f->m, DDL_DROP_TABLE, "db", "t", NULL));
	assert_non_null(mig_ddl_find(&f->m, DDL_CREATE_TABLE, "db", "t", NULL));
	assert_int_equal(t->state, TABLE_DDL);
	assert_null(t->schema_change);
	assert_int_equal(t->schema_recreates, 1);
	assert_non_null(strstr(t->reason, "column n was added on the source"));

	/* Re-created, and the check still finds a difference: no second drop, a block with why. */
	mark_done(f);
	t->schema_change = xstrdup("column n is varchar(10) on the source, varchar on the target");
	run(f);
	assert_int_equal(t->state, TABLE_BLOCKED);
	assert_non_null(strstr(t->reason, "still differs after re-creating the table"));
	assert_int_equal(count_ddl(f, DDL_DROP_TABLE, DDL_QUEUED), 0);
}

static struct ddl_want
wanted(enum want_kind kind, const char *object, const char *create, const char *drop)
{
	return (struct ddl_want){ kind, xstrdup(object), create ? xstrdup(create) : NULL,
				  drop ? xstrdup(drop) : NULL };
}

/* Indexes and properties the check wanted are queued with their statements, in order, once. */
static void
wanted_statements_are_queued(void **state)
{
	struct fixture *f = *state;
	struct part_spec p[] = { { "p1", 2, 10 } };
	struct mtable *t;
	struct mddl *d;

	table(f->src, "db", "t", p, 1);
	table(f->tgt, "db", "t", (struct part_spec[]){ { "p1", 1, 10 } }, 1);
	f->confirm = true;
	run(f);
	t = mt(f, "db", "t");
	t->wants = xcalloc(3, sizeof(*t->wants));
	t->wants[0] = wanted(WANT_INDEX_REPLACE, "i1", "CREATE INDEX `i1` ON `db`.`t` (`a`) USING BITMAP",
			     "DROP INDEX `i1` ON `db`.`t`");
	t->wants[1] = wanted(WANT_INDEX_TARGET_ONLY, "i2", NULL, "DROP INDEX `i2` ON `db`.`t`");
	t->wants[2] = wanted(WANT_PROPERTY, "bloom_filter_columns", "ALTER TABLE `db`.`t` SET (\"bloom_filter_columns\" = \"a\")",
			     NULL);
	t->n_wants = 3;
	run(f);
	assert_null(t->wants);
	assert_int_equal(t->state, TABLE_DDL);
	assert_int_equal(f->m.n_ddls, 4);
	/* Drops wait for the operator; the create comes after its drop. */
	d = mig_ddl_find(&f->m, DDL_DROP_INDEX, "db", "t", "i1");
	assert_non_null(d);
	assert_int_equal(d->state, DDL_HELD);
	assert_true(d->prepared);
	assert_string_equal(d->statement, "DROP INDEX `i1` ON `db`.`t`");
	assert_true(f->m.ddls[0] == d);
	d = mig_ddl_find(&f->m, DDL_CREATE_INDEX, "db", "t", "i1");
	assert_true(f->m.ddls[1] == d);
	assert_int_equal(d->state, DDL_QUEUED);
	assert_string_equal(d->statement, "CREATE INDEX `i1` ON `db`.`t` (`a`) USING BITMAP");
	assert_int_equal(mig_ddl_find(&f->m, DDL_DROP_INDEX, "db", "t", "i2")->state, DDL_HELD);
	d = mig_ddl_find(&f->m, DDL_SET_PROPERTY, "db", "t", "bloom_filter_columns");
	assert_non_null(d);
	assert_string_equal(d->statement, "ALTER TABLE `db`.`t` SET (\"bloom_filter_columns\" = \"a\")");
	/* Found again before they ran: not queued twice. */
	t->wants = xcalloc(1, sizeof(*t->wants));
	t->wants[0] = wanted(WANT_INDEX_ADD, "i1", "CREATE INDEX `i1` ON `db`.`t` (`a`) USING BITMAP", NULL);
	t->n_wants = 1;
	run(f);
	assert_int_equal(f->m.n_ddls, 4);
}

static struct cat_table *
object(struct catalog *c, enum table_kind kind, const char *db, const char *name, const char *definition)
{
	struct cat_table *t;

	if (catalog_db(c, db) == NULL)
		catalog_add_db(c, db, c->side == SIDE_SOURCE ? 100 : 900);
	t = catalog_add_table(c, db, name);
	t->kind = kind;
	t->definition = definition ? catalog_str(c, definition) : NULL;
	return t;
}

static char *
next_note(struct fixture *f)
{
	char *n = mig_take_note(&f->m);

	assert_non_null(n);
	return n;
}

static void
views_follow_their_keys(void **state)
{
	struct fixture *f = *state;
	char *note;

	object(f->src, TK_VIEW, "db", "v_new", "SELECT 1");
	object(f->src, TK_VIEW, "db", "v_same", "SELECT 2");
	object(f->src, TK_VIEW, "db", "v_diff", "SELECT 3");
	object(f->tgt, TK_VIEW, "db", "v_same", "SELECT 2");
	object(f->tgt, TK_VIEW, "db", "v_diff", "SELECT 4");
	object(f->tgt, TK_VIEW, "db", "v_old", "SELECT 5");
	/* Off by default: nothing. */
	run(f);
	assert_int_equal(f->m.n_ddls, 0);

	f->cfg.enable_view_sync = true;
	f->cfg.ddl_job_allow_drop_inconsistent_view = false;
	f->cfg.ddl_job_allow_drop_view_target_only = false;
	run(f);
	assert_non_null(mig_ddl_find(&f->m, DDL_CREATE_VIEW, "db", "v_new", NULL));
	assert_null(mig_ddl_find(&f->m, DDL_CREATE_VIEW, "db", "v_same", NULL));
	assert_null(mig_ddl_find(&f->m, DDL_DROP_VIEW, "db", "v_diff", NULL));
	assert_null(mig_ddl_find(&f->m, DDL_DROP_VIEW, "db", "v_old", NULL));
	note = next_note(f);
	assert_string_equal(note, "view db.v_diff differs from the source's; kept "
				  "(ddl_job_allow_drop_inconsistent_view=false)");
	free(note);
	note = next_note(f);
	assert_string_equal(note, "view db.v_old is only on the target; kept (ddl_job_allow_drop_view_target_only=false)");
	free(note);
	/* Each note once, however many passes. */
	run(f);
	assert_null(mig_take_note(&f->m));

	f->cfg.ddl_job_allow_drop_inconsistent_view = true;
	f->cfg.ddl_job_allow_drop_view_target_only = true;
	run(f);
	assert_non_null(mig_ddl_find(&f->m, DDL_DROP_VIEW, "db", "v_diff", NULL));
	assert_non_null(mig_ddl_find(&f->m, DDL_CREATE_VIEW, "db", "v_diff", NULL));
	assert_non_null(mig_ddl_find(&f->m, DDL_DROP_VIEW, "db", "v_old", NULL));
	/* Re-created and still different (the target prints it otherwise): left, with a note. */
	mark_done(f);
	run(f);
	assert_null(mig_ddl_find(&f->m, DDL_DROP_VIEW, "db", "v_diff", NULL));
	note = next_note(f);
	assert_non_null(strstr(note, "view db.v_diff still differs after re-creating it"));
	free(note);
}

static void
materialized_views_follow_their_keys(void **state)
{
	struct fixture *f = *state;
	struct part_spec p[] = { { "p1", 2, 10 } };
	char *note;

	table(f->src, "db", "base", p, 1);
	object(f->src, TK_MV, "db", "mv1", "SELECT `db`.`base`.`k` FROM `db`.`base`");
	object(f->src, TK_MV, "db", "mv2", "SELECT * FROM `other`.`hidden` JOIN base ON 1 = 1");
	object(f->tgt, TK_MV, "db", "mv_old", "SELECT 1");
	f->cfg.enable_materialized_view_sync = true;
	assert_int_equal(filter_add(&f->cfg.filter, false, "db", NULL, 0), 0);
	run(f);
	assert_non_null(mig_ddl_find(&f->m, DDL_CREATE_MV, "db", "mv1", NULL));
	assert_non_null(mig_ddl_find(&f->m, DDL_CREATE_MV, "db", "mv2", NULL));
	/* Default: a target-only MV is kept. */
	assert_null(mig_ddl_find(&f->m, DDL_DROP_MV, "db", "mv_old", NULL));
	/* An MV that reads an unselected table is reported. */
	note = next_note(f);
	assert_string_equal(note, "materialized view db.mv2 reads other.hidden, which is not selected: it cannot "
				  "refresh on the target until that table is migrated too");
	free(note);
	note = next_note(f);
	assert_non_null(strstr(note, "mv_old is only on the target; kept"));
	free(note);
	assert_null(mig_take_note(&f->m));
	/* The MVs' data is theirs: they are never tables to replicate. */
	assert_null(mig_table(&f->m, "db", "mv1", false));
}

static void
query_tables(void **state)
{
	char **pairs;
	size_t n;

	(void)state;
	n = ddl_query_tables("SELECT a.x FROM `d1`.`t1` a JOIN t2 ON a.k = t2.k LEFT JOIN `cat`.`d3`.`t3` USING (k) "
			     "WHERE k IN (SELECT k FROM `d1`.`t1`) AND s = 'FROM fake'", "d0", &pairs);
	assert_int_equal(n, 3);
	assert_string_equal(pairs[0], "d1");
	assert_string_equal(pairs[1], "t1");
	assert_string_equal(pairs[2], "d0");
	assert_string_equal(pairs[3], "t2");
	assert_string_equal(pairs[4], "d3");
	assert_string_equal(pairs[5], "t3");
	for (size_t i = 0; i < 2 * n; i++)
		free(pairs[i]);
	free(pairs);
	assert_int_equal(ddl_query_tables("SELECT 1", "d", &pairs), 0);
	assert_null(pairs);
	/* FROM in a function's arguments names no table; in a subquery, in a CTE, or after nesting, it does. */
	n = ddl_query_tables("SELECT EXTRACT(YEAR FROM dt), TRIM(BOTH ' ' FROM (s)) FROM (SELECT * FROM d1.a) x "
			     "JOIN (b JOIN c ON b.k = c.k) ON x.k = b.k WHERE EXISTS (WITH w AS (SELECT 1 FROM e) "
			     "SELECT * FROM w)", "d0", &pairs);
	assert_int_equal(n, 5);
	assert_string_equal(pairs[0], "d1");
	assert_string_equal(pairs[1], "a");
	assert_string_equal(pairs[3], "b");
	assert_string_equal(pairs[5], "c");
	assert_string_equal(pairs[7], "e");
	assert_string_equal(pairs[9], "w");
	for (size_t i = 0; i < 2 * n; i++)
		free(pairs[i]);
	free(pairs);
}

/* A 3.2 FE leaves PARTITION_KEY empty for list partitioning: not a schema change. */
static void
empty_partition_key_is_unknown(void **state)
{
	struct fixture *f = *state;
	struct part_spec p[] = { { "p1", 2, 10 } };
	struct cat_table *st = table(f->src, "db", "t", p, 1), *tt = table(f->tgt, "db", "t", p, 1);

	st->partition_key = catalog_str(f->src, "");
	tt->partition_key = catalog_str(f->tgt, "`region`");
	run(f);
	assert_int_equal(mt(f, "db", "t")->state, TABLE_FINISHED);
	assert_int_equal(f->m.n_ddls, 0);

	/* Both known and different: that is a change. */
	st->partition_key = catalog_str(f->src, "`city`");
	run(f);
	assert_non_null(mig_ddl_find(&f->m, DDL_DROP_TABLE, "db", "t", NULL));
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

	table(f->src, "db", "t", p, 1);
	table(f->tgt, "db", "t", p, 1);
	table(f->tgt, "db", "stray", p, 1);
	run(f);
	assert_int_equal(mt(f, "db", "stray")->state, TABLE_BLOCKED);
	assert_true(mt(f, "db", "stray")->target_only);
	assert_int_equal(f->m.n_ddls, 0);

	f->cfg.ddl_job_allow_drop_target_only = true;
	f->confirm = true;
	run(f);
	assert_int_equal(count_ddl(f, DDL_DROP_TABLE, DDL_HELD), 1);
	assert_int_equal(count_ddl(f, DDL_DROP_DB, DDL_HELD), 0);
}

/* A selected database only the target has goes whole, by the same key; its tables with it. */
static void
target_only_database_follows_its_key(void **state)
{
	struct fixture *f = *state;
	struct part_spec p[] = { { "p1", 2, 10 } };

	table(f->src, "db", "t", p, 1);
	table(f->tgt, "db", "t", p, 1);
	table(f->tgt, "old", "a", p, 1);
	table(f->tgt, "old", "b", p, 1);
	run(f);
	assert_int_equal(f->m.n_ddls, 0);
	assert_int_equal(mt(f, "old", "a")->state, TABLE_BLOCKED);

	f->cfg.ddl_job_allow_drop_target_only = true;
	f->confirm = true;
	run(f);
	assert_int_equal(count_ddl(f, DDL_DROP_DB, DDL_HELD), 1);
	assert_non_null(mig_ddl_find(&f->m, DDL_DROP_DB, "old", NULL, NULL));
	assert_int_equal(count_ddl(f, DDL_DROP_TABLE, DDL_HELD), 0);
	assert_int_equal(mt(f, "old", "a")->state, TABLE_DDL);
	assert_string_equal(mt(f, "old", "b")->reason, "only on the target: its database is dropped");
	/* The database the source has stays. */
	assert_null(mig_ddl_find(&f->m, DDL_DROP_DB, "db", NULL, NULL));
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
		cmocka_unit_test_setup_teardown(columns_found_before_a_job, setup, teardown),
		cmocka_unit_test_setup_teardown(wanted_statements_are_queued, setup, teardown),
		cmocka_unit_test_setup_teardown(views_follow_their_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(materialized_views_follow_their_keys, setup, teardown),
		cmocka_unit_test(query_tables),
		cmocka_unit_test_setup_teardown(empty_partition_key_is_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(distribution_key_formatting_is_not_a_change, setup, teardown),
		cmocka_unit_test_setup_teardown(target_only_table_follows_its_key, setup, teardown),
		cmocka_unit_test_setup_teardown(target_only_database_follows_its_key, setup, teardown),
		cmocka_unit_test_setup_teardown(unparsable_source_value_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(skipped_drop_keeps_the_table_blocked, setup, teardown),
		cmocka_unit_test_setup_teardown(source_changes_are_noticed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
