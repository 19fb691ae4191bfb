/* settings: see settings.h. */
#include "srmigrate/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/log.h"
#include "srmigrate/state.h"
#include "srmigrate/util.h"

#define KIND "settings"

static bool
clean(const char *s)
{
	return strpbrk(s, "\t\n\r") == NULL;
}

static int
save(struct settings *s, char *err, size_t errlen)
{
	size_t cap = 256 + s->n * 400, len = 0;
	char *body = xmalloc(cap);
	int rc;

	body[0] = '\0';
	for (size_t i = 0; i < s->n; i++) {
		const struct setting *x = &s->v[i];

		len += (size_t)snprintf(body + len, cap - len, "%s\t%s\t%s\t%s\t%lld\t%d\n",
					x->side == SIDE_SOURCE ? "source" : "target", x->key, x->original,
					x->current, (long long)x->changed_ms, x->restored);
	}
	rc = state_save(s->path, KIND, body, err, errlen);
	free(body);
	return rc;
}

int
settings_open(struct settings *s, const char *log_dir, char *err, size_t errlen)
{
	char *dir = state_dir(log_dir, err, errlen), *body, *line, *save_ptr = NULL;

	memset(s, 0, sizeof(*s));
	if (dir == NULL)
		return -1;
	s->path = xasprintf("%s/settings", dir);
	free(dir);
	if (state_load(s->path, KIND, &body, err, errlen) != 0)
		return -1;
	for (line = body ? strtok_r(body, "\n", &save_ptr) : NULL; line;
	     line = strtok_r(NULL, "\n", &save_ptr)) {
		struct setting x = { 0 };
		char side[16];
		long long at;
		int restored;

		if (sscanf(line, "%15[^\t]\t%63[^\t]\t%127[^\t]\t%127[^\t]\t%lld\t%d", side, x.key,
			   x.original, x.current, &at, &restored) != 6 ||
		    (!str_eq(side, "source") && !str_eq(side, "target"))) {
			str_fmt(err, errlen, "%s: a line does not parse: '%.60s'", s->path, line);
			free(body);
			return -1;
		}
		x.side = str_eq(side, "source") ? SIDE_SOURCE : SIDE_TARGET;
		x.changed_ms = at;
		x.restored = restored != 0;
		s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
		s->v[s->n++] = x;
	}
	free(body);
	return 0;
}

void
settings_close(struct settings *s)
{
	free(s->path);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

struct setting *
settings_find(struct settings *s, enum side side, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].side == side && str_eq(s->v[i].key, key))
			return &s->v[i];
	return NULL;
}

int
settings_read(struct sql_pool *pool, const char *key, char *value, size_t len, char *err,
	      size_t errlen)
{
	char *lit = sql_string(key), *q = xasprintf("ADMIN SHOW FRONTEND CONFIG LIKE %s", lit);
	struct sql_res *r = sql_pool_query(pool, q, err, errlen);
	int rc = -1;

	free(lit);
	free(q);
	if (r == NULL)
		return -1;
	for (size_t i = 0; i < sql_rows(r); i++) {
		const char *k = sql_cell(r, i, sql_col(r, "Key"));
		const char *v = sql_cell(r, i, sql_col(r, "Value"));

		if (k && v && str_eq(k, key)) {
			str_copy(value, len, v);
			rc = 0;
		}
	}
	if (rc != 0)
		str_fmt(err, errlen, "the FE has no config '%s'", key);
	sql_res_free(r);
	return rc;
}

/* ADMIN SET, then read back. */
static int
set_and_confirm(struct sql_pool *pool, const char *key, const char *value, char *err, size_t errlen)
{
	char *k = sql_string(key), *v = sql_string(value), now[128];
	char *q = xasprintf("ADMIN SET FRONTEND CONFIG (%s = %s)", k, v);
	int rc = sql_pool_exec(pool, q, err, errlen);

	free(k);
	free(v);
	free(q);
	if (rc != 0)
		return -1;
	if (settings_read(pool, key, now, sizeof(now), err, errlen) != 0)
		return -1;
	if (!str_ieq(now, value)) {
		str_fmt(err, errlen, "%s is still %s after setting it to %s", key, now, value);
		return -1;
	}
	return 0;
}

int
settings_change(struct settings *s, struct sql_pool *pool, enum side side, const char *key,
		const char *value, char *err, size_t errlen)
{
	struct setting *x = settings_find(s, side, key);
	char before[128];

	if (!clean(key) || !clean(value) || strlen(key) >= sizeof(x->key) || strlen(value) >= 128) {
		str_fmt(err, errlen, "refusing an unusual setting %s", key);
		return -1;
	}
	if (settings_read(pool, key, before, sizeof(before), err, errlen) != 0)
		return -1;
	if (x == NULL || x->restored) {
		if (x == NULL) {
			s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
			x = &s->v[s->n++];
			memset(x, 0, sizeof(*x));
			x->side = side;
			str_copy(x->key, sizeof(x->key), key);
		}
		str_copy(x->original, sizeof(x->original), before);
	}
	str_copy(x->current, sizeof(x->current), value);
	x->changed_ms = wall_ms();
	x->restored = false;
	/* On disk before the cluster changes: a crash in between loses nothing. */
	if (save(s, err, errlen) != 0)
		return -1;
	if (set_and_confirm(pool, key, value, err, errlen) != 0)
		return -1;
	log_warn("%s: set %s = %s (was %s; recorded for the cutover)", side_name(side), key, value, before);
	return 0;
}

int
settings_restore(struct settings *s, struct sql_pool *pool, enum side side, const char *key,
		 const char *fallback, char *msg, size_t msglen)
{
	struct setting *x = settings_find(s, side, key);
	const char *value = x && !x->restored ? x->original : fallback;
	char err[SRM_ERR_LEN];

	if (set_and_confirm(pool, key, value, err, sizeof(err)) != 0) {
		str_fmt(msg, msglen, "%s %s: %s", side_name(side), key, err);
		return -1;
	}
	if (x) {
		x->restored = true;
		if (save(s, err, sizeof(err)) != 0) {
			str_fmt(msg, msglen, "%s %s restored, but: %s", side_name(side), key, err);
			return -1;
		}
	}
	str_fmt(msg, msglen, "%s %s = %s (%s)", side_name(side), key, value,
		x ? "the value found before the migration" : "the documented default");
	log_info("restored %s", msg);
	return 0;
}
