#!/bin/sh
# make deps: install the Debian packages that are missing, and nothing else.
# A library counts as present when pkg-config finds it, a tool when it is on
# PATH (or in /usr/sbin, where mariadbd lives).
#
#   tests/deps.sh            what make, make test and make demo need
#   tests/deps.sh fuzz       and clang with libFuzzer (make fuzz)
#   tests/deps.sh memcheck   and valgrind (make memcheck)
set -eu

need=""
pc() { pkg-config --exists "$1" 2>/dev/null || need="$need $2"; }
cmd() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || need="$need $2"; }

cmd pkg-config     pkg-config
cmd cc             gcc
cmd make           make
pc  ncursesw       libncurses-dev
pc  libmariadb     libmariadb-dev
pc  inih           libinih-dev
pc  thrift_c_glib  libthrift-c-glib-dev
pc  glib-2.0       libglib2.0-dev
pc  libcrypto      libssl-dev
pc  cmocka         libcmocka-dev
cmd thrift         thrift-compiler
cmd tmux           tmux
cmd mariadb        mariadb-client
cmd mandoc         mandoc
cmd openssl        openssl
cmd mariadbd       mariadb-server	# the TLS test's server
case "${1:-}" in
fuzz)
	cmd clang  clang
	[ -n "$(find /usr/lib/llvm-*/lib/clang -name 'libclang_rt.fuzzer-*.a' 2>/dev/null | head -n 1)" ] ||
		need="$need libclang-rt-14-dev"
	;;
memcheck)
	cmd valgrind valgrind
	;;
esac

if [ -z "$need" ]; then
	echo "deps: all present"
	exit 0
fi
echo "deps: installing$need"
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "deps: missing$need; run 'make deps' as root" >&2
		exit 1
	fi
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $need
