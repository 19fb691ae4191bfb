/*
 * test_filter: include_data_list / exclude_data_list. Include first (empty =
 * all), then exclude; db or db.table; names exact; system databases never.
 */
#include "unit.h"

#include "srmigrate/filter.h"
#include "srmigrate/util.h"

/* A filter from the two lists; both must parse. */
static void
make(struct filter *f, const char *include, const char *exclude)
{
	char why[SRM_ERR_LEN] = "";

	memset(f, 0, sizeof(*f));
	if (filter_add(f, false, include, why, sizeof(why)) != 0 ||
	    filter_add(f, true, exclude, why, sizeof(why)) != 0)
		print_error("include '%s' exclude '%s': %s\n", include ? include : "(null)",
			    exclude ? exclude : "(null)", why);
	assert_string_equal(why, "");
}

/* @list must be refused with @want as the reason. */
static void
bad(const char *list, const char *want)
{
	struct filter f;
	char why[SRM_ERR_LEN] = "";

	memset(&f, 0, sizeof(f));
	for (int excl = 0; excl < 2; excl++) {
		int rc;

		why[0] = '\0';
		rc = filter_add(&f, excl, list, why, sizeof(why));
		if (rc == 0)
			print_error("'%s' was accepted\n", list);
		assert_int_equal(rc, -1);
		assert_string_equal(why, want);
	}
	filter_free(&f);
}

static void
test_empty_selects_all(void **state)
{
	struct filter f;

	(void)state;
	make(&f, NULL, "");
	assert_true(filter_db(&f, "sales"));
	assert_true(filter_table(&f, "sales", "orders"));
	assert_true(filter_table(&f, "Sales", "Orders"));
	filter_free(&f);
	make(&f, "   ", " \t ");
	assert_int_equal(f.n_include + f.n_exclude, 0);
	assert_true(filter_table(&f, "a", "b"));
	filter_free(&f);
}

static void
test_system_databases(void **state)
{
	struct filter f;
	const char *sys[] = { "information_schema", "_statistics_", "sys" };

	(void)state;
	make(&f, "information_schema,_statistics_,sys,sys.t,app", NULL);
	for (size_t i = 0; i < ARRAY_LEN(sys); i++) {
		assert_true(filter_is_system_db(sys[i]));
		assert_false(filter_db(&f, sys[i]));
		assert_false(filter_table(&f, sys[i], "t"));
		assert_false(filter_table(&f, sys[i], "tables"));
	}
	assert_true(filter_db(&f, "app"));
	filter_free(&f);
	make(&f, NULL, NULL);
	for (size_t i = 0; i < ARRAY_LEN(sys); i++)
		assert_false(filter_db(&f, sys[i]));
	assert_false(filter_is_system_db("system"));
	assert_false(filter_is_system_db("statistics"));
	filter_free(&f);
}

static void
test_include(void **state)
{
	struct filter f;

	(void)state;
	make(&f, "db1, db2.tbl2, db3", NULL);
	assert_int_equal(f.n_include, 3);
	assert_string_equal(f.include[0].db, "db1");
	assert_null(f.include[0].table);
	assert_string_equal(f.include[1].db, "db2");
	assert_string_equal(f.include[1].table, "tbl2");
	assert_true(filter_db(&f, "db1"));
	assert_true(filter_table(&f, "db1", "anything"));
	/* An included table makes its database selected (it must exist on the target). */
	assert_true(filter_db(&f, "db2"));
	assert_true(filter_table(&f, "db2", "tbl2"));
	assert_false(filter_table(&f, "db2", "tbl3"));
	assert_false(filter_db(&f, "db4"));
	assert_false(filter_table(&f, "db4", "tbl2"));
	filter_free(&f);
}

static void
test_exclude_after_include(void **state)
{
	struct filter f;

	(void)state;
	make(&f, "db1,db2", "db1.secret, db2");
	assert_true(filter_db(&f, "db1"));		/* only one table excluded */
	assert_true(filter_table(&f, "db1", "orders"));
	assert_false(filter_table(&f, "db1", "secret"));
	assert_false(filter_db(&f, "db2"));		/* the whole database */
	assert_false(filter_table(&f, "db2", "orders"));
	assert_false(filter_db(&f, "db3"));		/* never included */
	filter_free(&f);

	/* Exclude alone: everything else stays selected. */
	make(&f, "", "tmp,logs.raw");
	assert_false(filter_db(&f, "tmp"));
	assert_false(filter_table(&f, "tmp", "t"));
	assert_true(filter_db(&f, "logs"));
	assert_false(filter_table(&f, "logs", "raw"));
	assert_true(filter_table(&f, "logs", "raw2"));
	assert_true(filter_table(&f, "other", "raw"));
	filter_free(&f);

	/* An included table excluded by its database: not selected. */
	make(&f, "db1.t", "db1");
	assert_false(filter_table(&f, "db1", "t"));
	assert_false(filter_db(&f, "db1"));
	filter_free(&f);
}

static void
test_case_sensitive(void **state)
{
	struct filter f;

	(void)state;
	make(&f, "Sales.Orders", "sales");
	assert_true(filter_db(&f, "Sales"));
	assert_true(filter_table(&f, "Sales", "Orders"));
	assert_false(filter_table(&f, "Sales", "orders"));
	assert_false(filter_table(&f, "SALES", "Orders"));
	assert_false(filter_db(&f, "sales"));
	filter_free(&f);
}

static void
test_backticks(void **state)
{
	struct filter f;

	(void)state;
	make(&f, "`my.db`.`t.1`, `a``b`.c, `x,y`, plain.`dot.ted`, `solo.db`", NULL);
	assert_int_equal(f.n_include, 5);
	assert_string_equal(f.include[0].db, "my.db");
	assert_string_equal(f.include[0].table, "t.1");
	assert_string_equal(f.include[1].db, "a`b");
	assert_string_equal(f.include[1].table, "c");
	assert_string_equal(f.include[2].db, "x,y");	/* the comma is inside the name */
	assert_null(f.include[2].table);
	assert_string_equal(f.include[3].db, "plain");
	assert_string_equal(f.include[3].table, "dot.ted");
	assert_string_equal(f.include[4].db, "solo.db");
	assert_null(f.include[4].table);
	assert_true(filter_table(&f, "my.db", "t.1"));
	assert_false(filter_table(&f, "my", "db"));
	assert_true(filter_table(&f, "a`b", "c"));
	assert_true(filter_table(&f, "x,y", "any"));
	assert_true(filter_table(&f, "solo.db", "t"));
	filter_free(&f);
}

static void
test_blanks(void **state)
{
	struct filter f;

	(void)state;
	make(&f, "  db1 ,\tdb2.t2  ,db3\t", NULL);
	assert_int_equal(f.n_include, 3);
	assert_string_equal(f.include[0].db, "db1");
	assert_string_equal(f.include[1].db, "db2");
	assert_string_equal(f.include[1].table, "t2");
	assert_string_equal(f.include[2].db, "db3");
	filter_free(&f);
}

static void
test_errors(void **state)
{
	(void)state;
	bad("db1,,db2", "a list with an empty element");
	bad(",db1", "a list with an empty element");
	bad("db1,", "a list with an empty element");
	bad("db1, ,db2", "a list with an empty element");
	bad(",", "a list with an empty element");
	bad("db.t.x", "expected db or db.table, got 'db.t.x' (quote a name with a dot in backticks)");
	bad("db.", "empty name in ''");
	bad(".t", "empty name in '.t'");
	bad("`unterminated", "unterminated or empty `name` in '`unterminated'");
	bad("``.t", "unterminated or empty `name` in '``.t'");
	bad("`a`b", "expected db or db.table, got '`a`b'");
	bad("db.`t`x", "expected db or db.table, got 'db.`t`x' (quote a name with a dot in backticks)");
}

/* An error leaves what was added before it; a later list adds to the same side. */
static void
test_add_accumulates(void **state)
{
	struct filter f;
	char why[SRM_ERR_LEN];

	(void)state;
	make(&f, "db1", NULL);
	assert_int_equal(filter_add(&f, false, "db2.t", why, sizeof(why)), 0);
	assert_int_equal(f.n_include, 2);
	assert_true(filter_table(&f, "db2", "t"));
	assert_int_equal(filter_add(&f, false, "db3,,", why, sizeof(why)), -1);
	assert_int_equal(f.n_include, 3);	/* db3 went in before the empty element */
	filter_free(&f);
	assert_int_equal(f.n_include, 0);
	assert_null(f.include);
}

static void
test_mark(void **state)
{
	struct filter f;

	(void)state;
	make(&f, "db1, db2.t2, ghost, db1.t9", "db3.t, db4");
	/* A table in db1 does not mark the db1 item: the database itself does. */
	filter_mark(&f, "db1", "orders");
	assert_false(f.include[0].matched);
	filter_mark(&f, "db1", NULL);
	assert_true(f.include[0].matched);
	assert_false(f.include[3].matched);
	/* db2 alone does not mark db2.t2; the table does. */
	filter_mark(&f, "db2", NULL);
	assert_false(f.include[1].matched);
	filter_mark(&f, "db2", "t3");
	assert_false(f.include[1].matched);
	filter_mark(&f, "db2", "t2");
	assert_true(f.include[1].matched);
	filter_mark(&f, "db3", "t");
	filter_mark(&f, "db4", NULL);
	assert_true(f.exclude[0].matched);
	assert_true(f.exclude[1].matched);
	/* Nothing named ghost exists: it stays unmatched, for the checklist to report. */
	filter_mark(&f, "Ghost", NULL);
	assert_false(f.include[2].matched);
	assert_false(f.include[3].matched);
	filter_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_selects_all),
		cmocka_unit_test(test_system_databases),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_exclude_after_include),
		cmocka_unit_test(test_case_sensitive),
		cmocka_unit_test(test_backticks),
		cmocka_unit_test(test_blanks),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_add_accumulates),
		cmocka_unit_test(test_mark),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
