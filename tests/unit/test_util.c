/*
 * test_util: the helpers every number on screen goes through (parse_i64,
 * fmt_bytes, fmt_duration, fmt_time, strings), and meta_parse_size, which
 * turns StarRocks's size texts into bytes.
 */
#include "unit.h"

#include <time.h>

#include "srmigrate/meta.h"
#include "srmigrate/util.h"

static void
i64_ok(const char *s, int64_t min, int64_t max, int64_t want)
{
	int64_t v = 12345;

	if (!parse_i64(s, min, max, &v))
		print_error("'%s' refused\n", s);
	assert_true(parse_i64(s, min, max, &v));
	assert_int_equal(v, want);
}

static void
i64_bad(const char *s, int64_t min, int64_t max)
{
	int64_t v = 12345;

	if (parse_i64(s, min, max, &v))
		print_error("'%s' parsed as %lld\n", s ? s : "(null)", (long long)v);
	assert_false(parse_i64(s, min, max, &v));
	assert_int_equal(v, 12345);	/* untouched */
}

static void
test_parse_i64(void **state)
{
	(void)state;
	i64_ok("42", 0, 100, 42);
	i64_ok(" 42 ", 0, 100, 42);
	i64_ok("\t7\t", 0, 100, 7);
	i64_ok("+5", 0, 100, 5);
	i64_ok("-5", -10, 10, -5);
	i64_ok("0", 0, 0, 0);
	i64_ok("007", 0, 10, 7);	/* decimal, not octal */
	i64_ok("9223372036854775807", INT64_MIN, INT64_MAX, INT64_MAX);
	i64_ok("-9223372036854775808", INT64_MIN, INT64_MAX, INT64_MIN);
	i64_bad("9223372036854775808", INT64_MIN, INT64_MAX);
	i64_bad("-9223372036854775809", INT64_MIN, INT64_MAX);
	i64_bad("101", 0, 100);
	i64_bad("-1", 0, 100);
	i64_bad("", 0, 100);
	i64_bad("   ", 0, 100);
	i64_bad(NULL, 0, 100);
	i64_bad("4x", 0, 100);
	i64_bad("x4", 0, 100);
	i64_bad("1 2", 0, 100);
	i64_bad("1.0", 0, 100);
	i64_bad("1e2", 0, 1000);
	i64_bad("0x10", 0, 100);
	i64_bad("--1", -10, 10);
	i64_bad("+-1", -10, 10);
	i64_bad("- 1", -10, 10);
	i64_bad("٣", 0, 10);	/* a non-ASCII digit */
}

static void
expect_bytes(int64_t bytes, const char *want)
{
	char buf[32];

	assert_string_equal(fmt_bytes(buf, sizeof(buf), bytes), want);
}

static void
test_fmt_bytes(void **state)
{
	char small[4];

	(void)state;
	expect_bytes(0, "0 B");
	expect_bytes(1, "1 B");
	expect_bytes(512, "512 B");
	expect_bytes(1023, "1023 B");
	expect_bytes(1024, "1.0 KB");
	expect_bytes(1536, "1.5 KB");
	expect_bytes(10 * 1024, "10 KB");
	expect_bytes(1000 * 1024, "1000 KB");
	expect_bytes(1048576, "1.0 MB");
	expect_bytes(1288490189, "1.2 GB");
	expect_bytes((int64_t)5 << 40, "5.0 TB");
	expect_bytes((int64_t)123 << 40, "123 TB");
	expect_bytes((int64_t)1 << 50, "1.0 PB");
	expect_bytes(INT64_MAX, "8.0 EB");
	expect_bytes(-1, "?");
	/* Truncated to the buffer, always terminated. */
	assert_string_equal(fmt_bytes(small, sizeof(small), 1288490189), "1.2");
}

static void
expect_duration(int64_t s, const char *want)
{
	char buf[32];

	assert_string_equal(fmt_duration(buf, sizeof(buf), s), want);
}

static void
test_fmt_duration(void **state)
{
	(void)state;
	expect_duration(-1, "unknown");
	expect_duration(-86400, "unknown");
	expect_duration(0, "0s");
	expect_duration(45, "45s");
	expect_duration(59, "59s");
	expect_duration(60, "1m");
	expect_duration(119, "1m");
	expect_duration(720, "12m");
	expect_duration(3599, "59m");
	expect_duration(3600, "1h00m");
	expect_duration(3 * 3600 + 4 * 60 + 59, "3h04m");
	expect_duration(86399, "23h59m");
	expect_duration(86400, "1d00h");
	expect_duration(2 * 86400 + 5 * 3600 + 3599, "2d05h");
	expect_duration(400 * 86400, "400d00h");
}

static void
test_fmt_time(void **state)
{
	char buf[32], small[8];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_string_equal(fmt_time(buf, sizeof(buf), 0), "1970-01-01 00:00:00");
	assert_string_equal(fmt_time(buf, sizeof(buf), 1795442580999LL), "2026-11-23 14:03:00");
	assert_string_equal(fmt_time(small, sizeof(small), 0), "?");
}

static void
test_strings(void **state)
{
	char buf[32], tiny[4];
	char *s;

	(void)state;
	str_copy(buf, sizeof(buf), "  a b \t\r\n");
	assert_ptr_equal(str_trim(buf), buf);
	assert_string_equal(buf, "a b");
	str_copy(buf, sizeof(buf), " \t ");
	assert_string_equal(str_trim(buf), "");
	str_copy(buf, sizeof(buf), "");
	assert_string_equal(str_trim(buf), "");
	str_copy(buf, sizeof(buf), "x");
	assert_string_equal(str_trim(buf), "x");

	assert_int_equal(str_copy(tiny, sizeof(tiny), "abcdef"), 6);
	assert_string_equal(tiny, "abc");
	tiny[0] = 'z';
	assert_int_equal(str_copy(tiny, 0, "q"), 1);
	assert_int_equal(tiny[0], 'z');
	assert_string_equal(str_fmt(tiny, sizeof(tiny), "%d", 123456), "123");

	assert_true(str_eq("a", "a"));
	assert_false(str_eq("a", "A"));
	assert_true(str_ieq("Shared_Data", "shared_data"));
	assert_true(str_starts("SOURCE_h", "SOURCE_"));
	assert_false(str_starts("SOURC", "SOURCE_"));
	assert_true(str_starts("x", ""));

	s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = xstrndup("ab", 10);
	assert_string_equal(s, "ab");
	free(s);
	s = xasprintf("%s:%d", "h", 9030);
	assert_string_equal(s, "h:9030");
	free(s);
}

static void
test_mem_and_clock(void **state)
{
	char secret[] = "hunter22";
	int64_t t0, t1, w;

	(void)state;
	mem_wipe(secret, sizeof(secret));
	for (size_t i = 0; i < sizeof(secret); i++)
		assert_int_equal(secret[i], 0);
	mem_wipe(NULL, 10);
	t0 = now_ms();
	sleep_ms(20);
	t1 = now_ms();
	assert_true(t1 - t0 >= 20);
	assert_true(t1 - t0 < 5000);
	sleep_ms(0);
	sleep_ms(-5);
	w = wall_ms();
	assert_true(w > 1700000000000LL);	/* after 2023: the clock is the epoch's */
}

/* --- meta_parse_size ------------------------------------------------------------- */

static void
size_is(const char *s, int64_t want)
{
	int64_t got = meta_parse_size(s);

	if (got != want)
		print_error("meta_parse_size(\"%s\") = %lld, want %lld\n", s ? s : "(null)", (long long)got,
			    (long long)want);
	assert_int_equal(got, want);
}

static void
test_parse_size(void **state)
{
	(void)state;
	size_is("0B", 0);
	size_is("0", 0);
	size_is("0.000 B", 0);
	size_is("123", 123);
	size_is("123 B", 123);
	size_is("1KB", 1024);
	size_is("1.2KB", 1229);			/* 1228.8, rounded */
	size_is("1.2 kb", 1229);
	size_is("3 MB", 3 * 1048576);
	size_is("1.000 GB", 1073741824);
	size_is("  1.5 GB", 1610612736);
	size_is("2.5 TB", (int64_t)5 << 39);
	size_is("1 PB", (int64_t)1 << 50);
	size_is("1023 PB", (int64_t)1023 << 50);
	/* Exact without a unit, beyond a double's 53 bits. */
	size_is("123456789012345678", 123456789012345678LL);
	size_is("1000000000000000000", 1000000000000000000LL);
}

static void
test_parse_size_garbage(void **state)
{
	static const char *const bad[] = {
		"", " ", "abc", "B", "KB", "-1", "-1 KB", "+1 KB", "1.2 XB", "1.2 K", "1.2.3 KB", "1. KB",
		".5 KB", "NaN", "inf", "1e3", "1e3 KB", "0x10", "12abc", "1,5 KB", "1 KB extra",
		/* Huge: beyond what a partition can hold, a broken or hostile cell. */
		"1024 PB", "99999999999 PB", "1e400", "1152921504606846976", "99999999999999999999",
		"999999999999999999999999999999 B",
	};

	(void)state;
	size_is(NULL, -1);
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		size_is(bad[i], -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_i64),
		cmocka_unit_test(test_fmt_bytes),
		cmocka_unit_test(test_fmt_duration),
		cmocka_unit_test(test_fmt_time),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_mem_and_clock),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_size_garbage),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
