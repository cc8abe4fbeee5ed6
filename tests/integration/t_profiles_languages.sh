#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# languages/python, languages/node, languages/perl, languages/ruby: the
# real interpreter loads its standard library and writes into the
# workspace; the same interpreter cannot read the planted secret, write
# outside the workspace or reach a port; plus the shared denials.
. "$(dirname "$0")/profiles_lib.sh"
prof_setup

# python_everyday — a virtual environment with a local wheel installed
# into it (no index: the wheel is made here, by hand, as pip would), and
# pytest with tmp_path, each in a fresh project directory.
python_everyday() {
	local proj=$WORK/pyproj
	mkdir -p "$proj" && cd "$proj" && export PWD=$proj
	penv python3 - <<'PY'
import base64, hashlib, os, zipfile
files = {
    "hello/__init__.py": b"def hi():\n    return 'hi from the wheel'\n",
    "hello-0.1.dist-info/METADATA": b"Metadata-Version: 2.1\nName: hello\nVersion: 0.1\n",
    "hello-0.1.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
def digest(b):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b"=").decode()
record = "".join(f"{n},{digest(b)},{len(b)}\n" for n, b in files.items())
record += "hello-0.1.dist-info/RECORD,,\n"
os.makedirs("dist", exist_ok=True)
with zipfile.ZipFile("dist/hello-0.1-py3-none-any.whl", "w") as z:
    for n, b in files.items():
        z.writestr(n, b)
    z.writestr("hello-0.1.dist-info/RECORD", record)
PY
	if penv python3 -c 'import ensurepip' 2>/dev/null; then
		expect_works "languages/python: python3 -m venv .venv (with pip)" languages/python \
			python3 -m venv .venv
		expect_works "languages/python: .venv/bin/pip installs a local wheel" languages/python \
			.venv/bin/pip install -q --no-index dist/hello-0.1-py3-none-any.whl
		run_capture sbx_c languages/python .venv/bin/python -c 'import hello; print(hello.hi())'
		expect_eq "languages/python: the venv imports the installed wheel" "$STATUS:$OUT" \
			"0:hi from the wheel"
	else
		skip "languages/python: venv and pip" "python3-venv is not installed (scripts/deps.sh installs it)"
	fi
	printf 'def test_tmp(tmp_path):\n    (tmp_path / "f").write_text("x")\n    assert (tmp_path / "f").read_text() == "x"\n' \
		>test_tmp.py
	if penv python3 -c 'import pytest' 2>/dev/null; then
		expect_works "languages/python: pytest with tmp_path passes" languages/python \
			python3 -m pytest -q test_tmp.py
		expect_eq "languages/python: pytest leaves no pytest-of-* in the project" \
			"$(ls -d pytest-of-* 2>/dev/null)" ""
	else
		skip "languages/python: pytest" "python3-pytest is not installed (scripts/deps.sh installs it)"
	fi
	cd "$WORK" && export PWD=$WORK && rm -rf "$proj"
}

# --- languages/python ---
if need_cmd "languages/python" python3; then
	expect_works "languages/python: python3 imports the stdlib and writes the workspace" \
		languages/python python3 -c '
import json, re, os, sys, pathlib, subprocess, tempfile, sqlite3, hashlib, ssl
import socket, datetime, csv, decimal, zipfile, shutil, logging, asyncio, urllib.request
db = sqlite3.connect("py.db"); db.execute("create table t (x)"); db.commit()
with tempfile.TemporaryDirectory() as d:
    pathlib.Path(d, "f").write_text("x")
pathlib.Path("py.txt").write_text(hashlib.sha256(b"x").hexdigest())
print(subprocess.run(["ls"], capture_output=True, text=True).stdout)'
	expect_exists "languages/python: its output is in the workspace" "$WORK/py.txt"
	expect_works "languages/python: a multiprocessing pool runs" languages/python python3 -c '
import multiprocessing as mp
if __name__ == "__main__":
    with mp.Pool(2) as pool:
        assert pool.map(abs, [-1, -2]) == [1, 2]'
	printf 'import sys\nprint("hello from", sys.argv[0])\n' >"$WORK/script.py"
	if need_cmd "languages/python: the user guide's 'python script.py'" python; then
		expect_works "languages/python: the user guide's 'python script.py'" \
			languages/python python script.py
	fi
	expect_denied "languages/python: python3 cannot read ~/.ssh/id_ed25519" languages/python \
		'PermissionError' python3 -c "print(open('$SECRET').read())"
	expect_denied "languages/python: python3 cannot write ~/.bashrc" languages/python \
		'PermissionError' python3 -c "open('$HOME/.bashrc', 'a').write('evil')"
	expect_denied "languages/python: python3 cannot write outside the workspace" languages/python \
		'PermissionError' python3 -c "open('$OUTSIDE/sentinel', 'w').write('evil')"
	expect_port_denied "languages/python: python3 cannot connect to 127.0.0.1:$DENY_PORT" \
		languages/python 'PermissionError' \
		python3 -c "import socket; socket.create_connection(('127.0.0.1', $DENY_PORT))"
	deny_matrix languages/python
	outside_environ "languages/python: an outside process's environment (a CI secret) cannot be read" \
		languages/python
	expect_denied "languages/python: python3 cannot read an outside process's environment either" \
		languages/python 'PermissionError' \
		python3 -c "open('/proc/$OUTSIDE_SECRET_PID/environ', 'rb').read()"
	python_everyday
fi

# --- languages/node ---
if need_cmd "languages/node" node; then
	expect_works "languages/node: node -e loads core modules and writes the workspace" \
		languages/node node -e '
const fs = require("fs"), os = require("os"), cp = require("child_process");
const crypto = require("crypto"), zlib = require("zlib"), path = require("path");
if (os.cpus().length < 1) throw new Error("no CPUs visible");
fs.writeFileSync("node.txt", crypto.createHash("sha256").update("x").digest("hex"));
fs.writeFileSync("node.gz", zlib.gzipSync("x"));
fs.rmSync(fs.mkdtempSync(path.join(os.tmpdir(), "t")), { recursive: true });
console.log(cp.execSync("ls").toString());'
	expect_exists "languages/node: its output is in the workspace" "$WORK/node.txt"
	expect_denied "languages/node: node cannot read ~/.ssh/id_ed25519" languages/node \
		'EACCES' node -e "console.log(require('fs').readFileSync('$SECRET', 'utf8'))"
	expect_denied "languages/node: node cannot write outside the workspace" languages/node \
		'EACCES' node -e "require('fs').writeFileSync('$OUTSIDE/sentinel', 'evil')"
	expect_port_denied "languages/node: node cannot connect to 127.0.0.1:$DENY_PORT" languages/node \
		'EACCES' node -e "require('net').connect($DENY_PORT, '127.0.0.1', () => process.exit(0))
			.on('error', (e) => { console.error(e.code); process.exit(1); })"
	deny_matrix languages/node
fi

# --- languages/perl ---
if need_cmd "languages/perl" perl; then
	expect_works "languages/perl: perl -e loads core modules and writes the workspace" \
		languages/perl perl -e '
use strict; use warnings; use POSIX qw(floor); use File::Temp qw(tempfile);
use JSON::PP; use Digest::SHA qw(sha256_hex); use File::Spec; use IO::Socket::INET;
open(my $f, ">", "perl.txt") or die "open: $!"; print $f sha256_hex("x"); close $f;
my ($fh, $name) = tempfile(); unlink $name;
print encode_json({n => floor(2.5)}), "\n";'
	expect_exists "languages/perl: its output is in the workspace" "$WORK/perl.txt"
	expect_denied "languages/perl: perl cannot read ~/.ssh/id_ed25519" languages/perl \
		'permission denied' perl -e "open(my \$f, '<', '$SECRET') or die \"\$!\n\"; print <\$f>"
	expect_denied "languages/perl: perl cannot write outside the workspace" languages/perl \
		'permission denied' perl -e "open(my \$f, '>', '$OUTSIDE/sentinel') or die \"\$!\n\""
	expect_port_denied "languages/perl: perl cannot connect to 127.0.0.1:$DENY_PORT" languages/perl \
		'permission denied' perl -MIO::Socket::INET -e \
		"IO::Socket::INET->new(PeerAddr => '127.0.0.1:$DENY_PORT') or die \"\$!\n\""
	deny_matrix languages/perl
fi

# --- languages/ruby ---
if need_cmd "languages/ruby" ruby; then
	expect_works "languages/ruby: ruby -e loads the stdlib and rubygems and writes the workspace" \
		languages/ruby ruby -e '
require "json"; require "digest"; require "tempfile"; require "set"; require "socket"
File.write("ruby.txt", Digest::SHA256.hexdigest("x"))
Tempfile.create("t") { |t| t.write("x") }
puts JSON.generate(Set[1, 2].to_a), Gem::VERSION, `ls`'
	expect_exists "languages/ruby: its output is in the workspace" "$WORK/ruby.txt"
	expect_denied "languages/ruby: ruby cannot read ~/.ssh/id_ed25519" languages/ruby \
		'permission denied' ruby -e "puts File.read('$SECRET')"
	expect_denied "languages/ruby: ruby cannot write outside the workspace" languages/ruby \
		'permission denied' ruby -e "File.write('$OUTSIDE/sentinel', 'evil')"
	expect_port_denied "languages/ruby: ruby cannot connect to 127.0.0.1:$DENY_PORT" languages/ruby \
		'permission denied' ruby -rsocket -e "TCPSocket.new('127.0.0.1', $DENY_PORT)"
	deny_matrix languages/ruby
fi
