/*
 * fuzz_config: sync.properties text through cfg_load_text, as srmigrate
 * reads it (defaults first, then the file, then the checks and the
 * decryption of passwords), then printed back by cfg_dump.
 */
#include <stdbool.h>

#include "fuzz/fuzz.h"
#include "srmigrate/config.h"
#include "srmigrate/secret.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool once;
	struct srm_config cfg;
	char err[512] = "", *text = fuzz_text(data, size);
	FILE *out;
	int rc;

	if (!once) {
		/* The environment would win over the file's passwords. */
		unsetenv("SRMIGRATE_SOURCE_PASSWORD");
		unsetenv("SRMIGRATE_TARGET_PASSWORD");
		once = true;
	}
	cfg_defaults(&cfg, "conf", "log");
	rc = cfg_load_text(&cfg, "conf/sync.properties", text, err, sizeof(err));
	/* An error is always explained, and names the file. */
	FUZZ_CHECK(rc == 0 || strncmp(err, "conf/sync.properties", 20) == 0);
	if (rc == 0) {
		FUZZ_CHECK(cfg.source.password != NULL && cfg.target.password != NULL);
		FUZZ_CHECK(cfg.source.ssl_mode >= SSL_DISABLED && cfg.source.ssl_mode <= SSL_VERIFY_IDENTITY);
		for (size_t i = 0; i < cfg.source.n_fe_hosts; i++)
			FUZZ_CHECK(cfg.source.fe_hosts[i].port >= 1 && cfg.source.fe_hosts[i].port <= 65535);
		for (size_t i = 0; i < cfg.filter.n_include; i++)
			FUZZ_CHECK(cfg.filter.include[i].db[0] != '\0');
		cfg_require_clusters(&cfg, err, sizeof(err));
		out = fopen("/dev/null", "w");
		if (out) {
			cfg_dump(&cfg, out);
			fclose(out);
		}
	}
	cfg_free(&cfg);
	secret_forget_all();
	free(text);
	return 0;
}
