/* SPDX-License-Identifier: Apache-2.0 */
/* `trust` mode (docs/design.md §3.3): show a project file — what changed since
 * it was trusted last, or all of it — and record its path and SHA-256 in
 * the trust store, with a copy of it for the next review. The bytes shown
 * are the bytes hashed (or their difference from bytes trusted before), with
 * whatever a terminal would hide shown escaped; the path recorded is the
 * one a run finds the file at, never a link's target. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "engine/config_find.h"
#include "engine/config_yaml.h"
#include "engine/linediff.h"
#include "engine/resolve.h"
#include "engine/trust.h"
#include "engine/trust_copy.h"
#include "engine/visible.h"

extern char **environ;

/* The whole file, each byte a terminal would not show as itself escaped,
 * so what is read is exactly what is trusted. Returns the escapes. */
static size_t put_whole_file(struct sbx_buf *out, const char *data, size_t len)
{
	size_t hidden = sbx_buf_put_visible(out, data, len, SBX_VISIBLE_LINES);

	if (out->len && out->data[out->len - 1] != '\n')
		sbx_buf_putc(out, '\n');
	return hidden;
}

/* What changed since the version trusted last, or the whole file when
 * there is no usable copy of that version or the change is too large for
 * a line diff. Returns the escapes. */
static size_t put_changes(struct sbx_buf *out, const char *data, size_t len,
			  const struct sbx_trust_prior *prior)
{
	struct sbx_buf diff = {0};
	size_t hidden = 0;
	long changed;

	if (prior->state == SBX_TRUST_PRIOR_NONE) {
		sbx_buf_puts(out, "# sandboxec: not trusted at this path before; the whole file "
				  "(`sandboxec --mode explain` in its directory shows the rules it "
				  "resolves to):\n");
		return put_whole_file(out, data, len);
	}
	if (prior->state == SBX_TRUST_PRIOR_LOST) {
		sbx_buf_puts(out, "# sandboxec: trusted here before, but the copy kept then is ");
		sbx_buf_put_visible(out, prior->why.msg, strlen(prior->why.msg), 0);
		sbx_buf_puts(out, "; the whole file:\n");
		return put_whole_file(out, data, len);
	}
	changed = sbx_line_diff(prior->data, prior->len, data, len, &diff, &hidden);
	if (changed < 0) {
		sbx_buf_puts(out, "# sandboxec: too much changed since the version trusted last "
				  "for a line diff; the whole file:\n");
		hidden = put_whole_file(out, data, len);
	} else if (changed == 0) {
		sbx_buf_puts(out, "# sandboxec: no change since the version trusted last\n");
	} else {
		sbx_buf_puts(out, "# sandboxec: changes since the version trusted last (- then, + "
				  "now):\n");
		sbx_buf_append(out, diff.data, diff.len);
	}
	sbx_buf_free(&diff);
	return hidden;
}

/* The review: the path, then what changed since it was trusted last (or
 * the whole file), then how many characters were shown escaped. */
static void show_for_review(const char *path, const char *data, size_t len,
			    const struct sbx_trust_prior *prior)
{
	struct sbx_buf out = {0};
	size_t hidden;

	sbx_buf_puts(&out, "# ");
	sbx_buf_put_visible(&out, path, strlen(path), 0);
	sbx_buf_putc(&out, '\n');
	hidden = put_changes(&out, data, len, prior);
	if (hidden)
		sbx_buf_printf(&out,
			       "# sandboxec: %zu character%s a terminal would not show as "
			       "%s shown escaped above (\\r, \\xHH, \\uHHHH)\n",
			       hidden, hidden == 1 ? "" : "s",
			       hidden == 1 ? "itself is" : "themselves are");
	fwrite(out.data, 1, out.len, stdout);
	sbx_buf_free(&out);
}

/* Refuse to trust what would not run: the file resolved alone, as the
 * shim resolves a config (every rule and setting parsed, its rights known,
 * its ports in range, its extends found), with no flag or SANDBOXEC_*
 * setting to mask a bad value. The error is the one a run would print. */
static int check_would_run(struct sbx_cli *cli, const char *path, struct sbx_error *err)
{
	static const char *const drop[] = {"SANDBOXEC_", NULL};
	char *config = sbx_xasprintf("SANDBOXEC_CONFIG=%s", path);
	/* A path the project creates later (a build's out/) is not an error. */
	const char *extra[] = {config, "SANDBOXEC_IGNORE_IF_MISSING=1", NULL};
	char **envp = sbx_cli_env_with(drop, extra);
	struct sbx_resolve_input in = {NULL, envp, cli->self_dir, cli->shim_path, false};
	struct sbx_policy policy;
	char *dir = sbx_path_dirname(path);
	int here = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC), ret = -1;

	/* Relative rules start from the file's directory, as for a run there. */
	if (here < 0 || chdir(dir) < 0)
		sbx_error_set(err, "cannot enter %s: %s", dir, strerror(errno));
	else
		ret = sbx_resolve(&in, &policy, err);
	if (here >= 0 && fchdir(here) < 0 && ret == 0) {
		sbx_policy_free(&policy);
		ret = sbx_error_set(err, "cannot return to the working directory: %s",
				    strerror(errno));
	} else if (ret == 0) {
		sbx_policy_free(&policy);
	}
	if (here >= 0)
		close(here);
	free(dir);
	free(envp);
	free(config);
	return ret;
}

/* On a terminal a person is asked (on stderr, the answer read from
 * stdin); without one, as in scripts, the review is recorded as before. */
static bool confirmed(void)
{
	char answer[16];

	if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
		return true;
	fputs("sandboxec: trust this file as shown above? [y/N] ", stderr);
	fflush(stderr);
	if (!fgets(answer, sizeof(answer), stdin))
		return false;
	return strcmp(answer, "y\n") == 0 || strcmp(answer, "yes\n") == 0 ||
	       strcmp(answer, "Y\n") == 0;
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
	struct sbx_trust_prior prior = {0};
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
	if (check_would_run(cli, path, &err) < 0)
		goto fail;
	if (sbx_trust_copy_load(environ, path, &prior, &err) < 0)
		goto fail;
	show_for_review(path, data, len, &prior);
	fflush(stdout);
	if (!confirmed()) {
		sbx_cli_error("not trusted; nothing was recorded");
		goto out;
	}
	/* The copy first: a store line whose copy failed to be written would
	 * show a stale diff next time; a copy without its line shows none. */
	if (sbx_trust_copy_save(environ, path, data, len, &err) < 0 ||
	    sbx_trust_record(environ, path, data, len, &err) < 0)
		goto fail;
	sbx_buf_put_visible(&shown, path, strlen(path), 0);
	fprintf(stderr, "sandboxec: trusted %s as shown above; any edit revokes this\n",
		shown.data);
	status = 0;
	goto out;
fail:
	sbx_cli_error("%s", err.msg);
out:
	sbx_trust_prior_free(&prior);
	sbx_buf_free(&shown);
	free(path);
	free(data);
	free(dir);
	return status;
}
