/*
 * version: StarRocks versions and what each one has.
 *
 * Features were back-ported, so "since" is per release line: a fact like
 * "3.1.9 / 3.2.4 / 3.3.0" means 3.1.x from 3.1.9, 3.2.x from 3.2.4 and every
 * release from 3.3.0 on. Every version-dependent fact the client uses is a
 * predicate here, with its source in starrocks-protocol.md.
 */
#ifndef SRMIGRATE_VERSION_H
#define SRMIGRATE_VERSION_H

#include <stdbool.h>

struct sr_version {
	int major, minor, patch;
	char text[48];		/* as reported, e.g. "3.3.5-6d81f75" */
};

/* "3.3.5-6d81f75", "3.3.5", "v3.3.5" -> 3.3.5. Returns false when unparsable. */
bool version_parse(const char *s, struct sr_version *v);
int version_cmp(const struct sr_version *a, int major, int minor, int patch);
bool version_at_least(const struct sr_version *v, int major, int minor, int patch);

/* A target FE can take startTableReplication: 3.1.8+ on 3.1, 3.2.3+ (facts §1.1, tool docs). */
bool ver_can_be_target(const struct sr_version *v);
/* information_schema.partitions_meta: 3.1.9 / 3.2.4 / 3.3.0 (facts §4.6). */
bool ver_has_partitions_meta(const struct sr_version *v);
/* Partition DataVersion and VersionEpoch: 3.3.2 / 3.4.0 (facts §4.3, §1.3). */
bool ver_has_data_version(const struct sr_version *v);
/* SHOW PROC '/replications': 3.1.16 / 3.2.11 / 3.3.4 / 3.4.0 (facts §3.5). */
bool ver_has_replications_proc(const struct sr_version *v);
/* enable_legacy_compatibility_for_replication: 3.1.10 / 3.2.5 / 3.3.0 (facts §3.6). */
bool ver_has_legacy_compat(const struct sr_version *v);
/* Shared-data to shared-data replication (request fields 10-14): target 4.1+. */
bool ver_has_lake_replication(const struct sr_version *v);
/* More source replicas than target ones are spread: 3.1.11 / 3.2.5 / 3.3.0 (facts §3.1.7). */
bool ver_spreads_replicas(const struct sr_version *v);

#endif /* SRMIGRATE_VERSION_H */
