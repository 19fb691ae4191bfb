/*
 * util: allocation, clocks, strings and formatting shared by every module.
 *
 * The x*alloc family never returns NULL: on exhaustion it calls srm_die(),
 * which first runs the registered die hook (the UI restores the terminal
 * there) and then exits with status 70.
 */
#ifndef SRMIGRATE_UTIL_H
#define SRMIGRATE_UTIL_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SRM_ERR_LEN 512

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called once by srm_die() before it prints; may be NULL. */
void srm_set_die_hook(void (*hook)(void));
_Noreturn void srm_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Set by the signal handlers installed in main.c, read by every thread's
 * loop: lock-free atomics, which
 * a handler may touch (C11 7.14.1.1) and a thread reads without a race
 * (volatile sig_atomic_t is only for the thread that took the signal).
 */
extern atomic_int srm_stop_signal;	/* SIGINT or SIGTERM seen (how many times) */
extern atomic_int srm_hup_signal;	/* SIGHUP: reopen the logs */

int64_t now_ms(void);		/* monotonic */
int64_t wall_ms(void);		/* since the epoch */
void sleep_ms(int64_t ms);

/* Copy with truncation; always NUL-terminates when n > 0. Returns strlen(src). */
size_t str_copy(char *dst, size_t n, const char *src);
/* snprintf into a fixed buffer, truncating; returns dst. */
char *str_fmt(char *dst, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool str_eq(const char *a, const char *b);
bool str_ieq(const char *a, const char *b);
bool str_starts(const char *s, const char *prefix);
/* Strip leading and trailing blanks in place; returns s. */
char *str_trim(char *s);

/*
 * Strict integer parse: the whole string (after trimming blanks) must be a
 * decimal integer within [min, max]. Returns false otherwise.
 */
bool parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* "1.2 GB", "512 B": at most 4 significant characters before the unit. */
char *fmt_bytes(char *dst, size_t n, int64_t bytes);
/* "45s", "12m", "3h04m", "2d05h"; negative gives "unknown". */
char *fmt_duration(char *dst, size_t n, int64_t seconds);
/* "2026-11-23 14:03:11" in local time. */
char *fmt_time(char *dst, size_t n, int64_t epoch_ms);

/* Write @s as a JSON string literal (quotes, escapes). */
void json_quote(FILE *out, const char *s);

/* Overwrite memory the compiler may not optimise away (secrets). */
void mem_wipe(void *p, size_t n);

#endif /* SRMIGRATE_UTIL_H */
