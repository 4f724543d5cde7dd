/* SPDX-License-Identifier: MIT */
/*
 * Where the fields the agentless reads need sit inside the Go runtime's
 * structs, for one executable: from its DWARF when it has some, else from the
 * table of Go releases (goruntime/table.c). An offset is RT_UNKNOWN when
 * neither source has it; the reader then leaves out what depends on it.
 */
#ifndef GOPS_GORUNTIME_LAYOUT_H
#define GOPS_GORUNTIME_LAYOUT_H

#include <stdint.h>

#define RT_UNKNOWN (-1)

/* One field: its offset in its struct and its size in bytes (4 or 8). */
struct rt_field {
	int32_t off;
	int32_t size;
};

struct rt_layout {
	/* runtime.schedt (the global runtime.sched) */
	struct rt_field sched_mnext;   /* M ids handed out: mcount() = mnext - nmfreed */
	struct rt_field sched_nmfreed; /* Ms freed */
	struct rt_field sched_ngsys;   /* system goroutines */
	struct rt_field sched_gfree_n; /* sched.gFree.n: dead Gs on the global free list */
	/* runtime.p (each *p of the global runtime.allp) */
	struct rt_field p_gfree_n; /* p.gFree.n: dead Gs on the P's free list */
	/* runtime.gcControllerState (the global runtime.gcController) */
	struct rt_field gc_percent;      /* GOGC: gcPercent */
	struct rt_field gc_memory_limit; /* GOMEMLIMIT: memoryLimit (Go 1.19 and later) */
	/* runtime.mstats (the global runtime.memstats) */
	struct rt_field ms_numgc;          /* numgc */
	struct rt_field ms_numforcedgc;    /* numforcedgc */
	struct rt_field ms_pause_total_ns; /* pause_total_ns */
	struct rt_field ms_last_gc_unix;   /* last_gc_unix */
	struct rt_field ms_enablegc;       /* enablegc (a bool, size 1) */
	const char *source; /* where the offsets came from, for -v and errors */
};

/* Every field RT_UNKNOWN. */
void rt_layout_init(struct rt_layout *l);

#endif
