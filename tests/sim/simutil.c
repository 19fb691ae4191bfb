/*
 * simutil: strings, clocks and StarRocks-style value formatting for srsim.
 */
#include "simutil.h"

#include <ctype.h>
#include <errno.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void
sb_init(struct sb *b)
{
	b->p = NULL;
	b->len = b->cap = 0;
}

void
sb_free(struct sb *b)
{
	g_free(b->p);
	sb_init(b);
}

void
sb_reset(struct sb *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void
sb_reserve(struct sb *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->p = g_realloc(b->p, cap);
	b->cap = cap;
}

void
sb_puts(struct sb *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void
sb_vprintf(struct sb *b, const char *fmt, va_list ap)
{
	va_list cp;

	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	sb_reserve(b, (size_t)n);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

char *
sb_steal(struct sb *b)
{
	char *p = b->p ? b->p : g_strdup("");

	sb_init(b);
	return p;
}

void
sb_ident(struct sb *b, const char *name)
{
	sb_putc(b, '`');
	for (const char *s = name; *s; s++) {
		if (*s == '`')
			sb_putc(b, '`');
		sb_putc(b, *s);
	}
	sb_putc(b, '`');
}

int64_t
su_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
su_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
su_sleep_ms(int64_t ms)
{
	if (ms <= 0)
		return;
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

const char *
su_fmt_time(char *buf, size_t n, int64_t wall_ms)
{
	if (wall_ms <= 0) {
		snprintf(buf, n, "\\N");
		return buf;
	}
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

const char *
su_fmt_byte_unit(char *buf, size_t n, int64_t bytes)
{
	static const char *const unit[] = { "B", "KB", "MB", "GB", "TB" };
	double v = (double)bytes;
	size_t u = 0;

	while (u + 1 < SU_LEN(unit) && fabs(v) >= 1024.0) {
		v /= 1024.0;
		u++;
	}
	snprintf(buf, n, "%.3f %s", v, unit[u]);
	return buf;
}

const char *
su_fmt_bytesize(char *buf, size_t n, int64_t bytes)
{
	static const char *const unit[] = { "B", "KB", "MB", "GB", "TB", "PB" };
	double v = (double)bytes;
	size_t u = 0;

	while (u + 1 < SU_LEN(unit) && fabs(v) >= 1024.0) {
		v /= 1024.0;
		u++;
	}
	/* One decimal, and none when it is zero (Strings.format1Decimals). */
	double r = round(v * 10.0) / 10.0;
	if (r == floor(r))
		snprintf(buf, n, "%.0f%s", r, unit[u]);
	else
		snprintf(buf, n, "%.1f%s", r, unit[u]);
	return buf;
}

bool
su_parse_size(const char *s, int64_t *out)
{
	char *end;
	double v;

	if (!s)
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || v < 0)
		return false;
	while (*end == ' ')
		end++;
	double mul = 1;
	if (!*end || su_ieq(end, "b"))
		mul = 1;
	else if (su_ieq(end, "k") || su_ieq(end, "kb"))
		mul = 1024.0;
	else if (su_ieq(end, "m") || su_ieq(end, "mb"))
		mul = 1024.0 * 1024;
	else if (su_ieq(end, "g") || su_ieq(end, "gb"))
		mul = 1024.0 * 1024 * 1024;
	else if (su_ieq(end, "t") || su_ieq(end, "tb"))
		mul = 1024.0 * 1024 * 1024 * 1024;
	else
		return false;
	*out = (int64_t)(v * mul);
	return true;
}

bool
su_parse_duration(const char *s, double *secs)
{
	char *end;
	double v;

	if (!s)
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || v < 0)
		return false;
	while (*end == ' ')
		end++;
	if (!*end || su_ieq(end, "s"))
		*secs = v;
	else if (su_ieq(end, "ms"))
		*secs = v / 1000.0;
	else if (su_ieq(end, "m") || su_ieq(end, "min"))
		*secs = v * 60.0;
	else if (su_ieq(end, "h"))
		*secs = v * 3600.0;
	else
		return false;
	return true;
}

bool
su_parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || errno)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return false;
	*out = v;
	return true;
}

bool
su_parse_bool(const char *s, bool *out)
{
	if (!s)
		return false;
	if (su_ieq(s, "true") || su_ieq(s, "yes") || su_ieq(s, "on") || strcmp(s, "1") == 0)
		*out = true;
	else if (su_ieq(s, "false") || su_ieq(s, "no") || su_ieq(s, "off") || strcmp(s, "0") == 0)
		*out = false;
	else
		return false;
	return true;
}

bool
su_ieq(const char *a, const char *b)
{
	return a && b && g_ascii_strcasecmp(a, b) == 0;
}

bool
su_istarts(const char *s, const char *prefix)
{
	return g_ascii_strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool
like_match(const char *s, const char *p, bool ci)
{
	for (; *p; p++, s++) {
		if (*p == '%') {
			while (p[1] == '%')
				p++;
			if (!p[1])
				return true;
			for (; *s; s++)
				if (like_match(s, p + 1, ci))
					return true;
			return false;
		}
		if (!*s)
			return false;
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '_')
			continue;
		char a = ci ? (char)g_ascii_tolower(*s) : *s;
		char b = ci ? (char)g_ascii_tolower(*p) : *p;
		if (a != b)
			return false;
	}
	return *s == '\0';
}

bool
su_like(const char *s, const char *pattern, bool case_insensitive)
{
	return like_match(s, pattern, case_insensitive);
}

char **
su_split(const char *s, char sep)
{
	GPtrArray *out = g_ptr_array_new();
	char sepstr[2] = { sep, 0 };
	char **parts = g_strsplit(s ? s : "", sepstr, -1);

	for (char **p = parts; *p; p++) {
		char *t = g_strstrip(*p);
		if (*t)
			g_ptr_array_add(out, g_strdup(t));
	}
	g_strfreev(parts);
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

uint64_t
su_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}
