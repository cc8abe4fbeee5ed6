#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --unsafe-host-runtime and $PATH entries that link out of every $PATH
# directory (docs/host-runtime.md "Programs linked from $PATH"): the
# program is granted with its directory of programs, and a package's tree
# under /usr or /opt, so clang (/usr/bin/clang -> /usr/lib/llvm-14/bin/clang)
# and java (/usr/bin/java -> /etc/alternatives/java -> a JDK) run; what
# lies beside that directory elsewhere stays denied.
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

W=$SBX_TMP/work
LINKS=$SBX_TMP/links # a $PATH directory of links only
ALT=$SBX_TMP/alternatives
PKG=$SBX_TMP/pkg
mkdir -p "$LINKS" "$ALT" "$PKG/bin"
echo "beside the program" >"$PKG/bin/data"
echo "secret next to bin" >"$PKG/secret"
# A man-made chain: $PATH link -> alternatives-style link -> the program,
# a script that reads a file beside its real path.
printf '#!/bin/sh\nhere=$(dirname "$(readlink -f "$0")")\ncat "$here/data"\n' >"$PKG/bin/tool"
chmod 755 "$PKG/bin/tool"
ln -s "$PKG/bin/tool" "$ALT/tool"
ln -s "$ALT/tool" "$LINKS/tool"
export PATH=$LINKS:/usr/bin:/bin
unset LD_LIBRARY_PATH

expect_status "chain: the linked program runs unsandboxed" 0 tool
expect_eq "chain: unsandboxed it reads the file beside it" "$OUT" "beside the program"
expect_status "chain: runs through two links with --unsafe-host-runtime" 0 \
	"$SBX" --unsafe-host-runtime --fs "rw:$W" -- tool
expect_eq "chain: reads the file in its directory of programs" "$OUT" "beside the program"
expect_status "chain: the secret beside bin/ is readable unsandboxed" 0 cat "$PKG/secret"
expect_status "chain: the secret beside bin/ stays denied (not a /usr or /opt package)" 1 \
	"$SBX" --unsafe-host-runtime --fs "rw:$W" -- cat "$PKG/secret"
expect_status "chain: explain" 0 "$SBX" --unsafe-host-runtime --fs "rw:$W" --mode explain
expect_contains "chain: explain grants the directory of programs" "$OUT" \
	"\"rx:$PKG/bin\"  # host runtime: directory of a program a \$PATH entry links to"
expect_not_contains "chain: explain grants nothing of the link directory" "$OUT" "\"rx:$ALT"

# The program's directory inside a tree the policy makes writable: the
# sandbox could have planted it, so nothing is granted and the run says so.
mkdir -p "$W/pkg/bin"
cp "$PKG/bin/tool" "$PKG/bin/data" "$W/pkg/bin/"
ln -sfn "$W/pkg/bin/tool" "$LINKS/wtool"
expect_status "writable: the planted program runs unsandboxed" 0 wtool
expect_status "writable: not granted through a writable tree" 126 \
	"$SBX" --unsafe-host-runtime --fs "rw:$W" -- wtool
expect_contains "writable: the run warns which path was not granted" "$ERR" \
	"sandboxec: warning: host runtime: not granted: $LINKS/wtool"

# Real programs: clang and java reach their trees through $PATH links.
export PATH=/usr/bin:/bin
if command -v clang >/dev/null && [ "$(realpath "$(command -v clang)")" != /usr/bin/clang ]; then
	expect_status "clang: --version unsandboxed" 0 clang --version
	expect_status "clang: --version with --unsafe-host-runtime" 0 \
		"$SBX" --unsafe-host-runtime --fs "rw:$W" -- clang --version
	expect_contains "clang: it ran" "$OUT" "clang version"
	printf 'int main(void) { return 0; }\n' >"$W/t.c"
	expect_status "clang: compiles with the headers granted" 0 \
		"$SBX" --unsafe-host-runtime --fs "rw:$W" --fs r:/usr/include -- \
		clang -fsyntax-only "$W/t.c"
else
	skip "clang" "no clang linked from /usr/bin"
fi
if command -v java >/dev/null && [ -L "$(command -v java)" ]; then
	expect_status "java: -version unsandboxed" 0 java -version
	expect_status "java: -version with --unsafe-host-runtime" 0 \
		"$SBX" --unsafe-host-runtime --fs "rw:$W" -- java -version
	expect_contains "java: it ran" "$ERR" "version"
else
	skip "java" "no java linked from /usr/bin"
fi
