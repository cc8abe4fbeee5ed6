#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The settings `sandboxec --mode env` prints fail closed when the shim they
# name is gone (make uninstall, make clean, a moved checkout): ld.so only
# warns that it "cannot be preloaded ... ignored" and runs every command
# unconfined, so the sh and fish settings check the file themselves
# (docs/usage.md#env, docs/security.md). Sourced by a script, they end it
# with status 1 and one "sandboxec: " line; sourced by an interactive
# shell, they return status 1 and set nothing. Each probe that must be
# stopped is first shown to write outside the policy unsandboxed, and the
# settings are first shown to confine while the shim is there. A shim
# removed after the settings were read is a known limit, pinned last.
set -u
. "$(dirname "$0")/../integration/lib.sh"
sbx_setup
require_abi 1 "Landlock"

# A private copy of the CLI and the shim, so the shim can be removed and
# moved like an installed or built one; the settings name the copy.
INST=$SBX_TMP/inst
W=$SBX_TMP/fcs/work
O=$SBX_TMP/fcs/outside
mkdir -p "$INST" "$W" "$O"
copy_cli "$INST" && cp "$SBX_SHIM" "$INST/"
SHIM=$INST/libsandboxec.so
POLICY=(--fs rx:/usr --fs "rx:$SBX_HELPERS" --fs "rw:$W")
unset LD_PRELOAD LD_AUDIT

# Every shell the sh settings are for, and fish for the fish settings.
SHELLS=(bash dash fish)
need_cmd_or_skip() { command -v "$1" >/dev/null 2>&1 || { skip "$2" "$1 not installed"; return 1; }; }
format_of() { [ "$1" = fish ] && echo fish || echo sh; }

# run_settings SHELL HOW FILE — sources FILE in SHELL, then runs the probe
# writing $O/escape and prints what the shell holds. HOW is
#   script       a non-interactive shell: `. FILE; probe` (`source` in fish)
#   and          `. FILE && probe`
#   eval         `eval "$(cat FILE)"; probe` (fish: `cat FILE | source`)
#   interactive  an interactive shell: `. FILE`, then prints the status
#                and the names of the variables set (no probe: the user at
#                the prompt has seen the line)
# Leaves STATUS, OUT, ERR.
run_settings() {
	local sh=$1 how=$2 file=$3 probe="$PROBE write $O/escape"
	# Shell builtins only: a command would see what the shim left.
	local vars="LD_AUDIT LD_PRELOAD SANDBOXEC_FS SANDBOXEC_NET SANDBOXEC_ABI"
	local show="echo status=\$?; for v in $vars; do eval \"[ -n \\\"\\\${\$v+x}\\\" ] && printf '%s ' \$v\"; done; echo"
	local show_fish="echo status=\$status; for v in $vars; set -q \$v; and echo -n \"\$v \"; end; echo"
	case $sh:$how in
	fish:script) run_capture fish --no-config -c "source $file; $probe" ;;
	fish:and) run_capture fish --no-config -c "source $file; and $probe" ;;
	fish:eval) run_capture fish --no-config -c "cat $file | source; $probe" ;;
	fish:interactive) run_capture fish --no-config -i -c "source $file; $show_fish" </dev/null ;;
	*:script) run_capture "$sh" -c ". $file; $probe" ;;
	*:and) run_capture "$sh" -c ". $file && $probe" ;;
	*:eval) run_capture "$sh" -c "eval \"\$(cat $file)\"; $probe" ;;
	*:interactive)
		# bash and dash say they have no terminal; only their lines count.
		run_capture env ENV= "$sh" -i -c ". $file; $show" </dev/null
		ERR=$(grep -v -e 'job control' -e 'terminal process group' -e "can't access tty" <<<"$ERR")
		;;
	esac
}

# --- the baseline: the probe writes outside the policy unsandboxed
run_capture "$PROBE" write "$O/escape"
expect_eq "bare: the probe writes outside the policy (control)" "$STATUS:$OUT" "0:ok"
rm -f "$O/escape"

# --- with the shim in place, the settings confine the next command
for sh in "${SHELLS[@]}"; do
	need_cmd_or_skip "$sh" "$sh: settings with the shim present" || continue
	fmt=$(format_of "$sh")
	"$INST/sandboxec" --mode env --format "$fmt" "${POLICY[@]}" >"$SBX_TMP/settings.$sh"
	for how in script and eval; do
		run_settings "$sh" "$how" "$SBX_TMP/settings.$sh"
		expect_eq "$sh ($how): with the shim, the probe is denied" "$STATUS:$OUT" "3:denied EACCES"
		expect_absent "$sh ($how): with the shim, nothing written outside" "$O/escape"
		rm -f "$O/escape"
	done
	run_settings "$sh" interactive "$SBX_TMP/settings.$sh"
	expect_eq "$sh (interactive): with the shim, sourcing sets the loader and the policy" "$OUT" "status=0
LD_AUDIT LD_PRELOAD SANDBOXEC_FS SANDBOXEC_NET SANDBOXEC_ABI "
done

# --- the shim gone: removed (make uninstall, make clean) or moved with its
# checkout. Sourcing must fail with one line, run nothing unconfined, and
# leave an interactive shell as it was.
lose_shim() { # HOW — removed or moved
	case $1 in
	removed) rm -f "$SHIM" ;;
	moved) mv "$SHIM" "$SHIM.moved" ;;
	esac
}
restore_shim() { rm -f "$SHIM.moved"; cp "$SBX_SHIM" "$SHIM"; }
FCS_TRIED=0
FCS_RAN=0

for sh in "${SHELLS[@]}"; do
	need_cmd_or_skip "$sh" "$sh: settings with the shim gone" || continue
	for lost in removed moved; do
		lose_shim "$lost"
		for how in script and eval interactive; do
			name="$sh ($how), shim $lost"
			rm -f "$O/escape"
			run_settings "$sh" "$how" "$SBX_TMP/settings.$sh"
			FCS_TRIED=$((FCS_TRIED + 1))
			if [ -e "$O/escape" ]; then
				FCS_RAN=$((FCS_RAN + 1))
				fail "$name: nothing runs unconfined" "THE PROBE WROTE OUTSIDE THE POLICY (exit $STATUS; stdout: ${OUT:0:200}; stderr: ${ERR:0:300})"
			elif [ "$how" != interactive ]; then
				pass "$name: nothing runs unconfined"
			fi
			first=${ERR%%$'\n'*}
			nlines=$(printf '%s\n' "$ERR" | grep -c '')
			if [ "${first#sandboxec: }" = "$first" ] || [ "$nlines" -ne 1 ]; then
				fail "$name: one sandboxec: line" "got $nlines stderr lines: ${ERR:0:300}"
			else
				pass "$name: one sandboxec: line"
			fi
			expect_contains "$name: the line names the missing shim" "$ERR" "$SHIM"
			expect_contains "$name: the line says to re-run --mode env" "$ERR" "sandboxec --mode env"
			case $how in
			interactive)
				# The shell lives on, with nothing set: no LD_PRELOAD
				# pointing at a missing file, no half-applied policy.
				expect_eq "$name: sourcing returns 1 and sets nothing" "$OUT" status=1
				;;
			*)
				expect_eq "$name: the shell ends with status 1" "$STATUS" 1
				;;
			esac
		done
		restore_shim
	done
done
rm -f "$O/escape"

# --- known limit (docs/security.md): the check is made when the settings
# are read. A shell that sourced them while the shim was there, and runs a
# command after it is gone, gets ld.so's warning and an unconfined command.
# Pinned: the day this is closed, the test says so. The shell says "ready"
# and waits on fifos with its own builtins (a command it started would be
# confined, and could not remove the shim) while the test removes the shim.
READY=$SBX_TMP/ready
GO=$SBX_TMP/go
mkfifo "$READY" "$GO"
exec {ready_fd}<>"$READY" {go_fd}<>"$GO"
for sh in bash fish; do
	need_cmd_or_skip "$sh" "$sh: shim removed after sourcing" || continue
	rm -f "$O/escape"
	if [ "$sh" = fish ]; then
		fish --no-config -c "source $SBX_TMP/settings.fish; and echo ready >$READY; read -l x <$GO; $PROBE write $O/escape" \
			>"$SBX_TMP/late.out" 2>&1 &
	else
		bash -c ". $SBX_TMP/settings.bash && echo ready >$READY; read x <$GO; $PROBE write $O/escape" >"$SBX_TMP/late.out" 2>&1 &
	fi
	pid=$!
	kill_at_exit "$pid"
	if ! read -r -t 10 -u "$ready_fd" _; then
		fail "$sh: shim removed after sourcing" "the shell did not source the settings: $(head -c 300 "$SBX_TMP/late.out")"
		kill "$pid"
		continue
	fi
	rm -f "$SHIM"
	echo go >&"$go_fd"
	wait "$pid"
	if [ -e "$O/escape" ]; then
		pass "$sh: shim removed after sourcing: known limit, the next command still runs unconfined (docs/security.md)"
	else
		fail "$sh: shim removed after sourcing" "known limit no longer holds ($(head -c 300 "$SBX_TMP/late.out")): update the test and docs/security.md"
	fi
	restore_shim
done
exec {ready_fd}>&- {go_fd}>&-
rm -f "$O/escape"

# --- a shim the sandbox could rewrite: the settings outlive the sandbox,
# so a policy with a writable rule over the shim (its file, its directory,
# a directory on the way, a link of the $LIB tree) would let one sandboxed
# command unconfine every later one. Baseline: such settings (written here
# by hand, since --mode env refuses them) let a sandboxed command truncate
# the shim, and the next load runs the probe unconfined.
restore_shim
rm -f "$O/escape"
"$INST/sandboxec" --mode env "${POLICY[@]}" >"$SBX_TMP/settings.cover"
sed -i "s|^export SANDBOXEC_FS='|export SANDBOXEC_FS='rw:$INST,|" "$SBX_TMP/settings.cover"
bash -c ". $SBX_TMP/settings.cover && sh -c ': >$SHIM'"
bash -c ". $SBX_TMP/settings.cover; $PROBE write $O/escape" >/dev/null 2>&1
expect_exists "writable shim, baseline: a sandboxed command truncates the shim; the next load runs unconfined" \
	"$O/escape"
rm -f "$O/escape"
restore_shim
writable_refused() { # NAME RULE [SANDBOXEC] — --mode env must refuse RULE
	run_capture "${3:-$INST/sandboxec}" --mode env "${POLICY[@]}" --fs "$2"
	expect_sbx_error "writable shim, $1: --mode env refuses with one sandboxec: line"
	expect_contains "writable shim, $1: ... naming the rule" "$ERR" "lies under the rule $2"
	expect_eq "writable shim, $1: ... and prints no settings" "$OUT" ""
}
writable_refused "its directory" "rw:$INST"
writable_refused "the file itself" "rw:$SHIM"
writable_refused "a directory on the way" "rw:$SBX_TMP"
writable_refused "write without read on its directory" "w:$INST"
writable_refused "the \$LIB tree of a build" "rw:$(dirname "$SBX_SHIM")/libsandboxec" "$SBX"
expect_status "writable shim: a writable sibling directory is fine" 0 \
	"$INST/sandboxec" --mode env "${POLICY[@]}" --fs "rw:$SBX_TMP/fcs"
# --- a rule path the sandbox can re-point. The settings are re-read at
# every load, and each load opens the rule paths again, following links:
# a rule whose path lies inside a writable tree of the same policy (one
# skipped as missing under ignore-if-missing, or a directory the sandbox
# may remove) becomes, once a sandboxed command puts a symlink there, a
# rule on the link's target: the shim's directory. The next command
# truncates the shim; the one after runs unconfined. --mode env must
# refuse such a policy (or the shim must not follow the link).
repoint_attempt() { # NAME PREP RULE... — PREP runs unsandboxed first
	local name=$1 prep=$2 settings=$SBX_TMP/settings.repoint
	shift 2
	restore_shim
	rm -rf "$O/escape" "$W/cache" "$W/sub"
	eval "$prep"
	if ! "$INST/sandboxec" --mode env "${POLICY[@]}" "$@" >"$settings" 2>"$SBX_TMP/repoint.err"; then
		pass "re-pointed rule, $name: --mode env refuses ($(head -c 200 "$SBX_TMP/repoint.err"))"
		return
	fi
	bash -c ". $settings && sh -c ': >$SHIM'" 2>/dev/null
	if [ ! -s "$SHIM" ]; then
		fail "re-pointed rule, $name" "setup: the shim is writable straight away"
		return
	fi
	bash -c ". $settings && $SBX_HELPERS/escape repoint $W/$LINK $INST" >/dev/null 2>&1
	bash -c ". $settings && sh -c ': >$W/$LINK/libsandboxec.so'" 2>/dev/null
	bash -c ". $settings; $PROBE write $O/escape" >/dev/null 2>&1
	if [ -e "$O/escape" ] || [ ! -s "$SHIM" ]; then
		fail "re-pointed rule, $name" "ESCAPED: a sandboxed command re-pointed the rule at the shim's directory; shim $([ -s "$SHIM" ] && echo intact || echo TRUNCATED), next command $([ -e "$O/escape" ] && echo 'ran UNCONFINED' || echo confined)"
	else
		pass "re-pointed rule, $name: the shim stays intact, the next command confined"
	fi
	rm -rf "$O/escape" "$W/cache" "$W/sub"
	restore_shim
}
LINK=cache repoint_attempt "a missing rule under ignore-if-missing inside rw:\$W" : \
	--ignore-if-missing --fs "rw:$W/cache"
LINK=sub repoint_attempt "an existing directory rule inside rw:\$W" 'mkdir -p "$W/sub"' \
	--fs "rw:$W/sub"
echo "# summary $(basename "$0"): $FCS_TRIED loads without the shim tried, $FCS_RAN ran a command unconfined"
