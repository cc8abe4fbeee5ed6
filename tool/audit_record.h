/* SPDX-License-Identifier: Apache-2.0 */
/* The kernel's audit records that --report's second backend reads: the
 * Landlock ones (LANDLOCK_ACCESS, LANDLOCK_DOMAIN) and the SYSCALL record
 * of the same event (who made the call), parsed from their text. Pure: no
 * system calls, so it can be unit-tested and fuzzed with plain strings. */
#ifndef SBX_AUDIT_RECORD_H
#define SBX_AUDIT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SBX_AUDIT_SYSCALL	  1300
#define SBX_AUDIT_EOE		  1320
#define SBX_AUDIT_LANDLOCK_ACCESS 1423
#define SBX_AUDIT_LANDLOCK_DOMAIN 1424

/* What a LANDLOCK_ACCESS record's blockers= named. */
enum sbx_audit_blocker {
	SBX_BLOCK_NONE,
	SBX_BLOCK_FS,	    /* fs.* rights: fs_bits */
	SBX_BLOCK_CONNECT,  /* net.connect_tcp: port */
	SBX_BLOCK_BIND,	    /* net.bind_tcp: port */
	SBX_BLOCK_UDP_SEND, /* net.connect_send_udp: port */
	SBX_BLOCK_UDP_BIND, /* net.bind_udp: port */
	SBX_BLOCK_SIGNAL,   /* scope.signal */
	SBX_BLOCK_ABSTRACT, /* scope.abstract_unix_socket */
	SBX_BLOCK_PTRACE,   /* ptrace: opid */
	SBX_BLOCK_OTHER,    /* fs.change_topology, or a name this version does not know */
};

struct sbx_audit_record {
	int type;
	unsigned long long serial; /* joins the records of one event */
	/* LANDLOCK_ACCESS and LANDLOCK_DOMAIN */
	unsigned long long domain;
	enum sbx_audit_blocker blocker;
	uint64_t fs_bits;
	char *path; /* decoded; NULL when the record has none */
	unsigned port;
	int opid;
	/* LANDLOCK_DOMAIN */
	bool allocated, deallocated;
	unsigned long long denials;
	/* SYSCALL (pid also for an allocated domain) */
	long syscall;
	uint64_t args[4];
	int pid;
	char *exe;
};

/* Parses "audit(SEC.MS:SERIAL): key=value ..." of the given netlink type.
 * Returns false for text that is not such a record (rec then owns
 * nothing). */
bool sbx_audit_record_parse(int type, const char *text, size_t len, struct sbx_audit_record *rec);
void sbx_audit_record_free(struct sbx_audit_record *rec);

#endif
