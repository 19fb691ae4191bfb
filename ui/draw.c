/*
 * draw: putting text into cells. Texts come from the engine and may hold
 * any bytes: they are decoded in the current locale, measured with wcwidth
 * and cut at the width they are given, so a long name never pushes a
 * column out of place. Control characters (a newline in an error) become
 * blanks.
 */
#include "tui.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "srmigrate/util.h"

#define PUT_MAX 512

/* Decode the next character of [p, end): its width in *cw, its bytes returned. */
static size_t
next_char(const char *p, const char *end, mbstate_t *st, wchar_t *wc, int *cw)
{
	size_t k = mbrtowc(wc, p, (size_t)(end - p), st);

	if (k == (size_t)-1 || k == (size_t)-2) {
		memset(st, 0, sizeof(*st));
		*wc = L'?';
		k = 1;
	} else if (k == 0) {
		k = 1;
		*wc = L' ';
	}
	if (*wc < 0x20 || *wc == 0x7f) {
		*wc = L' ';
		*cw = 1;
	} else if ((*cw = wcwidth(*wc)) < 0) {
		*wc = L'?';
		*cw = 1;
	}
	return k;
}

int
ui_width(const char *s)
{
	const char *end = s + strlen(s);
	mbstate_t st;
	int w = 0;

	memset(&st, 0, sizeof(st));
	while (s < end) {
		wchar_t wc;
		int cw;

		s += next_char(s, end, &st, &wc, &cw);
		w += cw;
	}
	return w;
}

/* Bytes of @s (of @len bytes) that fit in @cols columns. */
static size_t
fit_bytes(const char *s, size_t len, int cols)
{
	const char *p = s, *end = s + len;
	mbstate_t st;
	int w = 0;

	memset(&st, 0, sizeof(st));
	while (p < end) {
		wchar_t wc;
		int cw;
		size_t k = next_char(p, end, &st, &wc, &cw);

		if (w + cw > cols)
			break;
		w += cw;
		p += k;
	}
	return (size_t)(p - s);
}

static void
blanks(int y, int x, int n)
{
	if (n > 0)
		mvhline(y, x, ' ', n);
}

int
ui_put(int y, int x, int w, attr_t attr, unsigned flags, const char *s)
{
	wchar_t buf[PUT_MAX];
	const char *p = s, *end = s + strlen(s);
	mbstate_t st;
	int n = 0, width = 0, pad;
	bool cut = false;

	if (w <= 0)
		return 0;
	memset(&st, 0, sizeof(st));
	while (p < end) {
		wchar_t wc;
		int cw;
		size_t k = next_char(p, end, &st, &wc, &cw);

		if (width + cw > w || n == PUT_MAX - 2) {
			cut = true;
			break;
		}
		buf[n++] = wc;
		width += cw;
		p += k;
	}
	if (cut && (flags & PUT_ELLIPSIS)) {
		/* Room for the one-column ellipsis: give back characters from the end. */
		while (n > 0 && width + 1 > w) {
			int cw = wcwidth(buf[--n]);

			width -= cw > 0 ? cw : 1;
		}
		buf[n++] = ui_glyph->ellipsis[1] ? 0x2026 : (wchar_t)ui_glyph->ellipsis[0];
		width++;
	}
	buf[n] = L'\0';
	pad = w - width;
	attrset(attr);
	if ((flags & PUT_RIGHT) && pad > 0) {
		blanks(y, x, pad);
		mvaddnwstr(y, x + pad, buf, n);
	} else {
		mvaddnwstr(y, x, buf, n);
		if (flags & PUT_PAD)
			blanks(y, x + width, pad);
	}
	attrset(A_NORMAL);
	return (flags & (PUT_PAD | PUT_RIGHT)) ? w : width;
}

int
ui_putf(int y, int x, int w, attr_t attr, unsigned flags, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ui_put(y, x, w, attr, flags, buf);
}

void
ui_blank(struct rect r, attr_t attr)
{
	attrset(attr);
	for (int i = 0; i < r.h; i++)
		blanks(r.y + i, r.x, r.w);
	attrset(A_NORMAL);
}

void
ui_frame(struct rect r, attr_t attr)
{
	if (r.w < 2 || r.h < 2)
		return;
	attrset(attr);
	mvaddch(r.y, r.x, ACS_ULCORNER);
	mvhline(r.y, r.x + 1, ACS_HLINE, r.w - 2);
	mvaddch(r.y, r.x + r.w - 1, ACS_URCORNER);
	mvvline(r.y + 1, r.x, ACS_VLINE, r.h - 2);
	mvvline(r.y + 1, r.x + r.w - 1, ACS_VLINE, r.h - 2);
	mvaddch(r.y + r.h - 1, r.x, ACS_LLCORNER);
	mvhline(r.y + r.h - 1, r.x + 1, ACS_HLINE, r.w - 2);
	mvaddch(r.y + r.h - 1, r.x + r.w - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
}

char *
fmt_count(char *dst, size_t n, int64_t v)
{
	static const char unit[] = "KMGTPE";
	double d = (double)v;
	int u = -1;

	if (v < 0)
		return str_fmt(dst, n, "?");
	if (v < 10000)
		return str_fmt(dst, n, "%lld", (long long)v);
	while (d >= 999.95 && u < 5) {
		d /= 1000.0;
		u++;
	}
	return str_fmt(dst, n, d < 9.995 ? "%.2f%c" : d < 99.95 ? "%.1f%c" : "%.0f%c", d, unit[u]);
}

char *
fmt_exact(char *dst, size_t n, int64_t v)
{
	char digits[32], out[48];
	int len, o = 0;
	bool neg = v < 0;

	len = snprintf(digits, sizeof(digits), "%llu",
		       neg ? 0ULL - (unsigned long long)v : (unsigned long long)v);
	if (neg)
		out[o++] = '-';
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	str_copy(dst, n, out);
	return dst;
}

char *
fmt_age(char *dst, size_t n, int64_t since_ms, int64_t now)
{
	if (since_ms <= 0)
		return str_fmt(dst, n, "-");
	return fmt_duration(dst, n, now > since_ms ? (now - since_ms) / 1000 : 0);
}

char *
fmt_clock(char *dst, size_t n, int64_t epoch_ms)
{
	time_t t = (time_t)(epoch_ms / 1000);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(dst, n, "%H:%M:%S", &tm) == 0)
		str_copy(dst, n, "--:--:--");
	return dst;
}

static void
text_push(struct text *t, enum uic c, char *s)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->l = xrealloc(t->l, (size_t)t->cap * sizeof(*t->l));
	}
	t->l[t->n].color = c;
	t->l[t->n].s = s;
	t->n++;
}

void
text_add(struct text *t, enum uic c, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)(len < 0 ? 0 : len) + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)(len < 0 ? 0 : len) + 1, fmt, ap);
	va_end(ap);
	text_push(t, c, s);
}

void
text_wrap(struct text *t, enum uic c, int width, const char *lead, const char *s)
{
	int indent = ui_width(lead), avail = width - indent;
	bool first = true;

	if (avail < 8)
		avail = 8;
	do {
		size_t seg = strcspn(s, "\n"), take = fit_bytes(s, seg, avail);

		if (take < seg) {
			size_t sp = take;

			while (sp > 0 && s[sp] != ' ')
				sp--;
			if (sp > 0) {
				take = sp;
			} else if (take == 0) {
				int k = mblen(s, seg);

				take = k > 0 ? (size_t)k : 1;
			}
		}
		text_add(t, c, "%*s%.*s", first ? 0 : indent, first ? lead : "", (int)take, s);
		first = false;
		s += take;
		while (*s == ' ')
			s++;
		if (*s == '\n')
			s++;
	} while (*s);
}

void
text_free(struct text *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->l[i].s);
	free(t->l);
	memset(t, 0, sizeof(*t));
}

void
text_draw(const struct text *t, struct rect r, int top)
{
	for (int i = 0; i < r.h; i++) {
		int k = top + i;

		if (k >= 0 && k < t->n)
			ui_put(r.y + i, r.x, r.w, ui_color(t->l[k].color), PUT_PAD | PUT_ELLIPSIS,
			       t->l[k].s);
		else
			ui_blank((struct rect){ r.y + i, r.x, 1, r.w }, A_NORMAL);
	}
}

void
scroll_move(int *top, enum ui_action a, int lines, int rows)
{
	int max = lines > rows ? lines - rows : 0;

	switch (a) {
	case ACT_UP: (*top)--; break;
	case ACT_DOWN: (*top)++; break;
	case ACT_PAGE_UP: *top -= rows > 1 ? rows - 1 : 1; break;
	case ACT_PAGE_DOWN: *top += rows > 1 ? rows - 1 : 1; break;
	case ACT_HOME: *top = 0; break;
	case ACT_END: *top = max; break;
	default: break;
	}
	if (*top > max)
		*top = max;
	if (*top < 0)
		*top = 0;
}
