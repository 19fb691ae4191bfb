#!/usr/bin/env bash
# The man pages and the shipped configuration agree with the code's tables.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

genman=${SRM_BUILD:-build/asan}/tests/tools/genman
srmigrate=${SRMIGRATE:-build/asan/srmigrate}

# The official tool's keys and defaults (its documented conf/sync.properties).
official="one_time_run_mode=false source_fe_host= source_fe_query_port=9030
source_cluster_user=root source_cluster_password= source_cluster_password_secret_key=
source_cluster_token= target_fe_host= target_fe_query_port=9030 target_cluster_user=root
target_cluster_password= target_cluster_password_secret_key= jdbc_connect_timeout_ms=30000
jdbc_socket_timeout_ms=60000 include_data_list= exclude_data_list=
target_cluster_storage_volume= target_cluster_use_builtin_storage_volume_only=false
target_cluster_replication_num=-1 target_cluster_max_disk_used_percent=80
target_cluster_enable_persistent_index= max_replication_data_size_per_job_in_gb=1024
meta_job_interval_seconds=180 meta_job_threads=4 ddl_job_interval_seconds=10
ddl_job_batch_size=10 ddl_job_allow_drop_target_only=false
ddl_job_allow_drop_schema_change_table=true ddl_job_allow_drop_inconsistent_partition=true
ddl_job_allow_drop_inconsistent_time_partition=true ddl_job_allow_drop_partition_target_only=true
enable_bitmap_index_sync=false ddl_job_allow_drop_inconsistent_bitmap_index=true
ddl_job_allow_drop_bitmap_index_target_only=true enable_materialized_view_sync=false
ddl_job_allow_drop_inconsistent_materialized_view=true
ddl_job_allow_drop_materialized_view_target_only=false enable_view_sync=false
ddl_job_allow_drop_inconsistent_view=true ddl_job_allow_drop_view_target_only=false
replication_job_interval_seconds=10 replication_job_batch_size=10 report_interval_seconds=300
enable_table_property_sync=false"

man_blocks_current() {
	"$genman" check man || t_fail "generated man page blocks are stale (make man)"
}

man_lint_clean() {
	local out
	out=$(mandoc -Tlint -Wwarning man/srmigrate.1 man/srmigrate.conf.5 2>&1)
	[ -z "$out" ] || t_fail "mandoc: $out"
}

man_renders() {
	local page
	for page in man/srmigrate.1 man/srmigrate.conf.5; do
		MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q "SEE ALSO" || t_fail "$page does not render"
	done
}

official_defaults_shipped() {
	local kv
	for kv in $official; do
		grep -qx -- "$kv" conf/sync.properties || t_fail "conf/sync.properties lacks '$kv'"
	done
}

official_defaults_built_in() {
	local kv key value
	# --help-keys prints "  key   default" then the meaning.
	for kv in $official; do
		key=${kv%%=*} value=${kv#*=}
		[ -z "$value" ] && value="(empty)"
		"$srmigrate" --help-keys | awk -v k="$key" -v v="$value" '$1 == k && $2 == v { f = 1 }
			END { exit !f }' || t_fail "built-in default of $key is not $value"
	done
}

every_key_documented() {
	local key
	for key in $("$srmigrate" --help-keys | awk '/^  [a-z_]+ /{print $1}'); do
		grep -q "^#\?$key=" conf/sync.properties || t_fail "conf/sync.properties lacks $key"
		grep -q "^.It Cm $key " man/srmigrate.conf.5 || t_fail "srmigrate.conf.5 lacks $key"
	done
}

t_run man_blocks_current man_blocks_current
t_run man_lint_clean man_lint_clean
t_run man_renders man_renders
t_run official_defaults_shipped official_defaults_shipped
t_run official_defaults_built_in official_defaults_built_in
t_run every_key_documented every_key_documented
t_done
