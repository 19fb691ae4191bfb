/*
 * help: the keys of every screen, made from the action table (keys.h), with
 * the colour legend and where the files are.
 */
#include "tui.h"

#include "srmigrate/util.h"

#ifndef SRM_VERSION
#define SRM_VERSION "?"
#endif

static void
legend(struct text *t)
{
	text_add(t, UIC_TITLE, "Colours");
	text_add(t, UIC_FAILED, "  failed, blocked, unreachable: needs you");
	text_add(t, UIC_RUNNING, "  running, sent: in flight");
	text_add(t, UIC_LAG, "  behind the source (lag), expired");
	text_add(t, UIC_DONE, "  done, in sync, reachable");
	text_add(t, UIC_HELD, "  held: a drop waits for a or x");
	text_add(t, UIC_NORMAL, "%s", "");
}

void
help_text(const struct ui *ui, int width, struct text *out)
{
	const struct ui_opts *o = ui->opts;
	char lead[64], keys[48];

	text_add(out, UIC_TITLE, "srmigrate %s", SRM_VERSION);
	text_add(out, UIC_NORMAL, "  configuration %s, logs %s",
		 o->conf_dir ? o->conf_dir : "./conf", o->log_dir ? o->log_dir : "./log");
	text_add(out, UIC_NORMAL, "  drops of target data %s",
		 o->confirm_drops ? "wait for a (approve) or x (skip)" : "run without asking");
	if (ui_readonly(ui))
		text_add(out, UIC_WARN, "  read-only (--readonly): every key that changes a cluster "
			 "is refused");
	text_add(out, UIC_NORMAL, "%s", "");
	legend(out);
	for (int g = 0; g < G_N; g++) {
		text_add(out, UIC_TITLE, "%s", ui_group_title((enum ui_group)g));
		for (int a = ACT_NONE + 1; a < ACT_N; a++) {
			const struct ui_action_info *ai = &ui_actions[a];
			bool off = (ai->flags & AF_WRITES) && ui_readonly(ui);
			char help[256];

			if ((int)ai->group != g)
				continue;
			str_fmt(lead, sizeof(lead), "  %-14s ",
				ui_action_keys((enum ui_action)a, keys, sizeof(keys)));
			str_fmt(help, sizeof(help), "%s%s", ai->help, off ? " (read-only: disabled)" : "");
			text_wrap(out, off ? UIC_MUTED : UIC_NORMAL, width, lead, help);
		}
		text_add(out, UIC_NORMAL, "%s", "");
	}
}

void
help_draw(struct ui *ui, struct rect r)
{
	struct text t = { 0 };
	struct rect in = { r.y + 1, r.x + 2, r.h - 2, r.w - 4 };

	ui_frame(r, ui_color(UIC_BORDER_FOCUS));
	ui_put(r.y, r.x + 1, r.w - 2, ui_color(UIC_TITLE_FOCUS), 0, " Help: keys ");
	help_text(ui, in.w, &t);
	ui->scroll_lines = t.n;
	ui->scroll_rows = in.h;
	scroll_move(&ui->scroll, ACT_NONE, t.n, in.h);
	text_draw(&t, in, ui->scroll);
	if (t.n > in.h)
		ui_putf(r.y + r.h - 1, r.x + r.w - 18, 16, ui_color(UIC_MUTED), 0, " %d-%d of %d ",
			ui->scroll + 1, ui->scroll + in.h < t.n ? ui->scroll + in.h : t.n, t.n);
	text_free(&t);
}
