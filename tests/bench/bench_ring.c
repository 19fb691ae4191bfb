/*
 * bench_ring: messages per second through one ring between two threads.
 *
 *   64-byte messages    what the figure is held to (a cache line each)
 *   engine events       struct event, the size the engine actually sends
 *
 * Each run moves a fixed count; the consumer checks every sequence number,
 * so a lost or repeated message fails the run rather than flattering it.
 * One line per figure: BENCH<TAB>label<TAB>value<TAB>unit<TAB>goal<TAB>ok|MISSED
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "srmigrate/event.h"
#include "srmigrate/ring.h"

#define SMALL_MSGS	(50u * 1000 * 1000)
#define EVENT_MSGS	(2u * 1000 * 1000)
#define RUNS		3

struct run {
	struct ring ring;
	size_t size;
	uint64_t count;
	int bad;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
producer(void *arg)
{
	struct run *r = arg;
	unsigned char msg[sizeof(struct event)];

	memset(msg, 0, sizeof(msg));
	for (uint64_t i = 0; i < r->count; i++) {
		memcpy(msg, &i, sizeof(i));
		/* Full: let the consumer have the core if it shares ours. */
		while (!ring_push(&r->ring, msg))
			sched_yield();
	}
	return NULL;
}

/* Messages per second for one run of @count messages of @size bytes. */
static double
one_run(size_t size, uint64_t count)
{
	struct run r = { .size = size, .count = count };
	unsigned char msg[sizeof(struct event)];
	pthread_t th;
	double t0, t1;

	if (ring_init(&r.ring, size, 4096) != 0) {
		fprintf(stderr, "bench_ring: ring_init failed\n");
		exit(1);
	}
	t0 = now_s();
	if (pthread_create(&th, NULL, producer, &r) != 0) {
		fprintf(stderr, "bench_ring: pthread_create failed\n");
		exit(1);
	}
	for (uint64_t want = 0; want < count;) {
		uint64_t seq;

		if (!ring_pop(&r.ring, msg))
			continue;
		memcpy(&seq, msg, sizeof(seq));
		if (seq != want++)
			r.bad++;
	}
	t1 = now_s();
	pthread_join(th, NULL);
	ring_fini(&r.ring);
	if (r.bad) {
		fprintf(stderr, "bench_ring: %d messages out of order or lost\n", r.bad);
		exit(1);
	}
	return (double)count / (t1 - t0);
}

/* The median of RUNS runs. */
static double
median_rate(size_t size, uint64_t count)
{
	double v[RUNS];

	for (int i = 0; i < RUNS; i++)
		v[i] = one_run(size, count);
	for (int i = 1; i < RUNS; i++)
		for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			double t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[RUNS / 2];
}

int
main(void)
{
	double small = median_rate(64, SMALL_MSGS) / 1e6;
	double events = median_rate(sizeof(struct event), EVENT_MSGS) / 1e6;
	char label[64];

	printf("BENCH\tring, 64-byte messages\t%.1f\tM msg/s\t>= 10\t%s\n", small, small >= 10 ? "ok" : "MISSED");
	snprintf(label, sizeof(label), "ring, engine events (%zu bytes)", sizeof(struct event));
	printf("BENCH\t%s\t%.2f\tM msg/s\t-\tok\n", label, events);
	return small >= 10 ? 0 : 1;
}
