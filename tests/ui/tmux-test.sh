#!/usr/bin/env bash
# The UI in a real terminal: tmux runs it, send-keys types, capture-pane
# reads the screen. Checklist first, Enter to the four panes, P/y to PAUSED
# and back, a resize to 60x15 and back, q/y to exit 0 with the terminal
# restored (no alternate screen, cursor shown, keypad off, cooked mode),
# and Ctrl-C doing the same. Then srmigrate itself on clusters played by
# srsim: a failing check fixed with f, the panes with the real tables, and
# the cutover wizard walked to its verification step and aborted.
#
#   UI_CMD    the program to run (default: $SRM_BUILD/tests/ui/uidemo --tables 2000);
#             point it at srmigrate on srsim with UI_CMD="$SRMIGRATE -c DIR -l DIR/log"
#             (the live cases, which start their own srsim, are then left out)
#   SRMIGRATE, SRSIM   the programs of the live cases (default: $SRM_BUILD/...)
#   SRM_TMP   where the tmux socket, the logs and the simulators' directories go
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

build=${SRM_BUILD:-$PWD/build/asan}
demo=$build/tests/ui/uidemo
cmd=${UI_CMD:-$demo --tables 2000}
srm=${SRMIGRATE:-$build/srmigrate}
srsim=${SRSIM:-$build/srsim}
tmp=${SRM_TMP:-/tmp}
asan_log=$tmp/tmux-ui-asan-$$
out=$tmp/tmux-ui-$$.out
runs=0
sock=
sim_pid=
sim_dir=
T() { tmux -S "$sock" "$@"; }

cleanup() {
	[ -n "$sock" ] && T kill-server 2>/dev/null
	rm -f "$sock" "$out"
	sim_stop
}
trap cleanup EXIT

screen() { T capture-pane -p -t ui 2>/dev/null; }

# wait_for TEXT [SECONDS]: until TEXT is on the screen.
wait_for() {
	local text=$1 limit=${2:-15} i
	for ((i = 0; i < limit * 10; i++)); do
		screen | grep -qF -- "$text" && return 0
		sleep 0.1
	done
	echo "--- screen, waiting for: $text"
	screen
	t_fail "not on the screen after ${limit}s: $text"
}

# wait_re REGEX [SECONDS]: until a line of the screen matches REGEX (grep -E).
wait_re() {
	local re=$1 limit=${2:-15} i
	for ((i = 0; i < limit * 10; i++)); do
		screen | grep -qE -- "$re" && return 0
		sleep 0.1
	done
	echo "--- screen, waiting for /$re/"
	screen
	t_fail "no line matches /$re/ after ${limit}s"
}

keys() { T send-keys -t ui "$@"; }

# The program under test in a fresh tmux server, 170x45; the shell then
# prints its exit status and the terminal modes, and stays.
start() {
	local run=${1:-$cmd}
	# A fresh server on its own socket: a server being killed cannot answer.
	[ -n "$sock" ] && { T kill-server 2>/dev/null; rm -f "$sock"; }
	runs=$((runs + 1))
	sock=$tmp/tmux-ui-$$-$runs.sock
	rm -f "$out" "$asan_log".*
	T -f /dev/null new-session -d -s ui -x 170 -y 45 \
		"env LC_ALL=C.UTF-8 ASAN_OPTIONS=\${ASAN_OPTIONS:-}:log_path=$asan_log $run; \
		 echo \"[exit \$?]\"; stty -a >$out; sleep 600" || return 1
	T set-option -g window-size manual >/dev/null
	T set-option -g default-terminal tmux-256color >/dev/null
}

# After the program ended: its status and a terminal put back as it was.
expect_restored() {
	local status=$1 flags
	wait_for "[exit $status]" 20 || return 1
	flags=$(T display -p -t ui '#{alternate_on} #{cursor_flag} #{keypad_flag}')
	[ "$flags" = "0 1 0" ] || t_fail "terminal not restored: alternate cursor keypad = $flags"
	for ((i = 0; i < 50; i++)); do [ -s "$out" ] && break; sleep 0.1; done
	grep -qE '(^| )icanon( |$)' "$out" || t_fail "still in raw mode: $(cat "$out")"
	grep -qE '(^| )echo( |$)' "$out" || t_fail "echo still off: $(cat "$out")"
	if ls "$asan_log".* >/dev/null 2>&1; then
		cat "$asan_log".*
		t_fail "sanitizer report"
	fi
}

case_checklist_panes_pause_resize_quit() {
	start || return 1
	wait_for "Pre-flight checklist" || return 1
	wait_for "Source " || return 1
	# Enter starts only once the checks are done and the engine waits.
	wait_for " WAITING" || return 1
	keys Enter
	wait_for "1 Jobs (" || return 1
	# Wide: the four panes side by side, 2 x 2.
	screen | grep -F "1 Jobs (" | grep -qF "2 Tables (" || t_fail "Jobs and Tables not side by side"
	screen | grep -F "3 DDL queue (" | grep -qF "4 Nodes (" || t_fail "DDL and Nodes not side by side"
	keys P
	wait_for "Pause the migration?" || return 1
	keys y
	wait_for " PAUSED" || return 1
	keys P
	wait_for "Resume the migration?" || return 1
	keys y
	wait_for " SYNCING" || return 1
	T resize-window -t ui -x 60 -y 15
	wait_for "Terminal too small: 60x15" || return 1
	T resize-window -t ui -x 100 -y 30
	wait_for "1 Jobs (" || return 1
	screen | grep -q "Terminal too small" && t_fail "the too-small note stayed"
	keys q
	# While jobs run q asks first; with nothing running it stops at once.
	for ((i = 0; i < 30; i++)); do
		screen | grep -qF "Quit srmigrate?" && { keys y; break; }
		screen | grep -qF "[exit " && break
		sleep 0.1
	done
	expect_restored 0
}

case_ctrl_c() {
	start || return 1
	wait_for "Pre-flight checklist" || return 1
	keys C-c
	expect_restored 0
}

# The demo's own cases: stderr kept off the screen, a fatal error on another thread.
case_stderr_after_exit() {
	start "$demo" || return 1
	wait_for "Pre-flight checklist" || return 1
	sleep 0.5
	screen | grep -qF "a line on stderr" && t_fail "stderr reached the screen"
	keys q
	expect_restored 0 || return 1
	screen | grep -qF "uidemo: a line on stderr while the screen is up" ||
		t_fail "stderr was not printed after the exit"
}

case_fatal_error() {
	start "$demo --die-after 1500" || return 1
	wait_for "Pre-flight checklist" || return 1
	expect_restored 70 || return 1
	screen | grep -qF "srmigrate: uidemo: a fatal error on purpose" ||
		t_fail "the fatal error was not printed after the terminal came back"
}

# --- srmigrate on srsim ---------------------------------------------------------

# Two shared-nothing 3.3.5 clusters, two tables; the target's legacy setting is
# off, so one check fails until it is fixed.
scenario='[source]
version = 3.3.5
run_mode = shared_nothing
user = root
password = srcpw
token = 8a1f2c3d-0000-4000-8000-00000000beef

[target]
version = 3.3.5
run_mode = shared_nothing
user = root
password = tgtpw

[table source shop.orders]
partition_by = range
partitions = 3
rows = 2000

[table source shop.items]
rows = 500
'

# sim_start: srsim in a fresh directory ($sim_dir), fast timings for srmigrate.
sim_start() {
	local i
	sim_dir=$(mktemp -d "$tmp/tmux-sim-XXXXXX") || return 1
	printf '%s' "$scenario" >"$sim_dir/scenario.ini"
	"$srsim" --scenario "$sim_dir/scenario.ini" --dir "$sim_dir" --speed 50 \
		>"$sim_dir/ready" 2>"$sim_dir/srsim.log" &
	sim_pid=$!
	for ((i = 0; i < 200; i++)); do
		grep -q READY "$sim_dir/ready" 2>/dev/null && break
		sleep 0.1
	done
	if ! grep -q READY "$sim_dir/ready"; then
		cat "$sim_dir/srsim.log"
		t_fail "srsim did not get ready"
		return 1
	fi
	cat >>"$sim_dir/sync.properties" <<-EOF
	meta_job_interval_seconds=2
	ddl_job_interval_seconds=1
	replication_job_interval_seconds=1
	report_interval_seconds=2
	EOF
	sed -i -e '/^meta_job_interval_seconds=180$/d' -e '/^ddl_job_interval_seconds=10$/d' \
		-e '/^replication_job_interval_seconds=10$/d' -e '/^report_interval_seconds=300$/d' \
		"$sim_dir/sync.properties"
	chmod 600 "$sim_dir/sync.properties"
}

sim_stop() {
	if [ -n "$sim_pid" ]; then
		kill "$sim_pid" 2>/dev/null
		wait "$sim_pid" 2>/dev/null
	fi
	[ -n "$sim_dir" ] && [ -z "${SRM_KEEP:-}" ] && rm -rf "$sim_dir"
	sim_pid=
	sim_dir=
}

live() { echo "$srm -c $sim_dir -l $sim_dir/log"; }

# q, and y when it asks (it asks while jobs run).
quit() {
	local i
	keys q
	for ((i = 0; i < 50; i++)); do
		screen | grep -qF "Quit srmigrate?" && { keys y; break; }
		screen | grep -qF "[exit " && break
		sleep 0.1
	done
}

case_live_checklist_fix_panes() {
	sim_start || return 1
	start "$(live)" || return 1
	wait_for "Pre-flight checklist" || return 1
	wait_for "1 check blocks: f fix" 30 || return 1
	screen | grep -F "Target: legacy compatibility" | grep -qF "FAIL" ||
		t_fail "the legacy setting is not shown failing"
	screen | grep -qF "3.3.5" || t_fail "no version on the checklist screen"
	# Enter does not start over a failing check.
	keys Enter
	wait_for "cannot start: 1 check blocks" || return 1
	# The fourth item, fixed after a confirmation: on the cluster and in the record.
	keys Down Down Down
	wait_for "f runs this fix after a confirmation" || return 1
	keys f
	wait_for "Apply a fix" || return 1
	keys y
	wait_for "Nothing blocks. Enter starts the migration." 30 || return 1
	grep -qP '^target\tenable_legacy_compatibility_for_replication\tfalse\ttrue\t' \
		"$sim_dir/log/state/settings" || t_fail "the fix was not recorded: $(cat "$sim_dir/log/state/settings")"
	keys Enter
	wait_for "1 Jobs (" || return 1
	screen | grep -F "1 Jobs (" | grep -qF "2 Tables (" || t_fail "Jobs and Tables not side by side"
	# The real tables in the Tables pane, the real nodes in the Nodes pane.
	wait_re "│shop\.orders +[a-z]" || return 1
	wait_re "│shop\.items +[a-z]" || return 1
	wait_re "│source BE +be-0\.source\.invalid +127\.0\.0\.1:" || return 1
	keys P
	wait_for "Pause the migration?" || return 1
	keys y
	wait_for " PAUSED" || return 1
	keys P
	wait_for "Resume the migration?" || return 1
	keys y
	wait_for " SYNCING" || return 1
	T resize-window -t ui -x 60 -y 15
	wait_for "Terminal too small: 60x15" || return 1
	T resize-window -t ui -x 170 -y 45
	wait_for "1 Jobs (" || return 1
	quit
	expect_restored 0
}

case_live_cutover_wizard() {
	sim_start || return 1
	"$srm" -c "$sim_dir" -l "$sim_dir/log" check --fix >"$sim_dir/fix.out" 2>&1 ||
		{ cat "$sim_dir/fix.out"; t_fail "check --fix failed"; return 1; }
	start "$(live)" || return 1
	wait_for "Nothing blocks. Enter starts the migration." 30 || return 1
	keys Enter
	wait_for "1 Jobs (" || return 1
	keys c
	wait_for "The cutover has not started. c starts it" || return 1
	keys c
	wait_for "Step 1 of 6" || return 1
	wait_for " CUTOVER" || return 1
	# Open once every table is in sync; the step asks before it counts.
	wait_for "Gate open: Enter goes on." 60 || return 1
	keys Enter
	wait_for "Have the applications stopped writing to the source?" || return 1
	keys y
	wait_for "Step 2 of 6" || return 1
	wait_for "quiet passes" || return 1
	wait_for "Gate open: Enter goes on." 60 || return 1
	keys Enter
	wait_for "Step 3 of 6" || return 1
	wait_for "the target matches the source" 60 || return 1
	grep -qF "verify: 2 tables, 4 partitions match" "$sim_dir/log/cutover.log" ||
		t_fail "no verification in cutover.log: $(cat "$sim_dir/log/cutover.log")"
	keys A
	wait_for "Abort the cutover at 3. Verify?" || return 1
	keys y
	wait_for "The cutover has not started. c starts it" || return 1
	wait_for " SYNCING" || return 1
	grep -qF "left by the operator at 3. Verify" "$sim_dir/log/cutover.log" ||
		t_fail "the abort is not in cutover.log"
	keys Escape
	wait_for "1 Jobs (" || return 1
	quit
	expect_restored 0
}

t_run tmux_checklist_panes_pause_resize_quit case_checklist_panes_pause_resize_quit
t_run tmux_ctrl_c_restores_the_terminal case_ctrl_c
if [ -z "${UI_CMD:-}" ]; then
	t_run tmux_stderr_kept_off_the_screen case_stderr_after_exit
	t_run tmux_fatal_error_restores_the_terminal case_fatal_error
	t_run tmux_live_checklist_fix_panes_pause_resize_quit case_live_checklist_fix_panes
	sim_stop
	t_run tmux_live_cutover_wizard case_live_cutover_wizard
	sim_stop
fi
t_done
