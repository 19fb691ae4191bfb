/*
 * theme: colours by meaning, kept as data.
 *
 * Panes ask for a meaning (UIC_FAILED, UIC_RUNNING, ...) and never for a
 * colour. Each row of UI_COLORS gives the colour rendering and the
 * monochrome one; the monochrome theme is used when NO_COLOR is set (to
 * anything but the empty string, as no-color.org says) or when the terminal
 * cannot show eight colours.
 */
#include "tui.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

/* slot, foreground, background, colour attributes, monochrome attributes */
#define UI_COLORS(_) \
	_(NORMAL,       -1,            -1,            0,       0) \
	_(MUTED,        -1,            -1,            A_DIM,   A_DIM) \
	_(BRAND,        COLOR_CYAN,    -1,            A_BOLD,  A_BOLD) \
	_(BORDER,       -1,            -1,            0,       0) \
	_(BORDER_FOCUS, COLOR_CYAN,    -1,            A_BOLD,  A_BOLD) \
	_(TITLE,        -1,            -1,            A_BOLD,  A_BOLD) \
	_(TITLE_FOCUS,  COLOR_BLACK,   COLOR_CYAN,    0,       A_REVERSE) \
	_(COLHEAD,      COLOR_BLACK,   COLOR_GREEN,   0,       A_UNDERLINE) \
	_(SORTED,       COLOR_BLACK,   COLOR_CYAN,    A_BOLD,  A_REVERSE) \
	_(SEL,          COLOR_BLACK,   COLOR_CYAN,    0,       A_REVERSE) \
	_(SEL_DIM,      COLOR_BLACK,   COLOR_WHITE,   0,       A_BOLD) \
	_(FAILED,       COLOR_RED,     -1,            A_BOLD,  A_BOLD) \
	_(RUNNING,      COLOR_CYAN,    -1,            0,       0) \
	_(LAG,          COLOR_YELLOW,  -1,            0,       0) \
	_(DONE,         COLOR_GREEN,   -1,            0,       0) \
	_(WARN,         COLOR_YELLOW,  -1,            A_BOLD,  A_BOLD) \
	_(HELD,         COLOR_MAGENTA, -1,            A_BOLD,  A_BOLD) \
	_(STATE_OK,     COLOR_BLACK,   COLOR_GREEN,   0,       A_REVERSE) \
	_(STATE_WAIT,   COLOR_BLACK,   COLOR_YELLOW,  0,       A_REVERSE) \
	_(STATE_BAD,    COLOR_WHITE,   COLOR_RED,     A_BOLD,  A_REVERSE | A_BOLD) \
	_(FROZEN,       COLOR_BLACK,   COLOR_MAGENTA, 0,       A_REVERSE) \
	_(BAR_DONE,     COLOR_GREEN,   -1,            A_BOLD,  A_BOLD) \
	_(BAR_TODO,     -1,            -1,            A_DIM,   0) \
	_(FKEY,         -1,            -1,            A_BOLD,  A_BOLD) \
	_(FLABEL,       COLOR_BLACK,   COLOR_CYAN,    0,       A_REVERSE) \
	_(DIALOG,       COLOR_WHITE,   COLOR_BLUE,    0,       0) \
	_(DIALOG_TITLE, COLOR_YELLOW,  COLOR_BLUE,    A_BOLD,  A_BOLD) \
	_(BUTTON,       COLOR_WHITE,   COLOR_BLUE,    0,       0) \
	_(BUTTON_SEL,   COLOR_BLACK,   COLOR_CYAN,    A_BOLD,  A_REVERSE) \
	_(PROMPT,       -1,            -1,            A_BOLD,  A_BOLD)

struct color_def {
	short fg, bg;
	attr_t color_attr, mono_attr;
};

static const struct color_def color_defs[UIC_N] = {
#define COLOR_ROW(slot, f, b, ca, ma) [UIC_##slot] = { (f), (b), (ca), (ma) },
	UI_COLORS(COLOR_ROW)
#undef COLOR_ROW
};

static attr_t color_attr[UIC_N];

static const struct glyphs glyphs_utf8 = {
	.bar_full = "\xe2\x96\x88",	/* U+2588 full block */
	.bar_empty = "\xe2\x96\x91",	/* U+2591 light shade */
	.arrow = "\xe2\x96\xb8",	/* U+25B8 small right triangle */
	.ellipsis = "\xe2\x80\xa6",	/* U+2026 */
	.vsep = "\xe2\x94\x82",		/* U+2502 */
	.up = "\xe2\x96\xb4",		/* U+25B4 */
	.down = "\xe2\x96\xbe",		/* U+25BE */
	.check = "\xe2\x9c\x93",	/* U+2713 */
};

static const struct glyphs glyphs_ascii = {
	.bar_full = "#", .bar_empty = ".", .arrow = ">", .ellipsis = "~",
	.vsep = "|", .up = "^", .down = "v", .check = "*",
};

const struct glyphs *ui_glyph = &glyphs_ascii;

bool
theme_no_color_env(void)
{
	const char *v = getenv("NO_COLOR");

	return v != NULL && v[0] != '\0';
}

void
theme_init(void)
{
	const char *cs = nl_langinfo(CODESET);
	bool defaults, mono;

	ui_glyph = cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0) ?
		   &glyphs_utf8 : &glyphs_ascii;
	mono = theme_no_color_env() || !has_colors();
	if (!mono) {
		start_color();
		mono = COLORS < 8 || COLOR_PAIRS < UIC_N + 1;
	}
	if (mono) {
		for (int i = 0; i < UIC_N; i++)
			color_attr[i] = color_defs[i].mono_attr;
		return;
	}
	defaults = use_default_colors() == OK;
	for (int i = 0; i < UIC_N; i++) {
		short fg = color_defs[i].fg, bg = color_defs[i].bg;

		color_attr[i] = color_defs[i].color_attr;
		if (fg < 0 && bg < 0)
			continue;
		if (!defaults) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		init_pair((short)(i + 1), fg, bg);
		color_attr[i] |= COLOR_PAIR(i + 1);
	}
}

attr_t
ui_color(enum uic c)
{
	return (unsigned)c < UIC_N ? color_attr[c] : 0;
}
