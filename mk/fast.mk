# SPDX-License-Identifier: Apache-2.0
# libsandboxec-fast.so, the fast audit entry (shim/fast/, docs/audit-and-seccomp.md,
# "The fast audit entry"): freestanding, no libc, so ld.so maps no second
# libc for the audit namespace. It compiles the engine's pure files
# (rights.c, plan_sets.c, seccomp_filter.c) itself; the sections only the
# rest of those files needs (libc calls) are dropped at link time, and
# --no-undefined proves none is left. No stack protector or fortify: both
# call into libc. Built where its system calls are written (x86-64);
# elsewhere the settings name the shim alone.
ifeq ($(origin FAST_AUDIT_ARCH),undefined)
FAST_AUDIT_ARCH := $(filter x86_64-%,$(shell $(CC) -dumpmachine))
endif
ifneq ($(FAST_AUDIT_ARCH),)
FAST := $(BUILD)/libsandboxec-fast.so
FAST_SRC := $(wildcard shim/fast/*.c) shim/engine/rights.c shim/engine/plan_sets.c \
	shim/engine/seccomp_filter.c
FAST_CFLAGS = -std=gnu11 -D_GNU_SOURCE -Ishim $(WARN) $(CFLAGS) -fPIC -fvisibility=hidden \
	-ffreestanding -fno-stack-protector -U_FORTIFY_SOURCE -fno-tree-loop-distribute-patterns \
	-ffunction-sections -fdata-sections -DSBX_SHIM_LIB64='"$(SHIM_LIB64)"'

$(FAST): $(FAST_SRC) $(wildcard shim/fast/*.h) shim/engine/fingerprint.h shim/engine/plan_sets.h \
		shim/engine/path_shape.h shim/engine/rights.h shim/engine/seccomp_filter.h shim/engine/landlock_abi.h \
		shim/engine/raw_syscall.h
	@mkdir -p $(dir $@)
	$(CC) $(FAST_CFLAGS) -nostdlib -shared -Wl,--gc-sections -Wl,--no-undefined \
		-Wl,-z,relro,-z,now -Wl,-soname,libsandboxec-fast.so $(FAST_SRC) -o $@

all: $(FAST)
endif

# Its pure part, unit-tested with libc like the engine's files.
$(BUILD)/tests/unit/fast/test_fast_settings: tests/unit/fast/test_fast_settings.c \
		shim/fast/fast_settings.c $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Itests/unit $< shim/fast/fast_settings.c \
		$(ENGINE_LIB) $(ALL_LDFLAGS) -lcmocka -ldl -o $@

# An audit module that starts a thread first, for the battery of the fast
# entry (tests/security/t_escape_fast_audit.sh). Never sanitized: it loads
# before everything, and an ASan runtime that does not come first aborts
# the process (make check SANITIZE=1).
FAST_THREAD_AUDIT := $(BUILD)/tests/fast/thread_audit.so
$(FAST_THREAD_AUDIT): tests/fast/thread_audit.c
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -fsanitize=%,$(ALL_CFLAGS)) -Wno-missing-prototypes -shared $< \
		$(filter-out -fsanitize=%,$(ALL_LDFLAGS)) -pthread -o $@

check integration: $(FAST_THREAD_AUDIT)
