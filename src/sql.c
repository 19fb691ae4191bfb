/* sql: see sql.h. */
#include "srmigrate/sql.h"

#include <errmsg.h>
#include <errno.h>
#include <mysql.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srmigrate/log.h"
#include "srmigrate/secret.h"
#include "srmigrate/util.h"

#define BACKOFF_FIRST_MS 1000
#define BACKOFF_MAX_MS 30000

struct sql_conn {
	MYSQL *m;
	struct sql_pool *pool;
	char *ep_host;		/* the endpoint it was opened to (before mapping) */
	int ep_port;
	bool broken;
	unsigned last_errno;
};

struct sql_res {
	MYSQL_RES *res;		/* NULL for a result built by sql_res_new (or without rows) */
	size_t nrows, ncols;
	MYSQL_FIELD *fields;
	MYSQL_ROW *rows;
	char **cells;		/* sql_res_new: every row's cell pointers, one block */
	char *text;		/* sql_res_new: titles and cells, NUL-terminated, one block */
};

void
sql_library_init(void)
{
	if (mysql_library_init(0, NULL, NULL) != 0)
		srm_die("cannot initialise the MySQL client library");
}

void
sql_library_end(void)
{
	mysql_library_end();
}

static void
add_endpoint(struct sql_pool *p, const char *host, int port, bool reported)
{
	for (size_t i = 0; i < p->n_eps; i++)
		if (str_ieq(p->eps[i].host, host) && p->eps[i].port == port)
			return;
	p->eps = xrealloc(p->eps, (p->n_eps + 1) * sizeof(*p->eps));
	p->eps[p->n_eps++] = (struct sql_endpoint){ xstrdup(host), port, reported };
}

void
sql_pool_init(struct sql_pool *p, enum side side, const struct cluster_cfg *cc,
	      const struct hostmap *hosts, int64_t connect_ms, int64_t rw_ms)
{
	memset(p, 0, sizeof(*p));
	p->side = side;
	p->cc = cc;
	p->hosts = hosts;
	p->connect_ms = connect_ms;
	p->rw_ms = rw_ms;
	pthread_mutex_init(&p->lock, NULL);
	add_endpoint(p, cc->fe_host, (int)cc->query_port, false);
	for (size_t i = 0; i < cc->n_fe_hosts; i++)
		add_endpoint(p, cc->fe_hosts[i].host, cc->fe_hosts[i].port, false);
}

static void
conn_close(struct sql_conn *c)
{
	if (c) {
		mysql_close(c->m);
		free(c->ep_host);
		free(c);
	}
}

void
sql_pool_fini(struct sql_pool *p)
{
	for (size_t i = 0; i < p->n_idle; i++)
		conn_close(p->idle[i]);
	free(p->idle);
	for (size_t i = 0; i < p->n_eps; i++)
		free(p->eps[i].host);
	free(p->eps);
	pthread_mutex_destroy(&p->lock);
	memset(p, 0, sizeof(*p));
}

void
sql_pool_set_frontends(struct sql_pool *p, char *const *hosts, const int *ports, size_t n)
{
	pthread_mutex_lock(&p->lock);
	/* Keep the configured ones (and the current index valid), replace the reported ones. */
	size_t keep = 0;

	for (size_t i = 0; i < p->n_eps; i++) {
		if (p->eps[i].reported)
			free(p->eps[i].host);
		else
			p->eps[keep++] = p->eps[i];
	}
	p->n_eps = keep;
	for (size_t i = 0; i < n; i++)
		add_endpoint(p, hosts[i], ports[i], true);
	if (p->current >= p->n_eps)
		p->current = 0;
	pthread_mutex_unlock(&p->lock);
}

void
sql_pool_error(struct sql_pool *p, char *buf, size_t len)
{
	pthread_mutex_lock(&p->lock);
	str_copy(buf, len, p->last_error);
	pthread_mutex_unlock(&p->lock);
}

void
sql_pool_address(struct sql_pool *p, char *buf, size_t len)
{
	pthread_mutex_lock(&p->lock);
	str_copy(buf, len, p->address);
	pthread_mutex_unlock(&p->lock);
}

static void
set_error(struct sql_pool *p, const char *msg)
{
	pthread_mutex_lock(&p->lock);
	str_copy(p->last_error, sizeof(p->last_error), msg);
	pthread_mutex_unlock(&p->lock);
}

static unsigned
ms_to_s(int64_t ms)
{
	return (unsigned)((ms + 999) / 1000);
}

static void
apply_tls(MYSQL *m, const struct cluster_cfg *cc)
{
	my_bool yes = 1, no = 0;
	const char *ca = cc->ssl_ca[0] ? cc->ssl_ca : NULL;

	switch ((enum ssl_mode)cc->ssl_mode) {
	case SSL_DISABLED:
		return;
	case SSL_PREFERRED:
		/* Asking for TLS without enforcing it: used when the server offers it. */
		mysql_ssl_set(m, NULL, NULL, ca, NULL, NULL);
		mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &no);
		return;
	case SSL_REQUIRED:
		mysql_ssl_set(m, NULL, NULL, ca, NULL, NULL);
		mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &yes);
		mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &no);
		return;
	case SSL_VERIFY_CA:
		/*
		 * Connector/C verifies the chain whenever a CA is given, and
		 * VERIFY_SERVER_CERT adds the host name check: an FE reached by
		 * an address its certificate does not name (hosts.properties)
		 * is still accepted here, as verify_ca promises.
		 */
		mysql_ssl_set(m, NULL, NULL, ca, NULL, NULL);
		mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &yes);
		mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &no);
		return;
	case SSL_VERIFY_IDENTITY:
		mysql_ssl_set(m, NULL, NULL, ca, NULL, NULL);
		mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &yes);
		mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes);
		return;
	}
}

/* Connect to one endpoint. NULL with err set on failure. */
static struct sql_conn *
conn_open(struct sql_pool *p, const struct sql_endpoint *ep, char *err, size_t errlen)
{
	const struct cluster_cfg *cc = p->cc;
	unsigned cto = ms_to_s(p->connect_ms), rwto = ms_to_s(p->rw_ms);
	const char *host;
	int port;
	MYSQL *m = mysql_init(NULL);
	struct sql_conn *c;

	if (m == NULL)
		srm_die("out of memory (mysql_init)");
	hostmap_resolve(p->hosts, p->side, ep->host, ep->port, &host, &port);
	/* Connector/C would report a CA file it cannot read only as a failed verification. */
	if (cc->ssl_mode != SSL_DISABLED && cc->ssl_ca[0] && access(cc->ssl_ca, R_OK) != 0) {
		str_fmt(err, errlen, "%s:%d (%s:%d): TLS/SSL CA file %s: %s", ep->host, ep->port, host, port,
			cc->ssl_ca, strerror(errno));
		mysql_close(m);
		return NULL;
	}
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &cto);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &rwto);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &rwto);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	apply_tls(m, cc);
	if (mysql_real_connect(m, host, cc->user, cc->password, NULL, (unsigned)port, NULL,
			       CLIENT_MULTI_RESULTS) == NULL) {
		str_fmt(err, errlen, "%s:%d (%s:%d): %s", ep->host, ep->port, host, port, mysql_error(m));
		secret_redact(err, errlen);
		mysql_close(m);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->pool = p;
	c->ep_host = xstrdup(ep->host);
	c->ep_port = ep->port;
	pthread_mutex_lock(&p->lock);
	{
		char now[sizeof(p->address)];

		str_fmt(now, sizeof(now), "%s:%d", host, port);
		if (p->address[0] && !str_eq(p->address, now)) {
			atomic_fetch_add(&p->failovers, 1);
			log_warn("%s: now using FE %s (was %s)", side_name(p->side), now, p->address);
		}
		str_copy(p->address, sizeof(p->address), now);
	}
	p->retry_at_ms = 0;
	p->backoff_ms = 0;
	pthread_mutex_unlock(&p->lock);
	return c;
}

/* Was @c opened to this endpoint (as configured, before mapping)? */
static bool
opened_to(const struct sql_conn *c, const char *host, int port)
{
	return c->ep_port == port && str_ieq(c->ep_host, host);
}

/*
 * @c was dropped or timed out. The idle connections to the same FE are as
 * likely gone (a stalled FE holds each of them for a whole read timeout), so
 * they are closed, and new connections try the next FE first.
 */
static void
conn_lost(struct sql_conn *c)
{
	struct sql_pool *p = c->pool;
	struct sql_conn **stale;
	size_t n_stale = 0, keep = 0;

	c->broken = true;
	atomic_fetch_add(&p->lost, 1);
	atomic_store(&p->connected, false);
	pthread_mutex_lock(&p->lock);
	stale = xcalloc(p->n_idle + 1, sizeof(*stale));
	for (size_t i = 0; i < p->n_idle; i++) {
		if (opened_to(p->idle[i], c->ep_host, c->ep_port))
			stale[n_stale++] = p->idle[i];
		else
			p->idle[keep++] = p->idle[i];
	}
	p->n_idle = keep;
	if (p->n_eps > 1 && p->current < p->n_eps && opened_to(c, p->eps[p->current].host, p->eps[p->current].port))
		p->current = (p->current + 1) % p->n_eps;
	pthread_mutex_unlock(&p->lock);
	for (size_t i = 0; i < n_stale; i++)
		conn_close(stale[i]);
	free(stale);
}

struct sql_conn *
sql_get(struct sql_pool *p, char *err, size_t errlen)
{
	struct sql_conn *c = NULL;
	size_t n, start;

	pthread_mutex_lock(&p->lock);
	if (p->n_idle > 0) {
		c = p->idle[--p->n_idle];
		pthread_mutex_unlock(&p->lock);
		return c;
	}
	if (p->retry_at_ms > 0 && now_ms() < p->retry_at_ms) {
		/* Every FE failed a moment ago: say so now rather than wait on each of them again. */
		str_fmt(err, errlen, "no FE answers (next try in %us): %s", ms_to_s(p->retry_at_ms - now_ms()),
			p->last_error);
		pthread_mutex_unlock(&p->lock);
		return NULL;
	}
	n = p->n_eps;
	start = p->current;
	pthread_mutex_unlock(&p->lock);

	err[0] = '\0';
	for (size_t k = 0; k < n && c == NULL; k++) {
		struct sql_endpoint ep;
		char one[SRM_ERR_LEN];

		pthread_mutex_lock(&p->lock);
		if (k >= p->n_eps) {	/* the list shrank meanwhile */
			pthread_mutex_unlock(&p->lock);
			break;
		}
		size_t i = (start + k) % p->n_eps;

		ep.host = xstrdup(p->eps[i].host);
		ep.port = p->eps[i].port;
		ep.reported = p->eps[i].reported;
		pthread_mutex_unlock(&p->lock);

		c = conn_open(p, &ep, one, sizeof(one));
		free(ep.host);
		if (c) {
			pthread_mutex_lock(&p->lock);
			p->current = i;
			pthread_mutex_unlock(&p->lock);
		} else {
			if (err[0])
				strncat(err, "; ", errlen - strlen(err) - 1);
			strncat(err, one, errlen - strlen(err) - 1);
		}
	}
	if (c == NULL) {
		if (n == 0)
			str_copy(err, errlen, "no FE address configured");
		pthread_mutex_lock(&p->lock);
		str_copy(p->last_error, sizeof(p->last_error), err);
		p->backoff_ms = p->backoff_ms ? p->backoff_ms * 2 : BACKOFF_FIRST_MS;
		if (p->backoff_ms > BACKOFF_MAX_MS)
			p->backoff_ms = BACKOFF_MAX_MS;
		p->retry_at_ms = now_ms() + p->backoff_ms;
		pthread_mutex_unlock(&p->lock);
		atomic_store(&p->connected, false);
		return NULL;
	}
	atomic_store(&p->connected, true);
	return c;
}

void
sql_put(struct sql_pool *p, struct sql_conn *c)
{
	if (c == NULL)
		return;
	if (c->broken) {
		conn_close(c);
		return;
	}
	pthread_mutex_lock(&p->lock);
	p->idle = xrealloc(p->idle, (p->n_idle + 1) * sizeof(*p->idle));
	p->idle[p->n_idle++] = c;
	pthread_mutex_unlock(&p->lock);
}

static bool
lost(unsigned e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST || e == CR_CONNECTION_ERROR ||
	       e == CR_CONN_HOST_ERROR || e == CR_SERVER_LOST_EXTENDED || e == CR_COMMANDS_OUT_OF_SYNC;
}

/* Send one statement; on failure fill err and classify. */
static int
conn_send(struct sql_conn *c, const char *stmt, char *err, size_t errlen)
{
	struct sql_pool *p = c->pool;

	atomic_fetch_add(&p->statements, 1);
	if (mysql_real_query(c->m, stmt, strlen(stmt)) == 0)
		return 0;
	c->last_errno = mysql_errno(c->m);
	str_fmt(err, errlen, "%s", mysql_error(c->m));
	secret_redact(err, errlen);
	if (lost(c->last_errno)) {
		set_error(p, err);
		conn_lost(c);
	}
	return -1;
}

static void
mark_ok(struct sql_conn *c)
{
	c->last_errno = 0;
	atomic_store(&c->pool->last_ok_ms, wall_ms());
	atomic_store(&c->pool->connected, true);
}

static struct sql_res *
fetch(struct sql_conn *c, char *err, size_t errlen)
{
	MYSQL_RES *res = mysql_store_result(c->m);
	struct sql_res *r;

	if (res == NULL) {
		/*
		 * A statement without rows: an empty result. The error comes
		 * first: a connection lost in the middle of a result set also
		 * leaves a field count of 0, and taking that for "no rows" would
		 * read a cut answer as an empty cluster.
		 */
		if (mysql_errno(c->m) == 0 && mysql_field_count(c->m) == 0) {
			r = xcalloc(1, sizeof(*r));
			return r;
		}
		c->last_errno = mysql_errno(c->m);
		str_fmt(err, errlen, "reading the result: %s", mysql_error(c->m));
		if (lost(c->last_errno) || c->last_errno == 0) {
			set_error(c->pool, err);
			conn_lost(c);
		}
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->res = res;
	r->ncols = mysql_num_fields(res);
	r->nrows = (size_t)mysql_num_rows(res);
	r->fields = mysql_fetch_fields(res);
	r->rows = xmalloc((r->nrows ? r->nrows : 1) * sizeof(MYSQL_ROW));
	for (size_t i = 0; i < r->nrows; i++)
		r->rows[i] = mysql_fetch_row(res);
	/* Drain any further result sets so the connection stays usable. */
	while (mysql_more_results(c->m) && mysql_next_result(c->m) == 0) {
		MYSQL_RES *extra = mysql_store_result(c->m);

		if (extra)
			mysql_free_result(extra);
	}
	return r;
}

struct sql_res *
sql_query(struct sql_conn *c, const char *stmt, char *err, size_t errlen)
{
	struct sql_res *r;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (conn_send(c, stmt, err, errlen) == 0) {
			r = fetch(c, err, errlen);
			if (r) {
				mark_ok(c);
				return r;
			}
		}
		if (!c->broken || attempt == 1)
			break;
		/* Lost mid-way: one new connection (maybe to another FE), then give up. */
		char why[SRM_ERR_LEN];
		struct sql_conn *fresh = sql_get(c->pool, why, sizeof(why));

		if (fresh == NULL)
			break;
		mysql_close(c->m);
		free(c->ep_host);
		c->m = fresh->m;
		c->ep_host = fresh->ep_host;
		c->ep_port = fresh->ep_port;
		free(fresh);
		c->broken = false;
	}
	return NULL;
}

int
sql_exec(struct sql_conn *c, const char *stmt, char *err, size_t errlen)
{
	struct sql_res *r;

	if (conn_send(c, stmt, err, errlen) != 0)
		return -1;
	r = fetch(c, err, errlen);
	if (r == NULL)
		return -1;
	sql_res_free(r);
	mark_ok(c);
	return 0;
}

unsigned
sql_errno(const struct sql_conn *c)
{
	return c->last_errno;
}

struct sql_res *
sql_pool_query(struct sql_pool *p, const char *stmt, char *err, size_t errlen)
{
	struct sql_conn *c = sql_get(p, err, errlen);
	struct sql_res *r;

	if (c == NULL)
		return NULL;
	r = sql_query(c, stmt, err, errlen);
	sql_put(p, c);
	return r;
}

int
sql_pool_exec(struct sql_pool *p, const char *stmt, char *err, size_t errlen)
{
	struct sql_conn *c = sql_get(p, err, errlen);
	int rc;

	if (c == NULL)
		return -1;
	rc = sql_exec(c, stmt, err, errlen);
	sql_put(p, c);
	return rc;
}

size_t
sql_rows(const struct sql_res *r)
{
	return r->nrows;
}

size_t
sql_cols(const struct sql_res *r)
{
	return r->ncols;
}

const char *
sql_title(const struct sql_res *r, size_t col)
{
	return col < r->ncols ? r->fields[col].name : NULL;
}

int
sql_col(const struct sql_res *r, const char *title)
{
	for (size_t i = 0; i < r->ncols; i++)
		if (str_eq(r->fields[i].name, title))
			return (int)i;
	for (size_t i = 0; i < r->ncols; i++)
		if (str_ieq(r->fields[i].name, title))
			return (int)i;
	return -1;
}

const char *
sql_cell(const struct sql_res *r, size_t row, int col)
{
	if (col < 0 || (size_t)col >= r->ncols || row >= r->nrows || r->rows[row] == NULL)
		return NULL;
	return r->rows[row][col];
}

struct sql_res *
sql_res_new(size_t ncols, const char *const *titles, size_t nrows, const char *const *cells)
{
	struct sql_res *r = xcalloc(1, sizeof(*r));
	size_t bytes = 1, k = 0;
	char *t;

	for (size_t i = 0; i < ncols; i++)
		bytes += strlen(titles[i]) + 1;
	for (size_t i = 0; i < nrows * ncols; i++)
		bytes += cells[i] ? strlen(cells[i]) + 1 : 0;
	t = r->text = xmalloc(bytes);
	r->ncols = ncols;
	r->nrows = nrows;
	r->fields = xcalloc(ncols ? ncols : 1, sizeof(*r->fields));
	r->rows = xmalloc((nrows ? nrows : 1) * sizeof(*r->rows));
	r->cells = xmalloc((nrows * ncols > 0 ? nrows * ncols : 1) * sizeof(*r->cells));
	for (size_t i = 0; i < ncols; i++) {
		r->fields[i].name = strcpy(t, titles[i]);
		t += strlen(t) + 1;
	}
	for (size_t row = 0; row < nrows; row++) {
		r->rows[row] = r->cells + row * ncols;
		for (size_t col = 0; col < ncols; col++, k++) {
			if (cells[k] == NULL) {
				r->cells[k] = NULL;
				continue;
			}
			r->cells[k] = strcpy(t, cells[k]);
			t += strlen(t) + 1;
		}
	}
	return r;
}

void
sql_res_free(struct sql_res *r)
{
	if (r == NULL)
		return;
	if (r->res)
		mysql_free_result(r->res);
	if (r->text)
		free(r->fields);	/* a fetched result's fields belong to r->res */
	free(r->cells);
	free(r->text);
	free(r->rows);
	free(r);
}

char *
sql_ident(const char *name)
{
	size_t n = strlen(name), k = 0;
	char *out = xmalloc(2 * n + 3);

	out[k++] = '`';
	for (size_t i = 0; i < n; i++) {
		if (name[i] == '`')
			out[k++] = '`';
		out[k++] = name[i];
	}
	out[k++] = '`';
	out[k] = '\0';
	return out;
}

char *
sql_string(const char *text)
{
	size_t n = strlen(text), k = 0;
	char *out = xmalloc(2 * n + 3);

	out[k++] = '\'';
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '\'' || text[i] == '\\')
			out[k++] = '\\';
		out[k++] = text[i];
	}
	out[k++] = '\'';
	out[k] = '\0';
	return out;
}
