/*
 * test_hostmap: conf/hosts.properties, the address map. A mapped host keeps
 * unmapped ports; an unknown host passes through; sides never mix; every
 * error is "PATH:LINE: why".
 */
#include "unit.h"

#include "srmigrate/hostmap.h"
#include "srmigrate/util.h"

#define PATH "conf/hosts.properties"

struct want {
	enum side side;
	const char *host;
	int port;
	const char *to_host;
	int to_port;
	bool mapped;
};

static void
check(const struct hostmap *m, const struct want *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *h = NULL;
		int p = -1;
		bool hit = hostmap_resolve(m, w[i].side, w[i].host, w[i].port, &h, &p);

		if (hit != w[i].mapped || strcmp(h, w[i].to_host) != 0 || p != w[i].to_port)
			print_error("%s %s:%d gave %s %s:%d, want %s %s:%d\n", side_name(w[i].side),
				    w[i].host, w[i].port, hit ? "mapped" : "unmapped", h, p,
				    w[i].mapped ? "mapped" : "unmapped", w[i].to_host, w[i].to_port);
		assert_int_equal(hit, w[i].mapped);
		assert_string_equal(h, w[i].to_host);
		assert_int_equal(p, w[i].to_port);
		if (!hit)	/* passes through: the caller's own string */
			assert_ptr_equal(h, w[i].host);
	}
}

static void
load_ok(struct hostmap *m, const char *text)
{
	char err[SRM_ERR_LEN] = "";
	int rc = hostmap_load_text(m, PATH, text, err, sizeof(err));

	if (rc != 0)
		print_error("%s\n", err);
	assert_int_equal(rc, 0);
}

/* @text must fail, with exactly @want. */
static void
load_bad(const char *text, const char *want)
{
	struct hostmap m;
	char err[SRM_ERR_LEN] = "";

	assert_int_equal(hostmap_load_text(&m, PATH, text, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	hostmap_free(&m);
}

static void
test_ports(void **state)
{
	struct hostmap m;
	const struct want w[] = {
		{ SIDE_SOURCE, "h", 9030, "m", 19030, true },
		{ SIDE_SOURCE, "h", 8030, "m", 18030, true },
		/* A port without a remap keeps its number, on the mapped host. */
		{ SIDE_SOURCE, "h", 9060, "m", 9060, true },
		{ SIDE_SOURCE, "h", 19030, "m", 19030, true },
		/* Host names are DNS names: case does not matter. */
		{ SIDE_SOURCE, "H", 9030, "m", 19030, true },
		/* The other side does not see SOURCE_ entries. */
		{ SIDE_TARGET, "h", 9030, "h", 9030, false },
		/* An unknown host passes through unchanged. */
		{ SIDE_SOURCE, "other", 9030, "other", 9030, false },
		{ SIDE_SOURCE, "h2", 9030, "h2", 9030, false },
	};

	(void)state;
	load_ok(&m, "SOURCE_h=m;9030:19030,8030:18030\n");
	assert_int_equal(m.n, 1);
	assert_int_equal(m.entries[0].side, SIDE_SOURCE);
	assert_string_equal(m.entries[0].host, "h");
	assert_string_equal(m.entries[0].mapped, "m");
	assert_int_equal(m.entries[0].n_ports, 2);
	assert_int_equal(m.entries[0].line, 1);
	check(&m, w, ARRAY_LEN(w));
	hostmap_free(&m);
	assert_int_equal(m.n, 0);
	assert_null(m.index);
}

/* The reference's own example file. */
static void
test_reference_example(void **state)
{
	struct hostmap m;
	const struct want w[] = {
		{ SIDE_SOURCE, "192.1.1.1", 8030, "10.1.1.1", 38030, true },
		{ SIDE_SOURCE, "192.1.1.1", 9030, "10.1.1.1", 39030, true },
		{ SIDE_SOURCE, "192.1.1.1", 9060, "10.1.1.1", 9060, true },
		{ SIDE_SOURCE, "192.1.1.2", 9030, "10.1.1.2", 9030, true },
		{ SIDE_SOURCE, "192.1.1.3", 9030, "192.1.1.3", 9030, false },
		{ SIDE_TARGET, "fe-0.starrocks.svc.cluster.local", 9030, "10.1.2.1", 19030, true },
		{ SIDE_TARGET, "FE-0.StarRocks.svc.cluster.local", 9020, "10.1.2.1", 9020, true },
		{ SIDE_SOURCE, "fe-0.starrocks.svc.cluster.local", 9030, "fe-0.starrocks.svc.cluster.local",
		  9030, false },
		{ SIDE_TARGET, "192.1.1.1", 9030, "192.1.1.1", 9030, false },
	};

	(void)state;
	load_ok(&m, "# <SOURCE/TARGET>_<host>=<mappedHost>[;<srcPort>:<dstPort>[,<srcPort>:<dstPort>...]]\n"
		    "SOURCE_192.1.1.1=10.1.1.1;8030:38030,9030:39030\n"
		    "SOURCE_192.1.1.2=10.1.1.2\n"
		    "TARGET_fe-0.starrocks.svc.cluster.local=10.1.2.1;9030:19030\n");
	assert_int_equal(m.n, 3);
	assert_int_equal(m.entries[2].line, 4);
	check(&m, w, ARRAY_LEN(w));
	hostmap_free(&m);
}

/* One host on both sides, mapped differently; blanks around the parts are ignored. */
static void
test_sides_apart(void **state)
{
	struct hostmap m;
	const struct want w[] = {
		{ SIDE_SOURCE, "fe-0", 9030, "127.0.0.11", 19030, true },
		{ SIDE_TARGET, "fe-0", 9030, "127.0.0.12", 29030, true },
		{ SIDE_TARGET, "fe-0", 9020, "127.0.0.12", 29020, true },
		{ SIDE_SOURCE, "fe-0", 9020, "127.0.0.11", 9020, true },
	};

	(void)state;
	load_ok(&m, "SOURCE_fe-0 = 127.0.0.11 ; 9030 : 19030\n"
		    "\n"
		    "  # comment\n"
		    "TARGET_fe-0=127.0.0.12;9030:29030, 9020:29020\n");
	assert_int_equal(m.n, 2);
	assert_int_equal(m.entries[1].line, 4);
	check(&m, w, ARRAY_LEN(w));
	hostmap_free(&m);
}

static void
test_errors(void **state)
{
	(void)state;
	load_bad("# c\nsource_h=m\n",
		 PATH ":2: key 'source_h' must be SOURCE_<host> or TARGET_<host>");
	load_bad("BOTH_h=m\n", PATH ":1: key 'BOTH_h' must be SOURCE_<host> or TARGET_<host>");
	load_bad("\n\nSOURCE_=m\n", PATH ":3: key 'SOURCE_' names no host");
	load_bad("TARGET_h=\n", PATH ":1: '' is not a host to map h to");
	load_bad("TARGET_h= ;9030:1\n", PATH ":1: '' is not a host to map h to");
	load_bad("TARGET_h=a b\n", PATH ":1: 'a b' is not a host to map h to");
	load_bad("TARGET_h=a,b\n", PATH ":1: 'a,b' is not a host to map h to");
	load_bad("SOURCE_h=m;9030\n", PATH ":1: port pair '9030' is not <srcPort>:<dstPort>");
	load_bad("SOURCE_h=m;\n", PATH ":1: ';' must be followed by <srcPort>:<dstPort>[,...]");
	load_bad("SOURCE_h=m;0:9030\n", PATH ":1: port pair '0:9030' has a bad port (1 to 65535)");
	load_bad("SOURCE_h=m;9030:70000\n", PATH ":1: port pair '9030:70000' has a bad port (1 to 65535)");
	load_bad("SOURCE_h=m;9030:x\n", PATH ":1: port pair '9030:x' has a bad port (1 to 65535)");
	load_bad("SOURCE_h=m;-1:9030\n", PATH ":1: port pair '-1:9030' has a bad port (1 to 65535)");
	load_bad("SOURCE_h=m;9030:1,8030:2,9030:3\n", PATH ":1: port 9030 is mapped twice");
	load_bad("SOURCE_h=m\nTARGET_h=n\n# c\nSOURCE_H=n\n",
		 PATH ":4: SOURCE_H is mapped again (first on line 1)");
	load_bad("SOURCE_h=m\n[hosts]\n", PATH ":2: [hosts]: sections are not used in this file");
	load_bad("SOURCE_h=m\nnot a mapping\n", PATH ":2: not a key=value line");
}

/*
 * The key ends at the first '=' or ':' (as in Java properties), so an IPv6
 * host cannot be a key: its remainder must not become a silent "mapped host".
 */
static void
test_ipv6_key_refused(void **state)
{
	struct hostmap m;
	char err[SRM_ERR_LEN] = "";

	(void)state;
	assert_int_equal(hostmap_load_text(&m, PATH, "SOURCE_fd00::1=127.0.0.11\n", err, sizeof(err)), -1);
	assert_prefix(err, PATH ":1: ");
	assert_contains(err, "IPv6");
	hostmap_free(&m);
	/* An IPv6 mapped host is fine in the value. */
	load_ok(&m, "SOURCE_be-1=fd00::1;9060:19060\n");
	{
		const struct want w[] = { { SIDE_SOURCE, "be-1", 9060, "fd00::1", 19060, true } };

		check(&m, w, 1);
	}
	hostmap_free(&m);
}

static void
test_files(void **state)
{
	char *dir = ut_tmpdir("hostmap"), *path = ut_path(dir, "hosts.properties");
	struct hostmap m;
	char err[SRM_ERR_LEN] = "", *want;
	const struct want none[] = { { SIDE_SOURCE, "h", 9030, "h", 9030, false } };
	const struct want some[] = { { SIDE_TARGET, "h", 9030, "m", 9031, true } };

	(void)state;
	/* A missing file is an empty map. */
	assert_int_equal(hostmap_load(&m, path, err, sizeof(err)), 0);
	assert_int_equal(m.n, 0);
	check(&m, none, 1);
	hostmap_free(&m);

	ut_write(path, "TARGET_h=m;9030:9031\n", 0644);
	assert_int_equal(hostmap_load(&m, path, err, sizeof(err)), 0);
	check(&m, some, 1);
	hostmap_free(&m);

	ut_write(path, "# c\nTARGET_h=m;9030:9031\nTARGET_x=;1:2\n", 0644);
	assert_int_equal(hostmap_load(&m, path, err, sizeof(err)), -1);
	if (asprintf(&want, "%s:3: ", path) < 0)
		abort();
	assert_prefix(err, want);
	free(want);
	hostmap_free(&m);

	/* An empty file is an empty map too. */
	ut_write(path, "", 0644);
	assert_int_equal(hostmap_load(&m, path, err, sizeof(err)), 0);
	assert_int_equal(m.n, 0);
	hostmap_free(&m);
	free(path);
	ut_rmtree(dir);
}

/* A map that was never loaded (all zero) resolves nothing and does not crash. */
static void
test_zero_map(void **state)
{
	struct hostmap m;
	const struct want w[] = { { SIDE_TARGET, "x", 1, "x", 1, false } };

	(void)state;
	memset(&m, 0, sizeof(m));
	check(&m, w, 1);
	hostmap_free(&m);
}

/* Many entries: the index survives the array growing while loading. */
static void
test_many_entries(void **state)
{
	struct hostmap m;
	size_t cap = 200 * 64, len = 0;
	char *text = malloc(cap), host[32], to[32];

	(void)state;
	for (int i = 0; i < 200; i++)
		len += (size_t)snprintf(text + len, cap - len, "%s_node-%d=10.9.%d.%d;9060:%d\n",
					i % 2 ? "TARGET" : "SOURCE", i, i / 256, i % 256, 10000 + i);
	load_ok(&m, text);
	assert_int_equal(m.n, 200);
	for (int i = 0; i < 200; i++) {
		const char *h;
		int p;

		snprintf(host, sizeof(host), "NODE-%d", i);
		snprintf(to, sizeof(to), "10.9.%d.%d", i / 256, i % 256);
		assert_true(hostmap_resolve(&m, i % 2 ? SIDE_TARGET : SIDE_SOURCE, host, 9060, &h, &p));
		assert_string_equal(h, to);
		assert_int_equal(p, 10000 + i);
		assert_false(hostmap_resolve(&m, i % 2 ? SIDE_SOURCE : SIDE_TARGET, host, 9060, &h, &p));
	}
	hostmap_free(&m);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_reference_example),
		cmocka_unit_test(test_sides_apart),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_ipv6_key_refused),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_zero_map),
		cmocka_unit_test(test_many_entries),
	};

	cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
