/* SPDX-License-Identifier: Apache-2.0 */
/* --mode learn's policy writer: the accesses a traced run made (files read,
 * listed, executed, written, created, removed; TCP ports) become the
 * Landlock rights each path needs, condensed into a short profile (system
 * trees, the working directory and /proc as one rule each, /etc, $HOME
 * dotfiles and devices per file) that may extend a shipped profile, and
 * written as commented YAML (docs/diagnostics.md). Pure: no system calls. */
#ifndef SBX_LEARN_H
#define SBX_LEARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "envlist.h"
#include "util.h"

/* What a traced call did, once it succeeded (or failed past the
 * permission check, as ENXIO on /dev/tty does). */
enum sbx_learn_op {
	SBX_LEARN_READ,	   /* a file opened for reading */
	SBX_LEARN_LIST,	   /* a directory opened (to list it) */
	SBX_LEARN_EXEC,	   /* a file executed, or loaded as its interpreter */
	SBX_LEARN_WRITE,   /* an existing file opened for writing */
	SBX_LEARN_CREATE,  /* path created: a file, directory, node, link, rename target */
	SBX_LEARN_REMOVE,  /* path removed, or renamed away */
	SBX_LEARN_CONNECT, /* TCP connect to port */
	SBX_LEARN_BIND,	   /* TCP bind to port */
};

/* One access. Strings are borrowed. */
struct sbx_learn_event {
	enum sbx_learn_op op;
	const char *path; /* absolute and canonical; NULL for a port */
	const char *exe;  /* the program that made it, or NULL */
	unsigned port;
	bool also_read; /* WRITE: opened for reading too */
	bool refer;	/* CREATE/REMOVE: one end of a rename or link across directories */
};

/* The Landlock bits one path needed, and which programs needed them. */
struct sbx_learn_access {
	char *path; /* a path, or NULL for a port */
	unsigned port;
	uint64_t bits; /* Landlock fs bits, or net bits for a port */
	struct sbx_strv exes;
};

struct sbx_learn {
	struct sbx_learn_access *acc;
	size_t n_acc, cap_acc;
	size_t *index; /* open addressing over acc, by path or port */
	size_t n_index;
	struct sbx_strv created; /* paths that did not exist before the run */
};

void sbx_learn_init(struct sbx_learn *l);
void sbx_learn_free(struct sbx_learn *l);
void sbx_learn_add(struct sbx_learn *l, const struct sbx_learn_event *ev);
/* What a verification round was denied: path (or port when path is NULL)
 * needs bits. */
void sbx_learn_add_bits(struct sbx_learn *l, const char *path, unsigned port, uint64_t bits,
			const char *exe);

/* Where the run happened, to name the working directory, $HOME and a
 * private TMPDIR as one place each (any may be NULL). */
struct sbx_learn_context {
	const char *cwd;
	const char *home;
	const char *tmpdir;
};

/* A rule of a shipped profile, its path made real (symlinks followed). */
struct sbx_learn_grant {
	const char *path; /* NULL for a port */
	unsigned port;
	uint64_t access;
};

struct sbx_learn_profile {
	const char *name; /* "base/shell" */
	const struct sbx_learn_grant *grants;
	size_t n_grants;
};

/* One rule of the learned profile. */
struct sbx_learn_rule {
	char *path; /* as written: "$PWD", "~/.gitconfig", "/etc/hosts"; NULL for a port */
	unsigned port;
	const char *rights; /* a name of the rights table: "r", "rx", "rw"... */
	char *programs;	    /* "git, sh" */
};

struct sbx_learn_result {
	const char *extends; /* the profile it builds on, or NULL */
	struct sbx_learn_rule *rules;
	size_t n_rules;
	size_t n_covered; /* accesses the profile already grants */
};

/* The rule a path falls under (the working directory, a system tree,
 * /proc, a $HOME dot-directory written to ...), or path itself; caller
 * frees. */
char *sbx_learn_target(const char *path, const struct sbx_learn_context *ctx);
/* The narrowest right of the table that grants bits ("r", "rx", "w",
 * "rw", "rwx"; "c", "b", "bc" for a port). */
const char *sbx_learn_rights(uint64_t bits, bool port);

/* The profile: extends the candidate that grants most (at least half) of
 * the accesses, if any; condenses the rest. */
void sbx_learn_condense(const struct sbx_learn *l, const struct sbx_learn_context *ctx,
			const struct sbx_learn_profile *profiles, size_t n_profiles,
			struct sbx_learn_result *out);
void sbx_learn_result_free(struct sbx_learn_result *res);

/* The profile as YAML, after the comment lines in header (each line
 * written with "# " before it). */
void sbx_learn_write_yaml(const struct sbx_learn_result *res, const char *header,
			  struct sbx_buf *out);

#endif
