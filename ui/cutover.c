/*
 * cutover: the wizard of product.md section 7, drawn from EV_CUTOVER. The
 * engine owns the steps and their gates; this screen shows where things
 * stand and sends the operator's decisions. The steps that change
 * something or end something (the operator's word that writes stopped,
 * stopping the sync and putting settings back, the end of the run) ask
 * first. Enter after a verification found mismatches verifies again.
 */
#include "tui.h"

#include <string.h>

#include "srmigrate/util.h"

struct step_info {
	const char *what;	/* one line: what the step does */
	const char *confirm;	/* the question, when the step changes something */
};

static const struct step_info steps[] = {
	[CUT_STOP_WRITES] = {
		"You stop the applications writing to the source; srmigrate then watches "
		"the source versions.",
		"Have the applications stopped writing to the source?\n\nsrmigrate then "
		"watches the source versions: any change sends the cutover back to catching up.",
	},
	[CUT_CATCH_UP] = {
		"Meta passes until every table is in sync for the quiet passes in a row.", NULL,
	},
	[CUT_VERIFY] = {
		"Row counts, partition versions and sizes compared per table; the report goes "
		"to the log directory. After mismatches, Enter verifies again.", NULL,
	},
	[CUT_STOP_SYNC] = {
		"No replication job or DDL starts any more; then the settings are put back.",
		"Stop syncing?\n\nNo replication job or DDL starts after this: the target "
		"stays as it is now. Then srmigrate puts back the settings the checklist "
		"changed: lake_autovacuum_grace_period_minutes on the source, "
		"lake_compaction_max_tasks and enable_legacy_compatibility_for_replication on "
		"the target (the recorded old values, else the defaults 30, -1 and false).",
	},
	[CUT_RESTORE] = {
		"Puts back what the checklist changed: vacuum grace on the source, compaction "
		"and legacy compatibility on the target.",
		"Put back the settings the checklist changed, once more?\n\nThe recorded old "
		"values are used, else the defaults 30, -1 and false.",
	},
	[CUT_REMIND] = {
		"Left to you: remove the fe.conf lines, point the applications to the target, "
		"drop the src_ storage volumes.",
		"Are the last steps done?\n\nThe cutover is then complete and srmigrate ends.",
	},
};

static void
step_lines(const struct ui *ui, struct text *t, int width)
{
	const struct ev_cutover *c = &ui->model.cutover;
	enum cutover_step cur = ui->model.have_cutover ? c->step : CUT_NONE;

	for (int s = CUT_STOP_WRITES; s <= CUT_REMIND; s++) {
		bool done = (int)cur > s, here = (int)cur == s;

		text_add(t, done ? UIC_DONE : here ? UIC_TITLE : UIC_MUTED, "%s %s",
			 done ? ui_glyph->check : here ? ui_glyph->arrow : " ",
			 cutover_step_title((enum cutover_step)s));
		if (here && s == CUT_CATCH_UP)
			text_add(t, UIC_NORMAL, "    quiet passes %u of %u", c->quiet_passes,
				 c->quiet_needed);
		if (here || cur == CUT_NONE)
			text_wrap(t, here ? UIC_NORMAL : UIC_MUTED, width, "    ", steps[s].what);
	}
}

void
cutover_draw(struct ui *ui, struct rect r)
{
	const struct model *m = &ui->model;
	const struct ev_cutover *c = &m->cutover;
	enum cutover_step cur = m->have_cutover ? c->step : CUT_NONE;
	struct text t = { 0 };
	struct rect in = { r.y + 1, r.x + 2, r.h - 2, r.w - 4 };

	ui_frame(r, ui_color(UIC_BORDER_FOCUS));
	ui_put(r.y, r.x + 1, r.w - 2, ui_color(UIC_TITLE_FOCUS), 0, " Cutover ");
	if (cur == CUT_NONE)
		text_wrap(&t, UIC_TITLE, in.w, "", "The cutover has not started. c starts it; each "
			  "step goes on only when its gate holds.");
	else if (cur == CUT_DONE)
		text_add(&t, UIC_DONE, "Cutover complete.");
	else
		text_add(&t, UIC_TITLE, "Step %d of 6", (int)cur);
	text_add(&t, UIC_NORMAL, "%s", "");
	step_lines(ui, &t, in.w);
	text_add(&t, UIC_NORMAL, "%s", "");
	if (m->have_cutover && cur != CUT_DONE) {
		if (c->busy)
			text_add(&t, UIC_RUNNING, "Running this step...");
		else if (c->open && cur != CUT_NONE)
			text_add(&t, UIC_DONE, "Gate open: Enter goes on.");
		else if (cur != CUT_NONE)
			text_add(&t, UIC_WARN, "Gate closed:");
		if (c->gate[0])
			text_wrap(&t, c->open ? UIC_NORMAL : UIC_WARN, in.w, "  ", c->gate);
	}
	if (m->have_cutover && c->result[0])
		text_wrap(&t, UIC_NORMAL, in.w, "Last result: ", c->result);
	ui->scroll_lines = t.n;
	ui->scroll_rows = in.h;
	scroll_move(&ui->scroll, ACT_NONE, t.n, in.h);
	text_draw(&t, in, ui->scroll);
	text_free(&t);
}

/* CMD_CUTOVER_NEXT carries the step the operator saw, so the engine can tell. */
static void
send_next(struct ui *ui, enum cutover_step cur, const char *said)
{
	struct command cmd = action_cmd(CMD_CUTOVER_NEXT, (uint32_t)cur, NULL);

	if (ui_send(ui, &cmd))
		ui_message(ui, UIC_NORMAL, "%s", said);
}

bool
cutover_action(struct ui *ui, enum ui_action a)
{
	const struct model *m = &ui->model;
	const struct ev_cutover *c = &m->cutover;
	enum cutover_step cur = m->have_cutover ? c->step : CUT_NONE;
	struct command cmd;

	switch (a) {
	case ACT_CUT_START:
		if (cur != CUT_NONE && cur != CUT_DONE) {
			ui_message(ui, UIC_WARN, "cutover: already at %s", cutover_step_title(cur));
			return true;
		}
		cmd = action_cmd(CMD_CUTOVER_START, 0, NULL);
		if (ui_send(ui, &cmd))
			ui_message(ui, UIC_NORMAL, "cutover: starting");
		return true;
	case ACT_CUT_NEXT:
		if (cur == CUT_NONE)
			ui_message(ui, UIC_WARN, "cutover: not started; c starts it");
		else if (cur == CUT_DONE)
			ui_message(ui, UIC_NORMAL, "cutover: complete");
		else if (c->busy)
			ui_message(ui, UIC_WARN, "cutover: the step is still running");
		else if (!c->open && cur == CUT_VERIFY)
			send_next(ui, cur, "cutover: verifying again");
		else if (!c->open)
			ui_message(ui, UIC_WARN, "cutover: %s is not open: %s", cutover_step_title(cur),
				   c->gate[0] ? c->gate : "(no reason given)");
		else if ((size_t)cur < ARRAY_LEN(steps) && steps[cur].confirm != NULL) {
			cmd = action_cmd(CMD_CUTOVER_NEXT, (uint32_t)cur, NULL);
			dialog_confirm(ui, cutover_step_title(cur), &cmd, THEN_NOTHING, "%s",
				       steps[cur].confirm);
		} else {
			send_next(ui, cur, "cutover: going on");
		}
		return true;
	case ACT_CUT_ABORT:
		if (cur == CUT_NONE || cur == CUT_DONE) {
			ui_message(ui, UIC_NORMAL, "cutover: nothing to abort");
			return true;
		}
		cmd = action_cmd(CMD_CUTOVER_ABORT, 0, NULL);
		dialog_confirm(ui, "Abort the cutover", &cmd, THEN_NOTHING,
			       "Abort the cutover at %s?\n\nSyncing goes on. What the steps so far "
			       "changed stays as it is.", cutover_step_title(cur));
		return true;
	default:
		return false;
	}
}
