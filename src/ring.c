/*
 * SPSC ring; the design is in ring.h.
 *
 * Synchronising edges (C11 acquire/release), labelled so each has a partner:
 *   P1  producer: store-release of tail after the slot is written
 *       pairs with C0 (consumer's load-acquire of tail): the consumer sees the slot.
 *   C1  consumer: store-release of head after the slot is read
 *       pairs with P0 (producer's load-acquire of head): the producer may overwrite.
 */
#include "srmigrate/ring.h"

#include <stdlib.h>
#include <string.h>

int
ring_init(struct ring *r, size_t slot_size, size_t capacity)
{
	memset(r, 0, sizeof(*r));
	if (capacity < 2 || (capacity & (capacity - 1)) != 0 || slot_size == 0)
		return -1;
	r->slots = calloc(capacity, slot_size);
	if (r->slots == NULL)
		return -1;
	r->mask = capacity - 1;
	r->slot_size = slot_size;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	return 0;
}

void
ring_fini(struct ring *r)
{
	free(r->slots);
	r->slots = NULL;
}

bool
ring_push(struct ring *r, const void *msg)
{
	/* Only this thread writes tail: relaxed is enough for our own index. */
	size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);

	if (tail - r->head_cache > r->mask) {
		/* P0: pairs with C1; after it the slots up to head are free. */
		r->head_cache = atomic_load_explicit(&r->head, memory_order_acquire);
		if (tail - r->head_cache > r->mask)
			return false;
	}
	memcpy(r->slots + (tail & r->mask) * r->slot_size, msg, r->slot_size);
	/* P1: publish the slot; pairs with C0. */
	atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
	return true;
}

bool
ring_pop(struct ring *r, void *msg)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	if (head == r->tail_cache) {
		/* C0: pairs with P1; after it the slots up to tail are written. */
		r->tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
		if (head == r->tail_cache)
			return false;
	}
	memcpy(msg, r->slots + (head & r->mask) * r->slot_size, r->slot_size);
	/* C1: hand the slot back; pairs with P0. */
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return true;
}

size_t
ring_count(struct ring *r)
{
	size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	size_t head = atomic_load_explicit(&r->head, memory_order_acquire);

	/* The two loads are not one snapshot: clamp a torn view. */
	return tail - head > r->mask + 1 ? 0 : tail - head;
}

size_t
ring_capacity(const struct ring *r)
{
	return r->mask + 1;
}
