#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --report for shim users (docs/diagnostics.md, "Shim users"): with the
# shim in LD_PRELOAD and SANDBOXEC_* in the environment, `sandboxec
# --report -- make` explains what the shim's policy denied a real make and
# its real shell, in SANDBOXEC_* or YAML form; it names a command the shim
# cannot confine when run directly (a static binary), and says when options
# were given on top of the shim's layer.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"
export PATH=/usr/local/bin:/usr/bin:/bin
if ! command -v make >/dev/null || ! command -v gcc >/dev/null; then
	skip "report-shim" "needs make and gcc"
	exit 0
fi

D=$SBX_TMP/shimrep
mkdir -p "$D/proj" "$D/outside" "$D/bin"
echo secret-data >"$D/outside/secret.txt"
# The recipe runs in /bin/sh, and cat in a child of it: the whole tree
# inherits the layer the shim applied to make.
printf 'out.txt:\n\tcat %s/outside/secret.txt >out.txt\n' "$D" >"$D/proj/Makefile"
printf '#include <stdio.h>\nint main(int c, char **v) { FILE *f = fopen(v[1], "r");\n'\
'if (!f) { perror(v[1]); return 1; } puts("read"); return 0; }\n' >"$D/readit.c"
if ! gcc -static -O1 -o "$D/bin/readit" "$D/readit.c" 2>/dev/null; then
	skip "report-shim" "gcc -static does not link here"
	exit 0
fi
cd "$D/proj" || exit 1
POLICY="rx:/usr,rw:$D/proj,rw:/dev/null,rx:$D/bin"

expect_status "make: reads the file unsandboxed" 0 make -s -B
# Every case below preloads the shim into sandboxec; an ASan-built one
# (make check SANITIZE=1) cannot take a preload: ASan must load first.
if readelf -d "$SBX" 2>/dev/null | grep -q 'NEEDED.*libasan'; then
	skip "t_report_shim.sh" "sandboxec is built with ASan, which cannot run under the shim's LD_PRELOAD; the release build runs these cases"
	exit 0
fi
SANDBOXEC_FS=$POLICY expect_status "make: under the shim alone the read is denied" 2 \
	shim make -s -B
expect_contains "make: ... by the sandbox" "$ERR" "Permission denied"

SANDBOXEC_FS=$POLICY expect_status "report: the status stays make's" 2 \
	shim "$SBX" --report -- make -s -B
expect_contains "report: names cat's read of the file" "$ERR" "read $D/outside/secret.txt"
expect_contains "report: the rule is a SANDBOXEC_FS value" "$ERR" \
	"SANDBOXEC_FS=\"\$SANDBOXEC_FS,r:$D/outside/secret.txt\""
expect_not_contains "report: make is dynamic: no note about the shim missing it" "$ERR" \
	"the shim does not confine"
expect_not_contains "report: no options: no note about another layer" "$ERR" \
	"another sandboxec layer"
SANDBOXEC_FS="$POLICY,r:$D/outside/secret.txt" expect_status \
	"report: with the suggested value the shim lets make read it" 0 shim make -s -B

# The same policy in a config file: the rule is YAML for that file. The
# shim confines sandboxec itself before main, and sandboxec reads the file
# again: a policy that does not grant reading it stops sandboxec, with the
# way out; without the shim sandboxec applies the same policy.
printf 'fs:\n  - rx:/usr\n  - rw:%s/proj\n  - rw:/dev/null\n' "$D" >"$D/policy.yaml"
SANDBOXEC_CONFIG=$D/policy.yaml expect_status "config: under the shim alone the read is denied" 2 \
	shim make -s -B
SANDBOXEC_CONFIG=$D/policy.yaml expect_status \
	"config: sandboxec under the shim cannot read the file: an error, nothing run" 1 \
	shim "$SBX" --report -- make -s -B
expect_sbx_error "config: ... one line"
expect_contains "config: ... which says how to run it" "$ERR" "env -u LD_PRELOAD"
SANDBOXEC_CONFIG=$D/policy.yaml expect_status "config: that way the report comes" 2 \
	env -u LD_PRELOAD "$SBX" --report -- make -s -B
expect_contains "config: the rule is a YAML entry" "$ERR" "    - \"r:$D/outside/secret.txt\""
expect_contains "config: ... for the file in use" "$ERR" "in $D/policy.yaml"
# A file the policy grants (in the project) needs no way out.
cp "$D/policy.yaml" "$D/proj/policy.yaml"
SANDBOXEC_CONFIG=$D/proj/policy.yaml expect_status "config: a granted file works under the shim" 2 \
	shim "$SBX" --report -- make -s -B
expect_contains "config: ... the YAML entry for it" "$ERR" "in $D/proj/policy.yaml"

# --- a static binary run directly: LD_PRELOAD cannot reach it --------------
expect_status "static: reads the file unsandboxed" 0 "$D/bin/readit" "$D/outside/secret.txt"
SANDBOXEC_FS=$POLICY expect_status \
	"static: run directly under the shim's settings it is NOT confined (known limit)" 0 \
	shim "$D/bin/readit" "$D/outside/secret.txt"
SANDBOXEC_FS=$POLICY expect_status "static: under --report sandboxec confines it" 1 \
	shim "$SBX" --report -- "$D/bin/readit" "$D/outside/secret.txt"
expect_contains "static: the report names the read" "$ERR" "read $D/outside/secret.txt"
expect_contains "static: and says the shim alone would not confine it" "$ERR" \
	"the shim does not confine $D/bin/readit when it is run directly"
expect_contains "static: ... because it is static" "$ERR" "a static binary"
SANDBOXEC_FS=$POLICY expect_status "static: started by a shell the shim confined, it is" 1 \
	shim sh -c "\"$D/bin/readit\" \"$D/outside/secret.txt\""

# --- options on top of the shim's layer ------------------------------------
# The options grant the file, the shim's layer (applied to sandboxec itself
# before main) does not: the report must not pass that off as the policy's.
SANDBOXEC_FS=$POLICY expect_status "options: the shim's layer still denies" 2 \
	shim "$SBX" --report --fs rx:/usr --fs "rw:$D/proj" --fs rw:/dev/null \
	--fs "r:$D/outside" -- make -s -B
expect_contains "options: the report says there is another layer" "$ERR" \
	"sandboxec itself runs under another sandboxec layer"
expect_status "options: without the shim the same options work" 0 \
	"$SBX" --report --fs rx:/usr --fs "rw:$D/proj" --fs rw:/dev/null \
	--fs "r:$D/outside" -- make -s -B
expect_not_contains "options: ... and no note" "$ERR" "another sandboxec layer"
