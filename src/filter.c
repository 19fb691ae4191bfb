/* filter: include_data_list / exclude_data_list (see filter.h). */
#include "srmigrate/filter.h"

#include <stdlib.h>
#include <string.h>

#include "srmigrate/util.h"

/* StarRocks's own databases: never migrated. */
static const char *const system_dbs[] = { "information_schema", "_statistics_", "sys" };

bool
filter_is_system_db(const char *db)
{
	for (size_t i = 0; i < ARRAY_LEN(system_dbs); i++)
		if (str_eq(db, system_dbs[i]))
			return true;
	return false;
}

/*
 * Read one name part starting at *p: either `quoted` (a doubled backtick is
 * a backtick) or plain up to '.'. Returns NULL with why set on a bad part.
 */
static char *
name_part(const char **p, char *why, size_t whylen)
{
	const char *s = *p;

	if (*s == '`') {
		char *out = xmalloc(strlen(s) + 1), *o = out;

		for (s++; *s; s++) {
			if (*s == '`') {
				if (s[1] == '`') {
					*o++ = '`';
					s++;
					continue;
				}
				break;
			}
			*o++ = *s;
		}
		*o = '\0';
		if (*s != '`' || o == out) {
			str_fmt(why, whylen, "unterminated or empty `name` in '%s'", *p);
			free(out);
			return NULL;
		}
		*p = s + 1;
		return out;
	}
	const char *dot = strchr(s, '.');
	size_t len = dot ? (size_t)(dot - s) : strlen(s);

	if (len == 0) {
		str_fmt(why, whylen, "empty name in '%s'", *p);
		return NULL;
	}
	*p = s + len;
	return xstrndup(s, len);
}

static int
parse_item(const char *text, struct filter_item *it, char *why, size_t whylen)
{
	const char *p = text;

	it->db = name_part(&p, why, whylen);
	it->table = NULL;
	it->matched = false;
	if (it->db == NULL)
		return -1;
	if (*p == '\0')
		return 0;
	if (*p != '.') {
		str_fmt(why, whylen, "expected db or db.table, got '%s'", text);
		goto bad;
	}
	p++;
	it->table = name_part(&p, why, whylen);
	if (it->table == NULL)
		goto bad;
	if (*p != '\0') {
		str_fmt(why, whylen, "expected db or db.table, got '%s' (quote a name with a dot in backticks)",
			text);
		goto bad;
	}
	return 0;
bad:
	free(it->db);
	free(it->table);
	return -1;
}

int
filter_add(struct filter *f, bool exclude, const char *list, char *why, size_t whylen)
{
	struct filter_item **items = exclude ? &f->exclude : &f->include;
	size_t *n = exclude ? &f->n_exclude : &f->n_include;
	char *copy, *start;
	int rc = 0;

	if (list == NULL)
		return 0;
	copy = xstrdup(list);
	if (str_trim(copy)[0] == '\0') {
		free(copy);
		return 0;
	}
	/* Split on commas outside backticks. */
	start = copy;
	bool quoted = false;

	for (char *p = copy;; p++) {
		if (*p == '`')
			quoted = !quoted;
		if (*p != '\0' && (*p != ',' || quoted))
			continue;
		bool last = *p == '\0';
		struct filter_item it;

		*p = '\0';
		str_trim(start);
		if (start[0] == '\0') {
			str_fmt(why, whylen, "a list with an empty element");
			rc = -1;
			break;
		}
		if (parse_item(start, &it, why, whylen) != 0) {
			rc = -1;
			break;
		}
		*items = xrealloc(*items, (*n + 1) * sizeof(**items));
		(*items)[(*n)++] = it;
		if (last)
			break;
		start = p + 1;
	}
	free(copy);
	return rc;
}

static void
free_items(struct filter_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(items[i].db);
		free(items[i].table);
	}
	free(items);
}

void
filter_free(struct filter *f)
{
	free_items(f->include, f->n_include);
	free_items(f->exclude, f->n_exclude);
	memset(f, 0, sizeof(*f));
}

/* Does @items name @db (as a whole when @table is NULL, else db or db.table)? */
static bool
listed(const struct filter_item *items, size_t n, const char *db, const char *table, bool any_table)
{
	for (size_t i = 0; i < n; i++) {
		if (!str_eq(items[i].db, db))
			continue;
		if (items[i].table == NULL || any_table)
			return true;
		if (table && str_eq(items[i].table, table))
			return true;
	}
	return false;
}

bool
filter_db(const struct filter *f, const char *db)
{
	if (filter_is_system_db(db))
		return false;
	if (f->n_include && !listed(f->include, f->n_include, db, NULL, true))
		return false;
	return !listed(f->exclude, f->n_exclude, db, NULL, false);
}

bool
filter_table(const struct filter *f, const char *db, const char *table)
{
	if (filter_is_system_db(db))
		return false;
	if (f->n_include && !listed(f->include, f->n_include, db, table, false))
		return false;
	return !listed(f->exclude, f->n_exclude, db, table, false);
}

static void
mark(struct filter_item *items, size_t n, const char *db, const char *table)
{
	for (size_t i = 0; i < n; i++) {
		if (!str_eq(items[i].db, db))
			continue;
		if (items[i].table == NULL ? table == NULL : table && str_eq(items[i].table, table))
			items[i].matched = true;
	}
}

void
filter_mark(struct filter *f, const char *db, const char *table)
{
	mark(f->include, f->n_include, db, table);
	mark(f->exclude, f->n_exclude, db, table);
}
