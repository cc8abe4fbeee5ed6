/* SPDX-License-Identifier: Apache-2.0 */
/* bench_exec: the timing harness of `make bench`. Reads the rows from
 * SPEC, then runs ROUNDS rounds; each round runs every row RUNS times
 * (default 1), the rows in a new random order, each run a fork + execve +
 * wait4 timed with CLOCK_MONOTONIC. The first row is the reference: each
 * round's figure of a row is divided by the reference's figure of the same
 * round, and the table gives the median of those ratios, so a burst of
 * load shifts a round's rows together and cancels out, and no row always
 * follows the one whose teardown slows the next (bwrap's namespaces).
 *
 *   bench_exec [-r ROUNDS] [-n RUNS] [-s SEED] [-t [LABEL:]NAME=VALUE]... [-c ROW] SPEC
 *
 * SPEC has one row per line, fields separated by tabs:
 *
 *   WHERE <tab> NAME <tab> [NAME=VALUE <tab>]... -- <tab> COMMAND [<tab> ARG]...
 *
 * WHERE is `top` (this process runs the command, in its environment less
 * LD_PRELOAD, LD_AUDIT and SANDBOXEC_*, plus the row's assignments) or
 * `tree` (a copy of this program started with the -t assignments, e.g. the
 * shim's LD_PRELOAD, runs it: the command is then a descendant in that
 * sandboxed tree, in the environment the tree left it, plus the row's
 * assignments). `tree:LABEL` rows run in another such copy, started with
 * the `-t LABEL:NAME=VALUE` assignments: descendants of differently made
 * trees, in the same rounds. COMMAND is an absolute path (no $PATH search
 * in the timed part). The commands' output goes to /dev/null; a command
 * that does not exit 0 stops the bench, after one more run that shows its
 * stderr: a failing row is no figure. Prints the table; asserts nothing.
 * With -c ROW, a second table gives the tree rows against the row named
 * ROW, round by round as against the first (a descendant against one of
 * an unsandboxed tree: the sandbox's share without the tree copy's). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct tree;

struct row {
	char *name;
	const char *tree; /* NULL: top; "": `tree`; LABEL: `tree:LABEL` */
	struct tree *in;  /* the tree that runs it (main) */
	char **argv;	  /* COMMAND [ARG...], NULL-terminated */
	char **assign;
	size_t n_assign;
	char **envp; /* built once for the process that runs the row */
};

struct sample {
	double wall_us, cpu_us;
};

static void die(const char *what)
{
	fprintf(stderr, "bench_exec: %s\n", what);
	exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die("out of memory");
	return p;
}

static int name_is(const char *entry, const char *name, size_t len)
{
	return strncmp(entry, name, len) == 0 && entry[len] == '=';
}

/* The environment a row starts with: base less what scrub drops and less
 * the names the row assigns, then the row's assignments. */
static char **row_env(char **base, int scrub, char **assign, size_t n_assign)
{
	size_t n = 0, k = 0, i, j;
	char **env;

	while (base[n])
		n++;
	env = xcalloc(n + n_assign + 1, sizeof(*env));
	for (i = 0; i < n; i++) {
		int drop = scrub && (strncmp(base[i], "LD_PRELOAD=", 11) == 0 ||
				     strncmp(base[i], "LD_AUDIT=", 9) == 0 ||
				     strncmp(base[i], "SANDBOXEC_", 10) == 0);

		for (j = 0; j < n_assign && !drop; j++)
			drop = name_is(base[i], assign[j],
				       (size_t)(strchr(assign[j], '=') - assign[j]));
		if (!drop)
			env[k++] = base[i];
	}
	for (j = 0; j < n_assign; j++)
		env[k++] = assign[j];
	return env;
}

static char *read_all(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = xcalloc(cap + 1, 1);
	ssize_t got;

	/* pread: the tree copies share the descriptor, hence its offset. */
	while ((got = pread(fd, buf + len, cap - len, (off_t)len)) > 0) {
		len += (size_t)got;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			if (!buf)
				die("out of memory");
		}
	}
	if (got < 0)
		die("cannot read the rows");
	buf[len] = '\0';
	return buf;
}

/* Parses one line of SPEC in place into row. */
static void parse_row(char *line, struct row *row)
{
	/* As many fields as tabs plus one: a row of scripts/bench_scale.sh
	 * has 20 000 arguments. */
	size_t most = 1, n = 0, i, dash;
	char **fields;

	for (const char *c = line; *c; c++)
		most += *c == '\t';
	fields = xcalloc(most, sizeof(*fields));
	for (char *f = strtok(line, "\t"); f; f = strtok(NULL, "\t"))
		fields[n++] = f;
	if (n < 4 || (strcmp(fields[0], "top") != 0 && strcmp(fields[0], "tree") != 0 &&
		      (strncmp(fields[0], "tree:", 5) != 0 || !fields[0][5])))
		die("a row must read WHERE NAME [NAME=VALUE...] -- COMMAND [ARG...], WHERE top, "
		    "tree or tree:LABEL");
	row->tree = fields[0][1] == 'o' ? NULL : fields[0][4] ? fields[0] + 5 : "";
	row->name = fields[1];
	for (dash = 2; dash < n && strcmp(fields[dash], "--") != 0; dash++)
		if (!strchr(fields[dash], '='))
			die("an assignment before -- has no '='");
	if (dash + 1 >= n || fields[dash + 1][0] != '/')
		die("a row needs an absolute COMMAND after --");
	row->n_assign = dash - 2;
	row->assign = xcalloc(row->n_assign, sizeof(char *));
	for (i = 0; i < row->n_assign; i++)
		row->assign[i] = fields[2 + i];
	row->argv = xcalloc(n - dash, sizeof(char *));
	for (i = dash + 1; i < n; i++)
		row->argv[i - dash - 1] = fields[i];
	free(fields);
}

static size_t parse_spec(char *text, struct row **rows)
{
	size_t n = 0, cap = 16;
	char *save = NULL;

	*rows = xcalloc(cap, sizeof(**rows));
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (n == cap) {
			cap *= 2;
			*rows = realloc(*rows, cap * sizeof(**rows));
			if (!*rows)
				die("out of memory");
		}
		memset(&(*rows)[n], 0, sizeof(**rows));
		parse_row(line, &(*rows)[n++]);
	}
	if (n < 1)
		die("no rows");
	return n;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One fork + execve + wait4; returns the wait status. quiet: the command's
 * stdout and stderr go to /dev/null. */
static int run_once(const struct row *row, int quiet, struct sample *out)
{
	long long start = now_ns();
	struct rusage usage;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork failed");
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			if (quiet)
				dup2(null, 2);
		}
		execve(row->argv[0], row->argv, row->envp);
		dprintf(2, "bench_exec: %s: %s\n", row->argv[0], strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, &usage) < 0)
		die("wait4 failed");
	out->wall_us = (double)(now_ns() - start) / 1000.0;
	out->cpu_us = (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 +
		      (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
	return status;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-quantile (0..1) of v[0..n), by sorting v in place. */
static double quantile(double *v, size_t n, double q)
{
	double pos, frac;
	size_t lo;

	qsort(v, n, sizeof(*v), cmp_double);
	pos = q * (double)(n - 1);
	lo = (size_t)pos;
	frac = pos - (double)lo;
	return lo + 1 < n ? v[lo] * (1 - frac) + v[lo + 1] * frac : v[lo];
}

/* RUNS runs of a row; the round's figure is their median. Returns 0, or
 * the failing wait status. */
static int run_row(const struct row *row, long runs, struct sample *out)
{
	double wall[runs], cpu[runs];
	struct sample s;
	long i;

	for (i = 0; i < runs; i++) {
		int status = run_once(row, 1, &s);

		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			return status ? status : -1;
		wall[i] = s.wall_us;
		cpu[i] = s.cpu_us;
	}
	out->wall_us = quantile(wall, (size_t)runs, 0.5);
	out->cpu_us = quantile(cpu, (size_t)runs, 0.5);
	return 0;
}

/* The copy of this program inside the sandboxed tree: reads a row index,
 * runs the row, writes the sample back (wall_us < 0: it failed). */
static int serve(int in, int out, struct row *rows, size_t n_rows, long runs)
{
	uint32_t idx;

	for (size_t i = 0; i < n_rows; i++)
		rows[i].envp = row_env(environ, 0, rows[i].assign, rows[i].n_assign);
	while (read(in, &idx, sizeof(idx)) == (ssize_t)sizeof(idx)) {
		struct sample s = {-1, -1}, shown;

		if (idx >= n_rows || run_row(&rows[idx], runs, &s) != 0) {
			s.wall_us = -1;
			if (idx < n_rows)
				run_once(&rows[idx], 0, &shown); /* shows its stderr */
		}
		if (write(out, &s, sizeof(s)) != (ssize_t)sizeof(s))
			return 1;
	}
	return 0;
}

/* One copy of this program that runs the rows of one tree. */
struct tree {
	const char *label;
	char **assign; /* its -t assignments, without the label */
	size_t n_assign;
	pid_t pid;
	int to, from;
};

enum { MAX_TREES = 16 };
static size_t max_assign; /* per tree: at most one per argument */

/* The tree of that label, added (unstarted) if new. */
static struct tree *tree_for(struct tree *trees, size_t *n, const char *label)
{
	for (size_t i = 0; i < *n; i++) {
		if (strcmp(trees[i].label, label) == 0)
			return &trees[i];
	}
	if (*n == MAX_TREES)
		die("too many trees");
	trees[*n] = (struct tree){label, xcalloc(max_assign, sizeof(char *)), 0, 0, -1, -1};
	return &trees[(*n)++];
}

static void start_tree(struct tree *t, int spec_fd, long runs)
{
	int down[2], up[2];
	char a[3][24], runs_s[24];

	if (pipe(down) != 0 || pipe(up) != 0)
		die("pipe failed");
	t->pid = fork();
	if (t->pid < 0)
		die("fork failed");
	if (t->pid == 0) {
		char *argv[] = {"bench_exec", "--serve", a[0], a[1], a[2], runs_s, NULL};

		close(down[1]);
		close(up[0]);
		snprintf(a[0], sizeof(a[0]), "%d", down[0]);
		snprintf(a[1], sizeof(a[1]), "%d", up[1]);
		snprintf(a[2], sizeof(a[2]), "%d", spec_fd);
		snprintf(runs_s, sizeof(runs_s), "%ld", runs);
		execve("/proc/self/exe", argv, row_env(environ, 1, t->assign, t->n_assign));
		_exit(127);
	}
	close(down[0]);
	close(up[1]);
	/* A tree started later must not hold this one's ends: its copy of
	 * the write end would keep this tree from ever reading the end. */
	fcntl(down[1], F_SETFD, FD_CLOEXEC);
	fcntl(up[0], F_SETFD, FD_CLOEXEC);
	t->to = down[1];
	t->from = up[0];
}

static int tree_run(struct tree *t, uint32_t idx, struct sample *s)
{
	if (write(t->to, &idx, sizeof(idx)) != (ssize_t)sizeof(idx) ||
	    read(t->from, s, sizeof(*s)) != (ssize_t)sizeof(*s))
		die("the sandboxed copy of bench_exec stopped (is the -t policy granting it what "
		    "it needs?)");
	return s->wall_us < 0;
}

static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static void print_table(struct row *rows, size_t n, struct sample *s, long rounds, long runs,
			uint64_t seed)
{
	double *wall = xcalloc((size_t)rounds, sizeof(double)),
	       *cpu = xcalloc((size_t)rounds, sizeof(double));
	double *rw = xcalloc((size_t)rounds, sizeof(double)),
	       *rc = xcalloc((size_t)rounds, sizeof(double));

	printf(
	    "%ld rounds x %ld run(s) per row, rows in a random order per round (seed %llu);\n"
	    "x ref = median over rounds of the row's figure / the first row's in the same round;\n"
	    "wall = fork to reaped, cpu = the child's user+system time\n",
	    rounds, runs, (unsigned long long)seed);
	printf("%-52s %9s %7s %13s %9s %7s\n", "row", "wall µs", "x ref", "(p25-p75)", "cpu µs",
	       "x ref");
	for (size_t i = 0; i < n; i++) {
		double p25, p75;

		for (long r = 0; r < rounds; r++) {
			wall[r] = s[r * (long)n + (long)i].wall_us;
			cpu[r] = s[r * (long)n + (long)i].cpu_us;
			rw[r] = wall[r] / s[r * (long)n].wall_us;
			rc[r] = s[r * (long)n].cpu_us > 0 ? cpu[r] / s[r * (long)n].cpu_us : 0;
		}
		p25 = quantile(rw, (size_t)rounds, 0.25);
		p75 = quantile(rw, (size_t)rounds, 0.75);
		printf("%-52s %9.0f %7.2f  (%4.2f-%5.2f) %9.0f %7.2f\n", rows[i].name,
		       quantile(wall, (size_t)rounds, 0.5), quantile(rw, (size_t)rounds, 0.5), p25,
		       p75, quantile(cpu, (size_t)rounds, 0.5), quantile(rc, (size_t)rounds, 0.5));
	}
	free(wall);
	free(cpu);
	free(rw);
	free(rc);
}

/* -c: each tree row against row k, as print_table does against the
 * first. */
static void print_against(struct row *rows, size_t n, struct sample *s, long rounds, size_t k)
{
	double *rw = xcalloc((size_t)rounds, sizeof(double)),
	       *rc = xcalloc((size_t)rounds, sizeof(double));

	printf("the tree rows against \"%s\":\n", rows[k].name);
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].tree || i == k)
			continue;
		for (long r = 0; r < rounds; r++) {
			const struct sample *row = &s[r * (long)n + (long)i],
					    *base = &s[r * (long)n + (long)k];

			rw[r] = row->wall_us / base->wall_us;
			rc[r] = base->cpu_us > 0 ? row->cpu_us / base->cpu_us : 0;
		}
		printf("%-52s %9s %7.2f %13s %9s %7.2f\n", rows[i].name, "",
		       quantile(rw, (size_t)rounds, 0.5), "", "",
		       quantile(rc, (size_t)rounds, 0.5));
	}
	free(rw);
	free(rc);
}

static void usage(void)
{
	fputs(
	    "usage: bench_exec [-r ROUNDS] [-n RUNS] [-s SEED] [-t [LABEL:]NAME=VALUE]... [-c ROW] "
	    "SPEC\n",
	    stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	long rounds = 100, runs = 1;
	uint64_t seed = (uint64_t)now_ns() ^ ((uint64_t)getpid() << 32), state;
	const char *against = NULL;
	size_t against_row = 0;
	/* Each -t assignment and each row may name a tree of its own. */
	struct tree trees[MAX_TREES];
	size_t n_trees = 0, n_rows, i, *order;
	struct sample *samples;
	struct row *rows;
	int opt, spec_fd;

	if (argc == 6 && strcmp(argv[1], "--serve") == 0) {
		spec_fd = atoi(argv[4]);
		n_rows = parse_spec(read_all(spec_fd), &rows);
		return serve(atoi(argv[2]), atoi(argv[3]), rows, n_rows, atol(argv[5]));
	}
	max_assign = (size_t)argc;
	while ((opt = getopt(argc, argv, "r:n:s:t:c:")) != -1) {
		if (opt == 'r')
			rounds = atol(optarg);
		else if (opt == 'n')
			runs = atol(optarg);
		else if (opt == 's')
			seed = strtoull(optarg, NULL, 10);
		else if (opt == 'c')
			against = optarg;
		else if (opt == 't' && strchr(optarg, '=')) {
			char *eq = strchr(optarg, '='),
			     *colon = memchr(optarg, ':', (size_t)(eq - optarg));
			struct tree *t;

			if (colon)
				*colon = '\0';
			t = tree_for(trees, &n_trees, colon ? optarg : "");
			t->assign[t->n_assign++] = colon ? colon + 1 : optarg;
		} else
			usage();
	}
	if (optind + 1 != argc || rounds < 1 || runs < 1 || runs > 100000)
		usage();
	spec_fd = open(argv[optind], O_RDONLY); /* inherited by the tree copy */
	if (spec_fd < 0)
		die("cannot open SPEC");
	n_rows = parse_spec(read_all(spec_fd), &rows);
	for (i = 0; i < n_rows; i++) {
		rows[i].envp = row_env(environ, 1, rows[i].assign, rows[i].n_assign);
		if (rows[i].tree)
			rows[i].in = tree_for(trees, &n_trees, rows[i].tree);
	}
	if (rows[0].tree)
		die("the first row, the reference, must be a `top` row");
	for (; against && against_row < n_rows; against_row++) {
		if (strcmp(rows[against_row].name, against) == 0)
			break;
	}
	if (against && against_row == n_rows)
		die("-c names no row");
	/* Only the trees a row runs in. */
	for (i = 0; i < n_rows; i++) {
		if (rows[i].in && !rows[i].in->pid)
			start_tree(rows[i].in, spec_fd, runs);
	}
	samples = xcalloc((size_t)rounds * n_rows, sizeof(*samples));
	order = xcalloc(n_rows, sizeof(*order));
	state = seed ? seed : 1;
	for (long r = 0; r < rounds; r++) {
		for (i = 0; i < n_rows; i++)
			order[i] = i;
		for (i = n_rows; i > 1; i--) {
			size_t j = (size_t)(next_random(&state) % i), t = order[i - 1];

			order[i - 1] = order[j];
			order[j] = t;
		}
		for (i = 0; i < n_rows; i++) {
			struct row *row = &rows[order[i]];
			struct sample *s = &samples[r * (long)n_rows + (long)order[i]];
			int failed = row->in ? tree_run(row->in, (uint32_t)order[i], s)
					     : run_row(row, runs, s) != 0;

			if (failed) {
				if (!row->tree)
					run_once(row, 0, s);
				fprintf(stderr, "bench_exec: row \"%s\": %s did not exit 0\n",
					row->name, row->argv[0]);
				return 1;
			}
		}
	}
	for (i = 0; i < n_trees; i++) {
		if (trees[i].pid > 0) {
			close(trees[i].to);
			waitpid(trees[i].pid, NULL, 0);
		}
	}
	print_table(rows, n_rows, samples, rounds, runs, seed);
	if (against)
		print_against(rows, n_rows, samples, rounds, against_row);
	return 0;
}
