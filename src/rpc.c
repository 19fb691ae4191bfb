/*
 * rpc: see rpc.h.
 *
 * The descriptor goes into a ThriftSocket (its sd), not a ThriftFDTransport:
 * the latter is meant for files and flushes with fsync(), which a socket
 * refuses. ThriftSocket closes sd when it is finalised.
 */
#include "srmigrate/rpc.h"

#include <pthread.h>
#include <string.h>

#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/thrift_application_exception.h>
#include <thrift/c_glib/transport/thrift_buffered_transport.h>
#include <thrift/c_glib/transport/thrift_socket.h>

#include "srm_frontend_service.h"
#include "srmigrate/net.h"
#include "srmigrate/secret.h"
#include "srmigrate/util.h"

/*
 * Thrift 0.17's c_glib generator writes struct finalize functions that do not
 * chain up to their parent's, and the library's ThriftSocket and
 * ThriftBufferedTransport have the same fault. GObject's own finalize then
 * never runs and the data GObject attaches to an instance during its last
 * unref leaks: 32 bytes per object, per request, which a long migration
 * turns into megabytes. Once per process we give each of these classes a
 * finalize that runs its own and then the parent's, as GObject expects.
 */
static struct {
	GType (*type)(void);
	void (*own)(GObject *);
	GType gtype;
} unchained[] = {
	{ srm_t_backend_get_type }, { srm_t_status_get_type },
	{ srm_t_replica_replication_info_get_type }, { srm_t_tablet_replication_info_get_type },
	{ srm_t_index_replication_info_get_type }, { srm_t_partition_replication_info_get_type },
	{ srm_t_table_replication_request_get_type }, { srm_t_table_replication_response_get_type },
	{ srm_frontend_service_start_table_replication_args_get_type },
	{ srm_frontend_service_start_table_replication_result_get_type },
	{ thrift_socket_get_type }, { thrift_buffered_transport_get_type },
};

static void
finalize_and_chain(GObject *object)
{
	GObjectClass *klass = G_OBJECT_GET_CLASS(object);

	for (size_t i = 0; i < ARRAY_LEN(unchained); i++) {
		if (unchained[i].gtype == G_TYPE_FROM_CLASS(klass)) {
			unchained[i].own(object);
			G_OBJECT_CLASS(g_type_class_peek_parent(klass))->finalize(object);
			return;
		}
	}
}

static void
fix_finalizers(void)
{
	for (size_t i = 0; i < ARRAY_LEN(unchained); i++) {
		GObjectClass *klass = g_type_class_ref(unchained[i].type());

		unchained[i].gtype = G_TYPE_FROM_CLASS(klass);
		unchained[i].own = klass->finalize;
		klass->finalize = finalize_and_chain;
		/* The reference keeps the class (and our finalize) for the process's life. */
	}
}

void
rpc_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, fix_finalizers);
}

static gint64 *
key64(int64_t v)
{
	gint64 *k = g_new(gint64, 1);

	*k = v;
	return k;
}

static srmTTableReplicationRequest *
build(const struct rpc_request *q)
{
	srmTTableReplicationRequest *r = g_object_new(SRM_TYPE_T_TABLE_REPLICATION_REQUEST, NULL);

#define SET_STR(f, v) do { if (v) { r->f = g_strdup(v); r->__isset_##f = TRUE; } } while (0)
#define SET_NUM(f, v) do { r->f = (v); r->__isset_##f = TRUE; } while (0)
	SET_STR(username, q->username);
	SET_STR(password, q->password);
	SET_NUM(database_id, q->database_id);
	SET_NUM(table_id, q->table_id);
	SET_STR(src_token, q->src_token);
	SET_NUM(src_table_type, SRM_T_TABLE_TYPE_OLAP_TABLE);
	SET_NUM(src_table_data_size, q->src_table_data_size);
	SET_STR(job_id, q->job_id);
	if (q->lake) {
		SET_NUM(src_cluster_run_mode, SRM_T_RUN_MODE_SHARED_DATA);
		SET_STR(src_storage_volume_name, q->src_storage_volume_name);
		SET_STR(src_service_id, q->src_service_id);
		SET_NUM(src_database_id, q->src_database_id);
		SET_NUM(src_table_id, q->src_table_id);
	}
#undef SET_STR
#undef SET_NUM
	r->__isset_partition_replication_infos = TRUE;
	for (size_t p = 0; p < q->n_partitions; p++) {
		const struct rpc_partition *qp = &q->partitions[p];
		srmTPartitionReplicationInfo *pi = g_object_new(SRM_TYPE_T_PARTITION_REPLICATION_INFO, NULL);

		pi->partition_id = qp->partition_id;
		pi->__isset_partition_id = TRUE;
		pi->src_version = qp->src_version;
		pi->__isset_src_version = TRUE;
		if (qp->src_version_epoch >= 0) {
			pi->src_version_epoch = qp->src_version_epoch;
			pi->__isset_src_version_epoch = TRUE;
		}
		if (qp->src_partition_id >= 0) {
			pi->src_partition_id = qp->src_partition_id;
			pi->__isset_src_partition_id = TRUE;
		}
		pi->__isset_index_replication_infos = TRUE;
		for (uint32_t i = qp->first_index; i < qp->first_index + qp->n_indexes; i++) {
			const struct rpc_index *qi = &q->indexes[i];
			srmTIndexReplicationInfo *ii = g_object_new(SRM_TYPE_T_INDEX_REPLICATION_INFO, NULL);

			ii->index_id = qi->index_id;
			ii->__isset_index_id = TRUE;
			ii->src_schema_hash = qi->src_schema_hash;
			ii->__isset_src_schema_hash = TRUE;
			ii->__isset_tablet_replication_infos = TRUE;
			for (uint32_t t = qi->first_tablet; t < qi->first_tablet + qi->n_tablets; t++) {
				const struct rpc_tablet *qt = &q->tablets[t];
				srmTTabletReplicationInfo *ti =
					g_object_new(SRM_TYPE_T_TABLET_REPLICATION_INFO, NULL);

				ti->tablet_id = qt->tablet_id;
				ti->__isset_tablet_id = TRUE;
				ti->src_tablet_id = qt->src_tablet_id;
				ti->__isset_src_tablet_id = TRUE;
				if (qt->n_backends) {
					ti->__isset_replica_replication_infos = TRUE;
					for (uint32_t b = 0; b < qt->n_backends; b++) {
						const struct rpc_backend *be =
							&q->backends[q->backend_of[qt->first_backend + b]];
						srmTReplicaReplicationInfo *ri =
							g_object_new(SRM_TYPE_T_REPLICA_REPLICATION_INFO, NULL);

						ri->src_backend->host = g_strdup(be->host);
						ri->src_backend->be_port = be->be_port;
						ri->src_backend->http_port = be->http_port;
						ri->__isset_src_backend = TRUE;
						g_ptr_array_add(ti->replica_replication_infos, ri);
					}
				}
				g_hash_table_insert(ii->tablet_replication_infos, key64(qt->tablet_id), ti);
			}
			g_hash_table_insert(pi->index_replication_infos, key64(qi->index_id), ii);
		}
		g_hash_table_insert(r->partition_replication_infos, key64(qp->partition_id), pi);
	}
	return r;
}

enum rpc_result
rpc_start_table_replication(const char *host, int port, int timeout_ms,
			    const struct rpc_request *req, char *msg, size_t msglen)
{
	srmTTableReplicationRequest *r;
	srmTTableReplicationResponse *resp;
	ThriftSocket *sock;
	ThriftTransport *buffered;
	ThriftProtocol *proto;
	srmFrontendServiceClient *client;
	GError *error = NULL;
	enum rpc_result result;
	int fd;

	rpc_init();
	fd = net_connect(host, port, timeout_ms, msg, msglen);
	if (fd < 0)
		return RPC_UNREACHABLE;
	r = build(req);
	/* The generated client reads into an object the caller provides. */
	resp = g_object_new(SRM_TYPE_T_TABLE_REPLICATION_RESPONSE, NULL);
	sock = g_object_new(THRIFT_TYPE_SOCKET, "hostname", host, "port", (guint)port, NULL);
	sock->sd = fd;	/* already connected, with timeouts */
	buffered = g_object_new(THRIFT_TYPE_BUFFERED_TRANSPORT, "transport", sock,
				"w_buf_size", 64 * 1024, "r_buf_size", 64 * 1024, NULL);
	proto = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", buffered, NULL);
	client = g_object_new(SRM_TYPE_FRONTEND_SERVICE_CLIENT, "input_protocol", proto,
			      "output_protocol", proto, NULL);

	if (!srm_frontend_service_client_start_table_replication(SRM_FRONTEND_SERVICE_IF(client), &resp,
								   r, &error)) {
		/* An application exception is an answer: the FE did not take the job. */
		bool answered = error && error->domain == THRIFT_APPLICATION_EXCEPTION_ERROR;

		str_fmt(msg, msglen, "%s:%d: %s", host, port, error ? error->message : "RPC failed");
		result = answered ? RPC_REJECTED : RPC_UNKNOWN;
	} else if (!resp->__isset_status) {
		str_fmt(msg, msglen, "%s:%d: answer without a status", host, port);
		result = RPC_UNKNOWN;
	} else if (resp->status->status_code == SRM_T_STATUS_CODE_OK) {
		msg[0] = '\0';
		result = RPC_OK;
	} else {
		GPtrArray *m = resp->status->__isset_error_msgs ? resp->status->error_msgs : NULL;

		str_fmt(msg, msglen, "%s", m && m->len ? (const char *)g_ptr_array_index(m, 0)
						   : "rejected without a message");
		result = RPC_REJECTED;
	}
	secret_redact(msg, msglen);
	if (error)
		g_error_free(error);
	g_object_unref(resp);
	g_object_unref(client);
	g_object_unref(proto);
	g_object_unref(buffered);
	g_object_unref(sock);	/* closes the descriptor */
	g_object_unref(r);
	return result;
}

size_t
rpc_request_replicas(const struct rpc_request *req)
{
	return req->n_backend_of ? req->n_backend_of : req->n_tablets;
}
