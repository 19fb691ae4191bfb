/*
 * fuzz_filter: include_data_list and exclude_data_list.
 *
 * Input: the include list on the first line, the exclude list on the
 * second, then names ("db" or "db.table", split at the first dot) asked
 * of the filter, one per line.
 */
#include "fuzz/fuzz.h"
#include "srmigrate/filter.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filter f = { 0 };
	char why[512], *text = fuzz_text(data, size), *save = NULL;
	char *include = strtok_r(text, "\n", &save);
	char *exclude = include ? strtok_r(NULL, "\n", &save) : NULL;
	int rc = filter_add(&f, false, include, why, sizeof(why));

	/* A failed list still leaves the filter whole (and freeable). */
	if (rc == 0)
		filter_add(&f, true, exclude, why, sizeof(why));
	for (size_t i = 0; i < f.n_include; i++)
		FUZZ_CHECK(f.include[i].db[0] != '\0' && (!f.include[i].table || f.include[i].table[0]));
	for (size_t i = 0; i < f.n_exclude; i++)
		FUZZ_CHECK(f.exclude[i].db[0] != '\0' && (!f.exclude[i].table || f.exclude[i].table[0]));
	for (char *name = strtok_r(NULL, "\n", &save); name; name = strtok_r(NULL, "\n", &save)) {
		char *dot = strchr(name, '.');
		const char *table = NULL;
		bool db_ok;

		if (dot) {
			*dot = '\0';
			table = dot + 1;
		}
		db_ok = filter_db(&f, name);
		if (table) {
			/* A table is never selected in a database that is not. */
			FUZZ_CHECK(!filter_table(&f, name, table) || db_ok);
			filter_mark(&f, name, table);
		} else {
			filter_mark(&f, name, NULL);
		}
		FUZZ_CHECK(!filter_is_system_db(name) || !db_ok);
	}
	/* Every listed item selects (or deselects) what it names. */
	for (size_t i = 0; f.n_exclude == 0 && i < f.n_include; i++) {
		const struct filter_item *it = &f.include[i];

		if (filter_is_system_db(it->db))
			continue;
		FUZZ_CHECK(filter_db(&f, it->db));
		FUZZ_CHECK(!it->table || filter_table(&f, it->db, it->table));
	}
	filter_free(&f);
	free(text);
	return 0;
}
