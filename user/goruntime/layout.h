/* SPDX-License-Identifier: MIT */
/*
 * Where the fields the agentless reads need sit inside the Go runtime's
 * structs, for one executable: from its DWARF when it has some, else from the
 * table of Go releases (goruntime/table.c). An offset is RT_UNKNOWN when
 * neither source has it; the reader then leaves out what depends on it.
 */
#ifndef GOPS_GORUNTIME_LAYOUT_H
#define GOPS_GORUNTIME_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#define RT_UNKNOWN (-1)

/* One field: its offset in its struct and its size in bytes (1, 4 or 8; arrays: the whole). */
struct rt_field {
	int32_t off;
	int32_t size;
};

/*
 * The fields: X(member, DWARF struct type, member path in it). The table
 * of releases has each of them for the releases whose runtime has it; the
 * ones after the scheduler and GC counters (what memstats needs beyond
 * them) are named as in Go 1.19 and later, mstats being rewritten in 1.19.
 */
#define RT_LAYOUT_FIELDS(X)                                                                        \
	/* mcount() = mnext - nmfreed; dead Gs = sched.gFree.n + each P's gFree.n */               \
	X(sched_mnext, "runtime.schedt", "mnext")                                                  \
	X(sched_nmfreed, "runtime.schedt", "nmfreed")                                              \
	X(sched_ngsys, "runtime.schedt", "ngsys")                                                  \
	X(sched_gfree_n, "runtime.schedt", "gFree.n")                                              \
	/* from Go 1.25 gFree has no n: the dead Gs are stack.size + noStack.size, */              \
	/* and p.gFree is a gList: the table then gives its size as p_gfree_n */                   \
	X(sched_gfree_stack_size, "runtime.schedt", "gFree.stack.size")                            \
	X(sched_gfree_nostack_size, "runtime.schedt", "gFree.noStack.size")                        \
	X(p_gfree_n, "runtime.p", "gFree.n")                                                       \
	X(gc_percent, "runtime.gcControllerState", "gcPercent")                                    \
	X(gc_memory_limit, "runtime.gcControllerState", "memoryLimit")                             \
	X(ms_numgc, "runtime.mstats", "numgc")                                                     \
	X(ms_numforcedgc, "runtime.mstats", "numforcedgc")                                         \
	X(ms_pause_total_ns, "runtime.mstats", "pause_total_ns")                                   \
	X(ms_last_gc_unix, "runtime.mstats", "last_gc_unix")                                       \
	X(ms_enablegc, "runtime.mstats", "enablegc")                                               \
	/* memstats: the heap stats, the *_sys counters, the GC history */                         \
	X(gc_heap_inuse, "runtime.gcControllerState", "heapInUse")                                 \
	X(gc_heap_free, "runtime.gcControllerState", "heapFree")                                   \
	X(gc_heap_released, "runtime.gcControllerState", "heapReleased")                           \
	X(gc_percent_heap_goal, "runtime.gcControllerState", "gcPercentHeapGoal")                  \
	X(gc_sweep_dist_min_trigger, "runtime.gcControllerState", "sweepDistMinTrigger")           \
	X(gc_triggered, "runtime.gcControllerState", "triggered")                                  \
	X(ms_heap_stats, "runtime.mstats", "heapStats")                                            \
	X(ms_stacks_sys, "runtime.mstats", "stacks_sys")                                           \
	X(ms_mspan_sys, "runtime.mstats", "mspan_sys")                                             \
	X(ms_mcache_sys, "runtime.mstats", "mcache_sys")                                           \
	X(ms_buckhash_sys, "runtime.mstats", "buckhash_sys")                                       \
	X(ms_gc_misc_sys, "runtime.mstats", "gcMiscSys")                                           \
	X(ms_other_sys, "runtime.mstats", "other_sys")                                             \
	X(ms_pause_ns, "runtime.mstats", "pause_ns")                                               \
	X(ms_pause_end, "runtime.mstats", "pause_end")                                             \
	X(ms_gc_cpu_fraction, "runtime.mstats", "gc_cpu_fraction")                                 \
	X(chs_stats, "runtime.consistentHeapStats", "stats")                                       \
	X(hsd_in_stacks, "runtime.heapStatsDelta", "inStacks")                                     \
	X(hsd_in_work_bufs, "runtime.heapStatsDelta", "inWorkBufs")                                \
	X(hsd_in_ptr_scalar_bits, "runtime.heapStatsDelta", "inPtrScalarBits")                     \
	X(hsd_tiny_alloc_count, "runtime.heapStatsDelta", "tinyAllocCount")                        \
	X(hsd_large_alloc, "runtime.heapStatsDelta", "largeAlloc")                                 \
	X(hsd_large_alloc_count, "runtime.heapStatsDelta", "largeAllocCount")                      \
	X(hsd_small_alloc_count, "runtime.heapStatsDelta", "smallAllocCount")                      \
	X(hsd_large_free, "runtime.heapStatsDelta", "largeFree")                                   \
	X(hsd_large_free_count, "runtime.heapStatsDelta", "largeFreeCount")                        \
	X(hsd_small_free_count, "runtime.heapStatsDelta", "smallFreeCount")                        \
	X(mheap_spanalloc_inuse, "runtime.mheap", "spanalloc.inuse")                               \
	X(mheap_cachealloc_inuse, "runtime.mheap", "cachealloc.inuse")                             \
	/* what ReadMemStats flushes first: each P's cached spans and tiny allocs */               \
	X(p_mcache, "runtime.p", "mcache")                                                         \
	X(mcache_alloc, "runtime.mcache", "alloc")                                                 \
	X(mcache_tiny_allocs, "runtime.mcache", "tinyAllocs")                                      \
	X(mspan_alloc_count, "runtime.mspan", "allocCount")                                        \
	X(mspan_alloc_count_before_cache, "runtime.mspan", "allocCountBeforeCache")                \
	/* the goroutine dump: each G's stack, saved registers, state and origin, */               \
	/* and the M (thread) running it */                                                        \
	X(g_stack_lo, "runtime.g", "stack.lo")                                                     \
	X(g_stack_hi, "runtime.g", "stack.hi")                                                     \
	X(g_m, "runtime.g", "m")                                                                   \
	X(g_sched_sp, "runtime.g", "sched.sp")                                                     \
	X(g_sched_pc, "runtime.g", "sched.pc")                                                     \
	X(g_sched_bp, "runtime.g", "sched.bp")                                                     \
	X(g_syscallsp, "runtime.g", "syscallsp")                                                   \
	X(g_syscallpc, "runtime.g", "syscallpc")                                                   \
	X(g_syscallbp, "runtime.g", "syscallbp")                                                   \
	X(g_atomicstatus, "runtime.g", "atomicstatus")                                             \
	X(g_goid, "runtime.g", "goid")                                                             \
	X(g_waitsince, "runtime.g", "waitsince")                                                   \
	X(g_waitreason, "runtime.g", "waitreason")                                                 \
	X(g_lockedm, "runtime.g", "lockedm")                                                       \
	X(g_parent_goid, "runtime.g", "parentGoid")                                                \
	X(g_gopc, "runtime.g", "gopc")                                                             \
	X(g_startpc, "runtime.g", "startpc")                                                       \
	X(m_procid, "runtime.m", "procid")                                                         \
	X(m_curg, "runtime.m", "curg")                                                             \
	X(m_alllink, "runtime.m", "alllink")

struct rt_layout {
#define RT_FIELD_MEMBER(name, type, path) struct rt_field name;
	RT_LAYOUT_FIELDS(RT_FIELD_MEMBER)
#undef RT_FIELD_MEMBER
	int32_t hsd_size;         /* sizeof(runtime.heapStatsDelta): the stride of chs_stats */
	int32_t num_size_classes; /* elements of hsd_small_alloc_count */
	const char *source;       /* where the offsets came from: "DWARF", "table: go1.21", both */
};

/* Whether an offset is known. */
static inline bool rt_known(struct rt_field f)
{
	return f.off >= 0;
}

/* Every field RT_UNKNOWN. */
void rt_layout_init(struct rt_layout *l);

/* Fills the fields dst does not know from src; says so in dst->source. */
void rt_layout_merge(struct rt_layout *dst, const struct rt_layout *src);

#endif
