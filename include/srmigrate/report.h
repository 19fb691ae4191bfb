/*
 * report: the one-shot commands that read both clusters and print.
 *
 *   plan    the DDL statements and the replication jobs a run would issue
 *           now, in order, each job's request read and built (not sent).
 *   status  one comparison per selected table (versions, rows, sizes).
 *   check   the pre-flight checklist; with fix, the fixable items are fixed
 *           (each old value recorded first) and the list checked again.
 *
 * Only check with fix writes to a cluster. They return the exit status.
 */
#ifndef SRMIGRATE_REPORT_H
#define SRMIGRATE_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "srmigrate/config.h"

int report_plan(struct srm_config *cfg, bool confirm_drops, FILE *out);
int report_status(struct srm_config *cfg, bool json, FILE *out);
int report_check(struct srm_config *cfg, bool fix, FILE *out);
/* verify: compare, print, write the report to LOG_DIR; 1 on any mismatch. */
int report_verify(struct srm_config *cfg, bool count, FILE *out);

#endif /* SRMIGRATE_REPORT_H */
