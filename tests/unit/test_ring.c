/*
 * test_ring: the SPSC ring. Single-thread invariants (empty, full, FIFO,
 * wrap-around, count), bad capacities, and two-thread stress tests that push
 * sequence numbers and check order, integrity and that nothing is lost.
 * Listed in tests/tsan.list: it runs under ThreadSanitizer too.
 */
#include "unit.h"

#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <time.h>

#include "srmigrate/ring.h"

/* Messages per stress test; TSan is ~10x slower and still sends a million. */
#if defined(__SANITIZE_THREAD__)
#define SEQ_MESSAGES (1u << 20)
#define SMALL_MESSAGES (1u << 15)
#else
#define SEQ_MESSAGES (4u << 20)
#define SMALL_MESSAGES (1u << 18)
#endif

static void
test_bad_capacity(void **state)
{
	static const size_t bad[] = { 0, 1, 3, 5, 6, 7, 12, 100, 1000, 1025, ((size_t)1 << 20) + 1 };
	struct ring r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ring_init(&r, 8, bad[i]), -1);
		assert_null(r.slots);
	}
	assert_int_equal(ring_init(&r, 0, 16), -1);	/* no zero-size messages */
	for (size_t cap = 2; cap <= 4096; cap *= 2) {
		assert_int_equal(ring_init(&r, 8, cap), 0);
		assert_int_equal(ring_capacity(&r), cap);
		assert_int_equal(ring_count(&r), 0);
		ring_fini(&r);
		assert_null(r.slots);
	}
}

static void
test_empty_and_full(void **state)
{
	struct ring r;
	uint64_t v = 0;

	(void)state;
	assert_int_equal(ring_init(&r, sizeof(uint64_t), 8), 0);
	v = 12345;
	assert_false(ring_pop(&r, &v));
	assert_int_equal(v, 12345);	/* a failed pop leaves the buffer alone */
	for (uint64_t i = 0; i < 8; i++) {
		assert_int_equal(ring_count(&r), i);
		assert_true(ring_push(&r, &i));
	}
	/* Exactly the capacity: no slot is wasted, and a full ring refuses. */
	assert_int_equal(ring_count(&r), 8);
	v = 99;
	assert_false(ring_push(&r, &v));
	assert_false(ring_push(&r, &v));
	assert_int_equal(ring_count(&r), 8);
	for (uint64_t i = 0; i < 8; i++) {
		assert_true(ring_pop(&r, &v));
		assert_int_equal(v, i);
		assert_int_equal(ring_count(&r), 7 - i);
	}
	assert_false(ring_pop(&r, &v));
	assert_int_equal(ring_count(&r), 0);
	/* One slot freed makes room for exactly one. */
	for (uint64_t i = 0; i < 8; i++)
		assert_true(ring_push(&r, &i));
	assert_true(ring_pop(&r, &v));
	assert_int_equal(v, 0);
	v = 100;
	assert_true(ring_push(&r, &v));
	assert_false(ring_push(&r, &v));
	for (uint64_t i = 1; i < 8; i++) {
		assert_true(ring_pop(&r, &v));
		assert_int_equal(v, i);
	}
	assert_true(ring_pop(&r, &v));
	assert_int_equal(v, 100);
	assert_false(ring_pop(&r, &v));
	ring_fini(&r);
}

/* The smallest ring, two slots, through many laps. */
static void
test_capacity_two(void **state)
{
	struct ring r;
	uint32_t v;

	(void)state;
	assert_int_equal(ring_init(&r, sizeof(v), 2), 0);
	for (uint32_t lap = 0; lap < 1000; lap++) {
		uint32_t a = 2 * lap, b = 2 * lap + 1;

		assert_true(ring_push(&r, &a));
		assert_true(ring_push(&r, &b));
		assert_false(ring_push(&r, &a));
		assert_int_equal(ring_count(&r), 2);
		assert_true(ring_pop(&r, &v));
		assert_int_equal(v, a);
		assert_true(ring_pop(&r, &v));
		assert_int_equal(v, b);
		assert_false(ring_pop(&r, &v));
	}
	ring_fini(&r);
}

/* Uneven batches carry the indices around the ring many times; FIFO holds throughout. */
static void
test_wrap_around(void **state)
{
	struct ring r;
	uint64_t next_in = 0, next_out = 0, v;

	(void)state;
	assert_int_equal(ring_init(&r, sizeof(uint64_t), 16), 0);
	for (int round = 0; round < 20000; round++) {
		int push = (round * 7) % 17, pop = (round * 5) % 17;

		for (int i = 0; i < push; i++) {
			bool ok = ring_push(&r, &next_in);

			assert_int_equal(ok, next_in - next_out < 16);
			if (!ok)
				break;
			next_in++;
		}
		assert_int_equal(ring_count(&r), next_in - next_out);
		for (int i = 0; i < pop; i++) {
			bool ok = ring_pop(&r, &v);

			assert_int_equal(ok, next_out < next_in);
			if (!ok)
				break;
			assert_int_equal(v, next_out);
			next_out++;
		}
		assert_int_equal(ring_count(&r), next_in - next_out);
	}
	/* Far more messages than slots went through. */
	assert_true(next_out > 16 * 5000);
	while (ring_pop(&r, &v))
		assert_int_equal(v, next_out++);
	assert_int_equal(next_out, next_in);
	ring_fini(&r);
}

/* Messages are copied in and out whole, whatever their size. */
struct odd {
	unsigned char bytes[13];
};

static void
test_by_value(void **state)
{
	struct ring r;
	struct odd in, out;

	(void)state;
	assert_int_equal(ring_init(&r, sizeof(struct odd), 4), 0);
	for (int k = 0; k < 10; k++) {
		for (int i = 0; i < 3; i++) {
			memset(in.bytes, 'a' + k + i, sizeof(in.bytes));
			assert_true(ring_push(&r, &in));
			memset(in.bytes, 0, sizeof(in.bytes));	/* the ring kept its own copy */
		}
		for (int i = 0; i < 3; i++) {
			struct odd want;

			memset(want.bytes, 'a' + k + i, sizeof(want.bytes));
			memset(&out, 0xff, sizeof(out));
			assert_true(ring_pop(&r, &out));
			assert_memory_equal(&out, &want, sizeof(out));
		}
	}
	ring_fini(&r);
}

/* --- two threads -------------------------------------------------------------- */

/* A message whose payload is derived from its sequence number: a torn copy shows. */
struct msg {
	uint64_t seq;
	uint64_t payload[7];
};

struct stress {
	struct ring r;
	size_t n;
	size_t slot;		/* sizeof(uint64_t) or sizeof(struct msg) */
	bool pinned;		/* both threads on one CPU */
};

static void
fill(struct msg *m, uint64_t seq)
{
	m->seq = seq;
	for (int i = 0; i < 7; i++)
		m->payload[i] = seq * 0x9E3779B97F4A7C15ull + (uint64_t)i;
}

/*
 * Waiting for the other side. On one CPU a yield hands it over at once.
 * Spread over CPUs, a loaded machine (other tests everywhere) may keep the
 * other thread off its CPU for whole time slices: sleep now and then, with
 * a fine timer slack, so the scheduler can bring it to ours.
 */
static void
backoff(const struct stress *s, size_t *waits)
{
	++*waits;
	if (s->pinned) {
		sched_yield();
	} else if (*waits % 64 == 0) {
		struct timespec ts = { 0, 20000 };

		nanosleep(&ts, NULL);
	} else if (*waits % 8 == 0) {
		sched_yield();
	}
}

static void *
producer(void *arg)
{
	struct stress *s = arg;
	struct msg m;
	size_t full = 0;

	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	for (uint64_t seq = 0; seq < s->n; seq++) {
		fill(&m, seq);
		while (!ring_push(&s->r, s->slot == sizeof(m) ? (const void *)&m : (const void *)&m.seq))
			backoff(s, &full);
	}
	return NULL;
}

/* Consume in this thread; returns the number of messages that arrived in order and intact. */
static size_t
consume(struct stress *s)
{
	struct msg m;
	size_t good = 0, empty = 0, cap = ring_capacity(&s->r);

	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	for (uint64_t want = 0; want < s->n;) {
		memset(&m, 0, sizeof(m));
		if (!ring_pop(&s->r, s->slot == sizeof(m) ? (void *)&m : (void *)&m.seq)) {
			backoff(s, &empty);
			continue;
		}
		if (m.seq != want) {
			print_error("message %llu arrived where %llu was due\n", (unsigned long long)m.seq,
				    (unsigned long long)want);
			return good;
		}
		if (s->slot == sizeof(m)) {
			struct msg w;

			fill(&w, want);
			if (memcmp(&w, &m, sizeof(m)) != 0) {
				print_error("message %llu arrived torn\n", (unsigned long long)want);
				return good;
			}
		}
		if ((want & 0xfff) == 0 && ring_count(&s->r) > cap) {
			print_error("count %zu above capacity %zu\n", ring_count(&s->r), cap);
			return good;
		}
		good++;
		want++;
	}
	return good;
}

/*
 * @n messages through a ring of @capacity slots, a producer thread against
 * this one. @pinned puts both on the CPU this test runs on: the producer can
 * still be preempted anywhere, and the run time does not depend on how busy
 * the other CPUs are.
 */
static void
stress(size_t slot, size_t capacity, size_t n, bool pinned)
{
	struct stress s = { .n = n, .slot = slot, .pinned = pinned };
	cpu_set_t old, one;
	pthread_attr_t attr;
	pthread_t t;
	struct msg extra;

	assert_int_equal(ring_init(&s.r, slot, capacity), 0);
	assert_int_equal(pthread_attr_init(&attr), 0);
	if (pinned) {
		int cpu = sched_getcpu();

		assert_true(cpu >= 0);
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		assert_int_equal(pthread_getaffinity_np(pthread_self(), sizeof(old), &old), 0);
		assert_int_equal(pthread_setaffinity_np(pthread_self(), sizeof(one), &one), 0);
		assert_int_equal(pthread_attr_setaffinity_np(&attr, sizeof(one), &one), 0);
	}
	assert_int_equal(pthread_create(&t, &attr, producer, &s), 0);
	pthread_attr_destroy(&attr);
	assert_int_equal(consume(&s), n);
	assert_int_equal(pthread_join(t, NULL), 0);
	if (pinned)
		assert_int_equal(pthread_setaffinity_np(pthread_self(), sizeof(old), &old), 0);
	/* Nothing more than was sent. */
	assert_false(ring_pop(&s.r, &extra));
	assert_int_equal(ring_count(&s.r), 0);
	ring_fini(&s.r);
}

/* Millions of sequence numbers. */
static void
test_stress_seq(void **state)
{
	(void)state;
	stress(sizeof(uint64_t), 1024, SEQ_MESSAGES, true);
}

/* Two slots: the ring is full or empty nearly all the time. */
static void
test_stress_tiny(void **state)
{
	(void)state;
	stress(sizeof(struct msg), 2, SMALL_MESSAGES, true);
}

/* Both threads free to run at once on two CPUs: 64-byte messages that show a torn copy. */
static void
test_stress_parallel(void **state)
{
	(void)state;
	stress(sizeof(struct msg), 64, SMALL_MESSAGES, false);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_capacity),
		cmocka_unit_test(test_empty_and_full),
		cmocka_unit_test(test_capacity_two),
		cmocka_unit_test(test_wrap_around),
		cmocka_unit_test(test_by_value),
		cmocka_unit_test(test_stress_seq),
		cmocka_unit_test(test_stress_tiny),
		cmocka_unit_test(test_stress_parallel),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
