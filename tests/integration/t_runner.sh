#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/run-tests.sh counts what the tests report, once each: a failed
# cmocka test (named twice in its output) is one failure, a unit binary that
# dies without naming a test is one, and the closing line adds them up.
. "$(dirname "$0")/lib.sh"
sbx_setup

runner=$SBX_TOP/scripts/run-tests.sh
fake=$SBX_TMP/fake_unit
# What a cmocka binary prints when one of three tests fails.
cat >"$fake" <<'FAKE'
#!/bin/sh
cat <<'OUT'
[==========] Running 3 test(s).
[ RUN      ] first
[       OK ] first
[ RUN      ] second
[  ERROR   ] --- 0x12e != 0x130
[   LINE   ] --- test.c:10: error: Failure!
[  FAILED  ] second
[ RUN      ] third
[       OK ] third
[==========] 3 test(s) run.
[  PASSED  ] 2 test(s).
[  FAILED  ] 1 test(s), listed below:
[  FAILED  ] second

 1 FAILED TEST(S)
OUT
exit 1
FAKE
chmod +x "$fake"
expect_status "the runner fails when a unit test fails" 1 "$runner" --unit-only "$SBX_BUILD" "$fake"
expect_contains "one failed cmocka test counts once" "$OUT" "unit fake_unit: 2 passed, 1 failed"
expect_contains "the closing line adds up to the tests run" "$OUT" "2 passed, 1 failed"

crash=$SBX_TMP/crash_unit
printf '#!/bin/sh\necho "[ RUN      ] first"\nkill -SEGV $$\n' >"$crash"
chmod +x "$crash"
expect_status "a unit binary that dies fails the run" 1 "$runner" --unit-only "$SBX_BUILD" "$crash"
expect_contains "a unit binary that dies counts as one failure" "$OUT" "0 passed, 1 failed"

# A script that only skipped asserted nothing (on an older kernel, say):
# that fails the run, by name; one assertion next to its skips is enough.
top=$SBX_TMP/top
mkdir -p "$top/scripts" "$top/tests/integration"
cp "$runner" "$top/scripts/"
printf '#!/bin/sh\necho "skip - everything: needs a feature"\n' >"$top/tests/integration/t_skips.sh"
printf '#!/bin/sh\necho "ok - one"\necho "skip - two: needs a feature"\n' >"$top/tests/integration/t_one.sh"
expect_status "a script that asserted nothing fails the run" 1 \
	"$top/scripts/run-tests.sh" --integration-only "$SBX_BUILD"
expect_contains "the runner names the script that asserted nothing" "$OUT" \
	"tests/integration/t_skips.sh: asserted nothing (1 skipped)"
expect_contains "a script with one assertion and skips passes, skips counted" "$OUT" \
	"tests/integration/t_one.sh: 1 passed, 0 failed, 1 skipped"
expect_contains "the closing line counts the skips" "$OUT" "1 passed, 1 failed, 2 skipped"
