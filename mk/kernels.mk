# SPDX-License-Identifier: Apache-2.0
# The kernel matrix (scripts/kernels/): the static init of its initramfs,
# and `make check-kernels`, which boots Debian's kernels under QEMU and
# runs the Landlock-facing scripts inside each (FULL=1: every script;
# KERNELS="6.1 7.3": only those).
KERNEL_INIT := $(BUILD)/kernels/init
FORMAT_SRC += $(wildcard tests/kernels/*.c)

$(KERNEL_INIT): tests/kernels/init.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -Werror -static $< -o $@

.PHONY: check-kernels
# The static escape helper by its path: mk/security.mk, which names it,
# is read after this file.
check-kernels: all $(HELPER_BIN) $(BUILD)/tests/helpers/escape-static $(KERNEL_INIT)
	@scripts/kernels/matrix.sh $(if $(filter 1,$(FULL)),--full) $(KERNELS)
