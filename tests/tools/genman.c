/*
 * genman: the generated blocks of the man pages, from the code's own tables.
 *
 *   genman update MANDIR   rewrite the blocks in place
 *   genman check MANDIR    exit 1 when a block differs from the tables
 *
 * srmigrate.1 gets the key bindings (ui/keys.h), srmigrate.conf.5 every
 * sync.properties key (src/config.c), between ".\" BEGIN GENERATED X" and
 * ".\" END GENERATED X" lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srmigrate/config.h"
#include "srmigrate/ui.h"
#include "srmigrate/util.h"

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	long len;
	char *buf;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		exit(2);
	}
	buf = xmalloc((size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		perror(path);
		exit(2);
	}
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static char *
generated(void (*fn)(FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f);
	fclose(f);
	return buf;
}

/* Replace the block named @name in @text; returns a new text, or NULL if absent. */
static char *
replace_block(const char *text, const char *name, const char *body)
{
	char *begin = xasprintf(".\\\" BEGIN GENERATED %s\n", name);
	char *end = xasprintf(".\\\" END GENERATED %s\n", name);
	const char *b = strstr(text, begin), *e = b ? strstr(b, end) : NULL;
	char *out = NULL;

	if (b && e)
		out = xasprintf("%.*s%s%s%s", (int)(b - text + strlen(begin)), text, body, end,
				e + strlen(end));
	free(begin);
	free(end);
	return out;
}

static int
page(const char *dir, const char *file, const char *name, void (*fn)(FILE *), int update)
{
	char *path = xasprintf("%s/%s", dir, file), *text = slurp(path);
	char *body = generated(fn), *next = replace_block(text, name, body);
	int rc = 0;

	if (next == NULL) {
		fprintf(stderr, "%s: no GENERATED %s block\n", path, name);
		rc = 1;
	} else if (!str_eq(next, text)) {
		if (update) {
			FILE *f = fopen(path, "w");

			if (f == NULL || fputs(next, f) < 0 || fclose(f) != 0) {
				perror(path);
				rc = 2;
			}
		} else {
			fprintf(stderr, "%s: the %s block is out of date: run 'make man'\n", path, name);
			rc = 1;
		}
	}
	free(path);
	free(text);
	free(body);
	free(next);
	return rc;
}

int
main(int argc, char **argv)
{
	int update, rc;

	if (argc != 3 || (!str_eq(argv[1], "update") && !str_eq(argv[1], "check"))) {
		fprintf(stderr, "usage: genman update|check MANDIR\n");
		return 2;
	}
	update = str_eq(argv[1], "update");
	rc = page(argv[2], "srmigrate.1", "KEYS", ui_keys_mdoc, update);
	rc |= page(argv[2], "srmigrate.conf.5", "OPTIONS", cfg_print_mdoc, update);
	return rc;
}
