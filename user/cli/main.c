// SPDX-License-Identifier: MIT
/*
 * gops: lists and diagnoses running Go processes. This file parses the
 * command line and dispatches to one function per verb.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/verbs.h"
#include "gops.h"
#include "golang/buildinfo.h"
#include "base/duration.h"
#include "list/golist.h"
#include "base/json.h"
#include "live/live.h"
#include "proc/procinfo.h"
#include "proc/proc.h"
#include "cli/listing.h"
#include "cli/render.h"
#include "cli/status.h"
#include "live/table.h"
#include "live/tracer.h"

#ifndef GOPS_VERSION
#define GOPS_VERSION "unknown"
#endif

#define MAX_ARGS 256
#define STR_(x) #x
#define STR(x) STR_(x) /* a macro's value as a string literal */

/* Options, parsed in one place. */
struct env {
	bool json;
	bool verbose;
	bool scan;                  /* list from /proc even when a daemon runs */
	bool keep;                  /* daemon: leave the table pinned on exit */
	const char *pin_dir;        /* where the daemon pins its table */
	unsigned int ringbuf_kb;    /* ring buffer size; 0: default */
	unsigned int max_procs;     /* table size; 0: default */
	struct agentcmd_opts agent; /* --timeout, --output, --top */
	int nargs;
	const char *args[MAX_ARGS]; /* positional: the verb and its arguments */
};

struct verb {
	const char *name;
	int (*run)(struct env *env);
	const char *usage;
	const char *help;
};

static const struct verb *find_verb(const char *name);
static void print_usage(FILE *out);

static int usage_error(const char *fmt, const char *arg)
{
	fputs("gops: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	print_usage(stderr);
	return 2;
}

/* A pid argument: a positive decimal number. */
static bool parse_pid(const char *s, int *pid)
{
	char *end;
	long v;

	if (!*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > INT_MAX)
		return false;
	*pid = (int)v;
	return true;
}

static bool pid_exists(int pid)
{
	char path[64];

	snprintf(path, sizeof(path), "%s/%d", proc_root(), pid);
	return access(path, F_OK) == 0;
}

static int cmd_list(struct env *env)
{
	struct go_list l = { 0 };
	int rc;

	if (env->nargs > 0)
		return usage_error("unexpected argument: %s", env->args[0]);
	rc = listing_fill(env->pin_dir, env->scan, env->verbose, &l);
	if (rc == 0) {
		if (env->json)
			render_list_json(&l, stdout);
		else
			render_list(&l, stdout);
	}
	golist_free(&l);
	return rc;
}

static int cmd_tree(struct env *env)
{
	struct go_list l = { 0 };
	int rc;

	if (env->nargs > 1)
		return usage_error("unexpected argument: %s", env->args[1]);
	rc = listing_fill(env->pin_dir, env->scan, env->verbose, &l);
	if (rc == 0) {
		if (env->json)
			render_tree_json(&l, stdout);
		else
			render_tree(&l, stdout);
	}
	golist_free(&l);
	return rc;
}

/* `gops <pid> [period]` and `gops process <pid> [period]`. */
static int process_info(struct env *env, int first)
{
	long long period = 0;
	int pid, err;

	if (env->nargs <= first)
		return usage_error("%s: missing pid", "process");
	if (!parse_pid(env->args[first], &pid))
		return usage_error("invalid pid: %s", env->args[first]);
	if (env->nargs > first + 2)
		return usage_error("unexpected argument: %s", env->args[first + 2]);
	if (env->nargs == first + 2 &&
		(duration_parse(env->args[first + 1], &period) || period <= 0))
		return usage_error("invalid period: %s (want a duration like 2s or 1m30s)",
			env->args[first + 1]);
	err = procinfo_print(pid, period, env->json, stdout);
	if (err == -ENOENT) {
		fprintf(stderr, "gops: process %d not found\n", pid);
		return 1;
	}
	if (err) {
		fprintf(stderr, "gops: failed to read process %d: %s\n", pid, strerror(-err));
		return 1;
	}
	return 0;
}

static int cmd_process(struct env *env)
{
	return process_info(env, 1);
}

/* Opens a buildinfo target: a pid (its /proc/PID/exe) or a file path. */
static int open_target(const char *arg, char *name, size_t len)
{
	int pid, fd;

	if (parse_pid(arg, &pid) && access(arg, F_OK) != 0) {
		if (!pid_exists(pid)) {
			fprintf(stderr, "gops: process %d not found\n", pid);
			return -1;
		}
		if (proc_exe_path(pid, name, len) < 0)
			snprintf(name, len, "%d", pid);
		fd = proc_open_exe(pid);
		if (fd < 0) {
			fprintf(stderr, "gops: failed to open %s/%d/exe: %s\n", proc_root(), pid,
				strerror(-fd));
			return -1;
		}
		return fd;
	}
	snprintf(name, len, "%s", arg);
	fd = open(arg, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "gops: failed to open %s: %s\n", arg, strerror(errno));
	return fd;
}

static int cmd_buildinfo(struct env *env)
{
	int failed = 0, printed = 0;

	if (env->nargs < 2)
		return usage_error("%s: missing pid or path", "buildinfo");
	if (env->json && env->nargs > 2)
		fputc('[', stdout);
	for (int i = 1; i < env->nargs; i++) {
		struct go_buildinfo bi;
		char name[PATH_MAX];
		int fd = open_target(env->args[i], name, sizeof(name)), err;

		if (fd < 0) {
			failed++;
			continue;
		}
		err = buildinfo_read_fd(fd, &bi);
		close(fd);
		if (err) {
			fprintf(stderr, "gops: %s: %s\n", name, buildinfo_strerror(err));
			failed++;
			continue;
		}
		if (env->json) {
			if (printed)
				fputc(',', stdout);
			buildinfo_print_json(&bi, name, stdout);
			if (env->nargs == 2)
				fputc('\n', stdout);
		} else {
			render_buildinfo_head(name, bi.go_version, stdout);
			buildinfo_print(&bi, stdout);
		}
		printed++;
		buildinfo_free(&bi);
	}
	if (env->json && env->nargs > 2)
		fputs("]\n", stdout);
	return failed ? 1 : 0;
}

static struct live_opts live_opts_of(const struct env *env)
{
	struct live_opts o = {
		.pin_dir = env->pin_dir,
		.ringbuf_kb = env->ringbuf_kb,
		.max_procs = env->max_procs,
		.keep = env->keep,
		.verbose = env->verbose,
		.json = env->json,
	};

	return o;
}

static int cmd_daemon(struct env *env)
{
	struct live_opts o = live_opts_of(env);

	if (env->nargs > 1)
		return usage_error("unexpected argument: %s", env->args[1]);
	return live_daemon(&o);
}

static int cmd_watch(struct env *env)
{
	struct live_opts o = live_opts_of(env);

	if (env->nargs > 1)
		return usage_error("unexpected argument: %s", env->args[1]);
	return live_watch(&o);
}

static int cmd_status(struct env *env)
{
	if (env->nargs > 1)
		return usage_error("unexpected argument: %s", env->args[1]);
	return status_print(env->pin_dir, env->json);
}

/* The verbs that ask a gops agent. */
static int cmd_agent(struct env *env)
{
	int rc = agentcmd_run(env->args[0], env->nargs - 1, env->args + 1, &env->agent);

	if (rc == -EINVAL)
		return usage_error("%s: wrong arguments (see `gops help`)", env->args[0]);
	return rc;
}

/* `gops version`: ours; `gops version <target>`: the target's Go runtime. */
static int cmd_version(struct env *env)
{
	if (env->nargs > 1)
		return cmd_agent(env);
	printf("gops-bpf %s\n", GOPS_VERSION);
	return 0;
}

static int cmd_help(struct env *env)
{
	const struct verb *v;

	if (env->nargs < 2) {
		print_usage(stdout);
		return 0;
	}
	v = find_verb(env->args[1]);
	if (!v)
		return usage_error("unknown verb: %s", env->args[1]);
	printf("usage: gops %s\n\n%s\n", v->usage, v->help);
	return 0;
}

static const struct verb verbs[] = {
	{ "tree", cmd_tree, "tree [--json]",
		"Displays the parent/child tree of Go processes: each non-Go parent as a bare "
		"pid,\n"
		"each Go process as `PID (name) {go version}`, `[*]` before those with an agent." },
	{ "process", cmd_process, "process <pid> [period] [--json]",
		"Shows process details for any process: parent, threads, memory and cpu usage,\n"
		"user, command line, elapsed time and sockets. With a period (a Go duration such\n"
		"as 2s or 1m30s, or a number of seconds), also the cpu usage over that period.\n"
		"`gops <pid> [period]` is the same." },
	{ "buildinfo", cmd_buildinfo, "buildinfo <pid|path>... [--json]",
		"Prints the Go build info of running processes (read through /proc/PID/exe) or\n"
		"files, exactly as `go version -m` prints it." },
	{ "daemon", cmd_daemon, "daemon [--pin-dir DIR] [--keep] [--max-procs=N] [-v]",
		"Runs the loader: BPF programs on process exec, exit and fork keep a table of Go\n"
		"processes, pinned under DIR (default " GOPS_DEFAULT_PIN_DIR "), that `gops` and\n"
		"`gops tree` then read instead of scanning /proc. Processes started before it are\n"
		"found by a /proc scan at start-up. Stops on SIGINT or SIGTERM and unpins the "
		"table,\n"
		"unless --keep. One daemon per pin dir. Needs root. The table holds N processes\n"
		"(default " STR(GOPS_DEFAULT_MAX_PROCS) "); when it is full, listing falls back to "
							"the scan until it has "
							"room." },
	{ "watch", cmd_watch, "watch [--json]",
		"Streams Go process events as they happen: exec (time, pid, parent, name, Go\n"
		"version, path) and exit (time, pid, exit code or signal, lifetime). With --json,\n"
		"one JSON object per line. Works with or without a daemon. Needs root; Ctrl-C "
		"stops." },
	{ "status", cmd_status, "status [--pin-dir DIR] [--json]",
		"Shows whether a daemon owns the table, and its counters: execs seen and how many\n"
		"the kernel decided from its verdict cache, executables parsed, events lost and\n"
		"resyncs. Exits 1 when no live daemon owns the table." },
	{ "stack", cmd_agent, "stack <pid|addr>",
		"Prints the stack traces of all goroutines of the target (its gops agent)." },
	{ "gc", cmd_agent, "gc <pid|addr>",
		"Runs a garbage collection in the target and waits until it has finished." },
	{ "setgc", cmd_agent, "setgc <pid|addr> <percent|off>",
		"Sets the target's GC percent (GOGC); off disables the collector." },
	{ "memstats", cmd_agent, "memstats <pid|addr>",
		"Prints the target's runtime memory statistics (runtime.MemStats)." },
	{ "stats", cmd_agent, "stats <pid|addr>",
		"Prints the target's goroutines, OS threads, GOMAXPROCS and CPU count." },
	{ "pprof-heap", cmd_agent, "pprof-heap <pid|addr> [--top] [--output FILE]",
		"Saves the target's heap profile, then opens it in `go tool pprof`; without a Go\n"
		"toolchain, or with --top, prints the top 20 functions (like pprof -top)." },
	{ "pprof-cpu", cmd_agent, "pprof-cpu <pid|addr> [--top] [--output FILE]",
		"Profiles the target's CPU for 30 seconds (a countdown shows on a terminal), "
		"saves\n"
		"the profile, then as pprof-heap." },
	{ "trace", cmd_agent, "trace <pid|addr> [--output FILE]",
		"Records a 5-second runtime execution trace of the target, saves it, and opens\n"
		"`go tool trace` when Go is installed." },
	{ "version", cmd_version, "version [<pid|addr>]",
		"Prints the version of gops-bpf; with a target, the Go version the target runs." },
	{ "help", cmd_help, "help [verb]", "Shows help for gops or one of its verbs." },
};

static const struct verb *find_verb(const char *name)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

static void print_usage(FILE *out)
{
	fputs("gops lists and diagnoses Go processes currently running on this host.\n\n"
	      "usage:\n"
	      "  gops [--json]                   list the Go processes\n"
	      "  gops <pid> [period] [--json]    details of a process (as `gops process`)\n",
		out);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  gops %s\n", verbs[i].usage);
	fputs("\nA target is a pid (its agent's port file gives the port) or host:port. The\n"
	      "agent verbs need a gops agent in the program (github.com/google/gops/agent,\n"
	      "or ours in agent/).\n",
		out);
	fputs("\noptions:\n"
	      "  --json       print one JSON document (watch: one object per line)\n"
	      "  --scan       list from a /proc scan even when a daemon keeps the table\n"
	      "  --pin-dir D  the daemon's table (default " GOPS_DEFAULT_PIN_DIR
	      ", or $GOPS_PIN_DIR)\n"
	      "  --timeout D  agent verbs: how long to wait for a reply (a duration: 10s, 2m)\n"
	      "  --output F   profiles and traces: save to F\n"
	      "  --top        profiles: print the top functions instead of opening pprof\n"
	      "  -v           verbose\n"
	      "  --version    print the version\n"
	      "  -h, --help   this help; `gops help <verb>` for one verb\n",
		out);
}

static int parse_args(int argc, char **argv, struct env *env)
{
	bool only_args = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!only_args && strcmp(a, "--") == 0) {
			only_args = true;
		} else if (!only_args && a[0] == '-' && a[1]) {
			if (strcmp(a, "--json") == 0) {
				env->json = true;
			} else if (strcmp(a, "--top") == 0) {
				env->agent.top = true;
			} else if (strcmp(a, "--output") == 0 || strncmp(a, "--output=", 9) == 0) {
				const char *v =
					a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);

				if (!v || !*v)
					return usage_error("%s needs a file", "--output");
				env->agent.output = v;
			} else if (strcmp(a, "--timeout") == 0 ||
				   strncmp(a, "--timeout=", 10) == 0) {
				const char *v =
					a[9] == '=' ? a + 10 : (i + 1 < argc ? argv[++i] : NULL);
				long long ns;

				if (!v || duration_parse(v, &ns) != 0 || ns <= 0 ||
					ns / 1000000 > INT_MAX)
					return usage_error(
						"invalid --timeout %s (a duration: 10s, 2m)",
						v ? v : "");
				env->agent.timeout_ms =
					(int)(ns / 1000000) ? (int)(ns / 1000000) : 1;
			} else if (strcmp(a, "--scan") == 0) {
				env->scan = true;
			} else if (strcmp(a, "--keep") == 0) {
				env->keep = true;
			} else if (strcmp(a, "--pin-dir") == 0 ||
				   strncmp(a, "--pin-dir=", 10) == 0) {
				const char *v =
					a[9] == '=' ? a + 10 : (i + 1 < argc ? argv[++i] : NULL);

				if (!v || !*v)
					return usage_error("%s needs a directory", "--pin-dir");
				env->pin_dir = v;
			} else if (strncmp(a, "--max-procs=", 12) == 0) {
				char *end;
				long v;

				errno = 0;
				v = strtol(a + 12, &end, 10);
				if (errno || *end || v < 16 || v > 4194304)
					return usage_error("invalid %s (16 to 4194304)", a);
				env->max_procs = (unsigned int)v;
			} else if (strncmp(a, "--ringbuf-kb=", 13) == 0) {
				char *end;
				long v;

				errno = 0;
				v = strtol(a + 13, &end, 10);
				/* The kernel wants a power of two of at least a page. */
				if (errno || *end || v < 4 || v > 1048576 || (v & (v - 1)))
					return usage_error(
						"invalid %s (a power of two, 4 to 1048576)", a);
				env->ringbuf_kb = (unsigned int)v;
			} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
				env->verbose = true;
			} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
				env->args[0] = "help";
				env->nargs = 1;
				return 0;
			} else if (strcmp(a, "--version") == 0) {
				env->args[0] = "version";
				env->nargs = 1;
				return 0;
			} else {
				return usage_error("unknown option: %s", a);
			}
		} else {
			if (env->nargs == MAX_ARGS)
				return usage_error("too many arguments%s", "");
			env->args[env->nargs++] = a;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct env env = { 0 };
	const struct verb *v;
	int pid, rc;

	env.pin_dir = getenv("GOPS_PIN_DIR") && *getenv("GOPS_PIN_DIR") ? getenv("GOPS_PIN_DIR")
									: GOPS_DEFAULT_PIN_DIR;
	rc = parse_args(argc, argv, &env);
	if (rc)
		return rc;
	if (env.nargs == 0)
		return cmd_list(&env);
	if (parse_pid(env.args[0], &pid))
		return process_info(&env, 0);
	v = find_verb(env.args[0]);
	if (!v)
		return usage_error("unknown verb: %s", env.args[0]);
	return v->run(&env);
}
