/* SPDX-License-Identifier: Apache-2.0 */
/* Rule parsing and path expansion; see rule.h. Pure string work plus one
 * getcwd() for relative paths: no filesystem access, no Landlock. */
#include "rule.h"

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

int sbx_expand_path(const char *in, char *const *envp, char **out, struct sbx_error *err)
{
	struct sbx_buf buf = {0};
	const char *p = in;

	if (p[0] == '~') {
		if (p[1] != '\0' && p[1] != '/') {
			sbx_error_set(
			    err,
			    "\"%s\": only ~ and ~/ are expanded (to $HOME); write another "
			    "user's home directory out",
			    in);
			goto fail;
		}
		if (append_var(&buf, "HOME", 4, envp, in, err) < 0)
			goto fail;
		p++;
	}
	while (*p) {
		const char *name;

		if (*p != '$') {
			sbx_buf_putc(&buf, *p++);
			continue;
		}
		p++;
		if (*p == '$') {
			sbx_buf_putc(&buf, '$');
			p++;
		} else if (*p == '{') {
			const char *end = strchr(p, '}');

			name = p + 1;
			if (!end) {
				sbx_error_set(err, "\"%s\": unterminated ${; close it with }", in);
				goto fail;
			}
			if (end == name || !is_name_start(*name)) {
				sbx_error_set(err, "\"%s\": bad variable name in ${…}", in);
				goto fail;
			}
			for (p = name; p < end; p++) {
				if (!is_name_char(*p)) {
					sbx_error_set(err, "\"%s\": bad variable name in ${…}", in);
					goto fail;
				}
			}
			if (append_var(&buf, name, (size_t)(end - name), envp, in, err) < 0)
				goto fail;
			p = end + 1;
		} else if (is_name_start(*p)) {
			name = p;
			while (is_name_char(*p))
				p++;
			if (append_var(&buf, name, (size_t)(p - name), envp, in, err) < 0)
				goto fail;
		} else {
			sbx_error_set(err, "\"%s\": a lone $; write $$ for a literal $", in);
			goto fail;
		}
	}
	*out = sbx_buf_steal(&buf);
	return 0;
fail:
	sbx_buf_free(&buf);
	return -1;
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

int sbx_rule_parse_fs(const char *text, char *const *envp, const char *base_dir,
		      const struct sbx_right **right, char **path, struct sbx_error *err)
{
	const struct rule_kind kind = {sbx_fs_rights, sbx_fs_rights_count, "filesystem",
				       "has an empty path", "RIGHTS:PATH, e.g. rx:/usr"};
	const char *path_text;
	size_t path_len;
	char *raw, *expanded;
	int ret;

	if (parse_rights_part(text, &kind, right, &path_text, &path_len, err) < 0)
		return -1;
	if (path_text[0] != '~' && !memchr(path_text, '$', path_len)) {
		/* Nothing to expand, the common case: one copy, however many
		 * rules a generated policy lists. */
		expanded = sbx_xstrndup(path_text, path_len);
	} else {
		raw = sbx_xstrndup(path_text, path_len);
		ret = sbx_expand_path(raw, envp, &expanded, err);
		free(raw);
		if (ret < 0)
			return -1;
	}
	if (expanded[0] == '/') {
		*path = expanded;
		return 0;
	}
	if (expanded[0] == '/' || !base_dir) {
		ret = sbx_path_absolute(expanded, path, err);
		free(expanded);
		return ret;
	}
	*path = sbx_path_join(base_dir, expanded);
	free(expanded);
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
