#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Nothing planted runs before the policy (docs/design.md §4.4). ld.so loads
# the audit copy of the shim — and the shim dlopen()s libyaml, libmd, libelf
# and libz — before the policy applies. A library planted under one of
# those names where a search would find it (the program's RUNPATH, its
# RPATH, LD_LIBRARY_PATH) would run its constructor unconfined. Each
# planted copy (tests/premain/planted_lib.c) tries to create
# "planted.<soname>" in the current directory, which no policy here grants.
# Unsandboxed every plant runs (so the test can fail); through every front
# door and settings format none may run before the policy: a plant the
# program itself loads afterwards runs confined and is denied.
. "$(dirname "$0")/../integration/lib.sh"
sbx_setup
require_abi 1 "Landlock"

SRC=$SBX_BUILD/tests/premain/plant
BIN=$SBX_TMP/plant/bin
W=$SBX_TMP/plant/cwd
# libz before libelf: loading libelf first would pull in the system libz.
SONAMES="libc.so.6 libz.so.1 libyaml-0.so.2 libmd.so.0 libelf.so.1"
PLACES="runpath rpath ld_library_path"
mkdir -p "$SBX_TMP/plant" "$W"
if ! cp -r "$SRC" "$BIN"; then
	fail "setup" "missing $SRC (run make check, or make plant)"
	exit 1
fi
POLICY=(--fs rx:/usr --fs "rx:$BIN")
CFG=$SBX_TMP/plant/policy.yaml
# unsafe-host-runtime makes the shim load libelf (and libz) too.
printf 'fs:\n  - rx:/usr\n  - "rx:%s"\nunsafe-host-runtime: true\n' "$BIN" >"$CFG"

planted() { # the markers plants created, e.g. "libc.so.6 libz.so.1"
	local f got=""
	for f in "$W"/planted.*; do [ -e "$f" ] && got="$got ${f##*/planted.}"; done
	echo "${got# }"
}
reset() { rm -f "$W"/planted.* "$W"/main.ran; }
prog() { # PLACE — the program whose loader search finds the plants
	case $1 in
	runpath) echo "$BIN/plant_runpath" ;;
	rpath) echo "$BIN/plant_rpath" ;;
	ld_library_path) echo "$BIN/plant_plain" ;;
	esac
}
llp() { [ "$1" = ld_library_path ] && echo "$BIN/lib" || echo ""; }
# place_env PLACE — an assignment for env(1): LD_LIBRARY_PATH for that place,
# a harmless one otherwise (env itself must not start with the plants).
place_env() { [ "$1" = ld_library_path ] && echo "LD_LIBRARY_PATH=$BIN/lib" || echo "SBX_PLANT_PLACE=$1"; }
# in_place PLACE CMD... — runs CMD in $W, with LD_LIBRARY_PATH for that place.
in_place() {
	local place=$1 l
	shift
	l=$(llp "$place")
	(cd "$W" && if [ -n "$l" ]; then LD_LIBRARY_PATH=$l exec "$@"; else exec "$@"; fi)
}

# --- baseline: in each place the loader picks up every plant
for place in $PLACES; do
	reset
	# shellcheck disable=SC2086 # one argument per soname
	run_capture in_place "$place" "$(prog "$place")" $SONAMES
	expect_eq "unsandboxed, plants in the $place: every plant runs" "$(planted)" \
		"libc.so.6 libelf.so.1 libmd.so.0 libyaml-0.so.2 libz.so.1"
done

# --- the settings --mode env prints, each format loaded the way its users
# load it, with LD_LIBRARY_PATH already set when the program starts.
settings() { "$SBX" --mode env --format "$1" "${POLICY[@]}" >"$SBX_TMP/plant/settings.$1"; }
run_under() { # FORMAT PLACE
	local fmt=$1 place=$2 p l s=$SBX_TMP/plant/settings.$1
	p=$(prog "$place")
	l=$(llp "$place")
	case $fmt in
	sh) in_place none sh -c '. "$1" && { [ -z "$3" ] || export LD_LIBRARY_PATH="$3"; } && exec "$2"' \
		sh "$s" "$p" "$l" ;;
	make) printf 'include %s\n%sall:\n\t@%s\n' "$s" "${l:+export LD_LIBRARY_PATH := $l
}" "$p" >"$SBX_TMP/plant/Makefile"
		in_place none make -s -f "$SBX_TMP/plant/Makefile" ;;
	fish) in_place none fish --no-config -c \
		'source $argv[1]; test -n "$argv[3]"; and set -gx LD_LIBRARY_PATH $argv[3]; exec $argv[2]' \
		"$s" "$p" "$l" ;;
	json) in_place none python3 -c 'import json, os, sys
env = dict(os.environ); env.update(json.load(open(sys.argv[1])))
if sys.argv[3]: env["LD_LIBRARY_PATH"] = sys.argv[3]
os.execve(sys.argv[2], [sys.argv[2]], env)' "$s" "$p" "$l" ;;
	dotenv) in_place none sh -c 'set -a; . "$1"; set +a; [ -z "$3" ] || export LD_LIBRARY_PATH="$3"; exec "$2"' \
		sh "$s" "$p" "$l" ;;
	esac
}
for fmt in sh make fish json dotenv; do
	if [ "$fmt" = fish ] && ! command -v fish >/dev/null; then
		skip "--format fish settings" "fish is not installed"
		continue
	fi
	settings "$fmt"
	for place in $PLACES; do
		reset
		run_capture run_under "$fmt" "$place"
		expect_eq "--format $fmt settings, plants in the $place: the program runs" "$STATUS" 0
		expect_eq "--format $fmt settings, plants in the $place: no plant runs before the policy" \
			"$(planted)" ""
		expect_contains "--format $fmt settings, plants in the $place: main is confined" \
			"$OUT" "main denied"
		expect_contains "--format $fmt settings, plants in the $place: the program's own libc plant ran confined" \
			"$ERR" "planted libc.so.6: denied"
	done
done

# --- the shim reading a YAML policy with the host runtime: libyaml, libelf
# and libz are loaded before the policy applies.
for place in $PLACES; do
	reset
	run_capture in_place none env "$(place_env "$place")" LD_AUDIT="$SBX_SHIM" \
		LD_PRELOAD="$SBX_SHIM" SANDBOXEC_CONFIG="$CFG" "$(prog "$place")"
	expect_eq "shim with a YAML policy, plants in the $place: the program runs" "$STATUS" 0
	expect_eq "shim with a YAML policy, plants in the $place: no plant runs before the policy" \
		"$(planted)" ""
	expect_contains "shim with a YAML policy, plants in the $place: main is confined" "$OUT" "main denied"
done

# --- the shim checking a trusted project file: libmd hashes it.
printf 'fs:\n  - rx:/usr\n  - "rx:%s"\n' "$BIN" >"$W/.sandboxec.yaml"
"$SBX" --mode trust "$W/.sandboxec.yaml" >/dev/null 2>&1 </dev/null
for place in $PLACES; do
	reset
	run_capture in_place none env "$(place_env "$place")" LD_AUDIT="$SBX_SHIM" \
		LD_PRELOAD="$SBX_SHIM" "$(prog "$place")"
	expect_eq "shim with a trusted project file, plants in the $place: the program runs" "$STATUS" 0
	expect_eq "shim with a trusted project file, plants in the $place: no plant runs before the policy" \
		"$(planted)" ""
	expect_contains "shim with a trusted project file, plants in the $place: main is confined" \
		"$OUT" "main denied"
done

# --- the CLI itself, started with the plants on LD_LIBRARY_PATH: its own
# libc, and the libraries it loads for the YAML policy, the host runtime
# and the project file's trust check.
reset
run_capture in_place ld_library_path "$SBX" --config "$CFG" -- "$BIN/plant_plain"
expect_eq "sandboxec --config, plants on LD_LIBRARY_PATH: the program runs" "$STATUS" 0
expect_eq "sandboxec --config, plants on LD_LIBRARY_PATH: no plant runs before the policy" "$(planted)" ""
expect_contains "sandboxec --config, plants on LD_LIBRARY_PATH: main is confined" "$OUT" "main denied"
reset
run_capture in_place ld_library_path "$SBX" -- "$BIN/plant_plain"
expect_eq "sandboxec with a trusted project file, plants on LD_LIBRARY_PATH: the program runs" "$STATUS" 0
expect_eq "sandboxec with a trusted project file, plants on LD_LIBRARY_PATH: no plant runs before the policy" \
	"$(planted)" ""
rm -f "$W/.sandboxec.yaml"

# --- what makes it hold: the static CLI loads no library at all; the
# shim and the CLI's dynamic twin search the system directory first
# (DT_RPATH, before LD_LIBRARY_PATH), and lazylib.c pins every dependency
# of the libraries it opens. A system update that gives one of them a new
# dependency must be added to lazy_deps.
rpath_carriers=("$SBX_SHIM" "$SBX")
if ! readelf -l "$SBX" | grep -q 'program interpreter'; then
	expect_eq "the static sandboxec names no library to load" \
		"$(readelf -d "$SBX" | grep -c '(NEEDED)')" 0
	rpath_carriers=("$SBX_SHIM" "$(dirname "$SBX")/sandboxec-dynamic")
fi
for f in "${rpath_carriers[@]}"; do
	expect_contains "${f##*/} carries the system library directory as DT_RPATH" \
		"$(readelf -d "$f")" "(RPATH)"
done
pinned=$(sed -n 's/^[[:space:]]*{"\([^"]*\)", {\(.*\)}},$/\1 \2/p' "$SBX_TOP/shim/engine/lazylib.c" | tr -d '",')
for soname in libyaml-0.so.2 libmd.so.0 libelf.so.1 libjansson.so.4; do
	real=$(realpath "$(cc -print-file-name="$soname")" 2>/dev/null) || continue
	[ -f "$real" ] || continue
	for dep in $(readelf -d "$real" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		case $dep in libc.so.6 | ld-linux*) continue ;; esac
		expect_contains "lazylib pins $soname's dependency $dep" \
			"$(grep "^$soname " <<<"$pinned")" " $dep"
	done
done
