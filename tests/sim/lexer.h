/*
 * lexer: StarRocks SQL tokens, and a cursor the statement parsers walk.
 *
 * Identifiers come back unquoted (`a``b` -> a`b), strings unescaped. Every
 * token remembers its byte offset so a parser can take raw source text (a view
 * definition, a partition expression) verbatim.
 */
#ifndef SRSIM_LEXER_H
#define SRSIM_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tok_kind {
	TK_EOF,
	TK_WORD,		/* bare identifier or keyword */
	TK_QIDENT,		/* `quoted identifier` */
	TK_STRING,		/* 'text' or "text" */
	TK_NUMBER,
	TK_VAR,			/* @@name or @name (text without the @s) */
	TK_PUNCT,		/* ( ) , . ; = < > <= >= != <> * + - / % */
};

struct token {
	enum tok_kind kind;
	char *text;		/* unquoted value; punctuation as written */
	size_t off, end;	/* byte range in the statement */
	int line, col;
	bool sysvar;		/* TK_VAR: @@ rather than @ */
};

struct lexer {
	const char *src;
	struct token *t;
	size_t n, pos;		/* tokens, cursor */
	char err[256];		/* set when the text could not be tokenised */
};

/* Tokenise sql; false (with lx->err) on an unterminated quote or comment. */
bool lex_init(struct lexer *lx, const char *sql);
void lex_free(struct lexer *lx);

const struct token *lex_peek(const struct lexer *lx);
const struct token *lex_peek_at(const struct lexer *lx, size_t ahead);
const struct token *lex_next(struct lexer *lx);
bool lex_at_end(const struct lexer *lx);	/* only ';' and EOF left */

/* Keyword (case-insensitive bare word) at the cursor: consume it on match. */
bool lex_kw(struct lexer *lx, const char *kw);
bool lex_is_kw(const struct lexer *lx, const char *kw);
/* A sequence of keywords, all or nothing. */
bool lex_kws(struct lexer *lx, const char *kw1, const char *kw2);
/* Optional IF EXISTS / IF NOT EXISTS: *yes tells whether it was there; false
 * on a half-written one (IF without the rest). */
bool lex_if_exists(struct lexer *lx, bool *yes);
bool lex_if_not_exists(struct lexer *lx, bool *yes);
bool lex_punct(struct lexer *lx, const char *p);
bool lex_is_punct(const struct lexer *lx, const char *p);
bool lex_is_punct_at(const struct lexer *lx, size_t ahead, const char *p);
/* An identifier (bare word or backquoted); *out points into the token (do not free). */
bool lex_ident(struct lexer *lx, const char **out);
/* A string literal. */
bool lex_string(struct lexer *lx, const char **out);
/* An integer literal. */
bool lex_int(struct lexer *lx, int64_t *out);
/* Raw statement text between two byte offsets, trimmed, newly allocated. */
char *lex_raw(const struct lexer *lx, size_t from, size_t to);
/* Skip a balanced parenthesised group starting at '(' (cursor after its ')'). */
bool lex_skip_parens(struct lexer *lx);

/* "Getting syntax error at line L, column C. Detail message: Unexpected input 'x'..." */
void lex_syntax_error(const struct lexer *lx, char *buf, size_t n);

#endif /* SRSIM_LEXER_H */
