// SPDX-License-Identifier: MIT
/*
 * One function per verb, and the table of verbs: the options and arguments
 * each takes (checked by cli_parse) and its help.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/verbs.h"
#include "base/duration.h"
#include "base/escape.h"
#include "cli/agentless.h"
#include "cli/completion.h"
#include "cli/help.h"
#include "cli/listing.h"
#include "cli/render.h"
#include "cli/status.h"
#include "cli/verbs.h"
#include "gops.h"
#include "golang/buildinfo.h"
#include "list/golist.h"
#include "live/deaths.h"
#include "live/live.h"
#include "live/metrics.h"
#include "live/tracer.h"
#include "proc/proc.h"
#include "proc/procinfo.h"

#include "version.h" /* GOPS_VERSION, made by the Makefile from git describe */

#ifndef GOPS_VERSION
#define GOPS_VERSION "unknown"
#endif

#define STR_(x) #x
#define STR(x) STR_(x) /* a macro's value as a string literal */

static int cmd_list(struct env *env)
{
	struct go_list l = { 0 };
	int rc = listing_fill(env->pin_dir, env->scan, env->verbose, &l, NULL);

	if (rc == 0) {
		if (env->container)
			golist_keep_container(&l, env->container);
		if (env->json)
			render_list_json(&l, stdout);
		else
			render_list(&l, env->wide, stdout);
	}
	golist_free(&l);
	return rc;
}

static int cmd_tree(struct env *env)
{
	struct go_list l = { 0 };
	int rc = listing_fill(env->pin_dir, env->scan, env->verbose, &l, NULL);

	if (rc == 0) {
		if (env->container)
			golist_keep_container(&l, env->container);
		if (env->json)
			render_tree_json(&l, stdout);
		else
			render_tree(&l, env->wide, stdout);
	}
	golist_free(&l);
	return rc;
}

/* `gops process <pid> [period]`, and `gops <pid> [period]`. */
static int cmd_process(struct env *env)
{
	long long period = 0;
	int pid, err;

	if (!cli_parse_pid(env->args[0], &pid))
		return cli_usage_error(env->verb, "invalid pid: %s", env->args[0]);
	if (env->nargs == 2 && (duration_parse(env->args[1], &period) || period <= 0))
		return cli_usage_error(env->verb,
			"invalid period: %s (want a duration like 2s or 1m30s)", env->args[1]);
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

/* Opens a buildinfo target: a pid (its /proc/PID/exe) or a file path. */
static int open_target(const char *arg, char *name, size_t len)
{
	char path[64];
	int pid, fd;

	if (cli_parse_pid(arg, &pid) && access(arg, F_OK) != 0) {
		snprintf(path, sizeof(path), "%s/%d", proc_root(), pid);
		if (access(path, F_OK) != 0) {
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

	if (env->json && env->nargs > 1)
		fputc('[', stdout);
	for (int i = 0; i < env->nargs; i++) {
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
			/* The name may be a hostile process's path: escaped like the output. */
			fputs("gops: ", stderr);
			escape_fputs(stderr, name, strlen(name));
			fprintf(stderr, ": %s\n", buildinfo_strerror(err));
			failed++;
			continue;
		}
		if (env->json) {
			if (printed)
				fputc(',', stdout);
			buildinfo_print_json(&bi, name, stdout);
			if (env->nargs == 1)
				fputc('\n', stdout);
		} else {
			render_buildinfo_head(name, bi.go_version, stdout);
			buildinfo_print(&bi, stdout);
		}
		printed++;
		buildinfo_free(&bi);
	}
	if (env->json && env->nargs > 1)
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
		.wide = env->wide,
		.container = env->container,
		.metrics_addr = env->metrics,
		.metrics_textfile = env->metrics_textfile,
		.metrics_interval_s = env->metrics_interval_s,
	};

	return o;
}

static int cmd_daemon(struct env *env)
{
	struct live_opts o = live_opts_of(env);

	return live_daemon(&o);
}

static int cmd_watch(struct env *env)
{
	struct live_opts o = live_opts_of(env);

	return live_watch(&o);
}

static int cmd_deaths(struct env *env)
{
	struct live_opts o = live_opts_of(env);

	return live_deaths(&o);
}

static int cmd_status(struct env *env)
{
	return status_print(env->pin_dir, env->json);
}

/* The verbs that ask a gops agent. */
static int cmd_agent(struct env *env)
{
	int rc = agentcmd_run(env->verb->name, env->nargs, env->args, &env->agent);

	if (rc == -EINVAL && strcmp(env->verb->name, "setgc") == 0)
		return cli_usage_error(env->verb,
			"invalid GC percent: %s (a number from -1, or off)", env->args[1]);
	if (rc == -EINVAL)
		return cli_usage_error(env->verb, "wrong arguments");
	return rc;
}

/* The agentless path, when the target turned out to have no agent. */
static int read_without_agent(const char *verb, int pid, const char *why, void *ctx)
{
	struct env *env = ctx;

	env->read_memory = true;
	return cli_agentless(verb, pid, env->json, why);
}

/* `gops stats --json` of an agent: its four lines as one object. */
static int stats_json_from_agent(struct env *env)
{
	static const char *const keys[] = { "goroutines", "OS threads", "GOMAXPROCS", "num CPU" };
	static const char *const names[] = { "goroutines", "os_threads", "gomaxprocs", "num_cpu" };
	long long val[4];
	bool seen[4] = { false };
	char line[256];
	FILE *tmp = tmpfile();
	int rc;

	if (!tmp) {
		fprintf(stderr, "gops: cannot make a temporary file: %s\n", strerror(errno));
		return 1;
	}
	env->agent.out_fd = fileno(tmp);
	rc = agentcmd_run(env->verb->name, env->nargs, env->args, &env->agent);
	if (rc != 0 || env->read_memory) { /* failed, or answered from memory */
		fclose(tmp);
		return rc;
	}
	rewind(tmp);
	while (fgets(line, sizeof(line), tmp))
		for (int i = 0; i < 4; i++) {
			size_t n = strlen(keys[i]);

			if (strncmp(line, keys[i], n) == 0 && line[n] == ':' &&
				sscanf(line + n + 1, "%lld", &val[i]) == 1)
				seen[i] = true;
		}
	fclose(tmp);
	printf("{");
	for (int i = 0, first = 1; i < 4; i++)
		if (seen[i]) {
			printf("%s\"%s\":%lld", first ? "" : ",", names[i], val[i]);
			first = 0;
		}
	printf("}\n");
	return 0;
}

/*
 * stats and memstats: the agent's answer, or, from a pid without an agent or
 * with --no-agent, the facts read from the process's memory.
 */
static int cmd_runtime(struct env *env)
{
	int pid;

	/* The JSON dump is ours: it is read from memory, as --no-agent. */
	if (env->no_agent || (env->json && strcmp(env->verb->name, "stack") == 0)) {
		if (!cli_parse_pid(env->args[0], &pid))
			return cli_usage_error(env->verb,
				"--no-agent (and stack --json) read a process on this host: want a "
				"pid, not %s",
				env->args[0]);
		return cli_agentless(env->verb->name, pid, env->json, NULL);
	}
	env->agent.no_agent = read_without_agent;
	env->agent.no_agent_ctx = env;
	if (env->json && strcmp(env->verb->name, "stats") == 0)
		return stats_json_from_agent(env);
	return cmd_agent(env);
}

/* `gops version`: ours; `gops version <target>`: the target's Go runtime. */
static int cmd_version(struct env *env)
{
	if (env->nargs > 0) {
		env->agent.no_agent = read_without_agent; /* then its build info answers */
		env->agent.no_agent_ctx = env;
		return cmd_agent(env);
	}
	printf("gops-bpf %s\n", GOPS_VERSION);
	return 0;
}

static int cmd_help(struct env *env)
{
	const struct cli_verb *v;

	if (env->nargs == 0) {
		cli_print_help(stdout);
		return 0;
	}
	v = cli_find_verb(env->args[0]);
	if (!v)
		return cli_unknown_verb(env->args[0]);
	cli_print_verb_help(v, stdout);
	return 0;
}

static int cmd_completion(struct env *env)
{
	if (cli_print_completion(env->args[0], stdout) != 0)
		return cli_usage_error(
			env->verb, "no completion for %s (bash, zsh or fish)", env->args[0]);
	return 0;
}

#define LISTING_OPTS                                                                               \
	(OPT_BIT(OPT_JSON) | OPT_BIT(OPT_SCAN) | OPT_BIT(OPT_PIN_DIR) | OPT_BIT(OPT_VERBOSE) |     \
		OPT_BIT(OPT_WIDE) | OPT_BIT(OPT_CONTAINER))
#define TARGET_VERB(name, run, summary, help)                                                      \
	{                                                                                          \
		name, run, OPT_BIT(OPT_TIMEOUT), 1, 1, 1, { ARG_TARGET }, summary, help            \
	}

/* The listing comes first, process second: cli_list_verb and cli_process_verb. */
const struct cli_verb cli_verbs[] = {
	{ NULL, cmd_list, LISTING_OPTS, 0, 0, 0, { 0 }, "list the Go processes",
		"Lists the Go processes: PID, parent PID, name, `*` when it runs a gops agent,\n"
		"Go version and executable path, sorted by PID. The list comes from the daemon's\n"
		"table when a daemon is live, else from a /proc scan (-v says which). --wide adds\n"
		"the pid inside its own pid namespace and the container (12-digit id) after the\n"
		"parent; --container ID keeps the processes of containers whose id starts with\n"
		"ID. --json always carries nspid, the namespaces and the container." },
	{ "process", cmd_process, OPT_BIT(OPT_JSON), 1, 2, 2, { ARG_PID, ARG_PERIOD },
		"details of a process, Go or not",
		"Shows process details for any process: parent, threads, memory and cpu usage,\n"
		"user, command line, elapsed time and sockets. With a period (a Go duration such\n"
		"as 2s or 1m30s, or a number of seconds), also the cpu usage over that period.\n"
		"`gops <pid> [period]` is the same." },
	{ "tree", cmd_tree, LISTING_OPTS, 0, 0, 0, { 0 }, "the parent/child tree of Go processes",
		"Displays the parent/child tree of Go processes: each non-Go parent as a bare "
		"pid,\n"
		"each Go process as `PID (name) {go version}`, `[*]` before those with an agent.\n"
		"--wide adds `container ID` to processes in a container; --container ID keeps\n"
		"those of that container." },
	{ "buildinfo", cmd_buildinfo, OPT_BIT(OPT_JSON), 1, -1, 1, { ARG_PID_OR_PATH },
		"go version -m of processes or files",
		"Prints the Go build info of running processes (read through /proc/PID/exe) or\n"
		"files, exactly as `go version -m` prints it." },
	{ "daemon", cmd_daemon,
		OPT_BIT(OPT_PIN_DIR) | OPT_BIT(OPT_KEEP) | OPT_BIT(OPT_MAX_PROCS) |
			OPT_BIT(OPT_RINGBUF_KB) | OPT_BIT(OPT_VERBOSE) | OPT_BIT(OPT_METRICS) |
			OPT_BIT(OPT_METRICS_TEXTFILE) | OPT_BIT(OPT_METRICS_INTERVAL),
		0, 0, 0, { 0 }, "keep a live table of Go processes, fed by BPF",
		"Runs the loader: BPF programs on process exec, exit and fork keep a table of Go\n"
		"processes, pinned under DIR (default " GOPS_DEFAULT_PIN_DIR "), that `gops` and\n"
		"`gops tree` then read instead of scanning /proc. Processes started before it are\n"
		"found by a /proc scan at start-up. Stops on SIGINT or SIGTERM and unpins the\n"
		"table, unless --keep. One daemon per pin dir. Needs root. The table holds N\n"
		"processes (--max-procs, default " STR(
			GOPS_DEFAULT_MAX_PROCS) "); when it is full, "
						"listing falls back to\nthe scan until it has "
						"room. -v prints each Go exec and "
						"exit.\n\n"
						"--metrics ADDR serves Prometheus metrics (text "
						"format 0.0.4) on\n"
						"http://ADDR/metrics: each Go process "
						"(gops_go_process_info), its runtime\n"
						"facts read from its memory under the Prometheus "
						"Go client's names\n"
						"(go_goroutines, go_memstats_heap_inuse_bytes, "
						"...), Go execs and exits by\n"
						"name and exit code or signal, and the daemon's "
						"own counters. Runtime facts\n"
						"are re-read every --metrics-interval seconds "
						"(default " STR(
							METRICS_DEFAULT_INTERVAL) "). "
										  "--metrics-"
										  "textfile DIR\n"
										  "writes the same "
										  "to "
										  "DIR/gops.prom "
										  "at that "
										  "interval, for "
										  "node_"
										  "exporter." },
	{ "watch", cmd_watch,
		OPT_BIT(OPT_JSON) | OPT_BIT(OPT_RINGBUF_KB) | OPT_BIT(OPT_VERBOSE) |
			OPT_BIT(OPT_WIDE) | OPT_BIT(OPT_CONTAINER),
		0, 0, 0, { 0 }, "stream Go process execs and exits as they happen",
		"Streams Go process events as they happen: exec (time, pid, parent, name, Go\n"
		"version, path) and exit (time, pid, how it ended, lifetime). How it ended: the\n"
		"first line of a panic or fatal error, oom-kill with its RSS and memory cgroup\n"
		"limit, the signal and who sent it (pid and command, or the kernel), or the exit\n"
		"code; -v adds the crashing goroutine's top frames. With --json, one JSON object\n"
		"per line, with cause, message, frames, the sender, oom and the container.\n"
		"--wide adds NSPID and CONTAINER columns; --container ID shows only that\n"
		"container's processes. Works with or without a daemon. Needs root; Ctrl-C "
		"stops." },
	{ "deaths", cmd_deaths,
		OPT_BIT(OPT_JSON) | OPT_BIT(OPT_PIN_DIR) | OPT_BIT(OPT_VERBOSE) |
			OPT_BIT(OPT_CONTAINER),
		0, 0, 0, { 0 }, "the last Go processes that died, and why",
		"Lists the last " STR(
			GOPS_DEATHS_MAX) " Go processes the daemon saw end other than\n"
					 "cleanly (exit code 0), newest first: when, pid, name, "
					 "container, cause (panic,\n"
					 "fatal, oom, signal, exit) and how (the panic's first "
					 "line, the OOM kill's RSS\n"
					 "and limit, the signal and its sender, the code). -v adds "
					 "the crashing\n"
					 "goroutine's top frames; --json prints one array with the "
					 "frames. The daemon\n"
					 "keeps them pinned beside the table; a restarted daemon "
					 "carries over what was\n"
					 "still pinned (--keep, or a daemon that was killed)." },
	{ "status", cmd_status, OPT_BIT(OPT_JSON) | OPT_BIT(OPT_PIN_DIR), 0, 0, 0, { 0 },
		"the daemon and its counters",
		"Shows whether a daemon owns the table, and its counters: execs seen and how many\n"
		"the kernel decided from its verdict cache, executables parsed, events lost and\n"
		"resyncs. Exits 1 when no live daemon owns the table." },
	{ "stack", cmd_runtime, OPT_BIT(OPT_TIMEOUT) | OPT_BIT(OPT_NO_AGENT) | OPT_BIT(OPT_JSON), 1,
		1, 1, { ARG_TARGET }, "the stack traces of all goroutines",
		"Prints the stack traces of all goroutines of the target (its gops agent). A pid\n"
		"without an agent (or --no-agent) is read from its memory, as root, without\n"
		"stopping it, in the runtime's traceback text (arguments as (...)); a goroutine\n"
		"running on a CPU has no saved frames. --json: one object per goroutine, read\n"
		"from memory." },
	TARGET_VERB("gc", cmd_agent, "run a garbage collection and wait for it",
		"Runs a garbage collection in the target and waits until it has finished."),
	{ "setgc", cmd_agent, OPT_BIT(OPT_TIMEOUT), 2, 2, 2, { ARG_TARGET, ARG_GC_PERCENT },
		"set the GC percent (GOGC)",
		"Sets the target's GC percent (GOGC); off disables the collector." },
	{ "memstats", cmd_runtime, OPT_BIT(OPT_TIMEOUT) | OPT_BIT(OPT_NO_AGENT), 1, 1, 1,
		{ ARG_TARGET }, "the runtime's memory statistics",
		"Prints the target's runtime memory statistics (runtime.MemStats). A pid\n"
		"without an agent (or --no-agent) is read from its memory, as root: the fields\n"
		"that can be read consistently for its Go version; stderr names the others." },
	{ "stats", cmd_runtime, OPT_BIT(OPT_TIMEOUT) | OPT_BIT(OPT_NO_AGENT) | OPT_BIT(OPT_JSON), 1,
		1, 1, { ARG_TARGET }, "goroutines, OS threads, GOMAXPROCS, CPUs",
		"Prints the target's goroutines, OS threads, GOMAXPROCS and CPU count. A pid\n"
		"without an agent (or --no-agent) is read from its memory, as root, without\n"
		"stopping it; --json adds GOGC and GOMEMLIMIT when read from memory. Layouts\n"
		"read from DWARF are cached in $GOPS_CACHE_DIR (off: no cache)." },
	{ "pprof-heap", cmd_agent, OPT_BIT(OPT_TIMEOUT) | OPT_BIT(OPT_OUTPUT) | OPT_BIT(OPT_TOP), 1,
		1, 1, { ARG_TARGET }, "the heap profile, in go tool pprof",
		"Saves the target's heap profile, then opens it in `go tool pprof`; without a Go\n"
		"toolchain, or with --top, prints the top 20 functions (like pprof -top)." },
	{ "pprof-cpu", cmd_agent, OPT_BIT(OPT_TIMEOUT) | OPT_BIT(OPT_OUTPUT) | OPT_BIT(OPT_TOP), 1,
		1, 1, { ARG_TARGET }, "a 30-second CPU profile, in go tool pprof",
		"Profiles the target's CPU for 30 seconds (a countdown shows on a terminal),\n"
		"saves the profile, then as pprof-heap." },
	{ "trace", cmd_agent, OPT_BIT(OPT_TIMEOUT) | OPT_BIT(OPT_OUTPUT), 1, 1, 1, { ARG_TARGET },
		"a 5-second runtime execution trace",
		"Records a 5-second runtime execution trace of the target, saves it, and opens\n"
		"`go tool trace` when Go is installed." },
	{ "version", cmd_version, OPT_BIT(OPT_TIMEOUT), 0, 1, 1, { ARG_TARGET },
		"ours, or the Go version a target runs",
		"Prints the version of gops-bpf; with a target, the Go version the target runs\n"
		"(its agent's answer; for a pid without an agent, its executable's build info)." },
	{ "help", cmd_help, 0, 0, 1, 1, { ARG_VERB }, "help for gops or one of its verbs",
		"Shows help for gops or one of its verbs." },
	{ "completion", cmd_completion, 0, 1, 1, 1, { ARG_SHELL },
		"a completion script for bash, zsh or fish",
		"Prints a completion script for the shell: verbs, each verb's options, pids.\n"
		"  bash: source <(gops completion bash)     (or save it to\n"
		"        /etc/bash_completion.d/gops)\n"
		"  zsh:  source <(gops completion zsh)      (after compinit)\n"
		"  fish: gops completion fish | source" },
};

const size_t cli_nverbs = sizeof(cli_verbs) / sizeof(cli_verbs[0]);

const struct cli_verb *cli_find_verb(const char *name)
{
	for (size_t i = 0; i < cli_nverbs; i++)
		if (cli_verbs[i].name && strcmp(cli_verbs[i].name, name) == 0)
			return &cli_verbs[i];
	return NULL;
}

const struct cli_verb *cli_list_verb(void)
{
	return &cli_verbs[0];
}

const struct cli_verb *cli_process_verb(void)
{
	return &cli_verbs[1];
}

const char *cli_arg_name(enum cli_arg a)
{
	static const char *const names[] = {
		[ARG_PID] = "pid",
		[ARG_PERIOD] = "period",
		[ARG_PID_OR_PATH] = "pid|path",
		[ARG_TARGET] = "pid|host:port",
		[ARG_GC_PERCENT] = "percent|off",
		[ARG_VERB] = "verb",
		[ARG_SHELL] = "bash|zsh|fish",
	};

	return a < sizeof(names) / sizeof(names[0]) ? names[a] : "argument";
}
