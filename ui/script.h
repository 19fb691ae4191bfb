/*
 * script: keys and commands read from a file instead of the keyboard, for
 * tests (ui_opts.script, SRMIGRATE_SCRIPT). One token per line or several
 * separated by blanks; a line starting with ':' is one command; '#' starts
 * a comment line.
 *   plain text      each byte is a key ("ord" types o, r, d)
 *   <Name>          Enter Esc Tab S-Tab Space Backspace Up Down Left Right
 *                   PgUp PgDn Home End F1..F12, C-a..C-z (control keys)
 *   :wait-events    drain the event ring until it is empty
 *   :wait-events N  drain until N events were applied since the start (30 s at most)
 *   :sleep MS       run the loop for MS milliseconds without input
 *   :resize CxL     resize the screen to C columns and L lines
 *   :save-display F dump the screen as text into file F
 *   :save-colors F  dump one character per cell naming its colour
 *   :signal         act as if SIGINT arrived
 */
#ifndef SRMIGRATE_UI_SCRIPT_H
#define SRMIGRATE_UI_SCRIPT_H

#include <stddef.h>

enum script_op {
	SOP_KEY, SOP_WAIT_EVENTS, SOP_SLEEP, SOP_RESIZE, SOP_SAVE_DISPLAY, SOP_SAVE_COLORS,
	SOP_SIGNAL,
};

struct script_step {
	enum script_op op;
	int key;		/* SOP_KEY */
	long a, b;		/* counts, milliseconds, columns and lines */
	char *path;		/* SOP_SAVE_* */
};

struct script;

/* NULL with a message in @err when the file cannot be read or parsed. */
struct script *script_load(const char *path, char *err, size_t errlen);
/* The next step, or NULL at the end. */
const struct script_step *script_next(struct script *s);
void script_free(struct script *s);

#endif /* SRMIGRATE_UI_SCRIPT_H */
