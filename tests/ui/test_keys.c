/*
 * test_keys: the one table of actions and keys, and what is made from it:
 * the dispatch (no key means two things on one screen), the help screen and
 * the KEY BINDINGS section of the man page (valid mdoc, every action in it).
 */
#include "uitest.h"

#include <sys/wait.h>

#include "../../ui/tui.h"

static void
test_no_clash(void **state)
{
	(void)state;
	for (int v = 0; v < VIEW_N; v++) {
		for (int a = ACT_NONE + 1; a < ACT_N; a++) {
			if (!(ui_actions[a].views & (1u << v)))
				continue;
			for (int k = 0; k < UI_KEYS_MAX && ui_actions[a].keys[k]; k++) {
				enum ui_action got = ui_keys_lookup((enum ui_view)v, ui_actions[a].keys[k]);

				if (got != (enum ui_action)a)
					fail_msg("key %s on the %s screen: %s and %s",
						 ui_key_name(ui_actions[a].keys[k]),
						 ui_view_title((enum ui_view)v), ui_actions[a].name,
						 ui_actions[got].name);
			}
		}
	}
	/* A key of no action on a screen does nothing there. */
	assert_int_equal(ui_keys_lookup(VIEW_HELP, 'P'), ACT_NONE);
	assert_int_equal(ui_keys_lookup(VIEW_MAIN, '!'), ACT_NONE);
	assert_int_equal(ui_keys_lookup(VIEW_CHECKLIST, '\n'), ACT_CONTINUE);
	assert_int_equal(ui_keys_lookup(VIEW_MAIN, '\n'), ACT_DETAILS);
	assert_int_equal(ui_keys_lookup(VIEW_CUTOVER, 'y'), ACT_CUT_NEXT);
	assert_int_equal(ui_keys_lookup(VIEW_MAIN, KEY_F(1)), ACT_HELP);
}

static void
test_every_action_documented(void **state)
{
	char keys[64];

	(void)state;
	for (int a = ACT_NONE + 1; a < ACT_N; a++) {
		const struct ui_action_info *ai = &ui_actions[a];

		assert_non_null(ai->name);
		assert_non_null(ai->help);
		assert_true(strlen(ai->help) > 8);
		assert_true(ai->views != 0);
		ui_action_keys((enum ui_action)a, keys, sizeof(keys));
		if (keys[0] == '\0')
			fail_msg("action %s has no key to show", ai->name);
		for (int b = a + 1; b < ACT_N; b++)
			assert_string_not_equal(ai->name, ui_actions[b].name);
	}
	assert_string_equal(ui_action_keys(ACT_UP, keys, sizeof(keys)), "Up/k");
	assert_string_equal(ui_action_keys(ACT_DETAILS, keys, sizeof(keys)), "Enter");
	assert_string_equal(ui_key_name(KEY_NPAGE), "PgDn");
	assert_string_equal(ui_key_name(KEY_F(10)), "F10");
	assert_string_equal(ui_key_name('\\'), "\\");
	assert_null(ui_key_name('\r'));
}

static bool
have_mandoc(void)
{
	return system("command -v mandoc >/dev/null 2>&1") == 0;
}

/* The section drops into a man page that mandoc -Tlint passes without a word. */
static void
test_mdoc(void **state)
{
	char page[512], lint[512], cmd[1200];
	FILE *f;
	char *text, *out;
	int rc;

	(void)state;
	ut_path(page, sizeof(page), "keys.1");
	ut_path(lint, sizeof(lint), "keys.lint");
	f = fopen(page, "w");
	assert_non_null(f);
	fputs(".Dd November 23, 2026\n.Dt SRMIGRATE 1\n.Os\n.Sh NAME\n.Nm srmigrate\n"
	      ".Nd migrate a StarRocks cluster\n.Sh DESCRIPTION\nText.\n", f);
	ui_keys_mdoc(f);
	fclose(f);
	text = ut_slurp(page);
	assert_non_null(text);
	for (int a = ACT_NONE + 1; a < ACT_N; a++)
		if (strstr(text, ui_actions[a].help) == NULL)
			fail_msg("the man page lacks %s", ui_actions[a].name);
	assert_non_null(strstr(text, ".It Ic \\&\\e\n"));	/* the backslash key */
	assert_non_null(strstr(text, ".It Ic \\&F1 , Ic \\&?\n"));
	free(text);
	if (!have_mandoc()) {
		unlink(page);
		skip();
	}
	snprintf(cmd, sizeof(cmd), "mandoc -Tlint -Wwarning %s >%s 2>&1", page, lint);
	rc = system(cmd);
	out = ut_slurp(lint);
	if (rc != 0 || (out && out[0]))
		fail_msg("mandoc -Tlint: %s", out ? out : "?");
	free(out);
	unlink(page);
	unlink(lint);
}

/* The help screen: made from the table, writing keys marked when read-only. */
static void
test_help_text(void **state)
{
	struct ui *ui = calloc(1, sizeof(*ui));
	struct ui_opts opts = { .readonly = true, .log_dir = "/var/log/srm", .conf_dir = "/etc/srm" };
	struct text t = { 0 };
	size_t len = 0;
	char *all;

	(void)state;
	ui->opts = &opts;
	help_text(ui, 300, &t);
	for (int i = 0; i < t.n; i++)
		len += strlen(t.l[i].s) + 1;
	all = calloc(1, len + 1);
	for (int i = 0; i < t.n; i++) {
		strcat(all, t.l[i].s);
		strcat(all, "\n");
	}
	for (int a = ACT_NONE + 1; a < ACT_N; a++) {
		char line[512], keys[64];

		snprintf(line, sizeof(line), "  %-14s %s%s", ui_action_keys((enum ui_action)a, keys,
			 sizeof(keys)), ui_actions[a].help,
			 ui_actions[a].flags & AF_WRITES ? " (read-only: disabled)" : "");
		if (strstr(all, line) == NULL)
			fail_msg("help lacks: %s", line);
	}
	assert_non_null(strstr(all, "configuration /etc/srm, logs /var/log/srm"));
	free(all);
	text_free(&t);
	free(ui);
}

static void
test_help_screen(void **state)
{
	struct ut *t = ut_new(256);
	const char *names[] = { "help", "help_end", "help_closed" };
	char *closed;

	(void)state;
	ut_scenario(t);
	ut_run_dumps(t, ":wait-events\n<F1>\n:save-display @0\n<End>\n:save-display @1\n"
		     "q\n:save-display @2\n", names, 3);
	ut_expect_screen("help");
	ut_expect_screen("help_end");
	/* q closed the help; it did not quit. */
	closed = ut_dump("help_closed");
	assert_non_null(strstr(closed, "1 Jobs (5)"));
	ut_expect_no_cmd(t);
	free(closed);
	ut_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_clash),
		cmocka_unit_test(test_every_action_documented),
		cmocka_unit_test(test_mdoc),
		cmocka_unit_test(test_help_text),
		cmocka_unit_test(test_help_screen),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
