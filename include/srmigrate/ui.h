/*
 * ui: the ncurses front end (ui/), seen from main.c. No curses type crosses
 * this header, so src/ can call it without including curses.
 *
 * ui_run owns the terminal on the calling (main) thread until it returns. It
 * reads events from @events (it is that ring's only consumer) and writes
 * commands to @commands (its only producer). It never touches the network.
 */
#ifndef SRMIGRATE_UI_H
#define SRMIGRATE_UI_H

#include <stdbool.h>
#include <stdio.h>

#include "srmigrate/ring.h"

struct ui_opts {
	bool readonly;		/* --readonly: every writing action is refused */
	bool confirm_drops;	/* drops wait for a/x (ddl_job_confirm_drops) */
	const char *log_dir;	/* shown in help and on exit */
	const char *conf_dir;
	/*
	 * Test hooks (environment SRMIGRATE_SCRIPT / SRMIGRATE_NO_DISPLAY):
	 * keys and commands come from @script instead of the keyboard, and the
	 * screen is drawn into memory when @no_display is set.
	 */
	const char *script;
	bool no_display;
};

/*
 * Run until the operator quits or the engine ends.
 * @return the process exit status (0 on a clean quit).
 */
int ui_run(const struct ui_opts *opts, struct ring *events, struct ring *commands);

/*
 * Print the KEY BINDINGS section of srmigrate(1) in mdoc, made from the
 * UI's one table of actions and keys, so the man page cannot drift.
 */
void ui_keys_mdoc(FILE *out);

#endif /* SRMIGRATE_UI_H */
