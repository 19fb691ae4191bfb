/*
 * tui: the inside of the terminal UI, shared by the files of ui/.
 *
 * One struct ui holds everything: the model the panes draw from, the four
 * panes, the stack of screens, the overlay (dialog or filter prompt), the
 * message line and the loop's timing. Only the main thread touches it, and
 * only the main thread calls curses.
 *
 * Drawing: every frame repaints stdscr from the model (curses sends only
 * what changed to the terminal); nothing draws outside screen_draw, and
 * nothing but the loop calls doupdate.
 */
#ifndef SRMIGRATE_UI_TUI_H
#define SRMIGRATE_UI_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "curses.h"
#include "keys.h"
#include "model.h"
#include "srmigrate/event.h"
#include "srmigrate/ring.h"
#include "srmigrate/ui.h"

#define UI_MIN_COLS	80
#define UI_MIN_LINES	24
#define UI_WIDE_COLS	160	/* from here the four panes sit 2 x 2 */
#define UI_FRAME_MS	100	/* at most ten frames a second */
#define UI_STOP_WAIT_MS	15000	/* how long q waits for the engine to end */
#define UI_MSG_MS	6000	/* how long a message hides the log line */

/* --- theme.c: colours by meaning ------------------------------------------ */

enum uic {
	UIC_NORMAL, UIC_MUTED, UIC_BRAND, UIC_BORDER, UIC_BORDER_FOCUS, UIC_TITLE,
	UIC_TITLE_FOCUS, UIC_COLHEAD, UIC_SORTED, UIC_SEL, UIC_SEL_DIM,
	UIC_FAILED, UIC_RUNNING, UIC_LAG, UIC_DONE, UIC_WARN, UIC_HELD,
	UIC_STATE_OK, UIC_STATE_WAIT, UIC_STATE_BAD, UIC_FROZEN,
	UIC_BAR_DONE, UIC_BAR_TODO, UIC_FKEY, UIC_FLABEL,
	UIC_DIALOG, UIC_DIALOG_TITLE, UIC_BUTTON, UIC_BUTTON_SEL, UIC_PROMPT,
	UIC_N
};

/* Characters that need UTF-8, with ASCII stand-ins in other locales. */
struct glyphs {
	const char *bar_full, *bar_empty, *arrow, *ellipsis, *vsep, *up, *down, *check;
};

extern const struct glyphs *ui_glyph;

void theme_init(void);		/* after the screen is up */
bool theme_no_color_env(void);
attr_t ui_color(enum uic c);

/* --- draw.c: text in cells ------------------------------------------------- */

struct rect {
	int y, x, h, w;
};

#define PUT_PAD		1u	/* blank the rest of the width */
#define PUT_RIGHT	2u	/* align to the right end */
#define PUT_ELLIPSIS	4u	/* mark a cut text */

/*
 * Write @s at (@y, @x) in at most @w columns, multibyte-aware; control
 * characters show as blanks. @return the columns written.
 */
int ui_put(int y, int x, int w, attr_t attr, unsigned flags, const char *s);
int ui_putf(int y, int x, int w, attr_t attr, unsigned flags, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
int ui_width(const char *s);
void ui_blank(struct rect r, attr_t attr);
void ui_frame(struct rect r, attr_t attr);

char *fmt_count(char *dst, size_t n, int64_t v);	/* 1234567 -> "1.2M" */
char *fmt_exact(char *dst, size_t n, int64_t v);	/* 1234567 -> "1,234,567" */
/* "5m" since @since_ms; "-" when @since_ms is 0. */
char *fmt_age(char *dst, size_t n, int64_t since_ms, int64_t now_ms);
char *fmt_clock(char *dst, size_t n, int64_t epoch_ms);	/* "14:03:11" */

/* Lines of text for the scrolling screens (help, details, checklist). */
struct tline {
	enum uic color;
	char *s;
};

struct text {
	struct tline *l;
	int n, cap;
};

void text_add(struct text *t, enum uic c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* @lead then @s, word-wrapped to @width; later lines indented like @s. */
void text_wrap(struct text *t, enum uic c, int width, const char *lead, const char *s);
void text_free(struct text *t);
void text_draw(const struct text *t, struct rect r, int top);

/* --- panes ------------------------------------------------------------------ */

enum pane_id { PANE_JOBS, PANE_TABLES, PANE_DDL, PANE_NODES, PANE_N };

struct pane_col {
	const char *title;
	int width;		/* display columns; at least this when flex */
	bool flex;		/* shares what the fixed columns leave */
	bool right;		/* numbers: aligned right */
	int drop;		/* dropped when narrow, highest first; 0 never */
};

struct ui;

/*
 * What one pane is: its columns and how to show, order, filter and act on
 * its rows. Rows come from the model collection @kind. The hooks only read
 * the model; act may open a dialog or say why it cannot act.
 */
struct pane_ops {
	const char *title;
	enum m_kind kind;
	const struct pane_col *cols;
	int ncols;
	int sort_col, tie_col;	/* the default sort, and what breaks ties */
	bool sort_rev;
	/* Text of cell @col of @row into @buf. @return its colour. */
	enum uic (*cell)(const struct ui *ui, const void *row, int col, char *buf, size_t n);
	coll_cmp_fn cmp;
	coll_match_fn match;
	/* The details screen of @row: "what" (e.g. "Table sales.orders") and lines. */
	void (*details)(const struct ui *ui, const void *row, int width, struct text *out);
	const char *(*what)(const void *row, char *buf, size_t n);
	/* r, a, x on @row. */
	void (*act)(struct ui *ui, enum ui_action a, const void *row);
	/* Added to the pane title after the counts, e.g. "2 held"; may be NULL. */
	void (*note)(const struct ui *ui, char *buf, size_t n);
};

extern const struct pane_ops pane_jobs_ops, pane_tables_ops, pane_ddl_ops, pane_nodes_ops;

struct pane {
	const struct pane_ops *ops;
	struct coll *coll;
	uint32_t sel, top;	/* positions in the view */
	uint32_t sel_id;	/* the selected object: kept when rows move */
	bool has_sel;
	uint64_t seen_gen;
	int sort_col;
	bool sort_rev;
	char filter[COLL_NEEDLE];
	int rows;		/* data rows at the last draw: the page size */
};

void pane_init(struct pane *p, const struct pane_ops *ops, struct coll *c);
/* Bring the view up to date and find the selected object again. */
void pane_sync(struct pane *p);
const void *pane_selected(const struct pane *p);
void pane_move(struct pane *p, enum ui_action a);
void pane_sort_step(struct pane *p, int step);
void pane_sort_reverse(struct pane *p);
void pane_set_filter(struct pane *p, const char *text);
/* Column header and rows inside @r. */
void pane_draw(const struct ui *ui, struct pane *p, struct rect r, bool focused);
/* "1 Jobs 12/340" and the like, for frames and tabs. */
char *pane_title(const struct ui *ui, int idx, char *buf, size_t n);

/* --- dialog.c: overlays ----------------------------------------------------- */

/*
 * A dialog is a small state machine drawn over the screen:
 * CONFIRM --y--> (command sent) NONE, or FAILED when the command ring is full;
 * INFO waits for any key; WAIT takes no key (the loop ends it).
 */
enum dlg_state { DLG_NONE, DLG_CONFIRM, DLG_FAILED, DLG_INFO, DLG_WAIT };
enum dlg_then { THEN_NOTHING, THEN_STOP };

struct dialog {
	enum dlg_state state;
	bool yes;		/* the highlighted button; No to begin with */
	bool has_cmd;
	struct command cmd;	/* sent on yes */
	enum dlg_then then;	/* and then: begin the stop (q) */
	char title[96];
	char text[1536];
};

void dialog_confirm(struct ui *ui, const char *title, const struct command *cmd,
		    enum dlg_then then, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void dialog_info(struct ui *ui, enum dlg_state state, const char *title, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* @return true when a dialog is up and took @key. */
bool dialog_key(struct ui *ui, int key);
void dialog_draw(const struct ui *ui);

/* The filter prompt, on the log line: filters as you type. */
struct prompt {
	bool active;
	int pane;
	char text[COLL_NEEDLE];
	char before[COLL_NEEDLE];	/* restored by Esc */
};

void prompt_open(struct ui *ui);
bool prompt_key(struct ui *ui, int key);
void prompt_draw(const struct ui *ui, int y);

/* --- the UI ----------------------------------------------------------------- */

struct script;

struct ui {
	const struct ui_opts *opts;
	struct ring *events, *commands;
	struct model model;
	struct pane pane[PANE_N];
	int focus;
	bool zoom, too_small;
	enum ui_view stack[8];		/* screens; the last is shown */
	int depth;
	bool first_checklist;		/* the checklist is up as the first screen */
	struct dialog dlg;
	struct prompt prompt;
	char msg[512];			/* hides the log line until msg_until */
	enum uic msg_color;
	int64_t msg_until;
	int scroll;			/* first line shown on help and details */
	int scroll_lines, scroll_rows;	/* their size at the last draw */
	uint32_t check_sel, check_top;	/* checklist selection */
	int details_pane;
	uint32_t details_id;
	bool dirty, force_draw;
	int64_t last_draw;
	bool stopping, stop_sent;
	int64_t stop_deadline;
	int stop_signals;		/* srm_stop_signal when the stop began */
	bool quit_shown;		/* EV_QUIT arrived on its own and is on screen */
	bool done;
	int status;
	int64_t fixed_clock;		/* test hook: wall clock in ms, 0 = real */
	struct script *script;
};

/* ui.c */
/* A UI with its model and panes, no terminal (ui_run, the bench). */
void ui_init(struct ui *ui, const struct ui_opts *opts, struct ring *events,
	     struct ring *commands);
void ui_fini(struct ui *ui);
int64_t ui_now(const struct ui *ui);	/* wall clock, ms */
enum ui_view ui_view(const struct ui *ui);
void ui_open_view(struct ui *ui, enum ui_view v);
void ui_close_view(struct ui *ui);
bool ui_send(struct ui *ui, const struct command *cmd);
void ui_message(struct ui *ui, enum uic c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ui_begin_stop(struct ui *ui);
bool ui_readonly(const struct ui *ui);
struct pane *ui_focused(struct ui *ui);

/* term.c: the terminal. term_die_check runs at every turn of the loop. */
int term_open(const struct ui_opts *opts, char *err, size_t errlen);
void term_close(void);
void term_die_check(void);

/* action.c: a key no overlay took. */
void action_key(struct ui *ui, int key);
/* A command for @type about @id, ready for dialog_confirm. */
struct command action_cmd(enum cmd_type type, uint32_t id, const char *arg);

/* screen.c */
/* Bring every view up to date with the model: before a frame and before a key. */
void screen_sync(struct ui *ui);
void screen_draw(struct ui *ui);
/* Text of the whole screen, or one character per cell naming its colour. */
void screen_dump(FILE *out, bool colors);

/* header.c: lines 0 and 1. */
void header_draw(const struct ui *ui);

/* help.c, checklist.c, cutover.c, details.c: the other screens. */
void help_text(const struct ui *ui, int width, struct text *out);
void help_draw(struct ui *ui, struct rect r);
void checklist_draw(struct ui *ui, struct rect r);
bool checklist_action(struct ui *ui, enum ui_action a);
uint32_t checklist_blocking(const struct model *m, const struct ev_check **first);
void cutover_draw(struct ui *ui, struct rect r);
bool cutover_action(struct ui *ui, enum ui_action a);
void details_open(struct ui *ui);
const void *details_row(const struct ui *ui);
void details_draw(struct ui *ui, struct rect r);
/* Up, down, pages on a scrolling text of @lines lines in @rows rows. */
void scroll_move(int *top, enum ui_action a, int lines, int rows);

#endif /* SRMIGRATE_UI_TUI_H */
