/*
 * test_state: checked state files under LOG_DIR/state. A round trip gives
 * the body back; a missing file is no state; a torn, padded, altered, foreign
 * or headless file is an error; files are 0600; a leftover temporary file
 * from a crash between write and rename changes nothing.
 */
#include "unit.h"

#include <dirent.h>

#include "srmigrate/state.h"
#include "srmigrate/util.h"

struct fx {
	char *dir, *path;
	char err[SRM_ERR_LEN];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->dir = ut_tmpdir("state");
	f->path = ut_path(f->dir, "settings.state");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	free(f->path);
	ut_rmtree(f->dir);
	free(f);
	return 0;
}

static size_t
files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
save(struct fx *f, const char *kind, const char *body)
{
	int rc = state_save(f->path, kind, body, f->err, sizeof(f->err));

	if (rc != 0)
		print_error("%s\n", f->err);
	assert_int_equal(rc, 0);
}

/* Load must fail with an error that names the file and contains @why. */
static void
load_fails(struct fx *f, const char *kind, const char *why)
{
	char *body = (char *)"sentinel";

	f->err[0] = '\0';
	assert_int_equal(state_load(f->path, kind, &body, f->err, sizeof(f->err)), -1);
	assert_null(body);
	assert_prefix(f->err, f->path);
	assert_contains(f->err, why);
}

static void
test_round_trip(void **state)
{
	struct fx *f = *state;
	static const char *const bodies[] = {
		"", "x", "line one\nline two\n", "no final newline",
		"{\"changed\": [{\"key\": \"lake_compaction_max_tasks\", \"old\": \"-1\"}]}\n",
		"srmigrate-state fake v1 0000 3\nabc",	/* a body that looks like a header */
	};

	for (size_t i = 0; i < ARRAY_LEN(bodies); i++) {
		char *body = NULL;

		save(f, "settings", bodies[i]);
		assert_int_equal(state_load(f->path, "settings", &body, f->err, sizeof(f->err)), 0);
		assert_non_null(body);
		assert_string_equal(body, bodies[i]);
		free(body);
	}
	/* Only the file itself: no temporary file is left behind. */
	assert_int_equal(files_in(f->dir), 1);
}

static void
test_large_body(void **state)
{
	struct fx *f = *state;
	size_t n = 3 << 20;
	char *big = malloc(n + 1), *body = NULL;

	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	save(f, "jobs", big);
	assert_int_equal(state_load(f->path, "jobs", &body, f->err, sizeof(f->err)), 0);
	assert_int_equal(strlen(body), n);
	assert_memory_equal(body, big, n);
	free(body);
	free(big);
}

static void
test_missing(void **state)
{
	struct fx *f = *state;
	char *body = (char *)"sentinel";

	assert_int_equal(state_load(f->path, "settings", &body, f->err, sizeof(f->err)), 0);
	assert_null(body);
}

static void
test_header_format(void **state)
{
	struct fx *f = *state;
	char *text;

	save(f, "settings", "abc");
	text = ut_read(f->path);
	/* "srmigrate-state <kind> v1 <sha256 hex> <length>\n" then the body; SHA-256("abc") is well known. */
	assert_string_equal(text, "srmigrate-state settings v1 "
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 3\nabc");
	free(text);
}

static void
test_torn(void **state)
{
	struct fx *f = *state;
	struct stat st;

	save(f, "settings", "a body long enough to be cut in the middle\n");
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(truncate(f->path, st.st_size - 10), 0);
	load_fails(f, "settings", "torn");
	/* Cut inside the header. */
	assert_int_equal(truncate(f->path, 30), 0);
	load_fails(f, "settings", "bad header");
	/* Cut right after the header line: the whole body is missing. */
	save(f, "settings", "body");
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(truncate(f->path, st.st_size - 4), 0);
	load_fails(f, "settings", "torn");
}

static void
test_padded(void **state)
{
	struct fx *f = *state;
	FILE *a;

	save(f, "settings", "body\n");
	a = fopen(f->path, "a");
	assert_non_null(a);
	fputs("more\n", a);
	fclose(a);
	load_fails(f, "settings", "torn or padded");
}

static void
test_altered(void **state)
{
	struct fx *f = *state;
	char *text;

	save(f, "settings", "lake_compaction_max_tasks=-1\n");
	text = ut_read(f->path);
	/* Same length, one character changed: only the checksum can tell. */
	*strstr(text, "-1") = '+';
	ut_write(f->path, text, 0600);
	load_fails(f, "settings", "damaged (checksum does not match)");
	free(text);

	/* A changed checksum in the header is the same damage. */
	save(f, "settings", "abc");
	text = ut_read(f->path);
	text[strlen("srmigrate-state settings v1 ")] = 'c';
	ut_write(f->path, text, 0600);
	load_fails(f, "settings", "damaged");
	free(text);
}

static void
test_wrong_kind(void **state)
{
	struct fx *f = *state;

	save(f, "jobs", "[]");
	load_fails(f, "settings", "holds 'jobs' state, expected 'settings'");
}

static void
test_bad_header(void **state)
{
	struct fx *f = *state;
	static const char *const texts[] = {
		"", "hello\n", "{\"json\": true}\n",
		"srmigrate-state settings v2 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 3\nabc",
		"srmigrate-state settings v1 3\nabc",
		"srmigrate-state settings v1 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\nabc",
		"srmigrate-state settings v1 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad x\nabc",
	};

	for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
		ut_write(f->path, texts[i], 0600);
		load_fails(f, "settings", "not a srmigrate state file (bad header)");
	}
	/* A length nobody would write is refused before any allocation. */
	ut_write(f->path, "srmigrate-state settings v1 "
		 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 99999999999\nabc", 0600);
	load_fails(f, "settings", "not believable");
}

static void
test_mode_0600(void **state)
{
	struct fx *f = *state;
	struct stat st;
	mode_t old = umask(0);

	save(f, "settings", "secret-ish\n");
	umask(old);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(state_write_file(f->path, "raw", 3, f->err, sizeof(f->err)), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* Replacing a file that was 0644 makes it 0600. */
	chmod(f->path, 0644);
	save(f, "settings", "again\n");
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

/*
 * A crash between writing the temporary file and the rename leaves
 * "<path>.tmp.XXXXXX" next to the old file: the old file still loads, and
 * the next save replaces it as usual.
 */
static void
test_stale_tmp(void **state)
{
	struct fx *f = *state;
	char *tmp, *body = NULL;

	save(f, "settings", "old\n");
	if (asprintf(&tmp, "%s.tmp.Ab12Cd", f->path) < 0)
		abort();
	ut_write(tmp, "srmigrate-state settings v1 0000 3\nnew", 0600);
	assert_int_equal(state_load(f->path, "settings", &body, f->err, sizeof(f->err)), 0);
	assert_string_equal(body, "old\n");
	free(body);
	save(f, "settings", "newer\n");
	assert_int_equal(state_load(f->path, "settings", &body, f->err, sizeof(f->err)), 0);
	assert_string_equal(body, "newer\n");
	free(body);
	assert_int_equal(files_in(f->dir), 2);	/* the file and the stale one, no new leftovers */
	free(tmp);
}

static void
test_write_errors(void **state)
{
	struct fx *f = *state;
	char *path = ut_path(f->dir, "no/such/dir/x.state"), *body = NULL;

	assert_int_equal(state_write_file(path, "x", 1, f->err, sizeof(f->err)), -1);
	assert_contains(f->err, "no/such/dir/x.state");
	assert_int_equal(state_save(path, "settings", "x", f->err, sizeof(f->err)), -1);
	/* A directory where the file should be: an error, not "no state". */
	free(path);
	path = ut_path(f->dir, "adir");
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(state_load(path, "settings", &body, f->err, sizeof(f->err)), -1);
	assert_null(body);
	free(path);
}

static void
test_state_dir(void **state)
{
	struct fx *f = *state;
	char *log = ut_path(f->dir, "log"), *d, *want = ut_path(log, "state");
	struct stat st;

	d = state_dir(log, f->err, sizeof(f->err));
	assert_non_null(d);
	assert_string_equal(d, want);
	assert_int_equal(stat(d, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	free(d);
	/* Again: it exists, fine. */
	d = state_dir(log, f->err, sizeof(f->err));
	assert_non_null(d);
	free(d);
	free(want);
	free(log);
	/* Under a file: an error. */
	log = ut_path(f->dir, "plainfile");
	ut_write(log, "", 0600);
	assert_null(state_dir(log, f->err, sizeof(f->err)));
	assert_contains(f->err, "plainfile");
	free(log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_body, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_padded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_altered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mode_0600, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_tmp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_dir, setup, teardown),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
