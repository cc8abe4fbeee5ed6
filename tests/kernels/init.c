// SPDX-License-Identifier: Apache-2.0
/*
 * The init of the kernel matrix's initramfs (scripts/kernels/): loads the
 * modules listed in /modules/order, mounts the host's root read-only over
 * 9p with fresh scratch file systems on top, runs the job's command there
 * with its output on the second serial port, then reports the command's
 * exit status on the console and powers the machine off.
 *
 * It runs as PID 1 in a throwaway virtual machine: on any setup error it
 * says so on the console and powers off, so the runner sees no status line
 * and fails the run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define JOB_ENV_MAX			     256
#define LANDLOCK_CREATE_RULESET_NR	     444
#define LANDLOCK_CREATE_RULESET_VERSION_FLAG 1U

static FILE *console;

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("sbx-init: ", console);
	vfprintf(console, fmt, ap);
	fputc('\n', console);
	fflush(console);
	va_end(ap);
}

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static void die(const char *what)
{
	say("%s: %s", what, strerror(errno));
	power_off();
}

static double uptime_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads a whole small file into a NUL-terminated buffer, or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	FILE *mem = open_memstream(&buf, &len);
	int c;

	while ((c = fgetc(f)) != EOF)
		fputc(c, mem);
	fclose(mem);
	fclose(f);
	return buf;
}

/* The modules come decompressed, one file name a line, dependencies first. */
static void load_modules(void)
{
	char *order = slurp("/modules/order");
	char *save = NULL;

	if (!order)
		return;
	for (char *name = strtok_r(order, "\n", &save); name; name = strtok_r(NULL, "\n", &save)) {
		char path[512];

		snprintf(path, sizeof(path), "/modules/%s", name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			die(path);
		if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)
			die(path);
		close(fd);
	}
	free(order);
}

static void mount_or_die(const char *src, const char *dst, const char *type, unsigned long flags,
			 const char *opts)
{
	if (mount(src, dst, type, flags, opts) != 0)
		die(dst);
}

/* The 9p channel appears once virtio has probed the device: retry briefly. */
static void mount_host_root(void)
{
	const char *opts = "trans=virtio,version=9p2000.L,cache=loose,msize=262144";

	mkdir("/newroot", 0755);
	for (int i = 0; i < 50; i++) {
		if (mount("root", "/newroot", "9p", MS_RDONLY, opts) == 0)
			return;
		usleep(100 * 1000);
	}
	die("mount 9p root");
}

/* Everything a test may write is scratch: it goes when the machine does. */
static void mount_scratch(void)
{
	mount_or_die("proc", "/newroot/proc", "proc", 0, NULL);
	mount_or_die("sysfs", "/newroot/sys", "sysfs", 0, NULL);
	mount_or_die("devtmpfs", "/newroot/dev", "devtmpfs", 0, NULL);
	mkdir("/newroot/dev/pts", 0755);
	mount_or_die("devpts", "/newroot/dev/pts", "devpts", 0, "ptmxmode=0666,newinstance");
	mkdir("/newroot/dev/shm", 01777);
	mount_or_die("tmpfs", "/newroot/dev/shm", "tmpfs", 0, "mode=1777");
	mount_or_die("tmpfs", "/newroot/tmp", "tmpfs", 0, "mode=1777");
	mount_or_die("tmpfs", "/newroot/run", "tmpfs", 0, "mode=0755");
	mount_or_die("tmpfs", "/newroot/var/tmp", "tmpfs", 0, "mode=1777");
	/* Best effort: /dev/ptmx must point into this devpts instance. */
	unlink("/newroot/dev/ptmx");
	if (symlink("pts/ptmx", "/newroot/dev/ptmx") != 0)
		say("ptmx: %s", strerror(errno));
	/* The links udev would make: bash's <(...) opens /dev/fd/N. */
	static const char *const links[][2] = {{"/proc/self/fd", "/newroot/dev/fd"},
					       {"/proc/self/fd/0", "/newroot/dev/stdin"},
					       {"/proc/self/fd/1", "/newroot/dev/stdout"},
					       {"/proc/self/fd/2", "/newroot/dev/stderr"}};
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlink(links[i][0], links[i][1]) != 0 && errno != EEXIST)
			say("%s: %s", links[i][1], strerror(errno));
}

/* The project's tree, shared on its own: it may lie under a directory
 * that is scratch here (a clone in /tmp), where the host root's copy is
 * hidden by the tmpfs. Mounted at the same path, read-only like the root. */
static void mount_tree(const char *tree)
{
	const char *opts = "trans=virtio,version=9p2000.L,cache=loose,msize=262144";
	char path[4096];
	int n = snprintf(path, sizeof(path), "/newroot%s", tree);

	if (tree[0] != '/' || n < 0 || (size_t)n >= sizeof(path))
		die("/job/tree");
	for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	mkdir(path, 0755);
	mount_or_die("tree", path, "9p", MS_RDONLY, opts);
}

/* No network manager runs here: the tests' servers listen on loopback. */
static void loopback_up(void)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	strncpy(ifr.ifr_name, "lo", sizeof(ifr.ifr_name) - 1);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0)
		die("lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0)
		die("lo up");
	close(fd);
}

/* The job's environment, one KEY=VALUE a line, into envp. */
static void read_env(char **envp)
{
	char *env = slurp("/job/env");
	char *save = NULL;
	int n = 0;

	if (env)
		for (char *line = strtok_r(env, "\n", &save); line && n < JOB_ENV_MAX - 1;
		     line = strtok_r(NULL, "\n", &save))
			envp[n++] = line;
	envp[n] = NULL;
}

/* The output port is raw: no "\r\n" for "\n", so the host reads it as written. */
static int open_output(void)
{
	int fd = open("/dev/ttyS1", O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct termios t;

	if (fd < 0)
		die("/dev/ttyS1");
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_cflag |= CLOCAL;
		cfsetspeed(&t, B115200);
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

static void report_kernel(void)
{
	struct utsname u;
	long abi =
	    syscall(LANDLOCK_CREATE_RULESET_NR, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION_FLAG);

	uname(&u);
	say("kernel %s landlock-abi %ld", u.release, abi < 0 ? 0 : abi);
	say("ready after %.2f s", uptime_seconds());
}

static pid_t start_job(const char *cmd, char **envp, int out)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid > 0)
		return pid;
	setsid();
	int null = open("/dev/null", O_RDONLY);

	dup2(null, 0);
	dup2(out, 1);
	dup2(out, 2);
	execle("/bin/sh", "sh", "-c", cmd, (char *)NULL, envp);
	_exit(127);
}

/* PID 1 reaps every orphan; the job's own status is the one reported. */
static int wait_job(pid_t job)
{
	int status = 0;

	for (;;) {
		pid_t got = wait(&status);

		if (got == job)
			break;
		if (got < 0 && errno != EINTR)
			die("wait");
	}
	kill(-1, SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int main(void)
{
	static char *envp[JOB_ENV_MAX];

	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	console = fopen("/dev/console", "we");
	if (!console)
		console = stderr;
	load_modules();
	loopback_up();
	mount_host_root();
	mount_scratch();

	char *cmd = slurp("/job/cmd");
	char *cwd = slurp("/job/cwd");
	char *tree = slurp("/job/tree");

	if (tree && *tree)
		mount_tree(tree);

	if (!cmd)
		die("/job/cmd");
	read_env(envp);
	/* The host's root moved over the initramfs, as switch_root does, not
	 * only chroot'ed into: a process that climbs out of a chroot with
	 * chdir("..") must land on the root it started from, as on a booted
	 * system, not on the initramfs underneath. */
	if (chdir("/newroot") != 0 || mount("/newroot", "/", NULL, MS_MOVE, NULL) != 0 ||
	    chroot(".") != 0 || chdir(cwd && *cwd ? cwd : "/") != 0)
		die("switch root");

	int out = open_output();

	report_kernel();
	int status = wait_job(start_job(cmd, envp, out));

	tcdrain(out);
	say("exit status %d after %.2f s", status, uptime_seconds());
	power_off();
}
