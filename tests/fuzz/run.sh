#!/usr/bin/env bash
# make fuzz: fuzz each libFuzzer target of BUILD for SECONDS, one at a time.
#
#   tests/fuzz/run.sh BUILD SECONDS
#
# A target starts from its seed corpus (tests/fuzz/corpus/<target>) and its
# regression inputs (tests/fuzz/regress/<target>); what it finds goes to
# BUILD/fuzz-corpus/<target>, a crash to BUILD/fuzz-crashes/<target>/. Its
# dictionary is the string literals of the sources it parses. Prints one line
# per target (runs, execs/s, edges covered, features) and exits 1 if any
# target crashed: fix the bug, then keep the input under tests/fuzz/regress.
set -u
cd "$(dirname "$0")/../.."
build=$1
seconds=$2

# The sources whose literals (keys, titles, keywords) make each dictionary.
declare -A dict_src=(
	[fuzz_config]="src/config.c src/props.c" [fuzz_hosts]="src/hostmap.c"
	[fuzz_filter]="src/filter.c" [fuzz_ddl]="src/ddl.c" [fuzz_meta]="src/meta.c src/catalog.c"
	[fuzz_version]="src/version.c" [fuzz_control]="src/control.c"
)

failed=0
printf '%-14s %10s %10s %8s %8s  %s\n' target runs execs/s edges features result
for bin in "$build"/tests/fuzz/fuzz_*; do
	case "$bin" in *.o|*.d) continue ;; esac
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	work=$build/fuzz-corpus/$name
	crashes=$build/fuzz-crashes/$name
	log=$build/fuzz-logs/$name.log
	mkdir -p "$work" "$crashes" "$(dirname "$log")"
	args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
	      -artifact_prefix="$crashes/")
	if [ -n "${dict_src[$name]:-}" ]; then
		# shellcheck disable=SC2086
		grep -oh '"[^"\\%]\{2,40\}"' ${dict_src[$name]} | sort -u >"$build/fuzz-logs/$name.dict"
		args+=(-dict="$build/fuzz-logs/$name.dict")
	fi
	dirs=("$work" "tests/fuzz/corpus/$name")
	[ -d "tests/fuzz/regress/$name" ] && dirs+=("tests/fuzz/regress/$name")
	"$bin" "${args[@]}" "${dirs[@]}" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	last=$(grep -E '^#[0-9]+.*cov: [0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	if [ "$rc" -eq 0 ]; then
		result=ok
	else
		result="CRASH (exit $rc): $(ls -t "$crashes" | head -n 1), log $log"
		failed=1
	fi
	printf '%-14s %10s %10s %8s %8s  %s\n' "$name" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "$result"
done
exit "$failed"
