/*
 * files: what srsim writes into --dir once every listener is up:
 * ports.env (the four main ports first, then one line per node port),
 * sync.properties (a valid file of the official tool pointing at fe-0 of
 * each cluster by its .invalid name) and hosts.properties (every node name
 * and default port mapped to 127.0.0.1 and the real port).
 */
#ifndef SRSIM_FILES_H
#define SRSIM_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario.h"

bool files_write(const char *dir, GPtrArray *sections, char *err, size_t n);
/* "READY SOURCE_QUERY_PORT=... TARGET_RPC_PORT=..." */
char *files_ready_line(void);

#endif /* SRSIM_FILES_H */
