/*
 * fuzz_hosts: hosts.properties text through hostmap_load_text, then every
 * host it maps looked up again, in another case and with each mapped port.
 */
#include <glib.h>

#include "fuzz/fuzz.h"
#include "srmigrate/hostmap.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hostmap m;
	char err[512] = "", *text = fuzz_text(data, size);
	const char *host;
	int port;

	if (hostmap_load_text(&m, "conf/hosts.properties", text, err, sizeof(err)) != 0)
		FUZZ_CHECK(strncmp(err, "conf/hosts.properties", 21) == 0);
	for (size_t i = 0; i < m.n; i++) {
		const struct hostmap_entry *e = &m.entries[i];
		char *upper = g_ascii_strup(e->host, -1);

		FUZZ_CHECK(e->mapped[0] != '\0' && e->host[0] != '\0');
		FUZZ_CHECK(hostmap_resolve(&m, e->side, upper, 9030, &host, &port));
		FUZZ_CHECK(host == e->mapped);
		for (size_t k = 0; k < e->n_ports; k++) {
			FUZZ_CHECK(hostmap_resolve(&m, e->side, e->host, e->ports[k].from, &host, &port));
			FUZZ_CHECK(port >= 1 && port <= 65535);
		}
		g_free(upper);
	}
	/* An unknown host passes through unchanged. */
	FUZZ_CHECK(!hostmap_resolve(&m, SIDE_TARGET, "no-such-host.invalid", 1234, &host, &port) ||
		   m.n > 0);
	hostmap_free(&m);
	free(text);
	return 0;
}
