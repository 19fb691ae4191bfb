/*
 * keys: the one table of actions and the keys bound to them.
 *
 * Everything about keys comes from UI_ACTIONS: the enum of actions, the key
 * dispatch (ui_keys_lookup), the help screen, the function-key bar and the
 * KEY BINDINGS section of the man page (ui_keys_mdoc). Add a row here and
 * all of them follow.
 *
 * A row: _(ID, name, group, views, flags, bar label, help, keys...)
 *   name    short name, used in messages ("read-only: pause is disabled")
 *   group   heading in the help screen and the man page
 *   views   the screens where the binding applies (a key means one action
 *           per screen; test_keys checks there is no clash)
 *   flags   AF_WRITES: changes a cluster, refused with --readonly
 *   bar     label in the function-key bar of those screens, or NULL
 *   keys    up to four key codes; the first printable alias is shown
 */
#ifndef SRMIGRATE_UI_KEYS_H
#define SRMIGRATE_UI_KEYS_H

#include <stdbool.h>
#include <stdio.h>

#include "curses.h"

enum ui_view { VIEW_MAIN, VIEW_CHECKLIST, VIEW_CUTOVER, VIEW_DETAILS, VIEW_HELP, VIEW_N };

#define V_MAIN		(1u << VIEW_MAIN)
#define V_CHECKLIST	(1u << VIEW_CHECKLIST)
#define V_CUTOVER	(1u << VIEW_CUTOVER)
#define V_DETAILS	(1u << VIEW_DETAILS)
#define V_HELP		(1u << VIEW_HELP)
#define V_SCROLL	(V_MAIN | V_CHECKLIST | V_CUTOVER | V_DETAILS | V_HELP)
#define V_ALL		(V_MAIN | V_CHECKLIST | V_CUTOVER | V_DETAILS | V_HELP)

enum ui_group { G_MOVE, G_VIEW, G_CONTROL, G_CHECKLIST, G_CUTOVER, G_OTHER, G_N };

#define AF_WRITES	1u

#define KEY_ESC		27
#define KEY_CTRL_L	12

#define UI_ACTIONS(_) \
	_(FOCUS_JOBS,   "focus-jobs",   G_MOVE, V_MAIN, 0, NULL, \
	  "Focus the Jobs pane", '1') \
	_(FOCUS_TABLES, "focus-tables", G_MOVE, V_MAIN, 0, NULL, \
	  "Focus the Tables pane", '2') \
	_(FOCUS_DDL,    "focus-ddl",    G_MOVE, V_MAIN, 0, NULL, \
	  "Focus the DDL queue pane", '3') \
	_(FOCUS_NODES,  "focus-nodes",  G_MOVE, V_MAIN, 0, NULL, \
	  "Focus the Nodes pane", '4') \
	_(FOCUS_NEXT,   "focus-next",   G_MOVE, V_MAIN, 0, NULL, \
	  "Focus the next pane", '\t') \
	_(FOCUS_PREV,   "focus-prev",   G_MOVE, V_MAIN, 0, NULL, \
	  "Focus the previous pane", KEY_BTAB) \
	_(UP,           "up",           G_MOVE, V_SCROLL, 0, NULL, \
	  "Move the selection up", KEY_UP, 'k') \
	_(DOWN,         "down",         G_MOVE, V_SCROLL, 0, NULL, \
	  "Move the selection down", KEY_DOWN, 'j') \
	_(PAGE_UP,      "page-up",      G_MOVE, V_SCROLL, 0, NULL, \
	  "Go one page up", KEY_PPAGE) \
	_(PAGE_DOWN,    "page-down",    G_MOVE, V_SCROLL, 0, NULL, \
	  "Go one page down", KEY_NPAGE) \
	_(HOME,         "home",         G_MOVE, V_SCROLL, 0, NULL, \
	  "Go to the first row", KEY_HOME) \
	_(END,          "end",          G_MOVE, V_SCROLL, 0, NULL, \
	  "Go to the last row", KEY_END) \
	_(FILTER,       "filter",       G_VIEW, V_MAIN, 0, "Filter", \
	  "Filter the focused pane: rows containing the text, any case", '/') \
	_(CLEAR_FILTER, "clear-filter", G_VIEW, V_MAIN, 0, NULL, \
	  "Clear the filter of the focused pane", '\\') \
	_(SORT_PREV,    "sort-prev",    G_VIEW, V_MAIN, 0, NULL, \
	  "Sort by the column to the left", '<') \
	_(SORT_NEXT,    "sort-next",    G_VIEW, V_MAIN, 0, NULL, \
	  "Sort by the column to the right", '>') \
	_(SORT_REVERSE, "sort-reverse", G_VIEW, V_MAIN, 0, NULL, \
	  "Reverse the sort order", 'o') \
	_(DETAILS,      "details",      G_VIEW, V_MAIN, 0, NULL, \
	  "Details of the selected row", '\n', '\r', KEY_ENTER) \
	_(ZOOM,         "zoom",         G_VIEW, V_MAIN, 0, "Zoom", \
	  "Zoom the focused pane to the whole screen, and back", 'z') \
	_(FREEZE,       "freeze",       G_VIEW, V_MAIN, 0, NULL, \
	  "Freeze the display (the migration goes on), and thaw it", ' ') \
	_(BACK,         "back",         G_VIEW, V_CHECKLIST | V_CUTOVER | V_DETAILS | V_HELP, 0, \
	  "Back", "Leave this screen", KEY_ESC) \
	_(CLOSE,        "close",        G_VIEW, V_DETAILS | V_HELP, 0, NULL, \
	  "Close this screen", 'q') \
	_(PAUSE,        "pause",        G_CONTROL, V_MAIN | V_DETAILS, AF_WRITES, "Pause", \
	  "Pause or resume the migration (asks first)", 'P') \
	_(RETRY,        "retry",        G_CONTROL, V_MAIN | V_DETAILS, AF_WRITES, "Retry", \
	  "Retry the selected failed job or table, or check a blocked table again (asks first)", 'r') \
	_(RETRY_ALL,    "retry-all",    G_CONTROL, V_MAIN, AF_WRITES, "Retry all", \
	  "Retry every failed job and table, and check the blocked ones again (asks first)", 'R') \
	_(APPROVE,      "approve",      G_CONTROL, V_MAIN | V_DETAILS, AF_WRITES, "Approve", \
	  "Approve the selected held DDL: it drops data on the target (asks first)", 'a') \
	_(SKIP,         "skip",         G_CONTROL, V_MAIN | V_DETAILS, AF_WRITES, NULL, \
	  "Skip the selected held DDL: it never runs (asks first)", 'x') \
	_(CUTOVER,      "cutover",      G_CONTROL, V_MAIN, 0, "Cutover", \
	  "Open the cutover wizard", 'c') \
	_(CHECKLIST,    "checklist",    G_CONTROL, V_MAIN | V_CUTOVER | V_DETAILS, 0, "Checklist", \
	  "Show the pre-flight checklist", KEY_F(2)) \
	_(CONTINUE,     "continue",     G_CHECKLIST, V_CHECKLIST, 0, "Start", \
	  "Start migrating (when no check blocks)", '\n', '\r', KEY_ENTER) \
	_(FIX,          "fix",          G_CHECKLIST, V_CHECKLIST, AF_WRITES, "Fix", \
	  "Apply the fix of the selected check (shows the statement, asks first)", 'f') \
	_(FORCE,        "force",        G_CHECKLIST, V_CHECKLIST, AF_WRITES, "Override", \
	  "Start although a check blocks (names the risk, asks first)", '!') \
	_(RECHECK,      "recheck",      G_CHECKLIST, V_CHECKLIST, 0, "Recheck", \
	  "Run the checklist again", 'R', KEY_F(5)) \
	_(CUT_NEXT,     "cutover-next", G_CUTOVER, V_CUTOVER, AF_WRITES, "Next step", \
	  "Go on with the current step when its gate holds (asks for the steps that change something)", \
	  '\n', '\r', KEY_ENTER, 'y') \
	_(CUT_START,    "cutover-start", G_CUTOVER, V_CUTOVER, AF_WRITES, "Start", \
	  "Start the cutover", 'c') \
	_(CUT_ABORT,    "cutover-abort", G_CUTOVER, V_CUTOVER, AF_WRITES, "Abort", \
	  "Abort the cutover; syncing goes on (asks first)", 'A') \
	_(HELP,         "help",         G_OTHER, V_ALL, 0, "Help", \
	  "Show the keys of every screen", KEY_F(1), '?') \
	_(REDRAW,       "redraw",       G_OTHER, V_ALL, 0, NULL, \
	  "Redraw the whole screen", KEY_CTRL_L) \
	_(QUIT,         "quit",         G_OTHER, V_MAIN | V_CHECKLIST | V_CUTOVER, 0, "Quit", \
	  "Quit; asks while jobs run (they go on in the cluster and are picked up on restart)", \
	  'q', KEY_F(10))

enum ui_action {
	ACT_NONE,
#define ACTION_ENUM(id, ...) ACT_##id,
	UI_ACTIONS(ACTION_ENUM)
#undef ACTION_ENUM
	ACT_N
};

#define UI_KEYS_MAX 4

struct ui_action_info {
	const char *name;
	enum ui_group group;
	unsigned views;
	unsigned flags;
	const char *bar;
	const char *help;
	int keys[UI_KEYS_MAX];
};

/* Indexed by enum ui_action; row ACT_NONE is empty. */
extern const struct ui_action_info ui_actions[ACT_N];

/* The action @key stands for on screen @view, or ACT_NONE. */
enum ui_action ui_keys_lookup(enum ui_view view, int key);
/* "Enter", "F2", "PgDn", "j" ...; NULL for an alias never shown (CR). */
const char *ui_key_name(int key);
/* "j/Down": the shown names of an action's keys, into @buf. */
char *ui_action_keys(enum ui_action a, char *buf, size_t n);
const char *ui_group_title(enum ui_group g);
const char *ui_view_title(enum ui_view v);
/* ui_keys_mdoc, the man page's KEY BINDINGS, is declared in srmigrate/ui.h. */

#endif /* SRMIGRATE_UI_KEYS_H */
