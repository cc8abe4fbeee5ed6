/* SPDX-License-Identifier: Apache-2.0 */
/* --list-profiles; see profile_list.h. The directories and which file a name
 * resolves to come from the engine's own -C search (config_find.h), so the
 * listing cannot disagree with what -C NAME loads. Reads, never writes. */
#include "profile_list.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "engine/config_find.h"
#include "engine/envsettings.h"
#include "engine/visible.h"

extern char **environ;

/* Bounds against a profile directory that is not one (a link to /, a
 * deep tree): the listing stops descending or collecting, it never hangs. */
#define LIST_MAX_DEPTH	  8
#define LIST_MAX_ENTRIES  4096
#define SUMMARY_READ_SIZE 8192
#define SUMMARY_MAX	  200 /* bytes of the first sentence shown */

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Where the first sentence of text ends: after its first '.' that ends
 * the text or is followed by a blank; len when none does. */
static size_t sentence_end(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (text[i] == '.' && (i + 1 == len || text[i + 1] == ' '))
			return i + 1;
	}
	return len;
}

char *sbx_profile_summary(const char *data, size_t len, const char *name)
{
	const char *p = data, *end = data + len;
	size_t name_len = strlen(name);
	struct sbx_buf text = {0};

	while (p < end && text.len < SUMMARY_MAX) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line = skip_blanks(p, end), *stop = eol ? eol : end;

		p = eol ? eol + 1 : end;
		while (stop > line && (stop[-1] == '\r' || stop[-1] == ' ' || stop[-1] == '\t'))
			stop--;
		if (line == stop && !text.len)
			continue;
		if (line == stop || *line != '#')
			break; /* a blank line or the first key: the comment is over */
		line = skip_blanks(line + 1, stop);
		if (line == stop && !text.len)
			continue;
		if (line == stop)
			break; /* an empty comment line ends the paragraph */
		if (!text.len && (size_t)(stop - line) >= 23 &&
		    memcmp(line, "SPDX-License-Identifier", 23) == 0)
			continue;
		/* The profile restating its own name is not news in a listing. */
		if (!text.len && (size_t)(stop - line) > name_len &&
		    memcmp(line, name, name_len) == 0 && line[name_len] == ':')
			line = skip_blanks(line + name_len + 1, stop);
		if (text.len)
			sbx_buf_putc(&text, ' ');
		sbx_buf_append(&text, line, (size_t)(stop - line));
		if (sentence_end(text.data, text.len) < text.len || text.data[text.len - 1] == '.')
			break;
	}
	if (!text.len)
		return sbx_xstrdup("");
	text.len = sentence_end(text.data, text.len);
	if (text.len > SUMMARY_MAX)
		text.len = SUMMARY_MAX;
	text.data[text.len] = '\0';
	return sbx_buf_steal(&text);
}

struct found_profile {
	char *name; /* relative to its directory, suffix dropped */
	char *path;
};

struct found_list {
	struct found_profile *items;
	size_t len, cap;
	/* The directories walked, by device and inode: a link back up the
	 * tree is walked once, not until the depth bound. */
	struct stat *walked;
	size_t n_walked, walked_cap;
};

static bool walked_before(struct found_list *out, const struct stat *st)
{
	size_t i;

	for (i = 0; i < out->n_walked; i++) {
		if (out->walked[i].st_dev == st->st_dev && out->walked[i].st_ino == st->st_ino)
			return true;
	}
	out->walked = sbx_xgrow(out->walked, out->n_walked, &out->walked_cap, sizeof(*out->walked));
	out->walked[out->n_walked++] = *st;
	return false;
}

static int cmp_found(const void *a, const void *b)
{
	const struct found_profile *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	/* x.yaml before x.yml: the order the search tries them in. */
	return c ? c : -strcmp(x->path, y->path);
}

static bool yaml_stem(const char *file, size_t *stem)
{
	size_t len = strlen(file);

	if (len > 5 && strcmp(file + len - 5, ".yaml") == 0)
		*stem = len - 5;
	else if (len > 4 && strcmp(file + len - 4, ".yml") == 0)
		*stem = len - 4;
	else
		return false;
	return true;
}

/* Collects the YAML files under dir/rel (rel "" at the top). */
static void collect(const char *dir, const char *rel, int depth, struct found_list *out)
{
	char *here = rel[0] ? sbx_path_join(dir, rel) : sbx_xstrdup(dir);
	DIR *d = opendir(here);
	struct dirent *de;
	struct stat self;

	if (d && (fstat(dirfd(d), &self) < 0 || walked_before(out, &self))) {
		closedir(d);
		d = NULL;
	}

	while (d && (de = readdir(d)) && out->len < LIST_MAX_ENTRIES) {
		char *sub, *path;
		struct stat st;
		size_t stem;

		if (de->d_name[0] == '.' &&
		    (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		sub = rel[0] ? sbx_xasprintf("%s/%s", rel, de->d_name) : sbx_xstrdup(de->d_name);
		path = sbx_path_join(here, de->d_name);
		/* stat, as the -C search does: a linked profile is a profile. */
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) && depth < LIST_MAX_DEPTH) {
			collect(dir, sub, depth + 1, out);
		} else if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
			   yaml_stem(de->d_name, &stem)) {
			out->items =
			    sbx_xgrow(out->items, out->len, &out->cap, sizeof(*out->items));
			out->items[out->len].name =
			    sbx_xstrndup(sub, strlen(sub) - (strlen(de->d_name) - stem));
			out->items[out->len++].path = path;
			path = NULL;
		}
		free(path);
		free(sub);
	}
	if (d)
		closedir(d);
	free(here);
}

static char *summary_of(const char *path, const char *name)
{
	char buf[SUMMARY_READ_SIZE];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	if (n < 0)
		return sbx_xasprintf("(unreadable: %s)", strerror(errno));
	return sbx_profile_summary(buf, (size_t)n, name);
}

struct list_ctx {
	const char *profile_path;
	const char *self_dir;
	struct sbx_buf out;
};

/* One line per profile; a name the search answers with another file is
 * shadowed by it (an earlier directory, or NAME.yaml beside NAME.yml). */
static void list_one(struct list_ctx *ctx, const struct found_profile *f, int width)
{
	struct sbx_error err = {{0}};
	char *winner = NULL, *real_winner = NULL, *real_self = realpath(f->path, NULL);
	char *summary = summary_of(f->path, f->name);

	sbx_buf_puts(&ctx->out, "  ");
	sbx_buf_put_visible(&ctx->out, f->name, strlen(f->name), 0);
	sbx_buf_printf(&ctx->out, "%*s", width - (int)strlen(f->name) + 2, "");
	if (sbx_named_config_find(f->name, environ, ctx->profile_path, ctx->self_dir, &winner,
				  &err) == 0)
		real_winner = realpath(winner, NULL);
	if (!real_winner || !real_self || strcmp(real_winner, real_self) != 0) {
		sbx_buf_puts(&ctx->out, "[shadowed by ");
		sbx_buf_put_visible(&ctx->out, winner ? winner : "?", strlen(winner ? winner : "?"),
				    0);
		sbx_buf_puts(&ctx->out, "] ");
	}
	sbx_buf_put_visible(&ctx->out, summary, strlen(summary), 0);
	sbx_buf_putc(&ctx->out, '\n');
	free(summary);
	free(real_self);
	free(real_winner);
	free(winner);
}

static void list_dir(struct list_ctx *ctx, const char *dir)
{
	struct found_list found = {0};
	size_t i;
	int width = 0;

	collect(dir, "", 0, &found);
	if (found.len)
		qsort(found.items, found.len, sizeof(*found.items), cmp_found);
	sbx_buf_put_visible(&ctx->out, dir, strlen(dir), 0);
	sbx_buf_printf(&ctx->out, ":%s\n", found.len ? "" : " no profiles");
	for (i = 0; i < found.len; i++) {
		int w = (int)strlen(found.items[i].name);

		width = w > width ? w : width;
	}
	for (i = 0; i < found.len; i++) {
		list_one(ctx, &found.items[i], width);
		free(found.items[i].name);
		free(found.items[i].path);
	}
	if (found.len == LIST_MAX_ENTRIES)
		sbx_buf_printf(&ctx->out, "  (stopped at %d profiles)\n", LIST_MAX_ENTRIES);
	free(found.items);
	free(found.walked);
}

int sbx_profiles_list(const char *self_dir)
{
	struct sbx_env_settings env;
	struct sbx_error err = {{0}};
	struct sbx_strv dirs = {0}, seen = {0};
	struct list_ctx ctx = {0};
	size_t i, k;

	/* The same checks a run makes: a relative SANDBOXEC_PROFILE_PATH
	 * entry is refused here too, never listed from wherever we are. */
	if (sbx_env_settings_read(environ, &env, &err) < 0) {
		sbx_cli_error("%s", err.msg);
		return 1;
	}
	ctx.profile_path = env.profile_path;
	ctx.self_dir = self_dir;
	sbx_profile_dirs(environ, env.profile_path, self_dir, &dirs);
	for (i = 0; i < dirs.len; i++) {
		char *real = realpath(dirs.items[i], NULL);
		struct stat st;

		/* One directory under two spellings (the build tree's and the
		 * data directory) is listed once, where the search meets it. */
		for (k = 0; real && k < seen.len && strcmp(seen.items[k], real) != 0; k++)
			;
		if (real && k == seen.len && stat(real, &st) == 0 && S_ISDIR(st.st_mode)) {
			sbx_strv_push(&seen, real);
			list_dir(&ctx, dirs.items[i]);
		}
		free(real);
	}
	if (!seen.len)
		sbx_buf_puts(&ctx.out, "no profile directory exists; see docs/config.md "
				       "(named configs)\n");
	fwrite(ctx.out.data, 1, ctx.out.len, stdout);
	sbx_buf_free(&ctx.out);
	sbx_strv_free(&dirs);
	sbx_strv_free(&seen);
	sbx_env_settings_free(&env);
	return 0;
}
