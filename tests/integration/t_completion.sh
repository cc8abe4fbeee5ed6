#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The shell completions, run in the real shells: bash (the completion
# function called with COMP_WORDS/COMP_CWORD as bash sets them), fish
# (`complete -C`) and zsh (compinit, Tab typed in a pty). Every option,
# mode, env format and right of `sandboxec --help` is offered, so a
# completion cannot drift from the tables; profile names come from
# `sandboxec --list-profiles` where the binary has it, else from the
# directories -C searches; a path is completed after a rights prefix and
# as the FILE of --mode trust.
. "$(dirname "$0")/lib.sh"
sbx_setup

completions=$SBX_TOP/completions
help=$("$SBX" --help)
options=$(sed -n '/^Options:/,/^$/p' <<<"$help" | grep -o -- '--[a-z][a-z-]*' | sort -u)
modes=$(sed -n '/^Modes:/,/^$/p' <<<"$help" | sed '1d;/^$/d' | awk '{print $1}')
formats=$(sed -n 's/.*--format FMT .*output format of env: //p' <<<"$help" | tr -d ',')
fs_rights=$(sed -n '/^Filesystem rights/,/^$/p' <<<"$help" | awk '/^  /{print $1, $2}')
net_rights=$(sed -n '/^Network rights/,/^$/p' <<<"$help" | awk '/^  /{print $1, $2}')

# The command is called sandboxec, as the completions are registered for
# that name; through a link, so its own directory is still the build's.
mkdir -p "$SBX_TMP/bin" "$SBX_TMP/stub" "$SBX_TMP/paths/subdir" "$SBX_TMP/profiles/mine"
ln -s "$SBX" "$SBX_TMP/bin/sandboxec"
: >"$SBX_TMP/paths/subdir/file"
printf 'fs: [rx:/usr]\n' >"$SBX_TMP/profiles/mine/own.yaml"
# A sandboxec that lists profiles itself: its listing, not the directories,
# must be what -C offers.
cat >"$SBX_TMP/stub/sandboxec" <<'STUB'
#!/bin/sh
[ "$1" = --list-profiles ] || exit 1
printf '/nowhere:\n  stub/only  a profile only the listing knows.\n  stub/second  [shadowed by /x.yaml] another.\n'
STUB
chmod +x "$SBX_TMP/stub/sandboxec"

lines=("sandboxec --" "sandboxec --mode " "sandboxec -m ex" "sandboxec --mode env --format "
	"sandboxec --fs " "sandboxec --net " "sandboxec --add-fs rw"
	"sandboxec --fs rx:$SBX_TMP/paths/sub" "sandboxec --fs=rw:$SBX_TMP/paths/sub"
	"sandboxec -C " "sandboxec --fs rx:/usr ech" "sandboxec --fs rx:/usr -- ls --al"
	"sandboxec --mode trust $SBX_TMP/paths/sub")

# complete_bash LINE...: "== LINE", then COMPREPLY, for each LINE. The
# words are split as bash splits them (COMP_WORDBREAKS has ":" and "=").
complete_bash() {
	bash -c '
		[ -r /usr/share/bash-completion/bash_completion ] &&
			. /usr/share/bash-completion/bash_completion
		. "$1"
		shift
		for line; do
			read -ra COMP_WORDS <<<"$(sed "s/[:=]/ & /g" <<<"$line")"
			[[ $line == *" " ]] && COMP_WORDS+=("")
			COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$line COMP_POINT=${#line}
			COMPREPLY=()
			_sandboxec sandboxec "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
			printf "== %s\n" "$line"
			printf "%s\n" "${COMPREPLY[@]}"
		done' bash "$completions/sandboxec.bash" "$@"
}

complete_fish() {
	XDG_CONFIG_HOME=$SBX_TMP/fish-config fish -c 'source $argv[1]
		for line in $argv[2..-1]
			printf "== %s\n" $line
			complete -C"$line" | string replace -r "\t.*" ""
		end' "$completions/sandboxec.fish" "$@"
}

# The timeout only guards against a hang: compinit reads the first line
# of each of zsh's ~1300 functions, which took over 100 s in the kernel
# matrix (QEMU without KVM, the root over 9p), where 120 s cut every zsh
# case short.
complete_zsh() {
	timeout 900 zsh -f "$SBX_TOP/tests/integration/complete_zsh.zsh" "$completions" \
		"$SBX_TMP/zcompdump" "$@"
}

# section OUTPUT LINE: the candidates offered for LINE.
section() { awk -v h="== $2" '$0 == h {on = 1; next} /^== / {on = 0} on' <<<"$1"; }

# offers SHELL OUTPUT LINE WORD...: each WORD is a candidate for LINE (a
# right's ":" and a path's rights prefix are what the shell adds around it).
offers() {
	local sh=$1 out=$2 line=$3 got word
	shift 3
	got=$(section "$out" "$line" | sed 's/:$//')
	for word; do
		if grep -qxF -- "$word" <<<"$got"; then
			pass "$sh: \"$line<Tab>\" offers $word"
		else
			fail "$sh: \"$line<Tab>\" offers $word" "got: $(tr '\n' ' ' <<<"${got:0:300}")"
		fi
	done
}

check_shell() {
	local sh=$1 out right long
	shift
	out=$(PATH="$SBX_TMP/bin:$PATH" SANDBOXEC_PROFILE_PATH=$SBX_TMP/profiles "complete_$sh" "${lines[@]}")
	# shellcheck disable=SC2086
	offers "$sh" "$out" "sandboxec --" $options
	# shellcheck disable=SC2086
	offers "$sh" "$out" "sandboxec --mode " $modes
	offers "$sh" "$out" "sandboxec -m ex" explain
	# shellcheck disable=SC2086
	offers "$sh" "$out" "sandboxec --mode env --format " $formats
	while read -r right long; do
		offers "$sh" "$out" "sandboxec --fs " "$right" "$long"
	done <<<"$fs_rights"
	while read -r right long; do
		offers "$sh" "$out" "sandboxec --net " "$right" "$long"
	done <<<"$net_rights"
	offers "$sh" "$out" "sandboxec --net " none
	offers "$sh" "$out" "sandboxec --add-fs rw" rw rwx
	offers "$sh" "$out" "sandboxec -C " mine/own languages/python
	offers "$sh" "$out" "sandboxec --fs rx:/usr ech" echo
	offers "$sh" "$out" "sandboxec --fs rx:/usr -- ls --al" --all
	case $sh in
	bash) # bash replaces the text after the last ":" or "=" only, and
		# (-o filenames) adds a directory's slash itself
		offers "$sh" "$out" "sandboxec --fs rx:$SBX_TMP/paths/sub" "$SBX_TMP/paths/subdir"
		offers "$sh" "$out" "sandboxec --fs=rw:$SBX_TMP/paths/sub" "$SBX_TMP/paths/subdir"
		offers "$sh" "$out" "sandboxec --mode trust $SBX_TMP/paths/sub" "$SBX_TMP/paths/subdir" ;;
	fish)
		offers "$sh" "$out" "sandboxec --fs rx:$SBX_TMP/paths/sub" "rx:$SBX_TMP/paths/subdir/"
		offers "$sh" "$out" "sandboxec --fs=rw:$SBX_TMP/paths/sub" "--fs=rw:$SBX_TMP/paths/subdir/"
		offers "$sh" "$out" "sandboxec --mode trust $SBX_TMP/paths/sub" "$SBX_TMP/paths/subdir/" ;;
	zsh) # _files adds the last component of the path
		offers "$sh" "$out" "sandboxec --fs rx:$SBX_TMP/paths/sub" subdir
		offers "$sh" "$out" "sandboxec --fs=rw:$SBX_TMP/paths/sub" subdir
		offers "$sh" "$out" "sandboxec --mode trust $SBX_TMP/paths/sub" subdir ;;
	esac

	out=$(PATH="$SBX_TMP/stub:$PATH" "complete_$sh" "sandboxec -C ")
	offers "$sh" "$out" "sandboxec -C " stub/only stub/second
	expect_not_contains "$sh: with --list-profiles, -C offers only what it lists" \
		"$(section "$out" "sandboxec -C ")" "languages/python"
}

for sh in bash fish zsh; do
	if command -v "$sh" >/dev/null 2>&1; then
		check_shell "$sh"
	else
		skip "completion in $sh" "$sh is not installed (make deps)"
	fi
done
