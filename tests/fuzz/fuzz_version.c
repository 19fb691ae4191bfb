/*
 * fuzz_version: version strings as @@version_comment and the Version columns
 * print them, through version_parse and every feature predicate.
 */
#include <stdbool.h>

#include "fuzz/fuzz.h"
#include "srmigrate/version.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct sr_version v;

	memset(&v, 0x5a, sizeof(v));
	if (version_parse(text, &v)) {
		FUZZ_CHECK(v.major >= 0 && v.minor >= 0 && v.patch >= 0);
		FUZZ_CHECK(memchr(v.text, '\0', sizeof(v.text)) != NULL);
		FUZZ_CHECK(version_cmp(&v, v.major, v.minor, v.patch) == 0);
		FUZZ_CHECK(version_at_least(&v, 0, 0, 0));
		/* Each fact implies the older ones it builds on. */
		if (ver_has_data_version(&v))
			FUZZ_CHECK(ver_has_partitions_meta(&v));
		if (ver_has_partitions_meta(&v))
			FUZZ_CHECK(ver_can_be_target(&v));
		ver_has_replications_proc(&v);
		ver_has_legacy_compat(&v);
		ver_has_lake_replication(&v);
		ver_spreads_replicas(&v);
	}
	free(text);
	return 0;
}
