/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the rule parser (docs/design.md §2.1, §2.2) over arbitrary text,
 * as an fs rule with variable expansion and as a net rule. Checks what the
 * parser promises, not only that it survives: a parsed fs path is absolute,
 * and a parsed rule parses again to the same access. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Variables the input can name: set, empty, and one holding the
	 * characters expansion must pass through untouched. */
	static char *const envp[] = {"HOME=/home/fuzz", "A=/a", "EMPTY=", "ODD=$x,\\:~", NULL};
	const struct sbx_right *right;
	struct sbx_error err;
	uint16_t port;
	char *text, *path = NULL;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	if (sbx_rule_parse_fs(text, envp, "/base", &right, &path, &err) == 0) {
		if (path[0] != '/')
			abort();
		free(path);
	}
	if (sbx_rule_parse_net(text, &right, &port, &err) == 0) {
		const struct sbx_right *again;
		uint16_t port2;
		char *canon = NULL;

		/* Re-parse the canonical spelling: same right, same port. */
		if (asprintf(&canon, "%s:%u", right->short_name, port) < 0)
			abort();
		if (sbx_rule_parse_net(canon, &again, &port2, &err) < 0 || again != right ||
		    port2 != port)
			abort();
		free(canon);
	}
	free(text);
	return 0;
}
