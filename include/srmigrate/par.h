/*
 * par: run a function over n items with a few threads (dynamic scheduling).
 * Used by the metadata readers; the calling thread takes part and returns
 * when every item is done.
 */
#ifndef SRMIGRATE_PAR_H
#define SRMIGRATE_PAR_H

#include <stddef.h>

/* @worker is 0 .. threads-1: an index for per-thread resources. */
typedef void (*par_fn)(void *ctx, size_t item, int worker);

void par_for(size_t n, int threads, par_fn fn, void *ctx);

#endif /* SRMIGRATE_PAR_H */
