# SPDX-License-Identifier: Apache-2.0
# The shim's i386 copy and the $LIB tree the generated settings name
# (docs/shim.md, "32-bit programs"); SHIM_LIB64, SHIM_LIB32 and SHIM_I386
# are probed in the Makefile. Also the 32-bit test program of
# tests/security/t_escape_i386.sh.
SHIM32_OBJ := $(SHIM_MAIN:%.c=$(BUILD)/obj32/%.o) $(ENGINE_SRC:%.c=$(BUILD)/obj32/%.o)
ESCAPE32 := $(BUILD)/tests/i386/escape

# The i386 copy's own system library directory, for its DT_RPATH and the
# libraries it loads on first use (docs/design.md §4.4).
SYSTEM_LIBDIRS32 := $(if $(SHIM_I386),$(shell scripts/system-libdirs.sh $(CC) -m32))
CFLAGS32 = -m32 $(filter-out -DSBX_SYSTEM_LIBDIRS=%,$(ALL_CFLAGS)) \
	-DSBX_SYSTEM_LIBDIRS='"$(SYSTEM_LIBDIRS32)"'

$(BUILD)/obj32/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS32) -c $< -o $@

$(SHIM32): $(SHIM32_OBJ)
	$(CC) $(CFLAGS32) -shared $^ $(ALL_LDFLAGS) -Wl,--disable-new-dtags,-rpath,$(SYSTEM_LIBDIRS32) \
		-Wl,-soname,libsandboxec.so -ldl $(SHIM_LDFLAGS) -o $@

# Without an i386 copy, 32-bit programs would run unconfined under the
# settings; `sandboxec --mode env` and `explain` say so, and so does make.
$(SHIM_TREE): $(SHIM) $(FAST) $(if $(SHIM_I386),$(SHIM32)) scripts/shim-tree.sh
	@scripts/shim-tree.sh $@ $(SHIM) '$(SHIM_LIB64)' $(if $(SHIM_I386),$(SHIM32) $(SHIM_LIB32))
	$(if $(SHIM_LIB32),$(if $(SHIM_I386),,@echo "note: no i386 shim: $(CC) -m32 cannot link \
	(install gcc-multilib); 32-bit programs would run unconfined under the generated settings"))

$(ESCAPE32): tests/helpers/escape.c
	@mkdir -p $(dir $@)
	$(CC) -m32 $(ALL_CFLAGS) -Wno-missing-prototypes $< $(ALL_LDFLAGS) -o $@

check integration: $(if $(SHIM_I386),$(ESCAPE32))
