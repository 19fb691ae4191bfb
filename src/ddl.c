/*
 * ddl: rewrite SHOW CREATE TABLE for the target, build DDL (see ddl.h).
 *
 * The text is the FE's own, so we change as little as possible: the name
 * after CREATE TABLE, and the PROPERTIES list at the end. A small scanner
 * walks the text and skips quoted strings and `identifiers`, so a comment
 * or a default value that looks like SQL never confuses it.
 */
#include "srmigrate/ddl.h"

#include <ctype.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/sql.h"
#include "srmigrate/util.h"

/* --- scanning --------------------------------------------------------------- */

/* If s[i] opens a quoted string or a `name`, return the index after it; else i. */
static size_t
skip_quoted(const char *s, size_t i)
{
	char q = s[i];

	if (q != '\'' && q != '"' && q != '`')
		return i;
	for (i++; s[i]; i++) {
		if (q != '`' && s[i] == '\\' && s[i + 1]) {
			i++;
			continue;
		}
		if (s[i] == q) {
			if (s[i + 1] == q) {	/* doubled quote */
				i++;
				continue;
			}
			return i + 1;
		}
	}
	return i;	/* unterminated: the rest of the text */
}

static bool
word_at(const char *s, size_t i, const char *word)
{
	size_t n = strlen(word);

	return g_ascii_strncasecmp(s + i, word, n) == 0 &&
	       (i == 0 || !(isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_')) &&
	       !(isalnum((unsigned char)s[i + n]) || s[i + n] == '_');
}

/* Index of the first top-level (outside quotes) @word at or after @from, or -1. */
static long
find_word(const char *s, size_t from, const char *word)
{
	for (size_t i = from; s[i];) {
		size_t j = skip_quoted(s, i);

		if (j != i) {
			i = j;
			continue;
		}
		if (word_at(s, i, word))
			return (long)i;
		i++;
	}
	return -1;
}

/* Index after the ')' that closes the '(' at @open, or -1. */
static long
close_paren(const char *s, size_t open)
{
	int depth = 0;

	for (size_t i = open; s[i];) {
		size_t j = skip_quoted(s, i);

		if (j != i) {
			i = j;
			continue;
		}
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return (long)i + 1;
		i++;
	}
	return -1;
}

static size_t
skip_space(const char *s, size_t i)
{
	while (s[i] && isspace((unsigned char)s[i]))
		i++;
	return i;
}

/* `db`.`name`, quoted, in a new string. */
static char *
qualified(const char *db, const char *name)
{
	char *qd = sql_ident(db), *qn = sql_ident(name), *s = xasprintf("%s.%s", qd, qn);

	free(qd);
	free(qn);
	return s;
}

/* @before `db`.`name` @after, in a new string. */
static char *
on_object(const char *before, const char *db, const char *name, const char *after)
{
	char *q = qualified(db, name), *s = xasprintf("%s%s%s", before, q, after);

	free(q);
	return s;
}

/* --- properties --------------------------------------------------------------- */

static const char *const sn_only[] = {
	"storage_medium", "storage_cooldown_ttl", "storage_cooldown_time", "replicated_storage",
	"write_quorum", "in_memory", "storage_type", "fast_schema_evolution",
};
static const char *const sn_only_prefix[] = { "binlog_", "flat_json." };
static const char *const sd_only[] = {
	"datacache.enable", "datacache.partition_duration", "enable_async_write_back",
	"storage_volume", "persistent_index_type", "file_bundling",
};

bool
ddl_prop_shared_nothing_only(const char *key)
{
	for (size_t i = 0; i < ARRAY_LEN(sn_only); i++)
		if (str_eq(key, sn_only[i]))
			return true;
	for (size_t i = 0; i < ARRAY_LEN(sn_only_prefix); i++)
		if (str_starts(key, sn_only_prefix[i]))
			return true;
	return false;
}

bool
ddl_prop_shared_data_only(const char *key)
{
	for (size_t i = 0; i < ARRAY_LEN(sd_only); i++)
		if (str_eq(key, sd_only[i]))
			return true;
	return false;
}

/* Read a "double-quoted" string at s[*i] (backslash escapes kept verbatim). */
static char *
read_dq(const char *s, size_t *i)
{
	size_t start, j;

	if (s[*i] != '"')
		return NULL;
	start = *i + 1;
	j = skip_quoted(s, *i);
	if (j <= start || s[j - 1] != '"')
		return NULL;
	*i = j;
	return xstrndup(s + start, j - 1 - start);
}

/* Locate the final "PROPERTIES (...)" of a CREATE text: [*start, *end). */
static bool
props_span(const char *s, size_t *start, size_t *open, size_t *end)
{
	long at = -1, next = find_word(s, 0, "PROPERTIES");

	/* The table's PROPERTIES is the last top-level one (partitions may have their own). */
	while (next >= 0) {
		at = next;
		next = find_word(s, (size_t)next + 1, "PROPERTIES");
	}
	if (at < 0)
		return false;
	size_t o = skip_space(s, (size_t)at + strlen("PROPERTIES"));
	long c;

	if (s[o] != '(')
		return false;
	c = close_paren(s, o);
	if (c < 0)
		return false;
	*start = (size_t)at;
	*open = o;
	*end = (size_t)c;
	return true;
}

int
ddl_props_parse(const char *s, struct ddl_props *out, char *err, size_t errlen)
{
	size_t start, open, end, i;

	memset(out, 0, sizeof(*out));
	if (!props_span(s, &start, &open, &end))
		return 0;
	i = open + 1;
	for (;;) {
		char *k, *v;

		i = skip_space(s, i);
		if (i >= end - 1)
			break;
		k = read_dq(s, &i);
		i = skip_space(s, i);
		if (k == NULL || s[i] != '=') {
			free(k);
			str_fmt(err, errlen, "PROPERTIES: expected \"key\" = \"value\" at offset %zu", i);
			ddl_props_free(out);
			return -1;
		}
		i = skip_space(s, i + 1);
		v = read_dq(s, &i);
		if (v == NULL) {
			str_fmt(err, errlen, "PROPERTIES: bad value of \"%s\"", k);
			free(k);
			ddl_props_free(out);
			return -1;
		}
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		out->v[out->n++] = (struct ddl_prop){ k, v };
		i = skip_space(s, i);
		if (s[i] == ',')
			i++;
	}
	return 0;
}

const char *
ddl_props_get(const struct ddl_props *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (str_eq(p->v[i].key, key))
			return p->v[i].value;
	return NULL;
}

void
ddl_props_set(struct ddl_props *p, const char *key, const char *value)
{
	for (size_t i = 0; i < p->n; i++) {
		if (str_eq(p->v[i].key, key)) {
			free(p->v[i].value);
			p->v[i].value = xstrdup(value);
			return;
		}
	}
	p->v = xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
	p->v[p->n++] = (struct ddl_prop){ xstrdup(key), xstrdup(value) };
}

void
ddl_props_del(struct ddl_props *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++) {
		if (str_eq(p->v[i].key, key)) {
			free(p->v[i].key);
			free(p->v[i].value);
			memmove(&p->v[i], &p->v[i + 1], (p->n - i - 1) * sizeof(*p->v));
			p->n--;
			return;
		}
	}
}

void
ddl_props_free(struct ddl_props *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].key);
		free(p->v[i].value);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* Values were kept with their backslash escapes, so they print back as they came. */
static void
props_print(GString *out, const struct ddl_props *p)
{
	g_string_append(out, "PROPERTIES (\n");
	for (size_t i = 0; i < p->n; i++)
		g_string_append_printf(out, "\"%s\" = \"%s\"%s\n", p->v[i].key, p->v[i].value,
				       i + 1 < p->n ? "," : "");
	g_string_append(out, ")");
}

static void
apply_rules(struct ddl_props *p, const struct ddl_rules *r, bool primary_key)
{
	char num[32];
	const char *src_volume = ddl_props_get(p, "storage_volume");
	char *volume = src_volume ? xstrdup(src_volume) : NULL;

	for (size_t i = 0; i < p->n;) {
		const char *k = p->v[i].key;

		if ((r->target_shared_data && ddl_prop_shared_nothing_only(k)) ||
		    (!r->target_shared_data && ddl_prop_shared_data_only(k)))
			ddl_props_del(p, k);
		else
			i++;
	}
	if (r->replication_num > 0) {
		str_fmt(num, sizeof(num), "%lld", (long long)r->replication_num);
		ddl_props_set(p, "replication_num", num);
		/* Partitions dynamic partitioning creates on the target get it too. */
		if (ddl_props_get(p, "dynamic_partition.replication_num"))
			ddl_props_set(p, "dynamic_partition.replication_num", num);
	}
	if (r->target_shared_data) {
		/* The reference's three rules, in order. */
		if (r->builtin_volume_only)
			ddl_props_set(p, "storage_volume", "builtin_storage_volume");
		else if (r->storage_volume && r->storage_volume[0])
			ddl_props_set(p, "storage_volume", r->storage_volume);
		else if (volume)
			ddl_props_set(p, "storage_volume", volume);
		const char *pit = ddl_props_get(p, "persistent_index_type");

		if (pit && str_ieq(pit, "LOCAL"))
			ddl_props_set(p, "persistent_index_type", "CLOUD_NATIVE");
	}
	if (primary_key && r->persistent_index >= 0)
		ddl_props_set(p, "enable_persistent_index", r->persistent_index ? "true" : "false");
	free(volume);
}

/* --- CREATE TABLE ---------------------------------------------------------- */

/*
 * Append s[from, to) to @out. With a replica number set by the rules, a
 * partition's own ("replication_num" = "n") gets it too: the configured
 * number is every partition's on the target, not only the table default's.
 */
static void
append_body(GString *out, const char *s, size_t from, size_t to, const struct ddl_rules *r)
{
	size_t i = from, copied = from;

	if (r->replication_num <= 0) {
		g_string_append_len(out, s + from, (gssize)(to - from));
		return;
	}
	while (i < to) {
		size_t j = skip_quoted(s, i);

		if (j == i) {
			i++;
			continue;
		}
		if (s[i] == '"' && j - i == strlen("\"replication_num\"") &&
		    strncmp(s + i, "\"replication_num\"", j - i) == 0) {
			size_t k = skip_space(s, j), vstart, vend;

			if (k < to && s[k] == '=') {
				vstart = skip_space(s, k + 1);
				vend = vstart < to ? skip_quoted(s, vstart) : vstart;
				if (vstart < to && s[vstart] == '"' && vend > vstart + 1 && vend <= to &&
				    s[vend - 1] == '"') {
					g_string_append_len(out, s + copied, (gssize)(vstart - copied));
					g_string_append_printf(out, "\"%lld\"", (long long)r->replication_num);
					copied = i = vend;
					continue;
				}
			}
		}
		i = j;
	}
	g_string_append_len(out, s + copied, (gssize)(to - copied));
}

/* Skip an identifier (quoted or plain, maybe db.qualified) at s[i]; index after it. */
static size_t
skip_name(const char *s, size_t i)
{
	for (;;) {
		size_t j = skip_quoted(s, i);

		if (j == i)
			while (s[j] && (isalnum((unsigned char)s[j]) || s[j] == '_' || (unsigned char)s[j] >= 0x80))
				j++;
		if (j == i)
			return i;
		if (s[j] != '.')
			return j;
		i = j + 1;
	}
}

/*
 * Where the name after CREATE ends. The FE prints `name` without doubling a
 * backquote inside it, so a name that holds one is found by its known text;
 * otherwise it is read as an identifier.
 */
static size_t
printed_name_end(const char *s, size_t at, const char *name)
{
	size_t n = strlen(name);

	if (s[at] == '`' && strncmp(s + at + 1, name, n) == 0 && s[at + 1 + n] == '`')
		return at + n + 2;
	return skip_name(s, at);
}

/*
 * CREATE <what> `db`.`name` ...: the FE's text with the name replaced and,
 * unless @keep_props, the PROPERTIES rewritten by the rules.
 */
static char *
create_object(const char *s, const char *what, const char *db, const char *name,
	      const struct ddl_rules *rules, bool keep_props, char *err, size_t errlen)
{
	size_t name_start, name_end, pstart, popen, pend, i;
	struct ddl_props props = { 0 };
	GString *out;
	char *q;

	/* "CREATE", then each word of @what in turn. */
	if (find_word(s, 0, "CREATE") != 0) {
		str_fmt(err, errlen, "not a CREATE %s statement", what);
		return NULL;
	}
	i = skip_space(s, 6);
	for (const char *w = what; *w;) {
		size_t n = strcspn(w, " ");
		char word[32];

		str_fmt(word, sizeof(word), "%.*s", (int)n, w);
		if (!word_at(s, i, word)) {
			str_fmt(err, errlen, "not a CREATE %s statement", what);
			return NULL;
		}
		i = skip_space(s, i + n);
		w += n + (w[n] == ' ');
	}
	name_start = i;
	if (word_at(s, name_start, "IF")) {
		long ex = find_word(s, name_start, "EXISTS");

		if (ex < 0) {
			str_fmt(err, errlen, "bad IF NOT EXISTS");
			return NULL;
		}
		name_start = skip_space(s, (size_t)ex + 6);
	}
	name_end = printed_name_end(s, name_start, name);
	if (name_end == name_start) {
		str_fmt(err, errlen, "no name after CREATE %s", what);
		return NULL;
	}
	if (!keep_props) {
		if (ddl_props_parse(s, &props, err, errlen) != 0)
			return NULL;
		long pkw = find_word(s, 0, "PRIMARY");

		apply_rules(&props, rules, pkw >= 0 && word_at(s, skip_space(s, (size_t)pkw + 7), "KEY"));
	}
	q = qualified(db, name);
	out = g_string_new(NULL);
	g_string_append_printf(out, "CREATE %s %s", what, q);
	free(q);
	if (!keep_props && props_span(s, &pstart, &popen, &pend)) {
		append_body(out, s, name_end, pstart, rules);
		props_print(out, &props);
		g_string_append(out, s + pend);
	} else {
		/* No PROPERTIES printed: add ours only when a rule set one. */
		size_t len = strlen(s);

		while (len > name_end && (isspace((unsigned char)s[len - 1]) || s[len - 1] == ';'))
			len--;
		if (keep_props)
			g_string_append_len(out, s + name_end, (gssize)(len - name_end));
		else
			append_body(out, s, name_end, len, rules);
		if (props.n) {
			g_string_append(out, "\n");
			props_print(out, &props);
		}
	}
	/* One statement, no trailing semicolon. */
	while (out->len && (isspace((unsigned char)out->str[out->len - 1]) || out->str[out->len - 1] == ';'))
		g_string_truncate(out, out->len - 1);
	ddl_props_free(&props);
	return g_string_free(out, FALSE);
}

char *
ddl_create_table(const char *s, const char *db, const char *table, const struct ddl_rules *rules,
		 char *err, size_t errlen)
{
	return create_object(s, "TABLE", db, table, rules, false, err, errlen);
}

char *
ddl_create_view(const char *s, const char *db, const char *view, char *err, size_t errlen)
{
	/* A view has no properties, and its query is not ours to touch. */
	return create_object(s, "VIEW", db, view, NULL, true, err, errlen);
}

char *
ddl_create_mv(const char *s, const char *db, const char *mv, const struct ddl_rules *rules,
	      char *err, size_t errlen)
{
	return create_object(s, "MATERIALIZED VIEW", db, mv, rules, false, err, errlen);
}

/* --- partitions -------------------------------------------------------------- */

/* Compare a partition name token (quoted or plain) with @name. */
static bool
name_is(const char *s, size_t start, size_t end, const char *name)
{
	GString *n = g_string_new(NULL);
	bool eq;

	if (s[start] == '`') {
		for (size_t i = start + 1; i + 1 < end; i++) {
			if (s[i] == '`' && s[i + 1] == '`')
				i++;
			g_string_append_c(n, s[i]);
		}
	} else {
		g_string_append_len(n, s + start, (gssize)(end - start));
	}
	eq = str_eq(n->str, name);
	g_string_free(n, TRUE);
	return eq;
}

/* Where "PARTITION BY" starts, or -1. */
static long
partition_by(const char *s)
{
	long by = find_word(s, 0, "PARTITION");

	while (by >= 0 && !word_at(s, skip_space(s, (size_t)by + 9), "BY"))
		by = find_word(s, (size_t)by + 1, "PARTITION");
	return by;
}

/* Does the PARTITION BY at @by have its own list of partitions? */
static bool
has_partition_list(const char *s, long by)
{
	long next = find_word(s, (size_t)by + 1, "PARTITION"), dist = find_word(s, 0, "DISTRIBUTED");

	return next >= 0 && (dist < 0 || next < dist);
}

/*
 * The text of "PARTITION <name> VALUES ..." up to the ',' or ')' that ends it
 * at the list's top level. The list is the (...) after the PARTITION BY at @by.
 */
static char *
partition_clause(const char *s, long by, const char *partition, char *err, size_t errlen)
{
	long dist = find_word(s, 0, "DISTRIBUTED");

	for (long at = find_word(s, (size_t)by + 1, "PARTITION"); at >= 0 && (dist < 0 || at < dist);
	     at = find_word(s, (size_t)at + 1, "PARTITION")) {
		size_t ns = skip_space(s, (size_t)at + 9), ne = skip_name(s, ns);
		long vals = find_word(s, ne, "VALUES");

		if (ne == ns || vals < 0 || !name_is(s, ns, ne, partition))
			continue;
		/* Walk to the end of this element: a top-level ',' or the list's ')'. */
		int depth = 0;
		size_t i = (size_t)vals;

		while (s[i]) {
			size_t j = skip_quoted(s, i);

			if (j != i) {
				i = j;
				continue;
			}
			if (s[i] == '(' || s[i] == '[')
				depth++;
			else if (s[i] == ')' || s[i] == ']') {
				if (depth == 0)
					break;
				depth--;
				/* A range "[lower, upper)" closes with ')': count it as the ']'. */
			} else if (s[i] == ',' && depth == 0) {
				break;
			}
			i++;
		}
		/* The last element of a list is followed by a newline before its ')'. */
		while (i > (size_t)at && isspace((unsigned char)s[i - 1]))
			i--;
		return xstrndup(s + at, i - (size_t)at);
	}
	str_fmt(err, errlen, "partition %s is not in the table's PARTITION BY list", partition);
	return NULL;
}

/*
 * A range cell's bound, PartitionKey.toString() ("types: [DATE, INT]; keys:
 * [2024-01-01, 5]; ") at *at, appended as ("2024-01-01", "5"). Range keys
 * are integers, dates and datetimes or MAXVALUE, so ", " only separates
 * them; anything else is refused rather than guessed at.
 */
static bool
range_bound(const char **at, GString *out)
{
	const char *k = strstr(*at, "keys: ["), *end;

	if (k == NULL || (end = strchr(k += 7, ']')) == NULL || end == k)
		return false;
	g_string_append_c(out, '(');
	for (const char *v = k; v < end;) {
		const char *comma = g_strstr_len(v, end - v, ", ");
		const char *ve = comma ? comma : end;

		if (ve == v)
			return false;
		for (const char *c = v; c < ve; c++)
			if (!isalnum((unsigned char)*c) && !strchr("-+:. ", *c))
				return false;
		if (v != k)
			g_string_append(out, ", ");
		if (ve - v == 8 && strncmp(v, "MAXVALUE", 8) == 0)
			g_string_append(out, "MAXVALUE");
		else
			g_string_append_printf(out, "\"%.*s\"", (int)(ve - v), v);
		v = comma ? comma + 2 : end;
	}
	g_string_append_c(out, ')');
	*at = end + 1;
	return true;
}

/*
 * One 'value' of a list cell at *at, appended escaped. The FE prints list
 * values in single quotes without escaping, so a value ends at the first
 * quote followed by ',' or ')'.
 */
static bool
list_value(const char **at, GString *out)
{
	const char *v = *at, *e;
	char *text, *q;

	if (*v != '\'')
		return false;
	for (e = v + 1; *e && !(e[0] == '\'' && (e[1] == ',' || e[1] == ')')); e++)
		;
	if (*e == '\0')
		return false;
	text = xstrndup(v + 1, (size_t)(e - v - 1));
	q = sql_string(text);
	g_string_append(out, q);
	free(q);
	free(text);
	*at = e + 1;
	return true;
}

/* A list of list_value (or, with @tuples, of parenthesised lists) at *at. */
static bool
list_values(const char **at, GString *out, bool tuples)
{
	const char *p = *at;

	if (*p++ != '(')
		return false;
	g_string_append_c(out, '(');
	for (bool first = true;; first = false) {
		if (!first) {
			if (*p == ')')
				break;
			if (p[0] != ',' || p[1] != ' ')
				return false;
			p += 2;
			g_string_append(out, ", ");
		}
		if (!(tuples ? list_values(&p, out, false) : list_value(&p, out)))
			return false;
	}
	g_string_append_c(out, ')');
	*at = p + 1;
	return true;
}

char *
ddl_partition_values(const char *cell, char *err, size_t errlen)
{
	GString *out = g_string_new(NULL);
	const char *p = cell ? cell : "";
	bool ok;

	if (p[0] == '[') {
		g_string_append(out, "VALUES [");
		ok = range_bound(&p, out) && strncmp(p, "; ..", 4) == 0;
		if (ok) {
			g_string_append(out, ", ");
			ok = range_bound(&p, out) && strcmp(p, "; )") == 0;
		}
		g_string_append_c(out, ')');
	} else {
		g_string_append(out, "VALUES IN ");
		ok = list_values(&p, out, p[0] == '(' && p[1] == '(') && *p == '\0';
	}
	if (!ok) {
		str_fmt(err, errlen, "partition bounds not understood: \"%.80s\"", cell ? cell : "");
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/*
 * The step of an expression-partitioned table, from its PARTITION BY at @by:
 * date_trunc('day', `dt`) steps by one day, time_slice(`ts`, INTERVAL 3
 * hour) by three hours. False when the clause is neither.
 */
static bool
expression_step(const char *s, long by, long *n, char *unit, size_t unitlen)
{
	size_t i = skip_space(s, skip_space(s, (size_t)by + 9) + 2), j;

	if (word_at(s, i, "date_trunc")) {
		i = skip_space(s, i + 10);
		if (s[i] != '(')
			return false;
		i = skip_space(s, i + 1);
		j = skip_quoted(s, i);
		if ((s[i] != '\'' && s[i] != '"') || j < i + 3)
			return false;
		str_fmt(unit, unitlen, "%.*s", (int)(j - i - 2), s + i + 1);
		*n = 1;
		return true;
	}
	if (word_at(s, i, "time_slice")) {
		long iv = find_word(s, i, "INTERVAL");
		char *end;

		if (iv < 0)
			return false;
		i = skip_space(s, (size_t)iv + 8);
		*n = strtol(s + i, &end, 10);
		if (end == s + i || *n < 1)
			return false;
		i = skip_space(s, (size_t)(end - s));
		for (j = i; isalpha((unsigned char)s[j]); j++)
			;
		if (j == i)
			return false;
		str_fmt(unit, unitlen, "%.*s", (int)(j - i), s + i);
		return true;
	}
	return false;
}

/*
 * ADD PARTITIONS START (lower) END (upper) EVERY (INTERVAL n unit): an
 * expression-partitioned table refuses a single range partition and takes
 * batches in its own step (PartitionDescAnalyzer), naming the partition as
 * a load would, which is the source's name.
 */
static char *
batch_clause(const char *s, long by, const char *cell, char *err, size_t errlen)
{
	char unit[16], *values = ddl_partition_values(cell, err, errlen), *clause;
	const char *lo, *hi;
	size_t lo_len, hi_len;
	long n;

	if (values == NULL)
		return NULL;
	if (!expression_step(s, by, &n, unit, sizeof(unit))) {
		str_fmt(err, errlen, "an expression partitioning other than date_trunc or time_slice");
		free(values);
		return NULL;
	}
	/* values is "VALUES [(lower), (upper))" of one column. */
	lo = values + strlen("VALUES [(");
	lo_len = strcspn(lo, ")");
	hi = lo + lo_len + strlen("), (");
	hi_len = strcspn(hi, ")");
	if (memchr(lo, ',', lo_len) || strncmp(lo + lo_len, "), (", 4) != 0) {
		str_fmt(err, errlen, "an expression partition over more than one column: \"%.60s\"", cell);
		free(values);
		return NULL;
	}
	for (char *c = unit; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	clause = xasprintf("PARTITIONS START (%.*s) END (%.*s) EVERY (INTERVAL %ld %s)", (int)lo_len, lo,
			   (int)hi_len, hi, n, unit);
	free(values);
	return clause;
}

/* Append the distribution of a partition: HASH over @dist_key, or RANDOM for "ALL KEY". */
static void
append_distribution(GString *out, const char *dist_key, int buckets)
{
	size_t before = out->len;

	if (dist_key && str_ieq(dist_key, "ALL KEY")) {
		g_string_append(out, " DISTRIBUTED BY RANDOM");
	} else if (dist_key && dist_key[0]) {
		char **cols = g_strsplit(dist_key, ",", -1);

		g_string_append(out, " DISTRIBUTED BY HASH(");
		for (size_t i = 0; cols[i]; i++) {
			char *name = g_strstrip(cols[i]), *q;

			/* partitions_meta prints names bare or in backticks. */
			if (name[0] == '`' && strlen(name) > 1 && name[strlen(name) - 1] == '`') {
				name[strlen(name) - 1] = '\0';
				name++;
			}
			q = sql_ident(name);
			g_string_append_printf(out, "%s%s", i ? ", " : "", q);
			free(q);
		}
		g_string_append(out, ")");
		g_strfreev(cols);
	}
	if (out->len > before && buckets > 0)
		g_string_append_printf(out, " BUCKETS %d", buckets);
}

char *
ddl_add_partition(const char *s, const struct ddl_partition *p, const struct ddl_rules *r, char *err,
		  size_t errlen)
{
	GString *out = g_string_new(NULL);
	char *q = qualified(p->db, p->table), *clause;
	long by = partition_by(s);

	g_string_printf(out, "ALTER TABLE %s ADD ", q);
	free(q);
	if (by < 0) {
		str_fmt(err, errlen, "the table has no PARTITION BY clause");
		clause = NULL;
	} else if (has_partition_list(s, by)) {
		clause = partition_clause(s, by, p->name, err, errlen);
		if (clause)
			append_body(out, clause, 0, strlen(clause), r);
	} else if (p->value && p->value[0] == '[') {
		/* Expression partitioning takes only batches, in its own step (see batch_clause). */
		clause = batch_clause(s, by, p->value, err, errlen);
		if (clause)
			g_string_append(out, clause);
	} else {
		/* Automatic list partitioning: the partition's own values. */
		char *values = ddl_partition_values(p->value, err, errlen), *qp = sql_ident(p->name);

		clause = values ? xasprintf("PARTITION %s %s", qp, values) : NULL;
		if (clause)
			g_string_append(out, clause);
		free(values);
		free(qp);
	}
	if (clause == NULL) {
		g_string_free(out, TRUE);
		return NULL;
	}
	free(clause);
	append_distribution(out, p->dist_key, p->buckets);
	return g_string_free(out, FALSE);
}

char *
ddl_create_database(const char *db)
{
	char *q = sql_ident(db), *s = xasprintf("CREATE DATABASE IF NOT EXISTS %s", q);

	free(q);
	return s;
}

char *
ddl_drop_database(const char *db)
{
	char *q = sql_ident(db), *s = xasprintf("DROP DATABASE IF EXISTS %s", q);

	free(q);
	return s;
}

/* Without FORCE: a dropped table or partition stays recoverable (RECOVER) for a while. */
char *
ddl_drop_table(const char *db, const char *table)
{
	return on_object("DROP TABLE IF EXISTS ", db, table, "");
}

char *
ddl_drop_partition(const char *db, const char *table, const char *partition)
{
	char *qp = sql_ident(partition), *drop = xasprintf(" DROP PARTITION IF EXISTS %s", qp);
	char *s = on_object("ALTER TABLE ", db, table, drop);

	free(qp);
	free(drop);
	return s;
}

char *
ddl_drop_view(const char *db, const char *view)
{
	return on_object("DROP VIEW IF EXISTS ", db, view, "");
}

char *
ddl_drop_mv(const char *db, const char *mv)
{
	return on_object("DROP MATERIALIZED VIEW IF EXISTS ", db, mv, "");
}

/* Index of the first @word at or after @from outside quotes and parentheses, or -1. */
static long
find_top_word(const char *s, size_t from, const char *word)
{
	int depth = 0;

	for (size_t i = from; s[i];) {
		size_t j = skip_quoted(s, i);

		if (j != i) {
			i = j;
			continue;
		}
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && depth > 0)
			depth--;
		else if (depth == 0 && word_at(s, i, word))
			return (long)i;
		i++;
	}
	return -1;
}

const char *
ddl_defining_query(const char *create)
{
	long as = find_top_word(create, 0, "AS");

	return as < 0 ? NULL : create + skip_space(create, (size_t)as + 2);
}

/* --- schema ------------------------------------------------------------------ */

static const char *const agg_types[] = {
	"SUM", "MAX", "MIN", "REPLACE", "REPLACE_IF_NOT_NULL", "HLL_UNION", "BITMAP_UNION",
	"PERCENTILE_UNION",
};

/*
 * A column type as the FE prints it, made comparable across versions:
 * lower case, no blanks, integer display widths dropped ("bigint(20)" and
 * "bigint" are one type) and decimal32/64/128 spelt decimal.
 */
static char *
type_normalize(const char *s, size_t n)
{
	static const char *const ints[] = { "tinyint", "smallint", "int", "bigint", "largeint" };
	GString *out = g_string_new(NULL);

	for (size_t i = 0; i < n;) {
		if (isspace((unsigned char)s[i])) {
			i++;
			continue;
		}
		if (isalpha((unsigned char)s[i])) {
			size_t j = i;
			char *w;

			while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_'))
				j++;
			w = g_ascii_strdown(s + i, (gssize)(j - i));
			if (str_eq(w, "decimal32") || str_eq(w, "decimal64") || str_eq(w, "decimal128"))
				w[7] = '\0';
			g_string_append(out, w);
			for (size_t k = 0; k < ARRAY_LEN(ints); k++) {
				size_t d = j;

				if (!str_eq(w, ints[k]) || d >= n || s[d] != '(')
					continue;
				for (d++; d < n && isdigit((unsigned char)s[d]); d++)
					;
				if (d < n && s[d] == ')' && d > j + 1)
					j = d + 1;
			}
			free(w);
			i = j;
			continue;
		}
		g_string_append_c(out, s[i++]);
	}
	return g_string_free(out, FALSE);
}

/* One identifier token at s[i] (quoted or bare, no dots), unquoted into a new string; *i moves past it. */
static char *
read_ident(const char *s, size_t *i, size_t end)
{
	size_t j = s[*i] == '`' ? skip_quoted(s, *i) : *i;
	GString *n;

	if (j == *i)
		while (s[j] && (isalnum((unsigned char)s[j]) || s[j] == '_' || (unsigned char)s[j] >= 0x80))
			j++;
	if (s[*i] == '`' && (j - *i < 2 || s[j - 1] != '`'))
		return NULL;	/* unterminated */

	if (j == *i || j > end)
		return NULL;
	n = g_string_new(NULL);
	if (s[*i] == '`') {
		for (size_t k = *i + 1; k + 1 < j; k++) {
			if (s[k] == '`' && s[k + 1] == '`')
				k++;
			g_string_append_c(n, s[k]);
		}
	} else {
		g_string_append_len(n, s + *i, (gssize)(j - *i));
	}
	*i = j;
	return g_string_free(n, FALSE);
}

static bool
parse_index(const char *s, size_t i, size_t end, struct ddl_index *ix)
{
	long open, close, using;
	size_t k;

	i = skip_space(s, i + 5);
	if ((ix->name = read_ident(s, &i, end)) == NULL)
		return false;
	open = (long)skip_space(s, i);
	if ((size_t)open >= end || s[open] != '(' || (close = close_paren(s, (size_t)open)) < 0 ||
	    (size_t)close > end)
		return false;
	ix->columns = xstrndup(s + open, (size_t)(close - open));
	using = find_top_word(s, (size_t)close, "USING");
	if (using < 0 || (size_t)using >= end)
		return false;
	k = skip_space(s, (size_t)using + 5);
	size_t ue = k;

	while (ue < end && (isalnum((unsigned char)s[ue]) || s[ue] == '_'))
		ue++;
	ix->using = g_ascii_strup(s + k, (gssize)(ue - k));
	long c = find_top_word(s, ue, "COMMENT");

	if (c >= 0 && (size_t)c < end) {
		size_t q = skip_space(s, (size_t)c + 7), qe = skip_quoted(s, q);

		if (qe > q && qe <= end)
			ix->comment = xstrndup(s + q, qe - q);
	}
	return true;
}

/*
 * Is the '<' at s[i] the start of ARRAY<...>, MAP<...> or STRUCT<...>?
 * Elsewhere (a generated column's expression) it is a comparison.
 */
static bool
opens_type_args(const char *s, size_t i)
{
	static const char *const kinds[] = { "array", "map", "struct" };

	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		size_t n = strlen(kinds[k]);

		if (i >= n && g_ascii_strncasecmp(s + i - n, kinds[k], n) == 0 &&
		    (i == n || !(isalnum((unsigned char)s[i - n - 1]) || s[i - n - 1] == '_' ||
				 s[i - n - 1] == '`')))
			return true;
	}
	return false;
}

static bool
parse_column(const char *s, size_t i, size_t end, struct ddl_column *col)
{
	size_t t, depth = 0;

	if ((col->name = read_ident(s, &i, end)) == NULL)
		return false;
	i = t = skip_space(s, i);
	/* The type runs to the first blank outside (...) and <...>. */
	while (t < end && (depth > 0 || !isspace((unsigned char)s[t]))) {
		if (s[t] == '(' || (s[t] == '<' && opens_type_args(s, t)))
			depth++;
		else if ((s[t] == ')' || s[t] == '>') && depth > 0)
			depth--;
		t++;
	}
	if (t == i)
		return false;
	col->type = type_normalize(s + i, t - i);
	i = skip_space(s, t);
	for (size_t k = 0; k < ARRAY_LEN(agg_types); k++)
		if (word_at(s, i, agg_types[k]))
			col->agg = xstrdup(agg_types[k]);
	long not = find_top_word(s, i, "NOT");

	col->nullable = !(not >= 0 && (size_t)not < end && word_at(s, skip_space(s, (size_t)not + 3), "NULL"));
	return true;
}

int
ddl_schema_parse(const char *s, const char *name, struct ddl_schema *out, char *err, size_t errlen)
{
	long at = find_word(s, 0, "TABLE"), close;
	size_t i, open;

	memset(out, 0, sizeof(*out));
	if (at < 0 || find_word(s, 0, "CREATE") != 0) {
		str_fmt(err, errlen, "not a CREATE TABLE statement");
		return -1;
	}
	i = skip_space(s, (size_t)at + 5);
	open = skip_space(s, name ? printed_name_end(s, i, name) : skip_name(s, i));
	if (s[open] != '(' || (close = close_paren(s, open)) < 0) {
		str_fmt(err, errlen, "no column list after the table name");
		return -1;
	}
	/* Elements end at a top-level ','; the last at the list's ')'. */
	for (size_t start = open + 1; start < (size_t)close - 1;) {
		size_t e = start;
		int depth = 0;

		while (e < (size_t)close - 1) {
			size_t j = skip_quoted(s, e);

			if (j != e) {
				e = j;
				continue;
			}
			if (s[e] == '(' || (s[e] == '<' && opens_type_args(s, e)))
				depth++;
			else if (s[e] == ')' || (s[e] == '>' && depth > 0))
				depth--;
			else if (s[e] == ',' && depth == 0)
				break;
			e++;
		}
		size_t b = skip_space(s, start);
		bool ok;

		if (word_at(s, b, "INDEX")) {
			out->idx = xrealloc(out->idx, (out->n_idx + 1) * sizeof(*out->idx));
			memset(&out->idx[out->n_idx], 0, sizeof(*out->idx));
			ok = parse_index(s, b, e, &out->idx[out->n_idx++]);
		} else {
			out->cols = xrealloc(out->cols, (out->n_cols + 1) * sizeof(*out->cols));
			memset(&out->cols[out->n_cols], 0, sizeof(*out->cols));
			ok = parse_column(s, b, e, &out->cols[out->n_cols++]);
		}
		if (!ok) {
			str_fmt(err, errlen, "column list: cannot read \"%.60s\"", s + b);
			ddl_schema_free(out);
			return -1;
		}
		start = e + 1;
	}
	if (out->n_cols == 0) {
		str_fmt(err, errlen, "no columns");
		ddl_schema_free(out);
		return -1;
	}
	return 0;
}

void
ddl_schema_free(struct ddl_schema *s)
{
	for (size_t i = 0; i < s->n_cols; i++) {
		free(s->cols[i].name);
		free(s->cols[i].type);
		free(s->cols[i].agg);
	}
	for (size_t i = 0; i < s->n_idx; i++) {
		free(s->idx[i].name);
		free(s->idx[i].columns);
		free(s->idx[i].using);
		free(s->idx[i].comment);
	}
	free(s->cols);
	free(s->idx);
	memset(s, 0, sizeof(*s));
}

static const struct ddl_column *
find_column(const struct ddl_schema *s, const char *name)
{
	for (size_t i = 0; i < s->n_cols; i++)
		if (str_eq(s->cols[i].name, name))
			return &s->cols[i];
	return NULL;
}

bool
ddl_columns_differ(const struct ddl_schema *src, const struct ddl_schema *tgt, char *why, size_t len)
{
	for (size_t i = 0; i < src->n_cols; i++) {
		const struct ddl_column *a = &src->cols[i], *b = find_column(tgt, a->name);

		if (b == NULL) {
			str_fmt(why, len, "column %s was added on the source", a->name);
			return true;
		}
		if (!str_eq(a->type, b->type)) {
			str_fmt(why, len, "column %s is %s on the source, %s on the target", a->name, a->type,
				b->type);
			return true;
		}
		if (a->nullable != b->nullable) {
			str_fmt(why, len, "column %s is %s on the source", a->name,
				a->nullable ? "nullable" : "NOT NULL");
			return true;
		}
		if (!str_eq(a->agg ? a->agg : "", b->agg ? b->agg : "")) {
			str_fmt(why, len, "column %s aggregates with %s on the source, %s on the target",
				a->name, a->agg ? a->agg : "none", b->agg ? b->agg : "none");
			return true;
		}
	}
	for (size_t i = 0; i < tgt->n_cols; i++) {
		if (find_column(src, tgt->cols[i].name) == NULL) {
			str_fmt(why, len, "column %s is not on the source", tgt->cols[i].name);
			return true;
		}
	}
	for (size_t i = 0; i < src->n_cols; i++) {
		if (!str_eq(src->cols[i].name, tgt->cols[i].name)) {
			str_fmt(why, len, "columns are in another order (%s is column %zu on the source)",
				src->cols[i].name, i + 1);
			return true;
		}
	}
	return false;
}

const struct ddl_index *
ddl_schema_index(const struct ddl_schema *s, const char *name)
{
	for (size_t i = 0; i < s->n_idx; i++)
		if (str_eq(s->idx[i].name, name))
			return &s->idx[i];
	return NULL;
}

bool
ddl_index_equal(const struct ddl_index *a, const struct ddl_index *b)
{
	char *ca = type_normalize(a->columns, strlen(a->columns));
	char *cb = type_normalize(b->columns, strlen(b->columns));
	bool eq = str_eq(ca, cb) && str_eq(a->using, b->using);

	free(ca);
	free(cb);
	return eq;
}

char *
ddl_create_index(const char *db, const char *table, const struct ddl_index *ix)
{
	char *qi = sql_ident(ix->name), *on = qualified(db, table);
	char *s = xasprintf("CREATE INDEX %s ON %s %s USING %s%s%s", qi, on, ix->columns, ix->using,
			    ix->comment ? " COMMENT " : "", ix->comment ? ix->comment : "");

	free(qi);
	free(on);
	return s;
}

char *
ddl_drop_index(const char *db, const char *table, const char *index)
{
	char *qi = sql_ident(index), *on = qualified(db, table), *s = xasprintf("DROP INDEX %s ON %s", qi, on);

	free(qi);
	free(on);
	return s;
}

/* --- table properties ------------------------------------------------------------ */

/* What ALTER TABLE ... SET may change after creation (StarRocks's ALTER TABLE docs). */
static const char *const settable[] = {
	"bloom_filter_columns", "colocate_with", "enable_persistent_index", "primary_index_cache_expire_sec",
	"partition_live_number", "partition_ttl", "bucket_size", "mutable_bucket_num", "enable_load_profile",
	"base_compaction_forbidden_time_ranges", "storage_cooldown_ttl", "labels.location", "write_quorum",
	"datacache.partition_duration", "in_memory",
};

bool
ddl_prop_settable(const char *key)
{
	if (str_starts(key, "dynamic_partition."))
		return true;
	for (size_t i = 0; i < ARRAY_LEN(settable); i++)
		if (str_eq(key, settable[i]))
			return true;
	return false;
}

int
ddl_property_changes(const char *src_show, const char *tgt_show, const struct ddl_rules *r,
		     struct ddl_props *changes, char *err, size_t errlen)
{
	struct ddl_props want, have;
	long pkw = find_word(src_show, 0, "PRIMARY");

	memset(changes, 0, sizeof(*changes));
	if (ddl_props_parse(src_show, &want, err, errlen) != 0)
		return -1;
	if (ddl_props_parse(tgt_show, &have, err, errlen) != 0) {
		ddl_props_free(&want);
		return -1;
	}
	/* What creating the table today would give it. */
	apply_rules(&want, r, pkw >= 0 && word_at(src_show, skip_space(src_show, (size_t)pkw + 7), "KEY"));
	for (size_t i = 0; i < want.n; i++) {
		const char *k = want.v[i].key, *v = want.v[i].value, *t = ddl_props_get(&have, k);

		if (ddl_prop_settable(k) && !(t && str_eq(t, v)))
			ddl_props_set(changes, k, v);
	}
	ddl_props_free(&want);
	ddl_props_free(&have);
	return 0;
}

/* The value keeps its backslash escapes, so it prints back as the FE gave it. */
char *
ddl_set_property(const char *db, const char *table, const char *key, const char *value)
{
	char *q = qualified(db, table), *s = xasprintf("ALTER TABLE %s SET (\"%s\" = \"%s\")", q, key, value);

	free(q);
	return s;
}

/* --- what a query reads --------------------------------------------------------- */

/* Does the parenthesis at @open start a query, "(SELECT" or "(WITH", rather than arguments or a list? */
static bool
opens_query(const char *q, size_t open)
{
	size_t i = skip_space(q, open + 1);

	return word_at(q, i, "SELECT") || word_at(q, i, "WITH");
}

size_t
ddl_query_tables(const char *q, const char *default_db, char ***pairs)
{
	/*
	 * Which open parentheses start a query: FROM inside any other (a
	 * function's, as in EXTRACT(YEAR FROM d)) names no table. Deeper than
	 * this, a FROM is taken for a table's, the careful side for a note.
	 */
	bool query_at[64];
	size_t depth = 0, n = 0;

	*pairs = NULL;
	for (size_t i = 0; q[i];) {
		size_t j = skip_quoted(q, i), end = strlen(q);
		char *parts[3] = { NULL, NULL, NULL };
		size_t np = 0;
		bool from;

		if (j != i) {
			i = j;
			continue;
		}
		if (q[i] == '(' || q[i] == ')') {
			if (q[i] == '(' && depth < ARRAY_LEN(query_at))
				query_at[depth] = opens_query(q, i);
			depth = q[i] == '(' ? depth + 1 : depth ? depth - 1 : 0;
			i++;
			continue;
		}
		from = word_at(q, i, "FROM") &&
		       (depth == 0 || depth > ARRAY_LEN(query_at) || query_at[depth - 1]);
		if (!from && !word_at(q, i, "JOIN")) {
			i++;
			continue;
		}
		/* A parenthesised join, FROM (a JOIN b ON ...): its first table comes after the parentheses. */
		j = skip_space(q, i + 4);
		while (q[j] == '(' && !opens_query(q, j)) {
			if (depth < ARRAY_LEN(query_at))
				query_at[depth] = false;
			depth++;
			j = skip_space(q, j + 1);
		}
		/* A name path: part[.part[.part]] (catalog.db.table at most). */
		for (;;) {
			char *p = read_ident(q, &j, end);

			if (p == NULL)
				break;
			if (np == ARRAY_LEN(parts)) {
				free(parts[0]);
				memmove(parts, parts + 1, sizeof(parts) - sizeof(parts[0]));
				np--;
			}
			parts[np++] = p;
			if (q[j] != '.')
				break;
			j++;
		}
		if (np > 0) {
			const char *db = np >= 2 ? parts[np - 2] : default_db, *t = parts[np - 1];
			bool seen = false;

			for (size_t k = 0; k < n && !seen; k++)
				seen = str_eq((*pairs)[2 * k], db) && str_eq((*pairs)[2 * k + 1], t);
			if (!seen) {
				*pairs = xrealloc(*pairs, (n + 1) * 2 * sizeof(**pairs));
				(*pairs)[2 * n] = xstrdup(db);
				(*pairs)[2 * n + 1] = xstrdup(t);
				n++;
			}
		}
		for (size_t k = 0; k < np; k++)
			free(parts[k]);
		i = j > i ? j : i + 1;
	}
	return n;
}
