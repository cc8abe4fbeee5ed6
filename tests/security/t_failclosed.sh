#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fail-closed battery: bad inputs through flags, SANDBOXEC_* variables,
# config files and project files, through both front doors — the CLI
# (`sandboxec ... -- CMD`) and the shim (`LD_PRELOAD=libsandboxec.so CMD`).
# Each must end with status 1, exactly one stderr line starting
# "sandboxec: ", and a command that never ran: the command is first_marker,
# whose first statement creates a file, under a policy that would let it.
# Positive controls show the marker does get created when the input is
# good, so "no marker" really means "did not run".
set -u
. "$(dirname "$0")/../integration/lib.sh"
sbx_setup

MARK=$SBX_HELPERS/first_marker
W=$SBX_TMP/fc
M=$W/marker
P=$SBX_TMP/project
mkdir -p "$W/cfgdir" "$P"
GOOD_FS="rx:/usr,rx:$SBX_HELPERS,rw:$W"
GOOD_YAML="fs:
  - rx:/usr
  - rx:$SBX_HELPERS
  - rw:$W"

FC_TRIED=0
FC_RAN=0

# run_door DOOR ENV-ARGS... — runs the marker through DOOR with `env
# ENV-ARGS` in front, and CLI_FLAGS (an array) before the CLI's "--".
# Leaves STATUS and ERR.
# Without Landlock every door runs under best-effort (a case's own
# assignments come later and win): the controls then run unsandboxed, and
# every bad input must be refused all the same — best-effort never turns
# an error into a run.
CLI_FLAGS=()
DOOR_ENV=()
has_abi 1 || DOOR_ENV=(SANDBOXEC_BEST_EFFORT=1)
run_door() {
	local door=$1
	shift
	rm -f "$M"
	case $door in
	cli) run_capture env "${DOOR_ENV[@]}" env "$@" "$SBX" "${CLI_FLAGS[@]}" -- "$MARK" "$M" ;;
	shim) run_capture env "${DOOR_ENV[@]}" env "$@" "LD_PRELOAD=$SBX_SHIM" "$MARK" "$M" ;;
	esac
}

# verdict NAME — the three promises, after run_door.
verdict() {
	local name=$1 first nlines
	FC_TRIED=$((FC_TRIED + 1))
	first=${ERR%%$'\n'*}
	nlines=$(printf '%s\n' "$ERR" | grep -c '')
	if [ -e "$M" ]; then
		FC_RAN=$((FC_RAN + 1))
		fail "$name" "THE COMMAND RAN (exit $STATUS; stderr: ${ERR:0:300})"
	elif [ "$STATUS" -ne 1 ]; then
		fail "$name" "exit $STATUS, want 1; stderr: ${ERR:0:300}"
	elif [ "${first#sandboxec: }" = "$first" ] || [ "$nlines" -ne 1 ]; then
		fail "$name" "want exactly one 'sandboxec: ' line on stderr, got $nlines: ${ERR:0:300}"
	else
		pass "$name"
	fi
}

# good NAME DOOR ENV-ARGS... — a positive control: the marker must run.
good() {
	local name=$1 door=$2
	shift 2
	run_door "$door" "$@"
	if [ "$STATUS" -eq 0 ] && [ -e "$M" ]; then
		pass "control: $name [$door]"
	else
		fail "control: $name [$door]" "exit $STATUS, marker $([ -e "$M" ] && echo made || echo missing); stderr: ${ERR:0:300}"
	fi
}

# env_bad NAME VAR=VALUE... — both doors; the policy is a good
# SANDBOXEC_FS unless the case sets its own (later assignments win).
env_bad() {
	local name=$1 door
	local -a opts=()
	shift
	# env's own options (-u NAME) must come before any assignment.
	while [ "${1:-}" = -u ]; do
		opts+=("$1" "$2")
		shift 2
	done
	for door in cli shim; do
		run_door $door "${opts[@]}" "SANDBOXEC_FS=$GOOD_FS" "$@"
		verdict "env: $name [$door]"
	done
}

# flag_bad NAME FLAGS... — the CLI only (the shim has no flags).
flag_bad() {
	local name=$1
	shift
	CLI_FLAGS=("$@")
	run_door cli
	CLI_FLAGS=()
	verdict "flag: $name [cli]"
}

# cfg_bad NAME YAML — the file named by SANDBOXEC_CONFIG (both doors), by
# --config (CLI), and as a trusted project file found from the current
# directory (both doors).
cfg_bad() {
	local name=$1 file=$W/$FC_TRIED.yaml door
	printf '%s\n' "$2" >"$file"
	for door in cli shim; do
		run_door $door "SANDBOXEC_CONFIG=$file"
		verdict "config file: $name (SANDBOXEC_CONFIG) [$door]"
	done
	CLI_FLAGS=(--config "$file")
	run_door cli
	CLI_FLAGS=()
	verdict "config file: $name (--config) [cli]"
	printf '%s\n' "$2" >"$P/.sandboxec.yaml"
	cd "$P" || exit 1
	for door in cli shim; do
		run_door $door SANDBOXEC_TRUST_PROJECT=1
		verdict "project file: $name [$door]"
	done
	cd "$SBX_TMP/work" || exit 1
	rm -f "$P/.sandboxec.yaml"
}

# --- positive controls ---------------------------------------------------------
printf '%s\n' "$GOOD_YAML" >"$W/good.yaml"
for door in cli shim; do
	good "good SANDBOXEC_FS" $door "SANDBOXEC_FS=$GOOD_FS"
	good "good SANDBOXEC_CONFIG" $door "SANDBOXEC_CONFIG=$W/good.yaml"
	cp "$W/good.yaml" "$P/.sandboxec.yaml"
	cd "$P" || exit 1
	good "good trusted project file" $door SANDBOXEC_TRUST_PROJECT=1
	cd "$SBX_TMP/work" || exit 1
	rm -f "$P/.sandboxec.yaml"
done
CLI_FLAGS=(--fs rx:/usr --fs "rx:$SBX_HELPERS" --fs "rw:$W")
good "good flags" cli
CLI_FLAGS=()
# ${VAR:-default}: the default when the variable is unset or empty, the
# variable's directory when it is set.
for door in cli shim; do
	good "\${VAR:-default}, VAR unset" $door "SANDBOXEC_FS=rx:/usr,rx:$SBX_HELPERS,rw:\${SBXT_TOOL:-$W}"
	good "\${VAR:-default}, VAR empty" $door SBXT_TOOL= "SANDBOXEC_FS=rx:/usr,rx:$SBX_HELPERS,rw:\${SBXT_TOOL:-$W}"
	good "\${VAR:-default}, VAR set" $door "SBXT_TOOL=$W" "SANDBOXEC_FS=rx:/usr,rx:$SBX_HELPERS,rw:\${SBXT_TOOL:-/nonexistent}"
done

# --- flags (CLI) ---------------------------------------------------------------
OK=(--fs rx:/usr --fs "rx:$SBX_HELPERS" --fs "rw:$W")
flag_bad "unknown fs rights" "${OK[@]}" --fs "rq:$W"
flag_bad "fs rule without a colon" "${OK[@]}" --fs "$W"
flag_bad "net port above 65535" "${OK[@]}" --net c:65536
flag_bad "net port not a number" "${OK[@]}" --net c:http
flag_bad "unset variable in a path" "${OK[@]}" --fs 'rw:$SBXT_UNSET/x'
flag_bad "missing path" "${OK[@]}" --fs "r:$W/nope"
flag_bad "empty default in \${VAR:-}" "${OK[@]}" --fs 'rw:${SBXT_UNSET:-}'
flag_bad "\${ nested in a default" "${OK[@]}" --fs 'rw:${SBXT_UNSET:-${HOME}}'
flag_bad "a shell operator other than :-" "${OK[@]}" --fs 'rw:${HOME:+/x}'
flag_bad "--abi 12" "${OK[@]}" --abi 12
flag_bad "--abi not a number" "${OK[@]}" --abi 7x
# (errors only without best-effort: not on a kernel without Landlock here)
if need_abi 1 "Landlock" "flag: ABI too low for a setting, without best-effort"; then
	flag_bad "net rules on --abi 3" "${OK[@]}" --abi 3 --net c:80
	flag_bad "--restrict-scoped on --abi 5" "${OK[@]}" --abi 5 --restrict-scoped
	flag_bad "UDP rule on --abi 9" "${OK[@]}" --abi 9 --net uc:53
fi
flag_bad "unknown UDP rights" "${OK[@]}" --net ux:53
flag_bad "--allow-udp=maybe" "${OK[@]}" --allow-udp=maybe
flag_bad "--restrict-unix= (empty)" "${OK[@]}" --restrict-unix=
flag_bad "unknown option" "${OK[@]}" --no-such-option
flag_bad "--fs without an argument" --fs
flag_bad "--add-fs unknown rights" "${OK[@]}" --add-fs "rq:$W"
flag_bad "--add-fs missing path" "${OK[@]}" --add-fs "r:$W/nope"
flag_bad "--add-net port above 65535" "${OK[@]}" --add-net c:65536
flag_bad "--add-fs without an argument" "${OK[@]}" --add-fs
flag_bad "--fs comma list under --ignore-if-missing" "${OK[@]}" --ignore-if-missing --fs "rx:/usr,rw:$W"
flag_bad "--best-effort false (value not attached)" "${OK[@]}" --best-effort false
flag_bad "--format with --mode run" "${OK[@]}" --format json
flag_bad "--config with --named-config" -c "$W/good.yaml" -C some/profile
flag_bad "--config that is a directory" "${OK[@]}" -c "$W/cfgdir"
flag_bad "named config with .." -C ../escape
flag_bad "unknown --mode" "${OK[@]}" --mode nope
flag_bad "--log-denials not a bool" "${OK[@]}" --log-denials=maybe
flag_bad "--report with an unknown backend" "${OK[@]}" --report=sometimes

# --- SANDBOXEC_* variables (both doors) ------------------------------------------
env_bad "unknown rights" "SANDBOXEC_FS=$GOOD_FS,rq:/usr"
env_bad "rule without a colon" "SANDBOXEC_FS=$GOOD_FS,/usr"
env_bad "bad escape in the list" "SANDBOXEC_FS=$GOOD_FS,rw:/tmp\\q"
env_bad "list ending in a lone backslash" "SANDBOXEC_FS=$GOOD_FS,rw:/tmp\\"
env_bad "unset variable in a path" "SANDBOXEC_FS=$GOOD_FS,rw:\$SBXT_UNSET/x"
env_bad "~ with HOME unset" -u HOME "SANDBOXEC_FS=$GOOD_FS,rw:~/x"
# A followed variable (${VAR:-default}) whose value would move the rule
# out of the tool's own directory.
env_bad "followed variable relative" SBXT_TOOL=rel "SANDBOXEC_FS=$GOOD_FS,rw:\${SBXT_TOOL:-$W}"
env_bad "followed variable with .." "SBXT_TOOL=$W/.." "SANDBOXEC_FS=$GOOD_FS,rw:\${SBXT_TOOL:-$W}"
env_bad "followed variable is /" SBXT_TOOL=/ "SANDBOXEC_FS=$GOOD_FS,rw:\${SBXT_TOOL:-$W}"
env_bad "followed variable is HOME" "SBXT_TOOL=$HOME" "SANDBOXEC_FS=$GOOD_FS,rw:\${SBXT_TOOL:-$W}"
env_bad "unterminated default" "SANDBOXEC_FS=$GOOD_FS,rw:\${SBXT_UNSET:-$W"
env_bad "\${ nested in a default" "SANDBOXEC_FS=$GOOD_FS,rw:\${SBXT_UNSET:-\${SBXT_W}}" "SBXT_W=$W"
env_bad "missing path" "SANDBOXEC_FS=$GOOD_FS,r:$W/nope"
env_bad "empty path" "SANDBOXEC_FS=$GOOD_FS,rx:"
env_bad "net port above 65535" SANDBOXEC_NET=c:65536
env_bad "SANDBOXEC_ADD_FS unknown rights" SANDBOXEC_ADD_FS=rq:/usr
env_bad "SANDBOXEC_ADD_FS missing path" "SANDBOXEC_ADD_FS=r:$W/nope"
env_bad "SANDBOXEC_ADD_FS bad escape" "SANDBOXEC_ADD_FS=rw:/tmp\\q"
env_bad "SANDBOXEC_ADD_NET port above 65535" SANDBOXEC_ADD_NET=c:65536
env_bad "net port negative" SANDBOXEC_NET=c:-1
env_bad "net unknown rights" SANDBOXEC_NET=q:80
env_bad "SANDBOXEC_ABI empty" SANDBOXEC_ABI=
env_bad "SANDBOXEC_ABI 12" SANDBOXEC_ABI=12
env_bad "net unknown UDP rights" SANDBOXEC_NET=uu:53
env_bad "SANDBOXEC_ABI with junk" SANDBOXEC_ABI=7x
env_bad "SANDBOXEC_ABI overflowing" SANDBOXEC_ABI=99999999999999999999
env_bad "bool maybe" SANDBOXEC_BEST_EFFORT=maybe
env_bad "bool empty" SANDBOXEC_IGNORE_IF_MISSING=
env_bad "SANDBOXEC_VERBOSE not a bool" SANDBOXEC_VERBOSE=2
env_bad "SANDBOXEC_TRUST_PROJECT not a bool" SANDBOXEC_TRUST_PROJECT=sure
env_bad "SANDBOXEC_LOG_DENIALS not a bool" SANDBOXEC_LOG_DENIALS=maybe
# SANDBOXEC_HINTS is the CLI's alone (the shim never prints the hint).
run_door cli "SANDBOXEC_FS=$GOOD_FS" SANDBOXEC_HINTS=maybe
verdict "env: SANDBOXEC_HINTS not a bool [cli]"
if need_abi 1 "Landlock" "env: ABI too low for a setting, without best-effort"; then
	env_bad "net rules on ABI 3" SANDBOXEC_ABI=3 SANDBOXEC_NET=c:80
	env_bad "restrict-scoped on ABI 5" SANDBOXEC_ABI=5 SANDBOXEC_RESTRICT_SCOPED=1
	env_bad "UDP rule on SANDBOXEC_ABI 9" SANDBOXEC_ABI=9 SANDBOXEC_NET=uc:53
fi
env_bad "SANDBOXEC_ALLOW_UDP not a bool" SANDBOXEC_ALLOW_UDP=udp
env_bad "SANDBOXEC_ALLOW_UDP empty" SANDBOXEC_ALLOW_UDP=
env_bad "SANDBOXEC_RESTRICT_UNIX not a bool" SANDBOXEC_RESTRICT_UNIX=2
env_bad "misspelled SANDBOXEC_ALLOW_UDP" SANDBOXEC_ALLOW_UPD=1
env_bad "unknown SANDBOXEC_ name" SANDBOXEC_FOO=1
env_bad "misspelled SANDBOXEC_ name" SANDBOXEC_BEST_EFFRT=1
env_bad "lower-case SANDBOXEC_ name" SANDBOXEC_fs=rx:/usr
env_bad "SANDBOXEC_CONFIG empty" SANDBOXEC_CONFIG=
env_bad "SANDBOXEC_CONFIG missing" "SANDBOXEC_CONFIG=$W/absent.yaml"
env_bad "SANDBOXEC_CONFIG a directory" "SANDBOXEC_CONFIG=$W/cfgdir"
env_bad "SANDBOXEC_CONFIG with SANDBOXEC_NAMED_CONFIG" "SANDBOXEC_CONFIG=$W/good.yaml" SANDBOXEC_NAMED_CONFIG=some/profile
env_bad "SANDBOXEC_NAMED_CONFIG unknown" SANDBOXEC_NAMED_CONFIG=sbx/no-such-profile
env_bad "SANDBOXEC_NAMED_CONFIG with .." SANDBOXEC_NAMED_CONFIG=../escape
env_bad "SANDBOXEC_NAMED_CONFIG absolute" "SANDBOXEC_NAMED_CONFIG=$W/good.yaml"
# A profile directory relative to whatever directory each process starts
# in would let the current directory choose the policy: only absolute
# directories are accepted, and an empty entry (which a PATH-style list
# reads as the current directory) is refused too (docs/environment.md).
mkdir -p "$SBX_TMP/work/rel/sbxt" "$W/profiles/sbxt"
printf '%s\n' "$GOOD_YAML" >"$SBX_TMP/work/rel/sbxt/good.yaml"
printf '%s\n' "$GOOD_YAML" >"$W/profiles/sbxt/good.yaml"
for door in cli shim; do
	good "SANDBOXEC_PROFILE_PATH absolute" $door "SANDBOXEC_PROFILE_PATH=/nonexistent:$W/profiles" \
		SANDBOXEC_NAMED_CONFIG=sbxt/good
done
env_bad "SANDBOXEC_PROFILE_PATH relative" SANDBOXEC_PROFILE_PATH=rel
env_bad "SANDBOXEC_PROFILE_PATH with a relative entry" "SANDBOXEC_PROFILE_PATH=$W/profiles:rel"
env_bad "SANDBOXEC_PROFILE_PATH ./ entry" "SANDBOXEC_PROFILE_PATH=./rel:$W/profiles"
env_bad "SANDBOXEC_PROFILE_PATH relative, naming a profile there" SANDBOXEC_PROFILE_PATH=rel \
	SANDBOXEC_NAMED_CONFIG=sbxt/good
env_bad "SANDBOXEC_PROFILE_PATH with an empty entry" "SANDBOXEC_PROFILE_PATH=$W/profiles::/nonexistent"
env_bad "SANDBOXEC_PROFILE_PATH with a trailing colon" "SANDBOXEC_PROFILE_PATH=$W/profiles:"
env_bad "SANDBOXEC_PROFILE_PATH empty" SANDBOXEC_PROFILE_PATH=

# The shim with no policy source at all must refuse, not run unconfined.
# (SANDBOXEC_BEST_EFFORT alone would be a source: without it here)
DOOR_ENV=()
run_door shim
verdict "env: no policy source at all [shim]"
has_abi 1 || DOOR_ENV=(SANDBOXEC_BEST_EFFORT=1)

# --- config files (SANDBOXEC_CONFIG, --config, trusted project file) --------------
cfg_bad "unknown key" "$GOOD_YAML
best_effort: true"
cfg_bad "abi of the wrong type" "$GOOD_YAML
abi: seven"
cfg_bad "abi out of range" "$GOOD_YAML
abi: 12"
cfg_bad "fs is a scalar" "fs: rx:/usr"
cfg_bad "net is a mapping" "$GOOD_YAML
net:
  port: 80"
cfg_bad "bool maybe" "$GOOD_YAML
restrict-scoped: maybe"
cfg_bad "allow-udp not a bool" "$GOOD_YAML
allow-udp: sometimes"
cfg_bad "restrict-unix a list" "$GOOD_YAML
restrict-unix: [true]"
cfg_bad "log-denials maybe" "$GOOD_YAML
log-denials: maybe"
cfg_bad "bad rule" "$GOOD_YAML
  - rq:/usr"
cfg_bad "unset variable in a rule" "$GOOD_YAML
  - rw:\$SBXT_UNSET/x"
cfg_bad "\${ nested in a default" "$GOOD_YAML
  - rw:\${SBXT_UNSET:-\${HOME}/x}"
cfg_bad "a shell operator other than :-" "$GOOD_YAML
  - rw:\${HOME:?}"
cfg_bad "malformed YAML" "fs: [rx:/usr"
cfg_bad "tab indentation" "fs:
	- rx:/usr"
cfg_bad "a mode a file may not select" "$GOOD_YAML
mode: explain"
cfg_bad "two documents" "$GOOD_YAML
---
fs: [rw:/]"
cfg_bad "a list at the top" "- rx:/usr"

# --- project files: trust -----------------------------------------------------------
printf '%s\n' "$GOOD_YAML" >"$P/.sandboxec.yaml"
cd "$P" || exit 1
for door in cli shim; do
	run_door $door
	verdict "project file: untrusted [$door]"
done
"$SBX" --mode trust "$P/.sandboxec.yaml" >/dev/null 2>&1
for door in cli shim; do
	good "trusted project file" $door
done
echo "# widened after trust" >>"$P/.sandboxec.yaml"
for door in cli shim; do
	run_door $door
	verdict "project file: edited after trust [$door]"
done
cd "$SBX_TMP/work" || exit 1

echo "# summary $(basename "$0"): $FC_TRIED bad inputs tried, $FC_RAN ran the command"
