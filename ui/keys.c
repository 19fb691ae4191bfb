/* keys: the action table of keys.h, its lookup, and what is made from it. */
#include "keys.h"

#include <string.h>

#include "srmigrate/ui.h"
#include "srmigrate/util.h"

const struct ui_action_info ui_actions[ACT_N] = {
#define ACTION_ROW(id, nm, grp, vw, fl, br, hl, ...) \
	[ACT_##id] = { .name = (nm), .group = (grp), .views = (vw), .flags = (fl), \
		       .bar = (br), .help = (hl), .keys = { __VA_ARGS__ } },
	UI_ACTIONS(ACTION_ROW)
#undef ACTION_ROW
};

enum ui_action
ui_keys_lookup(enum ui_view view, int key)
{
	if (key <= 0)
		return ACT_NONE;
	for (int a = ACT_NONE + 1; a < ACT_N; a++) {
		if (!(ui_actions[a].views & (1u << view)))
			continue;
		for (int k = 0; k < UI_KEYS_MAX && ui_actions[a].keys[k]; k++)
			if (ui_actions[a].keys[k] == key)
				return (enum ui_action)a;
	}
	return ACT_NONE;
}

const char *
ui_key_name(int key)
{
	static const char *const fkeys[] = {
		"F0", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12",
	};
	static char printable[128][2];

	switch (key) {
	case '\n': return "Enter";
	case '\r': case KEY_ENTER: return NULL;
	case '\t': return "Tab";
	case ' ': return "Space";
	case KEY_ESC: return "Esc";
	case KEY_CTRL_L: return "Ctrl-L";
	case KEY_BTAB: return "Shift-Tab";
	case KEY_UP: return "Up";
	case KEY_DOWN: return "Down";
	case KEY_LEFT: return "Left";
	case KEY_RIGHT: return "Right";
	case KEY_PPAGE: return "PgUp";
	case KEY_NPAGE: return "PgDn";
	case KEY_HOME: return "Home";
	case KEY_END: return "End";
	default: break;
	}
	if (key >= KEY_F(0) && key <= KEY_F(12))
		return fkeys[key - KEY_F(0)];
	if (key > ' ' && key < 127) {
		printable[key][0] = (char)key;
		return printable[key];
	}
	return NULL;
}

char *
ui_action_keys(enum ui_action a, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int k = 0; k < UI_KEYS_MAX && ui_actions[a].keys[k]; k++) {
		const char *name = ui_key_name(ui_actions[a].keys[k]);

		if (name == NULL)
			continue;
		if (len + 1 >= n)
			break;
		len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "/" : "", name);
	}
	return buf;
}

const char *
ui_group_title(enum ui_group g)
{
	static const char *const t[G_N] = {
		[G_MOVE] = "Moving around",
		[G_VIEW] = "Looking at the panes",
		[G_CONTROL] = "Steering the migration",
		[G_CHECKLIST] = "Pre-flight checklist",
		[G_CUTOVER] = "Cutover wizard",
		[G_OTHER] = "Everywhere",
	};
	return (unsigned)g < G_N ? t[g] : "?";
}

const char *
ui_view_title(enum ui_view v)
{
	static const char *const t[VIEW_N] = {
		[VIEW_MAIN] = "panes", [VIEW_CHECKLIST] = "checklist",
		[VIEW_CUTOVER] = "cutover", [VIEW_DETAILS] = "details", [VIEW_HELP] = "help",
	};
	return (unsigned)v < VIEW_N ? t[v] : "?";
}

/* A key name as an mdoc argument: \& keeps ? ! < and friends from being
 * taken for punctuation, \e is a backslash. */
static void
mdoc_key(FILE *out, const char *name)
{
	fputs("\\&", out);
	for (; *name; name++) {
		if (*name == '\\')
			fputs("\\e", out);
		else
			fputc(*name, out);
	}
}

/* "On the checklist and cutover screens." for the actions not everywhere. */
static void
mdoc_views(FILE *out, unsigned views)
{
	int n = 0, total = 0;

	if (views == V_ALL || views == V_MAIN)
		return;
	for (int v = 0; v < VIEW_N; v++)
		total += (views >> v) & 1;
	fputs("On the", out);
	for (int v = 0; v < VIEW_N; v++) {
		if (!(views & (1u << v)))
			continue;
		n++;
		fprintf(out, "%s %s", n == 1 ? "" : n == total ? " and" : ",",
			ui_view_title((enum ui_view)v));
	}
	fprintf(out, " screen%s.\n", total > 1 ? "s" : "");
}

void
ui_keys_mdoc(FILE *out)
{
	fputs(".Sh KEY BINDINGS\n"
	      "The terminal user interface is driven by these keys.\n"
	      "A key does one thing per screen:\n"
	      "the panes, the checklist, the cutover wizard, the details of a row, or the help.\n"
	      "Keys that change a cluster ask for a confirmation first, default no,\n"
	      "and are refused when\n"
	      ".Nm\n"
	      "runs with\n"
	      ".Fl -readonly .\n", out);
	for (int g = 0; g < G_N; g++) {
		fprintf(out, ".Ss %s\n.Bl -tag -width Ds\n", ui_group_title((enum ui_group)g));
		for (int a = ACT_NONE + 1; a < ACT_N; a++) {
			const struct ui_action_info *ai = &ui_actions[a];
			int shown = 0;

			if ((int)ai->group != g)
				continue;
			fputs(".It", out);
			for (int k = 0; k < UI_KEYS_MAX && ai->keys[k]; k++) {
				const char *name = ui_key_name(ai->keys[k]);

				if (name == NULL)
					continue;
				fputs(shown++ ? " , Ic " : " Ic ", out);
				mdoc_key(out, name);
			}
			fprintf(out, "\n%s.\n", ai->help);
			mdoc_views(out, ai->views);
			if (ai->flags & AF_WRITES)
				fputs("Refused with\n.Fl -readonly .\n", out);
		}
		fputs(".El\n", out);
	}
}
