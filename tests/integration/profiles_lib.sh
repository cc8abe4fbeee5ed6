# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared fixture for the shipped-profile tests (t_profiles_*.sh): each
# profile runs its real tool in a workspace, and every profile faces the
# same denials (a secret in $HOME, writes outside the workspace, a port
# the profile does not list). Source it instead of lib.sh.
#
# Port 443 is what the network profiles allow, so their tests need a
# server on 127.0.0.1:443. To bind it without clashing with anything else
# on the machine, the script re-runs itself in a private network
# namespace when it can (root, unshare, ip); otherwise those cases skip.

if [ -z "${SBX_PROFILES_NETNS:-}" ] && [ "$(id -u)" -eq 0 ] &&
	command -v unshare >/dev/null && command -v ip >/dev/null &&
	unshare --net ip link set lo up 2>/dev/null; then
	export SBX_PROFILES_NETNS=1
	exec unshare --net bash -c 'ip link set lo up && exec bash "$@"' bash "$0" "$@"
fi

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# prof_setup — the fixture. The tree lives outside /tmp (in the build
# dir) because some profiles grant rw:/tmp, and a home under /tmp would
# then be writable for a reason no real home is.
#   $PROF_ROOT/home       HOME, with ~/.ssh/id_ed25519 (the secret) and
#                         ~/.bashrc (a sentinel)
#   $PROF_ROOT/work       the workspace: cwd and PWD of every run
#   $PROF_ROOT/outside    a sentinel next to the workspace
#   $PROF_ROOT/ext        SANDBOXEC_PROFILE_PATH: test-only profiles
#   $DENY_PORT            a server the profiles do not allow
prof_setup() {
	local base
	sbx_setup
	require_abi 1 "Landlock"
	PROF_ABI=$("$PROBE" landlock-abi)
	# Below ABI 4 Landlock has no TCP rules: a profile that lists ports
	# is refused there unless --best-effort drops them (prof_degraded
	# checks both), so the runs pass it, and the "no port" cases skip.
	PROF_BE=()
	has_abi 4 || PROF_BE=(--best-effort)
	base=${SBX_BUILD:-$SBX_TOP/build}
	case "$base" in /tmp/*) base=/var/tmp ;; esac
	# A read-only tree (the kernel matrix shares it so): /var/tmp again.
	[ -w "$base" ] || base=/var/tmp
	PROF_ROOT=$(mktemp -d "$base/profiles-test.XXXXXX") || exit 1
	at_exit 'rm -rf "$PROF_ROOT"'
	export HOME=$PROF_ROOT/home
	WORK=$PROF_ROOT/work
	OUTSIDE=$PROF_ROOT/outside
	EXT=$PROF_ROOT/ext
	SECRET=$HOME/.ssh/id_ed25519
	mkdir -p "$HOME/.ssh" "$WORK" "$OUTSIDE" "$EXT"
	cd "$WORK" || exit 1
	export PWD=$WORK
	PROF_PATH=/usr/local/bin:/usr/bin:/bin
	plant
	if ! sbx_bg "$PROF_ROOT/deny-server.out" "$PROBE" serve 0 "$SERVE_SECONDS"; then
		fail "setup" "the probe server did not start"
		exit 1
	fi
	DENY_PORT=$(awk '/^ready/ {print $2; exit}' "$PROF_ROOT/deny-server.out")
}

# plant — (re)writes the things no profile may touch.
plant() {
	printf 'PRIVATE KEY sandboxec-test\n' >"$SECRET"
	chmod 600 "$SECRET"
	printf '# sentinel\n' >"$HOME/.bashrc"
	printf 'sentinel\n' >"$OUTSIDE/sentinel"
}

# penv CMD... — runs CMD with a small, fixed environment (the caller's
# could carry pyenv shims, proxies or SANDBOXEC_* settings), in the
# workspace. The distribution's tools come first in PATH.
penv() {
	env -i PATH="$PROF_PATH" HOME="$HOME" PWD="$PWD" LC_ALL=C TERM=dumb \
		SANDBOXEC_PROFILE_PATH="$EXT" "$@"
}

# sbx_c NAME CMD... — runs CMD under profile NAME (cwd: the workspace).
sbx_c() {
	local name=$1
	shift
	penv "$SBX" "${PROF_BE[@]}" -C "$name" -- "$@"
}

# prof_degraded EXT PROFILE — below ABI 4 only: EXT (PROFILE plus the
# probe, from deny_matrix) either runs as it
# is (it lists no port) or is refused in one line that names ABI 4 and
# --best-effort, and then runs under --best-effort after exactly one
# warning that says the network rules were dropped.
prof_degraded() {
	local profile=$1 name="$2 on ABI $LL_ABI"
	has_abi 4 && return 0
	run_capture penv "$SBX" -C "$profile" -- "$PROBE" landlock-abi
	if [ "$STATUS:$ERR" = 0: ]; then
		pass "$name: it lists no port and runs as it is"
		return 0
	fi
	expect_eq "$name: a profile with ports is refused (exit 1, one line)" \
		"$STATUS:$(printf '%s\n' "$ERR" | grep -c '')" 1:1
	expect_contains "$name: the refusal names ABI 4" "$ERR" "ABI 4"
	expect_contains "$name: the refusal names --best-effort" "$ERR" "--best-effort"
	run_capture penv "$SBX" --best-effort -C "$profile" -- "$PROBE" landlock-abi
	expect_eq "$name, best-effort: it runs after one warning line" \
		"$STATUS:$(printf '%s\n' "$ERR" | grep -c '^sandboxec: warning: ')/$(printf '%s\n' "$ERR" | grep -c '')" 0:1/1
	expect_contains "$name, best-effort: the warning says what was dropped" "$ERR" "dropped"
}

# expect_port_denied NAME PROFILE PATTERN CMD... — expect_denied for a
# connection to a port the profile does not list: needs TCP rules.
expect_port_denied() {
	need_abi 4 "TCP rules" "$1" || return 0
	expect_denied "$@"
}

# need_cmd NAME CMD — true when CMD is installed; otherwise reports a
# skip for NAME (CI installs every tool through scripts/deps.sh).
need_cmd() {
	if PATH=$PROF_PATH command -v "$2" >/dev/null; then return 0; fi
	skip "$1" "$2 is not installed (scripts/deps.sh installs it)"
	return 1
}

# expect_works NAME PROFILE CMD... — the tool does its job under PROFILE.
expect_works() {
	local name=$1 profile=$2
	shift 2
	run_capture sbx_c "$profile" "$@"
	if [ "$STATUS" -eq 0 ]; then
		pass "$name"
	else
		fail "$name" "exit $STATUS under -C $profile; stderr: ${ERR:0:400}"
	fi
}

# What no profile may change: ~/.ssh, ~/.bashrc, the set of names in
# home and next to the workspace, and the outside dir. (The contents of
# home's other dirs are left out: ~/.npm or ~/.claude are granted.)
protected_state() {
	snapshot "$HOME/.ssh"
	md5sum "$HOME/.bashrc"
	ls -A "$HOME" "$PROF_ROOT"
	snapshot "$OUTSIDE"
}

# expect_denied NAME PROFILE PATTERN CMD... — CMD succeeds unsandboxed
# (so the sandbox, not the fixture, is what stops it), then fails under
# PROFILE with PATTERN in its output, and $HOME and $OUTSIDE are as
# planted. When PROF_RESET names a function, it runs before each of the
# two runs too (to undo what the unsandboxed run did in the workspace).
PROF_RESET=
expect_denied() {
	local name=$1 profile=$2 pattern=$3 before after
	shift 3
	plant
	[ -n "$PROF_RESET" ] && "$PROF_RESET"
	run_capture penv "$@"
	if [ "$STATUS" -ne 0 ]; then
		fail "$name" "baseline: unsandboxed it failed (exit $STATUS): ${ERR:0:300}"
		return
	fi
	plant
	[ -n "$PROF_RESET" ] && "$PROF_RESET"
	before=$(protected_state)
	run_capture sbx_c "$profile" "$@"
	after=$(protected_state)
	if [ "$STATUS" -eq 0 ]; then
		fail "$name" "it succeeded under -C $profile; stdout: ${OUT:0:200}"
	elif ! grep -qiE -- "$pattern" <<<"$OUT$ERR"; then
		fail "$name" "exit $STATUS, but no \"$pattern\" in: ${ERR:0:300} ${OUT:0:200}"
	elif [ "$before" != "$after" ]; then
		fail "$name" "denied, but home or the outside dir changed"
	else
		pass "$name"
	fi
}

# deny_matrix PROFILE — the denials every profile must keep, checked
# with the probe (one syscall each) under a test profile that extends
# PROFILE with nothing but execute on the probe itself.
# WORKSPACE is "rw" (default: the probe must be able to write there) or
# "none" for the base profiles, which grant no workspace.
deny_matrix() {
	local profile=$1 workspace=${2:-rw} ext="probe/${1//\//-}"
	mkdir -p "$EXT/probe"
	printf 'extends: [%s]\nfs:\n  - "rx:%s"\n' "$profile" "$PROBE" >"$EXT/$ext.yaml"
	if [ "$workspace" = rw ]; then
		_probe_case "$profile: the probe runs and writes in the workspace" "$ext" ok \
			write "$WORK/probe-ok"
	else
		_probe_case "$profile: the probe runs, and the workspace is not writable" \
			"$ext" "denied EACCES" write "$WORK/probe-ok"
	fi
	rm -f "$WORK/probe-ok"
	_probe_case "$profile: ~/.ssh/id_ed25519 cannot be read" "$ext" "denied EACCES" \
		read "$SECRET"
	_probe_case "$profile: ~/.ssh cannot be listed" "$ext" "denied EACCES" ls "$HOME/.ssh"
	_probe_case "$profile: ~/.bashrc cannot be written" "$ext" "denied EACCES" \
		write "$HOME/.bashrc"
	_probe_case "$profile: no file can be created in home" "$ext" "denied EACCES" \
		create "$HOME/planted"
	_probe_case "$profile: a file outside the workspace cannot be written" "$ext" \
		"denied EACCES" write "$OUTSIDE/sentinel"
	_probe_case "$profile: no file can be created next to the workspace" "$ext" \
		"denied EACCES" create "$PROF_ROOT/planted"
	if need_abi 4 "TCP rules" "$profile: no port but the profile's"; then
		_probe_case "$profile: 127.0.0.1:$DENY_PORT (not in the profile) cannot be reached" \
			"$ext" "denied EACCES" connect "$DENY_PORT"
		_probe_case "$profile: no port can be bound" "$ext" "denied EACCES" bind 0
	fi
	prof_degraded "$ext" "$profile"
}

# _probe_case NAME EXT WANT PROBE-ARGS... — baseline unsandboxed (must be
# ok), then under EXT; for a denial, home and the outside dir unchanged.
_probe_case() {
	local name=$1 ext=$2 want=$3 got before after
	shift 3
	plant
	got=$(penv "$PROBE" "$@" 2>&1)
	rm -f "$HOME/planted" "$PROF_ROOT/planted"
	if [ "$got" != ok ]; then
		fail "$name" "baseline: unsandboxed 'probe $*' gave '$got', want ok"
		return
	fi
	plant
	before=$(protected_state)
	# Under --best-effort (below ABI 4) the warning is prof_degraded's to check.
	got=$(sbx_c "$ext" "$PROBE" "$@" 2>&1 | grep -v '^sandboxec: warning: best-effort: ')
	after=$(protected_state)
	if [ "$got" != "$want" ]; then
		fail "$name" "under -C $ext 'probe $*' gave '${got:0:300}', want '$want'"
	elif [ "$want" != ok ] && [ "$before" != "$after" ]; then
		fail "$name" "denied, but home or the outside dir changed"
	else
		pass "$name"
	fi
}

# https_server DIR — serves DIR over plain HTTP on 127.0.0.1:443 (the
# port the network profiles allow) in the private namespace; sets
# HTTPS_PORT_READY=1 when it answers. Plain HTTP: what is under test is
# which port may be reached, not TLS.
https_server() {
	local i
	HTTPS_PORT_READY=0
	if [ -z "${SBX_PROFILES_NETNS:-}" ]; then
		return 1
	fi
	PATH=$PROF_PATH python3 -m http.server --bind 127.0.0.1 --directory "$1" 443 \
		>"$PROF_ROOT/https-server.out" 2>&1 &
	kill_at_exit "$!"
	for ((i = 0; i < 100; i++)); do
		if "$PROBE" connect 443 >/dev/null 2>&1; then
			HTTPS_PORT_READY=1
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# outside_environ NAME PROFILE — a process outside the sandbox holds a
# secret in its environment, as a CI job does; it is readable in
# /proc/PID/environ unsandboxed (the baseline), and PROFILE must keep it
# out of reach. The process is started once per script.
OUTSIDE_SECRET_PID=
outside_environ() {
	local name=$1 profile=$2
	if [ -z "$OUTSIDE_SECRET_PID" ]; then
		sbx_bg "$PROF_ROOT/secret-holder.out" env SBX_CI_TOKEN=ci-secret-sandboxec-test \
			sh -c 'echo ready; exec sleep "$0"' "$SERVE_SECONDS" || {
			fail "$name" "the process holding the secret did not start"
			return
		}
		OUTSIDE_SECRET_PID=$BG_PID
	fi
	expect_denied "$name" "$profile" 'permission denied' \
		grep -qa SBX_CI_TOKEN=ci-secret "/proc/$OUTSIDE_SECRET_PID/environ"
}
