/*
 * ddlprint: SHOW CREATE TABLE / VIEW / MATERIALIZED VIEW text in the layout
 * of facts section 5 for the cluster's version and run mode.
 */
#ifndef SRSIM_DDLPRINT_H
#define SRSIM_DDLPRINT_H

#include "catalog.h"

struct cluster;

/* Newly allocated statement text (g_free). */
char *dpr_table(const struct cluster *c, const struct table *t);
char *dpr_view(const struct table *t);
char *dpr_mv(const struct cluster *c, const struct table *t);

/* The range / list cell of SHOW PARTITIONS for one partition. */
char *dpr_part_values(const struct table *t, const struct partition *p);

/*
 * information_schema.partitions_meta PARTITION_KEY: the partition columns
 * joined by ", ". From 3.4 the FE joins Column objects, whose toString() is
 * the column's SQL (`dt` date NOT NULL COMMENT ""); before, their names.
 */
char *dpr_partition_key(const struct cluster *c, const struct table *t);

#endif /* SRSIM_DDLPRINT_H */
