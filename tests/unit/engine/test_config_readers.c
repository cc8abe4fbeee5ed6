/* SPDX-License-Identifier: Apache-2.0 */
/* config_yaml.c reads a file with libyaml's events, and with its document
 * loader when the file has an anchor or an alias; the loader alone was the
 * reader before. Both must give the same layer and the same first error
 * (a syntax error anywhere in the first document before any error of its
 * content, then the first content error, then a later document's): each
 * input here goes through both (config_readers_same.h) — chosen cases for
 * every branch of the event reader, then generated documents. */
#include "unit_helpers.h"

#include "../../fuzz/engine/config_readers_same.h"

/* How the inputs of a test ended, to show each kind was reached. */
struct outcomes {
	size_t accepted;
	size_t syntax_errors;
	size_t content_errors;
};

static void assert_readers_agree(const char *yaml, size_t len, struct outcomes *seen)
{
	char why[SBX_ERROR_MAX * 3];
	struct sbx_error err;
	int ret;

	if (config_readers_differ(yaml, len, &ret, &err, why))
		fail_msg("on \"%.*s\": %s", (int)len, yaml, why);
	if (ret == 0)
		seen->accepted++;
	else if (strstr(err.msg, "malformed YAML"))
		seen->syntax_errors++;
	else
		seen->content_errors++;
}

static void assert_every_outcome(const struct outcomes *seen, size_t at_least)
{
	print_message("accepted %zu, syntax errors %zu, content errors %zu\n", seen->accepted,
		      seen->syntax_errors, seen->content_errors);
	assert_true(seen->accepted >= at_least);
	assert_true(seen->syntax_errors >= at_least);
	assert_true(seen->content_errors >= at_least);
}

static const char *const chosen[] = {
    /* accepted, every shape of value */
    "",
    "\n",
    "# c\n",
    "---\n",
    "...\n",
    "~\n",
    "null\n",
    "Null\n",
    "NULL\n",
    "''\n",
    "\"\"\n",
    "abi: 5\nbest-effort: true\nmode: mcp\nfs:\n  - rx:/usr\n  - rw:$PWD\nnet:\n  - c:443\n",
    "fs: []\nnet:\n",
    "fs: ~\nnet: null\nextends: NULL\n",
    "fs: [rx:/a, 'rw:/b', \"r:c\"]\n",
    "{abi: 1, fs: [rx:/x]}\n",
    "extends: [a, b]\nfs:\n- rx:bin\n",
    "Mode: MCP\nFS: [rx:/u]\n",
    "!!map {!!str abi: !!str 3}\n",
    "abi: !!int 3\nfs: !!seq [!!str rx:/a]\n",
    "%YAML 1.1\n%TAG !e! tag:e,2000:\n---\nabi: !e!x 2\n",
    "fs:\n  - |\n    rx:/a\n",
    "fs:\n  - >-\n    rx:/a\n",
    "fs:\n  - rx:/a # c\n  -   rw:/b\n",
    "abi: 2\n---\n",
    "---\nabi: 2\n...\n---\n~\n",
    "abi: 2\n--- ''\n--- null\n",
    "fs: [\"a\\0b\"]\n",
    "fs:\n  - ''\n  - ~\n",
    "abi: 1\n...\n# after\n",
    /* content errors */
    "- a\n",
    "just text\n",
    "'~'\n",
    "abi: 1\nbogus: 2\n",
    "abi: 1\nabi: 2\n",
    "extends: []\nExtends: []\n",
    "fs: rx:/usr\n",
    "fs:\n  rx: /usr\n",
    "abi: [1]\n",
    "abi: {v: 3}\n",
    "abi: x\n",
    "fs:\n  - rx:/a\n  - [b]\n",
    "fs:\n  - {rx: /a}\n",
    "extends: [[a]]\n",
    "extends: base\n",
    "? [a]\n: 1\n",
    "? {a: 1}\n: 1\n",
    "[a]: 1\n",
    "fs: [rx:/a]\nnet: 443\nabi: [x]\n",
    "abi: 1\n---\nabi: 2\n",
    "abi: 1\n--- x\n",
    "abi: 1\n---\n- a\n---\n",
    "abi: 1\n---\n~\n---\nfs: []\n",
    "mode: nope\n",
    "best-effort: maybe\n",
    "abi: '1'\nabi: [\n",
    /* syntax errors, and their order against the content errors */
    "abi: [\n",
    "bogus: 1\nabi: [\n",
    "bogus: 1\nfs:\n  - a\n - b\n",
    "abi: 1\n\tfs: []\n",
    "bogus: 1\n---\nabi: [\n",
    "abi: 1\n---\nabi: [\n",
    "abi: 1\n--- x\n--- [\n",
    "abi: 1\n---\n~\n--- [\n",
    "fs: [a\n",
    "fs: {a: [b\n",
    "'unterminated\n",
    "a: b: c\n",
    "key: @x\n",
    "fs:\n  - a\n  b: c\n",
    "%YAML 2.0\n---\nabi: 1\n",
    "%FOO\n---\n",
    "--- |\n x\n  y\n- z\n",
    "abi: 1\n...\nabi: 2\n",
    "\xff\xfe",
    "abi: \"\\q\"\n",
    "bogus: x\n%YAML 1.1\n",
    "abi: 1\n%YAML 1.1\n",
    /* anchors and aliases: the loader reads these */
    "a: &x [rx:/usr]\nfs: *x\n",
    "fs: [&r rx:/a, *r]\n",
    "fs: *nope\n",
    "abi: &a 1\nmode: &a run\n",
    "fs:\n  - rx:/a\n  - *r\n",
    "bogus: *u\n",
    "bogus: 1\nabi: *u\n",
    "abi: 1\n---\n&a x\n",
    "abi: 1\n---\n*a\n",
    "abi: 1\n--- &a ~\n",
    "&r {abi: 1}\n",
    "*x\n",
    "fs: [&a x, &a y]\n",
    "bogus: 1\nfs: [&a x, &a y]\n",
    "abi: [\n&x\n",
};

static void test_chosen_inputs_read_the_same(void **state)
{
	struct outcomes seen = {0};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(chosen); i++)
		assert_readers_agree(chosen[i], strlen(chosen[i]), &seen);
	assert_every_outcome(&seen, 20);
}

/* Pieces the generated documents are made of: keys, values, the structure
 * of block and flow collections, anchors and aliases, document markers,
 * and bytes that break the syntax. */
static const char *const pieces[] = {
    "abi",    "fs",  "net", "extends",	   "mode",	"best-effort", "bogus",	  "Abi",   "FS",
    ": ",     ":",   ":\n", "\n",	   "  - ",	"- ",	       "  ",	  "    ",  "[",
    "]",      "{",   "}",   ", ",	   "? ",	"&a ",	       "*a",	  "&b ",   "*b",
    "!!str ", "!t ", "~",   "null",	   "\"\"",	"''",	       "rx:/usr", "c:443", "5",
    "true",   "run", "mcp", "---\n",	   "...\n",	"# c\n",       "\t",	  "'x'",   "\"y\"",
    "|\n",    ">\n", "@",   "%YAML 1.1\n", "\"a\\0b\"", "'",	       "\"",	  "&",	   "*",
};

/* Keys and values of a mostly well-formed document. */
static const char *const keys[] = {"abi", "fs", "net", "extends", "mode", "best-effort", "nope"};
static const char *const values[] = {
    " 3",
    " x",
    "",
    " ~",
    " []",
    " [rx:/a, c:1]",
    "\n  - rx:/a\n  - rw:/b",
    "\n  - [x]",
    "\n  - {a: b}",
    " {a: 1}",
    " run",
    " true",
    "\n  k: v",
    " &a [rx:/a]",
    " *a",
    " [&b x, *b]",
    " 'quoted'",
    " \"d\\q\"",
    " [",
    "\n  - a\n - b",
    " !!str 7",
    "\n---\n",
    "\n--- x\n",
    "\n...\n",
};

/* Values each key takes, for documents that should be accepted. */
static const char *const good_keys[] = {"abi", "best-effort", "mode", "fs", "net", "extends"};
static const char *const good_scalars[][3] = {
    {" 3", " '5'", " !!int 1"}, {" true", " off", " \"yes\""}, {" run", " mcp", " 'RUN'"}};
static const char *const good_lists[] = {
    " []",
    " ~",
    "",
    "\n  - rx:/a\n  - rw:b",
    " [rx:/a, 'c:1', \"x\"]",
    "\n- &x rx:/a\n- *x",
    "\n  - |\n    rx:/a\n  - ''",
    " !!seq [a, !!str b]",
};

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_generated_documents_read_the_same(void **state)
{
	uint64_t seed = 0x5eed5eed12345ULL;
	struct outcomes seen = {0};
	char doc[1024];
	int n;

	(void)state;
	for (n = 0; n < 3000; n++) {
		size_t len = 0, count = 1 + next_random(&seed) % 12, i;
		bool shaped = n % 3 == 0;

		if (n % 3 == 2) {
			/* each key once, in a random order, with a value it takes */
			size_t order[SBX_ARRAY_SIZE(good_keys)], k;

			for (i = 0; i < SBX_ARRAY_SIZE(good_keys); i++)
				order[i] = i;
			for (i = SBX_ARRAY_SIZE(good_keys) - 1; i > 0; i--) {
				size_t j = next_random(&seed) % (i + 1), t = order[i];

				order[i] = order[j];
				order[j] = t;
			}
			count = 1 + next_random(&seed) % SBX_ARRAY_SIZE(good_keys);
			for (i = 0; i < count; i++) {
				k = order[i];
				len += (size_t)snprintf(
				    doc + len, sizeof(doc) - len, "%s:%s\n", good_keys[k],
				    k < 3 ? good_scalars[k][next_random(&seed) % 3]
					  : good_lists[next_random(&seed) %
						       SBX_ARRAY_SIZE(good_lists)]);
			}
			assert_readers_agree(doc, len, &seen);
			continue;
		}
		for (i = 0; i < count; i++) {
			const char *a, *b = "";

			if (shaped) {
				a = keys[next_random(&seed) % SBX_ARRAY_SIZE(keys)];
				b = values[next_random(&seed) % SBX_ARRAY_SIZE(values)];
			} else {
				a = pieces[next_random(&seed) % SBX_ARRAY_SIZE(pieces)];
			}
			len += (size_t)snprintf(doc + len, sizeof(doc) - len,
						shaped ? "%s:%s\n" : "%s%s", a, b);
		}
		assert_readers_agree(doc, len, &seen);
	}
	assert_every_outcome(&seen, 300);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_chosen_inputs_read_the_same),
	    cmocka_unit_test(test_generated_documents_read_the_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
