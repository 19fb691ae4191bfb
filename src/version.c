/* version: parse StarRocks versions, per-line feature predicates. */
#include "srmigrate/version.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "srmigrate/util.h"

bool
version_parse(const char *s, struct sr_version *v)
{
	const char *p = s;
	int parts[3] = { 0, 0, 0 };

	if (s == NULL)
		return false;
	str_copy(v->text, sizeof(v->text), s);
	while (*p == ' ' || *p == 'v' || *p == 'V')
		p++;
	for (int i = 0; i < 3; i++) {
		long n;
		char *end;

		if (!isdigit((unsigned char)*p))
			return false;
		n = strtol(p, &end, 10);
		if (n < 0 || n > 100000)
			return false;
		parts[i] = (int)n;
		p = end;
		if (i < 2) {
			if (*p != '.')
				return false;
			p++;
		}
	}
	/* What follows must be the build suffix, a pre-release tag or nothing. */
	if (*p != '\0' && *p != '-' && *p != ' ' && *p != '.')
		return false;
	v->major = parts[0];
	v->minor = parts[1];
	v->patch = parts[2];
	return true;
}

int
version_cmp(const struct sr_version *a, int major, int minor, int patch)
{
	if (a->major != major)
		return a->major < major ? -1 : 1;
	if (a->minor != minor)
		return a->minor < minor ? -1 : 1;
	if (a->patch != patch)
		return a->patch < patch ? -1 : 1;
	return 0;
}

bool
version_at_least(const struct sr_version *v, int major, int minor, int patch)
{
	return version_cmp(v, major, minor, patch) >= 0;
}

/*
 * @since lists the first release per line, oldest line first; the last entry
 * covers every later line. A version on an older line than the first has none.
 */
static bool
since_per_line(const struct sr_version *v, const int since[][3], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool same_line = v->major == since[i][0] && v->minor == since[i][1];

		if (same_line)
			return v->patch >= since[i][2];
	}
	return version_at_least(v, since[n - 1][0], since[n - 1][1], since[n - 1][2]);
}

#define SINCE(v, ...)                                                          \
	since_per_line((v), (const int[][3]){ __VA_ARGS__ },                   \
		       sizeof((const int[][3]){ __VA_ARGS__ }) / sizeof(int[3]))

bool
ver_can_be_target(const struct sr_version *v)
{
	return SINCE(v, { 3, 1, 8 }, { 3, 2, 3 });
}

bool
ver_has_partitions_meta(const struct sr_version *v)
{
	return SINCE(v, { 3, 1, 9 }, { 3, 2, 4 }, { 3, 3, 0 });
}

bool
ver_has_data_version(const struct sr_version *v)
{
	return SINCE(v, { 3, 3, 2 }, { 3, 4, 0 });
}

bool
ver_has_replications_proc(const struct sr_version *v)
{
	return SINCE(v, { 3, 1, 16 }, { 3, 2, 11 }, { 3, 3, 4 }, { 3, 4, 0 });
}

bool
ver_has_legacy_compat(const struct sr_version *v)
{
	return SINCE(v, { 3, 1, 10 }, { 3, 2, 5 }, { 3, 3, 0 });
}

bool
ver_has_lake_replication(const struct sr_version *v)
{
	return version_at_least(v, 4, 1, 0);
}

bool
ver_spreads_replicas(const struct sr_version *v)
{
	return SINCE(v, { 3, 1, 11 }, { 3, 2, 5 }, { 3, 3, 0 });
}
