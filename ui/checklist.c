/*
 * checklist: the pre-flight checklist, the first screen. Above, what the
 * engine knows of both clusters (connection, version, run mode, nodes);
 * below, the check items with the selected one's finding and fix. Enter
 * starts when nothing blocks; a blocking FAIL needs the override (!), which
 * names the risk before it is sent.
 */
#include "tui.h"

#include <string.h>

#include "srmigrate/util.h"

#define DETAIL_LINES 7

static enum uic
status_color(enum check_status s)
{
	switch (s) {
	case CHECK_PASS: return UIC_DONE;
	case CHECK_WARN: return UIC_WARN;
	case CHECK_FAIL: return UIC_FAILED;
	case CHECK_SKIP: return UIC_MUTED;
	default: return UIC_RUNNING;
	}
}

uint32_t
checklist_blocking(const struct model *m, const struct ev_check **first)
{
	const struct coll *c = &m->c[MK_CHECKS];
	uint32_t n = 0;

	if (first)
		*first = NULL;
	for (uint32_t s = 0; s < c->used; s++) {
		const struct ev_check *k = coll_slot(c, s);

		if (k == NULL || !k->blocks)
			continue;
		if (first && (*first == NULL || k->index < (*first)->index))
			*first = k;
		n++;
	}
	return n;
}

static void
cluster_lines(const struct ui *ui, struct text *t)
{
	const struct model *m = &ui->model;

	for (int s = 0; s < 2; s++) {
		const struct ev_cluster *c = &m->cluster[s];
		char age[32];

		if (!m->have_cluster[s]) {
			text_add(t, UIC_MUTED, "%s  not reported yet", s ? "Target" : "Source");
			continue;
		}
		fmt_age(age, sizeof(age), c->last_ok_ms, ui_now(ui));
		if (c->connected)
			text_add(t, UIC_NORMAL, "%s  %s  %s  %s  connected, answered %s ago",
				 s ? "Target" : "Source", c->address, c->version[0] ? c->version : "?",
				 c->run_mode[0] ? c->run_mode : "?", age);
		else
			text_add(t, UIC_FAILED, "%s  %s  NOT CONNECTED%s%s", s ? "Target" : "Source",
				 c->address, c->error[0] ? ": " : "", c->error);
	}
}

/* One line per side: how many nodes of each kind, and whether this host reaches them. */
static void
node_lines(const struct ui *ui, struct text *t)
{
	const struct coll *c = &ui->model.c[MK_NODES];
	uint32_t kinds[2][3] = { { 0 } }, bad[2] = { 0 }, unchecked[2] = { 0 };

	if (c->n_live == 0) {
		text_add(t, UIC_MUTED, "Nodes   none reported yet");
		return;
	}
	for (uint32_t s = 0; s < c->used; s++) {
		const struct ev_node *n = coll_slot(c, s);

		if (n == NULL || n->side > SIDE_TARGET || n->kind > NODE_CN)
			continue;
		kinds[n->side][n->kind]++;
		bad[n->side] += n->reachable == 0;
		unchecked[n->side] += n->reachable < 0;
	}
	for (int s = 0; s < 2; s++) {
		char counts[96] = "";
		size_t len = 0;

		for (int k = NODE_FE; k <= NODE_CN; k++)
			if (kinds[s][k] && len < sizeof(counts))
				len += (size_t)snprintf(counts + len, sizeof(counts) - len, "%s%u %s",
							len ? ", " : "", kinds[s][k],
							node_kind_name((enum node_kind)k));
		text_add(t, bad[s] ? UIC_FAILED : UIC_NORMAL, "%s  %s: %s; %s", s ? "      " : "Nodes ",
			 s ? "target" : "source", len ? counts : "none",
			 bad[s] ? "SOME NOT REACHABLE from here" :
			 unchecked[s] ? "reach not checked" : "all reachable from here");
	}
}

/* The title column: as wide as the longest title, at most 60% of the width. */
static int
title_width(const struct coll *c, int w)
{
	int max = 0, cap = (w - 13) * 3 / 5;

	for (uint32_t i = 0; i < c->n_vis; i++) {
		const struct ev_check *k = coll_vis(c, i);
		int tw = ui_width(k->title) + 4;

		if (tw > max)
			max = tw;
	}
	return max < cap ? max : cap;
}

static const struct ev_check *
selected(struct ui *ui)
{
	const struct coll *c = &ui->model.c[MK_CHECKS];

	if (ui->check_sel >= c->n_vis)
		ui->check_sel = c->n_vis ? c->n_vis - 1 : 0;
	return coll_vis(c, ui->check_sel);
}

static void
status_line(struct ui *ui, struct rect r, int y)
{
	const struct model *m = &ui->model;
	const struct ev_check *first;
	uint32_t blocking = checklist_blocking(m, &first);

	if (!m->have_engine || m->engine.state == ENGINE_CHECKING)
		ui_put(y, r.x, r.w, ui_color(UIC_RUNNING), PUT_ELLIPSIS,
		       "Checking... Enter starts the migration once the checks are done.");
	else if (m->engine.state != ENGINE_WAITING)
		ui_putf(y, r.x, r.w, ui_color(UIC_DONE), PUT_ELLIPSIS,
			"The migration has started (%s). Esc goes back to the panes.",
			engine_state_name(m->engine.state));
	else if (blocking)
		ui_putf(y, r.x, r.w, ui_color(UIC_FAILED), PUT_ELLIPSIS,
			"%u check%s block%s: f fix, R recheck, ! override. (%s)",
			blocking, blocking == 1 ? "" : "s", blocking == 1 ? "s" : "",
			first ? first->title : "?");
	else
		ui_put(y, r.x, r.w, ui_color(UIC_DONE) | A_BOLD, PUT_ELLIPSIS,
		       "Nothing blocks. Enter starts the migration.");
}

void
checklist_draw(struct ui *ui, struct rect r)
{
	struct coll *c = &ui->model.c[MK_CHECKS];
	struct text top = { 0 }, det = { 0 };
	struct rect in = { r.y + 1, r.x + 2, r.h - 2, r.w - 4 };
	int list_y, list_h, tw, det_h;
	const struct ev_check *sel;

	coll_refresh(c);
	ui_frame(r, ui_color(UIC_BORDER_FOCUS));
	ui_put(r.y, r.x + 1, r.w - 2, ui_color(UIC_TITLE_FOCUS), 0, " Pre-flight checklist ");
	cluster_lines(ui, &top);
	node_lines(ui, &top);
	text_draw(&top, (struct rect){ in.y, in.x, top.n, in.w }, 0);
	sel = selected(ui);
	/* The selected item in full below the list, as tall as it needs (up to a limit). */
	if (sel != NULL) {
		text_wrap(&det, status_color(sel->status), in.w, "Seen  ", sel->seen[0] ? sel->seen : "-");
		if (sel->fix[0])
			text_wrap(&det, UIC_NORMAL, in.w, sel->fixable ? "Fix   " : "Do    ", sel->fix);
		if (sel->fixable && sel->status != CHECK_PASS)
			text_add(&det, UIC_MUTED, "      f runs this fix after a confirmation");
	}
	det_h = det.n < 2 ? 2 : det.n > DETAIL_LINES ? DETAIL_LINES : det.n;
	list_y = in.y + top.n + 1;
	list_h = in.h - top.n - 1 - det_h - 3;
	if (c->n_vis == 0)
		ui_put(list_y, in.x, in.w, ui_color(UIC_MUTED), 0,
		       "No check reported yet: above is what the engine knows so far.");
	if (ui->check_sel < ui->check_top)
		ui->check_top = ui->check_sel;
	if (list_h > 0 && ui->check_sel >= ui->check_top + (uint32_t)list_h)
		ui->check_top = ui->check_sel - (uint32_t)list_h + 1;
	tw = title_width(c, in.w);
	for (int i = 0; i < list_h; i++) {
		uint32_t pos = ui->check_top + (uint32_t)i;
		const struct ev_check *k = coll_vis(c, pos);
		bool is_sel = k == sel;
		int x = in.x, y = list_y + i;

		if (k == NULL)
			break;
		if (is_sel)
			ui_blank((struct rect){ y, in.x, 1, in.w }, ui_color(UIC_SEL));
		x += ui_putf(y, x, 5, ui_color(is_sel ? UIC_SEL : status_color(k->status)),
			     PUT_PAD, "%s", check_status_name(k->status));
		x += ui_put(y, x, 8, ui_color(is_sel ? UIC_SEL : UIC_FAILED), PUT_PAD,
			    k->blocks ? "blocks" :
			    k->fixable && k->status != CHECK_PASS ? "fix: f" : "");
		/* Numbered by position: the engine's index only orders them. */
		x += ui_putf(y, x, tw, ui_color(is_sel ? UIC_SEL : UIC_NORMAL),
			     PUT_PAD | PUT_ELLIPSIS, "%2u. %s", pos + 1, k->title) + 1;
		ui_put(y, x, in.x + in.w - x, ui_color(is_sel ? UIC_SEL : UIC_MUTED), PUT_ELLIPSIS,
		       k->seen);
	}
	mvhline(in.y + in.h - det_h - 2, in.x, ACS_HLINE, in.w);
	text_draw(&det, (struct rect){ in.y + in.h - det_h - 1, in.x, det_h, in.w }, 0);
	status_line(ui, in, in.y + in.h - 1);
	text_free(&top);
	text_free(&det);
}

static void
do_continue(struct ui *ui)
{
	const struct model *m = &ui->model;
	const struct ev_check *first;
	uint32_t blocking = checklist_blocking(m, &first);
	struct command cmd;

	if (!m->have_engine || m->engine.state == ENGINE_CHECKING) {
		ui_message(ui, UIC_WARN, "the checks are still running; Enter starts once they are done");
	} else if (m->engine.state != ENGINE_WAITING) {
		ui->first_checklist = false;
		ui_close_view(ui);
	} else if (blocking) {
		ui_message(ui, UIC_FAILED, "cannot start: %u check%s block%s (%s); f fixes, "
			   "R checks again, ! overrides", blocking, blocking == 1 ? "" : "s",
			   blocking == 1 ? "s" : "", first ? first->title : "?");
	} else {
		cmd = action_cmd(CMD_CONTINUE, 0, NULL);
		if (ui_send(ui, &cmd))
			ui_message(ui, UIC_DONE, "starting the migration");
	}
}

static void
do_force(struct ui *ui)
{
	const struct model *m = &ui->model;
	const struct ev_check *first;
	uint32_t blocking = checklist_blocking(m, &first);
	struct command cmd = action_cmd(CMD_FORCE, 0, NULL);

	if (!m->have_engine || m->engine.state != ENGINE_WAITING) {
		ui_message(ui, UIC_WARN, "override: only while the checklist waits for you");
	} else if (blocking == 0 || first == NULL) {
		ui_message(ui, UIC_NORMAL, "override: nothing blocks; Enter starts the migration");
	} else {
		dialog_confirm(ui, "Override the checklist", &cmd, THEN_NOTHING,
			       "Start although %u check%s FAIL%s?\n\n%s: %s\n\nThe migration may fail "
			       "half-way or damage the target. The override is logged.",
			       blocking, blocking == 1 ? "" : "s", blocking == 1 ? "S" : "",
			       first->title, first->seen[0] ? first->seen : "(nothing seen)");
	}
}

static void
do_fix(struct ui *ui)
{
	const struct ev_check *k = selected(ui);
	struct command cmd;

	if (k == NULL) {
		ui_message(ui, UIC_WARN, "fix: no check selected");
	} else if (k->status == CHECK_PASS) {
		ui_message(ui, UIC_NORMAL, "fix: '%s' passes, nothing to fix", k->title);
	} else if (!k->fixable) {
		ui_message(ui, UIC_WARN, "fix: srmigrate cannot fix '%s' itself; the manual step is "
			   "shown below", k->title);
	} else {
		cmd = action_cmd(CMD_FIX_CHECK, 0, k->key);
		dialog_confirm(ui, "Apply a fix", &cmd, THEN_NOTHING,
			       "Fix '%s'?\n\nsrmigrate runs:\n%s\n\nThe old value is recorded, so "
			       "the cutover can put it back.", k->title, k->fix);
	}
}

bool
checklist_action(struct ui *ui, enum ui_action a)
{
	const struct coll *c = &ui->model.c[MK_CHECKS];
	struct command cmd;
	int64_t sel = ui->check_sel;

	switch (a) {
	case ACT_CONTINUE: do_continue(ui); return true;
	case ACT_FORCE: do_force(ui); return true;
	case ACT_FIX: do_fix(ui); return true;
	case ACT_RECHECK:
		cmd = action_cmd(CMD_RECHECK, 0, NULL);
		if (ui_send(ui, &cmd))
			ui_message(ui, UIC_NORMAL, "running the checks again");
		return true;
	case ACT_UP: sel--; break;
	case ACT_DOWN: sel++; break;
	case ACT_PAGE_UP: sel -= 5; break;
	case ACT_PAGE_DOWN: sel += 5; break;
	case ACT_HOME: sel = 0; break;
	case ACT_END: sel = c->n_vis; break;
	default: return false;
	}
	if (sel >= c->n_vis)
		sel = (int64_t)c->n_vis - 1;
	ui->check_sel = sel < 0 ? 0 : (uint32_t)sel;
	return true;
}
