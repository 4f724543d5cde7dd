// SPDX-License-Identifier: MIT
/*
 * The table of Go releases (amd64): where every field of struct rt_layout
 * (goruntime/layout.h) sits in the runtime of each release from Go 1.17 to
 * 1.27, for executables without DWARF: the counters of runtime.schedt,
 * runtime.p, runtime.gcControllerState and runtime.mstats, the heap stats
 * (consistentHeapStats, heapStatsDelta), mheap's fixallocs, and each P's
 * mcache and its spans. The fields of the goroutine dump (runtime.g and
 * runtime.m) have their rows in table_g.c.
 *
 * How each row was made: the structs were laid out from the runtime sources
 * of the release (to 1.25 the commit tagged in golang/go, for 1.26 and 1.27
 * Debian sid's source packages golang-1.26-src and golang-1.27-src; the files
 * are src/runtime/runtime2.go for schedt and p, proc.go for gList and gQueue,
 * mgcpacer.go for gcControllerState, mstats.go for mstats, consistentHeapStats
 * and heapStatsDelta, mheap.go for mheap and mspan, mfixalloc.go for
 * fixalloc, mcache.go for mcache, and the files of the types they hold) by a
 * go/types program (a research tool, not kept here) that type-checks the
 * release's runtime with the build constraints of linux/amd64 and the
 * release's default GOEXPERIMENTs (internal/buildcfg/exp.go) and places each
 * field by gc's amd64 rules: a basic type is aligned to its size up to 8; a
 * struct to its widest member, its size rounded up to that, one byte of
 * padding first when it ends in a zero-size field; an array has its
 * element's alignment; guintptr/muintptr/puintptr are uintptr;
 * atomic.Int32/Uint32 are 4-byte structs, atomic.Int64/Uint64 and
 * sysMemStat 8-byte ones (noCopy and align64 take no room); mutex is
 * {lockRankStruct (empty without staticlockranking); key uintptr}, 8 bytes in
 * every release here (the spinbit mutex of 1.24 keeps that layout); a gList
 * is a guintptr, a gQueue two (to 1.24). Sizes are the field's whole size
 * (arrays included); hsd_size is sizeof(heapStatsDelta), the stride of
 * consistentHeapStats.stats, num_size_classes the length of its
 * smallAllocCount (_NumSizeClasses, 68 in every release here).
 *
 * A release lacks a field when its struct has no member of that name, or
 * (1.17 and 1.18, before mstats was rewritten) when the member means
 * something else there: such fields are left out of the row, never guessed.
 *
 * Checked against DWARF: the go1.17 row equals what the DWARF of a go1.17.2
 * executable says (@bazel/buildifier 5.1.0, tests/fixtures/npm.sh), the
 * go1.19 row Debian's go1.19.8 (tests/fixtures/build.sh), the go1.20 row a
 * go1.20.3 one (@bazel/buildifier 6.1.2), in every field each row has;
 * tests/unit/test_rt_table.c compares them. The program's offsets for the
 * first group also agree with the ones worked out by hand below.
 *
 * The go1.26 and go1.27 rows equal the DWARF of executables built by
 * Debian's go1.26.10 and go1.27.3 (rtfacts and sleeper) in every field; the
 * test has a few of those values.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "goruntime/table.h"
#include "goruntime/table_g.h"

/*
 * The first group by hand (the program agrees). schedt up to gFree, in
 * go1.17 to go1.24: goidgen, lastpoll, pollUntil
 * (uint64 to 1.19, atomic.Uint64/Int64 from 1.20) at 0, 8, 16; lock
 * mutex 24; midle muintptr 32; nmidle, nmidlelocked int32 40, 44; mnext
 * int64 48; maxmcount, nmsys int32 56, 60; nmfreed int64 64; ngsys 72 (uint32
 * to 1.19, atomic.Int32 from 1.20); pidle puintptr 80; npidle, nmspinning
 * (uint32, atomic.Int32 from 1.20) 88, 92; then to 1.19: runq gQueue 96,
 * runqsize int32 112, disable struct{user bool; runnable gQueue; n int32}
 * 120 (32 bytes), gFree struct{lock mutex; stack, noStack gList; n int32}
 * 152, so gFree.n 176; from 1.20 needspinning atomic.Uint32 96 comes first and
 * pushes runq to 104, runqsize 120, disable 128, gFree 160, gFree.n 184.
 *
 * p up to gFree: id, status int32 0, 4; link puintptr 8; schedtick,
 * syscalltick uint32 16, 20; sysmontick 24 (struct{schedtick uint32;
 * schedwhen int64; syscalltick uint32; syscallwhen int64}, 32 bytes; from
 * 1.23 the two uint32 first, 24 bytes); m, mcache pointers; pcache pageCache
 * (base uintptr, cache, scav uint64: 24); raceprocctx uintptr; deferpool
 * ([5][]*_defer, 120, in 1.17; []*_defer, 24, from 1.18); deferpoolbuf
 * ([5][32]*_defer, 1280, in 1.17; [32]*_defer, 256, from 1.18); goidcache,
 * goidcacheend uint64; runqhead, runqtail uint32; runq [256]guintptr (2048);
 * runnext guintptr; gFree struct{gList; n int32}: gFree.n 8 bytes after it.
 *
 * gcControllerState: gcPercent (int32 in 1.17, atomic.Int32 from 1.18) is
 * its first field; memoryLimit (atomic.Int64, from 1.19) follows at 8.
 *
 * mstats to 1.18: 21 uint64 counters (alloc to other_sys) 0..160;
 * last_gc_unix 168; pause_total_ns 176; pause_ns, pause_end [256]uint64
 * 184, 2232; numgc, numforcedgc uint32 4280, 4284; gc_cpu_fraction float64
 * 4288; enablegc bool 4296. Rewritten in 1.19: heapStats consistentHeapStats
 * (stats [3]heapStatsDelta, gen atomic.Uint32, noPLock mutex: 3544 bytes to
 * 1.24, heapStatsDelta being 11 uint64 and two [68]uint64) 0; stacks_sys,
 * mspan_sys, mcache_sys, buckhash_sys, gcMiscSys, other_sys sysMemStat
 * (uint64) 3544..3584; last_gc_unix 3592; pause_total_ns 3600; pause_ns,
 * pause_end 3608, 5656; numgc, numforcedgc 7704, 7708; gc_cpu_fraction 7712;
 * last_gc_nanotime, lastHeapInUse uint64 7720, 7728; enablegc 7736.
 */

/*
 * The rows: a field a row has is { offset, size }; one it leaves out is
 * { 0, 0 } (size 0), which rt_table_layout turns into RT_UNKNOWN.
 */
/* Go 1.26 and 1.27 lay these structs out alike: one list for both rows. */
#define GO126_LAYOUT                                                                               \
	.sched_mnext = { 72, 8 }, .sched_nmfreed = { 88, 8 }, .sched_ngsys = { 96, 4 },            \
	.sched_gfree_stack_size = { 200, 4 }, .sched_gfree_nostack_size = { 216, 4 },              \
	.p_gfree_n = { 2472, 4 }, .gc_percent = { 0, 4 }, .gc_memory_limit = { 8, 8 },             \
	.ms_numgc = { 7680, 4 }, .ms_numforcedgc = { 7684, 4 }, .ms_pause_total_ns = { 3576, 8 },  \
	.ms_last_gc_unix = { 3568, 8 }, .ms_enablegc = { 10432, 1 }, .gc_heap_inuse = { 272, 8 },  \
	.gc_heap_free = { 288, 8 }, .gc_heap_released = { 280, 8 },                                \
	.gc_percent_heap_goal = { 72, 8 }, .gc_sweep_dist_min_trigger = { 80, 8 },                 \
	.gc_triggered = { 88, 8 }, .ms_heap_stats = { 0, 3520 }, .ms_stacks_sys = { 3520, 8 },     \
	.ms_mspan_sys = { 3528, 8 }, .ms_mcache_sys = { 3536, 8 }, .ms_buckhash_sys = { 3544, 8 }, \
	.ms_gc_misc_sys = { 3552, 8 }, .ms_other_sys = { 3560, 8 }, .ms_pause_ns = { 3584, 2048 }, \
	.ms_pause_end = { 5632, 2048 }, .ms_gc_cpu_fraction = { 7688, 8 },                         \
	.chs_stats = { 0, 3504 }, .hsd_in_stacks = { 24, 8 }, .hsd_in_work_bufs = { 32, 8 },       \
	.hsd_tiny_alloc_count = { 40, 8 }, .hsd_large_alloc = { 48, 8 },                           \
	.hsd_large_alloc_count = { 56, 8 }, .hsd_small_alloc_count = { 64, 544 },                  \
	.hsd_large_free = { 608, 8 }, .hsd_large_free_count = { 616, 8 },                          \
	.hsd_small_free_count = { 624, 544 }, .mheap_spanalloc_inuse = { 92368, 8 },               \
	.mheap_cachealloc_inuse = { 92512, 8 }, .p_mcache = { 56, 8 },                             \
	.mcache_alloc = { 48, 1088 }, .mcache_tiny_allocs = { 40, 8 },                             \
	.mspan_alloc_count = { 96, 2 }, .mspan_alloc_count_before_cache = { 102, 2 },              \
	.hsd_size = 1168, .num_size_classes = 68

static const struct rt_layout rows[RT_TABLE_LAST_MINOR - RT_TABLE_FIRST_MINOR + 1] = {
	/*
	 * go1.17, golang/go ec5170397c72 ("[release-branch.go1.17] go1.17").
	 * schedt as above (gFree.n 176); p with the [5] defer pools: runq 1528,
	 * runnext 3576, gFree 3584, gFree.n 3592; gcControllerState.gcPercent int32
	 * 0, no memoryLimit, and the heap counters still in mstats (heap_inuse and
	 * others, under other names: left out); mstats of 1.17, its *_sys counters
	 * between the others and heapStats at 5960 (3568 bytes: heapStatsDelta has
	 * a trailing _ [0]uint32, so gc pads it to 1184). heapStatsDelta's
	 * smallAllocCount is left out: to 1.18 refill adds a span's free slots to
	 * it at once and releaseAll takes back the unused ones, where from 1.19 a
	 * slot counts when the span leaves the mcache (allocCountBeforeCache, which
	 * 1.17 lacks); without it the heap stats are not summed. mheap's
	 * spanalloc.inuse 92280 (mheap.go, fixalloc in mfixalloc.go); mcache
	 * (mcache.go) alloc 40, tinyAllocs 32; mspan.allocCount 96. Equal to the
	 * DWARF of a go1.17.2 executable.
	 */
	[17 - RT_TABLE_FIRST_MINOR] = {
		.source = "table: go1.17",
		.sched_mnext = { 48, 8 },
		.sched_nmfreed = { 64, 8 },
		.sched_ngsys = { 72, 4 },
		.sched_gfree_n = { 176, 4 },
		.p_gfree_n = { 3592, 4 },
		.gc_percent = { 0, 4 },
		.ms_numgc = { 4280, 4 },
		.ms_numforcedgc = { 4284, 4 },
		.ms_pause_total_ns = { 176, 8 },
		.ms_last_gc_unix = { 168, 8 },
		.ms_enablegc = { 4296, 1 },
		.ms_heap_stats = { 5960, 3568 },
		.ms_stacks_sys = { 88, 8 },
		.ms_mspan_sys = { 104, 8 },
		.ms_mcache_sys = { 120, 8 },
		.ms_buckhash_sys = { 128, 8 },
		.ms_gc_misc_sys = { 152, 8 },
		.ms_other_sys = { 160, 8 },
		.ms_pause_ns = { 184, 2048 },
		.ms_pause_end = { 2232, 2048 },
		.ms_gc_cpu_fraction = { 4288, 8 },
		.chs_stats = { 0, 3552 },
		.hsd_in_stacks = { 24, 8 },
		.hsd_in_work_bufs = { 32, 8 },
		.hsd_in_ptr_scalar_bits = { 40, 8 },
		.hsd_tiny_alloc_count = { 48, 8 },
		.hsd_large_alloc = { 56, 8 },
		.hsd_large_alloc_count = { 64, 8 },
		.hsd_large_free = { 616, 8 },
		.hsd_large_free_count = { 624, 8 },
		.hsd_small_free_count = { 632, 544 },
		.mheap_spanalloc_inuse = { 92280, 8 },
		.mheap_cachealloc_inuse = { 92352, 8 },
		.p_mcache = { 64, 8 },
		.mcache_alloc = { 40, 1088 },
		.mcache_tiny_allocs = { 32, 8 },
		.mspan_alloc_count = { 96, 2 },
		.hsd_size = 1184,
		.num_size_classes = 68,
	},
	/*
	 * go1.18, golang/go 4aa1efed4853 ("[release-branch.go1.18] go1.18").
	 * schedt as in 1.17; p's deferpool a slice: runq 408, runnext 2456, gFree
	 * 2464, gFree.n 2472; gcPercent atomic.Int32 0, no memoryLimit; mstats and
	 * heapStatsDelta as in 1.17 (smallAllocCount left out likewise); mheap
	 * 8 bytes shorter before spanalloc (inuse 92272); mcache and mspan as in
	 * 1.17.
	 */
	[18 - RT_TABLE_FIRST_MINOR] = {
		.source = "table: go1.18",
		.sched_mnext = { 48, 8 },
		.sched_nmfreed = { 64, 8 },
		.sched_ngsys = { 72, 4 },
		.sched_gfree_n = { 176, 4 },
		.p_gfree_n = { 2472, 4 },
		.gc_percent = { 0, 4 },
		.ms_numgc = { 4280, 4 },
		.ms_numforcedgc = { 4284, 4 },
		.ms_pause_total_ns = { 176, 8 },
		.ms_last_gc_unix = { 168, 8 },
		.ms_enablegc = { 4296, 1 },
		.ms_heap_stats = { 5960, 3568 },
		.ms_stacks_sys = { 88, 8 },
		.ms_mspan_sys = { 104, 8 },
		.ms_mcache_sys = { 120, 8 },
		.ms_buckhash_sys = { 128, 8 },
		.ms_gc_misc_sys = { 152, 8 },
		.ms_other_sys = { 160, 8 },
		.ms_pause_ns = { 184, 2048 },
		.ms_pause_end = { 2232, 2048 },
		.ms_gc_cpu_fraction = { 4288, 8 },
		.chs_stats = { 0, 3552 },
		.hsd_in_stacks = { 24, 8 },
		.hsd_in_work_bufs = { 32, 8 },
		.hsd_in_ptr_scalar_bits = { 40, 8 },
		.hsd_tiny_alloc_count = { 48, 8 },
		.hsd_large_alloc = { 56, 8 },
		.hsd_large_alloc_count = { 64, 8 },
		.hsd_large_free = { 616, 8 },
		.hsd_large_free_count = { 624, 8 },
		.hsd_small_free_count = { 632, 544 },
		.mheap_spanalloc_inuse = { 92272, 8 },
		.mheap_cachealloc_inuse = { 92344, 8 },
		.p_mcache = { 64, 8 },
		.mcache_alloc = { 40, 1088 },
		.mcache_tiny_allocs = { 32, 8 },
		.mspan_alloc_count = { 96, 2 },
		.hsd_size = 1184,
		.num_size_classes = 68,
	},
	/*
	 * go1.19, golang/go 43456202a1e5 ("[release-branch.go1.19] go1.19").
	 * schedt and p as in 1.18 (gFree.n 176 and 2472); gcControllerState gains
	 * memoryLimit 8 and the heap counters (heapInUse 304, heapReleased 312,
	 * heapFree 320: sysMemStat); mstats rewritten (heapStats first, numgc
	 * 7704); heapStatsDelta's counters uint64, 1176 bytes with no padding;
	 * mspan gains allocCountBeforeCache 102. Equal to the DWARF of Debian's
	 * go1.19.8 in every field.
	 */
	[19 - RT_TABLE_FIRST_MINOR] = {
		.source = "table: go1.19",
		.sched_mnext = { 48, 8 },
		.sched_nmfreed = { 64, 8 },
		.sched_ngsys = { 72, 4 },
		.sched_gfree_n = { 176, 4 },
		.p_gfree_n = { 2472, 4 },
		.gc_percent = { 0, 4 },
		.gc_memory_limit = { 8, 8 },
		.ms_numgc = { 7704, 4 },
		.ms_numforcedgc = { 7708, 4 },
		.ms_pause_total_ns = { 3600, 8 },
		.ms_last_gc_unix = { 3592, 8 },
		.ms_enablegc = { 7736, 1 },
		.gc_heap_inuse = { 304, 8 },
		.gc_heap_free = { 320, 8 },
		.gc_heap_released = { 312, 8 },
		.gc_percent_heap_goal = { 104, 8 },
		.gc_sweep_dist_min_trigger = { 112, 8 },
		.gc_triggered = { 120, 8 },
		.ms_heap_stats = { 0, 3544 },
		.ms_stacks_sys = { 3544, 8 },
		.ms_mspan_sys = { 3552, 8 },
		.ms_mcache_sys = { 3560, 8 },
		.ms_buckhash_sys = { 3568, 8 },
		.ms_gc_misc_sys = { 3576, 8 },
		.ms_other_sys = { 3584, 8 },
		.ms_pause_ns = { 3608, 2048 },
		.ms_pause_end = { 5656, 2048 },
		.ms_gc_cpu_fraction = { 7712, 8 },
		.chs_stats = { 0, 3528 },
		.hsd_in_stacks = { 24, 8 },
		.hsd_in_work_bufs = { 32, 8 },
		.hsd_in_ptr_scalar_bits = { 40, 8 },
		.hsd_tiny_alloc_count = { 48, 8 },
		.hsd_large_alloc = { 56, 8 },
		.hsd_large_alloc_count = { 64, 8 },
		.hsd_small_alloc_count = { 72, 544 },
		.hsd_large_free = { 616, 8 },
		.hsd_large_free_count = { 624, 8 },
		.hsd_small_free_count = { 632, 544 },
		.mheap_spanalloc_inuse = { 92272, 8 },
		.mheap_cachealloc_inuse = { 92344, 8 },
		.p_mcache = { 64, 8 },
		.mcache_alloc = { 40, 1088 },
		.mcache_tiny_allocs = { 32, 8 },
		.mspan_alloc_count = { 96, 2 },
		.mspan_alloc_count_before_cache = { 102, 2 },
		.hsd_size = 1176,
		.num_size_classes = 68,
	},
	/*
	 * go1.20, golang/go de4748c47c67 ("[release-branch.go1.20] go1.20").
	 * schedt's goidgen, lastpoll, pollUntil, ngsys, npidle, nmspinning become
	 * atomic types of the same sizes, and needspinning before runq puts gFree.n
	 * at 184; p and mstats as in 1.19; in gcControllerState lastConsMark
	 * (float64) replaces consMarkController: gcPercentHeapGoal 48, heapInUse
	 * 248; mheap 92232. Equal to the DWARF of a go1.20.3 executable.
	 */
	[20 - RT_TABLE_FIRST_MINOR] = {
		.source = "table: go1.20",
		.sched_mnext = { 48, 8 },
		.sched_nmfreed = { 64, 8 },
		.sched_ngsys = { 72, 4 },
		.sched_gfree_n = { 184, 4 },
		.p_gfree_n = { 2472, 4 },
		.gc_percent = { 0, 4 },
		.gc_memory_limit = { 8, 8 },
		.ms_numgc = { 7704, 4 },
		.ms_numforcedgc = { 7708, 4 },
		.ms_pause_total_ns = { 3600, 8 },
		.ms_last_gc_unix = { 3592, 8 },
		.ms_enablegc = { 7736, 1 },
		.gc_heap_inuse = { 248, 8 },
		.gc_heap_free = { 264, 8 },
		.gc_heap_released = { 256, 8 },
		.gc_percent_heap_goal = { 48, 8 },
		.gc_sweep_dist_min_trigger = { 56, 8 },
		.gc_triggered = { 64, 8 },
		.ms_heap_stats = { 0, 3544 },
		.ms_stacks_sys = { 3544, 8 },
		.ms_mspan_sys = { 3552, 8 },
		.ms_mcache_sys = { 3560, 8 },
		.ms_buckhash_sys = { 3568, 8 },
		.ms_gc_misc_sys = { 3576, 8 },
		.ms_other_sys = { 3584, 8 },
		.ms_pause_ns = { 3608, 2048 },
		.ms_pause_end = { 5656, 2048 },
		.ms_gc_cpu_fraction = { 7712, 8 },
		.chs_stats = { 0, 3528 },
		.hsd_in_stacks = { 24, 8 },
		.hsd_in_work_bufs = { 32, 8 },
		.hsd_in_ptr_scalar_bits = { 40, 8 },
		.hsd_tiny_alloc_count = { 48, 8 },
		.hsd_large_alloc = { 56, 8 },
		.hsd_large_alloc_count = { 64, 8 },
		.hsd_small_alloc_count = { 72, 544 },
		.hsd_large_free = { 616, 8 },
		.hsd_large_free_count = { 624, 8 },
		.hsd_small_free_count = { 632, 544 },
		.mheap_spanalloc_inuse = { 92232, 8 },
		.mheap_cachealloc_inuse = { 92304, 8 },
		.p_mcache = { 64, 8 },
		.mcache_alloc = { 40, 1088 },
		.mcache_tiny_allocs = { 32, 8 },
		.mspan_alloc_count = { 96, 2 },
		.mspan_alloc_count_before_cache = { 102, 2 },
		.hsd_size = 1176,
		.num_size_classes = 68,
	},
	/*
	 * go1.21.0, golang/go c19c4c566c63: the first group as in 1.20;
	 * lastConsMark is 32 bytes (gcPercentHeapGoal 72, heapInUse 272); mheap
	 * 92280; mspan gains pinnerBits before allocCount (104).
	 */
	[21 - RT_TABLE_FIRST_MINOR] = {
		.source = "table: go1.21",
		.sched_mnext = { 48, 8 },
		.sched_nmfreed = { 64, 8 },
		.sched_ngsys = { 72, 4 },
		.sched_gfree_n = { 184, 4 },
		.p_gfree_n = { 2472, 4 },
		.gc_percent = { 0, 4 },
		.gc_memory_limit = { 8, 8 },
		.ms_numgc = { 7704, 4 },
		.ms_numforcedgc = { 7708, 4 },
		.ms_pause_total_ns = { 3600, 8 },
		.ms_last_gc_unix = { 3592, 8 },
		.ms_enablegc = { 7736, 1 },
		.gc_heap_inuse = { 272, 8 },
		.gc_heap_free = { 288, 8 },
		.gc_heap_released = { 280, 8 },
		.gc_percent_heap_goal = { 72, 8 },
		.gc_sweep_dist_min_trigger = { 80, 8 },
		.gc_triggered = { 88, 8 },
		.ms_heap_stats = { 0, 3544 },
		.ms_stacks_sys = { 3544, 8 },
		.ms_mspan_sys = { 3552, 8 },
		.ms_mcache_sys = { 3560, 8 },
		.ms_buckhash_sys = { 3568, 8 },
		.ms_gc_misc_sys = { 3576, 8 },
		.ms_other_sys = { 3584, 8 },
		.ms_pause_ns = { 3608, 2048 },
		.ms_pause_end = { 5656, 2048 },
		.ms_gc_cpu_fraction = { 7712, 8 },
		.chs_stats = { 0, 3528 },
		.hsd_in_stacks = { 24, 8 },
		.hsd_in_work_bufs = { 32, 8 },
		.hsd_in_ptr_scalar_bits = { 40, 8 },
		.hsd_tiny_alloc_count = { 48, 8 },
		.hsd_large_alloc = { 56, 8 },
		.hsd_large_alloc_count = { 64, 8 },
		.hsd_small_alloc_count = { 72, 544 },
		.hsd_large_free = { 616, 8 },
		.hsd_large_free_count = { 624, 8 },
		.hsd_small_free_count = { 632, 544 },
		.mheap_spanalloc_inuse = { 92280, 8 },
		.mheap_cachealloc_inuse = { 92352, 8 },
		.p_mcache = { 64, 8 },
		.mcache_alloc = { 40, 1088 },
		.mcache_tiny_allocs = { 32, 8 },
		.mspan_alloc_count = { 104, 2 },
		.mspan_alloc_count_before_cache = { 110, 2 },
		.hsd_size = 1176,
		.num_size_classes = 68,
	},
	/*
	 * go1.22.0, golang/go a10e42f219ab (allocheaders on by default): the first
	 * group as in 1.20; gcControllerState as in 1.21; mheap 92344; mspan's
	 * freeindex and nelems become uint16, so allocCount 96 again.
	 */
	[22 - RT_TABLE_FIRST_MINOR] = {
		.source = "table: go1.22",
		.sched_mnext = { 48, 8 },
		.sched_nmfreed = { 64, 8 },
		.sched_ngsys = { 72, 4 },
		.sched_gfree_n = { 184, 4 },
		.p_gfree_n = { 2472, 4 },
		.gc_percent = { 0, 4 },
		.gc_memory_limit = { 8, 8 },
		.ms_numgc = { 7704, 4 },
		.ms_numforcedgc = { 7708, 4 },
		.ms_pause_total_ns = { 3600, 8 },
		.ms_last_gc_unix = { 3592, 8 },
		.ms_enablegc = { 7736, 1 },
		.gc_heap_inuse = { 272, 8 },
		.gc_heap_free = { 288, 8 },
		.gc_heap_released = { 280, 8 },
		.gc_percent_heap_goal = { 72, 8 },
		.gc_sweep_dist_min_trigger = { 80, 8 },
		.gc_triggered = { 88, 8 },
		.ms_heap_stats = { 0, 3544 },
		.ms_stacks_sys = { 3544, 8 },
		.ms_mspan_sys = { 3552, 8 },
		.ms_mcache_sys = { 3560, 8 },
		.ms_buckhash_sys = { 3568, 8 },
		.ms_gc_misc_sys = { 3576, 8 },
		.ms_other_sys = { 3584, 8 },
		.ms_pause_ns = { 3608, 2048 },
		.ms_pause_end = { 5656, 2048 },
		.ms_gc_cpu_fraction = { 7712, 8 },
		.chs_stats = { 0, 3528 },
		.hsd_in_stacks = { 24, 8 },
		.hsd_in_work_bufs = { 32, 8 },
		.hsd_in_ptr_scalar_bits = { 40, 8 },
		.hsd_tiny_alloc_count = { 48, 8 },
		.hsd_large_alloc = { 56, 8 },
		.hsd_large_alloc_count = { 64, 8 },
		.hsd_small_alloc_count = { 72, 544 },
		.hsd_large_free = { 616, 8 },
		.hsd_large_free_count = { 624, 8 },
		.hsd_small_free_count = { 632, 544 },
		.mheap_spanalloc_inuse = { 92344, 8 },
		.mheap_cachealloc_inuse = { 92416, 8 },
		.p_mcache = { 64, 8 },
		.mcache_alloc = { 40, 1088 },
		.mcache_tiny_allocs = { 32, 8 },
		.mspan_alloc_count = { 96, 2 },
		.mspan_alloc_count_before_cache = { 102, 2 },
		.hsd_size = 1176,
		.num_size_classes = 68,
	},
	/*
	 * go1.23.0, golang/go 6885bad7dd86: sysmontick is 24 bytes, so p.mcache 56
	 * and p's runq 400, runnext 2448, gFree 2456, gFree.n 2464 (atomic types
	 * now in internal/runtime/atomic, same layout); the rest as in 1.22.
	 */
	[23 - RT_TABLE_FIRST_MINOR] = {
		.source = "table: go1.23",
		.sched_mnext = { 48, 8 },
		.sched_nmfreed = { 64, 8 },
		.sched_ngsys = { 72, 4 },
		.sched_gfree_n = { 184, 4 },
		.p_gfree_n = { 2464, 4 },
		.gc_percent = { 0, 4 },
		.gc_memory_limit = { 8, 8 },
		.ms_numgc = { 7704, 4 },
		.ms_numforcedgc = { 7708, 4 },
		.ms_pause_total_ns = { 3600, 8 },
		.ms_last_gc_unix = { 3592, 8 },
		.ms_enablegc = { 7736, 1 },
		.gc_heap_inuse = { 272, 8 },
		.gc_heap_free = { 288, 8 },
		.gc_heap_released = { 280, 8 },
		.gc_percent_heap_goal = { 72, 8 },
		.gc_sweep_dist_min_trigger = { 80, 8 },
		.gc_triggered = { 88, 8 },
		.ms_heap_stats = { 0, 3544 },
		.ms_stacks_sys = { 3544, 8 },
		.ms_mspan_sys = { 3552, 8 },
		.ms_mcache_sys = { 3560, 8 },
		.ms_buckhash_sys = { 3568, 8 },
		.ms_gc_misc_sys = { 3576, 8 },
		.ms_other_sys = { 3584, 8 },
		.ms_pause_ns = { 3608, 2048 },
		.ms_pause_end = { 5656, 2048 },
		.ms_gc_cpu_fraction = { 7712, 8 },
		.chs_stats = { 0, 3528 },
		.hsd_in_stacks = { 24, 8 },
		.hsd_in_work_bufs = { 32, 8 },
		.hsd_in_ptr_scalar_bits = { 40, 8 },
		.hsd_tiny_alloc_count = { 48, 8 },
		.hsd_large_alloc = { 56, 8 },
		.hsd_large_alloc_count = { 64, 8 },
		.hsd_small_alloc_count = { 72, 544 },
		.hsd_large_free = { 616, 8 },
		.hsd_large_free_count = { 624, 8 },
		.hsd_small_free_count = { 632, 544 },
		.mheap_spanalloc_inuse = { 92344, 8 },
		.mheap_cachealloc_inuse = { 92416, 8 },
		.p_mcache = { 56, 8 },
		.mcache_alloc = { 40, 1088 },
		.mcache_tiny_allocs = { 32, 8 },
		.mspan_alloc_count = { 96, 2 },
		.mspan_alloc_count_before_cache = { 102, 2 },
		.hsd_size = 1176,
		.num_size_classes = 68,
	},
	/*
	 * go1.24.0, golang/go 3901409b5d0f (spinbitmutex on by default: mutex is
	 * still {lockRankStruct; key uintptr}): as in 1.23 but mcache, which gains
	 * memProfRate before scanAlloc: tinyAllocs 40, alloc 48.
	 */
	[24 - RT_TABLE_FIRST_MINOR] = {
		.source = "table: go1.24",
		.sched_mnext = { 48, 8 },
		.sched_nmfreed = { 64, 8 },
		.sched_ngsys = { 72, 4 },
		.sched_gfree_n = { 184, 4 },
		.p_gfree_n = { 2464, 4 },
		.gc_percent = { 0, 4 },
		.gc_memory_limit = { 8, 8 },
		.ms_numgc = { 7704, 4 },
		.ms_numforcedgc = { 7708, 4 },
		.ms_pause_total_ns = { 3600, 8 },
		.ms_last_gc_unix = { 3592, 8 },
		.ms_enablegc = { 7736, 1 },
		.gc_heap_inuse = { 272, 8 },
		.gc_heap_free = { 288, 8 },
		.gc_heap_released = { 280, 8 },
		.gc_percent_heap_goal = { 72, 8 },
		.gc_sweep_dist_min_trigger = { 80, 8 },
		.gc_triggered = { 88, 8 },
		.ms_heap_stats = { 0, 3544 },
		.ms_stacks_sys = { 3544, 8 },
		.ms_mspan_sys = { 3552, 8 },
		.ms_mcache_sys = { 3560, 8 },
		.ms_buckhash_sys = { 3568, 8 },
		.ms_gc_misc_sys = { 3576, 8 },
		.ms_other_sys = { 3584, 8 },
		.ms_pause_ns = { 3608, 2048 },
		.ms_pause_end = { 5656, 2048 },
		.ms_gc_cpu_fraction = { 7712, 8 },
		.chs_stats = { 0, 3528 },
		.hsd_in_stacks = { 24, 8 },
		.hsd_in_work_bufs = { 32, 8 },
		.hsd_in_ptr_scalar_bits = { 40, 8 },
		.hsd_tiny_alloc_count = { 48, 8 },
		.hsd_large_alloc = { 56, 8 },
		.hsd_large_alloc_count = { 64, 8 },
		.hsd_small_alloc_count = { 72, 544 },
		.hsd_large_free = { 616, 8 },
		.hsd_large_free_count = { 624, 8 },
		.hsd_small_free_count = { 632, 544 },
		.mheap_spanalloc_inuse = { 92344, 8 },
		.mheap_cachealloc_inuse = { 92416, 8 },
		.p_mcache = { 56, 8 },
		.mcache_alloc = { 48, 1088 },
		.mcache_tiny_allocs = { 40, 8 },
		.mspan_alloc_count = { 96, 2 },
		.mspan_alloc_count_before_cache = { 102, 2 },
		.hsd_size = 1176,
		.num_size_classes = 68,
	},
	/*
	 * go1.25.0, golang/go 6e676ab2b809: schedt gains pollingNet atomic.Int32
	 * 24 after pollUntil, so lock 32, midle 40, nmidle, nmidlelocked 48, 52,
	 * mnext 56, maxmcount, nmsys 64, 68, nmfreed 72, ngsys 80, pidle 88,
	 * npidle, nmspinning, needspinning 96, 100, 104. gList is now {head
	 * guintptr; size int32} (16 bytes) and gQueue {head, tail guintptr; size
	 * int32} (24): runq 112, runqsize gone, disable struct{user bool; runnable
	 * gQueue} 136 (32), gFree struct{lock mutex; stack, noStack gList} 168
	 * with no n: stack.size 176+8 = 184, noStack.size 192+8 = 200. p.gFree is
	 * a plain gList at 2456 (p's prefix as in 1.24), its size at 2464: that is
	 * p_gfree_n here. heapStatsDelta lost inPtrScalarBits (1168 bytes), so
	 * mstats.heapStats is 3520, the *_sys counters 3520..3560, last_gc_unix
	 * 3568, pause_total_ns 3576, pause_ns, pause_end 3584, 5632, numgc,
	 * numforcedgc 7680, 7684, gc_cpu_fraction 7688, and lastScanStats
	 * [68]sizeClassScanStats (544; 2720 with the opt-in GOEXPERIMENT=greenteagc,
	 * enablegc then at 10432) at 7712 puts enablegc at 8256; mheap 92368;
	 * gcControllerState, p.mcache, mcache and mspan as in 1.24.
	 */
	[25 - RT_TABLE_FIRST_MINOR] = {
		.source = "table: go1.25",
		.sched_mnext = { 56, 8 },
		.sched_nmfreed = { 72, 8 },
		.sched_ngsys = { 80, 4 },
		.sched_gfree_stack_size = { 184, 4 },
		.sched_gfree_nostack_size = { 200, 4 },
		.p_gfree_n = { 2464, 4 },
		.gc_percent = { 0, 4 },
		.gc_memory_limit = { 8, 8 },
		.ms_numgc = { 7680, 4 },
		.ms_numforcedgc = { 7684, 4 },
		.ms_pause_total_ns = { 3576, 8 },
		.ms_last_gc_unix = { 3568, 8 },
		.ms_enablegc = { 8256, 1 },
		.gc_heap_inuse = { 272, 8 },
		.gc_heap_free = { 288, 8 },
		.gc_heap_released = { 280, 8 },
		.gc_percent_heap_goal = { 72, 8 },
		.gc_sweep_dist_min_trigger = { 80, 8 },
		.gc_triggered = { 88, 8 },
		.ms_heap_stats = { 0, 3520 },
		.ms_stacks_sys = { 3520, 8 },
		.ms_mspan_sys = { 3528, 8 },
		.ms_mcache_sys = { 3536, 8 },
		.ms_buckhash_sys = { 3544, 8 },
		.ms_gc_misc_sys = { 3552, 8 },
		.ms_other_sys = { 3560, 8 },
		.ms_pause_ns = { 3584, 2048 },
		.ms_pause_end = { 5632, 2048 },
		.ms_gc_cpu_fraction = { 7688, 8 },
		.chs_stats = { 0, 3504 },
		.hsd_in_stacks = { 24, 8 },
		.hsd_in_work_bufs = { 32, 8 },
		.hsd_tiny_alloc_count = { 40, 8 },
		.hsd_large_alloc = { 48, 8 },
		.hsd_large_alloc_count = { 56, 8 },
		.hsd_small_alloc_count = { 64, 544 },
		.hsd_large_free = { 608, 8 },
		.hsd_large_free_count = { 616, 8 },
		.hsd_small_free_count = { 624, 544 },
		.mheap_spanalloc_inuse = { 92368, 8 },
		.mheap_cachealloc_inuse = { 92440, 8 },
		.p_mcache = { 56, 8 },
		.mcache_alloc = { 48, 1088 },
		.mcache_tiny_allocs = { 40, 8 },
		.mspan_alloc_count = { 96, 2 },
		.mspan_alloc_count_before_cache = { 102, 2 },
		.hsd_size = 1168,
		.num_size_classes = 68,
	},
	/*
	 * go1.26.10, Debian golang-1.26-src 1.26.10-1 (GOEXPERIMENT defaults in
	 * src/internal/buildcfg/exp.go: regabiwrappers, regabiargs, dwarf5, and
	 * new, randomizedheapbase64 and greenteagc). runtime2.go: schedt.midle is
	 * a listHeadManual (list_manual.go: {obj uintptr; initialized bool;
	 * nodeOffset uintptr}, 24 bytes) at 40, so nmidle, nmidlelocked 64, 68,
	 * mnext 72, maxmcount, nmsys 80, 84, nmfreed 88, ngsys 96, then the new
	 * nGsyscallNoP atomic.Int32 100, pidle 104, npidle, nmspinning,
	 * needspinning 112, 116, 120, runq 128, disable 152, gFree 184: stack.size
	 * 192+8 = 200, noStack.size 208+8 = 216. p gains oldm mWeakPointer (8)
	 * after raceprocctx: runnext 2456, gFree 2464, its size 2472. mstats
	 * (mstats.go) as in 1.25 up to lastScanStats 7712, but with the Green Tea
	 * GC sizeClassScanStats is five uint64 (mgcmark_greenteagc.go; one under
	 * nogreenteagc, mgcmark_nogreenteagc.go): 2720 bytes, so enablegc 10432
	 * (8256 in an executable built with GOEXPERIMENT=nogreenteagc, the one
	 * field of this row the experiment moves: target.c then leaves it out,
	 * the version saying "X:nogreenteagc"). mheap.go: spanSPMCAlloc
	 * fixalloc comes between spanalloc (92320, inuse 92368) and cachealloc
	 * (92464, inuse 92512). gcControllerState (mgcpacer.go), heapStatsDelta,
	 * p.mcache, mcache and mspan as in 1.25. Equal to the DWARF of go1.26.10
	 * executables (tests/unit/test_rt_table.c).
	 */
	[26 - RT_TABLE_FIRST_MINOR] = {
		.source = "table: go1.26",
		GO126_LAYOUT,
	},
	/*
	 * go1.27.3, Debian golang-1.27-src 1.27.3-1: exp.go adds jsonv2 and
	 * sizespecializedmalloc to 1.26's defaults; the structs laid out here
	 * (runtime2.go, mstats.go, mgcpacer.go, mheap.go, mcache.go,
	 * mgcmark_greenteagc.go) are as in 1.26 in every member, with and without
	 * sizespecializedmalloc. Equal to the DWARF of go1.27.3 executables.
	 */
	[27 - RT_TABLE_FIRST_MINOR] = {
		.source = "table: go1.27",
		GO126_LAYOUT,
	},
};

int rt_table_layout(int minor, struct rt_layout *l)
{
	const struct rt_layout *r, *g;

	if (minor < RT_TABLE_FIRST_MINOR || minor > RT_TABLE_LAST_MINOR)
		return -ENOENT;
	r = &rows[minor - RT_TABLE_FIRST_MINOR];
	g = rt_table_g_row(minor); /* the goroutine dump's fields: table_g.c */
	rt_layout_init(l);
#define RT_FIELD_FROM_ROW(name, type, path)                                                        \
	if (r->name.size > 0)                                                                      \
		l->name = r->name;                                                                 \
	else if (g && g->name.size > 0)                                                            \
		l->name = g->name;
	RT_LAYOUT_FIELDS(RT_FIELD_FROM_ROW)
#undef RT_FIELD_FROM_ROW
	if (r->hsd_size > 0)
		l->hsd_size = r->hsd_size;
	if (r->num_size_classes > 0)
		l->num_size_classes = r->num_size_classes;
	l->source = r->source;
	return 0;
}

int rt_table_layout_of(int minor, const char *go_version, struct rt_layout *l)
{
	int err = rt_table_layout(minor, l);

	/*
	 * The rows are for the default GOEXPERIMENTs. The Green Tea GC's (opt-in
	 * in 1.25, the default from 1.26) sizeClassScanStats is five words, not
	 * one, which moves mstats.enablegc: built with it toggled (the version
	 * says "X:greenteagc" or "X:nogreenteagc"), that field is unknown.
	 */
	if (!err && strstr(go_version, "greenteagc"))
		l->ms_enablegc = (struct rt_field){ RT_UNKNOWN, 0 };
	return err;
}
