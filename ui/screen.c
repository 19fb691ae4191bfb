/*
 * screen: the frame. Lines 0-1 the header, then the body (the four panes,
 * 2 x 2 when the terminal is wide, else one pane under a row of tabs; or
 * another screen), the log line, and the function-key bar. Layout comes
 * from LINES and COLS at every frame, so a resize needs nothing more than a
 * redraw. Below 80 x 24 a note replaces the picture.
 */
#include "tui.h"

#include <limits.h>
#include <string.h>
#include <wchar.h>

#include "srmigrate/util.h"

static void
frame_title(struct rect r, int x, attr_t attr, const char *title)
{
	ui_putf(r.y, r.x + x, r.w - x - 1, attr, PUT_ELLIPSIS, " %s ", title);
}

static void
draw_filter_note(const struct pane *p, struct rect r)
{
	char note[COLL_NEEDLE + 16];
	int w;

	if (!p->filter[0])
		return;
	str_fmt(note, sizeof(note), " filter: %s ", p->filter);
	w = ui_width(note);
	if (w > r.w / 2)
		w = r.w / 2;
	ui_put(r.y, r.x + r.w - w - 2, w, ui_color(UIC_PROMPT), PUT_ELLIPSIS, note);
}

static struct rect
inner(struct rect r)
{
	return (struct rect){ r.y + 1, r.x + 1, r.h - 2, r.w - 2 };
}

static void
draw_grid(struct ui *ui, struct rect body)
{
	int h1 = body.h / 2, w1 = body.w / 2;
	struct rect r[PANE_N] = {
		{ body.y, body.x, h1, w1 },
		{ body.y, body.x + w1, h1, body.w - w1 },
		{ body.y + h1, body.x, body.h - h1, w1 },
		{ body.y + h1, body.x + w1, body.h - h1, body.w - w1 },
	};

	for (int i = 0; i < PANE_N; i++) {
		bool focused = i == ui->focus;
		char title[128];

		ui_frame(r[i], ui_color(focused ? UIC_BORDER_FOCUS : UIC_BORDER));
		frame_title(r[i], 1, ui_color(focused ? UIC_TITLE_FOCUS : UIC_TITLE),
			    pane_title(ui, i, title, sizeof(title)));
		draw_filter_note(&ui->pane[i], r[i]);
		pane_draw(ui, &ui->pane[i], inner(r[i]), focused);
	}
}

/* One pane, the others as tabs on its top border. */
static void
draw_tabbed(struct ui *ui, struct rect body)
{
	char titles[PANE_N][128];
	int total = 0, x = 1;
	bool brief;

	ui_frame(body, ui_color(UIC_BORDER_FOCUS));
	for (int i = 0; i < PANE_N; i++) {
		pane_title(ui, i, titles[i], sizeof(titles[i]));
		total += ui_width(titles[i]) + 3;
	}
	brief = total > body.w - 24;
	for (int i = 0; i < PANE_N && x < body.w - 4; i++) {
		bool focused = i == ui->focus;
		char t[140];

		if (brief && !focused)
			str_fmt(t, sizeof(t), "%d %s", i + 1, ui->pane[i].ops->title);
		else
			str_copy(t, sizeof(t), titles[i]);
		frame_title(body, x, ui_color(focused ? UIC_TITLE_FOCUS : UIC_TITLE), t);
		x += ui_width(t) + 3;
	}
	if (ui->zoom && x < body.w - 10)
		ui_put(body.y, body.x + x, 6, ui_color(UIC_MUTED), 0, " zoom ");
	draw_filter_note(&ui->pane[ui->focus], body);
	pane_draw(ui, &ui->pane[ui->focus], inner(body), true);
}

static void
draw_log_line(struct ui *ui, int y)
{
	const struct ev_log *l = &ui->model.log;
	char clock[16];

	ui_blank((struct rect){ y, 0, 1, COLS }, A_NORMAL);
	if (ui->prompt.active) {
		prompt_draw(ui, y);
	} else if (ui->msg[0] && now_ms() < ui->msg_until) {
		ui_putf(y, 0, COLS, ui_color(ui->msg_color), PUT_ELLIPSIS, " %s", ui->msg);
	} else if (ui->model.have_log) {
		ui_putf(y, 0, COLS,
			ui_color(l->level == LOG_ERROR ? UIC_FAILED :
				 l->level == LOG_WARN ? UIC_WARN : UIC_NORMAL),
			PUT_ELLIPSIS, " %s %s", fmt_clock(clock, sizeof(clock), l->time_ms), l->text);
	}
}

static const char *
bar_label(const struct ui *ui, enum ui_action a)
{
	if (a == ACT_PAUSE && ui->model.have_engine && ui->model.engine.state == ENGINE_PAUSED)
		return "Resume";
	if (a == ACT_ZOOM && ui->zoom)
		return "Unzoom";
	return ui_actions[a].bar;
}

static int
bar_item_width(const struct ui *ui, enum ui_action a)
{
	return ui_width(ui_key_name(ui_actions[a].keys[0])) + ui_width(bar_label(ui, a)) + 2;
}

/*
 * htop's function bar, from the key table: Help first, then the keys of
 * this screen in table order, Back and Quit last. When it does not fit, the
 * keys before the last ones go first: Help, Back and Quit stay.
 */
static void
draw_fkey_bar(const struct ui *ui, int y)
{
	enum ui_action items[ACT_N];
	int n = 0, width = 0, x = 0, head = 0, tail = 0;
	unsigned view = 1u << ui_view(ui);

	ui_blank((struct rect){ y, 0, 1, COLS }, A_NORMAL);
	if (ui->dlg.state == DLG_CONFIRM) {
		ui_put(y, 1, COLS - 1, ui_color(UIC_PROMPT), 0,
		       "Answer the question: y yes, n or Esc no (the default)");
		return;
	}
	items[n++] = ACT_HELP;
	head = 1;
	for (int pass = 0; pass < 2; pass++) {
		for (int a = ACT_NONE + 1; a < ACT_N; a++) {
			bool last = a == ACT_BACK || a == ACT_QUIT;

			if (a == ACT_HELP || last != (pass == 1) || !(ui_actions[a].views & view) ||
			    ui_actions[a].bar == NULL || ui_key_name(ui_actions[a].keys[0]) == NULL)
				continue;
			if ((ui_actions[a].flags & AF_WRITES) && ui_readonly(ui))
				continue;
			items[n++] = (enum ui_action)a;
			tail += pass == 1;
		}
	}
	for (int i = 0; i < n; i++)
		width += bar_item_width(ui, items[i]);
	while (width > COLS && n > head + tail) {
		int drop = n - tail - 1;

		width -= bar_item_width(ui, items[drop]);
		memmove(&items[drop], &items[drop + 1], (size_t)tail * sizeof(items[0]));
		n--;
	}
	for (int i = 0; i < n && x < COLS; i++) {
		x += ui_putf(y, x, COLS - x, ui_color(UIC_FKEY), 0, " %s",
			     ui_key_name(ui_actions[items[i]].keys[0]));
		x += ui_putf(y, x, COLS - x, ui_color(UIC_FLABEL), 0, "%s ",
			     bar_label(ui, items[i]));
	}
	if (x < COLS)
		ui_blank((struct rect){ y, x, 1, COLS - x }, ui_color(UIC_FLABEL));
}

static void
draw_too_small(const struct ui *ui)
{
	const struct model *m = &ui->model;
	char lines[4][160];
	int y = LINES / 2 - 2;

	str_fmt(lines[0], sizeof(lines[0]), "Terminal too small: %dx%d", COLS, LINES);
	str_fmt(lines[1], sizeof(lines[1]), "srmigrate needs at least %dx%d.", UI_MIN_COLS,
		UI_MIN_LINES);
	str_fmt(lines[2], sizeof(lines[2]), "Enlarge it; Ctrl-C stops srmigrate.");
	if (m->have_progress && m->progress.total > 0)
		str_fmt(lines[3], sizeof(lines[3]), "%s %.1f%% fail %u",
			m->have_engine ? engine_state_name(m->engine.state) : "STARTING",
			100.0 * m->progress.finished / m->progress.total, m->progress.failed);
	else
		str_fmt(lines[3], sizeof(lines[3]), "%s",
			m->have_engine ? engine_state_name(m->engine.state) : "STARTING");
	for (int i = 0; i < 4; i++) {
		int w = ui_width(lines[i]);

		ui_put(y + i + (i == 3), w < COLS ? (COLS - w) / 2 : 0, COLS,
		       ui_color(i == 0 ? UIC_WARN : UIC_NORMAL), 0, lines[i]);
	}
}

void
screen_sync(struct ui *ui)
{
	for (int i = 0; i < PANE_N; i++)
		pane_sync(&ui->pane[i]);
	coll_refresh(&ui->model.c[MK_CHECKS]);
}

void
screen_draw(struct ui *ui)
{
	struct rect body = { 2, 0, LINES - 4, COLS };

	screen_sync(ui);
	erase();
	ui->too_small = COLS < UI_MIN_COLS || LINES < UI_MIN_LINES;
	if (ui->too_small) {
		draw_too_small(ui);
		return;
	}
	header_draw(ui);
	switch (ui_view(ui)) {
	case VIEW_MAIN:
		if (COLS >= UI_WIDE_COLS && !ui->zoom)
			draw_grid(ui, body);
		else
			draw_tabbed(ui, body);
		break;
	case VIEW_CHECKLIST:
		checklist_draw(ui, body);
		break;
	case VIEW_CUTOVER:
		cutover_draw(ui, body);
		break;
	case VIEW_DETAILS:
		details_draw(ui, body);
		break;
	case VIEW_HELP:
		help_draw(ui, body);
		break;
	case VIEW_N:
		break;
	}
	draw_log_line(ui, LINES - 2);
	draw_fkey_bar(ui, LINES - 1);
	dialog_draw(ui);
}

/* --- dumps for scripted tests ------------------------------------------------ */

static char
acs_ascii(wchar_t c)
{
	switch (c) {
	case 'q': return '-';
	case 'x': return '|';
	case 'l': case 'k': case 'm': case 'j': case 't': case 'u': case 'v': case 'w':
	case 'n': return '+';
	default: return '#';
	}
}

static char
color_char(attr_t attrs, short pair)
{
	static const char names[] = "krgybmcw";
	short fg = -1, bg = -1;

	if (pair > 0 && pair_content(pair, &fg, &bg) == OK) {
		if (bg >= 0 && bg < 8)
			return (char)(names[bg] - 32);
		if (fg >= 0 && fg < 8)
			return names[fg];
	}
	if (attrs & A_REVERSE)
		return '#';
	if (attrs & A_BOLD)
		return '*';
	if (attrs & A_UNDERLINE)
		return '_';
	return '.';
}

void
screen_dump(FILE *out, bool colors)
{
	for (int y = 0; y < LINES; y++) {
		char line[4096];
		size_t len = 0, keep = 0;

		for (int x = 0; x < COLS && len + MB_LEN_MAX + 1 < sizeof(line); x++) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1] = { 0 };
			attr_t attrs = 0;
			short pair = 0;
			mbstate_t st;
			size_t k;

			if (mvin_wch(y, x, &cc) == ERR || getcchar(&cc, wch, &attrs, &pair, NULL) == ERR)
				wch[0] = L' ';
			if (colors) {
				line[len++] = color_char(attrs, pair);
			} else if (attrs & A_ALTCHARSET) {
				line[len++] = acs_ascii(wch[0]);
			} else {
				memset(&st, 0, sizeof(st));
				k = wcrtomb(line + len, wch[0] ? wch[0] : L' ', &st);
				if (k == (size_t)-1)
					line[len++] = '?';
				else
					len += k;
				if (wcwidth(wch[0]) == 2)
					x++;
			}
			if (line[len - 1] != ' ' && line[len - 1] != '.')
				keep = len;
			else if (!colors && line[len - 1] == '.')
				keep = len;
		}
		line[keep] = '\0';
		fprintf(out, "%s\n", line);
	}
}
