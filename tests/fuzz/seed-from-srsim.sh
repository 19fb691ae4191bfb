#!/usr/bin/env bash
# Regenerate the srsim-made part of the seed corpus (run from the top of the
# tree after `make`; needs the mariadb client). For each version profile and
# run mode it starts srsim on a generated scenario (every table model and
# partitioning kind) and writes
#   corpus/fuzz_ddl/<version>-<mode>-<model>-<partitioning>.sql
#       SHOW CREATE TABLE texts, as the FE prints them
#   corpus/fuzz_meta/<version>-<mode>.txt
#       the answers to the statements meta.c sends, in fuzz_meta's script format
#   corpus/fuzz_version/<version>-<mode>.txt
#       @@version_comment
set -eu -o pipefail
cd "$(dirname "$0")"
srsim=${SRSIM:-../../build/rel/srsim}
out=$PWD/corpus
profiles="3.1.8:shared_nothing 3.2.3:shared_nothing 3.3.5:shared_nothing 3.3.5:shared_data
	  3.4.4:shared_nothing 3.5.2:shared_nothing 3.5.2:shared_data 4.1.0:shared_data"
models=(duplicate aggregate unique primary)
kinds=(range list none expr auto)

dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT

# One statement, tab-separated rows with titles; NULL cells as \N.
q() { mariadb -h127.0.0.1 -P"$port" -uroot -pseed --batch -e "$1" | sed ':a; s/\tNULL\(\t\|$\)/\t\\N\1/; ta'; }
section() { printf '> %s\n' "$1"; q "$2"; printf '\n'; }

mkdir -p "$out/fuzz_ddl" "$out/fuzz_meta" "$out/fuzz_version"
for p in $profiles; do
	version=${p%:*} mode=${p#*:}
	cat >"$dir/scenario.ini" <<-INI
	[source]
	version = $version
	run_mode = $mode
	user = root
	password = seed

	[target]
	version = $version
	run_mode = $mode
	user = root
	password = seed

	[generate]
	databases = 1
	tables = 20
	partitions = 2
	rows = 100
	partitioning = range,list,none,expr,auto

	[view source gen_db_000.v_recent]
	query = SELECT k1, dt, v1 FROM gen_db_000.t_00000 WHERE v1 > 0

	[mv source gen_db_000.mv_daily]
	query = SELECT dt, sum(v1) AS total FROM gen_db_000.t_00000 GROUP BY dt
	INI
	"$srsim" --scenario "$dir/scenario.ini" --dir "$dir" --speed 50 >"$dir/ready" 2>"$dir/log" &
	pid=$!
	for _ in $(seq 50); do grep -q READY "$dir/ready" 2>/dev/null && break; sleep 0.2; done
	port=$(sed -n 's/^SOURCE_QUERY_PORT=//p' "$dir/ports.env")
	name=$version-$mode
	q "SELECT @@version_comment" | tail -n 1 >"$out/fuzz_version/$name.txt"

	# One table per model, each with another partitioning kind.
	for i in 0 5 10 15 19; do
		t=$(printf 't_%05d' "$i")
		mariadb -h127.0.0.1 -P"$port" -uroot -pseed --batch --raw --skip-column-names \
			-e "SHOW CREATE TABLE gen_db_000.$t" | sed '1s/^[^\t]*\t//' \
			>"$out/fuzz_ddl/$name-${models[i % 4]}-${kinds[(i / 4) % 5]}.sql"
	done

	for v in v_recent mv_daily; do
		mariadb -h127.0.0.1 -P"$port" -uroot -pseed --batch --raw --skip-column-names \
			-e "SHOW CREATE TABLE gen_db_000.$v" | sed '1s/^[^\t]*\t//' >"$out/fuzz_ddl/$name-$v.sql"
	done

	where="WHERE TABLE_SCHEMA NOT IN ('information_schema', '_statistics_', 'sys')"
	db=$(q "SHOW PROC '/dbs'" | awk -F'\t' '$2 == "gen_db_000" { print $1 }')
	tid=$(q "SELECT TABLE_ID FROM information_schema.tables_config WHERE TABLE_NAME = 't_00000'" | tail -n 1)
	{
		section "SELECT @@version_comment" "SELECT @@version_comment"
		printf '> ADMIN SHOW FRONTEND CONFIG\n'
		q "ADMIN SHOW FRONTEND CONFIG" | awk -F'\t' 'NR == 1 || $1 ~ /^(run_mode|enable_legacy_compatibility_for_replication|max_replication_data_size_per_job_in_gb|lake_compaction_max_tasks|replication_max_parallel_table_count|replication_transaction_timeout_sec)$/'
		printf '\n'
		section "SHOW FRONTENDS" "SHOW FRONTENDS"
		section "SHOW BACKENDS" "SHOW BACKENDS"
		section "SHOW COMPUTE NODES" "SHOW COMPUTE NODES"
		if [ "$mode" = shared_data ]; then
			section "SHOW STORAGE VOLUMES" "SHOW STORAGE VOLUMES"
			for v in $(q "SHOW STORAGE VOLUMES" | tail -n +2); do
				section "DESC STORAGE VOLUME \`$v\`" "DESC STORAGE VOLUME \`$v\`"
			done
		fi
		section "SHOW PROC '/dbs'" "SHOW PROC '/dbs'"
		section "SELECT * FROM information_schema.tables_config" \
			"SELECT * FROM information_schema.tables_config $where AND (TABLE_NAME <= 't_00004' OR TABLE_NAME >= 'v')"
		section "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_ROWS, DATA_LENGTH FROM information_schema.tables" \
			"SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_ROWS, DATA_LENGTH FROM information_schema.tables $where AND (TABLE_NAME <= 't_00004' OR TABLE_NAME >= 'v')"
		# partitions_meta: 3.1.9 / 3.2.4 / 3.3.0 on.
		if [ "$version" != 3.1.8 ] && [ "$version" != 3.2.3 ]; then
			section "SELECT * FROM information_schema.partitions_meta" \
				"SELECT * FROM information_schema.partitions_meta WHERE DB_NAME = 'gen_db_000' AND TABLE_NAME <= 't_00004'"
		else
			for i in 0 1 2 3 4; do
				t=$(printf 't_%05d' "$i")
				section "SHOW PARTITIONS FROM \`gen_db_000\`.\`$t\`" "SHOW PARTITIONS FROM gen_db_000.$t"
			done
		fi
		section "SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION FROM information_schema.views" \
			"SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION FROM information_schema.views $where"
		section "SELECT TABLE_SCHEMA, TABLE_NAME, MATERIALIZED_VIEW_DEFINITION FROM information_schema.materialized_views" \
			"SELECT TABLE_SCHEMA, TABLE_NAME, MATERIALIZED_VIEW_DEFINITION FROM information_schema.materialized_views $where"
		# The detail of t_00000: its indexes, and the tablets of each partition.
		section "SHOW PROC '/dbs/$db/$tid/index_schema'" "SHOW PROC '/dbs/$db/$tid/index_schema'"
		idx=$(q "SHOW PROC '/dbs/$db/$tid/index_schema'" | awk -F'\t' 'NR == 2 { print $1 }')
		for part in $(q "SHOW PARTITIONS FROM gen_db_000.t_00000" | awk -F'\t' 'NR > 1 { print $1 }'); do
			section "SHOW PROC '/dbs/$db/$tid/partitions/$part/$idx'" \
				"SHOW PROC '/dbs/$db/$tid/partitions/$part/$idx'"
		done
		section "SHOW CREATE TABLE \`gen_db_000\`.\`t_00000\`" "SHOW CREATE TABLE gen_db_000.t_00000"
	} >"$out/fuzz_meta/$name.txt"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=
	rm -rf "${dir:?}"/*
done
