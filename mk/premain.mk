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

# Planted libraries (tests/security/t_escape_plant.sh): one copy of
# planted_lib.c per soname sandboxec loads before its policy applies, each
# named like the real library and linked to it by absolute path (through a
# stub whose soname is that path), so a program that loads it still works.
# plant_prog is built with a RUNPATH, with an RPATH and with neither.
PLANT_DIR := $(BUILD)/tests/premain/plant
PLANT_SONAMES := libc.so.6 libyaml-0.so.2 libmd.so.0 libelf.so.1 libz.so.1
PLANT_LIBS := $(PLANT_SONAMES:%=$(PLANT_DIR)/lib/%)
PLANT_PROGS := $(PLANT_DIR)/plant_runpath $(PLANT_DIR)/plant_rpath $(PLANT_DIR)/plant_plain
plant_real = $(realpath $(shell $(CC) -print-file-name=$(1)))

$(PLANT_DIR)/lib/%: tests/premain/planted_lib.c
	@mkdir -p $(dir $@) $(PLANT_DIR)/stub
	$(CC) -shared -nostdlib -Wl,-soname,$(call plant_real,$*) -x c /dev/null \
		-o $(PLANT_DIR)/stub/$*
	$(CC) $(PREMAIN_CFLAGS) -shared -nostdlib -DPLANT_NAME='"$*"' $< \
		-Wl,-soname,planted-$* -Wl,--no-as-needed $(PLANT_DIR)/stub/$* -o $@

$(PLANT_DIR)/plant_runpath: tests/premain/plant_prog.c
	@mkdir -p $(dir $@)
	$(CC) $(PREMAIN_CFLAGS) -pie $< -Wl,--enable-new-dtags,-rpath,'$$ORIGIN/lib' -ldl -o $@
$(PLANT_DIR)/plant_rpath: tests/premain/plant_prog.c
	@mkdir -p $(dir $@)
	$(CC) $(PREMAIN_CFLAGS) -pie $< -Wl,--disable-new-dtags,-rpath,'$$ORIGIN/lib' -ldl -o $@
$(PLANT_DIR)/plant_plain: tests/premain/plant_prog.c
	@mkdir -p $(dir $@)
	$(CC) $(PREMAIN_CFLAGS) -pie $< -ldl -o $@

.PHONY: plant
plant: $(PLANT_LIBS) $(PLANT_PROGS)
check integration: $(PLANT_LIBS) $(PLANT_PROGS)
