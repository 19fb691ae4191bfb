/*
 * settings: FE configuration srmigrate changes on a cluster (checklist fixes)
 * and puts back (cutover), with the values it found.
 *
 * A change is recorded in LOG_DIR/state/settings (atomic, checked) before it
 * is made, with the value found before srmigrate's first change of that key,
 * so a restart or a second change never loses the original. After ADMIN SET
 * FRONTEND CONFIG the value is read back: a change is done only when the FE
 * says so. (The FE pushes the statement to its other FEs itself.)
 */
#ifndef SRMIGRATE_SETTINGS_H
#define SRMIGRATE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srmigrate/event.h"
#include "srmigrate/sql.h"

struct setting {
	enum side side;
	char key[64];
	char original[128];	/* before srmigrate's first change */
	char current[128];	/* what srmigrate set last */
	int64_t changed_ms;
	bool restored;
};

struct settings {
	char *path;		/* LOG_DIR/state/settings */
	struct setting *v;
	size_t n;
};

/* Read what earlier runs recorded (none is fine). A damaged file is an error. */
int settings_open(struct settings *s, const char *log_dir, char *err, size_t errlen);
void settings_close(struct settings *s);
struct setting *settings_find(struct settings *s, enum side side, const char *key);

/* Read one FE config value (ADMIN SHOW FRONTEND CONFIG LIKE). */
int settings_read(struct sql_pool *pool, const char *key, char *value, size_t len, char *err,
		  size_t errlen);
/* Record, set, read back. */
int settings_change(struct settings *s, struct sql_pool *pool, enum side side, const char *key,
		    const char *value, char *err, size_t errlen);
/* Put back the original value (or @fallback when none was recorded), read back, record. */
int settings_restore(struct settings *s, struct sql_pool *pool, enum side side, const char *key,
		     const char *fallback, char *msg, size_t msglen);

#endif /* SRMIGRATE_SETTINGS_H */
