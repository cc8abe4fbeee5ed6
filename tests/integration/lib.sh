# SPDX-License-Identifier: Apache-2.0
# Shared helpers for integration tests. Each test prints "ok - NAME" or
# "not ok - NAME: why"; scripts/run-tests.sh counts them.
# Environment from the runner: SBX (the CLI), SBX_SHIM, SBX_HELPERS, SBX_TOP.
set -u

SBX_TMP=$(mktemp -d /tmp/sbxtest.XXXXXX)

# The one EXIT trap of every test script. A script (or a library on top of
# this one) never sets its own: it would silently replace this one. It
# registers what to undo instead, and that runs however the script ends
# (its last line, `exit`, a failed setup, a signal):
#   at_exit 'rm -rf "$dir"'   a command, run last-registered first
#   kill_at_exit PID          a background process, stopped and reaped
# then the scratch tree $SBX_TMP goes.
SBX_CLEANUPS=()
SBX_BG_PIDS=()
SBX_MAIN_PID=$BASHPID

at_exit() { SBX_CLEANUPS+=("$1"); }
kill_at_exit() { SBX_BG_PIDS+=("$1"); }

sbx_cleanup() {
	local pid i
	# A background child is a copy of this shell until it execs; if it
	# ends there, it must not undo the script's fixture.
	[ "$BASHPID" = "$SBX_MAIN_PID" ] || return 0
	for pid in "${SBX_BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	cd / || return
	for ((i = ${#SBX_CLEANUPS[@]} - 1; i >= 0; i--)); do
		eval "${SBX_CLEANUPS[i]}"
	done
	rm -rf "$SBX_TMP"
}
trap sbx_cleanup EXIT

pass() { echo "ok - $1"; }
fail() { echo "not ok - $1: ${2:-}"; }

# expect_status NAME WANT CMD... — runs CMD, compares its exit status.
# Leaves stdout in $OUT and stderr in $ERR.
expect_status() {
	local name=$1 want=$2
	shift 2
	OUT=$("$@" 2>"$SBX_TMP/.stderr")
	STATUS=$?
	ERR=$(cat "$SBX_TMP/.stderr")
	if [ "$STATUS" -eq "$want" ]; then
		pass "$name"
	else
		fail "$name" "exit $STATUS, want $want; stderr: ${ERR:0:300}"
	fi
}

# expect_contains NAME HAYSTACK NEEDLE
expect_contains() {
	case "$2" in
	*"$3"*) pass "$1" ;;
	*) fail "$1" "\"${2:0:300}\" does not contain \"$3\"" ;;
	esac
}

# expect_absent NAME PATH — the file must not exist.
expect_absent() {
	if [ -e "$2" ] || [ -L "$2" ]; then fail "$1" "$2 exists"; else pass "$1"; fi
}

# ---------------------------------------------------------------------------
# Everything below is functions; each t_*.sh calls sbx_setup first.

# skip NAME WHY — a case that cannot run here; the runner lists it.
skip() { echo "skip - $1: ${2:-}"; }

# expect_eq NAME GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got \"${2:0:300}\", want \"${3:0:300}\""; fi
}

# expect_not_contains NAME HAYSTACK NEEDLE
expect_not_contains() {
	case "$2" in
	*"$3"*) fail "$1" "\"${2:0:300}\" contains \"$3\"" ;;
	*) pass "$1" ;;
	esac
}

# expect_exists NAME PATH
expect_exists() {
	if [ -e "$2" ]; then pass "$1"; else fail "$1" "$2 does not exist"; fi
}

# sbx_setup — isolates a test script: the real home, the user's config and
# trust store, and any SANDBOXEC_* settings of the caller must never reach
# the CLI (they would change the policy, or the test would write the real
# trust store). Works from a scratch directory so no project file from the
# checkout (or its parents) is discovered. Sets PROBE and BASE, the rules
# every probe run needs: rx on /usr (on Debian /bin, /lib and /lib64 are
# symlinks into it, so it covers the loader and libc) and on the probe.
sbx_setup() {
	local v
	for v in $(compgen -e | grep '^SANDBOXEC_'); do unset "$v"; done
	export HOME=$SBX_TMP/home XDG_CONFIG_HOME=$SBX_TMP/config XDG_DATA_HOME=$SBX_TMP/data
	unset XDG_CONFIG_DIRS XDG_DATA_DIRS
	export LC_ALL=C
	# make -jN check must not reach the makes the tests run: their output
	# would carry "jobserver unavailable" warnings.
	unset MAKEFLAGS MFLAGS MAKELEVEL
	mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$SBX_TMP/work"
	cd "$SBX_TMP/work" || exit 1
	PROBE=$SBX_HELPERS/probe
	BASE=(--fs rx:/usr --fs "rx:$PROBE")
	if [ ! -x "$SBX" ] || [ ! -x "$PROBE" ]; then
		fail "setup" "missing $SBX or $PROBE (run make first)"
		exit 1
	fi
	sbx_abi
}

# How long a test's server lives. The script kills its servers at exit; the
# lifetime only bounds one orphaned by a killed script, so it has to outlast
# the slowest script anywhere: under TCG on a loaded two-core machine
# t_escape_net.sh took over 300 s, and its last door's baselines found their
# servers gone.
SERVE_SECONDS=3600

# sbx_bg OUTFILE CMD... — starts CMD in the background with stdout in
# OUTFILE, remembers its pid in BG_PID (and kills it at exit), and waits for
# its first line (the probe's "ready ..."): up to 60 s, since a guest kernel
# under emulation can take seconds to start a process. Returns 1 on timeout
# or when CMD ended without that line.
sbx_bg() {
	local out=$1 i
	shift
	"$@" >"$out" 2>&1 &
	BG_PID=$!
	kill_at_exit "$BG_PID"
	for ((i = 0; i < 1200; i++)); do
		grep -q '^ready' "$out" 2>/dev/null && return 0
		kill -0 "$BG_PID" 2>/dev/null || break
		sleep 0.05
	done
	grep -q '^ready' "$out" 2>/dev/null
}

# settings_env ARRAY OPTION... — ARRAY gets the NAME=VALUE pairs that
# `--mode env --format dotenv` prints for the options.
settings_env() {
	local -n into=$1
	local line value
	shift
	into=()
	while IFS= read -r line; do
		case $line in '#'* | '') continue ;; esac
		value=${line#*=}
		value=${value#\'}
		value=${value%\'}
		into+=("${line%%=*}=$value")
	done < <("$SBX" --mode env --format dotenv "$@")
}

# expect_sbx_error NAME — after expect_status-like capture in STATUS/ERR:
# sandboxec itself failed as docs/design.md §5.1 says: status 1 and exactly one stderr
# line, starting "sandboxec: ".
expect_sbx_error() {
	local name=$1 first nlines
	first=${ERR%%$'\n'*}
	nlines=$(printf '%s\n' "$ERR" | grep -c '')
	if [ "$STATUS" -ne 1 ]; then
		fail "$name" "exit $STATUS, want 1; stderr: ${ERR:0:300}"
	elif [ "${first#sandboxec: }" = "$first" ]; then
		fail "$name" "stderr does not start with 'sandboxec: ': ${ERR:0:300}"
	elif [ "$nlines" -ne 1 ]; then
		fail "$name" "want one stderr line, got $nlines: ${ERR:0:300}"
	else
		pass "$name"
	fi
}

# run_capture CMD... — runs CMD, leaves STATUS, OUT and ERR (no verdict).
run_capture() {
	OUT=$("$@" 2>"$SBX_TMP/.stderr")
	STATUS=$?
	ERR=$(cat "$SBX_TMP/.stderr")
}

# snapshot DIR — everything observable about a tree: names, types, sizes,
# modes, link targets, mtimes and file contents. Two equal snapshots mean
# nothing in DIR was created, removed or changed.
snapshot() {
	(
		cd "$1" || exit 1
		find . -printf '%p %y %s %m %l %T@\n' | LC_ALL=C sort
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0r md5sum
	)
}

# compare NAME WANT RESET [SBX-ARGS...] -- PROBE-ARGS...
# The runcompare pattern: RESET builds the fixture under $FX; the probe runs
# once unsandboxed and must succeed (so a denial can never pass because the
# operation was impossible anyway); RESET runs again, then the probe runs as
# `$SBX BASE SBX-ARGS -- probe PROBE-ARGS` and its output must be exactly
# WANT ("ok", "denied EACCES", "error EXDEV", ...). For any WANT but "ok",
# the fixture tree must be unchanged: nothing outside the grant was touched.
compare() { _compare 1 "$@"; }

# compare_raw — compare without BASE: for policies that must come whole
# from elsewhere (a config file, SANDBOXEC_FS), since flags would replace
# their fs list. The policy must then grant rx on /usr and the probe itself.
compare_raw() { _compare 0 "$@"; }

_compare() {
	local with_base=$1 name=$2 want=$3 reset=$4 got status before after want_status
	shift 4
	local -a base=()
	[ "$with_base" = 1 ] && base=("${BASE[@]}")
	local -a policy=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		policy+=("$1")
		shift
	done
	shift
	"$reset"
	got=$("$PROBE" "$@" 2>&1)
	if [ "$got" != ok ]; then
		fail "$name" "baseline: unsandboxed 'probe $*' gave '$got', want ok"
		return
	fi
	"$reset"
	before=$(snapshot "$FX")
	got=$("$SBX" "${base[@]}" "${policy[@]}" -- "$PROBE" "$@" 2>"$SBX_TMP/.stderr")
	status=$?
	after=$(snapshot "$FX")
	case "$want" in
	ok) want_status=0 ;;
	denied*) want_status=3 ;;
	*) want_status=4 ;;
	esac
	if [ "$got" != "$want" ] || [ "$status" -ne "$want_status" ]; then
		fail "$name" "sandboxed 'probe $*' gave '$got' (exit $status), want '$want'; stderr: $(head -c 300 "$SBX_TMP/.stderr")"
	elif [ "$want" != ok ] && [ "$before" != "$after" ]; then
		fail "$name" "denied, but the fixture changed: $(diff <(echo "$before") <(echo "$after") | head -5)"
	else
		pass "$name"
	fi
}

# ---------------------------------------------------------------------------
# The kernel's Landlock, and what each script asserts on a kernel without
# some of it. Every script runs on every kernel: a case whose feature the
# kernel lacks is skipped with a line naming the feature and the ABI, and
# what sandboxec must do there instead (refuse, or degrade with one
# warning under best-effort) is asserted. The runner fails a script that
# asserted nothing.
#
# sbx_abi sets KERNEL_ABI (0: no Landlock), KNOWN_ABI (the highest this
# build knows, from its --version; 0 when it cannot say) and LL_ABI, the one sandboxec uses here:
# the smaller of the two (docs/design.md §2.4).
sbx_abi() {
	KERNEL_ABI=$("$PROBE" landlock-abi)
	KNOWN_ABI=$("$SBX" --version | sed -n 's/.*supported 1-\([0-9][0-9]*\).*/\1/p')
	# Without Landlock the version line has no range to report.
	[ "$KERNEL_ABI" = 0 ] && KNOWN_ABI=${KNOWN_ABI:-0}
	if ! [ "$KERNEL_ABI" -ge 0 ] 2>/dev/null || ! [ "$KNOWN_ABI" -ge 0 ] 2>/dev/null; then
		fail "setup" "cannot tell the Landlock ABI (probe: '$KERNEL_ABI', sandboxec --version: '$KNOWN_ABI')"
		exit 1
	fi
	LL_ABI=$((KERNEL_ABI < KNOWN_ABI ? KERNEL_ABI : KNOWN_ABI))
}

# abi_here — "this kernel has ABI 2", for skip reasons.
abi_here() {
	if [ "$KERNEL_ABI" -eq 0 ]; then
		echo "this kernel has no Landlock"
	elif [ "$KERNEL_ABI" -gt "$KNOWN_ABI" ]; then
		echo "this kernel has ABI $KERNEL_ABI, this build knows up to $KNOWN_ABI"
	else
		echo "this kernel has ABI $KERNEL_ABI"
	fi
}

# has_abi N — true when the ABI in use here is N or higher.
has_abi() { [ "$LL_ABI" -ge "$1" ]; }

# need_abi N WHAT NAME — guards a case (or a block) that needs ABI N for
# WHAT: true when the kernel has it; otherwise prints "skip - NAME: needs
# Landlock ABI N (WHAT); this kernel has ..." and is false.
#   need_abi 4 "TCP rules" "connect: c:PORT" && compare ...
need_abi() {
	has_abi "$1" && return 0
	skip "$3" "needs Landlock ABI $1 ($2); $(abi_here)"
	return 1
}

# abi_pick N AT-N BELOW — the outcome to expect: AT-N when the ABI in use
# is N or higher, BELOW otherwise (what Landlock does not handle yet).
abi_pick() { if has_abi "$1"; then echo "$2"; else echo "$3"; fi; }

# require_abi N WHAT [FLAG...] — for a script whose every case needs ABI N
# (WHAT names the feature, FLAGs the options that ask for it: needed for
# N above 1; none when the feature is Landlock itself). Below N the script asserts what sandboxec
# does on this kernel instead (abi_refusal) and ends with one skip line.
require_abi() {
	local n=$1 what=$2
	shift 2
	has_abi "$n" && return 0
	abi_refusal "$what" "$n" "$@"
	skip "$(basename "$0")" "the rest needs Landlock ABI $n ($what); $(abi_here)"
	exit 0
}

# abi_refusal WHAT N [FLAG...] — on a kernel below ABI N: FLAGs (WHAT)
# make sandboxec refuse with one "sandboxec: " line that names the ABI
# (or the missing Landlock) and --best-effort, and nothing runs; with
# --best-effort the command runs after exactly one warning line naming
# what was dropped (docs/design.md §2.4, §5.1).
abi_refusal() {
	local what=$1 n=$2 d=$SBX_TMP/abi-refusal tag
	shift 2
	tag="$what on ABI $LL_ABI"
	[ "$LL_ABI" -eq 0 ] && tag="no Landlock"
	rm -rf "$d"
	mkdir -p "$d"
	run_capture "$SBX" "${BASE[@]}" "$@" --fs "rw:$d" -- "$PROBE" write "$d/ran"
	expect_sbx_error "$tag: refused"
	expect_contains "$tag: the refusal says why" "$ERR" \
		"$([ "$LL_ABI" -eq 0 ] && echo "no Landlock" || echo "ABI $n")"
	expect_contains "$tag: the refusal names --best-effort" "$ERR" "best-effort"
	expect_absent "$tag: nothing ran" "$d/ran"
	run_capture "$SBX" --best-effort "${BASE[@]}" "$@" --fs "rw:$d" -- "$PROBE" write "$d/ran"
	expect_eq "$tag, best-effort: the command runs" "$STATUS:$OUT" "0:ok"
	expect_eq "$tag, best-effort: one warning line" \
		"$(printf '%s\n' "$ERR" | grep -c '^sandboxec: warning: ')/$(printf '%s\n' "$ERR" | grep -c '')" 1/1
	if [ "$LL_ABI" -eq 0 ]; then
		expect_contains "$tag, best-effort: the warning says unsandboxed" "$ERR" "WITHOUT a sandbox"
	else
		expect_contains "$tag, best-effort: the warning names what was dropped" "$ERR" "dropped"
	fi
}

# outside_environ_here — what the kernel does when a sandboxed process
# granted r:/proc opens /proc/PID/environ (or auxv) of a process outside
# the sandbox that it could read unsandboxed: prints "refused",
# "readable" (the known limit, docs/security.md) or "unmeasured". The
# kernel release decides, not the ABI in use (a fake_abi run keeps the
# host's outcome). Measured as root in the kernel matrix and on the
# host: Linux 6.1 and 6.12 refuse it even with every capability
# (Landlock's ptrace rule); 6.18, 7.2 and 7.3 let it through to a
# process holding CAP_SYS_ADMIN (CAP_SYS_PTRACE alone does not), and
# refuse it without. The releases in between were not measured.
outside_environ_here() {
	local capeff rel major minor
	capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
	if ! (((0x${capeff:-0} >> 21) & 1)); then
		echo refused
		return
	fi
	rel=$(uname -r)
	major=${rel%%.*}
	minor=${rel#*.}
	minor=${minor%%[!0-9]*}
	if ((major < 6 || (major == 6 && minor <= 12))); then
		echo refused
	elif ((major > 6 || minor >= 18)); then
		echo readable
	else
		echo unmeasured
	fi
}

# ---------------------------------------------------------------------------
# copy_cli DIR — copies sandboxec into DIR with its dynamically linked twin
# (sandboxec-dynamic, when the build has one): the static front hands every
# mode but run to the twin beside it, so a copy without it can only run.
copy_cli() {
	cp "$SBX" "$1/" || return 1
	if [ -e "$(dirname "$SBX")/sandboxec-dynamic" ]; then
		cp "$(dirname "$SBX")/sandboxec-dynamic" "$1/" || return 1
	fi
}

# For the shim tests.

# shim CMD... — runs CMD with only libsandboxec.so preloaded (assignments
# NAME=VALUE may come first, as for env).
shim() { env LD_PRELOAD="$SBX_SHIM" "$@"; }

# expect_refused_before_main NAME CMD... — CMD (a program whose first
# statement creates $SBX_TMP/marker, given as its last argument by the
# caller) must end with status 1 and exactly one "sandboxec: " line, and
# the marker must not exist: main never ran.
expect_refused_before_main() {
	local name=$1
	shift
	rm -f "$SBX_TMP/marker"
	run_capture "$@"
	if [ -e "$SBX_TMP/marker" ]; then
		fail "$name" "main ran (marker exists); exit $STATUS; stderr: ${ERR:0:300}"
	else
		expect_sbx_error "$name"
	fi
}
