#!/usr/bin/env bash
# Run every test and print cmocka's summaries, then one line "N passed, N failed".
#
#   tests/run.sh --asan build/asan --tsan build/tsan [FILTER]
#
# What runs:
#   BUILD/tests/{unit,sim,e2e,ui}/test_*   cmocka binaries (the ASan+UBSan build)
#   tests/{unit,sim,e2e,ui,fuzz}/*-test.sh  shell tests (tests/lib.sh prints cmocka's format)
#   the binaries named in tests/tsan.list, again from the TSan build
# A test sees SRMIGRATE, SRSIM, SRM_BUILD and SRM_TMP in its environment.
# JOBS (default 3) tests run at once; each one's output goes to TEST_LOGS
# (default build/test-logs, emptied first).
set -u
cd "$(dirname "$0")/.."

asan=build/asan
tsan=build/tsan
filter=""
while [ $# -gt 0 ]; do
	case "$1" in
	--asan) asan=$2; shift 2 ;;
	--tsan) tsan=$2; shift 2 ;;
	*) filter=$1; shift ;;
	esac
done

jobs=${JOBS:-3}
logs=${TEST_LOGS:-build/test-logs}
rm -rf "$logs" && mkdir -p "$logs"
export SRM_TMP=${SRM_TMP:-$PWD/build/test-tmp}
mkdir -p "$SRM_TMP"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
export TZ=UTC
# GLib's slice allocator hands memory between threads through its own
# (uninstrumented) magazines: the sanitizers would see races and leaks that
# are not there. Plain malloc lets them see the real ones.
export G_SLICE=always-malloc

# name|build|command
list=()
for f in "$asan"/tests/unit/test_* "$asan"/tests/sim/test_* "$asan"/tests/ui/test_* \
	 "$asan"/tests/e2e/test_*; do
	[ -x "$f" ] && [ "${f%.[od]}" = "$f" ] && list+=("asan:${f#"$asan"/}|$asan|$f")
done
for f in tests/unit/*-test.sh tests/sim/*-test.sh tests/ui/*-test.sh tests/e2e/*-test.sh \
	 tests/fuzz/*-test.sh; do
	[ -x "$f" ] && list+=("sh:${f#tests/}|$asan|$f")
done
if [ -f tests/tsan.list ]; then
	while read -r t; do
		case "$t" in ''|'#'*) continue ;; esac
		[ -x "$tsan/$t" ] && list+=("tsan:$t|$tsan|$tsan/$t")
	done < tests/tsan.list
fi

run_one() {
	local name=$1 build=$2 cmd=$3 log=$4 limit=${TEST_TIMEOUT:-300}
	local start end
	start=$(date +%s)
	SRMIGRATE="$PWD/$build/srmigrate" SRSIM="$PWD/$build/srsim" SRM_BUILD="$PWD/$build" \
		timeout --kill-after=10 "$limit" "$cmd" >"$log" 2>&1
	echo "$? $(( $(date +%s) - start ))" >"$log.rc"
}

# Summarise one finished test: echo "passed failed" and print its lines.
summarise() {
	local name=$1 log=$2 rc secs p f
	read -r rc secs <"$log.rc"
	p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
	f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed, timed out or failed before its summary
	fi
	printf '%-44s %4ss  ' "$name" "$secs" >&2
	if [ "$f" -eq 0 ]; then
		printf 'ok      %s passed\n' "$p" >&2
	else
		printf 'FAILED  %s passed, %s failed (exit %s; log %s)\n' "$p" "$f" "$rc" "$log" >&2
		grep -E '^\[  FAILED  \] [^0-9]|^\[  ERROR   \]|ERROR: (Address|Thread|Leak)Sanitizer|runtime error:|^timeout' \
			"$log" | head -n 8 | sed 's/^/      /' >&2
		[ "$rc" -eq 124 ] && echo "      timed out" >&2
	fi
	grep -E '^\[(==========|  PASSED  |  FAILED  )\]' "$log"
	echo "$p $f" >"$log.sum"
}

declare -A pid_of=()
i=0
for entry in "${list[@]}"; do
	IFS='|' read -r name build cmd <<<"$entry"
	[ -n "$filter" ] && [[ "$name" != *"$filter"* ]] && continue
	i=$((i + 1))
	log="$logs/$(printf '%03d' "$i")-$(echo "$name" | tr '/:' '__').log"
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	run_one "$name" "$build" "$cmd" "$log" &
	pid_of[$log]=$name
done
wait

total_p=0
total_f=0
for log in $(printf '%s\n' "${!pid_of[@]}" | sort); do
	summarise "${pid_of[$log]}" "$log" >/dev/null
	read -r p f <"$log.sum"
	total_p=$((total_p + p))
	total_f=$((total_f + f))
	grep -E '^\[(==========|  PASSED  |  FAILED  )\]' "$log"
done
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
