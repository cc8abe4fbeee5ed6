# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Sourced by matrix.sh and support-table.sh: which distribution ships each
# kernel series the matrix boots.
distribution() {
	case $1 in
	5.10) echo "Debian 11 (bullseye)" ;;
	6.1) echo "Debian 12 (bookworm)" ;;
	6.12) echo "Debian 13 (trixie)" ;;
	7.2) echo "Debian unstable (sid)" ;;
	7.3) echo "Debian experimental" ;;
	host) echo "this project's CI machine" ;;
	*) echo "Debian" ;;
	esac
}
