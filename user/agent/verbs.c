// SPDX-License-Identifier: MIT
/*
 * The runtime verbs, over the gops agent protocol: stack, gc, setgc,
 * memstats, stats, version, pprof-heap, pprof-cpu, trace. Output as gops
 * prints it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent/client.h"
#include "agent/verbs.h"
#include "base/readfd.h"
#include "pprof/pprof.h"
#include "proc/proc.h"

#define MB (1ULL << 20)
#define GB (1ULL << 30)

struct verb_spec {
	const char *name;
	uint8_t cmd;
	int timeout_ms;     /* default; --timeout overrides */
	uint64_t max_bytes; /* the longest reply we accept */
	int progress_s;     /* countdown on a terminal while the agent works */
};

static const struct verb_spec specs[] = {
	{ "stack", AGENT_STACK, 30000, 256 * MB, 0 },
	{ "gc", AGENT_GC, 120000, 1 * MB, 0 },
	{ "setgc", AGENT_SET_GC_PERCENT, 10000, 1 * MB, 0 },
	{ "memstats", AGENT_MEMSTATS, 10000, 1 * MB, 0 },
	{ "stats", AGENT_STATS, 10000, 1 * MB, 0 },
	{ "version", AGENT_VERSION, 10000, 1 * MB, 0 },
	{ "pprof-heap", AGENT_HEAP_PROFILE, 60000, 1 * GB, 0 },
	{ "pprof-cpu", AGENT_CPU_PROFILE, 60000, 1 * GB, 30 },
	{ "trace", AGENT_TRACE, 35000, 4 * GB, 5 },
};

static int write_fd_sink(void *ctx, const void *data, size_t len)
{
	int fd = *(int *)ctx;
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, (const char *)data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	return 0;
}

static int discard_sink(void *ctx, const void *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return 0;
}

static int fail(const char *why)
{
	fprintf(stderr, "gops: %s\n", why);
	return 1;
}

/* One exchange whose reply goes to fd. Returns the reply length or -1 (said why). */
static int64_t exchange(const struct agent_target *t, const struct verb_spec *v,
	const struct agentcmd_opts *o, const uint8_t *arg, size_t arglen, int fd)
{
	struct agent_call c = {
		.cmd = v->cmd,
		.arg = arg,
		.arglen = arglen,
		.timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : v->timeout_ms,
		.max_bytes = v->max_bytes,
		.progress_s = v->progress_s,
		.sink = fd >= 0 ? write_fd_sink : discard_sink,
		.ctx = &fd,
	};
	char why[512] = "";
	int64_t n = agent_call(t, &c, why, sizeof(why));

	if (n < 0) {
		fail(why);
		return -1;
	}
	return n;
}

static bool go_on_path(void)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	while (path && *path) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);

		snprintf(buf, sizeof(buf), "%.*s/go", (int)len, path);
		if (len && access(buf, X_OK) == 0)
			return true;
		path = colon ? colon + 1 : NULL;
	}
	return false;
}

/* Runs `go tool NAME ARGS...` in the foreground, as gops does. */
static int go_tool(const char *tool, const char *a, const char *b)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (b)
			execlp("go", "go", "tool", tool, a, b, (char *)NULL);
		else
			execlp("go", "go", "tool", tool, a, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

/* A new file for a dump: --output, or a temp file like gops' ("heap_profile123"). */
static int open_dump(const struct agentcmd_opts *o, const char *prefix, char *path, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	if (o->output) {
		snprintf(path, len, "%s", o->output);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	} else {
		snprintf(path, len, "%s/%sXXXXXX", tmp && *tmp ? tmp : "/tmp", prefix);
		fd = mkstemp(path);
	}
	if (fd < 0)
		fprintf(stderr, "gops: failed to create %s: %s\n", path, strerror(errno));
	return fd;
}

static int show_top(const char *path)
{
	struct pprof_profile p;
	char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;
	ssize_t n = fd < 0 ? -errno : read_whole_fd(fd, &buf, GB, false, false);

	if (fd >= 0)
		close(fd);
	err = n < 0 ? (int)n : pprof_parse(buf, (size_t)n, &p);
	free(buf);
	if (err) {
		fprintf(stderr, "gops: failed to read the profile %s: %s\n", path,
			pprof_strerror(err));
		return 1;
	}
	err = pprof_top(&p, -1, 20, stdout);
	pprof_free(&p);
	if (err)
		fprintf(stderr, "gops: failed to summarize the profile %s: %s\n", path,
			pprof_strerror(err));
	return err ? 1 : 0;
}

/* The target's executable for `go tool pprof`: /proc/PID/exe, or the agent's copy. */
static int fetch_binary(
	const struct agent_target *t, const struct agentcmd_opts *o, char *path, size_t len)
{
	static const struct verb_spec bin = { "binary", AGENT_BINARY_DUMP, 60000, 4 * GB, 0 };
	const char *tmp = getenv("TMPDIR");
	int fd;

	if (t->is_pid) {
		snprintf(path, len, "%s/%d/exe", proc_root(), t->pid);
		return 0;
	}
	snprintf(path, len, "%s/binaryXXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	if (exchange(t, &bin, o, NULL, 0, fd) <= 0) {
		close(fd);
		unlink(path);
		return -EIO;
	}
	close(fd);
	return 0;
}

/*
 * An agent that cannot do it (a CPU profile already running, say) answers
 * with an error text instead: a profile is gzip, a trace starts "go 1.".
 */
static bool dump_looks_right(const char *path, const char *what)
{
	char head[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, head, sizeof(head) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n >= 2 && what[0] == 'p' && (unsigned char)head[0] == 0x1f &&
		(unsigned char)head[1] == 0x8b)
		return true;
	if (n >= 5 && what[0] == 't' && memcmp(head, "go 1.", 5) == 0)
		return true;
	head[n > 0 ? n : 0] = '\0';
	head[strcspn(head, "\n")] = '\0';
	for (char *c = head; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
	fprintf(stderr, "gops: the agent sent no %s: %s\n", what, n > 0 ? head : "(nothing)");
	return false;
}

/* Saves a profile or trace reply to a file; prints "<What> dump saved to: PATH". */
static int save_dump(const struct agent_target *t, const struct verb_spec *v,
	const struct agentcmd_opts *o, const char *prefix, const char *what, char *path, size_t len)
{
	int fd = open_dump(o, prefix, path, len);
	int64_t n;

	if (fd < 0)
		return -1;
	n = exchange(t, v, o, NULL, 0, fd);
	close(fd);
	if (n < 0) {
		unlink(path);
		return -1;
	}
	if (!dump_looks_right(path, what)) {
		unlink(path);
		return -1;
	}
	printf("%s dump saved to: %s\n", what[0] == 'p' ? "Profile" : "Trace", path);
	fflush(stdout);
	return 0;
}

static int profile(
	const struct agent_target *t, const struct verb_spec *v, const struct agentcmd_opts *o)
{
	const char *prefix = v->cmd == AGENT_HEAP_PROFILE ? "heap_profile" : "cpu_profile";
	char path[PATH_MAX], bin[PATH_MAX];

	if (save_dump(t, v, o, prefix, "profile", path, sizeof(path)) != 0)
		return 1;
	/* Without a Go toolchain (or when asked), summarize it ourselves. */
	if (o->top || !go_on_path())
		return show_top(path);
	if (fetch_binary(t, o, bin, sizeof(bin)) != 0)
		return 1;
	return go_tool("pprof", bin, path) == 0 ? 0 : 1;
}

static int trace(
	const struct agent_target *t, const struct verb_spec *v, const struct agentcmd_opts *o)
{
	char path[PATH_MAX];

	if (save_dump(t, v, o, "trace", "trace", path, sizeof(path)) != 0)
		return 1;
	if (o->output || !go_on_path())
		return 0;
	return go_tool("trace", path, NULL) == 0 ? 0 : 1;
}

/* setgc takes a percentage or "off" (-1), sent as a zig-zag varint. */
static int parse_gc_percent(const char *s, int64_t *v)
{
	char *end;
	long long x;

	if (strcmp(s, "off") == 0) {
		*v = -1;
		return 0;
	}
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end || end == s || x < -1 || x > INT32_MAX)
		return -EINVAL;
	*v = x;
	return 0;
}

int agentcmd_run(const char *verb, int argc, const char *const *argv, const struct agentcmd_opts *o)
{
	const struct verb_spec *v = NULL;
	struct agent_target t;
	uint8_t arg[16];
	size_t arglen = 0;
	char why[512] = "";
	int64_t n, pct;
	int resolve_ms, err;

	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		if (strcmp(specs[i].name, verb) == 0)
			v = &specs[i];
	if (!v)
		return -EINVAL;
	if (argc < 1)
		return -EINVAL;
	if (v->cmd == AGENT_SET_GC_PERCENT) {
		if (argc != 2 || parse_gc_percent(argv[1], &pct) != 0)
			return -EINVAL;
		arglen = agent_put_varint(pct, arg);
	} else if (argc != 1) {
		return -EINVAL;
	}
	resolve_ms = o->timeout_ms > 0 ? o->timeout_ms : v->timeout_ms;
	if (resolve_ms > TARGET_RESOLVE_TIMEOUT_MS)
		resolve_ms = TARGET_RESOLVE_TIMEOUT_MS;
	err = target_resolve(argv[0], resolve_ms, &t, why, sizeof(why));
	if (err == -ENOENT && t.is_pid && o->no_agent)
		return o->no_agent(verb, t.pid, why, o->no_agent_ctx);
	if (err)
		return fail(why);
	if (v->cmd == AGENT_HEAP_PROFILE || v->cmd == AGENT_CPU_PROFILE)
		return profile(&t, v, o);
	if (v->cmd == AGENT_TRACE)
		return trace(&t, v, o);
	fflush(stdout);
	/* gc answers "ok", which gops does not print. */
	n = exchange(&t, v, o, arg, arglen,
		v->cmd == AGENT_GC ? -1 : (o->out_fd > 0 ? o->out_fd : STDOUT_FILENO));
	if (n == 0) {
		fprintf(stderr, "gops: the agent at %s:%d closed the connection without replying\n",
			t.host, t.port);
		return 1;
	}
	return n < 0 ? 1 : 0;
}
