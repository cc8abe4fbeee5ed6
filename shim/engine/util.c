/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the engine and the front ends; see util.h. The only
 * place in the engine that may end the process: on allocation failure. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void __attribute__((noreturn)) sbx_out_of_memory(void)
{
	static const char msg[] = "sandboxec: out of memory while building the sandbox\n";

	/* write() rather than stdio: stdio may itself need memory. */
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more can be done */
	}
	_exit(1);
}

void *sbx_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		sbx_out_of_memory();
	return p;
}

void *sbx_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p)
		sbx_out_of_memory();
	return p;
}

void *sbx_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		sbx_out_of_memory();
	return p;
}

void *sbx_xreallocarray(void *ptr, size_t count, size_t size)
{
	if (size && count > ((size_t)-1) / size)
		sbx_out_of_memory();
	return sbx_xrealloc(ptr, count * size);
}

void *sbx_xgrow(void *array, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return array;
	if (*cap > ((size_t)-1) / 2)
		sbx_out_of_memory();
	*cap = *cap ? *cap * 2 : 16;
	return sbx_xreallocarray(array, *cap, size);
}

char *sbx_xstrdup(const char *s)
{
	return sbx_xstrndup(s, strlen(s));
}

char *sbx_xstrndup(const char *s, size_t n)
{
	char *p = sbx_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Writes the decimal digits of v at dst (when not NULL); returns their count. */
static size_t put_decimal(char *dst, unsigned long long v, bool negative)
{
	char digits[24];
	size_t n = 0, len;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (negative)
		digits[n++] = '-';
	len = n;
	while (dst && n)
		*dst++ = digits[--n];
	return len;
}

/* The formats the engine builds on the shim's cold path (paths, origins)
 * use only %s, %zu, %d, %u and %%: they are written here, so an exec under
 * the shim does not pay for first use of libc's printf machinery. Writes to
 * dst when it is not NULL (the caller sized it with a first, NULL pass) and
 * returns the length, or -1 when fmt has any other conversion, for which
 * the caller falls back to vsnprintf. Consumes ap. */
static long format_simple(char *dst, const char *fmt, va_list ap)
{
	size_t len = 0;
	const char *p;

	for (p = fmt; *p; p++) {
		const char *s;
		size_t n;

		if (*p != '%') {
			if (dst)
				dst[len] = *p;
			len++;
			continue;
		}
		p++;
		if (*p == 's') {
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)"; /* as glibc prints it */
			n = strlen(s);
			if (dst)
				memcpy(dst + len, s, n);
			len += n;
		} else if (*p == '%') {
			if (dst)
				dst[len] = '%';
			len++;
		} else if (p[0] == 'z' && p[1] == 'u') {
			p++;
			len += put_decimal(dst ? dst + len : NULL, va_arg(ap, size_t), false);
		} else if (*p == 'u') {
			len += put_decimal(dst ? dst + len : NULL, va_arg(ap, unsigned int), false);
		} else if (*p == 'd') {
			int v = va_arg(ap, int);
			unsigned long long mag =
			    v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

			len += put_decimal(dst ? dst + len : NULL, mag, v < 0);
		} else {
			return -1;
		}
	}
	if (dst)
		dst[len] = '\0';
	return (long)len;
}

/* The length fmt expands to, by format_simple when it can, else vsnprintf. */
static size_t format_length(const char *fmt, va_list ap, bool *simple)
    __attribute__((format(printf, 1, 0)));

static size_t format_length(const char *fmt, va_list ap, bool *simple)
{
	va_list copy;
	long n;

	va_copy(copy, ap);
	n = format_simple(NULL, fmt, copy);
	va_end(copy);
	*simple = n >= 0;
	if (n < 0) {
		va_copy(copy, ap);
		n = vsnprintf(NULL, 0, fmt, copy);
		va_end(copy);
		if (n < 0)
			sbx_out_of_memory();
	}
	return (size_t)n;
}

/* Writes fmt into dst, which has room for len + 1 bytes. */
static void format_into(char *dst, size_t len, bool simple, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void format_into(char *dst, size_t len, bool simple, const char *fmt, va_list ap)
{
	if (simple)
		format_simple(dst, fmt, ap);
	else
		vsnprintf(dst, len + 1, fmt, ap);
}

char *sbx_xasprintf(const char *fmt, ...)
{
	struct sbx_buf buf = {0};
	va_list ap;

	va_start(ap, fmt);
	sbx_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	return sbx_buf_steal(&buf);
}

static void sbx_buf_reserve(struct sbx_buf *buf, size_t extra)
{
	size_t need = buf->len + extra + 1;

	if (need < buf->len)
		sbx_out_of_memory();
	if (need <= buf->cap)
		return;
	while (buf->cap < need)
		buf->cap = buf->cap ? buf->cap * 2 : 64;
	buf->data = sbx_xrealloc(buf->data, buf->cap);
}

void sbx_buf_append(struct sbx_buf *buf, const char *data, size_t len)
{
	sbx_buf_reserve(buf, len);
	if (len)
		memcpy(buf->data + buf->len, data, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
}

void sbx_buf_put_uint(struct sbx_buf *buf, unsigned long long v)
{
	char digits[24];
	size_t len = put_decimal(digits, v, false);

	sbx_buf_append(buf, digits, len);
}

void sbx_buf_puts(struct sbx_buf *buf, const char *s)
{
	sbx_buf_append(buf, s, strlen(s));
}

void sbx_buf_putc(struct sbx_buf *buf, char c)
{
	sbx_buf_append(buf, &c, 1);
}

void sbx_buf_vprintf(struct sbx_buf *buf, const char *fmt, va_list ap)
{
	va_list again;
	bool simple;
	size_t n;

	/* Measure first, then write into the reserved room: one format
	 * string is walked twice, so the list is copied for the second walk. */
	va_copy(again, ap);
	n = format_length(fmt, ap, &simple);
	sbx_buf_reserve(buf, n);
	format_into(buf->data + buf->len, n, simple, fmt, again);
	va_end(again);
	buf->len += n;
}

void sbx_buf_printf(struct sbx_buf *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbx_buf_vprintf(buf, fmt, ap);
	va_end(ap);
}

void sbx_buf_put_escaped(struct sbx_buf *buf, const char *text, const struct sbx_escape *escapes,
			 bool hex_controls)
{
	const unsigned char *p;

	for (p = (const unsigned char *)text; *p; p++) {
		const struct sbx_escape *e = escapes;

		while (e->c && e->c != (char)*p)
			e++;
		if (e->c)
			sbx_buf_puts(buf, e->as);
		else if (hex_controls && (*p < 0x20 || *p == 0x7f))
			sbx_buf_printf(buf, "\\x%02x", *p);
		else
			sbx_buf_putc(buf, (char)*p);
	}
}

char *sbx_buf_steal(struct sbx_buf *buf)
{
	char *data = buf->data ? buf->data : sbx_xstrdup("");

	buf->data = NULL;
	buf->len = buf->cap = 0;
	return data;
}

void sbx_buf_free(struct sbx_buf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = buf->cap = 0;
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Maps the whole pages of [start, start + len) in one call, so that
 * read() fills them without a page fault each: on a VM where a first-touch
 * fault is a round trip to the hypervisor (docs/perf.md §2), the 250 KB
 * config of 10 000 rules took 63 of them. Only for a buffer of many
 * pages; before Linux 5.14, or under a filter that refuses madvise, the
 * call fails and the faults happen as before. */
static void populate_for_write(char *start, size_t len)
{
	const uintptr_t page = 4096;
	uintptr_t first = ((uintptr_t)start + page - 1) & ~(page - 1);
	uintptr_t end = ((uintptr_t)start + len) & ~(page - 1);

	if (end > first && end - first >= 16 * page)
		(void)madvise((void *)first, end - first, MADV_POPULATE_WRITE);
}

/* Reads fd to its end into buf, read() writing straight into it. Room
 * for size_hint bytes (a file's size) and one more is made at once, so a
 * large config is one allocation and, with the byte that sees the end, two
 * reads: not 8 KiB at a time copied into a buffer that doubles. */
static int read_fd_into(int fd, const char *path, size_t max_size, size_t size_hint,
			struct sbx_buf *buf, struct sbx_error *err)
{
	size_t expected = (size_hint < max_size ? size_hint : max_size) + 1;

	sbx_buf_reserve(buf, expected);
	populate_for_write(buf->data + buf->len, expected);
	for (;;) {
		ssize_t n;

		/* Room for a read and the NUL. */
		if (buf->cap - buf->len < 2)
			sbx_buf_reserve(buf, 8192);
		n = read(fd, buf->data + buf->len, buf->cap - buf->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sbx_error_set(err, "cannot read %s: %s", path, strerror(errno));
		if (n == 0)
			break;
		if (buf->len + (size_t)n > max_size)
			return sbx_error_set(err, "%s is larger than %zu bytes", path, max_size);
		buf->len += (size_t)n;
	}
	buf->data[buf->len] = '\0';
	return 0;
}

static int read_fd_sized(int fd, const char *path, size_t max_size, size_t size_hint, char **out,
			 size_t *out_len, struct sbx_error *err)
{
	struct sbx_buf buf = {0};

	if (read_fd_into(fd, path, max_size, size_hint, &buf, err) < 0) {
		sbx_buf_free(&buf);
		return -1;
	}
	*out_len = buf.len;
	*out = sbx_buf_steal(&buf);
	return 0;
}

int sbx_read_fd(int fd, const char *path, size_t max_size, char **out, size_t *out_len,
		struct sbx_error *err)
{
	return read_fd_sized(fd, path, max_size, 0, out, out_len, err);
}

int sbx_read_file(const char *path, size_t max_size, char **out, size_t *out_len,
		  struct sbx_error *err)
{
	struct stat st;
	int fd;
	int ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return sbx_error_set(err, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		sbx_error_set(err, "cannot stat %s: %s", path, strerror(errno));
	else if (S_ISDIR(st.st_mode))
		sbx_error_set(err, "%s is a directory, not a file", path);
	else if (!S_ISREG(st.st_mode))
		sbx_error_set(err, "%s is not a regular file", path);
	else
		ret = read_fd_sized(fd, path, max_size, (size_t)st.st_size, out, out_len, err);
	close(fd);
	return ret;
}

int sbx_write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int sbx_replace_file_at(int dirfd, const char *name, const char *shown, const char *data,
			size_t len, struct sbx_error *err)
{
	char *tmp = sbx_xasprintf("%s.%ld.tmp", name, (long)getpid());
	int fd, ret = -1;

	/* A leftover of an earlier run with the same pid goes first, so that
	 * O_EXCL never opens a file (or follows a link) someone put there. */
	unlinkat(dirfd, tmp, 0);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		sbx_error_set(err, "cannot write %s: %s", shown, strerror(errno));
	} else if (sbx_write_all(fd, data, len) < 0 || fsync(fd) < 0 ||
		   renameat(dirfd, tmp, dirfd, name) < 0) {
		sbx_error_set(err, "cannot write %s: %s", shown, strerror(errno));
		unlinkat(dirfd, tmp, 0);
	} else {
		ret = 0;
	}
	if (fd >= 0)
		close(fd);
	free(tmp);
	return ret;
}

int sbx_make_parent_dirs(const char *path, struct sbx_error *err)
{
	char *copy = sbx_xstrdup(path);
	char *p;

	for (p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) < 0 && errno != EEXIST) {
			sbx_error_set(err, "cannot create %s: %s", copy, strerror(errno));
			free(copy);
			return -1;
		}
		*p = '/';
	}
	free(copy);
	return 0;
}

/* memcpy, not printf: the host-runtime resolver joins thousands of paths. */
char *sbx_path_join(const char *dir, const char *name)
{
	size_t len = strlen(dir), name_len = strlen(name);
	size_t slash = len && dir[len - 1] == '/' ? 0 : 1;
	char *out = sbx_xmalloc(len + slash + name_len + 1);

	memcpy(out, dir, len);
	out[len] = '/';
	memcpy(out + len + slash, name, name_len + 1);
	return out;
}

char *sbx_path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return sbx_xstrdup(".");
	if (slash == path)
		return sbx_xstrdup("/");
	return sbx_xstrndup(path, (size_t)(slash - path));
}

bool sbx_path_step_up(char *path)
{
	char *slash = strrchr(path, '/');

	if (!slash || strcmp(path, "/") == 0)
		return false;
	slash[slash == path] = '\0';
	return true;
}

/* A short first try on the stack: getcwd(NULL, 0) allocates PATH_MAX
 * before it shrinks the block, and on the shim's cold path that one block
 * reached a second heap page, a page fault per exec (docs/perf.md §2). */
char *sbx_getcwd(void)
{
	char first_try[256];

	if (getcwd(first_try, sizeof(first_try)))
		return strdup(first_try);
	if (errno != ERANGE)
		return NULL;
	return getcwd(NULL, 0);
}

int sbx_path_absolute(const char *path, char **out, struct sbx_error *err)
{
	char *cwd;

	if (path[0] == '/') {
		*out = sbx_xstrdup(path);
		return 0;
	}
	cwd = sbx_getcwd();
	if (!cwd)
		return sbx_error_set(err, "cannot read the current directory to resolve \"%s\": %s",
				     path, strerror(errno));
	*out = sbx_path_join(cwd, path);
	free(cwd);
	return 0;
}

bool sbx_ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char ca = (*a >= 'A' && *a <= 'Z') ? (char)(*a + 32) : *a;
		char cb = (*b >= 'A' && *b <= 'Z') ? (char)(*b + 32) : *b;

		if (ca != cb)
			return false;
	}
	return *a == *b;
}

/* The value of entry when it sets name, else NULL. Compared by hand, not
 * with strncmp: the shim looks up names at every cold start, and most
 * entries differ at the first byte. */
static const char *entry_value(const char *entry, const char *name)
{
	while (*name && *entry == *name) {
		entry++;
		name++;
	}
	return !*name && *entry == '=' ? entry + 1 : NULL;
}

const char *sbx_env_get(char *const *envp, const char *name)
{
	if (!envp)
		return NULL;
	for (; *envp; envp++) {
		const char *value = entry_value(*envp, name);

		if (value)
			return value;
	}
	return NULL;
}

/* The settings look up some twenty SANDBOXEC_* names, and the shim does it
 * at every cold exec: one pass that skips, by its first byte, every entry
 * no name could match costs a few instructions an entry instead of twenty
 * scans of the whole environment (docs/perf.md §2). */
void sbx_env_get_many(char *const *envp, const char *const *names, size_t n, const char **values)
{
	bool first_byte[256] = {false};
	size_t i, unset = n;

	for (i = 0; i < n; i++) {
		values[i] = NULL;
		/* An entry that sets "" starts with its '='. */
		first_byte[(unsigned char)(names[i][0] ? names[i][0] : '=')] = true;
	}
	for (; envp && *envp && unset; envp++) {
		if (!first_byte[(unsigned char)**envp])
			continue;
		for (i = 0; i < n; i++) {
			if (!values[i] && (values[i] = entry_value(*envp, names[i])))
				unset--;
		}
	}
}

long sbx_table_index(const char *const *first_name, size_t count, size_t stride, const char *name)
{
	const char *field = (const char *)first_name;
	size_t i;

	for (i = 0; i < count; i++, field += stride) {
		const char *row_name = *(const char *const *)(const void *)field;

		if (row_name && strcmp(row_name, name) == 0)
			return (long)i;
	}
	return -1;
}

long sbx_table_index_icase(const char *const *first_name, size_t count, size_t stride,
			   const char *name)
{
	const char *field = (const char *)first_name;
	size_t i;

	for (i = 0; i < count; i++, field += stride) {
		const char *row_name = *(const char *const *)(const void *)field;

		if (row_name && sbx_ascii_ieq(row_name, name))
			return (long)i;
	}
	return -1;
}

bool sbx_path_in_tree(const char *path, const char *tree)
{
	size_t len = strlen(tree);

	while (len > 1 && tree[len - 1] == '/')
		len--;
	if (len == 1 && tree[0] == '/')
		return path[0] == '/';
	return strncmp(path, tree, len) == 0 && (path[len] == '/' || path[len] == '\0');
}

/* The second byte's range rules out overlong forms, surrogates and values
 * past U+10FFFF. */
size_t sbx_utf8_decode(const unsigned char *s, size_t left, uint32_t *cp)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, *cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, *cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, *cp = s[0] & 0x07u;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (left < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3fu);
	}
	return len;
}
