/*
 * rpc: the Thrift objects each request creates are freed whole. GObject's
 * finalize, which drops the data attached to an instance, runs only when a
 * class's finalize chains up; rpc_init() makes those of Thrift 0.17 do so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/transport/thrift_buffered_transport.h>
#include <thrift/c_glib/transport/thrift_socket.h>

#include "srm_frontend_service.h"
#include "srmigrate/rpc.h"

static int dropped;

static void
drop(gpointer data)
{
	(void)data;
	dropped++;
}

/* Did the last unref of @o reach GObject's own finalize? */
static bool
finalized_whole(gpointer o)
{
	dropped = 0;
	g_object_set_data_full(G_OBJECT(o), "probe", GINT_TO_POINTER(1), drop);
	g_object_unref(o);
	return dropped == 1;
}

static void
test_objects_freed_whole(void **state)
{
	(void)state;
	rpc_init();
	rpc_init();	/* once per process, whoever calls */
	assert_true(finalized_whole(g_object_new(THRIFT_TYPE_SOCKET, "hostname", "fe-0.target.invalid",
						 "port", 9020, NULL)));
	GObject *sock = g_object_new(THRIFT_TYPE_SOCKET, "hostname", "fe-0.target.invalid", "port", 9020, NULL);
	GObject *buffered = g_object_new(THRIFT_TYPE_BUFFERED_TRANSPORT, "transport", sock, NULL);
	GObject *proto = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", buffered, NULL);

	assert_true(finalized_whole(proto));
	assert_true(finalized_whole(buffered));
	assert_true(finalized_whole(sock));
	assert_true(finalized_whole(g_object_new(SRM_TYPE_T_TABLE_REPLICATION_REQUEST, NULL)));
	assert_true(finalized_whole(g_object_new(SRM_TYPE_T_TABLE_REPLICATION_RESPONSE, NULL)));
	assert_true(finalized_whole(g_object_new(SRM_TYPE_T_REPLICA_REPLICATION_INFO, NULL)));
	assert_true(finalized_whole(g_object_new(SRM_TYPE_T_STATUS, NULL)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_objects_freed_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
