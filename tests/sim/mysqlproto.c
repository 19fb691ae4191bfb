/*
 * mysqlproto: MySQL protocol packets, server side.
 */
#include "mysqlproto.h"

#include <glib.h>
#include <openssl/evp.h>
#include <string.h>

#include "errs.h"
#include "net.h"

#define MAX_PAYLOAD 0xffffffu

/* Client capability bits this server reads. */
#define CAP_CONNECT_WITH_DB 0x00000008u
#define CAP_PROTOCOL_41 0x00000200u
#define CAP_SECURE_CONNECTION 0x00008000u
#define CAP_PLUGIN_AUTH 0x00080000u
#define CAP_CONNECT_ATTRS 0x00100000u
#define CAP_PLUGIN_AUTH_LENENC 0x00200000u

/* What StarRocks advertises (MysqlCapability.DEFAULT_CAPABILITY) plus the
 * length-encoded auth data and connect attributes modern clients send. */
#define SERVER_CAPS (0x00000001u | 0x00000004u | CAP_CONNECT_WITH_DB | CAP_PROTOCOL_41 | 0x00002000u | \
		     CAP_SECURE_CONNECTION | CAP_PLUGIN_AUTH | CAP_CONNECT_ATTRS | CAP_PLUGIN_AUTH_LENENC)

const char *
err_sqlstate(int code)
{
	switch (code) {
	case E_AUTH: return "28000";
	case E_NO_DB: return "3D000";
	case E_UNKNOWN_COM: return "08S01";
	case E_BAD_DB: return "42000";
	case E_TABLE_EXISTS: return "42S01";
	case E_BAD_TABLE: return "42S02";
	case E_ACCESS_DENIED: return "42000";
	case E_PARTITION_STEP: return "42000";
	case E_WRONG_DB_NAME: return "42000";
	case E_WRONG_TABLE_NAME: return "42000";
	case E_WRONG_COLUMN_NAME: return "42000";
	case E_CONFIG: return "F0000";
	default: return "HY000";
	}
}

void
mp_init(struct mp_conn *c, int fd)
{
	c->fd = fd;
	c->seq = 0;
	c->dead = false;
	sb_init(&c->out);
}

void
mp_free(struct mp_conn *c)
{
	sb_free(&c->out);
}

bool
mp_read(struct mp_conn *c, struct sb *payload)
{
	uint8_t h[4];
	size_t len;

	sb_reset(payload);
	do {
		if (!net_read_full(c->fd, h, 4))
			return false;
		len = (size_t)h[0] | (size_t)h[1] << 8 | (size_t)h[2] << 16;
		c->seq = (uint8_t)(h[3] + 1);
		if (len) {
			char *tmp = g_malloc(len);
			if (!net_read_full(c->fd, tmp, len)) {
				g_free(tmp);
				return false;
			}
			sb_put(payload, tmp, len);
			g_free(tmp);
		}
	} while (len == MAX_PAYLOAD);
	return true;
}

void
mp_packet(struct mp_conn *c, const void *payload, size_t n)
{
	const char *p = payload;

	for (;;) {
		size_t chunk = n < MAX_PAYLOAD ? n : MAX_PAYLOAD;
		uint8_t h[4] = { (uint8_t)chunk, (uint8_t)(chunk >> 8), (uint8_t)(chunk >> 16), c->seq++ };
		sb_put(&c->out, h, 4);
		sb_put(&c->out, p, chunk);
		p += chunk;
		n -= chunk;
		if (chunk < MAX_PAYLOAD)
			break;
	}
	if (c->out.len >= 256 * 1024)
		mp_flush(c);
}

bool
mp_flush(struct mp_conn *c)
{
	if (c->dead)
		return false;
	if (c->out.len && !net_write_full(c->fd, c->out.p, c->out.len))
		c->dead = true;
	sb_reset(&c->out);
	return !c->dead;
}

void
mp_put_lenenc(struct sb *b, uint64_t v)
{
	uint8_t t[9];

	if (v < 251) {
		sb_putc(b, (char)v);
		return;
	}
	if (v < 0x10000) {
		t[0] = 0xfc;
		t[1] = (uint8_t)v;
		t[2] = (uint8_t)(v >> 8);
		sb_put(b, t, 3);
	} else if (v < 0x1000000) {
		t[0] = 0xfd;
		for (int i = 0; i < 3; i++)
			t[1 + i] = (uint8_t)(v >> (8 * i));
		sb_put(b, t, 4);
	} else {
		t[0] = 0xfe;
		for (int i = 0; i < 8; i++)
			t[1 + i] = (uint8_t)(v >> (8 * i));
		sb_put(b, t, 9);
	}
}

void
mp_put_lenstr(struct sb *b, const char *s, size_t n)
{
	mp_put_lenenc(b, n);
	sb_put(b, s, n);
}

static void
put_u16(struct sb *b, uint16_t v)
{
	uint8_t t[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	sb_put(b, t, 2);
}

static void
put_u32(struct sb *b, uint32_t v)
{
	uint8_t t[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	sb_put(b, t, 4);
}

void
mp_ok(struct mp_conn *c, uint64_t affected)
{
	struct sb b;

	sb_init(&b);
	sb_putc(&b, 0x00);
	mp_put_lenenc(&b, affected);
	mp_put_lenenc(&b, 0);
	put_u16(&b, MP_SERVER_STATUS_AUTOCOMMIT);
	put_u16(&b, 0);
	mp_packet(c, b.p, b.len);
	sb_free(&b);
}

void
mp_err(struct mp_conn *c, int code, const char *msg)
{
	struct sb b;

	sb_init(&b);
	sb_putc(&b, (char)0xff);
	put_u16(&b, (uint16_t)code);
	sb_putc(&b, '#');
	sb_put(&b, err_sqlstate(code), 5);
	sb_puts(&b, msg);
	mp_packet(c, b.p, b.len);
	sb_free(&b);
}

void
mp_eof(struct mp_conn *c)
{
	uint8_t p[5] = { 0xfe, 0, 0, MP_SERVER_STATUS_AUTOCOMMIT, 0 };

	mp_packet(c, p, sizeof p);
}

void
mp_columns(struct mp_conn *c, const struct rs_col *cols, int n)
{
	struct sb b;

	sb_init(&b);
	mp_put_lenenc(&b, (uint64_t)n);
	mp_packet(c, b.p, b.len);
	for (int i = 0; i < n; i++) {
		bool text = cols[i].type == CT_VARCHAR;
		sb_reset(&b);
		mp_put_lenstr(&b, "def", 3);
		mp_put_lenstr(&b, "", 0);	/* schema */
		mp_put_lenstr(&b, "", 0);	/* table */
		mp_put_lenstr(&b, "", 0);	/* org_table */
		mp_put_lenstr(&b, cols[i].name, strlen(cols[i].name));
		mp_put_lenstr(&b, "", 0);	/* org_name */
		sb_putc(&b, 0x0c);
		put_u16(&b, text ? 33 : 63);	/* utf8_general_ci / binary */
		put_u32(&b, text ? 65533u * 3 : 20);
		sb_putc(&b, (char)cols[i].type);
		put_u16(&b, text ? 0 : 0x0080);	/* BINARY_FLAG for numbers */
		sb_putc(&b, 0);
		put_u16(&b, 0);
		mp_packet(c, b.p, b.len);
	}
	sb_free(&b);
	mp_eof(c);
}

void
mp_row(struct mp_conn *c, const char *const *cells, const size_t *lens, int n)
{
	/* built in place behind a header patched afterwards: no copy, no
	 * allocation per row (rows of bulk answers number in the millions) */
	size_t start = c->out.len;
	uint8_t h[4] = { 0, 0, 0, 0 };

	sb_put(&c->out, h, 4);
	for (int i = 0; i < n; i++) {
		if (!cells[i])
			sb_putc(&c->out, (char)0xfb);
		else
			mp_put_lenstr(&c->out, cells[i], lens[i]);
	}
	size_t len = c->out.len - start - 4;
	if (len >= MAX_PAYLOAD) {
		/* rare: a row that needs continuation packets goes the long way */
		char *payload = g_memdup2(c->out.p + start + 4, len);
		c->out.len = start;
		mp_packet(c, payload, len);
		g_free(payload);
		return;
	}
	c->out.p[start] = (char)(uint8_t)len;
	c->out.p[start + 1] = (char)(uint8_t)(len >> 8);
	c->out.p[start + 2] = (char)(uint8_t)(len >> 16);
	c->out.p[start + 3] = (char)c->seq++;
	if (c->out.len >= 256 * 1024)
		mp_flush(c);
}

void
mp_handshake(struct mp_conn *c, const char *version, uint32_t conn_id, const uint8_t scramble[20])
{
	struct sb b;

	sb_init(&b);
	sb_putc(&b, 10);
	sb_put(&b, version, strlen(version) + 1);
	put_u32(&b, conn_id);
	sb_put(&b, scramble, 8);
	sb_putc(&b, 0);
	put_u16(&b, (uint16_t)(SERVER_CAPS & 0xffff));
	sb_putc(&b, 33);
	put_u16(&b, MP_SERVER_STATUS_AUTOCOMMIT);
	put_u16(&b, (uint16_t)(SERVER_CAPS >> 16));
	sb_putc(&b, 21);
	for (int i = 0; i < 10; i++)
		sb_putc(&b, 0);
	sb_put(&b, scramble + 8, 12);
	sb_putc(&b, 0);
	sb_put(&b, "mysql_native_password", sizeof "mysql_native_password");
	mp_packet(c, b.p, b.len);
	sb_free(&b);
}

static bool
get_lenenc(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	if (*p >= end)
		return false;
	uint8_t f = *(*p)++;
	int nb = f < 251 ? 0 : f == 0xfc ? 2 : f == 0xfd ? 3 : f == 0xfe ? 8 : -1;
	if (nb < 0 || end - *p < nb)
		return false;
	if (nb == 0) {
		*v = f;
		return true;
	}
	*v = 0;
	for (int i = 0; i < nb; i++)
		*v |= (uint64_t)(*p)[i] << (8 * i);
	*p += nb;
	return true;
}

static bool
get_cstr(const uint8_t **p, const uint8_t *end, char *out, size_t n)
{
	const uint8_t *z = memchr(*p, 0, (size_t)(end - *p));

	if (!z)
		return false;
	size_t len = (size_t)(z - *p);
	if (len >= n)
		len = n - 1;
	memcpy(out, *p, len);
	out[len] = '\0';
	*p = z + 1;
	return true;
}

bool
mp_parse_auth(const uint8_t *p, size_t n, struct mp_auth *a)
{
	const uint8_t *end = p + n;

	memset(a, 0, sizeof *a);
	if (n < 32)
		return false;
	a->caps = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	if (!(a->caps & CAP_PROTOCOL_41))
		return false;
	p += 32;	/* caps, max packet, charset, 23 reserved bytes */
	if (!get_cstr(&p, end, a->user, sizeof a->user))
		return false;
	uint64_t tl;
	if (a->caps & CAP_PLUGIN_AUTH_LENENC) {
		if (!get_lenenc(&p, end, &tl))
			return false;
	} else if (a->caps & CAP_SECURE_CONNECTION) {
		if (p >= end)
			return false;
		tl = *p++;
	} else {
		const uint8_t *z = memchr(p, 0, (size_t)(end - p));
		if (!z)
			return false;
		tl = (uint64_t)(z - p);
	}
	if ((uint64_t)(end - p) < tl || tl > sizeof a->token)
		return false;
	memcpy(a->token, p, tl);
	a->ntoken = tl;
	p += tl;
	if (!(a->caps & (CAP_PLUGIN_AUTH_LENENC | CAP_SECURE_CONNECTION)) && p < end)
		p++;
	if ((a->caps & CAP_CONNECT_WITH_DB) && p < end && !get_cstr(&p, end, a->db, sizeof a->db))
		return false;
	if ((a->caps & CAP_PLUGIN_AUTH) && p < end)
		get_cstr(&p, end, a->plugin, sizeof a->plugin);
	return true;
}

static void
sha1(const void *a, size_t na, const void *b, size_t nb, uint8_t out[20])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len = 20;

	EVP_DigestInit_ex(ctx, EVP_sha1(), NULL);
	EVP_DigestUpdate(ctx, a, na);
	if (nb)
		EVP_DigestUpdate(ctx, b, nb);
	EVP_DigestFinal_ex(ctx, out, &len);
	EVP_MD_CTX_free(ctx);
}

void
mp_scramble_native(const char *password, const uint8_t scramble[20], uint8_t out[20])
{
	uint8_t h1[20], h2[20], h3[20];

	sha1(password, strlen(password), NULL, 0, h1);
	sha1(h1, 20, NULL, 0, h2);
	sha1(scramble, 20, h2, 20, h3);
	for (int i = 0; i < 20; i++)
		out[i] = h1[i] ^ h3[i];
}

bool
mp_check_native(const char *password, const uint8_t scramble[20], const uint8_t *token, size_t ntoken)
{
	uint8_t want[20];

	if (!*password)
		return ntoken == 0;
	if (ntoken != 20)
		return false;
	mp_scramble_native(password, scramble, want);
	return memcmp(want, token, 20) == 0;
}
