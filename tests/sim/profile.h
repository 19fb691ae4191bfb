/*
 * profile: the emulated StarRocks version and run mode of one cluster, and the
 * per-release-line feature gates of the facts ("since 3.1.9 / 3.2.4 / 3.3.0").
 */
#ifndef SRSIM_PROFILE_H
#define SRSIM_PROFILE_H

#include <stdbool.h>

#define PV(a, b, c) ((a) * 1000000 + (b) * 1000 + (c))

struct profile {
	int v;			/* PV(3, 3, 5) */
	bool shared_data;
	char version[32];	/* "3.3.5" */
	char commit[16];	/* "6d81f75" */
};

/* "3.3.5", "4.1.0", "3.5.0-rc01"; versions below 3.1.0 or unparsable are refused. */
bool prof_parse(const char *text, struct profile *p);

/*
 * A feature first released at a different tag per release line. Give the
 * first tag of the 3.1, 3.2, 3.3 and 3.4 lines and of 3.5 and later (for lines
 * after 3.5 the last threshold applies); 0 means "never in that line".
 */
bool prof_since(const struct profile *p, int v31, int v32, int v33, int v34, int v35);

/* Shorthands for gates used in several modules. */
bool prof_has_data_version(const struct profile *p);		/* 3.3.2 / 3.4.0 */
bool prof_has_partitions_meta(const struct profile *p);	/* 3.1.9 / 3.2.4 / 3.3.0 */
bool prof_has_replications_proc(const struct profile *p);	/* 3.1.16 / 3.2.11 / 3.3.4 / 3.4.0 */
bool prof_has_storage_size(const struct profile *p);		/* 3.4.4 / 3.5 */
bool prof_physical_ids_differ(const struct profile *p);	/* 3.4.0 */
bool prof_sorted_properties(const struct profile *p);		/* 3.3.0: TreeMap order */
const char *prof_mysql_version(const struct profile *p);	/* 5.1.0 / 8.0.33 */

#endif /* SRSIM_PROFILE_H */
