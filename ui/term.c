/*
 * term: the terminal while the UI owns it.
 *
 * A real terminal gets newterm on stdin/stdout; with no_display (tests,
 * the bench) curses draws into memory through /dev/null, at the size that
 * LINES and COLUMNS give. While curses runs on a real terminal, stderr goes
 * to a temporary file that is printed after endwin (htop's way), so a
 * library's message never lands in the middle of the picture. The die hook
 * (srm_set_die_hook) puts the terminal back before a fatal error is printed.
 */
#include "tui.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "srmigrate/util.h"

/* The terminal as ui_run found it, for the die hook. One UI at a time. */
static struct {
	bool active, real;
	SCREEN *screen;
	FILE *null_out, *null_in;
	pthread_t thread;
	struct termios tio;
	bool have_tio;
	char *reset;		/* rmcup, cnorm, rmkx: the way back, written by hand */
	int saved_stderr;
	FILE *captured;
} term = { .saved_stderr = -1 };

/* --- stderr while curses runs -------------------------------------------------- */

static void
stderr_capture(void)
{
	fflush(stderr);
	term.captured = tmpfile();
	if (term.captured == NULL)
		return;
	term.saved_stderr = dup(STDERR_FILENO);
	if (term.saved_stderr < 0 || dup2(fileno(term.captured), STDERR_FILENO) < 0) {
		fclose(term.captured);
		term.captured = NULL;
	}
}

static void
stderr_release(void)
{
	char buf[4096];
	size_t n;

	if (term.captured == NULL)
		return;
	fflush(stderr);
	dup2(term.saved_stderr, STDERR_FILENO);
	close(term.saved_stderr);
	term.saved_stderr = -1;
	rewind(term.captured);
	while ((n = fread(buf, 1, sizeof(buf), term.captured)) > 0)
		fwrite(buf, 1, n, stderr);
	fclose(term.captured);
	term.captured = NULL;
}

/* --- the terminal ------------------------------------------------------------- */

static void
term_save_reset(void)
{
	const char *caps[] = { "rmcup", "cnorm", "rmkx" };
	size_t len = 0;

	term.reset = xcalloc(1, 256);
	for (size_t i = 0; i < ARRAY_LEN(caps); i++) {
		const char *s = tigetstr(caps[i]);

		if (s != NULL && s != (char *)-1 && len + strlen(s) < 255) {
			memcpy(term.reset + len, s, strlen(s));
			len += strlen(s);
		}
	}
}

/*
 * A fatal error on another thread (the engine out of memory) asks the UI
 * thread to put the terminal back, since only it may call curses, and waits
 * a moment for it: REQUESTED, then DONE once endwin has run.
 */
enum { DIE_NONE, DIE_REQUESTED, DIE_DONE };
static _Atomic int die_state;

#define DIE_WAIT_MS 500

/* The UI thread's side, at every turn of the loop: never returns once asked. */
void
term_die_check(void)
{
	if (atomic_load(&die_state) != DIE_REQUESTED)
		return;
	endwin();
	atomic_store(&die_state, DIE_DONE);
	for (;;)
		sleep_ms(1000);	/* the dying thread exits the process */
}

/*
 * The die hook. On the UI thread endwin does it. From another thread the UI
 * thread is asked; if it does not answer (stuck), the modes and strings
 * saved at start put the terminal back without curses.
 */
static void
term_die_hook(void)
{
	if (!term.active)
		return;
	if (pthread_equal(pthread_self(), term.thread)) {
		term.active = false;
		endwin();
	} else {
		int expected = DIE_NONE;

		atomic_compare_exchange_strong(&die_state, &expected, DIE_REQUESTED);
		for (int i = 0; i < DIE_WAIT_MS && atomic_load(&die_state) != DIE_DONE; i++)
			sleep_ms(1);
		if (atomic_load(&die_state) != DIE_DONE && term.real) {
			if (term.have_tio)
				tcsetattr(STDIN_FILENO, TCSANOW, &term.tio);
			if (term.reset != NULL &&
			    write(STDOUT_FILENO, term.reset, strlen(term.reset)) < 0)
				errno = 0;
		}
		term.active = false;
	}
	stderr_release();
}

int
term_open(const struct ui_opts *opts, char *err, size_t errlen)
{
	memset(&term, 0, sizeof(term));
	term.saved_stderr = -1;
	term.thread = pthread_self();
	if (opts->no_display) {
		const char *name = getenv("TERM");

		term.null_out = fopen("/dev/null", "w");
		term.null_in = fopen("/dev/null", "r");
		if (term.null_out == NULL || term.null_in == NULL) {
			snprintf(err, errlen, "/dev/null: %s", strerror(errno));
			return -1;
		}
		term.screen = newterm(name && name[0] ? name : "xterm", term.null_out, term.null_in);
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			snprintf(err, errlen, "the terminal UI needs a terminal (use --no-tui)");
			return -1;
		}
		term.real = true;
		term.have_tio = tcgetattr(STDIN_FILENO, &term.tio) == 0;
		term.screen = newterm(NULL, stdout, stdin);
	}
	if (term.screen == NULL) {
		snprintf(err, errlen, "cannot use the terminal '%s'", getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	set_term(term.screen);
	atomic_store(&die_state, DIE_NONE);
	term_save_reset();
	if (term.real)
		stderr_capture();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	set_escdelay(25);
	curs_set(0);
	theme_init();
	term.active = true;
	srm_set_die_hook(term_die_hook);
	return 0;
}

void
term_close(void)
{
	srm_set_die_hook(NULL);
	if (term.active) {
		term.active = false;
		endwin();
	}
	if (term.screen != NULL)
		delscreen(term.screen);
	term.screen = NULL;
	stderr_release();
	if (term.null_out)
		fclose(term.null_out);
	if (term.null_in)
		fclose(term.null_in);
	free(term.reset);
	memset(&term, 0, sizeof(term));
	term.saved_stderr = -1;
}
