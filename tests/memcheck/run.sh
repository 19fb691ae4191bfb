#!/usr/bin/env bash
# make memcheck: a whole migration on srsim, srmigrate under valgrind.
#
#   tests/memcheck/run.sh BUILD
#
# BUILD/srsim plays both clusters (a few tables, every model and
# partitioning kind); BUILD/srmigrate (a release build: valgrind and the
# sanitizers do not mix) runs in one-time mode under memcheck until every
# table has been in sync once, then once more continuously, asked for its
# status over the control socket and stopped by SIGTERM. Any memcheck error,
# or a definite or indirect leak, fails; tests/memcheck/valgrind.supp hides
# only one-time initialisation inside libraries. While secrets are held the
# release build must also write no core file and refuse a ptrace-less peer.
# The figures are printed at the end.
set -u
cd "$(dirname "$0")/../.."
build=${1:-build/rel}
srmigrate=$PWD/$build/srmigrate
srsim=$PWD/$build/srsim
dir=$(mktemp -d "${TMPDIR:-/tmp}/memcheck-XXXXXX")
sim_pid=
failed=0

cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	if [ "$failed" -eq 0 ] && [ -z "${SRM_KEEP:-}" ]; then rm -rf "$dir"; else echo "memcheck: kept $dir"; fi
}
trap cleanup EXIT
fail() { echo "memcheck: FAILED: $*"; failed=1; exit 1; }

for tool in valgrind mariadb "$srmigrate" "$srsim"; do
	command -v "$tool" >/dev/null || fail "$tool not found (make deps, then make memcheck)"
done

cat >"$dir/scenario.ini" <<'INI'
[source]
version = 3.3.5
run_mode = shared_nothing
user = root
password = memcheck pw;#1
token = 0b7c5e1a-6d2f-4c3b-8a9e-5f4d3c2b1a09

[target]
version = 3.5.2
run_mode = shared_nothing
user = root
password = memcheck tgt;#2
# Three jobs at a time: the others wait, and their requests are built ahead.
config.replication_max_parallel_table_count = 3

[generate]
databases = 2
tables = 10
partitions = 3
rows = 2000
partitioning = range,list,none,expr,auto
INI
"$srsim" --scenario "$dir/scenario.ini" --dir "$dir" --speed 50 >"$dir/srsim.ready" 2>"$dir/srsim.log" &
sim_pid=$!
for _ in $(seq 100); do grep -q READY "$dir/srsim.ready" 2>/dev/null && break; sleep 0.2; done
grep -q READY "$dir/srsim.ready" || fail "srsim did not start: $(cat "$dir/srsim.log")"
tport=$(sed -n 's/^TARGET_QUERY_PORT=//p' "$dir/ports.env")
cat >>"$dir/sync.properties" <<'CONF'
meta_job_interval_seconds=2
ddl_job_interval_seconds=1
replication_job_interval_seconds=1
report_interval_seconds=2
jdbc_connect_timeout_ms=10000
jdbc_socket_timeout_ms=60000
CONF
chmod 600 "$dir/sync.properties"
# What the checklist asks of an operator.
mariadb -h127.0.0.1 -P"$tport" -uroot -p'memcheck tgt;#2' \
	-e 'ADMIN SET FRONTEND CONFIG ("enable_legacy_compatibility_for_replication" = "true")' ||
	fail "cannot prepare the target"

vg=(valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --num-callers=40
    --suppressions=tests/memcheck/valgrind.supp --gen-suppressions=all)

# Run 1: one-time mode to the end.
start=$(date +%s)
"${vg[@]}" --log-file="$dir/valgrind-once.log" "$srmigrate" -c "$dir" -l "$dir/log" --no-tui --once \
	>"$dir/once.out" 2>&1
rc=$?
once_secs=$(( $(date +%s) - start ))
[ "$rc" -eq 99 ] && fail "memcheck errors in the one-time run: see $dir/valgrind-once.log"
[ "$rc" -eq 0 ] || fail "the one-time run exited $rc: $(tail -n 5 "$dir/once.out")"
grep -q 'finished table: 10, unfinished table: 0' "$dir/log/sync.INFO.log" ||
	fail "not every table finished: $(grep 'Sync table progress' "$dir/log/sync.INFO.log" | tail -n 1)"
grep -q ', built ahead)' "$dir/log/sync.INFO.log" || fail "no request was built ahead"

# Run 2: continuous, asked for its status, then SIGTERM. It runs as a user
# other than root (nobody, when we are root), so that the kernel shows whether
# it is dumpable: the /proc/PID files of a non-dumpable process belong to root.
run2=$dir/run2
mkdir -p "$run2"
cp "$dir/sync.properties" "$dir/hosts.properties" "$run2/"
as=()
if [ "$(id -u)" -eq 0 ]; then
	chown -R 65534:65534 "$run2"
	chmod 711 "$dir"
	as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
"${as[@]}" "${vg[@]}" --log-file="$run2/valgrind.log" "$srmigrate" -c "$run2" -l "$run2/log" --no-tui \
	>"$run2/out" 2>&1 &
pid=$!
for _ in $(seq 600); do [ -S "$run2/log/srmigrate.sock" ] && break; sleep 0.2; done
[ -S "$run2/log/srmigrate.sock" ] || fail "no control socket: $(tail -n 5 "$run2/out")"
sleep 5
"${as[@]}" "$srmigrate" -c "$run2" -l "$run2/log" ctl status >"$dir/ctl.out" 2>&1 ||
	fail "ctl status: $(cat "$dir/ctl.out")"
grep -q '^state: SYNCING' "$dir/ctl.out" || fail "unexpected status answer: $(cat "$dir/ctl.out")"
core=$(awk '/^Max core file size/ { print $5, $6 }' "/proc/$pid/limits")
[ "$core" = "0 0" ] || fail "core files are on while secrets are held: $core"
owner=$(stat -c %u "/proc/$pid/status")
[ "$owner" -eq 0 ] || fail "srmigrate is dumpable while it holds secrets (/proc/$pid belongs to uid $owner)"
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 99 ] && fail "memcheck errors in the SIGTERM run: see $run2/valgrind.log"
[ "$rc" -eq 0 ] || fail "the SIGTERM run exited $rc: $(tail -n 5 "$run2/out")"

# The figures.
for log in "$dir/valgrind-once.log" "$run2/valgrind.log"; do
	[ "$log" = "$dir/valgrind-once.log" ] && echo "memcheck, one-time run:" || echo "memcheck, SIGTERM run:"
	grep -E 'ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|still reachable|total heap usage|suppressed:' \
		"$log" | sed 's/^==[0-9]*== */  /'
done
echo "memcheck: one-time run ${once_secs}s under valgrind; ok"
