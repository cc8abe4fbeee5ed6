# SPDX-License-Identifier: Apache-2.0
# bash completion for sandboxec: options, modes, env formats, profile names,
# the rights prefix of --fs/--net rules and the path after it, then the
# COMMAND and its own completion. Installed as
# share/bash-completion/completions/sandboxec; needs nothing from the
# bash-completion package, but uses its _command_offset when loaded.
# tests/integration/t_completion.sh checks it against `sandboxec --help`.

_sandboxec_options='--config --named-config --fs --net --add-fs --add-net --abi
--best-effort --ignore-if-missing --restrict-scoped --allow-udp --restrict-unix
--unsafe-host-runtime --log-denials --mode --report --hints --format --output
--max-output --max-timeout-ms --list-profiles --version --help'
# Options whose value is the next word when not attached with "=".
_sandboxec_with_arg='-c|--config|-C|--named-config|-f|--fs|-n|--net|--add-fs|--add-net|--abi|-m|--mode|--format|-o|--output|--max-output|--max-timeout-ms'
_sandboxec_modes='run mcp env explain trust learn'
_sandboxec_formats='sh make fish json dotenv'
_sandboxec_fs_rights='r rx w rw rwx read read_exec write read_write read_write_exec'
_sandboxec_net_rights='b c bc bind connect bind_connect ub uc ubc udp_bind udp_connect
udp_bind_connect'

# COMPREPLY from compgen ARGS..., one candidate a line (a path may hold blanks).
_sandboxec_reply() { mapfile -t COMPREPLY < <(compgen "$@"); }

# The profile names -C accepts: `sandboxec --list-profiles` where the binary
# has it (it asks the same search -C uses), else the directories that
# search reads, in its order.
_sandboxec_profiles() {
	local cmd=$1 out bin dir
	local -a dirs=()
	if out=$("$cmd" --list-profiles 2>/dev/null); then
		sed -n 's/^  \([^[:space:]][^[:space:]]*\).*/\1/p' <<<"$out"
		return
	fi
	[[ -n ${SANDBOXEC_PROFILE_PATH-} ]] && IFS=: read -ra dirs <<<"$SANDBOXEC_PROFILE_PATH"
	[[ ${XDG_CONFIG_HOME-} == /* ]] && dirs+=("$XDG_CONFIG_HOME/sandboxec/profiles")
	[[ ${HOME-} == /* ]] && dirs+=("$HOME/.config/sandboxec/profiles")
	dirs+=(/etc/sandboxec/profiles)
	bin=$(type -P -- "$cmd")
	if [[ -n $bin ]]; then
		bin=$(realpath -- "$bin" 2>/dev/null)
		dirs+=("${bin%/*}/../share/sandboxec/profiles" "${bin%/*}/../profiles")
	fi
	dirs+=(/usr/share/sandboxec/profiles /usr/local/share/sandboxec/profiles)
	for dir in "${dirs[@]}"; do
		[[ $dir == /* && -d $dir ]] || continue
		(cd -- "$dir" && find . \( -name '*.yaml' -o -name '*.yml' \) \( -type f -o -type l \)) |
			sed 's|^\./||; s/\.ya\{0,1\}ml$//'
	done | sort -u
}

# RIGHTS:PATH or RIGHTS:PORT: the rights with their colon first, then the
# path after it.
_sandboxec_rule() {
	local kind=$1 value=$2 rights f
	if [[ $value == *:* ]]; then
		[[ $kind == net ]] && return
		local prefix=${value%%:*}: path=${value#*:}
		# What bash inserts is the path alone (":" breaks words): let it
		# quote blanks and mark directories as it does for files.
		compopt -o filenames 2>/dev/null
		while IFS= read -r f; do
			COMPREPLY+=("$prefix$f")
		done < <(compgen -f -- "$path")
		return
	fi
	if [[ $kind == fs ]]; then rights=$_sandboxec_fs_rights; else rights="$_sandboxec_net_rights"; fi
	_sandboxec_reply -S : -W "$rights" -- "$value"
	[[ $kind == net && none == "$value"* ]] && COMPREPLY+=(none)
}

# The value of option OPT being typed as VALUE, into COMPREPLY.
_sandboxec_value() {
	local opt=$1 value=$2 cmd=$3
	case $opt in
	-f | --fs | --add-fs) _sandboxec_rule fs "$value" ;;
	-n | --net | --add-net) _sandboxec_rule net "$value" ;;
	-m | --mode) _sandboxec_reply -W "$_sandboxec_modes" -- "$value" ;;
	--format) _sandboxec_reply -W "$_sandboxec_formats" -- "$value" ;;
	-C | --named-config) _sandboxec_reply -W "$(_sandboxec_profiles "$cmd")" -- "$value" ;;
	-c | --config | -o | --output) _sandboxec_reply -f -- "$value" ;;
	--abi) _sandboxec_reply -W '0 1 2 3 4 5 6 7' -- "$value" ;;
	--report) _sandboxec_reply -W 'auto audit tracer true false' -- "$value" ;;
	--*) _sandboxec_reply -W 'true false' -- "$value" ;;
	esac
}

_sandboxec() {
	local -a words=() starts=()
	local i w cur opt cmd=${COMP_WORDS[0]} mode=
	# Put back together what COMP_WORDBREAKS split at ":" and "=", so
	# "rx:/usr" and "--fs=rx:/usr" are one word each.
	for ((i = 0; i <= COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((${#words[@]})) && [[ $w =~ ^[:=]+$ || ${words[-1]} =~ [:=]$ ]] && ((i > 1)); then
			words[-1]+=$w
		else
			words+=("$w")
			starts+=("$i")
		fi
	done
	cur=${words[-1]}
	COMPREPLY=()
	# Options end at the first other word (or after --): COMMAND, whose
	# own completion takes over.
	for ((i = 1; i < ${#words[@]} - 1; i++)); do
		w=${words[i]}
		if [[ $w == -- ]]; then
			_sandboxec_command $((i + 1)) "$mode"
			return
		elif [[ $w =~ ^($_sandboxec_with_arg)$ ]]; then
			((i++))
			[[ $w == -m || $w == --mode ]] && mode=${words[i]}
		elif [[ $w == --mode=* ]]; then
			mode=${w#--mode=}
		elif [[ $w != -* ]]; then
			_sandboxec_command "$i" "$mode"
			return
		fi
	done
	opt=${words[-2]-}
	if [[ ${#words[@]} -gt 2 && $opt =~ ^($_sandboxec_with_arg)$ ]]; then
		_sandboxec_value "$opt" "$cur" "$cmd"
	elif [[ $cur == --*=* ]]; then
		_sandboxec_value "${cur%%=*}" "${cur#*=}" "$cmd"
		COMPREPLY=("${COMPREPLY[@]/#/${cur%%=*}=}")
	elif [[ $cur == -* ]]; then
		_sandboxec_reply -W "$_sandboxec_options" -- "$cur"
	else
		_sandboxec_command $((${#words[@]} - 1)) "$mode"
		return
	fi
	# bash replaces only what follows the last ":" or "=" it split at.
	local typed=${COMP_WORDS[COMP_CWORD]}
	if [[ ${#cur} -gt ${#typed} ]]; then
		COMPREPLY=("${COMPREPLY[@]/#"${cur:0:${#cur}-${#typed}}"/}")
	fi
	[[ ${COMPREPLY[0]-} == *[:/=] ]] && compopt -o nospace 2>/dev/null
	return 0
}

# COMMAND at index $1 of words (trust: its FILE), then its own arguments;
# starts maps a word back to COMP_WORDS for bash-completion.
_sandboxec_command() {
	local at=$1 mode=$2 cur=${words[-1]}
	if [[ $mode == trust ]]; then
		_sandboxec_reply -f -- "$cur"
	elif ((at == ${#words[@]} - 1)); then
		mapfile -t COMPREPLY < <(compgen -c -- "$cur" | sort -u)
	elif declare -F _command_offset >/dev/null; then
		_command_offset "${starts[at]}"
	else
		_sandboxec_reply -f -- "$cur"
	fi
}

complete -F _sandboxec sandboxec
