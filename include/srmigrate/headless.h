/*
 * headless: the consumer of the engine's events when no UI runs (--no-tui,
 * or stdout is not a terminal). The engine logs the progress lines itself
 * (and main echoes the log to stderr); this loop only keeps the ring
 * flowing and waits for the engine's last event.
 */
#ifndef SRMIGRATE_HEADLESS_H
#define SRMIGRATE_HEADLESS_H

#include "srmigrate/ring.h"

/* Run until EV_QUIT; returns the exit status it carries. */
int headless_run(struct ring *events);

#endif /* SRMIGRATE_HEADLESS_H */
