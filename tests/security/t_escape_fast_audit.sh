#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Attacks on the fast audit entry (libsandboxec-fast.so, docs/audit-and-seccomp.md
# "The fast audit entry"): settings it must not decide alone, or must not
# decide at all, reached by editing the generated settings or the files
# they name after they were printed. Each attempt writes a file outside
# the policy; unsandboxed it gets through, and under the attacked settings
# it must end confined (the write refused: "blocked") or refused before
# the command runs (status 1, one `sandboxec: ` line), never unconfined.
. "$(dirname "$0")/escape_lib.sh"

fast=$SBX_BUILD/libsandboxec-fast.so
if [ ! -e "$fast" ]; then
	# Built on x86-64 only (mk/fast.mk).
	expect_eq "the fast entry is missing only where it is not built" "$(uname -m | grep -c '^x86_64$')" 0
	exit 0
fi

# edit ARRAY NAME=VALUE — replaces NAME's value (or adds it).
edit() {
	local -n in=$1
	local i
	for i in "${!in[@]}"; do
		case ${in[$i]} in "${2%%=*}="*) in[$i]=$2 && return ;; esac
	done
	in+=("$2")
}
value_of() { # ARRAY NAME
	local -n in=$1
	local v
	for v in "${in[@]}"; do case $v in "$2="*) echo "${v#*=}" ;; esac; done
}

# fast_attempt NAME ARRAY — the write outside, unsandboxed, then under the
# settings in ARRAY as the whole environment, exactly (a name twice
# included), set up by the caller after esc_reset.
fast_attempt() {
	local name="$1 [fast entry]" got status before after lines
	local -n envs=$2
	ESC_TRIED=$((ESC_TRIED + 1))
	got=$("$ESC" write "$O/planted" 2>/dev/null)
	rm -f "$O/planted"
	if [ "$got" != escaped ]; then
		fail "$name" "baseline: unsandboxed run gave '$got', want escaped"
		return
	fi
	before=$(guard_trees)
	got=$("$SBX_HELPERS/exec_env" "${envs[@]}" -- "$ESC" write "$O/planted" 2>"$SBX_TMP/.stderr")
	status=$?
	after=$(guard_trees)
	lines=$(wc -l <"$SBX_TMP/.stderr")
	if [[ ${got##*$'\n'} == escaped* ]] || [ "$before" != "$after" ]; then
		ESC_ESCAPED=$((ESC_ESCAPED + 1))
		fail "$name" "ESCAPED: got '$got' (exit $status)"
	elif [[ ${got##*$'\n'} == blocked* ]]; then
		pass "$name: confined, ${got##*$'\n'}"
	elif [ -z "$got" ] && [ "$status" = 1 ] && [ "$lines" = 1 ] &&
		grep -q '^sandboxec: ' "$SBX_TMP/.stderr"; then
		pass "$name: refused before the command ran: $(head -c 120 "$SBX_TMP/.stderr")"
	else
		fail "$name" "neither confined nor refused with one line (exit $status, '$got'): $(head -c 300 "$SBX_TMP/.stderr")"
	fi
}

L=$SBX_TMP/links
POLICY=(--fs rx:/usr --fs "rx:$SBX_HELPERS" --fs "r:$SBX_BUILD" --fs "rw:$W" --fs "r:$R" --fs r:/proc)
esc_reset
settings_env BASE "${POLICY[@]}"
# The attacks below start from settings the fast entry decides alone.
case $(env "${BASE[@]}" /bin/cat /proc/self/maps) in
*libsandboxec.so*) fail "setup" "the fast entry leaves the generated settings to the shim" ;;
*libsandboxec-fast.so*) pass "setup: the fast entry decides the generated settings" ;;
*) fail "setup" "neither object is mapped under the generated settings" ;;
esac

# A rule directory inside a writable tree, swapped for a symlink to the
# outside tree after the settings were printed (what a sandboxed command
# could do): followed, it would grant the outside.
esc_reset
mkdir -p "$W/sub"
settings_env S "${POLICY[@]}" --fs "rw:$W/sub"
rm -rf "$W/sub" && ln -s "$O" "$W/sub"
fast_attempt "rule dir in a writable tree swapped for a symlink" S
# The same outside any writable tree: the engine follows the link, with
# the rule's own rights.
esc_reset
rm -rf "$L" && mkdir -p "$L/d"
settings_env S "${POLICY[@]}" --fs "r:$L/d"
rm -rf "$L/d" && ln -s / "$L/d"
fast_attempt "read-only rule dir swapped for a symlink to /" S
rm -rf "$L"

# Settings edited after they were printed.
esc_reset
S=("${BASE[@]}")
edit S "SANDBOXEC_FS=$(value_of BASE SANDBOXEC_FS),r:$W/../outside"
fast_attempt "edited: a rule path with .." S
S=("${BASE[@]}")
edit S "SANDBOXEC_FS=$(value_of BASE SANDBOXEC_FS),r:/$O//"
fast_attempt "edited: a rule path with // and a trailing /" S
S=("${BASE[@]}")
edit S "SANDBOXEC_FS=$(value_of BASE SANDBOXEC_FS),r:$O"
edit S "SANDBOXEC_ABI="
fast_attempt "edited: an empty ABI" S
S=("${BASE[@]}" "SANDBOXEC_FSX=rw:/")
fast_attempt "an extra SANDBOXEC_ name the engine does not know" S
S=("${BASE[@]}" "SANDBOXEC_VERBOSE=1")
fast_attempt "an extra SANDBOXEC_ name it does not decide (verbose)" S
# A name twice: the fast entry leaves it to the shim, whose engine reads
# the first (as getenv does). Either spelling must not lose the layer.
S=("${BASE[@]}" "SANDBOXEC_FS=rw:/")
fast_attempt "SANDBOXEC_FS twice, the second one wider" S
S=("SANDBOXEC_FS=r:/" "${BASE[@]}")
fast_attempt "SANDBOXEC_FS twice, the first one wider (read-only)" S
printf 'fs: ["rw:/"]\n' >"$SBX_TMP/wide.yaml"
S=("${BASE[@]}" "SANDBOXEC_CONFIG=$SBX_TMP/wide.yaml")
fast_attempt "a config named that grants everything" S

# The tree marker: the right one in a process without no_new_privs was
# never the engine's.
S=("${BASE[@]}" "SANDBOXEC_ACTIVE=$(env "${BASE[@]}" /usr/bin/printenv SANDBOXEC_ACTIVE)")
fast_attempt "SANDBOXEC_ACTIVE forged without no_new_privs" S

# The load lists.
audit=$(value_of BASE LD_AUDIT)
S=("${BASE[@]}")
edit S "LD_AUDIT=${audit#*:}:${audit%%:*}"
fast_attempt "LD_AUDIT order changed: the shim first" S
S=("${BASE[@]}")
edit S "LD_AUDIT=${audit%%:*}"
fast_attempt "the fast entry alone in LD_AUDIT, the shim still in LD_PRELOAD" S
S=()
for v in "${BASE[@]}"; do case $v in LD_PRELOAD=*) ;; LD_AUDIT=*) S+=("LD_AUDIT=${audit%%:*}") ;; *) S+=("$v") ;; esac; done
fast_attempt "the fast entry alone, no shim anywhere" S
S=("${BASE[@]}")
edit S "LD_AUDIT=${audit%%:*}:$SBX_BUILD/tests/bench/empty_preload.so:${audit#*:}"
fast_attempt "another library between the fast entry and the shim" S

# A thread running before either object (started by an audit module
# listed first).
if [ -e "$SBX_BUILD/tests/fast/thread_audit.so" ]; then
	S=("${BASE[@]}")
	edit S "LD_AUDIT=$SBX_BUILD/tests/fast/thread_audit.so:$audit"
	fast_attempt "a second thread started before the fast entry" S
else
	esc_skip "a second thread [fast entry]" "build/tests/fast/thread_audit.so is missing (make check builds it)"
fi

# A sandboxed program preparing wider settings for its child.
esc_reset
WIDE=("${BASE[@]}")
edit WIDE "SANDBOXEC_FS=rw:/"
S=("${BASE[@]}" -- /bin/sh -c 'exec "$0" "$@"' "$SBX_HELPERS/exec_env" "${WIDE[@]}")
fast_attempt "a confined program re-running the settings widened" S

esc_summary
