/*
 * secret: passwords and tokens.
 *
 * The official tool's encrypted passwords are TO_BASE64(AES_ENCRYPT(pw, key)):
 * AES-128-ECB, the key XOR-folded into 16 bytes, PKCS#7 padding, standard
 * base64 (MySQL's line breaks every 76 characters are accepted).
 *
 * Every secret in use is registered here; secret_redact() replaces them in
 * any text before it reaches a log, the screen or an error message. While
 * secrets are in memory the process is not dumpable and writes no core file.
 */
#ifndef SRMIGRATE_SECRET_H
#define SRMIGRATE_SECRET_H

#include <stddef.h>

/*
 * Decrypt @b64 with @key into a new string (*out, free with secret_free).
 * A wrong key or a value that is not an encrypted password is an error
 * ("why" in err), never garbage.
 */
int secret_decrypt(const char *b64, const char *key, char **out, char *err, size_t errlen);
/* Encrypt @plain with @key; the base64 text for *_cluster_password. */
char *secret_encrypt(const char *plain, const char *key);
/* Wipe and free. */
void secret_free(char *s);

/* Remember @s (if non-empty) so secret_redact() hides it. */
void secret_register(const char *s);
/* Replace every registered secret in @buf (NUL-terminated, @len bytes of room) with "****". */
void secret_redact(char *buf, size_t len);
/* Forget every registered secret (tests). */
void secret_forget_all(void);

/* No core dump and no ptrace while secrets are held. */
void secret_protect_process(void);

/*
 * Read a line from the terminal without echo (or from stdin when it is not a
 * terminal), after printing @prompt to stderr. Returns a new string or NULL.
 */
char *secret_read_line(const char *prompt);

#endif /* SRMIGRATE_SECRET_H */
