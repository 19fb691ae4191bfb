/*
 * session: one client connection to an FE's query port: authentication, the
 * command loop (COM_QUERY, COM_INIT_DB, COM_PING, COM_FIELD_LIST, COM_QUIT),
 * and the result sink that applies the result-set faults.
 */
#ifndef SRSIM_SESSION_H
#define SRSIM_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "mysqlproto.h"
#include "result.h"
#include "sim.h"

struct session {
	struct mp_conn mp;
	struct node *fe;
	struct cluster *cl;
	uint32_t id;
	struct user *user;
	char db[256];
	/* per result set: faults */
	const char *kind;	/* statement kind name for sim_malformed ("show_partitions") */
	const char *table;	/* information_schema table, or NULL */
	int64_t cut_after, rows_sent;
	unsigned mal;
	int drop_col;		/* column left out by missing_column, or -1 */
	bool long_done;
};

/* The net handler of an FE query listener (arg: struct node *). */
void sess_serve(int fd, void *arg);

/* A sink writing the session's result set, with faults decided per result. */
struct rs_sink sess_sink(struct session *s);

#endif /* SRSIM_SESSION_H */
