/* SPDX-License-Identifier: Apache-2.0 */
/* `trust` mode (docs/design.md §3.3): show a project file and record its path and
 * SHA-256 in the trust store. The bytes shown are the bytes hashed. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "engine/config_find.h"
#include "engine/config_yaml.h"
#include "engine/trust.h"

extern char **environ;

int sbx_mode_trust(struct sbx_cli *cli)
{
	struct sbx_error err = {{0}};
	struct sbx_config_doc doc;
	char *found = NULL, *real = NULL, *data = NULL, *dir = NULL;
	size_t len;
	int status = 1;

	if (cli->argc > 1) {
		sbx_cli_error("--mode trust takes at most one FILE");
		return 1;
	}
	if (cli->argc == 1) {
		found = sbx_xstrdup(cli->argv[0]);
	} else {
		if (sbx_project_file_find(&found, &err) < 0)
			goto fail;
		if (!found) {
			sbx_cli_error("no .sandboxec.yaml or .sandboxec.yml here or in any parent "
				      "directory; name the file: sandboxec --mode trust FILE");
			return 1;
		}
	}
	real = realpath(found, NULL);
	if (!real) {
		sbx_error_set(&err, "cannot find %s", found);
		goto fail;
	}
	if (sbx_read_file(real, 4u << 20, &data, &len, &err) < 0)
		goto fail;
	/* Refuse to trust what would not load: trust is for a working config. */
	dir = sbx_path_dirname(real);
	if (sbx_config_parse(data, len, real, dir, &doc, &err) < 0)
		goto fail;
	sbx_config_doc_free(&doc);
	printf("# %s\n", real);
	fwrite(data, 1, len, stdout);
	if (len && data[len - 1] != '\n')
		putchar('\n');
	if (sbx_trust_record(environ, real, data, len, &err) < 0)
		goto fail;
	fprintf(stderr, "sandboxec: trusted %s as shown above; any edit revokes this\n", real);
	status = 0;
	goto out;
fail:
	sbx_cli_error("%s", err.msg);
out:
	free(found);
	free(real);
	free(data);
	free(dir);
	return status;
}
