/*
 * net: loopback listeners, connection threads, blocking I/O.
 */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct listener {
	int fd, port;
	char name[64];
	net_handler handler;
	void *arg;
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;	/* pthread, not GMutex: visible to ThreadSanitizer */
	pthread_cond_t idle;
	GHashTable *conns;	/* fd -> fd of open connections */
	int active;
};

struct conn_start {
	struct listener *l;
	int fd;
};

static int
bind_loopback(int port, char *err, size_t n)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	if (fd < 0) {
		snprintf(err, n, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 1024) != 0) {
		snprintf(err, n, "bind 127.0.0.1:%d: %s", port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void *
conn_main(void *p)
{
	struct conn_start cs = *(struct conn_start *)p;
	struct listener *l = cs.l;

	g_free(p);
	l->handler(cs.fd, l->arg);
	pthread_mutex_lock(&l->lock);
	g_hash_table_remove(l->conns, GINT_TO_POINTER(cs.fd));
	close(cs.fd);
	if (--l->active == 0)
		pthread_cond_broadcast(&l->idle);
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

static void *
accept_main(void *p)
{
	struct listener *l = p;

	for (;;) {
		int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			break;	/* the socket was shut down */
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		struct conn_start *cs = g_new(struct conn_start, 1);
		cs->l = l;
		cs->fd = fd;
		pthread_mutex_lock(&l->lock);
		if (!l->running) {
			pthread_mutex_unlock(&l->lock);
			close(fd);
			g_free(cs);
			break;
		}
		g_hash_table_add(l->conns, GINT_TO_POINTER(fd));
		l->active++;
		pthread_mutex_unlock(&l->lock);
		pthread_t t;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &attr, conn_main, cs) != 0) {
			pthread_mutex_lock(&l->lock);
			g_hash_table_remove(l->conns, GINT_TO_POINTER(fd));
			l->active--;
			pthread_mutex_unlock(&l->lock);
			close(fd);
			g_free(cs);
		}
		pthread_attr_destroy(&attr);
	}
	return NULL;
}

static bool
start_accept(struct listener *l)
{
	pthread_mutex_lock(&l->lock);
	l->running = true;
	pthread_mutex_unlock(&l->lock);
	if (pthread_create(&l->thread, NULL, accept_main, l) != 0) {
		pthread_mutex_lock(&l->lock);
		l->running = false;
		pthread_mutex_unlock(&l->lock);
		return false;
	}
	return true;
}

struct listener *
net_listen(int port, const char *name, net_handler h, void *arg, char *err, size_t n)
{
	struct listener *l = g_new0(struct listener, 1);
	struct sockaddr_in a;
	socklen_t alen = sizeof a;

	l->fd = bind_loopback(port, err, n);
	if (l->fd < 0) {
		g_free(l);
		return NULL;
	}
	getsockname(l->fd, (struct sockaddr *)&a, &alen);
	l->port = ntohs(a.sin_port);
	snprintf(l->name, sizeof l->name, "%s", name);
	l->handler = h;
	l->arg = arg;
	pthread_mutex_init(&l->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&l->idle, &ca);
	pthread_condattr_destroy(&ca);
	l->conns = g_hash_table_new(g_direct_hash, g_direct_equal);
	if (!start_accept(l)) {
		snprintf(err, n, "%s: cannot start its thread", name);
		close(l->fd);
		g_hash_table_destroy(l->conns);
		g_free(l);
		return NULL;
	}
	return l;
}

int
net_port(const struct listener *l)
{
	return l ? l->port : 0;
}

static void
stop_accept(struct listener *l)
{
	pthread_mutex_lock(&l->lock);
	bool was = l->running;
	l->running = false;
	pthread_mutex_unlock(&l->lock);
	if (!was)
		return;
	shutdown(l->fd, SHUT_RDWR);
	pthread_join(l->thread, NULL);
	close(l->fd);
	l->fd = -1;
}

void
net_pause(struct listener *l)
{
	if (!l)
		return;
	stop_accept(l);
	/* a stopped process also drops its connections */
	pthread_mutex_lock(&l->lock);
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, l->conns);
	while (g_hash_table_iter_next(&it, &k, NULL))
		shutdown(GPOINTER_TO_INT(k), SHUT_RDWR);
	pthread_mutex_unlock(&l->lock);
}

bool
net_resume(struct listener *l)
{
	char err[128];

	if (!l)
		return true;
	pthread_mutex_lock(&l->lock);
	bool running = l->running;
	pthread_mutex_unlock(&l->lock);
	if (running)
		return true;
	l->fd = bind_loopback(l->port, err, sizeof err);
	if (l->fd < 0)
		return false;
	return start_accept(l);
}

void
net_stop(struct listener *l)
{
	if (!l)
		return;
	net_pause(l);
	pthread_mutex_lock(&l->lock);
	while (l->active > 0) {
		GHashTableIter it;
		gpointer k;
		g_hash_table_iter_init(&it, l->conns);
		while (g_hash_table_iter_next(&it, &k, NULL))
			shutdown(GPOINTER_TO_INT(k), SHUT_RDWR);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += 200 * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&l->idle, &l->lock, &until);
	}
	pthread_mutex_unlock(&l->lock);
	g_hash_table_destroy(l->conns);
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->idle);
	g_free(l);
}

bool
net_read_full(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n > 0) {
		ssize_t r = recv(fd, p, n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

bool
net_write_full(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t r = send(fd, p, n, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

void
net_set_timeouts(int fd, int recv_ms, int send_ms)
{
	struct timeval tv;

	if (recv_ms > 0) {
		tv.tv_sec = recv_ms / 1000;
		tv.tv_usec = (recv_ms % 1000) * 1000;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	}
	if (send_ms > 0) {
		tv.tv_sec = send_ms / 1000;
		tv.tv_usec = (send_ms % 1000) * 1000;
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	}
}

int
net_connect(const char *host, int port, int timeout_ms, char *err, size_t n)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res = NULL;
	char svc[16];

	snprintf(svc, sizeof svc, "%d", port);
	int gai = getaddrinfo(host, svc, &hints, &res);
	if (gai != 0 || !res) {
		snprintf(err, n, "UnknownHostException: %s: %s", host, gai_strerror(gai));
		return -1;
	}
	struct sockaddr_in *sa = (struct sockaddr_in *)res->ai_addr;
	/* srsim never leaves the machine: anything that is not loopback is unreachable */
	if ((ntohl(sa->sin_addr.s_addr) >> 24) != 127) {
		snprintf(err, n, "connect to %s:%d failed: Network is unreachable", host, port);
		freeaddrinfo(res);
		return -1;
	}
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, n, "socket: %s", strerror(errno));
		freeaddrinfo(res);
		return -1;
	}
	int rc = connect(fd, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (rc != 0 && errno == EINPROGRESS) {
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };
		int soerr = 0;
		socklen_t sl = sizeof soerr;
		rc = poll(&pfd, 1, timeout_ms);
		if (rc == 1) {
			getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
			rc = soerr ? -1 : 0;
			errno = soerr;
		} else {
			rc = -1;
			errno = ETIMEDOUT;
		}
	}
	if (rc != 0) {
		snprintf(err, n, "connect to %s:%d failed: %s", host, port, strerror(errno));
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}
