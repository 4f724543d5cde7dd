// SPDX-License-Identifier: MIT
/*
 * gStatusStrings and waitReasonStrings of each Go release from 1.17 to 1.27,
 * in the order of the release's _G constants and waitReason enum
 * (src/runtime/runtime2.go; the strings are keyed by the enum's names, so
 * an array below is the enum in order, each name beside its string). From
 * the sources of table.c's rows: golang/go's release tags to go1.25.0
 * (1.17 ec5170397c72, 1.18 4aa1efed4853, 1.19 43456202a1e5, 1.20
 * de4748c47c67, 1.21.0 c19c4c566c63, 1.22.0 a10e42f219ab, 1.23.0
 * 6885bad7dd86, 1.24.0 3901409b5d0f, 1.25.0 6e676ab2b809), Debian's
 * golang-1.26-src 1.26.10-1 and golang-1.27-src 1.27.3-1.
 *
 * The point releases: the enum is the same to go1.17.13, go1.18.10,
 * go1.19.13, go1.20.14, go1.21.13 and go1.22.12; go1.23.4 appends
 * waitReasonGCWeakToStrongWait (release-branch.go1.23 d8adc6c4c7), which the
 * 1.23 array has (an earlier 1.23 never sets it); release-branch.go1.24 to
 * cc604130c8 (go1.24.5) and Debian's golang-1.25-src 1.25.12 keep the
 * enum of their .0.
 *
 * What changed: 1.20 drops waitReasonTimerGoroutineIdle and adds the
 * sync.Mutex and sync.RWMutex waits, GC worker (active), GC mark
 * termination and stopping the world; 1.22 appends five (flushing proc
 * caches to coroutine); 1.24 inserts sync.WaitGroup.Wait and appends the
 * weak-to-strong and synctest waits; 1.25 inserts the GOMAXPROCS updater,
 * renames the synctest waits "(durable)" and appends two; 1.26 regroups
 * them, same names: the channel and select waits together after sleep,
 * then the sync waits (which isSyncWait tests as one range).
 */
#include <stddef.h>

#include "goruntime/table.h"
#include "goruntime/waitreason.h"

static const char *const go117[] = {
	"",                        /* 0 waitReasonZero */
	"GC assist marking",       /* 1 waitReasonGCAssistMarking */
	"IO wait",                 /* 2 waitReasonIOWait */
	"chan receive (nil chan)", /* 3 waitReasonChanReceiveNilChan */
	"chan send (nil chan)",    /* 4 waitReasonChanSendNilChan */
	"dumping heap",            /* 5 waitReasonDumpingHeap */
	"garbage collection",      /* 6 waitReasonGarbageCollection */
	"garbage collection scan", /* 7 waitReasonGarbageCollectionScan */
	"panicwait",               /* 8 waitReasonPanicWait */
	"select",                  /* 9 waitReasonSelect */
	"select (no cases)",       /* 10 waitReasonSelectNoCases */
	"GC assist wait",          /* 11 waitReasonGCAssistWait */
	"GC sweep wait",           /* 12 waitReasonGCSweepWait */
	"GC scavenge wait",        /* 13 waitReasonGCScavengeWait */
	"chan receive",            /* 14 waitReasonChanReceive */
	"chan send",               /* 15 waitReasonChanSend */
	"finalizer wait",          /* 16 waitReasonFinalizerWait */
	"force gc (idle)",         /* 17 waitReasonForceGCIdle */
	"semacquire",              /* 18 waitReasonSemacquire */
	"sleep",                   /* 19 waitReasonSleep */
	"sync.Cond.Wait",          /* 20 waitReasonSyncCondWait */
	"timer goroutine (idle)",  /* 21 waitReasonTimerGoroutineIdle */
	"trace reader (blocked)",  /* 22 waitReasonTraceReaderBlocked */
	"wait for GC cycle",       /* 23 waitReasonWaitForGCCycle */
	"GC worker (idle)",        /* 24 waitReasonGCWorkerIdle */
	"preempted",               /* 25 waitReasonPreempted */
	"debug call",              /* 26 waitReasonDebugCall */
};

static const char *const go120[] = {
	"",                        /* 0 waitReasonZero */
	"GC assist marking",       /* 1 waitReasonGCAssistMarking */
	"IO wait",                 /* 2 waitReasonIOWait */
	"chan receive (nil chan)", /* 3 waitReasonChanReceiveNilChan */
	"chan send (nil chan)",    /* 4 waitReasonChanSendNilChan */
	"dumping heap",            /* 5 waitReasonDumpingHeap */
	"garbage collection",      /* 6 waitReasonGarbageCollection */
	"garbage collection scan", /* 7 waitReasonGarbageCollectionScan */
	"panicwait",               /* 8 waitReasonPanicWait */
	"select",                  /* 9 waitReasonSelect */
	"select (no cases)",       /* 10 waitReasonSelectNoCases */
	"GC assist wait",          /* 11 waitReasonGCAssistWait */
	"GC sweep wait",           /* 12 waitReasonGCSweepWait */
	"GC scavenge wait",        /* 13 waitReasonGCScavengeWait */
	"chan receive",            /* 14 waitReasonChanReceive */
	"chan send",               /* 15 waitReasonChanSend */
	"finalizer wait",          /* 16 waitReasonFinalizerWait */
	"force gc (idle)",         /* 17 waitReasonForceGCIdle */
	"semacquire",              /* 18 waitReasonSemacquire */
	"sleep",                   /* 19 waitReasonSleep */
	"sync.Cond.Wait",          /* 20 waitReasonSyncCondWait */
	"sync.Mutex.Lock",         /* 21 waitReasonSyncMutexLock */
	"sync.RWMutex.RLock",      /* 22 waitReasonSyncRWMutexRLock */
	"sync.RWMutex.Lock",       /* 23 waitReasonSyncRWMutexLock */
	"trace reader (blocked)",  /* 24 waitReasonTraceReaderBlocked */
	"wait for GC cycle",       /* 25 waitReasonWaitForGCCycle */
	"GC worker (idle)",        /* 26 waitReasonGCWorkerIdle */
	"GC worker (active)",      /* 27 waitReasonGCWorkerActive */
	"preempted",               /* 28 waitReasonPreempted */
	"debug call",              /* 29 waitReasonDebugCall */
	"GC mark termination",     /* 30 waitReasonGCMarkTermination */
	"stopping the world",      /* 31 waitReasonStoppingTheWorld */
};

static const char *const go122[] = {
	"",                        /* 0 waitReasonZero */
	"GC assist marking",       /* 1 waitReasonGCAssistMarking */
	"IO wait",                 /* 2 waitReasonIOWait */
	"chan receive (nil chan)", /* 3 waitReasonChanReceiveNilChan */
	"chan send (nil chan)",    /* 4 waitReasonChanSendNilChan */
	"dumping heap",            /* 5 waitReasonDumpingHeap */
	"garbage collection",      /* 6 waitReasonGarbageCollection */
	"garbage collection scan", /* 7 waitReasonGarbageCollectionScan */
	"panicwait",               /* 8 waitReasonPanicWait */
	"select",                  /* 9 waitReasonSelect */
	"select (no cases)",       /* 10 waitReasonSelectNoCases */
	"GC assist wait",          /* 11 waitReasonGCAssistWait */
	"GC sweep wait",           /* 12 waitReasonGCSweepWait */
	"GC scavenge wait",        /* 13 waitReasonGCScavengeWait */
	"chan receive",            /* 14 waitReasonChanReceive */
	"chan send",               /* 15 waitReasonChanSend */
	"finalizer wait",          /* 16 waitReasonFinalizerWait */
	"force gc (idle)",         /* 17 waitReasonForceGCIdle */
	"semacquire",              /* 18 waitReasonSemacquire */
	"sleep",                   /* 19 waitReasonSleep */
	"sync.Cond.Wait",          /* 20 waitReasonSyncCondWait */
	"sync.Mutex.Lock",         /* 21 waitReasonSyncMutexLock */
	"sync.RWMutex.RLock",      /* 22 waitReasonSyncRWMutexRLock */
	"sync.RWMutex.Lock",       /* 23 waitReasonSyncRWMutexLock */
	"trace reader (blocked)",  /* 24 waitReasonTraceReaderBlocked */
	"wait for GC cycle",       /* 25 waitReasonWaitForGCCycle */
	"GC worker (idle)",        /* 26 waitReasonGCWorkerIdle */
	"GC worker (active)",      /* 27 waitReasonGCWorkerActive */
	"preempted",               /* 28 waitReasonPreempted */
	"debug call",              /* 29 waitReasonDebugCall */
	"GC mark termination",     /* 30 waitReasonGCMarkTermination */
	"stopping the world",      /* 31 waitReasonStoppingTheWorld */
	"flushing proc caches",    /* 32 waitReasonFlushProcCaches */
	"trace goroutine status",  /* 33 waitReasonTraceGoroutineStatus */
	"trace proc status",       /* 34 waitReasonTraceProcStatus */
	"page trace flush",        /* 35 waitReasonPageTraceFlush */
	"coroutine",               /* 36 waitReasonCoroutine */
};

static const char *const go123[] = {
	"",                        /* 0 waitReasonZero */
	"GC assist marking",       /* 1 waitReasonGCAssistMarking */
	"IO wait",                 /* 2 waitReasonIOWait */
	"chan receive (nil chan)", /* 3 waitReasonChanReceiveNilChan */
	"chan send (nil chan)",    /* 4 waitReasonChanSendNilChan */
	"dumping heap",            /* 5 waitReasonDumpingHeap */
	"garbage collection",      /* 6 waitReasonGarbageCollection */
	"garbage collection scan", /* 7 waitReasonGarbageCollectionScan */
	"panicwait",               /* 8 waitReasonPanicWait */
	"select",                  /* 9 waitReasonSelect */
	"select (no cases)",       /* 10 waitReasonSelectNoCases */
	"GC assist wait",          /* 11 waitReasonGCAssistWait */
	"GC sweep wait",           /* 12 waitReasonGCSweepWait */
	"GC scavenge wait",        /* 13 waitReasonGCScavengeWait */
	"chan receive",            /* 14 waitReasonChanReceive */
	"chan send",               /* 15 waitReasonChanSend */
	"finalizer wait",          /* 16 waitReasonFinalizerWait */
	"force gc (idle)",         /* 17 waitReasonForceGCIdle */
	"semacquire",              /* 18 waitReasonSemacquire */
	"sleep",                   /* 19 waitReasonSleep */
	"sync.Cond.Wait",          /* 20 waitReasonSyncCondWait */
	"sync.Mutex.Lock",         /* 21 waitReasonSyncMutexLock */
	"sync.RWMutex.RLock",      /* 22 waitReasonSyncRWMutexRLock */
	"sync.RWMutex.Lock",       /* 23 waitReasonSyncRWMutexLock */
	"trace reader (blocked)",  /* 24 waitReasonTraceReaderBlocked */
	"wait for GC cycle",       /* 25 waitReasonWaitForGCCycle */
	"GC worker (idle)",        /* 26 waitReasonGCWorkerIdle */
	"GC worker (active)",      /* 27 waitReasonGCWorkerActive */
	"preempted",               /* 28 waitReasonPreempted */
	"debug call",              /* 29 waitReasonDebugCall */
	"GC mark termination",     /* 30 waitReasonGCMarkTermination */
	"stopping the world",      /* 31 waitReasonStoppingTheWorld */
	"flushing proc caches",    /* 32 waitReasonFlushProcCaches */
	"trace goroutine status",  /* 33 waitReasonTraceGoroutineStatus */
	"trace proc status",       /* 34 waitReasonTraceProcStatus */
	"page trace flush",        /* 35 waitReasonPageTraceFlush */
	"coroutine",               /* 36 waitReasonCoroutine */
	"GC weak to strong wait",  /* 37 waitReasonGCWeakToStrongWait */
};

static const char *const go124[] = {
	"",                        /* 0 waitReasonZero */
	"GC assist marking",       /* 1 waitReasonGCAssistMarking */
	"IO wait",                 /* 2 waitReasonIOWait */
	"chan receive (nil chan)", /* 3 waitReasonChanReceiveNilChan */
	"chan send (nil chan)",    /* 4 waitReasonChanSendNilChan */
	"dumping heap",            /* 5 waitReasonDumpingHeap */
	"garbage collection",      /* 6 waitReasonGarbageCollection */
	"garbage collection scan", /* 7 waitReasonGarbageCollectionScan */
	"panicwait",               /* 8 waitReasonPanicWait */
	"select",                  /* 9 waitReasonSelect */
	"select (no cases)",       /* 10 waitReasonSelectNoCases */
	"GC assist wait",          /* 11 waitReasonGCAssistWait */
	"GC sweep wait",           /* 12 waitReasonGCSweepWait */
	"GC scavenge wait",        /* 13 waitReasonGCScavengeWait */
	"chan receive",            /* 14 waitReasonChanReceive */
	"chan send",               /* 15 waitReasonChanSend */
	"finalizer wait",          /* 16 waitReasonFinalizerWait */
	"force gc (idle)",         /* 17 waitReasonForceGCIdle */
	"semacquire",              /* 18 waitReasonSemacquire */
	"sleep",                   /* 19 waitReasonSleep */
	"sync.Cond.Wait",          /* 20 waitReasonSyncCondWait */
	"sync.Mutex.Lock",         /* 21 waitReasonSyncMutexLock */
	"sync.RWMutex.RLock",      /* 22 waitReasonSyncRWMutexRLock */
	"sync.RWMutex.Lock",       /* 23 waitReasonSyncRWMutexLock */
	"sync.WaitGroup.Wait",     /* 24 waitReasonSyncWaitGroupWait */
	"trace reader (blocked)",  /* 25 waitReasonTraceReaderBlocked */
	"wait for GC cycle",       /* 26 waitReasonWaitForGCCycle */
	"GC worker (idle)",        /* 27 waitReasonGCWorkerIdle */
	"GC worker (active)",      /* 28 waitReasonGCWorkerActive */
	"preempted",               /* 29 waitReasonPreempted */
	"debug call",              /* 30 waitReasonDebugCall */
	"GC mark termination",     /* 31 waitReasonGCMarkTermination */
	"stopping the world",      /* 32 waitReasonStoppingTheWorld */
	"flushing proc caches",    /* 33 waitReasonFlushProcCaches */
	"trace goroutine status",  /* 34 waitReasonTraceGoroutineStatus */
	"trace proc status",       /* 35 waitReasonTraceProcStatus */
	"page trace flush",        /* 36 waitReasonPageTraceFlush */
	"coroutine",               /* 37 waitReasonCoroutine */
	"GC weak to strong wait",  /* 38 waitReasonGCWeakToStrongWait */
	"synctest.Run",            /* 39 waitReasonSynctestRun */
	"synctest.Wait",           /* 40 waitReasonSynctestWait */
	"chan receive (synctest)", /* 41 waitReasonSynctestChanReceive */
	"chan send (synctest)",    /* 42 waitReasonSynctestChanSend */
	"select (synctest)",       /* 43 waitReasonSynctestSelect */
};

static const char *const go125[] = {
	"",                              /* 0 waitReasonZero */
	"GC assist marking",             /* 1 waitReasonGCAssistMarking */
	"IO wait",                       /* 2 waitReasonIOWait */
	"chan receive (nil chan)",       /* 3 waitReasonChanReceiveNilChan */
	"chan send (nil chan)",          /* 4 waitReasonChanSendNilChan */
	"dumping heap",                  /* 5 waitReasonDumpingHeap */
	"garbage collection",            /* 6 waitReasonGarbageCollection */
	"garbage collection scan",       /* 7 waitReasonGarbageCollectionScan */
	"panicwait",                     /* 8 waitReasonPanicWait */
	"select",                        /* 9 waitReasonSelect */
	"select (no cases)",             /* 10 waitReasonSelectNoCases */
	"GC assist wait",                /* 11 waitReasonGCAssistWait */
	"GC sweep wait",                 /* 12 waitReasonGCSweepWait */
	"GC scavenge wait",              /* 13 waitReasonGCScavengeWait */
	"chan receive",                  /* 14 waitReasonChanReceive */
	"chan send",                     /* 15 waitReasonChanSend */
	"finalizer wait",                /* 16 waitReasonFinalizerWait */
	"force gc (idle)",               /* 17 waitReasonForceGCIdle */
	"GOMAXPROCS updater (idle)",     /* 18 waitReasonUpdateGOMAXPROCSIdle */
	"semacquire",                    /* 19 waitReasonSemacquire */
	"sleep",                         /* 20 waitReasonSleep */
	"sync.Cond.Wait",                /* 21 waitReasonSyncCondWait */
	"sync.Mutex.Lock",               /* 22 waitReasonSyncMutexLock */
	"sync.RWMutex.RLock",            /* 23 waitReasonSyncRWMutexRLock */
	"sync.RWMutex.Lock",             /* 24 waitReasonSyncRWMutexLock */
	"sync.WaitGroup.Wait",           /* 25 waitReasonSyncWaitGroupWait */
	"trace reader (blocked)",        /* 26 waitReasonTraceReaderBlocked */
	"wait for GC cycle",             /* 27 waitReasonWaitForGCCycle */
	"GC worker (idle)",              /* 28 waitReasonGCWorkerIdle */
	"GC worker (active)",            /* 29 waitReasonGCWorkerActive */
	"preempted",                     /* 30 waitReasonPreempted */
	"debug call",                    /* 31 waitReasonDebugCall */
	"GC mark termination",           /* 32 waitReasonGCMarkTermination */
	"stopping the world",            /* 33 waitReasonStoppingTheWorld */
	"flushing proc caches",          /* 34 waitReasonFlushProcCaches */
	"trace goroutine status",        /* 35 waitReasonTraceGoroutineStatus */
	"trace proc status",             /* 36 waitReasonTraceProcStatus */
	"page trace flush",              /* 37 waitReasonPageTraceFlush */
	"coroutine",                     /* 38 waitReasonCoroutine */
	"GC weak to strong wait",        /* 39 waitReasonGCWeakToStrongWait */
	"synctest.Run",                  /* 40 waitReasonSynctestRun */
	"synctest.Wait",                 /* 41 waitReasonSynctestWait */
	"chan receive (durable)",        /* 42 waitReasonSynctestChanReceive */
	"chan send (durable)",           /* 43 waitReasonSynctestChanSend */
	"select (durable)",              /* 44 waitReasonSynctestSelect */
	"sync.WaitGroup.Wait (durable)", /* 45 waitReasonSynctestWaitGroupWait */
	"cleanup wait",                  /* 46 waitReasonCleanupWait */
};

static const char *const go126[] = {
	"",                              /* 0 waitReasonZero */
	"GC assist marking",             /* 1 waitReasonGCAssistMarking */
	"IO wait",                       /* 2 waitReasonIOWait */
	"dumping heap",                  /* 3 waitReasonDumpingHeap */
	"garbage collection",            /* 4 waitReasonGarbageCollection */
	"garbage collection scan",       /* 5 waitReasonGarbageCollectionScan */
	"panicwait",                     /* 6 waitReasonPanicWait */
	"GC assist wait",                /* 7 waitReasonGCAssistWait */
	"GC sweep wait",                 /* 8 waitReasonGCSweepWait */
	"GC scavenge wait",              /* 9 waitReasonGCScavengeWait */
	"finalizer wait",                /* 10 waitReasonFinalizerWait */
	"force gc (idle)",               /* 11 waitReasonForceGCIdle */
	"GOMAXPROCS updater (idle)",     /* 12 waitReasonUpdateGOMAXPROCSIdle */
	"semacquire",                    /* 13 waitReasonSemacquire */
	"sleep",                         /* 14 waitReasonSleep */
	"chan receive (nil chan)",       /* 15 waitReasonChanReceiveNilChan */
	"chan send (nil chan)",          /* 16 waitReasonChanSendNilChan */
	"select (no cases)",             /* 17 waitReasonSelectNoCases */
	"select",                        /* 18 waitReasonSelect */
	"chan receive",                  /* 19 waitReasonChanReceive */
	"chan send",                     /* 20 waitReasonChanSend */
	"sync.Cond.Wait",                /* 21 waitReasonSyncCondWait */
	"sync.Mutex.Lock",               /* 22 waitReasonSyncMutexLock */
	"sync.RWMutex.RLock",            /* 23 waitReasonSyncRWMutexRLock */
	"sync.RWMutex.Lock",             /* 24 waitReasonSyncRWMutexLock */
	"sync.WaitGroup.Wait",           /* 25 waitReasonSyncWaitGroupWait */
	"trace reader (blocked)",        /* 26 waitReasonTraceReaderBlocked */
	"wait for GC cycle",             /* 27 waitReasonWaitForGCCycle */
	"GC worker (idle)",              /* 28 waitReasonGCWorkerIdle */
	"GC worker (active)",            /* 29 waitReasonGCWorkerActive */
	"preempted",                     /* 30 waitReasonPreempted */
	"debug call",                    /* 31 waitReasonDebugCall */
	"GC mark termination",           /* 32 waitReasonGCMarkTermination */
	"stopping the world",            /* 33 waitReasonStoppingTheWorld */
	"flushing proc caches",          /* 34 waitReasonFlushProcCaches */
	"trace goroutine status",        /* 35 waitReasonTraceGoroutineStatus */
	"trace proc status",             /* 36 waitReasonTraceProcStatus */
	"page trace flush",              /* 37 waitReasonPageTraceFlush */
	"coroutine",                     /* 38 waitReasonCoroutine */
	"GC weak to strong wait",        /* 39 waitReasonGCWeakToStrongWait */
	"synctest.Run",                  /* 40 waitReasonSynctestRun */
	"synctest.Wait",                 /* 41 waitReasonSynctestWait */
	"chan receive (durable)",        /* 42 waitReasonSynctestChanReceive */
	"chan send (durable)",           /* 43 waitReasonSynctestChanSend */
	"select (durable)",              /* 44 waitReasonSynctestSelect */
	"sync.WaitGroup.Wait (durable)", /* 45 waitReasonSynctestWaitGroupWait */
	"cleanup wait",                  /* 46 waitReasonCleanupWait */
};

/* gStatusStrings (traceback.go): 1.17 to 1.25, and 1.26 with _Gleaked and _Gdeadextra. */
static const char *const gstatus_go117[] = {
	"idle",
	"runnable",
	"running",
	"syscall",
	"waiting",
	"",
	"dead",
	"",
	"copystack",
	"preempted",
};

static const char *const gstatus_go126[] = {
	"idle",
	"runnable",
	"running",
	"syscall",
	"waiting",
	"",
	"dead",
	"",
	"copystack",
	"preempted",
	"leaked",
	"waiting for cgo callback",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct names {
	const char *const *v;
	unsigned n;
};

static struct names wait_reasons(int minor)
{
	if (minor >= 17 && minor <= 19)
		return (struct names){ go117, N(go117) };
	if (minor >= 20 && minor <= 21)
		return (struct names){ go120, N(go120) };
	if (minor == 22)
		return (struct names){ go122, N(go122) };
	if (minor == 23)
		return (struct names){ go123, N(go123) };
	if (minor == 24)
		return (struct names){ go124, N(go124) };
	if (minor == 25)
		return (struct names){ go125, N(go125) };
	if (minor >= 26 && minor <= RT_TABLE_LAST_MINOR)
		return (struct names){ go126, N(go126) };
	return (struct names){ NULL, 0 };
}

const char *rt_wait_reason(int minor, unsigned reason)
{
	struct names w = wait_reasons(minor);

	if (!w.v)
		return NULL;
	return reason < w.n ? w.v[reason] : "unknown wait reason";
}

unsigned rt_wait_reason_count(int minor)
{
	return wait_reasons(minor).n;
}

const char *rt_g_status(int minor, uint32_t status)
{
	const char *const *v;
	unsigned n;

	if (minor < RT_TABLE_FIRST_MINOR || minor > RT_TABLE_LAST_MINOR)
		return NULL;
	if (minor >= 26) {
		v = gstatus_go126;
		n = N(gstatus_go126);
	} else {
		v = gstatus_go117;
		n = N(gstatus_go117);
	}
	status &= ~(uint32_t)RT_G_SCAN;
	return status < n ? v[status] : "???";
}
