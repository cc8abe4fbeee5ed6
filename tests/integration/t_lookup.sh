#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The run mode's $PATH lookup (docs/design.md §5): the first candidate that
# is a regular file executable by its mode is the one run; when the policy
# denies executing it, sandboxec stops with 126 and names the candidate and
# the rule, instead of running a later candidate of the same name.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

D=$SBX_TMP/lookup
mkdir -p "$D/first" "$D/second" "$D/nox" "$D/plain"
printf '#!/bin/sh\necho first\n' >"$D/first/tool"
printf '#!/bin/sh\necho second\n' >"$D/second/tool"
chmod 0755 "$D/first/tool" "$D/second/tool"
# The same name without any execute bit: execvp skips it, and so do we.
printf '#!/bin/sh\necho nox\n' >"$D/nox/tool"
chmod 0644 "$D/nox/tool"
# A version-manager shim in front of the system python3, as pyenv installs.
printf '#!/bin/sh\necho shim; exec /usr/bin/python3 "$@"\n' >"$D/first/python3"
chmod 0755 "$D/first/python3"
# No #! and not ELF: the kernel says ENOEXEC and /bin/sh runs it, as execvp does.
printf 'echo plain-script "$@"\n' >"$D/plain/tool"
chmod 0755 "$D/plain/tool"
P2=$D/first:$D/second:/usr/bin:/bin

# --- the baseline: unsandboxed, the first candidate runs ------------------
OUT=$(PATH=$P2 tool)
expect_eq "unsandboxed, the first \$PATH candidate runs" "$OUT" "first"
expect_status "allowed: the first candidate runs sandboxed too" 0 \
	env PATH="$P2" "$SBX" --fs rx:/usr --fs "rx:$D" -- tool
expect_eq "allowed: the output is the first candidate's" "$OUT" "first"

# --- denied first candidate: stop, never run the second ---------------------
expect_status "denied first candidate: 126" 126 \
	env PATH="$P2" "$SBX" --fs rx:/usr --fs "r:$D/first" --fs "rx:$D/second" -- tool
expect_eq "denied first candidate: the later one did not run" "$OUT" ""
expect_contains "denied first candidate: the message names it" "$ERR" "$D/first/tool"
expect_contains "denied first candidate: the message names the rule" "$ERR" \
	"--fs rx:$D/first/tool"
expect_contains "denied first candidate: says no later match is tried" "$ERR" \
	"no later one is tried"
expect_eq "denied first candidate: one sandboxec: line" "$(grep -c . <<<"$ERR")" 1
expect_contains "denied first candidate: the line starts with sandboxec:" "${ERR:0:11}" \
	"sandboxec: "
expect_status "denied first candidate under --report: 126 too" 126 \
	env PATH="$P2" "$SBX" --report=tracer --fs rx:/usr --fs "r:$D/first" \
	--fs "rx:$D/second" -- tool
expect_not_contains "denied first candidate under --report: the later one did not run" \
	"$OUT" "second"

# The real case: a shim ahead of /usr/bin/python3.
if [ -x /usr/bin/python3 ]; then
	OUT=$(PATH=$P2 python3 -c 'print("ran")')
	expect_eq "python3 shim: unsandboxed the shim runs first" "$OUT" "$(printf 'shim\nran')"
	expect_status "python3 shim denied: 126, not /usr/bin/python3" 126 \
		env PATH="$P2" "$SBX" --fs rx:/usr --fs "r:$D/first" -- python3 -c 'print("ran")'
	expect_eq "python3 shim denied: /usr/bin/python3 did not run" "$OUT" ""
	expect_contains "python3 shim denied: names the shim" "$ERR" "$D/first/python3"
else
	skip "python3 shim" "no /usr/bin/python3"
fi

# --- what is not a candidate is skipped, as execvp skips it ----------------
OUT=$(PATH=$D/nox:$D/second tool)
expect_eq "unsandboxed, a file without x bits is skipped" "$OUT" "second"
expect_status "a file without x bits is skipped sandboxed too" 0 \
	env PATH="$D/nox:$D/second:/usr/bin" "$SBX" --fs rx:/usr --fs "rx:$D" -- tool
expect_eq "a file without x bits: the next candidate ran" "$OUT" "second"
mkdir -p "$D/dir/tool"
expect_status "a directory of the name is skipped" 0 \
	env PATH="$D/dir:$D/second:/usr/bin" "$SBX" --fs rx:/usr --fs "rx:$D" -- tool
expect_eq "a directory of the name: the next candidate ran" "$OUT" "second"

# --- execvp's other behaviours are kept ----------------------------------------
expect_status "a script without #! runs through /bin/sh" 0 \
	env PATH="$D/plain:/usr/bin:/bin" "$SBX" --fs rx:/usr --fs "rx:$D" -- tool a b
expect_eq "a script without #!: its output and arguments" "$OUT" "plain-script a b"
expect_status "a name missing from \$PATH is 127" 127 \
	env PATH="$D/second" "$SBX" --fs rx:/usr --fs "rx:$D" -- sbx-no-such-tool
expect_status "unsandboxed, a name found only without x bits is 126" 126 \
	env PATH="$D/nox" /bin/bash -c 'tool'
expect_status "a name found only without x bits is 126, as execvp says" 126 \
	env PATH="$D/nox" "$SBX" --fs rx:/usr --fs "rx:$D" -- tool
# A name with a slash is not looked up: denied, it is 126 and names the file.
expect_status "a path with a slash: denied is 126" 126 \
	"$SBX" --fs rx:/usr --fs "r:$D/first" -- "$D/first/tool"
expect_contains "a path with a slash: the message names the command" "$ERR" \
	"cannot execute the command $D/first/tool"
expect_status "a path with a slash: allowed runs" 0 \
	"$SBX" --fs rx:/usr --fs "rx:$D" -- "$D/second/tool"
