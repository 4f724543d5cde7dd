/* SPDX-License-Identifier: MIT */
/* The live-discovery verbs: `gops daemon` and `gops watch`. */
#ifndef GOPS_LIVE_H
#define GOPS_LIVE_H

#include <stdbool.h>

struct tracer;

struct live_opts {
	const char *pin_dir;
	unsigned int ringbuf_kb; /* 0: default */
	unsigned int max_procs;  /* 0: default */
	bool keep;               /* daemon: leave the table pinned on exit */
	bool verbose;
	bool json;
	bool wide;                    /* watch: add the namespace pid and the container */
	const char *container;        /* watch: only this container's (an id prefix); NULL: all */
	const char *metrics_addr;     /* daemon: serve /metrics here; NULL: off */
	const char *metrics_textfile; /* daemon: write DIR/gops.prom; NULL: off */
	unsigned int metrics_interval_s; /* daemon: runtime facts re-read this often; 0: default */
};

/* Runs the loader until SIGINT/SIGTERM. Returns the exit status. */
int live_daemon(const struct live_opts *o);

/* Streams Go exec/exit events until SIGINT/SIGTERM. Returns the exit status. */
int live_watch(const struct live_opts *o);

/* For both verbs: SIGINT and SIGTERM end live_run_loop; SIGPIPE is ignored. */
void live_catch_stop_signals(void);
/* Polls the tracer until a stop signal. Returns 0, or a negative error (said). */
int live_run_loop(struct tracer *t);

#endif
