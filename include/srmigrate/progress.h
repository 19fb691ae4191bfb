/*
 * progress: the official counters, the ETA, the report lines, the metrics file.
 *
 * Counters follow the official tool: jobs of the current progress cycle by
 * state (a cycle starts when new work appears after everything was done, so
 * "100%" means caught up and the percentage drops when the source moves on),
 * and tables as finished (in sync at the last pass), expired (had been, the
 * source moved ahead) and unfinished (never in sync yet).
 *
 * The ETA divides the bytes still lagging by the rate of the last
 * PROGRESS_WINDOW_S seconds; with no finished job in that window it is
 * unknown (-1), never a guess.
 */
#ifndef SRMIGRATE_PROGRESS_H
#define SRMIGRATE_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "srmigrate/event.h"

struct migration;

#define PROGRESS_WINDOW_S 600
#define PROGRESS_SAMPLES 64

struct progress {
	int64_t bytes_done;		/* replicated since start (finished jobs) */
	struct {
		int64_t mono_ms, bytes;
	} samples[PROGRESS_SAMPLES];
	size_t n_samples, head;
};

void progress_init(struct progress *p);
/* A job finished after copying @bytes. */
void progress_add(struct progress *p, int64_t bytes, int64_t now_mono);
/* Compute the counters; fills everything but the pass fields. */
void progress_compute(struct progress *p, struct migration *m, int64_t now_mono,
		      struct ev_progress *out);
/* The two lines of the official tool, to sync.INFO.log. */
void progress_report(const struct ev_progress *ev);
/* Format the two lines (for tests and the status command). */
void progress_lines(const struct ev_progress *ev, char *job, size_t jlen, char *table, size_t tlen);
/* Rewrite the Prometheus text file atomically. */
int progress_write_metrics(const char *path, const struct ev_progress *ev,
			   enum engine_state state, const bool connected[2], char *err, size_t errlen);

#endif /* SRMIGRATE_PROGRESS_H */
