# SPDX-License-Identifier: Apache-2.0
# The host-runtime resolver's test and bench helper. It calls the engine,
# so it links the archive (the generic helper rule builds standalone
# programs).
$(BUILD)/tests/helpers/hostrt_closure: tests/helpers/hostrt_closure.c $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes $< $(ENGINE_LIB) $(ALL_LDFLAGS) -ldl -o $@

.PHONY: bench-hostrt
bench-hostrt: $(BUILD)/tests/helpers/hostrt_closure
	@scripts/bench_hostrt.sh $(BUILD)
