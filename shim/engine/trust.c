/* SPDX-License-Identifier: Apache-2.0 */
/* Trust store; see trust.h. One line per trusted file:
 * "<sha256 hex> <path>" where the path escapes "\" and newline as "\\" and
 * "\n", so any byte of a path round-trips. */
#include "trust.h"

#include <errno.h>
#include <fcntl.h>
#include <sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lazylib.h"
#include "util.h"

#define TRUST_STORE_MAX (16u << 20)

struct md_api {
	void *handle;
	SBX_LAZY_FIELD(SHA256Data);
};

int sbx_sha256_hex(const char *data, size_t len, char out[SBX_SHA256_HEX_LEN],
		   struct sbx_error *err)
{
	struct md_api api = {0};
	const struct sbx_lazy_sym syms[] = {SBX_LAZY_SYM(&api, SHA256Data)};

	if (sbx_lazy_open("libmd.so.0", "libmd0", syms, SBX_ARRAY_SIZE(syms), &api.handle, err) < 0)
		return -1;
	api.SHA256Data((const uint8_t *)data, len, out);
	sbx_lazy_close(api.handle);
	return 0;
}

int sbx_trust_store_path(char *const *envp, char **out, struct sbx_error *err)
{
	const char *xdg = sbx_env_get(envp, "XDG_DATA_HOME");
	const char *home = sbx_env_get(envp, "HOME");

	if (xdg && xdg[0] == '/') {
		*out = sbx_xasprintf("%s/sandboxec/trust", xdg);
		return 0;
	}
	if (!home || home[0] != '/') {
		sbx_error_set(err, "cannot find the trust store: set HOME or XDG_DATA_HOME to an "
				   "absolute path");
		return -1;
	}
	*out = sbx_xasprintf("%s/.local/share/sandboxec/trust", home);
	return 0;
}

static void escape_path(struct sbx_buf *out, const char *path)
{
	static const struct sbx_escape store_escapes[] = {
	    {'\\', "\\\\"},
	    {'\n', "\\n"},
	    {0},
	};

	sbx_buf_put_escaped(out, path, store_escapes, false);
}

/* Reads the store; a missing store is an empty one. */
static int read_store(const char *store, char **data, size_t *len, struct sbx_error *err)
{
	struct stat st;

	if (stat(store, &st) < 0 && errno == ENOENT) {
		*data = sbx_xstrdup("");
		*len = 0;
		return 0;
	}
	if (sbx_read_file(store, TRUST_STORE_MAX, data, len, err) < 0)
		return sbx_error_prefix(err, "trust store");
	return 0;
}

/* The line a (path, hash) pair is recorded as, without the newline. */
static char *entry_line(const char *abs_path, const char *hash)
{
	struct sbx_buf line = {0};

	sbx_buf_printf(&line, "%s ", hash);
	escape_path(&line, abs_path);
	return sbx_buf_steal(&line);
}

/* Whether a store line ("<64 hex> <escaped path>") names the path, whatever
 * its hash. */
static int line_names_path(const char *line, size_t len, const char *escaped_path)
{
	const size_t path_at = SBX_SHA256_HEX_LEN; /* 64 hex digits and a space */
	size_t plen = strlen(escaped_path);

	return len == path_at + plen && memcmp(line + path_at, escaped_path, plen) == 0;
}

/* Whether the store content holds exactly this line. */
static bool store_has_line(const char *content, size_t content_len, const char *want)
{
	const char *line, *end;
	size_t want_len = strlen(want);

	for (line = content; line < content + content_len; line = end + 1) {
		end = memchr(line, '\n', (size_t)(content + content_len - line));
		if (!end)
			end = content + content_len;
		if ((size_t)(end - line) == want_len && memcmp(line, want, want_len) == 0)
			return true;
	}
	return false;
}

/* The hash recorded for the path, whatever it is; *found false when the
 * store has no line for it. A line whose hash is not 64 lowercase hex
 * digits is not taken as a hash. */
static bool recorded_hash_in(const char *content, size_t content_len, const char *escaped_path,
			     char hash[SBX_SHA256_HEX_LEN])
{
	const char *line, *end;
	size_t i;

	for (line = content; line < content + content_len; line = end + 1) {
		end = memchr(line, '\n', (size_t)(content + content_len - line));
		if (!end)
			end = content + content_len;
		if (!line_names_path(line, (size_t)(end - line), escaped_path))
			continue;
		for (i = 0; i < SBX_SHA256_HEX_LEN - 1; i++)
			if (!line[i] || !strchr("0123456789abcdef", line[i]))
				return false;
		memcpy(hash, line, SBX_SHA256_HEX_LEN - 1);
		hash[SBX_SHA256_HEX_LEN - 1] = '\0';
		return true;
	}
	return false;
}

int sbx_trust_recorded_hash(char *const *envp, const char *abs_path, char hash[SBX_SHA256_HEX_LEN],
			    bool *found, struct sbx_error *err)
{
	struct sbx_buf escaped = {0};
	char *store = NULL, *content = NULL;
	size_t content_len;
	int ret = -1;

	*found = false;
	if (sbx_trust_store_path(envp, &store, err) < 0 ||
	    read_store(store, &content, &content_len, err) < 0)
		goto out;
	escape_path(&escaped, abs_path);
	*found = recorded_hash_in(content, content_len, escaped.data, hash);
	ret = 0;
out:
	sbx_buf_free(&escaped);
	free(content);
	free(store);
	return ret;
}

int sbx_trust_check(char *const *envp, const char *abs_path, const char *data, size_t len,
		    bool *trusted, struct sbx_error *err)
{
	char hash[SBX_SHA256_HEX_LEN];
	char *store = NULL, *content = NULL, *want;
	size_t content_len;

	*trusted = false;
	if (sbx_sha256_hex(data, len, hash, err) < 0 ||
	    sbx_trust_store_path(envp, &store, err) < 0 ||
	    read_store(store, &content, &content_len, err) < 0) {
		free(store);
		return -1;
	}
	want = entry_line(abs_path, hash);
	*trusted = store_has_line(content, content_len, want);
	free(want);
	free(content);
	free(store);
	return 0;
}

int sbx_trust_record(char *const *envp, const char *abs_path, const char *data, size_t len,
		     struct sbx_error *err)
{
	char hash[SBX_SHA256_HEX_LEN];
	struct sbx_buf next = {0}, escaped = {0};
	char *store = NULL, *content = NULL, *line_text = NULL;
	size_t content_len;
	const char *line, *end;
	int ret = -1;

	if (sbx_sha256_hex(data, len, hash, err) < 0 || sbx_trust_store_path(envp, &store, err) < 0)
		goto out;
	if (sbx_make_parent_dirs(store, err) < 0 ||
	    read_store(store, &content, &content_len, err) < 0)
		goto out;
	escape_path(&escaped, abs_path);
	for (line = content; line < content + content_len; line = end + 1) {
		end = memchr(line, '\n', (size_t)(content + content_len - line));
		if (!end)
			end = content + content_len;
		if (end == line || line_names_path(line, (size_t)(end - line), escaped.data))
			continue;
		sbx_buf_append(&next, line, (size_t)(end - line));
		sbx_buf_putc(&next, '\n');
	}
	line_text = entry_line(abs_path, hash);
	sbx_buf_printf(&next, "%s\n", line_text);
	if (sbx_replace_file_at(AT_FDCWD, store, store, next.data, next.len, err) < 0)
		goto out;
	ret = 0;
out:
	sbx_buf_free(&next);
	sbx_buf_free(&escaped);
	free(store);
	free(content);
	free(line_text);
	return ret;
}
