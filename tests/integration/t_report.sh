#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --report (docs/diagnostics.md): real commands that need an access, shown
# first to work unsandboxed; under the policy the report names the path or
# port and the rule, and running again with that rule added works. Also
# ordinary permissions told apart, the exit status kept, the hint line,
# and --log-denials reaching landlock_restrict_self.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"
# The policies below grant the system's programs (rx:/usr); a version
# manager's shim ahead of them in $PATH would be denied, and sandboxec
# stops there rather than run a later python3 (docs/design.md §5).
export PATH=/usr/local/bin:/usr/bin:/bin

# The rule the report suggests first ("allow with: --fs r:/x" -> "r:/x").
suggested() { sed -n 's/^      allow with: --[a-z]* \(.*\)$/\1/p' <<<"$ERR" | head -1 | tr -d "'"; }

# --- Python importing a module outside the policy ----------------------------
D=$SBX_TMP/py
mkdir -p "$D/lib" "$D/proj"
echo 'X = 42' >"$D/lib/extmod.py"
printf 'import sys\nsys.path.insert(0, "%s/lib")\nimport extmod\nprint("ok", extmod.X)\n' \
	"$D" >"$D/proj/s.py"
expect_status "python: the import works unsandboxed" 0 python3 "$D/proj/s.py"
expect_status "python: under the policy the import fails (python's status)" 1 \
	"$SBX" --report=tracer --fs rx:/usr --fs "r:$D/proj" -- python3 "$D/proj/s.py"
expect_contains "python: the report names the backend" "$ERR" "backend: tracer"
expect_contains "python: the report names the directory listed" "$ERR" "list $D/lib"
expect_contains "python: the report suggests the flag" "$ERR" "allow with: --fs r:$D/lib"
expect_not_contains "python: ENOENT probes are not denials" "$ERR" "No such file"
rule=$(suggested)
expect_status "python: with the suggested rule the import works" 0 \
	"$SBX" --report --fs rx:/usr --fs "r:$D/proj" --fs "$rule" -- python3 "$D/proj/s.py"
expect_contains "python: and the report then says nothing was denied" "$ERR" \
	"the sandbox denied nothing"
expect_contains "python: harmless probes listed apart" "$ERR" "probably harmless"

# --- the policy's own form: environment, profile -------------------------------
SANDBOXEC_FS="rx:/usr,r:$D/proj" run_capture "$SBX" --report -- python3 "$D/proj/s.py"
expect_contains "env: the rule is a SANDBOXEC_FS value" "$ERR" \
	"SANDBOXEC_FS=\"\$SANDBOXEC_FS,r:$D/lib\""
mkdir -p "$XDG_CONFIG_HOME/sandboxec/profiles/rep"
printf 'fs:\n  - rx:/usr\n  - r:%s/proj\n' "$D" >"$XDG_CONFIG_HOME/sandboxec/profiles/rep/py.yaml"
run_capture "$SBX" --report -C rep/py -- python3 "$D/proj/s.py"
expect_contains "profile: the rule is YAML that extends the profile" "$ERR" "extends: [rep/py]"
printf 'extends: [rep/py]\nfs:\n  - "r:%s/lib"\n' "$D" >"$D/more.yaml"
expect_status "profile: the snippet as a config makes the import work" 0 \
	"$SBX" -c "$D/more.yaml" -- python3 "$D/proj/s.py"

# --- git reading ~/.gitconfig --------------------------------------------------
if command -v git >/dev/null; then
	printf '[user]\n\tname = Report Test\n' >"$HOME/.gitconfig"
	expect_status "git: reads ~/.gitconfig unsandboxed" 0 git config user.name
	run_capture "$SBX" --report --fs rx:/usr --fs rw:/dev/null -- git config user.name
	expect_contains "git: the report names ~/.gitconfig" "$ERR" "read $HOME/.gitconfig"
	expect_contains "git: the suggested rule is the file" "$ERR" \
		"allow with: --fs r:$HOME/.gitconfig"
	expect_status "git: with it git reads the name" 0 \
		"$SBX" --fs rx:/usr --fs rw:/dev/null --fs "r:$HOME/.gitconfig" -- git config user.name
	expect_eq "git: ... and prints it" "$OUT" "Report Test"
	rm -f "$HOME/.gitconfig"
else
	skip "git: reads ~/.gitconfig" "no git"
fi

# --- make + cc writing outside its tree ----------------------------------------
if command -v make >/dev/null && command -v cc >/dev/null; then
	P=$SBX_TMP/mk/proj O=$SBX_TMP/mk/out
	mkdir -p "$P/tmp" "$O"
	echo 'int main(void) { return 0; }' >"$P/hello.c"
	printf 'all:\n\tcc -o %s/hello hello.c\n' "$O" >"$P/Makefile"
	expect_status "make: builds outside its tree unsandboxed" 0 make -s -C "$P"
	rm -f "$O/hello"
	run_capture env TMPDIR="$P/tmp" "$SBX" --report --fs rx:/usr --fs "rw:$P" -- make -s -C "$P"
	expect_eq "make: under the policy make fails with its own status" "$STATUS" 2
	expect_contains "make: the report names the directory written" "$ERR" "create in $O"
	rule=$(suggested)
	expect_eq "make: the suggested rule" "$rule" "rw:$O"
	expect_status "make: with it the build works" 0 \
		env TMPDIR="$P/tmp" "$SBX" --fs rx:/usr --fs "rw:$P" --fs "$rule" -- make -s -C "$P"
	expect_exists "make: and the binary is there" "$O/hello"
else
	skip "make: builds outside its tree" "no make or cc"
fi

# --- a TCP connect to a denied port on 127.0.0.1 -------------------------------
# Below ABI 4 Landlock does not handle TCP: the connect gets through and
# the report has nothing to say about it.
if sbx_bg "$SBX_TMP/srv.out" "$PROBE" serve 0 "$SERVE_SECONDS"; then
	port=$(awk '/^ready/ {print $2}' "$SBX_TMP/srv.out")
	expect_status "connect: works unsandboxed" 0 "$PROBE" connect "$port"
	run_capture "$SBX" --report "${BASE[@]}" -- "$PROBE" connect "$port"
	if need_abi 4 "TCP rules" "connect: the report names the port and the rule"; then
		expect_contains "connect: the report names the port" "$ERR" "TCP connect to port $port"
		expect_contains "connect: and the rule" "$ERR" "allow with: --net c:$port"
		expect_status "connect: with it the connect works" 0 \
			"$SBX" "${BASE[@]}" --net "c:$port" -- "$PROBE" connect "$port"
	else
		expect_eq "connect: on ABI $LL_ABI the connect gets through" "$STATUS" 0
		expect_not_contains "connect: on ABI $LL_ABI the report names no port" "$ERR" "TCP connect"
	fi
else
	fail "connect: local server" "did not start"
fi

# --- an ioctl on a device; none on a regular file ------------------------------
# Landlock refuses ioctls on devices only (ABI 5), so the tracer stops at an
# ioctl's exit only when its fd is one: both outcomes stay as they were.
# Below ABI 5 the device's ioctl is not handled: ENOTTY as unsandboxed.
cat >"$SBX_TMP/ioctl.py" <<'PY'
import fcntl, os, sys, termios
fd = os.open(sys.argv[1], os.O_RDONLY)
try:
    fcntl.ioctl(fd, termios.TCGETS, bytes(64))
except OSError as e:
    sys.exit(e.errno)
PY
expect_status "ioctl: TCGETS on /dev/null is ENOTTY unsandboxed" 25 \
	python3 "$SBX_TMP/ioctl.py" /dev/null
if need_abi 5 "device ioctls" "ioctl: under a read rule it is denied (EACCES)"; then
	expect_status "ioctl: under a read rule it is denied (EACCES)" 13 \
		"$SBX" --report=tracer --fs rx:/usr --fs "r:$SBX_TMP" --fs r:/dev/null -- \
		python3 "$SBX_TMP/ioctl.py" /dev/null
	expect_contains "ioctl: the report names the device" "$ERR" "ioctl on the device /dev/null"
else
	expect_status "ioctl: on ABI $LL_ABI a read rule leaves it ENOTTY" 25 \
		"$SBX" --report=tracer --fs rx:/usr --fs "r:$SBX_TMP" --fs r:/dev/null -- \
		python3 "$SBX_TMP/ioctl.py" /dev/null
	expect_not_contains "ioctl: on ABI $LL_ABI it is no denial" "$ERR" "ioctl on"
fi
expect_status "ioctl: on a regular file it is ENOTTY, sandboxed too" 25 \
	"$SBX" --report=tracer --fs rx:/usr --fs "r:$SBX_TMP" -- \
	python3 "$SBX_TMP/ioctl.py" "$SBX_TMP/ioctl.py"
expect_not_contains "ioctl: and is no denial" "$ERR" "ioctl on"

# --- ordinary file permissions are not the sandbox -----------------------------
U=$(mktemp -d /tmp/sbx-report-dac.XXXXXX)
at_exit "rm -rf $U"
chmod 755 "$U"
echo secret >"$U/locked" && chmod 000 "$U/locked"
echo open >"$U/out" && chmod 644 "$U/out"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
expect_status "dac: nobody cannot read a mode-000 file, unsandboxed" 1 "${NOBODY[@]}" cat "$U/locked"
expect_status "dac: nobody can read the other one, unsandboxed" 0 "${NOBODY[@]}" cat "$U/out"
cd "$U" || exit 1
run_capture "${NOBODY[@]}" "$SBX" --report --fs rx:/usr --fs "r:$U" -- cat "$U/locked"
expect_contains "dac: the policy allows it, so the report says not the sandbox" "$ERR" \
	"not the sandbox"
expect_contains "dac: ... and names it" "$ERR" "read $U/locked"
expect_contains "dac: ... and the sandbox denied nothing" "$ERR" "the sandbox denied nothing"
run_capture "${NOBODY[@]}" "$SBX" --report --fs rx:/usr -- cat "$U/out"
expect_contains "dac: outside the policy the same read is the sandbox's" "$ERR" \
	"allow with: --fs r:$U/out"
cd "$SBX_TMP/work" || exit 1

# --- the exit status is the command's ------------------------------------------
expect_status "status: an exit code passes through" 7 "$SBX" --report --fs rx:/usr -- sh -c 'exit 7'
expect_status "status: a signal passes through" 143 \
	"$SBX" --report --fs rx:/usr -- sh -c 'kill -TERM $$'
expect_status "status: a command not found is 127" 127 "$SBX" --report --fs rx:/usr -- no-such-cmd
run_capture "$SBX" --report --mode explain --fs rx:/usr
expect_sbx_error "status: --report is for run mode"

# --- the hint line -----------------------------------------------------------------
expect_status "hint: on a failure the status is kept" 3 "$SBX" --hints --fs rx:/usr -- sh -c 'exit 3'
expect_contains "hint: one line suggests --report" "$ERR" "run it again with --report"
expect_status "hint: --hints=false silences it" 3 \
	"$SBX" --hints=false --fs rx:/usr -- sh -c 'exit 3'
expect_not_contains "hint: ... no line" "$ERR" "--report"
SANDBOXEC_HINTS=0 expect_status "hint: SANDBOXEC_HINTS=0 silences it" 3 \
	"$SBX" --fs rx:/usr -- sh -c 'exit 3'
expect_not_contains "hint: ... no line" "$ERR" "--report"
SANDBOXEC_HINTS=1 expect_status "hint: SANDBOXEC_HINTS=1 asks for it" 3 \
	"$SBX" --fs rx:/usr -- sh -c 'exit 3'
expect_contains "hint: ... the line" "$ERR" "--report"
expect_status "hint: none on success" 0 "$SBX" --hints --fs rx:/usr -- true
expect_eq "hint: ... no output at all" "$ERR" ""
expect_status "hint: not without a terminal unless asked" 3 "$SBX" --fs rx:/usr -- sh -c 'exit 3'
expect_eq "hint: ... silent" "$ERR" ""
if command -v script >/dev/null; then
	out=$(script -qec "$SBX --fs rx:/usr -- sh -c 'exit 4'" /dev/null </dev/null)
	expect_contains "hint: on by default at a terminal" "$out" "run it again with --report"
fi

# --- a script whose #! interpreter the policy does not let run ----------------
# The kernel executes the interpreter too; the exec of the script fails with
# EACCES although the policy lets the script itself run.
D=$SBX_TMP/interp
mkdir -p "$D/opt/bin" "$D/proj"
cp "$(command -v dash || command -v sh)" "$D/opt/bin/sh"
printf '#!%s/opt/bin/sh\necho interp-ok\n' "$D" >"$D/proj/s.sh"
chmod +x "$D/proj/s.sh"
expect_status "interpreter: the script runs unsandboxed" 0 "$D/proj/s.sh"
expect_status "interpreter: under the policy the script's exec is refused" 126 \
	"$SBX" --report=tracer --fs rx:/usr --fs "rx:$D/proj" -- sh -c "$D/proj/s.sh"
expect_contains "interpreter: the report names the interpreter, and the script" "$ERR" \
	"execute $D/opt/bin/sh (the #! interpreter of $D/proj/s.sh)"
expect_contains "interpreter: the rule is for the interpreter" "$ERR" \
	"allow with: --fs rx:$D/opt/bin/sh"
expect_not_contains "interpreter: not blamed on ordinary permissions" "$ERR" "not the sandbox"
expect_status "interpreter: with the rule the script runs" 0 \
	"$SBX" --fs rx:/usr --fs "rx:$D/proj" --fs "rx:$D/opt/bin/sh" -- sh -c "$D/proj/s.sh"

# --- --log-denials reaches landlock_restrict_self ------------------------------
# The ruleset's descriptor number is not the point (rule descriptors held
# from resolving may come first): it is written FD. Nor are the other
# flags: from ABI 8 and 11 on, TSYNC and NO_NEW_PRIVS come with every
# layer, and an strace that does not know the flags prints them as one
# number; the test looks at the LOG_NEW_EXEC_ON bit (1 << 1) alone.
restrict_calls() { strace -f -e trace=landlock_restrict_self "$@" 2>&1 | sed -E 's/landlock_restrict_self\([0-9]+,/landlock_restrict_self(FD,/'; }
log_new_exec_bit() {
	local flags
	flags=$(sed -nE 's/.*landlock_restrict_self\(FD, ([^)]*)\).*/\1/p' <<<"$1" | head -n 1)
	case $flags in
	'') echo "no call" ;;
	*LOG_NEW_EXEC_ON*) echo set ;;
	*LANDLOCK_*) echo clear ;;
	*[!0-9a-fx]*) echo "unread flags: $flags" ;;
	*) if (((flags) & 2)); then echo set; else echo clear; fi ;;
	esac
}
if ! has_abi 7; then
	abi_refusal "denial logging" 7 --log-denials
	skip "log-denials: restrict_self flags" "needs Landlock ABI 7 (denial logging); $(abi_here)"
elif command -v strace >/dev/null; then
	out=$(restrict_calls "$SBX" --log-denials --fs rx:/usr -- true)
	expect_eq "log-denials: restrict_self gets LOG_NEW_EXEC_ON" "$(log_new_exec_bit "$out")" set
	out=$(restrict_calls "$SBX" --fs rx:/usr -- true)
	expect_eq "log-denials: off by default" "$(log_new_exec_bit "$out")" clear
else
	skip "log-denials: restrict_self flags" "no strace"
fi
