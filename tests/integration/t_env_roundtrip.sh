#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `sandboxec --mode env` round-trips (docs/design.md §5): paths with every
# awkward byte (quotes, $, backticks, $(...), spaces, newline, comma,
# backslash, colon, #, unicode) are created, written out in each --format,
# read back by the real consumer — bash `.`, fish `source`, GNU make
# `include`, python3's json — and then:
#   - every consumer ends with byte-identical SANDBOXEC_* values;
#   - those values make the engine explain the same policy as the flags;
#   - a command under the shim with them is allowed and denied exactly as
#     the policy says;
#   - nothing in a path ever runs: `$(touch …)` and backticks stay text.
# dotenv cannot carry some bytes safely and must refuse them clearly.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

AW=$SBX_TMP/awkward
PWN=$SBX_TMP/pwned
mkdir -p "$AW"
# Names for directories under $AW; the last two are paths with slashes.
names=(
	"sq'uote" 'dq"uote' 'dollar$HOME' 'double$$dollar' 'brace${HOME}x'
	"back\`touch $PWN-tick\`tick" 'sp ace  two' $'new\nline' 'com,ma' 'back\slash'
	'trail\' 'col:on' 'hash#mark' 'semi;colon&amp|pipe' 'glob*?[x]' '~tilde' '-dash'
	'percent%(x)' 'uni-ü€😀' "sub\$(touch $PWN-subst)"
)
flags=(--fs rx:/usr --fs "rx:$SBX_HELPERS")
dirs=()
for i in "${!names[@]}"; do
	d=$AW/${names[$i]}
	mkdir -p "$d"
	dirs+=("$d")
	# A flag's path expands variables: "$$" is a literal "$".
	if ((i % 2)); then flags+=(--fs "rw:${d//\$/\$\$}"); else flags+=(--fs "r:${d//\$/\$\$}"); fi
done
# A file rule, a missing path (skipped and carried as such), and the
# settings of later ABIs where the kernel has them: net rules, scoping,
# denial logging (each refused without --best-effort where it lacks them,
# which would stop the shim).
touch "$AW/file 'x'"
flags+=(--fs "r:$AW/file 'x'" --ignore-if-missing --fs "rw:$AW/missing \$\$x")
need_abi 4 "TCP rules" "round trip of --net c:443 --net b:8080" && flags+=(--net c:443 --net b:8080)
need_abi 6 "scoping" "round trip of --restrict-scoped" && flags+=(--restrict-scoped)
need_abi 7 "denial logging" "round trip of --log-denials" && flags+=(--log-denials)
# The rw dir with a newline and the r dir with a quote hold the probes'
# targets, passed as plain variables (not through the settings).
export T_RW="${dirs[7]}/f" T_RO="${dirs[0]}/f" T_PROBE=$PROBE
expect_contains "fixture: the rw target has a newline" "$T_RW" $'\n'

# --- generate, in every format
for fmt in sh fish make json; do
	run_capture "$SBX" --mode env --format "$fmt" "${flags[@]}"
	expect_eq "env --format $fmt succeeds" "$STATUS" 0
	printf '%s\n' "$OUT" >"$SBX_TMP/settings.$fmt"
done
expect_absent "generating did not run \$(touch)" "$PWN-subst"
expect_absent "generating did not run backticks" "$PWN-tick"

# --- consume each with its real reader; print the environment the
# sandboxed command sees (NUL-separated, so newlines survive).
consume_sh() { bash --norc --noprofile -c '. "$1"; exec /usr/bin/env -0' bash "$SBX_TMP/settings.sh"; }
consume_fish() { fish --no-config -c 'source $argv[1]; exec /usr/bin/env -0' "$SBX_TMP/settings.fish"; }
consume_make() {
	printf 'include %s\nall:\n\t@/usr/bin/env -0\n' "$SBX_TMP/settings.make" >"$SBX_TMP/Makefile.dump"
	make -s --no-print-directory -f "$SBX_TMP/Makefile.dump"
}
consume_json() {
	python3 -c '
import json, os, subprocess, sys
env = dict(os.environ)
env.update(json.load(open(sys.argv[1])))
sys.stdout.buffer.write(subprocess.run(["/usr/bin/env", "-0"], env=env, stdout=subprocess.PIPE, check=True).stdout)
' "$SBX_TMP/settings.json"
}
# settings_of FILE — the SANDBOXEC_* and LD_PRELOAD entries of a dump, one
# per NUL, sorted: what the shim was given (minus what it changed).
settings_of() { tr '\0\n' '\n\1' <"$1" | grep -a -E '^(SANDBOXEC_|LD_PRELOAD=)' | LC_ALL=C sort; }

for fmt in sh fish make json; do
	"consume_$fmt" >"$SBX_TMP/dump.$fmt" 2>"$SBX_TMP/.stderr"
	expect_eq "$fmt: the reader and the sandboxed env ran" "$?:$(head -c 300 "$SBX_TMP/.stderr")" "0:"
	got=$(settings_of "$SBX_TMP/dump.$fmt")
	expect_contains "$fmt: the shim applied (SANDBOXEC_ACTIVE set)" "$got" "SANDBOXEC_ACTIVE="
	expect_not_contains "$fmt: the shim left LD_PRELOAD" "$got" "LD_PRELOAD="
done
for fmt in fish make json; do
	expect_eq "$fmt settings are byte-identical to sh's" \
		"$(settings_of "$SBX_TMP/dump.$fmt")" "$(settings_of "$SBX_TMP/dump.sh")"
done
expect_absent "no reader ran \$(touch) from a path" "$PWN-subst"
expect_absent "no reader ran backticks from a path" "$PWN-tick"

# --- the round-tripped settings name the same policy as the flags: explain
# both (the CLI reads SANDBOXEC_* just as the shim does) and compare, with
# only the "where it came from" comments made neutral.
normalize() { sed -E 's/(--[a-z-]+|SANDBOXEC_[A-Z_]+( entry [0-9]+)?|default)/ORIGIN/g'; }
want=$("$SBX" --mode explain "${flags[@]}" | normalize)
mapfile -d '' assignments < <(grep -z -E '^SANDBOXEC_' "$SBX_TMP/dump.sh" | grep -z -v '^SANDBOXEC_ACTIVE=')
got=$(env -i PATH=/usr/bin:/bin HOME="$HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
	XDG_DATA_HOME="$XDG_DATA_HOME" "${assignments[@]}" "$SBX" --mode explain | normalize)
expect_eq "round-tripped settings explain the same policy as the flags" "$got" "$want"
expect_contains "the explained policy has the newline path" "$want" 'new\nline'

# --- the same access through the shim, for every reader: writing in the
# rw dir (named with a newline) works, in the r dir (named with a quote) is
# denied — each first shown to work unsandboxed.
expect_eq "bare: probe writes the rw target" "$("$PROBE" write "$T_RW")" ok
expect_eq "bare: probe writes the r target" "$("$PROBE" write "$T_RO")" ok
rm -f "$T_RW" "$T_RO"
access_sh() { bash --norc --noprofile -c '. "$1"; "$T_PROBE" write "$T_RW"; "$T_PROBE" write "$T_RO"' bash "$SBX_TMP/settings.sh"; }
access_fish() { fish --no-config -c 'source $argv[1]; $T_PROBE write $T_RW; $T_PROBE write $T_RO' "$SBX_TMP/settings.fish"; }
access_make() {
	printf 'include %s\nall:\n\t@"$$T_PROBE" write "$$T_RW"; "$$T_PROBE" write "$$T_RO"; true\n' \
		"$SBX_TMP/settings.make" >"$SBX_TMP/Makefile.access"
	make -s --no-print-directory -f "$SBX_TMP/Makefile.access"
}
access_json() {
	python3 -c '
import json, os, subprocess, sys
env = dict(os.environ)
env.update(json.load(open(sys.argv[1])))
for target in (env["T_RW"], env["T_RO"]):
    subprocess.run([env["T_PROBE"], "write", target], env=env)
' "$SBX_TMP/settings.json"
}
for fmt in sh fish make json; do
	got=$("access_$fmt" 2>&1 | tr '\n' ' ')
	expect_eq "$fmt: rw dir writable, r dir denied under the shim" "$got" "ok denied EACCES "
	expect_absent "$fmt: nothing written in the r dir" "$T_RO"
	rm -f "$T_RW" "$T_RO"
done

# Sourcing the settings succeeds, so `source settings; and cmd` runs cmd
# (fish's `set` keeps the status of a failed `set -q` before it).
got=$(env -u LD_PRELOAD -u LD_AUDIT fish --no-config -c 'source $argv[1]; and echo sourced' "$SBX_TMP/settings.fish" 2>&1)
expect_eq "fish: sourcing the settings ends with status 0" "$got" sourced
got=$(env -u LD_PRELOAD -u LD_AUDIT bash --norc --noprofile -c '. "$1" && echo sourced' bash "$SBX_TMP/settings.sh" 2>&1)
expect_eq "sh: sourcing the settings ends with status 0" "$got" sourced

# --- dotenv: refuses what readers disagree on, with one clear line ...
for bad in "r:${dirs[0]}" "r:${dirs[2]}" "r:${dirs[7]}" "r:${dirs[8]}" "r:${dirs[9]}"; do
	run_capture "$SBX" --mode env --format dotenv --fs rx:/usr --fs "$bad"
	name=${bad##*/}
	expect_sbx_error "dotenv refuses ${name//$'\n'/\\n}"
	expect_eq "dotenv refusing ${name//$'\n'/\\n} prints nothing on stdout" "$OUT" ""
done
# ... and writes the rest, which bash (set -a) and python-dotenv read alike.
tame=(--fs rx:/usr --fs "rx:$SBX_HELPERS" --fs "rw:${dirs[1]}" --fs "r:${dirs[5]}" --fs "r:${dirs[6]}"
	--fs "r:${dirs[11]}" --fs "r:${dirs[12]}" --fs "r:${dirs[18]}")
run_capture "$SBX" --mode env --format dotenv "${tame[@]}"
expect_eq "dotenv writes double quotes, backticks, spaces, colon, # and unicode" "$STATUS" 0
printf '%s\n' "$OUT" >"$SBX_TMP/settings.env"
run_capture "$SBX" --mode env --format sh "${tame[@]}"
printf '%s\n' "$OUT" >"$SBX_TMP/settings.tame.sh"
from_dotenv=$(bash --norc -c 'set -a; . "$1"; exec /usr/bin/env -0' bash "$SBX_TMP/settings.env" >"$SBX_TMP/dump.env"; settings_of "$SBX_TMP/dump.env")
from_sh=$(bash --norc -c '. "$1"; exec /usr/bin/env -0' bash "$SBX_TMP/settings.tame.sh" >"$SBX_TMP/dump.tame"; settings_of "$SBX_TMP/dump.tame")
expect_eq "dotenv through bash gives the same settings as sh" "$from_dotenv" "$from_sh"
if python3 -c 'import dotenv' 2>/dev/null; then
	got=$(python3 -c '
import dotenv, json, sys
env = dict(dotenv.dotenv_values(sys.argv[1]))
env.pop("LD_PRELOAD")
env.pop("LD_AUDIT")
print(json.dumps(env, sort_keys=True))' "$SBX_TMP/settings.env")
	want=$(python3 -c '
import json, sys
line = open(sys.argv[1], "rb").read().split(b"\0")
env = dict(l.decode().split("=", 1) for l in line if l.startswith(b"SANDBOXEC_") and not l.startswith(b"SANDBOXEC_ACTIVE"))
print(json.dumps(env, sort_keys=True))' "$SBX_TMP/dump.tame")
	expect_eq "dotenv through python-dotenv gives the same SANDBOXEC_* values" "$got" "$want"
else
	skip "dotenv through python-dotenv" "python3 has no dotenv module here"
fi
expect_absent "nothing ran from a path, in any format" "$PWN-subst"

# --- additions: --add-fs and a SANDBOXEC_ADD_FS already in the environment
# end up in the written SANDBOXEC_FS, and the written empty SANDBOXEC_ADD_FS
# clears the stale one, so sourcing the settings adds nothing twice.
ADD=$SBX_TMP/added
mkdir -p "$ADD/flag" "$ADD/env"
printf 'fs:\n  - rx:/usr\n  - rx:%s\n' "$SBX_HELPERS" >"$SBX_TMP/add.yaml"
SANDBOXEC_ADD_FS="rw:$ADD/env" run_capture "$SBX" --mode env -c "$SBX_TMP/add.yaml" --add-fs "rw:$ADD/flag"
expect_eq "env with additions succeeds" "$STATUS" 0
printf '%s\n' "$OUT" >"$SBX_TMP/settings.add.sh"
expect_contains "env: the profile's and the added rules in SANDBOXEC_FS" "$OUT" \
	"SANDBOXEC_FS='rx:/usr,rx:$SBX_HELPERS,rw:$ADD/env,rw:$ADD/flag'"
expect_contains "env: SANDBOXEC_ADD_FS written empty" "$OUT" "export SANDBOXEC_ADD_FS=''"
expect_eq "bare: probe creates in both added dirs" "$("$PROBE" create "$ADD/flag/x"; "$PROBE" create "$ADD/env/x")" "ok
ok"
rm -f "$ADD/flag/x" "$ADD/env/x"
got=$(SANDBOXEC_ADD_FS="rw:$SBX_TMP" bash --norc --noprofile -c \
	'. "$1"; "$2" create "$3/flag/x"; "$2" create "$3/env/x"; "$2" create "$3/other"' \
	bash "$SBX_TMP/settings.add.sh" "$PROBE" "$ADD" 2>&1 | tr '\n' ' ')
expect_eq "sourced: both additions apply, a stale SANDBOXEC_ADD_FS does not" "$got" "ok ok denied EACCES "
got=$(env -i PATH=/usr/bin:/bin HOME="$HOME" bash --norc --noprofile -c \
	'. "$1"; unset LD_PRELOAD LD_AUDIT; exec "$2" --mode explain' bash "$SBX_TMP/settings.add.sh" \
	"$SBX" | grep -c "rw:$ADD")
expect_eq "round-tripped additions explain once each" "$got" 2
