/*
 * infoschema: the information_schema tables a migration reads (facts 4.6):
 * tables, tables_config, partitions_meta (where the version has it),
 * be_tablets, materialized_views, columns, views, schemata. Rows go through
 * the SELECT engine; equality and IN conditions on the names and ids only
 * narrow which objects are visited.
 */
#ifndef SRSIM_INFOSCHEMA_H
#define SRSIM_INFOSCHEMA_H

#include <stdbool.h>

#include "result.h"
#include "select.h"
#include "sim.h"

/* NULL-terminated names of the answered tables. */
const char *const *is_table_names(void);
/* Produce the rows of information_schema.<name>; false if the table does not
 * exist for this version (the caller answers "Unknown table"). */
bool is_produce(struct cluster *c, const char *name, const struct sel_plan *plan, struct rs *rs);
/* SHOW MATERIALIZED VIEWS (lower-case titles) or information_schema.materialized_views. */
void is_mv_rows(struct cluster *c, struct db *only, const char *like, bool upper, struct rs *rs);

/* Shared by infoschema.c and isbulk.c. */

/* The values a top-level "col = v" / "col IN (...)" of the plan allows; NULL
 * when the plan does not narrow col (an empty set when it contradicts). */
GHashTable *is_eq_set(const struct sel_plan *p, const char *col);
bool is_allowed(GHashTable *set, const char *v);
bool is_allowed_i(GHashTable *set, int64_t v);
void is_set_free(GHashTable *s);
/* Column types (0 = VARCHAR) of the first n produced columns. */
void is_types(struct rs *rs, const int *t, int n);
void is_partitions_meta_rows(struct cluster *c, const struct sel_plan *plan, struct rs *rs);
void is_be_tablets_rows(struct cluster *c, const struct sel_plan *plan, struct rs *rs);

/* Tables in db order then creation order, narrowed by schema and name sets. */
#define FOR_TABLES(c, sch, nam, d, t)                                                         \
	for (guint _di = 0; _di < (c)->dbs->len; _di++)                                        \
		for (struct db *d = g_ptr_array_index((c)->dbs, _di); d && is_allowed(sch, d->name); d = NULL) \
			for (guint _ti = 0; _ti < d->tables->len; _ti++)                       \
				for (struct table *t = g_ptr_array_index(d->tables, _ti);      \
				     t && is_allowed(nam, t->name); t = NULL)

#endif /* SRSIM_INFOSCHEMA_H */
