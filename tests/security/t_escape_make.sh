#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Escape battery, make: the settings of `sandboxec --mode env --format make`
# included in a Makefile. make itself is not sandboxed, and GNU make runs a
# simple recipe line (no shell syntax in it) itself, without a shell, when
# SHELL is /bin/sh and .SHELLFLAGS is -c or -ec: a static program run that
# way would never meet the shim. The settings must send every line through
# the shell, which loads the shim (docs/shim.md, "From a Makefile"), and
# must stop make when the shim they name is gone (docs/security.md).
set -u
. "$(dirname "$0")/escape_lib.sh"

MK=$SBX_TMP/mk
mkdir -p "$MK"

# make_file NAME [LINES...] — a Makefile that includes $(SETTINGS) when it
# is given (the baseline runs it without), followed by LINES.
make_file() {
	local name=$1
	shift
	{
		echo 'ifdef SETTINGS'
		echo 'include $(SETTINGS)'
		echo 'endif'
		printf '%s\n' "$@"
	} >"$MK/$name"
}

# The door of this script: the attempt's command is `make -f FILE`, run
# as is for the baseline and with SETTINGS= the generated settings here.
sandbox_cmd() {
	local door=$1 r
	local -a flags=()
	shift
	[ "$door" = make ] || return 1
	for r in "${POL_FS[@]}"; do flags+=(--fs "$r"); done
	if ! "$SBX" --mode env --format make "${flags[@]}" >"$MK/sandboxec.mk"; then
		SB_CMD=(false)
		return 1
	fi
	SB_CMD=("$@" "SETTINGS=$MK/sandboxec.mk")
}

MAKE_RUN=(make -s --no-print-directory -f)
STATIC_LINE="	$ESC_STATIC write $O/sentinel"

# --- the recipe line make runs without a shell ---------------------------
make_file simple 'all:' "$STATIC_LINE"
attempt "static program as a simple recipe line" make blocked \
	"${MAKE_RUN[@]}" "$MK/simple"
# The same line with shell syntax in it always went through /bin/sh.
make_file shelled 'all:' "	: ; $ESC_STATIC write $O/sentinel"
attempt "static program after a ';' in the recipe line" make blocked \
	"${MAKE_RUN[@]}" "$MK/shelled"
# .ONESHELL: a one-line recipe without shell syntax is also run directly.
make_file oneshell '.ONESHELL:' 'all:' "$STATIC_LINE"
attempt "static program as a one-line .ONESHELL recipe" make blocked \
	"${MAKE_RUN[@]}" "$MK/oneshell"
make_file oneshell-multi '.ONESHELL:' 'all:' '	@true' "$STATIC_LINE"
attempt "static program in a multi-line .ONESHELL recipe" make blocked \
	"${MAKE_RUN[@]}" "$MK/oneshell-multi"
# The user's own shell settings, after the include: the GNU coding
# standards' `SHELL = /bin/sh`, a bash SHELL, the .POSIX flags.
make_file shell-after 'SHELL = /bin/sh' 'all:' "$STATIC_LINE"
attempt "static program with SHELL = /bin/sh after the include" make blocked \
	"${MAKE_RUN[@]}" "$MK/shell-after"
make_file bash-after 'SHELL := /bin/bash' 'all:' "$STATIC_LINE"
attempt "static program with SHELL := /bin/bash after the include" make blocked \
	"${MAKE_RUN[@]}" "$MK/bash-after"
make_file flags-after '.SHELLFLAGS := -ec' 'all:' "$STATIC_LINE"
attempt "static program with .SHELLFLAGS := -ec after the include" make blocked \
	"${MAKE_RUN[@]}" "$MK/flags-after"
make_file posix '.POSIX:' 'all:' "$STATIC_LINE"
attempt "static program in a .POSIX Makefile" make blocked \
	"${MAKE_RUN[@]}" "$MK/posix"
# A SHELL set before the include is kept.
{
	echo 'SHELL := /bin/bash'
	echo 'ifdef SETTINGS'
	echo 'include $(SETTINGS)'
	echo 'endif'
	echo 'all:'
	echo "$STATIC_LINE"
} >"$MK/bash-before"
attempt "static program with SHELL := /bin/bash before the include" make blocked \
	"${MAKE_RUN[@]}" "$MK/bash-before"

# A known limit: $(shell ...) runs while make reads the Makefile, from
# make's own unsandboxed process (docs/shim.md).
make_file shell-function "X := \$(shell $ESC_STATIC write $O/sentinel)" 'all:' "	@echo '\$(X)'"
attempt "\$(shell ...) in the Makefile" make limit \
	"${MAKE_RUN[@]}" "$MK/shell-function"

# --- what the settings do to the recipes ---------------------------------
# Same shell, same flags: only the way make reaches the shell changes.
esc_reset
make_file meaning 'all:' '	@printf "%s|" "$$0" "$$-"' '	@echo "[$(SHELL)]"'
got=$("${MAKE_RUN[@]}" "$MK/meaning" 2>&1)
sandbox_cmd make "${MAKE_RUN[@]}" "$MK/meaning"
expect_eq "recipes see the same shell and flags under the settings" "$("${SB_CMD[@]}" 2>&1)" "$got"
make_file meaning-bash 'SHELL := /bin/bash' '.SHELLFLAGS := -eu -o pipefail -c' \
	'all:' '	@echo "$$0 $${BASH_VERSINFO[0]:+bash} $$-"'
got=$("${MAKE_RUN[@]}" "$MK/meaning-bash" 2>&1)
sandbox_cmd make "${MAKE_RUN[@]}" "$MK/meaning-bash"
expect_eq "a bash SHELL and its .SHELLFLAGS are kept" "$("${SB_CMD[@]}" 2>&1)" "$got"

# --- what make cannot be talked out of -----------------------------------
# A target-specific .SHELLFLAGS of -c with /bin/sh would run that target's
# lines without a shell: make must stop before the recipe, naming it.
make_file target-flags 'all: .SHELLFLAGS := -c' 'all:' "$STATIC_LINE"
esc_reset
got=$("${MAKE_RUN[@]}" "$MK/target-flags" 2>&1)
expect_eq "baseline: a target-specific .SHELLFLAGS recipe runs" "$got" escaped
esc_reset
sandbox_cmd make "${MAKE_RUN[@]}" "$MK/target-flags"
expect_status "a target-specific .SHELLFLAGS := -c stops make" 2 "${SB_CMD[@]}"
expect_contains "the stop names the target and the cause" "$ERR" \
	"sandboxec: make would run the recipe of all without a shell"
expect_eq "the target-specific recipe did not run" "$OUT$(cat "$O/sentinel")" sentinel

# --- the shim the settings name is gone ----------------------------------
# After `make uninstall`, `make clean` or moving the checkout: ld.so only
# warns that it cannot preload the shim, and runs the program unconfined.
GONE=$SBX_TMP/gone
mkdir -p "$GONE"
copy_cli "$GONE" && cp "$SBX_SHIM" "$GONE/"
"$GONE/sandboxec" --mode env --format make --fs rx:/usr --fs "rx:$SBX_HELPERS" \
	--fs "rw:$W" >"$MK/gone.mk"
rm "$GONE/libsandboxec.so"
make_file gone 'all:' "	$ESC write $O/sentinel"
esc_reset
got=$("${MAKE_RUN[@]}" "$MK/gone" 2>&1)
expect_eq "baseline: the dynamic recipe writes outside" "$got" escaped
esc_reset
expect_status "settings naming a missing shim stop make" 2 \
	"${MAKE_RUN[@]}" "$MK/gone" "SETTINGS=$MK/gone.mk"
expect_contains "the stop names the missing shim and the fix" "$ERR" \
	"sandboxec: the shim $GONE/libsandboxec.so these settings preload does not exist"
expect_contains "the stop says how to regenerate them" "$ERR" "sandboxec --mode env --format make"
expect_eq "no recipe ran" "$OUT$(cat "$O/sentinel")" sentinel

esc_summary
