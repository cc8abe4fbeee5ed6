#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make install` / `make uninstall` into a temporary DESTDIR: the installed
# CLI finds the installed shim and the installed profiles relative to
# itself, runs a command under a policy, and uninstall leaves no file of
# ours behind.
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

# A recursive make inside `make check` must not inherit its job server.
unset MAKEFLAGS MAKELEVEL MFLAGS
dest=$SBX_TMP/dest
prefix=/opt/sbx-test
bin=$dest$prefix/bin/sandboxec
lib=$dest$prefix/lib/libsandboxec.so
profiles=$dest$prefix/share/sandboxec/profiles

run_capture make -s -C "$SBX_TOP" install DESTDIR="$dest" PREFIX="$prefix"
expect_eq "make install DESTDIR PREFIX succeeds" "$STATUS" 0
expect_exists "the CLI is installed in PREFIX/bin" "$bin"
expect_exists "the shim is installed in PREFIX/lib" "$lib"
expect_exists "the profiles directory is installed in PREFIX/share" "$profiles"
expect_eq "nothing is installed outside DESTDIR/PREFIX" \
	"$(cd "$dest" && find . -mindepth 1 -maxdepth 2 | LC_ALL=C sort | tr '\n' ' ')" "./opt ./opt/sbx-test "

# Every profile of the repository is installed under the same name.
if [ -d "$SBX_TOP/profiles" ]; then
	want=$(cd "$SBX_TOP/profiles" && find . \( -name '*.yaml' -o -name '*.yml' \) | LC_ALL=C sort)
	got=$(cd "$profiles" && find . -type f | LC_ALL=C sort)
	expect_eq "every repository profile is installed" "$got" "$want"
else
	skip "every repository profile is installed" "no profiles/ in this tree"
fi

# The man pages and the completions land where man, bash-completion, zsh
# and fish look under PREFIX, and each of them finds its file there.
share=$dest$prefix/share
for page in man1/sandboxec.1 man5/sandboxec.yaml.5 man7/libsandboxec.7; do
	expect_exists "make install puts $page in PREFIX/share/man" "$share/man/$page"
done
expect_exists "make install puts the bash completion in PREFIX/share/bash-completion" \
	"$share/bash-completion/completions/sandboxec"
expect_exists "make install puts the zsh completion in PREFIX/share/zsh/site-functions" \
	"$share/zsh/site-functions/_sandboxec"
expect_exists "make install puts the fish completion in PREFIX/share/fish/vendor_completions.d" \
	"$share/fish/vendor_completions.d/sandboxec.fish"
if command -v man >/dev/null 2>&1; then
	expect_eq "man finds the installed sandboxec(1) in PREFIX/share/man" \
		"$(MANPATH=$share/man man -w sandboxec 2>&1)" "$share/man/man1/sandboxec.1"
	expect_eq "man finds the installed sandboxec.yaml(5)" \
		"$(MANPATH=$share/man man -w 5 sandboxec.yaml 2>&1)" "$share/man/man5/sandboxec.yaml.5"
else
	skip "man finds the installed pages" "man-db is not installed (make deps)"
fi
if [ -r /usr/share/bash-completion/bash_completion ]; then
	run_capture env XDG_DATA_DIRS="$share" bash -c '. /usr/share/bash-completion/bash_completion
		__load_completion sandboxec && complete -p sandboxec'
	expect_eq "bash-completion loads the installed completion from PREFIX/share" "$OUT" \
		"complete -F _sandboxec sandboxec"
else
	skip "bash-completion loads the installed completion" "bash-completion is not installed"
fi
if command -v fish >/dev/null 2>&1; then
	# fish loads a completion only for a command it finds in PATH.
	run_capture env PATH="$dest$prefix/bin:$PATH" XDG_DATA_DIRS="$share" \
		XDG_CONFIG_HOME="$SBX_TMP/fish-config" fish -c 'complete -C"sandboxec --mode ex"'
	expect_contains "fish completes from the installed vendor completion" "$OUT" "explain"
else
	skip "fish completes from the installed vendor completion" "fish is not installed"
fi

# The installed binary runs a command under a policy.
run_capture "$bin" --fs rx:/usr -- ls /usr
expect_eq "installed sandboxec runs an allowed command" "$STATUS" 0
run_capture ls /root
expect_eq "baseline: ls /root works unsandboxed" "$STATUS" 0
run_capture "$bin" --fs rx:/usr -- ls /root
expect_eq "installed sandboxec denies what the policy does not grant" "$STATUS" 2
expect_contains "the denial is the kernel's EACCES" "$ERR" "Permission denied"

# `--mode env` names the installed shim (PREFIX/lib beside PREFIX/bin),
# through the $LIB tree that holds a copy per ELF class.
run_capture "$bin" --mode env --fs rx:/usr
expect_eq "installed sandboxec --mode env succeeds" "$STATUS" 0
expect_contains "--mode env points LD_PRELOAD at the installed shim" "$OUT" \
	"export LD_PRELOAD='$(realpath "$dest$prefix/lib")/libsandboxec/\$LIB/libsandboxec.so'"
if [ -e "$SBX_BUILD/libsandboxec-fast.so" ]; then
	expect_exists "the fast audit entry is installed in PREFIX/lib" "$dest$prefix/lib/libsandboxec-fast.so"
	expect_contains "--mode env names it first in LD_AUDIT, through the \$LIB tree" "$OUT" \
		"export LD_AUDIT='$(realpath "$dest$prefix/lib")/libsandboxec/\$LIB/libsandboxec-fast.so:$(realpath "$dest$prefix/lib")/libsandboxec/\$LIB/libsandboxec.so'"
else
	skip "the fast audit entry is installed in PREFIX/lib" "built on x86-64 only"
fi
if [ -e "$SBX_BUILD/libsandboxec-i386.so" ]; then
	expect_exists "the i386 copy is installed in PREFIX/lib" "$dest$prefix/lib/libsandboxec-i386.so"
	expect_eq "--mode env warns about nothing with the i386 copy installed" "$ERR" ""
else
	skip "the i386 copy is installed in PREFIX/lib" "no i386 copy built (gcc-multilib)"
fi
run_capture sh -c "eval \"\$1\"; ls /root" sh "$OUT"
expect_eq "the printed settings confine a shell through the installed shim" "$STATUS" 2

# A named profile is found under the installed PREFIX/share, relative to
# the binary (the test drops one in, as the tree may ship none).
mkdir -p "$profiles/test"
printf 'fs:\n  - rx:/usr\n' >"$profiles/test/usr-only.yaml"
run_capture "$bin" -C test/usr-only --mode explain
expect_eq "installed sandboxec finds an installed named profile" "$STATUS" 0
used=$(sed -n 's/^# config file: //p' <<<"$OUT")
expect_eq "explain names the installed profile file" "$(realpath "$used")" \
	"$(realpath "$profiles")/test/usr-only.yaml"
run_capture "$bin" -C test/usr-only -- ls /root
expect_eq "the installed profile's policy is enforced" "$STATUS" 2

run_capture make -s -C "$SBX_TOP" uninstall DESTDIR="$dest" PREFIX="$prefix"
expect_eq "make uninstall succeeds" "$STATUS" 0
expect_eq "uninstall leaves no file or link behind" \
	"$(find "$dest" ! -type d | head -5)" ""
expect_absent "uninstall removes PREFIX/share/sandboxec" "$dest$prefix/share/sandboxec"
expect_eq "uninstall leaves no empty directory of ours in PREFIX/share" \
	"$(find "$dest$prefix/share" -mindepth 1 2>/dev/null | head -5)" ""
