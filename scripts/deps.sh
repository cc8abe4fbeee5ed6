#!/usr/bin/env bash
# Installs the Debian packages sandboxec builds and tests with.
#   scripts/deps.sh install | check-or-install
set -eu
PKGS="build-essential pkg-config libyaml-dev libelf-dev libcmocka-dev libjansson-dev libmd-dev python3 fish"
missing=$(for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then echo "sandboxec: run as root: apt-get install -y $missing" >&2; exit 1; fi
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
