/*
 * test_secret: encrypted passwords exactly as StarRocks makes them
 * (TO_BASE64(AES_ENCRYPT(pw, key)), facts §7), redaction, reading a secret.
 */
#include "unit.h"

#include <ctype.h>
#include <sys/resource.h>

#include "../../src/secret.c"

/* StarRocks's own unit-test vectors (be/test/exprs/encryption_functions_test.cpp) and the docs' example. */
static const struct {
	const char *plain, *key, *hex, *b64;
} vectors[] = {
	{ "key", "key", "CEF5BE724B7B98B63216C95A7BD681C9", "zvW+ckt7mLYyFslae9aByQ==" },
	{ "kewfewy", "doris342422131ey", "424B4E9B042FC5274A77A82BB4BB9826", "QktOmwQvxSdKd6grtLuYJg==" },
	{ "1111111111111111", "1", "915FAA83990E2E62C7C9054DA1CFEA9BED4F45AD3D6BEE46FFBC256CA34670C0",
	  "kV+qg5kOLmLHyQVNoc/qm+1PRa09a+5G/7wlbKNGcMA=" },
	/* A 17-byte key: its 17th byte folds onto the first. */
	{ "ywef23apachedsfwfeejian", "navweefwfwefixuex",
	  "9B247414C29023C0E208DD1C4914EEB1AD7912069B5F47EF7B4E1CBDDDE7551C",
	  "myR0FMKQI8DiCN0cSRTusa15EgabX0fve04cvd3nVRw=" },
	{ "starrocks", "F3229A0B371ED2D9441B830D21A390C3", NULL, "uv/Lhzm74syo8JlfWarwKA==" },
	/*
	 * Empty password, empty key. StarRocks's TO_BASE64 returns NULL for an
	 * empty input, but AES_ENCRYPT('', '') is not empty: it is one block of
	 * PKCS#7 padding (HEX 0143DB63...). secret_encrypt gives the base64 of
	 * that block, and secret_decrypt takes it back to "".
	 */
	{ "", "", "0143DB63EE66B0CDFF9F69917680151E", "AUPbY+5msM3/n2mRdoAVHg==" },
};

static int
teardown(void **state)
{
	(void)state;
	secret_forget_all();
	return 0;
}

static char *
hex_of(const unsigned char *p, int n)
{
	char *s = malloc((size_t)n * 2 + 1);

	for (int i = 0; i < n; i++)
		sprintf(s + 2 * i, "%02X", p[i]);
	s[2 * n] = '\0';
	return s;
}

/* HEX(AES_ENCRYPT(plain, key)) through our encrypt and the base64 decoder. */
static char *
aes_hex(const char *plain, const char *key)
{
	char *b64 = secret_encrypt(plain, key), *hex;
	unsigned char *raw = NULL;
	int n = b64_decode(b64, &raw);

	assert_true(n > 0);
	hex = hex_of(raw, n);
	free(raw);
	free(b64);
	return hex;
}

static void
test_encrypt_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(vectors); i++) {
		char *b64 = secret_encrypt(vectors[i].plain, vectors[i].key);

		assert_string_equal(b64, vectors[i].b64);
		free(b64);
		if (vectors[i].hex) {
			char *hex = aes_hex(vectors[i].plain, vectors[i].key);

			assert_string_equal(hex, vectors[i].hex);
			free(hex);
		}
	}
}

static void
test_decrypt_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(vectors); i++) {
		char *plain = (char *)"sentinel", err[SRM_ERR_LEN] = "";

		assert_int_equal(secret_decrypt(vectors[i].b64, vectors[i].key, &plain, err, sizeof(err)), 0);
		assert_non_null(plain);
		assert_string_equal(plain, vectors[i].plain);
		assert_string_equal(err, "");
		secret_free(plain);
	}
}

/* MariaDB's documented AES_ENCRYPT examples: the same fold, cipher and padding. */
static void
test_mariadb_vectors(void **state)
{
	unsigned char md[64];
	unsigned int n = 0;
	char *hex, *key;

	(void)state;
	hex = aes_hex("This is a test string to encrypt", "This is the AES key to use");
	assert_prefix(hex, "C3448D2B75B4C4F32221F78B7098FCBE");
	free(hex);

	/* AES_ENCRYPT('text', SHA2('passphrase', 512)): a 128-character key, folded 8 times. */
	assert_int_equal(EVP_Digest("passphrase", 10, md, &n, EVP_sha512(), NULL), 1);
	assert_int_equal(n, 64);
	key = hex_of(md, 64);
	for (char *p = key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	hex = aes_hex("text", key);
	assert_string_equal(hex, "09F25245882D04F8AE24FDD5D887B157");
	free(hex);
	free(key);
}

static void
test_fold_key(void **state)
{
	unsigned char k[16], want[16];

	(void)state;
	fold_key("", k);
	memset(want, 0, sizeof(want));
	assert_memory_equal(k, want, 16);

	fold_key("key", k);
	memcpy(want, "key", 3);
	assert_memory_equal(k, want, 16);

	fold_key("navweefwfwefixuex", k);
	memcpy(want, "navweefwfwefixue", 16);
	want[0] = (unsigned char)('n' ^ 'x');
	assert_memory_equal(k, want, 16);

	/* 32 bytes: every byte folded onto its twin 16 further. */
	fold_key("ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP", k);
	memset(want, 0, sizeof(want));
	assert_memory_equal(k, want, 16);
}

/* MySQL's TO_BASE64 breaks lines every 76 characters: such a value still decrypts. */
static void
test_mysql_line_breaks(void **state)
{
	const char *pw = "a rather long password, 60 bytes or so, for a 64-byte cipher";
	char *b64 = secret_encrypt(pw, "k3y"), *mysql, *plain = NULL, err[SRM_ERR_LEN];
	size_t len = strlen(b64);

	(void)state;
	assert_true(len > 76);
	assert_null(strchr(b64, '\n'));		/* ours is one line, as StarRocks prints it */
	mysql = malloc(len + 4);
	memcpy(mysql, b64, 76);
	memcpy(mysql + 76, "\n", 1);
	memcpy(mysql + 77, b64 + 76, len - 76 + 1);
	assert_int_equal(secret_decrypt(mysql, "k3y", &plain, err, sizeof(err)), 0);
	assert_string_equal(plain, pw);
	secret_free(plain);
	/* A CRLF break, and a trailing newline, too. */
	memcpy(mysql + 76, "\r\n", 2);
	memcpy(mysql + 78, b64 + 76, len - 76);
	memcpy(mysql + 78 + len - 76, "\n", 2);
	assert_int_equal(secret_decrypt(mysql, "k3y", &plain, err, sizeof(err)), 0);
	assert_string_equal(plain, pw);
	secret_free(plain);
	free(mysql);
	free(b64);
}

/* A wrong key is an error, never garbage: tried with many keys on every vector. */
static void
test_wrong_key(void **state)
{
	char key[32], err[SRM_ERR_LEN];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(vectors); i++) {
		for (int k = 0; k < 400; k++) {
			char *plain = (char *)"sentinel";

			snprintf(key, sizeof(key), "wrong-%d", k);
			err[0] = '\0';
			if (secret_decrypt(vectors[i].b64, key, &plain, err, sizeof(err)) == 0) {
				/* Only a key that folds to the same 16 bytes may succeed. */
				assert_string_equal(plain, vectors[i].plain);
				secret_free(plain);
				continue;
			}
			assert_null(plain);
			assert_string_equal(err, "wrong secret key, or the value was not encrypted with it");
		}
	}
	/* A key that folds to the same 16 bytes is the same key (StarRocks and MySQL agree). */
	{
		char *plain = NULL;
		const char *twin = ")';AAAAAAAAAAAAABBBAAAAAAAAAAAAA";	/* ")';"^"BBB" = "key" */

		assert_int_equal(strlen(twin), 32);
		assert_int_equal(secret_decrypt("zvW+ckt7mLYyFslae9aByQ==", twin, &plain, err, sizeof(err)), 0);
		assert_string_equal(plain, "key");
		secret_free(plain);
	}
}

static void
test_not_base64(void **state)
{
	static const char *const bad[] = {
		"", "   ", "not base64!", "zvW+ckt7mLYyFslae9aByQ", "QUJD", "zvW+ckt7mLYyFslae9aByQ==zz",
		"zvW+ckt7mLYy\x01Fslae9aByQ==", "zvW+ckt7mLYyFslae9aByQ==\xc3\xa9", "====", "zv==W+ckt7mLYyFslae9aByQ",
		"plain-password-1",
	};
	char err[SRM_ERR_LEN];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char *plain = (char *)"sentinel";

		err[0] = '\0';
		if (secret_decrypt(bad[i], "key", &plain, err, sizeof(err)) == 0)
			print_error("'%s' decrypted to '%s'\n", bad[i], plain);
		assert_null(plain);
		assert_true(strlen(err) > 10);
	}
	/* Right length, wrong content: one block of the 32-byte vector alone. */
	{
		char *plain = (char *)"sentinel";

		assert_int_equal(secret_decrypt("kV+qg5kOLmLHyQVNoc/qmw==", "1", &plain, err, sizeof(err)), -1);
		assert_null(plain);
	}
	/* Not a whole number of blocks: called what it is. */
	{
		char *plain = NULL;

		assert_int_equal(secret_decrypt("QUJDREVGR0g=", "key", &plain, err, sizeof(err)), -1);
		assert_string_equal(err, "the value is not base64 of an AES_ENCRYPT result");
	}
}

static void
test_round_trips(void **state)
{
	static const char *const pw[] = {
		"p@ss ;word #1", "pässwörd-ünïcode", "x", "0123456789abcdef", "0123456789abcdef0",
		"a password longer than forty-seven bytes, which MySQL would wrap",
	};
	char err[SRM_ERR_LEN];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(pw); i++) {
		char *b64 = secret_encrypt(pw[i], "some key"), *plain = NULL;
		size_t blocks = strlen(pw[i]) / 16 + 1;

		assert_int_equal(strlen(b64), (blocks * 16 + 2) / 3 * 4);
		assert_int_equal(secret_decrypt(b64, "some key", &plain, err, sizeof(err)), 0);
		assert_string_equal(plain, pw[i]);
		secret_free(plain);
		free(b64);
	}
	secret_free(NULL);
}

static void
test_redact(void **state)
{
	char buf[256];

	(void)state;
	secret_register("hunter22");
	secret_register("tok-1234");
	secret_register("hunter22");	/* twice is once */
	secret_register("abc");		/* too short to redact */
	secret_register("");
	secret_register(NULL);
	str_copy(buf, sizeof(buf), "pw=hunter22 again hunter22, token tok-1234; abc stays");
	secret_redact(buf, sizeof(buf));
	assert_string_equal(buf, "pw=**** again ****, token ****; abc stays");
	str_copy(buf, sizeof(buf), "hunter22hunter22");
	secret_redact(buf, sizeof(buf));
	assert_string_equal(buf, "********");
	str_copy(buf, sizeof(buf), "hunter2 is not hunter22");
	secret_redact(buf, sizeof(buf));
	assert_string_equal(buf, "hunter2 is not ****");
	str_copy(buf, sizeof(buf), "");
	secret_redact(buf, sizeof(buf));
	assert_string_equal(buf, "");
	secret_forget_all();
	str_copy(buf, sizeof(buf), "hunter22");
	secret_redact(buf, sizeof(buf));
	assert_string_equal(buf, "hunter22");
}

/* One secret inside another: no part of the longer one may show, whatever the order. */
static void
test_redact_nested(void **state)
{
	char buf[128];

	(void)state;
	for (int order = 0; order < 2; order++) {
		secret_forget_all();
		secret_register(order ? "password123" : "pass");
		secret_register(order ? "pass" : "password123");
		str_copy(buf, sizeof(buf), "target password123, source pass.");
		secret_redact(buf, sizeof(buf));
		assert_string_equal(buf, "target ****, source ****.");
	}
}

/* secret_read_line from a pipe on stdin: the prompt on stderr, one line per call. */
static void
test_read_line_pipe(void **state)
{
	int in[2], errp[2], saved_in = dup(STDIN_FILENO), saved_err = dup(STDERR_FILENO);
	const char *feed = "first\r\nsecond line\n\nlast";
	char *l1, *l2, *l3, *l4, *l5, prompt[64] = "";
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(errp), 0);
	assert_int_equal(write(in[1], feed, strlen(feed)), (ssize_t)strlen(feed));
	close(in[1]);
	fflush(stderr);
	assert_true(dup2(in[0], STDIN_FILENO) >= 0);
	assert_true(dup2(errp[1], STDERR_FILENO) >= 0);
	close(in[0]);
	close(errp[1]);
	clearerr(stdin);
	l1 = secret_read_line("pw: ");
	l2 = secret_read_line("key: ");
	l3 = secret_read_line("");
	l4 = secret_read_line("");
	l5 = secret_read_line("");
	fflush(stderr);
	dup2(saved_in, STDIN_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_in);
	close(saved_err);
	clearerr(stdin);
	n = read(errp[0], prompt, sizeof(prompt) - 1);
	close(errp[0]);
	assert_true(n > 0);
	prompt[n] = '\0';
	assert_string_equal(prompt, "pw: key: ");	/* no echo, no extra newline off a tty */
	assert_string_equal(l1, "first");
	assert_string_equal(l2, "second line");
	assert_string_equal(l3, "");
	assert_string_equal(l4, "last");
	assert_null(l5);
	secret_free(l1);
	secret_free(l2);
	secret_free(l3);
	secret_free(l4);
}

static void
test_protect_process(void **state)
{
	struct rlimit rl;

	(void)state;
	secret_protect_process();
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 0);
	assert_int_equal(rl.rlim_max, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_encrypt_vectors, teardown),
		cmocka_unit_test_teardown(test_decrypt_vectors, teardown),
		cmocka_unit_test_teardown(test_mariadb_vectors, teardown),
		cmocka_unit_test_teardown(test_fold_key, teardown),
		cmocka_unit_test_teardown(test_mysql_line_breaks, teardown),
		cmocka_unit_test_teardown(test_wrong_key, teardown),
		cmocka_unit_test_teardown(test_not_base64, teardown),
		cmocka_unit_test_teardown(test_round_trips, teardown),
		cmocka_unit_test_teardown(test_redact, teardown),
		cmocka_unit_test_teardown(test_redact_nested, teardown),
		cmocka_unit_test_teardown(test_read_line_pipe, teardown),
		cmocka_unit_test_teardown(test_protect_process, teardown),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
