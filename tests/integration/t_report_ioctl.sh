#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --report's tracer does not stop at ioctl until a process opens a device
# the policy does not grant ioctl on; then it adds, in that process, a
# seccomp filter that stops at ioctl for all its threads and the children
# it starts after (docs/diagnostics.md "Ioctls watched from the first
# device open"). Every refused ioctl must still be listed: the first one,
# one after the process was armed, one in a child forked after, one in a
# thread other than the one that opened the device, one in a child forked
# before that opens its own; an ioctl on a terminal sandboxec inherited is
# not refused and not listed. Each refusal is first shown not to happen
# unsandboxed.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 5 "device ioctls"
export PATH=/usr/local/bin:/usr/bin:/bin

cat >"$SBX_TMP/io.py" <<'PY'
import fcntl, os, sys, termios, threading

def tcgets(fd):
    try:
        fcntl.ioctl(fd, termios.TCGETS, bytes(64))
        return "ok"
    except OSError as e:
        return "EACCES" if e.errno == 13 else "ENOTTY" if e.errno == 25 else str(e.errno)

def winsize(fd):
    try:
        fcntl.ioctl(fd, termios.TIOCGWINSZ, bytes(8))
        return "ok"
    except OSError as e:
        return "EACCES" if e.errno == 13 else str(e.errno)

def filters():
    for line in open("/proc/self/status"):
        if line.startswith("Seccomp_filters:"):
            return int(line.split()[1])
    return -1

def child(what):
    pid = os.fork()
    if pid == 0:
        print(what(), flush=True)
        os._exit(0)
    os.waitpid(pid, 0)

mode = sys.argv[1]
if mode == "first":
    print("regular", tcgets(os.open(sys.argv[0], os.O_RDONLY)))
    before = filters()
    fd = os.open("/dev/null", os.O_RDONLY)
    print("null", tcgets(fd), "filters +%d" % (filters() - before))
    fd2 = os.open("/dev/zero", os.O_RDONLY)
    print("zero", tcgets(fd2), "filters +%d" % (filters() - before))
elif mode == "fork-after":
    fd = os.open("/dev/null", os.O_RDONLY)
    child(lambda: "child %d %s" % (os.getpid(), tcgets(fd)))
elif mode == "fork-before":
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.read(r, 1)
        print("child", os.getpid(), tcgets(os.open("/dev/zero", os.O_RDONLY)), flush=True)
        os._exit(0)
    fd = os.open("/dev/null", os.O_RDONLY)
    print("parent", tcgets(fd), flush=True)
    os.write(w, b"x")
    os.waitpid(pid, 0)
elif mode == "thread":
    box, go, done = {}, threading.Event(), threading.Event()
    def opener():
        go.wait()
        box["fd"] = os.open("/dev/null", os.O_RDONLY)
        done.set()
    t = threading.Thread(target=opener)
    t.start()
    go.set()
    done.wait()
    print("main thread", tcgets(box["fd"]))
    t.join()
elif mode == "pty":
    # read-only: a read rule, which grants no ioctl, is enough to open it
    fd = os.open("/dev/ptmx", os.O_RDONLY | os.O_NOCTTY)
    print("ptmx", winsize(fd))
elif mode == "inherited":
    print("stdin", tcgets(0), winsize(0))
PY
IO=(python3 "$SBX_TMP/io.py")
POLICY=(--fs rx:/usr --fs "r:$SBX_TMP" --fs r:/proc --fs r:/dev/null --fs r:/dev/zero)
# Runs the command with stdin a pty slave sandboxec inherits (opened here).
on_pty() {
	python3 -c 'import os, subprocess, sys
m, s = os.openpty()
sys.exit(subprocess.call(sys.argv[1:], stdin=s))' "$@"
}

# --- unsandboxed: the ioctls the cases below make ---------------------------
OUT=$("${IO[@]}" first </dev/null)
expect_contains "unsandboxed: TCGETS on /dev/null is ENOTTY" "$OUT" "null ENOTTY"
OUT=$("${IO[@]}" pty </dev/null)
expect_contains "unsandboxed: TIOCGWINSZ on a new pty works" "$OUT" "ptmx ok"
OUT=$(on_pty "${IO[@]}" inherited)
expect_contains "unsandboxed: TCGETS on a terminal works" "$OUT" "stdin ok ok"

# --- the first device open arms the process; its refusal is listed -----------
run_capture "$SBX" --report=tracer "${POLICY[@]}" -- "${IO[@]}" first </dev/null
expect_contains "first: isatty on a regular file is ENOTTY" "$OUT" "regular ENOTTY"
expect_contains "first: the ioctl is refused, one filter added" "$OUT" "null EACCES filters +1"
expect_contains "first: listed" "$ERR" "ioctl on the device /dev/null"
expect_contains "after arming: refused, no second filter" "$OUT" "zero EACCES filters +1"
expect_contains "after arming: listed" "$ERR" "ioctl on the device /dev/zero"
expect_not_contains "first: nothing unwatched" "$ERR" "may have been refused"

# --- a child forked after arming inherits the filter --------------------------
run_capture "$SBX" --report=tracer "${POLICY[@]}" -- "${IO[@]}" fork-after </dev/null
pid=$(sed -n 's/^child \([0-9]*\) .*/\1/p' <<<"$OUT")
expect_contains "fork after: the child's ioctl is refused" "$OUT" "EACCES"
expect_contains "fork after: listed under the child" "$ERR" "(pid $pid): ioctl on the device /dev/null"

# --- a child forked before is armed at its own device open -------------------
run_capture "$SBX" --report=tracer "${POLICY[@]}" -- "${IO[@]}" fork-before </dev/null
pid=$(sed -n 's/^child \([0-9]*\) .*/\1/p' <<<"$OUT")
expect_contains "fork before: the parent's ioctl is refused" "$OUT" "parent EACCES"
expect_contains "fork before: the child's ioctl is refused" "$OUT" "child $pid EACCES"
expect_contains "fork before: the parent's listed" "$ERR" "ioctl on the device /dev/null"
expect_contains "fork before: the child's listed" "$ERR" "(pid $pid): ioctl on the device /dev/zero"

# --- another thread opened the device ----------------------------------------
run_capture "$SBX" --report=tracer "${POLICY[@]}" -- "${IO[@]}" thread </dev/null
expect_contains "thread: the main thread's ioctl is refused" "$OUT" "main thread EACCES"
expect_contains "thread: listed" "$ERR" "ioctl on the device /dev/null"

# --- a pty opened in the sandbox ---------------------------------------------
run_capture "$SBX" --report=tracer "${POLICY[@]}" --fs r:/dev/ptmx -- "${IO[@]}" pty </dev/null
expect_contains "pty: TIOCGWINSZ on a new pty is refused" "$OUT" "ptmx EACCES"
expect_contains "pty: listed" "$ERR" "ioctl on the device /dev/ptmx"

# --- a terminal sandboxec inherited: opened outside, never refused -----------
OUT=$(on_pty "$SBX" --report=tracer "${POLICY[@]}" -- "${IO[@]}" inherited 2>"$SBX_TMP/err")
ERR=$(cat "$SBX_TMP/err")
expect_contains "inherited terminal: its ioctls work" "$OUT" "stdin ok ok"
expect_not_contains "inherited terminal: nothing listed" "$ERR" "ioctl on"
expect_contains "inherited terminal: the sandbox denied nothing" "$ERR" "the sandbox denied nothing"

# --- the filter cannot be added: the command runs as it would, and the report
# says which process's refusals may be missing -------------------------------
run_capture "$SBX" --report=tracer "${POLICY[@]}" --fs "rx:$SBX_HELPERS" -- \
	"$SBX_HELPERS/deny_seccomp" "${IO[@]}" first </dev/null
expect_contains "seccomp refused: the ioctl is still refused" "$OUT" "null EACCES filters +0"
expect_contains "seccomp refused: the report says so" "$ERR" \
	"ioctls on devices of pid"
