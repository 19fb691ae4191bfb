/*
 * feconfig: the FE configs a migration reads or sets (facts 3.8, 6), with
 * their per-version defaults and mutability, for ADMIN SHOW/SET FRONTEND
 * CONFIG. Keys starting with "sim_" are srsim's fault switches (faults.c):
 * StarRocks rejects unknown keys, so only that prefix is added to its set.
 */
#ifndef SRSIM_FECONFIG_H
#define SRSIM_FECONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cluster;
struct rs;

void cfg_init(struct cluster *c);
void cfg_free(struct cluster *c);

/* Current values; a key the profile does not have reads as absent (NULL / dflt). */
const char *cfg_get(const struct cluster *c, const char *key);
int64_t cfg_int(const struct cluster *c, const char *key, int64_t dflt);
bool cfg_bool(const struct cluster *c, const char *key);
/* Set at start (scenario "config.<key>"): any existing key, mutable or not. */
bool cfg_preset(struct cluster *c, const char *key, const char *value, char *err, size_t n);

/* ADMIN SHOW FRONTEND CONFIG [LIKE pattern] into rs (6 columns). */
void cfg_show(const struct cluster *c, const char *like, struct rs *rs);
/* ADMIN SET FRONTEND CONFIG: 0, or an error code with msg. */
int cfg_set(struct cluster *c, const char *key, const char *value, char *msg, size_t n);

#endif /* SRSIM_FECONFIG_H */
