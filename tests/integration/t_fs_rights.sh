#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Filesystem rights under real Landlock (docs/design.md §2.1, §2.3): each of r, rx, w,
# rw, rwx on a file and on a directory, checked operation by operation with
# the compare pattern (the probe first succeeds unsandboxed, then shows the
# exact sandboxed outcome, and a denial leaves the fixture untouched).
# On an older kernel the cases assert what Landlock enforces there: below
# ABI 3 truncate is not handled (a read-only grant does not stop it), and
# below ABI 2 every rename or link across directories gives EXDEV.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

FX=$SBX_TMP/fx
TRUNC=$(abi_pick 3 "denied EACCES" ok)
TRUNC_WHAT=$(abi_pick 3 denied "not handled below ABI 3")
REFER=$(abi_pick 2 ok "error EXDEV")
REFER_WHAT=$(abi_pick 2 allowed "EXDEV below ABI 2")

# Four sibling directories with the same content: a and b get the rules
# under test, ro gets read-only rules, none gets nothing (it stands for
# "everything outside the grant").
reset_fx() {
	local d
	rm -rf "$FX"
	mkdir -p "$FX"
	for d in a b ro none 'dol$lar'; do
		mkdir "$FX/$d" "$FX/$d/sub" "$FX/$d/empty"
		printf 'data\n' >"$FX/$d/file"
		printf 'nested\n' >"$FX/$d/sub/file"
		cp /usr/bin/true "$FX/$d/prog"
	done
	ln -s a "$FX/link-to-a"
}

# --- rules on a single file -------------------------------------------------
F=$FX/a/file
P=$FX/a/prog
compare "file r: read allowed" ok reset_fx --fs "r:$F" -- read "$F"
compare "file r: append denied" "denied EACCES" reset_fx --fs "r:$F" -- append "$F"
compare "file r: open O_TRUNC denied" "denied EACCES" reset_fx --fs "r:$F" -- open-trunc "$F"
compare "file r: truncate $TRUNC_WHAT" "$TRUNC" reset_fx --fs "r:$F" -- truncate "$F"
compare "file r: exec denied" "denied EACCES" reset_fx --fs "r:$P" -- exec "$P"
compare "file r: sibling file not covered" "denied EACCES" reset_fx --fs "r:$F" -- read "$FX/a/sub/file"
compare "file rx: exec allowed" ok reset_fx --fs "rx:$P" -- exec "$P"
compare "file rx: read allowed" ok reset_fx --fs "rx:$F" -- read "$F"
compare "file rx: append denied" "denied EACCES" reset_fx --fs "rx:$F" -- append "$F"
compare "file w: read denied" "denied EACCES" reset_fx --fs "w:$F" -- read "$F"
compare "file w: append allowed" ok reset_fx --fs "w:$F" -- append "$F"
compare "file w: truncate allowed" ok reset_fx --fs "w:$F" -- truncate "$F"
compare "file w: ftruncate allowed" ok reset_fx --fs "w:$F" -- ftruncate "$F"
compare "file w: exec denied" "denied EACCES" reset_fx --fs "w:$P" -- exec "$P"
compare "file rw: read allowed" ok reset_fx --fs "rw:$F" -- read "$F"
compare "file rw: append allowed" ok reset_fx --fs "rw:$F" -- append "$F"
compare "file rw: exec denied" "denied EACCES" reset_fx --fs "rw:$P" -- exec "$P"
# Directory-only rights (REMOVE_FILE...) are masked away on a file rule, so
# a rule on the file itself cannot delete it: that needs a rule on its dir.
compare "file rw: unlink of the file itself denied" "denied EACCES" reset_fx --fs "rw:$F" -- unlink "$F"
compare "file rwx: exec allowed" ok reset_fx --fs "rwx:$P" -- exec "$P"
compare "file rwx: append allowed" ok reset_fx --fs "rwx:$F" -- append "$F"
compare "file rwx: read allowed" ok reset_fx --fs "rwx:$F" -- read "$F"

# --- rules on a directory -----------------------------------------------------
D=$FX/a
compare "dir r: read file allowed" ok reset_fx --fs "r:$D" -- read "$D/file"
compare "dir r: read nested file allowed" ok reset_fx --fs "r:$D" -- read "$D/sub/file"
compare "dir r: list allowed" ok reset_fx --fs "r:$D" -- ls "$D"
compare "dir r: append denied" "denied EACCES" reset_fx --fs "r:$D" -- append "$D/file"
compare "dir r: create denied" "denied EACCES" reset_fx --fs "r:$D" -- create "$D/new"
compare "dir r: mkdir denied" "denied EACCES" reset_fx --fs "r:$D" -- mkdir "$D/newdir"
compare "dir r: unlink denied" "denied EACCES" reset_fx --fs "r:$D" -- unlink "$D/file"
compare "dir r: rmdir denied" "denied EACCES" reset_fx --fs "r:$D" -- rmdir "$D/empty"
compare "dir r: mkfifo denied" "denied EACCES" reset_fx --fs "r:$D" -- mkfifo "$D/fifo"
compare "dir r: symlink denied" "denied EACCES" reset_fx --fs "r:$D" -- symlink file "$D/sl"
compare "dir r: truncate $TRUNC_WHAT" "$TRUNC" reset_fx --fs "r:$D" -- truncate "$D/file"
compare "dir r: exec denied" "denied EACCES" reset_fx --fs "r:$D" -- exec "$D/prog"
compare "dir r: sibling dir not covered" "denied EACCES" reset_fx --fs "r:$D" -- ls "$FX/none"
compare "dir r: parent dir not covered" "denied EACCES" reset_fx --fs "r:$D" -- ls "$FX"
compare "dir rx: exec allowed" ok reset_fx --fs "rx:$D" -- exec "$D/prog"
compare "dir rx: read allowed" ok reset_fx --fs "rx:$D" -- read "$D/file"
compare "dir rx: create denied" "denied EACCES" reset_fx --fs "rx:$D" -- create "$D/new"
compare "dir w: read file denied" "denied EACCES" reset_fx --fs "w:$D" -- read "$D/file"
# w carries READ_DIR (docs/design.md §2.1 table), so listing is allowed without r.
compare "dir w: list allowed (w includes READ_DIR)" ok reset_fx --fs "w:$D" -- ls "$D"
compare "dir w: append allowed" ok reset_fx --fs "w:$D" -- append "$D/file"
compare "dir w: create allowed" ok reset_fx --fs "w:$D" -- create "$D/new"
compare "dir w: mkdir allowed" ok reset_fx --fs "w:$D" -- mkdir "$D/newdir"
compare "dir w: unlink allowed" ok reset_fx --fs "w:$D" -- unlink "$D/file"
compare "dir w: rmdir allowed" ok reset_fx --fs "w:$D" -- rmdir "$D/empty"
compare "dir w: mkfifo allowed" ok reset_fx --fs "w:$D" -- mkfifo "$D/fifo"
compare "dir w: symlink allowed" ok reset_fx --fs "w:$D" -- symlink file "$D/sl"
compare "dir w: truncate allowed" ok reset_fx --fs "w:$D" -- truncate "$D/file"
compare "dir w: exec denied" "denied EACCES" reset_fx --fs "w:$D" -- exec "$D/prog"
compare "dir w: sibling dir not writable" "denied EACCES" reset_fx --fs "w:$D" -- create "$FX/none/new"
compare "dir rw: read allowed" ok reset_fx --fs "rw:$D" -- read "$D/file"
compare "dir rw: create allowed" ok reset_fx --fs "rw:$D" -- write "$D/new"
compare "dir rw: nested create allowed" ok reset_fx --fs "rw:$D" -- write "$D/sub/new"
compare "dir rw: exec denied" "denied EACCES" reset_fx --fs "rw:$D" -- exec "$D/prog"
compare "dir rwx: exec allowed" ok reset_fx --fs "rwx:$D" -- exec "$D/prog"
compare "dir rwx: create allowed" ok reset_fx --fs "rwx:$D" -- create "$D/new"
compare "dir rwx: read allowed" ok reset_fx --fs "rwx:$D" -- read "$D/file"
compare "no rule: dir not listable" "denied EACCES" reset_fx --fs "rw:$FX/b" -- ls "$D"
compare "no rule: file not readable" "denied EACCES" reset_fx --fs "rw:$FX/b" -- read "$D/file"

# An allowed create must land where it was asked, and only there.
reset_fx
"$SBX" "${BASE[@]}" --fs "rw:$D" -- "$PROBE" write "$D/made" >/dev/null 2>&1
expect_exists "dir rw: created file is on disk" "$D/made"
expect_absent "dir rw: nothing created in the sibling" "$FX/none/made"

# --- spelling of rules ------------------------------------------------------
compare "rules on one path add up (r + w)" ok reset_fx --fs "r:$D" --fs "w:$D" -- read "$D/file"
compare "rules on one path add up (w + r)" ok reset_fx --fs "r:$D" --fs "w:$D" -- create "$D/new"
compare "long form read_write" ok reset_fx --fs "read_write:$D" -- create "$D/new"
compare "long form read denies write" "denied EACCES" reset_fx --fs "read:$D" -- create "$D/new"
compare "long form read_exec" ok reset_fx --fs "read_exec:$D" -- exec "$D/prog"
compare "long form write" ok reset_fx --fs "write:$D" -- create "$D/new"
compare "long form read_write_exec" ok reset_fx --fs "read_write_exec:$D" -- exec "$D/prog"
compare "rights are case-insensitive" ok reset_fx --fs "RW:$D" -- create "$D/new"
compare "whitespace around rights and path ignored" ok reset_fx --fs " rw : $D " -- create "$D/new"
compare "rule through a symlink covers its target" ok reset_fx --fs "rw:$FX/link-to-a" -- create "$D/new"
HOME=$D compare "bare ~ expands to HOME" ok reset_fx --fs 'rw:~' -- create "$D/new"
HOME=$FX compare "~ expands to HOME" ok reset_fx --fs 'rw:~/a' -- create "$D/new"
SBXT_DIR=$D compare '$VAR expands' ok reset_fx --fs 'rw:$SBXT_DIR' -- create "$D/new"
SBXT_DIR=$D compare '${VAR} expands' ok reset_fx --fs 'rw:${SBXT_DIR}/sub' -- create "$D/sub/new"
SBXT_FX=$FX compare '$$ is a literal dollar' ok reset_fx --fs 'rw:$SBXT_FX/dol$$lar' -- create "$FX/dol\$lar/new"
cd "$SBX_TMP" || exit 1
compare "relative path is relative to the cwd" ok reset_fx --fs "rw:fx/a" -- create "$D/new"
compare "relative ./ path" ok reset_fx --fs "rw:./fx/a/sub" -- create "$D/sub/new"
cd "$SBX_TMP/work" || exit 1

# --- rename and link --------------------------------------------------------
compare "rename within a writable dir allowed" ok reset_fx --fs "rw:$D" -- rename "$D/file" "$D/renamed"
compare "rename between two writable dirs $REFER_WHAT" "$REFER" reset_fx --fs "rw:$D" --fs "rw:$FX/b" -- rename "$D/file" "$FX/b/moved"
compare "rename of a dir between writable dirs $REFER_WHAT" "$REFER" reset_fx --fs "rw:$D" --fs "rw:$FX/b" -- rename "$D/sub" "$FX/b/sub2"
compare "rename into a read-only dir denied" "denied EACCES" reset_fx --fs "rw:$D" --fs "r:$FX/ro" -- rename "$D/file" "$FX/ro/moved"
compare "rename out of a read-only dir denied" "denied EACCES" reset_fx --fs "rw:$D" --fs "r:$FX/ro" -- rename "$FX/ro/file" "$D/moved"
compare "rename into an ungranted dir denied" "denied EACCES" reset_fx --fs "rw:$D" -- rename "$D/file" "$FX/none/moved"
compare "link between two writable dirs $REFER_WHAT" "$REFER" reset_fx --fs "rw:$D" --fs "rw:$FX/b" -- link "$D/file" "$FX/b/hard"
compare "link into a read-only dir denied" "denied EACCES" reset_fx --fs "rw:$D" --fs "r:$FX/ro" -- link "$D/file" "$FX/ro/hard"

if need_abi 2 "cross-directory rename" "rename between writable dirs: the file moved"; then
	reset_fx
	"$SBX" "${BASE[@]}" --fs "rw:$D" --fs "rw:$FX/b" -- "$PROBE" rename "$D/file" "$FX/b/moved" >/dev/null 2>&1
	expect_exists "rename between writable dirs: target present" "$FX/b/moved"
	expect_absent "rename between writable dirs: source gone" "$D/file"
fi

# --- what sandboxec adds on its own -------------------------------------------------
# docs/design.md §2.3: the only implicit grant is read on libsandboxec.so itself.
if [ -e "$SBX_SHIM" ]; then
	reset_fx
	run_capture "$SBX" "${BASE[@]}" -- "$PROBE" read "$SBX_SHIM"
	expect_eq "implicit: libsandboxec.so is readable without a rule" "$OUT" ok
	run_capture "$SBX" "${BASE[@]}" -- "$PROBE" read "$SBX"
	expect_eq "implicit: nothing else next to it (the CLI binary) is" "$OUT" "denied EACCES"
else
	skip "implicit shim read" "no $SBX_SHIM"
fi
run_capture "$SBX" --fs rx:/usr --fs r:/proc -- /bin/sh -c 'grep NoNewPrivs /proc/self/status'
expect_contains "no_new_privs is set before restricting" "$OUT" "NoNewPrivs:	1"
