/*
 * task: the engine's worker pool.
 *
 * DESIGN
 * The engine thread owns all migration state and never waits on the
 * network: each piece of network work (a meta pass, a DDL batch, one job
 * sent, a round of job following) is a task. run() happens on a worker
 * thread with inputs the task owns (copies, or references to catalogs that
 * are not changed any more); done() happens back on the engine thread, in
 * taskpool_reap(), and applies the result. A task is freed by its done().
 */
#ifndef SRMIGRATE_TASK_H
#define SRMIGRATE_TASK_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct task;

typedef void (*task_run_fn)(struct task *t);
typedef void (*task_done_fn)(struct task *t, void *owner);

struct task {
	task_run_fn run;	/* worker thread */
	task_done_fn done;	/* engine thread; frees the task */
	struct task *next;
};

struct taskpool {
	pthread_mutex_t lock;
	pthread_cond_t work, finished;
	struct task *queue, *queue_tail;
	struct task *done, *done_tail;
	pthread_t *threads;
	int n_threads;
	size_t in_flight;	/* submitted, not yet reaped */
	bool stopping;
};

int taskpool_init(struct taskpool *tp, int threads);
/* Wait for queued and running tasks, reap nothing, stop the threads. */
void taskpool_fini(struct taskpool *tp);
void taskpool_submit(struct taskpool *tp, struct task *t);
/* Wait until a task finishes or @timeout_ms passes. */
void taskpool_wait(struct taskpool *tp, int64_t timeout_ms);
/* Run done() of every finished task on this thread; returns how many. */
size_t taskpool_reap(struct taskpool *tp, void *owner);
size_t taskpool_in_flight(struct taskpool *tp);

#endif /* SRMIGRATE_TASK_H */
