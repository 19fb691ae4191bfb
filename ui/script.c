/* script: the test input of script.h. */
#include "script.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curses.h"
#include "keys.h"
#include "srmigrate/util.h"

struct script {
	struct script_step *steps;
	size_t n, cap, next;
};

static const struct {
	const char *name;
	int key;
} named_keys[] = {
	{ "Enter", '\n' }, { "Esc", KEY_ESC }, { "Tab", '\t' }, { "S-Tab", KEY_BTAB },
	{ "Space", ' ' }, { "Backspace", KEY_BACKSPACE }, { "Up", KEY_UP },
	{ "Down", KEY_DOWN }, { "Left", KEY_LEFT }, { "Right", KEY_RIGHT },
	{ "PgUp", KEY_PPAGE }, { "PgDn", KEY_NPAGE }, { "Home", KEY_HOME }, { "End", KEY_END },
	{ "Lt", '<' }, { "Gt", '>' },
};

static struct script_step *
add(struct script *s, enum script_op op)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->steps = xrealloc(s->steps, s->cap * sizeof(*s->steps));
	}
	memset(&s->steps[s->n], 0, sizeof(s->steps[0]));
	s->steps[s->n].op = op;
	return &s->steps[s->n++];
}

static int
named_key(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(named_keys); i++)
		if (strcmp(name, named_keys[i].name) == 0)
			return named_keys[i].key;
	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		int64_t n;

		if (parse_i64(name + 1, 1, 12, &n))
			return KEY_F((int)n);
	}
	if (name[0] == 'C' && name[1] == '-' && name[2] >= 'a' && name[2] <= 'z' && !name[3])
		return name[2] - 'a' + 1;
	return -1;
}

static bool
parse_command(struct script *s, char *line, char *err, size_t errlen, int lineno)
{
	char *arg = line + strcspn(line, " \t");
	struct script_step *st;
	int64_t v;

	if (*arg)
		*arg++ = '\0';
	str_trim(arg);
	if (strcmp(line, ":wait-events") == 0) {
		st = add(s, SOP_WAIT_EVENTS);
		if (*arg && !parse_i64(arg, 0, INT64_MAX, &v))
			goto bad;
		st->a = *arg ? (long)v : -1;
	} else if (strcmp(line, ":sleep") == 0) {
		if (!parse_i64(arg, 0, 600000, &v))
			goto bad;
		add(s, SOP_SLEEP)->a = (long)v;
	} else if (strcmp(line, ":resize") == 0) {
		long c, l;
		char x;

		if (sscanf(arg, "%ld%c%ld", &c, &x, &l) != 3 || x != 'x' || c < 1 || l < 1 ||
		    c > 1000 || l > 1000)
			goto bad;
		st = add(s, SOP_RESIZE);
		st->a = c;
		st->b = l;
	} else if (strcmp(line, ":save-display") == 0 || strcmp(line, ":save-colors") == 0) {
		if (!*arg)
			goto bad;
		st = add(s, line[6] == 'd' ? SOP_SAVE_DISPLAY : SOP_SAVE_COLORS);
		st->path = xstrdup(arg);
	} else if (strcmp(line, ":signal") == 0) {
		add(s, SOP_SIGNAL);
	} else {
		snprintf(err, errlen, "script line %d: unknown command %s", lineno, line);
		return false;
	}
	return true;
bad:
	snprintf(err, errlen, "script line %d: bad argument for %s: '%s'", lineno, line, arg);
	return false;
}

static bool
parse_keys(struct script *s, char *line, char *err, size_t errlen, int lineno)
{
	for (char *tok = strtok(line, " \t"); tok; tok = strtok(NULL, " \t")) {
		size_t len = strlen(tok);

		if (len > 2 && tok[0] == '<' && tok[len - 1] == '>') {
			int key;

			tok[len - 1] = '\0';
			if ((key = named_key(tok + 1)) < 0) {
				snprintf(err, errlen, "script line %d: unknown key <%s>", lineno, tok + 1);
				return false;
			}
			add(s, SOP_KEY)->key = key;
			continue;
		}
		for (size_t i = 0; i < len; i++)
			add(s, SOP_KEY)->key = (unsigned char)tok[i];
	}
	return true;
}

struct script *
script_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	struct script *s;
	char line[1024];
	int lineno = 0;

	if (f == NULL) {
		snprintf(err, errlen, "script %s: %s", path, strerror(errno));
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	while (fgets(line, sizeof(line), f) != NULL) {
		bool ok;

		lineno++;
		str_trim(line);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		ok = line[0] == ':' ? parse_command(s, line, err, errlen, lineno) :
				      parse_keys(s, line, err, errlen, lineno);
		if (!ok) {
			fclose(f);
			script_free(s);
			return NULL;
		}
	}
	fclose(f);
	return s;
}

const struct script_step *
script_next(struct script *s)
{
	return s->next < s->n ? &s->steps[s->next++] : NULL;
}

void
script_free(struct script *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->steps[i].path);
	free(s->steps);
	free(s);
}
