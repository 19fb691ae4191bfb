/*
 * header: the two top lines. Line 0: both clusters (address, version, run
 * mode, connection with the age of the last answer) and the engine state.
 * Line 1: the official job counters with a progress bar, table counts,
 * throughput and the ETA the engine computed ("unknown" when it cannot).
 *
 * Each line is built from segments at a level of detail; the first level
 * that fits the width is drawn, so a narrow terminal loses decoration, never
 * a number.
 */
#include "tui.h"

#include <stdarg.h>
#include <string.h>

#include "srmigrate/util.h"

#define MAX_SEGS 32
#define STALE_ANSWER_MS 60000	/* an answer older than this shows in yellow */

struct seg {
	enum uic color;
	char text[200];
};

struct line {
	struct seg s[MAX_SEGS];
	int n, width;
};

static void
seg(struct line *l, enum uic c, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
seg(struct line *l, enum uic c, const char *fmt, ...)
{
	va_list ap;

	if (l->n == MAX_SEGS)
		return;
	va_start(ap, fmt);
	vsnprintf(l->s[l->n].text, sizeof(l->s[l->n].text), fmt, ap);
	va_end(ap);
	l->s[l->n].color = c;
	l->width += ui_width(l->s[l->n].text);
	l->n++;
}

/* Draw @l from @x in at most @w columns; the last segments are cut if need be. */
static int
line_draw(const struct line *l, int y, int x, int w)
{
	int used = 0;

	for (int i = 0; i < l->n && used < w; i++)
		used += ui_put(y, x + used, w - used, ui_color(l->s[i].color),
			       i == l->n - 1 ? PUT_ELLIPSIS : 0, l->s[i].text);
	return used;
}

static void
cluster_segs(struct line *l, const struct ui *ui, int side, int level)
{
	const struct model *m = &ui->model;
	const struct ev_cluster *c = &m->cluster[side];
	char age[32];

	seg(l, UIC_MUTED, "%s ", side ? "tgt" : "src");
	if (!m->have_cluster[side]) {
		seg(l, UIC_MUTED, "not reported yet");
		return;
	}
	seg(l, UIC_NORMAL, "%s", c->address);
	/* Levels: 0-1 everything, 2 the version without its build hash, 3 the run
	 * mode as SD/SN, 4 no version. */
	if (level < 4 && c->version[0])
		seg(l, UIC_NORMAL, " %.*s", level >= 2 ? (int)strcspn(c->version, "-") : 40,
		    c->version);
	if (level < 3 && c->run_mode[0])
		seg(l, UIC_NORMAL, " %s", c->run_mode);
	else if (c->run_mode[0])
		seg(l, UIC_NORMAL, " %s", strcmp(c->run_mode, "shared_data") == 0 ? "SD" : "SN");
	fmt_age(age, sizeof(age), c->last_ok_ms, ui_now(ui));
	if (c->connected)
		seg(l, ui_now(ui) - c->last_ok_ms > STALE_ANSWER_MS ? UIC_WARN : UIC_DONE,
		    " up %s", age);
	else if (c->last_ok_ms > 0)
		seg(l, UIC_FAILED, " DOWN %s", age);
	else
		seg(l, c->error[0] ? UIC_FAILED : UIC_WARN, " %s",
		    c->error[0] ? "DOWN" : "connecting");
}

static enum uic
state_color(enum engine_state s)
{
	switch (s) {
	case ENGINE_SYNCING: case ENGINE_DONE: return UIC_STATE_OK;
	case ENGINE_STOPPED: return UIC_STATE_BAD;
	default: return UIC_STATE_WAIT;
	}
}

static void
state_segs(struct line *l, const struct ui *ui, int level)
{
	const struct model *m = &ui->model;
	char clock[32];

	if (ui->stopping)
		seg(l, UIC_STATE_WAIT, " STOPPING ");
	else if (!m->have_engine)
		seg(l, UIC_STATE_WAIT, " STARTING ");
	else if ((m->engine.state == ENGINE_STOPPED || m->engine.state == ENGINE_DONE) &&
		 m->engine.reason[0])
		seg(l, state_color(m->engine.state), " %s: %s ", engine_state_name(m->engine.state),
		    m->engine.reason);
	else
		seg(l, state_color(m->engine.state), " %s ", engine_state_name(m->engine.state));
	if (m->have_engine && m->engine.forced)
		seg(l, UIC_WARN, " FORCED");
	if (ui_readonly(ui))
		seg(l, UIC_WARN, " READ-ONLY");
	if (m->frozen)
		seg(l, UIC_FROZEN, " FROZEN, %zu waiting ", model_deferred(m));
	if (level == 0)
		seg(l, UIC_NORMAL, " %.16s", fmt_time(clock, sizeof(clock), ui_now(ui)));
	else if (level == 1)
		seg(l, UIC_NORMAL, " %s", fmt_clock(clock, sizeof(clock), ui_now(ui)));
}

static void
draw_line0(const struct ui *ui)
{
	struct line left, right;

	for (int level = 0; level < 5; level++) {
		memset(&left, 0, sizeof(left));
		memset(&right, 0, sizeof(right));
		if (level < 1)
			seg(&left, UIC_BRAND, " srmigrate ");
		seg(&left, UIC_NORMAL, " ");
		cluster_segs(&left, ui, 0, level);
		seg(&left, UIC_MUTED, " %s ", ui_glyph->arrow);
		cluster_segs(&left, ui, 1, level);
		state_segs(&right, ui, level);
		if (left.width + right.width + 1 <= COLS)
			break;
	}
	ui_blank((struct rect){ 0, 0, 1, COLS }, A_NORMAL);
	line_draw(&left, 0, 0, COLS - right.width - 1);
	line_draw(&right, 0, COLS - right.width > 0 ? COLS - right.width : 0, COLS);
}

static void
counter(struct line *l, const char *label, uint32_t v, enum uic c)
{
	seg(l, UIC_NORMAL, " %s ", label);
	seg(l, v ? c : UIC_NORMAL, "%u", v);
}

/* Line 1 at @level without the bar; the bar goes after the first segment. */
static void
progress_segs(struct line *l, const struct ui *ui, int level)
{
	const struct ev_progress *p = &ui->model.progress;
	char a[32];

	if (p->total > 0)
		seg(l, UIC_NORMAL, " %5.1f%%", 100.0 * p->finished / p->total);
	else
		seg(l, UIC_NORMAL, "   n/a");
	if (p->ddl_pending)
		counter(l, "ddl", p->ddl_pending, UIC_NORMAL);
	counter(l, "pend", p->job_pending, UIC_NORMAL);
	counter(l, "sent", p->sent, UIC_RUNNING);
	counter(l, "run", p->running, UIC_RUNNING);
	counter(l, "done", p->finished, UIC_DONE);
	counter(l, "fail", p->failed, UIC_FAILED);
	if (p->unknown)
		counter(l, "unk", p->unknown, UIC_WARN);
	if (level < 4) {
		seg(l, UIC_MUTED, " %s", ui_glyph->vsep);
		seg(l, UIC_NORMAL, " Tables %u/%u", p->tables_finished, p->tables_total);
		if (level < 1 && p->tables_expired)
			seg(l, UIC_LAG, " expired %u", p->tables_expired);
		if (level < 1 && p->tables_blocked)
			seg(l, UIC_FAILED, " blocked %u", p->tables_blocked);
		if (level < 1 && p->tables_failed)
			seg(l, UIC_FAILED, " failed %u", p->tables_failed);
	}
	if (level < 2) {
		seg(l, UIC_MUTED, " %s", ui_glyph->vsep);
		if (p->bytes_per_s < 0)
			seg(l, UIC_NORMAL, " rate unknown");
		else
			seg(l, UIC_NORMAL, " %s/s", fmt_bytes(a, sizeof(a), (int64_t)p->bytes_per_s));
	}
	seg(l, UIC_MUTED, " %s", ui_glyph->vsep);
	seg(l, UIC_NORMAL, " ETA %s", fmt_duration(a, sizeof(a), p->eta_s));
}

static void
draw_bar(const struct ev_progress *p, int y, int x, int w)
{
	int fill = p->total ? (int)((int64_t)(w - 2) * p->finished / p->total) : 0;

	ui_put(y, x, 1, A_NORMAL, 0, "[");
	for (int i = 0; i < w - 2; i++)
		ui_put(y, x + 1 + i, 1, ui_color(i < fill ? UIC_BAR_DONE : UIC_BAR_TODO), 0,
		       i < fill ? ui_glyph->bar_full : ui_glyph->bar_empty);
	ui_put(y, x + w - 1, 1, A_NORMAL, 0, "]");
}

static void
draw_line1(const struct ui *ui)
{
	struct line l;
	int level, bar = 0, x;

	ui_blank((struct rect){ 1, 0, 1, COLS }, A_NORMAL);
	if (!ui->model.have_progress) {
		ui_put(1, 0, COLS, ui_color(UIC_MUTED), 0, " Jobs: no progress report yet");
		return;
	}
	for (level = 0; level < 5; level++) {
		int room;

		memset(&l, 0, sizeof(l));
		progress_segs(&l, ui, level);
		room = COLS - 5 - l.width - 1;
		/* The bar goes before the rate and after the tables. */
		if (level < 3 && room >= 12) {
			bar = room < 32 ? room : 32;
			break;
		}
		if (level >= 3 && room >= 0) {
			bar = 0;
			break;
		}
	}
	x = ui_put(1, 0, COLS, A_NORMAL, 0, " Jobs");
	if (bar > 0) {
		draw_bar(&ui->model.progress, 1, x + 1, bar);
		x += bar + 1;
	}
	line_draw(&l, 1, x, COLS - x);
}

void
header_draw(const struct ui *ui)
{
	draw_line0(ui);
	draw_line1(ui);
}
