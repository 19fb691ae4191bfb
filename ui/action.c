/*
 * action: what a key does once no overlay took it. The key becomes an
 * action through the table (keys.h) for the screen on view; writing actions
 * are refused here, in one place, when srmigrate runs read-only.
 */
#include "tui.h"

#include <string.h>

#include "srmigrate/util.h"

struct command
action_cmd(enum cmd_type type, uint32_t id, const char *arg)
{
	struct command c;

	memset(&c, 0, sizeof(c));
	c.type = type;
	c.id = id;
	if (arg != NULL)
		str_copy(c.arg, sizeof(c.arg), arg);
	return c;
}

static void
pause_resume(struct ui *ui)
{
	const struct model *m = &ui->model;
	struct command cmd;

	if (!m->have_engine) {
		ui_message(ui, UIC_WARN, "pause: the engine has not reported yet");
		return;
	}
	switch (m->engine.state) {
	case ENGINE_PAUSED:
		cmd = action_cmd(CMD_RESUME, 0, NULL);
		dialog_confirm(ui, "Resume", &cmd, THEN_NOTHING,
			       "Resume the migration?\n\nDDL and new replication jobs start again.");
		break;
	case ENGINE_SYNCING:
	case ENGINE_STOPPED:
		cmd = action_cmd(CMD_PAUSE, 0, NULL);
		dialog_confirm(ui, "Pause", &cmd, THEN_NOTHING,
			       "Pause the migration?\n\nNo DDL and no new job starts until you resume "
			       "with P. Jobs already running in the cluster go on.");
		break;
	case ENGINE_CUTOVER:
		ui_message(ui, UIC_WARN, "pause: the cutover wizard owns the flow (c)");
		break;
	case ENGINE_DONE:
		ui_message(ui, UIC_NORMAL, "pause: the migration is done");
		break;
	default:
		ui_message(ui, UIC_WARN, "pause: the migration has not started yet (F2: checklist)");
		break;
	}
}

static void
retry_all(struct ui *ui)
{
	const struct ev_progress *p = &ui->model.progress;
	struct command cmd = action_cmd(CMD_RETRY_ALL, 0, NULL);

	if (ui->model.have_progress && p->failed == 0 && p->tables_failed == 0 &&
	    p->tables_blocked == 0) {
		ui_message(ui, UIC_NORMAL, "retry all: no job or table has failed or is blocked");
		return;
	}
	if (ui->model.have_progress)
		dialog_confirm(ui, "Retry all", &cmd, THEN_NOTHING,
			       "Retry every failed job and table now, and check the blocked "
			       "tables again?\n\n%u job%s and %u table%s failed, %u table%s blocked; "
			       "their backoff is cut short.", p->failed, p->failed == 1 ? "" : "s",
			       p->tables_failed, p->tables_failed == 1 ? "" : "s", p->tables_blocked,
			       p->tables_blocked == 1 ? " is" : "s are");
	else
		dialog_confirm(ui, "Retry all", &cmd, THEN_NOTHING,
			       "Retry every failed job and table now, and check the blocked "
			       "tables again?");
}

/* r, a, x: on the selected row of the focused pane, or of the details screen. */
static void
row_action(struct ui *ui, enum ui_action a)
{
	const struct pane *p;
	const void *row;

	if (ui_view(ui) == VIEW_DETAILS) {
		p = &ui->pane[ui->details_pane];
		row = details_row(ui);
	} else {
		p = ui_focused(ui);
		row = pane_selected(p);
	}
	if (row == NULL) {
		ui_message(ui, UIC_WARN, "%s: no row selected in %s", ui_actions[a].name,
			   p->ops->title);
		return;
	}
	p->ops->act(ui, a, row);
}

static void
quit(struct ui *ui)
{
	const struct model *m = &ui->model;
	uint32_t running = m->progress.running + m->progress.sent;

	if (m->have_quit) {
		ui->done = true;
		return;
	}
	if (running > 0)
		dialog_confirm(ui, "Quit", NULL, THEN_STOP,
			       "Quit srmigrate?\n\n%u job%s run%s in the cluster. They go on there, "
			       "and srmigrate picks them up when it starts again.", running,
			       running == 1 ? "" : "s", running == 1 ? "s" : "");
	else
		ui_begin_stop(ui);
}

static void
focus(struct ui *ui, int idx)
{
	ui->focus = (idx + PANE_N) % PANE_N;
}

static void
sort_message(struct ui *ui)
{
	const struct pane *p = ui_focused(ui);

	ui_message(ui, UIC_NORMAL, "%s sorted by %s, %s", p->ops->title,
		   p->ops->cols[p->sort_col].title, p->sort_rev ? "descending" : "ascending");
}

static void
freeze(struct ui *ui)
{
	bool on = !ui->model.frozen;
	size_t waiting = model_deferred(&ui->model);

	model_freeze(&ui->model, on);
	if (on)
		ui_message(ui, UIC_NORMAL, "display frozen; the migration goes on. Space thaws.");
	else
		ui_message(ui, UIC_NORMAL, "display thawed: %zu update%s applied", waiting,
			   waiting == 1 ? "" : "s");
}

static void
motion(struct ui *ui, enum ui_action a)
{
	switch (ui_view(ui)) {
	case VIEW_MAIN:
		pane_move(ui_focused(ui), a);
		break;
	case VIEW_CHECKLIST:
		checklist_action(ui, a);
		break;
	default:
		scroll_move(&ui->scroll, a, ui->scroll_lines, ui->scroll_rows);
		break;
	}
}

static void
back(struct ui *ui)
{
	bool waiting = ui->model.have_engine && ui->model.engine.state == ENGINE_WAITING;

	if (ui_view(ui) == VIEW_CHECKLIST && waiting)
		ui_message(ui, UIC_WARN, "the migration waits for the checklist: F2 shows it again");
	ui_close_view(ui);
}

void
action_key(struct ui *ui, int key)
{
	enum ui_action a = ui_keys_lookup(ui_view(ui), key);

	if (a == ACT_NONE) {
		const char *name = ui_key_name(key);

		if (name != NULL)
			ui_message(ui, UIC_MUTED, "%s does nothing here; ? shows the keys", name);
		return;
	}
	if ((ui_actions[a].flags & AF_WRITES) && ui_readonly(ui)) {
		ui_message(ui, UIC_WARN, "read-only: %s is disabled (srmigrate runs with --readonly)",
			   ui_actions[a].name);
		return;
	}
	switch (a) {
	case ACT_FOCUS_JOBS: focus(ui, PANE_JOBS); break;
	case ACT_FOCUS_TABLES: focus(ui, PANE_TABLES); break;
	case ACT_FOCUS_DDL: focus(ui, PANE_DDL); break;
	case ACT_FOCUS_NODES: focus(ui, PANE_NODES); break;
	case ACT_FOCUS_NEXT: focus(ui, ui->focus + 1); break;
	case ACT_FOCUS_PREV: focus(ui, ui->focus - 1); break;
	case ACT_UP: case ACT_DOWN: case ACT_PAGE_UP: case ACT_PAGE_DOWN:
	case ACT_HOME: case ACT_END:
		motion(ui, a);
		break;
	case ACT_FILTER: prompt_open(ui); break;
	case ACT_CLEAR_FILTER: pane_set_filter(ui_focused(ui), ""); break;
	case ACT_SORT_PREV: pane_sort_step(ui_focused(ui), -1); sort_message(ui); break;
	case ACT_SORT_NEXT: pane_sort_step(ui_focused(ui), 1); sort_message(ui); break;
	case ACT_SORT_REVERSE: pane_sort_reverse(ui_focused(ui)); sort_message(ui); break;
	case ACT_DETAILS: details_open(ui); break;
	case ACT_ZOOM: ui->zoom = !ui->zoom; break;
	case ACT_FREEZE: freeze(ui); break;
	case ACT_BACK: case ACT_CLOSE: back(ui); break;
	case ACT_PAUSE: pause_resume(ui); break;
	case ACT_RETRY: case ACT_APPROVE: case ACT_SKIP: row_action(ui, a); break;
	case ACT_RETRY_ALL: retry_all(ui); break;
	case ACT_CUTOVER: ui_open_view(ui, VIEW_CUTOVER); break;
	case ACT_CHECKLIST: ui_open_view(ui, VIEW_CHECKLIST); break;
	case ACT_CONTINUE: case ACT_FIX: case ACT_FORCE: case ACT_RECHECK:
		checklist_action(ui, a);
		break;
	case ACT_CUT_NEXT: case ACT_CUT_START: case ACT_CUT_ABORT:
		cutover_action(ui, a);
		break;
	case ACT_HELP:
		if (ui_view(ui) == VIEW_HELP) {
			ui_close_view(ui);
		} else {
			ui_open_view(ui, VIEW_HELP);
			ui->scroll = 0;
		}
		break;
	case ACT_REDRAW: clearok(curscr, TRUE); break;
	case ACT_QUIT: quit(ui); break;
	case ACT_NONE: case ACT_N: break;
	}
}
