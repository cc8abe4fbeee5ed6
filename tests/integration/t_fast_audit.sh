#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The fast audit entry (libsandboxec-fast.so, shim/fast/, docs/audit-and-seccomp.md
# "The fast audit entry"), named before the shim in the LD_AUDIT of the
# generated settings: where it decides alone it applies what the engine
# would (the command is confined, the marker is the engine's, neither copy
# of the shim is mapped, no code of the program runs first); everywhere
# else it leaves the decision to the shim named after it, which then
# decides exactly as under the shim alone. The cases are the ways a fast
# path could grant more than the engine: settings edited after they were
# sourced, a rule path turned into a symlink, a project file in the
# working directory, a setting the engine refuses, a config named, and a
# sandboxed program preparing wider settings for its child; and the tree
# marker and list edits it shares with the shim. Each denial is first
# shown to succeed unsandboxed.
. "$(dirname "$0")/lib.sh"
sbx_setup

require_abi 1 "Landlock"
fast=$SBX_BUILD/libsandboxec-fast.so
if [ ! -e "$fast" ]; then
	# Built on x86-64 only (mk/fast.mk); elsewhere the settings name the shim alone.
	expect_eq "the fast entry is missing only where it is not built" "$(uname -m | grep -c '^x86_64$')" 0
	expect_status "without it the settings name the shim alone in LD_AUDIT" 1 \
		sh -c '"$1" --mode env --fs rx:/usr | grep -q libsandboxec-fast' sh "$SBX"
	exit 0
fi

work=$SBX_TMP/work
outside=$(mktemp -d /var/tmp/sbx-fast-audit.XXXXXX) || exit 1
at_exit "rm -rf $outside"
links=$SBX_TMP/links
mkdir -p "$links/d"
RULES=(--fs rx:/usr --fs r:/etc --fs "rw:$work" --fs r:/proc --fs rw:/dev/null
	--fs "rx:$SBX_HELPERS" --fs "r:$SBX_BUILD" --fs "rw:$links/d")

# without_fast ARRAY — drops the fast entry from ARRAY's LD_AUDIT: the
# settings as the shim alone decides them.
without_fast() {
	local -n in=$1
	local i
	for i in "${!in[@]}"; do
		case ${in[$i]} in LD_AUDIT=*) in[$i]="LD_AUDIT=${in[$i]#LD_AUDIT=*libsandboxec-fast.so:}" ;; esac
	done
}
# set_value ARRAY NAME=VALUE — replaces NAME's value in ARRAY.
set_value() {
	local -n in=$1
	local i
	for i in "${!in[@]}"; do
		case ${in[$i]} in "${2%%=*}="*) in[$i]=$2 ;; esac
	done
}
# decided_by ARRAY — "fast" when the fast entry confined the command (no
# copy of the shim mapped in it), "shim" when a copy of the shim is.
decided_by() {
	local -n in=$1
	local maps
	maps=$(env "${in[@]}" /bin/cat /proc/self/maps 2>/dev/null)
	case $maps in
	*libsandboxec.so*) echo shim ;;
	*libsandboxec-fast.so*) echo fast ;;
	*) echo none ;;
	esac
}

settings_env PLAIN "${RULES[@]}"
settings_env FAST "${RULES[@]}"
without_fast PLAIN
expect_contains "the settings name the fast entry first in LD_AUDIT" "${FAST[*]}" \
	"LD_AUDIT=$SBX_BUILD/libsandboxec/\$LIB/libsandboxec-fast.so:$SBX_BUILD/libsandboxec/\$LIB/libsandboxec.so"

# --- baseline: the writes the policies refuse succeed unsandboxed
expect_status "unsandboxed: a file outside the policy can be created" 0 touch "$outside/base"

# --- where the fast entry decides alone
expect_eq "the generated settings: the fast entry decides" "$(decided_by FAST)" fast
expect_status "fast: a file outside the policy cannot be created" 1 \
	env "${FAST[@]}" /usr/bin/touch "$outside/fast"
expect_absent "fast: nothing was created outside" "$outside/fast"
expect_status "fast: a file inside the policy can" 0 env "${FAST[@]}" /usr/bin/touch "$work/fast"
expect_status "fast: the seccomp filter is on, no_new_privs set" 0 \
	env "${FAST[@]}" /bin/sh -c 'grep -q "^Seccomp:.2" /proc/self/status && grep -q "^NoNewPrivs:.1" /proc/self/status'
expect_eq "fast: the marker is the one the engine writes" \
	"$(env "${FAST[@]}" /usr/bin/printenv SANDBOXEC_ACTIVE)" \
	"$(env "${PLAIN[@]}" /usr/bin/printenv SANDBOXEC_ACTIVE)"
expect_status "fast: LD_AUDIT and LD_PRELOAD are gone for the descendants" 1 \
	env "${FAST[@]}" /bin/sh -c 'env | grep -E "^LD_(AUDIT|PRELOAD)="'
expect_status "fast: a descendant stays confined" 1 \
	env "${FAST[@]}" /bin/sh -c "touch '$outside/child'"

# --- no code of the program before the policy, on either path
# (tests/premain: an IFUNC resolver, a constructor and DT_PREINIT_ARRAY
# each try to create "premain_prog.<hook>" beside the program)
bin=$SBX_TMP/bin
mkdir -p "$bin"
if cp "$SBX_BUILD/tests/premain/premain_prog" "$SBX_BUILD/tests/premain/libpremain.so" "$bin/" \
	2>/dev/null; then
	hooks() { local h got=""; for h in ifunc preinit ctor; do [ -e "$bin/premain_prog.$h" ] && got="$got $h"; done; echo "${got# }"; }
	run_capture "$bin/premain_prog"
	expect_eq "pre-main: unsandboxed every hook creates its file" "$(hooks)" "ifunc preinit ctor"
	rm -f "$bin"/premain_prog.*
	settings_env PRE --fs rx:/usr --fs "rx:$bin" --fs "r:$SBX_BUILD" --fs r:/proc
	PRE_SHIM=("${PRE[@]}")
	set_value PRE_SHIM "SANDBOXEC_FS=rx:/usr,rx:$bin/,r:$SBX_BUILD,r:/proc"
	for who in fast shim; do
		[ $who = fast ] && run=("${PRE[@]}") || run=("${PRE_SHIM[@]}")
		expect_eq "pre-main: the $who path decides" "$(decided_by run)" $who
		run_capture env "${run[@]}" "$bin/premain_prog"
		expect_contains "pre-main, the $who path: main is denied" "$OUT" "main denied"
		expect_eq "pre-main, the $who path: no hook created its file" "$(hooks)" ""
	done
else
	skip "pre-main hooks" "build/tests/premain is missing (make check builds it)"
fi

# --- settings edited after they were sourced: read as they are now
NARROW=("${FAST[@]}")
set_value NARROW "SANDBOXEC_FS=rx:/usr,r:/etc,r:/proc,rw:/dev/null,rx:$SBX_HELPERS"
expect_status "edited settings: the original ones let the command write the work dir" 0 \
	env "${FAST[@]}" /usr/bin/touch "$work/before"
expect_eq "edited settings: the fast entry still decides" "$(decided_by NARROW)" fast
expect_status "edited settings: the narrower list is what applies" 1 \
	env "${NARROW[@]}" /usr/bin/touch "$work/after"
expect_absent "edited settings: nothing was created" "$work/after"

# --- a rule path replaced by a symlink to / after the settings were printed
expect_status "symlinked rule: before, the rule's directory is writable" 0 \
	env "${FAST[@]}" /usr/bin/touch "$links/d/x"
rm -rf "$links/d" && ln -s / "$links/d"
expect_eq "symlinked rule: the fast entry leaves it to the shim" "$(decided_by FAST)" shim
run_capture env "${FAST[@]}" /usr/bin/touch "$outside/via-link"
fast_status=$STATUS
rm -f "$outside/via-link"
run_capture env "${PLAIN[@]}" /usr/bin/touch "$outside/via-link"
expect_eq "symlinked rule: the outcome is the settings' own" "$fast_status" "$STATUS"
rm -f "$links/d" "$outside/via-link" && mkdir "$links/d"

# --- a project file: with every setting set the engine reads none, and
# neither does the fast entry; with one setting left unset the engine
# searches, so the fast entry must not decide
mkdir -p "$work/proj"
printf 'fs: ["rw:/"]\n' >"$work/proj/.sandboxec.yaml"
( cd "$work/proj" && exec touch "$outside/proj-base" )
expect_exists "project dir: unsandboxed the command runs there" "$outside/proj-base"
PART=()
for v in "${FAST[@]}"; do case $v in SANDBOXEC_LOG_DENIALS=*) ;; *) PART+=("$v") ;; esac; done
in_proj() { (cd "$work/proj" && "$@"); }
expect_eq "project dir, every setting set: the fast entry decides" "$(in_proj decided_by FAST)" fast
expect_status "project dir, every setting set: refused as by the settings" 1 \
	in_proj env "${FAST[@]}" /usr/bin/touch "$outside/proj"
expect_refused_before_main "project dir, a setting unset: the engine refuses the untrusted file" \
	in_proj env "${PART[@]}" "$SBX_HELPERS/first_marker" "$SBX_TMP/marker"
expect_contains "project dir, a setting unset: the refusal names it" "$ERR" "not trusted"
expect_absent "project dir: nothing was created" "$outside/proj"

# --- settings the engine refuses
TYPO=("${FAST[@]}" SANDBOXEC_FSS=rw:/)
expect_refused_before_main "misspelt setting: refused, as by the engine" \
	env "${TYPO[@]}" "$SBX_HELPERS/first_marker" "$SBX_TMP/marker"
BADABI=("${FAST[@]}")
set_value BADABI "SANDBOXEC_ABI="
expect_refused_before_main "empty ABI setting: refused, as by the engine" \
	env "${BADABI[@]}" "$SBX_HELPERS/first_marker" "$SBX_TMP/marker"
NAMED=("${FAST[@]}" "SANDBOXEC_CONFIG=$work/proj/.sandboxec.yaml")
expect_eq "a config named: the fast entry leaves it to the shim" "$(decided_by NAMED)" shim

# --- a sandboxed program preparing wider settings for its child
WIDE=("${FAST[@]}")
set_value WIDE "SANDBOXEC_FS=rw:/"
for marker in keep drop; do
	run_capture env "${FAST[@]}" /bin/sh -c '
		[ "$1" = drop ] && unset SANDBOXEC_ACTIVE
		shift
		exec env "$@"' sh "$marker" "${WIDE[@]}" /usr/bin/touch "$outside/wide-$marker"
	expect_absent "child with wider settings ($marker the marker): still confined" \
		"$outside/wide-$marker"
done

# --- the tree marker: the same settings again inside the tree add nothing
# (the marker and no_new_privs, checked as the shim checks them)
run_capture env "${FAST[@]}" /bin/sh -c '
	exec env "$@" /bin/sh -c "grep -c libsandboxec.so /proc/\$\$/maps; grep -q libsandboxec-fast.so /proc/\$\$/maps && echo fast; touch \"\$0\""' \
	"$outside/again" "${FAST[@]}" SANDBOXEC_ACTIVE="$(env "${FAST[@]}" /usr/bin/printenv SANDBOXEC_ACTIVE)"
expect_eq "marker: the same settings again: the fast entry skips, no copy of the shim is mapped" \
	"$(head -n2 <<<"$OUT" | tr '\n' ' ')" "0 fast "
expect_absent "marker: the descendant is still confined" "$outside/again"
FORGED=("${FAST[@]}" SANDBOXEC_ACTIVE="$(env "${FAST[@]}" /usr/bin/printenv SANDBOXEC_ACTIVE)")
expect_eq "marker without no_new_privs: not trusted, the shim decides" "$(decided_by FORGED)" shim
expect_status "marker without no_new_privs: confined" 1 env "${FORGED[@]}" /usr/bin/touch "$outside/forged"

# --- other libraries in the lists stay for the descendants; ours go
floor=$SBX_BUILD/tests/bench/empty_preload.so
if [ -e "$floor" ]; then
	OTHER=()
	for v in "${FAST[@]}"; do
		case $v in LD_PRELOAD=*) v="$v:$floor" ;; esac
		OTHER+=("$v")
	done
	expect_eq "another preload: the fast entry still decides" "$(decided_by OTHER)" fast
	expect_eq "another preload: kept for the descendants, the marker in LD_AUDIT's slot" \
		"$(env "${OTHER[@]}" /bin/sh -c 'printenv LD_PRELOAD; printenv LD_AUDIT || echo no-audit')" \
		"$floor"$'\n'"no-audit"
	BOTH=()
	for v in "${OTHER[@]}"; do
		case $v in LD_AUDIT=*) v="$v:$floor" ;; esac
		BOTH+=("$v")
	done
	expect_eq "other libraries in both lists (no slot for the marker): the shim decides" \
		"$(decided_by BOTH)" shim
	expect_status "other libraries in both lists: confined" 1 \
		env "${BOTH[@]}" /usr/bin/touch "$outside/both"
else
	skip "other preloaded libraries" "build/tests/bench/empty_preload.so is missing (make check builds it)"
fi

# --- the shim's own edit drops the fast entry too: its descendants load neither
expect_eq "after the shim decided: neither object is left in LD_AUDIT" \
	"$(env "${NAMED[@]}" /bin/sh -c 'printenv LD_AUDIT || echo none')" none
