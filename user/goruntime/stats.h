/* SPDX-License-Identifier: MIT */
/*
 * `gops stats` from a process's memory: the four facts the agent prints,
 * counted the way the runtime counts them, plus GOGC and GOMEMLIMIT.
 */
#ifndef GOPS_GORUNTIME_STATS_H
#define GOPS_GORUNTIME_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "goruntime/target.h"

struct rt_stats {
	int64_t goroutines; /* runtime.NumGoroutine(): the runtime's gcount() */
	int64_t threads;    /* the runtime's M count, as the agent's threadcreate count */
	int64_t gomaxprocs;
	int64_t ncpu;
	bool have_gogc, have_gomemlimit;
	int64_t gogc;       /* gcController.gcPercent; negative: GOGC=off */
	int64_t gomemlimit; /* gcController.memoryLimit; INT64_MAX: no limit */
	int attempts;       /* 1, or 2 when the first snapshot did not hold together */
};

/*
 * One consistent snapshot: read, checked (allglen the same before and after,
 * GOMAXPROCS 1..1024 and the length of allp, counts in range), read once more
 * when it does not hold. Returns 0, or -errno / -EAGAIN with one line in why.
 */
int rt_read_stats(struct rt_target *t, struct rt_stats *s, char *why, size_t len);

#endif
