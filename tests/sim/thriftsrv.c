/*
 * thriftsrv: an FE's rpc port. Each connection gets a thread (net.c), a
 * buffered socket transport and a strict binary protocol, and the generated
 * c_glib FrontendService processor with srsim's handler. Like the FE's
 * TServerSocket it is unframed, refuses non-strict messages and drops a
 * connection idle for thrift_client_timeout_ms (5 s). Methods other than
 * startTableReplication get the processor's UNKNOWN_METHOD exception.
 */
#include "thriftsrv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/thrift_application_exception.h>
#include <thrift/c_glib/transport/thrift_buffered_transport.h>
#include <thrift/c_glib/transport/thrift_socket.h>

#include "faults.h"
#include "net.h"
#include "replication.h"
#include "simutil.h"
#include "srm_frontend_service.h"
#include "thriftfix.h"

typedef struct {
	srmFrontendServiceHandler parent;
	struct node *fe;
	int fd;
} SimFeHandler;

typedef struct {
	srmFrontendServiceHandlerClass parent;
} SimFeHandlerClass;

GType sim_fe_handler_get_type(void);
G_DEFINE_TYPE(SimFeHandler, sim_fe_handler, SRM_TYPE_FRONTEND_SERVICE_HANDLER)

static void
set_status(srmTTableReplicationResponse *resp, int code, const char *msg)
{
	resp->status->status_code = (srmTStatusCode)code;
	if (code != SRM_T_STATUS_CODE_OK) {
		g_ptr_array_add(resp->status->error_msgs, g_strdup(msg ? msg : ""));
		resp->status->__isset_error_msgs = TRUE;
	}
	resp->__isset_status = TRUE;
}

static gboolean
start_table_replication(srmFrontendServiceIf *iface, srmTTableReplicationResponse **ret,
			const srmTTableReplicationRequest *req, GError **error)
{
	SimFeHandler *h = (SimFeHandler *)iface;
	struct cluster *c = h->fe->cl;
	int hang = 0;
	char msg[2048];

	/* the method exists from 3.1.7 / 3.2.3 / 3.3.0 (facts 1.1); before, the FE knows no such name */
	if (!prof_since(&c->prof, PV(3, 1, 7), PV(3, 2, 3), PV(3, 3, 0), PV(3, 4, 0), PV(3, 5, 0))) {
		g_set_error(error, THRIFT_APPLICATION_EXCEPTION_ERROR, THRIFT_APPLICATION_EXCEPTION_ERROR_UNKNOWN_METHOD,
			    "Invalid method name: 'startTableReplication'");
		return FALSE;
	}
	enum flt_rpc f = flt_rpc(c, &hang);
	for (int64_t until = su_now_ms() + hang; hang && su_now_ms() < until && !atomic_load(&world.stopping);)
		su_sleep_ms(20);
	if (f == FLT_RPC_CLOSE) {
		/* the request was read; the connection goes away without an answer */
		shutdown(h->fd, SHUT_RDWR);
		set_status(*ret, SRM_T_STATUS_CODE_OK, NULL);
		return TRUE;
	}
	if (f == FLT_RPC_EXCEPTION) {
		g_set_error(error, THRIFT_APPLICATION_EXCEPTION_ERROR, THRIFT_APPLICATION_EXCEPTION_ERROR_INTERNAL_ERROR,
			    "Internal error processing startTableReplication");
		return FALSE;
	}
	/* a follower forwards to the leader (in-process here) unless the leader is gone */
	struct node *leader = sim_leader(c);
	if (leader != h->fe && atomic_load(&leader->down)) {
		set_status(*ret, SRM_T_STATUS_CODE_INTERNAL_ERROR, "forward request to fe master failed");
		return TRUE;
	}
	sim_wrlock();
	int rc = repl_start(c, req, msg, sizeof msg);
	sim_unlock();
	set_status(*ret, rc ? SRM_T_STATUS_CODE_INTERNAL_ERROR : SRM_T_STATUS_CODE_OK, msg);
	return TRUE;
}

static void
sim_fe_handler_init(SimFeHandler *self)
{
	self->fe = NULL;
	self->fd = -1;
}

static void
sim_fe_handler_class_init(SimFeHandlerClass *cls)
{
	SRM_FRONTEND_SERVICE_HANDLER_CLASS(cls)->start_table_replication = start_table_replication;
}

/* The next message must be strict binary (TBinaryProtocol strictRead): its first
 * byte has the version bit. Waits at most the idle timeout. */
static bool
next_message_ok(int fd, ThriftBufferedTransport *bt)
{
	unsigned char hdr[4];

	if (bt->r_buf->len > 0)
		return (bt->r_buf->data[0] & 0x80) != 0;
	ssize_t n = recv(fd, hdr, sizeof hdr, MSG_PEEK);
	return n > 0 && (hdr[0] & 0x80) != 0;
}

/* The objects serving one connection. */
struct stack {
	ThriftSocket *sock;
	ThriftTransport *bt;
	ThriftProtocol *proto;
	SimFeHandler *handler;
	ThriftProcessor *proc;
};

static void
stack_open(struct stack *st, int fd, struct node *fe)
{
	st->sock = g_object_new(THRIFT_TYPE_SOCKET, NULL);
	st->sock->sd = fd;
	st->bt = g_object_new(THRIFT_TYPE_BUFFERED_TRANSPORT, "transport", st->sock, "r_buf_size", 65536, "w_buf_size",
			      4096, NULL);
	st->proto = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", st->bt, NULL);
	st->handler = g_object_new(sim_fe_handler_get_type(), NULL);
	st->handler->fe = fe;
	st->handler->fd = fd;
	st->proc = g_object_new(SRM_TYPE_FRONTEND_SERVICE_PROCESSOR, "handler", st->handler, NULL);
}

static void
stack_close(struct stack *st)
{
	g_object_unref(st->proc);
	g_object_unref(st->handler);
	g_object_unref(st->proto);
	g_object_unref(st->bt);
	st->sock->sd = THRIFT_INVALID_SOCKET;	/* net.c closes the descriptor */
	g_object_unref(st->sock);
}

/* Build and drop every object the RPC path uses once, before any thread
 * starts. glib initialises classes and caches property defaults on first use,
 * under locks and atomics of its own that ThreadSanitizer cannot see; done
 * lazily in one connection thread and used in the next, that looks like a race. */
void
tsrv_init(void)
{
	GType (*const types[])(void) = {
		thrift_application_exception_get_type, srm_frontend_service_start_table_replication_args_get_type,
		srm_frontend_service_start_table_replication_result_get_type, srm_t_table_replication_request_get_type,
		srm_t_table_replication_response_get_type, srm_t_status_get_type,
		srm_t_partition_replication_info_get_type, srm_t_index_replication_info_get_type,
		srm_t_tablet_replication_info_get_type, srm_t_replica_replication_info_get_type, srm_t_backend_get_type,
	};
	struct stack st;

	thriftfix_install();
	for (size_t i = 0; i < SU_LEN(types); i++)
		g_object_unref(g_object_new(types[i](), NULL));
	stack_open(&st, THRIFT_INVALID_SOCKET, NULL);
	stack_close(&st);
}

void
tsrv_serve(int fd, void *arg)
{
	struct node *fe = arg;
	GError *err = NULL;

	if (atomic_load(&fe->down))
		return;
	net_set_timeouts(fd, 5000, 10000);
	struct stack st;
	stack_open(&st, fd, fe);
	while (!atomic_load(&world.stopping)) {
		if (!next_message_ok(fd, (ThriftBufferedTransport *)st.bt))
			break;
		if (!sim_wait_stall(fe) || atomic_load(&fe->down))
			break;
		atomic_fetch_add(&fe->cl->st.rpcs, 1);
		if (!thrift_processor_process(st.proc, st.proto, st.proto, &err))
			break;
	}
	g_clear_error(&err);
	stack_close(&st);
}
