# SPDX-License-Identifier: Apache-2.0
# sandboxec — the only entry point for building, testing, benchmarking and
# installing. `make` builds into build/; `make check` runs every test.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DESTDIR ?=

VERSION := 0.1.0
# A sanitizer build lives in its own tree so it never clobbers build/.
BUILD := $(if $(filter 1,$(SANITIZE)),build-san,build)

CC ?= cc
CFLAGS ?= -O2 -g

# 32-bit programs (docs/shim.md, "32-bit programs"). ld.so ignores a shim
# of the wrong ELF class and runs the program unconfined, so the settings
# name the shim as libsandboxec/$LIB/libsandboxec.so: each loader expands
# $LIB to its own library directory and finds the copy of its class there.
# SHIM_LIB64 is this machine's expansion, measured (ld.so prints the
# LD_LIBRARY_PATH it searched); SHIM_LIB32 the i386 loaders' expansions,
# from a table, as an i386 loader may not run on the build machine:
# Debian's libc6-i386 (lib32, measured) and libc6:i386 (lib/i386-linux-gnu).
ifeq ($(origin SHIM_LIB64),undefined)
SHIM_LIB64 := $(shell LD_DEBUG=libs LD_LIBRARY_PATH='/sbx-lib-probe/$$LIB' /bin/true 2>&1 | \
	sed -n 's|.*[=:]/sbx-lib-probe/\([^:[:space:]]*\)[[:space:]]*(LD_LIBRARY_PATH).*|\1|p' | head -n1)
endif
ifeq ($(origin SHIM_LIB32),undefined)
SHIM_LIB32 := $(if $(filter x86_64-%,$(shell $(CC) -dumpmachine)),$(or \
	$(if $(filter lib/x86_64-linux-gnu,$(SHIM_LIB64)),lib32 lib/i386-linux-gnu), \
	$(if $(filter lib64,$(SHIM_LIB64)),lib),$(if $(filter lib,$(SHIM_LIB64)),lib32)))
endif
# The i386 copy is built when the compiler links a 32-bit program (Debian:
# gcc-multilib). Not in a sanitizer build: the runtimes are 64-bit only here.
ifeq ($(origin SHIM_I386),undefined)
SHIM_I386 := $(if $(and $(SHIM_LIB32),$(if $(filter 1,$(SANITIZE)),,1)),$(shell printf \
	'int main(void){return 0;}\n' | $(CC) -m32 -x c - -o /dev/null 2>/dev/null && echo 1))
endif

HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection
WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
# -ffunction-sections: one section per function, so that the static CLI's
# link can place its run path together (tool/front_static_hot.ld).
BASE_CFLAGS := -std=gnu11 -D_GNU_SOURCE -fPIC -fvisibility=hidden -ffunction-sections $(WARN) $(HARDEN) -MMD -MP \
	-DSBX_VERSION='"$(VERSION)"' -DSBX_LIBDIR='"$(LIBDIR)"' -DSBX_DATADIR='"$(DATADIR)"' \
	-DSBX_SHIM_LIB64='"$(SHIM_LIB64)"' -DSBX_SHIM_LIB32='"$(SHIM_LIB32)"'
BASE_LDFLAGS := -Wl,-z,relro,-z,now -Wl,--as-needed

# The system directories of libc and the libraries loaded on first use.
# Both front doors carry them as DT_RPATH (not RUNPATH: RPATH is searched
# before LD_LIBRARY_PATH), and lazylib.c opens its libraries there by
# absolute path, so what ld.so loads for sandboxec before the policy
# applies cannot come from a directory the program or its environment
# names (docs/design.md §4.4).
SYSTEM_LIBDIRS := $(shell scripts/system-libdirs.sh $(CC) $(CFLAGS))
ifeq ($(SYSTEM_LIBDIRS),)
$(error sandboxec: cannot find the system library directories with $(CC); install the C toolchain (make deps))
endif
BASE_CFLAGS += -DSBX_SYSTEM_LIBDIRS='"$(SYSTEM_LIBDIRS)"'
SYSTEM_RPATH := -Wl,--disable-new-dtags,-rpath,$(SYSTEM_LIBDIRS)

ifeq ($(SANITIZE),1)
BASE_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
BASE_LDFLAGS += -fsanitize=address,undefined
endif

# Include roots: engine and host-runtime headers are spelled "engine/x.h",
# "hostrt/x.h"; the tool's own as "cli.h", "mcp/x.h".
ALL_CFLAGS = $(BASE_CFLAGS) -Ishim -Itool $(CFLAGS)
ALL_LDFLAGS = $(BASE_LDFLAGS) $(LDFLAGS)

# The engine (shim/engine/) and the host-runtime resolver (shim/hostrt/),
# compiled once (PIC) into one archive linked by both front doors; the
# shim's own entry files (shim/*.c) go only into libsandboxec.so.
SHIM_MAIN := $(wildcard shim/*.c)
# What unit tests of the shim may link: its files without an entry point.
# Nor the start-up arena, whose functions only the shim's --wrap link calls.
SHIM_ENTRY := shim/preload_entry.c shim/audit_entry.c shim/startup_arena.c
SHIM_TESTABLE_OBJ := $(filter-out $(SHIM_ENTRY:%.c=$(BUILD)/obj/%.o),$(SHIM_MAIN:%.c=$(BUILD)/obj/%.o))
ENGINE_SRC := $(wildcard shim/engine/*.c shim/hostrt/*.c)
ENGINE_OBJ := $(ENGINE_SRC:%.c=$(BUILD)/obj/%.o)
ENGINE_LIB := $(BUILD)/libsbxengine.a

# tool/front_static.c goes only into the static CLI, front_dynamic.c only
# into the dynamic one (tool/front.h).
TOOL_SRC := $(filter-out tool/front_%.c,$(wildcard tool/*.c tool/mcp/*.c))
TOOL_OBJ := $(TOOL_SRC:%.c=$(BUILD)/obj/%.o)
TOOL_TESTABLE_OBJ := $(filter-out $(BUILD)/obj/tool/main.o,$(TOOL_OBJ))
# libjansson is dlopen()ed on first use (tool/mcp/json_lazy.c), not linked.
TOOL_LIBS :=

CLI := $(BUILD)/sandboxec
SHIM := $(BUILD)/libsandboxec.so

# The CLI is linked static-pie when the toolchain can (libc.a), so that
# `sandboxec -- CMD` pays no dynamic loading; then its dynamically linked
# twin, the same program, serves the modes and runs that load a library
# on first use (docs/design.md §1.1). Not in a sanitizer build: the
# runtimes need the dynamic loader.
ifeq ($(origin CLI_STATIC),undefined)
CLI_STATIC := $(if $(filter 1,$(SANITIZE)),,$(shell printf 'int main(void){return 0;}\n' | \
	$(CC) -static-pie -x c - -o /dev/null 2>/dev/null && echo 1))
endif
CLI_DYNAMIC := $(BUILD)/sandboxec-dynamic

SHIM32 := $(BUILD)/libsandboxec-i386.so
SHIM_TREE := $(BUILD)/libsandboxec

UNIT_SRC := $(wildcard tests/unit/*/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
HELPER_SRC := $(wildcard tests/helpers/*.c)
HELPER_BIN := $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/tests/helpers/%)

.PHONY: all check unit integration bench demo deps install uninstall format format-check lint clean fuzz

all: $(CLI) $(SHIM) $(SHIM_TREE) $(if $(CLI_STATIC),$(CLI_DYNAMIC))

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(ENGINE_LIB): $(ENGINE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

ifeq ($(CLI_STATIC),1)
# front_static.o defines the lazy loader, so the archive's lazylib.o (and
# dlopen) stays out of this binary.
# On x86-64 its start-up touches as few pages as it can (docs/perf.md §2,
# "The static front's layout"): it enters at tool/front_static_entry.c,
# which maps the parts of the image a run touches before glibc's start-up
# (built without the stack protector: it runs before TLS exists); its run
# path is placed together at the start of the text and its large .bss
# buffers after the rest (tool/front_static_hot.ld, written by
# scripts/cli_hot_text.sh from the link map kept beside it, which also
# defines the symbols the entry maps up to); and its relative relocations
# are packed (RELR) where a static-pie program built that way runs here.
ifeq ($(shell uname -m),x86_64)
CLI_ENTRY_OBJ := $(BUILD)/obj/tool/front_static_entry.o
CLI_HOT_LD := tool/front_static_hot.ld
CLI_STATIC_LDFLAGS := -Wl,-e,sbx_static_entry -Wl,-T,$(CLI_HOT_LD) -Wl,-Map,$(CLI).map
ifeq ($(origin CLI_RELR),undefined)
CLI_RELR := $(shell d=$$(mktemp -d) && printf 'static int x;\nint *p = &x;\nint main(void){return p != &x;}\n' | \
	$(CC) -static-pie -Wl,-z,pack-relative-relocs -x c - -o $$d/relr 2>/dev/null && $$d/relr && echo 1; rm -rf $$d)
endif
ifeq ($(CLI_RELR),1)
CLI_STATIC_LDFLAGS += -Wl,-z,pack-relative-relocs
endif
endif
$(BUILD)/obj/tool/front_static_entry.o: tool/front_static_entry.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fno-stack-protector -c $< -o $@
$(CLI): $(TOOL_OBJ) $(BUILD)/obj/tool/front_static.o $(CLI_ENTRY_OBJ) $(ENGINE_LIB) $(CLI_HOT_LD)
	$(CC) $(ALL_CFLAGS) -static-pie $(TOOL_OBJ) $(BUILD)/obj/tool/front_static.o $(CLI_ENTRY_OBJ) $(ENGINE_LIB) \
		$(ALL_LDFLAGS) $(CLI_STATIC_LDFLAGS) -o $@
$(CLI_DYNAMIC): $(TOOL_OBJ) $(BUILD)/obj/tool/front_dynamic.o $(ENGINE_LIB)
else
$(CLI): $(TOOL_OBJ) $(BUILD)/obj/tool/front_dynamic.o $(ENGINE_LIB)
endif
	$(CC) $(ALL_CFLAGS) -pie $(TOOL_OBJ) $(BUILD)/obj/tool/front_dynamic.o $(ENGINE_LIB) \
		$(ALL_LDFLAGS) $(SYSTEM_RPATH) $(TOOL_LIBS) -ldl -o $@

# The shim links nothing heavy: libyaml, libmd and libelf are dlopen()ed
# only when a config file, a trust check or the host runtime needs them.
# It binds its imports lazily (last, so a distribution's LDFLAGS with
# -z now do not undo it): ld.so then looks up only the few functions the
# constructor calls, not all ~80 the engine links, at every cold exec.
# RELRO stays. What BIND_NOW would add, a read-only PLT GOT, defends a
# process against its own memory corruption; the shim runs inside the
# program it confines, whose integrity the sandbox never relies on: the
# kernel enforces the layer and the filter once they are applied
# (docs/perf.md, "Lazy binding of the shim").
# No DT_FINI: the name given to -fini is defined nowhere, so the linker
# records no finaliser. The one it would record, the C runtime's empty
# _fini, sits after the whole text, past the window the constructor's page
# faults map, and calling it at exit was one more page fault per cold exec;
# the destructors that matter run from DT_FINI_ARRAY as before
# (docs/perf.md §2).
# The shim's own allocations (the engine's too) come from a bump arena in
# its .bss before libc's heap: starting libc's malloc is the largest single
# cost a cold exec of a small policy would otherwise pay (startup_arena.c).
SHIM_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free,--wrap=strdup
SHIM_LDFLAGS := -Wl,-z,lazy -Wl,-fini=sandboxec_shim_has_no_fini $(SHIM_WRAP)
$(SHIM): $(SHIM_MAIN:%.c=$(BUILD)/obj/%.o) $(ENGINE_LIB)
	$(CC) $(ALL_CFLAGS) -shared $^ $(ALL_LDFLAGS) $(SYSTEM_RPATH) -Wl,-soname,libsandboxec.so -ldl $(SHIM_LDFLAGS) -o $@

$(BUILD)/tests/unit/%: tests/unit/%.c $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Itests/unit $< $(ENGINE_LIB) $(ALL_LDFLAGS) -lcmocka -ldl -o $@

# Unit tests of the shim's and the tool's own files link those files too;
# the start-up arena's test is linked as the shim is, with --wrap.
$(BUILD)/tests/unit/shim/test_startup_arena: tests/unit/shim/test_startup_arena.c $(BUILD)/obj/shim/startup_arena.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Itests/unit $^ $(ALL_LDFLAGS) $(SHIM_WRAP) -lcmocka -lpthread -o $@

# Unit tests of the shim's and the tool's own files link those files too.
$(BUILD)/tests/unit/shim/%: tests/unit/shim/%.c $(SHIM_TESTABLE_OBJ) $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Itests/unit $< $(SHIM_TESTABLE_OBJ) $(ENGINE_LIB) $(ALL_LDFLAGS) -lcmocka -ldl -o $@

$(BUILD)/tests/unit/tool/%: tests/unit/tool/%.c $(TOOL_TESTABLE_OBJ) $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Itests/unit $< $(TOOL_TESTABLE_OBJ) $(ENGINE_LIB) $(ALL_LDFLAGS) -lcmocka -ldl -o $@

$(BUILD)/tests/helpers/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes $< $(ALL_LDFLAGS) -o $@

check: deps-if-missing all $(UNIT_BIN) $(HELPER_BIN)
	@scripts/run-tests.sh $(BUILD) $(UNIT_BIN)

unit: $(UNIT_BIN)
	@scripts/run-tests.sh --unit-only $(BUILD) $(UNIT_BIN)

integration: all $(HELPER_BIN)
	@scripts/run-tests.sh --integration-only $(BUILD)

bench: all $(HELPER_BIN)
	@scripts/bench.sh $(BUILD)

# The main job in one shipped scenario (scripts/demo.sh): a risky script
# reads and writes its project (allowed) and tries an SSH key and
# ~/.profile (denied), under the CLI and under the shim.
demo: deps-if-missing all
	@scripts/demo.sh $(BUILD)

deps:
	@scripts/deps.sh install

.PHONY: deps-if-missing
deps-if-missing:
	@scripts/deps.sh check-or-install

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(DATADIR)/sandboxec/profiles
	install -m 0755 $(CLI) $(DESTDIR)$(BINDIR)/sandboxec
	$(if $(CLI_STATIC),install -m 0755 $(CLI_DYNAMIC) $(DESTDIR)$(LIBDIR)/sandboxec-dynamic)
	install -m 0644 $(SHIM) $(DESTDIR)$(LIBDIR)/libsandboxec.so
	$(if $(FAST),install -m 0644 $(FAST) $(DESTDIR)$(LIBDIR)/libsandboxec-fast.so)
	$(if $(SHIM_I386),install -m 0644 $(SHIM32) $(DESTDIR)$(LIBDIR)/libsandboxec-i386.so)
	scripts/shim-tree.sh $(DESTDIR)$(LIBDIR)/libsandboxec $(DESTDIR)$(LIBDIR)/libsandboxec.so \
		'$(SHIM_LIB64)' $(if $(SHIM_I386),$(DESTDIR)$(LIBDIR)/libsandboxec-i386.so $(SHIM_LIB32))
	if [ -d profiles ]; then cd profiles && find . \( -name '*.yaml' -o -name '*.yml' \) \
		-exec install -D -m 0644 {} $(DESTDIR)$(DATADIR)/sandboxec/profiles/{} \; ; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sandboxec $(DESTDIR)$(LIBDIR)/sandboxec-dynamic \
		$(DESTDIR)$(LIBDIR)/libsandboxec.so $(DESTDIR)$(LIBDIR)/libsandboxec-fast.so \
		$(DESTDIR)$(LIBDIR)/libsandboxec-i386.so
	rm -rf $(DESTDIR)$(LIBDIR)/libsandboxec
	rm -rf $(DESTDIR)$(DATADIR)/sandboxec/profiles
	-rmdir $(DESTDIR)$(DATADIR)/sandboxec 2>/dev/null

# The C sources under the committed .clang-format: `make format` rewrites
# them, `make format-check` (part of lint) only reports.
C_DIRS := shim shim/engine shim/hostrt shim/fast tool tool/mcp
FORMAT_SRC = $(wildcard $(C_DIRS:%=%/*.[ch]) tests/unit/*.h tests/unit/*/*.c tests/helpers/*.[ch] tests/bench/*.[ch] tests/fast/*.c tests/fuzz/*/*.c)
TIDY_FLAGS = $(filter-out -MMD -MP,$(BASE_CFLAGS)) -Ishim -Itool

format:
	clang-format -i $(FORMAT_SRC)

format-check:
	@clang-format --dry-run -Werror $(FORMAT_SRC) && echo "format-check: clean"

# clang-tidy reads .clang-tidy; one file per run, two runs at a time. The
# include graph must follow the layers (scripts/check-layers.sh) and no
# production function may pass 80 lines (scripts/longest-functions.sh).
lint: format-check
	@scripts/check-layers.sh
	@scripts/longest-functions.sh --top 5 --max 80 shim tool
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
		--suppress=missingIncludeSystem -Ishim -Itool shim tool
	@printf '%s\n' $(wildcard $(C_DIRS:%=%/*.c)) | \
		xargs -P2 -I{} clang-tidy --quiet {} -- $(TIDY_FLAGS)
	@echo "lint: clean"

clean:
	rm -rf $(BUILD)

-include $(wildcard mk/*.mk)
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
