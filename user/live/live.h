/* SPDX-License-Identifier: MIT */
/* The live-discovery verbs: `gops daemon` and `gops watch`. */
#ifndef GOPS_LIVE_H
#define GOPS_LIVE_H

#include <stdbool.h>

struct live_opts {
	const char *pin_dir;
	unsigned int ringbuf_kb; /* 0: default */
	unsigned int max_procs;  /* 0: default */
	bool keep;               /* daemon: leave the table pinned on exit */
	bool verbose;
	bool json;
};

/* Runs the loader until SIGINT/SIGTERM. Returns the exit status. */
int live_daemon(const struct live_opts *o);

/* Streams Go exec/exit events until SIGINT/SIGTERM. Returns the exit status. */
int live_watch(const struct live_opts *o);

#endif
