#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""pty_run.py ctty|path CMD...: runs CMD against a fresh pseudo-terminal,
prints CMD's output, then "pending N": how many bytes wait in the
terminal's input queue afterwards, i.e. what CMD managed to type into it.

  ctty  the pty's slave is CMD's stdin and its controlling terminal (a new
        session), as for a command started from an interactive shell.
  path  CMD gets stdin from /dev/null and no controlling terminal; every
        argument "{tty}" is replaced by the slave's path.
The terminal is canonical, so only complete lines count as pending."""
import fcntl
import os
import struct
import subprocess
import sys
import termios

mode, cmd = sys.argv[1], sys.argv[2:]
master, slave = os.openpty()
path = os.ttyname(slave)
if mode == "ctty":
    def take_terminal():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    proc = subprocess.run(cmd, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          start_new_session=True, preexec_fn=take_terminal, timeout=120)
else:
    cmd = [path if a == "{tty}" else a for a in cmd]
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, start_new_session=True, timeout=120)
pending = struct.unpack("i", fcntl.ioctl(slave, termios.FIONREAD, b"\0\0\0\0"))[0]
sys.stdout.write(proc.stdout.decode(errors="replace"))
print(f"exit {proc.returncode}")
print(f"pending {pending}")
