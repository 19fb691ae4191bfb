/*
 * http: the little HTTP/1.1 srsim needs: reading one request on a node's
 * http port, writing a response, and a client GET (a target node downloading
 * a snapshot listing from a source BE). One request per connection.
 */
#ifndef SRSIM_HTTP_H
#define SRSIM_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "simutil.h"

struct http_req {
	char method[16];
	char path[2048];	/* without the query */
	char query[4096];
};

bool http_read_request(int fd, struct http_req *r);
/* The decoded value of a query parameter, or "" (g_free). */
char *http_param(const struct http_req *r, const char *name);
void http_respond(int fd, int status, const char *content_type, const char *body, size_t len);

/* GET http://host:port/path_and_query; status and body on success. */
bool http_get(const char *host, int port, const char *path_and_query, int timeout_ms, int *status,
	      struct sb *body, char *err, size_t n);
/* Percent-encode a query value. */
char *http_escape(const char *s);

#endif /* SRSIM_HTTP_H */
