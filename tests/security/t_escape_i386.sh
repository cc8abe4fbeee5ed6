#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# 32-bit programs under the settings `sandboxec --mode env` prints
# (docs/shim.md, "32-bit programs"). ld.so cannot load a 64-bit shim into
# an i386 program: it says "wrong ELF class ... ignored" and runs the
# program unconfined. The settings name the shim through $LIB, which each
# loader expands to its own library directory, where the copy of its class
# is. Checked here:
#   - the $LIB tree: each loader's expansion holds the copy of its class;
#   - a real 32-bit program, natively, when this kernel runs them (skipped
#     with the reason otherwise: ia32 emulation may be disabled);
#   - the same program under qemu-i386 (user mode, when installed), where
#     the i386 loader, not the kernel's ia32 entry, runs it: the i386 copy
#     must load and confine or fail closed, never be ignored;
#   - without an i386 copy, --mode env and explain say that 32-bit programs
#     would run unconfined; the sh and make settings check the i386 copy.
set -u
. "$(dirname "$0")/escape_lib.sh"
require_abi 1 "Landlock"

ESC32=$SBX_BUILD/tests/i386/escape
TREE=$SBX_BUILD/libsandboxec
unset LD_PRELOAD LD_AUDIT

# The policy of every attempt: the helpers of both classes may run, the
# outside tree O is not granted.
POL_FS=(rx:/usr "rx:$SBX_HELPERS" "rx:$SBX_BUILD/tests/i386" "rw:$W" "r:$R")

i386_skip_all() { # WHY
	local n
	for n in "the \$LIB tree holds the i386 copy" "native 32-bit program [env]" \
		"native 32-bit program [shim]" "qemu-i386: the i386 copy loads" \
		"the settings check the i386 copy"; do
		esc_skip "$n" "$1"
	done
}

# --- without an i386 copy, --mode env and explain say so ------------------
# A copy of the CLI and the 64-bit shim alone, as a build without
# gcc-multilib (or a copy beside sandboxec) leaves them.
FLAT=$SBX_TMP/flat
mkdir -p "$FLAT"
copy_cli "$FLAT" && cp "$SBX_SHIM" "$FLAT/"
for fmt in sh make fish dotenv json; do
	run_capture "$FLAT/sandboxec" --mode env --format "$fmt" --fs rx:/usr
	expect_eq "no i386 copy: --format $fmt still writes the settings" "$STATUS" 0
	expect_contains "no i386 copy: --format $fmt warns on stderr that 32-bit programs run unconfined" \
		"$ERR" "sandboxec: warning: no i386 copy of the shim is installed: a 32-bit program"
	case $fmt in
	json)
		expect_eq "no i386 copy: json stays one JSON object" \
			"$(python3 -c 'import json,sys; print(type(json.load(sys.stdin)).__name__)' <<<"$OUT")" dict
		;;
	*)
		expect_contains "no i386 copy: --format $fmt says so in a comment too" \
			"$(head -1 <<<"$OUT")" "# sandboxec: warning: no i386 copy of the shim"
		;;
	esac
done
run_capture "$FLAT/sandboxec" --mode explain --fs rx:/usr
expect_contains "no i386 copy: explain warns that 32-bit programs run unconfined" "$OUT" \
	"# sandboxec: warning: no i386 copy of the shim is installed"

if [ ! -x "$ESC32" ]; then
	i386_skip_all "no 32-bit test program: the compiler cannot link with -m32 here (install gcc-multilib)"
	esc_summary
	exit 0
fi

# --- the $LIB tree ---------------------------------------------------------
run_capture "$SBX" --mode env --fs rx:/usr
expect_eq "with an i386 copy, --mode env warns about nothing" "$STATUS:$ERR" "0:"
expect_contains "the settings name the shim through \$LIB" "$OUT" \
	"export LD_PRELOAD='$TREE/\$LIB/libsandboxec.so'"
run_capture "$SBX" --mode explain --fs rx:/usr "$ESC32"
expect_contains "explain: the i386 copy loads into a 32-bit command" "$OUT" \
	"32-bit ELF: under the settings of --mode env, the shim's i386 copy loads into it"
expect_not_contains "explain: no warning with an i386 copy" "$OUT" "warning: no i386 copy"

elf_class() { od -An -tu1 -j4 -N1 "$1" | tr -d ' '; } # 1: 32-bit, 2: 64-bit
native=$(LD_DEBUG=libs LD_LIBRARY_PATH='/sbx-lib-probe/$LIB' /bin/true 2>&1 |
	sed -n 's|.*[=:]/sbx-lib-probe/\([^:[:space:]]*\)[[:space:]]*(LD_LIBRARY_PATH).*|\1|p' | head -n1)
expect_eq "the 64-bit loader's \$LIB leads to the 64-bit copy" \
	"$(elf_class "$TREE/$native/libsandboxec.so")" 2
n32=0
for d in "$TREE"/lib32 "$TREE"/lib/i386-linux-gnu; do
	[ -e "$d/libsandboxec.so" ] || continue
	n32=$((n32 + 1))
	expect_eq "the i386 \$LIB ${d#"$TREE"/} holds the 32-bit copy" "$(elf_class "$d/libsandboxec.so")" 1
done
if [ "$n32" -gt 0 ]; then
	pass "the \$LIB tree holds the i386 copy"
else
	fail "the \$LIB tree holds the i386 copy" "no i386 directory under $TREE"
fi

# A 64-bit program under the $LIB settings: still confined.
attempt "64-bit program under the \$LIB settings" env blocked "$ESC" write "$O/escape"

# --- a real 32-bit program, natively ---------------------------------------
esc_reset
native32=$("$ESC32" write "$O/escape" 2>&1)
native32_status=$?
if [ "$native32_status:$native32" = 0:escaped ]; then
	attempt "native 32-bit program" env blocked "$ESC32" write "$O/escape"
	# The shim door with the $LIB path, as a user would write it by hand.
	fs=$(IFS=,; echo "${POL_FS[*]}")
	esc_reset
	before=$(guard_trees)
	got=$(env "LD_PRELOAD=$TREE/\$LIB/libsandboxec.so" "SANDBOXEC_FS=$fs" "$ESC32" write "$O/escape" 2>&1)
	ESC_TRIED=$((ESC_TRIED + 1))
	if [ "$got" = "blocked EACCES" ] && [ "$before" = "$(guard_trees)" ]; then
		pass "native 32-bit program [shim]: $got"
	else
		ESC_ESCAPED=$((ESC_ESCAPED + 1))
		fail "native 32-bit program [shim]" "got '$got'"
	fi
else
	why="this kernel does not run 32-bit programs (exit $native32_status: ${native32:0:80}); ia32 emulation is disabled or absent"
	esc_skip "native 32-bit program [env]" "$why"
	esc_skip "native 32-bit program [shim]" "$why"
fi

# --- the same program under qemu-i386 --------------------------------------
# qemu-i386 runs the program's own i386 loader, which reads LD_PRELOAD and
# LD_AUDIT from the guest's environment (-E), as on an ia32 kernel. qemu
# itself is not given them, so nothing confines the guest but what its own
# loader loads. The guest has qemu's threads beside it, so the shim is
# expected to stop it at its thread check: fail closed, with its line.
QEMU=$(command -v qemu-i386 || command -v qemu-i386-static || true)
if [ -n "$QEMU" ]; then
	esc_reset
	got=$("$QEMU" "$ESC32" write "$O/escape" 2>&1)
	if [ "$got" != escaped ]; then
		fail "qemu-i386: baseline" "unsandboxed under qemu-i386 it gave '$got', want escaped"
	else
		pass "qemu-i386: baseline: the 32-bit program writes outside unsandboxed"
		flags=()
		for r in "${POL_FS[@]}"; do flags+=(--fs "$r"); done
		settings=$("$SBX" --mode env "${flags[@]}")
		esc_reset
		before=$(guard_trees)
		# shellcheck disable=SC2016
		got=$(sh -c 'eval "$1"; p=$LD_PRELOAD a=$LD_AUDIT; unset LD_PRELOAD LD_AUDIT
			exec "$2" -E "LD_PRELOAD=$p" -E "LD_AUDIT=$a" -E LD_DEBUG=files "$3" write "$4"' \
			sh "$settings" "$QEMU" "$ESC32" "$O/escape" 2>"$SBX_TMP/qemu.err")
		status=$?
		after=$(guard_trees)
		ESC_TRIED=$((ESC_TRIED + 1))
		if [ "$got" = escaped ] || [ "$before" != "$after" ]; then
			ESC_ESCAPED=$((ESC_ESCAPED + 1))
			fail "qemu-i386: the i386 copy loads" "ESCAPED: '$got' (exit $status); $(grep -v '^ *[0-9]*:' "$SBX_TMP/qemu.err" | head -c 300)"
		else
			pass "qemu-i386: the i386 copy loads: nothing written outside (exit $status, '${got:-no output}')"
		fi
		expect_not_contains "qemu-i386: ld.so ignores no shim of the wrong class" \
			"$(cat "$SBX_TMP/qemu.err")" "wrong ELF class"
		# The first LD_AUDIT entry, the fast entry's name, is the i386 shim
		# itself in lib32 (there is no i386 fast entry): it decides.
		expect_contains "qemu-i386: the i386 loader expands \$LIB to the i386 copy and runs it" \
			"$(cat "$SBX_TMP/qemu.err")" "calling init: $TREE/lib32/libsandboxec-fast.so"
		expect_contains "qemu-i386: the shim stops the program with its one line" \
			"$(grep -v '^ *[0-9]*:' "$SBX_TMP/qemu.err")" "sandboxec: "
	fi
else
	esc_skip "qemu-i386: the i386 copy loads" "qemu-i386 is not installed (apt-get install qemu-user)"
fi

# --- the settings check the i386 copy --------------------------------------
# A private copy of the build's shims and tree; the i386 copy is removed,
# as a partial uninstall or a moved file leaves it.
INST=$SBX_TMP/inst
mkdir -p "$INST"
copy_cli "$INST" && cp -a "$SBX_SHIM" "$SBX_BUILD/libsandboxec-i386.so" "$TREE" "$INST/"
"$INST/sandboxec" --mode env --fs rx:/usr >"$SBX_TMP/settings.sh"
"$INST/sandboxec" --mode env --format make --fs rx:/usr >"$SBX_TMP/settings.mk"
run_capture sh -c ". $SBX_TMP/settings.sh && echo sourced"
expect_eq "with both copies the sh settings load" "$STATUS:$OUT" "0:sourced"
rm "$INST/libsandboxec-i386.so"
run_capture sh -c ". $SBX_TMP/settings.sh && echo sourced"
expect_eq "the sh settings refuse to load without the i386 copy" "$STATUS:$OUT" "1:"
expect_contains "the refusal says an i386 copy is missing" "$ERR" "or an i386 copy beside it, is missing"
printf 'include %s\nall:\n\t@echo ran\n' "$SBX_TMP/settings.mk" >"$SBX_TMP/Makefile"
run_capture env -u MAKEFLAGS -u MAKELEVEL make -s -f "$SBX_TMP/Makefile"
expect_eq "the make settings stop make without the i386 copy" "$STATUS" 2
expect_contains "make's stop names the missing i386 copy" "$ERR" \
	"sandboxec: the shim $INST/libsandboxec/lib/i386-linux-gnu/libsandboxec.so these settings preload does not exist"

esc_summary
