# SPDX-License-Identifier: Apache-2.0
# Security batteries: the static twin of the escape helper, for
# the attempts about binaries LD_PRELOAD cannot reach.
ESCAPE_STATIC := $(BUILD)/tests/helpers/escape-static

$(ESCAPE_STATIC): tests/helpers/escape.c
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -fsanitize=%,$(ALL_CFLAGS)) -Wno-missing-prototypes -static $< -o $@

check integration: $(ESCAPE_STATIC)
