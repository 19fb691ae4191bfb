/*
 * node: listeners of every node, the BE http actions.
 */
#include "node.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "http.h"
#include "net.h"
#include "session.h"
#include "showproc.h"
#include "simutil.h"
#include "thriftsrv.h"

/* A BE's be_port speaks Thrift to other BEs and FEs; a client only checks it is
 * reachable, so srsim keeps the connection open until the peer leaves. */
static void
be_port_serve(int fd, void *arg)
{
	struct node *nd = arg;
	char buf[512];

	if (atomic_load(&nd->down))
		return;
	net_set_timeouts(fd, 10000, 0);
	while (!atomic_load(&world.stopping) && recv(fd, buf, sizeof buf, 0) > 0)
		;
}

char *
node_snapshot_dir(const struct node *src, int64_t job_seq)
{
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;

	/* libc, not GDateTime: this runs on snapshot workers, and glib's time
	 * zone cache is shared under a lock ThreadSanitizer cannot see */
	strftime(ts, sizeof ts, "%Y%m%d%H%M%S", localtime_r(&now, &tm));
	/* <storage root>/snapshot/<time>.<seq>.<timeout>: the seq part names the BE that made it */
	return g_strdup_printf("%s/snapshot/%s.%lld.86400", proc_root_path(), ts,
			       (long long)(src->id * 10000 + job_seq % 10000));
}

/* Does this node hold a replica of the tablet, with that schema hash? */
static bool
holds(struct node *nd, int64_t tablet_id, int64_t schema_hash)
{
	struct cluster *c = nd->cl;
	struct tablet_ref ref;
	bool ok = false;

	sim_rdlock();
	if (cat_tablet_find(c, tablet_id, &ref) && ref.replica == -1 && ref.t->tidx[ref.slot].schema_hash == schema_hash)
		for (int r = 0; r < cat_replicas(ref.t, ref.p) && !ok; r++)
			ok = sim_data_node(c, cat_replica_node(c, ref.p, ref.slot, ref.bucket, r)) == nd;
	sim_unlock();
	return ok;
}

static void
reply_text(int fd, const char *text)
{
	/* HttpChannel::send_reply answers 200 with the message as the body */
	http_respond(fd, 200, "text/plain; version=0.0.4", text, strlen(text));
}

static void
download(int fd, struct node *nd, const struct http_req *r)
{
	char *file = http_param(r, "file"), *token = http_param(r, "token");
	char msg[4096];
	const char *root = proc_root_path();

	if (!*file) {
		reply_text(fd, "parameter file not specified in url.");
		goto out;
	}
	if (!*token) {
		reply_text(fd, "token is not specified.");
		goto out;
	}
	if (strcmp(token, nd->cl->token ? nd->cl->token : "") != 0) {
		reply_text(fd, "invalid token.");
		goto out;
	}
	if (!g_str_has_prefix(file, root) || strstr(file, "/../")) {
		snprintf(msg, sizeof msg, "file path is not allowed: %s", file);
		reply_text(fd, msg);
		goto out;
	}
	/* <root>/snapshot/<time>.<seq>.<timeout>/<tablet>/<schema hash>/[file]; seq / 10000 is the BE */
	long long tablet = 0, hash = 0, seq = 0;
	const char *snap = file + strlen(root);
	const char *name = g_str_has_prefix(snap, "/snapshot/") ? snap + strlen("/snapshot/") : NULL;
	const char *dot = name ? strchr(name, '.') : NULL;
	bool mine = dot && sscanf(dot + 1, "%lld", &seq) == 1 && seq / 10000 == nd->id;
	const char *rest = name ? strchr(name, '/') : NULL;
	if (!mine || !rest || sscanf(rest, "/%lld/%lld", &tablet, &hash) != 2 || !holds(nd, tablet, hash)) {
		snprintf(msg, sizeof msg, "No such file or directory: %s", file);
		reply_text(fd, msg);
		goto out;
	}
	if (g_str_has_suffix(file, "/")) {
		/* a directory: its file names, one per line */
		snprintf(msg, sizeof msg, "%lld.hdr\n0200000000000%lld_0.dat\n", tablet, tablet % 100000);
		http_respond(fd, 200, "text/plain", msg, strlen(msg));
	} else {
		http_respond(fd, 200, "application/octet-stream", "SRSIM-SEGMENT", 13);
	}
out:
	g_free(file);
	g_free(token);
}

static void
http_serve(int fd, void *arg)
{
	struct node *nd = arg;
	struct http_req r;

	if (atomic_load(&nd->down) || !sim_wait_stall(nd) || !http_read_request(fd, &r))
		return;
	if (!strcmp(r.path, "/api/health")) {
		const char *ok = nd->kind == NODE_FE ? "{\"status\":\"OK\",\"msg\":\"Success\"}"
						     : "{\"status\": \"OK\",\"msg\": \"To Be Added\"}";
		http_respond(fd, 200, "application/json", ok, strlen(ok));
	} else if (nd->kind != NODE_FE && !strcmp(r.path, "/api/_tablet/_download")) {
		download(fd, nd, &r);
	} else {
		http_respond(fd, 404, "text/plain", "Not Found", 9);
	}
}

static bool
listen_on(struct listener **l, int port, const char *what, struct node *nd, net_handler h, char *err, size_t n)
{
	char name[160];

	snprintf(name, sizeof name, "%s %s", nd->host, what);
	*l = net_listen(port, name, h, nd, err, n);
	return *l != NULL;
}

bool
node_start_all(const struct node_ports fixed[2], char *err, size_t n)
{
	for (int s = 0; s < 2; s++) {
		struct cluster *c = sim_cluster(s);
		for (int i = 0; i < c->nfe; i++) {
			struct node *fe = &c->fes[i];
			bool first = i == 0;
			if (!listen_on(&fe->query, first ? fixed[s].query : 0, "query", fe, sess_serve, err, n) ||
			    !listen_on(&fe->rpc, first ? fixed[s].rpc : 0, "rpc", fe, tsrv_serve, err, n) ||
			    !listen_on(&fe->http, first ? fixed[s].http : 0, "http", fe, http_serve, err, n))
				return false;
		}
		for (int k = 0; k < 2; k++) {
			struct node *nodes = k ? c->cns : c->bes;
			int cnt = k ? c->ncn : c->nbe;
			for (int i = 0; i < cnt; i++)
				if (!listen_on(&nodes[i].be, 0, "be_port", &nodes[i], be_port_serve, err, n) ||
				    !listen_on(&nodes[i].http, 0, "http", &nodes[i], http_serve, err, n))
					return false;
		}
	}
	return true;
}

static void
stop_node(struct node *nd)
{
	net_stop(nd->query);
	net_stop(nd->rpc);
	net_stop(nd->http);
	net_stop(nd->be);
	nd->query = nd->rpc = nd->http = nd->be = NULL;
}

void
node_stop_all(void)
{
	for (int s = 0; s < 2; s++) {
		struct cluster *c = sim_cluster(s);
		for (int i = 0; i < c->nfe; i++)
			stop_node(&c->fes[i]);
		for (int i = 0; i < c->nbe; i++)
			stop_node(&c->bes[i]);
		for (int i = 0; i < c->ncn; i++)
			stop_node(&c->cns[i]);
	}
}

void
node_set_down(struct node *nd, bool down)
{
	atomic_store(&nd->down, down);
	struct listener *ls[] = { nd->query, nd->rpc, nd->http, nd->be };
	for (size_t i = 0; i < SU_LEN(ls); i++) {
		if (down)
			net_pause(ls[i]);
		else
			net_resume(ls[i]);
	}
}
