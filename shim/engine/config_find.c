/* SPDX-License-Identifier: Apache-2.0 */
/* Config lookup and loading; see config_find.h. Reads files and the trust
 * store; applies nothing. */
#include "config_find.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_yaml.h"
#include "rule.h"
#include "trust.h"
#include "util.h"

#define EXTENDS_MAX_DEPTH 16

static bool is_regular_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_directory(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void sbx_profile_dirs(char *const *envp, const char *profile_path, const char *self_dir,
		      struct sbx_strv *out)
{
	const char *xdg = sbx_env_get(envp, "XDG_CONFIG_HOME");
	const char *home = sbx_env_get(envp, "HOME");
	char *dir;

	if (profile_path) {
		char *copy = sbx_xstrdup(profile_path);
		char *save = NULL, *tok;

		for (tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save))
			sbx_strv_push(out, tok);
		free(copy);
	}
	if (xdg && xdg[0] == '/') {
		dir = sbx_xasprintf("%s/sandboxec/profiles", xdg);
		sbx_strv_push(out, dir);
		free(dir);
	}
	if (home && home[0] == '/') {
		dir = sbx_xasprintf("%s/.config/sandboxec/profiles", home);
		sbx_strv_push(out, dir);
		free(dir);
	}
	sbx_strv_push(out, "/etc/sandboxec/profiles");
	if (self_dir) {
		/* An installed binary (BINDIR/sandboxec or LIBDIR/libsandboxec.so)
		 * finds PREFIX/share; a build tree (build/) finds the repo's
		 * profiles/. */
		dir = sbx_xasprintf("%s/../share/sandboxec/profiles", self_dir);
		sbx_strv_push(out, dir);
		free(dir);
		dir = sbx_xasprintf("%s/../profiles", self_dir);
		sbx_strv_push(out, dir);
		free(dir);
	}
	sbx_strv_push(out, SBX_DATADIR "/sandboxec/profiles");
}

static int check_profile_name(const char *name, struct sbx_error *err)
{
	const char *p = name;

	if (!*name)
		return sbx_error_set(err, "empty profile name; name one such as languages/python");
	if (name[0] == '/')
		return sbx_error_set(
		    err, "profile name \"%s\" is absolute; use --config for a file path", name);
	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.')
			return sbx_error_set(err,
					     "profile name \"%s\" contains \"..\"; name a profile "
					     "such as languages/python, or use --config for a file",
					     name);
		p += len;
		if (*p == '/')
			p++;
	}
	return 0;
}

static bool has_yaml_suffix(const char *name)
{
	size_t len = strlen(name);

	return (len > 5 && strcmp(name + len - 5, ".yaml") == 0) ||
	       (len > 4 && strcmp(name + len - 4, ".yml") == 0);
}

int sbx_named_config_find(const char *name, char *const *envp, const char *profile_path,
			  const char *self_dir, char **path, struct sbx_error *err)
{
	struct sbx_strv dirs = {0};
	struct sbx_buf searched = {0};
	size_t i;
	int ret = -1;

	if (check_profile_name(name, err) < 0)
		return -1;
	sbx_profile_dirs(envp, profile_path, self_dir, &dirs);
	for (i = 0; i < dirs.len; i++) {
		static const char *const suffixes[] = {"", ".yaml", ".yml"};
		size_t s;

		for (s = has_yaml_suffix(name) ? 0 : 1; s < SBX_ARRAY_SIZE(suffixes); s++) {
			char *candidate =
			    sbx_xasprintf("%s/%s%s", dirs.items[i], name, suffixes[s]);

			if (is_regular_file(candidate)) {
				*path = candidate;
				ret = 0;
				goto out;
			}
			free(candidate);
		}
		sbx_buf_printf(&searched, "%s%s", i ? ":" : "", dirs.items[i]);
	}
	sbx_error_set(err,
		      "unknown named config \"%s\" (searched %s); check the name, or add a "
		      "directory with SANDBOXEC_PROFILE_PATH",
		      name, searched.data);
out:
	sbx_buf_free(&searched);
	sbx_strv_free(&dirs);
	return ret;
}

/* Whether a project file is at path (lstat: the name, not what a link
 * points to). Anything there that is not a regular file is an error, never
 * "no project file": falling through to a parent's file or the user config
 * would let whoever can write the project choose a different policy
 * (docs/design.md §3.3). */
static int project_file_present(const char *path, bool *present, struct sbx_error *err)
{
	struct stat st;

	*present = false;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return sbx_error_set(err, "cannot check project config %s: %s", path,
				     strerror(errno));
	}
	if (S_ISLNK(st.st_mode))
		return sbx_error_set(err,
				     "project config %s is a symbolic link; a project file must be "
				     "the file itself, trusted where it is found (docs/design.md "
				     "§3.3): replace the link with a copy of the file, or name the "
				     "file with --config",
				     path);
	if (S_ISDIR(st.st_mode))
		return sbx_error_set(err,
				     "project config %s is a directory, not a file; remove it, or "
				     "replace it with the project's config file",
				     path);
	if (!S_ISREG(st.st_mode))
		return sbx_error_set(err,
				     "project config %s is not a regular file; remove it, or "
				     "replace it with the project's config file",
				     path);
	*present = true;
	return 0;
}

int sbx_project_file_find(char **path, struct sbx_error *err)
{
	char *dir = sbx_getcwd();
	int ret = -1;

	*path = NULL;
	if (!dir)
		return sbx_error_set(err, "cannot read the current directory: %s", strerror(errno));
	for (;;) {
		char *yaml = sbx_path_join(dir, ".sandboxec.yaml");
		char *yml = sbx_path_join(dir, ".sandboxec.yml");
		bool has_yaml = false, has_yml = false;

		if (project_file_present(yaml, &has_yaml, err) < 0 ||
		    project_file_present(yml, &has_yml, err) < 0) {
			free(yaml);
			free(yml);
			goto out;
		}
		if (has_yaml && has_yml) {
			sbx_error_set(err,
				      "both %s and %s exist; remove one so it is clear which "
				      "applies",
				      yaml, yml);
			free(yaml);
			free(yml);
			goto out;
		}
		if (has_yaml || has_yml) {
			*path = has_yaml ? yaml : yml;
			free(has_yaml ? yml : yaml);
			ret = 0;
			goto out;
		}
		free(yaml);
		free(yml);
		if (!sbx_path_step_up(dir))
			break;
	}
	ret = 0;
out:
	free(dir);
	return ret;
}

int sbx_project_file_path(const char *file, char **path, struct sbx_error *err)
{
	char *slash = strrchr(file, '/');
	const char *name = slash ? slash + 1 : file;
	char *dir = slash ? sbx_xstrndup(file, (size_t)(slash - file) + (slash == file)) : NULL;
	char *real;

	*path = NULL;
	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		free(dir);
		return sbx_error_set(err,
				     "%s is a directory, not a file; name the project's "
				     "config file",
				     file);
	}
	/* The directory as getcwd() names it, so the path matches the one a
	 * run finds; the file name itself is not resolved. */
	real = realpath(dir ? dir : ".", NULL);
	if (!real) {
		sbx_error_set(err, "cannot find %s: %s", file, strerror(errno));
		free(dir);
		return -1;
	}
	*path = sbx_path_join(real, name);
	free(real);
	free(dir);
	return 0;
}

int sbx_project_file_read(const char *path, char **data, size_t *len, struct sbx_error *err)
{
	struct stat st;
	bool present;
	int fd, ret = -1;

	/* O_NOFOLLOW and fstat: the file checked is the file read, even if the
	 * name is swapped for a link or a FIFO in between. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0) {
		int saved = errno;

		/* ELOOP is how O_NOFOLLOW reports a link: say so, as the search does. */
		if (saved == ELOOP && project_file_present(path, &present, err) < 0)
			return -1;
		return sbx_error_set(err, "cannot open project config %s: %s", path,
				     strerror(saved));
	}
	if (fstat(fd, &st) < 0)
		sbx_error_set(err, "cannot stat %s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		sbx_error_set(
		    err,
		    "project config %s is %s; replace it with the project's "
		    "config file",
		    path, S_ISDIR(st.st_mode) ? "a directory, not a file" : "not a regular file");
	else
		ret = sbx_read_fd(fd, path, SBX_CONFIG_MAX_SIZE, data, len, err);
	close(fd);
	return ret;
}

static int user_config_find(char *const *envp, char **path)
{
	const char *xdg = sbx_env_get(envp, "XDG_CONFIG_HOME");
	const char *home = sbx_env_get(envp, "HOME");
	char *dirs[3] = {NULL, NULL, NULL};
	size_t i, n = 0;

	*path = NULL;
	if (xdg && xdg[0] == '/')
		dirs[n++] = sbx_xasprintf("%s/sandboxec", xdg);
	if (home && home[0] == '/')
		dirs[n++] = sbx_xasprintf("%s/.config/sandboxec", home);
	dirs[n++] = sbx_xstrdup("/etc/sandboxec");
	for (i = 0; i < n && !*path; i++) {
		char *yaml, *yml;

		/* Neither name can be a file where the directory is not: one
		 * stat instead of two for each of these that does not exist,
		 * as most do not, at every cold exec of the shim. */
		if (!is_directory(dirs[i]))
			continue;
		yaml = sbx_path_join(dirs[i], "sandboxec.yaml");
		yml = sbx_path_join(dirs[i], "sandboxec.yml");
		if (is_regular_file(yaml))
			*path = yaml, yaml = NULL;
		else if (is_regular_file(yml))
			*path = yml, yml = NULL;
		free(yaml);
		free(yml);
	}
	for (i = 0; i < n; i++)
		free(dirs[i]);
	return 0;
}

/* The rules a list holds, keyed by where each was written and its text:
 * a profile reached twice through `extends` (a diamond, such as two
 * parents that both extend base/dynamic) contributes its rules once, and
 * looking a rule up costs the same however long the list is, so a
 * generated file of thousands of rules composes in linear time. Open
 * addressing; a slot holds an index into the list plus one (0: empty). */
struct rule_index {
	const struct sbx_rule_list *list;
	size_t *slot;
	size_t mask;
};

/* Mixes the bytes of s into h eight at a time: a config of thousands of
 * rules hashes each one's origin and text, and a byte at a time was most
 * of composing it. */
static uint64_t hash_string(uint64_t h, const char *s)
{
	const uint64_t prime = 1099511628211ULL;
	size_t n = strlen(s);
	uint64_t w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * prime;
		h ^= h >> 29;
	}
	w = (uint64_t)n << 56;
	memcpy(&w, s, n); /* the low bytes; the length stays in the top one */
	h = (h ^ w) * prime;
	return h ^ (h >> 29);
}

static size_t rule_hash(const struct sbx_rule_text *rule)
{
	uint64_t h = hash_string(14695981039346656037ULL, rule->origin);

	h = hash_string(h, rule->text);
	return (size_t)(h ^ (h >> 32));
}

static void rule_index_init(struct rule_index *ix, const struct sbx_rule_list *list, size_t most)
{
	size_t size = 16;

	while (size < 2 * most)
		size *= 2;
	ix->list = list;
	ix->slot = sbx_xcalloc(size, sizeof(*ix->slot));
	ix->mask = size - 1;
}

/* The slot that holds rule, or the empty one where it would go. */
static size_t *rule_index_find(const struct rule_index *ix, const struct sbx_rule_text *rule)
{
	size_t i = rule_hash(rule) & ix->mask;

	for (;; i = (i + 1) & ix->mask) {
		const struct sbx_rule_text *held;

		if (!ix->slot[i])
			return &ix->slot[i];
		held = &ix->list->items[ix->slot[i] - 1];
		if (strcmp(held->origin, rule->origin) == 0 && strcmp(held->text, rule->text) == 0)
			return &ix->slot[i];
	}
}

/* Moves src's rules to the end of acc's list of the same setting, in
 * order, skipping those acc already got from the same file position.
 * src_distinct: no two of src's rules share a position (struct
 * sbx_config_doc). */
static void list_compose(struct sbx_layer *acc, enum sbx_setting id, struct sbx_rule_list *src,
			 bool src_distinct)
{
	struct sbx_rule_list *list = id == SBX_SET_FS ? &acc->fs : &acc->net;
	struct rule_index ix;
	size_t i;

	if (src_distinct && list->len == 0) {
		/* Nothing to skip: the list is src's, moved whole (a file of
		 * thousands of rules and no parent: no index, no copy). */
		free(list->items);
		*list = *src;
		memset(src, 0, sizeof(*src));
		return;
	}
	rule_index_init(&ix, list, list->len + src->len);
	for (i = 0; i < list->len; i++)
		*rule_index_find(&ix, &list->items[i]) = i + 1;
	for (i = 0; i < src->len; i++) {
		size_t *slot = rule_index_find(&ix, &src->items[i]);

		if (*slot)
			continue;
		sbx_layer_take_rule(acc, id, &src->items[i]);
		*slot = list->len;
	}
	free(ix.slot);
}

/* Scalars of src overwrite acc's; lists of src are moved to the end of
 * acc's (src is freed next). */
static void layer_compose(struct sbx_layer *acc, struct sbx_layer *src, bool src_distinct)
{
	size_t i;

	for (i = 0; i < SBX_SETTING_COUNT; i++) {
		if (!src->set[i])
			continue;
		if (i != SBX_SET_FS && i != SBX_SET_NET) {
			sbx_layer_set_scalar(acc, (enum sbx_setting)i, src->value[i],
					     src->origin[i]);
			continue;
		}
		sbx_layer_touch_list(acc, (enum sbx_setting)i, src->origin[i]);
		list_compose(acc, (enum sbx_setting)i, i == SBX_SET_FS ? &src->fs : &src->net,
			     src_distinct);
	}
}

struct load_ctx {
	const struct sbx_config_search *search;
	const char *chain[EXTENDS_MAX_DEPTH]; /* real paths being loaded, for cycles */
	size_t depth;
};

static int load_file(struct load_ctx *ctx, const char *path, const char *data, size_t len,
		     const char *base_dir, struct sbx_layer *out, struct sbx_error *err);

static int load_path(struct load_ctx *ctx, const char *path, struct sbx_layer *out,
		     struct sbx_error *err)
{
	char *data = NULL;
	size_t len;
	int ret;

	if (sbx_read_file(path, SBX_CONFIG_MAX_SIZE, &data, &len, err) < 0)
		return sbx_error_prefix(err, "config");
	ret = load_file(ctx, path, data, len, NULL, out, err);
	free(data);
	return ret;
}

static int load_file(struct load_ctx *ctx, const char *path, const char *data, size_t len,
		     const char *base_dir, struct sbx_layer *out, struct sbx_error *err)
{
	struct sbx_config_doc doc;
	char real[PATH_MAX];
	size_t i;
	int ret = -1;

	if (!realpath(path, real))
		return sbx_error_set(err, "cannot resolve %s: %s", path, strerror(errno));
	for (i = 0; i < ctx->depth; i++) {
		if (strcmp(ctx->chain[i], real) == 0)
			return sbx_error_set(err,
					     "%s extends itself through a cycle; remove one "
					     "of the extends entries",
					     path);
	}
	if (ctx->depth == EXTENDS_MAX_DEPTH)
		return sbx_error_set(err, "%s: extends is nested more than %d deep", path,
				     EXTENDS_MAX_DEPTH);
	if (sbx_config_parse(data, len, path, base_dir, &doc, err) < 0)
		return -1;
	ctx->chain[ctx->depth++] = real;
	for (i = 0; i < doc.extends.len; i++) {
		struct sbx_layer parent;
		char *parent_path = NULL;

		if (sbx_named_config_find(doc.extends.items[i], ctx->search->envp,
					  ctx->search->env->profile_path, ctx->search->self_dir,
					  &parent_path, err) < 0) {
			sbx_error_prefix(err, "%s", doc.extends_origin.items[i]);
			goto out;
		}
		sbx_layer_init(&parent, parent_path);
		if (load_path(ctx, parent_path, &parent, err) < 0) {
			sbx_error_prefix(err, "%s", doc.extends_origin.items[i]);
			sbx_layer_free(&parent);
			free(parent_path);
			goto out;
		}
		layer_compose(out, &parent, false);
		sbx_layer_free(&parent);
		free(parent_path);
	}
	layer_compose(out, &doc.layer, doc.rules_distinct);
	ret = 0;
out:
	/* `real` dies with this frame: leave no pointer to it behind. */
	ctx->chain[--ctx->depth] = NULL;
	sbx_config_doc_free(&doc);
	return ret;
}

/* The project file is trusted, read and resolved at the path where it was
 * found, never through a link (docs/design.md §3.3): its trust entry, its
 * bytes and the directory its relative rules start from all belong to
 * that one path. */
static int load_project(struct load_ctx *ctx, const char *path, struct sbx_layer *out,
			struct sbx_error *err)
{
	char *data = NULL, *dir = NULL;
	size_t len = 0;
	bool trusted = ctx->search->env->trust_project;
	int ret = -1;

	/* Read once: the bytes that are hashed are the bytes that are parsed. */
	if (sbx_project_file_read(path, &data, &len, err) < 0)
		return -1;
	if (!trusted && sbx_trust_check(ctx->search->envp, path, data, len, &trusted, err) < 0)
		goto out;
	if (!trusted) {
		sbx_error_set(err,
			      "project config %s is not trusted (new, or changed since it was "
			      "trusted); review it, then run: sandboxec --mode trust %s "
			      "(in CI, where the repository is trusted, set "
			      "SANDBOXEC_TRUST_PROJECT=1)",
			      path, path);
		goto out;
	}
	dir = sbx_path_dirname(path);
	ret = load_file(ctx, path, data, len, dir, out, err);
out:
	free(data);
	free(dir);
	return ret;
}

/* Naming both a file and a profile in one layer is an error (docs/design.md §3.2),
 * whether or not a stronger layer names a config too. */
static int check_one_config(const struct sbx_layer *layer, struct sbx_error *err)
{
	if (layer->config_file && layer->named_config)
		return sbx_error_set(err, "%s and %s both name a config; give only one of them",
				     layer->config_origin, layer->named_origin);
	return 0;
}

/* A config named by --config/-C or their variables, in one layer. */
static int named_in_layer(const struct sbx_layer *layer, const struct sbx_config_search *search,
			  char **path, char **origin, struct sbx_error *err)
{
	if (layer->config_file) {
		if (sbx_path_absolute(layer->config_file, path, err) < 0)
			return -1;
		*origin = sbx_xstrdup(layer->config_origin);
		return 0;
	}
	if (layer->named_config) {
		if (sbx_named_config_find(layer->named_config, search->envp,
					  search->env->profile_path, search->self_dir, path,
					  err) < 0)
			return sbx_error_prefix(err, "%s", layer->named_origin);
		*origin = sbx_xstrdup(layer->named_origin);
	}
	return 0;
}

/* When the stronger layers set every policy setting, no searched-for file
 * could contribute anything, so it is not looked for: settings printed by
 * `--mode env` then work in any directory, whatever project file is there. */
static bool stronger_layers_complete(const struct sbx_config_search *search)
{
	size_t i;

	for (i = 0; i < SBX_SETTING_COUNT; i++) {
		if (i == SBX_SET_MODE)
			continue;
		if (!(search->flags && search->flags->set[i]) && !search->env->layer.set[i])
			return false;
	}
	return true;
}

static int find_and_load(const struct sbx_config_search *search, struct sbx_layer *out, bool *found,
			 char **path, struct sbx_error *err)
{
	struct load_ctx ctx = {.search = search};
	char *origin = NULL, *name;
	bool project = false;
	int ret = -1;

	*found = false;
	*path = NULL;
	sbx_layer_init(out, "defaults");
	if ((search->flags && check_one_config(search->flags, err) < 0) ||
	    check_one_config(&search->env->layer, err) < 0)
		return -1;
	if (search->flags && named_in_layer(search->flags, search, path, &origin, err) < 0)
		return -1;
	if (!*path && named_in_layer(&search->env->layer, search, path, &origin, err) < 0)
		return -1;
	if (!*path && stronger_layers_complete(search))
		return 0;
	if (!*path) {
		if (sbx_project_file_find(path, err) < 0)
			return -1;
		project = *path != NULL;
		origin = project ? sbx_xstrdup("project file") : NULL;
	}
	if (!*path) {
		user_config_find(search->envp, path);
		origin = *path ? sbx_xstrdup("user config") : NULL;
	}
	if (!*path)
		return 0;
	ret = project ? load_project(&ctx, *path, out, err) : load_path(&ctx, *path, out, err);
	if (ret == 0) {
		*found = true;
		name = sbx_xasprintf("%s %s", origin, *path);
		free(out->name);
		out->name = name;
	} else {
		free(*path);
		*path = NULL;
	}
	free(origin);
	return ret;
}

int sbx_config_find_and_load(const struct sbx_config_search *search, struct sbx_layer *out,
			     bool *found, char **path, struct sbx_error *err)
{
	/* An error leaves nothing behind for the caller to free. */
	if (find_and_load(search, out, found, path, err) < 0) {
		sbx_layer_free(out);
		return -1;
	}
	return 0;
}
