/* SPDX-License-Identifier: MIT */
/*
 * `gops memstats` from a process's memory: the fields of runtime.MemStats
 * the way runtime.ReadMemStats derives them (Go 1.19 and later, from the
 * executable's DWARF), or the plain counters alone (the table of releases).
 */
#ifndef GOPS_GORUNTIME_MEMSTATS_H
#define GOPS_GORUNTIME_MEMSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "goruntime/target.h"

/* The agent's keys, in its order. */
enum rt_ms_key {
	MS_ALLOC,
	MS_TOTAL_ALLOC,
	MS_SYS,
	MS_LOOKUPS,
	MS_MALLOCS,
	MS_FREES,
	MS_HEAP_ALLOC,
	MS_HEAP_SYS,
	MS_HEAP_IDLE,
	MS_HEAP_IN_USE,
	MS_HEAP_RELEASED,
	MS_HEAP_OBJECTS,
	MS_STACK_IN_USE,
	MS_STACK_SYS,
	MS_MSPAN_IN_USE,
	MS_MSPAN_SYS,
	MS_MCACHE_IN_USE,
	MS_MCACHE_SYS,
	MS_BUCK_HASH_SYS,
	MS_OTHER_SYS,
	MS_GC_SYS,
	MS_NEXT_GC,
	MS_LAST_GC,
	MS_GC_PAUSE_TOTAL,
	MS_GC_PAUSE,
	MS_GC_PAUSE_END,
	MS_NUM_GC,
	MS_NUM_FORCED_GC,
	MS_GC_CPU_FRACTION,
	MS_ENABLE_GC,
	MS_DEBUG_GC,
	MS_NKEYS,
};

struct rt_memstats {
	uint64_t v[MS_NKEYS]; /* MS_GC_CPU_FRACTION holds a double's bits */
	bool have[MS_NKEYS];
	int attempts;
};

/* The key as the agent prints it ("heap-in-use"). */
const char *rt_ms_key_name(enum rt_ms_key k);

/*
 * Reads what can be read consistently (num-gc the same before and after;
 * once more when it changed). Returns 0 with have[] saying which keys were
 * read (at least num-gc), or -errno with one line in why.
 */
int rt_read_memstats(struct rt_target *t, struct rt_memstats *m, char *why, size_t len);

/* The lines the agent prints, for the keys read. */
void rt_memstats_print(const struct rt_memstats *m, FILE *out);

#endif
