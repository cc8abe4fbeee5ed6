# SPDX-License-Identifier: Apache-2.0
# Runs zsh's completion system for real: an interactive zsh in a pty (zpty),
# compinit over DIR, each LINE typed and completed with Tab. Prints
# "== LINE", then each match the completion functions offered, one a line.
#   zsh -f complete_zsh.zsh DIR DUMP LINE...
# DUMP is compinit's dump file: a second run with the same one skips the
# scan of every completion function.
# The matches are taken where they are added (compadd -O), so the test
# reads candidates rather than a terminal's columns.
zmodload zsh/zpty || exit 2
dir=$1 dump=$2
shift 2
zpty sbxz 'zsh -f -i' || exit 2
zpty -w sbxz "PS1=''; PS2=''; unsetopt beep; fpath=(${(q)dir} \$fpath)"
zpty -w sbxz "autoload -Uz compinit && compinit -u -d ${(q)dump}"
zpty -w sbxz 'compadd() { local -a m; builtin compadd -O m "$@"; print -rl -- "${m[@]/#/<<M>>}"; builtin compadd "$@"; }'
zpty -w sbxz 'sbx-done() { print -r -- "<<END>>"; }'
zpty -w sbxz 'sbx-tab() { comppostfuncs=(sbx-done); zle complete-word; }; zle -N sbx-tab; bindkey "^I" sbx-tab'
zpty -w sbxz 'print -r -- "<<READ""Y>>"'
zpty -r sbxz out '*<<READY>>*' || exit 2
for line in "$@"; do
  zpty -w -n sbxz "$line"$'\t'
  zpty -r sbxz out '*<<END>>*' || exit 2
  print -r -- "== $line"
  print -r -- "$out" | tr -d '\r' | sed -n 's/.*<<M>>//p'
  zpty -w -n sbxz $'\C-u'
done
zpty -d sbxz
