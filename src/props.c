/*
 * props: .properties files through inih.
 *
 * Debian's libinih exposes its build switches as globals; we set them once:
 * no inline comments (a password may contain " ;"), no multi-line values
 * (an indented line is a new key, as in Java properties), heap line buffer
 * that grows, so a long include_data_list is one line. The reader hands
 * inih logical lines: Java's backslash continuation is joined there, and
 * it counts lines itself (inih's handler gets no line number in this
 * build): the handler runs right after a whole logical line was delivered.
 * Keys and values are then unescaped as Java does.
 */
#include "srmigrate/props.h"

#include <errno.h>
#include <glib.h>
#include <ini.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "srmigrate/util.h"

struct reader {
	FILE *f;
	int line;		/* first physical line of the logical line being delivered */
	int next_line;		/* physical lines read so far */
	GString *pending;	/* the rest of that logical line, newline included */
	size_t done;		/* bytes of it already delivered */
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

/* Does a physical line (without its newline) end in an odd number of backslashes? */
static bool
continues(const GString *l, size_t from)
{
	size_t n = 0;

	while (l->len - n > from && l->str[l->len - n - 1] == '\\')
		n++;
	return n % 2 == 1;
}

/*
 * The next logical line into r->pending: physical lines joined where one
 * ends in an unescaped backslash, the next one's leading blanks dropped (as
 * Java reads them; a comment line does not continue). False at the end.
 */
static bool
next_logical(struct reader *r)
{
	int c;
	bool any = false, comment = false;
	size_t start = 0;

	g_string_truncate(r->pending, 0);
	r->done = 0;
	r->line = r->next_line + 1;
	for (;;) {
		bool skipping = start > 0;

		while ((c = fgetc(r->f)) != EOF && c != '\n') {
			if (skipping && (c == ' ' || c == '\t'))
				continue;
			skipping = false;
			g_string_append_c(r->pending, (char)c);
		}
		if (c == EOF && r->pending->len == start && !any)
			return false;
		any = true;
		r->next_line++;
		if (r->pending->len && r->pending->str[r->pending->len - 1] == '\r')
			g_string_truncate(r->pending, r->pending->len - 1);
		if (start == 0) {
			const char *p = r->pending->str + strspn(r->pending->str, " \t");

			comment = *p == '#' || *p == ';';
		}
		if (c == EOF || comment || !continues(r->pending, start))
			break;
		g_string_truncate(r->pending, r->pending->len - 1);	/* the joining backslash */
		start = r->pending->len;
	}
	g_string_append_c(r->pending, '\n');
	return true;
}

static char *
props_read(char *buf, int n, void *stream)
{
	struct reader *r = stream;
	size_t take;

	if (r->done == r->pending->len) {
		if (!next_logical(r))
			return NULL;
		/*
		 * inih reports a [section] only through the next key, with that
		 * key's line, and not at all at the end of the file: catch it
		 * here, on its line.
		 */
		const char *p = r->pending->str + strspn(r->pending->str, " \t");

		if (*p == '[' && !r->failed) {
			int len = (int)strcspn(p, "\r\n");

			while (len > 1 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
				len--;
			str_fmt(r->err, r->errlen, "%s:%d: %.*s: sections are not used in this file",
				r->path, r->line, len > 80 ? 80 : len, p);
			r->failed = true;
			return NULL;
		}
	}
	/* A long line goes in pieces: inih grows its buffer until it has the newline. */
	take = r->pending->len - r->done;
	if (take > (size_t)n - 1)
		take = (size_t)n - 1;
	memcpy(buf, r->pending->str + r->done, take);
	buf[take] = '\0';
	r->done += take;
	return buf;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Java's escapes, as java.util.Properties reads them: \t \n \r \f, \uXXXX
 * (written as UTF-8), and a backslash before any other character stands for
 * that character ("\\" is one backslash). NULL when a \u is malformed.
 */
static char *
unescape(const char *s)
{
	GString *out = g_string_sized_new(strlen(s));

	for (const char *p = s; *p; p++) {
		if (*p != '\\' || p[1] == '\0') {
			g_string_append_c(out, *p);
			continue;
		}
		switch (*++p) {
		case 't': g_string_append_c(out, '\t'); break;
		case 'n': g_string_append_c(out, '\n'); break;
		case 'r': g_string_append_c(out, '\r'); break;
		case 'f': g_string_append_c(out, '\f'); break;
		case 'u': {
			gunichar u = 0;

			for (int i = 1; i <= 4; i++) {
				int h = hexval(p[i]);

				if (h < 0) {
					g_string_free(out, TRUE);
					return NULL;
				}
				u = u * 16 + (gunichar)h;
			}
			/* A lone surrogate has no UTF-8 form; Java keeps it, we cannot. */
			if (u >= 0xd800 && u <= 0xdfff) {
				g_string_free(out, TRUE);
				return NULL;
			}
			g_string_append_unichar(out, u);
			p += 4;
			break;
		}
		default: g_string_append_c(out, *p); break;
		}
	}
	return g_string_free(out, FALSE);
}

static int
props_handler(void *user, const char *section, const char *name, const char *value)
{
	struct reader *r = user;
	char *k, *v;
	int rc;

	if (r->failed)
		return 0;
	if (section[0] != '\0') {
		str_fmt(r->err, r->errlen, "%s:%d: [%s]: sections are not used in this file",
			r->path, r->line, section);
		r->failed = true;
		return 0;
	}
	k = unescape(name);
	v = unescape(value);
	if (k == NULL || v == NULL) {
		str_fmt(r->err, r->errlen, "%s:%d: %.80s: a \\u escape wants four hex digits (not a surrogate)",
			r->path, r->line, name);
		rc = -1;
	} else {
		rc = r->fn(r->ctx, k, v, r->line);
	}
	g_free(k);
	g_free(v);
	if (rc != 0) {
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
		.fn = fn, .ctx = ctx, .path = path, .err = err, .errlen = errlen,
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
	r.pending = g_string_new(NULL);
	rc = ini_parse_stream(props_read, &r, props_handler, &r);
	g_string_free(r.pending, TRUE);
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
