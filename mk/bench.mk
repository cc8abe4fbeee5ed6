# SPDX-License-Identifier: Apache-2.0
# `make bench` (scripts/bench.sh): the empty preload library its reference
# row loads, built beside the helpers.
BENCH_EMPTY_PRELOAD := $(BUILD)/tests/bench/empty_preload.so

$(BENCH_EMPTY_PRELOAD): tests/bench/empty_preload.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -shared $< $(ALL_LDFLAGS) -o $@

bench: $(BENCH_EMPTY_PRELOAD)

# scripts/bench_scale.sh: the raw kernel cost of many rules, its reference row.
BENCH_RAW_RULES := $(BUILD)/tests/bench/raw_rules

$(BENCH_RAW_RULES): tests/bench/raw_rules.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $< $(ALL_LDFLAGS) -o $@

bench: $(BENCH_RAW_RULES)
