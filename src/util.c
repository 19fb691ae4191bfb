/* util: see util.h. */
#include "srmigrate/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "signal flags must be lock-free atomics");
atomic_int srm_stop_signal;
atomic_int srm_hup_signal;

static void (*die_hook)(void);

void
srm_set_die_hook(void (*hook)(void))
{
	die_hook = hook;
}

void
srm_die(const char *fmt, ...)
{
	va_list ap;

	if (die_hook) {
		void (*hook)(void) = die_hook;

		die_hook = NULL;	/* a failing hook must not recurse */
		hook();
	}
	fputs("srmigrate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(70);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		srm_die("out of memory (%zu bytes)", n);
	return p;
}

void *
xcalloc(size_t count, size_t n)
{
	void *p = calloc(count ? count : 1, n ? n : 1);

	if (p == NULL)
		srm_die("out of memory (%zu x %zu bytes)", count, n);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		srm_die("out of memory (%zu bytes)", n);
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = xmalloc(len + 1);

	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		srm_die("bad format: %s", fmt);
	s = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return s;
}

int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
sleep_ms(int64_t ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	while (ms > 0 && nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

size_t
str_copy(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);

	if (n > 0) {
		size_t k = len < n - 1 ? len : n - 1;

		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return len;
}

char *
str_fmt(char *dst, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, n, fmt, ap);
	va_end(ap);
	return dst;
}

bool
str_eq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

bool
str_ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

bool
str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *
str_trim(char *s)
{
	char *start = s, *end;

	while (*start == ' ' || *start == '\t' || *start == '\r' || *start == '\n')
		start++;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
			       end[-1] == '\n'))
		end--;
	*end = '\0';
	if (start != s)
		memmove(s, start, (size_t)(end - start) + 1);
	return s;
}

bool
parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL)
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || !(isdigit((unsigned char)*s) || *s == '-' || *s == '+'))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s)
		return false;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

char *
fmt_bytes(char *dst, size_t n, int64_t bytes)
{
	static const char *const unit[] = { "B", "KB", "MB", "GB", "TB", "PB", "EB" };
	double v = (double)bytes;
	size_t u = 0;

	if (bytes < 0)
		return str_fmt(dst, n, "?");
	while (v >= 1024.0 && u + 1 < ARRAY_LEN(unit)) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		return str_fmt(dst, n, "%lld B", (long long)bytes);
	return str_fmt(dst, n, v < 10.0 ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

char *
fmt_duration(char *dst, size_t n, int64_t s)
{
	if (s < 0)
		return str_fmt(dst, n, "unknown");
	if (s < 60)
		return str_fmt(dst, n, "%llds", (long long)s);
	if (s < 3600)
		return str_fmt(dst, n, "%lldm", (long long)(s / 60));
	if (s < 86400)
		return str_fmt(dst, n, "%lldh%02lldm", (long long)(s / 3600),
			       (long long)(s % 3600 / 60));
	return str_fmt(dst, n, "%lldd%02lldh", (long long)(s / 86400),
		       (long long)(s % 86400 / 3600));
}

char *
fmt_time(char *dst, size_t n, int64_t epoch_ms)
{
	time_t t = (time_t)(epoch_ms / 1000);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(dst, n, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		str_copy(dst, n, "?");
	return dst;
}

void
json_quote(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void
mem_wipe(void *p, size_t n)
{
	if (p != NULL)
		explicit_bzero(p, n);
}
