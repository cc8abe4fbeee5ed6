/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the YAML config loader (docs/design.md §3.1) over arbitrary bytes,
 * then every rule it accepted through the rule parser, as the resolver
 * would; and first both readers of config_yaml.c on the same bytes, which
 * must agree (config_readers_same.h). libyaml itself is dlopen()ed
 * uninstrumented: the target is our walk over its events and its document
 * tree, not libyaml. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config_readers_same.h"
#include "engine/config_yaml.h"
#include "engine/rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *const envp[] = {"HOME=/home/fuzz", "PWD=/work", NULL};
	struct sbx_config_doc doc;
	struct sbx_error err;
	char why[SBX_ERROR_MAX * 3];
	size_t i;
	int ret;

	if (config_readers_differ((const char *)data, size, &ret, &err, why)) {
		fprintf(stderr, "the two YAML readers disagree: %s\n", why);
		abort();
	}
	if (sbx_config_parse((const char *)data, size, "/fuzz/.sandboxec.yaml", "/fuzz", &doc,
			     &err) < 0) {
		/* Every refusal must name the file (docs/design.md §3.1). */
		if (!strstr(err.msg, "/fuzz/.sandboxec.yaml"))
			abort();
		return 0;
	}
	for (i = 0; i < doc.layer.fs.len; i++) {
		const struct sbx_right *right;
		char *path = NULL;

		if (sbx_rule_parse_fs(doc.layer.fs.items[i].text, envp,
				      doc.layer.fs.items[i].base_dir, &right, &path, &err) == 0)
			free(path);
	}
	for (i = 0; i < doc.layer.net.len; i++) {
		const struct sbx_right *right;
		uint16_t port;

		(void)sbx_rule_parse_net(doc.layer.net.items[i].text, &right, &port, &err);
	}
	sbx_config_doc_free(&doc);
	return 0;
}
