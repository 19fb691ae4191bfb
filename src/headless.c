/* headless: see headless.h. */
#include "srmigrate/headless.h"

#include "srmigrate/event.h"
#include "srmigrate/util.h"

int
headless_run(struct ring *events)
{
	struct event ev;

	for (;;) {
		if (!ring_pop(events, &ev)) {
			sleep_ms(20);
			continue;
		}
		if (ev.type == EV_QUIT)
			return ev.u.quit.status;
	}
}
