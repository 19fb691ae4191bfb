/*
 * scenario: the INI file that sets up the world: clusters ([source],
 * [target]), users, storage volumes, databases and tables (explicit or
 * generated), loads, replication timings and faults. Every key is documented
 * in tests/sim/README.md. Loading builds the whole world before any listener
 * starts.
 */
#ifndef SRSIM_SCENARIO_H
#define SRSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "node.h"

struct scn_section {
	char *head;		/* "table source sales.orders" */
	char *kind, *side, *name;	/* split head; side NULL when not given */
	GPtrArray *keys, *vals;	/* in file order; a repeated key (continuation line) is joined */
	int line;
};

/* Read a scenario; on failure err says file:line and why. */
GPtrArray *scn_read(const char *path, char *err, size_t n);
void scn_free(GPtrArray *sections);
const char *scn_get(const struct scn_section *s, const char *key);

/* Build the world from the sections (clusters, nodes, catalog, loads, faults). */
bool scn_build(GPtrArray *sections, struct node_ports fixed[2], char *err, size_t n);
/* Free the world at exit. */
void scn_teardown(void);

/* populate.c: databases and tables of the scenario on the built clusters. */
bool pop_catalog(GPtrArray *sections, char *err, size_t n);

#endif /* SRSIM_SCENARIO_H */
