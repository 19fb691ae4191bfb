/*
 * session: MySQL connections to an FE.
 */
#include "session.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "dispatch.h"
#include "errs.h"
#include "faults.h"
#include "feconfig.h"
#include "net.h"
#include "stats.h"

#define COM_QUIT 0x01
#define COM_INIT_DB 0x02
#define COM_QUERY 0x03
#define COM_FIELD_LIST 0x04
#define COM_STATISTICS 0x09
#define COM_PING 0x0e
#define COM_SET_OPTION 0x1b
#define COM_RESET_CONNECTION 0x1f

static atomic_uint next_conn_id = 1;

/* --- the result sink, with the result-set faults --------------------------------------- */

static bool
numeric(const char *s)
{
	double d;
	char *end;

	if (!s || !*s)
		return false;
	d = g_ascii_strtod(s, &end);
	(void)d;
	return *end == '\0';
}

static bool
sink_header(void *ctx, const struct rs_col *cols, int n)
{
	struct session *s = ctx;

	/* faults are decided per result set, when one is about to be sent */
	s->cut_after = flt_result_cut(s->cl);
	s->mal = flt_malformed(s->cl, s->kind, s->table);
	s->drop_col = -1;
	/* column-count faults keep the protocol whole: the header announces exactly
	 * the columns every row then carries */
	struct rs_col out[n + 1];
	int k = 0;
	if ((s->mal & FLT_MAL_WRONG_COUNT) && n > 0)
		out[k++] = cols[0];	/* an extra first column under the first title */
	for (int i = 0; i < n; i++) {
		/* missing_column leaves out one the reader likely needs: the third, else the
		 * last; never the only one (a result has at least one column) */
		if ((s->mal & FLT_MAL_MISSING_COLUMN) && n > 1 && i == (n > 2 ? 2 : n - 1)) {
			s->drop_col = i;
			continue;
		}
		out[k++] = cols[i];
	}
	mp_columns(&s->mp, out, k);
	return !s->mp.dead;
}

static bool
sink_row(void *ctx, const char *const *cells, const size_t *lens, int n)
{
	struct session *s = ctx;
	const char *out[n + 1];
	size_t olen[n + 1];
	char *own[n > 0 ? n : 1];
	int k = 0;

	memset(out, 0, sizeof out);
	memset(olen, 0, sizeof olen);

	if (s->cut_after >= 0 && s->rows_sent >= s->cut_after) {
		/* drop the connection mid-result, after what was sent so far */
		mp_flush(&s->mp);
		shutdown(s->mp.fd, SHUT_RDWR);
		s->mp.dead = true;
		return false;
	}
	if ((s->mal & FLT_MAL_WRONG_COUNT) && n > 0) {
		out[k] = "?";
		olen[k++] = 1;
	}
	for (int i = 0; i < n; i++) {
		own[i] = NULL;
		if (i == s->drop_col)
			continue;
		const char *v = cells[i];
		size_t l = lens[i];
		if (s->mal) {
			if (s->mal & FLT_MAL_NULLS)
				v = NULL;
			else if (numeric(v) && (s->mal & FLT_MAL_NONNUMERIC))
				v = own[i] = g_strdup_printf("%sx", v);
			else if (v && g_ascii_isdigit(v[0]) && (s->mal & FLT_MAL_NONNUMERIC)) {
				/* versions, dates, ranges that start with a digit: "x.3.5-6d81f75" */
				v = own[i] = g_strdup(v);
				own[i][0] = 'x';
			}
			else if (numeric(v) && (s->mal & FLT_MAL_NEGATIVE))
				v = own[i] = g_strdup_printf("-%s", v[0] == '0' && !v[1] ? "1" : v);
			else if (numeric(v) && (s->mal & FLT_MAL_HUGE))
				v = "99999999999999999999999999";
			else if (v && !numeric(v) && (s->mal & FLT_MAL_LONG_STRING) && !s->long_done) {
				/* one 10 MB string per result set keeps memory bounded */
				v = own[i] = g_malloc(10 * 1024 * 1024 + 1);
				memset(own[i], 'x', 10 * 1024 * 1024);
				own[i][10 * 1024 * 1024] = '\0';
				s->long_done = true;
			}
			l = v ? strlen(v) : 0;
		}
		out[k] = v;
		olen[k] = l;
		k++;
	}
	mp_row(&s->mp, out, olen, k);
	for (int i = 0; i < n; i++)
		g_free(own[i]);
	s->rows_sent++;
	return !s->mp.dead;
}

struct rs_sink
sess_sink(struct session *s)
{
	s->cut_after = -1;
	s->rows_sent = 0;
	s->mal = 0;
	s->long_done = false;
	s->drop_col = -1;
	return (struct rs_sink){ .header = sink_header, .row = sink_row, .ctx = s };
}

/* --- connection --------------------------------------------------------------------- */

static bool
authenticate(struct session *s)
{
	uint8_t scramble[20];
	struct sb pkt;
	struct mp_auth a;
	char msg[512];

	/* printable bytes, as the FE sends; getrandom, not g_random, which
	 * serialises every connection thread on one glib lock */
	if (getrandom(scramble, sizeof scramble, 0) != (ssize_t)sizeof scramble)
		memset(scramble, 'x', sizeof scramble);
	for (int i = 0; i < 20; i++)
		scramble[i] = (uint8_t)(33 + scramble[i] % 94);
	mp_handshake(&s->mp, cfg_get(s->cl, "mysql_server_version"), s->id, scramble);
	if (!mp_flush(&s->mp))
		return false;
	sb_init(&pkt);
	net_set_timeouts(s->mp.fd, 10000, 0);
	if (!mp_read(&s->mp, &pkt) || !mp_parse_auth((const uint8_t *)pkt.p, pkt.len, &a)) {
		if (!s->mp.dead && pkt.len) {
			mp_err(&s->mp, 1251, "Client does not support authentication protocol requested by server; "
			       "consider upgrading MySQL client");
			mp_flush(&s->mp);
		}
		sb_free(&pkt);
		return false;
	}
	if (a.plugin[0] && strcmp(a.plugin, "mysql_native_password") != 0) {
		/* AuthSwitchRequest back to the plugin StarRocks uses */
		struct sb sw;
		sb_init(&sw);
		sb_putc(&sw, (char)0xfe);
		sb_put(&sw, "mysql_native_password", sizeof "mysql_native_password");
		sb_put(&sw, scramble, 20);
		sb_putc(&sw, 0);
		mp_packet(&s->mp, sw.p, sw.len);
		sb_free(&sw);
		if (!mp_flush(&s->mp) || !mp_read(&s->mp, &pkt)) {
			sb_free(&pkt);
			return false;
		}
		a.ntoken = pkt.len < sizeof a.token ? pkt.len : sizeof a.token;
		memcpy(a.token, pkt.p, a.ntoken);
	}
	sb_free(&pkt);
	net_set_timeouts(s->mp.fd, 0, 0);
	struct timeval tv = { 0, 0 };
	setsockopt(s->mp.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

	sim_rdlock();
	struct user *u = sim_user(s->cl, a.user);
	bool ok = u && mp_check_native(u->password, scramble, a.token, a.ntoken);
	sim_unlock();
	if (!ok) {
		snprintf(msg, sizeof msg, "Access denied for user '%s' (using password: %s)", a.user,
			 a.ntoken ? "YES" : "NO");
		mp_err(&s->mp, E_AUTH, msg);
		mp_flush(&s->mp);
		return false;
	}
	s->user = u;
	if (a.db[0]) {
		sim_rdlock();
		bool exists = cat_db(s->cl, a.db) != NULL || strcmp(a.db, "information_schema") == 0;
		sim_unlock();
		if (!exists) {
			snprintf(msg, sizeof msg, "Unknown database '%s'", a.db);
			mp_err(&s->mp, E_BAD_DB, msg);
			mp_flush(&s->mp);
			return false;
		}
		snprintf(s->db, sizeof s->db, "%s", a.db);
	}
	mp_ok(&s->mp, 0);
	return mp_flush(&s->mp);
}

static void
field_list(struct session *s, const char *table)
{
	sim_rdlock();
	struct db *d = s->db[0] ? cat_db(s->cl, s->db) : NULL;
	struct table *t = d ? cat_table(d, table) : NULL;
	if (!t) {
		char msg[600];
		snprintf(msg, sizeof msg, "Unknown table '%s'", table);
		sim_unlock();
		mp_err(&s->mp, E_BAD_TABLE, msg);
		return;
	}
	struct sb b;
	sb_init(&b);
	for (int i = 0; i < t->ncols; i++) {
		sb_reset(&b);
		mp_put_lenstr(&b, "def", 3);
		mp_put_lenstr(&b, s->db, strlen(s->db));
		mp_put_lenstr(&b, t->name, strlen(t->name));
		mp_put_lenstr(&b, t->name, strlen(t->name));
		mp_put_lenstr(&b, t->cols[i].name, strlen(t->cols[i].name));
		mp_put_lenstr(&b, t->cols[i].name, strlen(t->cols[i].name));
		const char fixed[] = { 0x0c, 33, 0, (char)0xff, (char)0xff, 0, 0, (char)CT_VARCHAR, 0, 0, 0, 0, 0 };
		sb_put(&b, fixed, sizeof fixed);
		mp_put_lenenc(&b, 0);	/* no default */
		mp_packet(&s->mp, b.p, b.len);
	}
	sim_unlock();
	sb_free(&b);
	mp_eof(&s->mp);
}

void
sess_serve(int fd, void *arg)
{
	struct node *fe = arg;
	struct session s = { .fe = fe, .cl = fe->cl, .drop_col = -1 };
	struct sb pkt;

	if (atomic_load(&fe->down) || !sim_wait_stall(fe))
		return;
	s.id = atomic_fetch_add(&next_conn_id, 1);
	mp_init(&s.mp, fd);
	atomic_fetch_add(&s.cl->st.connections, 1);
	if (!authenticate(&s))
		goto out;
	sb_init(&pkt);
	while (!atomic_load(&world.stopping)) {
		s.mp.seq = 0;
		if (!mp_read(&s.mp, &pkt) || pkt.len == 0)
			break;
		/* a stalled FE takes the command and answers nothing until it recovers */
		if (!sim_wait_stall(fe) || atomic_load(&fe->down))
			break;
		uint8_t cmd = (uint8_t)pkt.p[0];
		if (cmd == COM_QUIT)
			break;
		switch (cmd) {
		case COM_QUERY: {
			char *sql = g_strndup(pkt.p + 1, pkt.len - 1);
			disp_query(&s, sql);
			g_free(sql);
			break;
		}
		case COM_INIT_DB: {
			char *db = g_strndup(pkt.p + 1, pkt.len - 1);
			disp_use(&s, db);
			g_free(db);
			break;
		}
		case COM_PING:
		case COM_RESET_CONNECTION:
			mp_ok(&s.mp, 0);
			break;
		case COM_SET_OPTION:
			mp_eof(&s.mp);
			break;
		case COM_STATISTICS: {
			const char *st = "Uptime: 1  Threads: 1  Questions: 1  Slow queries: 0  Opens: 0  "
					 "Flush tables: 0  Open tables: 0  Queries per second avg: 0.000";
			mp_packet(&s.mp, st, strlen(st));
			break;
		}
		case COM_FIELD_LIST: {
			size_t n = strnlen(pkt.p + 1, pkt.len - 1);
			char *t = g_strndup(pkt.p + 1, n);
			field_list(&s, t);
			g_free(t);
			break;
		}
		default:
			mp_err(&s.mp, E_UNKNOWN_COM, "Unknown command");
			break;
		}
		if (!mp_flush(&s.mp))
			break;
	}
	sb_free(&pkt);
out:
	mp_free(&s.mp);
}
