/*
 * scalar: the expressions a SELECT without FROM may hold: literals, system
 * variables and a few functions (version(), current_version(), database(),
 * TO_BASE64 / FROM_BASE64, AES_ENCRYPT / AES_DECRYPT as facts 7 describe).
 */
#include "scalar.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "errs.h"
#include "query.h"
#include "simutil.h"

void
sc_free(struct sval *v)
{
	g_free(v->p);
	memset(v, 0, sizeof *v);
}

static void
set_str(struct sval *v, const char *s, size_t n)
{
	v->p = g_malloc(n + 1);
	memcpy(v->p, s, n);
	v->p[n] = '\0';
	v->n = n;
	v->null = false;
}

/* MySQL's key fold: XOR every key byte into buf[i % 16]. */
static void
fold_key(const struct sval *k, uint8_t key[16])
{
	memset(key, 0, 16);
	for (size_t i = 0; i < k->n; i++)
		key[i % 16] ^= (uint8_t)k->p[i];
}

static bool
aes(const struct sval *data, const struct sval *k, bool enc, struct sval *out)
{
	uint8_t key[16];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0;
	bool ok;

	fold_key(k, key);
	out->p = g_malloc(data->n + 32);
	ok = (enc ? EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL)
		  : EVP_DecryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL)) == 1;
	EVP_CIPHER_CTX_set_padding(ctx, 1);
	if (ok)
		ok = (enc ? EVP_EncryptUpdate(ctx, (uint8_t *)out->p, &l1, (const uint8_t *)data->p, (int)data->n)
			  : EVP_DecryptUpdate(ctx, (uint8_t *)out->p, &l1, (const uint8_t *)data->p, (int)data->n)) == 1;
	if (ok)
		ok = (enc ? EVP_EncryptFinal_ex(ctx, (uint8_t *)out->p + l1, &l2)
			  : EVP_DecryptFinal_ex(ctx, (uint8_t *)out->p + l1, &l2)) == 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok) {
		sc_free(out);
		out->null = true;
		return true;
	}
	out->n = (size_t)(l1 + l2);
	out->p[out->n] = '\0';
	out->null = false;
	return true;
}

static int parse(struct qctx *q, struct sval *out);

static int
call(struct qctx *q, const char *fn, struct sval *args, int nargs, struct sval *out)
{
	char buf[256];
	struct cluster *c = q->cl;

#define ARGS(n) do { if (nargs != (n)) goto bad_args; } while (0)
	if (su_ieq(fn, "version")) {
		ARGS(0);
		const char *v = qv_get(c, "version", buf, sizeof buf);
		set_str(out, v, strlen(v));
	} else if (su_ieq(fn, "current_version")) {
		ARGS(0);
		snprintf(buf, sizeof buf, "%s-%s", c->prof.version, c->prof.commit);
		set_str(out, buf, strlen(buf));
	} else if (su_ieq(fn, "database") || su_ieq(fn, "schema")) {
		ARGS(0);
		if (q->s->db[0])
			set_str(out, q->s->db, strlen(q->s->db));
		else
			out->null = true;
	} else if (su_ieq(fn, "user") || su_ieq(fn, "current_user") || su_ieq(fn, "session_user")) {
		ARGS(0);
		snprintf(buf, sizeof buf, "'%s'@'%%'", q->s->user ? q->s->user->name : "");
		set_str(out, buf, strlen(buf));
	} else if (su_ieq(fn, "connection_id")) {
		ARGS(0);
		snprintf(buf, sizeof buf, "%u", q->s->id);
		set_str(out, buf, strlen(buf));
	} else if (su_ieq(fn, "now") || su_ieq(fn, "current_timestamp")) {
		ARGS(0);
		su_fmt_time(buf, sizeof buf, su_wall_ms());
		set_str(out, buf, strlen(buf));
	} else if (su_ieq(fn, "last_insert_id")) {
		ARGS(0);
		set_str(out, "0", 1);
	} else if (su_ieq(fn, "to_base64")) {
		ARGS(1);
		if (args[0].null || args[0].n == 0) {
			out->null = true;	/* StarRocks: an empty input gives NULL */
		} else {
			gchar *b = g_base64_encode((const guchar *)args[0].p, args[0].n);
			set_str(out, b, strlen(b));
			g_free(b);
		}
	} else if (su_ieq(fn, "from_base64")) {
		ARGS(1);
		if (args[0].null) {
			out->null = true;
		} else {
			gsize n;
			guchar *d = g_base64_decode(args[0].p, &n);
			set_str(out, (const char *)d, n);
			g_free(d);
		}
	} else if (su_ieq(fn, "aes_encrypt") || su_ieq(fn, "aes_decrypt")) {
		ARGS(2);
		if (args[0].null || args[1].null)
			out->null = true;
		else
			aes(&args[0], &args[1], su_ieq(fn, "aes_encrypt"), out);
	} else if (su_ieq(fn, "hex")) {
		ARGS(1);
		if (args[0].null) {
			out->null = true;
		} else {
			struct sb b;
			sb_init(&b);
			sb_put(&b, "", 0);
			for (size_t i = 0; i < args[0].n; i++)
				sb_printf(&b, "%02X", (uint8_t)args[0].p[i]);
			out->p = b.p;
			out->n = b.len;
		}
	} else if (su_ieq(fn, "upper") || su_ieq(fn, "lower")) {
		ARGS(1);
		if (args[0].null) {
			out->null = true;
		} else {
			char *x = su_ieq(fn, "upper") ? g_ascii_strup(args[0].p, (gssize)args[0].n)
						      : g_ascii_strdown(args[0].p, (gssize)args[0].n);
			set_str(out, x, args[0].n);
			g_free(x);
		}
	} else if (su_ieq(fn, "length")) {
		ARGS(1);
		snprintf(buf, sizeof buf, "%zu", args[0].n);
		if (args[0].null)
			out->null = true;
		else
			set_str(out, buf, strlen(buf));
	} else if (su_ieq(fn, "concat")) {
		struct sb b;
		sb_init(&b);
		sb_put(&b, "", 0);
		for (int i = 0; i < nargs; i++) {
			if (args[i].null) {
				sb_free(&b);
				out->null = true;
				return 0;
			}
			sb_put(&b, args[i].p, args[i].n);
		}
		out->n = b.len;
		out->p = sb_steal(&b);
	} else {
		return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: No matching function with "
			       "signature: %s().", fn);
	}
	return 0;
#undef ARGS
bad_args:
	return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: No matching function with "
		       "signature: %s(%d arguments).", fn, nargs);
}

static int
parse(struct qctx *q, struct sval *out)
{
	struct lexer *lx = q->lx;
	const struct token *t = lex_peek(lx);
	char buf[256];

	memset(out, 0, sizeof *out);
	if (t->kind == TK_NUMBER || t->kind == TK_STRING) {
		set_str(out, t->text, strlen(t->text));
		lex_next(lx);
		return 0;
	}
	if (t->kind == TK_PUNCT && strcmp(t->text, "-") == 0 && lex_peek_at(lx, 1)->kind == TK_NUMBER) {
		lex_next(lx);
		snprintf(buf, sizeof buf, "-%s", lex_next(lx)->text);
		set_str(out, buf, strlen(buf));
		return 0;
	}
	if (t->kind == TK_PUNCT && strcmp(t->text, "(") == 0) {
		lex_next(lx);
		int rc = parse(q, out);
		if (rc)
			return rc;
		if (!lex_punct(lx, ")")) {
			sc_free(out);
			return q_syntax(q);
		}
		return 0;
	}
	if (t->kind == TK_VAR) {
		const char *name = t->text;
		if (!t->sysvar)
			return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: srsim answers no user "
				       "variable (@%s).", name);
		if (su_istarts(name, "session.") || su_istarts(name, "global.") || su_istarts(name, "local."))
			name = strchr(name, '.') + 1;
		const char *v = qv_get(q->cl, name, buf, sizeof buf);
		if (!v)
			return q_error(q, E_UNKNOWN_VAR, "Unknown system variable '%s', the most similar variables are "
				       "{'version', 'version_comment'}", name);
		set_str(out, v, strlen(v));
		lex_next(lx);
		return 0;
	}
	if (t->kind == TK_WORD && su_ieq(t->text, "NULL")) {
		lex_next(lx);
		out->null = true;
		return 0;
	}
	if (t->kind == TK_WORD && (su_ieq(t->text, "TRUE") || su_ieq(t->text, "FALSE"))) {
		set_str(out, su_ieq(t->text, "TRUE") ? "1" : "0", 1);
		lex_next(lx);
		return 0;
	}
	if (t->kind == TK_WORD && lex_is_punct_at(lx, 1, "(")) {
		const char *fn = t->text;
		struct sval args[8];
		int nargs = 0, rc = 0;
		lex_next(lx);
		lex_next(lx);
		if (!lex_punct(lx, ")")) {
			do {
				if (nargs == 8 || (rc = parse(q, &args[nargs])))
					break;
				nargs++;
			} while (lex_punct(lx, ","));
			if (!rc && !lex_punct(lx, ")"))
				rc = q_syntax(q);
		}
		if (!rc)
			rc = call(q, fn, args, nargs, out);
		for (int i = 0; i < nargs; i++)
			sc_free(&args[i]);
		return rc;
	}
	if (t->kind == TK_WORD && (su_ieq(t->text, "CURRENT_TIMESTAMP") || su_ieq(t->text, "CURRENT_USER"))) {
		const char *fn = t->text;
		lex_next(lx);
		return call(q, fn, NULL, 0, out);
	}
	if (t->kind == TK_WORD || t->kind == TK_QIDENT)
		return q_error(q, E_SYNTAX, "Getting analyzing error. Detail message: Column '%s' cannot be resolved.",
			       t->text);
	return q_syntax(q);
}

int
sc_eval(struct qctx *q, struct sval *out)
{
	return parse(q, out);
}
