/* SPDX-License-Identifier: Apache-2.0 */
/* Copies of trusted project files; see trust_copy.h. Every file is opened
 * relative to the opened directory and without following a link, and
 * checked with fstat on what was opened: the copies outlive the sandbox
 * and sit in a directory a sandbox granted `rw:~` can reach. */
#include "trust_copy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_find.h"
#include "trust.h"
#include "util.h"

#define COPY_DIR_NAME "trust-copies"

int sbx_trust_copy_dir(char *const *envp, char **out, struct sbx_error *err)
{
	char *store = NULL, *dir;

	if (sbx_trust_store_path(envp, &store, err) < 0)
		return -1;
	dir = sbx_path_dirname(store);
	*out = sbx_path_join(dir, COPY_DIR_NAME);
	free(dir);
	free(store);
	return 0;
}

/* What is wrong with a file or directory the user's own state must be in,
 * or NULL: another owner, or write access for others. */
static const char *ownership_fault(const struct stat *st)
{
	if (st->st_uid != geteuid())
		return "owned by another user";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "writable by other users";
	return NULL;
}

/* Opens the copy directory, refusing a link and a directory others could
 * write to (they could swap a copy between check and use). */
static int open_copy_dir(const char *dir, struct sbx_error *err)
{
	struct stat st;
	const char *fault;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return sbx_error_set(err, "%s %s", dir,
				     errno == ENOTDIR || errno == ELOOP
					 ? "is a symbolic link or not a directory"
					 : strerror(errno));
	if (fstat(fd, &st) < 0) {
		sbx_error_set(err, "%s: %s", dir, strerror(errno));
	} else if ((fault = ownership_fault(&st)) != NULL) {
		sbx_error_set(err, "%s is %s", dir, fault);
	} else {
		return fd;
	}
	close(fd);
	return -1;
}

/* A copy's file name: the SHA-256 of the path it was trusted under. */
static int copy_name(const char *abs_path, char name[SBX_SHA256_HEX_LEN], struct sbx_error *err)
{
	return sbx_sha256_hex(abs_path, strlen(abs_path), name, err);
}

/* Reads the copy named name in dirfd, checked as the file it opened. */
static int read_copy(int dirfd, const char *name, char **data, size_t *len, struct sbx_error *why)
{
	struct stat st;
	const char *fault;
	int ret = -1, fd;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return sbx_error_set(why, "%s",
				     errno == ENOENT  ? "missing"
				     : errno == ELOOP ? "a symbolic link"
						      : strerror(errno));
	if (fstat(fd, &st) < 0)
		sbx_error_set(why, "unreadable: %s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		sbx_error_set(why, "not a regular file");
	else if ((fault = ownership_fault(&st)) != NULL)
		sbx_error_set(why, "%s", fault);
	else if ((size_t)st.st_size > SBX_CONFIG_MAX_SIZE)
		sbx_error_set(why, "larger than a config file may be");
	else if (sbx_read_fd(fd, name, SBX_CONFIG_MAX_SIZE, data, len, why) < 0)
		sbx_error_prefix(why, "unreadable");
	else
		ret = 0;
	close(fd);
	return ret;
}

/* The copy, if it is exactly the content whose hash the store records. */
static int load_verified(char *const *envp, const char *abs_path, const char *recorded,
			 struct sbx_trust_prior *out)
{
	char name[SBX_SHA256_HEX_LEN], hash[SBX_SHA256_HEX_LEN];
	char *dir = NULL;
	int dirfd = -1, ret = -1;

	if (sbx_trust_copy_dir(envp, &dir, &out->why) < 0 ||
	    copy_name(abs_path, name, &out->why) < 0 ||
	    (dirfd = open_copy_dir(dir, &out->why)) < 0 ||
	    read_copy(dirfd, name, &out->data, &out->len, &out->why) < 0 ||
	    sbx_sha256_hex(out->data, out->len, hash, &out->why) < 0)
		goto out;
	if (strcmp(hash, recorded) != 0) {
		sbx_error_set(&out->why, "not the content the trust store records (its SHA-256 "
					 "differs)");
		goto out;
	}
	ret = 0;
out:
	if (dirfd >= 0)
		close(dirfd);
	free(dir);
	return ret;
}

int sbx_trust_copy_load(char *const *envp, const char *abs_path, struct sbx_trust_prior *out,
			struct sbx_error *err)
{
	char recorded[SBX_SHA256_HEX_LEN];
	bool found;

	memset(out, 0, sizeof(*out));
	if (sbx_trust_recorded_hash(envp, abs_path, recorded, &found, err) < 0)
		return -1;
	if (!found) {
		out->state = SBX_TRUST_PRIOR_NONE;
		return 0;
	}
	if (load_verified(envp, abs_path, recorded, out) == 0) {
		out->state = SBX_TRUST_PRIOR_COPY;
		return 0;
	}
	free(out->data);
	out->data = NULL;
	out->len = 0;
	out->state = SBX_TRUST_PRIOR_LOST;
	return 0;
}

void sbx_trust_prior_free(struct sbx_trust_prior *prior)
{
	free(prior->data);
	prior->data = NULL;
}

int sbx_trust_copy_save(char *const *envp, const char *abs_path, const char *data, size_t len,
			struct sbx_error *err)
{
	struct sbx_error why = {{0}};
	char name[SBX_SHA256_HEX_LEN];
	char *dir = NULL;
	int dirfd = -1, ret = -1;

	if (sbx_trust_copy_dir(envp, &dir, err) < 0 || copy_name(abs_path, name, err) < 0 ||
	    sbx_make_parent_dirs(dir, err) < 0)
		goto out;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		sbx_error_set(err, "cannot create %s: %s", dir, strerror(errno));
		goto out;
	}
	if ((dirfd = open_copy_dir(dir, &why)) < 0) {
		sbx_error_set(err,
			      "cannot keep a copy of the trusted file: %s; remove it and trust "
			      "again",
			      why.msg);
		goto out;
	}
	ret = sbx_replace_file_at(dirfd, name, dir, data, len, err);
out:
	if (dirfd >= 0)
		close(dirfd);
	free(dir);
	return ret;
}
