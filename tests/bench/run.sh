#!/usr/bin/env bash
# make bench: every figure of the performance goals, measured in one run on
# this machine, printed as one table with the bound each is held to.
#
#   tests/bench/run.sh BUILD [engine|ui|ring]...
#
# BUILD is the release build (build/rel). The programs print lines
# "BENCH<TAB>label<TAB>value<TAB>unit<TAB>goal<TAB>ok|MISSED"; this script
# collects them. Exit status 1 when a goal is missed.
set -u
cd "$(dirname "$0")/../.."

build=${1:-build/rel}
shift || true
parts=${*:-ring ui engine}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

export SRMIGRATE="$PWD/$build/srmigrate" SRSIM="$PWD/$build/srsim"
export SRM_TMP=${SRM_TMP:-$PWD/build/bench-tmp}
mkdir -p "$SRM_TMP"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
echo "machine: $(uname -n), $(nproc) cores ($cpu), $mem, $(uname -sr)"
echo "build:   $build ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo

status=0
for p in $parts; do
	case $p in
	ring) "$build/tests/bench/bench_ring" ;;
	ui) "$build/tests/bench/bench_ui" ;;
	engine) "$build/tests/bench/bench_engine" ;;
	*) echo "bench: unknown part $p" >&2; exit 2 ;;
	esac >>"$out" || status=1
done

printf '%-62s %12s  %-10s %-34s %s\n' figure value unit goal result
grep '^BENCH' "$out" | while IFS=$'\t' read -r _ label value unit goal result; do
	printf '%-62s %12s  %-10s %-34s %s\n' "$label" "$value" "$unit" "$goal" "$result"
done
grep -q $'\tMISSED$' "$out" && status=1
exit $status
