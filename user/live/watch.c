// SPDX-License-Identifier: MIT
/* `gops watch`: Go processes starting and ending, as the kernel reports them. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/escape.h"
#include "base/json.h"
#include "live/deaths.h"
#include "live/live.h"
#include "live/tracer.h"

/* Wall-clock time of a CLOCK_BOOTTIME stamp. */
static struct timespec wall_time(uint64_t ts_boot)
{
	int64_t ns = clock_boot_to_real_ns(ts_boot);
	struct timespec out = { .tv_sec = ns / NS_PER_SEC, .tv_nsec = ns % NS_PER_SEC };

	return out;
}

static void format_time(uint64_t ts_boot, bool iso, char *buf, size_t len)
{
	struct timespec ts = wall_time(ts_boot);
	struct tm tm;
	char base[40];

	if (iso) {
		gmtime_r(&ts.tv_sec, &tm);
		strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(buf, len, "%s.%03dZ", base, (int)(ts.tv_nsec / 1000000));
	} else {
		localtime_r(&ts.tv_sec, &tm);
		strftime(base, sizeof(base), "%H:%M:%S", &tm);
		snprintf(buf, len, "%s.%03d", base, (int)(ts.tv_nsec / 1000000));
	}
}

static void print_event_text(
	const struct tracer_event *ev, bool wide, bool verbose, struct gops_death *d)
{
	char when[64];

	format_time(ev->ts_boot, false, when, sizeof(when));
	printf("%-12s %-5s %-7d %-7d ", when, ev->type == GOPS_EV_EXEC ? "exec" : "exit", ev->pid,
		ev->ppid);
	if (wide)
		printf("%-7d %-12.12s ", ev->nspid, ev->ctr.id[0] ? ev->ctr.id : "-");
	/* Name, version and path come from the process: escaped, one line per event. */
	escape_name_fputs_padded(stdout, ev->name, strnlen(ev->name, sizeof(ev->name)), 16);
	fputc(' ', stdout);
	escape_fputs_padded(stdout, ev->version, strnlen(ev->version, sizeof(ev->version)), 10);
	fputc(' ', stdout);
	if (ev->type == GOPS_EV_EXEC) {
		escape_fputs(stdout, ev->path, strnlen(ev->path, sizeof(ev->path)));
		fputc('\n', stdout);
		return;
	}
	death_from_event(ev, d);
	death_print_cause(stdout, d);
	printf(", lived %.3fs\n", (double)ev->lifetime / 1e9);
	if (verbose)
		death_print_frames(stdout, d, "\t");
}

static void print_event_json(const struct tracer_event *ev, struct gops_death *d)
{
	char when[64];

	format_time(ev->ts_boot, true, when, sizeof(when));
	fputs("{\"time\":", stdout);
	json_string(stdout, when);
	printf(",\"event\":\"%s\",\"pid\":%d,\"ppid\":%d,\"nspid\":%d,",
		ev->type == GOPS_EV_EXEC ? "exec" : "exit", ev->pid, ev->ppid, ev->nspid);
	json_key(stdout, "name");
	json_string(stdout, ev->name);
	fputc(',', stdout);
	json_key(stdout, "go_version");
	json_string(stdout, ev->version);
	container_write_json(stdout, &ev->ns, &ev->ctr);
	if (ev->type == GOPS_EV_EXEC) {
		fputc(',', stdout);
		json_key(stdout, "path");
		json_string(stdout, ev->path);
	} else {
		death_from_event(ev, d);
		death_write_json(stdout, d);
		printf(",\"lifetime_ms\":%.3f", (double)ev->lifetime / 1e6);
	}
	fputs("}\n", stdout);
}

static void watch_event(void *ctx, const struct tracer_event *ev)
{
	const struct live_opts *o = ctx;
	static struct gops_death d; /* a few KiB: not on the stack of every event */

	if (o->container && !container_matches(&ev->ctr, o->container))
		return;
	if (o->json)
		print_event_json(ev, &d);
	else
		print_event_text(ev, o->wide, o->verbose, &d);
	fflush(stdout);
}

/*
 * Watch loads its own private copy of the programs, so it works the same
 * with or without a daemon running.
 */
int live_watch(const struct live_opts *o)
{
	struct tracer_opts topts = {
		.ringbuf_kb = o->ringbuf_kb,
		.verbose = o->verbose,
		.on_event = watch_event,
		.ctx = (void *)o,
	};
	struct tracer *t;
	int err;

	live_catch_stop_signals();
	err = tracer_open(&t, &topts);
	if (err)
		return 1;
	if (!o->json) {
		printf("%-12s %-5s %-7s %-7s ", "TIME", "EVENT", "PID", "PPID");
		if (o->wide)
			printf("%-7s %-12s ", "NSPID", "CONTAINER");
		printf("%-16s %-10s %s\n", "NAME", "GO", "PATH / EXIT");
		fflush(stdout);
	}
	err = live_run_loop(t);
	tracer_close(t);
	return err ? 1 : 0;
}
