// SPDX-License-Identifier: MIT
/*
 * The agentless path of stats, memstats and stack (and version, from the
 * build info): open the process for reads
 * (goruntime/target.c), read, print in the agent's format. When the facts
 * cannot be had, one line says what is missing and what is still known.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/agentless.h"
#include "golang/buildinfo.h"
#include "goruntime/memstats.h"
#include "goruntime/stack.h"
#include "goruntime/stats.h"
#include "goruntime/target.h"
#include "proc/proc.h"

/* Where the facts came from, for the stderr line: "symbols and DWARF". */
static void provenance(const struct rt_target *t, char *buf, size_t len)
{
	snprintf(buf, len, "%s, %s, globals from %s, layout from %s", t->go_version,
		t->bias ? "PIE" : "not PIE", t->globals_from, t->layout.source);
}

static void say_source(const struct rt_target *t, const char *why_no_agent)
{
	char how[256];

	provenance(t, how, sizeof(how));
	if (why_no_agent)
		fprintf(stderr, "gops: no agent in process %d: read from its memory (%s)\n", t->pid,
			how);
	else
		fprintf(stderr, "gops: read from process %d's memory (--no-agent; %s)\n", t->pid,
			how);
}

/* The one line when nothing can be read: why, and what is still known. */
static int cannot(int pid, const struct rt_target *t, const char *why)
{
	struct proc_status st;
	char known[160] = "";
	size_t n = 0;

	if (t && t->go_version[0])
		n += (size_t)snprintf(known + n, sizeof(known) - n, "%s", t->go_version);
	if (proc_read_status(pid, &st) == 0 && st.has_threads && n < sizeof(known))
		n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%ld threads (/proc)",
			n ? ", " : "", st.threads);
	if (n)
		fprintf(stderr, "gops: cannot read process %d without an agent: %s (known: %s)\n",
			pid, why, known);
	else
		fprintf(stderr, "gops: cannot read process %d without an agent: %s\n", pid, why);
	return 1;
}

static void print_stats_json(const struct rt_stats *s)
{
	printf("{\"goroutines\":%" PRId64 ",\"os_threads\":%" PRId64 ",\"gomaxprocs\":%" PRId64
	       ",\"num_cpu\":%" PRId64,
		s->goroutines, s->threads, s->gomaxprocs, s->ncpu);
	if (s->have_gogc) {
		if (s->gogc < 0)
			printf(",\"gogc\":\"off\"");
		else
			printf(",\"gogc\":%" PRId64, s->gogc);
	}
	if (s->have_gomemlimit)
		printf(",\"gomemlimit\":%" PRId64, s->gomemlimit);
	printf("}\n");
}

static int stats(struct rt_target *t, bool json, const char *why_no_agent)
{
	struct rt_stats s;
	char why[256];

	if (rt_read_stats(t, &s, why, sizeof(why)) != 0)
		return cannot(t->pid, t, why);
	say_source(t, why_no_agent);
	if (json) {
		print_stats_json(&s);
		return 0;
	}
	printf("goroutines: %" PRId64 "\nOS threads: %" PRId64 "\nGOMAXPROCS: %" PRId64
	       "\nnum CPU: %" PRId64 "\n",
		s.goroutines, s.threads, s.gomaxprocs, s.ncpu);
	return 0;
}

static int memstats(struct rt_target *t, const char *why_no_agent)
{
	struct rt_memstats m;
	char why[256], left[1024] = "";
	size_t n = 0;

	if (rt_read_memstats(t, &m, why, sizeof(why)) != 0)
		return cannot(t->pid, t, why);
	say_source(t, why_no_agent);
	for (int k = 0; k < MS_NKEYS; k++)
		if (!m.have[k] && n < sizeof(left))
			n += (size_t)snprintf(left + n, sizeof(left) - n, "%s%s", n ? ", " : "",
				rt_ms_key_name(k));
	if (n)
		fprintf(stderr, "gops: left out, %s: %s\n",
			strstr(t->layout.source, "DWARF") ? "not kept in this form by its runtime"
							  : "the executable has no DWARF and the "
							    "table has no offsets for them",
			left);
	rt_memstats_print(&m, stdout);
	return 0;
}

static int stack(struct rt_target *t, bool json, const char *why_no_agent)
{
	struct rt_goroutine *gs;
	char why[256];
	size_t n;

	if (rt_read_goroutines(t, &gs, &n, why, sizeof(why)) != 0)
		return cannot(t->pid, t, why);
	say_source(t, why_no_agent);
	if (json)
		rt_goroutines_json(gs, n, stdout);
	else
		rt_goroutines_print(t, gs, n, stdout);
	rt_goroutines_free(gs, n);
	return 0;
}

/*
 * `gops version PID` without an agent: the Go version its executable was
 * built with, from its build info, which is what the agent answers
 * (runtime.Version()). stderr says where it came from.
 */
static int version_from_buildinfo(int pid, const char *why_no_agent)
{
	char vers[128];
	int fd = proc_open_exe(pid), err;

	if (fd < 0) {
		fprintf(stderr, "gops: %s\n", why_no_agent);
		return 1;
	}
	err = buildinfo_read_version_fd(fd, vers, sizeof(vers));
	close(fd);
	if (err) {
		fprintf(stderr, "gops: process %d has no gops agent, and no Go build info: %s\n",
			pid, buildinfo_strerror(err));
		return 1;
	}
	fprintf(stderr, "gops: no agent in process %d: the Go version from its build info\n", pid);
	printf("%s\n", vers);
	return 0;
}

int cli_agentless(const char *verb, int pid, bool json, const char *why_no_agent)
{
	struct rt_target t;
	char why[512];
	int rc;

	if (strcmp(verb, "version") == 0)
		return version_from_buildinfo(pid, why_no_agent ? why_no_agent : "no agent asked");
	if (rt_target_open(&t, pid, why, sizeof(why)) != 0)
		return cannot(pid, &t, why);
	if (strcmp(verb, "memstats") == 0)
		rc = memstats(&t, why_no_agent);
	else if (strcmp(verb, "stack") == 0)
		rc = stack(&t, json, why_no_agent);
	else
		rc = stats(&t, json, why_no_agent);
	rt_target_close(&t);
	return rc;
}
