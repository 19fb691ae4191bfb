/* task: see task.h. One mutex, two condition variables, two FIFO lists. */
#include "srmigrate/task.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "srmigrate/util.h"

static void
push(struct task **head, struct task **tail, struct task *t)
{
	t->next = NULL;
	if (*tail)
		(*tail)->next = t;
	else
		*head = t;
	*tail = t;
}

static struct task *
pop(struct task **head, struct task **tail)
{
	struct task *t = *head;

	if (t) {
		*head = t->next;
		if (*head == NULL)
			*tail = NULL;
	}
	return t;
}

static void *
worker(void *arg)
{
	struct taskpool *tp = arg;

	for (;;) {
		struct task *t;

		pthread_mutex_lock(&tp->lock);
		while (tp->queue == NULL && !tp->stopping)
			pthread_cond_wait(&tp->work, &tp->lock);
		t = pop(&tp->queue, &tp->queue_tail);
		pthread_mutex_unlock(&tp->lock);
		if (t == NULL)
			break;	/* stopping and nothing left */
		t->run(t);
		pthread_mutex_lock(&tp->lock);
		push(&tp->done, &tp->done_tail, t);
		pthread_cond_broadcast(&tp->finished);
		pthread_mutex_unlock(&tp->lock);
	}
	return NULL;
}

int
taskpool_init(struct taskpool *tp, int threads)
{
	pthread_condattr_t ca;

	*tp = (struct taskpool){ 0 };
	pthread_mutex_init(&tp->lock, NULL);
	pthread_cond_init(&tp->work, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&tp->finished, &ca);
	pthread_condattr_destroy(&ca);
	tp->threads = xcalloc((size_t)threads, sizeof(*tp->threads));
	for (int i = 0; i < threads; i++) {
		if (pthread_create(&tp->threads[i], NULL, worker, tp) != 0)
			break;
		tp->n_threads++;
	}
	return tp->n_threads > 0 ? 0 : -1;
}

void
taskpool_fini(struct taskpool *tp)
{
	pthread_mutex_lock(&tp->lock);
	tp->stopping = true;
	pthread_cond_broadcast(&tp->work);
	pthread_mutex_unlock(&tp->lock);
	for (int i = 0; i < tp->n_threads; i++)
		pthread_join(tp->threads[i], NULL);
	free(tp->threads);
	pthread_cond_destroy(&tp->work);
	pthread_cond_destroy(&tp->finished);
	pthread_mutex_destroy(&tp->lock);
}

void
taskpool_submit(struct taskpool *tp, struct task *t)
{
	pthread_mutex_lock(&tp->lock);
	push(&tp->queue, &tp->queue_tail, t);
	tp->in_flight++;
	pthread_cond_signal(&tp->work);
	pthread_mutex_unlock(&tp->lock);
}

void
taskpool_wait(struct taskpool *tp, int64_t timeout_ms)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (timeout_ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&tp->lock);
	while (tp->done == NULL) {
		if (pthread_cond_timedwait(&tp->finished, &tp->lock, &until) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&tp->lock);
}

size_t
taskpool_reap(struct taskpool *tp, void *owner)
{
	struct task *list;
	size_t n = 0;

	pthread_mutex_lock(&tp->lock);
	list = tp->done;
	tp->done = tp->done_tail = NULL;
	pthread_mutex_unlock(&tp->lock);
	while (list) {
		struct task *t = list;

		list = t->next;
		pthread_mutex_lock(&tp->lock);
		tp->in_flight--;
		pthread_mutex_unlock(&tp->lock);
		t->done(t, owner);
		n++;
	}
	return n;
}

size_t
taskpool_in_flight(struct taskpool *tp)
{
	size_t n;

	pthread_mutex_lock(&tp->lock);
	n = tp->in_flight;
	pthread_mutex_unlock(&tp->lock);
	return n;
}
