#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What keeps an exec cheap (docs/shim.md, bench) without changing behaviour:
# the shim and the CLI load libc alone; libjansson is dlopen()ed only by the
# modes that speak JSON, and `--mode mcp` loads it before confining itself,
# so a policy that does not grant the library's directory still serves.
. "$(dirname "$0")/lib.sh"

# The sanitizer runtimes a SANITIZE=1 build links are not the program's
# own dependencies.
needed() {
	readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
		grep -Ev '^lib(asan|ubsan|lsan)\.so' | tr '\n' ' '
}
# The CLI is static-pie (docs/design.md §1.1): the kernel maps it alone,
# with no interpreter; its dynamic twin, which serves the modes and the
# runs that load a library on first use, needs libc alone. A sanitizer
# build, or a toolchain without a static libc, links the CLI dynamically.
twin=$(dirname "$SBX")/sandboxec-dynamic
static_pie_links() {
	printf 'int main(void){return 0;}\n' | "${CC:-cc}" -static-pie -x c - -o "$SBX_TMP/probe" 2>/dev/null
}
if command -v readelf >/dev/null 2>&1; then
	expect_eq "the shim needs only libc" "$(needed "$SBX_SHIM")" "libc.so.6 "
	if readelf -d "$SBX" | grep -q 'NEEDED.*libasan' || ! static_pie_links; then
		expect_eq "the CLI needs only libc (libjansson is loaded on demand)" "$(needed "$SBX")" "libc.so.6 "
	else
		expect_eq "the CLI needs no shared library" "$(needed "$SBX")" ""
		expect_eq "the CLI has no program interpreter (no dynamic loading)" \
			"$(readelf -l "$SBX" | grep -c 'program interpreter')" 0
		expect_eq "the CLI's dynamic twin needs only libc (libjansson is loaded on demand)" \
			"$(needed "$twin")" "libc.so.6 "
	fi
else
	skip "the shim and the CLI need only libc" "readelf is not installed (binutils)"
fi

# What follows runs commands (and the MCP server), which needs Landlock.
PROBE=$SBX_HELPERS/probe
sbx_abi
require_abi 1 "Landlock"

# The static CLI hands what needs a library loaded on first use (a YAML
# config, a trust check, JSON) and every mode but run to its twin, before
# it has printed or run anything; a plain run never needs the twin.
if [ -e "$twin" ]; then
	printf 'fs:\n  - rx:/usr\n  - r:/etc\n' >"$SBX_TMP/lean.yaml"
	expect_status "a run from a YAML config goes through the twin" 0 \
		"$SBX" --config "$SBX_TMP/lean.yaml" -- /bin/cat /etc/hostname
	expect_eq "the twin's run prints what the command printed" "$OUT" "$(cat /etc/hostname)"
	mkdir -p "$SBX_TMP/front"
	cp "$SBX" "$SBX_TMP/front/sandboxec"
	if [ ! -e /usr/local/lib/sandboxec-dynamic ]; then
		expect_status "without its twin the static CLI still runs a plain run" 0 \
			"$SBX_TMP/front/sandboxec" --fs rx:/usr -- /bin/true
		run_capture "$SBX_TMP/front/sandboxec" --config "$SBX_TMP/lean.yaml" -- /bin/echo ran
		expect_sbx_error "without its twin a YAML config is one error line" "$ERR"
		expect_contains "the error names the twin" "$ERR" "sandboxec-dynamic"
		expect_not_contains "without its twin nothing runs" "$OUT" "ran"
		run_capture "$SBX_TMP/front/sandboxec" --mode env --fs rx:/usr
		expect_sbx_error "without its twin --mode env is one error line" "$ERR"
	else
		skip "the static CLI without its twin" "a twin is installed in /usr/local/lib"
	fi
fi

init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}'
# The same request without a policy in the way, then under one that grants
# neither /usr nor /etc (no reading libjansson after the layer is on).
expect_status "mcp answers initialize (rx:/usr)" 0 timeout 10 "$SBX" --mode mcp --fs rx:/usr <<<"$init"
expect_contains "mcp initialize reply (rx:/usr)" "$OUT" '"protocolVersion"'
expect_status "mcp answers initialize under a policy without /usr" 0 \
	timeout 10 "$SBX" --mode mcp --fs r:/proc <<<"$init"
expect_contains "mcp initialize reply without /usr" "$OUT" '"protocolVersion"'

# --mode env's JSON output binds the library on its first call.
expect_status "env --format json still prints JSON" 0 "$SBX" --mode env --format json --fs rx:/usr
expect_contains "env JSON names the rule" "$OUT" 'rx:/usr'

# The exec diagnosis reads the program headers and PT_INTERP from the
# file's first 4 KiB (no pread each): it must still name the loader.
mkdir -p "$SBX_TMP/bin"
cp /bin/true "$SBX_TMP/bin/true"
expect_status "a copied dynamic binary runs unsandboxed" 0 "$SBX_TMP/bin/true"
loader=$(readlink -f "$(readelf -l /bin/true | sed -n 's/.*interpreter: \(.*\)\]/\1/p')")
expect_status "without rx on the loader, the exec is refused" 126 \
	"$SBX" --fs "rx:$SBX_TMP/bin" -- "$SBX_TMP/bin/true"
expect_contains "the refusal names the program loader" "$ERR" "the program loader $loader"

# The real paths in those messages are taken only after a failed exec,
# inside the policy (readlink is not subject to Landlock).
printf '#!/bin/sh\nexit 0\n' >"$SBX_TMP/bin/script"
chmod +x "$SBX_TMP/bin/script"
expect_status "the script runs unsandboxed" 0 "$SBX_TMP/bin/script"
expect_status "without rx on its interpreter, the script is refused" 126 \
	"$SBX" --fs "rx:$SBX_TMP/bin" -- "$SBX_TMP/bin/script"
expect_contains "the refusal names the interpreter's real path" "$ERR" \
	"the script interpreter $(readlink -f /bin/sh)"
ln -s "$SBX_TMP/bin/true" "$SBX_TMP/link-to-true"
expect_status "a refused command is named by its real path" 126 \
	"$SBX" --fs rx:/usr -- "$SBX_TMP/link-to-true"
expect_contains "the refusal names the link's target" "$ERR" "the command $SBX_TMP/bin/true"
expect_status "explain names the loader by its real path" 0 \
	"$SBX" --mode explain --fs rx:/usr -- "$SBX_TMP/link-to-true"
expect_contains "explain's loader line" "$OUT" "loader: $loader"
expect_contains "explain's command line is the real path" "$OUT" "# command: $SBX_TMP/bin/true"
