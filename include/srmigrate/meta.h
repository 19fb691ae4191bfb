/*
 * meta: the statements that fill a catalog, per StarRocks version.
 *
 * A pass on one cluster costs a fixed number of statements whatever the
 * number of tables (information_schema bulk reads), except on versions
 * without partitions_meta (3.1.8, 3.2.0-3.2.3), where partitions come from
 * SHOW PARTITIONS per table, read by `threads` connections in parallel.
 *
 * A value that does not parse never becomes a number: the node or table
 * gets an error text and the engine leaves it alone.
 */
#ifndef SRMIGRATE_META_H
#define SRMIGRATE_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srmigrate/catalog.h"
#include "srmigrate/filter.h"
#include "srmigrate/sql.h"

/* Version, FE configuration, frontends, backends and compute nodes. */
int meta_read_cluster(struct sql_pool *p, struct catalog *c, char *err, size_t errlen);
/* Databases, tables and partitions of the objects @f selects. */
int meta_read_objects(struct sql_pool *p, struct catalog *c, const struct filter *f, int threads,
		      char *err, size_t errlen);

/* The definitions of views and materialized views, where their sync is on (one statement each). */
int meta_read_definitions(struct sql_pool *p, struct catalog *c, const struct filter *f, bool views,
			  bool mvs, char *err, size_t errlen);

/* Per-table detail a replication request needs. */
struct meta_index {
	int64_t id;
	const char *name;
	int32_t schema_hash;
};

struct meta_tablet {
	int64_t id;
	uint32_t first_replica;	/* into meta_detail.replica_backend */
	uint16_t n_replicas;
};

struct meta_part_index {
	int64_t partition_id;
	int64_t index_id;
	uint32_t first_tablet, n_tablets;	/* into meta_detail.tablets, ascending id */
};

struct meta_detail {
	struct meta_index *indexes;
	size_t n_indexes;
	struct meta_part_index *pis;
	size_t n_pis;
	struct meta_tablet *tablets;
	size_t n_tablets;
	int64_t *replica_backend;	/* backend (or compute node) id per replica */
	size_t n_replicas;
	void *strings;			/* GStringChunk for index names */
	uint64_t statements;		/* how many this read took */
};

/*
 * Read the indexes of @t and, for each partition id in @part_ids, the tablets
 * of every index (sorted by tablet id, which is bucket order) with their
 * replicas' backends. @with_replicas false skips replica rows where the
 * cluster has none to give (shared-data).
 */
int meta_read_detail(struct sql_conn *conn, const struct catalog *c, const struct cat_table *t,
		     const int64_t *part_ids, size_t n_parts, struct meta_detail *d,
		     char *err, size_t errlen);
void meta_detail_free(struct meta_detail *d);
const struct meta_part_index *meta_detail_find(const struct meta_detail *d, int64_t partition_id,
					       int64_t index_id);

/* SHOW CREATE TABLE text of a table or view (new string), NULL with err. */
char *meta_show_create(struct sql_conn *conn, const char *db, const char *name, char *err,
		       size_t errlen);

/* Parse StarRocks byte sizes: "1234", "0B", "1.2KB", "3 MB", "1.000 GB". -1 if unparsable. */
int64_t meta_parse_size(const char *s);

#endif /* SRMIGRATE_META_H */
