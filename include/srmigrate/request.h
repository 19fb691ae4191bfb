/*
 * request: build a startTableReplication request from what the clusters
 * told us (catalogs and per-table detail). Pure: no I/O.
 *
 * Partitions are matched by name, indexes by name, tablets by bucket
 * position (ascending tablet id on both sides: the FE pairs the i-th with
 * the i-th and requires equal counts). Source replicas become source
 * backends, their addresses mapped through hosts.properties (SOURCE_).
 */
#ifndef SRMIGRATE_REQUEST_H
#define SRMIGRATE_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srmigrate/catalog.h"
#include "srmigrate/hostmap.h"
#include "srmigrate/meta.h"
#include "srmigrate/rpc.h"

struct req_input {
	const struct catalog *src, *tgt;
	const struct cat_table *st, *tt;
	const struct meta_detail *sd, *td;
	const char *const *partitions;	/* source partition names to send */
	size_t n_partitions;
	const struct hostmap *hosts;
	const char *token;		/* shared-nothing source: the cluster token */
	const char *user, *password;	/* fields 1-2 (the FE does not check them) */
	const char *job_id;
	bool send_epoch;		/* target >= 3.3.2 and the source reports epochs */
	/* Shared-data to shared-data (target 4.1+). */
	bool lake;
	const char *lake_volume;	/* src_<source volume> on the target */
	const char *service_id;
};

struct req_built {
	struct rpc_request req;		/* its arrays are owned here */
	int64_t replicas;		/* target replicas: what the FE counts against its limit */
	int64_t bytes;			/* source bytes of the partitions sent */
};

int req_build(const struct req_input *in, struct req_built *out, char *err, size_t errlen);
void req_free(struct req_built *b);

#endif /* SRMIGRATE_REQUEST_H */
