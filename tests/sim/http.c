/*
 * http: minimal HTTP/1.1 server and client pieces.
 */
#include "http.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"

bool
http_read_request(int fd, struct http_req *r)
{
	char buf[8192];
	size_t len = 0;

	memset(r, 0, sizeof *r);
	net_set_timeouts(fd, 5000, 5000);
	while (len < sizeof buf - 1) {
		ssize_t got = recv(fd, buf + len, sizeof buf - 1 - len, 0);
		if (got <= 0)
			return false;
		len += (size_t)got;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			break;
	}
	char target[6144];
	if (sscanf(buf, "%15s %6143s", r->method, target) != 2)
		return false;
	char *q = strchr(target, '?');
	if (q) {
		*q++ = '\0';
		g_strlcpy(r->query, q, sizeof r->query);
	}
	g_strlcpy(r->path, target, sizeof r->path);
	return true;
}

char *
http_param(const struct http_req *r, const char *name)
{
	char **pairs = g_strsplit(r->query, "&", -1);
	char *out = NULL;

	for (char **p = pairs; *p && !out; p++) {
		char *eq = strchr(*p, '=');
		size_t kl = eq ? (size_t)(eq - *p) : strlen(*p);
		if (kl == strlen(name) && !strncmp(*p, name, kl))
			out = g_uri_unescape_string(eq ? eq + 1 : "", NULL);
	}
	g_strfreev(pairs);
	return out ? out : g_strdup("");
}

void
http_respond(int fd, int status, const char *content_type, const char *body, size_t len)
{
	const char *reason = status == 200 ? "OK" : status == 404 ? "Not Found" : status == 400 ? "Bad Request"
											     : "Error";
	char head[256];
	int hn = snprintf(head, sizeof head,
			  "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
			  status, reason, content_type, len);

	if (net_write_full(fd, head, (size_t)hn) && len)
		net_write_full(fd, body, len);
}

char *
http_escape(const char *s)
{
	return g_uri_escape_string(s, NULL, FALSE);
}

bool
http_get(const char *host, int port, const char *path_and_query, int timeout_ms, int *status, struct sb *body,
	 char *err, size_t n)
{
	int fd = net_connect(host, port, timeout_ms, err, n);
	struct sb resp;
	char buf[4096];

	if (fd < 0)
		return false;
	net_set_timeouts(fd, timeout_ms, timeout_ms);
	char *req = g_strdup_printf("GET %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n", path_and_query,
				    host, port);
	bool ok = net_write_full(fd, req, strlen(req));
	g_free(req);
	sb_init(&resp);
	while (ok) {
		ssize_t got = recv(fd, buf, sizeof buf, 0);
		if (got <= 0)
			break;
		sb_put(&resp, buf, (size_t)got);
	}
	close(fd);
	const char *sep = resp.p ? strstr(resp.p, "\r\n\r\n") : NULL;
	if (!ok || !sep || sscanf(resp.p, "HTTP/%*s %d", status) != 1) {
		snprintf(err, n, "bad HTTP response from %s:%d", host, port);
		sb_free(&resp);
		return false;
	}
	sb_reset(body);
	sb_put(body, sep + 4, resp.len - (size_t)(sep + 4 - resp.p));
	sb_free(&resp);
	return true;
}
