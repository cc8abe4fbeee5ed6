# Host-runtime resolver (issue 4): its helper, the fuzzers and the bench.

# The agreement/bench helper calls the engine, so it links the archive
# (the generic helper rule builds standalone programs).
$(BUILD)/tests/helpers/hostrt_closure: tests/helpers/hostrt_closure.c $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes $< $(ENGINE_LIB) $(ALL_LDFLAGS) -ldl -o $@

.PHONY: bench-hostrt
bench-hostrt: $(BUILD)/tests/helpers/hostrt_closure
	@scripts/bench_hostrt.sh $(BUILD)

# `make fuzz [FUZZ_SECONDS=N]`: every tests/fuzz/fuzz_NAME.c is a libFuzzer
# target, built with clang against the engine sources and run for
# FUZZ_SECONDS on a working copy of its seed corpus tests/fuzz/corpus/NAME/.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -std=gnu11 -g -O1 -Ishim $(FUZZ_SAN) \
	$(filter-out -D_FORTIFY_SOURCE%,$(filter -D%,$(BASE_CFLAGS)))
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_BIN := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_ENGINE_OBJ := $(ENGINE_SRC:%.c=$(BUILD)/fuzz/obj/%.o)

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_ENGINE_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_ENGINE_OBJ) -ldl -o $@

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@scripts/fuzz.sh $(BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)

# Keep the instrumented engine objects between fuzzer builds.
.SECONDARY: $(FUZZ_ENGINE_OBJ)
