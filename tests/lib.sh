# Shell test helpers: source this, call t_run NAME FUNCTION for each case,
# then t_done. Output follows cmocka's format so tests/run.sh counts it.
#   t_fail "why"    inside a case: record a failure and return from it
t_passed=0
t_failed=0
t_failures=""
t_count=0

t_run() {
	local name=$1 fn=$2 rc
	t_count=$((t_count + 1))
	echo "[ RUN      ] $name"
	t_case_failed=0
	"$fn"
	rc=$?
	if [ "$rc" -ne 0 ] || [ "$t_case_failed" -ne 0 ]; then
		echo "[  FAILED  ] $name"
		t_failed=$((t_failed + 1))
		t_failures="$t_failures $name"
	else
		echo "[       OK ] $name"
		t_passed=$((t_passed + 1))
	fi
}

t_fail() {
	echo "  failure: $*"
	t_case_failed=1
	return 1
}

t_done() {
	echo "[==========] $t_count test(s) run."
	echo "[  PASSED  ] $t_passed test(s)."
	if [ "$t_failed" -gt 0 ]; then
		echo "[  FAILED  ] $t_failed test(s), listed below:"
		for n in $t_failures; do echo "[  FAILED  ] $n"; done
		exit 1
	fi
	exit 0
}
