# SPDX-License-Identifier: Apache-2.0
# `make fuzz [FUZZ_SECONDS=N]`: every tests/fuzz/AREA/fuzz_NAME.c is a
# libFuzzer target, built with clang against the engine and host-runtime
# sources and run for FUZZ_SECONDS on a working copy of its seed corpus
# tests/fuzz/corpus/NAME/ (scripts/fuzz.sh). The MCP target links the
# tool's protocol code instead (mk/mcp.mk).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
# The engine's defines only: SBX_SHIM_LIB32 holds a blank, which word
# filtering would cut in two, and no engine file reads SBX_SHIM_LIB*.
FUZZ_CFLAGS = -std=gnu11 -g -O1 -Ishim -Itool $(FUZZ_SAN) \
	$(filter-out -D_FORTIFY_SOURCE% -DSBX_SHIM_LIB%,$(filter -D%,$(BASE_CFLAGS)))
FUZZ_SRC := $(wildcard tests/fuzz/*/fuzz_*.c)
FUZZ_NAMES := $(patsubst fuzz_%.c,%,$(notdir $(FUZZ_SRC)))
FUZZ_BIN := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_ENGINE_OBJ := $(ENGINE_SRC:%.c=$(BUILD)/fuzz/obj/%.o)

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/engine/fuzz_%.c $(FUZZ_ENGINE_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_ENGINE_OBJ) -ldl -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/hostrt/fuzz_%.c $(FUZZ_ENGINE_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_ENGINE_OBJ) -ldl -o $@

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@scripts/fuzz.sh $(BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)

# Keep the instrumented engine objects between fuzzer builds.
.SECONDARY: $(FUZZ_ENGINE_OBJ)
