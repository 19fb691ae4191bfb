/*
 * ring: a lock-free single-producer / single-consumer queue of fixed-size
 * messages, copied in and out by value.
 *
 * DESIGN
 * - Capacity is a power of two. Head (consumer) and tail (producer) are
 *   free-running counters; slot = counter & mask. Full is tail - head == cap,
 *   so no slot is wasted (the kfifo form).
 * - Each index sits on its own cache line, next to the other side's cached
 *   copy of it, so the hot path touches the shared line only when the cached
 *   view says full or empty.
 * - ring_push and ring_pop never block and never allocate. Exactly one thread
 *   may push and exactly one (other) thread may pop a given ring.
 * - What the producer does when the ring is full is its policy, not the
 *   ring's: the engine coalesces (see engine.c), the UI drops a key command
 *   with a message.
 */
#ifndef SRMIGRATE_RING_H
#define SRMIGRATE_RING_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define RING_CACHELINE 64

struct ring {
	/* Consumer side. */
	alignas(RING_CACHELINE) _Atomic size_t head;
	size_t tail_cache;	/* consumer's last view of tail */
	/* Producer side. */
	alignas(RING_CACHELINE) _Atomic size_t tail;
	size_t head_cache;	/* producer's last view of head */
	/* Read-only after init. */
	alignas(RING_CACHELINE) size_t mask;
	size_t slot_size;
	unsigned char *slots;
};

/**
 * Allocate a ring of @capacity slots of @slot_size bytes.
 * @return 0, or -1 when @capacity is not a power of two (>= 2) or on ENOMEM.
 */
int ring_init(struct ring *r, size_t slot_size, size_t capacity);
/** Free the slots. No thread may use the ring any more. */
void ring_fini(struct ring *r);

/** Producer: copy @msg (slot_size bytes) in. @return false when full. */
bool ring_push(struct ring *r, const void *msg);
/** Consumer: copy the oldest message out into @msg. @return false when empty. */
bool ring_pop(struct ring *r, void *msg);

/** Either side: messages waiting, approximate while the other side runs. */
size_t ring_count(struct ring *r);
size_t ring_capacity(const struct ring *r);

#endif /* SRMIGRATE_RING_H */
