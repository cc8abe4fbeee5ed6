# Shared helpers for integration tests. Each test prints "ok - NAME" or
# "not ok - NAME: why"; scripts/run-tests.sh counts them.
# Environment from the runner: SBX (the CLI), SBX_SHIM, SBX_HELPERS, SBX_TOP.
set -u

SBX_TMP=$(mktemp -d /tmp/sbxtest.XXXXXX)
trap 'rm -rf "$SBX_TMP"' EXIT

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
