#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What this machine charges for the pieces of an exec (tests/bench/vm_costs):
# a system call, a first-touch page fault (anonymous, and a file in the
# page cache), fork and vfork, a seccomp filter's attach. The ratios of
# scripts/bench.sh follow from these: where a page fault costs as much as
# ten system calls, a row's faults, not its system calls, decide its
# figure (docs/perf.md §2). Prints; asserts nothing.
#
#   scripts/bench_vm.sh BUILD
set -u
build=$(cd "${1:-build}" && pwd)
probe=$build/tests/bench/vm_costs
[ -x "$probe" ] || { echo "bench_vm: $probe is missing; run make bench" >&2; exit 1; }
echo "what this machine charges ($(uname -r), load average:$(uptime | sed 's/.*load average://'))"
"$probe" "$build/sandboxec"
