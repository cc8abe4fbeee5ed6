/* SPDX-License-Identifier: Apache-2.0 */
/* `trust` mode (docs/design.md §3.3): show a project file and record its path and
 * SHA-256 in the trust store. The bytes shown are the bytes hashed, with
 * whatever a terminal would hide shown escaped; the path recorded is the
 * one a run finds the file at, never a link's target. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine/config_find.h"
#include "engine/config_yaml.h"
#include "engine/trust.h"
#include "engine/visible.h"

extern char **environ;

/* The review: the path, then the file, each byte a terminal would not show
 * as itself escaped, so what is read is exactly what is trusted. */
static void show_for_review(const char *path, const char *data, size_t len)
{
	struct sbx_buf out = {0};
	size_t hidden;

	sbx_buf_puts(&out, "# ");
	sbx_buf_put_visible(&out, path, strlen(path), 0);
	sbx_buf_putc(&out, '\n');
	hidden = sbx_buf_put_visible(&out, data, len, SBX_VISIBLE_LINES);
	if (out.len && out.data[out.len - 1] != '\n')
		sbx_buf_putc(&out, '\n');
	if (hidden)
		sbx_buf_printf(&out,
			       "# sandboxec: %zu character%s a terminal would not show as "
			       "%s shown escaped above (\\r, \\xHH, \\uHHHH)\n",
			       hidden, hidden == 1 ? "" : "s",
			       hidden == 1 ? "itself is" : "themselves are");
	fwrite(out.data, 1, out.len, stdout);
	sbx_buf_free(&out);
}

/* The project file to trust: FILE, or the one found from the cwd. */
static int find_file(struct sbx_cli *cli, char **path, struct sbx_error *err)
{
	if (cli->argc == 1)
		return sbx_project_file_path(cli->argv[0], path, err);
	if (sbx_project_file_find(path, err) < 0)
		return -1;
	if (!*path)
		return sbx_error_set(err, "no .sandboxec.yaml or .sandboxec.yml here or in any "
					  "parent directory; name the file: sandboxec --mode trust "
					  "FILE");
	return 0;
}

int sbx_mode_trust(struct sbx_cli *cli)
{
	struct sbx_error err = {{0}};
	struct sbx_config_doc doc;
	struct sbx_buf shown = {0};
	char *path = NULL, *data = NULL, *dir = NULL;
	size_t len = 0;
	int status = 1;

	if (cli->argc > 1) {
		sbx_cli_error("--mode trust takes at most one FILE");
		return 1;
	}
	/* Read as a run reads it: a link, a directory or a FIFO is refused. */
	if (find_file(cli, &path, &err) < 0 || sbx_project_file_read(path, &data, &len, &err) < 0)
		goto fail;
	/* Refuse to trust what would not load: trust is for a working config. */
	dir = sbx_path_dirname(path);
	if (sbx_config_parse(data, len, path, dir, &doc, &err) < 0)
		goto fail;
	sbx_config_doc_free(&doc);
	show_for_review(path, data, len);
	fflush(stdout);
	if (sbx_trust_record(environ, path, data, len, &err) < 0)
		goto fail;
	sbx_buf_put_visible(&shown, path, strlen(path), 0);
	fprintf(stderr, "sandboxec: trusted %s as shown above; any edit revokes this\n",
		shown.data);
	status = 0;
	goto out;
fail:
	sbx_cli_error("%s", err.msg);
out:
	sbx_buf_free(&shown);
	free(path);
	free(data);
	free(dir);
	return status;
}
