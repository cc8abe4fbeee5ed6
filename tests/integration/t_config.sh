#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Where the policy comes from (docs/design.md §3.1, §3.2, §3.4): flags > SANDBOXEC_* >
# one config file > defaults. Scalars override; a list given in a stronger
# layer replaces the weaker one's. Checked by behaviour under Landlock, not
# by reading explain, so a resolution bug cannot hide behind a pretty report.
# Also: --mode explain prints YAML that is itself a valid config.
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
	printf 'data\n' >"$FX/a/file"
}
reset_fx

# The rules any probe run needs, in the three spellings.
NEED_YAML="  - rx:/usr
  - rx:$PROBE"
NEED_ENV="rx:/usr,rx:$PROBE"

# cfg NAME BODY — writes $C/NAME.
cfg() { printf '%s\n' "$2" >"$C/$1"; }
cfg a.yaml "fs:
$NEED_YAML
  - rw:$FX/a"
cfg b.yaml "fs:
$NEED_YAML
  - rw:$FX/b"

# --- a config file alone ------------------------------------------------------------------
compare_raw "-c file: its fs rules apply" ok reset_fx -c "$C/a.yaml" -- create "$FX/a/new"
compare_raw "-c file: nothing beyond its rules" "denied EACCES" reset_fx -c "$C/a.yaml" -- create "$FX/b/new"
compare_raw "--config long option" ok reset_fx --config "$C/a.yaml" -- create "$FX/a/new"
SANDBOXEC_CONFIG=$C/a.yaml compare_raw "SANDBOXEC_CONFIG: its fs rules apply" ok reset_fx -- create "$FX/a/new"

# --- flags vs file ---------------------------------------------------------------------------
compare_raw "flags replace the file's fs list (file's dir denied)" "denied EACCES" reset_fx \
	-c "$C/a.yaml" --fs rx:/usr --fs "rx:$PROBE" --fs "rw:$FX/b" -- create "$FX/a/new"
compare_raw "flags replace the file's fs list (flag's dir allowed)" ok reset_fx \
	-c "$C/a.yaml" --fs rx:/usr --fs "rx:$PROBE" --fs "rw:$FX/b" -- create "$FX/b/new"

cfg abi1.yaml "abi: 1
fs:
$NEED_YAML
  - rw:$FX/a
  - rw:$FX/b"
compare_raw "file scalar applies (abi: 1 gives EXDEV)" "error EXDEV" reset_fx -c "$C/abi1.yaml" -- rename "$FX/a/file" "$FX/b/moved"
compare_raw "flag scalar overrides file scalar (--abi 2)" ok reset_fx -c "$C/abi1.yaml" --abi 2 -- rename "$FX/a/file" "$FX/b/moved"
compare_raw "flag fs list keeps the file's scalars" "error EXDEV" reset_fx -c "$C/abi1.yaml" \
	--fs rx:/usr --fs "rx:$PROBE" --fs "rw:$FX/a" --fs "rw:$FX/b" -- rename "$FX/a/file" "$FX/b/moved"

# Lists are replaced one by one: --fs does not drop the file's net list.
if sbx_bg "$SBX_TMP/srv.out" "$PROBE" serve 0 "$SERVE_SECONDS"; then
	port=$(awk '/^ready/ {print $2}' "$SBX_TMP/srv.out")
	cfg net.yaml "fs:
$NEED_YAML
net:
  - c:$port"
	if need_abi 4 "TCP rules" "config net lists: a file's, replaced by flags and SANDBOXEC_NET"; then
		compare_raw "file net list applies" ok reset_fx -c "$C/net.yaml" -- connect "$port"
		compare_raw "flag fs list keeps the file's net list" ok reset_fx -c "$C/net.yaml" --fs rx:/usr --fs "rx:$PROBE" -- connect "$port"
		compare_raw "flag net list replaces the file's" "denied EACCES" reset_fx -c "$C/net.yaml" --net "c:$((port == 1 ? 2 : port - 1))" -- connect "$port"
		SANDBOXEC_NET= compare_raw "empty SANDBOXEC_NET replaces the file's net list" "denied EACCES" reset_fx -c "$C/net.yaml" -- connect "$port"
	fi
else
	fail "config: local server" "did not start"
fi

# --- environment vs file and flags -------------------------------------------------------------
SANDBOXEC_FS="$NEED_ENV,rw:$FX/b" compare_raw "SANDBOXEC_FS replaces the file's fs list" "denied EACCES" reset_fx -c "$C/a.yaml" -- create "$FX/a/new"
SANDBOXEC_FS="$NEED_ENV,rw:$FX/b" compare_raw "SANDBOXEC_FS rules apply" ok reset_fx -c "$C/a.yaml" -- create "$FX/b/new"
SANDBOXEC_FS="$NEED_ENV,rw:$FX/a" compare_raw "flags replace SANDBOXEC_FS" "denied EACCES" reset_fx \
	--fs rx:/usr --fs "rx:$PROBE" --fs "rw:$FX/b" -- create "$FX/a/new"
SANDBOXEC_FS="rx:/usr
rx:$PROBE
rw:$FX/a" compare_raw "SANDBOXEC_FS newline-separated" ok reset_fx -- create "$FX/a/new"
SANDBOXEC_FS=",,$NEED_ENV,,rw:$FX/a," compare_raw "SANDBOXEC_FS empty entries ignored" ok reset_fx -- create "$FX/a/new"
reset_comma() { reset_fx && mkdir "$FX/com,ma"; }
SANDBOXEC_FS="$NEED_ENV,rw:$FX/com\\,ma" compare_raw 'SANDBOXEC_FS \, escapes a comma' ok reset_comma -- create "$FX/com,ma/new"
SANDBOXEC_ABI=1 compare_raw "SANDBOXEC_ABI overrides the file" "error EXDEV" reset_fx -c "$C/a.yaml" \
	--fs rx:/usr --fs "rx:$PROBE" --fs "rw:$FX/a" --fs "rw:$FX/b" -- rename "$FX/a/file" "$FX/b/moved"
need_abi 2 "cross-directory rename" "--abi overrides SANDBOXEC_ABI" &&
	SANDBOXEC_ABI=1 compare_raw "--abi overrides SANDBOXEC_ABI" ok reset_fx --abi "$LL_ABI" \
	--fs rx:/usr --fs "rx:$PROBE" --fs "rw:$FX/a" --fs "rw:$FX/b" -- rename "$FX/a/file" "$FX/b/moved"
# An empty SANDBOXEC_FS is an empty list, not an unset one: the file's
# rules are gone and nothing may even be executed.
rm -f "$FX/a/marker"
run_capture env SANDBOXEC_FS= "$SBX" -c "$C/a.yaml" -- "$PROBE" create "$FX/a/marker"
expect_eq "empty SANDBOXEC_FS is an empty list (nothing can run)" "$STATUS" 126
expect_absent "empty SANDBOXEC_FS: command did not run" "$FX/a/marker"
SANDBOXEC_CONFIG=$C/b.yaml compare_raw "-c beats SANDBOXEC_CONFIG" ok reset_fx -c "$C/a.yaml" -- create "$FX/a/new"
SANDBOXEC_CONFIG=$C/b.yaml compare_raw "-c beats SANDBOXEC_CONFIG (env file unused)" "denied EACCES" reset_fx -c "$C/a.yaml" -- create "$FX/b/new"

# --- relative paths and YAML scalars ---------------------------------------------------------
# In a -c file (unlike a project file) a relative path is relative to the cwd.
cfg rel.yaml "fs:
$NEED_YAML
  - rw:fx/a"
cd "$SBX_TMP" || exit 1
compare_raw "-c file: relative path is relative to the cwd" ok reset_fx -c "$C/rel.yaml" -- create "$FX/a/new"
cd "$SBX_TMP/work" || exit 1
cfg missing.yaml "ignore-if-missing: true
fs:
$NEED_YAML
  - rw:$FX/a
  - r:$SBX_TMP/does-not-exist"
compare_raw "YAML ignore-if-missing: true skips missing paths" ok reset_fx -c "$C/missing.yaml" -- create "$FX/a/new"
cfg long.yaml "abi: 0
best-effort: false
restrict-scoped: false
unsafe-host-runtime: false
mode: run
fs:
$NEED_YAML
  - read_write:$FX/a"
compare_raw "every documented YAML key is accepted" ok reset_fx -c "$C/long.yaml" -- create "$FX/a/new"
printf 'fs:\n  - rx:/usr\n  - rx:%s\n  - rw:%s\n' "$PROBE" "$FX/a" >"$C/plain.yml"
compare_raw ".yml config accepted" ok reset_fx -c "$C/plain.yml" -- create "$FX/a/new"

# --- named configs (docs/design.md §3.4) -------------------------------------------------------------------
mkdir -p "$SBX_TMP/prof1/grp" "$SBX_TMP/prof2/grp" "$XDG_CONFIG_HOME/sandboxec/profiles/grp"
cp "$C/a.yaml" "$SBX_TMP/prof1/grp/p.yaml"
cp "$C/b.yaml" "$SBX_TMP/prof2/grp/p.yaml"
cp "$C/b.yaml" "$XDG_CONFIG_HOME/sandboxec/profiles/grp/p.yaml"
cp "$C/a.yaml" "$XDG_CONFIG_HOME/sandboxec/profiles/grp/only-xdg.yml"
export SANDBOXEC_PROFILE_PATH=$SBX_TMP/prof1:$SBX_TMP/prof2
compare_raw "-C finds a profile in SANDBOXEC_PROFILE_PATH" ok reset_fx -C grp/p -- create "$FX/a/new"
compare_raw "-C: first SANDBOXEC_PROFILE_PATH dir wins" "denied EACCES" reset_fx -C grp/p -- create "$FX/b/new"
compare_raw "-C with the .yaml suffix" ok reset_fx -C grp/p.yaml -- create "$FX/a/new"
compare_raw "--named-config long option" ok reset_fx --named-config grp/p -- create "$FX/a/new"
compare_raw "-C falls back to XDG_CONFIG_HOME profiles (.yml)" ok reset_fx -C grp/only-xdg -- create "$FX/a/new"
SANDBOXEC_NAMED_CONFIG=grp/p compare_raw "SANDBOXEC_NAMED_CONFIG names a profile" ok reset_fx -- create "$FX/a/new"
SANDBOXEC_NAMED_CONFIG=grp/p compare_raw "-c flag beats SANDBOXEC_NAMED_CONFIG" ok reset_fx -c "$C/b.yaml" -- create "$FX/b/new"
# A config named in the stronger layer wins even when the weaker one names
# the other kind (docs/design.md §3.2): no "both named" error across layers, and the
# weaker layer's name is not even opened.
SANDBOXEC_CONFIG=$SBX_TMP/does-not-exist.yaml compare_raw "-C flag beats SANDBOXEC_CONFIG" ok reset_fx -C grp/p -- create "$FX/a/new"
SANDBOXEC_NAMED_CONFIG=grp/does-not-exist compare_raw "-c flag beats SANDBOXEC_NAMED_CONFIG (not looked up)" ok reset_fx -c "$C/a.yaml" -- create "$FX/a/new"
unset SANDBOXEC_PROFILE_PATH
compare_raw "-C uses XDG_CONFIG_HOME profiles without SANDBOXEC_PROFILE_PATH" "denied EACCES" reset_fx -C grp/p -- create "$FX/a/new"

# --- user config (no trust step needed) ----------------------------------------------------------
cp "$C/a.yaml" "$XDG_CONFIG_HOME/sandboxec/sandboxec.yaml"
compare_raw "user config in XDG_CONFIG_HOME is used" ok reset_fx -- create "$FX/a/new"
compare_raw "naming a config skips the user config" "denied EACCES" reset_fx -c "$C/b.yaml" -- create "$FX/a/new"
rm "$XDG_CONFIG_HOME/sandboxec/sandboxec.yaml"
mkdir -p "$HOME/.config/sandboxec"
cp "$C/b.yaml" "$HOME/.config/sandboxec/sandboxec.yml"
(
	unset XDG_CONFIG_HOME
	compare_raw "user config in ~/.config/sandboxec (.yml) when XDG_CONFIG_HOME is unset" ok reset_fx -- create "$FX/b/new"
)
rm -r "$HOME/.config/sandboxec"

# --- explain ---------------------------------------------------------------------------------------
# (the policy explained has scoping and a net rule)
if need_abi 6 "scoping" "explain: its output is a config that round-trips"; then
	E=$SBX_TMP/explain
	mkdir -p "$E"
	rm -f "$FX/a/marker"
	export SBXT_DIR=$FX/a
	run_capture "$SBX" --mode explain --abi 6 --restrict-scoped --fs rx:/usr --fs "rx:$PROBE" \
		--fs 'rw:$SBXT_DIR' --net c:8080 -- "$PROBE" create "$FX/a/marker"
	expect_eq "explain: exits 0" "$STATUS" 0
	printf '%s\n' "$OUT" >"$E/first.yaml"
	expect_absent "explain: runs nothing" "$FX/a/marker"
	expect_contains "explain: paths are expanded" "$OUT" "$FX/a"
	expect_not_contains "explain: no unexpanded variable left" "$OUT" 'SBXT_DIR'
	expect_contains "explain: shows the net rule" "$OUT" "8080"

	run_capture "$SBX" --mode explain -c "$E/first.yaml"
	expect_eq "explain: its output is a valid config (-c accepts it)" "$STATUS" 0
	printf '%s\n' "$OUT" >"$E/second.yaml"
	expect_contains "explain: names the config file it read" "$OUT" "$E/first.yaml"
	# Provenance differs (flags vs the file), so compare the YAML without comments.
	strip() { sed -e 's/[[:space:]]*#.*$//' -e '/^[[:space:]]*$/d' "$1"; }
	expect_eq "explain: round trip gives the same policy" "$(strip "$E/second.yaml")" "$(strip "$E/first.yaml")"
	compare_raw "explain: its output runs as a config (allowed)" ok reset_fx -c "$E/first.yaml" -- create "$FX/a/new"
	compare_raw "explain: its output runs as a config (denied)" "denied EACCES" reset_fx -c "$E/first.yaml" -- create "$FX/b/new"
	unset SBXT_DIR
fi

# SANDBOXEC_VERBOSE=1 prints the effective policy to stderr, then runs.
reset_fx
run_capture env SANDBOXEC_VERBOSE=1 "$SBX" --fs rx:/usr --fs "rx:$PROBE" --fs "rw:$FX/a" -- "$PROBE" create "$FX/a/new"
expect_eq "SANDBOXEC_VERBOSE=1: command runs" "$STATUS:$OUT" "0:ok"
expect_contains "SANDBOXEC_VERBOSE=1: policy on stderr" "$ERR" "rw:$FX/a"
