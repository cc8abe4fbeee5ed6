#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Trust battery (docs/design.md §3.3, docs/security.md): a project file
# arrives with the code being sandboxed, so trusting it must not be
# foolable.
#  1. The review shows exactly what is trusted: a file (or a path) holding
#     a carriage return, escape sequences, backspaces, bidi controls or
#     invisible characters can make a terminal show something else than
#     the bytes; term_screen.py models that terminal. Each case first
#     shows the raw bytes hiding a rule on it (the baseline), then that
#     `--mode trust` and `--mode explain` show them escaped.
#  2. Trust is bound to the path where the project file is found: a
#     sandbox that can write project P must not make the next run in P use
#     another project's trusted file (a symlink), nor fall through to a
#     weaker source (a directory or a FIFO in its place).
#  3. The copy kept for the next review's diff cannot hide a change: a
#     sandbox that can write the copies (here granted them, not the store)
#     swaps one for the edited file, links it elsewhere, opens it to other
#     users or puts a FIFO there; the next review shows the whole file and
#     says why, never "no change" or a diff against the planted copy.
set -u
. "$(dirname "$0")/../integration/lib.sh"
sbx_setup
require_abi 1 "Landlock"

SCREEN=$SBX_TOP/tests/security/term_screen.py
STORE=$XDG_DATA_HOME/sandboxec/trust
P=$SBX_TMP/proj
O=$SBX_TMP/outside

# utf8 HEX — the UTF-8 bytes of code point HEX (the scripts run in LC_ALL=C).
utf8() { PYTHONIOENCODING=utf-8 python3 -c 'import sys; sys.stdout.write(chr(int(sys.argv[1], 16)))' "$1"; }
# screen — stdin as a person reads it on a terminal.
screen() { python3 "$SCREEN"; }

INNOCENT=$(printf 'fs:\n  - rx:/usr\n  - rw:./out\n' | screen)

reset_proj() {
	rm -rf "$P"
	mkdir -p "$P/out"
	rm -f "$STORE"
}

# --- 1. the review shows what is trusted --------------------------------------------------

# review_case NAME LINE WANT — a project file whose rule line is LINE (raw
# bytes). Baseline: on a terminal it reads exactly as the innocent
# "  - rw:./out" file although its bytes differ. Then `--mode trust` must
# show WANT (the escape) on the same terminal, and trust the file.
review_case() {
	local name=$1 line=$2 want=$3 shown
	reset_proj
	printf 'fs:\n  - rx:/usr\n%s\n' "$line" >"$P/.sandboxec.yaml"
	shown=$(screen <"$P/.sandboxec.yaml")
	if [ "$shown" = "$INNOCENT" ] && ! printf 'fs:\n  - rx:/usr\n  - rw:./out\n' | cmp -s - "$P/.sandboxec.yaml"; then
		pass "$name: baseline, the raw file reads as the innocent one on a terminal"
	else
		fail "$name" "baseline: the raw file shows as '$shown', want it to hide its difference"
		return
	fi
	run_capture "$SBX" --mode trust "$P/.sandboxec.yaml" </dev/null
	expect_eq "$name: trust review accepts the file" "$STATUS" 0
	shown=$(printf '%s\n' "$OUT" | screen)
	expect_contains "$name: trust review shows it escaped" "$shown" "$want"
}

# refused_case NAME LINE — a line with a control character YAML does not
# allow in a file. Baseline as above; the review refuses, nothing trusted.
refused_case() {
	local name=$1 line=$2 shown
	reset_proj
	printf 'fs:\n  - rx:/usr\n%s\n' "$line" >"$P/.sandboxec.yaml"
	shown=$(screen <"$P/.sandboxec.yaml")
	if [ "$shown" = "$INNOCENT" ]; then
		pass "$name: baseline, the raw file reads as the innocent one on a terminal"
	else
		fail "$name" "baseline: the raw file shows as '$shown', want it to hide its difference"
		return
	fi
	run_capture "$SBX" --mode trust "$P/.sandboxec.yaml" </dev/null
	expect_sbx_error "$name: trust refuses the file"
	expect_absent "$name: nothing trusted" "$STORE"
}

# A carriage return hides the rule before it: "- rwx:/" is overwritten.
review_case "CR hides a rule" $'  - rwx:/\r  - rw:./out' 'rwx:/\r'
# ... and YAML does read it as a rule of its own.
(
	cd "$P" || exit 1
	run_capture env SANDBOXEC_TRUST_PROJECT=1 "$SBX" --mode explain
	expect_contains "CR hides a rule: YAML reads the hidden rule" "$OUT" '"rwx:/"'
)
# U+202E shows "tuo" as "out": the rule grants ./<RLO>tuo<PDF>, a directory
# the project can make a symlink to anywhere.
review_case "bidi override U+202E" "  - rw:./$(utf8 202e)tuo$(utf8 202c)" '\u202e'
for cp in 202a 202b 202c 202d 2066 2067 2068 2069; do
	review_case "bidi control U+${cp^^}" "  - rw:./out$(utf8 $cp)" "\\u$cp"
done
for cp in 200b 200c 200d 200e 200f feff; do
	review_case "invisible U+${cp^^}" "  - rw:./out$(utf8 $cp)" "\\u$cp"
done
# Controls YAML refuses in a file: the review never gets to trust them.
refused_case "escape sequence" $'  - rwx:/\e[9D  - rw:./out'
refused_case "backspaces" $'  - rwx:/\b\b\b\b\b\b\b\b\b  - rw:./out'
refused_case "C0 control" $'  - rw:./out\x01'
refused_case "DEL" $'  - rw:./out\x7f'
refused_case "C1 CSI (U+009B)" "  - rwx:/$(utf8 9b)9D  - rw:./out"

# The path is shown too: a directory name with an escape sequence and a CR
# must not replace the path the review names.
reset_proj
EVIL=$SBX_TMP/$'x\e[2K\rfake'
rm -rf "$EVIL"
mkdir -p "$EVIL"
printf 'fs:\n  - rx:/usr\n  - rw:.\n' >"$EVIL/.sandboxec.yaml"
shown=$(printf '# %s\n' "$EVIL/.sandboxec.yaml" | screen)
expect_not_contains "path with ESC and CR: baseline, the raw path hides its start" "$shown" "$SBX_TMP"
run_capture "$SBX" --mode trust "$EVIL/.sandboxec.yaml" </dev/null
expect_eq "path with ESC and CR: trust accepts the file" "$STATUS" 0
expect_contains "path with ESC and CR: the review's header shows it escaped" \
	"$(printf '%s\n' "$OUT" | screen)" '/x\x1b[2K\rfake/.sandboxec.yaml'
expect_contains "path with ESC and CR: the trusted line shows it escaped" \
	"$(printf '%s\n' "$ERR" | screen)" '/x\x1b[2K\rfake/.sandboxec.yaml'
# explain names the config file in comments (its origins): escaped too.
run_capture "$SBX" --mode explain -c "$EVIL/.sandboxec.yaml"
expect_contains "path with ESC and CR: explain's origins show it escaped" \
	"$(printf '%s\n' "$OUT" | screen)" 'x\x1b[2K\rfake/.sandboxec.yaml:3'

# Rule paths reach explain's YAML: a bidi override or a zero-width
# character in one is shown escaped, and the output still loads as the
# same policy.
reset_proj
mkdir -p "$P/$(utf8 202e)tuo" "$P/out$(utf8 200b)"
printf 'ignore-if-missing: true\nfs:\n  - rx:/usr\n  - "rw:%s/\\u202etuo"\n  - "rw:%s/out\\u200b"\n  - "rw:%s/gone\\u2066"\n' \
	"$P" "$P" "$P" >"$P/conf.yaml"
run_capture "$SBX" --mode explain -c "$P/conf.yaml"
shown=$(printf '%s\n' "$OUT" | screen)
expect_contains "explain: a bidi override in a rule path is escaped" "$shown" '/\u202etuo"'
expect_contains "explain: a zero-width space in a rule path is escaped" "$shown" '/out\u200b"'
expect_contains "explain: a skipped rule's path is escaped" "$shown" '/gone\u2066'
printf '%s\n' "$OUT" >"$SBX_TMP/explained.yaml"
run_capture "$SBX" --mode explain -c "$SBX_TMP/explained.yaml"
expect_eq "explain: the escaped output loads as the same rules" \
	"$(grep '^  - ' <<<"$OUT" | sed 's/  #.*//')" \
	"$("$SBX" --mode explain -c "$P/conf.yaml" | grep '^  - ' | sed 's/  #.*//')"

# --- 2. trust is bound to the path as found ---------------------------------------------------
# P is the project being worked on (its file grants rw on P only, and is
# trusted); Q is another project, also trusted, whose file grants rw on O.
Q=$SBX_TMP/other
reset_trust_fixture() {
	reset_proj
	rm -rf "$Q" "$O"
	mkdir -p "$Q" "$O"
	printf 'fs:\n  - rx:/usr\n  - rx:%s\n  - rw:.\n' "$SBX_HELPERS" >"$P/.sandboxec.yaml"
	printf 'fs:\n  - rx:/usr\n  - rx:%s\n  - rw:%s\n' "$SBX_HELPERS" "$O" >"$Q/.sandboxec.yaml"
	"$SBX" --mode trust "$P/.sandboxec.yaml" >/dev/null 2>&1 </dev/null
	"$SBX" --mode trust "$Q/.sandboxec.yaml" >/dev/null 2>&1 </dev/null
}

# in_p CMD... — runs CMD from P (so P's project file is the one found).
in_p() {
	local here=$PWD
	cd "$P" || exit 1
	run_capture "$@"
	cd "$here" || exit 1
}

reset_trust_fixture
expect_eq "baseline: the probe creates in O unsandboxed" "$("$PROBE" create "$O/base")" ok
rm -f "$O/base"
in_p "$SBX" -- "$PROBE" create "$O/new"
expect_eq "baseline: under P's trusted file, O is out of reach" "$STATUS:$OUT" "3:denied EACCES"

# The sandbox (P's own policy) can replace P's project file with a symlink.
in_p "$SBX" -- /bin/sh -c 'rm .sandboxec.yaml && ln -s "$1" .sandboxec.yaml && echo replaced' sh "$Q/.sandboxec.yaml"
expect_eq "symlink attack: the sandbox can plant the link (baseline)" "$STATUS:$OUT" "0:replaced"
in_p "$SBX" -- "$PROBE" create "$O/new"
expect_sbx_error "symlink attack: the next run in P refuses the linked file"
expect_contains "symlink attack: the message says it is a symbolic link" "$ERR" "symbolic link"
expect_absent "symlink attack: nothing created in O" "$O/new"
in_p env SANDBOXEC_TRUST_PROJECT=1 "$SBX" -- "$PROBE" create "$O/new"
expect_sbx_error "symlink attack: refused under SANDBOXEC_TRUST_PROJECT=1 too"
expect_absent "symlink attack, SANDBOXEC_TRUST_PROJECT=1: nothing created in O" "$O/new"

# --mode trust refuses a symlinked project file: what it would show and
# record is another file, which could be swapped behind the link later.
cp "$STORE" "$SBX_TMP/store.before"
run_capture "$SBX" --mode trust "$P/.sandboxec.yaml" </dev/null
expect_sbx_error "trust of a symlinked project file: refused"
expect_contains "trust of a symlinked project file: says what to do" "$ERR" "replace the link"
expect_eq "trust of a symlinked project file: store unchanged" "$(cat "$STORE")" "$(cat "$SBX_TMP/store.before")"
in_p "$SBX" --mode trust </dev/null
expect_sbx_error "trust (no FILE) finding a symlinked project file: refused"

# A dangling link is a project file too: an error, not "no project file".
rm "$P/.sandboxec.yaml"
ln -s "$SBX_TMP/nowhere" "$P/.sandboxec.yaml"
in_p "$SBX" -- "$PROBE" create "$O/new"
expect_sbx_error "dangling symlink as the project file: refused"

# Replaced by a directory or a FIFO: an error that says so, not a fall-through
# to the user config (here, one granting O).
mkdir -p "$XDG_CONFIG_HOME/sandboxec"
printf 'fs:\n  - rx:/usr\n  - rx:%s\n  - rw:%s\n' "$SBX_HELPERS" "$O" >"$XDG_CONFIG_HOME/sandboxec/sandboxec.yaml"
for kind in directory fifo; do
	reset_trust_fixture
	in_p "$SBX" -- /bin/sh -c 'rm .sandboxec.yaml && if [ "$1" = fifo ]; then mkfifo .sandboxec.yaml; else mkdir .sandboxec.yaml; fi && echo replaced' sh "$kind"
	expect_eq "$kind attack: the sandbox can replace the file (baseline)" "$STATUS:$OUT" "0:replaced"
	in_p "$SBX" -- "$PROBE" create "$O/new"
	expect_sbx_error "$kind attack: the next run in P is refused"
	expect_contains "$kind attack: the message names what is there" "$ERR" \
		"$([ $kind = fifo ] && echo 'not a regular file' || echo 'is a directory')"
	expect_absent "$kind attack: no fall-through to the user config" "$O/new"
done
rm -f "$XDG_CONFIG_HOME/sandboxec/sandboxec.yaml"

# --- 3. the copy kept for the diff cannot hide a change ----------------------------------
COPIES=$XDG_DATA_HOME/sandboxec/trust-copies
COPY=$COPIES/$(printf '%s' "$P/.sandboxec.yaml" | sha256sum | cut -d' ' -f1)
TRUSTED=$(printf 'fs:\n  - rx:/usr\n  - rw:./out\n')

# copy_attack NAME SCRIPT REASON — P's file, trusted, is edited to add
# "rwx:/" by a sandbox granted P and the copies, which also runs SCRIPT
# on the copy ($1 in it). The next review must show the whole file and
# say the copy is REASON; the copy written then is a private regular file.
copy_attack() {
	local name=$1 script=$2 reason=$3
	reset_proj
	rm -rf "$COPIES" "$O"
	mkdir -p "$O"
	printf '%s\n' "$TRUSTED" >"$P/.sandboxec.yaml"
	"$SBX" --mode trust "$P/.sandboxec.yaml" >/dev/null 2>&1 </dev/null
	in_p "$SBX" --fs rx:/ --fs "rw:$P" --fs "rw:$COPIES" -- /bin/sh -c \
		"printf '  - rwx:/\n' >>.sandboxec.yaml && $script && echo planted" sh "$COPY"
	expect_eq "$name: the sandbox edits the file and the copy (baseline)" "$STATUS:$OUT" "0:planted"
	run_capture timeout 20 "$SBX" --mode trust "$P/.sandboxec.yaml" </dev/null
	expect_eq "$name: the review ends and trusts what it showed" "$STATUS" 0
	expect_contains "$name: the review says what is wrong with the copy" "$OUT" \
		"# sandboxec: trusted here before, but the copy kept then is $reason; the whole file:"
	expect_contains "$name: the review shows the whole file, the added rule too" "$OUT" \
		"$(cat "$P/.sandboxec.yaml")"
	expect_eq "$name: the copy written then is a private regular file" \
		"$(stat -c '%F %a' "$COPY" 2>&1)" "regular file 600"
}

# Baseline for the battery: the sandbox below cannot write the store (it
# could trust anything then); it can write the copies.
reset_proj
mkdir -p "$O"
printf '%s\n' "$TRUSTED" >"$P/.sandboxec.yaml"
"$SBX" --mode trust "$P/.sandboxec.yaml" >/dev/null 2>&1 </dev/null
cp "$STORE" "$SBX_TMP/store.before"
in_p "$SBX" --fs rx:/ --fs "rw:$P" --fs "rw:$COPIES" -- /bin/sh -c 'echo >>"$1" && echo wrote' sh "$STORE"
expect_eq "copies: baseline, the sandbox granted the copies cannot write the store" \
	"$OUT:$(cmp -s "$STORE" "$SBX_TMP/store.before" && echo same)" ":same"
in_p "$SBX" --fs rx:/ --fs "rw:$P" --fs "rw:$COPIES" -- /bin/sh -c 'echo >>"$1" && echo ok' sh "$COPY.x"
expect_eq "copies: baseline, it can write in the copies' directory" "$STATUS:$OUT" "0:ok"

# The copy made the edited file: a diff would say "no change".
copy_attack "copy swapped for the edited file" 'cp .sandboxec.yaml "$1"' \
	"not the content the trust store records (its SHA-256 differs)"
# A link to a file with exactly the trusted content (hash matches), outside
# the sandbox's reach; the next copy must not be written through it.
printf '%s\n' "$TRUSTED" >"$SBX_TMP/victim"
copy_attack "copy replaced by a link to the trusted content" "rm \"\$1\" && ln -s $SBX_TMP/victim \"\$1\"" \
	"a symbolic link"
expect_eq "copy replaced by a link: the file it pointed to is unchanged" \
	"$(cat "$SBX_TMP/victim")" "$TRUSTED"
copy_attack "copy made writable by everyone" 'chmod 666 "$1"' "writable by other users"
# A FIFO would block a reader that waited for a writer.
copy_attack "copy replaced by a FIFO" 'rm "$1" && mkfifo "$1"' "not a regular file"
