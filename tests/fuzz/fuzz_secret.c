/*
 * fuzz_secret: encrypted passwords and redaction.
 *
 * Input lines: an encrypted value, a key, then any text. The value is
 * decrypted with the key (a wrong one is an error, never garbage); the first
 * line is encrypted with the key and must decrypt back; every line of at
 * least four bytes is registered, and the whole input redacted must show
 * none of them.
 */
#include <glib.h>
#include <stdbool.h>

#include "fuzz/fuzz.h"
#include "srmigrate/secret.h"

/* UTF-8 without control characters: what a password may be. */
static bool
is_text(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return g_utf8_validate(s, -1, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), *copy = fuzz_text(data, size), *save = NULL;
	char *value = strtok_r(copy, "\n", &save);
	char *key = value ? strtok_r(NULL, "\n", &save) : NULL;
	char err[512], *plain = NULL, *enc;

	if (value && key) {
		if (secret_decrypt(value, key, &plain, err, sizeof(err)) != 0)
			FUZZ_CHECK(plain == NULL && err[0] != '\0');
		secret_free(plain);
		plain = NULL;
		/* Round trip: text that may be a password comes back as it went. */
		enc = secret_encrypt(value, key);
		if (secret_decrypt(enc, key, &plain, err, sizeof(err)) == 0)
			FUZZ_CHECK(strcmp(plain, value) == 0);
		else
			FUZZ_CHECK(!is_text(value));
		secret_free(plain);
		free(enc);
	}
	free(copy);

	/* Redaction: no registered secret (without a '*', which "****" could form) survives. */
	copy = fuzz_text(data, size);
	save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		secret_register(line);
	secret_redact(text, size + 1);
	free(copy);
	copy = fuzz_text(data, size);
	save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (strlen(line) >= 4 && strchr(line, '*') == NULL)
			FUZZ_CHECK(strstr(text, line) == NULL);
	secret_forget_all();
	free(copy);
	free(text);
	return 0;
}
