/*
 * unit: what the unit tests share (a header, because each test is one
 * object file): temporary directories under $SRM_TMP, small file helpers,
 * and string assertions that print both strings when they fail.
 */
#ifndef SRMIGRATE_TESTS_UNIT_H
#define SRMIGRATE_TESTS_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* @hay contains @needle (both printed when not). */
#define assert_contains(hay, needle) ut_assert_contains((hay), (needle), true, __FILE__, __LINE__)
#define assert_not_contains(hay, needle) ut_assert_contains((hay), (needle), false, __FILE__, __LINE__)
/* @s starts with @prefix. */
#define assert_prefix(s, prefix) ut_assert_prefix((s), (prefix), __FILE__, __LINE__)

static inline void
ut_assert_contains(const char *hay, const char *needle, bool want, const char *file, int line)
{
	bool has = hay != NULL && strstr(hay, needle) != NULL;

	if (has != want) {
		print_error("%s\n  \"%s\"\n%s\n  \"%s\"\n", hay ? "text" : "text (null)",
			    hay ? hay : "", want ? "does not contain" : "contains", needle);
		_fail(file, line);
	}
}

static inline void
ut_assert_prefix(const char *s, const char *prefix, const char *file, int line)
{
	if (s == NULL || strncmp(s, prefix, strlen(prefix)) != 0) {
		print_error("text\n  \"%s\"\ndoes not start with\n  \"%s\"\n", s ? s : "(null)", prefix);
		_fail(file, line);
	}
}

/* Occurrences of @needle in @hay. */
static inline size_t
ut_count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += len)
		n++;
	return n;
}

/* A new directory "$SRM_TMP/<name>.XXXXXX" (or under /tmp). Free with ut_rmtree. */
static inline char *
ut_tmpdir(const char *name)
{
	const char *base = getenv("SRM_TMP");
	char *dir;

	if (base == NULL || base[0] == '\0')
		base = "/tmp";
	mkdir(base, 0700);
	if (asprintf(&dir, "%s/%s.XXXXXX", base, name) < 0)
		abort();
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "mkdtemp %s: %s\n", dir, strerror(errno));
		abort();
	}
	return dir;
}

static inline int
ut_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Remove @dir and everything in it, then free the string. */
static inline void
ut_rmtree(char *dir)
{
	if (dir == NULL)
		return;
	nftw(dir, ut_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/* "dir/name", a new string. */
static inline char *
ut_path(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		abort();
	return p;
}

/* Write @text to @path with @mode (exactly, whatever the umask). */
static inline void
ut_write(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t len = strlen(text);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

/* The whole file as a new string, or NULL. */
static inline char *
ut_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = (len + 4096 + 1) * 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t n = fread(buf + len, 1, 4096, f);

		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

#endif /* SRMIGRATE_TESTS_UNIT_H */
