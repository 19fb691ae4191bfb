/* log: see log.h. One mutex orders lines from every thread. */
#include "srmigrate/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "srmigrate/secret.h"
#include "srmigrate/util.h"

#define TAP_SIZE 512

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char *log_dir;
static FILE *info_f, *warn_f, *echo_f;
static enum log_level echo_min = LOG_INFO;
static int debug_on;

/* The tap: a circular buffer of recent lines for the engine to publish. */
static struct ev_log tap[TAP_SIZE];
static size_t tap_head, tap_len, tap_dropped;

static FILE *
open_append(const char *dir, const char *name, char *err, size_t errlen)
{
	char path[4096];
	int fd;
	FILE *f;

	str_fmt(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (fd < 0 || (f = fdopen(fd, "a")) == NULL) {
		if (err)
			str_fmt(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

static int
mkdir_p(const char *dir)
{
	char *copy = xstrdup(dir);
	int rc = 0;

	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0750) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (mkdir(copy, 0750) != 0 && errno != EEXIST)
		rc = -1;
	free(copy);
	return rc;
}

int
log_open(const char *dir, char *err, size_t errlen)
{
	FILE *i, *w;

	if (mkdir_p(dir) != 0) {
		str_fmt(err, errlen, "%s: cannot create the log directory: %s", dir, strerror(errno));
		return -1;
	}
	if ((i = open_append(dir, "sync.INFO.log", err, errlen)) == NULL)
		return -1;
	if ((w = open_append(dir, "sync.WARN.log", err, errlen)) == NULL) {
		fclose(i);
		return -1;
	}
	pthread_mutex_lock(&log_lock);
	free(log_dir);
	log_dir = xstrdup(dir);
	if (info_f)
		fclose(info_f);
	if (warn_f)
		fclose(warn_f);
	info_f = i;
	warn_f = w;
	pthread_mutex_unlock(&log_lock);
	return 0;
}

void
log_close(void)
{
	pthread_mutex_lock(&log_lock);
	if (info_f)
		fclose(info_f);
	if (warn_f)
		fclose(warn_f);
	info_f = warn_f = NULL;
	free(log_dir);
	log_dir = NULL;
	pthread_mutex_unlock(&log_lock);
}

void
log_echo(FILE *f, enum log_level min)
{
	pthread_mutex_lock(&log_lock);
	echo_f = f;
	echo_min = min;
	pthread_mutex_unlock(&log_lock);
}

void
log_debug_enable(int on)
{
	debug_on = on;
}

/* Called with the lock held. */
static void
reopen_if_asked(void)
{
	FILE *i, *w;

	if (log_dir == NULL || !atomic_exchange(&srm_hup_signal, 0))
		return;
	i = open_append(log_dir, "sync.INFO.log", NULL, 0);
	w = open_append(log_dir, "sync.WARN.log", NULL, 0);
	if (i) {
		if (info_f)
			fclose(info_f);
		info_f = i;
	}
	if (w) {
		if (warn_f)
			fclose(warn_f);
		warn_f = w;
	}
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "DEBUG", "INFO", "WARN", "ERROR" };
	char text[EV_LONG_LEN * 2], stamp[40];
	int64_t now = wall_ms();
	time_t t = (time_t)(now / 1000);
	struct tm tm;
	va_list ap;

	if (level == LOG_DEBUG && !debug_on)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	secret_redact(text, sizeof(text));
	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);

	pthread_mutex_lock(&log_lock);
	reopen_if_asked();
	if (info_f)
		fprintf(info_f, "%s.%03d %-5s %s\n", stamp, (int)(now % 1000), names[level], text);
	if (warn_f && level >= LOG_WARN)
		fprintf(warn_f, "%s.%03d %-5s %s\n", stamp, (int)(now % 1000), names[level], text);
	if (echo_f && level >= echo_min) {
		fprintf(echo_f, "%s %-5s %s\n", stamp, names[level], text);
		fflush(echo_f);
	}
	if (level >= LOG_INFO) {
		struct ev_log *slot;

		if (tap_len == TAP_SIZE) {
			tap_head = (tap_head + 1) % TAP_SIZE;
			tap_len--;
			tap_dropped++;
		}
		slot = &tap[(tap_head + tap_len) % TAP_SIZE];
		slot->time_ms = now;
		slot->level = level;
		str_copy(slot->text, sizeof(slot->text), text);
		tap_len++;
	}
	pthread_mutex_unlock(&log_lock);
}

size_t
log_drain(struct ev_log *out, size_t max, size_t *dropped)
{
	size_t n = 0;

	pthread_mutex_lock(&log_lock);
	while (n < max && tap_len > 0) {
		out[n++] = tap[tap_head];
		tap_head = (tap_head + 1) % TAP_SIZE;
		tap_len--;
	}
	*dropped = tap_dropped;
	tap_dropped = 0;
	pthread_mutex_unlock(&log_lock);
	return n;
}
