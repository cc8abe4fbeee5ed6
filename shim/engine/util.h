/* SPDX-License-Identifier: Apache-2.0 */
/* Small helpers shared by the engine and both front ends: allocation that
 * fails closed, a growable byte buffer, file reading and path joining.
 * Holds no state of its own. */
#ifndef SBX_UTIL_H
#define SBX_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define SBX_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation failure is not an error a caller can recover from while
 * building a sandbox: these print one "sandboxec:" line and _exit(1), so a
 * half-built policy can never be applied (or skipped). */
#define SBX_NONNULL_RESULT __attribute__((returns_nonnull))
void *sbx_xmalloc(size_t size) SBX_NONNULL_RESULT;
void *sbx_xcalloc(size_t count, size_t size) SBX_NONNULL_RESULT;
void *sbx_xrealloc(void *ptr, size_t size) SBX_NONNULL_RESULT;
void *sbx_xreallocarray(void *ptr, size_t count, size_t size) SBX_NONNULL_RESULT;
/* Room for element n of an array of *cap elements of size bytes, doubling
 * the capacity (from 16) when full: for arrays filled one element at a
 * time by the thousand, where growing by one would realloc every time. */
void *sbx_xgrow(void *array, size_t n, size_t *cap, size_t size) SBX_NONNULL_RESULT;
char *sbx_xstrdup(const char *s) SBX_NONNULL_RESULT;
char *sbx_xstrndup(const char *s, size_t n) SBX_NONNULL_RESULT;
char *sbx_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2))) SBX_NONNULL_RESULT;

/* A growable, always NUL-terminated byte buffer. */
struct sbx_buf {
	char *data;
	size_t len;
	size_t cap;
};

void sbx_buf_append(struct sbx_buf *buf, const char *data, size_t len);
void sbx_buf_puts(struct sbx_buf *buf, const char *s);
void sbx_buf_putc(struct sbx_buf *buf, char c);
/* The decimal digits of v, without a printf: for what is written once per
 * rule. */
void sbx_buf_put_uint(struct sbx_buf *buf, unsigned long long v);
void sbx_buf_printf(struct sbx_buf *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sbx_buf_vprintf(struct sbx_buf *buf, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* One escaping rule: the byte c is written as the string as. */
struct sbx_escape {
	char c;
	const char *as;
};

/* Appends text with each byte found in escapes (ended by { 0 }) replaced
 * by its string; with hex_controls, the other control bytes (below 0x20,
 * and 0x7f) become \xHH. The one escaping loop behind the SANDBOXEC_FS
 * list syntax, YAML double-quoted scalars and the trust store. */
void sbx_buf_put_escaped(struct sbx_buf *buf, const char *text, const struct sbx_escape *escapes,
			 bool hex_controls);
/* Hands the data to the caller (never NULL) and resets the buffer. */
char *sbx_buf_steal(struct sbx_buf *buf) SBX_NONNULL_RESULT;
void sbx_buf_free(struct sbx_buf *buf);

/* Reads an open file to its end into a NUL-terminated buffer, at most
 * max_size bytes (path is for messages only). */
int sbx_read_fd(int fd, const char *path, size_t max_size, char **out, size_t *out_len,
		struct sbx_error *err);
/* Reads a whole regular file of at most max_size bytes. Errors say which
 * file and why (missing, a directory, unreadable, too large). */
int sbx_read_file(const char *path, size_t max_size, char **out, size_t *out_len,
		  struct sbx_error *err);

/* Writes all of data, again after EINTR; -1 with errno on failure. */
int sbx_write_all(int fd, const char *data, size_t len);
/* Replaces name in dirfd (AT_FDCWD for a path) with data, atomically: a
 * private (0600) temporary file beside it, written, synced, renamed over
 * it; links are never followed. shown names the file in the error. */
int sbx_replace_file_at(int dirfd, const char *name, const char *shown, const char *data,
			size_t len, struct sbx_error *err);
/* Creates each missing directory above path's last component, mode 0700:
 * for the user's own state (the trust store), private from the start. */
int sbx_make_parent_dirs(const char *path, struct sbx_error *err);

/* dir + "/" + name, without doubling the slash. */
char *sbx_path_join(const char *dir, const char *name);
/* The directory part of an absolute path ("/" for "/x"). */
char *sbx_path_dirname(const char *path);
/* One step of a walk up to /: cuts the path in place to its directory
 * part, as sbx_path_dirname would give it; false, leaving it as it is, at
 * "/" (or at a name with no slash), where the walk ends. */
bool sbx_path_step_up(char *path);
/* The current directory, as getcwd(NULL, 0) gives it (malloc()ed; NULL
 * with errno set on failure). */
char *sbx_getcwd(void);
/* Makes a path absolute against the current directory (no symlink
 * resolution, "." and ".." kept as written). */
int sbx_path_absolute(const char *path, char **out, struct sbx_error *err);

/* Case-insensitive ASCII comparison that does not depend on the locale. */
bool sbx_ascii_ieq(const char *a, const char *b);

/* Looks a variable up in an environment block (NULL if unset). */
const char *sbx_env_get(char *const *envp, const char *name);
/* n lookups in one pass over envp: values[i] = sbx_env_get(envp,
 * names[i]), the first entry of that name. */
void sbx_env_get_many(char *const *envp, const char *const *names, size_t n, const char **values);

/* The index of the row, in a table of structs, whose name field equals
 * name; -1 when none does (rows with a NULL name never match). Called with
 * the first row's field and the row size:
 * sbx_table_index(&rows[0].name, count, sizeof(rows[0]), name). */
long sbx_table_index(const char *const *first_name, size_t count, size_t stride, const char *name);
/* The same, ignoring ASCII case: for the names a user types (YAML keys,
 * mode names), which the original tool matches in any case. */
long sbx_table_index_icase(const char *const *first_name, size_t count, size_t stride,
			   const char *name);

/* Whether path (absolute) is tree or lies below it; pure. */
bool sbx_path_in_tree(const char *path, const char *tree);

/* The length of the well-formed UTF-8 sequence at s (at most left bytes;
 * overlong forms, surrogates and values past U+10FFFF are not well
 * formed), its code point in *cp; 0 when there is none. */
size_t sbx_utf8_decode(const unsigned char *s, size_t left, uint32_t *cp);

#endif
