/*
 * net: loopback TCP listeners with one thread per connection.
 *
 * Every listener binds 127.0.0.1 (port 0 = an ephemeral port). A paused
 * listener closes its socket, so connecting is refused as with a stopped
 * process, and binds the same port again when resumed. Stopping shuts down
 * every open connection and waits for its thread, so srsim exits with no
 * thread left behind.
 */
#ifndef SRSIM_NET_H
#define SRSIM_NET_H

#include <stdbool.h>
#include <stddef.h>

/* Serve one accepted connection; return when done (net closes fd). */
typedef void (*net_handler)(int fd, void *arg);

struct listener;

struct listener *net_listen(int port, const char *name, net_handler h, void *arg, char *err, size_t n);
int net_port(const struct listener *l);
void net_pause(struct listener *l);
bool net_resume(struct listener *l);
/* Close and wait for every connection thread; frees l. */
void net_stop(struct listener *l);

/* Blocking I/O helpers: all or nothing; false on EOF, error or shutdown. */
bool net_read_full(int fd, void *buf, size_t n);
bool net_write_full(int fd, const void *buf, size_t n);
/* Connect to host:port with a timeout (loopback only: other addresses are refused). */
int net_connect(const char *host, int port, int timeout_ms, char *err, size_t n);
void net_set_timeouts(int fd, int recv_ms, int send_ms);

#endif /* SRSIM_NET_H */
