/*
 * catalog: the metadata of one simulated cluster (databases, tables,
 * partitions, materialized indexes, tablets) and its id space.
 *
 * Sizing: a benchmark cluster has 10 000 tables x 10 partitions x 16 buckets x
 * 3 replicas. Tablets and replicas are therefore never objects: StarRocks
 * allocates, per partition and index, one id per bucket for the tablet followed
 * by one id per replica (LocalMetastore: tablet id, then its replica ids), so a
 * partition index only stores its first tablet id and the stride; bucket b's
 * tablet is first + b * stride and its replica r is that + 1 + r. Replica r of
 * bucket b sits on backend (offset + b + r) mod backends. Rows and bytes of a
 * partition are spread evenly over its buckets.
 *
 * All of it is guarded by the world lock (sim.h): read lock to look, write
 * lock to change.
 */
#ifndef SRSIM_CATALOG_H
#define SRSIM_CATALOG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct cluster;

enum model { MODEL_DUP, MODEL_AGG, MODEL_UNIQUE, MODEL_PRIMARY };
enum ptype { PT_UNPARTITIONED, PT_RANGE, PT_LIST, PT_EXPR_RANGE, PT_EXPR_RANGE_V2 };
enum tkind { TK_OLAP, TK_VIEW, TK_MV };

struct column {
	char *name;
	char *type;		/* as printed: "bigint(20)", "varchar(65533)", "date" */
	char *agg;		/* NULL, "SUM", "MAX", "REPLACE", ... */
	char *default_value;	/* a constant DEFAULT, as the value itself (Column.defaultValue) */
	char *default_expr;	/* else a default expression (Column.defaultExpr): "now()", "uuid()" */
	char *generated;	/* AS expression of a generated column, or NULL */
	char *comment;
	bool key, nullable, auto_inc;
	int uid;		/* column unique id */
};

struct kv {
	char *k, *v;
};

struct props {
	struct kv *e;
	int n;
};

struct bitmap_index {
	char *name;
	char **cols;		/* NULL-terminated */
	char *comment;
};

/* A materialized index of a table: the base index, or a rollup / sync MV. */
struct tindex {
	int64_t id;
	char *name;
	int schema_version;
	int32_t schema_hash;
	int short_keys;
	char **cols;		/* rollup columns, NULL-terminated; NULL for the base index */
	char *mv_def;		/* the defining query of a sync materialized view */
};

/* Rows and bytes a partition had at a version, and when (monotonic ms) the
 * next version replaced it. */
struct vpoint {
	int64_t version, rows, size, superseded_ms;
};

struct partition {
	int64_t id;		/* logical */
	int64_t phys_id;	/* physical (PartitionId column); differs from id on >= 3.4 */
	char *name;
	bool temp;
	char **lower, **upper;	/* RANGE keys, one string per partition column */
	char ***lists;		/* LIST items, each an array of one string per column */
	int nlists;
	int buckets, replication_num;
	char *storage_medium;
	int64_t visible_version, visible_time, next_version;
	int64_t data_version, committed_data_version, version_epoch;
	bool txn_replication;	/* VersionTxnType of the last change */
	int64_t rows, size;	/* at the visible (data) version */
	int64_t compact_version;
	int64_t create_time;
	/* versions still readable, oldest first: a BE keeps a replaced
	 * version's rowsets until its stale sweep (world.version_retention) */
	struct vpoint *hist;
	int nhist, hist_cap;
	/* per table index (same order as table->tidx): first tablet id, backend offset */
	int64_t *first_tablet;
	int *be_offset;
};

struct table {
	int64_t id;
	char *name;
	struct db *db;
	enum tkind kind;
	bool cloud_native;
	enum model model;
	struct column *cols;
	int ncols, nkeys;
	enum ptype ptype;
	bool auto_list;		/* PARTITION BY (c1, c2): automatic LIST */
	char *part_expr;	/* expression partitioning: "date_trunc('day', `dt`)" */
	char *part_unit;	/* its time unit ("day", "month" ...), NULL if none */
	int part_step;		/* units per partition: time_slice's INTERVAL n, else 1 */
	bool part_time_slice;	/* time_slice rather than date_trunc */
	char **part_cols;	/* partition column names, NULL-terminated */
	bool random_dist;
	char **dist_cols;	/* NULL-terminated */
	int buckets;		/* 0 = automatic bucketing */
	char **order_cols;	/* ORDER BY sort key, or NULL */
	char *comment;
	struct props props;	/* as given (normalised keys) */
	int replication_num;
	char *storage_volume;	/* cloud-native tables */
	struct bitmap_index *bidx;
	int nbidx;
	struct tindex *tidx;	/* base first */
	int ntidx;
	GPtrArray *parts;	/* struct partition *, creation order, temp ones included */
	int64_t create_time, update_time;
	char *view_def;		/* views and MVs: the query text */
	char *view_cols;	/* a view's column list as written, or NULL */
	char *mv_refresh;	/* MV: "ASYNC", "MANUAL", ... */
	int next_uid;
	int64_t load_seq;	/* loads done, for expression partition names */
};

struct db {
	int64_t id;
	char *name;
	GPtrArray *tables;	/* struct table *, creation order */
	GHashTable *by_name;
	GPtrArray *txn_running;	/* struct txn * (sim.h) */
	GQueue *txn_finished;	/* newest at the tail, at most TXN_KEEP */
	int64_t quota, replica_quota;
};

/* Where a tablet id lives. */
struct tablet_ref {
	struct table *t;
	struct partition *p;
	int slot;		/* index into t->tidx */
	int bucket;
	int replica;		/* -1 for the tablet id itself, else the replica number */
};

const char *cat_model_keys(enum model m);	/* "DUPLICATE KEY" */
const char *cat_model_keys_type(enum model m);	/* "DUP_KEYS" */
const char *cat_model_name(enum model m);	/* "DUPLICATE" (tables_config TABLE_MODEL) */
const char *cat_ptype_name(enum ptype p);	/* "RANGE", "EXPR_RANGE" */
/*
 * Where a cloud-native table's files live: its storage volume's location,
 * else the cluster's default volume's (as the FE puts a table there).
 */
const char *cat_table_location(const struct cluster *c, const struct table *t);

void cat_init(struct cluster *c, int64_t id_base);
void cat_free(struct cluster *c);
int64_t cat_next_id(struct cluster *c);

struct db *cat_db(struct cluster *c, const char *name);
struct db *cat_db_by_id(struct cluster *c, int64_t id);
/* A name or an id, as SHOW PROC lookups accept. */
struct db *cat_db_lookup(struct cluster *c, const char *id_or_name);
struct db *cat_db_create(struct cluster *c, const char *name);
void cat_db_drop(struct cluster *c, struct db *d);
/* Databases sorted by name (SHOW DATABASES) or id (/dbs); caller frees the array. */
GPtrArray *cat_dbs_sorted(struct cluster *c, bool by_id);
bool cat_is_system_db(const char *name);

struct table *cat_table(struct db *d, const char *name);
struct table *cat_table_by_id(struct cluster *c, int64_t id);
struct table *cat_table_lookup(struct db *d, const char *id_or_name);
/* Takes ownership of t (allocated by the DDL parser); assigns ids and creates
 * the base index and every partition with its tablets. */
void cat_table_add(struct cluster *c, struct db *d, struct table *t);
void cat_table_drop(struct cluster *c, struct table *t);
void cat_table_free(struct table *t);
int cat_col_index(const struct table *t, const char *name);	/* -1 if absent */
/* Column.getMetaDefaultValue: the constant, CURRENT_TIMESTAMP or the expression; NULL if none. */
const char *cat_col_default(const struct column *c);

/* Partitions. */
struct partition *cat_part(const struct table *t, const char *name, bool temp);
struct partition *cat_part_by_phys(const struct table *t, int64_t phys_id);
struct partition *cat_part_lookup(const struct table *t, const char *id_or_name);
/* Creates ids and tablets for p (values already set) and adds it to t. */
void cat_part_add(struct cluster *c, struct table *t, struct partition *p);
void cat_part_drop(struct cluster *c, struct table *t, struct partition *p);
void cat_part_free(struct partition *p);
/* Partitions in display order (RANGE by lower bound), temp or not; caller frees. */
GPtrArray *cat_parts_sorted(const struct table *t, bool temp);
int cat_part_count(const struct table *t, bool temp);

/* Indexes and tablets. */
void cat_index_add(struct cluster *c, struct table *t, struct tindex *ix);	/* new tablets too */
void cat_index_drop(struct cluster *c, struct table *t, int slot);
/* Replace the base index (a schema change): new index id, new tablets. */
void cat_index_rebuild(struct cluster *c, struct table *t, int slot);
int cat_tablet_stride(const struct table *t, const struct partition *p);
int64_t cat_tablet_id(const struct table *t, const struct partition *p, int slot, int bucket);
int64_t cat_replica_id(const struct table *t, const struct partition *p, int slot, int bucket, int r);
/* Index into the cluster's BE list (shared-nothing) or worker list (shared-data). */
int cat_replica_node(const struct cluster *c, const struct partition *p, int slot, int bucket, int r);
int cat_replicas(const struct table *t, const struct partition *p);	/* 1 for lake */
int64_t cat_bucket_share(int64_t total, int buckets, int bucket);
bool cat_tablet_find(const struct cluster *c, int64_t id, struct tablet_ref *out);
/* Allocate the tablet and replica ids of index slot of p (bucket order, from
 * the cluster's id counter) and register them for lookups; or forget them. */
void cat_tablets_init(struct cluster *c);
void cat_tablets_make(struct cluster *c, struct table *t, struct partition *p, int slot);
void cat_tablets_add(struct cluster *c, struct table *t, struct partition *p, int slot);
void cat_tablets_remove(struct cluster *c, struct partition *p, int slot);
int64_t cat_table_rows(const struct table *t);
int64_t cat_table_size(const struct table *t);
int64_t cat_table_replica_count(const struct table *t);
int32_t cat_schema_hash(struct cluster *c);

/* Version history of a partition (for "rows at src_version"). */
void cat_part_record(struct partition *p);
bool cat_part_at(const struct partition *p, int64_t version, int64_t *rows, int64_t *size);
/* The version replication compares: data version where the profile has it. */
int64_t cat_part_repl_version(const struct cluster *c, const struct partition *p);

/* Properties. */
const char *props_get(const struct props *p, const char *k);
void props_set(struct props *p, const char *k, const char *v);
void props_del(struct props *p, const char *k);
void props_free(struct props *p);

#endif /* SRSIM_CATALOG_H */
