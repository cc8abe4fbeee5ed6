# SPDX-License-Identifier: Apache-2.0
# The pre-main test fixture (tests/security/t_premain.sh) and the audit-path
# bench.
#
# tests/premain/ is a library plus a program that each run code before
# main (IFUNC resolver, constructor, DT_PREINIT_ARRAY); t_premain.sh copies
# both into a scratch directory (the program finds the library by $ORIGIN).
PREMAIN_DIR := $(BUILD)/tests/premain
PREMAIN_LIB := $(PREMAIN_DIR)/libpremain.so
PREMAIN_PROG := $(PREMAIN_DIR)/premain_prog
PREMAIN_CFLAGS = -std=gnu11 -D_GNU_SOURCE -fPIC $(WARN) -Wno-missing-prototypes -O2 -g

$(PREMAIN_LIB): tests/premain/premain_lib.c tests/premain/premain_try.h
	@mkdir -p $(dir $@)
	$(CC) $(PREMAIN_CFLAGS) -shared $< -Wl,-soname,libpremain.so -o $@

$(PREMAIN_PROG): tests/premain/premain_prog.c tests/premain/premain_try.h $(PREMAIN_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(PREMAIN_CFLAGS) -pie $< -L$(PREMAIN_DIR) -lpremain \
		-Wl,-rpath,'$$ORIGIN' -Wl,-z,now -o $@

.PHONY: premain bench-audit
premain: $(PREMAIN_PROG)
check integration: $(PREMAIN_PROG)

bench-audit: all $(HELPER_BIN)
	@scripts/bench_audit.sh $(BUILD)
