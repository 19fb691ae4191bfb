/*
 * net: TCP with deadlines, for the checks and the Thrift client.
 *
 * net_connect resolves and connects within @timeout_ms and returns a
 * blocking descriptor whose reads and writes time out after the same time.
 * net_http_get does one HTTP/1.0 GET (the source BE's download endpoint
 * answers the token check; no library here speaks HTTP, and one request
 * line is all we need).
 */
#ifndef SRMIGRATE_NET_H
#define SRMIGRATE_NET_H

#include <stddef.h>

/* A connected descriptor, or -1 with err ("host:port: why"). */
int net_connect(const char *host, int port, int timeout_ms, char *err, size_t errlen);
/* Can we open a TCP connection? 0 yes, -1 no (err says why). */
int net_probe(const char *host, int port, int timeout_ms, char *err, size_t errlen);
/*
 * GET @path; the status code in *status and up to @bodylen-1 bytes of the
 * body in @body. Returns 0, or -1 with err when no answer came.
 */
int net_http_get(const char *host, int port, const char *path, int timeout_ms, int *status,
		 char *body, size_t bodylen, char *err, size_t errlen);

#endif /* SRMIGRATE_NET_H */
