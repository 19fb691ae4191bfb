#!/bin/sh
# make demo: the simulated clusters of conf/demo/scenario.ini, and srmigrate's
# TUI on them. Quitting srmigrate stops the simulator too.
set -eu
cd "$(dirname "$0")/.."
speed=${SRM_DEMO_SPEED:-1}
dir=$(mktemp -d "${TMPDIR:-/tmp}/srmigrate-demo.XXXXXX")
sim_pid=
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

./tests/sim/srsim --scenario conf/demo/scenario.ini --dir "$dir" --speed "$speed" \
	>"$dir/srsim.out" 2>"$dir/srsim.err" &
sim_pid=$!
i=0
until grep -q '^READY' "$dir/srsim.out" 2>/dev/null; do
	i=$((i + 1))
	if [ "$i" -gt 200 ] || ! kill -0 "$sim_pid" 2>/dev/null; then
		echo "demo: the simulator did not start:" >&2
		cat "$dir/srsim.err" >&2
		exit 1
	fi
	sleep 0.1
done
echo "demo: simulated clusters up; configuration in $dir"
./srmigrate -c "$dir" -l "$dir/log" "$@"
