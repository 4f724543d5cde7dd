// SPDX-License-Identifier: MIT
/*
 * The table of Go releases (goruntime/table.c): its go1.19 row is what the
 * DWARF of Debian's Go 1.19 says, each row agrees with the DWARF of the
 * fixtures built by its release in every field, the rows from 1.19 on have
 * every field, there is no row outside 1.17..1.27, and every row keeps the
 * fields in the order the structs have them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "buildinfo_helpers.h"
#include "goruntime/layout_dwarf.h"
#include "goruntime/table.h"
#include "harness.h"

#define CHECK_FIELD(f, o, s)                                                                       \
	do {                                                                                       \
		CHECK_INT((f).off, (o));                                                           \
		CHECK_INT((f).size, (s));                                                          \
	} while (0)

static int known(struct rt_field f)
{
	return f.off >= 0;
}

TEST(test_rt_table_go119_row_is_the_dwarf_of_debian_go119)
{
	struct rt_layout l;

	/*
	 * Read from build/fixtures/sleeper (Debian's go1.19.8) with
	 * gdb -batch -ex 'set language c' -ex "ptype/o struct 'runtime.schedt'"
	 * (and runtime.p, gcControllerState, mstats, consistentHeapStats,
	 * heapStatsDelta, mheap, mcache, mspan, g, gobuf, m).
	 */
	CHECK_INT(rt_table_layout(19, &l), 0);
	CHECK_FIELD(l.sched_mnext, 48, 8);
	CHECK_FIELD(l.sched_nmfreed, 64, 8);
	CHECK_FIELD(l.sched_ngsys, 72, 4);
	CHECK_FIELD(l.sched_gfree_n, 176, 4);
	CHECK_FIELD(l.p_gfree_n, 2472, 4); /* p.gFree at 2464, its n 8 bytes in */
	CHECK_FIELD(l.gc_percent, 0, 4);
	CHECK_FIELD(l.gc_memory_limit, 8, 8);
	CHECK_FIELD(l.ms_numgc, 7704, 4);
	CHECK_FIELD(l.ms_numforcedgc, 7708, 4);
	CHECK_FIELD(l.ms_pause_total_ns, 3600, 8);
	CHECK_FIELD(l.ms_last_gc_unix, 3592, 8);
	CHECK_FIELD(l.ms_enablegc, 7736, 1);
	CHECK(!known(l.sched_gfree_stack_size));
	CHECK(!known(l.sched_gfree_nostack_size));
	CHECK_FIELD(l.gc_heap_inuse, 304, 8);
	CHECK_FIELD(l.gc_heap_released, 312, 8);
	CHECK_FIELD(l.gc_heap_free, 320, 8);
	CHECK_FIELD(l.gc_percent_heap_goal, 104, 8);
	CHECK_FIELD(l.gc_sweep_dist_min_trigger, 112, 8);
	CHECK_FIELD(l.gc_triggered, 120, 8);
	CHECK_FIELD(l.ms_heap_stats, 0, 3544);
	CHECK_FIELD(l.ms_stacks_sys, 3544, 8);
	CHECK_FIELD(l.ms_mspan_sys, 3552, 8);
	CHECK_FIELD(l.ms_mcache_sys, 3560, 8);
	CHECK_FIELD(l.ms_buckhash_sys, 3568, 8);
	CHECK_FIELD(l.ms_gc_misc_sys, 3576, 8);
	CHECK_FIELD(l.ms_other_sys, 3584, 8);
	CHECK_FIELD(l.ms_pause_ns, 3608, 2048);
	CHECK_FIELD(l.ms_pause_end, 5656, 2048);
	CHECK_FIELD(l.ms_gc_cpu_fraction, 7712, 8);
	CHECK_FIELD(l.chs_stats, 0, 3528);
	CHECK_INT(l.hsd_size, 1176);
	CHECK_INT(l.num_size_classes, 68);
	CHECK_FIELD(l.hsd_in_stacks, 24, 8);
	CHECK_FIELD(l.hsd_in_work_bufs, 32, 8);
	CHECK_FIELD(l.hsd_in_ptr_scalar_bits, 40, 8);
	CHECK_FIELD(l.hsd_tiny_alloc_count, 48, 8);
	CHECK_FIELD(l.hsd_large_alloc, 56, 8);
	CHECK_FIELD(l.hsd_large_alloc_count, 64, 8);
	CHECK_FIELD(l.hsd_small_alloc_count, 72, 544);
	CHECK_FIELD(l.hsd_large_free, 616, 8);
	CHECK_FIELD(l.hsd_large_free_count, 624, 8);
	CHECK_FIELD(l.hsd_small_free_count, 632, 544);
	CHECK_FIELD(l.mheap_spanalloc_inuse, 92272, 8);
	CHECK_FIELD(l.mheap_cachealloc_inuse, 92344, 8);
	CHECK_FIELD(l.p_mcache, 64, 8);
	CHECK_FIELD(l.mcache_alloc, 40, 1088);
	CHECK_FIELD(l.mcache_tiny_allocs, 32, 8);
	CHECK_FIELD(l.mspan_alloc_count, 96, 2);
	CHECK_FIELD(l.mspan_alloc_count_before_cache, 102, 2);
	CHECK_FIELD(l.g_stack_lo, 0, 8);
	CHECK_FIELD(l.g_stack_hi, 8, 8);
	CHECK_FIELD(l.g_m, 48, 8);
	CHECK_FIELD(l.g_sched_sp, 56, 8);
	CHECK_FIELD(l.g_sched_pc, 64, 8);
	CHECK_FIELD(l.g_sched_bp, 104, 8); /* gobuf: sp pc g ctxt ret lr bp */
	CHECK_FIELD(l.g_syscallsp, 112, 8);
	CHECK_FIELD(l.g_syscallpc, 120, 8);
	CHECK(!known(l.g_syscallbp));
	CHECK_FIELD(l.g_atomicstatus, 144, 4);
	CHECK_FIELD(l.g_goid, 152, 8);
	CHECK_FIELD(l.g_waitsince, 168, 8);
	CHECK_FIELD(l.g_waitreason, 176, 1);
	CHECK_FIELD(l.g_lockedm, 232, 8);
	CHECK(!known(l.g_parent_goid));
	CHECK_FIELD(l.g_gopc, 296, 8);
	CHECK_FIELD(l.g_startpc, 312, 8);
	CHECK_FIELD(l.m_procid, 72, 8);
	CHECK_FIELD(l.m_curg, 192, 8);
	CHECK_FIELD(l.m_alllink, 336, 8);
	CHECK_STR(l.source, "table: go1.19");
}

TEST(test_rt_table_no_row_outside_go117_to_go127)
{
	static const int minors[] = { 16, 28, 29, -1, 0, 1, 100, INT_MIN, INT_MAX };
	struct rt_layout l;

	for (size_t i = 0; i < sizeof(minors) / sizeof(minors[0]); i++) {
		memset(&l, 0x5a, sizeof(l));
		CHECK_INT(rt_table_layout(minors[i], &l), -ENOENT);
		CHECK_INT(l.sched_mnext.off, 0x5a5a5a5a); /* left alone */
	}
	for (int m = RT_TABLE_FIRST_MINOR; m <= RT_TABLE_LAST_MINOR; m++)
		CHECK_INT(rt_table_layout(m, &l), 0);
}

/* Fields a release does not have, or that meant something else, stay unknown. */
TEST(test_rt_table_fills_only_what_the_release_has)
{
	struct rt_layout l;

	for (int m = 17; m <= 18; m++) {
		memset(&l, 0, sizeof(l));
		CHECK_INT(rt_table_layout(m, &l), 0);
		/* the heap counters were mstats.heap_inuse and others before 1.19 */
		CHECK_INT(l.gc_heap_inuse.off, RT_UNKNOWN);
		CHECK_INT(l.gc_heap_free.off, RT_UNKNOWN);
		CHECK_INT(l.gc_heap_released.off, RT_UNKNOWN);
		CHECK_INT(l.gc_percent_heap_goal.off, RT_UNKNOWN);
		CHECK_INT(l.gc_sweep_dist_min_trigger.off, RT_UNKNOWN);
		CHECK_INT(l.gc_triggered.off, RT_UNKNOWN);
		/* counted at refill, not when the span leaves the mcache */
		CHECK_INT(l.hsd_small_alloc_count.off, RT_UNKNOWN);
		CHECK_INT(l.mspan_alloc_count_before_cache.off, RT_UNKNOWN);
		/* what means the same is there */
		CHECK(known(l.ms_heap_stats) && known(l.hsd_small_free_count));
		CHECK(known(l.mheap_spanalloc_inuse) && known(l.mspan_alloc_count));
		CHECK_INT(l.hsd_size, 1184); /* padded: it ends in _ [0]uint32 */
	}
	for (int m = 25; m <= 27; m++) {
		CHECK_INT(rt_table_layout(m, &l), 0);
		CHECK_INT(l.hsd_in_ptr_scalar_bits.off, RT_UNKNOWN); /* gone in 1.25 */
		CHECK_INT(l.hsd_size, 1168);
	}
	for (int m = 19; m <= 24; m++) {
		CHECK_INT(rt_table_layout(m, &l), 0);
		CHECK_FIELD(l.hsd_in_ptr_scalar_bits, 40, 8);
	}
}

/*
 * Every field of every row from 1.19 on (the heap stats need them all), but
 * for the ones a release does not have, and m.alllink, which moved within
 * 1.23 (and may have within 1.24).
 */
TEST(test_rt_table_go119_on_rows_are_whole)
{
	struct rt_layout l;

	for (int m = 19; m <= RT_TABLE_LAST_MINOR; m++) {
		int missing = 0;

		CHECK_INT(rt_table_layout(m, &l), 0);
#define RT_FIELD_MISSING(fname, type, mpath)                                                       \
	if (!known(l.fname) && strcmp(#fname, "sched_gfree_n") != 0 &&                             \
		strcmp(#fname, "sched_gfree_stack_size") != 0 &&                                   \
		strcmp(#fname, "sched_gfree_nostack_size") != 0 &&                                 \
		(m < 25 || strcmp(#fname, "hsd_in_ptr_scalar_bits") != 0) &&                       \
		(m >= 21 || strcmp(#fname, "g_parent_goid") != 0) &&                               \
		(m >= 23 || strcmp(#fname, "g_syscallbp") != 0) &&                                 \
		((m != 23 && m != 24) || strcmp(#fname, "m_alllink") != 0)) {                      \
		harness_fail(__FILE__, __LINE__, "go1.%d: no %s %s", m, type, mpath);              \
		missing++;                                                                         \
	}
		RT_LAYOUT_FIELDS(RT_FIELD_MISSING)
#undef RT_FIELD_MISSING
		CHECK_INT(missing, 0);
		CHECK_INT(l.num_size_classes, 68);
		CHECK(l.hsd_size > 0);
	}
}

static void check_order(int m, const struct rt_field *f, size_t n)
{
	int32_t end = 0;

	for (size_t i = 0; i < n; i++) {
		if (!known(f[i])) {
			CHECK_INT(f[i].size, 0);
			continue;
		}
		if (f[i].off < end || (f[i].size != 1 && f[i].size != 4 && f[i].size != 8) ||
			f[i].off % f[i].size != 0)
			harness_fail(__FILE__, __LINE__,
				"go1.%d: field %zu at %d (size %d) is out of order or misaligned",
				m, i, f[i].off, f[i].size);
		end = f[i].off + f[i].size;
	}
}

TEST(test_rt_table_rows_keep_the_structs_order)
{
	struct rt_layout l;
	char want[32];

	for (int m = RT_TABLE_FIRST_MINOR; m <= RT_TABLE_LAST_MINOR; m++) {
		CHECK_INT(rt_table_layout(m, &l), 0);
		snprintf(want, sizeof(want), "table: go1.%d", m);
		CHECK_STR(l.source, want);

		struct rt_field sched[] = { l.sched_mnext, l.sched_nmfreed, l.sched_ngsys,
			l.sched_gfree_n, l.sched_gfree_stack_size, l.sched_gfree_nostack_size };
		struct rt_field gc[] = { l.gc_percent, l.gc_memory_limit };
		struct rt_field ms[] = { l.ms_last_gc_unix, l.ms_pause_total_ns, l.ms_numgc,
			l.ms_numforcedgc, l.ms_enablegc };

		check_order(m, sched, sizeof(sched) / sizeof(sched[0]));
		check_order(m, gc, sizeof(gc) / sizeof(gc[0]));
		check_order(m, ms, sizeof(ms) / sizeof(ms[0]));
		struct rt_field g[] = { l.g_stack_lo, l.g_stack_hi, l.g_m, l.g_sched_sp,
			l.g_sched_pc, l.g_sched_bp, l.g_syscallsp, l.g_syscallpc, l.g_syscallbp,
			l.g_atomicstatus, l.g_goid, l.g_waitsince, l.g_waitreason, l.g_lockedm,
			l.g_parent_goid, l.g_gopc, l.g_startpc };
		struct rt_field mm[] = { l.m_procid, l.m_curg, l.m_alllink };

		check_order(m, g, sizeof(g) / sizeof(g[0]));
		check_order(m, mm, sizeof(mm) / sizeof(mm[0]));
		/* stack is {lo, hi} at 0; sched.sp and sched.pc are gobuf's first words */
		CHECK_FIELD(l.g_stack_lo, 0, 8);
		CHECK_INT(l.g_stack_hi.off, 8);
		CHECK_INT(l.g_sched_pc.off, l.g_sched_sp.off + 8);
		/* the gobuf has ret before lr and bp to 1.24 */
		CHECK_INT(l.g_sched_bp.off - l.g_sched_sp.off, m >= 25 ? 40 : 48);
		CHECK_INT(l.g_waitreason.size, 1);
		CHECK_INT(l.g_atomicstatus.size, 4);
		/* pause_ns and pause_end ([256]uint64 each) lie between pause_total_ns and numgc */
		if (known(l.ms_numgc))
			CHECK(l.ms_numgc.off >= l.ms_pause_total_ns.off + 8 + 2 * 256 * 8);
		/* p.gFree comes after runq [256]guintptr */
		if (known(l.p_gfree_n))
			CHECK(l.p_gfree_n.off > 2048 && l.p_gfree_n.size == 4);
		/* the dead Gs of sched: gFree.n, or (from 1.25) its two lists' sizes */
		CHECK(known(l.sched_gfree_n) != known(l.sched_gfree_stack_size));

		/* heapStats: stats [3]heapStatsDelta, gen uint32 (padded), noPLock mutex */
		CHECK_INT(l.chs_stats.size, 3 * l.hsd_size);
		CHECK_INT(l.ms_heap_stats.size, l.chs_stats.size + 16);
		CHECK_INT(l.hsd_small_free_count.size, 8 * l.num_size_classes);
		if (known(l.hsd_small_alloc_count))
			CHECK_INT(l.hsd_small_alloc_count.size, 8 * l.num_size_classes);
		CHECK(l.hsd_small_free_count.off + l.hsd_small_free_count.size <= l.hsd_size);
		struct rt_field hsd[] = { l.hsd_in_stacks, l.hsd_in_work_bufs,
			l.hsd_in_ptr_scalar_bits, l.hsd_tiny_alloc_count, l.hsd_large_alloc,
			l.hsd_large_alloc_count };
		check_order(m, hsd, sizeof(hsd) / sizeof(hsd[0]));
		CHECK_INT(l.mcache_alloc.size,
			2 * l.num_size_classes * 8); /* [numSpanClasses]*mspan */
		CHECK(l.mcache_tiny_allocs.off < l.mcache_alloc.off);
		CHECK_INT(l.mspan_alloc_count.size, 2);
		/* spanalloc and cachealloc: a fixalloc (72 bytes) apart, two from 1.26 */
		if (known(l.mheap_spanalloc_inuse) && known(l.mheap_cachealloc_inuse))
			CHECK_INT(l.mheap_cachealloc_inuse.off - l.mheap_spanalloc_inuse.off,
				m >= 26 ? 2 * 72 : 72);
	}
}

TEST(test_rt_table_fields_come_and_go_by_release)
{
	struct rt_layout l;

	CHECK_INT(rt_table_layout(18, &l), 0);
	CHECK(!known(l.gc_memory_limit)); /* memoryLimit is from 1.19 */
	CHECK_INT(rt_table_layout(17, &l), 0);
	CHECK_FIELD(l.p_gfree_n, 3592, 4); /* deferpool was [5][]*_defer */
	CHECK_INT(rt_table_layout(25, &l), 0);
	CHECK(!known(l.sched_gfree_n)); /* gFree.n is gone in 1.25 */
	CHECK_FIELD(l.sched_gfree_stack_size, 184, 4);
	CHECK_FIELD(l.sched_gfree_nostack_size, 200, 4);
	CHECK_FIELD(l.p_gfree_n, 2464, 4); /* p.gFree.size */
	/* g.parentGoid is from 1.21, g.syscallbp from 1.23 */
	for (int m = 17; m <= RT_TABLE_LAST_MINOR; m++) {
		CHECK_INT(rt_table_layout(m, &l), 0);
		CHECK(known(l.g_parent_goid) == (m >= 21));
		CHECK(known(l.g_syscallbp) == (m >= 23));
	}
	/*
	 * m.alllink: 328 in go1.23.0, 352 from go1.23.12 (allpSnapshot before it);
	 * 1.24's late point releases could not be checked
	 */
	for (int m = 23; m <= 24; m++) {
		CHECK_INT(rt_table_layout(m, &l), 0);
		CHECK(!known(l.m_alllink));
		CHECK_FIELD(l.m_curg, 192, 8); /* before the allpSnapshot: stays */
	}
	CHECK_INT(rt_table_layout(21, &l), 0);
	CHECK_FIELD(l.g_lockedm, 208, 8); /* the trace fields left g for gTraceState */
	CHECK_FIELD(l.g_parent_goid, 272, 8);
	CHECK_INT(rt_table_layout(23, &l), 0);
	CHECK_FIELD(l.g_syscallbp, 128, 8);
	CHECK_FIELD(l.g_goid, 160, 8); /* 8 on, after syscallbp */
	CHECK_INT(rt_table_layout(25, &l), 0);
	CHECK_FIELD(l.g_sched_bp, 96, 8); /* gobuf lost ret */
	CHECK_FIELD(l.g_goid, 152, 8);
	CHECK_FIELD(l.m_procid, 64, 8); /* m.morebuf is a gobuf too */
	CHECK_FIELD(l.m_alllink, 344, 8);
	for (int m = 26; m <= 27; m++) {
		CHECK_INT(rt_table_layout(m, &l), 0);
		CHECK(!known(l.sched_gfree_n));
		CHECK(!known(l.hsd_in_ptr_scalar_bits));
		CHECK_FIELD(l.p_gfree_n, 2472, 4); /* p.oldm (8 bytes) came before gFree */
	}
}

/*
 * The go1.26 and go1.27 rows against the DWARF of go1.26.10 and go1.27.3
 * builds (Debian's golang-1.26-go 1.26.10-1 and golang-1.27-go 1.27.3-1;
 * rtfacts and sleeper, read with goruntime/layout_dwarf.c): no CI machine has
 * those compilers, so the values measured there are written here. Every
 * field of both rows was equal to that DWARF; these are the ones that moved
 * since 1.25, and the goroutine dump's fields of g and m.
 */
TEST(test_rt_table_go126_go127_rows_are_the_dwarf_of_their_builds)
{
	struct rt_layout l;
	char want[32];

	for (int m = 26; m <= 27; m++) {
		CHECK_INT(rt_table_layout(m, &l), 0);
		snprintf(want, sizeof(want), "table: go1.%d", m);
		CHECK_STR(l.source, want);
		/* schedt.midle became a listHeadManual (24 bytes); nGsyscallNoP after ngsys */
		CHECK_FIELD(l.sched_mnext, 72, 8);
		CHECK_FIELD(l.sched_nmfreed, 88, 8);
		CHECK_FIELD(l.sched_ngsys, 96, 4);
		CHECK_FIELD(l.sched_gfree_stack_size, 200, 4);
		CHECK_FIELD(l.sched_gfree_nostack_size, 216, 4);
		CHECK_FIELD(l.p_gfree_n, 2472, 4);
		CHECK_FIELD(l.p_mcache, 56, 8);
		CHECK_FIELD(l.gc_percent, 0, 4);
		CHECK_FIELD(l.gc_memory_limit, 8, 8);
		CHECK_FIELD(l.gc_heap_inuse, 272, 8);
		CHECK_FIELD(l.ms_last_gc_unix, 3568, 8);
		CHECK_FIELD(l.ms_numgc, 7680, 4);
		CHECK_FIELD(l.ms_gc_cpu_fraction, 7688, 8);
		/* the Green Tea GC's sizeClassScanStats: five uint64 per size class */
		CHECK_FIELD(l.ms_enablegc, 10432, 1);
		CHECK_FIELD(l.ms_heap_stats, 0, 3520);
		CHECK_FIELD(l.hsd_small_free_count, 624, 544);
		CHECK_INT(l.hsd_size, 1168);
		CHECK_INT(l.num_size_classes, 68);
		/* spanSPMCAlloc between spanalloc and cachealloc */
		CHECK_FIELD(l.mheap_spanalloc_inuse, 92368, 8);
		CHECK_FIELD(l.mheap_cachealloc_inuse, 92512, 8);
		CHECK_FIELD(l.mcache_alloc, 48, 1088);
		CHECK_FIELD(l.mspan_alloc_count_before_cache, 102, 2);
		/* g: as in 1.25 up to lockedm, then fipsOnlyBypass, ditWanted, secret */
		CHECK_FIELD(l.g_sched_bp, 96, 8);
		CHECK_FIELD(l.g_syscallbp, 120, 8);
		CHECK_FIELD(l.g_atomicstatus, 144, 4);
		CHECK_FIELD(l.g_goid, 152, 8);
		CHECK_FIELD(l.g_waitsince, 168, 8);
		CHECK_FIELD(l.g_waitreason, 176, 1);
		CHECK_FIELD(l.g_lockedm, 208, 8);
		CHECK_FIELD(l.g_parent_goid, 280, 8);
		CHECK_FIELD(l.g_gopc, 288, 8);
		CHECK_FIELD(l.g_startpc, 304, 8);
		/* m: signalSecret after caughtsig */
		CHECK_FIELD(l.m_procid, 64, 8);
		CHECK_FIELD(l.m_curg, 184, 8);
		CHECK_FIELD(l.m_alllink, 352, 8);
	}
}

/*
 * Every field the row knows equals what the fixture's own DWARF says, and
 * the row knows every field the DWARF has but the one named in left_out.
 */
static void check_against_dwarf(const char *name, int minor, const char *left_out)
{
	const char *path = fixture(name);
	struct rt_layout dw, tb;
	char why[160] = "";
	int fd, n = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		skip_missing(path);
		return;
	}
	rt_layout_init(&dw);
	CHECK_INT(rt_layout_from_dwarf(fd, &dw, why, sizeof(why)), 0);
	close(fd);
	CHECK_INT(rt_table_layout(minor, &tb), 0);
#define RT_FIELD_COMPARE(fname, type, mpath)                                                       \
	if (known(tb.fname)) {                                                                     \
		n++;                                                                               \
		if (tb.fname.off != dw.fname.off || tb.fname.size != dw.fname.size)                \
			harness_fail(__FILE__, __LINE__,                                           \
				"%s: %s %s at %d (size %d), the go1.%d row says %d (size %d)",     \
				name, type, mpath, dw.fname.off, dw.fname.size, minor,             \
				tb.fname.off, tb.fname.size);                                      \
	} else if (known(dw.fname) && strcmp(#fname, left_out) != 0) {                             \
		harness_fail(__FILE__, __LINE__, "%s: the go1.%d row lacks %s %s (DWARF: %d)",     \
			name, minor, type, mpath, dw.fname.off);                                   \
	}
	RT_LAYOUT_FIELDS(RT_FIELD_COMPARE)
#undef RT_FIELD_COMPARE
	CHECK_INT(tb.hsd_size, dw.hsd_size);
	CHECK_INT(tb.num_size_classes, dw.num_size_classes);
	CHECK(n >= 50); /* 55 in the go1.17 row, 64 in 1.19 and 1.20 */
}

TEST(test_rt_table_go119_row_matches_the_sleeper_dwarf)
{
	check_against_dwarf("sleeper", 19, ""); /* Debian's go1.19.8 */
}

TEST(test_rt_table_go117_row_matches_a_go1172_dwarf)
{
	check_against_dwarf("npm/buildifier-5.1.0", 17,
		"hsd_small_alloc_count"); /* built by go1.17.2, with DWARF */
}

TEST(test_rt_table_go120_row_matches_a_go1203_dwarf)
{
	check_against_dwarf("npm/buildifier-6.1.2", 20, ""); /* built by go1.20.3, with DWARF */
}

TEST(test_rt_table_a_toggled_green_tea_gc_leaves_enablegc_out)
{
	struct rt_layout l;

	CHECK_INT(rt_table_layout_of(26, "go1.26.10", &l), 0);
	CHECK(l.ms_enablegc.off >= 0);
	CHECK_INT(rt_table_layout_of(26, "go1.26.10 X:nogreenteagc", &l), 0);
	CHECK_INT(l.ms_enablegc.off, RT_UNKNOWN);
	CHECK(l.ms_numgc.off >= 0); /* the other fields stay */
	CHECK_INT(rt_table_layout_of(25, "go1.25.1 X:greenteagc", &l), 0);
	CHECK_INT(l.ms_enablegc.off, RT_UNKNOWN);
	CHECK_INT(rt_table_layout_of(-1, "devel", &l), -ENOENT);
}
