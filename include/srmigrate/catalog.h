/*
 * catalog: what one meta pass knows about one cluster.
 *
 * A catalog is built by meta.c, read by everything else, and replaced whole
 * at the next pass. Strings live in one chunk owned by the catalog; tables
 * and partitions are plain arrays (a table's partitions are one contiguous
 * slice), so 100 000 partitions cost a few allocations, not 100 000.
 */
#ifndef SRMIGRATE_CATALOG_H
#define SRMIGRATE_CATALOG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srmigrate/event.h"
#include "srmigrate/version.h"

enum table_kind {
	TK_OTHER,
	TK_OLAP,		/* shared-nothing native table */
	TK_CLOUD_NATIVE,	/* shared-data native table */
	TK_MV,			/* materialized view (either mode) */
	TK_VIEW,
};

enum keys_type { KT_UNKNOWN, KT_DUP, KT_AGG, KT_UNIQUE, KT_PRIMARY };

struct cat_node {
	enum node_kind kind;
	int64_t id;
	const char *host;	/* the IP column */
	int query_port, http_port, rpc_port;	/* FE */
	int be_port, heartbeat_port;		/* BE / CN (http_port shared) */
	bool alive;
	bool is_leader;
	double disk_pct;	/* MaxDiskUsedPct (BE), < 0 unknown */
	int64_t avail_bytes;	/* AvailCapacity (BE), < 0 unknown */
	const char *version;
	const char *error;
};

struct cat_part {
	const char *name;
	int64_t id;		/* physical partition id */
	int64_t visible_version;
	int64_t data_version;	/* -1 where the version has none */
	int64_t version_epoch;	/* -1 where none */
	int64_t rows, bytes;
	int32_t buckets, replication_num;
	const char *value;	/* the Range / List cell */
	const char *dist_key;
	const char *storage_path;
};

struct cat_table {
	const char *db, *name;
	int64_t db_id, id;
	enum table_kind kind;
	enum keys_type keys;
	const char *partition_key, *distribute_key, *sort_key, *properties;
	const char *definition;		/* a view's or materialized view's query, when read */
	int32_t buckets;
	int64_t rows, bytes;
	uint32_t first_part, n_parts;	/* slice of catalog.parts */
	bool parts_known;		/* partitions were read */
	const char *error;		/* a value we could not parse: not acted on */
};

struct cat_db {
	const char *name;
	int64_t id;
};

/* A storage volume of a shared-data cluster (DESC STORAGE VOLUME). */
struct cat_volume {
	const char *name, *type, *location, *params;
	bool is_default;
};

struct catalog {
	_Atomic int refs;		/* tasks may hold a catalog while a new one replaces it */
	enum side side;
	struct sr_version version;
	bool version_known;
	bool shared_data;
	int64_t read_ms;		/* wall clock when the pass ended */

	struct cat_node *nodes;
	size_t n_nodes;
	struct cat_db *dbs;
	size_t n_dbs;
	struct cat_volume *volumes;	/* shared-data clusters only */
	size_t n_volumes;
	struct cat_table *tables;
	size_t n_tables;
	struct cat_part *parts;
	size_t n_parts;

	void *configs;			/* GHashTable key -> value (FE config) */
	void *table_index;		/* GHashTable "db\x1ftable" -> table position + 1 */
	void *strings;			/* GStringChunk */
};

/* A new catalog with one reference. */
struct catalog *catalog_new(enum side side);
struct catalog *catalog_ref(struct catalog *c);
/* Drop a reference; the last one frees. NULL is fine. */
void catalog_unref(struct catalog *c);

/* Copy @s into the catalog's string chunk (NULL stays NULL). */
const char *catalog_str(struct catalog *c, const char *s);

struct cat_db *catalog_add_db(struct catalog *c, const char *name, int64_t id);
const struct cat_db *catalog_db(const struct catalog *c, const char *name);
struct cat_table *catalog_add_table(struct catalog *c, const char *db, const char *name);
struct cat_table *catalog_table(const struct catalog *c, const char *db, const char *name);
struct cat_node *catalog_add_node(struct catalog *c, enum node_kind kind);

void catalog_set_config(struct catalog *c, const char *key, const char *value);
const char *catalog_config(const struct catalog *c, const char *key);
/* A numeric config, or @def when absent or not a number. */
int64_t catalog_config_i64(const struct catalog *c, const char *key, int64_t def);

/*
 * Partitions arrive in any order (one bulk query); collect them with
 * catalog_part_add, then catalog_parts_done groups them per table.
 */
struct cat_part *catalog_part_add(struct catalog *c, struct cat_table *t);
void catalog_parts_done(struct catalog *c);
/* The partitions of @t (n in *n), sorted by name. */
const struct cat_part *catalog_parts(const struct catalog *c, const struct cat_table *t, size_t *n);
const struct cat_part *catalog_part(const struct catalog *c, const struct cat_table *t,
				    const char *name);

/*
 * Versions a replication compares. The request carries the source's visible
 * version (the version its BEs or lake metadata hold); the target FE stores
 * it as the partition's DataVersion (3.3.2+) or VisibleVersion (older). So a
 * partition is in sync when target_version == source_version.
 */
int64_t cat_source_version(const struct cat_part *p);
int64_t cat_target_version(const struct cat_part *p);

struct cat_volume *catalog_add_volume(struct catalog *c);
/* The volume whose location starts @path (a table's storage path), or NULL. */
const struct cat_volume *catalog_volume_of(const struct catalog *c, const char *path);
/*
 * The StarOS service id in a shared-data table's storage path: StarMgr lays
 * table files out as <volume location>/<service id>/db<dbId>/<tableId>, so it
 * is the segment before "db<dbId>/<tableId>". Copies it to @out; false when
 * the path does not have that shape.
 */
bool catalog_service_id(const char *path, int64_t db_id, int64_t table_id, char *out, size_t len);

const struct cat_node *catalog_leader(const struct catalog *c);
const struct cat_node *catalog_backend(const struct catalog *c, int64_t id);

const char *table_kind_name(enum table_kind k);

#endif /* SRMIGRATE_CATALOG_H */
