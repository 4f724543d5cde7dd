// SPDX-License-Identifier: MIT
/*
 * The table of Go releases, the goroutine dump's half (amd64): where the
 * fields of runtime.g (with its stack and its gobuf sched) and runtime.m
 * that a goroutine dump reads sit in each release from Go 1.17 to 1.27.
 * rt_table_layout (table.c) fills them from these rows.
 *
 * Made as the rows of table.c (see there): the same release sources (to
 * 1.25 the commit tagged in golang/go, for 1.26 and 1.27 Debian sid's
 * golang-1.26-src and golang-1.27-src), the same go/types program and amd64
 * rules, from src/runtime/runtime2.go, which has g, m, gobuf and stack.
 * stack is {lo, hi uintptr}; gobuf {sp, pc, g, ctxt, ret, lr, bp} (all
 * 8 bytes; ret is gone from 1.25); atomicstatus a uint32 (atomic.Uint32 from
 * 1.20), goid an int64 (uint64 from 1.20), waitreason a waitReason (uint8),
 * lockedm a muintptr, the rest uintptr, int64 or pointers. A release lacks
 * syscallbp before 1.23 and parentGoid before 1.21.
 *
 * The point releases were checked where their sources could be had:
 * golang/go's release tags and release-branch commits as cockroachdb/go
 * mirrors them (tags to go1.23.4, release-branch.go1.23 to go1.23.12,
 * release-branch.go1.24 to go1.24.5), and Debian's golang-1.25-src
 * 1.25.12. m.alllink moved within 1.23 and is left out of the 1.23 and 1.24
 * rows; nothing else moved.
 *
 * Checked against DWARF: the go1.17, go1.19 and go1.20 rows equal the DWARF
 * of the fixtures tests/unit/test_rt_table.c compares them with, the go1.26
 * and go1.27 rows that of executables built by Debian's go1.26.10 and
 * go1.27.3 (the test has those values).
 */
#include <stddef.h>

#include "goruntime/table_g.h"

/* Go 1.26 and 1.27 lay g and m out alike: one list for both rows. */
#define GO126_G_LAYOUT                                                                             \
	.g_stack_lo = { 0, 8 }, .g_stack_hi = { 8, 8 }, .g_m = { 48, 8 }, .g_sched_sp = { 56, 8 }, \
	.g_sched_pc = { 64, 8 }, .g_sched_bp = { 96, 8 }, .g_syscallsp = { 104, 8 },               \
	.g_syscallpc = { 112, 8 }, .g_syscallbp = { 120, 8 }, .g_atomicstatus = { 144, 4 },        \
	.g_goid = { 152, 8 }, .g_waitsince = { 168, 8 }, .g_waitreason = { 176, 1 },               \
	.g_lockedm = { 208, 8 }, .g_parent_goid = { 280, 8 }, .g_gopc = { 288, 8 },                \
	.g_startpc = { 304, 8 }, .m_procid = { 64, 8 }, .m_curg = { 184, 8 },                      \
	.m_alllink = { 352, 8 }

static const struct rt_layout rows[RT_TABLE_LAST_MINOR - RT_TABLE_FIRST_MINOR + 1] = {
	/*
	 * go1.17, golang/go ec5170397c72. g: stack 0 (lo, hi), m 48, sched 56
	 * (gobuf: sp, pc, g, ctxt, ret, lr, bp; 56 bytes, so bp at 104),
	 * syscallsp, syscallpc 112, 120, atomicstatus uint32 144, goid int64
	 * 152, waitsince int64 168, waitreason (uint8) 176, lockedm 232, gopc
	 * 296, startpc 312 (ancestors between). m: procid uint64 72 (after g0,
	 * morebuf gobuf and divmod), curg 192, alllink 344. go1.17.13 only adds
	 * a comment to runtime2.go. Equal to the DWARF of a go1.17.2 executable.
	 */
	[17 - RT_TABLE_FIRST_MINOR] = {
		.g_stack_lo = { 0, 8 },
		.g_stack_hi = { 8, 8 },
		.g_m = { 48, 8 },
		.g_sched_sp = { 56, 8 },
		.g_sched_pc = { 64, 8 },
		.g_sched_bp = { 104, 8 },
		.g_syscallsp = { 112, 8 },
		.g_syscallpc = { 120, 8 },
		.g_atomicstatus = { 144, 4 },
		.g_goid = { 152, 8 },
		.g_waitsince = { 168, 8 },
		.g_waitreason = { 176, 1 },
		.g_lockedm = { 232, 8 },
		.g_gopc = { 296, 8 },
		.g_startpc = { 312, 8 },
		.m_procid = { 72, 8 },
		.m_curg = { 192, 8 },
		.m_alllink = { 344, 8 },
	},
	/*
	 * go1.18, golang/go 4aa1efed4853: g as in 1.17; m.fastrand became a
	 * uint64 and doesPark went away, so alllink 336. go1.18.10 adds a
	 * padding uint32 after m.divmod that moves nothing (procid stays 72).
	 */
	[18 - RT_TABLE_FIRST_MINOR] = {
		.g_stack_lo = { 0, 8 },
		.g_stack_hi = { 8, 8 },
		.g_m = { 48, 8 },
		.g_sched_sp = { 56, 8 },
		.g_sched_pc = { 64, 8 },
		.g_sched_bp = { 104, 8 },
		.g_syscallsp = { 112, 8 },
		.g_syscallpc = { 120, 8 },
		.g_atomicstatus = { 144, 4 },
		.g_goid = { 152, 8 },
		.g_waitsince = { 168, 8 },
		.g_waitreason = { 176, 1 },
		.g_lockedm = { 232, 8 },
		.g_gopc = { 296, 8 },
		.g_startpc = { 312, 8 },
		.m_procid = { 72, 8 },
		.m_curg = { 192, 8 },
		.m_alllink = { 336, 8 },
	},
	/*
	 * go1.19, golang/go 43456202a1e5: g and the fields of m as in 1.18
	 * (go1.19.13 as go1.18.10). Equal to the DWARF of Debian's go1.19.8.
	 */
	[19 - RT_TABLE_FIRST_MINOR] = {
		.g_stack_lo = { 0, 8 },
		.g_stack_hi = { 8, 8 },
		.g_m = { 48, 8 },
		.g_sched_sp = { 56, 8 },
		.g_sched_pc = { 64, 8 },
		.g_sched_bp = { 104, 8 },
		.g_syscallsp = { 112, 8 },
		.g_syscallpc = { 120, 8 },
		.g_atomicstatus = { 144, 4 },
		.g_goid = { 152, 8 },
		.g_waitsince = { 168, 8 },
		.g_waitreason = { 176, 1 },
		.g_lockedm = { 232, 8 },
		.g_gopc = { 296, 8 },
		.g_startpc = { 312, 8 },
		.m_procid = { 72, 8 },
		.m_curg = { 192, 8 },
		.m_alllink = { 336, 8 },
	},
	/*
	 * go1.20, golang/go de4748c47c67: atomicstatus became atomic.Uint32 and
	 * goid a uint64, both in place; the rest as in 1.19. Equal to the DWARF
	 * of a go1.20.3 executable. No change to runtime2.go up to go1.20.14.
	 */
	[20 - RT_TABLE_FIRST_MINOR] = {
		.g_stack_lo = { 0, 8 },
		.g_stack_hi = { 8, 8 },
		.g_m = { 48, 8 },
		.g_sched_sp = { 56, 8 },
		.g_sched_pc = { 64, 8 },
		.g_sched_bp = { 104, 8 },
		.g_syscallsp = { 112, 8 },
		.g_syscallpc = { 120, 8 },
		.g_atomicstatus = { 144, 4 },
		.g_goid = { 152, 8 },
		.g_waitsince = { 168, 8 },
		.g_waitreason = { 176, 1 },
		.g_lockedm = { 232, 8 },
		.g_gopc = { 296, 8 },
		.g_startpc = { 312, 8 },
		.m_procid = { 72, 8 },
		.m_curg = { 192, 8 },
		.m_alllink = { 336, 8 },
	},
	/*
	 * go1.21.0, golang/go c19c4c566c63: g loses sysexitticks, traceseq and
	 * tracelastp (24 bytes, now in gTraceState) before lockedm: lockedm 208;
	 * parentGoid uint64 comes after sigpc at 272, gopc 280, startpc 296.
	 * No change to runtime2.go up to go1.21.13.
	 */
	[21 - RT_TABLE_FIRST_MINOR] = {
		.g_stack_lo = { 0, 8 },
		.g_stack_hi = { 8, 8 },
		.g_m = { 48, 8 },
		.g_sched_sp = { 56, 8 },
		.g_sched_pc = { 64, 8 },
		.g_sched_bp = { 104, 8 },
		.g_syscallsp = { 112, 8 },
		.g_syscallpc = { 120, 8 },
		.g_atomicstatus = { 144, 4 },
		.g_goid = { 152, 8 },
		.g_waitsince = { 168, 8 },
		.g_waitreason = { 176, 1 },
		.g_lockedm = { 208, 8 },
		.g_parent_goid = { 272, 8 },
		.g_gopc = { 280, 8 },
		.g_startpc = { 296, 8 },
		.m_procid = { 72, 8 },
		.m_curg = { 192, 8 },
		.m_alllink = { 336, 8 },
	},
	/*
	 * go1.22.0, golang/go a10e42f219ab: g's new bools (inMarkAssist, coroexit,
	 * nocgocallback) fill the padding before trackingStamp: g as in 1.21;
	 * m loses fastrand (uint64): alllink 328. runtime2.go is the same to
	 * go1.22.12.
	 */
	[22 - RT_TABLE_FIRST_MINOR] = {
		.g_stack_lo = { 0, 8 },
		.g_stack_hi = { 8, 8 },
		.g_m = { 48, 8 },
		.g_sched_sp = { 56, 8 },
		.g_sched_pc = { 64, 8 },
		.g_sched_bp = { 104, 8 },
		.g_syscallsp = { 112, 8 },
		.g_syscallpc = { 120, 8 },
		.g_atomicstatus = { 144, 4 },
		.g_goid = { 152, 8 },
		.g_waitsince = { 168, 8 },
		.g_waitreason = { 176, 1 },
		.g_lockedm = { 208, 8 },
		.g_parent_goid = { 272, 8 },
		.g_gopc = { 280, 8 },
		.g_startpc = { 296, 8 },
		.m_procid = { 72, 8 },
		.m_curg = { 192, 8 },
		.m_alllink = { 328, 8 },
	},
	/*
	 * go1.23.0, golang/go 6885bad7dd86: syscallbp uintptr after syscallpc at
	 * 128 moves the later fields 8 on: atomicstatus 152, goid 160, waitsince
	 * 176, waitreason 184, lockedm 216, parentGoid 280, gopc 288, startpc
	 * 304. m.alllink is left out: 328 in go1.23.0, but release-branch.go1.23
	 * 317a3c130e ("runtime: stash allpSnapshot on the M", golang/go#74414,
	 * after go1.23.11) puts a []*p before it, at 352. The other fields stay
	 * where they are up to that commit (and through go1.23.4's tag).
	 */
	[23 - RT_TABLE_FIRST_MINOR] = {
		.g_stack_lo = { 0, 8 },
		.g_stack_hi = { 8, 8 },
		.g_m = { 48, 8 },
		.g_sched_sp = { 56, 8 },
		.g_sched_pc = { 64, 8 },
		.g_sched_bp = { 104, 8 },
		.g_syscallsp = { 112, 8 },
		.g_syscallpc = { 120, 8 },
		.g_syscallbp = { 128, 8 },
		.g_atomicstatus = { 152, 4 },
		.g_goid = { 160, 8 },
		.g_waitsince = { 176, 8 },
		.g_waitreason = { 184, 1 },
		.g_lockedm = { 216, 8 },
		.g_parent_goid = { 280, 8 },
		.g_gopc = { 288, 8 },
		.g_startpc = { 304, 8 },
		.m_procid = { 72, 8 },
		.m_curg = { 192, 8 },
	},
	/*
	 * go1.24.0, golang/go 3901409b5d0f: g as in 1.23 (fipsIndicator takes
	 * padding after lockedm); m.g0StackAccurate takes padding. m.alllink is
	 * left out as in 1.23: 328 in go1.24.0 and on release-branch.go1.24 up
	 * to cc604130c8 (June 2025), but the allpSnapshot fix that moved it in
	 * 1.23 may come in a later go1.24 point release, which could not be
	 * checked here.
	 */
	[24 - RT_TABLE_FIRST_MINOR] = {
		.g_stack_lo = { 0, 8 },
		.g_stack_hi = { 8, 8 },
		.g_m = { 48, 8 },
		.g_sched_sp = { 56, 8 },
		.g_sched_pc = { 64, 8 },
		.g_sched_bp = { 104, 8 },
		.g_syscallsp = { 112, 8 },
		.g_syscallpc = { 120, 8 },
		.g_syscallbp = { 128, 8 },
		.g_atomicstatus = { 152, 4 },
		.g_goid = { 160, 8 },
		.g_waitsince = { 176, 8 },
		.g_waitreason = { 184, 1 },
		.g_lockedm = { 216, 8 },
		.g_parent_goid = { 280, 8 },
		.g_gopc = { 288, 8 },
		.g_startpc = { 304, 8 },
		.m_procid = { 72, 8 },
		.m_curg = { 192, 8 },
	},
	/*
	 * go1.25.0, golang/go 6e676ab2b809: gobuf loses ret (48 bytes): sched.bp
	 * at 56 + 40 = 96 and g's later fields 8 back: syscallsp 104, syscallpc
	 * 112, syscallbp 120, atomicstatus 144, goid 152, waitsince 168,
	 * waitreason 176, lockedm 208, parentGoid 272, gopc 280, startpc 296.
	 * m: morebuf shrinks too, procid 64, curg 184; allpSnapshot (24 bytes)
	 * is in go1.25.0: alllink 344. Debian's golang-1.25-src 1.25.12-1~bpo13+1
	 * has the same runtime2.go.
	 */
	[25 - RT_TABLE_FIRST_MINOR] = {
		.g_stack_lo = { 0, 8 },
		.g_stack_hi = { 8, 8 },
		.g_m = { 48, 8 },
		.g_sched_sp = { 56, 8 },
		.g_sched_pc = { 64, 8 },
		.g_sched_bp = { 96, 8 },
		.g_syscallsp = { 104, 8 },
		.g_syscallpc = { 112, 8 },
		.g_syscallbp = { 120, 8 },
		.g_atomicstatus = { 144, 4 },
		.g_goid = { 152, 8 },
		.g_waitsince = { 168, 8 },
		.g_waitreason = { 176, 1 },
		.g_lockedm = { 208, 8 },
		.g_parent_goid = { 272, 8 },
		.g_gopc = { 280, 8 },
		.g_startpc = { 296, 8 },
		.m_procid = { 64, 8 },
		.m_curg = { 184, 8 },
		.m_alllink = { 344, 8 },
	},
	/*
	 * go1.26.10, Debian golang-1.26-src 1.26.10-1: g gains fipsOnlyBypass
	 * and ditWanted (bools) and secret (int32) around sig: parentGoid 280,
	 * gopc 288, startpc 304, the fields before as in 1.25; m gains
	 * signalSecret (uint32, padded to 8) after caughtsig: alllink 352. Equal to
	 * the DWARF of go1.26.10 executables.
	 */
	[26 - RT_TABLE_FIRST_MINOR] = {
		GO126_G_LAYOUT,
	},
	/*
	 * go1.27.3, Debian golang-1.27-src 1.27.3-1: g, gobuf and the fields of
	 * m as in 1.26. Equal to the DWARF of go1.27.3 executables.
	 */
	[27 - RT_TABLE_FIRST_MINOR] = {
		GO126_G_LAYOUT,
	},
};

const struct rt_layout *rt_table_g_row(int minor)
{
	if (minor < RT_TABLE_FIRST_MINOR || minor > RT_TABLE_LAST_MINOR)
		return NULL;
	return &rows[minor - RT_TABLE_FIRST_MINOR];
}
