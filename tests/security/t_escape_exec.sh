#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Escape battery, exec: programs that LD_PRELOAD cannot reach or that try
# to shed the sandbox at exec — static binaries, `env -i`, the dynamic
# loader run by hand, setuid and file-capability binaries — through both
# front doors. The rule they all rest on: Landlock domains and
# no_new_privs are inherited across fork and exec, whatever the
# environment says.
set -u
. "$(dirname "$0")/escape_lib.sh"

LDSO=/lib64/ld-linux-x86-64.so.2
[ -x "$LDSO" ] || LDSO=$(find /lib* /usr/lib* -maxdepth 2 -name 'ld-linux*.so*' 2>/dev/null | head -1)

# B holds privileged copies of the helper: one setuid to nobody, one with
# a file capability. Landlock ignores mode bits and root ignores them too,
# so these prove something only through the uid and capability changes
# the kernel would grant at exec.
B=$F/bin
reset_bins() {
	esc_reset
	mkdir -p "$B"
	cp "$ESC" "$B/suid-nobody"
	chown 65534:65534 "$B/suid-nobody"
	chmod 4755 "$B/suid-nobody"
	cp "$ESC" "$B/capbin"
	setcap cap_net_raw+ep "$B/capbin" 2>/dev/null
	# nobody must be able to reach and run them.
	chmod 711 "$SBX_TMP" "$F"
	chmod 755 "$B"
}

for door in $ESC_DOORS; do
	# --- static binaries ------------------------------------------------
	if [ $door = cli ]; then
		attempt "static binary as the command" $door blocked \
			"$ESC_STATIC" write "$O/sentinel"
	else
		# A static program ignores LD_PRELOAD (and LD_AUDIT): started
		# directly under the shim's settings, nothing confines it. `sandboxec --` or a shim-sandboxed
		# parent does (next case); `sandboxec --mode explain CMD` warns.
		attempt "static binary as the top-level command under the shim" $door limit \
			"$ESC_STATIC" write "$O/sentinel"
	fi
	attempt "static binary started from a sandboxed shell" $door blocked \
		sh -c '"$0" write "$1"' "$ESC_STATIC" "$O/sentinel"

	# --- the environment -------------------------------------------------
	attempt "env -i child (no LD_PRELOAD, no SANDBOXEC_*)" $door blocked \
		sh -c 'env -i "$0" write "$1"' "$ESC" "$O/sentinel"
	# A child may bring the shim with its own, wider policy: that adds a
	# layer, and every layer must allow an access. (The nested shim needs
	# to read itself and /proc/self/task, or it refuses to run at all.)
	POL_FS+=("r:$SBX_SHIM" r:/proc)
	attempt "child re-preloading the shim with SANDBOXEC_FS=rwx:/" $door blocked \
		sh -c 'LD_PRELOAD="$2" SANDBOXEC_FS=rwx:/ "$0" write "$1"' "$ESC" "$O/sentinel" "$SBX_SHIM"

	esc_policy_default

	# --- the dynamic loader run by hand -----------------------------------
	attempt "ld.so run directly from a sandboxed shell, reading outside" $door blocked \
		sh -c '"$0" "$1" read "$2"' "$LDSO" "$ESC" "$O/sentinel"
	attempt "ld.so as the command, reading outside" $door blocked \
		"$LDSO" "$ESC" read "$O/sentinel"

	# --- setuid and file capabilities under no_new_privs -------------------
	POL_FS+=("rx:$B")
	ESC_RESET=reset_bins
	if [ $door = cli ]; then
		attempt "setuid-nobody binary as the command (euid must not change)" $door blocked \
			"$B/suid-nobody" suid-check
	else
		# Secure execution ignores LD_PRELOAD: a setuid program started
		# directly under the shim's settings is not confined at all.
		attempt "setuid binary as the top-level command under the shim" $door limit \
			"$B/suid-nobody" suid-check
	fi
	ESC_RESET=reset_bins
	attempt "setuid-nobody binary started from a sandboxed shell" $door blocked \
		sh -c '"$0" suid-check' "$B/suid-nobody"
	# A user with no capabilities runs a copy carrying cap_net_raw: exec
	# grants it outside, no_new_privs must not. (The shell in between sheds
	# whatever setpriv kept from root.)
	ESC_RESET=reset_bins ESC_NEEDS="setcap (libcap2-bin) and file capabilities"
	attempt "file capability gained by a non-root user at exec" $door blocked \
		setpriv --reuid=65534 --regid=65534 --clear-groups sh -c '"$0" caps-check' "$B/capbin"
	esc_policy_default
done
esc_summary
