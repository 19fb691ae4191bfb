/*
 * fuzz_meta: SQL results read into a catalog by meta.c, without a server.
 *
 * The input is a script of answers:
 *
 *   > SHOW FRONTENDS                  the start of a statement (the longest match answers)
 *   Name<TAB>IP<TAB>QueryPort ...     the column titles
 *   fe1<TAB>127.0.0.1<TAB>9030 ...    a row: \N is NULL, missing cells are NULL,
 *                                     cells beyond the titles are dropped
 *   > SHOW COMPUTE NODES
 *   !Unknown statement                an error instead of a result
 *
 * The link wraps sql_pool_query and sql_query (-Wl,--wrap), so meta.c runs as
 * it is and every statement it sends is answered from the script, through a
 * result built by sql_res_new; a statement the script does not answer fails.
 * Then every invariant the engine relies on is checked: a value that did not
 * parse left an error on its node or table, never a number to act on.
 */
#include <stdbool.h>

#include "fuzz/fuzz.h"
#include "srmigrate/catalog.h"
#include "srmigrate/meta.h"

#define MAX_COLS 64

struct sql_res *__wrap_sql_pool_query(struct sql_pool *p, const char *stmt, char *err, size_t errlen);
struct sql_res *__wrap_sql_query(struct sql_conn *c, const char *stmt, char *err, size_t errlen);

struct section {
	const char *stmt;	/* after "> " */
	size_t stmt_len;
	const char *body;	/* the lines after, up to the next "> " line */
	size_t body_len;
};

static struct section *sections;
static size_t n_sections;

static void
script_load(const char *text)
{
	const char *p = text;

	n_sections = 0;
	while (*p) {
		const char *eol = strchr(p, '\n'), *next = eol ? eol + 1 : p + strlen(p);

		if (p[0] == '>' && p[1] == ' ') {
			sections = realloc(sections, (n_sections + 1) * sizeof(*sections));
			if (sections == NULL)
				abort();
			sections[n_sections++] = (struct section){
				.stmt = p + 2, .stmt_len = (size_t)((eol ? eol : next) - p - 2), .body = next,
			};
		} else if (n_sections > 0) {
			struct section *s = &sections[n_sections - 1];

			s->body_len = (size_t)(next - s->body);
		}
		p = next;
	}
}

/* Split @line at tabs into @out, at most @max cells; "\N" is NULL. */
static size_t
split(char *line, char **out, size_t max)
{
	size_t n = 0;

	for (char *p = line; n < max;) {
		char *tab = strchr(p, '\t');

		if (tab)
			*tab = '\0';
		out[n++] = strcmp(p, "\\N") == 0 ? NULL : p;
		if (tab == NULL)
			break;
		p = tab + 1;
	}
	return n;
}

static struct sql_res *
build(const struct section *s, char *err, size_t errlen)
{
	char *body = strndup(s->body, s->body_len), *save = NULL, *line;
	char *titles[MAX_COLS];
	const char *names[MAX_COLS];
	const char **cells = NULL;
	size_t ncols = 0, nrows = 0;
	struct sql_res *r = NULL;

	if (body == NULL)
		abort();
	for (line = strtok_r(body, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (ncols == 0) {
			if (line[0] == '!') {
				snprintf(err, errlen, "%s", line + 1);
				goto out;
			}
			ncols = split(line, titles, MAX_COLS);
			for (size_t i = 0; i < ncols; i++)
				names[i] = titles[i] ? titles[i] : "\\N";
			continue;
		}
		char *row[MAX_COLS];
		size_t n = split(line, row, ncols);

		cells = realloc(cells, (nrows + 1) * ncols * sizeof(*cells));
		if (cells == NULL)
			abort();
		for (size_t i = 0; i < ncols; i++)
			cells[nrows * ncols + i] = i < n ? row[i] : NULL;
		nrows++;
	}
	r = sql_res_new(ncols, names, nrows, cells);
out:
	free(cells);
	free(body);
	return r;
}

static struct sql_res *
answer(const char *stmt, char *err, size_t errlen)
{
	const struct section *best = NULL;

	for (size_t i = 0; i < n_sections; i++) {
		const struct section *s = &sections[i];

		if (s->stmt_len > 0 && strncmp(stmt, s->stmt, s->stmt_len) == 0 &&
		    (best == NULL || s->stmt_len > best->stmt_len))
			best = s;
	}
	if (best == NULL) {
		snprintf(err, errlen, "no answer in the script");
		return NULL;
	}
	return build(best, err, errlen);
}

struct sql_res *
__wrap_sql_pool_query(struct sql_pool *p, const char *stmt, char *err, size_t errlen)
{
	(void)p;
	return answer(stmt, err, errlen);
}

struct sql_res *
__wrap_sql_query(struct sql_conn *c, const char *stmt, char *err, size_t errlen)
{
	(void)c;
	return answer(stmt, err, errlen);
}

static void
check_nodes(const struct catalog *c)
{
	for (size_t i = 0; i < c->n_nodes; i++) {
		const struct cat_node *n = &c->nodes[i];

		FUZZ_CHECK(n->host && n->host[0]);
		FUZZ_CHECK(n->query_port >= 0 && n->query_port <= 65535);
		FUZZ_CHECK(n->be_port >= 0 && n->be_port <= 65535);
		FUZZ_CHECK(n->disk_pct == -1 || (n->disk_pct >= 0 && n->disk_pct <= 100.0001));
		FUZZ_CHECK(n->avail_bytes >= -1);
		if (n->kind != NODE_FE && n->error == NULL)
			FUZZ_CHECK(n->id >= 0);
	}
	catalog_leader(c);
}

static bool
native(const struct cat_table *t)
{
	return t->kind == TK_OLAP || t->kind == TK_CLOUD_NATIVE;
}

static void
check_tables(const struct catalog *c)
{
	for (size_t i = 0; i < c->n_tables; i++) {
		const struct cat_table *t = &c->tables[i];
		const struct cat_part *parts;
		size_t n;

		FUZZ_CHECK(catalog_table(c, t->db, t->name) == t);
		if (!native(t) || t->error)
			continue;
		/* A table the engine may replicate has real ids. */
		FUZZ_CHECK(t->id >= 1 && t->db_id >= 1);
		parts = catalog_parts(c, t, &n);
		for (size_t k = 0; k < n; k++) {
			const struct cat_part *p = &parts[k];

			FUZZ_CHECK(p->name && p->id >= 1 && p->visible_version >= 0);
			FUZZ_CHECK(catalog_part(c, t, p->name) != NULL);
			FUZZ_CHECK(k == 0 || strcmp(parts[k - 1].name, p->name) <= 0);
			cat_source_version(p);
			cat_target_version(p);
			if (p->storage_path) {
				char sid[128];

				catalog_service_id(p->storage_path, t->db_id, t->id, sid, sizeof(sid));
				catalog_volume_of(c, p->storage_path);
			}
		}
	}
}

static void
read_detail(const struct catalog *c, const struct cat_table *t)
{
	const struct cat_part *parts;
	struct meta_detail d;
	int64_t ids[16];
	size_t n, k;
	char err[512] = "";

	parts = catalog_parts(c, t, &n);
	for (k = 0; k < n && k < 16; k++)
		ids[k] = parts[k].id;
	if (meta_read_detail(NULL, c, t, ids, k, &d, err, sizeof(err)) != 0) {
		FUZZ_CHECK(err[0] != '\0');
	} else {
		FUZZ_CHECK(d.n_indexes > 0);
		for (size_t i = 0; i < d.n_pis; i++) {
			const struct meta_part_index *pi = &d.pis[i];

			FUZZ_CHECK(pi->first_tablet + pi->n_tablets <= d.n_tablets);
			FUZZ_CHECK(meta_detail_find(&d, pi->partition_id, pi->index_id) != NULL);
			for (uint32_t j = 0; j < pi->n_tablets; j++) {
				const struct meta_tablet *tab = &d.tablets[pi->first_tablet + j];

				FUZZ_CHECK(tab->id >= 1);
				FUZZ_CHECK(tab->first_replica + tab->n_replicas <= d.n_replicas);
				/* Bucket order is ascending tablet id. */
				FUZZ_CHECK(j == 0 || d.tablets[pi->first_tablet + j - 1].id < tab->id);
			}
		}
	}
	meta_detail_free(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), err[512] = "";
	struct catalog *c = catalog_new(SIDE_SOURCE);
	struct filter f = { 0 };
	struct sql_pool pool;	/* never opened: the wrapped calls do not look at it */
	int details = 0;

	memset(&pool, 0, sizeof(pool));
	script_load(text);
	if (meta_read_cluster(&pool, c, err, sizeof(err)) != 0)
		FUZZ_CHECK(err[0] != '\0');
	check_nodes(c);
	err[0] = '\0';
	if (meta_read_objects(&pool, c, &f, 2, err, sizeof(err)) != 0)
		FUZZ_CHECK(err[0] != '\0');
	err[0] = '\0';
	if (meta_read_definitions(&pool, c, &f, true, true, err, sizeof(err)) != 0)
		FUZZ_CHECK(err[0] != '\0');
	check_tables(c);
	for (size_t i = 0; i < c->n_tables && details < 4; i++) {
		const struct cat_table *t = &c->tables[i];
		char *show;

		if (!native(t) || t->error)
			continue;
		read_detail(c, t);
		show = meta_show_create(NULL, t->db, t->name, err, sizeof(err));
		FUZZ_CHECK(show || err[0] != '\0');
		free(show);
		details++;
	}
	catalog_unref(c);
	free(text);
	return 0;
}
