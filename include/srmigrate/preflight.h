/*
 * preflight: the checklist run before anything is written (product.md §6).
 *
 * Each item says PASS, WARN, FAIL or SKIP (and why it was skipped), what was
 * seen (the value, the version, the node), and the fix: a setting srmigrate
 * can change itself after the operator confirms (fixable), or the manual
 * step, ready to copy. A FAIL blocks the start unless the operator forces it.
 *
 * preflight_run only reads; preflight_fix writes one FE setting through
 * settings.h, which records the old value first.
 */
#ifndef SRMIGRATE_PREFLIGHT_H
#define SRMIGRATE_PREFLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#include "srmigrate/catalog.h"
#include "srmigrate/config.h"
#include "srmigrate/event.h"
#include "srmigrate/settings.h"
#include "srmigrate/sql.h"

#define PREFLIGHT_MAX_ITEMS 16

struct check_item {
	struct ev_check ev;	/* key, title, status, seen, fix, fixable, blocks */
	/* For a fixable item: the setting to change. */
	enum side fix_side;
	char fix_key[64];
	char fix_value[64];
};

struct node_reach {
	enum side side;
	enum node_kind kind;
	char host[EV_NAME_LEN];
	bool ok;
	char detail[EV_TEXT_LEN];	/* the first port that failed, and why */
};

struct preflight {
	struct check_item items[PREFLIGHT_MAX_ITEMS];
	size_t n_items;
	struct node_reach *nodes;
	size_t n_nodes;
	unsigned fails, warns;
};

/*
 * Run every check. @cat[s] is NULL when that cluster could not be read
 * (@read_err[s] says why). Reads only (a few extra statements: storage
 * volumes on the shared-data path; TCP connects to every mapped node; one
 * HTTP request to a source BE for the token).
 */
void preflight_run(struct preflight *pf, struct sql_pool pool[2], struct catalog *cat[2],
		   const char *read_err[2], struct srm_config *cfg);
void preflight_free(struct preflight *pf);
const struct check_item *preflight_item(const struct preflight *pf, const char *key);

/* Apply the fix of a fixable item; the old value is recorded first. */
int preflight_fix(const struct check_item *it, struct sql_pool pool[2], struct settings *st,
		  char *msg, size_t msglen);

/* One line per item for `srmigrate check`. */
void preflight_print(const struct preflight *pf, FILE *out);

#endif /* SRMIGRATE_PREFLIGHT_H */
