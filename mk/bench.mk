# SPDX-License-Identifier: Apache-2.0
# `make bench` (scripts/bench.sh): the floor and peer rows the project
# writes itself (tests/bench/), built beside the helpers. Like the pre-main
# fixture they are built without sanitizers (a static or preloaded program
# cannot carry ASan's runtime), so the seccomp floor compiles the engine's
# filter builder from source rather than linking libsbxengine.a. The audit
# module and the libc-free wrapper link no libc, so they are built without
# the hardening flags that would call into libc (stack protector, fortify),
# on the architectures whose system-call instruction the engine spells out
# (shim/engine/raw_syscall.h, through tests/bench/floor_sys_raw.h).
BENCH_DIR := $(BUILD)/tests/bench
BENCH_EMPTY_PRELOAD := $(BENCH_DIR)/empty_preload.so
BENCH_CFLAGS = -std=gnu11 -D_GNU_SOURCE -fPIC -fvisibility=hidden -Ishim $(WARN) -O2 -g
BENCH_FILTER_SRC := shim/engine/seccomp_filter.c shim/engine/error.c
BENCH_FLOORS := $(BENCH_EMPTY_PRELOAD) $(BENCH_DIR)/landlock_preload.so \
	$(BENCH_DIR)/landlock_seccomp_preload.so $(BENCH_DIR)/static_wrapper \
	$(BENCH_DIR)/static_seccomp_wrapper $(BENCH_DIR)/sandboxer_ref $(BENCH_DIR)/vm_costs
ifneq ($(filter x86_64 aarch64,$(shell uname -m)),)
BENCH_FLOORS += $(BENCH_DIR)/audit_nolibc.so $(BENCH_DIR)/static_wrapper_nolibc
endif
BENCH_NOLIBC_CFLAGS = -std=gnu11 -Ishim $(WARN) -O2 -ffreestanding -fno-stack-protector -nostdlib

$(BENCH_DIR)/%.so: tests/bench/%.c tests/bench/floor_landlock.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -shared $< -Wl,-z,relro,-z,now -o $@

$(BENCH_DIR)/landlock_seccomp_preload.so: tests/bench/landlock_seccomp_preload.c \
		tests/bench/floor_landlock.h tests/bench/floor_seccomp.h $(BENCH_FILTER_SRC) \
		shim/engine/seccomp_filter.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -shared $< $(BENCH_FILTER_SRC) -Wl,--no-undefined -Wl,-z,relro,-z,now -o $@

$(BENCH_DIR)/audit_nolibc.so: tests/bench/audit_nolibc.c tests/bench/floor_landlock.h \
		tests/bench/floor_sys_raw.h shim/engine/raw_syscall.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_NOLIBC_CFLAGS) -fPIC -shared -Wl,--no-undefined -Wl,-z,relro,-z,now $< -o $@

$(BENCH_DIR)/static_wrapper_nolibc: tests/bench/static_wrapper_nolibc.c tests/bench/floor_landlock.h \
		tests/bench/floor_sys_raw.h shim/engine/raw_syscall.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_NOLIBC_CFLAGS) -fno-pie -static -no-pie $< -o $@

$(BENCH_DIR)/static_wrapper: tests/bench/static_wrapper.c tests/bench/floor_landlock.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -static $< -o $@

$(BENCH_DIR)/static_seccomp_wrapper: tests/bench/static_wrapper.c tests/bench/floor_landlock.h \
		tests/bench/floor_seccomp.h $(BENCH_FILTER_SRC) shim/engine/seccomp_filter.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -DBENCH_WRAPPER_SECCOMP -static $< $(BENCH_FILTER_SRC) -o $@

# scripts/bench_vm.sh: what this machine charges for a system call, a page
# fault, a fork and a filter's attach.
$(BENCH_DIR)/vm_costs: tests/bench/vm_costs.c $(BENCH_FILTER_SRC) shim/engine/seccomp_filter.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $< $(BENCH_FILTER_SRC) -o $@

$(BENCH_DIR)/sandboxer_ref: tests/bench/sandboxer_ref.c tests/bench/floor_landlock.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $< -Wl,-z,relro,-z,now -o $@

bench check integration check-kernels: $(BENCH_FLOORS)

# scripts/bench_scale.sh: the raw kernel cost of many rules, its reference row.
BENCH_RAW_RULES := $(BUILD)/tests/bench/raw_rules

$(BENCH_RAW_RULES): tests/bench/raw_rules.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $< $(ALL_LDFLAGS) -o $@

bench check integration: $(BENCH_RAW_RULES)
