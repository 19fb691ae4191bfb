/*
 * config: conf/sync.properties and conf/hosts.properties.
 *
 * One table of options (config.c) drives parsing, defaults, validation, the
 * --help text and the man page. Every key of the official tool's
 * sync.properties is there with its default and meaning, plus ours.
 *
 * Errors are "PATH:LINE: key: why" (or "PATH: key: why" for a key that is
 * missing); cfg_load stops at the first and the caller exits 2. Unknown keys
 * and other doubtful things become warnings, kept in cfg->warnings.
 */
#ifndef SRMIGRATE_CONFIG_H
#define SRMIGRATE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "srmigrate/filter.h"
#include "srmigrate/hostmap.h"

enum ssl_mode { SSL_DISABLED, SSL_PREFERRED, SSL_REQUIRED, SSL_VERIFY_CA, SSL_VERIFY_IDENTITY };

struct hostport {
	char *host;
	int port;
};

struct cluster_cfg {
	char *fe_host;
	int64_t query_port;
	char *user;
	char *password;		/* plain text after cfg_load (decrypted, or from env) */
	char *password_secret_key;	/* wiped after decryption */
	char *token;		/* source only */
	struct hostport *fe_hosts;	/* more FEs to fail over to */
	size_t n_fe_hosts;
	int64_t ssl_mode;	/* enum ssl_mode */
	char *ssl_ca;
	bool password_from_env;
};

struct srm_config {
	char *conf_dir;
	char *log_dir;
	char *sync_path;	/* conf_dir/sync.properties */
	char *hosts_path;	/* conf_dir/hosts.properties */

	bool one_time_run_mode;
	struct cluster_cfg source, target;
	int64_t jdbc_connect_timeout_ms, jdbc_socket_timeout_ms;
	char *include_data_list, *exclude_data_list;	/* as written */
	struct filter filter;				/* parsed from both */

	char *target_cluster_storage_volume;
	bool target_cluster_use_builtin_storage_volume_only;
	int64_t target_cluster_replication_num;
	int64_t target_cluster_max_disk_used_percent;
	int64_t target_cluster_enable_persistent_index;	/* -1 = as the source, 0, 1 */
	int64_t max_replication_data_size_per_job_in_gb;	/* -1 = no limit */

	int64_t meta_job_interval_seconds, meta_job_threads;
	int64_t ddl_job_interval_seconds, ddl_job_batch_size;
	bool ddl_job_allow_drop_target_only;
	bool ddl_job_allow_drop_schema_change_table;
	bool ddl_job_allow_drop_inconsistent_partition;
	bool ddl_job_allow_drop_inconsistent_time_partition;
	bool ddl_job_allow_drop_partition_target_only;
	bool enable_bitmap_index_sync;
	bool ddl_job_allow_drop_inconsistent_bitmap_index;
	bool ddl_job_allow_drop_bitmap_index_target_only;
	bool enable_materialized_view_sync;
	bool ddl_job_allow_drop_inconsistent_materialized_view;
	bool ddl_job_allow_drop_materialized_view_target_only;
	bool enable_view_sync;
	bool ddl_job_allow_drop_inconsistent_view;
	bool ddl_job_allow_drop_view_target_only;
	int64_t replication_job_interval_seconds, replication_job_batch_size;
	int64_t report_interval_seconds;
	bool enable_table_property_sync;

	/* Ours. */
	int64_t ddl_job_confirm_drops;	/* -1 = auto: yes in the TUI, no headless */
	int64_t cutover_quiet_rounds;
	char *control_socket;		/* "" = disabled */
	char *metrics_file;		/* "" = disabled */
	int64_t verify_size_tolerance_percent;
	int64_t cluster_lost_timeout_seconds;

	struct hostmap hosts;

	char **warnings;
	size_t n_warnings;
};

/*
 * Load CONF_DIR/sync.properties (required) and CONF_DIR/hosts.properties
 * (optional), apply the environment (SRMIGRATE_*_PASSWORD) and decrypt
 * passwords. @log_dir fills the LOG_DIR defaults of control_socket and
 * metrics_file. On error returns -1 with err = "PATH:LINE: key: why".
 */
int cfg_load(struct srm_config *cfg, const char *conf_dir, const char *log_dir,
	     char *err, size_t errlen);
/* Parse sync.properties text (tests); @path is only used in messages. */
int cfg_load_text(struct srm_config *cfg, const char *path, const char *text,
		  char *err, size_t errlen);
/* Defaults only, no file (encrypt-password, ctl). */
void cfg_defaults(struct srm_config *cfg, const char *conf_dir, const char *log_dir);
/* Check what a migration needs (hosts set); "PATH: key: why". */
int cfg_require_clusters(const struct srm_config *cfg, char *err, size_t errlen);
void cfg_free(struct srm_config *cfg);

/* The option table, for --help and the man page. */
void cfg_print_keys(FILE *out);		/* key, default, meaning: one per line */
void cfg_print_mdoc(FILE *out);		/* the sync.properties key list in mdoc */
/* Print the effective configuration, secrets masked (status --json uses it too). */
void cfg_dump(const struct srm_config *cfg, FILE *out);

const char *ssl_mode_name(enum ssl_mode m);

#endif /* SRMIGRATE_CONFIG_H */
