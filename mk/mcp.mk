# SPDX-License-Identifier: Apache-2.0
# The MCP server's libFuzzer target: the protocol code of tool/mcp/.
#   make fuzz-mcp && build/fuzz/fuzz_mcp -max_total_time=60 tests/fuzz/corpus/mcp
# `make fuzz` (mk/fuzz.mk) runs it with the other targets: its name comes
# from tests/fuzz/mcp/fuzz_mcp.c like theirs, and this explicit rule links
# the tool's protocol code and jansson instead of the engine.
FUZZ_CC ?= clang
MCP_FUZZ := $(BUILD)/fuzz/fuzz_mcp
MCP_FUZZ_SRC := tests/fuzz/mcp/fuzz_mcp.c tool/mcp/mcp_protocol.c tool/mcp/mcp_tool.c \
	shim/engine/util.c shim/engine/error.c

.PHONY: fuzz-mcp fuzz-mcp-run
fuzz-mcp: $(MCP_FUZZ)

$(MCP_FUZZ): $(MCP_FUZZ_SRC) $(wildcard tool/mcp/*.h) shim/engine/util.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=gnu11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
		-DSBX_VERSION='"$(VERSION)"' -Ishim -Itool $(MCP_FUZZ_SRC) -ljansson -o $@

# A short run from the seed corpus; new inputs go to build/, not the tree.
fuzz-mcp-run: $(MCP_FUZZ)
	@mkdir -p $(BUILD)/fuzz/corpus-mcp
	$(MCP_FUZZ) -max_total_time=$${FUZZ_SECONDS:-30} -max_len=65536 \
		$(BUILD)/fuzz/corpus-mcp tests/fuzz/corpus/mcp
