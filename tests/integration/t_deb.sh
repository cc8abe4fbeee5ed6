#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make deb`: the package builds (in this test's own build directory, so a
# make running elsewhere in the tree is not disturbed), lintian finds no
# error, it depends on libc alone and recommends exactly the libraries the
# engine loads on first use, and its files are where Debian keeps them. As
# root, installed with dpkg -i, it runs the demo against /usr/bin/sandboxec,
# names the package to install when a lazily loaded library is missing, and
# purges without a trace. One such install at a time on the machine (a
# lock), and never over a sandboxec installed by someone else.
. "$(dirname "$0")/lib.sh"
sbx_setup

# A recursive make inside `make check` must not inherit its job server.
unset MAKEFLAGS MAKELEVEL MFLAGS
if ! command -v dpkg-buildpackage >/dev/null 2>&1 || ! command -v dh >/dev/null 2>&1; then
	skip "make deb" "dpkg-dev or debhelper is not installed (make deps)"
	exit 0
fi

version=$(sed -n 's/^VERSION := //p' "$SBX_TOP/Makefile")
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
build=$SBX_TMP/build
deb=$build/sandboxec_${version}_$arch.deb
libdir=/usr/lib/$multiarch/sandboxec

# A release build whatever the caller's: the package is never sanitized.
run_capture make -s -C "$SBX_TOP" deb BUILD="$build" SANITIZE=
expect_eq "make deb succeeds" "$STATUS" 0
expect_exists "make deb writes sandboxec_VERSION_ARCH.deb" "$deb"
if [ ! -e "$deb" ]; then
	exit 0
fi

field() { dpkg-deb -f "$deb" "$1"; }
expect_eq "the package's version is the Makefile's" "$(field Version)" "$version"
depends=$(field Depends)
if [[ $depends =~ ^libc6(\ \([^\)]*\))?$ ]]; then
	pass "the package depends on libc alone"
else
	fail "the package depends on libc alone" "Depends: $depends"
fi
# The libraries opened with sbx_lazy_open, by the package each names in
# its message, are what the package recommends: no more, no less.
lazy=$(grep -rhoE 'sbx_lazy_open\("[^"]+", "[^"]+"' "$SBX_TOP/shim" "$SBX_TOP/tool" |
	sed 's/.*", "\(.*\)"$/\1/' | LC_ALL=C sort -u | tr '\n' ' ')
expect_eq "the package recommends the lazily loaded libraries" \
	"$(field Recommends | tr -d ' ' | tr ',' '\n' | LC_ALL=C sort | tr '\n' ' ')" "$lazy"

files=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|')
for f in /usr/bin/sandboxec "$libdir/sandboxec-dynamic" "$libdir/libsandboxec.so" \
	"$libdir/libsandboxec/lib/$multiarch/libsandboxec.so" /usr/share/man/man1/sandboxec.1.gz \
	/usr/share/man/man5/sandboxec.yaml.5.gz /usr/share/man/man7/libsandboxec.7.gz \
	/usr/share/bash-completion/completions/sandboxec /usr/share/zsh/vendor-completions/_sandboxec \
	/usr/share/fish/vendor_completions.d/sandboxec.fish; do
	if grep -qxF -- "$f" <<<"$files"; then
		pass "the package ships $f"
	else
		fail "the package ships $f" "not in dpkg-deb -c"
	fi
done
# The package's build makes the i386 copy where the Makefile would: when
# the compiler links a 32-bit program.
if [ "$arch" = amd64 ] && printf 'int main(void){return 0;}\n' |
	${CC:-cc} -m32 -x c - -o /dev/null 2>/dev/null; then
	expect_contains "the package ships the i386 copy of the shim" "$files" \
		"$libdir/libsandboxec-i386.so"
else
	skip "the package ships the i386 copy of the shim" "cc -m32 cannot link here (gcc-multilib)"
fi
if [ "$arch" = amd64 ]; then
	expect_contains "the package ships the fast audit entry" "$files" "$libdir/libsandboxec-fast.so"
	expect_contains "and its link in the \$LIB tree" "$files" \
		"$libdir/libsandboxec/lib/$multiarch/libsandboxec-fast.so"
else
	skip "the package ships the fast audit entry" "built on x86-64 only"
fi
want=$(cd "$SBX_TOP/profiles" && find . \( -name '*.yaml' -o -name '*.yml' \) | sed 's|^\./||' | LC_ALL=C sort)
got=$(sed -n 's|^/usr/share/sandboxec/profiles/\(.*\.ya\{0,1\}ml\)$|\1|p' <<<"$files" | LC_ALL=C sort)
expect_eq "the package ships every profile under /usr/share/sandboxec/profiles" "$got" "$want"

if command -v lintian >/dev/null 2>&1; then
	errors=$(lintian "$deb" 2>&1 | grep '^E: ')
	expect_eq "lintian reports no error" "$errors" ""
else
	skip "lintian reports no error" "lintian is not installed (make deps)"
fi

# Installing it into the machine.
if [ "$(id -u)" -ne 0 ]; then
	skip "the package installs with dpkg -i and runs the demo" "not root"
	exit 0
fi
exec 9>/run/lock/sandboxec-t_deb.lock
if ! flock -w 900 9; then
	skip "the package installs with dpkg -i and runs the demo" "another t_deb.sh holds the lock"
	exit 0
fi
if dpkg-query -W -f='${Status}' sandboxec 2>/dev/null | grep -q installed || [ -e /usr/bin/sandboxec ]; then
	skip "the package installs with dpkg -i and runs the demo" \
		"a sandboxec is already installed on this machine; the test would replace it"
	exit 0
fi

# dpkg allows one run at a time; wait for another (apt, another test) to end.
dpkg_run() {
	local attempt
	for attempt in $(seq 1 60); do
		run_capture dpkg "$@"
		case $ERR in
		*"dpkg frontend lock"* | *"dpkg status database is locked"*) sleep "$((attempt < 5 ? 1 : 2))" ;;
		*) return ;;
		esac
	done
}
at_exit 'dpkg --purge sandboxec >/dev/null 2>&1'
dpkg_run -i "$deb"
expect_eq "dpkg -i installs the package" "$STATUS" 0
expect_eq "dpkg reports it installed" "$(dpkg-query -W -f='${Status}' sandboxec 2>&1)" \
	"install ok installed"

run_capture env SBX_DEMO_CLI=/usr/bin/sandboxec SBX_DEMO_SHIM="$libdir/libsandboxec.so" \
	"$SBX_TOP/scripts/demo.sh"
expect_eq "the demo passes against /usr/bin/sandboxec" "$STATUS" 0
expect_contains "the demo's closing line" "$OUT" "demo: OK"

run_capture /usr/bin/sandboxec --mode env --fs rx:/usr
expect_contains "--mode env names the installed shim through its \$LIB tree" "$OUT" \
	"export LD_PRELOAD='$libdir/libsandboxec/\$LIB/libsandboxec.so'"
if [ "$arch" = amd64 ]; then
	expect_contains "--mode env names the installed fast audit entry first in LD_AUDIT" "$OUT" \
		"export LD_AUDIT='$libdir/libsandboxec/\$LIB/libsandboxec-fast.so:$libdir/libsandboxec/\$LIB/libsandboxec.so'"
fi
run_capture sh -c "eval \"\$1\"; ls /root" sh "$OUT"
expect_eq "the settings confine a shell through the installed shim" "$STATUS" 2
first=$(sed -n 1p <<<"$want")
profile=${first%.*}
run_capture /usr/bin/sandboxec -C "$profile" --mode explain
used=$(sed -n 's/^# config file: //p' <<<"$OUT")
expect_eq "-C finds an installed profile in /usr/share/sandboxec/profiles" \
	"$(realpath "$used" 2>&1)" "/usr/share/sandboxec/profiles/$first"
if command -v man >/dev/null 2>&1; then
	expect_eq "man sandboxec finds the installed page" "$(man -w sandboxec 2>&1)" \
		/usr/share/man/man1/sandboxec.1.gz
fi

# A recommended library that is missing (here: hidden behind an empty file
# in a private mount namespace) stops sandboxec with the package to install.
mkdir -p "$SBX_TMP/project"
printf 'fs: [rx:/usr]\n' >"$SBX_TMP/project/.sandboxec.yaml"
while IFS='|' read -r soname package what; do
	lib=$(ls /usr/lib/"$multiarch"/"$soname" 2>/dev/null)
	if [ -z "$lib" ] || ! command -v unshare >/dev/null 2>&1; then
		skip "without $soname, sandboxec names $package" "$soname or unshare missing"
		continue
	fi
	# shellcheck disable=SC2086
	run_capture unshare -m sh -c 'mount --bind /dev/null "$1" && shift && exec "$@" </dev/null' \
		sh "$lib" /usr/bin/sandboxec $what
	expect_eq "without $soname, sandboxec stops with status 1" "$STATUS" 1
	expect_contains "without $soname, sandboxec says which package to install" "$ERR" \
		"sandboxec: "
	expect_contains "without $soname, the message names $package" "$ERR" \
		"install the Debian package $package"
done <<EOF2
libyaml-0.so.2|libyaml-0-2|-c $SBX_TMP/project/.sandboxec.yaml -- true
libmd.so.0|libmd0|--mode trust $SBX_TMP/project/.sandboxec.yaml
libelf.so.1|libelf1|--unsafe-host-runtime --fs rx:/usr -- true
libjansson.so.4|libjansson4|--mode env --format json --fs rx:/usr
EOF2

dpkg_run --purge sandboxec
expect_eq "dpkg --purge removes the package" "$STATUS" 0
for f in /usr/bin/sandboxec "$libdir" /usr/share/sandboxec /usr/share/man/man1/sandboxec.1.gz \
	/usr/share/bash-completion/completions/sandboxec; do
	expect_absent "purge leaves no $f" "$f"
done
