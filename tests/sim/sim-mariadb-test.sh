#!/usr/bin/env bash
# srsim with the mariadb command-line client: login, the statements the client
# sends by itself, errors as the client prints them, and a clean stop.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

SRSIM=${SRSIM:-./tests/sim/srsim}
base=${SRM_TMP:-/tmp}
dir=$(mktemp -d "$base/srsim-cli-XXXXXX")
pid=

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ -z "${SRM_KEEP:-}" ] && rm -rf "$dir"
}
trap cleanup EXIT

cat >"$dir/scenario.ini" <<'EOF'
[source]
version = 3.3.5
password = p@ss;word
be = 3
[target]
version = 3.4.4
password = tgt
[table odd_db.`we;ird ``name é`]
rows = 42
EOF

"$SRSIM" --scenario "$dir/scenario.ini" --dir "$dir/run" --speed 10 >"$dir/stdout" 2>"$dir/stderr" &
pid=$!
for _ in $(seq 100); do
	grep -q '^READY' "$dir/stdout" 2>/dev/null && break
	sleep 0.1
done
port=$(sed -n 's/^SOURCE_QUERY_PORT=//p' "$dir/run/ports.env" 2>/dev/null)
tport=$(sed -n 's/^TARGET_QUERY_PORT=//p' "$dir/run/ports.env" 2>/dev/null)

sql() {
	mariadb --protocol=tcp -h127.0.0.1 -P"$port" -uroot -p'p@ss;word' --batch --skip-column-names "$@"
}

t_ready() {
	grep -q '^READY SOURCE_QUERY_PORT=' "$dir/stdout" || t_fail "no READY line: $(cat "$dir/stderr")"
	[ -n "$port" ] && [ -n "$tport" ] || t_fail "no ports in ports.env"
}

t_version_comment() {
	local out
	out=$(sql -e 'select @@version_comment limit 1') || t_fail "query failed"
	[ "$out" = "3.3.5-6d81f75" ] || t_fail "version_comment: $out"
}

t_interactive_client() {
	# the client in a pseudo terminal sends its own start-up statements
	command -v script >/dev/null || return 0
	local out
	out=$(printf 'show databases;\nquit\n' | script -qec "mariadb --protocol=tcp -h127.0.0.1 -P$port -uroot -p'p@ss;word'" /dev/null 2>&1)
	echo "$out" | grep -q 'odd_db' || t_fail "interactive session: $out"
	echo "$out" | grep -q 'Server version: 5.1.0' || t_fail "no server version in the banner: $out"
}

t_wrong_password() {
	local err
	err=$(mariadb --protocol=tcp -h127.0.0.1 -P"$port" -uroot -pwrong -e 'select 1' 2>&1) && t_fail "login worked"
	echo "$err" | grep -q "ERROR 1045 (28000): Access denied for user 'root' (using password: YES)" ||
		t_fail "unexpected: $err"
}

t_odd_names() {
	local out
	out=$(sql -e 'show tables from odd_db') || t_fail "show tables failed"
	[ "$out" = 'we;ird `name é' ] || t_fail "table name: $out"
	out=$(sql -e 'select count(*) from odd_db.`we;ird ``name é`') || t_fail "count failed"
	[ "$out" = 42 ] || t_fail "count: $out"
}

t_syntax_error() {
	local err
	err=$(sql -e 'this is not sql' 2>&1) && t_fail "accepted"
	echo "$err" | grep -q 'ERROR 1064 (HY000)' || t_fail "unexpected: $err"
}

t_target_version() {
	local out
	out=$(mariadb --protocol=tcp -h127.0.0.1 -P"$tport" -uroot -ptgt --batch --skip-column-names \
		-e 'select version()') || t_fail "query failed"
	[ "$out" = "8.0.33" ] || t_fail "version(): $out"
}

t_clean_stop() {
	kill -TERM "$pid"
	local rc=0
	wait "$pid" || rc=$?
	pid=
	[ "$rc" -eq 0 ] || t_fail "srsim exited $rc: $(tail -5 "$dir/stderr")"
	grep -q '^SOURCE_STATEMENTS=' "$dir/run/stats.env" || t_fail "no stats.env at exit"
}

t_run sim_cli_ready t_ready
t_run sim_cli_version_comment t_version_comment
t_run sim_cli_interactive t_interactive_client
t_run sim_cli_wrong_password t_wrong_password
t_run sim_cli_odd_names t_odd_names
t_run sim_cli_syntax_error t_syntax_error
t_run sim_cli_target_version t_target_version
t_run sim_cli_clean_stop t_clean_stop
t_done
