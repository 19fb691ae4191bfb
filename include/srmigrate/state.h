/*
 * state: files under LOG_DIR/state/ that outlive the process.
 *
 * Every write is atomic: a temporary file in the same directory, fsync,
 * rename over the old one, fsync of the directory. A reader sees the old
 * file or the new one, never a torn one. State files carry a header line
 * with a format name and a SHA-256 of the body, so a damaged file is
 * detected and reported instead of half-applied.
 */
#ifndef SRMIGRATE_STATE_H
#define SRMIGRATE_STATE_H

#include <stdbool.h>
#include <stddef.h>

/* Write @len bytes to @path atomically (mode 0600). */
int state_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen);

/*
 * A checked state file: "srmigrate-state <kind> v1 <sha256 hex> <length>\n" then
 * the body. state_save writes one; state_load reads it back into a new
 * NUL-terminated string. A missing file gives 0 with *body NULL; a torn or
 * altered file, or one of another kind, is an error.
 */
int state_save(const char *path, const char *kind, const char *body, char *err, size_t errlen);
int state_load(const char *path, const char *kind, char **body, char *err, size_t errlen);

/* LOG_DIR/state, created 0700 if needed. Returns a new string or NULL with err. */
char *state_dir(const char *log_dir, char *err, size_t errlen);

#endif /* SRMIGRATE_STATE_H */
