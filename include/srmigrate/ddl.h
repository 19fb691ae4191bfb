/*
 * ddl: the statements srmigrate runs on the target, as text.
 *
 * CREATE TABLE is the source's SHOW CREATE TABLE, rewritten: the name becomes
 * `db`.`table`, and the PROPERTIES follow the target (replica number, storage
 * volume, persistent index, and the properties the target's run mode does
 * not accept are dropped). Everything else is kept as the FE printed it.
 * Identifiers are quoted with backticks, a backtick doubled.
 *
 * Pure functions over strings: no I/O, every result a new string (free()).
 */
#ifndef SRMIGRATE_DDL_H
#define SRMIGRATE_DDL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ddl_rules {
	bool target_shared_data;
	bool source_shared_data;
	int64_t replication_num;	/* -1: keep the source's */
	int64_t persistent_index;	/* -1 keep, 0 false, 1 true (primary-key tables) */
	bool builtin_volume_only;	/* target_cluster_use_builtin_storage_volume_only */
	const char *storage_volume;	/* target_cluster_storage_volume, "" = none */
};

/* One "key" = "value" of a PROPERTIES list. */
struct ddl_prop {
	char *key, *value;
};

struct ddl_props {
	struct ddl_prop *v;
	size_t n;
};

/* CREATE TABLE `db`.`table` ... for the target. NULL with err when the text is not understood. */
char *ddl_create_table(const char *show_create, const char *db, const char *table,
		       const struct ddl_rules *rules, char *err, size_t errlen);

/* A partition to add, as the source's catalog describes it. */
struct ddl_partition {
	const char *db, *table, *name;
	const char *value;	/* the Range / List cell (partitions_meta PARTITION_VALUE) */
	const char *dist_key;	/* "a, b", or "ALL KEY" for random distribution */
	int buckets;		/* 0: automatic */
};

/*
 * ALTER TABLE `db`.`table` ADD PARTITION ... with the source's bounds and
 * distribution. The bounds are the partition's clause in the source's SHOW
 * CREATE TABLE (its replica number following @r like CREATE TABLE's), or,
 * for expression and automatic partitioning, which print no list, the
 * partition's own Range / List cell.
 */
char *ddl_add_partition(const char *show_create, const struct ddl_partition *p, const struct ddl_rules *r,
			char *err, size_t errlen);

/*
 * "VALUES [(lower), (upper))" or "VALUES IN (...)" from a Range / List cell
 * as SHOW PARTITIONS and partitions_meta print it. NULL with err when the
 * cell is not understood.
 */
char *ddl_partition_values(const char *cell, char *err, size_t errlen);

char *ddl_create_database(const char *db);
char *ddl_drop_database(const char *db);
char *ddl_drop_table(const char *db, const char *table);
char *ddl_drop_partition(const char *db, const char *table, const char *partition);

/* The PROPERTIES of a SHOW CREATE TABLE text (empty when none). */
int ddl_props_parse(const char *show_create, struct ddl_props *out, char *err, size_t errlen);
const char *ddl_props_get(const struct ddl_props *p, const char *key);
void ddl_props_set(struct ddl_props *p, const char *key, const char *value);
void ddl_props_del(struct ddl_props *p, const char *key);
void ddl_props_free(struct ddl_props *p);

/* Is @key printed only for one run mode (facts section 5)? */
bool ddl_prop_shared_nothing_only(const char *key);
bool ddl_prop_shared_data_only(const char *key);

#endif /* SRMIGRATE_DDL_H */
