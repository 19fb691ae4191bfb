/*
 * test_version: StarRocks version strings and the per-release-line feature
 * predicates, at every boundary their comments give (facts §1, §3, §4).
 */
#include "unit.h"

#include "srmigrate/util.h"
#include "srmigrate/version.h"

static struct sr_version
v(const char *s)
{
	struct sr_version out;

	memset(&out, 0, sizeof(out));
	if (!version_parse(s, &out))
		print_error("'%s' does not parse\n", s);
	assert_true(version_parse(s, &out));
	return out;
}

static void
test_parse(void **state)
{
	static const struct {
		const char *text;
		int major, minor, patch;
	} good[] = {
		{ "3.3.5-6d81f75", 3, 3, 5 },
		{ "3.3.5", 3, 3, 5 },
		{ "v3.2.3", 3, 2, 3 },
		{ "V3.2.3", 3, 2, 3 },
		{ "4.1.0-rc01-ab12cd3", 4, 1, 0 },
		{ "3.1.16-ee-8f9e1c2", 3, 1, 16 },
		{ "3.4.2 abcdef", 3, 4, 2 },
		{ "2.5.22", 2, 5, 22 },
		{ "10.20.30", 10, 20, 30 },
		{ "3.3.5.1", 3, 3, 5 },
	};
	static const char *const bad[] = {
		"", "garbage", "3", "3.3", "3.3.", "3..5", ".3.3.5", "3.3.x", "3.3.5x", "3.3.5_1",
		"a3.3.5", "3.-1.5", "3,3,5", "99999999999999999999.1.1", "8.0.33x",
	};
	struct sr_version out;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		out = v(good[i].text);
		assert_int_equal(out.major, good[i].major);
		assert_int_equal(out.minor, good[i].minor);
		assert_int_equal(out.patch, good[i].patch);
		assert_string_equal(out.text, good[i].text);	/* kept as reported */
	}
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		if (version_parse(bad[i], &out))
			print_error("'%s' parsed as %d.%d.%d\n", bad[i], out.major, out.minor, out.patch);
		assert_false(version_parse(bad[i], &out));
	}
	assert_false(version_parse(NULL, &out));
	/* A long text is truncated, not overflowed. */
	out = v("3.3.5-0123456789012345678901234567890123456789012345678901234567890123456789");
	assert_int_equal(strlen(out.text), sizeof(out.text) - 1);
	assert_int_equal(out.patch, 5);
}

static void
test_compare(void **state)
{
	struct sr_version a = v("3.2.10");

	(void)state;
	assert_int_equal(version_cmp(&a, 3, 2, 10), 0);
	assert_int_equal(version_cmp(&a, 3, 2, 9), 1);
	assert_int_equal(version_cmp(&a, 3, 2, 11), -1);
	assert_int_equal(version_cmp(&a, 3, 10, 0), -1);	/* numbers, not strings */
	assert_int_equal(version_cmp(&a, 2, 99, 99), 1);
	assert_int_equal(version_cmp(&a, 4, 0, 0), -1);
	assert_true(version_at_least(&a, 3, 2, 10));
	assert_true(version_at_least(&a, 3, 2, 9));
	assert_false(version_at_least(&a, 3, 2, 11));
}

struct row {
	const char *version;
	bool want;
};

static void
check(const char *name, bool (*pred)(const struct sr_version *), const struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct sr_version x = v(rows[i].version);
		bool got = pred(&x);

		if (got != rows[i].want)
			print_error("%s(%s) = %s\n", name, rows[i].version, got ? "true" : "false");
		assert_int_equal(got, rows[i].want);
	}
}

#define CHECK(pred, rows) check(#pred, pred, rows, ARRAY_LEN(rows))

static void
test_can_be_target(void **state)
{
	static const struct row rows[] = {
		{ "2.5.22", false }, { "3.0.9", false },
		{ "3.1.0", false }, { "3.1.7", false }, { "3.1.8", true }, { "3.1.17", true },
		{ "3.2.0", false }, { "3.2.2", false }, { "3.2.3", true }, { "3.2.15", true },
		{ "3.3.0", true }, { "3.4.0", true }, { "4.0.0", true }, { "4.1.0", true },
	};

	(void)state;
	CHECK(ver_can_be_target, rows);
}

static void
test_partitions_meta(void **state)
{
	static const struct row rows[] = {
		{ "3.0.9", false },
		{ "3.1.8", false }, { "3.1.9", true }, { "3.1.16", true },
		{ "3.2.0", false }, { "3.2.3", false }, { "3.2.4", true },
		{ "3.3.0", true }, { "3.3.9", true }, { "3.4.0", true }, { "3.5.1", true },
		{ "4.0.0", true }, { "4.1.0", true },
	};

	(void)state;
	CHECK(ver_has_partitions_meta, rows);
}

static void
test_data_version(void **state)
{
	static const struct row rows[] = {
		{ "3.1.17", false }, { "3.2.15", false },
		{ "3.3.0", false }, { "3.3.1", false }, { "3.3.2", true }, { "3.3.20", true },
		{ "3.4.0", true }, { "3.5.0", true }, { "4.0.3", true }, { "4.1.0", true },
	};

	(void)state;
	CHECK(ver_has_data_version, rows);
}

static void
test_replications_proc(void **state)
{
	static const struct row rows[] = {
		{ "3.0.9", false },
		{ "3.1.8", false }, { "3.1.15", false }, { "3.1.16", true }, { "3.1.17", true },
		{ "3.2.3", false }, { "3.2.10", false }, { "3.2.11", true },
		{ "3.3.0", false }, { "3.3.3", false }, { "3.3.4", true },
		{ "3.4.0", true }, { "3.5.0", true }, { "4.0.0", true },
	};

	(void)state;
	CHECK(ver_has_replications_proc, rows);
}

static void
test_legacy_compat(void **state)
{
	static const struct row rows[] = {
		{ "3.1.9", false }, { "3.1.10", true },
		{ "3.2.4", false }, { "3.2.5", true },
		{ "3.3.0", true }, { "3.4.1", true }, { "4.1.0", true }, { "3.0.9", false },
	};

	(void)state;
	CHECK(ver_has_legacy_compat, rows);
}

static void
test_lake_replication(void **state)
{
	static const struct row rows[] = {
		{ "3.3.9", false }, { "3.5.9", false }, { "4.0.0", false }, { "4.0.9", false },
		{ "4.1.0", true }, { "4.1.2-abc", true }, { "4.2.0", true }, { "5.0.0", true },
	};

	(void)state;
	CHECK(ver_has_lake_replication, rows);
}

static void
test_spreads_replicas(void **state)
{
	static const struct row rows[] = {
		{ "3.1.10", false }, { "3.1.11", true },
		{ "3.2.4", false }, { "3.2.5", true },
		{ "3.3.0", true }, { "4.0.0", true }, { "3.0.1", false },
	};

	(void)state;
	CHECK(ver_spreads_replicas, rows);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_can_be_target),
		cmocka_unit_test(test_partitions_meta),
		cmocka_unit_test(test_data_version),
		cmocka_unit_test(test_replications_proc),
		cmocka_unit_test(test_legacy_compat),
		cmocka_unit_test(test_lake_replication),
		cmocka_unit_test(test_spreads_replicas),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
