/*
 * lexer: StarRocks SQL tokens.
 */
#include "lexer.h"

#include <ctype.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "simutil.h"

static void
push(GArray *a, enum tok_kind kind, char *text, size_t off, size_t end, int line, int col)
{
	struct token t = { .kind = kind, .text = text, .off = off, .end = end, .line = line, .col = col };

	g_array_append_val(a, t);
}

/* Unescape a quoted string body (backslash escapes and doubled quotes). */
static char *
unquote(const char *s, size_t n, char q)
{
	struct sb b;

	sb_init(&b);
	sb_put(&b, "", 0);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\\' && q != '`' && i + 1 < n) {
			char e = s[++i];
			switch (e) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case '0': c = '\0'; break;
			default: c = e; break;
			}
		} else if (c == q && i + 1 < n && s[i + 1] == q) {
			i++;
		}
		sb_putc(&b, c);
	}
	return sb_steal(&b);
}

bool
lex_init(struct lexer *lx, const char *sql)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(struct token));
	const char *s = sql;
	size_t i = 0, len = strlen(sql);
	int line = 1;
	size_t line_start = 0;

	memset(lx, 0, sizeof *lx);
	lx->src = sql;
	while (i < len) {
		char c = s[i];
		int col = (int)(i - line_start);

		if (c == '\n') {
			line++;
			line_start = i + 1;
			i++;
			continue;
		}
		if (isspace((unsigned char)c)) {
			i++;
			continue;
		}
		if (c == '#' || (c == '-' && s[i + 1] == '-' && (s[i + 2] == ' ' || s[i + 2] == '\t' ||
							      s[i + 2] == '\n' || s[i + 2] == '\0'))) {
			while (i < len && s[i] != '\n')
				i++;
			continue;
		}
		if (c == '/' && s[i + 1] == '*') {
			const char *e = strstr(s + i + 2, "*/");
			if (!e) {
				snprintf(lx->err, sizeof lx->err, "Getting syntax error at line %d, column %d. "
					 "Detail message: Unclosed comment.", line, col);
				goto err;
			}
			for (const char *p = s + i; p < e; p++)
				if (*p == '\n') {
					line++;
					line_start = (size_t)(p - s) + 1;
				}
			i = (size_t)(e - s) + 2;
			continue;
		}
		if (c == '\'' || c == '"' || c == '`') {
			size_t j = i + 1;
			for (;;) {
				if (j >= len) {
					snprintf(lx->err, sizeof lx->err, "Getting syntax error at line %d, column %d. "
						 "Detail message: Unterminated quoted text.", line, col);
					goto err;
				}
				if (s[j] == '\\' && c != '`' && j + 1 < len) {
					j += 2;
					continue;
				}
				if (s[j] == c) {
					if (j + 1 < len && s[j + 1] == c) {
						j += 2;
						continue;
					}
					break;
				}
				if (s[j] == '\n') {
					line++;
					line_start = j + 1;
				}
				j++;
			}
			push(a, c == '`' ? TK_QIDENT : TK_STRING, unquote(s + i + 1, j - i - 1, c), i, j + 1,
			     line, col);
			i = j + 1;
			continue;
		}
		if (c == '@') {
			size_t j = i + 1;
			bool sys = false;
			if (s[j] == '@') {
				sys = true;
				j++;
			}
			size_t st = j;
			while (j < len && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '.'))
				j++;
			push(a, TK_VAR, g_strndup(s + st, j - st), i, j, line, col);
			g_array_index(a, struct token, a->len - 1).sysvar = sys;
			i = j;
			continue;
		}
		if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)s[i + 1]))) {
			size_t j = i;
			while (j < len && (isalnum((unsigned char)s[j]) || s[j] == '.'))
				j++;
			/* 1abc is an identifier in MySQL dialects: digits then letters */
			bool word = false;
			for (size_t k = i; k < j; k++)
				if (isalpha((unsigned char)s[k]) && !(s[k] == 'e' || s[k] == 'E'))
					word = true;
			push(a, word ? TK_WORD : TK_NUMBER, g_strndup(s + i, j - i), i, j, line, col);
			i = j;
			continue;
		}
		if (isalpha((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80 || c == '$') {
			size_t j = i;
			while (j < len && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '$' ||
					   (unsigned char)s[j] >= 0x80))
				j++;
			push(a, TK_WORD, g_strndup(s + i, j - i), i, j, line, col);
			i = j;
			continue;
		}
		static const char *const two[] = { "<=", ">=", "!=", "<>", "==", "||", "&&", "<=>" };
		size_t plen = 1;
		for (size_t k = 0; k < SU_LEN(two); k++)
			if (strncmp(s + i, two[k], strlen(two[k])) == 0 && strlen(two[k]) > plen)
				plen = strlen(two[k]);
		push(a, TK_PUNCT, g_strndup(s + i, plen), i, i + plen, line, col);
		i += plen;
	}
	push(a, TK_EOF, g_strdup(""), len, len, line, (int)(len - line_start));
	lx->n = a->len;
	lx->t = (struct token *)g_array_free(a, FALSE);
	return true;
err:
	for (guint k = 0; k < a->len; k++)
		g_free(g_array_index(a, struct token, k).text);
	g_array_free(a, TRUE);
	return false;
}

void
lex_free(struct lexer *lx)
{
	for (size_t i = 0; i < lx->n; i++)
		g_free(lx->t[i].text);
	g_free(lx->t);
	lx->t = NULL;
	lx->n = 0;
}

const struct token *
lex_peek(const struct lexer *lx)
{
	return &lx->t[lx->pos < lx->n ? lx->pos : lx->n - 1];
}

const struct token *
lex_peek_at(const struct lexer *lx, size_t ahead)
{
	size_t i = lx->pos + ahead;

	return &lx->t[i < lx->n ? i : lx->n - 1];
}

const struct token *
lex_next(struct lexer *lx)
{
	const struct token *t = lex_peek(lx);

	if (lx->pos < lx->n - 1)
		lx->pos++;
	return t;
}

bool
lex_at_end(const struct lexer *lx)
{
	for (size_t i = lx->pos; i < lx->n; i++) {
		const struct token *t = &lx->t[i];
		if (t->kind == TK_EOF)
			return true;
		if (!(t->kind == TK_PUNCT && strcmp(t->text, ";") == 0))
			return false;
	}
	return true;
}

bool
lex_is_kw(const struct lexer *lx, const char *kw)
{
	const struct token *t = lex_peek(lx);

	return t->kind == TK_WORD && su_ieq(t->text, kw);
}

bool
lex_kw(struct lexer *lx, const char *kw)
{
	if (!lex_is_kw(lx, kw))
		return false;
	lex_next(lx);
	return true;
}

bool
lex_if_exists(struct lexer *lx, bool *yes)
{
	*yes = false;
	if (!lex_kw(lx, "IF"))
		return true;
	*yes = true;
	return lex_kw(lx, "EXISTS");
}

bool
lex_if_not_exists(struct lexer *lx, bool *yes)
{
	*yes = false;
	if (!lex_kw(lx, "IF"))
		return true;
	*yes = true;
	return lex_kws(lx, "NOT", "EXISTS");
}

bool
lex_kws(struct lexer *lx, const char *kw1, const char *kw2)
{
	const struct token *a = lex_peek(lx), *b = lex_peek_at(lx, 1);

	if (a->kind == TK_WORD && su_ieq(a->text, kw1) && b->kind == TK_WORD && su_ieq(b->text, kw2)) {
		lex_next(lx);
		lex_next(lx);
		return true;
	}
	return false;
}

bool
lex_is_punct(const struct lexer *lx, const char *p)
{
	const struct token *t = lex_peek(lx);

	return t->kind == TK_PUNCT && strcmp(t->text, p) == 0;
}

bool
lex_is_punct_at(const struct lexer *lx, size_t ahead, const char *p)
{
	const struct token *t = lex_peek_at(lx, ahead);

	return t->kind == TK_PUNCT && strcmp(t->text, p) == 0;
}

bool
lex_punct(struct lexer *lx, const char *p)
{
	if (!lex_is_punct(lx, p))
		return false;
	lex_next(lx);
	return true;
}

bool
lex_ident(struct lexer *lx, const char **out)
{
	const struct token *t = lex_peek(lx);

	if (t->kind != TK_WORD && t->kind != TK_QIDENT)
		return false;
	*out = t->text;
	lex_next(lx);
	return true;
}

bool
lex_string(struct lexer *lx, const char **out)
{
	const struct token *t = lex_peek(lx);

	if (t->kind != TK_STRING)
		return false;
	*out = t->text;
	lex_next(lx);
	return true;
}

bool
lex_int(struct lexer *lx, int64_t *out)
{
	const struct token *t = lex_peek(lx);
	bool neg = false;
	size_t save = lx->pos;

	if (t->kind == TK_PUNCT && strcmp(t->text, "-") == 0) {
		neg = true;
		lex_next(lx);
		t = lex_peek(lx);
	}
	if (t->kind != TK_NUMBER || !su_parse_i64(t->text, out)) {
		lx->pos = save;
		return false;
	}
	if (neg)
		*out = -*out;
	lex_next(lx);
	return true;
}

char *
lex_raw(const struct lexer *lx, size_t from, size_t to)
{
	char *s = g_strndup(lx->src + from, to > from ? to - from : 0);

	return g_strstrip(s);
}

bool
lex_skip_parens(struct lexer *lx)
{
	int depth = 0;

	if (!lex_is_punct(lx, "("))
		return false;
	do {
		const struct token *t = lex_next(lx);
		if (t->kind == TK_EOF)
			return false;
		if (t->kind == TK_PUNCT && strcmp(t->text, "(") == 0)
			depth++;
		else if (t->kind == TK_PUNCT && strcmp(t->text, ")") == 0)
			depth--;
	} while (depth > 0);
	return true;
}

void
lex_syntax_error(const struct lexer *lx, char *buf, size_t n)
{
	const struct token *t = lex_peek(lx);

	if (lx->err[0]) {
		snprintf(buf, n, "%s", lx->err);
		return;
	}
	if (t->kind == TK_EOF)
		snprintf(buf, n, "Getting syntax error at line %d, column %d. Detail message: "
			 "Unexpected input '<EOF>', the most similar input is {<EOF>}.", t->line, t->col);
	else
		snprintf(buf, n, "Getting syntax error at line %d, column %d. Detail message: "
			 "Unexpected input '%.64s', the most similar input is {<EOF>}.", t->line, t->col,
			 t->text);
}
