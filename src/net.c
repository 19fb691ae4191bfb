/* net: see net.h. */
#include "srmigrate/net.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "srmigrate/util.h"

int
net_connect(const char *host, int port, int timeout_ms, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL, *ai;
	char service[16];
	int fd = -1, rc;

	str_fmt(service, sizeof(service), "%d", port);
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc != 0) {
		str_fmt(err, errlen, "%s:%d: %s", host, port, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		struct pollfd pfd;
		int soerr = 0;
		socklen_t len = sizeof(soerr);

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
			str_fmt(err, errlen, "%s:%d: %s", host, port, strerror(errno));
			goto next;
		}
		pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
		rc = poll(&pfd, 1, timeout_ms);
		if (rc == 0) {
			str_fmt(err, errlen, "%s:%d: no answer within %d ms", host, port, timeout_ms);
			goto next;
		}
		if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0 || soerr != 0) {
			str_fmt(err, errlen, "%s:%d: %s", host, port, strerror(soerr ? soerr : errno));
			goto next;
		}
		continue;
next:
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd >= 0) {
		struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
		int one = 1;

		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	return fd;
}

int
net_probe(const char *host, int port, int timeout_ms, char *err, size_t errlen)
{
	int fd = net_connect(host, port, timeout_ms, err, errlen);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int
net_http_get(const char *host, int port, const char *path, int timeout_ms, int *status,
	     char *body, size_t bodylen, char *err, size_t errlen)
{
	char buf[8192];
	size_t got = 0;
	char *req, *eoh;
	int fd = net_connect(host, port, timeout_ms, err, errlen);

	if (fd < 0)
		return -1;
	req = xasprintf("GET %s HTTP/1.0\r\nHost: %s:%d\r\nConnection: close\r\n\r\n", path, host, port);
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req)) {
		str_fmt(err, errlen, "%s:%d: %s", host, port, strerror(errno));
		free(req);
		close(fd);
		return -1;
	}
	free(req);
	while (got < sizeof(buf) - 1) {
		ssize_t n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	if (sscanf(buf, "HTTP/%*d.%*d %d", status) != 1) {
		str_fmt(err, errlen, "%s:%d: not an HTTP answer", host, port);
		return -1;
	}
	eoh = strstr(buf, "\r\n\r\n");
	str_copy(body, bodylen, eoh ? eoh + 4 : "");
	return 0;
}
