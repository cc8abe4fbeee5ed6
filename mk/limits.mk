# SPDX-License-Identifier: Apache-2.0
# The library tests/security/t_limits_landlock.sh loads with dlopen() from
# a tree granted read but not execute (docs/security.md "What Landlock does
# not cover"). Like the pre-main fixture it is built without sanitizers: it
# is loaded into the plain helper.
LIMITS_PAYLOAD := $(BUILD)/tests/limits/libpayload.so
LIMITS_CFLAGS = -std=gnu11 -D_GNU_SOURCE -fPIC $(WARN) -O2 -g

$(LIMITS_PAYLOAD): tests/limits/payload_lib.c
	@mkdir -p $(dir $@)
	$(CC) $(LIMITS_CFLAGS) -shared $< -Wl,-soname,libpayload.so -o $@

check integration: $(LIMITS_PAYLOAD)
