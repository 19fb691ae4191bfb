#!/usr/bin/env bash
# The UI in a real terminal: tmux runs it, send-keys types, capture-pane
# reads the screen. Checklist first, Enter to the four panes, P/y to PAUSED
# and back, a resize to 60x15 and back, q/y to exit 0 with the terminal
# restored (no alternate screen, cursor shown, keypad off, cooked mode),
# and Ctrl-C doing the same.
#
#   UI_CMD   the program to run (default: $SRM_BUILD/tests/ui/uidemo --tables 2000);
#            point it at srmigrate on srsim with UI_CMD="$SRMIGRATE -c DIR"
#   SRM_TMP  where the tmux socket and the logs go
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

build=${SRM_BUILD:-$PWD/build/asan}
demo=$build/tests/ui/uidemo
cmd=${UI_CMD:-$demo --tables 2000}
tmp=${SRM_TMP:-/tmp}
asan_log=$tmp/tmux-ui-asan-$$
out=$tmp/tmux-ui-$$.out
runs=0
sock=
T() { tmux -S "$sock" "$@"; }

cleanup() {
	[ -n "$sock" ] && T kill-server 2>/dev/null
	rm -f "$sock" "$out"
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

t_run tmux_checklist_panes_pause_resize_quit case_checklist_panes_pause_resize_quit
t_run tmux_ctrl_c_restores_the_terminal case_ctrl_c
if [ -z "${UI_CMD:-}" ]; then
	t_run tmux_stderr_kept_off_the_screen case_stderr_after_exit
	t_run tmux_fatal_error_restores_the_terminal case_fatal_error
fi
t_done
