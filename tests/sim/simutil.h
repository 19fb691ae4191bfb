/*
 * simutil: strings, clocks and StarRocks-style value formatting for srsim.
 *
 * srsim links none of srmigrate's code (it must be built from the facts, not
 * from the client), so the few helpers it needs live here. Allocation goes
 * through GLib (g_malloc aborts on exhaustion, which is what a test tool wants).
 */
#ifndef SRSIM_SIMUTIL_H
#define SRSIM_SIMUTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SU_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A growable byte string; p is always NUL-terminated once anything was added. */
struct sb {
	char *p;
	size_t len, cap;
};

void sb_init(struct sb *b);
void sb_free(struct sb *b);
void sb_reset(struct sb *b);
/* Room for extra more bytes and the terminating NUL. */
void sb_reserve(struct sb *b, size_t extra);
void sb_puts(struct sb *b, const char *s);

/* Inline: bulk answers append hundreds of millions of small pieces. */
static inline void
sb_put(struct sb *b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		sb_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void
sb_putc(struct sb *b, char c)
{
	if (b->len + 2 > b->cap)
		sb_reserve(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}
void sb_printf(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct sb *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hand the buffer to the caller (g_free it); b is empty afterwards. */
char *sb_steal(struct sb *b);
/* A backquoted identifier, backquotes doubled: `a``b`. */
void sb_ident(struct sb *b, const char *name);

int64_t su_now_ms(void);		/* monotonic */
int64_t su_wall_ms(void);		/* since the epoch */
void su_sleep_ms(int64_t ms);

/* "yyyy-MM-dd HH:mm:ss" in local time, or "\N" for a time <= 0 (TimeUtils.longToTimeString). */
const char *su_fmt_time(char *buf, size_t n, int64_t wall_ms);
/* "1.234 GB": DebugUtil.getByteUint with three decimals. */
const char *su_fmt_byte_unit(char *buf, size_t n, int64_t bytes);
/* "1.2KB", "3MB", "0B": ByteSizeValue.toString. */
const char *su_fmt_bytesize(char *buf, size_t n, int64_t bytes);

/* "64MB", "1.5 GB", "1000" (bytes). */
bool su_parse_size(const char *s, int64_t *out);
/* "10s", "500ms", "2m", "1h", "1.5" (seconds). */
bool su_parse_duration(const char *s, double *secs);
bool su_parse_i64(const char *s, int64_t *out);
bool su_parse_bool(const char *s, bool *out);

bool su_ieq(const char *a, const char *b);
bool su_istarts(const char *s, const char *prefix);
/* SQL LIKE with % and _, case-insensitive as StarRocks compares names in information_schema. */
bool su_like(const char *s, const char *pattern, bool case_insensitive);
/* Split "a, b ,c" on sep into trimmed, non-empty, newly allocated strings (g_strfreev). */
char **su_split(const char *s, char sep);

/* Deterministic 64-bit mix (splitmix64), used to derive stable per-object numbers. */
uint64_t su_mix(uint64_t x);

#endif /* SRSIM_SIMUTIL_H */
