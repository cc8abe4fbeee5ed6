#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --unsafe-host-runtime where it is used: `run`, `explain`, `env` and the
# shim with a config file. The grant is read+exec on what the $PATH
# programs need to start, never write, and nothing else: secrets stay
# denied. Each denial is first shown to succeed unsandboxed.
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

W=$SBX_TMP/work
LIB=$SBX_TMP/lib
CFG=$SBX_TMP/hostrt.yaml
mkdir -p "$LIB"
echo secret >"$HOME/secret"
# A $PATH under the test's control: the helpers (so the probe is granted
# through the host runtime, not a rule) and the system's.
export PATH=$SBX_HELPERS:/usr/bin:/bin
unset LD_LIBRARY_PATH
libc=$(realpath "$("$SBX_HELPERS/hostrt_closure" --files /bin/ls | awk '/libc\.so\.6$/ { print $NF }')")
if [ ! -f "$libc" ]; then
	fail "hostrt wire: setup" "cannot find the libc that /bin/ls loads"
	exit 0
fi

# --- run: a dynamically linked $PATH program starts with only rw:$W.
expect_status "hostrt run: ls unsandboxed" 0 ls "$W"
expect_status "hostrt run: ls denied without the host runtime" 126 "$SBX" --fs "rw:$W" -- ls "$W"
expect_status "hostrt run: ls runs with --unsafe-host-runtime" 0 \
	"$SBX" --unsafe-host-runtime --fs "rw:$W" -- ls "$W"
expect_status "hostrt run: sh writes into the rw dir" 0 \
	"$SBX" --unsafe-host-runtime --fs "rw:$W" -- sh -c "echo hi >'$W/f' && cat '$W/f'"
expect_eq "hostrt run: ... and reads it back" "$OUT" "hi"
if command -v git >/dev/null; then
	# git insists on opening /dev/null and its config files; that is
	# data, not runtime (the config files are kept out of the way).
	expect_status "hostrt run: git init in the rw dir" 0 \
		env GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null "$SBX" --unsafe-host-runtime \
		--fs "rw:$W" --fs rw:/dev/null -- git init -q "$W/repo"
	expect_exists "hostrt run: git made the repository" "$W/repo/.git/HEAD"
else
	skip "hostrt run: git" "git not installed"
fi
if py=$(command -v python3) && stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))'); then
	# The interpreter's own modules are data it reads, not libraries ld.so
	# loads: they need their own rule.
	expect_status "hostrt run: python3 runs" 0 \
		"$SBX" --unsafe-host-runtime --fs "rw:$W" --fs "r:$stdlib" -- "$py" -c 'print(6 * 7)'
	expect_eq "hostrt run: python3 printed" "$OUT" "42"
else
	skip "hostrt run: python3" "python3 not installed"
fi

# --- run: secrets are not part of the runtime.
expect_status "hostrt run: secret readable unsandboxed" 0 probe read "$HOME/secret"
expect_status "hostrt run: \$HOME secret denied" 3 \
	"$SBX" --unsafe-host-runtime --fs "rw:$W" -- probe read "$HOME/secret"
expect_status "hostrt run: cat of the secret denied" 1 \
	"$SBX" --unsafe-host-runtime --fs "rw:$W" -- cat "$HOME/secret"
if [ -d /root ] && ls /root >/dev/null 2>&1; then
	expect_status "hostrt run: ls /root denied" 2 "$SBX" --unsafe-host-runtime --fs "rw:$W" -- ls /root
fi

# --- run: an empty or relative $PATH element (the current directory) is
# not runtime: granting it would open the user's files.
mkdir -p "$W/cwd" && echo secret >"$W/cwd/secret"
expect_status "hostrt cwd: secret in the cwd readable unsandboxed" 0 probe read "$W/cwd/secret"
(
	cd "$W/cwd" || exit 1
	PATH=":.:bin:$SBX_HELPERS:/usr/bin:/bin"
	run_capture "$SBX" --unsafe-host-runtime --mode explain
	expect_not_contains "hostrt cwd: explain grants nothing on the cwd" "$OUT" "\"rx:$W/cwd\""
	expect_status "hostrt cwd: the cwd stays denied" 3 \
		"$SBX" --unsafe-host-runtime --fs "rw:$SBX_TMP/home" -- probe read secret
)

# --- run: a library is readable and executable, never writable. A copy of
# libc on LD_LIBRARY_PATH is what the resolver grants (and what ls loads).
reset_lib() { rm -rf "$LIB" && mkdir -p "$LIB" && cp "$libc" "$LIB/libc.so.6"; }
FX=$LIB
for op in read append create; do
	reset_lib
	target=$LIB/libc.so.6
	[ "$op" = create ] && target=$LIB/new.so
	expect_status "hostrt lib: $op unsandboxed" 0 env LD_LIBRARY_PATH="$LIB" probe "$op" "$target"
done
reset_lib
expect_status "hostrt lib: the copy on LD_LIBRARY_PATH is granted" 0 \
	env LD_LIBRARY_PATH="$LIB" "$SBX" --unsafe-host-runtime --fs "rw:$W" --mode explain
expect_contains "hostrt lib: ... as a shared library" "$OUT" "\"rx:$LIB/libc.so.6\"  # host runtime: shared library"
before=$(snapshot "$LIB")
expect_status "hostrt lib: read allowed" 0 \
	env LD_LIBRARY_PATH="$LIB" "$SBX" --unsafe-host-runtime --fs "rw:$W" -- probe read "$LIB/libc.so.6"
expect_status "hostrt lib: append denied" 3 \
	env LD_LIBRARY_PATH="$LIB" "$SBX" --unsafe-host-runtime --fs "rw:$W" -- probe append "$LIB/libc.so.6"
expect_status "hostrt lib: create in the lib dir denied" 3 \
	env LD_LIBRARY_PATH="$LIB" "$SBX" --unsafe-host-runtime --fs "rw:$W" -- probe create "$LIB/new.so"
expect_eq "hostrt lib: the lib dir is unchanged" "$(snapshot "$LIB")" "$before"

# --- explain: what was added, marked as host runtime, as comments only.
run_capture "$SBX" --unsafe-host-runtime --fs "rw:$W" --mode explain
expect_eq "hostrt explain: exit 0" "$STATUS" 0
expect_contains "hostrt explain: PATH dir" "$OUT" "# - \"rx:$(realpath "$SBX_HELPERS")\"  # host runtime: PATH directory; directory"
expect_contains "hostrt explain: libc" "$OUT" "# - \"rx:$libc\"  # host runtime: shared library; file"
expect_contains "hostrt explain: interpreter" "$OUT" "# host runtime: program interpreter; file"
expect_contains "hostrt explain: ld.so.cache read-only" "$OUT" "# - \"r:$(realpath /etc/ld.so.cache)\"  # host runtime: ld.so cache; file; read_file"
n_uncommented=$(grep -c '^  - .*host runtime' <<<"$OUT")
expect_eq "hostrt explain: no host-runtime rule outside a comment" "$n_uncommented" 0
n_write=$(grep 'host runtime' <<<"$OUT" | grep -c 'write\|remove\|make_')
expect_eq "hostrt explain: no host-runtime rule grants any write" "$n_write" 0
run_capture "$SBX" --fs "rw:$W" --mode explain
expect_not_contains "hostrt explain: nothing added without the flag" "$OUT" "host runtime"

# --- env: the resolved rules are written out; the shim does not resolve.
run_capture "$SBX" --unsafe-host-runtime --fs "rw:$W" --mode env --format json
expect_eq "hostrt env: exit 0" "$STATUS" 0
expect_contains "hostrt env: libc in SANDBOXEC_FS" "$OUT" "rx:$libc"
expect_contains "hostrt env: the cache in SANDBOXEC_FS" "$OUT" "r:$(realpath /etc/ld.so.cache)"
expect_contains "hostrt env: the host runtime is off for the shim" "$OUT" '"SANDBOXEC_UNSAFE_HOST_RUNTIME": "0"'
# A user config asking for the host runtime must not make the shim resolve
# again under the generated settings (the variable outranks the file).
mkdir -p "$XDG_CONFIG_HOME/sandboxec"
printf 'unsafe-host-runtime: true\nfs:\n  - rw:%s\n' "$W" >"$XDG_CONFIG_HOME/sandboxec/sandboxec.yaml"
envfile=$SBX_TMP/env.sh
"$SBX" --unsafe-host-runtime --fs "rw:$W" --mode env >"$envfile"
run_capture sh -c ". '$envfile'; SANDBOXEC_VERBOSE=1 ls '$W'"
expect_eq "hostrt env: ls runs under the generated settings" "$STATUS" 0
expect_contains "hostrt env: the shim applied a policy" "$ERR" "# sandboxec: effective policy"
expect_contains "hostrt env: ... with the host runtime off" "$ERR" "unsafe-host-runtime: false  # SANDBOXEC_UNSAFE_HOST_RUNTIME"
expect_not_contains "hostrt env: ... and nothing resolved by the shim" "$ERR" "host runtime:"
expect_contains "hostrt env: ... the libraries came as rules" "$ERR" "\"rx:$libc\"  # SANDBOXEC_FS"
run_capture sh -c ". '$envfile'; cat '$HOME/secret'"
expect_eq "hostrt env: the secret stays denied" "$STATUS" 1
rm -f "$XDG_CONFIG_HOME/sandboxec/sandboxec.yaml"

# --- the shim with a config file: resolves once for the whole tree.
printf 'unsafe-host-runtime: true\nfs:\n  - rw:%s\n' "$W" >"$CFG"
shim() { env LD_PRELOAD="$SBX_SHIM" SANDBOXEC_CONFIG="$CFG" "$@"; }
expect_status "hostrt shim: ls runs" 0 shim ls "$W"
expect_status "hostrt shim: secret denied" 1 shim cat "$HOME/secret"
expect_status "hostrt shim: sh -c writes into the rw dir" 0 shim sh -c "echo x >'$W/g'"
run_capture shim SANDBOXEC_VERBOSE=1 sh -c "sh -c 'sh -c \"ls $W >/dev/null; cat $HOME/secret\"'"
expect_eq "hostrt shim: the nested cat is denied" "$STATUS" 1
n=$(grep -c '^# sandboxec: effective policy' <<<"$ERR")
expect_eq "hostrt shim: one resolution for a three-deep process tree" "$n" 1
expect_contains "hostrt shim: ... which added the runtime" "$ERR" "# host runtime: shared library"

# --- libelf is loaded only for the host runtime (dlopen on first use).
run_capture env LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS="rx:/usr,r:/proc" cat /proc/self/maps
expect_eq "hostrt lazy: runs without the host runtime" "$STATUS" 0
expect_not_contains "hostrt lazy: libelf not mapped without the host runtime" "$OUT" "libelf"

# --- libelf comes from the system directory only: a libelf.so.1 that is
# not ELF, first on LD_LIBRARY_PATH, is not used (it would make dlopen()
# fail if it were searched for; docs/design.md §4.4).
mkdir -p "$SBX_TMP/badelf" && echo 'not a library' >"$SBX_TMP/badelf/libelf.so.1"
expect_status "hostrt lib search: LD_LIBRARY_PATH is not searched for libelf" 0 \
	env LD_LIBRARY_PATH="$SBX_TMP/badelf" "$SBX" --unsafe-host-runtime --fs "rw:$W" -- probe create "$W/ran-llp"

# --- fail closed: without a usable libelf nothing runs. In a private mount
# namespace a file that is not ELF is mounted over the system libelf.
SYSLIBELF=$(realpath "$(cc -print-file-name=libelf.so.1)")
without_libelf() { # CMD... — runs CMD where the system libelf is unusable
	unshare -m sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh \
		"$SBX_TMP/badelf/libelf.so.1" "$SYSLIBELF" "$@"
}
if ! without_libelf true 2>/dev/null; then
	skip "hostrt fail closed" "cannot mount in a private mount namespace here (needs root)"
else
	expect_status "hostrt fail closed: the marker can be made unsandboxed" 0 probe create "$W/ran0"
	run_capture without_libelf "$SBX" --unsafe-host-runtime --fs "rw:$W" -- probe create "$W/ran1"
	expect_sbx_error "hostrt fail closed: run refuses with one sandboxec: line"
	expect_contains "hostrt fail closed: ... naming the setting and the package" "$ERR" \
		"unsafe-host-runtime: cannot load libelf.so.1"
	expect_absent "hostrt fail closed: the command did not run" "$W/ran1"
	run_capture without_libelf env LD_PRELOAD="$SBX_SHIM" SANDBOXEC_CONFIG="$CFG" probe create "$W/ran2"
	expect_sbx_error "hostrt fail closed: the shim refuses with one sandboxec: line"
	expect_absent "hostrt fail closed: the program did not run under the shim" "$W/ran2"
fi
