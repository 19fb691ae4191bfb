/*
 * verify: prove the target matches the source, table by table.
 *
 * Per selected table: the same partitions, per partition the target's
 * replicated version equal to the source's visible version and equal row
 * counts (partitions_meta, or SHOW PARTITIONS), the data size within
 * verify_size_tolerance_percent, and with @count an exact SELECT COUNT(*) on
 * both sides. Every mismatch is named in a text and a JSON report written to
 * LOG_DIR (verify-<time>.txt / .json).
 *
 * Row counts in partitions_meta come from the backends' tablet statistics,
 * which StarRocks refreshes in the background: right after a load they may
 * lag on either side. The report says so; --count gives the exact answer.
 */
#ifndef SRMIGRATE_VERIFY_H
#define SRMIGRATE_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "srmigrate/catalog.h"
#include "srmigrate/config.h"
#include "srmigrate/sql.h"

struct verify_issue {
	char table[EV_NAME_LEN];
	char partition[EV_NAME_LEN];	/* "" for a table-level issue */
	char what[EV_TEXT_LEN];
};

struct verify_report {
	size_t tables, partitions;
	size_t n_issues;
	struct verify_issue *issues;
	bool counted;
	int64_t started_ms, ended_ms;
	char text_path[512], json_path[512];
};

/* Compare; @count adds SELECT COUNT(*) per table on both sides. */
void verify_run(struct sql_pool pool[2], const struct catalog *src, const struct catalog *tgt,
		const struct srm_config *cfg, bool count, struct verify_report *out);
/* Write LOG_DIR/verify-<time>.txt and .json (paths kept in the report). */
int verify_write(struct verify_report *r, const char *log_dir, char *err, size_t errlen);
void verify_print(const struct verify_report *r, FILE *out);
void verify_free(struct verify_report *r);

#endif /* SRMIGRATE_VERIFY_H */
