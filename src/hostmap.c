/* hostmap: conf/hosts.properties (see hostmap.h). */
#include "srmigrate/hostmap.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srmigrate/props.h"
#include "srmigrate/util.h"

struct load_ctx {
	struct hostmap *m;
	const char *path;
	char *err;
	size_t errlen;
};

static char *
index_key(enum side side, const char *host)
{
	char *k = xasprintf("%d|%s", (int)side, host);

	for (char *p = k; *p; p++)
		*p = (char)g_ascii_tolower(*p);
	return k;
}

/* "9030:39030,8030:38030" */
static int
parse_ports(const char *text, struct hostmap_entry *e, char *why, size_t whylen)
{
	char *copy = xstrdup(text), *save = NULL, *tok;
	int rc = 0;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *pair = str_trim(tok), *colon = strchr(pair, ':');
		int64_t from, to;

		if (colon == NULL) {
			str_fmt(why, whylen, "port pair '%s' is not <srcPort>:<dstPort>", pair);
			rc = -1;
			break;
		}
		*colon = '\0';
		if (!parse_i64(pair, 1, 65535, &from) || !parse_i64(colon + 1, 1, 65535, &to)) {
			str_fmt(why, whylen, "port pair '%s:%s' has a bad port (1 to 65535)", pair, colon + 1);
			rc = -1;
			break;
		}
		for (size_t i = 0; i < e->n_ports; i++) {
			if (e->ports[i].from == from) {
				str_fmt(why, whylen, "port %lld is mapped twice", (long long)from);
				rc = -1;
				break;
			}
		}
		if (rc)
			break;
		e->ports = xrealloc(e->ports, (e->n_ports + 1) * sizeof(*e->ports));
		e->ports[e->n_ports++] = (struct hostmap_port){ (int)from, (int)to };
	}
	if (rc == 0 && e->n_ports == 0) {
		str_fmt(why, whylen, "';' must be followed by <srcPort>:<dstPort>[,...]");
		rc = -1;
	}
	free(copy);
	return rc;
}

static void
entry_free(struct hostmap_entry *e)
{
	free(e->host);
	free(e->mapped);
	free(e->ports);
}

static int
load_handler(void *user, const char *key, const char *value, int line)
{
	struct load_ctx *lc = user;
	struct hostmap *m = lc->m;
	struct hostmap_entry e = { .line = line };
	char why[SRM_ERR_LEN];
	const char *semi;

	if (str_starts(key, "SOURCE_"))
		e.side = SIDE_SOURCE;
	else if (str_starts(key, "TARGET_"))
		e.side = SIDE_TARGET;
	else {
		str_fmt(lc->err, lc->errlen, "%s:%d: key '%s' must be SOURCE_<host> or TARGET_<host>",
			lc->path, line, key);
		return -1;
	}
	if (key[7] == '\0') {
		str_fmt(lc->err, lc->errlen, "%s:%d: key '%s' names no host", lc->path, line, key);
		return -1;
	}
	e.host = xstrdup(key + 7);
	semi = strchr(value, ';');
	e.mapped = semi ? xstrndup(value, (size_t)(semi - value)) : xstrdup(value);
	str_trim(e.mapped);
	/*
	 * ':' may appear: an IPv6 literal; ports come after ';'. '=' may not: the
	 * key ended at a ':' (SOURCE_fd00::1=...), and the rest is no host.
	 */
	if (strchr(e.mapped, '=') != NULL) {
		str_fmt(lc->err, lc->errlen, "%s:%d: '%s' is not a host to map %s to (a key ends at its "
			"first ':' or '=': an IPv6 address cannot be a key)", lc->path, line, e.mapped,
			e.host);
		goto bad;
	}
	if (e.mapped[0] == '\0' || strpbrk(e.mapped, " \t,") != NULL) {
		str_fmt(lc->err, lc->errlen, "%s:%d: '%s' is not a host to map %s to", lc->path, line,
			e.mapped, e.host);
		goto bad;
	}
	if (semi && parse_ports(semi + 1, &e, why, sizeof(why)) != 0) {
		str_fmt(lc->err, lc->errlen, "%s:%d: %s", lc->path, line, why);
		goto bad;
	}
	char *k = index_key(e.side, e.host);

	if (g_hash_table_contains(m->index, k)) {
		struct hostmap_entry *prev = &m->entries[GPOINTER_TO_SIZE(g_hash_table_lookup(m->index, k)) - 1];

		str_fmt(lc->err, lc->errlen, "%s:%d: %s is mapped again (first on line %d)", lc->path, line,
			key, prev->line);
		free(k);
		goto bad;
	}
	m->entries = xrealloc(m->entries, (m->n + 1) * sizeof(*m->entries));
	m->entries[m->n++] = e;
	/* Index by position + 1: the array may move while loading. */
	g_hash_table_insert(m->index, k, GSIZE_TO_POINTER(m->n));
	return 0;
bad:
	entry_free(&e);
	return -1;
}

static int
load(struct hostmap *m, const char *path, const char *text, char *err, size_t errlen)
{
	struct load_ctx lc = { .m = m, .path = path, .err = err, .errlen = errlen };

	memset(m, 0, sizeof(*m));
	m->index = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	if (text == NULL && access(path, F_OK) != 0)
		return 0;
	return props_parse(path, text, load_handler, &lc, err, errlen);
}

int
hostmap_load(struct hostmap *m, const char *path, char *err, size_t errlen)
{
	return load(m, path, NULL, err, errlen);
}

int
hostmap_load_text(struct hostmap *m, const char *path, const char *text, char *err, size_t errlen)
{
	return load(m, path, text, err, errlen);
}

void
hostmap_free(struct hostmap *m)
{
	for (size_t i = 0; i < m->n; i++)
		entry_free(&m->entries[i]);
	free(m->entries);
	if (m->index)
		g_hash_table_destroy(m->index);
	memset(m, 0, sizeof(*m));
}

bool
hostmap_resolve(const struct hostmap *m, enum side side, const char *host, int port,
		const char **out_host, int *out_port)
{
	const struct hostmap_entry *e = NULL;

	*out_host = host;
	*out_port = port;
	if (m->index && m->n) {
		char *k = index_key(side, host);
		gpointer pos = g_hash_table_lookup(m->index, k);

		free(k);
		if (pos)
			e = &m->entries[GPOINTER_TO_SIZE(pos) - 1];
	}
	if (e == NULL)
		return false;
	*out_host = e->mapped;
	for (size_t i = 0; i < e->n_ports; i++) {
		if (e->ports[i].from == port) {
			*out_port = e->ports[i].to;
			break;
		}
	}
	return true;
}
