/* SPDX-License-Identifier: MIT */
/*
 * Visits every process in /proc, on several threads when there are enough
 * processes and CPUs: the calling thread reads /proc a batch at a time and
 * queues the pids, which helper threads start visiting at once; the caller
 * joins them when it has read /proc to the end.
 */
#ifndef GOPS_PROCWALK_H
#define GOPS_PROCWALK_H

#define PROCWALK_MAX_THREADS 8

/*
 * Called once per pid, on thread number `thread` (0 is the caller's; others
 * are helpers), so that each thread can keep what it finds apart. Calls on
 * different threads run at the same time.
 */
typedef void (*procwalk_fn)(void *ctx, int thread, int pid);

/*
 * Calls visit for every pid listed in /proc (proc_root()). Sets *threads to
 * how many threads ran (1 to PROCWALK_MAX_THREADS). Returns 0, or -errno if
 * /proc could not be read to the end (visit then ran for the pids read).
 */
int procwalk(procwalk_fn visit, void *ctx, int *threads);

#endif
