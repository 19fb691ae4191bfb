/*
 * snapshot: the snapshot step's real connections to the source backends.
 */
#include "snapshot.h"

#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "jobs.h"
#include "net.h"
#include "node.h"
#include "simutil.h"

struct snap_tablet {
	int64_t id, version;
	int32_t schema_hash;
};

struct snap_backend {
	char *host;
	int be_port, http_port;
	GArray *tablets;	/* struct snap_tablet */
};

struct snapcheck {
	atomic_int refs;
	pthread_mutex_t lock;
	bool done, ok;
	char err[1024];
	char *token;
	int64_t seq;
	struct snap_backend *b;
	int nb;
};

/* A few workers take checks from a queue; pthread primitives rather than
 * GThreadPool so that ThreadSanitizer follows the hand-over. */
#define SNAP_WORKERS 4

static struct {
	pthread_mutex_t lock;
	pthread_cond_t more;
	GQueue queue;		/* struct snapcheck * */
	bool stopping;
	pthread_t workers[SNAP_WORKERS];
	int nworkers;
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER, .more = PTHREAD_COND_INITIALIZER };

static void
release(struct snapcheck *s)
{
	if (atomic_fetch_sub(&s->refs, 1) != 1)
		return;
	for (int i = 0; i < s->nb; i++) {
		g_free(s->b[i].host);
		g_array_free(s->b[i].tablets, TRUE);
	}
	g_free(s->b);
	g_free(s->token);
	pthread_mutex_destroy(&s->lock);
	g_free(s);
}

void
snap_release(struct snapcheck *s)
{
	if (s)
		release(s);
}

/* The BE behind a be_port must hold each tablet at the version asked for. */
static bool
check_tablets(const struct snap_backend *b, struct node *be, char *err, size_t n)
{
	bool ok = true;

	sim_rdlock();
	for (guint i = 0; i < b->tablets->len && ok; i++) {
		const struct snap_tablet *st = &g_array_index(b->tablets, struct snap_tablet, i);
		struct cluster *c = be->cl;
		struct tablet_ref ref;
		bool held = false;
		if (cat_tablet_find(c, st->id, &ref) && ref.replica == -1)
			for (int r = 0; r < cat_replicas(ref.t, ref.p) && !held; r++)
				held = sim_data_node(c, cat_replica_node(c, ref.p, ref.slot, ref.bucket, r)) == be;
		if (!held) {
			snprintf(err, n, "Make remote snapshot on %s:%d failed: tablet %lld not found", b->host, b->be_port,
				 (long long)st->id);
			ok = false;
			break;
		}
		int64_t rows, size;
		if (cat_part_repl_version(c, ref.p) < st->version || !cat_part_at(ref.p, st->version, &rows, &size)) {
			snprintf(err, n, "Make remote snapshot on %s:%d failed: version %lld of tablet %lld not found",
				 b->host, b->be_port, (long long)st->version, (long long)st->id);
			ok = false;
		}
	}
	sim_unlock();
	return ok;
}

static bool
check_backend(struct snapcheck *s, const struct snap_backend *b, char *err, size_t n)
{
	char e[512];
	int which = -1;

	int fd = net_connect(b->host, b->be_port, 3000, e, sizeof e);
	if (fd < 0) {
		snprintf(err, n, "Make remote snapshot on %s:%d failed: %s", b->host, b->be_port, e);
		return false;
	}
	close(fd);
	/* the connection went to a loopback listener: whose be_port is it? */
	struct node *be = sim_node_by_port(b->be_port, &which);
	if (!be || which != 0) {
		snprintf(err, n, "Make remote snapshot on %s:%d failed: TTransportException: not a backend thrift port",
			 b->host, b->be_port);
		return false;
	}
	if (!check_tablets(b, be, err, n))
		return false;
	const struct snap_tablet *first = &g_array_index(b->tablets, struct snap_tablet, 0);
	char *dir = node_snapshot_dir(be, s->seq);
	char *tok = http_escape(s->token);
	char *file = g_strdup_printf("%s/%lld/%d/", dir, (long long)first->id, first->schema_hash);
	char *efile = http_escape(file);
	char *path = g_strdup_printf("/api/_tablet/_download?token=%s&type=V2&file=%s", tok, efile);
	struct sb body;
	int status = 0;
	bool ok;

	sb_init(&body);
	ok = http_get(b->host, b->http_port, path, 5000, &status, &body, e, sizeof e);
	if (!ok)
		snprintf(err, n, "Download snapshot from %s:%d failed: %s", b->host, b->http_port, e);
	else if (status != 200 || !body.p || !strstr(body.p, ".hdr")) {
		ok = false;
		snprintf(err, n, "Download snapshot from %s:%d failed: %s", b->host, b->http_port,
			 body.p && *body.p ? body.p : "empty response");
	}
	sb_free(&body);
	g_free(dir);
	g_free(tok);
	g_free(file);
	g_free(efile);
	g_free(path);
	return ok;
}

static void
run(struct snapcheck *s)
{
	char err[1024] = "";
	bool ok = true;

	for (int i = 0; i < s->nb && ok && !atomic_load(&world.stopping); i++)
		ok = check_backend(s, &s->b[i], err, sizeof err);
	pthread_mutex_lock(&s->lock);
	s->ok = ok;
	g_strlcpy(s->err, err, sizeof s->err);
	s->done = true;
	pthread_mutex_unlock(&s->lock);
	release(s);
}

static void *
worker(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&pool.lock);
	for (;;) {
		while (!pool.stopping && g_queue_is_empty(&pool.queue))
			pthread_cond_wait(&pool.more, &pool.lock);
		if (pool.stopping)
			break;
		struct snapcheck *s = g_queue_pop_head(&pool.queue);
		pthread_mutex_unlock(&pool.lock);
		run(s);
		pthread_mutex_lock(&pool.lock);
	}
	pthread_mutex_unlock(&pool.lock);
	return NULL;
}

void
snap_init(void)
{
	g_queue_init(&pool.queue);
	pool.stopping = false;
	for (pool.nworkers = 0; pool.nworkers < SNAP_WORKERS; pool.nworkers++)
		if (pthread_create(&pool.workers[pool.nworkers], NULL, worker, NULL) != 0)
			break;
}

/* Checks still queued are dropped; their jobs end with the process. */
void
snap_shutdown(void)
{
	pthread_mutex_lock(&pool.lock);
	pool.stopping = true;
	pthread_cond_broadcast(&pool.more);
	pthread_mutex_unlock(&pool.lock);
	for (int i = 0; i < pool.nworkers; i++)
		pthread_join(pool.workers[i], NULL);
	pool.nworkers = 0;
	struct snapcheck *s;
	while ((s = g_queue_pop_head(&pool.queue)))
		release(s);
}

struct snapcheck *
snap_start(struct rjob *j)
{
	struct snapcheck *s = g_new0(struct snapcheck, 1);

	atomic_store(&s->refs, 2);
	pthread_mutex_init(&s->lock, NULL);
	s->token = g_strdup(j->src_token);
	s->seq = j->cl->job_seq;
	s->nb = j->nbacks;
	s->b = g_new0(struct snap_backend, s->nb ? s->nb : 1);
	for (int i = 0; i < s->nb; i++) {
		s->b[i].host = g_strdup(j->backs[i].host);
		s->b[i].be_port = j->backs[i].be_port;
		s->b[i].http_port = j->backs[i].http_port;
		s->b[i].tablets = g_array_new(FALSE, FALSE, sizeof(struct snap_tablet));
	}
	for (int t = 0; t < j->ntablets; t++) {
		const struct rjob_tablet *rt = &j->tablets[t];
		struct snap_tablet st = { rt->src_tablet_id, rt->src_version, rt->src_schema_hash };
		for (int k = 0; k < rt->nback; k++)
			g_array_append_val(s->b[j->tback[rt->back0 + k]].tablets, st);
	}
	/* a backend named by no tablet has nothing to snapshot */
	int keep = 0;
	for (int i = 0; i < s->nb; i++) {
		if (s->b[i].tablets->len) {
			s->b[keep++] = s->b[i];
		} else {
			g_free(s->b[i].host);
			g_array_free(s->b[i].tablets, TRUE);
		}
	}
	s->nb = keep;
	pthread_mutex_lock(&pool.lock);
	g_queue_push_tail(&pool.queue, s);
	pthread_cond_signal(&pool.more);
	pthread_mutex_unlock(&pool.lock);
	return s;
}

bool
snap_done(struct snapcheck *s, bool *ok, char *err, size_t n)
{
	bool done;

	pthread_mutex_lock(&s->lock);
	done = s->done;
	*ok = s->ok;
	g_strlcpy(err, s->err, n);
	pthread_mutex_unlock(&s->lock);
	return done;
}
