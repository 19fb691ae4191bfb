/*
 * fuzz_ddl: SHOW CREATE TABLE text rewritten for the target under each kind
 * of rules, its PROPERTIES read and edited, ADD PARTITION built for every
 * partition name the text seems to have (and one it does not), and each line
 * read as a partitions_meta Range / List cell.
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);

	create_table(text);
	properties(text);
	partitions(text);
	values(text);
	free(text);
	return 0;
}
