#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Downloads the newest Debian kernel of one series (5.10, 6.1, 6.12, 7.2,
# 7.3 ...) with a private apt state that leaves the system's sources and
# package database alone, and keeps only what a test boot needs: the
# kernel image, its config, and the 9p and virtio modules (decompressed,
# with the order to load them in). Prints the directory that holds them.
#
#   scripts/kernels/fetch.sh SERIES
#
# The generic flavour, not "cloud": Debian's cloud kernels leave 9p out.
# Cache: $SBX_KERNEL_CACHE, default ~/.cache/sandboxec-kernels; a kernel
# already there is not downloaded again (the package list is refreshed
# once a day).
set -eu
series=${1:?usage: fetch.sh SERIES}
cache=${SBX_KERNEL_CACHE:-$HOME/.cache/sandboxec-kernels}
apt_dir=$cache/apt
# The modules the init loads, each with its config symbol (newer kernels
# build some in); their dependencies are added.
wanted="virtio_pci:VIRTIO_PCI 9pnet_virtio:NET_9P_VIRTIO 9p:9P_FS"

die() {
	echo "sandboxec: $*" >&2
	exit 1
}

apt_state() {
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	[ -e "$apt_dir/status" ] || : >"$apt_dir/status"
	local suite
	for suite in bullseye bookworm trixie sid experimental; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
			"http://deb.debian.org/debian $suite main"
	done >"$apt_dir/sources.list"
	APT_OPTS=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=-
		-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::State::status=$apt_dir/status"
		-o "Dir::Cache=$apt_dir/cache" -o "Dir::Cache::pkgcache=$apt_dir/cache/pkgcache.bin"
		-o "Dir::Cache::srcpkgcache=$apt_dir/cache/srcpkgcache.bin" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
	if [ -z "$(find "$apt_dir/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
		apt-get "${APT_OPTS[@]}" -qq update >&2 ||
			die "cannot refresh the Debian package lists (network?); kernels need deb.debian.org"
	fi
}

# linux-image-SERIES[.x-y][+debN]-amd64, newest first; "6.1" must not match 6.12.
newest_image() {
	local re
	re="^linux-image-${series//./\\.}([.-][0-9][^a-z]*)?(\\+deb[0-9]+)?-amd64\$"
	apt-cache "${APT_OPTS[@]}" pkgnames linux-image- | grep -E "$re" | sort -V | tail -1
}

# Newer kernels split the image package: the image is then a small package
# depending on linux-binary-, linux-modules- and linux-base- of the same name.
packages_of() {
	local image=$1 flavour=${1#linux-image-}
	flavour=${flavour//./\\.}
	echo "$image"
	apt-cache "${APT_OPTS[@]}" show --no-all-versions "$image" |
		sed -n 's/^Depends: //p' | tr ',' '\n' | sed 's/^ *//; s/ .*//' |
		grep -E "^linux-(binary|modules|base)-${flavour//+/\\+}\$" || true
}

# A module's "depends=" entry in its .modinfo section, as a list.
depends_of() {
	tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | head -1 | tr ',' ' '
}

# Dependencies first. The packages ship no modules.dep (depmod makes it at
# install time), so each module's own "depends" entry is read instead.
module_order() {
	local dir=$1 name
	declare -A seen=()
	visit() {
		local m=${1//-/_} d
		[ -z "${seen[$m]:-}" ] || return 0
		seen[$m]=1
		# A dependency not shipped as a module is built in.
		[ -e "$dir/$m.ko" ] || return 0
		for d in $(depends_of "$dir/$m.ko"); do
			visit "$d"
		done
		echo "$m.ko"
	}
	for name in $wanted; do
		if grep -q "^CONFIG_${name#*:}=y" "$dir/../config"; then
			continue
		fi
		grep -q "^CONFIG_${name#*:}=m" "$dir/../config" ||
			die "the $series kernel has no CONFIG_${name#*:}: it cannot mount the host over 9p"
		visit "${name%%:*}"
	done
}

# Only the kernel, its config and the module folders 9p can need are
# unpacked: the whole tree is thousands of files.
unpack() {
	local out=$1 debs=$2 tmp=$1.tmp deb rel file name
	rm -rf "$tmp"
	mkdir -p "$tmp/x" "$tmp/all" "$tmp/modules"
	for deb in "$debs"/*.deb; do
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/x" --wildcards \
			'*/vmlinuz*' '*/boot/config-*' '*/modules/*/config' '*/fs/9p/*' '*/net/9p/*' \
			'*/drivers/virtio/*' '*/fs/netfs/*' '*/fs/fscache/*' 2>/dev/null || true
	done
	file=$(find "$tmp/x" \( -path '*/boot/vmlinuz-*' -o -path '*/modules/*/vmlinuz' \) | head -1)
	[ -n "$file" ] || die "no kernel image in the $series packages"
	cp "$file" "$tmp/vmlinuz"
	file=$(find "$tmp/x" \( -path '*/boot/config-*' -o -path '*/modules/*/config' \) -type f | head -1)
	[ -n "$file" ] || die "no kernel config in the $series packages"
	cp "$file" "$tmp/config"
	rel=$(basename "$file")
	echo "${rel#config-}" >"$tmp/release"
	[ "$rel" != config ] || basename "$(dirname "$file")" >"$tmp/release"
	while read -r file; do
		name=$(basename "$file")
		name=${name%%.ko*}
		name=${name//-/_}.ko
		case $file in
		*.ko.xz) xz -dc "$file" >"$tmp/all/$name" ;;
		*.ko.zst) zstd -qdc "$file" >"$tmp/all/$name" ;;
		*.ko.gz) gzip -dc "$file" >"$tmp/all/$name" ;;
		*) cp "$file" "$tmp/all/$name" ;;
		esac
	done < <(find "$tmp/x" -name '*.ko*')
	module_order "$tmp/all" >"$tmp/modules/order"
	while read -r name; do
		mv "$tmp/all/$name" "$tmp/modules/"
	done <"$tmp/modules/order"
	rm -rf "$tmp/x" "$tmp/all"
	mv "$tmp" "$out"
}

# Which package is newest is looked up once a day: the lists are slow to read.
pick=$cache/series-$series
if [ -n "$(find "$pick" -mmin -1440 2>/dev/null)" ] && [ -s "$(cat "$pick")/vmlinuz" ]; then
	cat "$pick"
	exit 0
fi
apt_state
image=$(newest_image)
[ -n "$image" ] || die "no Debian kernel package of series $series (try 5.10, 6.1, 6.12, 7.2, 7.3)"
version=$(apt-cache "${APT_OPTS[@]}" show --no-all-versions "$image" | sed -n 's/^Version: //p' | head -1)
out=$cache/$image-$version
if [ ! -s "$out/vmlinuz" ]; then
	debs=$out.debs
	rm -rf "$debs"
	mkdir -p "$debs"
	# shellcheck disable=SC2046
	(cd "$debs" && apt-get "${APT_OPTS[@]}" -qq download $(packages_of "$image") >&2) ||
		die "cannot download $image"
	unpack "$out" "$debs"
	rm -rf "$debs"
fi
echo "$out" >"$pick"
echo "$out"
