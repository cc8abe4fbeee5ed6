# MCP server extras: the libFuzzer target for the protocol code.
#   make fuzz-mcp && build/fuzz/fuzz_mcp -max_total_time=60 tests/fuzz/corpus/mcp
# `make fuzz` (mk/hostrt.mk) runs it with the other targets: its name comes
# from tests/fuzz/fuzz_mcp.c like theirs, and this explicit rule, which links
# the tool's protocol code and jansson, takes precedence over the generic
# pattern rule that links the engine.
FUZZ_CC ?= clang
MCP_FUZZ := $(BUILD)/fuzz/fuzz_mcp
MCP_FUZZ_SRC := tests/fuzz/fuzz_mcp.c tool/mcp_protocol.c tool/mcp_tool.c shim/util.c shim/error.c

.PHONY: fuzz-mcp fuzz-mcp-run
fuzz-mcp: $(MCP_FUZZ)

$(MCP_FUZZ): $(MCP_FUZZ_SRC) $(wildcard tool/mcp_*.h) shim/util.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=gnu11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
		-DSBX_VERSION='"$(VERSION)"' -Ishim -Itool $(MCP_FUZZ_SRC) -ljansson -o $@

# A short run from the seed corpus; new inputs go to build/, not the tree.
fuzz-mcp-run: $(MCP_FUZZ)
	@mkdir -p $(BUILD)/fuzz/corpus-mcp
	$(MCP_FUZZ) -max_total_time=$${FUZZ_SECONDS:-30} -max_len=65536 \
		$(BUILD)/fuzz/corpus-mcp tests/fuzz/corpus/mcp
