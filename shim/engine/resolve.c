/* SPDX-License-Identifier: Apache-2.0 */
/* Merging layers into one policy; see resolve.h. Reads the environment and
 * config files, stats rule paths; applies nothing. */
#include "resolve.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_find.h"
#include "early_ruleset.h"
#include "gitroot.h"
#include "homedir.h"
#include "hostrt/hostrt_rules.h"
#include "landlock_abi.h"
#include "rule.h"

/* "rx:/usr,rw:/tmp" given where commas do not separate rules (a flag, a
 * YAML item): a path may hold a comma, so this is only named when the path
 * is missing and a known right and ":" follow a comma. */
static bool looks_like_joined_rules(const char *text)
{
	const char *p;

	for (p = strchr(text, ','); p; p = strchr(p + 1, ',')) {
		const char *colon = strchr(p + 1, ':');

		if (colon && sbx_right_find(sbx_fs_rights, sbx_fs_rights_count, p + 1,
					    (size_t)(colon - p - 1)))
			return true;
	}
	return false;
}

/* A rule that follows a variable (${VAR:-default}) was checked as text not
 * to be / or the home directory; a link could still lead there
 * (CLAUDE_CONFIG_DIR=/tmp/c, a link to ~). So its target, links followed,
 * must be neither /, the home directory, nor a directory above it. */
static int check_followed_target(const struct sbx_resolve_input *in,
				 const struct sbx_rule_text *item, const char *path,
				 bool follows_variable, const struct stat *st,
				 struct sbx_error *err)
{
	enum sbx_home_place place;

	if (!S_ISDIR(st->st_mode) || !follows_variable)
		return 0;
	place = sbx_home_place(st, in->envp);
	if (place == SBX_HOME_BELOW_OR_ELSEWHERE)
		return 0;
	return sbx_error_set(err,
			     "%s: %s is %s (through a link); a rule that follows a "
			     "variable must name a directory of its own: point the "
			     "variable elsewhere or unset it",
			     item->origin, path,
			     place == SBX_HOME_ROOT ? "/" : "your home directory or above it");
}

/* The lowest descriptor number resolving does not hold on to: the
 * descriptors it holds stay an eighth of the soft RLIMIT_NOFILE (at least
 * 64) below it, leaving room for what the front door and the program open
 * before the layer applies. */
static int held_fd_ceiling(void)
{
	struct rlimit lim;
	rlim_t reserve;

	if (getrlimit(RLIMIT_NOFILE, &lim) < 0)
		return 0;
	if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur > INT_MAX)
		lim.rlim_cur = INT_MAX;
	reserve = lim.rlim_cur / 8 > 64 ? lim.rlim_cur / 8 : 64;
	return lim.rlim_cur > reserve ? (int)(lim.rlim_cur - reserve) : 0;
}

/* Opens path O_PATH, telling a directory by the open itself: with
 * O_DIRECTORY it succeeds only on one, and ENOTDIR then means the last
 * component is not one (a plain open succeeds; it is marked S_IFREG, all
 * that matters being "not a directory") or a component on the way is not
 * one (the plain open fails the same). So a directory rule costs one
 * system call, no fstat(); only a rule that needs the identity fstat()s
 * (need_identity). If the path changes between the two opens, a
 * directory is taken for a file: its rule is then masked to file rights,
 * never widened. */
static int open_typed(const char *path, bool need_identity, struct stat *st)
{
	int fd, saved;

	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		st->st_mode = S_IFDIR;
	} else {
		if (errno != ENOTDIR)
			return -1;
		fd = open(path, O_PATH | O_CLOEXEC);
		if (fd < 0)
			return -1;
		st->st_mode = S_IFREG;
	}
	if (need_identity && fstat(fd, st) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Looks path up once: an O_PATH descriptor is what applying hands to
 * Landlock, so it is held for it (the path is then walked once, not
 * twice). Past *ceiling, or with a full descriptor table, a plain stat():
 * applying opens the path itself, as for every rule under a writable tree
 * (landlock_plan.c). *ceiling drops to 0 at the first such rule. Only the
 * type is sure to be in *st, unless need_identity asks for the rest. */
static int look_up_path(const char *path, bool need_identity, int *ceiling, struct stat *st,
			int *held_fd)
{
	int fd;

	*held_fd = -1;
	if (*ceiling <= 0)
		return stat(path, st);
	fd = open_typed(path, need_identity, st);
	if (fd < 0) {
		if (errno != EMFILE && errno != ENFILE)
			return -1;
		*ceiling = 0;
		return stat(path, st);
	}
	if (fd >= *ceiling) {
		*ceiling = 0;
		close(fd);
	} else {
		*held_fd = fd;
	}
	return 0;
}

/* What resolving the fs rules keeps from one rule to the next. */
struct fs_walk {
	int ceiling; /* look_up_path */
	/* The current directory, read once for every relative rule written
	 * where there is no file's directory (a flag, SANDBOXEC_FS); NULL
	 * until one comes, or when it cannot be read (then the rule's parser
	 * says why). */
	char *cwd;
	bool cwd_read;
	struct sbx_buf path; /* the rule's path, written over by each rule */
};

static const char *relative_base(struct fs_walk *walk, const struct sbx_rule_text *item)
{
	const char *colon;

	if (item->base_dir)
		return item->base_dir;
	/* strchr, not strcspn: no libc page the cold path does not already
	 * touch (docs/perf.md §2). */
	colon = walk->cwd_read ? NULL : strchr(item->text, ':');
	if (colon) {
		const char *p = colon + 1;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '/')
			return NULL;
		walk->cwd = sbx_getcwd();
		walk->cwd_read = true;
	}
	return walk->cwd;
}

static int resolve_fs(const struct sbx_resolve_input *in, const struct sbx_rule_text *item,
		      struct fs_walk *walk, struct sbx_policy *out, struct sbx_error *err)
{
	const struct sbx_right *right;
	struct stat st;
	const char *path;
	bool follows_variable;
	int held_fd;

	if (sbx_rule_parse_fs_into(item->text, in->envp, relative_base(walk, item), &right,
				   &walk->path, err) < 0)
		return sbx_error_prefix(err, "%s", item->origin);
	path = walk->path.data;
	follows_variable = sbx_path_follows_variable(item->text);
	if (look_up_path(path, follows_variable, &walk->ceiling, &st, &held_fd) < 0) {
		int saved = errno;

		if (saved == ENOENT && looks_like_joined_rules(item->text)) {
			sbx_error_set(err,
				      "%s: %s: no such file; \"%s\" looks like several rules "
				      "joined by \",\", but commas separate rules only in "
				      "SANDBOXEC_FS and SANDBOXEC_ADD_FS: give each rule its own "
				      "flag or list item (--fs rx:/usr --fs rw:/tmp)",
				      item->origin, path, item->text);
			return -1;
		}
		if (saved == ENOENT && out->ignore_if_missing) {
			struct sbx_policy skipped = {0};

			/* Keep it, to be reported by explain and verbose. */
			sbx_policy_add_fs(&skipped, path, right->access, right->short_name,
					  item->origin);
			out->skipped = sbx_xreallocarray(out->skipped, out->n_skipped + 1,
							 sizeof(*out->skipped));
			out->skipped[out->n_skipped++] = skipped.fs[0];
			free(skipped.fs);
			return 0;
		}
		sbx_error_set(err, "%s: %s: %s; %s", item->origin, path, strerror(saved),
			      saved == ENOENT
				  ? "create it, fix the rule, or pass --ignore-if-missing"
				  : "fix the rule");
		return -1;
	}
	if (check_followed_target(in, item, path, follows_variable, &st, err) < 0) {
		if (held_fd >= 0)
			close(held_fd);
		return -1;
	}
	sbx_policy_add_fs(out, path, right->access, right->short_name, item->origin);
	out->fs[out->n_fs - 1].stat_mode = st.st_mode;
	out->fs[out->n_fs - 1].held_fd = held_fd;
	sbx_early_ruleset_add(out, &out->fs[out->n_fs - 1]);
	return 0;
}

/* The early ruleset, from the settings and the network rules (the fs
 * rules do not change what a plan handles). A network rule that does not
 * parse, which checking the layers already refused, leaves none. */
static void begin_early_ruleset(const struct sbx_rule_list *net, struct sbx_policy *out)
{
	struct sbx_policy settings = *out;
	size_t i;

	settings.fs = NULL;
	settings.n_fs = 0;
	settings.net = NULL;
	settings.n_net = 0;
	for (i = 0; net && i < net->len; i++) {
		const struct sbx_right *right;
		uint16_t port;

		/* No error to word (NULL): the layer check words it. */
		if (sbx_rule_parse_net(net->items[i].text, &right, &port, NULL) < 0)
			goto out;
		sbx_policy_add_net(&settings, port, right->access, right->short_name,
				   net->items[i].origin);
	}
	sbx_early_ruleset_begin(out, &settings);
out:
	for (i = 0; i < settings.n_net; i++) {
		free(settings.net[i].origin);
		free(settings.net[i].rights);
	}
	free(settings.net);
}

/* The built-in SANDBOXEC_GIT_* variables, looked for only when a rule
 * names one: the walk reads the project's files. Without a repository
 * they stay unset, and ${SANDBOXEC_GIT_ROOT:-.} takes its default. */
static int add_git_env(const struct sbx_resolve_input *in, const struct sbx_rule_text *item,
		       char ***env, struct sbx_error *err)
{
	struct sbx_git_repo repo = {0};
	char *cwd = sbx_getcwd();
	int ret = 0;

	if (cwd)
		ret = sbx_git_find(cwd, in->envp, &repo, err);
	free(cwd);
	if (ret < 0)
		return sbx_error_prefix(err, "%s", item->origin);
	*env = sbx_git_env(in->envp, &repo);
	sbx_git_repo_free(&repo);
	return 0;
}

int sbx_resolve_rules(const struct sbx_resolve_input *in, const struct sbx_rule_list *fs,
		      const struct sbx_rule_list *net, struct sbx_policy *out,
		      struct sbx_error *err)
{
	struct fs_walk walk = {.ceiling = fs && fs->len ? held_fd_ceiling() : 0};
	struct sbx_resolve_input git_in = *in;
	char **git_env = NULL;
	size_t i;
	int ret = 0;

	/* Every rule, and the shim's implicit one. */
	sbx_policy_reserve_fs(out, (fs ? fs->len : 0) + 1);
	if (in->early_ruleset)
		begin_early_ruleset(net, out);
	for (i = 0; fs && i < fs->len; i++) {
		if (!git_env && sbx_git_text_uses_builtin(fs->items[i].text) &&
		    add_git_env(in, &fs->items[i], &git_env, err) < 0) {
			ret = -1;
			break;
		}
		git_in.envp = git_env ? git_env : in->envp;
		ret = resolve_fs(&git_in, &fs->items[i], &walk, out, err);
		if (ret < 0)
			break;
	}
	free(walk.cwd);
	sbx_buf_free(&walk.path);
	sbx_git_env_free(git_env);
	if (ret < 0)
		return -1;
	for (i = 0; net && i < net->len; i++) {
		const struct sbx_right *right;
		uint16_t port;

		if (sbx_rule_parse_net(net->items[i].text, &right, &port, err) < 0)
			return sbx_error_prefix(err, "%s", net->items[i].origin);
		sbx_policy_add_net(out, port, right->access, right->short_name,
				   net->items[i].origin);
	}
	/* docs/design.md §2.3: the one implicit right, so a descendant can load the shim. */
	if (in->shim_path) {
		sbx_policy_add_fs(out, in->shim_path, SBX_LL_FS_READ_FILE, "r",
				  "implicit: the sandboxec shim");
		out->fs[out->n_fs - 1].kind = SBX_RULE_IMPLICIT;
	}
	if (out->unsafe_host_runtime && sbx_hostrt_add_rules(in->envp, out, err) < 0)
		return sbx_error_prefix(err, "unsafe-host-runtime");
	return 0;
}

/* Every rule of every layer must be well-formed, even in a list a stronger
 * layer replaces: a typo in a team config must not hide until the override
 * goes. Only the syntax is checked here; expansion and existence only
 * matter for the rules that apply. */
static int check_fs_rules(const struct sbx_rule_list *list, struct sbx_error *err)
{
	size_t i;

	for (i = 0; i < list->len; i++) {
		const char *text = list->items[i].text;
		const char *colon = strchr(text, ':');
		const char *p;

		if (!colon || !sbx_right_find(sbx_fs_rights, sbx_fs_rights_count, text,
					      (size_t)(colon - text))) {
			const struct sbx_right *right;
			char *path = NULL;

			/* Let the full parser word the error. */
			if (sbx_rule_parse_fs(text, NULL, "/", &right, &path, err) < 0)
				return sbx_error_prefix(err, "%s", list->items[i].origin);
			free(path);
		}
		for (p = colon ? colon + 1 : ""; *p == ' ' || *p == '\t'; p++)
			;
		if (!*p)
			return sbx_error_set(err,
					     "%s: filesystem rule \"%s\" has an empty path; "
					     "write RIGHTS:PATH, e.g. rx:/usr",
					     list->items[i].origin, text);
	}
	return 0;
}

static int check_net_rules(const struct sbx_rule_list *list, struct sbx_error *err)
{
	size_t i;

	for (i = 0; i < list->len; i++) {
		const struct sbx_right *right;
		uint16_t port;

		if (sbx_rule_parse_net(list->items[i].text, &right, &port, err) < 0) {
			char *why;

			if (!strchr(list->items[i].text, ','))
				return sbx_error_prefix(err, "%s", list->items[i].origin);
			why = sbx_xstrdup(err->msg);
			sbx_error_set(err,
				      "%s: %s; commas separate rules only in SANDBOXEC_NET and "
				      "SANDBOXEC_ADD_NET: give each rule its own flag or list "
				      "item (--net c:80 --net c:443)",
				      list->items[i].origin, why);
			free(why);
			return -1;
		}
	}
	return 0;
}

static int check_layer_rules(const struct sbx_layer *layer, struct sbx_error *err)
{
	if (!layer)
		return 0;
	if (check_fs_rules(&layer->fs, err) < 0 || check_fs_rules(&layer->add_fs, err) < 0 ||
	    check_net_rules(&layer->net, err) < 0 || check_net_rules(&layer->add_net, err) < 0)
		return -1;
	return 0;
}

/* The list that applies for fs or net: the strongest layer's list, then the
 * additions of that layer and of every stronger one, weakest first. A
 * weaker layer's additions go with its list when a stronger layer replaces
 * it (docs/design.md §3.2). The items are borrowed. Returns what to free:
 * the array the parts were joined into, or NULL when one part is the whole
 * list and is read in place (a policy of thousands of rules, from one
 * door, is not copied). */
static struct sbx_rule_text *merged_list(const struct sbx_layer *const *layers, size_t n,
					 enum sbx_setting id, struct sbx_rule_list *out)
{
	/* A list and its additions per layer. */
	const struct sbx_rule_list **parts = sbx_xreallocarray(NULL, 2 * n, sizeof(*parts));
	struct sbx_rule_text *joined = NULL;
	size_t base, i, n_parts = 0;

	for (base = 0; base < n; base++) {
		if (layers[base] && layers[base]->set[id])
			break;
	}
	for (i = base + 1; i-- > 0;) {
		const struct sbx_layer *layer = i < n ? layers[i] : NULL;
		const struct sbx_rule_list *list, *added;

		if (!layer)
			continue;
		list = id == SBX_SET_NET ? &layer->net : &layer->fs;
		added = id == SBX_SET_NET ? &layer->add_net : &layer->add_fs;
		if (i == base && list->len)
			parts[n_parts++] = list;
		if (added->len)
			parts[n_parts++] = added;
	}
	memset(out, 0, sizeof(*out));
	if (n_parts == 1) {
		/* Read only, as every item is: sbx_resolve_rules takes it const. */
		out->items = parts[0]->items;
		out->len = parts[0]->len;
	} else if (n_parts > 1) {
		for (i = 0; i < n_parts; i++)
			out->len += parts[i]->len;
		joined = sbx_xreallocarray(NULL, out->len, sizeof(*joined));
		for (i = 0, out->len = 0; i < n_parts; i++) {
			memcpy(joined + out->len, parts[i]->items, parts[i]->len * sizeof(*joined));
			out->len += parts[i]->len;
		}
		out->items = joined;
	}
	free(parts);
	return joined;
}

/* Picks, for each setting, the strongest layer that sets it. */
static const struct sbx_layer *strongest(const struct sbx_layer *const *layers, size_t n,
					 enum sbx_setting id)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (layers[i] && layers[i]->set[id])
			return layers[i];
	}
	return NULL;
}

static bool layer_sets_anything(const struct sbx_layer *layer)
{
	size_t i;

	for (i = 0; i < SBX_SETTING_COUNT; i++) {
		if (layer->set[i])
			return true;
	}
	return layer->config_file || layer->named_config || layer->add_fs.len || layer->add_net.len;
}

/* Where each scalar setting lands in the policy: one row per setting, so
 * adding a setting is a row here and one in the settings table. The lists
 * (fs, net) have no row; they are resolved as rules. */
enum scalar_type { SCALAR_NONE, SCALAR_INT, SCALAR_BOOL, SCALAR_MODE };

static const struct {
	enum scalar_type type;
	size_t offset;
} scalar_fields[SBX_SETTING_COUNT] = {
    [SBX_SET_ABI] = {SCALAR_INT, offsetof(struct sbx_policy, abi)},
    [SBX_SET_BEST_EFFORT] = {SCALAR_BOOL, offsetof(struct sbx_policy, best_effort)},
    [SBX_SET_IGNORE_IF_MISSING] = {SCALAR_BOOL, offsetof(struct sbx_policy, ignore_if_missing)},
    [SBX_SET_RESTRICT_SCOPED] = {SCALAR_BOOL, offsetof(struct sbx_policy, restrict_scoped)},
    [SBX_SET_ALLOW_UDP] = {SCALAR_BOOL, offsetof(struct sbx_policy, allow_udp)},
    [SBX_SET_RESTRICT_UNIX] = {SCALAR_BOOL, offsetof(struct sbx_policy, restrict_unix)},
    [SBX_SET_UNSAFE_HOST_RUNTIME] = {SCALAR_BOOL, offsetof(struct sbx_policy, unsafe_host_runtime)},
    [SBX_SET_LOG_DENIALS] = {SCALAR_BOOL, offsetof(struct sbx_policy, log_denials)},
    [SBX_SET_MODE] = {SCALAR_MODE, offsetof(struct sbx_policy, mode)},
};

static void policy_set_scalar(struct sbx_policy *policy, enum sbx_setting setting, int value)
{
	char *field = (char *)policy + scalar_fields[setting].offset;

	switch (scalar_fields[setting].type) {
	case SCALAR_INT:
		*(int *)(void *)field = value;
		break;
	case SCALAR_BOOL:
		*(bool *)field = value != 0;
		break;
	case SCALAR_MODE:
		*(enum sbx_mode *)(void *)field = (enum sbx_mode)value;
		break;
	case SCALAR_NONE:
		break;
	}
}

int sbx_resolve(const struct sbx_resolve_input *in, struct sbx_policy *out, struct sbx_error *err)
{
	struct sbx_env_settings env;
	struct sbx_layer file;
	const struct sbx_layer *layers[3];
	struct sbx_config_search search;
	struct sbx_rule_list fs, net;
	struct sbx_rule_text *fs_joined, *net_joined;
	bool found = false;
	size_t i;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (sbx_env_settings_read(in->envp, &env, err) < 0)
		return -1;
	search = (struct sbx_config_search){in->flags, &env, in->envp, in->self_dir};
	if (sbx_config_find_and_load(&search, &file, &found, &out->config_path, err) < 0)
		goto out_env;
	layers[0] = in->flags;
	layers[1] = &env.layer;
	layers[2] = &file;
	for (i = 0; i < SBX_ARRAY_SIZE(layers); i++) {
		if (check_layer_rules(layers[i], err) < 0)
			goto out_file;
	}
	out->mode = SBX_MODE_RUN;
	for (i = 0; i < SBX_SETTING_COUNT; i++) {
		const struct sbx_layer *layer =
		    strongest(layers, SBX_ARRAY_SIZE(layers), (enum sbx_setting)i);

		out->origin[i] = sbx_xstrdup(layer ? layer->origin[i] : "default");
		policy_set_scalar(out, (enum sbx_setting)i, layer ? layer->value[i] : 0);
	}
	out->has_source = found || env.any_policy || (in->flags && layer_sets_anything(in->flags));
	out->verbose = env.verbose;
	fs_joined = merged_list(layers, SBX_ARRAY_SIZE(layers), SBX_SET_FS, &fs);
	net_joined = merged_list(layers, SBX_ARRAY_SIZE(layers), SBX_SET_NET, &net);
	ret = sbx_resolve_rules(in, &fs, &net, out, err);
	free(fs_joined);
	free(net_joined);
out_file:
	sbx_layer_free(&file);
out_env:
	sbx_env_settings_free(&env);
	if (ret < 0)
		sbx_policy_free(out);
	return ret;
}
