/* details: every field of the selected row, live, on a screen of its own. */
#include "tui.h"

#include "srmigrate/util.h"

void
details_open(struct ui *ui)
{
	const void *row = pane_selected(ui_focused(ui));

	if (row == NULL) {
		ui_message(ui, UIC_WARN, "details: no row selected");
		return;
	}
	ui->details_pane = ui->focus;
	ui->details_id = *(const uint32_t *)row;
	ui->scroll = 0;
	ui_open_view(ui, VIEW_DETAILS);
}

const void *
details_row(const struct ui *ui)
{
	return coll_get(ui->pane[ui->details_pane].coll, ui->details_id);
}

void
details_draw(struct ui *ui, struct rect r)
{
	const struct pane_ops *ops = ui->pane[ui->details_pane].ops;
	const void *row = details_row(ui);
	struct text t = { 0 };
	struct rect in = { r.y + 1, r.x + 2, r.h - 2, r.w - 4 };
	char what[256];

	ui_frame(r, ui_color(UIC_BORDER_FOCUS));
	if (row != NULL) {
		ui_putf(r.y, r.x + 1, r.w - 2, ui_color(UIC_TITLE_FOCUS), PUT_ELLIPSIS,
			" Details: %s ", ops->what(row, what, sizeof(what)));
		ops->details(ui, row, in.w, &t);
	} else {
		ui_putf(r.y, r.x + 1, r.w - 2, ui_color(UIC_TITLE_FOCUS), 0, " Details ");
		text_add(&t, UIC_WARN, "The engine no longer reports this %s (id %u).",
			 ops->title, ui->details_id);
		text_add(&t, UIC_NORMAL, "Esc goes back.");
	}
	if (ui->model.frozen)
		text_add(&t, UIC_FROZEN, "(frozen display: %zu updates wait; Space on the panes thaws)",
			 model_deferred(&ui->model));
	ui->scroll_lines = t.n;
	ui->scroll_rows = in.h;
	scroll_move(&ui->scroll, ACT_NONE, t.n, in.h);
	text_draw(&t, in, ui->scroll);
	text_free(&t);
}
