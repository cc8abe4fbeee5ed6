#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Which copies of the shim a process started under the settings of
# `sandboxec --mode env` (LD_AUDIT + LD_PRELOAD) loads, and that it is
# confined whichever does the work (shim/audit_entry.c,
# docs/audit-and-seccomp.md "The two copies"). When the audit copy has
# applied the policy and published the marker, ld.so does not load the
# preload copy at all; whenever the audit copy could not settle it (the
# audit module not loaded, no slot for the marker), the preload copy still
# comes and confines. Each case checks the confinement itself: a write the
# policy does not grant, first shown to work unsandboxed.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

GUARDED=$SBX_TMP/guarded
mkdir -p "$GUARDED"
FS="rx:/usr,r:/etc,r:/proc,rw:/dev/null"
# The shell reports how many copies of the shim it has mapped (one mapping
# at offset 0 per copy), whether it may write into $GUARDED, and what its
# environment says to its descendants.
PROBE='n=$(grep libsandboxec.so /proc/$$/maps | grep -c " 00000000 ")
if (echo x >"$1/f") 2>/dev/null; then w=written; else w=denied; fi
echo "copies=$n $w preload=[${LD_PRELOAD-}] audit=[${LD_AUDIT-}] marker=${SANDBOXEC_ACTIVE:+set}"'

probe() { run_capture env -u LD_PRELOAD -u LD_AUDIT -u SANDBOXEC_ACTIVE "$@" \
	/bin/sh -c "$PROBE" sh "$GUARDED"; rm -f "$GUARDED/f"; }

# --- baseline: the write works unsandboxed, and no copy is mapped
probe
expect_eq "unsandboxed: runs" "$STATUS" 0
expect_eq "unsandboxed: no copy, the write works" "$OUT" \
	"copies=0 written preload=[] audit=[] marker="

# --- the preload copy alone confines (the fallback the audit copy may skip)
probe LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS="$FS"
expect_eq "LD_PRELOAD alone: runs" "$STATUS" 0
expect_eq "LD_PRELOAD alone: one copy, the write is denied" "$OUT" \
	"copies=1 denied preload=[] audit=[] marker=set"

# --- the settings: the audit copy applies, ld.so skips the preload copy
probe LD_AUDIT="$SBX_SHIM" LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS="$FS"
expect_eq "LD_AUDIT + LD_PRELOAD: runs" "$STATUS" 0
expect_eq "LD_AUDIT + LD_PRELOAD: only the audit copy is loaded, the write is denied" "$OUT" \
	"copies=1 denied preload=[] audit=[] marker=set"
expect_eq "LD_AUDIT + LD_PRELOAD: ld.so says nothing about the skipped copy" "$ERR" ""

# The same through the file `sandboxec --mode env` writes, which names the
# shim through the $LIB tree beside it.
"$SBX" --mode env --fs rx:/usr --fs r:/etc --fs r:/proc --fs rw:/dev/null >"$SBX_TMP/settings.sh"
run_capture sh -c '. "$1"; exec /bin/sh -c "$2" sh "$3"' sh "$SBX_TMP/settings.sh" "$PROBE" "$GUARDED"
rm -f "$GUARDED/f"
expect_eq "--mode env settings: runs" "$STATUS" 0
# Where the fast audit entry is built (x86-64), it decides these settings
# before the shim: no copy of the shim is mapped at all.
want_copies=1
[ -e "$SBX_BUILD/libsandboxec-fast.so" ] && want_copies=0
expect_eq "--mode env settings: $want_copies copy of the shim loaded, the write is denied" "$OUT" \
	"copies=$want_copies denied preload=[] audit=[] marker=set"
expect_eq "--mode env settings: ld.so says nothing about the skipped copy" "$ERR" ""

# Other preloaded libraries are still loaded; only the shim's entry goes.
other=$(ldconfig -p | awk '/libm\.so\.6 .*x86-64/ { print $NF; exit }')
if [ -n "$other" ]; then
	probe LD_AUDIT="$SBX_SHIM" LD_PRELOAD="$other:$SBX_SHIM" SANDBOXEC_FS="$FS"
	expect_eq "with another preloaded library: runs" "$STATUS" 0
	expect_eq "with another preloaded library: one copy, the write is denied" "$OUT" \
		"copies=1 denied preload=[$other] audit=[] marker=set"
	expect_status "the other preloaded library is loaded" 0 \
		env LD_AUDIT="$SBX_SHIM" LD_PRELOAD="$other:$SBX_SHIM" SANDBOXEC_FS="$FS" \
		/bin/sh -c 'grep -q "$1" /proc/$$/maps' sh "$other"

	# No slot for the marker (both lists name another library, none
	# inherited): the preload copy must come, and adds its layer.
	probe LD_AUDIT="$SBX_TMP/no-such-audit.so:$SBX_SHIM" LD_PRELOAD="$other:$SBX_SHIM" \
		SANDBOXEC_FS="$FS"
	expect_eq "no slot for the marker: runs" "$STATUS" 0
	expect_eq "no slot for the marker: the preload copy comes too, the write is denied" \
		"$OUT" "copies=2 denied preload=[$other] audit=[$SBX_TMP/no-such-audit.so] marker=set"
fi

# --- the audit module is not loaded (its name leads nowhere): the preload
# copy is what confines
probe LD_AUDIT="$SBX_TMP/no-such-audit.so" LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS="$FS"
expect_eq "audit module missing: runs" "$STATUS" 0
expect_eq "audit module missing: the preload copy confines" "$OUT" \
	"copies=1 denied preload=[] audit=[$SBX_TMP/no-such-audit.so] marker=set"

# --- a fail-closed audit copy still stops the program before main
probe LD_AUDIT="$SBX_SHIM" LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS="rx:/usr,bogus"
expect_eq "bad policy under both copies: status 1" "$STATUS" 1
expect_eq "bad policy under both copies: the program never ran" "$OUT" ""
expect_contains "bad policy under both copies: one sandboxec line" "$ERR" "sandboxec: "

# --- a descendant that puts the settings back inside the tree: the audit
# copy finds the marker, adds nothing, and the preload copy stays away
run_capture env LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS="$FS" /bin/sh -c \
	'LD_AUDIT=$1 LD_PRELOAD=$1 exec /bin/sh -c "$2" sh "$3"' sh "$SBX_SHIM" "$PROBE" "$GUARDED"
rm -f "$GUARDED/f"
expect_eq "settings again inside the tree: runs" "$STATUS" 0
expect_eq "settings again inside the tree: one copy, still denied" "$OUT" \
	"copies=1 denied preload=[] audit=[] marker=set"
