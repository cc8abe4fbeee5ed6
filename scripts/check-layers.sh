#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks that the include graph follows the layers the folders show
# (HACKING.md, "Where code goes"):
#   shim/engine/  includes only itself, and the host runtime only through
#                 hostrt/hostrt_rules.h;
#   shim/hostrt/  includes only itself and the engine's base (util.h,
#                 error.h, lazylib.h, landlock_abi.h), except the bridge
#                 hostrt_rules.[ch], which also reaches the policy;
#   shim/*.[ch]   (the preload and audit entries) include the engine and
#                 themselves, never the host runtime or the tool;
#   shim/fast/    (the fast audit entry, no libc) includes itself and only
#                 the engine's libc-free pure headers;
#   tool/         includes the engine and itself, never a shim entry file
#                 or the host runtime; tool/mcp/ only the engine's base.
# Prints each include that breaks a rule; exits 1 if there is one.
#
#   scripts/check-layers.sh [TOP]
set -eu
cd "${1:-$(dirname "$0")/..}"
base='engine/(util|error|lazylib|landlock_abi)\.h'
bad=0
check() { # FILES-GLOB ALLOWED-REGEX (matched against the quoted include)
	local file inc
	for file in $1; do
		[ -e "$file" ] || continue
		while IFS= read -r inc; do
			# A bare name must be a header of the file's own folder.
			if ! [[ $inc =~ ^($2)$ ]] ||
				{ [[ $inc != */* ]] && [ ! -e "$(dirname "$file")/$inc" ]; }; then
				echo "check-layers: $file includes \"$inc\", which its layer may not"
				bad=1
			fi
		done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
	done
}
check "shim/engine/resolve.c" '[a-z_]+\.h|hostrt/hostrt_rules\.h'
check "$(ls shim/engine/*.[ch] | grep -v '/resolve\.c$')" '[a-z_]+\.h'
check "shim/hostrt/hostrt_rules.[ch]" "[a-z_]+\\.h|$base|engine/(policy|rule|rights)\\.h"
check "$(ls shim/hostrt/*.[ch] | grep -v '/hostrt_rules\.[ch]$')" "[a-z_]+\\.h|$base"
check "shim/*.[ch]" 'engine/[a-z_]+\.h|[a-z_]+\.h'
check "shim/fast/*.[ch]" 'engine/(fingerprint|landlock_abi|path_shape|plan_sets|raw_syscall|rights|seccomp_filter)\.h|[a-z_]+\.h'
check "tool/*.[ch]" 'engine/[a-z_]+\.h|mcp/[a-z_]+\.h|[a-z_]+\.h'
check "tool/mcp/*.[ch]" "[a-z_]+\\.h|$base"
if [ "$bad" = 0 ]; then echo "check-layers: clean"; fi
exit "$bad"
