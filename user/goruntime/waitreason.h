/* SPDX-License-Identifier: MIT */
/*
 * The names a goroutine dump prints for a G's state, as the runtime of each
 * Go release from 1.17 to 1.27 names them: its status (runtime.g's
 * atomicstatus, named by gStatusStrings in src/runtime/traceback.go) and,
 * for a waiting G, its wait reason (g.waitreason, named by
 * waitReasonStrings in src/runtime/runtime2.go). Both arrays are globals of
 * the runtime (runtime.gStatusStrings, runtime.waitReasonStrings) with
 * symbols in an unstripped executable; these tables serve the stripped ones.
 *
 * goroutineheader (traceback.go) prints the status name, or the wait
 * reason's instead when the G is _Gwaiting (from 1.26 also _Gleaked) with a
 * reason other than 0; then ", N minutes" when it is waiting or in a
 * syscall since waitsince, and ", locked to thread" when lockedm is set.
 */
#ifndef GOPS_GORUNTIME_WAITREASON_H
#define GOPS_GORUNTIME_WAITREASON_H

#include <stdint.h>

/*
 * The _G values of g.atomicstatus (runtime2.go): 0 to 9 are the same in
 * every release from 1.17 to 1.27; 1.26 adds _Gleaked and _Gdeadextra. The
 * scan bit (0x1000 in every release) is or'ed into the others while the GC
 * scans the G's stack.
 */
enum rt_gstatus {
	RT_G_IDLE = 0,
	RT_G_RUNNABLE = 1,
	RT_G_RUNNING = 2,
	RT_G_SYSCALL = 3,
	RT_G_WAITING = 4,
	RT_G_MORIBUND_UNUSED = 5,
	RT_G_DEAD = 6,
	RT_G_ENQUEUE_UNUSED = 7,
	RT_G_COPYSTACK = 8,
	RT_G_PREEMPTED = 9,
	RT_G_LEAKED = 10,    /* from 1.26 */
	RT_G_DEADEXTRA = 11, /* from 1.26 */
	RT_G_SCAN = 0x1000,
};

/*
 * The name Go 1.minor prints for status, its scan bit dropped:
 * gStatusStrings[status], "" for the unused 5 and 7, "???" past the array's
 * end (as goroutineheader does); NULL outside 1.17..1.27.
 */
const char *rt_g_status(int minor, uint32_t status);

/*
 * waitReasonStrings[reason] of Go 1.minor ("chan receive"), "" for
 * waitReasonZero (0 in every release), "unknown wait reason" past the
 * array's end (as waitReason.String does); NULL outside 1.17..1.27.
 */
const char *rt_wait_reason(int minor, unsigned reason);

/* len(waitReasonStrings) in Go 1.minor; 0 outside 1.17..1.27. */
unsigned rt_wait_reason_count(int minor);

#endif
