# SPDX-License-Identifier: Apache-2.0
# `make deb`: the Debian package sandboxec_VERSION_ARCH.deb in $(BUILD)/,
# built by dpkg-buildpackage from debian/ in a copy of the tree (it writes
# beside the source directory, and must not reuse build/). The test suite
# is not run inside (nocheck); tests/integration/t_deb.sh checks the package.
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
DEB_FILE := sandboxec_$(VERSION)_$(DEB_ARCH).deb
DEB_WORK := $(BUILD)/deb
DEB_SRC := $(DEB_WORK)/sandboxec-$(VERSION)

.PHONY: deb
deb:
	@test -n "$(DEB_ARCH)" || { echo "sandboxec: make deb needs dpkg (a Debian system)" >&2; exit 1; }
	@command -v dh >/dev/null || { echo "sandboxec: make deb needs debhelper; run make deps" >&2; exit 1; }
	@test "$$(dpkg-parsechangelog -l debian/changelog -S Version)" = "$(VERSION)" || { \
		echo "sandboxec: debian/changelog is not at version $(VERSION); add an entry (dch -v $(VERSION))" >&2; exit 1; }
	rm -rf $(DEB_WORK)
	mkdir -p $(DEB_SRC)
	tar -cf - --exclude='./build*' --exclude=./.git --exclude=node_modules --exclude='*.deb' . | \
		tar -xf - -C $(DEB_SRC)
	cd $(DEB_SRC) && DEB_BUILD_OPTIONS="nocheck parallel=2 $(DEB_BUILD_OPTIONS)" \
		dpkg-buildpackage -b -us -uc --no-pre-clean >../dpkg-buildpackage.log 2>&1 || \
		{ tail -n 30 ../dpkg-buildpackage.log >&2; exit 1; }
	mv $(DEB_WORK)/$(DEB_FILE) $(BUILD)/$(DEB_FILE)
	rm -rf $(DEB_SRC)
	@echo "built $(BUILD)/$(DEB_FILE)"
