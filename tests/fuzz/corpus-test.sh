#!/usr/bin/env bash
# Every seed and regression input through every fuzz target, in the ASan
# build (the targets linked with tests/fuzz/driver.c: no clang needed).
# A crash, a sanitizer report or a broken FUZZ_CHECK fails the target.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
build=${SRM_BUILD:-build/asan}

# The target named in $target.
check_target() {
	local name=$target bin=$build/tests/fuzz/$target out dirs
	[ -x "$bin" ] || { t_fail "$bin is missing (make SANITIZE=address)"; return 1; }
	dirs=("tests/fuzz/corpus/$name")
	[ -d "tests/fuzz/regress/$name" ] && dirs+=("tests/fuzz/regress/$name")
	out=$("$bin" "${dirs[@]}" 2>&1) || { echo "$out" | tail -n 40; t_fail "$name crashed"; return 1; }
	echo "$out" | sed 's/^/  /'
	# An empty corpus would prove nothing.
	echo "$out" | grep -q "^tests/fuzz/corpus/$name: [1-9][0-9]* input" ||
		{ t_fail "$name has no seed inputs"; return 1; }
}

for src in tests/fuzz/fuzz_*.c; do
	target=$(basename "$src" .c)
	t_run "$target" check_target
done
t_done
