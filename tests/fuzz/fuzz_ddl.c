/*
 * fuzz_ddl: SHOW CREATE TABLE text rewritten for the target under each kind
 * of rules, its PROPERTIES read and edited, ADD PARTITION built for every
 * partition name the text seems to have (and one it does not), each line
 * read as a partitions_meta Range / List cell; the same text as a view's and
 * a materialized view's (and the tables its query reads), its columns and
 * indexes, and the property changes it would need against itself.
 */
#include <ctype.h>
#include <stdbool.h>
#include <strings.h>

#include "fuzz/fuzz.h"
#include "srmigrate/ddl.h"

/* Awkward names on purpose: they must come out quoted, whatever the text. */
#define DB "d`b"
#define TABLE "t; x"
#define QUOTED "`d``b`.`t; x`"

static const struct ddl_rules rules[] = {
	{ .replication_num = -1, .persistent_index = -1, .storage_volume = "" },
	{ .target_shared_data = true, .replication_num = 1, .persistent_index = 1,
	  .storage_volume = "vol_a" },
	{ .target_shared_data = true, .source_shared_data = true, .replication_num = -1,
	  .persistent_index = 0, .builtin_volume_only = true, .storage_volume = "" },
	{ .source_shared_data = true, .replication_num = 3, .persistent_index = -1,
	  .storage_volume = "" },
};

static void
create_table(const char *text)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		char err[512] = "";
		char *sql = ddl_create_table(text, DB, TABLE, &rules[i], err, sizeof(err));
		size_t n;

		if (sql == NULL) {
			FUZZ_CHECK(err[0] != '\0');
			continue;
		}
		FUZZ_CHECK(strncmp(sql, "CREATE TABLE " QUOTED, strlen("CREATE TABLE " QUOTED)) == 0);
		n = strlen(sql);
		FUZZ_CHECK(n > 0 && sql[n - 1] != ';' && !isspace((unsigned char)sql[n - 1]));
		free(sql);
	}
}

static void
properties(const char *text)
{
	struct ddl_props p;
	char err[512] = "";

	if (ddl_props_parse(text, &p, err, sizeof(err)) != 0) {
		FUZZ_CHECK(err[0] != '\0' && p.n == 0 && p.v == NULL);
		return;
	}
	for (size_t i = 0; i < p.n; i++) {
		FUZZ_CHECK(ddl_props_get(&p, p.v[i].key) != NULL);
		ddl_prop_shared_data_only(p.v[i].key);
		ddl_prop_shared_nothing_only(p.v[i].key);
	}
	ddl_props_set(&p, "replication_num", "2");
	FUZZ_CHECK(strcmp(ddl_props_get(&p, "replication_num"), "2") == 0);
	if (p.n > 1)
		ddl_props_del(&p, p.v[0].key);
	ddl_props_free(&p);
}

static void
add_partition(const char *text, const char *name)
{
	static const char *const dists[] = { NULL, "", "ALL KEY", "`k`, b", "`", " , ,`x``y`" };
	/* Range and list cells as partitions_meta prints them, for lists the text does not have. */
	static const char *const values[] = {
		"[types: [DATE]; keys: [2024-01-01]; ..types: [DATE]; keys: [2024-01-02]; )",
		"(('eu', 'paris'), ('eu', 'rome, italy'))", "('1', '2')", NULL,
	};

	for (size_t i = 0; i < sizeof(dists) / sizeof(dists[0]); i++) {
		struct ddl_partition part = {
			.db = DB, .table = TABLE, .name = name, .value = values[i % 4],
			.dist_key = dists[i], .buckets = (int)i - 1,
		};
		char err[512] = "";
		char *sql = ddl_add_partition(text, &part, &rules[i % 4], err, sizeof(err));

		if (sql == NULL) {
			FUZZ_CHECK(err[0] != '\0');
			continue;
		}
		/* The clause is the FE's text: PARTITION as it was written (any case, `name` right after). */
		FUZZ_CHECK(strncasecmp(sql, "ALTER TABLE " QUOTED " ADD PARTITION",
				       strlen("ALTER TABLE " QUOTED " ADD PARTITION")) == 0);
		free(sql);
	}
}

/* Each line as a Range / List cell of partitions_meta. */
static void
values(const char *text)
{
	char *copy = strdup(text), *save = NULL;

	if (copy == NULL)
		abort();
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char err[512] = "", *v = ddl_partition_values(line, err, sizeof(err));

		FUZZ_CHECK(v ? strncmp(v, "VALUES ", 7) == 0 : err[0] != '\0');
		free(v);
	}
	free(copy);
}

/* The names after each "PARTITION" word, as a partition list would have them. */
static void
partitions(const char *text)
{
	int tried = 0;

	for (const char *p = strstr(text, "PARTITION"); p && tried < 8; p = strstr(p + 1, "PARTITION")) {
		const char *s = p + 9, *e;
		char name[128];

		while (*s == ' ')
			s++;
		if (*s == '`') {
			e = strchr(s + 1, '`');
			if (e == NULL)
				continue;
			s++;
		} else {
			e = s;
			while (isalnum((unsigned char)*e) || *e == '_')
				e++;
		}
		if (e == s || (size_t)(e - s) >= sizeof(name))
			continue;
		memcpy(name, s, (size_t)(e - s));
		name[e - s] = '\0';
		add_partition(text, name);
		tried++;
	}
	add_partition(text, "no_such_partition");
}

/* The same text as a view's and as a materialized view's, and the query they define. */
static void
views(const char *text)
{
	char err[512] = "", *sql;
	const char *q = ddl_defining_query(text);

	FUZZ_CHECK(q == NULL || (q >= text && q <= text + strlen(text)));
	sql = ddl_create_view(text, DB, TABLE, err, sizeof(err));
	FUZZ_CHECK(sql ? strncmp(sql, "CREATE VIEW " QUOTED, strlen("CREATE VIEW " QUOTED)) == 0 : err[0] != '\0');
	free(sql);
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		err[0] = '\0';
		sql = ddl_create_mv(text, DB, TABLE, &rules[i], err, sizeof(err));
		FUZZ_CHECK(sql ? strncmp(sql, "CREATE MATERIALIZED VIEW " QUOTED,
					 strlen("CREATE MATERIALIZED VIEW " QUOTED)) == 0
			       : err[0] != '\0');
		free(sql);
	}
	if (q) {
		char **pairs;
		size_t n = ddl_query_tables(q, "d", &pairs);

		for (size_t i = 0; i < 2 * n; i++) {
			FUZZ_CHECK(pairs[i] != NULL);
			free(pairs[i]);
		}
		free(pairs);
	}
}

/* Columns and indexes: a schema agrees with itself, and every index can be made again. */
static void
schema(const char *text)
{
	struct ddl_schema s;
	char err[512] = "", why[512] = "";

	if (ddl_schema_parse(text, NULL, &s, err, sizeof(err)) != 0) {
		FUZZ_CHECK(err[0] != '\0');
		return;
	}
	bool twice = false;

	for (size_t i = 0; i < s.n_cols; i++) {
		FUZZ_CHECK(s.cols[i].name && s.cols[i].type);
		for (size_t k = i + 1; k < s.n_cols; k++)
			twice |= strcmp(s.cols[i].name, s.cols[k].name) == 0;
	}
	/* Columns are found by name: one listed twice (no FE prints that) may differ from itself. */
	FUZZ_CHECK(!ddl_columns_differ(&s, &s, why, sizeof(why)) || twice);
	for (size_t i = 0; i < s.n_idx; i++) {
		const struct ddl_index *ix = &s.idx[i];
		char *sql;

		FUZZ_CHECK(ix->name && ix->columns && ix->using);
		FUZZ_CHECK(ddl_schema_index(&s, ix->name) != NULL);
		FUZZ_CHECK(ddl_index_equal(ix, ix));
		sql = ddl_create_index(DB, TABLE, ix);
		FUZZ_CHECK(strncmp(sql, "CREATE INDEX ", 13) == 0);
		free(sql);
	}
	ddl_schema_free(&s);
}

/* A table compared with itself needs no property change (unless a key is listed twice). */
static void
property_changes(const char *text)
{
	struct ddl_props changes, all;
	char err[512] = "";
	bool twice = false;

	if (ddl_property_changes(text, text, &rules[0], &changes, err, sizeof(err)) != 0) {
		FUZZ_CHECK(err[0] != '\0');
		return;
	}
	if (ddl_props_parse(text, &all, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < all.n; i++)
			for (size_t k = i + 1; k < all.n; k++)
				twice |= strcmp(all.v[i].key, all.v[k].key) == 0;
		ddl_props_free(&all);
	}
	FUZZ_CHECK(changes.n == 0 || twice);
	ddl_props_free(&changes);
	for (size_t i = 1; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (ddl_property_changes(text, text, &rules[i], &changes, err, sizeof(err)) != 0)
			continue;
		for (size_t k = 0; k < changes.n; k++) {
			char *sql;

			FUZZ_CHECK(ddl_prop_settable(changes.v[k].key));
			sql = ddl_set_property(DB, TABLE, changes.v[k].key, changes.v[k].value);
			FUZZ_CHECK(strncmp(sql, "ALTER TABLE " QUOTED " SET (", strlen("ALTER TABLE " QUOTED " SET (")) == 0);
			free(sql);
		}
		ddl_props_free(&changes);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);

	create_table(text);
	properties(text);
	partitions(text);
	values(text);
	views(text);
	schema(text);
	property_changes(text);
	free(text);
	return 0;
}
