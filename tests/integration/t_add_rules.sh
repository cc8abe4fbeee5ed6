#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --add-fs/--add-net and SANDBOXEC_ADD_FS/SANDBOXEC_ADD_NET add rules to the
# list a weaker layer gives, where --fs/--net replace it (docs/design.md §3.2);
# both front doors, explain's provenance, and the exec hint that names them.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

FX=$SBX_TMP/fx
C=$SBX_TMP/cfg
mkdir -p "$C"
reset_fx() {
	rm -rf "$FX"
	mkdir -p "$FX/a" "$FX/b"
}
reset_fx
printf 'fs:\n  - rx:/usr\n  - rx:%s\n  - rw:%s/a\n' "$PROBE" "$FX" >"$C/a.yaml"

# --- the CLI ---------------------------------------------------------------------------------
compare_raw "config alone: its list applies" ok reset_fx -c "$C/a.yaml" -- create "$FX/a/new"
compare_raw "config alone: nothing beyond it" "denied EACCES" reset_fx -c "$C/a.yaml" -- create "$FX/b/new"
compare_raw "--add-fs: the added rule applies" ok reset_fx -c "$C/a.yaml" --add-fs "rw:$FX/b" -- create "$FX/b/new"
compare_raw "--add-fs: the config's rules stay" ok reset_fx -c "$C/a.yaml" --add-fs "rw:$FX/b" -- create "$FX/a/new"
compare_raw "--add-fs is repeatable" ok reset_fx -c "$C/a.yaml" --add-fs "r:/etc" --add-fs "rw:$FX/b" -- create "$FX/b/new"
compare_raw "--fs still replaces the config's list" "denied EACCES" reset_fx -c "$C/a.yaml" \
	--fs rx:/usr --fs "rx:$PROBE" --fs "rw:$FX/b" -- create "$FX/a/new"
compare_raw "--add-fs with --fs adds to the flags' list" ok reset_fx -c "$C/a.yaml" \
	--fs rx:/usr --fs "rx:$PROBE" --add-fs "rw:$FX/b" -- create "$FX/b/new"
compare_raw "--add-fs alone, no other list: only what it adds" ok reset_fx \
	--add-fs rx:/usr --add-fs "rx:$PROBE" --add-fs "rw:$FX/b" -- create "$FX/b/new"

# --- the environment ---------------------------------------------------------------------------
SANDBOXEC_ADD_FS="rw:$FX/b" compare_raw "SANDBOXEC_ADD_FS adds to the config's list" ok reset_fx \
	-c "$C/a.yaml" -- create "$FX/b/new"
SANDBOXEC_ADD_FS="rw:$FX/b" compare_raw "SANDBOXEC_ADD_FS keeps the config's rules" ok reset_fx \
	-c "$C/a.yaml" -- create "$FX/a/new"
SANDBOXEC_ADD_FS="rw:$FX/b" compare_raw "SANDBOXEC_ADD_FS adds to SANDBOXEC_FS" ok reset_fx \
	-c "$C/a.yaml" -- create "$FX/b/new"
SANDBOXEC_FS="rx:/usr,rx:$PROBE" SANDBOXEC_ADD_FS="rw:$FX/b" compare_raw \
	"SANDBOXEC_ADD_FS adds to SANDBOXEC_FS's list" ok reset_fx -- create "$FX/b/new"
# A stronger layer's list replaces the weaker layer's additions with it.
SANDBOXEC_ADD_FS="rw:$FX/b" compare_raw "--fs replaces SANDBOXEC_ADD_FS too" "denied EACCES" reset_fx \
	--fs rx:/usr --fs "rx:$PROBE" --fs "rw:$FX/a" -- create "$FX/b/new"

# --- the shim ---------------------------------------------------------------------------------
reset_fx
expect_eq "shim: baseline create in b works unsandboxed" "$("$PROBE" create "$FX/b/new")" ok
reset_fx
expect_eq "shim: the config alone denies b" \
	"$(shim SANDBOXEC_CONFIG="$C/a.yaml" "$PROBE" create "$FX/b/new" 2>&1)" "denied EACCES"
reset_fx
expect_eq "shim: SANDBOXEC_ADD_FS grants b" \
	"$(shim SANDBOXEC_CONFIG="$C/a.yaml" SANDBOXEC_ADD_FS="rw:$FX/b" "$PROBE" create "$FX/b/new" 2>&1)" ok
reset_fx
expect_eq "shim: SANDBOXEC_ADD_FS keeps a" \
	"$(shim SANDBOXEC_CONFIG="$C/a.yaml" SANDBOXEC_ADD_FS="rw:$FX/b" "$PROBE" create "$FX/a/new" 2>&1)" ok

# --- network -----------------------------------------------------------------------------------
if ! need_abi 4 "TCP rules" "--add-net and SANDBOXEC_ADD_NET"; then
	:
elif sbx_bg "$SBX_TMP/srv.out" "$PROBE" serve 0 "$SERVE_SECONDS"; then
	port=$(awk '/^ready/ {print $2}' "$SBX_TMP/srv.out")
	other=$((port == 1 ? 2 : port - 1))
	printf 'fs:\n  - rx:/usr\n  - rx:%s\nnet:\n  - c:%s\n' "$PROBE" "$other" >"$C/net.yaml"
	compare_raw "config net list alone denies the port" "denied EACCES" reset_fx -c "$C/net.yaml" -- connect "$port"
	compare_raw "--add-net adds the port" ok reset_fx -c "$C/net.yaml" --add-net "c:$port" -- connect "$port"
	SANDBOXEC_ADD_NET="c:$port" compare_raw "SANDBOXEC_ADD_NET adds the port" ok reset_fx \
		-c "$C/net.yaml" -- connect "$port"
	run_capture "$SBX" -c "$C/net.yaml" --add-net "c:$port" --mode explain
	expect_contains "explain: the config's port stays" "$OUT" "\"c:$other\""
	expect_contains "explain: the added port says --add-net" "$OUT" "\"c:$port\"  # --add-net"
else
	fail "add rules: local server" "did not start"
fi

# --- explain: where each rule came from ------------------------------------------------------
run_capture "$SBX" -c "$C/a.yaml" --add-fs "r:/etc" --mode explain
expect_contains "explain: the config's rule keeps its file:line" "$OUT" "\"rw:$FX/a\"  # $C/a.yaml:4"
expect_contains "explain: the added rule says --add-fs" "$OUT" '"r:/etc"  # --add-fs'
SANDBOXEC_ADD_FS="r:/etc" run_capture "$SBX" -c "$C/a.yaml" --mode explain
expect_contains "explain: SANDBOXEC_ADD_FS entry N" "$OUT" '"r:/etc"  # SANDBOXEC_ADD_FS entry 1'

# --- the exec hint names the flag that adds -------------------------------------------------------
printf 'fs:\n  - rx:/usr/lib\n  - rx:/lib64\n' >"$C/lib.yaml"
run_capture "$SBX" -c "$C/lib.yaml" -- /usr/bin/true
expect_contains "exec hint under a config suggests --add-fs" "$ERR" "add --add-fs rx:/usr/bin/true"
expect_status "following the hint runs the command" 0 "$SBX" -c "$C/lib.yaml" --add-fs rx:/usr/bin/true -- /usr/bin/true
run_capture "$SBX" --fs rx:/usr/lib --fs rx:/lib64 -- /usr/bin/true
expect_contains "exec hint under --fs suggests --fs" "$ERR" "add --fs rx:/usr/bin/true"
SANDBOXEC_FS=rx:/usr/lib,rx:/lib64 run_capture "$SBX" -- /usr/bin/true
expect_contains "exec hint under SANDBOXEC_FS suggests --add-fs" "$ERR" "add --add-fs rx:/usr/bin/true"
