# SPDX-License-Identifier: Apache-2.0
# `make check SANITIZE=1`: ASan + UBSan, built into build-san/ (see the
# BUILD line of the Makefile).
#
# ASan must be the first library a process loads, so an ASan-built
# libsandboxec.so cannot be preloaded into the ordinary programs the shim
# tests run (bash, env, the test helpers): the runtime aborts with "ASan
# runtime does not come first". So in a sanitizer build only the CLI, the
# unit tests and the engine-linked helpers get ASan + UBSan; the shim and
# the standalone test helpers get UBSan alone, whose runtime may load
# anywhere. The shim's engine code is compiled a second time for that.
ifeq ($(SANITIZE),1)
UBSAN_ONLY := -fsanitize=undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
NOSAN_CFLAGS = $(filter-out -fsanitize=%,$(ALL_CFLAGS))
NOSAN_LDFLAGS = $(filter-out -fsanitize=%,$(ALL_LDFLAGS))
SHIM_UBSAN_OBJ := $(SHIM_MAIN:%.c=$(BUILD)/obj-ubsan/%.o) $(ENGINE_SRC:%.c=$(BUILD)/obj-ubsan/%.o)

$(BUILD)/obj-ubsan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(NOSAN_CFLAGS) $(UBSAN_ONLY) -c $< -o $@

# Replaces the Makefile's recipe for the shim (make notes the override).
$(SHIM): $(SHIM_UBSAN_OBJ)
	$(CC) $(NOSAN_CFLAGS) $(UBSAN_ONLY) -shared $(SHIM_UBSAN_OBJ) $(NOSAN_LDFLAGS) $(SYSTEM_RPATH) $(UBSAN_ONLY) \
		-Wl,-soname,libsandboxec.so -ldl $(SHIM_WRAP) -o $@

# The CLI gets its sanitizer defaults compiled in (see the file's comment).
CLI_ASAN_OPTIONS_OBJ := $(BUILD)/obj/tests/sanitize/cli_asan_options.o
$(CLI): $(CLI_ASAN_OPTIONS_OBJ)
$(CLI): LDFLAGS += $(CLI_ASAN_OPTIONS_OBJ)

$(BUILD)/tests/helpers/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(NOSAN_CFLAGS) $(UBSAN_ONLY) -Wno-missing-prototypes $< $(NOSAN_LDFLAGS) $(UBSAN_ONLY) -o $@
endif
