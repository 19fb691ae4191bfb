/*
 * pane: what the four panes share: selection that follows its object when
 * rows move, scrolling, sort and filter settings, and drawing columns. What
 * differs between panes is in their pane_ops (pane_*.c).
 */
#include "tui.h"

#include <string.h>

#include "srmigrate/util.h"

#define MAX_COLS 12

void
pane_init(struct pane *p, const struct pane_ops *ops, struct coll *c)
{
	memset(p, 0, sizeof(*p));
	p->ops = ops;
	p->coll = c;
	p->sort_col = ops->sort_col;
	p->sort_rev = ops->sort_rev;
	p->rows = 10;
	coll_set_sort(c, ops->cmp, ops->sort_col, ops->tie_col, ops->sort_rev);
	coll_set_filter(c, ops->match, "");
}

static uint32_t
row_id(const void *row)
{
	return *(const uint32_t *)row;
}

void
pane_sync(struct pane *p)
{
	struct coll *c = p->coll;
	uint32_t n, old_sel = p->sel, off = p->sel >= p->top ? p->sel - p->top : 0;
	bool found = false;

	coll_refresh(c);
	if (p->seen_gen == c->gen)
		return;
	p->seen_gen = c->gen;
	n = c->n_vis;
	if (p->has_sel) {
		for (uint32_t i = 0; i < n; i++) {
			if (row_id(coll_vis(c, i)) == p->sel_id) {
				p->sel = i;
				found = true;
				break;
			}
		}
	}
	if (!found)
		p->sel = old_sel < n ? old_sel : (n ? n - 1 : 0);
	/* Keep the selected line where it was on the screen. */
	p->top = p->sel >= off ? p->sel - off : 0;
	p->has_sel = n > 0;
	if (p->has_sel)
		p->sel_id = row_id(coll_vis(c, p->sel));
}

/*
 * By id, not by position: an action acts on the object the operator picked,
 * even if events moved it or removed it since (then there is none).
 */
const void *
pane_selected(const struct pane *p)
{
	return p->has_sel ? coll_get(p->coll, p->sel_id) : NULL;
}

void
pane_move(struct pane *p, enum ui_action a)
{
	uint32_t n = p->coll->n_vis, page = p->rows > 1 ? (uint32_t)p->rows - 1 : 1;
	int64_t sel = p->sel;

	if (n == 0)
		return;
	switch (a) {
	case ACT_UP: sel--; break;
	case ACT_DOWN: sel++; break;
	case ACT_PAGE_UP: sel -= page; break;
	case ACT_PAGE_DOWN: sel += page; break;
	case ACT_HOME: sel = 0; break;
	case ACT_END: sel = n - 1; break;
	default: return;
	}
	if (sel < 0)
		sel = 0;
	if (sel >= n)
		sel = n - 1;
	p->sel = (uint32_t)sel;
	p->sel_id = row_id(coll_vis(p->coll, p->sel));
	p->has_sel = true;
}

void
pane_sort_step(struct pane *p, int step)
{
	p->sort_col = (p->sort_col + step + p->ops->ncols) % p->ops->ncols;
	coll_set_sort(p->coll, p->ops->cmp, p->sort_col, p->ops->tie_col, p->sort_rev);
}

void
pane_sort_reverse(struct pane *p)
{
	p->sort_rev = !p->sort_rev;
	coll_set_sort(p->coll, p->ops->cmp, p->sort_col, p->ops->tie_col, p->sort_rev);
}

void
pane_set_filter(struct pane *p, const char *text)
{
	str_copy(p->filter, sizeof(p->filter), text);
	coll_set_filter(p->coll, p->ops->match, text);
}

/*
 * Which columns fit in @w and where they go: drop the droppable ones,
 * highest first, until the rest fits, then share what is left among the
 * flexible ones. @return the number of columns placed in @idx, @x, @cw.
 */
static int
layout_cols(const struct pane_ops *ops, int w, int *idx, int *x, int *cw)
{
	bool shown[MAX_COLS];
	int nshown = ops->ncols, need, nflex, extra, pos = 0, k = 0;

	for (int i = 0; i < ops->ncols; i++)
		shown[i] = true;
	for (;;) {
		int worst = -1;

		need = nshown - 1;
		for (int i = 0; i < ops->ncols; i++)
			if (shown[i])
				need += ops->cols[i].width;
		if (need <= w)
			break;
		for (int i = 0; i < ops->ncols; i++)
			if (shown[i] && ops->cols[i].drop > 0 &&
			    (worst < 0 || ops->cols[i].drop > ops->cols[worst].drop))
				worst = i;
		if (worst < 0)
			break;
		shown[worst] = false;
		nshown--;
	}
	nflex = 0;
	for (int i = 0; i < ops->ncols; i++)
		nflex += shown[i] && ops->cols[i].flex;
	extra = w > need ? w - need : 0;
	for (int i = 0; i < ops->ncols; i++) {
		if (!shown[i])
			continue;
		idx[k] = i;
		x[k] = pos;
		cw[k] = ops->cols[i].width;
		if (ops->cols[i].flex && nflex > 0) {
			int share = extra / nflex;

			cw[k] += share;
			extra -= share;
			nflex--;
		} else if (nflex == 0 && k == nshown - 1) {
			cw[k] += extra;	/* nothing flexible: the last column takes the rest */
		}
		pos += cw[k] + 1;
		k++;
	}
	return k;
}

static void
draw_colhead(const struct pane *p, struct rect r, int n, const int *idx, const int *x, const int *cw)
{
	ui_blank((struct rect){ r.y, r.x, 1, r.w }, ui_color(UIC_COLHEAD));
	for (int k = 0; k < n; k++) {
		const struct pane_col *col = &p->ops->cols[idx[k]];
		bool sorted = idx[k] == p->sort_col;
		char title[64];

		str_fmt(title, sizeof(title), "%s%s", col->title,
			sorted ? (p->sort_rev ? ui_glyph->down : ui_glyph->up) : "");
		ui_put(r.y, r.x + x[k], cw[k], ui_color(sorted ? UIC_SORTED : UIC_COLHEAD),
		       col->right ? PUT_RIGHT : PUT_PAD, title);
	}
}

void
pane_draw(const struct ui *ui, struct pane *p, struct rect r, bool focused)
{
	const struct coll *c = p->coll;
	int idx[MAX_COLS], x[MAX_COLS], cw[MAX_COLS], n, rows = r.h - 1;

	if (r.h < 2 || r.w < 4)
		return;
	n = layout_cols(p->ops, r.w, idx, x, cw);
	draw_colhead(p, r, n, idx, x, cw);
	p->rows = rows;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + (uint32_t)rows)
		p->top = p->sel - (uint32_t)rows + 1;
	if (c->n_vis <= (uint32_t)rows)
		p->top = 0;
	else if (p->top > c->n_vis - (uint32_t)rows)
		p->top = c->n_vis - (uint32_t)rows;
	ui_blank((struct rect){ r.y + 1, r.x, rows, r.w }, A_NORMAL);
	if (c->n_vis == 0) {
		const char *why = c->n_live == 0 ? "nothing reported yet" : "no row matches the filter";

		ui_put(r.y + 1 + rows / 2 - (rows > 1), r.x + (r.w - ui_width(why)) / 2, r.w,
		       ui_color(UIC_MUTED), 0, why);
		return;
	}
	for (int i = 0; i < rows; i++) {
		uint32_t pos = p->top + (uint32_t)i;
		const void *row = coll_vis(c, pos);
		bool sel = pos == p->sel;
		attr_t sel_attr = ui_color(focused ? UIC_SEL : UIC_SEL_DIM);

		if (row == NULL)
			break;
		if (sel)
			ui_blank((struct rect){ r.y + 1 + i, r.x, 1, r.w }, sel_attr);
		for (int k = 0; k < n; k++) {
			const struct pane_col *col = &p->ops->cols[idx[k]];
			char buf[512];
			enum uic color = p->ops->cell(ui, row, idx[k], buf, sizeof(buf));

			ui_put(r.y + 1 + i, r.x + x[k], cw[k], sel ? sel_attr : ui_color(color),
			       (col->right ? PUT_RIGHT : PUT_PAD) | PUT_ELLIPSIS, buf);
		}
	}
}

char *
pane_title(const struct ui *ui, int idx, char *buf, size_t n)
{
	const struct pane *p = &ui->pane[idx];
	char note[64] = "";
	size_t len;

	if (p->ops->note)
		p->ops->note(ui, note, sizeof(note));
	if (p->filter[0])
		len = (size_t)snprintf(buf, n, "%d %s (%u of %u", idx + 1, p->ops->title,
				       p->coll->n_vis, p->coll->n_live);
	else
		len = (size_t)snprintf(buf, n, "%d %s (%u", idx + 1, p->ops->title, p->coll->n_live);
	if (len < n)
		snprintf(buf + len, n - len, "%s%s)", note[0] ? ", " : "", note);
	return buf;
}
