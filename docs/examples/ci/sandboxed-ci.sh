#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# CI entry point: runs a command (default: make check) with every process
# it starts sandboxed by the repository's own .sandboxec.yaml. In CI the
# repository is the trusted party, so SANDBOXEC_TRUST_PROJECT=1 trusts the
# project file without a `sandboxec --mode trust` step.
#
#   docs/examples/ci/sandboxed-ci.sh [COMMAND [ARG...]]
#   (run from the repository; SANDBOXEC=path/to/sandboxec to override)
set -eu
sandboxec=${SANDBOXEC:-sandboxec}
[ $# -gt 0 ] || set -- make check

# Capture, then eval: `eval "$(sandboxec …)"` alone would eval nothing when
# sandboxec fails, and the command would run unsandboxed.
settings=$(SANDBOXEC_TRUST_PROJECT=1 "$sandboxec" --mode env --format sh) || {
	echo "sandboxed-ci: no sandbox settings; not running $*" >&2
	exit 1
}
eval "$settings"
# exec: the command replaces this shell, so nothing runs after it outside
# the sandbox.
exec "$@"
