/* secret: password decryption, the redaction registry, process protection. */
#include "srmigrate/secret.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include "srmigrate/util.h"

/* StarRocks's aes_create_key (MySQL's fold): XOR every key byte into buf[i % 16]. */
static void
fold_key(const char *key, unsigned char out[16])
{
	memset(out, 0, 16);
	for (size_t i = 0; key[i]; i++)
		out[i % 16] ^= (unsigned char)key[i];
}

/* Standard base64, line breaks and blanks ignored. Returns bytes or -1. */
static int
b64_decode(const char *in, unsigned char **out)
{
	size_t len = strlen(in), n = 0;
	char *clean = xmalloc(len + 1);
	int outlen = 0, fin = 0, rc = -1;
	EVP_ENCODE_CTX *ctx;

	for (size_t i = 0; i < len; i++) {
		char c = in[i];

		if (c == '\n' || c == '\r' || c == ' ' || c == '\t')
			continue;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '/' || c == '='))
			goto done;
		clean[n++] = c;
	}
	if (n == 0 || n % 4 != 0)
		goto done;
	*out = xmalloc(n);
	ctx = EVP_ENCODE_CTX_new();
	if (ctx == NULL)
		srm_die("out of memory (base64)");
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, *out, &outlen, (unsigned char *)clean, (int)n) < 0 ||
	    EVP_DecodeFinal(ctx, *out + outlen, &fin) != 1) {
		free(*out);
		*out = NULL;
	} else {
		rc = outlen + fin;
	}
	EVP_ENCODE_CTX_free(ctx);
done:
	free(clean);
	return rc;
}

/* A password is text: valid UTF-8 without control characters. */
static bool
plausible_text(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t k;

		if (c < 0x20 || c == 0x7f)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		k = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (k == 0 || i + k > n)
			return false;
		for (size_t j = 1; j < k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
		i += k;
	}
	return true;
}

int
secret_decrypt(const char *b64, const char *key, char **out, char *err, size_t errlen)
{
	unsigned char k[16], *cipher = NULL, *plain = NULL;
	int clen, plen = 0, fin = 0, rc = -1;
	EVP_CIPHER_CTX *ctx;

	*out = NULL;
	clen = b64_decode(b64, &cipher);
	if (clen <= 0 || clen % 16 != 0) {
		str_fmt(err, errlen, "the value is not base64 of an AES_ENCRYPT result");
		free(cipher);
		return -1;
	}
	fold_key(key, k);
	plain = xmalloc((size_t)clen + 16);
	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL)
		srm_die("out of memory (cipher)");
	if (EVP_DecryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, k, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 1) != 1 ||
	    EVP_DecryptUpdate(ctx, plain, &plen, cipher, clen) != 1 ||
	    EVP_DecryptFinal_ex(ctx, plain + plen, &fin) != 1 ||
	    !plausible_text(plain, (size_t)(plen + fin))) {
		str_fmt(err, errlen, "wrong secret key, or the value was not encrypted with it");
	} else {
		*out = xstrndup((char *)plain, (size_t)(plen + fin));
		rc = 0;
	}
	EVP_CIPHER_CTX_free(ctx);
	mem_wipe(k, sizeof(k));
	mem_wipe(plain, (size_t)clen + 16);
	free(plain);
	free(cipher);
	return rc;
}

char *
secret_encrypt(const char *plain, const char *key)
{
	unsigned char k[16];
	size_t n = strlen(plain);
	unsigned char *cipher = xmalloc(n + 32);
	char *b64;
	int clen = 0, fin = 0;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (ctx == NULL)
		srm_die("out of memory (cipher)");
	fold_key(key, k);
	if (EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, k, NULL) != 1 ||
	    EVP_EncryptUpdate(ctx, cipher, &clen, (const unsigned char *)plain, (int)n) != 1 ||
	    EVP_EncryptFinal_ex(ctx, cipher + clen, &fin) != 1)
		srm_die("AES-128-ECB encryption failed");
	EVP_CIPHER_CTX_free(ctx);
	mem_wipe(k, sizeof(k));
	b64 = xmalloc(((size_t)(clen + fin) + 2) / 3 * 4 + 1);
	EVP_EncodeBlock((unsigned char *)b64, cipher, clen + fin);
	free(cipher);
	return b64;
}

void
secret_free(char *s)
{
	if (s) {
		mem_wipe(s, strlen(s));
		free(s);
	}
}

/* --- redaction ------------------------------------------------------------ */

/* Shorter secrets are not redacted: doing so would garble every log line. */
#define REDACT_MIN 4

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static char **reg;
static size_t n_reg;

void
secret_register(const char *s)
{
	if (s == NULL || strlen(s) < REDACT_MIN)
		return;
	pthread_mutex_lock(&reg_lock);
	for (size_t i = 0; i < n_reg; i++) {
		if (str_eq(reg[i], s)) {
			pthread_mutex_unlock(&reg_lock);
			return;
		}
	}
	/*
	 * Longest first: when one secret contains another ("pass" in
	 * "password123"), the longer must go whole, or its tail would show.
	 */
	size_t at = 0, len = strlen(s);

	while (at < n_reg && strlen(reg[at]) >= len)
		at++;
	reg = xrealloc(reg, (n_reg + 1) * sizeof(*reg));
	memmove(&reg[at + 1], &reg[at], (n_reg - at) * sizeof(*reg));
	reg[at] = xstrdup(s);
	n_reg++;
	pthread_mutex_unlock(&reg_lock);
}

void
secret_redact(char *buf, size_t len)
{
	pthread_mutex_lock(&reg_lock);
	for (size_t i = 0; i < n_reg; i++) {
		size_t slen = strlen(reg[i]);
		char *p = buf;

		while ((p = strstr(p, reg[i])) != NULL) {
			size_t tail = strlen(p + slen);

			/* "****" is never longer than a registered secret. */
			memcpy(p, "****", 4);
			memmove(p + 4, p + slen, tail + 1);
			p += 4;
		}
	}
	pthread_mutex_unlock(&reg_lock);
	(void)len;
}

void
secret_forget_all(void)
{
	pthread_mutex_lock(&reg_lock);
	for (size_t i = 0; i < n_reg; i++)
		secret_free(reg[i]);
	free(reg);
	reg = NULL;
	n_reg = 0;
	pthread_mutex_unlock(&reg_lock);
}

void
secret_protect_process(void)
{
	struct rlimit none = { 0, 0 };

	setrlimit(RLIMIT_CORE, &none);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
	/* The sanitizers' leak checker must ptrace us: only release builds lock out. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

char *
secret_read_line(const char *prompt)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	fputs(prompt, stderr);
	fflush(stderr);
	if (tty && tcgetattr(STDIN_FILENO, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	} else {
		tty = false;
	}
	n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (n < 0) {
		/* At EOF getline may have allocated a buffer without a string in it. */
		mem_wipe(line, cap);
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}
