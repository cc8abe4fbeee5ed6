#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The shim applies the policy before main (docs/design.md §4.1), from SANDBOXEC_* or a
# trusted project file, exactly as the CLI would: what the rules allow
# works, what they do not is denied — each denial first shown to succeed
# unsandboxed — and a 120 KB SANDBOXEC_FS (near the kernel's 128 KiB limit
# for one variable) is accepted and enforced.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

MARK=$SBX_HELPERS/first_marker
W=$SBX_TMP/work
OUTSIDE=$SBX_TMP/outside
mkdir -p "$OUTSIDE"
GOOD="rx:/usr,rx:$SBX_HELPERS,rw:$W"

# --- allowed and denied, each compared with the bare run
run_capture "$MARK" "$W/bare"
expect_eq "bare: the marker program writes in the work dir" "$STATUS" 0
expect_status "shim: write inside the rw dir allowed" 0 shim SANDBOXEC_FS="$GOOD" "$MARK" "$W/m"
expect_exists "shim: the allowed write happened" "$W/m"
run_capture "$MARK" "$OUTSIDE/bare"
expect_eq "bare: writing outside the rw dir works" "$STATUS" 0
expect_status "shim: write outside the rw dir denied" 3 shim SANDBOXEC_FS="$GOOD" "$MARK" "$OUTSIDE/m"
expect_absent "shim: nothing written outside" "$OUTSIDE/m"
expect_status "bare: ls /root works" 0 ls /root
expect_status "shim: ls /root denied (user guide)" 2 shim SANDBOXEC_FS=rx:/usr ls /root
expect_status "shim: ls /usr allowed (user guide)" 0 shim SANDBOXEC_FS=rx:/usr ls /usr
# The probe compares like the CLI tests do, with the policy from the env.
FX=$SBX_TMP/fx
reset_fx() { rm -rf "$FX" && mkdir -p "$FX" && echo data >"$FX/f"; }
reset_fx
expect_eq "bare: probe reads the file" "$("$PROBE" read "$FX/f")" ok
expect_eq "shim: r on the dir allows reading" \
	"$(shim SANDBOXEC_FS="rx:/usr,rx:$PROBE,r:$FX" "$PROBE" read "$FX/f")" ok
expect_eq "bare: probe writes the file" "$("$PROBE" write "$FX/f")" ok
reset_fx
expect_eq "shim: r on the dir denies writing" \
	"$(shim SANDBOXEC_FS="rx:/usr,rx:$PROBE,r:$FX" "$PROBE" write "$FX/f")" "denied EACCES"
expect_eq "shim: the denied write changed nothing" "$(cat "$FX/f")" data

# --- net: no rules means no TCP (ABI 4+)
if [ "$("$PROBE" landlock-abi)" -ge 4 ]; then
	port=$("$PROBE" freeport)
	expect_eq "bare: bind a free port" "$("$PROBE" bind "$port")" ok
	expect_eq "shim: bind without a net rule denied" \
		"$(shim SANDBOXEC_FS="rx:/usr,rx:$PROBE" "$PROBE" bind "$port")" "denied EACCES"
	expect_eq "shim: bind with SANDBOXEC_NET=b:PORT allowed" \
		"$(shim SANDBOXEC_FS="rx:/usr,rx:$PROBE" SANDBOXEC_NET="b:$port" "$PROBE" bind "$port")" ok
fi

# --- a trusted project file applies, relative paths from its own dir
PRJ=$SBX_TMP/project
mkdir -p "$PRJ/sub" "$PRJ/out"
printf 'fs:\n  - rx:/usr\n  - rx:%s\n  - rw:out\n' "$SBX_HELPERS" >"$PRJ/.sandboxec.yaml"
"$SBX" --mode trust "$PRJ/.sandboxec.yaml" >/dev/null 2>&1 </dev/null
cd "$PRJ/sub" || exit 1
expect_status "project file: applies, rw:out relative to the file" 0 shim "$MARK" "$PRJ/out/made"
expect_exists "project file: the allowed write happened" "$PRJ/out/made"
expect_status "project file: still denies outside" 3 shim "$MARK" "$OUTSIDE/p"
expect_absent "project file: nothing written outside" "$OUTSIDE/p"
# SANDBOXEC_FS is a stronger layer: it replaces the file's list.
expect_status "project file: SANDBOXEC_FS replaces its fs list" 3 \
	shim SANDBOXEC_FS="rx:/usr,rx:$SBX_HELPERS" "$MARK" "$PRJ/out/replaced"
cd "$W" || exit 1

# --- the shim's implicit read rule on itself names the file ld.so loaded
# by its real path, however LD_PRELOAD spells it: already canonical (the
# name is kept: no /proc, no realpath), with ".", ".." or doubled slashes,
# through links (on the way or the file itself one), relative to the
# current directory, and where /proc is not there to ask (the shim then
# resolves the name with realpath). The verbose policy prints it.
REAL_SHIM=$(realpath "$SBX_SHIM")
REAL_DIR=$(dirname "$REAL_SHIM")
SHIM_NAME=$(basename "$REAL_SHIM")
LINKS=$SBX_TMP/links
mkdir -p "$LINKS/dir" "$LINKS/solo"
ln -s "$REAL_DIR" "$LINKS/dir/build"
ln -s "$LINKS/dir/build/$(basename "$REAL_SHIM")" "$LINKS/libsandboxec.so"
ln -s "$REAL_SHIM" "$LINKS/solo/libsandboxec.so"
want_implicit="\"r:$REAL_SHIM\"  # implicit: the sandboxec shim"
implicit_rule() { grep -o '"r:[^"]*"  # implicit: the sandboxec shim' <<<"$ERR"; }
for spelled in "$REAL_SHIM" "$REAL_DIR/./$SHIM_NAME" "$REAL_DIR/../$(basename "$REAL_DIR")/$SHIM_NAME" \
	"$REAL_DIR//$SHIM_NAME" "$LINKS/solo/libsandboxec.so"; do
	run_capture env LD_PRELOAD="$spelled" SANDBOXEC_VERBOSE=1 SANDBOXEC_FS=rx:/usr /bin/true
	expect_eq "implicit rule: preloaded as $spelled, the real path" "$STATUS:$(implicit_rule)" "0:$want_implicit"
done
run_capture env LD_PRELOAD="$LINKS/libsandboxec.so" SANDBOXEC_VERBOSE=1 SANDBOXEC_FS=rx:/usr /bin/true
expect_eq "implicit rule: preloaded through links, the real path" "$STATUS:$(implicit_rule)" "0:$want_implicit"
cd "$LINKS" || exit 1
run_capture env LD_PRELOAD=./libsandboxec.so SANDBOXEC_VERBOSE=1 SANDBOXEC_FS=rx:/usr /bin/true
expect_eq "implicit rule: preloaded by a relative name, the real path" "$STATUS:$(implicit_rule)" "0:$want_implicit"
cd "$W" || exit 1
if unshare --mount --propagation private true 2>/dev/null; then
	run_capture unshare --mount --propagation private sh -c \
		'mount -t tmpfs none /proc && exec env LD_PRELOAD="$1" SANDBOXEC_VERBOSE=1 SANDBOXEC_FS=rx:/usr /bin/true' \
		sh "$LINKS/libsandboxec.so"
	expect_eq "implicit rule: without /proc, the real path" "$STATUS:$(implicit_rule)" "0:$want_implicit"
else
	skip "implicit rule: without /proc, the real path" "unshare --mount is not permitted here"
fi

# --- a 120 KB SANDBOXEC_FS: accepted and enforced. Built in a variable
# that is never exported, so no other command carries it.
big=$(printf 'rx:/usr,%.0s' $(seq 15100))
if [ ${#big} -ge 120000 ] && [ ${#big} -lt 131072 ]; then
	pass "120 KB SANDBOXEC_FS built (${#big} bytes)"
else
	fail "120 KB SANDBOXEC_FS built" "${#big} bytes"
fi
expect_status "120 KB SANDBOXEC_FS applies" 0 shim SANDBOXEC_FS="${big}rx:$SBX_HELPERS,rw:$W" "$MARK" "$W/big"
expect_status "120 KB SANDBOXEC_FS still denies" 3 shim SANDBOXEC_FS="${big}rx:$SBX_HELPERS,rw:$W" "$MARK" "$OUTSIDE/big"
expect_absent "120 KB SANDBOXEC_FS: nothing written outside" "$OUTSIDE/big"
unset big
