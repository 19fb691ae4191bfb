/*
 * bench_ui: the terminal UI at scale, headless (curses draws into memory).
 *
 *   frame time   a 200x60 screen with the four panes, the Tables pane
 *                focused with 100 000 rows, a filter and a sort; each frame
 *                applies a burst of table updates that move rows (as a busy
 *                engine sends) and draws everything: median and worst.
 *   keystrokes   a filter character and a new sort column on 100 000 rows.
 *   flood        events per second ui_run drains and applies to its model
 *                while a thread floods the ring (1 000 000 events).
 *
 * One line per figure: BENCH<TAB>label<TAB>value<TAB>unit<TAB>goal<TAB>ok|MISSED
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../ui/tui.h"
#include "srmigrate/util.h"

#define N_TABLES	100000
#define FRAMES		300
#define BURST		200	/* table updates per frame */
#define FLOOD_EVENTS	1000000

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void
report(const char *label, double value, const char *unit, const char *goal, bool ok)
{
	printf("BENCH\t%s\t%.2f\t%s\t%s\t%s\n", label, value, unit, goal, ok ? "ok" : "MISSED");
}

static struct event
table_event(uint32_t i, uint32_t salt)
{
	struct event e = { .type = EV_TABLE };
	struct ev_table *t = &e.u.table;

	t->id = i + 1;
	t->state = (enum table_state)((i + salt) % 8);
	t->partitions = 8;
	t->lagging = (i + salt) % 3;
	t->src_version = 1000 + i % 777 + salt;
	t->tgt_version = 990 + i % 777;
	t->src_rows = (int64_t)i * 1013;
	t->lag_bytes = (int64_t)((i * 7919u + salt) % 100000) << 10;
	snprintf(t->name, sizeof(t->name), "db%03u.table_%06u%s", i % 97, i, i % 10 ? "" : "_orders");
	if (t->state == TABLE_FAILED)
		snprintf(t->reason, sizeof(t->reason), "replication failed: tablet %u lost", i);
	return e;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
frame(struct ui *ui)
{
	screen_draw(ui);
	wnoutrefresh(stdscr);
	doupdate();
}

static void
bench_frames(void)
{
	struct ring ev, cmd;
	struct ui_opts opts = { .no_display = true };
	struct ui *ui = calloc(1, sizeof(*ui));
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr;
	double t[FRAMES], t0, key_filter, key_sort;
	unsigned seed = 7;

	if (ui == NULL || out == NULL || in == NULL || ring_init(&ev, sizeof(struct event), 64) ||
	    ring_init(&cmd, sizeof(struct command), 64))
		srm_die("bench: setup");
	setenv("LINES", "60", 1);
	setenv("COLUMNS", "200", 1);
	scr = newterm("xterm-256color", out, in);
	if (scr == NULL)
		srm_die("bench: newterm");
	set_term(scr);
	theme_init();
	ui_init(ui, &opts, &ev, &cmd);
	ui->depth = 1;		/* the panes, not the first checklist */
	ui->focus = PANE_TABLES;
	for (uint32_t i = 0; i < N_TABLES; i++) {
		struct event e = table_event(i, 0);

		model_apply(&ui->model, &e);
	}
	pane_sort_step(&ui->pane[PANE_TABLES], 1);	/* by state, then name */
	frame(ui);
	t0 = now_us();
	pane_set_filter(&ui->pane[PANE_TABLES], "orders");
	frame(ui);
	key_filter = (now_us() - t0) / 1000.0;
	t0 = now_us();
	pane_sort_step(&ui->pane[PANE_TABLES], 2);	/* by target version */
	frame(ui);
	key_sort = (now_us() - t0) / 1000.0;
	pane_sort_step(&ui->pane[PANE_TABLES], 2);	/* by rows */
	frame(ui);
	for (int f = 0; f < FRAMES; f++) {
		t0 = now_us();
		for (int k = 0; k < BURST; k++) {
			struct event e = table_event((uint32_t)rand_r(&seed) % N_TABLES, (uint32_t)f + 1);

			model_apply(&ui->model, &e);
		}
		frame(ui);
		t[f] = (now_us() - t0) / 1000.0;
	}
	qsort(t, FRAMES, sizeof(t[0]), cmp_double);
	report("ui frame, 100000 tables, filter+sort, 200 updates (median)", t[FRAMES / 2], "ms",
	       "<=5", t[FRAMES / 2] <= 5.0);
	report("ui frame, 100000 tables, filter+sort, 200 updates (worst)", t[FRAMES - 1], "ms",
	       "<=100", t[FRAMES - 1] <= 100.0);
	report("ui filter keystroke, 100000 tables", key_filter, "ms", "<=100", key_filter <= 100.0);
	report("ui sort change, 100000 tables", key_sort, "ms", "<=100", key_sort <= 100.0);
	ui_fini(ui);
	free(ui);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	ring_fini(&ev);
	ring_fini(&cmd);
}

struct flood {
	struct ring *ev;
	_Atomic bool done;
};

static void *
flood_main(void *arg)
{
	struct flood *f = arg;

	for (uint32_t i = 0; i < FLOOD_EVENTS; i++) {
		struct event e;

		if (i % 10 == 9) {
			memset(&e, 0, sizeof(e));
			e.type = EV_PROGRESS;
			e.u.progress.total = FLOOD_EVENTS;
			e.u.progress.finished = i;
			e.u.progress.eta_s = -1;
		} else {
			e = table_event(i % N_TABLES, i / N_TABLES);
		}
		while (!ring_push(f->ev, &e))
			;
	}
	f->done = true;
	return NULL;
}

static void
bench_flood(void)
{
	struct ring ev, cmd;
	struct ui_opts opts = { .no_display = true };
	struct flood f;
	char script[256], path[] = "/tmp/bench_ui_XXXXXX";
	pthread_t th;
	double t0, secs, rate;
	int fd = mkstemp(path);
	FILE *s;

	if (fd < 0 || (s = fdopen(fd, "w")) == NULL ||
	    ring_init(&ev, sizeof(struct event), 4096) || ring_init(&cmd, sizeof(struct command), 64))
		srm_die("bench: setup");
	snprintf(script, sizeof(script), ":wait-events %d\n", FLOOD_EVENTS);
	fputs(script, s);
	fclose(s);
	opts.script = path;
	f.ev = &ev;
	f.done = false;
	t0 = now_us();
	if (pthread_create(&th, NULL, flood_main, &f) != 0)
		srm_die("bench: thread");
	if (ui_run(&opts, &ev, &cmd) != 0)
		srm_die("bench: ui_run failed");
	secs = (now_us() - t0) / 1e6;
	pthread_join(th, NULL);
	unlink(path);
	rate = FLOOD_EVENTS / secs;
	report("ui events applied while a thread floods the ring", rate, "events/s", ">=100000",
	       rate >= 100000);
	ring_fini(&ev);
	ring_fini(&cmd);
}

int
main(void)
{
	setenv("TERM", "xterm-256color", 1);
	bench_frames();
	bench_flood();
	return 0;
}
