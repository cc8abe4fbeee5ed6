#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Boots one Debian kernel under QEMU and runs one command in it, on this
# machine's own root file system (shared read-only over 9p; /tmp, /run,
# /var/tmp and /dev/shm are fresh tmpfs; the project's tree is shared on its
# own at its path, so a clone under /tmp is seen). The command's output comes out
# on stdout as it runs, its exit status is this script's, and a last line
# on stderr gives the kernel, its Landlock ABI and the times:
#
#   scripts/kernels/run-in-kernel.sh SERIES [--] COMMAND [ARG...]
#   scripts/kernels/run-in-kernel.sh 6.1 -- bash tests/integration/t_abi.sh
#
# SERIES: 5.10, 6.1, 6.12, 7.2, 7.3 (newest Debian package of it; see
# fetch.sh). The command runs as root in the current directory, with
# PATH, every SBX_* variable of the caller and HOME=/tmp; the SBX_* test
# variables default, as in `make check`, to the build/ of the git tree
# holding the current directory (else of this script's tree).
# Uses KVM when /dev/kvm is usable, otherwise TCG (software, ~10x slower).
# Environment: SBX_KERNEL_LOG=FILE keeps the kernel's console log;
# SBX_KERNEL_TIMEOUT (seconds, default 3600); SBX_KERNEL_MEM (MiB, 2048);
# SBX_KERNEL_CPUS (1); SBX_KERNEL_CACHE (see fetch.sh).
# Exit status: the command's; 125 when the machine gave none (boot failure,
# timeout): the console log's tail is then printed on stderr.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
series=${1:?usage: run-in-kernel.sh SERIES [--] COMMAND [ARG...]}
shift
[ "${1:-}" != -- ] || shift
[ $# -gt 0 ] || {
	echo "sandboxec: run-in-kernel.sh needs a command after the kernel series" >&2
	exit 2
}

if ! command -v qemu-system-x86_64 >/dev/null || ! command -v cpio >/dev/null; then
	echo "sandboxec: install qemu-system-x86 and cpio (make deps)" >&2
	exit 2
fi
init=$top/build/kernels/init
[ "$init" -nt "$top/tests/kernels/init.c" ] || make -s -C "$top" build/kernels/init >&2
kdir=$("$here/fetch.sh" "$series")

work=$(mktemp -d /tmp/sbx-kernel.XXXXXX)
trap 'rm -rf "$work"' EXIT
log=${SBX_KERNEL_LOG:-$work/console.log}

tree=$(git rev-parse --show-toplevel 2>/dev/null || true)
[ -n "$tree" ] && [ -x "$tree/build/sandboxec" ] || tree=$top

# The initramfs: the init, the modules, and the job (command, directory,
# environment) in one newc archive.
root=$work/root
mkdir -p "$root/dev" "$root/proc" "$root/newroot" "$root/job"
cp "$init" "$root/init"
cp -r "$kdir/modules" "$root/modules"
printf '%q ' "$@" >"$root/job/cmd"
printf '%s' "$PWD" >"$root/job/cwd"
printf '%s' "$tree" >"$root/job/tree"
{
	echo "PATH=$PATH"
	echo "HOME=/tmp"
	echo "TERM=dumb"
	echo "LANG=${LANG:-C.UTF-8}"
	echo "SBX_TOP=${SBX_TOP:-$tree}"
	echo "SBX_BUILD=${SBX_BUILD:-$tree/build}"
	echo "SBX=${SBX:-$tree/build/sandboxec}"
	echo "SBX_SHIM=${SBX_SHIM:-$tree/build/libsandboxec.so}"
	echo "SBX_HELPERS=${SBX_HELPERS:-$tree/build/tests/helpers}"
	env | grep -E '^SBX_' | grep -vE '^SBX_(TOP|BUILD|SHIM|HELPERS|KERNEL_[A-Z]*)=' || true
} >"$root/job/env"
(cd "$root" && find . | cpio -o -H newc --quiet) >"$work/initrd"

accel=tcg
cpu=max
if [ -w /dev/kvm ]; then
	accel=kvm
	cpu=host
fi
start=$(date +%s.%N)
status=0
timeout "${SBX_KERNEL_TIMEOUT:-3600}" qemu-system-x86_64 \
	-accel "$accel" -cpu "$cpu" -m "${SBX_KERNEL_MEM:-2048}" -smp "${SBX_KERNEL_CPUS:-1}" \
	-kernel "$kdir/vmlinuz" -initrd "$work/initrd" \
	-append "console=ttyS0 loglevel=3 panic=-1 rdinit=/init" \
	-virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=${tree//,/,,},mount_tag=tree,security_model=none,readonly=on,multidevs=remap" \
	-nodefaults -no-reboot -display none -monitor none \
	-serial "file:$log" -chardev file,id=out,path=/dev/stdout,append=on -serial chardev:out \
	</dev/null || status=$?
end=$(date +%s.%N)

result=$(sed -n 's/^sbx-init: exit status \([0-9]*\) .*/\1/p' "$log" | tail -1)
kernel=$(sed -n 's/^sbx-init: kernel \(.*\) landlock-abi .*/\1/p' "$log" | tail -1)
abi=$(sed -n 's/^sbx-init: kernel .* landlock-abi \([0-9]*\).*/\1/p' "$log" | tail -1)
boot=$(sed -n 's/^sbx-init: ready after \([0-9.]*\) s.*/\1/p' "$log" | tail -1)
if [ -z "$result" ]; then
	echo "sandboxec: the $series kernel gave no exit status (qemu exited $status); console:" >&2
	tail -20 "$log" | tr -d '\r' >&2
	exit 125
fi
printf 'kernel %s (%s): Landlock ABI %s, %s, booted in %s s, %.1f s in all\n' \
	"$kernel" "$series" "$abi" "$accel" "$boot" "$(echo "$end - $start" | bc)" >&2
exit "$result"
