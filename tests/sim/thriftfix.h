/*
 * thriftfix: the structs Thrift 0.17's c_glib generator writes, and the
 * library's socket, buffered transport, binary protocol and application
 * exception, have a finalize that does
 * not chain up to GObject's, so the qdata an object picked up during its life
 * (GObject keeps its notify queue there) is never freed: every request a
 * server reads, or a client builds, leaks a little. Running GObject's own
 * finalize after theirs mends that (it only clears qdata, so running it once
 * more where a finalize did chain up is harmless); call thriftfix_install()
 * once, before any thread uses the types.
 *
 * Header only, so that srsim and its tests (separate binaries) share it.
 */
#ifndef SRSIM_THRIFTFIX_H
#define SRSIM_THRIFTFIX_H

#include <glib-object.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/thrift_application_exception.h>
#include <thrift/c_glib/transport/thrift_buffered_transport.h>
#include <thrift/c_glib/transport/thrift_socket.h>

#include "srm_frontend_service.h"
#include "srm_replication_types.h"

static GHashTable *thriftfix_orig;	/* GType -> the generated finalize */

static void
thriftfix_finalize(GObject *o)
{
	GType t = G_OBJECT_TYPE(o);
	GObjectFinalizeFunc gen = (GObjectFinalizeFunc)g_hash_table_lookup(thriftfix_orig, GSIZE_TO_POINTER(t));

	gen(o);
	G_OBJECT_CLASS(g_type_class_peek(G_TYPE_OBJECT))->finalize(o);
}

static __attribute__((unused)) void
thriftfix_install(void)
{
	GType types[] = {
		SRM_TYPE_T_BACKEND, SRM_TYPE_T_STATUS, SRM_TYPE_T_REPLICA_REPLICATION_INFO,
		SRM_TYPE_T_TABLET_REPLICATION_INFO, SRM_TYPE_T_INDEX_REPLICATION_INFO,
		SRM_TYPE_T_PARTITION_REPLICATION_INFO, SRM_TYPE_T_TABLE_REPLICATION_REQUEST,
		SRM_TYPE_T_TABLE_REPLICATION_RESPONSE, SRM_TYPE_FRONTEND_SERVICE_START_TABLE_REPLICATION_ARGS,
		SRM_TYPE_FRONTEND_SERVICE_START_TABLE_REPLICATION_RESULT, THRIFT_TYPE_BINARY_PROTOCOL,
		THRIFT_TYPE_BUFFERED_TRANSPORT, THRIFT_TYPE_SOCKET, THRIFT_TYPE_APPLICATION_EXCEPTION,
	};

	if (thriftfix_orig)
		return;
	thriftfix_orig = g_hash_table_new(NULL, NULL);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		/* the class stays referenced for the life of the process */
		GObjectClass *k = g_type_class_ref(types[i]);
		if (k->finalize == thriftfix_finalize)
			continue;
		g_hash_table_insert(thriftfix_orig, GSIZE_TO_POINTER(types[i]), (gpointer)k->finalize);
		k->finalize = thriftfix_finalize;
	}
}

#endif /* SRSIM_THRIFTFIX_H */
