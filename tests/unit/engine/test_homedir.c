/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for homedir.c: which directories count as /, the home
 * directory or above it, on a real tree with HOME as a plain directory,
 * as a link, spelled with "..", missing, relative and unset. */
#include "unit_helpers.h"

#include <limits.h>

#include "engine/homedir.h"
#include "engine/util.h"

/* A path of the row: NULL, absolute as written, or "T" + rest, in the
 * scratch tree. */
struct home_row {
	const char *name;
	const char *home; /* NULL: HOME unset */
	const char *target;
	enum sbx_home_place want;
};

static const struct home_row home_rows[] = {
    {"the home directory itself", "T/home", "T/home", SBX_HOME_OR_ABOVE},
    {"a directory above home", "T/home", "T", SBX_HOME_OR_ABOVE},
    {"/ is named as /", "T/home", "/", SBX_HOME_ROOT},
    {"a directory below home is its own", "T/home", "T/home/proj", SBX_HOME_BELOW_OR_ELSEWHERE},
    {"a directory beside home is its own", "T/home", "T/data", SBX_HOME_BELOW_OR_ELSEWHERE},
    {"a link to home is home", "T/home", "T/homelink", SBX_HOME_OR_ABOVE},
    {"a link to a subdirectory is its own", "T/home", "T/projlink", SBX_HOME_BELOW_OR_ELSEWHERE},
    {"home through a link: the link's parent", "T/links/u", "T/links", SBX_HOME_OR_ABOVE},
    {"home through a link: its target", "T/links/u", "T/data/u", SBX_HOME_OR_ABOVE},
    {"home through a link: above its target", "T/links/u", "T/data", SBX_HOME_OR_ABOVE},
    {"home through a link: below its target", "T/links/u", "T/data/u/proj",
     SBX_HOME_BELOW_OR_ELSEWHERE},
    {"home spelled with ..: above where it resolves", "T/home/../data/u", "T/data",
     SBX_HOME_OR_ABOVE},
    {"home with a trailing slash", "T/home/", "T/home", SBX_HOME_OR_ABOVE},
    {"a missing home: what exists above it", "T/nohome/u", "T", SBX_HOME_OR_ABOVE},
    {"HOME=/: / is named as /", "/", "/", SBX_HOME_ROOT},
    {"HOME=/: nothing else", "/", "T/home", SBX_HOME_BELOW_OR_ELSEWHERE},
    {"HOME unset: / still is", NULL, "/", SBX_HOME_ROOT},
    {"HOME unset: nothing else", NULL, "T/home", SBX_HOME_BELOW_OR_ELSEWHERE},
    {"HOME relative: only /", "home", "T/home", SBX_HOME_BELOW_OR_ELSEWHERE},
    {"HOME empty: only /", "", "/", SBX_HOME_ROOT},
    {"a target that cannot be stat()ed fails closed", "T/home", "T/missing", SBX_HOME_OR_ABOVE},
};

static char *row_path(const char *top, const char *spec)
{
	char *out;

	if (spec[0] != 'T')
		return strdup(spec);
	assert_true(asprintf(&out, "%s%s", top, spec + 1) > 0);
	return out;
}

static void link_in(const char *top, const char *target_rel, const char *link_rel)
{
	char *target = ut_join(top, target_rel), *link = ut_join(top, link_rel);

	assert_int_equal(symlink(target, link), 0);
	free(target);
	free(link);
}

static void test_home_row(void **state)
{
	static const char *const dirs[] = {"home",   "home/proj",   "data",
					   "data/u", "data/u/proj", "links"};
	static const char *const links[][2] = {
	    {"home", "homelink"}, {"home/proj", "projlink"}, {"data/u", "links/u"}};
	const struct home_row *r = *state;
	size_t i;
	char *dir = ut_mkdtemp(), real[PATH_MAX], *target, *env_home = NULL;
	char *env[2] = {NULL, NULL};

	assert_non_null(realpath(dir, real));
	for (i = 0; i < SBX_ARRAY_SIZE(dirs); i++)
		free(ut_mkdir_in(real, dirs[i]));
	for (i = 0; i < SBX_ARRAY_SIZE(links); i++)
		link_in(real, links[i][0], links[i][1]);
	if (r->home) {
		char *home = row_path(real, r->home);

		assert_true(asprintf(&env_home, "HOME=%s", home) > 0);
		free(home);
		env[0] = env_home;
	}
	target = row_path(real, r->target);
	assert_int_equal(sbx_home_place_of_path(target, env), r->want);
	free(target);
	free(env_home);
	ut_rmtree(dir);
}

int main(void)
{
	struct ut_suite suite = {0};

	UT_SUITE_ADD_ROWS(&suite, test_home_row, NULL, NULL, home_rows);
	return ut_suite_run(&suite, "homedir");
}
