# SPDX-License-Identifier: Apache-2.0
# What `make install` puts beside the binary for people rather than for the
# sandbox: the man pages (man/) and the bash, zsh and fish completions
# (completions/), in the places each reader looks under PREFIX; `make
# uninstall` takes them away again. tests/integration/t_install.sh checks both.
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR ?= $(DATADIR)/zsh/site-functions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d
MAN_PAGES := man/sandboxec.1 man/sandboxec.yaml.5 man/libsandboxec.7

.PHONY: install-extras uninstall-extras
install: install-extras
uninstall: uninstall-extras

install-extras:
	$(foreach page,$(MAN_PAGES),install -D -m 0644 $(page) \
		$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(page)))/$(notdir $(page)) &&) true
	install -D -m 0644 completions/sandboxec.bash $(DESTDIR)$(BASHCOMPDIR)/sandboxec
	install -D -m 0644 completions/_sandboxec $(DESTDIR)$(ZSHCOMPDIR)/_sandboxec
	install -D -m 0644 completions/sandboxec.fish $(DESTDIR)$(FISHCOMPDIR)/sandboxec.fish

# Only our files go; a directory is removed when that left it empty (and
# only up to DATADIR), so a PREFIX shared with other programs keeps theirs.
uninstall-extras:
	rm -f $(foreach page,$(MAN_PAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(page)))/$(notdir $(page))) \
		$(DESTDIR)$(BASHCOMPDIR)/sandboxec $(DESTDIR)$(ZSHCOMPDIR)/_sandboxec \
		$(DESTDIR)$(FISHCOMPDIR)/sandboxec.fish
	-for d in $(foreach s,1 5 7,$(DESTDIR)$(MANDIR)/man$(s)) $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR); do \
		while [ "$$d" != "$(DESTDIR)$(DATADIR)" ] && rmdir "$$d" 2>/dev/null; do d=$${d%/*}; done; \
	done
