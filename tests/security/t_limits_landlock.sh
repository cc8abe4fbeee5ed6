#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Known limits of Landlock itself, and what a sandboxed program can leave
# behind for later (docs/security.md "What Landlock does not cover" and
# "What the sandbox can write that runs later"). Pinned the other way
# round: each attempt must still get through, so the day one closes the
# test fails and the page gets updated. Beside each limit, the twin the
# policy does stop, so the limit is not mistaken for a broken policy.
#
# Needs, besides the escape helpers: build/tests/helpers/limits and
# build/tests/limits/libpayload.so (mk/limits.mk; make check builds both).
set -u
. "$(dirname "$0")/escape_lib.sh"

LIM=$SBX_HELPERS/limits
PAYLOAD=$SBX_BUILD/tests/limits/libpayload.so
if [ ! -x "$LIM" ] || [ ! -f "$PAYLOAD" ]; then
	fail "setup" "missing $LIM or $PAYLOAD (run make check)"
	exit 1
fi
LDSO=/lib64/ld-linux-x86-64.so.2
[ -x "$LDSO" ] || LDSO=$(find /lib* /usr/lib* -maxdepth 2 -name 'ld-linux*.so*' 2>/dev/null | head -1)

# The read-only tree R also holds a program and a library: granted r, not x.
reset_code() {
	esc_reset
	cp "$ESC" "$R/prog"
	cp "$PAYLOAD" "$R/libpayload.so"
}

KERNEL_ABI=$("$PROBE" landlock-abi)

for door in $ESC_DOORS; do
	# --- truncate(2): handled from ABI 3 (LANDLOCK_ACCESS_FS_TRUNCATE) ----
	if [ "$KERNEL_ABI" -lt 3 ]; then
		esc_skip "truncate(2) cases [$door]" "need Landlock ABI 3, the kernel has $KERNEL_ABI"
	else
		attempt "truncate(2) of a file under an r rule" $door blocked \
			"$LIM" truncate "$R/file"
		attempt "truncate(2) of a file outside every rule" $door blocked \
			"$LIM" truncate "$O/sentinel"
		# Below ABI 3 the right does not exist: the layer cannot handle it, so
		# truncate by path works on any file the process can name, granted or
		# not. Asked for here with --abi 2; --best-effort on a kernel before 6.2
		# lands in the same place.
		POL_ABI=2
		attempt "truncate(2) of a file under an r rule, --abi 2" $door limit \
			"$LIM" truncate "$R/file"
		attempt "truncate(2) of a file outside every rule, --abi 2" $door limit \
			"$LIM" truncate "$O/sentinel"
		esc_policy_default
	fi

	# --- the x right gates execve, nothing else ---------------------------
	ESC_RESET=reset_code
	attempt "execve of a program granted r only" $door blocked \
		"$LIM" exec "$R/prog" read "$R/file"
	# The loader (rx) opens the program for reading and maps it.
	ESC_RESET=reset_code
	attempt "ld.so running a program granted r only" $door limit \
		"$LDSO" "$R/prog" read "$R/file"
	# A memfd lives on an internal mount no rule can name; Landlock lets
	# every access to such files through, exec included.
	ESC_RESET=reset_code ESC_NEEDS="executable memfds (vm.memfd_noexec below 2)"
	attempt "memfd_create + fexecve of a program granted r only" $door limit \
		"$LIM" memfd-exec "$R/prog" read "$R/file"
	ESC_RESET=reset_code
	attempt "dlopen of a library granted r only" $door limit \
		"$LIM" dlopen "$R/libpayload.so"
done

# --- persistence: written inside, run later outside ------------------------
# Not an escape: the sandbox holds while it runs. But a file it may write
# can be code the user runs afterwards without it. Each case: a sandboxed
# write to $O fails (the policy holds); the sandboxed plant succeeds; what
# the user runs next, unsandboxed, writes $O. Counted like the attempts
# above (once: the door does not matter, the plant is an ordinary write).
P=$F/project
PWNED="echo pwned >$O/sentinel"

# The README's Makefile example as it was: settings from --mode env,
# included by the Makefile, with rw on the whole checkout.
write_makefile() {
	cat >"$P/Makefile" <<EOF
include sandbox.mk
escape:
	$PWNED
tamper-settings:
	echo 'unexport LD_PRELOAD LD_AUDIT' >>sandbox.mk
tamper-makefile:
	sed -i '/^include/d' Makefile
EOF
}
reset_make() { # RULES...: the settings' fs rules besides rx:/usr
	local r
	local -a flags=(--fs rx:/usr)
	esc_reset
	mkdir -p "$P/out"
	write_makefile
	for r in "$@"; do flags+=(--fs "$r"); done
	"$SBX" --mode env --format make "${flags[@]}" >"$P/sandbox.mk"
}
reset_make_whole() { reset_make "rw:$P"; }
reset_make_narrow() { reset_make "r:$P" "rw:$P/out"; }
reset_git() {
	esc_reset
	mkdir -p "$P"
	git -C "$P" init -q
}
reset_plain() {
	esc_reset
	mkdir -p "$P" "$HOME"
	rm -f "$HOME/.bashrc"
}

# persist NAME EXPECT RESET CONFINED PLANT LATER — the three commands are
# shell text run in $P: CONFINED (sandboxed, writes $O: must fail),
# PLANT (sandboxed), LATER (what the user runs next, unsandboxed).
#   limit:   PLANT succeeds and LATER changes $O — the planted code ran.
#   blocked: PLANT fails and LATER leaves $O as it was.
persist() {
	local name=$1 expect=$2 reset=$3 confined=$4 plant=$5 later=$6 before plant_status
	name="$name [persistence]"
	ESC_TRIED=$((ESC_TRIED + 1))
	"$reset"
	before=$(snapshot "$O")
	(cd "$P" && eval "$confined") >/dev/null 2>&1
	if [ $? -eq 0 ] || [ "$(snapshot "$O")" != "$before" ]; then
		fail "$name" "the sandboxed write to $O got through: the policy does not hold"
		return
	fi
	(cd "$P" && eval "$plant") >/dev/null 2>"$SBX_TMP/.stderr"
	plant_status=$?
	(cd "$P" && eval "$later") >/dev/null 2>&1
	case $expect in
	limit)
		if [ $plant_status -eq 0 ] && [ "$(snapshot "$O")" != "$before" ]; then
			ESC_LIMITS=$((ESC_LIMITS + 1))
			pass "$name: known limit, the planted code ran unsandboxed (docs/security.md)"
		else
			fail "$name" "known limit no longer holds (plant exit $plant_status; $O $([ "$(snapshot "$O")" = "$before" ] && echo unchanged || echo changed)): update the test and docs/security.md"
		fi
		;;
	blocked)
		if [ $plant_status -eq 0 ] || [ "$(snapshot "$O")" != "$before" ]; then
			ESC_ESCAPED=$((ESC_ESCAPED + 1))
			fail "$name" "ESCAPED: plant exit $plant_status; $O $([ "$(snapshot "$O")" = "$before" ] && echo unchanged || echo CHANGED)"
		else
			pass "$name: the plant was refused ($(head -c 120 "$SBX_TMP/.stderr" | tr '\n' ' '))"
		fi
		;;
	esac
}

# make: one recipe edits the settings (or the Makefile), the next build
# runs unconfined. Unexporting LD_PRELOAD alone is not enough: the
# settings also set LD_AUDIT, which applies the policy by itself.
persist "a recipe unexports LD_PRELOAD and LD_AUDIT in the included settings, rw on the checkout" limit \
	reset_make_whole "make -s escape" "make -s tamper-settings" "make -s escape"
persist "a recipe deletes the Makefile's include line, rw on the checkout" limit \
	reset_make_whole "make -s escape" "make -s tamper-makefile" "make -s escape"
persist "a recipe edits the included settings, r on the checkout and rw on out/" blocked \
	reset_make_narrow "make -s escape" "make -s tamper-settings" "make -s escape"
persist "a recipe edits the Makefile, r on the checkout and rw on out/" blocked \
	reset_make_narrow "make -s escape" "make -s tamper-makefile" "make -s escape"

# A git hook planted in a writable checkout runs at the user's next commit.
# (chmod is file metadata, which Landlock does not cover either.)
HOOK="printf '#!/bin/sh\n$PWNED\n' >.git/hooks/pre-commit && chmod +x .git/hooks/pre-commit"
persist "a pre-commit hook planted under rw on the checkout" limit reset_git \
	"\"\$SBX\" --fs rx:/usr --fs rw:. -- sh -c '$PWNED'" \
	"\"\$SBX\" --fs rx:/usr --fs rw:. -- sh -c \"$HOOK\"" \
	"git -c user.name=t -c user.email=t@example.com commit -q --allow-empty -m x"

# A $PATH directory inside the grant: an activated .venv puts its bin first.
TROJAN="mkdir -p .venv/bin && printf '#!/bin/sh\n$PWNED\n' >.venv/bin/ls && chmod +x .venv/bin/ls"
persist "a trojan ls in .venv/bin under rw on the checkout" limit reset_plain \
	"\"\$SBX\" --fs rx:/usr --fs rw:. -- sh -c '$PWNED'" \
	"\"\$SBX\" --fs rx:/usr --fs rw:. -- sh -c \"$TROJAN\"" \
	"PATH=\$PWD/.venv/bin:\$PATH ls"

# A shell start-up file in a writable home runs in the user's next shell.
persist "a line appended to ~/.bashrc under rw on \$HOME" limit reset_plain \
	"\"\$SBX\" --fs rx:/usr --fs rw:\$HOME -- sh -c '$PWNED'" \
	"\"\$SBX\" --fs rx:/usr --fs rw:\$HOME -- sh -c 'echo \"$PWNED\" >>\$HOME/.bashrc'" \
	"bash -i -c true </dev/null"

esc_summary
