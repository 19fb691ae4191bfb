/*
 * props: .properties files through inih.
 *
 * Debian's libinih exposes its build switches as globals; we set them once:
 * no inline comments (a password may contain " ;"), no multi-line values
 * (an indented line is a new key, as in Java properties), heap line buffer
 * that grows, so a long include_data_list is one line. inih's handler gets
 * no line number in this build, so the reader counts lines itself: the
 * handler runs right after the reader has delivered the whole line.
 */
#include "srmigrate/props.h"

#include <errno.h>
#include <ini.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "srmigrate/util.h"

struct reader {
	FILE *f;
	int line;		/* line being delivered */
	bool at_line_start;
	props_fn fn;
	void *ctx;
	const char *path;
	char *err;
	size_t errlen;
	bool failed;		/* the handler or we reported an error */
};

static pthread_once_t props_once = PTHREAD_ONCE_INIT;

static void
props_setup(void)
{
	ini_allow_inline_comments = false;
	ini_allow_multiline = false;
	ini_use_stack = false;
	ini_allow_realloc = true;
	ini_initial_alloc = 256;
	ini_max_line = 1 << 20;
	ini_stop_on_first_error = true;
	ini_allow_no_value = false;
}

static char *
props_read(char *buf, int n, void *stream)
{
	struct reader *r = stream;
	char *got = fgets(buf, n, r->f);

	if (got == NULL)
		return NULL;
	bool starts = r->at_line_start;

	if (starts)
		r->line++;
	/* A long line arrives in pieces; only a newline ends it. */
	r->at_line_start = strchr(got, '\n') != NULL;
	/*
	 * inih reports a [section] only through the next key, with that key's
	 * line, and not at all at the end of the file: catch it here, on its line.
	 */
	if (starts && !r->failed) {
		const char *p = got + strspn(got, " \t");

		if (*p == '[') {
			int len = (int)strcspn(p, "\r\n");

			while (len > 1 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
				len--;
			str_fmt(r->err, r->errlen, "%s:%d: %.*s: sections are not used in this file",
				r->path, r->line, len > 80 ? 80 : len, p);
			r->failed = true;
			return NULL;
		}
	}
	return got;
}

static int
props_handler(void *user, const char *section, const char *name, const char *value)
{
	struct reader *r = user;

	if (r->failed)
		return 0;
	if (section[0] != '\0') {
		str_fmt(r->err, r->errlen, "%s:%d: [%s]: sections are not used in this file",
			r->path, r->line, section);
		r->failed = true;
		return 0;
	}
	if (r->fn(r->ctx, name, value, r->line) != 0) {
		r->failed = true;
		return 0;
	}
	return 1;
}

int
props_parse(const char *path, const char *text, props_fn fn, void *ctx, char *err,
	    size_t errlen)
{
	struct reader r = {
		.at_line_start = true, .fn = fn, .ctx = ctx, .path = path,
		.err = err, .errlen = errlen,
	};
	int rc;

	pthread_once(&props_once, props_setup);
	if (text != NULL)
		r.f = fmemopen((void *)text, strlen(text), "r");
	else
		r.f = fopen(path, "r");
	if (r.f == NULL) {
		/* fmemopen refuses a zero-length buffer: an empty text is empty. */
		if (text != NULL && text[0] == '\0')
			return 0;
		str_fmt(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = ini_parse_stream(props_read, &r, props_handler, &r);
	fclose(r.f);
	if (r.failed)
		return -1;
	if (rc != 0) {
		if (rc < 0)
			str_fmt(err, errlen, "%s: cannot read (out of memory?)", path);
		else
			str_fmt(err, errlen, "%s:%d: not a key=value line", path, rc);
		return -1;
	}
	return 0;
}
