/* par: see par.h. */
#include "srmigrate/par.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "srmigrate/util.h"

struct team {
	size_t n;
	_Atomic size_t next;
	par_fn fn;
	void *ctx;
};

struct member {
	struct team *team;
	int worker;
};

static void *
work(void *arg)
{
	struct member *m = arg;
	struct team *t = m->team;
	size_t i;

	while ((i = atomic_fetch_add(&t->next, 1)) < t->n)
		t->fn(t->ctx, i, m->worker);
	return NULL;
}

void
par_for(size_t n, int threads, par_fn fn, void *ctx)
{
	struct team t = { .n = n, .fn = fn, .ctx = ctx };
	struct member *m;
	pthread_t *tid;
	int started = 0;

	atomic_init(&t.next, 0);
	if (threads < 1)
		threads = 1;
	if ((size_t)threads > n)
		threads = n ? (int)n : 1;
	m = xcalloc((size_t)threads, sizeof(*m));
	tid = xcalloc((size_t)threads, sizeof(*tid));
	for (int i = 1; i < threads; i++) {
		m[i] = (struct member){ &t, i };
		if (pthread_create(&tid[i], NULL, work, &m[i]) == 0)
			started = i;
		else
			break;	/* fewer threads: the caller still finishes every item */
	}
	m[0] = (struct member){ &t, 0 };
	work(&m[0]);
	for (int i = 1; i <= started; i++)
		pthread_join(tid[i], NULL);
	free(m);
	free(tid);
}
