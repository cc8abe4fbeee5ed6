#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Escape battery, --unsafe-host-runtime: a sandbox that can write a $PATH
# directory (an activated .venv/bin under rw:$PWD) plants what makes the
# *next* run's resolver grant a secret — a script whose #! names it, an
# ELF whose PT_INTERP names it, the directory swapped for a symlink into
# the secret's tree. The resolver must grant an interpreter only when it
# can be one, and nothing it reached through the writable tree
# (docs/host-runtime.md "Writable trees", docs/security.md).
set -u
. "$(dirname "$0")/escape_lib.sh"

SECRET=$O/id_ed25519
# The planted $PATH directory: inside the writable tree (an activated
# virtualenv), or one the sandbox cannot write (the planting came from
# elsewhere: only the interpreter's kind can stop it there).
VENV=$W/venv/bin
RBIN=$F/rbin
FAKE_ELF=$SBX_TMP/interp-secret
HAVE_CC=0
if command -v cc >/dev/null &&
	printf 'int main(void){return 0;}\n' |
	cc -x c - -o "$FAKE_ELF" -Wl,--dynamic-linker="$SECRET" 2>/dev/null; then
	HAVE_CC=1
fi

reset_secret() {
	esc_reset
	echo "PRIVATE KEY" >"$SECRET"
	chmod 600 "$SECRET"
	mkdir -p "$VENV" "$RBIN"
}
reset_shebang() {
	reset_secret
	printf '#!%s\necho hi\n' "$SECRET" >"$BIN/tool"
	chmod 755 "$BIN/tool"
}
reset_interp() {
	reset_secret
	cp "$FAKE_ELF" "$BIN/tool"
}
# A read-only $PATH directory whose entry links out of every $PATH
# directory, to a program kept beside the secret, or in a bin/ beside it,
# or to the secret's directory itself: the program may be granted, with a
# directory of programs, never the directory that holds the secret.
reset_link_beside() {
	reset_secret
	cp /usr/bin/true "$O/tool"
	ln -sfn "$O/tool" "$RBIN/tool"
}
reset_link_bin() {
	reset_secret
	mkdir -p "$O/bin"
	cp /usr/bin/true "$O/bin/tool"
	ln -sfn "$O/bin/tool" "$RBIN/tool"
}
reset_link_dir() {
	reset_secret
	ln -sfn "$O" "$RBIN/tool"
}
reset_dirlink() {
	reset_secret
	rmdir "$VENV"
	ln -s "$O" "$VENV"
}

# The helper's libraries come from the host runtime, which grants what
# the $PATH programs load; a sanitizer build's helper also needs its
# sanitizer runtime, which no $PATH program loads.
SAN_LIBS=()
while read -r lib; do SAN_LIBS+=("r:$lib"); done < <(ldd "$ESC" | awk '/lib[a-z]*san\.so/ {print $3}')

esc_policy_hostrt() {
	esc_policy_default
	POL_FS=("rx:$SBX_HELPERS" "rw:$W" ${SAN_LIBS[@]+"${SAN_LIBS[@]}"})
}

# hostrt_attempt NAME DOOR RESET BINDIR: the resolver reads the policy's
# own $PATH, the planted directory first (as an activated virtualenv puts
# it). Exported, not wrapped: the env door runs `sandboxec --mode env`
# before the wrapper.
hostrt_attempt() {
	local saved=$PATH
	BIN=$4
	ESC_RESET=$3
	export PATH=$BIN:/usr/bin:/bin SANDBOXEC_UNSAFE_HOST_RUNTIME=1
	attempt "$1" "$2" blocked "$ESC" read "$SECRET"
	export PATH=$saved
	unset SANDBOXEC_UNSAFE_HOST_RUNTIME
}

for door in $ESC_DOORS; do
	esc_policy_hostrt
	hostrt_attempt "#! in a writable PATH directory names a secret as interpreter" \
		$door reset_shebang "$VENV"
	hostrt_attempt "#! in a read-only PATH directory names a secret as interpreter" \
		$door reset_shebang "$RBIN"
	if [ $HAVE_CC = 1 ]; then
		hostrt_attempt "ELF in a writable PATH directory with PT_INTERP naming a secret" \
			$door reset_interp "$VENV"
		hostrt_attempt "ELF in a read-only PATH directory with PT_INTERP naming a secret" \
			$door reset_interp "$RBIN"
	else
		esc_skip "PT_INTERP naming a secret [$door]" "no cc to link with --dynamic-linker"
	fi
	hostrt_attempt "PATH directory swapped for a symlink into the secret's tree" \
		$door reset_dirlink "$VENV"
	hostrt_attempt "PATH entry links to a program beside the secret" \
		$door reset_link_beside "$RBIN"
	hostrt_attempt "PATH entry links to a program in a bin/ beside the secret" \
		$door reset_link_bin "$RBIN"
	hostrt_attempt "PATH entry links to the secret's directory" \
		$door reset_link_dir "$RBIN"
done
esc_policy_default

# What the user is told: one warning line naming the path refused, and a
# comment in explain; the legitimate runtime is still granted.
hostrt_tell() {
	local what=$1 reset=$2 want=$3 out
	BIN=$4
	"$reset"
	out=$(env "PATH=$BIN:/usr/bin:/bin" "$SBX" --unsafe-host-runtime --fs "rw:$W" -- true 2>&1)
	expect_contains "$what: run warns" "$out" "sandboxec: warning: host runtime: not granted: $want "
	out=$(env "PATH=$BIN:/usr/bin:/bin" "$SBX" --unsafe-host-runtime --fs "rw:$W" --mode explain 2>/dev/null)
	expect_contains "$what: explain says so" "$out" "# host runtime: not granted: $want "
	expect_not_contains "$what: explain grants no secret" "$out" "$SECRET\""
	expect_contains "$what: the loader is still granted" "$out" "program interpreter"
}
hostrt_tell "#! secret, writable dir" reset_shebang "$VENV" "$VENV"
hostrt_tell "#! secret, read-only dir" reset_shebang "$SECRET" "$RBIN"
if [ $HAVE_CC = 1 ]; then
	hostrt_tell "PT_INTERP secret, writable dir" reset_interp "$VENV" "$VENV"
	hostrt_tell "PT_INTERP secret, read-only dir" reset_interp "$SECRET" "$RBIN"
fi
hostrt_tell "PATH symlink" reset_dirlink "$VENV" "$VENV"
esc_summary
