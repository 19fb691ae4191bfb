/*
 * ui: ui_run and its loop.
 *
 * The loop never blocks (style-anchors: tig's get_input with htop's tick):
 *   1. drain up to DRAIN_MAX events from the ring into the model;
 *   2. act on what they say (the engine ended, the checklist is over);
 *   3. draw when something changed, at most ten frames a second, and at
 *      once after a key so typing feels direct;
 *   4. wait for a key at most KEY_WAIT_MS, or not at all when events wait.
 * KEY_RESIZE is handled in one place (the layout follows LINES and COLS at
 * every frame). The terminal itself (term.c) is restored on every way out:
 * q, a signal (srm_stop_signal), a fatal error (the die hook).
 */
#include "tui.h"

#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"
#include "srmigrate/util.h"

#define DRAIN_MAX	4096
#define KEY_WAIT_MS	50
#define TICK_MS		1000	/* ages and the clock move: redraw at least this often */
#define WAIT_EVENTS_MS	30000

/* --- what the other files call -------------------------------------------------- */

int64_t
ui_now(const struct ui *ui)
{
	return ui->fixed_clock ? ui->fixed_clock : wall_ms();
}

enum ui_view
ui_view(const struct ui *ui)
{
	return ui->stack[ui->depth - 1];
}

void
ui_open_view(struct ui *ui, enum ui_view v)
{
	if (ui_view(ui) == v)
		return;
	if (ui->depth == (int)ARRAY_LEN(ui->stack))
		ui->depth--;
	ui->stack[ui->depth++] = v;
	if (v == VIEW_DETAILS || v == VIEW_HELP || v == VIEW_CUTOVER)
		ui->scroll = 0;
}

void
ui_close_view(struct ui *ui)
{
	if (ui->depth > 1)
		ui->depth--;
	if (ui_view(ui) != VIEW_CHECKLIST)
		ui->first_checklist = false;
}

bool
ui_send(struct ui *ui, const struct command *cmd)
{
	if (ring_push(ui->commands, cmd))
		return true;
	ui_message(ui, UIC_FAILED, "not sent: the command queue to the engine is full; try again");
	return false;
}

void
ui_message(struct ui *ui, enum uic c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	va_end(ap);
	ui->msg_color = c;
	ui->msg_until = now_ms() + UI_MSG_MS;
	ui->dirty = true;
}

bool
ui_readonly(const struct ui *ui)
{
	return ui->opts->readonly || (ui->model.have_engine && ui->model.engine.readonly);
}

struct pane *
ui_focused(struct ui *ui)
{
	return &ui->pane[ui->focus];
}

void
ui_begin_stop(struct ui *ui)
{
	struct command cmd = action_cmd(CMD_STOP, 0, NULL);

	if (ui->model.have_quit) {
		ui->done = true;
		ui->status = ui->model.quit.status;
		return;
	}
	if (ui->stopping)
		return;
	ui->stopping = true;
	ui->stop_signals = srm_stop_signal;
	ui->stop_deadline = now_ms() + UI_STOP_WAIT_MS;
	ui->stop_sent = ring_push(ui->commands, &cmd);	/* else retried at every turn */
	dialog_info(ui, DLG_WAIT, "Stopping",
		    "Waiting for the engine to finish what it is doing (at most %d s).",
		    UI_STOP_WAIT_MS / 1000);
	ui->dirty = ui->force_draw = true;
}

/* --- the loop ----------------------------------------------------------------- */

/* @return true when the ring probably holds more. */
static bool
drain(struct ui *ui, size_t max)
{
	struct event ev;
	size_t n = 0;

	while (n < max && ring_pop(ui->events, &ev)) {
		n++;
		if (model_apply(&ui->model, &ev))
			ui->dirty = true;
		if (ev.type == EV_QUIT)
			return false;	/* the engine's last word */
	}
	return n == max;
}

static void
after_events(struct ui *ui)
{
	const struct model *m = &ui->model;

	if (srm_stop_signal && !ui->stopping)
		ui_begin_stop(ui);
	if (ui->stopping && !ui->stop_sent) {
		struct command cmd = action_cmd(CMD_STOP, 0, NULL);

		ui->stop_sent = ring_push(ui->commands, &cmd);
	}
	if (m->have_quit) {
		ui->status = m->quit.status;
		if (ui->stopping) {
			ui->done = true;
		} else if (!ui->quit_shown) {
			ui->quit_shown = true;
			ui->prompt.active = false;
			dialog_info(ui, DLG_INFO, "srmigrate has stopped",
				    "%s\n\nExit status %d. Any key leaves.",
				    m->quit.reason[0] ? m->quit.reason : "The engine has ended.",
				    m->quit.status);
		}
		return;
	}
	/* The first checklist gives way once the migration runs. */
	if (ui->first_checklist && m->have_engine && m->engine.state != ENGINE_CHECKING &&
	    m->engine.state != ENGINE_WAITING) {
		ui->first_checklist = false;
		if (ui_view(ui) == VIEW_CHECKLIST)
			ui_close_view(ui);
		ui->dirty = true;
	}
	/* The engine takes too long, or the operator insists (another signal). */
	if (ui->stopping && (now_ms() > ui->stop_deadline || srm_stop_signal > ui->stop_signals)) {
		ui->done = true;
		ui->status = 1;
	}
}

static void
draw_now(struct ui *ui)
{
	screen_draw(ui);
	wnoutrefresh(stdscr);
	doupdate();
	ui->dirty = ui->force_draw = false;
	ui->last_draw = now_ms();
}

static void
maybe_draw(struct ui *ui)
{
	int64_t now = now_ms();

	if (now - ui->last_draw >= TICK_MS)
		ui->dirty = true;
	if (ui->dirty && (ui->force_draw || now - ui->last_draw >= UI_FRAME_MS))
		draw_now(ui);
}

static void
resized(struct ui *ui)
{
	clearok(curscr, TRUE);
	ui->dirty = ui->force_draw = true;
}

static void
handle_key(struct ui *ui, int key)
{
	ui->dirty = ui->force_draw = true;
	if (key == KEY_RESIZE) {
		resized(ui);
		return;
	}
	if (ui->quit_shown) {
		ui->done = true;
		return;
	}
	/* A message answers the last key: the next key takes it away. */
	ui->msg[0] = '\0';
	/* Too small to show a question: nothing but a resize or a signal counts. */
	if (ui->too_small)
		return;
	if (dialog_key(ui, key) || prompt_key(ui, key) || ui->stopping)
		return;
	/* Events may have come since the last frame: act on the views as they are. */
	screen_sync(ui);
	action_key(ui, key);
}

static void
save_screen(struct ui *ui, const char *path, bool colors)
{
	FILE *f;

	draw_now(ui);
	if ((f = fopen(path, "w")) == NULL) {
		ui_message(ui, UIC_FAILED, "script: %s: %s", path, strerror(errno));
		return;
	}
	screen_dump(f, colors);
	fclose(f);
}

static void
wait_events(struct ui *ui, long count)
{
	int64_t deadline = now_ms() + WAIT_EVENTS_MS;

	for (;;) {
		while (drain(ui, DRAIN_MAX))
			;
		if (count < 0 || ui->model.applied >= (uint64_t)count || ui->model.have_quit ||
		    now_ms() > deadline)
			break;
		sleep_ms(1);
	}
}

/* One step of the script: a key, or ERR after a command. At the end, leave. */
static int
script_key(struct ui *ui, int64_t *sleep_until)
{
	const struct script_step *st;

	if (now_ms() < *sleep_until) {
		sleep_ms(5);
		return ERR;
	}
	if ((st = script_next(ui->script)) == NULL) {
		ui->done = true;
		return ERR;
	}
	switch (st->op) {
	case SOP_KEY:
		return st->key;
	case SOP_WAIT_EVENTS:
		wait_events(ui, st->a);
		break;
	case SOP_SLEEP:
		*sleep_until = now_ms() + st->a;
		break;
	case SOP_RESIZE:
		resizeterm((int)st->b, (int)st->a);
		resized(ui);
		break;
	case SOP_SAVE_DISPLAY:
	case SOP_SAVE_COLORS:
		save_screen(ui, st->path, st->op == SOP_SAVE_COLORS);
		break;
	case SOP_SIGNAL:
		srm_stop_signal = 1;
		break;
	}
	return ERR;
}

static void
loop(struct ui *ui)
{
	int64_t sleep_until = 0;

	while (!ui->done) {
		bool more;
		int key;

		term_die_check();
		more = drain(ui, DRAIN_MAX);
		after_events(ui);
		if (ui->done)
			break;
		maybe_draw(ui);
		if (ui->script != NULL) {
			key = script_key(ui, &sleep_until);
		} else {
			wtimeout(stdscr, more ? 0 : KEY_WAIT_MS);
			key = wgetch(stdscr);
		}
		if (key != ERR)
			handle_key(ui, key);
	}
}

void
ui_init(struct ui *ui, const struct ui_opts *opts, struct ring *events, struct ring *commands)
{
	static const struct pane_ops *const ops[PANE_N] = {
		[PANE_JOBS] = &pane_jobs_ops, [PANE_TABLES] = &pane_tables_ops,
		[PANE_DDL] = &pane_ddl_ops, [PANE_NODES] = &pane_nodes_ops,
	};

	memset(ui, 0, sizeof(*ui));
	ui->opts = opts;
	ui->events = events;
	ui->commands = commands;
	model_init(&ui->model);
	for (int i = 0; i < PANE_N; i++)
		pane_init(&ui->pane[i], ops[i], &ui->model.c[ops[i]->kind]);
	ui->stack[0] = VIEW_MAIN;
	ui->stack[1] = VIEW_CHECKLIST;
	ui->depth = 2;
	ui->first_checklist = true;
	ui->focus = PANE_JOBS;
	ui->dirty = ui->force_draw = true;
}

void
ui_fini(struct ui *ui)
{
	script_free(ui->script);
	ui->script = NULL;
	model_fini(&ui->model);
}

/* Test hook: with a script, SRMIGRATE_TEST_NOW (seconds since the epoch) fixes the clock. */
static int64_t
test_clock(void)
{
	const char *v = getenv("SRMIGRATE_TEST_NOW");
	int64_t s;

	return v != NULL && parse_i64(v, 1, INT64_MAX / 1000, &s) ? s * 1000 : 0;
}

int
ui_run(const struct ui_opts *opts, struct ring *events, struct ring *commands)
{
	struct ui *ui = xmalloc(sizeof(*ui));
	char err[512];
	int status;

	ui_init(ui, opts, events, commands);
	setlocale(LC_CTYPE, "");
	if (opts->script != NULL) {
		if ((ui->script = script_load(opts->script, err, sizeof(err))) == NULL) {
			fprintf(stderr, "srmigrate: %s\n", err);
			status = 2;
			goto out;
		}
		ui->fixed_clock = test_clock();
	}
	if (term_open(opts, err, sizeof(err)) != 0) {
		fprintf(stderr, "srmigrate: %s\n", err);
		term_close();
		status = 2;
		goto out;
	}
	loop(ui);
	term_close();
	if (ui->stopping && !ui->model.have_quit && srm_stop_signal > ui->stop_signals)
		fprintf(stderr, "srmigrate: stopped waiting for the engine (signal)\n");
	else if (ui->stopping && !ui->model.have_quit && ui->status == 1)
		fprintf(stderr, "srmigrate: the engine did not stop within %d s\n",
			UI_STOP_WAIT_MS / 1000);
	status = ui->status;
out:
	ui_fini(ui);
	free(ui);
	return status;
}
