/*
 * hostmap: conf/hosts.properties, the address map every connection and
 * every address put into a replication request goes through.
 *
 *   <SOURCE|TARGET>_<host>=<mappedHost>[;<srcPort>:<dstPort>[,<srcPort>:<dstPort>...]]
 *
 * <host> is the IP column of SHOW FRONTENDS / BACKENDS / COMPUTE NODES and is
 * compared without regard to case (a DNS name). An unknown host, or a port
 * without a remap, passes through unchanged.
 */
#ifndef SRMIGRATE_HOSTMAP_H
#define SRMIGRATE_HOSTMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "srmigrate/event.h"	/* enum side */

struct hostmap_port {
	int from, to;
};

struct hostmap_entry {
	enum side side;
	char *host;		/* as written after the prefix */
	char *mapped;
	struct hostmap_port *ports;
	size_t n_ports;
	int line;
};

struct hostmap {
	struct hostmap_entry *entries;
	size_t n;
	void *index;		/* GHashTable "<side>|<lowercase host>" -> entry */
};

/* A missing file is an empty map. Errors: "PATH:LINE: why". */
int hostmap_load(struct hostmap *m, const char *path, char *err, size_t errlen);
int hostmap_load_text(struct hostmap *m, const char *path, const char *text,
		      char *err, size_t errlen);
void hostmap_free(struct hostmap *m);

/*
 * Map @host:@port of @side. *out_host points into the map or at @host; it
 * stays valid while both live. Returns true when the host had an entry.
 */
bool hostmap_resolve(const struct hostmap *m, enum side side, const char *host, int port,
		     const char **out_host, int *out_port);

#endif /* SRMIGRATE_HOSTMAP_H */
