#!/usr/bin/env bash
# PENDING: hangs/segfaults bash at exit in CI-like runs (see closing note); not run by make check yet.
# libsandboxec.so under LD_PRELOAD: policy applied before main from the
# environment or a project file, fail-closed on every bad input, one layer per
# process tree, hygiene. Each denial is checked against an unsandboxed run.
. "$(dirname "$0")/lib.sh"

MARK="$SBX_HELPERS/first_marker"
W="$SBX_TMP/work"
mkdir -p "$W"
export HOME="$SBX_TMP/home" XDG_CONFIG_HOME="$SBX_TMP/home/.config" XDG_DATA_HOME="$SBX_TMP/home/.local/share"
mkdir -p "$HOME"
unset SANDBOXEC_FS SANDBOXEC_NET SANDBOXEC_ACTIVE SANDBOXEC_CONFIG SANDBOXEC_NAMED_CONFIG
cd "$W" || exit 1

# shim ARGS... — runs a command with only the shim preloaded.
shim() { env LD_PRELOAD="$SBX_SHIM" "$@"; }
BASE="rx:/usr,rx:$SBX_HELPERS,rw:$W"

# --- allowed and denied, compared with the bare run
rm -f "$W/m1"; "$MARK" "$W/m1" && [ -e "$W/m1" ] && pass "bare: marker program writes" || fail "bare: marker program writes"
expect_status "shim: write inside rw dir allowed" 0 shim SANDBOXEC_FS="$BASE" "$MARK" "$W/m2"
out="$SBX_TMP/outside"; mkdir -p "$out"
"$MARK" "$out/bare" && pass "bare: write outside allowed" || fail "bare: write outside allowed"
expect_status "shim: write outside rw dir denied" 3 shim SANDBOXEC_FS="$BASE" "$MARK" "$out/m"
expect_absent "shim: nothing written outside" "$out/m"
ls /root >/dev/null 2>&1 && pass "bare: ls /root works" || fail "bare: ls /root works"
expect_status "shim: ls /root denied" 2 shim SANDBOXEC_FS=rx:/usr ls /root
expect_status "shim: ls /usr allowed" 0 shim SANDBOXEC_FS=rx:/usr ls /usr

# --- fail closed: status 1, one sandboxec: line, main never ran
bad() { # NAME ENV-ASSIGNMENTS...
	local name=$1; shift
	rm -f "$W/marker"
	env LD_PRELOAD="$SBX_SHIM" "$@" "$MARK" "$W/marker" 2>"$SBX_TMP/err"
	local rc=$? err; err=$(cat "$SBX_TMP/err")
	if [ $rc -ne 1 ]; then fail "$name" "exit $rc, want 1 ($err)"
	elif [ -e "$W/marker" ]; then fail "$name" "main ran"
	elif [[ "$err" != "sandboxec: "* ]]; then fail "$name" "stderr: $err"
	elif [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ]; then fail "$name" "more than one line: $err"
	else pass "$name"; fi
}
bad "no policy source at all refuses to run"
bad "unknown rights" SANDBOXEC_FS="rz:/usr"
bad "port not a number" SANDBOXEC_FS="$BASE" SANDBOXEC_NET="c:https"
bad "port above 65535" SANDBOXEC_FS="$BASE" SANDBOXEC_NET="c:65536"
bad "empty path" SANDBOXEC_FS="$BASE,rx:"
bad "unset variable in a path" SANDBOXEC_FS="$BASE,rw:\$SBX_UNSET_VAR/x"
bad "missing path without ignore-if-missing" SANDBOXEC_FS="$BASE,r:/nonexistent/sbx"
bad "abi 8" SANDBOXEC_FS="$BASE" SANDBOXEC_ABI=8
bad "abi -1" SANDBOXEC_FS="$BASE" SANDBOXEC_ABI=-1
bad "empty SANDBOXEC_ABI" SANDBOXEC_FS="$BASE" SANDBOXEC_ABI=
bad "net rules on abi 3" SANDBOXEC_FS="$BASE" SANDBOXEC_NET=c:443 SANDBOXEC_ABI=3
bad "restrict-scoped on abi 5" SANDBOXEC_FS="$BASE" SANDBOXEC_RESTRICT_SCOPED=1 SANDBOXEC_ABI=5
bad "bad boolean value" SANDBOXEC_FS="$BASE" SANDBOXEC_BEST_EFFORT=maybe
bad "unknown SANDBOXEC_ name" SANDBOXEC_FS="$BASE" SANDBOXEC_FSS=rx:/usr
bad "unterminated escape" SANDBOXEC_FS="$BASE,rw:/tmp\\"
bad "unknown escape" SANDBOXEC_FS="$BASE,rw:/t\\mp"
bad "config that does not exist" SANDBOXEC_CONFIG=/nonexistent.yaml
bad "config that is a directory" SANDBOXEC_CONFIG=/tmp
bad "config and named config together" SANDBOXEC_CONFIG=/x.yaml SANDBOXEC_NAMED_CONFIG=base/shell
bad "unknown named config" SANDBOXEC_NAMED_CONFIG=no/such/profile
bad "named config with .." SANDBOXEC_NAMED_CONFIG=../etc/passwd
printf 'fs:\n  - rx:/usr\nfss: []\n' > "$SBX_TMP/unknown-key.yaml"
bad "unknown YAML key" SANDBOXEC_CONFIG="$SBX_TMP/unknown-key.yaml"
printf 'best-effort: [1]\n' > "$SBX_TMP/type.yaml"
bad "YAML type error" SANDBOXEC_CONFIG="$SBX_TMP/type.yaml"
printf 'fs: [rx:/usr\n' > "$SBX_TMP/malformed.yaml"
bad "malformed YAML" SANDBOXEC_CONFIG="$SBX_TMP/malformed.yaml"

# A project file: untrusted refuses, trusted applies, an edit revokes.
proj="$SBX_TMP/proj"; mkdir -p "$proj/sub"
printf 'fs:\n  - rx:/usr\n  - rx:%s\n  - rw:.\n' "$SBX_HELPERS" > "$proj/.sandboxec.yaml"
( cd "$proj/sub" && bad "untrusted project file refuses to run" )
"$SBX" --mode trust "$proj/.sandboxec.yaml" >/dev/null 2>&1
( cd "$proj/sub" && expect_status "trusted project file applies (relative to its dir)" 0 shim "$MARK" "$proj/made" )
( cd "$proj/sub" && expect_status "trusted project file still denies outside" 3 shim "$MARK" "$out/p" )
echo "# edit" >> "$proj/.sandboxec.yaml"
( cd "$proj/sub" && bad "edited project file is no longer trusted" )
( cd "$proj/sub" && expect_status "SANDBOXEC_TRUST_PROJECT=1 trusts it" 0 shim SANDBOXEC_TRUST_PROJECT=1 "$MARK" "$proj/made2" )

# --- a large SANDBOXEC_FS (120 KB): accepted and enforced
big=$(python3 -c "import sys; print(','.join(['rx:/usr']*15100))")
[ ${#big} -gt 120000 ] || fail "120 KB SANDBOXEC_FS built" "${#big} bytes"
expect_status "120 KB SANDBOXEC_FS applies" 0 shim SANDBOXEC_FS="$big,rx:$SBX_HELPERS,rw:$W" "$MARK" "$W/big"
expect_status "120 KB SANDBOXEC_FS still denies" 3 shim SANDBOXEC_FS="$big,rx:$SBX_HELPERS,rw:$W" "$MARK" "$out/big"
unset big

# --- process trees
cmd='echo deep'
for i in $(seq 40); do cmd="sh -c '$(printf '%s' "$cmd" | sed "s/'/'\\\\''/g")'"; done
expect_status "40 nested sh -c under the shim" 0 shim SANDBOXEC_FS="$BASE" sh -c "$cmd"
expect_contains "40 nested sh -c printed" "$OUT" "deep"
# Same settings re-preloaded 20 times (beyond the 16-layer limit): the
# marker keeps it at one layer.
cmd="$MARK $W/chain"
for i in $(seq 20); do cmd="env LD_PRELOAD=$SBX_SHIM sh -c '$(printf '%s' "$cmd" | sed "s/'/'\\\\''/g")'"; done
expect_status "same policy re-preloaded 20 deep adds no layers" 0 shim SANDBOXEC_FS="$BASE" sh -c "$cmd"
# A descendant with different settings gets its own layer: both hold.
expect_status "descendant with a stricter policy is denied what it dropped" 3 \
	shim SANDBOXEC_FS="$BASE" sh -c "LD_PRELOAD=$SBX_SHIM SANDBOXEC_FS=rx:/usr,rx:$SBX_HELPERS $MARK $W/stricter"
expect_status "descendant cannot widen: outer policy still holds" 3 \
	shim SANDBOXEC_FS="$BASE" sh -c "LD_PRELOAD=$SBX_SHIM SANDBOXEC_FS=rx:/usr,rx:$SBX_HELPERS,rw:$out $MARK $out/widen"
expect_absent "widening descendant wrote nothing" "$out/widen"
# With restrict-scoped, a child still signals its parent in the same sandbox.
expect_status "restrict-scoped: child can signal its parent" 0 \
	shim SANDBOXEC_FS="$BASE" SANDBOXEC_RESTRICT_SCOPED=1 sh -c 'sh -c "kill -0 \$PPID"'
sleep 30 & outsider=$!
kill -0 $outsider && pass "bare: signal an outside process" || fail "bare: signal an outside process"
expect_status "restrict-scoped: outside process cannot be signalled" 1 \
	shim SANDBOXEC_FS="$BASE" SANDBOXEC_RESTRICT_SCOPED=1 sh -c "kill -0 $outsider 2>/dev/null"
kill $outsider 2>/dev/null

# --- hygiene
# la_version: the rtld-audit entry point (shim/shim_audit.c), the one
# documented exception; tests/security/t_premain.sh checks the same list.
exports=$(nm -D --defined-only "$SBX_SHIM" | awk '{print $3}' | grep -v '^sandboxec_' | grep -vx la_version)
[ -z "$exports" ] && pass "shim exports only sandboxec_ symbols and la_version" || fail "shim exports only sandboxec_ symbols and la_version" "$exports"
bare_fds=$(ls /proc/self/fd | tr '\n' ' ')
shim_fds=$(shim SANDBOXEC_FS="rx:/usr,r:/proc" ls /proc/self/fd | tr '\n' ' ')
[ "$bare_fds" = "$shim_fds" ] && pass "shim leaks no file descriptor" || fail "shim leaks no file descriptor" "$bare_fds vs $shim_fds"
bare_env=$(env -i PATH=/usr/bin SANDBOXEC_FS=rx:/usr env | sort)
shim_env=$(env -i PATH=/usr/bin SANDBOXEC_FS=rx:/usr LD_PRELOAD="$SBX_SHIM" env | grep -v '^SANDBOXEC_ACTIVE=' | sort)
[ "$bare_env" = "$shim_env" ] && pass "environment unchanged but the marker and the shim's own LD_PRELOAD entry" || fail "environment unchanged" "$(diff <(echo "$bare_env") <(echo "$shim_env"))"
trap_bare=$(sh -c 'trap' ; grep SigIgn /proc/self/status)
trap_shim=$(shim SANDBOXEC_FS="rx:/usr,r:/proc" sh -c 'trap; grep SigIgn /proc/self/status')
[ "$trap_bare" = "$trap_shim" ] && pass "signal dispositions unchanged" || fail "signal dispositions unchanged" "$trap_bare / $trap_shim"
expect_status "thread-free program passes the thread check" 0 shim SANDBOXEC_FS="$BASE" "$MARK" "$W/threads"

# --- explain on a static binary says LD_PRELOAD cannot reach it
expect_status "explain a static binary" 0 "$SBX" --mode explain --fs rx:/usr /usr/sbin/ldconfig
expect_contains "explain says static binaries escape LD_PRELOAD" "$OUT" "static ELF"
