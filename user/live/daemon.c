// SPDX-License-Identifier: MIT
/* `gops daemon`: the loader, until SIGINT or SIGTERM. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/escape.h"
#include "live/live.h"
#include "live/metrics.h"
#include "live/tracer.h"

static volatile sig_atomic_t stopping;

static void on_stop_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* SIGINT/SIGTERM end the loop; no SA_RESTART so the poll returns at once. */
void live_catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int live_run_loop(struct tracer *t)
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

/* What the daemon does with each Go exec and exit. */
struct daemon_ctx {
	bool verbose;
	struct metrics *metrics; /* NULL: no metrics */
};

/* -v: each Go exec and exit; names and paths escaped, one line each. */
static void log_event(const struct tracer_event *ev)
{
	fprintf(stderr, "gops daemon: %s %d ", ev->type == GOPS_EV_EXEC ? "exec" : "exit", ev->pid);
	escape_name_fputs(stderr, ev->name, strlen(ev->name));
	if (ev->type == GOPS_EV_EXEC) {
		fprintf(stderr, " %s ", ev->version);
		escape_fputs(stderr, ev->path, strlen(ev->path));
	}
	fputc('\n', stderr);
}

static void on_event(void *ctx, const struct tracer_event *ev)
{
	struct daemon_ctx *d = ctx;

	if (d->verbose)
		log_event(ev);
	metrics_count_event(d->metrics, ev);
}

/* --metrics, --metrics-textfile: started before the tracer, so a busy port fails early. */
static int start_metrics(const struct live_opts *o, struct metrics **m)
{
	struct metrics_opts mo = {
		.pin_dir = o->pin_dir,
		.max_procs = o->max_procs ? o->max_procs : GOPS_DEFAULT_MAX_PROCS,
		.interval_s = o->metrics_interval_s,
		.addr = o->metrics_addr,
		.textfile_dir = o->metrics_textfile,
	};

	*m = NULL;
	if (!o->metrics_addr && !o->metrics_textfile)
		return 0;
	return metrics_open(m, &mo);
}

int live_daemon(const struct live_opts *o)
{
	struct daemon_ctx ctx = { .verbose = o->verbose };
	struct tracer_opts topts = {
		.pin_dir = o->pin_dir,
		.ringbuf_kb = o->ringbuf_kb,
		.max_procs = o->max_procs,
		.keep = o->keep,
		.verbose = o->verbose,
		.ctx = &ctx,
	};
	struct tracer_stats s;
	struct tracer *t;
	int err;

	live_catch_stop_signals();
	if (start_metrics(o, &ctx.metrics) != 0)
		return 1;
	/* Events cost the loader a lookup each: only when something wants them. */
	topts.on_event = o->verbose || ctx.metrics ? on_event : NULL;
	err = tracer_open(&t, &topts);
	if (err) {
		metrics_stop(ctx.metrics);
		return 1;
	}
	fprintf(stderr, "gops daemon: tracing Go processes, table pinned at %s (pid %d)\n",
		o->pin_dir, getpid());
	if (ctx.metrics && metrics_run(ctx.metrics) != 0) {
		metrics_stop(ctx.metrics);
		tracer_close(t);
		return 1;
	}
	err = live_run_loop(t);
	tracer_stats(t, &s);
	if (o->verbose)
		fprintf(stderr,
			"gops daemon: %llu execs, %llu decided in the kernel, %llu parsed here, "
			"%llu events lost, %llu resyncs (%llu failed), %llu map updates failed\n",
			(unsigned long long)s.counters[GOPS_CNT_EXEC],
			(unsigned long long)s.counters[GOPS_CNT_VERDICT_HIT],
			(unsigned long long)s.parsed,
			(unsigned long long)s.counters[GOPS_CNT_DROPS],
			(unsigned long long)s.resyncs, (unsigned long long)s.resync_failures,
			(unsigned long long)s.map_update_failures);
	metrics_stop(ctx.metrics);
	tracer_close(t);
	return err ? 1 : 0;
}
