#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Exit statuses (docs/design.md §5.1) and the run mode's command line (docs/design.md §5): the
# command's own status passes through, a signal death is 128+S, 127 is "not
# found", 126 "found but not executable", 1 is sandboxec's own failure.
# Without Landlock every run is refused (status 1, nothing run), and under
# --best-effort the command runs unsandboxed with the same statuses.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
# The run mode as it works on this kernel.
RUN=("$SBX")
if ! has_abi 1; then
	abi_refusal "Landlock" 1
	RUN=("$SBX" --best-effort)
fi
# What sandboxec itself prints around a command that ran: nothing, or
# without Landlock its one warning.
NOTE=$(abi_pick 1 "" "sandboxec: warning: this kernel has no Landlock")

D=$SBX_TMP/exit
mkdir -p "$D/dir"
cp /usr/bin/true "$D/prog"
printf 'not a program\n' >"$D/plain"
chmod 0644 "$D/plain"

# --- the command's own status --------------------------------------------------
expect_status "exit 0: command succeeded" 0 "${RUN[@]}" --fs rx:/usr -- /usr/bin/true
expect_status "exit N: command's status passes through" 42 "${RUN[@]}" --fs rx:/usr -- /bin/sh -c 'exit 42'
expect_status "exit N: 255 passes through" 255 "${RUN[@]}" --fs rx:/usr -- /bin/sh -c 'exit 255'
expect_status "exit 1 from the command passes through" 1 "${RUN[@]}" --fs rx:/usr -- /usr/bin/false
expect_eq "exit 1 from the command: sandboxec adds nothing on stderr" "${ERR:0:${#NOTE}}" "$NOTE"

# --- killed by a signal: the shell's 128+S ------------------------------------------
# Baseline first: this is what the shell reports for the same command unsandboxed.
expect_status "signal: baseline TERM is 143 unsandboxed" 143 /bin/sh -c 'kill -TERM $$'
expect_status "signal: killed by TERM gives 143" 143 "${RUN[@]}" --fs rx:/usr -- /bin/sh -c 'kill -TERM $$'
expect_status "signal: killed by KILL gives 137" 137 "${RUN[@]}" --fs rx:/usr -- /bin/sh -c 'kill -KILL $$'

# --- 127: not found ---------------------------------------------------------------
expect_status "127: command not on PATH" 127 "${RUN[@]}" --fs rx:/usr -- sbx-no-such-command-$$
expect_contains "127: message starts with sandboxec:" "${ERR:0:11}" "sandboxec: "
expect_contains "127: message names the command" "$ERR" "sbx-no-such-command-$$"
expect_status "127: absolute path that does not exist" 127 "${RUN[@]}" --fs rx:/usr -- "$D/missing"
expect_contains "127: absolute path message starts with sandboxec:" "${ERR:0:11}" "sandboxec: "

# --- 126: found but cannot be executed ------------------------------------------------
expect_status "126: file without execute permission bits" 126 "${RUN[@]}" --fs rx:/usr --fs "rx:$D" -- "$D/plain"
expect_contains "126: not-executable message starts with sandboxec:" "${ERR:0:11}" "sandboxec: "
expect_status "126: a directory as the command" 126 "${RUN[@]}" --fs rx:/usr --fs "rx:$D" -- "$D/dir"
if need_abi 1 "Landlock" "126: denied by the policy"; then
	# The compare baseline: the program runs unsandboxed...
	expect_status "126: baseline, the program runs unsandboxed" 0 "$D/prog"
	# ...but a read-only grant has no execute right.
	expect_status "126: denied by the policy (r, no x)" 126 "$SBX" --fs rx:/usr --fs "r:$D" -- "$D/prog"
	expect_contains "126: denial message starts with sandboxec:" "${ERR:0:11}" "sandboxec: "
	expect_contains "126: denial message names an rx: rule" "$ERR" "rx:"
	expect_contains "126: denial message names the path" "$ERR" "$D"
	expect_status "126: PATH lookup happens inside the sandbox" 126 "$SBX" --fs "r:/usr" -- true
fi

# --- 1: sandboxec itself failed ---------------------------------------------------------
expect_status "1: no command given" 1 "$SBX" --fs rx:/usr
expect_sbx_error "1: no command given: one sandboxec: line"
expect_status "1: unknown option" 1 "$SBX" --sbx-no-such-option --fs rx:/usr -- /usr/bin/true
expect_contains "1: unknown option: starts with sandboxec:" "${ERR:0:11}" "sandboxec: "
expect_status "1: option missing its argument" 1 "$SBX" --fs
expect_contains "1: missing argument: starts with sandboxec:" "${ERR:0:11}" "sandboxec: "
expect_status "1: unknown mode" 1 "$SBX" --mode sbx-nonsense --fs rx:/usr -- /usr/bin/true
expect_sbx_error "1: unknown mode: one sandboxec: line"

# --- the command line ---------------------------------------------------------------------
expect_status "--help exits 0" 0 "$SBX" --help
expect_contains "--help prints usage on stdout" "$OUT" "--fs"
expect_status "-h exits 0" 0 "$SBX" -h
expect_status "-V exits 0" 0 "$SBX" -V
expect_contains "-V reports the kernel's Landlock ABI" "$OUT" "$(abi_pick 1 "kernel $KERNEL_ABI," none)"
expect_status "options stop at the first non-option" 0 "${RUN[@]}" --fs rx:/usr ls -d -l /usr
expect_contains "options stop at the first non-option: ls got -l" "$OUT" "drwx"
expect_status "arguments after the command are the command's" 0 "${RUN[@]}" --fs rx:/usr -- /bin/sh -c 'printf "%s|" "$@"' sh --fs x -n y
expect_eq "arguments after the command are passed verbatim" "$OUT" "--fs|x|-n|y|"
OUT=$(printf 'through\n' | "${RUN[@]}" --fs rx:/usr -- cat)
expect_eq "stdin and stdout pass through" "$OUT" "through"
OUT=$("${RUN[@]}" -f rx:/usr -- /bin/sh -c 'echo short')
expect_eq "-f short option works" "$OUT" "short"
expect_status "-m explain short option" 0 "${RUN[@]}" -m explain --fs rx:/usr
expect_status "--mode=explain with =" 0 "${RUN[@]}" --mode=explain --fs rx:/usr
