/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for startup_arena.c, linked as the shim is (--wrap of the
 * malloc family), so this file's malloc, calloc, realloc, free and strdup
 * are the arena's: blocks never overlap, the most recent one can be given
 * back or grown in place, a block that does not fit comes from libc and
 * goes back to it, and contents survive every move. */
#include "unit_helpers.h"

#include <pthread.h>
#include <stdalign.h>

#include "startup_arena.h"

static void test_blocks_are_aligned_and_disjoint(void **state)
{
	char *a = malloc(1), *b = malloc(100), *c = malloc(0);

	(void)state;
	a[0] = 'a';
	memset(b, 'b', 100);
	assert_true(sbx_startup_arena_holds(a) && sbx_startup_arena_holds(b) &&
		    sbx_startup_arena_holds(c));
	assert_int_equal((uintptr_t)a % alignof(max_align_t), 0);
	assert_int_equal((uintptr_t)b % alignof(max_align_t), 0);
	assert_true(b >= a + 1 && c >= b + 100);
	assert_int_equal(a[0], 'a');
	free(c);
	free(b);
	free(a);
}

static void test_freeing_the_latest_block_gives_it_back(void **state)
{
	size_t before = sbx_startup_arena_used();
	char *a = malloc(40), *b;

	(void)state;
	free(a);
	assert_int_equal(sbx_startup_arena_used(), before);
	b = malloc(40);
	assert_ptr_equal(a, b);
	free(b);
}

static void test_freeing_an_older_block_keeps_the_newer(void **state)
{
	char *a = malloc(32), *b = malloc(32);

	(void)state;
	strcpy(b, "still here");
	free(a);
	assert_string_equal(b, "still here");
	assert_ptr_not_equal(malloc(8), a); /* never handed out twice */
	free(b);
}

static void test_the_latest_block_grows_in_place(void **state)
{
	char *a = malloc(16), *grown;

	(void)state;
	strcpy(a, "fifteen chars!!");
	grown = realloc(a, 3000);
	assert_ptr_equal(grown, a);
	assert_string_equal(grown, "fifteen chars!!");
	memset(grown + 16, 'x', 3000 - 16);
	free(grown);
}

static void test_an_older_block_moves_with_its_contents(void **state)
{
	char *a = malloc(16), *b = malloc(16), *moved;

	(void)state;
	strcpy(a, "first");
	strcpy(b, "second");
	moved = realloc(a, 64);
	assert_ptr_not_equal(moved, a);
	assert_true(sbx_startup_arena_holds(moved));
	assert_string_equal(moved, "first");
	assert_string_equal(b, "second");
	free(moved);
	free(b);
}

static void test_calloc_zeroes_a_block_given_back_before(void **state)
{
	unsigned char *a = malloc(64), *z;
	size_t i;

	(void)state;
	memset(a, 0xff, 64);
	free(a);
	z = calloc(8, 8);
	assert_ptr_equal(z, a);
	for (i = 0; i < 64; i++)
		assert_int_equal(z[i], 0);
	free(z);
}

static void test_what_does_not_fit_comes_from_libc_and_goes_back(void **state)
{
	char *big = malloc(SBX_STARTUP_ARENA_SIZE + 1), *small = malloc(8), *moved;

	(void)state;
	assert_non_null(big);
	assert_false(sbx_startup_arena_holds(big));
	assert_true(sbx_startup_arena_holds(small));
	memset(big, 'b', SBX_STARTUP_ARENA_SIZE + 1);
	free(big);
	/* Grown past the arena: copied out to libc's heap. */
	strcpy(small, "seven!");
	moved = realloc(small, SBX_STARTUP_ARENA_SIZE * 2);
	assert_false(sbx_startup_arena_holds(moved));
	assert_string_equal(moved, "seven!");
	moved = realloc(moved, 16);
	assert_string_equal(moved, "seven!");
	free(moved);
	{
		volatile size_t huge = SIZE_MAX / 2; /* overflows: fails as calloc does */

		errno = 0;
		assert_null(calloc(huge, 4));
		assert_int_equal(errno, ENOMEM);
	}
}

static void test_a_full_arena_falls_back_to_libc(void **state)
{
	size_t room = SBX_STARTUP_ARENA_SIZE - sbx_startup_arena_used();
	char *filler = malloc(room - 2 * alignof(max_align_t)), *next;

	(void)state;
	assert_true(sbx_startup_arena_holds(filler));
	next = malloc(64);
	assert_false(sbx_startup_arena_holds(next));
	free(next);
	free(filler);
}

static void test_strdup_copies_into_the_arena(void **state)
{
	char *copy = strdup("libsandboxec.so");

	(void)state;
	assert_true(sbx_startup_arena_holds(copy));
	assert_string_equal(copy, "libsandboxec.so");
	free(copy);
}

#define THREADS 4
#define BLOCKS	200

static void *carve_blocks(void *arg)
{
	unsigned char **mine = arg;
	size_t i;

	for (i = 0; i < BLOCKS; i++) {
		mine[i] = malloc(24);
		memset(mine[i], (int)((uintptr_t)mine % 251), 24);
	}
	return NULL;
}

/* The host-runtime resolver allocates from its threads. */
static void test_threads_get_disjoint_blocks(void **state)
{
	static unsigned char *blocks[THREADS][BLOCKS];
	pthread_t t[THREADS];
	size_t i, j;

	(void)state;
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, carve_blocks, blocks[i]), 0);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < THREADS; i++) {
		for (j = 0; j < BLOCKS; j++) {
			size_t k;

			for (k = 0; k < 24; k++)
				assert_int_equal(blocks[i][j][k], (uintptr_t)blocks[i] % 251);
		}
	}
	for (i = 0; i < THREADS; i++)
		for (j = 0; j < BLOCKS; j++)
			free(blocks[i][j]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_blocks_are_aligned_and_disjoint),
	    cmocka_unit_test(test_freeing_the_latest_block_gives_it_back),
	    cmocka_unit_test(test_freeing_an_older_block_keeps_the_newer),
	    cmocka_unit_test(test_the_latest_block_grows_in_place),
	    cmocka_unit_test(test_an_older_block_moves_with_its_contents),
	    cmocka_unit_test(test_calloc_zeroes_a_block_given_back_before),
	    cmocka_unit_test(test_what_does_not_fit_comes_from_libc_and_goes_back),
	    cmocka_unit_test(test_a_full_arena_falls_back_to_libc),
	    cmocka_unit_test(test_strdup_copies_into_the_arena),
	    cmocka_unit_test(test_threads_get_disjoint_blocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
