/*
 * clock: every tick, under the world write lock, due loads run and every job
 * takes its next step.
 */
#include "clock.h"

#include <pthread.h>

#include "jobs.h"
#include "load.h"
#include "sim.h"
#include "simutil.h"

#define TICK_MS 20

static pthread_t thread;
static bool running;

static void *
clock_main(void *unused)
{
	(void)unused;
	while (!atomic_load(&world.stopping)) {
		su_sleep_ms(TICK_MS);
		int64_t now = su_now_ms();
		sim_wrlock();
		load_tick(now);
		jobs_tick(now);
		sim_unlock();
	}
	return NULL;
}

void
clock_start(void)
{
	running = pthread_create(&thread, NULL, clock_main, NULL) == 0;
}

void
clock_stop(void)
{
	if (running)
		pthread_join(thread, NULL);
	running = false;
}
