/*
 * simtest: helpers srsim's own tests share (header only: every test_*.c is a
 * binary of its own). A Thrift client for startTableReplication built with
 * the generated c_glib code, and a small request builder that reads ids the
 * way a client would: through SHOW PROC on both clusters.
 */
#ifndef SRSIM_SIMTEST_H
#define SRSIM_SIMTEST_H

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/thrift_application_exception.h>
#include <thrift/c_glib/transport/thrift_buffered_transport.h>
#include <thrift/c_glib/transport/thrift_socket.h>

#include "e2e/harness.h"
#include "srm_frontend_service.h"
#include "thriftfix.h"

#define ST_FN static __attribute__((unused))

/*
 * One simulator for a whole test binary: SIMTEST_GROUP(scenario) defines
 * `sim`, started from @scenario (at speed 10) before the first test and
 * stopped after the last, by group_setup and group_teardown.
 */
#define SIMTEST_GROUP(scenario)                                                 \
	static struct sim sim;                                                  \
	static int group_setup(void **state)                                    \
	{                                                                       \
		(void)state;                                                    \
		return sim_start(&sim, scenario, 10);                           \
	}                                                                       \
	static int group_teardown(void **state)                                 \
	{                                                                       \
		(void)state;                                                    \
		sim_stop(&sim);                                                 \
		return 0;                                                       \
	}

/* A statement that must succeed: the test fails with the FE's error otherwise. */
ST_FN void
st_exec_ok(struct sim *s, int side, const char *sql)
{
	char err[1024];

	if (sim_exec(s, side, sql, err, sizeof err) != 0)
		fail_msg("%s: %s", sql, err);
}

/* --- requests ------------------------------------------------------------------------------ */

ST_FN srmTTableReplicationRequest *
rq_new(int64_t db, int64_t tbl, const char *token, const char *job_id)
{
	srmTTableReplicationRequest *r = g_object_new(SRM_TYPE_T_TABLE_REPLICATION_REQUEST, NULL);

	r->username = g_strdup("root");
	r->__isset_username = TRUE;
	r->password = g_strdup("");
	r->__isset_password = TRUE;
	r->database_id = db;
	r->__isset_database_id = TRUE;
	r->table_id = tbl;
	r->__isset_table_id = TRUE;
	r->src_token = g_strdup(token ? token : "");
	r->__isset_src_token = TRUE;
	r->src_table_type = SRM_T_TABLE_TYPE_OLAP_TABLE;
	r->__isset_src_table_type = TRUE;
	r->src_table_data_size = 0;
	r->__isset_src_table_data_size = TRUE;
	r->__isset_partition_replication_infos = TRUE;
	if (job_id) {
		r->job_id = g_strdup(job_id);
		r->__isset_job_id = TRUE;
	}
	return r;
}

static inline gint64 *
rq_key(int64_t v)
{
	gint64 *k = g_new(gint64, 1);

	*k = v;
	return k;
}

ST_FN srmTPartitionReplicationInfo *
rq_part(srmTTableReplicationRequest *r, int64_t pid, int64_t src_version)
{
	srmTPartitionReplicationInfo *p = g_object_new(SRM_TYPE_T_PARTITION_REPLICATION_INFO, NULL);

	p->partition_id = pid;
	p->__isset_partition_id = TRUE;
	p->src_version = src_version;
	p->__isset_src_version = TRUE;
	p->__isset_index_replication_infos = TRUE;
	g_hash_table_insert(r->partition_replication_infos, rq_key(pid), p);
	return p;
}

ST_FN srmTIndexReplicationInfo *
rq_index(srmTPartitionReplicationInfo *p, int64_t iid, int32_t src_schema_hash)
{
	srmTIndexReplicationInfo *x = g_object_new(SRM_TYPE_T_INDEX_REPLICATION_INFO, NULL);

	x->index_id = iid;
	x->__isset_index_id = TRUE;
	x->src_schema_hash = src_schema_hash;
	x->__isset_src_schema_hash = TRUE;
	x->__isset_tablet_replication_infos = TRUE;
	g_hash_table_insert(p->index_replication_infos, rq_key(iid), x);
	return x;
}

ST_FN srmTTabletReplicationInfo *
rq_tablet(srmTIndexReplicationInfo *x, int64_t tid, int64_t src_tid)
{
	srmTTabletReplicationInfo *t = g_object_new(SRM_TYPE_T_TABLET_REPLICATION_INFO, NULL);

	t->tablet_id = tid;
	t->__isset_tablet_id = TRUE;
	t->src_tablet_id = src_tid;
	t->__isset_src_tablet_id = TRUE;
	t->__isset_replica_replication_infos = TRUE;
	g_hash_table_insert(x->tablet_replication_infos, rq_key(tid), t);
	return t;
}

ST_FN void
rq_backend(srmTTabletReplicationInfo *t, const char *host, int be_port, int http_port)
{
	srmTReplicaReplicationInfo *ri = g_object_new(SRM_TYPE_T_REPLICA_REPLICATION_INFO, NULL);

	g_free(ri->src_backend->host);
	ri->src_backend->host = g_strdup(host);
	ri->src_backend->be_port = be_port;
	ri->src_backend->http_port = http_port;
	ri->__isset_src_backend = TRUE;
	g_ptr_array_add(t->replica_replication_infos, ri);
}

/* Send one request to an FE rpc port. Returns the status code (0 or 6) with the
 * first message in msg, -1 when the transport failed, -2 for an application exception. */
ST_FN int
rq_send(int port, srmTTableReplicationRequest *r, char *msg, size_t n)
{
	GError *err = NULL;
	ThriftSocket *sock = g_object_new(THRIFT_TYPE_SOCKET, "hostname", "127.0.0.1", "port", port, NULL);
	ThriftTransport *tr = g_object_new(THRIFT_TYPE_BUFFERED_TRANSPORT, "transport", sock, "w_buf_size", 65536,
					   NULL);
	ThriftProtocol *pr = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", tr, NULL);
	srmFrontendServiceIf *cl = g_object_new(SRM_TYPE_FRONTEND_SERVICE_CLIENT, "input_protocol", pr,
						"output_protocol", pr, NULL);
	/* the c_glib client fills a response object the caller allocates */
	srmTTableReplicationResponse *resp = g_object_new(SRM_TYPE_T_TABLE_REPLICATION_RESPONSE, NULL);
	int rc;

	msg[0] = '\0';
	if (!thrift_transport_open(tr, &err)) {
		snprintf(msg, n, "%s", err ? err->message : "open failed");
		rc = -1;
		goto out;
	}
	if (!srm_frontend_service_if_start_table_replication(cl, &resp, r, &err)) {
		snprintf(msg, n, "%s", err ? err->message : "call failed");
		rc = err && err->domain == THRIFT_APPLICATION_EXCEPTION_ERROR ? -2 : -1;
		goto out;
	}
	rc = resp->status->status_code;
	if (resp->status->error_msgs && resp->status->error_msgs->len)
		snprintf(msg, n, "%s", (const char *)g_ptr_array_index(resp->status->error_msgs, 0));
out:
	g_object_unref(resp);
	g_clear_error(&err);
	thrift_transport_close(tr, NULL);
	g_object_unref(cl);
	g_object_unref(pr);
	g_object_unref(tr);
	g_object_unref(sock);
	return rc;
}

/* --- reading ids through SQL ------------------------------------------------------------------ */

ST_FN int64_t
st_i64(const char *s)
{
	return s ? strtoll(s, NULL, 10) : -1;
}

ST_FN struct sim_result *
st_q(struct sim *s, int side, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

ST_FN struct sim_result *
st_q(struct sim *s, int side, const char *fmt, ...)
{
	char sql[2048], err[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	struct sim_result *r = sim_query(s, side, sql, err, sizeof err);
	if (!r)
		fprintf(stderr, "simtest: %s: %s\n", sql, err);
	return r;
}

/* A value from DIR/ports.env (per-node ports). */
ST_FN int
st_port(struct sim *s, const char *key)
{
	char path[4200], line[256];
	int v = 0;

	snprintf(path, sizeof path, "%s/ports.env", s->dir);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == '=')
			v = atoi(line + strlen(key) + 1);
	if (f)
		fclose(f);
	return v;
}

/* The source cluster token srsim wrote into sync.properties. */
ST_FN void
st_token(struct sim *s, char *out, size_t n)
{
	char path[4200], line[1024];

	out[0] = '\0';
	snprintf(path, sizeof path, "%s/sync.properties", s->dir);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "source_cluster_token=", 21)) {
			line[strcspn(line, "\r\n")] = '\0';
			g_strlcpy(out, line + 21, n);
		}
	if (f)
		fclose(f);
}

struct st_ids {
	int64_t db, table;
};

ST_FN int
st_table_ids(struct sim *s, int side, const char *db, const char *tbl, struct st_ids *ids)
{
	struct sim_result *r = st_q(s, side, "SHOW PROC '/dbs/%s'", db);

	ids->db = ids->table = -1;
	if (!r)
		return -1;
	for (size_t i = 0; i < sim_rows(r); i++)
		if (!strcmp(sim_cell(r, i, "TableName"), tbl))
			ids->table = st_i64(sim_cell(r, i, "TableId"));
	sim_result_free(r);
	r = st_q(s, side, "SHOW PROC '/dbs'");
	for (size_t i = 0; r && i < sim_rows(r); i++)
		if (!strcmp(sim_cell(r, i, "DbName"), db))
			ids->db = st_i64(sim_cell(r, i, "DbId"));
	sim_result_free(r);
	return ids->db > 0 && ids->table > 0 ? 0 : -1;
}

/* The replication version of a partition row: DataVersion where present. */
ST_FN int64_t
st_version(const struct sim_result *r, size_t row)
{
	const char *v = sim_cell(r, row, "DataVersion");

	return st_i64(v ? v : sim_cell(r, row, "VisibleVersion"));
}

/* How a request names the source backends. */
enum st_addr { ST_ADDR_MAPPED, ST_ADDR_INVALID_NAME, ST_ADDR_WRONG_PORT };

/*
 * A complete request replicating source db.tbl into target db.tbl (same
 * names), built the way a client does: partitions paired by name, indexes by
 * name, tablets by bucket position (ascending tablet id), source backends of
 * each tablet's replicas mapped to their loopback ports. NULL if a lookup
 * failed.
 */
ST_FN srmTTableReplicationRequest *
st_build(struct sim *s, const char *db, const char *tbl, const char *token, const char *job_id, enum st_addr addr)
{
	struct st_ids src, dst;

	if (st_table_ids(s, SIM_SOURCE, db, tbl, &src) || st_table_ids(s, SIM_TARGET, db, tbl, &dst))
		return NULL;
	srmTTableReplicationRequest *r = rq_new(dst.db, dst.table, token, job_id);
	struct sim_result *sp = st_q(s, SIM_SOURCE, "SHOW PROC '/dbs/%lld/%lld/partitions'", (long long)src.db,
				     (long long)src.table);
	struct sim_result *tp = st_q(s, SIM_TARGET, "SHOW PROC '/dbs/%lld/%lld/partitions'", (long long)dst.db,
				     (long long)dst.table);
	struct sim_result *bes = st_q(s, SIM_SOURCE, "SHOW BACKENDS");
	int64_t total = 0;
	for (size_t i = 0; sp && tp && i < sim_rows(sp); i++) {
		const char *name = sim_cell(sp, i, "PartitionName");
		int64_t spid = st_i64(sim_cell(sp, i, "PartitionId"));
		size_t j;
		for (j = 0; j < sim_rows(tp); j++)
			if (!strcmp(sim_cell(tp, j, "PartitionName"), name))
				break;
		if (j == sim_rows(tp))
			continue;
		int64_t tpid = st_i64(sim_cell(tp, j, "PartitionId"));
		srmTPartitionReplicationInfo *pi = rq_part(r, tpid, st_version(sp, i));
		const char *ep = sim_cell(sp, i, "VersionEpoch");
		if (ep) {
			pi->src_version_epoch = st_i64(ep);
			pi->__isset_src_version_epoch = TRUE;
		}
		struct sim_result *six = st_q(s, SIM_SOURCE, "SHOW PROC '/dbs/%lld/%lld/index_schema'", (long long)src.db,
					      (long long)src.table);
		struct sim_result *tix = st_q(s, SIM_TARGET, "SHOW PROC '/dbs/%lld/%lld/index_schema'", (long long)dst.db,
					      (long long)dst.table);
		for (size_t a = 0; six && tix && a < sim_rows(six); a++) {
			for (size_t b = 0; b < sim_rows(tix); b++) {
				const char *sn = sim_cell(six, a, "IndexName"), *tn = sim_cell(tix, b, "IndexName");
				/* indexes pair by name; the base index carries the table's name */
				if (strcmp(sn, tn) != 0)
					continue;
				int64_t siid = st_i64(sim_cell(six, a, "IndexId")), tiid = st_i64(sim_cell(tix, b, "IndexId"));
				srmTIndexReplicationInfo *xi = rq_index(pi, tiid, (int32_t)st_i64(sim_cell(six, a, "SchemaHash")));
				struct sim_result *st = st_q(s, SIM_SOURCE, "SHOW PROC '/dbs/%lld/%lld/partitions/%lld/%lld'",
							     (long long)src.db, (long long)src.table, (long long)spid,
							     (long long)siid);
				struct sim_result *tt = st_q(s, SIM_TARGET, "SHOW PROC '/dbs/%lld/%lld/partitions/%lld/%lld'",
							     (long long)dst.db, (long long)dst.table, (long long)tpid,
							     (long long)tiid);
				/* rows are by tablet id then replica id: distinct tablet ids in order are the buckets */
				int64_t last_s = -1;
				size_t tk = 0;
				int64_t last_t = -1;
				srmTTabletReplicationInfo *cur = NULL;
				for (size_t k = 0; st && tt && k < sim_rows(st); k++) {
					int64_t stid = st_i64(sim_cell(st, k, "TabletId"));
					if (stid != last_s) {
						last_s = stid;
						while (tk < sim_rows(tt) && st_i64(sim_cell(tt, tk, "TabletId")) == last_t)
							tk++;
						if (tk >= sim_rows(tt))
							break;
						last_t = st_i64(sim_cell(tt, tk, "TabletId"));
						cur = rq_tablet(xi, last_t, stid);
					}
					const char *bid = sim_cell(st, k, "BackendId");
					for (size_t e = 0; bes && bid && e < sim_rows(bes); e++) {
						if (strcmp(sim_cell(bes, e, "BackendId"), bid) != 0)
							continue;
						const char *ip = sim_cell(bes, e, "IP");	/* be-N.source.invalid */
						int n = atoi(ip + 3);
						char key[64];
						snprintf(key, sizeof key, "SOURCE_BE_%d_BE_PORT", n);
						int bp = st_port(s, key);
						snprintf(key, sizeof key, "SOURCE_BE_%d_HTTP_PORT", n);
						int hp = st_port(s, key);
						if (addr == ST_ADDR_INVALID_NAME)
							rq_backend(cur, ip, 9060, 8040);
						else
							rq_backend(cur, "127.0.0.1", addr == ST_ADDR_WRONG_PORT ? 1 : bp, hp);
					}
				}
				sim_result_free(st);
				sim_result_free(tt);
			}
		}
		sim_result_free(six);
		sim_result_free(tix);
		const char *rc = sim_cell(sp, i, "RowCount");
		total += rc ? st_i64(rc) * 100 : 0;
	}
	r->src_table_data_size = total;
	sim_result_free(sp);
	sim_result_free(tp);
	sim_result_free(bes);
	return r;
}

#endif /* SRSIM_SIMTEST_H */
