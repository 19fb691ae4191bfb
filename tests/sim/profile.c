/*
 * profile: emulated version and feature gates.
 */
#include "profile.h"

#include <stdio.h>
#include <string.h>

bool
prof_parse(const char *text, struct profile *p)
{
	int a = 0, b = 0, c = 0;

	if (!text || sscanf(text, "%d.%d.%d", &a, &b, &c) < 2)
		return false;
	if (a < 3 || (a == 3 && b < 1) || a > 9 || b > 99 || c > 999)
		return false;
	p->v = PV(a, b, c);
	snprintf(p->version, sizeof p->version, "%s", text);
	return true;
}

bool
prof_since(const struct profile *p, int v31, int v32, int v33, int v34, int v35)
{
	int line = p->v / 1000;
	int gate;

	if (line == 3001)
		gate = v31;
	else if (line == 3002)
		gate = v32;
	else if (line == 3003)
		gate = v33;
	else if (line == 3004)
		gate = v34;
	else
		gate = v35;
	return gate != 0 && p->v >= gate;
}

bool
prof_has_data_version(const struct profile *p)
{
	return prof_since(p, 0, 0, PV(3, 3, 2), PV(3, 4, 0), PV(3, 5, 0));
}

bool
prof_has_partitions_meta(const struct profile *p)
{
	return prof_since(p, PV(3, 1, 9), PV(3, 2, 4), PV(3, 3, 0), PV(3, 4, 0), PV(3, 5, 0));
}

bool
prof_has_replications_proc(const struct profile *p)
{
	return prof_since(p, PV(3, 1, 16), PV(3, 2, 11), PV(3, 3, 4), PV(3, 4, 0), PV(3, 5, 0));
}

bool
prof_has_storage_size(const struct profile *p)
{
	return prof_since(p, 0, 0, 0, PV(3, 4, 4), PV(3, 5, 0));
}

bool
prof_physical_ids_differ(const struct profile *p)
{
	return p->v >= PV(3, 4, 0);
}

bool
prof_sorted_properties(const struct profile *p)
{
	return p->v >= PV(3, 3, 0);
}

const char *
prof_mysql_version(const struct profile *p)
{
	return p->v >= PV(3, 4, 0) ? "8.0.33" : "5.1.0";
}
