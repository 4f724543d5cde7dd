// SPDX-License-Identifier: MIT
/*
 * The table of Go releases (amd64): where the counters the agentless reads
 * need sit in runtime.schedt, runtime.p, runtime.gcControllerState and
 * runtime.mstats of each release from Go 1.17 to 1.25 (1.26 and 1.27: below).
 *
 * How each row was made: the structs were read in the runtime sources of the
 * release tag (the commit is the one tagged in golang/go; the files are
 * src/runtime/runtime2.go for schedt and p, proc.go for gList and gQueue,
 * mgcpacer.go for gcControllerState, mstats.go for mstats, and the files of
 * the types they hold), with the build constraints of linux/amd64 and the
 * release's default GOEXPERIMENTs (internal/buildcfg/exp.go). Each field was
 * placed after the ones before it by gc's amd64 rules: a basic type is
 * aligned to its size up to 8; a struct to its widest member, its size
 * rounded up to that; an array has its element's alignment;
 * guintptr/muintptr/puintptr are uintptr; atomic.Int32/Uint32 are 4-byte
 * structs, atomic.Int64/Uint64 8-byte ones (their noCopy and align64 take no
 * room); mutex is {lockRankStruct (empty without staticlockranking); key
 * uintptr}, 8 bytes in every release here (the spinbit mutex of 1.24 keeps
 * that layout); a gList is a guintptr, a gQueue two. Only the fields before
 * a counter decide its offset, so each row's comment lists those.
 *
 * Checked against DWARF: the go1.17 row equals what the DWARF of a go1.17.2
 * executable says (@bazel/buildifier 5.1.0, tests/fixtures/npm.sh), the
 * go1.19 row Debian's go1.19.8 (tests/fixtures/build.sh), the go1.20 row a
 * go1.20.3 one (@bazel/buildifier 6.1.2); tests/unit/test_rt_table.c
 * compares them.
 *
 * Go 1.26 and 1.27: no copy of the sources of those release tags could be
 * had when the table was written, so they have no row (never a guess): a
 * DWARF-less executable of theirs is "a Go version without a table row".
 */
#include <errno.h>
#include <stddef.h>

#include "goruntime/table.h"

#define U                                                                                          \
	{                                                                                          \
		RT_UNKNOWN, 0                                                                      \
	}

struct row {
	const char *source;
	struct rt_field mnext, nmfreed, ngsys, sched_gfree_n, gfree_stack_size, gfree_nostack_size;
	struct rt_field p_gfree_n;
	struct rt_field gc_percent, memory_limit;
	struct rt_field numgc, numforcedgc, pause_total_ns, last_gc_unix, enablegc;
};

/*
 * schedt up to gFree, in go1.17 to go1.24: goidgen, lastpoll, pollUntil
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
static const struct row rows[RT_TABLE_LAST_MINOR - RT_TABLE_FIRST_MINOR + 1] = {
	/*
	 * go1.17, golang/go ec5170397c72 ("[release-branch.go1.17] go1.17"):
	 * schedt as above (gFree.n 176); p with the [5] defer pools: runq 1528,
	 * runnext 3576, gFree 3584, gFree.n 3592; gcControllerState.gcPercent
	 * int32 0 (mgcpacer.go), no memoryLimit; mstats of 1.17.
	 */
	{ "table: go1.17", { 48, 8 }, { 64, 8 }, { 72, 4 }, { 176, 4 }, U, U, { 3592, 4 }, { 0, 4 },
		U, { 4280, 4 }, { 4284, 4 }, { 176, 8 }, { 168, 8 }, { 4296, 1 } },
	/*
	 * go1.18, golang/go 4aa1efed4853 ("[release-branch.go1.18] go1.18"):
	 * schedt as in 1.17; p's deferpool a slice: runq 408, runnext 2456, gFree
	 * 2464, gFree.n 2472; gcPercent atomic.Int32 0, no memoryLimit; mstats as
	 * in 1.17.
	 */
	{ "table: go1.18", { 48, 8 }, { 64, 8 }, { 72, 4 }, { 176, 4 }, U, U, { 2472, 4 }, { 0, 4 },
		U, { 4280, 4 }, { 4284, 4 }, { 176, 8 }, { 168, 8 }, { 4296, 1 } },
	/*
	 * go1.19, golang/go 43456202a1e5 ("[release-branch.go1.19] go1.19"):
	 * schedt and p as in 1.18 (gFree.n 176 and 2472); memoryLimit 8;
	 * mstats rewritten (numgc 7704). Equal to the DWARF of Debian's
	 * go1.19.8.
	 */
	{ "table: go1.19", { 48, 8 }, { 64, 8 }, { 72, 4 }, { 176, 4 }, U, U, { 2472, 4 }, { 0, 4 },
		{ 8, 8 }, { 7704, 4 }, { 7708, 4 }, { 3600, 8 }, { 3592, 8 }, { 7736, 1 } },
	/*
	 * go1.20, golang/go de4748c47c67 ("[release-branch.go1.20] go1.20"):
	 * schedt's goidgen, lastpoll, pollUntil, ngsys, npidle, nmspinning
	 * become atomic types of the same sizes, and needspinning before runq
	 * puts gFree.n at 184; p, gcControllerState and mstats as in 1.19.
	 */
	{ "table: go1.20", { 48, 8 }, { 64, 8 }, { 72, 4 }, { 184, 4 }, U, U, { 2472, 4 }, { 0, 4 },
		{ 8, 8 }, { 7704, 4 }, { 7708, 4 }, { 3600, 8 }, { 3592, 8 }, { 7736, 1 } },
	/* go1.21.0, golang/go c19c4c566c63: the prefixes of 1.20, unchanged. */
	{ "table: go1.21", { 48, 8 }, { 64, 8 }, { 72, 4 }, { 184, 4 }, U, U, { 2472, 4 }, { 0, 4 },
		{ 8, 8 }, { 7704, 4 }, { 7708, 4 }, { 3600, 8 }, { 3592, 8 }, { 7736, 1 } },
	/* go1.22.0, golang/go a10e42f219ab: the prefixes of 1.20, unchanged. */
	{ "table: go1.22", { 48, 8 }, { 64, 8 }, { 72, 4 }, { 184, 4 }, U, U, { 2472, 4 }, { 0, 4 },
		{ 8, 8 }, { 7704, 4 }, { 7708, 4 }, { 3600, 8 }, { 3592, 8 }, { 7736, 1 } },
	/*
	 * go1.23.0, golang/go 6885bad7dd86: sysmontick is 24 bytes, so p's
	 * runq 400, runnext 2448, gFree 2456, gFree.n 2464 (atomic types now in
	 * internal/runtime/atomic, same layout); the rest as in 1.22.
	 */
	{ "table: go1.23", { 48, 8 }, { 64, 8 }, { 72, 4 }, { 184, 4 }, U, U, { 2464, 4 }, { 0, 4 },
		{ 8, 8 }, { 7704, 4 }, { 7708, 4 }, { 3600, 8 }, { 3592, 8 }, { 7736, 1 } },
	/*
	 * go1.24.0, golang/go 3901409b5d0f (spinbitmutex on by default: mutex
	 * is still {lockRankStruct; key uintptr}): as in 1.23.
	 */
	{ "table: go1.24", { 48, 8 }, { 64, 8 }, { 72, 4 }, { 184, 4 }, U, U, { 2464, 4 }, { 0, 4 },
		{ 8, 8 }, { 7704, 4 }, { 7708, 4 }, { 3600, 8 }, { 3592, 8 }, { 7736, 1 } },
	/*
	 * go1.25.0, golang/go 6e676ab2b809: schedt gains pollingNet
	 * atomic.Int32 24 after pollUntil, so lock 32, midle 40, nmidle,
	 * nmidlelocked 48, 52, mnext 56, maxmcount, nmsys 64, 68, nmfreed 72,
	 * ngsys 80, pidle 88, npidle, nmspinning, needspinning 96, 100, 104. gList
	 * is now {head guintptr; size int32} (16 bytes) and gQueue {head, tail
	 * guintptr; size int32} (24): runq 112, runqsize gone, disable
	 * struct{user bool; runnable gQueue} 136 (32), gFree struct{lock mutex;
	 * stack, noStack gList} 168 with no n: stack.size 176+8 = 184,
	 * noStack.size 192+8 = 200. p.gFree is a plain gList at 2456 (p's prefix
	 * as in 1.24), its size at 2464: that is p_gfree_n here. mstats:
	 * heapStatsDelta lost inPtrScalarBits, so heapStats is 3520 and
	 * last_gc_unix 3568, pause_total_ns 3576, numgc, numforcedgc 7680, 7684,
	 * and lastScanStats [68]sizeClassScanStats (544) at 7712 puts enablegc at
	 * 8256. gcControllerState as in 1.24.
	 */
	{ "table: go1.25", { 56, 8 }, { 72, 8 }, { 80, 4 }, U, { 184, 4 }, { 200, 4 }, { 2464, 4 },
		{ 0, 4 }, { 8, 8 }, { 7680, 4 }, { 7684, 4 }, { 3576, 8 }, { 3568, 8 },
		{ 8256, 1 } },
};

int rt_table_layout(int minor, struct rt_layout *l)
{
	const struct row *r;

	if (minor < RT_TABLE_FIRST_MINOR || minor > RT_TABLE_LAST_MINOR)
		return -ENOENT;
	r = &rows[minor - RT_TABLE_FIRST_MINOR];
	rt_layout_init(l);
	l->sched_mnext = r->mnext;
	l->sched_nmfreed = r->nmfreed;
	l->sched_ngsys = r->ngsys;
	l->sched_gfree_n = r->sched_gfree_n;
	l->sched_gfree_stack_size = r->gfree_stack_size;
	l->sched_gfree_nostack_size = r->gfree_nostack_size;
	l->p_gfree_n = r->p_gfree_n;
	l->gc_percent = r->gc_percent;
	l->gc_memory_limit = r->memory_limit;
	l->ms_numgc = r->numgc;
	l->ms_numforcedgc = r->numforcedgc;
	l->ms_pause_total_ns = r->pause_total_ns;
	l->ms_last_gc_unix = r->last_gc_unix;
	l->ms_enablegc = r->enablegc;
	l->source = r->source;
	return 0;
}
