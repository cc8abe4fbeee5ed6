/* SPDX-License-Identifier: Apache-2.0 */
/* Parsing the audit records --report reads; see audit_record.h. Values are
 * bare, "quoted", or hex when the kernel found a character it does not
 * print as is (audit_log_untrustedstring); all are bounded by the text. */
#include "audit_record.h"

#include <stdlib.h>
#include <string.h>

#include "engine/landlock_abi.h"
#include "engine/util.h"

/* The kernel's names for the fs rights, in bit order. */
static const char *const fs_names[] = {
    "execute",	 "write_file", "read_file", "read_dir",	 "remove_dir",	 "remove_file",
    "make_char", "make_dir",   "make_reg",  "make_sock", "make_fifo",	 "make_block",
    "make_sym",	 "refer",      "truncate",  "ioctl_dev", "resolve_unix",
};

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A value as the kernel wrote it: "text", or hex pairs, or a bare word
 * (returned as is when it is not all hex pairs, e.g. "(null)"). */
static char *decode_value(const char *v, size_t len)
{
	char *out;
	size_t i;

	if (len >= 2 && v[0] == '"' && v[len - 1] == '"')
		return sbx_xstrndup(v + 1, len - 2);
	if (len == 0 || len % 2)
		return sbx_xstrndup(v, len);
	for (i = 0; i < len; i++) {
		if (hex_digit(v[i]) < 0)
			return sbx_xstrndup(v, len);
	}
	out = sbx_xmalloc(len / 2 + 1);
	for (i = 0; i < len / 2; i++)
		out[i] = (char)(hex_digit(v[2 * i]) * 16 + hex_digit(v[2 * i + 1]));
	out[len / 2] = '\0';
	return out;
}

static void parse_blockers(struct sbx_audit_record *rec, const char *v, size_t len)
{
	const char *end = v + len;

	while (v < end) {
		const char *comma = memchr(v, ',', (size_t)(end - v));
		size_t n = (size_t)((comma ? comma : end) - v), i;

		if (n > 3 && strncmp(v, "fs.", 3) == 0) {
			for (i = 0; i < SBX_ARRAY_SIZE(fs_names); i++) {
				if (strlen(fs_names[i]) == n - 3 &&
				    !strncmp(v + 3, fs_names[i], n - 3))
					break;
			}
			if (i < SBX_ARRAY_SIZE(fs_names)) {
				rec->fs_bits |= 1ULL << i;
				rec->blocker = SBX_BLOCK_FS;
			} else if (!rec->blocker) {
				rec->blocker = SBX_BLOCK_OTHER;
			}
		} else if (n == 15 && !strncmp(v, "net.connect_tcp", n)) {
			rec->blocker = SBX_BLOCK_CONNECT;
		} else if (n == 12 && !strncmp(v, "net.bind_tcp", n)) {
			rec->blocker = SBX_BLOCK_BIND;
		} else if (n == 20 && !strncmp(v, "net.connect_send_udp", n)) {
			rec->blocker = SBX_BLOCK_UDP_SEND;
		} else if (n == 12 && !strncmp(v, "net.bind_udp", n)) {
			rec->blocker = SBX_BLOCK_UDP_BIND;
		} else if (n == 12 && !strncmp(v, "scope.signal", n)) {
			rec->blocker = SBX_BLOCK_SIGNAL;
		} else if (n == 26 && !strncmp(v, "scope.abstract_unix_socket", n)) {
			rec->blocker = SBX_BLOCK_ABSTRACT;
		} else if (n == 6 && !strncmp(v, "ptrace", n)) {
			rec->blocker = SBX_BLOCK_PTRACE;
		} else if (!rec->blocker) {
			rec->blocker = SBX_BLOCK_OTHER;
		}
		v += n + (v + n < end);
	}
}

static bool key_is(const char *k, size_t klen, const char *name)
{
	return strlen(name) == klen && strncmp(k, name, klen) == 0;
}

static void take_string(char **dst, const char *v, size_t vlen)
{
	free(*dst);
	*dst = decode_value(v, vlen);
}

static void parse_field(struct sbx_audit_record *rec, const char *k, size_t klen, const char *v,
			size_t vlen)
{
	char num[32];
	size_t i;

	if (key_is(k, klen, "blockers")) {
		parse_blockers(rec, v, vlen);
		return;
	}
	if (key_is(k, klen, "path") && rec->type == SBX_AUDIT_LANDLOCK_ACCESS) {
		take_string(&rec->path, v, vlen);
		return;
	}
	if (key_is(k, klen, "exe")) {
		take_string(&rec->exe, v, vlen);
		return;
	}
	if (vlen >= sizeof(num))
		return;
	memcpy(num, v, vlen);
	num[vlen] = '\0';
	if (key_is(k, klen, "domain"))
		rec->domain = strtoull(num, NULL, 16);
	else if (key_is(k, klen, "dest") || key_is(k, klen, "src"))
		rec->port = (unsigned)strtoul(num, NULL, 10);
	else if (key_is(k, klen, "opid"))
		rec->opid = (int)strtol(num, NULL, 10);
	else if (key_is(k, klen, "pid"))
		rec->pid = (int)strtol(num, NULL, 10);
	else if (key_is(k, klen, "syscall"))
		rec->syscall = strtol(num, NULL, 10);
	else if (key_is(k, klen, "denials"))
		rec->denials = strtoull(num, NULL, 10);
	else if (key_is(k, klen, "status")) {
		rec->allocated = strcmp(num, "allocated") == 0;
		rec->deallocated = strcmp(num, "deallocated") == 0;
	} else if (klen == 2 && k[0] == 'a' && k[1] >= '0' && k[1] <= '3') {
		i = (size_t)(k[1] - '0');
		rec->args[i] = strtoull(num, NULL, 16);
	}
}

bool sbx_audit_record_parse(int type, const char *text, size_t len, struct sbx_audit_record *rec)
{
	const char *p = text, *end = text + len, *colon;

	memset(rec, 0, sizeof(*rec));
	rec->type = type;
	rec->syscall = -1;
	if (len < 7 || strncmp(p, "audit(", 6) != 0)
		return false;
	colon = memchr(p, ':', len);
	if (!colon || colon + 1 >= end)
		return false;
	rec->serial = strtoull(colon + 1, NULL, 10);
	p = memchr(colon, ')', (size_t)(end - colon));
	if (!p)
		return false;
	p++;
	if (p < end && *p == ':')
		p++;
	while (p < end) {
		const char *k, *v, *eq;

		while (p < end && *p == ' ')
			p++;
		k = p;
		while (p < end && *p != ' ' && *p != '=')
			p++;
		if (p >= end || *p != '=')
			continue;
		eq = p++;
		v = p;
		if (p < end && *p == '"') {
			const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));

			p = q ? q + 1 : end;
		} else {
			while (p < end && *p != ' ')
				p++;
		}
		parse_field(rec, k, (size_t)(eq - k), v, (size_t)(p - v));
	}
	return true;
}

void sbx_audit_record_free(struct sbx_audit_record *rec)
{
	free(rec->path);
	free(rec->exe);
	memset(rec, 0, sizeof(*rec));
}
