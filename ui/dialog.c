/*
 * dialog: overlays drawn over the screen, each a small state machine (see
 * tui.h), and the filter prompt. A confirmation starts on No: only y, or
 * Enter after moving to Yes, sends its command.
 */
#include "tui.h"

#include <stdarg.h>
#include <string.h>

#include "srmigrate/util.h"

#define DIALOG_MAX_W 76

void
dialog_confirm(struct ui *ui, const char *title, const struct command *cmd,
	       enum dlg_then then, const char *fmt, ...)
{
	struct dialog *d = &ui->dlg;
	va_list ap;

	memset(d, 0, sizeof(*d));
	d->state = DLG_CONFIRM;
	d->then = then;
	if (cmd != NULL) {
		d->has_cmd = true;
		d->cmd = *cmd;
	}
	str_copy(d->title, sizeof(d->title), title);
	va_start(ap, fmt);
	vsnprintf(d->text, sizeof(d->text), fmt, ap);
	va_end(ap);
}

void
dialog_info(struct ui *ui, enum dlg_state state, const char *title, const char *fmt, ...)
{
	struct dialog *d = &ui->dlg;
	va_list ap;

	memset(d, 0, sizeof(*d));
	d->state = state;
	str_copy(d->title, sizeof(d->title), title);
	va_start(ap, fmt);
	vsnprintf(d->text, sizeof(d->text), fmt, ap);
	va_end(ap);
}

static void
accept(struct ui *ui)
{
	struct dialog *d = &ui->dlg;
	enum dlg_then then = d->then;

	d->state = DLG_NONE;
	if (d->has_cmd && !ui_send(ui, &d->cmd)) {
		dialog_info(ui, DLG_FAILED, "Not sent",
			    "The command queue to the engine is full, so nothing was sent. "
			    "Try again in a moment.");
		return;
	}
	if (then == THEN_STOP)
		ui_begin_stop(ui);
}

bool
dialog_key(struct ui *ui, int key)
{
	struct dialog *d = &ui->dlg;

	switch (d->state) {
	case DLG_NONE:
		return false;
	case DLG_WAIT:
		return true;
	case DLG_INFO:
	case DLG_FAILED:
		if (key != KEY_RESIZE)
			d->state = DLG_NONE;
		return true;
	case DLG_CONFIRM:
		break;
	}
	switch (key) {
	case 'y': case 'Y':
		accept(ui);
		break;
	case 'n': case 'N': case 'q': case KEY_ESC:
		d->state = DLG_NONE;
		ui_message(ui, UIC_NORMAL, "%s: cancelled, nothing sent", d->title);
		break;
	case '\n': case '\r': case KEY_ENTER:
		if (d->yes) {
			accept(ui);
		} else {
			d->state = DLG_NONE;
			ui_message(ui, UIC_NORMAL, "%s: cancelled, nothing sent", d->title);
		}
		break;
	case KEY_LEFT: case KEY_RIGHT: case '\t': case KEY_BTAB: case 'h': case 'l':
		d->yes = !d->yes;
		break;
	default:
		break;
	}
	return true;
}

void
dialog_draw(const struct ui *ui)
{
	const struct dialog *d = &ui->dlg;
	struct text t = { 0 };
	struct rect r;
	int w = COLS - 4 < DIALOG_MAX_W ? COLS - 4 : DIALOG_MAX_W, h, y;
	attr_t bg = ui_color(UIC_DIALOG);

	if (d->state == DLG_NONE || w < 20)
		return;
	text_wrap(&t, UIC_DIALOG, w - 4, "", d->text);
	h = t.n + 4;
	if (d->state != DLG_WAIT)
		h += 2;
	if (h > LINES - 2)
		h = LINES - 2;
	r = (struct rect){ (LINES - h) / 2, (COLS - w) / 2, h, w };
	ui_blank(r, bg);
	ui_frame(r, bg);
	ui_putf(r.y, r.x + 2, w - 4, ui_color(UIC_DIALOG_TITLE), 0, " %s ", d->title);
	for (int i = 0; i < t.n && i < h - 4; i++)
		ui_put(r.y + 2 + i, r.x + 2, w - 4, bg, 0, t.l[i].s);
	y = r.y + h - 2;
	if (d->state == DLG_CONFIRM) {
		int x = r.x + w / 2 - 12;

		x += ui_put(y, x, 9, ui_color(d->yes ? UIC_BUTTON_SEL : UIC_BUTTON), 0, "[ Yes ]");
		ui_put(y, x + 5, 8, ui_color(d->yes ? UIC_BUTTON : UIC_BUTTON_SEL), 0, "[ No ]");
		ui_put(y, r.x + w - 16, 14, bg, 0, "y / n");
	} else if (d->state == DLG_INFO || d->state == DLG_FAILED) {
		ui_put(y, r.x + 2, w - 4, bg, 0, "Press any key.");
	}
	text_free(&t);
}

/* --- the filter prompt -------------------------------------------------------- */

void
prompt_open(struct ui *ui)
{
	struct prompt *p = &ui->prompt;

	p->active = true;
	p->pane = ui->focus;
	str_copy(p->before, sizeof(p->before), ui->pane[p->pane].filter);
	str_copy(p->text, sizeof(p->text), p->before);
}

static void
prompt_apply(struct ui *ui)
{
	pane_set_filter(&ui->pane[ui->prompt.pane], ui->prompt.text);
}

bool
prompt_key(struct ui *ui, int key)
{
	struct prompt *p = &ui->prompt;
	size_t len = strlen(p->text);

	if (!p->active)
		return false;
	switch (key) {
	case '\n': case '\r': case KEY_ENTER:
		p->active = false;
		break;
	case KEY_ESC:
		p->active = false;
		str_copy(p->text, sizeof(p->text), p->before);
		prompt_apply(ui);
		break;
	case KEY_BACKSPACE: case 127: case 8:
		/* Take off one whole character: its UTF-8 continuation bytes too. */
		while (len > 0 && ((unsigned char)p->text[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0)
			len--;
		p->text[len] = '\0';
		prompt_apply(ui);
		break;
	case 21:	/* Ctrl-U */
		p->text[0] = '\0';
		prompt_apply(ui);
		break;
	default:
		if (key >= 0x20 && key < 0x100 && key != 127 && len + 1 < sizeof(p->text)) {
			p->text[len] = (char)key;
			p->text[len + 1] = '\0';
			prompt_apply(ui);
		}
		break;
	}
	return true;
}

void
prompt_draw(const struct ui *ui, int y)
{
	const struct prompt *p = &ui->prompt;
	const struct pane *pane = &ui->pane[p->pane];
	const char *hint = "Enter keep  Esc cancel  Ctrl-U clear";
	int x = 0, hw = ui_width(hint);

	ui_blank((struct rect){ y, 0, 1, COLS }, A_NORMAL);
	x += ui_putf(y, x, COLS, ui_color(UIC_PROMPT), 0, " Filter %s: ", pane->ops->title);
	x += ui_put(y, x, COLS - x - hw - 2, A_NORMAL, 0, p->text);
	ui_put(y, x, 1, A_REVERSE, 0, " ");
	ui_putf(y, x + 2, COLS - x - 2, ui_color(UIC_MUTED), 0, "%u of %u", pane->coll->n_vis,
		pane->coll->n_live);
	if (COLS - hw - 1 > x + 16)
		ui_put(y, COLS - hw - 1, hw, ui_color(UIC_MUTED), 0, hint);
}
