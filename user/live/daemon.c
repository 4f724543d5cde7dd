// SPDX-License-Identifier: MIT
/* The live-discovery verbs: `gops daemon` (the loader) and `gops watch`. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/json.h"
#include "live/live.h"
#include "live/tracer.h"

static volatile sig_atomic_t stopping;

static void on_stop_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* SIGINT/SIGTERM end the loop; no SA_RESTART so the poll returns at once. */
static void catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int run_loop(struct tracer *t)
{
	while (!stopping) {
		int err = tracer_poll(t, 200);

		if (err) {
			fprintf(stderr, "gops: failed to read events: %s\n", strerror(-err));
			return err;
		}
	}
	return 0;
}

static void log_event(void *ctx, const struct tracer_event *ev)
{
	(void)ctx;
	if (ev->type == GOPS_EV_EXEC)
		fprintf(stderr, "gops daemon: exec %d %s %s %s\n", ev->pid, ev->name, ev->version,
			ev->path);
	else
		fprintf(stderr, "gops daemon: exit %d %s\n", ev->pid, ev->name);
}

int live_daemon(const struct live_opts *o)
{
	struct tracer_opts topts = {
		.pin_dir = o->pin_dir,
		.ringbuf_kb = o->ringbuf_kb,
		.max_procs = o->max_procs,
		.keep = o->keep,
		.verbose = o->verbose,
		.on_event = o->verbose ? log_event : NULL,
	};
	struct tracer_stats s;
	struct tracer *t;
	int err;

	catch_stop_signals();
	err = tracer_open(&t, &topts);
	if (err)
		return 1;
	fprintf(stderr, "gops daemon: tracing Go processes, table pinned at %s (pid %d)\n",
		o->pin_dir, getpid());
	err = run_loop(t);
	tracer_stats(t, &s);
	if (o->verbose)
		fprintf(stderr,
			"gops daemon: %llu execs, %llu decided in the kernel, %llu parsed here, "
			"%llu events lost, %llu resyncs\n",
			(unsigned long long)s.counters[GOPS_CNT_EXEC],
			(unsigned long long)s.counters[GOPS_CNT_VERDICT_HIT],
			(unsigned long long)s.parsed,
			(unsigned long long)s.counters[GOPS_CNT_DROPS],
			(unsigned long long)s.resyncs);
	tracer_close(t);
	return err ? 1 : 0;
}

/* Wall-clock time of a CLOCK_BOOTTIME stamp. */
static struct timespec wall_time(uint64_t ts_boot)
{
	struct timespec real, boot, out;
	int64_t ns;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	ns = (int64_t)real.tv_sec * 1000000000LL + real.tv_nsec -
	     ((int64_t)boot.tv_sec * 1000000000LL + boot.tv_nsec - (int64_t)ts_boot);
	out.tv_sec = ns / 1000000000LL;
	out.tv_nsec = ns % 1000000000LL;
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

static void print_event_text(const struct tracer_event *ev)
{
	char when[64];

	format_time(ev->ts_boot, false, when, sizeof(when));
	printf("%-12s %-5s %-7d %-7d %-16s %-10s ", when,
		ev->type == GOPS_EV_EXEC ? "exec" : "exit", ev->pid, ev->ppid, ev->name,
		ev->version);
	if (ev->type == GOPS_EV_EXEC)
		printf("%s\n", ev->path);
	else if (ev->signal)
		printf("signal %d (%s), lived %.3fs\n", ev->signal,
			sigabbrev_np(ev->signal) ? sigabbrev_np(ev->signal) : "?",
			(double)ev->lifetime / 1e9);
	else
		printf("code %d, lived %.3fs\n", ev->exit_code, (double)ev->lifetime / 1e9);
}

static void print_event_json(const struct tracer_event *ev)
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
	if (ev->type == GOPS_EV_EXEC) {
		fputc(',', stdout);
		json_key(stdout, "path");
		json_string(stdout, ev->path);
	} else {
		if (ev->signal)
			printf(",\"signal\":%d", ev->signal);
		else
			printf(",\"exit_code\":%d", ev->exit_code);
		printf(",\"lifetime_ms\":%.3f", (double)ev->lifetime / 1e6);
	}
	fputs("}\n", stdout);
}

static void watch_event(void *ctx, const struct tracer_event *ev)
{
	const struct live_opts *o = ctx;

	if (o->json)
		print_event_json(ev);
	else
		print_event_text(ev);
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

	catch_stop_signals();
	err = tracer_open(&t, &topts);
	if (err)
		return 1;
	if (!o->json) {
		printf("%-12s %-5s %-7s %-7s %-16s %-10s %s\n", "TIME", "EVENT", "PID", "PPID",
			"NAME", "GO", "PATH / EXIT");
		fflush(stdout);
	}
	err = run_loop(t);
	tracer_close(t);
	return err ? 1 : 0;
}
