/*
 * rpc: startTableReplication on the target FE (Apache Thrift c_glib).
 *
 * A fresh TCP connection per call (the FE drops idle ones after 5 s), our own
 * socket so connect, read and write all have a timeout, buffered transport,
 * strict binary protocol: what the FE's rpc_port speaks (facts §2.1).
 *
 * The request is described by plain arrays (struct rpc_request) so that job
 * planning never touches GObjects; rpc.c builds the Thrift structs.
 */
#ifndef SRMIGRATE_RPC_H
#define SRMIGRATE_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rpc_backend {
	const char *host;	/* already mapped through hosts.properties */
	int be_port, http_port;
};

struct rpc_tablet {
	int64_t tablet_id, src_tablet_id;
	uint32_t first_backend, n_backends;	/* into rpc_request.backend_of */
};

struct rpc_index {
	int64_t index_id;
	int32_t src_schema_hash;
	uint32_t first_tablet, n_tablets;
};

struct rpc_partition {
	int64_t partition_id;		/* target physical partition */
	int64_t src_version;
	int64_t src_version_epoch;	/* < 0: not sent */
	int64_t src_partition_id;	/* < 0: not sent (4.1+ lake jobs only) */
	uint32_t first_index, n_indexes;
};

struct rpc_request {
	const char *username, *password;
	int64_t database_id, table_id;	/* target */
	const char *src_token;		/* NULL: not sent */
	int64_t src_table_data_size;
	const char *job_id;
	/* Shared-data to shared-data (target 4.1+), fields 10-14. */
	bool lake;
	const char *src_storage_volume_name;
	const char *src_service_id;
	int64_t src_database_id, src_table_id;

	struct rpc_partition *partitions;
	size_t n_partitions;
	struct rpc_index *indexes;
	size_t n_indexes;
	struct rpc_tablet *tablets;
	size_t n_tablets;
	uint32_t *backend_of;		/* per replica entry: index into backends */
	size_t n_backend_of;
	struct rpc_backend *backends;
	size_t n_backends;
};

enum rpc_result {
	RPC_OK,		/* status OK: the job is registered */
	RPC_REJECTED,	/* status INTERNAL_ERROR: msg is the FE's reason; nothing registered */
	RPC_UNKNOWN,	/* transport failure after sending: the FE may have taken it */
	RPC_UNREACHABLE,	/* never sent (connect failed) */
};

/*
 * Make the generated Thrift structs free everything they own (see rpc.c).
 * Called by rpc_start_table_replication; anyone else creating those structs
 * (a server in the same process) calls it first.
 */
void rpc_init(void);

/* Send one request. @msg gets the FE's message or the transport error. */
enum rpc_result rpc_start_table_replication(const char *host, int port, int timeout_ms,
					    const struct rpc_request *req, char *msg, size_t msglen);

/* Tablets and replica entries in @req (the "replica count" of the FE's limits). */
size_t rpc_request_replicas(const struct rpc_request *req);

#endif /* SRMIGRATE_RPC_H */
