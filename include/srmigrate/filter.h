/*
 * filter: include_data_list / exclude_data_list.
 *
 * Each list is comma separated; an element is `db` or `db.table` (either part
 * may be written in backticks when it holds a dot). Blanks around elements are
 * ignored; an empty element is an error. Names are compared exactly: StarRocks
 * names are case-sensitive. The include list applies first (empty = all),
 * then the exclude list. System databases are never selected.
 */
#ifndef SRMIGRATE_FILTER_H
#define SRMIGRATE_FILTER_H

#include <stdbool.h>
#include <stddef.h>

struct filter_item {
	char *db;
	char *table;		/* NULL: the whole database */
	bool matched;		/* set by the engine when the object exists */
};

struct filter {
	struct filter_item *include, *exclude;
	size_t n_include, n_exclude;
};

/*
 * Add the elements of one list (NULL or empty adds nothing) to the include
 * or the exclude side. Errors are the reason only; the caller names the key.
 */
int filter_add(struct filter *f, bool exclude, const char *list, char *why, size_t whylen);
void filter_free(struct filter *f);

bool filter_is_system_db(const char *db);
/* True when some table of @db may be selected. */
bool filter_db(const struct filter *f, const char *db);
bool filter_table(const struct filter *f, const char *db, const char *table);
/* Mark list items that name an existing object (for the checklist). */
void filter_mark(struct filter *f, const char *db, const char *table);

#endif /* SRMIGRATE_FILTER_H */
