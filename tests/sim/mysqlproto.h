/*
 * mysqlproto: the server side of the MySQL client/server protocol as
 * StarRocks speaks it: handshake v10 with mysql_native_password, OK / ERR /
 * EOF packets (no CLIENT_DEPRECATE_EOF), text result sets. No library does the
 * server side, so it is written here from the protocol documentation.
 */
#ifndef SRSIM_MYSQLPROTO_H
#define SRSIM_MYSQLPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "result.h"
#include "simutil.h"

#define MP_SERVER_STATUS_AUTOCOMMIT 0x0002

struct mp_conn {
	int fd;
	uint8_t seq;
	struct sb out;		/* packets not yet written */
	bool dead;
};

void mp_init(struct mp_conn *c, int fd);
void mp_free(struct mp_conn *c);

/* Read one client packet (reassembling 16 MB continuations); sets seq to answer it. */
bool mp_read(struct mp_conn *c, struct sb *payload);
/* Queue one packet with the next sequence id; large payloads are split. */
void mp_packet(struct mp_conn *c, const void *payload, size_t n);
bool mp_flush(struct mp_conn *c);

void mp_ok(struct mp_conn *c, uint64_t affected);
void mp_err(struct mp_conn *c, int code, const char *msg);
void mp_eof(struct mp_conn *c);
/* Column count, definitions and the EOF that ends them. */
void mp_columns(struct mp_conn *c, const struct rs_col *cols, int n);
void mp_row(struct mp_conn *c, const char *const *cells, const size_t *lens, int n);

/* Handshake v10 for a server version string and a 20-byte scramble. */
void mp_handshake(struct mp_conn *c, const char *version, uint32_t conn_id, const uint8_t scramble[20]);

struct mp_auth {
	uint32_t caps;
	char user[256];
	uint8_t token[64];
	size_t ntoken;
	char db[256];
	char plugin[64];
};

bool mp_parse_auth(const uint8_t *p, size_t n, struct mp_auth *a);
/* mysql_native_password: token == SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))). */
bool mp_check_native(const char *password, const uint8_t scramble[20], const uint8_t *token, size_t ntoken);
/* The client side of the same computation (tests). */
void mp_scramble_native(const char *password, const uint8_t scramble[20], uint8_t out[20]);

/* Length-encoded integers and strings. */
void mp_put_lenenc(struct sb *b, uint64_t v);
void mp_put_lenstr(struct sb *b, const char *s, size_t n);

#endif /* SRSIM_MYSQLPROTO_H */
