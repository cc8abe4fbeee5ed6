/* SPDX-License-Identifier: Apache-2.0 */
/* --list-profiles: every profile the -C search can see, directory by
 * directory in search order, with the first line of its comment; a name an
 * earlier directory already answers is marked shadowed. Reads files only. */
#ifndef SBX_PROFILE_LIST_H
#define SBX_PROFILE_LIST_H

#include <stddef.h>

/* The summary line of a profile: its first comment line that is not the
 * SPDX line, "#" and blanks dropped, and a leading "NAME:" (the profile
 * restating its own name) dropped too. A malloc'd string, "" when the file
 * has no such comment before its first key. */
char *sbx_profile_summary(const char *data, size_t len, const char *name);

/* Prints the listing on stdout; returns the exit status (1 after printing
 * one "sandboxec: " line when SANDBOXEC_* settings are unusable). */
int sbx_profiles_list(const char *self_dir);

#endif
