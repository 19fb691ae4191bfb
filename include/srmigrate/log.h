/*
 * log: LOG_DIR/sync.INFO.log, and WARNING/ERROR lines in sync.WARN.log too,
 * as the official tool lays them out.
 *
 * Any thread may log. Every line is redacted (secret_redact) before it is
 * written anywhere. SIGHUP (srm_hup_signal) makes the next line reopen both
 * files, for logrotate. Lines also go to an optional echo stream (headless
 * mode prints to stderr; never while a UI owns the terminal) and to a small
 * in-memory tap the engine drains into EV_LOG events.
 */
#ifndef SRMIGRATE_LOG_H
#define SRMIGRATE_LOG_H

#include <stddef.h>
#include <stdio.h>

#include "srmigrate/event.h"

int log_open(const char *dir, char *err, size_t errlen);
void log_close(void);
/* Also write lines at or above @min to @f (NULL: stop). */
void log_echo(FILE *f, enum log_level min);
/* Keep DEBUG lines too (SRMIGRATE_DEBUG=1). */
void log_debug_enable(int on);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/*
 * Move up to @max lines (INFO and above) logged since the last call into @out,
 * oldest first. Lines that did not fit in the tap are counted in *dropped.
 */
size_t log_drain(struct ev_log *out, size_t max, size_t *dropped);

#endif /* SRMIGRATE_LOG_H */
