/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for denial.c and denial_print.c: a failed call becomes an
 * access in the user's words (or nothing: ENOENT is never a denial), the
 * policy tells the sandbox from ordinary permissions, probes are set apart,
 * and the rule comes back in the form the policy was written in. */
#include "unit_helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "engine/denial.h"
#include "engine/landlock_abi.h"
#include "engine/rights.h"

/* A policy of rx:/usr and r:/data (from ORIGIN), c:443, planned at ABI 7. */
struct fixture {
	struct sbx_policy policy;
	struct sbx_plan plan;
	struct sbx_report report;
};

static void setup(struct fixture *f, const char *origin, bool named, const char *name)
{
	struct sbx_error err = {{0}};
	size_t i;

	memset(f, 0, sizeof(*f));
	sbx_policy_add_fs(&f->policy, "/usr",
			  SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR | SBX_LL_FS_EXECUTE, "rx",
			  origin);
	sbx_policy_add_fs(&f->policy, "/data", SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR, "r",
			  origin);
	sbx_policy_add_net(&f->policy, 443, SBX_LL_NET_CONNECT_TCP, "c", origin);
	for (i = 0; i < SBX_SETTING_COUNT; i++)
		f->policy.origin[i] = sbx_xstrdup(origin);
	for (i = 0; i < f->policy.n_fs; i++)
		f->policy.fs[i].stat_mode = 040755; /* directories, no stat needed */
	assert_int_equal(sbx_plan_build(&f->policy, 7, NULL, &f->plan, &err), 0);
	sbx_report_init(&f->report, &f->plan, name, named);
}

static void teardown(struct fixture *f)
{
	sbx_report_free(&f->report);
	sbx_plan_free(&f->plan);
	sbx_policy_free(&f->policy);
}

static char *written(struct fixture *f)
{
	struct sbx_buf out = {0};

	sbx_report_write(&f->report, &out);
	return sbx_buf_steal(&out);
}

static void test_only_permission_errors_count(void **state)
{
	struct sbx_denial_event ev = {.op = SBX_OP_OPEN, .err = ENOENT, .path = "/x/y"};
	struct sbx_denial_class c;

	(void)state;
	assert_false(sbx_denial_classify(&ev, &c));
	ev.err = EACCES;
	assert_true(sbx_denial_classify(&ev, &c));
	assert_int_equal(c.access, SBX_ACC_READ);
	assert_string_equal(c.target[0].path, "/x/y");
	sbx_denial_class_free(&c);
	ev.open_flags = O_PATH;
	assert_false(sbx_denial_classify(&ev, &c)); /* Landlock never checks O_PATH */
	ev = (struct sbx_denial_event){
	    .op = SBX_OP_RENAME, .err = EXDEV, .path = "/a/f", .path2 = "/b/f"};
	assert_false(sbx_denial_classify(&ev, &c)); /* across filesystems: the kernel's */
	ev.same_fs = true;
	assert_true(sbx_denial_classify(&ev, &c));
	assert_int_equal(c.access, SBX_ACC_REFER);
	assert_string_equal(c.target[1].path, "/b");
	sbx_denial_class_free(&c);
}

static void test_accesses_in_the_users_words(void **state)
{
	static const struct {
		struct sbx_denial_event ev;
		enum sbx_access access;
		const char *target;
	} cases[] = {
	    {{.op = SBX_OP_OPEN, .err = EACCES, .path = "/d", .is_dir = true}, SBX_ACC_LIST, "/d"},
	    {{.op = SBX_OP_OPEN, .err = EACCES, .path = "/d/f", .open_flags = O_WRONLY | O_CREAT},
	     SBX_ACC_CREATE,
	     "/d"},
	    {{.op = SBX_OP_OPEN,
	      .err = EACCES,
	      .path = "/d/f",
	      .existed = true,
	      .open_flags = O_WRONLY | O_CREAT},
	     SBX_ACC_WRITE,
	     "/d/f"},
	    {{.op = SBX_OP_EXEC, .err = EACCES, .path = "/bin/x"}, SBX_ACC_EXECUTE, "/bin/x"},
	    {{.op = SBX_OP_UNLINK, .err = EACCES, .path = "/d/f"}, SBX_ACC_REMOVE, "/d"},
	    {{.op = SBX_OP_MKDIR, .err = EACCES, .path = "/d/sub"}, SBX_ACC_CREATE, "/d"},
	    {{.op = SBX_OP_TRUNCATE, .err = EACCES, .path = "/d/f"}, SBX_ACC_TRUNCATE, "/d/f"},
	    {{.op = SBX_OP_IOCTL, .err = EACCES, .path = "/dev/tty"}, SBX_ACC_IOCTL, "/dev/tty"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < SBX_ARRAY_SIZE(cases); i++) {
		struct sbx_denial_class c;

		assert_true(sbx_denial_classify(&cases[i].ev, &c));
		assert_int_equal(c.access, cases[i].access);
		assert_string_equal(c.target[0].path, cases[i].target);
		sbx_denial_class_free(&c);
	}
}

static void test_paths_are_made_absolute(void **state)
{
	char *p;

	(void)state;
	p = sbx_denial_path("/home/u/proj", "../lib/./x.py", 10, 11);
	assert_string_equal(p, "/home/u/lib/x.py");
	free(p);
	p = sbx_denial_path(NULL, "/proc/self/fd/3", 10, 11);
	assert_string_equal(p, "/proc/10/fd/3");
	free(p);
	p = sbx_denial_path(NULL, "/proc/thread-self/comm", 10, 11);
	assert_string_equal(p, "/proc/10/task/11/comm");
	free(p);
	assert_null(sbx_denial_path(NULL, "relative", 1, 1));
}

/* UDP (ABI 10) and connecting to a pathname unix socket under
 * restrict-unix (ABI 9) are named as such, with their own rules: uc/ub
 * for a port, w on the socket file; a port or socket the policy grants is
 * not the sandbox's; without restrict-unix a refused unix connect is the
 * socket file's own permission. */
static void test_udp_and_unix_sockets(void **state)
{
	struct sbx_policy policy = {0};
	struct sbx_plan plan = {0};
	struct sbx_report report;
	struct sbx_error err = {{0}};
	struct sbx_denial_event ev[] = {
	    {.op = SBX_OP_CONNECT,
	     .err = EACCES,
	     .pid = 5,
	     .inet = true,
	     .udp = true,
	     .port = 5353},
	    {.op = SBX_OP_BIND, .err = EACCES, .pid = 5, .inet = true, .udp = true, .port = 9999},
	    {.op = SBX_OP_CONNECT, .err = EACCES, .pid = 5, .inet = true, .udp = true, .port = 53},
	    {.op = SBX_OP_CONNECT, .err = EACCES, .pid = 5, .inet = true, .port = 5353},
	    {.op = SBX_OP_CONNECT,
	     .err = EACCES,
	     .pid = 5,
	     .unix_path = true,
	     .path = "/run/app.sock"},
	    {.op = SBX_OP_CONNECT,
	     .err = EACCES,
	     .pid = 5,
	     .unix_path = true,
	     .path = "/srv/x.sock"},
	    {.op = SBX_OP_LANDLOCK,
	     .err = EACCES,
	     .pid = 5,
	     .path = "/run/b.sock",
	     .blocked = SBX_LL_FS_RESOLVE_UNIX},
	};
	static const struct {
		enum sbx_access access;
		enum sbx_denial_cause cause;
		const char *line;
	} want[] = {
	    {SBX_ACC_UDP_SEND, SBX_CAUSE_SANDBOX,
	     "UDP send to port 5353\n      allow with: --net uc:5353\n"},
	    {SBX_ACC_UDP_BIND, SBX_CAUSE_SANDBOX,
	     "UDP bind to port 9999\n      allow with: --net ub:9999\n"},
	    {SBX_ACC_UDP_SEND, SBX_CAUSE_OTHER, NULL},
	    {SBX_ACC_CONNECT, SBX_CAUSE_SANDBOX,
	     "TCP connect to port 5353\n      allow with: --net c:5353\n"},
	    {SBX_ACC_UNIX, SBX_CAUSE_SANDBOX,
	     "connect to the unix socket /run/app.sock\n      allow with: --fs w:/run/app.sock\n"},
	    {SBX_ACC_UNIX, SBX_CAUSE_OTHER, NULL},
	    {SBX_ACC_UNIX, SBX_CAUSE_SANDBOX,
	     "connect to the unix socket /run/b.sock\n      allow with: --fs w:/run/b.sock\n"},
	};
	struct sbx_buf out = {0};
	size_t i;

	(void)state;
	sbx_policy_add_fs(&policy, "/usr", SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR, "r", "--fs");
	sbx_policy_add_fs(&policy, "/srv", SBX_LL_FS_WRITE_FILE, "w", "--fs");
	sbx_policy_add_net(&policy, 53, SBX_LL_NET_CONNECT_SEND_UDP, "uc", "--net");
	sbx_policy_add_net(&policy, 443, SBX_LL_NET_CONNECT_TCP, "c", "--net");
	for (i = 0; i < SBX_SETTING_COUNT; i++)
		policy.origin[i] = sbx_xstrdup("--fs");
	for (i = 0; i < policy.n_fs; i++)
		policy.fs[i].stat_mode = 040755;
	policy.restrict_unix = true;
	assert_int_equal(sbx_plan_build(&policy, 10, NULL, &plan, &err), 0);
	sbx_report_init(&report, &plan, NULL, false);
	for (i = 0; i < SBX_ARRAY_SIZE(ev); i++)
		sbx_report_add(&report, &ev[i]);
	assert_int_equal(report.n_groups, SBX_ARRAY_SIZE(want));
	sbx_report_write(&report, &out);
	for (i = 0; i < SBX_ARRAY_SIZE(want); i++) {
		assert_int_equal(report.groups[i].what.access, want[i].access);
		assert_int_equal(report.groups[i].cause, want[i].cause);
		if (want[i].line)
			assert_non_null(strstr(out.data, want[i].line));
	}
	sbx_buf_free(&out);
	sbx_report_free(&report);
	sbx_plan_free(&plan);

	/* The same unix connect without restrict-unix: not the sandbox. */
	policy.restrict_unix = false;
	assert_int_equal(sbx_plan_build(&policy, 10, NULL, &plan, &err), 0);
	sbx_report_init(&report, &plan, NULL, false);
	sbx_report_add(&report, &ev[4]);
	assert_int_equal(report.n_groups, 1);
	assert_int_equal(report.groups[0].cause, SBX_CAUSE_OTHER);
	sbx_report_free(&report);
	sbx_plan_free(&plan);
	sbx_policy_free(&policy);
}

static void test_sandbox_other_and_probes(void **state)
{
	struct fixture f;
	struct sbx_denial_event read_data = {.op = SBX_OP_OPEN,
					     .err = EACCES,
					     .pid = 5,
					     .exe = "/usr/bin/cat",
					     .path = "/data/secret"};
	struct sbx_denial_event read_etc = read_data, cache = read_data,
				exec1 = {.op = SBX_OP_EXEC,
					 .err = EACCES,
					 .pid = 5,
					 .exe = "/bin/sh",
					 .path = "/opt/bin/tool"};
	struct sbx_denial_event conn = {
	    .op = SBX_OP_CONNECT, .err = EACCES, .pid = 6, .inet = true, .port = 8080};
	char *text;

	(void)state;
	setup(&f, "--fs", false, NULL);
	read_etc.path = "/etc/shadow";
	cache.path = "/etc/ld.so.cache";
	sbx_report_add(&f.report, &read_data); /* r:/data grants it: DAC */
	sbx_report_add(&f.report, &read_etc);
	sbx_report_add(&f.report, &read_etc);
	sbx_report_add(&f.report, &cache);
	sbx_report_add(&f.report, &exec1);
	sbx_report_exec_succeeded(&f.report, 5, "/usr/bin/tool"); /* a $PATH search */
	sbx_report_add(&f.report, &conn);
	conn.port = 443;
	sbx_report_add(&f.report, &conn); /* c:443 granted: not the sandbox */
	assert_int_equal(f.report.n_groups, 6);
	assert_int_equal(f.report.groups[0].cause, SBX_CAUSE_OTHER);
	assert_int_equal(f.report.groups[1].cause, SBX_CAUSE_SANDBOX);
	assert_int_equal(f.report.groups[1].count, 2);
	assert_int_equal(f.report.groups[2].cause, SBX_CAUSE_PROBE);
	assert_int_equal(f.report.groups[3].cause, SBX_CAUSE_PROBE);
	assert_int_equal(f.report.groups[4].cause, SBX_CAUSE_SANDBOX);
	assert_int_equal(f.report.groups[5].cause, SBX_CAUSE_OTHER);
	text = written(&f);
	assert_non_null(strstr(text, "the sandbox denied 2 accesses, 3 times"));
	assert_non_null(
	    strstr(text, "read /etc/shadow (2 times)\n      allow with: --fs r:/etc/shadow"));
	assert_non_null(strstr(text, "TCP connect to port 8080\n      allow with: --net c:8080"));
	assert_non_null(strstr(text, "add:\n  --fs r:/etc/shadow --net c:8080\n"));
	free(text);
	teardown(&f);
}

/* A refused exec of a file the policy lets run is its interpreter's: the
 * report names the interpreter, with the script, and the rule for it; a
 * file the policy does not let run stays its own denial. */
static void test_exec_blames_the_interpreter(void **state)
{
	struct fixture f;
	struct sbx_denial_event script = {.op = SBX_OP_EXEC,
					  .err = EACCES,
					  .pid = 7,
					  .exe = "/usr/bin/dash",
					  .path = "/usr/local/s.py",
					  .interp = "/opt/py/bin/python",
					  .interp_script = true};
	struct sbx_denial_event granted_interp = script, own = script;
	char *text;

	(void)state;
	setup(&f, "--fs", false, NULL);
	granted_interp.interp = "/usr/bin/python3"; /* rx:/usr: then ordinary permissions */
	own.path = "/opt/tool";			    /* the file itself is not granted */
	sbx_report_add(&f.report, &script);
	sbx_report_add(&f.report, &granted_interp);
	sbx_report_add(&f.report, &own);
	assert_int_equal(f.report.n_groups, 3);
	assert_int_equal(f.report.groups[0].cause, SBX_CAUSE_SANDBOX);
	assert_string_equal(f.report.groups[0].what.target[0].path, "/opt/py/bin/python");
	assert_string_equal(f.report.groups[0].what.via, "/usr/local/s.py");
	assert_int_equal(f.report.groups[1].cause, SBX_CAUSE_OTHER);
	assert_null(f.report.groups[1].what.via);
	assert_string_equal(f.report.groups[2].what.target[0].path, "/opt/tool");
	text = written(&f);
	assert_non_null(strstr(text,
			       "execute /opt/py/bin/python (the #! interpreter of "
			       "/usr/local/s.py)\n      allow with: --fs rx:/opt/py/bin/python"));
	free(text);
	teardown(&f);
}

static void test_rule_in_the_policys_form(void **state)
{
	struct sbx_denial_event ev = {.op = SBX_OP_OPEN,
				      .err = EACCES,
				      .pid = 1,
				      .exe = "x",
				      .path = "/srv/a b",
				      .open_flags = O_RDWR | O_CREAT};
	struct fixture f;
	char *text;

	(void)state;
	setup(&f, "SANDBOXEC_FS entry 1", false, NULL);
	sbx_report_add(&f.report, &ev);
	text = written(&f);
	assert_non_null(strstr(text, "create in /srv\n"));
	assert_non_null(strstr(text, "SANDBOXEC_FS=\"$SANDBOXEC_FS,rw:/srv\""));
	free(text);
	teardown(&f);

	setup(&f, "/p/profiles/py.yaml:3:5", true, "languages/python");
	ev.open_flags = O_RDONLY;
	sbx_report_add(&f.report, &ev);
	text = written(&f);
	assert_non_null(strstr(text, "allow with: --add-fs 'r:/srv/a b'\n"));
	assert_non_null(
	    strstr(text, "  extends: [languages/python]\n  fs:\n    - \"r:/srv/a b\"\n"));
	free(text);
	teardown(&f);

	setup(&f, "--fs", false, NULL);
	sbx_report_add(&f.report, &ev);
	text = written(&f);
	assert_non_null(strstr(text, "allow with: --fs 'r:/srv/a b'"));
	free(text);
	teardown(&f);
}

static void test_names_cannot_reach_the_terminal(void **state)
{
	struct sbx_denial_event ev = {.op = SBX_OP_OPEN,
				      .err = EACCES,
				      .pid = 1,
				      .exe = "/tmp/\x1b]0;owned\x07",
				      .path = "/srv/\x1b[2J"};
	struct fixture f;
	char *text;

	(void)state;
	setup(&f, "--fs", false, NULL);
	sbx_report_add(&f.report, &ev);
	text = written(&f);
	assert_null(strchr(text, '\x1b'));
	assert_null(strchr(text, '\x07'));
	free(text);
	teardown(&f);
}

/* A rule on another run's /proc/PID would not exist; a rule on / would
 * grant everything; a rule another suggestion covers is not repeated. */
static void test_suggestions_that_would_not_help_are_not_made(void **state)
{
	struct sbx_denial_event proc = {.op = SBX_OP_OPEN,
					.err = EACCES,
					.pid = 4242,
					.exe = "x",
					.path = "/proc/4242/maps",
					.open_flags = O_RDONLY};
	struct sbx_denial_event meminfo = proc, root = proc;
	struct fixture f;
	char *text;

	(void)state;
	meminfo.path = "/proc/meminfo";
	root.path = "/";
	root.is_dir = true;
	setup(&f, "--fs", false, NULL);
	sbx_report_add(&f.report, &meminfo);
	sbx_report_add(&f.report, &proc);
	sbx_report_add(&f.report, &root);
	text = written(&f);
	assert_non_null(strstr(text, "read /proc/4242/maps\n      allow with: --fs r:/proc\n"));
	assert_non_null(strstr(text, "list /\n      not suggested: a rule on / would"));
	assert_non_null(strstr(text, "add:\n  --fs r:/proc\n"));
	assert_null(strstr(text, "r:/proc/4242"));
	free(text);
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_only_permission_errors_count),
	    cmocka_unit_test(test_accesses_in_the_users_words),
	    cmocka_unit_test(test_paths_are_made_absolute),
	    cmocka_unit_test(test_sandbox_other_and_probes),
	    cmocka_unit_test(test_udp_and_unix_sockets),
	    cmocka_unit_test(test_exec_blames_the_interpreter),
	    cmocka_unit_test(test_rule_in_the_policys_form),
	    cmocka_unit_test(test_names_cannot_reach_the_terminal),
	    cmocka_unit_test(test_suggestions_that_would_not_help_are_not_made),
	};

	return cmocka_run_group_tests_name("denial", tests, NULL, NULL);
}
