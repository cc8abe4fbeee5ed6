/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the host-runtime resolver's bump allocator and of the map
 * whose keys live in one: zeroed and aligned blocks, strings and joins,
 * allocations larger than a block, keys that stay put while the map grows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hostrt/hostrt_arena.h"
#include "hostrt/hostrt_map.h"

static void arena_zeroed_and_aligned(void **state)
{
	struct sbx_hostrt_arena a = {0};
	size_t i, k;

	(void)state;
	/* Enough to span several blocks; each must be zero and aligned even
	 * after a string left the block's end unaligned. */
	for (i = 0; i < 20000; i++) {
		unsigned char *p;

		sbx_hostrt_arena_strdup(&a, "x");
		p = sbx_hostrt_arena_zalloc(&a, 1 + i % 200);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (k = 0; k < 1 + i % 200; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xff, 1 + i % 200);
	}
	sbx_hostrt_arena_free(&a);
	assert_null(a.blocks);
}

static void arena_strings_and_big_allocations(void **state)
{
	struct sbx_hostrt_arena a = {0};
	static char big[100000];
	char *s, *j1, *j2, *j3, *b;

	(void)state;
	/* A big allocation first (no block yet), then small ones. */
	memset(big, 'a', sizeof(big) - 1);
	b = sbx_hostrt_arena_strdup(&a, big);
	s = sbx_hostrt_arena_strdup(&a, "libc.so.6");
	j1 = sbx_hostrt_arena_join(&a, "/usr/lib", "libc.so.6");
	j2 = sbx_hostrt_arena_join(&a, "/usr/lib/", "libc.so.6");
	j3 = sbx_hostrt_arena_join(&a, "", "libc.so.6");
	assert_string_equal(s, "libc.so.6");
	assert_string_equal(j1, "/usr/lib/libc.so.6");
	assert_string_equal(j2, "/usr/lib/libc.so.6");
	assert_string_equal(j3, "/libc.so.6");
	/* Another big one between small ones: the small ones are intact. */
	assert_int_equal(strlen(sbx_hostrt_arena_strdup(&a, big)), sizeof(big) - 1);
	s = sbx_hostrt_arena_strdup(&a, "after");
	assert_string_equal(s, "after");
	assert_string_equal(j1, "/usr/lib/libc.so.6");
	assert_int_equal(strlen(b), sizeof(big) - 1);
	sbx_hostrt_arena_free(&a);
}

static void map_keys_stay_put(void **state)
{
	struct sbx_hostrt_map m = {0};
	const char *first[5000];
	char key[64];
	size_t i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "/usr/lib/x86_64-linux-gnu/lib%zu.so", i);
		first[i] = sbx_hostrt_map_put(&m, key, (void *)(uintptr_t)(i + 1));
	}
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "/usr/lib/x86_64-linux-gnu/lib%zu.so", i);
		assert_string_equal(first[i], key); /* the map's copy, never moved */
		assert_ptr_equal(sbx_hostrt_map_get(&m, key), (void *)(uintptr_t)(i + 1));
		/* Putting again keeps the first copy. */
		assert_ptr_equal(sbx_hostrt_map_put(&m, key, (void *)(uintptr_t)(i + 2)), first[i]);
	}
	assert_null(sbx_hostrt_map_get(&m, "/usr/lib/x86_64-linux-gnu/lib5000.so"));
	assert_null(sbx_hostrt_map_get(&m, ""));
	sbx_hostrt_map_put(&m, "", (void *)1);
	assert_ptr_equal(sbx_hostrt_map_get(&m, ""), (void *)1);
	sbx_hostrt_map_free(&m, NULL);
	assert_null(sbx_hostrt_map_get(&m, "/usr/lib/x86_64-linux-gnu/lib1.so"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(arena_zeroed_and_aligned),
	    cmocka_unit_test(arena_strings_and_big_allocations),
	    cmocka_unit_test(map_keys_stay_put),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
