# SPDX-License-Identifier: Apache-2.0
# The escape battery's harness, sourced by tests/security/t_escape_*.sh.
#
# Every attempt runs twice. Unsandboxed it must get through ("escaped"):
# otherwise a "blocked" later could come from an attempt that is impossible
# on this machine, and the test would pass vacuously. Sandboxed — through
# the CLI (`sandboxec --fs ... -- CMD`) or the shim (`LD_PRELOAD=... CMD`) —
# its last step must print "blocked ERRNO" and the guarded state (the
# outside and read-only trees, or whatever the case guards) must be exactly
# as before. Known limits are pinned the other way round: they must still
# get through, so the day the kernel or the project closes one, the test
# says so and docs/security.md gets updated.
. "$(dirname "$0")/../integration/lib.sh"
sbx_setup
require_abi 1 "Landlock"

ESC=$SBX_HELPERS/escape
ESC_STATIC=$SBX_HELPERS/escape-static
if [ ! -x "$ESC" ] || [ ! -x "$ESC_STATIC" ]; then
	fail "setup" "missing $ESC or $ESC_STATIC (run make check)"
	exit 1
fi

# The fixture: W is granted rw, R read-only, O nothing at all.
F=$SBX_TMP/esc
W=$F/work
R=$F/readonly
O=$F/outside

esc_reset() {
	rm -rf "$F"
	mkdir -p "$W" "$R" "$O"
	echo sentinel >"$O/sentinel"
	echo readonly >"$R/file"
	echo inside >"$W/file"
}

# The policy both doors apply; a script may change these between attempts.
esc_policy_default() {
	POL_FS=(rx:/usr "rx:$SBX_HELPERS" "rw:$W" "r:$R")
	POL_NET=()
	POL_SCOPED=0
	POL_UDP=0
	POL_UNIX=0
	POL_BEST_EFFORT=0
	POL_ABI= # empty: the highest ABI (which handles TCP on this kernel)
}
esc_policy_default

# The front doors every script tries: the CLI; the shim with the policy
# in SANDBOXEC_* variables; and the settings `sandboxec --mode env` prints,
# sourced by a shell that then runs the command — what users are told to
# do, and whatever entry point those settings choose (LD_PRELOAD today,
# LD_AUDIT once the audit branch is in).
ESC_DOORS="cli shim env"

# sandbox_cmd DOOR CMD... — sets SB_CMD to CMD under the current policy.
sandbox_cmd() {
	local door=$1 r fs net settings
	local -a flags=()
	shift
	for r in "${POL_FS[@]}"; do flags+=(--fs "$r"); done
	for r in "${POL_NET[@]}"; do flags+=(--net "$r"); done
	[ "$POL_SCOPED" = 1 ] && flags+=(--restrict-scoped)
	[ "$POL_UDP" = 1 ] && flags+=(--allow-udp)
	[ "$POL_UNIX" = 1 ] && flags+=(--restrict-unix)
	[ "$POL_BEST_EFFORT" = 1 ] && flags+=(--best-effort)
	[ -n "$POL_ABI" ] && flags+=(--abi "$POL_ABI")
	case $door in
	cli)
		SB_CMD=("$SBX" "${flags[@]}" -- "$@")
		;;
	shim)
		fs=$(IFS=,; echo "${POL_FS[*]}")
		net=$(IFS=,; echo "${POL_NET[*]}")
		SB_CMD=(env "LD_PRELOAD=$SBX_SHIM" "SANDBOXEC_FS=$fs")
		[ ${#POL_NET[@]} -gt 0 ] && SB_CMD+=("SANDBOXEC_NET=$net")
		[ "$POL_SCOPED" = 1 ] && SB_CMD+=(SANDBOXEC_RESTRICT_SCOPED=1)
		[ "$POL_UDP" = 1 ] && SB_CMD+=(SANDBOXEC_ALLOW_UDP=1)
		[ "$POL_UNIX" = 1 ] && SB_CMD+=(SANDBOXEC_RESTRICT_UNIX=1)
		[ "$POL_BEST_EFFORT" = 1 ] && SB_CMD+=(SANDBOXEC_BEST_EFFORT=1)
		[ -n "$POL_ABI" ] && SB_CMD+=("SANDBOXEC_ABI=$POL_ABI")
		SB_CMD+=("$@")
		;;
	env)
		if ! settings=$("$SBX" --mode env "${flags[@]}"); then
			SB_CMD=(false)
			return 1
		fi
		SB_CMD=(sh -c 'eval "$1" && shift && exec "$@"' sh "$settings" "$@")
		;;
	*)
		echo "sandbox_cmd: unknown door $door" >&2
		return 1
		;;
	esac
}

# What an attempt must not change. A case may set ESC_GUARD to its own
# function; the default is the outside and the read-only trees.
guard_trees() {
	snapshot "$O"
	snapshot "$R"
}

ESC_TRIED=0
ESC_ESCAPED=0
ESC_LIMITS=0
ESC_SKIPPED=0

# Hooks a case may set for one attempt (reset after it):
#   ESC_RESET  function rebuilding the fixture (default esc_reset)
#   ESC_GUARD  function printing the guarded state (default guard_trees)
#   ESC_WRAP   array: an unsandboxed wrapper around both runs (a pty, an
#              fd opened by the parent)
#   ESC_CWD    directory both runs start in (default: the scratch dir)
#   ESC_NEEDS  for attempts on a kernel feature a machine may lack
#              (io_uring, keyrings, file handles...): names it; if the
#              unsandboxed baseline fails, the attempt is skipped with that
#              reason instead of failing
# Arguments may contain @VICTIM@, replaced by $VICTIM at run time, for
# cases whose target process is restarted by ESC_RESET.
ESC_RESET=esc_reset
ESC_GUARD=guard_trees
ESC_WRAP=()
ESC_CWD=.
ESC_NEEDS=

_esc_hooks_reset() {
	ESC_NEEDS=
	ESC_RESET=esc_reset
	ESC_GUARD=guard_trees
	ESC_WRAP=()
	ESC_CWD=.
}

_esc_subst() {
	local a
	SUBST=()
	for a in "$@"; do SUBST+=("${a//@VICTIM@/${VICTIM:-}}"); done
}

# attempt NAME DOOR EXPECT CMD...
#   EXPECT blocked: the sandboxed run must fail and change nothing guarded.
#   EXPECT limit:   a known limit; the sandboxed run must still get through.
attempt() {
	local name=$1 door=$2 expect=$3 got last before after status
	shift 3
	name="$name [$door]"
	ESC_TRIED=$((ESC_TRIED + 1))

	"$ESC_RESET"
	_esc_subst "$@"
	got=$(cd "$ESC_CWD" && "${ESC_WRAP[@]}" "${SUBST[@]}" 2>"$SBX_TMP/.stderr")
	if [ -z "$got" ] || grep -qv '^escaped' <<<"$got"; then
		if [ -n "$ESC_NEEDS" ]; then
			ESC_TRIED=$((ESC_TRIED - 1))
			esc_skip "$name" "needs $ESC_NEEDS; unsandboxed it gave '$got'"
			_esc_hooks_reset
			return
		fi
		fail "$name" "baseline: unsandboxed run gave '$got', want escaped (stderr: $(head -c 200 "$SBX_TMP/.stderr"))"
		_esc_hooks_reset
		return
	fi

	"$ESC_RESET"
	_esc_subst "$@"
	sandbox_cmd "$door" "${SUBST[@]}"
	before=$("$ESC_GUARD")
	got=$(cd "$ESC_CWD" && "${ESC_WRAP[@]}" "${SB_CMD[@]}" 2>"$SBX_TMP/.stderr")
	status=$?
	after=$("$ESC_GUARD")
	last=${got##*$'\n'}
	case $expect in
	blocked)
		if [[ $last == escaped* ]] || [ "$before" != "$after" ]; then
			ESC_ESCAPED=$((ESC_ESCAPED + 1))
			fail "$name" "ESCAPED: sandboxed run gave '$got' (exit $status); guarded state $([ "$before" = "$after" ] && echo unchanged || echo CHANGED)"
		elif [[ $last != blocked* ]]; then
			fail "$name" "sandboxed run did not report (exit $status): '$got'; stderr: $(head -c 300 "$SBX_TMP/.stderr")"
		else
			pass "$name: $last"
		fi
		;;
	limit)
		if [[ $last == escaped* ]]; then
			ESC_LIMITS=$((ESC_LIMITS + 1))
			pass "$name: known limit, still gets through (docs/security.md)"
		else
			fail "$name" "known limit no longer holds (got '$got', exit $status): update the test and docs/security.md"
		fi
		;;
	esac
	_esc_hooks_reset
}

# esc_skip NAME WHY — an attempt that cannot run here; counted as skipped.
esc_skip() {
	ESC_SKIPPED=$((ESC_SKIPPED + 1))
	skip "$1" "$2"
}

# esc_need_abi N WHAT NAME — need_abi for attempts: true when the kernel
# has ABI N, otherwise an attempt skipped (and counted) naming WHAT.
esc_need_abi() {
	has_abi "$1" && return 0
	esc_skip "$3" "needs Landlock ABI $1 ($2); $(abi_here)"
	return 1
}

# One line per script for the runner's output and the report.
esc_summary() {
	echo "# summary $(basename "$0"): $ESC_TRIED attempts, $ESC_ESCAPED escaped," \
		"$ESC_LIMITS known limits pinned, $ESC_SKIPPED skipped"
}
