#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Bad input through every source: each gets status 1, one "sandboxec: "
# line on stderr, and the command never runs. The command is always the
# same marker (create $M) under a policy that would allow it, and a positive
# control shows the marker does get created when the input is good — so
# "the marker is absent" really means "the command did not run".
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup

W=$SBX_TMP/bad
M=$W/marker
mkdir -p "$W/cfgdir"
OK=(--fs rx:/usr --fs "rw:$W")
# Without Landlock good input runs only under best-effort, and bad input
# must be refused all the same: best-effort never turns an error into a run.
has_abi 1 || export SANDBOXEC_BEST_EFFORT=1
MARK=(/usr/bin/touch "$M")

# bad NAME SBX-ARGS... — runs `$SBX SBX-ARGS -- touch $M` and checks the
# three promises. NEEDLE (optional, via BAD_NEEDLE) must appear in the message.
bad() {
	local name=$1
	shift
	rm -f "$M"
	run_capture "$SBX" "$@" -- "${MARK[@]}"
	expect_sbx_error "$name: status 1, one sandboxec: line"
	expect_absent "$name: command did not run" "$M"
	if [ -n "${BAD_NEEDLE:-}" ]; then
		expect_contains "$name: message says what is wrong" "$ERR" "$BAD_NEEDLE"
	fi
}

# Positive controls.
rm -f "$M"
expect_status "control: good input runs the marker command" 0 "$SBX" "${OK[@]}" -- "${MARK[@]}"
expect_exists "control: marker created" "$M"
printf 'fs:\n  - rx:/usr\n  - rw:%s\n' "$W" >"$W/good.yaml"
rm -f "$M"
expect_status "control: good config runs the marker command" 0 "$SBX" -c "$W/good.yaml" -- "${MARK[@]}"
expect_exists "control: marker created via config" "$M"

# --- rules --------------------------------------------------------------------------
BAD_NEEDLE=rq bad "unknown fs rights" "${OK[@]}" --fs "rq:$W"
BAD_NEEDLE=rwxx bad "unknown fs rights (rwxx)" "${OK[@]}" --fs "rwxx:$W"
bad "fs rule without a colon" "${OK[@]}" --fs "$W"
BAD_NEEDLE=x bad "unknown net rights" "${OK[@]}" --net "x:8080"
BAD_NEEDLE=http bad "port not a number" "${OK[@]}" --net "c:http"
BAD_NEEDLE=65536 bad "port > 65535" "${OK[@]}" --net "c:65536"
bad "negative port" "${OK[@]}" --net "c:-1"
bad "empty port" "${OK[@]}" --net "c:"
bad "port with trailing junk" "${OK[@]}" --net "c:80x"
bad "empty path" "${OK[@]}" --fs "rx:"
bad "blank path" "${OK[@]}" --fs "rx:   "
unset SBXT_UNSET
BAD_NEEDLE=SBXT_UNSET bad 'unset $VAR in a path' "${OK[@]}" --fs 'rw:$SBXT_UNSET/x'
BAD_NEEDLE=SBXT_UNSET bad 'unset ${VAR} in a path' "${OK[@]}" --fs 'rw:${SBXT_UNSET}'
BAD_NEEDLE=$W/nope bad "missing path without --ignore-if-missing" "${OK[@]}" --fs "r:$W/nope"

# ...and with it the rule is skipped and the command runs.
rm -f "$M"
expect_status "missing path with --ignore-if-missing: runs" 0 "$SBX" --ignore-if-missing "${OK[@]}" --fs "r:$W/nope" -- "${MARK[@]}"
expect_exists "missing path with --ignore-if-missing: marker created" "$M"

# --- YAML ------------------------------------------------------------------------------
yaml() { printf '%s\n' "$2" >"$W/$1"; }
yaml unknown-key.yaml "fs:
  - rx:/usr
  - rw:$W
best_effort: true"
bad "unknown YAML key" -c "$W/unknown-key.yaml"
expect_contains "unknown YAML key: names file:line" "$ERR" "unknown-key.yaml:4"
expect_contains "unknown YAML key: names the key" "$ERR" "best_effort"

yaml type-abi.yaml "abi: seven
fs: [rx:/usr, rw:$W]"
bad "YAML type error (abi: seven)" -c "$W/type-abi.yaml"
expect_contains "YAML type error: names file:line" "$ERR" "type-abi.yaml:1"
yaml type-fs.yaml "fs: rx:/usr"
bad "YAML type error (fs is a scalar)" -c "$W/type-fs.yaml"
expect_contains "YAML type error (fs scalar): names file:line" "$ERR" "type-fs.yaml:1"
yaml type-bool.yaml "best-effort: maybe
fs: [rx:/usr, rw:$W]"
bad "YAML type error (bool: maybe)" -c "$W/type-bool.yaml"
yaml type-map.yaml "fs:
  - rx:/usr
  - rw:$W
net:
  port: 80"
bad "YAML type error (net is a mapping)" -c "$W/type-map.yaml"
expect_contains "YAML type error (net mapping): names file:line" "$ERR" "type-map.yaml:5"
yaml bad-rule.yaml "fs:
  - rx:/usr
  - rq:$W"
bad "bad rule in YAML" -c "$W/bad-rule.yaml"
expect_contains "bad rule in YAML: names file:line:col" "$ERR" "bad-rule.yaml:3:"
yaml unset-var.yaml 'fs:
  - rx:/usr
  - rw:$SBXT_UNSET'
bad "unset variable in YAML" -c "$W/unset-var.yaml"
yaml malformed.yaml "fs: [rx:/usr, rw:$W"
bad "malformed YAML" -c "$W/malformed.yaml"
expect_contains "malformed YAML: names the file" "$ERR" "malformed.yaml"
yaml tab.yaml "fs:
	- rx:/usr"
bad "malformed YAML (tab indentation)" -c "$W/tab.yaml"
yaml mode-env.yaml "mode: explain
fs: [rx:/usr, rw:$W]"
bad "YAML mode a file may not select" -c "$W/mode-env.yaml"

# --- config files -------------------------------------------------------------------------
BAD_NEEDLE=$W/absent.yaml bad "config that does not exist" "${OK[@]}" -c "$W/absent.yaml"
BAD_NEEDLE=$W/cfgdir bad "config that is a directory" "${OK[@]}" -c "$W/cfgdir"
# "Cannot be read": root ignores mode bits, so use Landlock itself. An outer
# sandboxec grants everything the inner one needs except read on the file;
# the inner one must fail cleanly like any unreadable config.
mkdir -p "$SBX_TMP/secret"
cp "$W/good.yaml" "$SBX_TMP/secret/config.yaml"
rm -f "$M"
if need_abi 1 "Landlock" "config that cannot be read"; then
	run_capture "$SBX" --fs rx:/usr --fs "rx:$SBX_BUILD" --fs "rw:$W" -- \
		"$SBX" -c "$SBX_TMP/secret/config.yaml" -- "${MARK[@]}"
	expect_sbx_error "config that cannot be read: status 1, one sandboxec: line"
	expect_absent "config that cannot be read: command did not run" "$M"
	expect_contains "config that cannot be read: names the file" "$ERR" "$SBX_TMP/secret/config.yaml"
fi
BAD_NEEDLE=$W/absent.yaml
rm -f "$M"
run_capture env "SANDBOXEC_CONFIG=$W/absent.yaml" "$SBX" "${OK[@]}" -- "${MARK[@]}"
expect_sbx_error "SANDBOXEC_CONFIG that does not exist: status 1, one sandboxec: line"
expect_absent "SANDBOXEC_CONFIG that does not exist: command did not run" "$M"
unset BAD_NEEDLE

mkdir -p "$SBX_TMP/profiles/grp"
cp "$W/good.yaml" "$SBX_TMP/profiles/grp/good.yaml"
export SANDBOXEC_PROFILE_PATH=$SBX_TMP/profiles
rm -f "$M"
expect_status "control: named config via SANDBOXEC_PROFILE_PATH runs" 0 "$SBX" -C grp/good -- "${MARK[@]}"
expect_exists "control: named config marker created" "$M"
bad "--config together with -C" -c "$W/good.yaml" -C grp/good
bad "--config together with --named-config" --config "$W/good.yaml" --named-config grp/good
rm -f "$M"
run_capture env "SANDBOXEC_CONFIG=$W/good.yaml" SANDBOXEC_NAMED_CONFIG=grp/good "$SBX" -- "${MARK[@]}"
expect_sbx_error "SANDBOXEC_CONFIG with SANDBOXEC_NAMED_CONFIG: status 1, one sandboxec: line"
expect_absent "SANDBOXEC_CONFIG with SANDBOXEC_NAMED_CONFIG: command did not run" "$M"
BAD_NEEDLE=grp/sbx-no-such-profile bad "unknown named config" "${OK[@]}" -C grp/sbx-no-such-profile
# A name escaping the profile dirs must be refused even if the target exists.
cp "$W/good.yaml" "$SBX_TMP/escape.yaml"
bad "named config containing .." -C ../escape
bad "named config containing .. in the middle" -C grp/../../escape
bad "absolute named config" -C "$SBX_TMP/escape.yaml"
unset SANDBOXEC_PROFILE_PATH

# --- ABI ---------------------------------------------------------------------------------
BAD_NEEDLE=12 bad "--abi 12" "${OK[@]}" --abi 12
bad "--abi -1" "${OK[@]}" --abi -1
bad "--abi not a number" "${OK[@]}" --abi seven
bad "--abi empty" "${OK[@]}" --abi ""
# (errors only without best-effort, and on a kernel that has the pinned ABI)
if need_abi 3 "--abi 3" "net rules on --abi 3"; then
	BAD_NEEDLE=4 bad "net rules on --abi 3" "${OK[@]}" --abi 3 --net c:80
fi
if need_abi 5 "--abi 5" "--restrict-scoped on --abi 5"; then
	BAD_NEEDLE=6 bad "--restrict-scoped on --abi 5" "${OK[@]}" --abi 5 --restrict-scoped
fi
# A UDP rule needs ABI 10.
if need_abi 7 "--abi 7" "UDP rule on --abi 7"; then
	BAD_NEEDLE="ABI 10" bad "UDP rule on --abi 7" "${OK[@]}" --abi 7 --net uc:53
fi
yaml abi12.yaml "abi: 12
fs: [rx:/usr, rw:$W]"
bad "abi: 12 in YAML" -c "$W/abi12.yaml"

# --- untrusted project file -------------------------------------------------------------
P=$SBX_TMP/untrusted-project
mkdir -p "$P"
printf 'fs:\n  - rx:/usr\n  - rw:%s\n' "$W" >"$P/.sandboxec.yaml"
(
	cd "$P" || exit 1
	rm -f "$M"
	run_capture "$SBX" -- "${MARK[@]}"
	expect_sbx_error "untrusted project file: status 1, one sandboxec: line"
	expect_absent "untrusted project file: command did not run" "$M"
	expect_contains "untrusted project file: says how to trust" "$ERR" "--mode trust"
)

# --- SANDBOXEC_* environment -------------------------------------------------------------
# envbad NAME VAR=VALUE... — like bad, with variables instead of flags:
# the policy is a good SANDBOXEC_FS unless the case gives its own (no
# flags, which would replace the variable's list).
ENV_OK="rx:/usr,rw:$W"
envbad() {
	local name=$1
	shift
	rm -f "$M"
	run_capture env "SANDBOXEC_FS=$ENV_OK" "$@" "$SBX" -- "${MARK[@]}"
	expect_sbx_error "$name: status 1, one sandboxec: line"
	expect_absent "$name: command did not run" "$M"
	if [ -n "${BAD_NEEDLE:-}" ]; then
		expect_contains "$name: message says what is wrong" "$ERR" "$BAD_NEEDLE"
	fi
}
rm -f "$M"
run_capture env "SANDBOXEC_FS=$ENV_OK" "$SBX" -- "${MARK[@]}"
expect_eq "control: a good SANDBOXEC_FS runs the marker command" "$STATUS" 0
expect_exists "control: marker created via SANDBOXEC_FS" "$M"
BAD_NEEDLE=SANDBOXEC_BEST_EFFORT envbad "bad bool value" SANDBOXEC_BEST_EFFORT=maybe
envbad "bad bool value (empty)" SANDBOXEC_RESTRICT_SCOPED=
BAD_NEEDLE=SANDBOXEC_ABI envbad "SANDBOXEC_ABI empty" SANDBOXEC_ABI=
envbad "SANDBOXEC_ABI not a number" SANDBOXEC_ABI=x
envbad "SANDBOXEC_ABI out of range" SANDBOXEC_ABI=12
envbad "SANDBOXEC_FS bad escape" "SANDBOXEC_FS=$ENV_OK,rw:/tmp\\q"
envbad "SANDBOXEC_FS unknown rights" "SANDBOXEC_FS=$ENV_OK,rq:/usr"
envbad 'unset variable in SANDBOXEC_FS' "SANDBOXEC_FS=$ENV_OK,rw:\$SBXT_UNSET/x"
envbad "SANDBOXEC_FS missing path" "SANDBOXEC_FS=$ENV_OK,r:$W/nope"
envbad "SANDBOXEC_NET bad port" "SANDBOXEC_NET=c:99999"
envbad "SANDBOXEC_NET unknown rights" "SANDBOXEC_NET=q:80"

# A bad value is an error even where a stronger layer replaces it: the
# scalars already behave so (SANDBOXEC_BEST_EFFORT=maybe with --best-effort
# is refused), and docs/design.md §3.1 makes a bad rule in a file an error outright.
rm -f "$M"
run_capture env SANDBOXEC_BEST_EFFORT=maybe "$SBX" --best-effort "${OK[@]}" -- "${MARK[@]}"
expect_sbx_error "bad SANDBOXEC_BEST_EFFORT overridden by the flag: still refused"
rm -f "$M"
run_capture env SANDBOXEC_FS=rq:/usr "$SBX" "${OK[@]}" -- "${MARK[@]}"
expect_sbx_error "bad SANDBOXEC_FS rule overridden by --fs: still refused"
expect_absent "bad SANDBOXEC_FS rule overridden by --fs: command did not run" "$M"
rm -f "$M"
run_capture env SANDBOXEC_NET=c:99999 "$SBX" "${OK[@]}" --net c:80 -- "${MARK[@]}"
expect_sbx_error "bad SANDBOXEC_NET rule overridden by --net: still refused"
rm -f "$M"
run_capture "$SBX" -c "$W/bad-rule.yaml" "${OK[@]}" -- "${MARK[@]}"
expect_sbx_error "bad rule in a config file overridden by --fs: still refused"
expect_absent "bad rule in a config file overridden by --fs: command did not run" "$M"
BAD_NEEDLE=SANDBOXEC_FOO envbad "unknown SANDBOXEC_ name" SANDBOXEC_FOO=1
BAD_NEEDLE=SANDBOXEC_BEST_EFFRT envbad "misspelled SANDBOXEC_ name" SANDBOXEC_BEST_EFFRT=1
unset BAD_NEEDLE
# Good values in every spelling are accepted (the control for the above).
for v in 1 true YES On 0 false no OFF; do
	rm -f "$M"
	run_capture env "SANDBOXEC_BEST_EFFORT=$v" "$SBX" "${OK[@]}" -- "${MARK[@]}"
	if has_abi 1 || [[ $v =~ ^(1|true|YES|On)$ ]]; then
		expect_eq "control: SANDBOXEC_BEST_EFFORT=$v accepted" "$STATUS" 0
	else
		expect_contains "control: SANDBOXEC_BEST_EFFORT=$v accepted (refused for want of Landlock)" "$ERR" \
			"no Landlock"
	fi
done
