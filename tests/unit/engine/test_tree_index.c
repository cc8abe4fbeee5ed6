/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for tree_index.c: the outermost writable tree above a path —
 * nested trees, siblings that share a string prefix (/a/b and /a/bc),
 * trailing and doubled slashes, "/" — and, on random policies, the same
 * answer as the definition: every rule compared with every tree. */
#include "unit_helpers.h"

#include "engine/rights.h"
#include "engine/tree_index.h"
#include "engine/util.h"

#define W SBX_LL_FS_WRITE_FILE
#define R SBX_LL_FS_READ_FILE

struct rules {
	struct sbx_fs_rule fs[16];
	size_t n;
	struct sbx_tree_index ix;
};

static void add(struct rules *r, uint64_t access, const char *path)
{
	assert_true(r->n < SBX_ARRAY_SIZE(r->fs));
	r->fs[r->n].path = (char *)path;
	r->fs[r->n].access = access;
	r->n++;
}

static void index_them(struct rules *r)
{
	sbx_tree_index_init(&r->ix, r->fs, r->n, SBX_FS_WRITE_ACCESS);
}

/* The rule above path, as its index in r->fs, or -1. */
static int above(const struct rules *r, const char *path)
{
	const struct sbx_fs_rule *w = sbx_tree_index_above(&r->ix, path);

	return w ? (int)(w - r->fs) : -1;
}

/* The definition: every writable rule whose tree strictly holds path,
 * keeping the outermost; of rules naming one tree, the last. */
static int reference_above(const struct rules *r, const char *path)
{
	const struct sbx_fs_rule *best = NULL;
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct sbx_fs_rule *w = &r->fs[i];

		if (!(w->access & SBX_FS_WRITE_ACCESS) || strcmp(w->path, path) == 0 ||
		    !sbx_path_in_tree(path, w->path))
			continue;
		if (!best || sbx_path_in_tree(best->path, w->path))
			best = w;
	}
	return best ? (int)(best - r->fs) : -1;
}

static void test_no_writable_rule_means_none_above(void **state)
{
	struct rules r = {0};

	(void)state;
	add(&r, R, "/a");
	index_them(&r);
	assert_int_equal(above(&r, "/a/b"), -1);
	assert_int_equal(above(&r, "/"), -1);
	sbx_tree_index_free(&r.ix);
}

static void test_nested_writable_trees_give_the_outermost(void **state)
{
	struct rules r = {0};

	(void)state;
	add(&r, W, "/a/b"); /* 0 */
	add(&r, W, "/a");   /* 1 */
	add(&r, R, "/x");
	add(&r, W | R, "/a/b/c/d"); /* 3 */
	index_them(&r);
	assert_int_equal(above(&r, "/a/b/c/d/e"), 1);
	assert_int_equal(above(&r, "/a/b/c"), 1);
	assert_int_equal(above(&r, "/a/b"), 1);
	/* A rule is not above itself. */
	assert_int_equal(above(&r, "/a"), -1);
	assert_int_equal(above(&r, "/x/a"), -1);
	assert_int_equal(above(&r, "/"), -1);
	sbx_tree_index_free(&r.ix);
}

static void test_a_sibling_with_a_common_string_prefix_is_not_above(void **state)
{
	struct rules r = {0};

	(void)state;
	add(&r, W, "/a/b");
	add(&r, W, "/a/bc/d");
	index_them(&r);
	assert_int_equal(above(&r, "/a/bc"), -1);
	assert_int_equal(above(&r, "/a/bc/x"), -1);
	assert_int_equal(above(&r, "/a/bc/d/x"), 1);
	assert_int_equal(above(&r, "/a/b/c"), 0);
	assert_int_equal(above(&r, "/a/b.c"), -1);
	assert_int_equal(above(&r, "/a"), -1);
	sbx_tree_index_free(&r.ix);
}

static void test_trailing_slashes_name_the_same_tree(void **state)
{
	struct rules r = {0};

	(void)state;
	add(&r, W, "/a/b/"); /* 0 */
	index_them(&r);
	assert_int_equal(above(&r, "/a/b/c"), 0);
	assert_int_equal(above(&r, "/a/b"), 0);
	assert_int_equal(above(&r, "/a/b//"), 0);
	assert_int_equal(above(&r, "/a/b/"), -1);
	assert_int_equal(above(&r, "/a/bc"), -1);
	sbx_tree_index_free(&r.ix);

	/* Two spellings: the later one, unless it is spelled as the path. */
	memset(&r, 0, sizeof(r));
	add(&r, W, "/a/b");  /* 0 */
	add(&r, W, "/a/b/"); /* 1 */
	index_them(&r);
	assert_int_equal(above(&r, "/a/b/c"), 1);
	assert_int_equal(above(&r, "/a/b"), 1);
	assert_int_equal(above(&r, "/a/b/"), 0);
	sbx_tree_index_free(&r.ix);
}

static void test_root_holds_every_absolute_path(void **state)
{
	struct rules r = {0};

	(void)state;
	add(&r, W, "/tmp"); /* 0 */
	add(&r, W, "/");    /* 1 */
	index_them(&r);
	assert_int_equal(above(&r, "/tmp/x"), 1);
	assert_int_equal(above(&r, "/tmp"), 1);
	assert_int_equal(above(&r, "/usr"), 1);
	assert_int_equal(above(&r, "//"), 1);
	assert_int_equal(above(&r, "/"), -1);
	assert_int_equal(above(&r, "rel/x"), -1);
	sbx_tree_index_free(&r.ix);

	memset(&r, 0, sizeof(r));
	add(&r, W, "//");
	index_them(&r);
	assert_int_equal(above(&r, "/"), 0);
	assert_int_equal(above(&r, "/a"), 0);
	sbx_tree_index_free(&r.ix);
}

static void test_doubled_slashes_inside_a_path(void **state)
{
	struct rules r = {0};

	(void)state;
	add(&r, W, "/a");    /* 0 */
	add(&r, W, "/b//c"); /* 1 */
	index_them(&r);
	assert_int_equal(above(&r, "/a//b"), 0);
	assert_int_equal(above(&r, "//a/b"), -1);
	assert_int_equal(above(&r, "/b//c/d"), 1);
	assert_int_equal(above(&r, "/b/c/d"), -1);
	sbx_tree_index_free(&r.ix);
}

/* Paths from a few components that share prefixes, with doubled and
 * trailing slashes, "/", "" and relative ones. */
static void random_path(char *out, size_t size, unsigned *seed)
{
	static const char *parts[] = {"a", "b", "ab", "a", "/", ""};
	size_t k, n = (size_t)rand_r(seed) % 4;

	snprintf(out, size, "%s", rand_r(seed) % 8 ? "/" : "");
	for (k = 0; k < n; k++) {
		strncat(out, parts[rand_r(seed) % SBX_ARRAY_SIZE(parts)], size - strlen(out) - 1);
		if (k + 1 < n || rand_r(seed) % 4 == 0)
			strncat(out, "/", size - strlen(out) - 1);
	}
}

static void test_random_policies_agree_with_the_definition(void **state)
{
	static char paths[16][32];
	unsigned seed = 17;
	int round;

	(void)state;
	for (round = 0; round < 20000; round++) {
		struct rules r = {0};
		size_t i, n = 1 + (size_t)rand_r(&seed) % 12;
		char probe[32];

		for (i = 0; i < n; i++) {
			random_path(paths[i], sizeof(paths[i]), &seed);
			add(&r, rand_r(&seed) % 3 ? W : R, paths[i]);
		}
		index_them(&r);
		for (i = 0; i < n; i++) {
			if (above(&r, paths[i]) != reference_above(&r, paths[i]))
				fail_msg("round %d: %s", round, paths[i]);
			random_path(probe, sizeof(probe), &seed);
			if (above(&r, probe) != reference_above(&r, probe))
				fail_msg("round %d: probe %s", round, probe);
		}
		sbx_tree_index_free(&r.ix);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_writable_rule_means_none_above),
	    cmocka_unit_test(test_nested_writable_trees_give_the_outermost),
	    cmocka_unit_test(test_a_sibling_with_a_common_string_prefix_is_not_above),
	    cmocka_unit_test(test_trailing_slashes_name_the_same_tree),
	    cmocka_unit_test(test_root_holds_every_absolute_path),
	    cmocka_unit_test(test_doubled_slashes_inside_a_path),
	    cmocka_unit_test(test_random_policies_agree_with_the_definition),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
