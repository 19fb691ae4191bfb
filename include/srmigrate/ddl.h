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
/* CREATE VIEW `db`.`view` ...: the source's text, only the name changed. */
char *ddl_create_view(const char *show_create, const char *db, const char *view, char *err,
		      size_t errlen);
/* CREATE MATERIALIZED VIEW `db`.`mv` ...: the name, and PROPERTIES by the rules as for a table. */
char *ddl_create_mv(const char *show_create, const char *db, const char *mv,
		    const struct ddl_rules *rules, char *err, size_t errlen);
/* The query of a CREATE [MATERIALIZED] VIEW text: what follows its top-level AS (NULL if none). */
const char *ddl_defining_query(const char *create);

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
char *ddl_drop_view(const char *db, const char *view);
char *ddl_drop_mv(const char *db, const char *mv);

/*
 * A table's schema as SHOW CREATE TABLE prints it: its columns and indexes.
 * Types are normalised so that two versions' spellings of one type compare
 * equal ("bigint(20)" and "bigint", "decimal64(10, 2)" and "decimal(10,2)").
 */
struct ddl_column {
	char *name;		/* unquoted */
	char *type;		/* normalised */
	char *agg;		/* SUM, REPLACE ... or NULL */
	bool nullable;
};

struct ddl_index {
	char *name;		/* unquoted */
	char *columns;		/* "(`a`, `b`)" as printed */
	char *using;		/* BITMAP, NGRAMBF ... */
	char *comment;		/* the quoted comment as printed, or NULL */
};

struct ddl_schema {
	struct ddl_column *cols;
	size_t n_cols;
	struct ddl_index *idx;
	size_t n_idx;
};

/* @name: the table's, to find it as the FE prints it (NULL: read it as an identifier). */
int ddl_schema_parse(const char *show_create, const char *name, struct ddl_schema *out, char *err,
		     size_t errlen);
void ddl_schema_free(struct ddl_schema *s);
/* The first way the source's columns differ from the target's, in @why; false when they agree. */
bool ddl_columns_differ(const struct ddl_schema *src, const struct ddl_schema *tgt, char *why,
			size_t len);
const struct ddl_index *ddl_schema_index(const struct ddl_schema *s, const char *name);
/* Same columns and kind (comments aside). */
bool ddl_index_equal(const struct ddl_index *a, const struct ddl_index *b);
char *ddl_create_index(const char *db, const char *table, const struct ddl_index *ix);
char *ddl_drop_index(const char *db, const char *table, const char *index);

/* May ALTER TABLE ... SET change @key after the table exists? */
bool ddl_prop_settable(const char *key);
/*
 * The settable properties whose value on the target (@tgt_show) differs from
 * what creating the table from the source (@src_show) by @r would give, with
 * the wanted values. -1 with err when a PROPERTIES list is not understood.
 * Properties only the target has are left alone.
 */
int ddl_property_changes(const char *src_show, const char *tgt_show, const struct ddl_rules *r,
			 struct ddl_props *changes, char *err, size_t errlen);
/* ALTER TABLE `db`.`table` SET ("key" = "value"). */
char *ddl_set_property(const char *db, const char *table, const char *key, const char *value);

/*
 * The tables a query reads: each name after FROM (at the top, or in a
 * parenthesised SELECT or WITH, not in a function's arguments) or after
 * JOIN, as a (db, table) pair, @default_db for an unqualified name, each
 * pair once. Returns the number of pairs, in a new array of 2n strings
 * (free each, then it).
 */
size_t ddl_query_tables(const char *query, const char *default_db, char ***pairs);

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
