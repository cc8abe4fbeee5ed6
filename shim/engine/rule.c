/* SPDX-License-Identifier: Apache-2.0 */
/* Rule parsing and path expansion; see rule.h. Pure string work plus one
 * getcwd() for relative paths: no filesystem access, no Landlock. */
#include "rule.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int is_name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static int append_var(struct sbx_buf *out, const char *name, size_t len, char *const *envp,
		      const char *in, struct sbx_error *err)
{
	char *var = sbx_xstrndup(name, len);
	const char *value = sbx_env_get(envp, var);
	int ret = 0;

	if (!value)
		ret =
		    sbx_error_set(err,
				  "variable $%s in \"%s\" is not set; set it or write the path out "
				  "(an unset variable never expands to an empty string)",
				  var, in);
	else if (!*value)
		ret = sbx_error_set(err,
				    "variable $%s in \"%s\" is empty; set it or write the path out "
				    "(an empty variable would silently change the path)",
				    var, in);
	else
		sbx_buf_puts(out, value);
	free(var);
	return ret;
}

/* One expansion in progress: where it reads, what it reports against, and
 * the first variable a ${VAR:-default} took from the environment. */
struct expand_ctx {
	char *const *envp;
	const char *in;
	struct sbx_error *err;
	char *followed;	      /* "CLAUDE_CONFIG_DIR", or NULL */
	char *followed_value; /* its value, for the message */
};

/* A ~ at *p: alone, before a / or (in a default) before the closing brace. */
static int append_tilde(struct expand_ctx *c, struct sbx_buf *buf, const char **p, bool in_default)
{
	char after = (*p)[1];

	if (after != '\0' && after != '/' && !(in_default && after == '}')) {
		return sbx_error_set(c->err,
				     "\"%s\": only ~ and ~/ are expanded (to $HOME); write another "
				     "user's home directory out",
				     c->in);
	}
	(*p)++;
	return append_var(buf, "HOME", 4, c->envp, c->in, c->err);
}

/* A value a ${VAR:-default} takes must name a directory of the tool's own:
 * absolute where it begins the path (a relative one would follow the
 * current directory), and without a ".." component, which would climb out
 * of what the profile meant to grant. */
static int check_followed_value(struct expand_ctx *c, const char *name, const char *value,
				bool at_start)
{
	const char *p;

	if (at_start && value[0] != '/')
		return sbx_error_set(c->err,
				     "\"%s\": $%s=%s is not an absolute path; set it to one or "
				     "unset it",
				     c->in, name, value);
	for (p = value; *p; p++) {
		if ((p == value || p[-1] == '/') && p[0] == '.' && p[1] == '.' &&
		    (p[2] == '/' || p[2] == '\0'))
			return sbx_error_set(c->err,
					     "\"%s\": $%s=%s has a \"..\" component; set it to "
					     "the directory itself or unset it",
					     c->in, name, value);
	}
	return 0;
}

static int expand_text(struct expand_ctx *c, struct sbx_buf *buf, const char *p, const char *end,
		       bool in_default);

/* "${NAME}" or "${NAME:-default}" at p (just past "${"); sets *next past
 * the closing brace. Only :- is known: the other shell operators would
 * assign, test or drop, and none of that belongs in a rule path. */
static int expand_braced(struct expand_ctx *c, struct sbx_buf *buf, const char *p, bool at_start,
			 bool in_default, const char **next)
{
	const char *name = p, *close, *nested;
	size_t len;
	const char *value;
	char *var;
	int ret;

	if (in_default)
		return sbx_error_set(c->err,
				     "\"%s\": ${ inside a default; a default may use $NAME, ~ and "
				     "$$, not another ${…}",
				     c->in);
	close = strchr(p, '}');
	if (!close)
		return sbx_error_set(c->err, "\"%s\": unterminated ${; close it with }", c->in);
	if (!is_name_start(*p))
		return sbx_error_set(c->err, "\"%s\": bad variable name in ${…}", c->in);
	while (is_name_char(*p))
		p++;
	len = (size_t)(p - name);
	if (p == close) {
		*next = close + 1;
		return append_var(buf, name, len, c->envp, c->in, c->err);
	}
	if (p[0] != ':' || p[1] != '-')
		return sbx_error_set(c->err,
				     "\"%s\": bad variable name in ${…}; write ${NAME} or "
				     "${NAME:-default}",
				     c->in);
	p += 2;
	nested = strstr(p, "${");
	if (nested && nested < close)
		return sbx_error_set(c->err,
				     "\"%s\": ${ inside a default; a default may use $NAME, ~ and "
				     "$$, not another ${…}",
				     c->in);
	if (p == close)
		return sbx_error_set(c->err,
				     "\"%s\": ${%.*s:-} has an empty default; write the path it "
				     "stands for when $%.*s is unset",
				     c->in, (int)len, name, (int)len, name);
	*next = close + 1;
	var = sbx_xstrndup(name, len);
	value = sbx_env_get(c->envp, var);
	if (value && *value) {
		ret = check_followed_value(c, var, value, at_start);
		if (ret == 0) {
			sbx_buf_puts(buf, value);
			if (!c->followed) {
				c->followed = var;
				c->followed_value = sbx_xstrdup(value);
				return 0;
			}
		}
		free(var);
		return ret;
	}
	/* Unset or empty, as the shell's :- has it: the default. */
	free(var);
	if (*p == '~') {
		if (!at_start)
			return sbx_error_set(c->err,
					     "\"%s\": ~ in a default expands only where the "
					     "${…} begins the path; write $HOME",
					     c->in);
		if (append_tilde(c, buf, &p, true) < 0)
			return -1;
	}
	return expand_text(c, buf, p, close, true);
}

static int expand_text(struct expand_ctx *c, struct sbx_buf *buf, const char *p, const char *end,
		       bool in_default)
{
	while (p < end) {
		const char *name;

		if (*p != '$') {
			sbx_buf_putc(buf, *p++);
			continue;
		}
		p++;
		if (*p == '$') {
			sbx_buf_putc(buf, '$');
			p++;
		} else if (*p == '{') {
			if (expand_braced(c, buf, p + 1, !in_default && p - 1 == c->in, in_default,
					  &p) < 0)
				return -1;
		} else if (is_name_start(*p)) {
			name = p;
			while (p < end && is_name_char(*p))
				p++;
			if (append_var(buf, name, (size_t)(p - name), c->envp, c->in, c->err) < 0)
				return -1;
		} else {
			return sbx_error_set(c->err, "\"%s\": a lone $; write $$ for a literal $",
					     c->in);
		}
	}
	return 0;
}

/* path without empty and "." components: "/a//b/./" → "/a/b", "//" → "/". */
static char *normalized(const char *path)
{
	struct sbx_buf buf = {0};
	const char *p = path;

	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);

		if (len && !(len == 1 && p[0] == '.')) {
			sbx_buf_putc(&buf, '/');
			sbx_buf_append(&buf, p, len);
		}
		p = *end ? end + 1 : end;
	}
	if (!buf.len)
		sbx_buf_putc(&buf, '/');
	return sbx_buf_steal(&buf);
}

/* A followed variable names a tool's own directory; one that makes the
 * rule cover / or the home directory (a CLAUDE_CONFIG_DIR=$HOME) would
 * turn a grant meant for a subdirectory into one on everything below. */
static int check_followed_result(struct expand_ctx *c, const char *out)
{
	const char *home = sbx_env_get(c->envp, "HOME");
	char *path, *home_path;
	bool above_home;

	if (!c->followed || out[0] != '/')
		return 0;
	path = normalized(out);
	if (strcmp(path, "/") == 0) {
		free(path);
		return sbx_error_set(c->err,
				     "\"%s\": $%s=%s makes the rule cover /; point it at a "
				     "directory of its own or unset it",
				     c->in, c->followed, c->followed_value);
	}
	if (!home || home[0] != '/') {
		free(path);
		return 0;
	}
	home_path = normalized(home);
	above_home = sbx_path_in_tree(home_path, path);
	free(home_path);
	free(path);
	if (above_home)
		return sbx_error_set(c->err,
				     "\"%s\": $%s=%s makes the rule cover the home directory "
				     "%s; point it at a directory of its own or unset it",
				     c->in, c->followed, c->followed_value, home);
	return 0;
}

int sbx_expand_path(const char *in, char *const *envp, char **out, struct sbx_error *err)
{
	struct expand_ctx c = {envp, in, err, NULL, NULL};
	struct sbx_buf buf = {0};
	const char *p = in;
	int ret = -1;

	if (p[0] == '~' && append_tilde(&c, &buf, &p, false) < 0)
		goto out;
	if (expand_text(&c, &buf, p, p + strlen(p), false) < 0)
		goto out;
	*out = sbx_buf_steal(&buf);
	ret = check_followed_result(&c, *out);
	if (ret < 0) {
		free(*out);
		*out = NULL;
	}
out:
	sbx_buf_free(&buf);
	free(c.followed);
	free(c.followed_value);
	return ret;
}

bool sbx_path_follows_variable(const char *text)
{
	const char *p;

	for (p = strstr(text, "${"); p; p = strstr(p + 2, "${")) {
		const char *q = p + 2;

		if (!is_name_start(*q))
			continue;
		while (is_name_char(*q))
			q++;
		if (q[0] == ':' && q[1] == '-')
			return true;
	}
	return false;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Splits "RIGHTS:REST" at the first colon, trimming whitespace around both
 * parts. Returns 0 and fills the spans, or -1 if there is no colon. */
static int split_rule(const char *text, const char **rights, size_t *rights_len, const char **rest,
		      size_t *rest_len)
{
	const char *colon = strchr(text, ':');
	const char *end;

	if (!colon)
		return -1;
	*rights = text;
	*rights_len = (size_t)(colon - text);
	*rest = colon + 1;
	while (is_space(**rest))
		(*rest)++;
	end = *rest + strlen(*rest);
	while (end > *rest && is_space(end[-1]))
		end--;
	*rest_len = (size_t)(end - *rest);
	return 0;
}

static int unknown_rights(const struct sbx_right *table, size_t count, const char *text, size_t len,
			  const char *rule, const char *kind, struct sbx_error *err)
{
	struct sbx_buf names = {0};

	sbx_rights_describe(&names, table, count);
	sbx_error_set(err, "unknown %s rights \"%.*s\" in \"%s\"; use %s", kind, (int)len, text,
		      rule, names.data);
	sbx_buf_free(&names);
	return -1;
}

/* What tells a filesystem rule from a network rule, for parsing and for
 * the messages (which must say what to write instead). */
struct rule_kind {
	const struct sbx_right *table;
	size_t count;
	const char *name;	/* "filesystem" */
	const char *empty_rest; /* "has an empty path" */
	const char *form;	/* "RIGHTS:PATH, e.g. rx:/usr" */
};

/* "RIGHTS:REST" → the right and the trimmed, non-empty REST. */
static int parse_rights_part(const char *text, const struct rule_kind *kind,
			     const struct sbx_right **right, const char **rest, size_t *rest_len,
			     struct sbx_error *err)
{
	const char *rights_text;
	size_t rights_len;

	if (split_rule(text, &rights_text, &rights_len, rest, rest_len) < 0)
		return sbx_error_set(err, "%s rule \"%s\" has no colon; write %s", kind->name, text,
				     kind->form);
	*right = sbx_right_find(kind->table, kind->count, rights_text, rights_len);
	if (!*right)
		return unknown_rights(kind->table, kind->count, rights_text, rights_len, text,
				      kind->name, err);
	if (*rest_len == 0)
		return sbx_error_set(err, "%s rule \"%s\" %s; write %s", kind->name, text,
				     kind->empty_rest, kind->form);
	return 0;
}

int sbx_rule_parse_fs_into(const char *text, char *const *envp, const char *base_dir,
			   const struct sbx_right **right, struct sbx_buf *path,
			   struct sbx_error *err)
{
	const struct rule_kind kind = {sbx_fs_rights, sbx_fs_rights_count, "filesystem",
				       "has an empty path", "RIGHTS:PATH, e.g. rx:/usr"};
	const char *path_text;
	size_t path_len;
	char *raw, *expanded, *absolute;
	int ret;

	path->len = 0;
	if (parse_rights_part(text, &kind, right, &path_text, &path_len, err) < 0)
		return -1;
	if (path_text[0] != '~' && !memchr(path_text, '$', path_len)) {
		/* Nothing to expand, the common case: copied once, however
		 * many rules a generated policy lists, joined to base_dir as
		 * it is copied when relative. */
		if (path_text[0] != '/' && base_dir) {
			size_t dir_len = strlen(base_dir);

			sbx_buf_append(path, base_dir, dir_len);
			if (!dir_len || base_dir[dir_len - 1] != '/')
				sbx_buf_putc(path, '/');
		}
		if (path_text[0] == '/' || base_dir) {
			sbx_buf_append(path, path_text, path_len);
			return 0;
		}
		expanded = sbx_xstrndup(path_text, path_len);
	} else {
		raw = sbx_xstrndup(path_text, path_len);
		ret = sbx_expand_path(raw, envp, &expanded, err);
		free(raw);
		if (ret < 0)
			return -1;
	}
	if (expanded[0] == '/' || !base_dir) {
		ret = sbx_path_absolute(expanded, &absolute, err);
		free(expanded);
		if (ret < 0)
			return -1;
	} else {
		absolute = sbx_path_join(base_dir, expanded);
		free(expanded);
	}
	sbx_buf_puts(path, absolute);
	free(absolute);
	return 0;
}

int sbx_rule_parse_fs(const char *text, char *const *envp, const char *base_dir,
		      const struct sbx_right **right, char **path, struct sbx_error *err)
{
	struct sbx_buf buf = {0};

	if (sbx_rule_parse_fs_into(text, envp, base_dir, right, &buf, err) < 0) {
		sbx_buf_free(&buf);
		return -1;
	}
	*path = sbx_buf_steal(&buf);
	return 0;
}

int sbx_rule_parse_net(const char *text, const struct sbx_right **right, uint16_t *port,
		       struct sbx_error *err)
{
	const struct rule_kind kind = {sbx_net_rights, sbx_net_rights_count, "network",
				       "has no port", "RIGHTS:PORT, e.g. c:443"};
	const char *port_text;
	size_t port_len = 0, i;
	unsigned long value = 0;

	if (parse_rights_part(text, &kind, right, &port_text, &port_len, err) < 0)
		return -1;
	for (i = 0; i < port_len; i++) {
		if (port_text[i] < '0' || port_text[i] > '9')
			return sbx_error_set(
			    err, "port \"%.*s\" in \"%s\" is not a number; use 0 to 65535",
			    (int)port_len, port_text, text);
		value = value * 10 + (unsigned long)(port_text[i] - '0');
		if (value > 65535)
			return sbx_error_set(err, "port \"%.*s\" in \"%s\" is above 65535",
					     (int)port_len, port_text, text);
	}
	*port = (uint16_t)value;
	return 0;
}
