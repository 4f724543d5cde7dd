// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/array.h"
#include "proc/proc.h"
#include "proc/procwalk.h"

/*
 * Nobody sleeps at first while waiting for the others: a thread that waits
 * for more pids, or for the helpers to finish, yields the CPU and looks
 * again. Waking a sleeping thread means waking an idle CPU, which on a
 * virtual machine can take longer than the whole walk. Only a wait longer
 * than SPIN_NS (another thread stuck in a slow /proc read) sleeps, so as not
 * to burn a CPU.
 */
#define CHUNK 16            /* pids a thread takes at a time */
#define PIDS_PER_THREAD 128 /* a helper thread for every this many processes */
#define DENTS_BUF 4096      /* about 150 /proc entries per getdents64 */
#define SPIN_NS 2000000L    /* yield for 2 ms, then sleep between looks */
#define NAP_NS 100000L

/*
 * ThreadSanitizer takes file descriptors for one table shared by all threads
 * and would report a thread's own fds as races: under it, helpers share it.
 */
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN 0
#endif

struct walk {
	procwalk_fn visit;
	void *ctx;

	pthread_mutex_t lock; /* guards pids, n, cap, next */
	int *pids;
	size_t n, cap, next;
	atomic_size_t published; /* n and next, to wait on without the lock */
	atomic_size_t taken;
	atomic_bool done;        /* /proc is read: no more pids will come */
	atomic_int helpers_busy; /* helper threads not finished yet */

	pthread_t tid[PROCWALK_MAX_THREADS];
	int max, started; /* threads allowed and started; thread 0 is the caller */
};

/* One more look is due: yields while the wait that began at *since is short, else naps. */
static void pause_wait(long long *since)
{
	struct timespec nap = { 0, NAP_NS };

	if (*since == 0)
		*since = clock_mono_ns();
	if (clock_mono_ns() - *since < SPIN_NS)
		sched_yield();
	else
		nanosleep(&nap, NULL);
}

struct helper_arg {
	struct walk *w;
	int thread;
};

/* Appends pids to the queue. Returns the queue's length, or -ENOMEM. */
static long queue(struct walk *w, const int *pids, size_t k)
{
	long n = 0;

	pthread_mutex_lock(&w->lock);
	for (size_t i = 0; i < k && n == 0; i++) {
		int *slot = array_push(&w->pids, &w->n, &w->cap, sizeof(*w->pids));

		if (slot)
			*slot = pids[i];
		else
			n = -ENOMEM;
	}
	if (n == 0)
		n = (long)w->n;
	atomic_store(&w->published, w->n);
	pthread_mutex_unlock(&w->lock);
	return n;
}

/*
 * Copies up to CHUNK queued pids into out, waiting while /proc is still being
 * read. Returns 0 once every pid has been taken and no more will come.
 */
static size_t take(struct walk *w, int *out)
{
	for (;;) {
		long long since = 0;
		size_t k = 0;

		while (atomic_load(&w->taken) == atomic_load(&w->published) &&
			!atomic_load(&w->done))
			pause_wait(&since);
		pthread_mutex_lock(&w->lock);
		while (k < CHUNK && w->next < w->n)
			out[k++] = w->pids[w->next++];
		atomic_store(&w->taken, w->next);
		pthread_mutex_unlock(&w->lock);
		/* Empty with done set: every pid was queued before done was. */
		if (k > 0 || atomic_load(&w->done))
			return k;
	}
}

static void work(struct walk *w, int thread)
{
	int pids[CHUNK];
	size_t k;

	while ((k = take(w, pids)) > 0)
		for (size_t i = 0; i < k; i++)
			w->visit(w->ctx, thread, pids[i]);
}

static void *helper(void *arg)
{
	struct helper_arg *a = arg;

	/*
	 * A file table of its own: every open and close takes the table's lock,
	 * which threads sharing one would pass back and forth (about 5% of a
	 * scan). Without it (unshare refused), the shared one works as well.
	 */
	if (!UNDER_TSAN)
		unshare(CLONE_FILES);
	work(a->w, a->thread);
	atomic_fetch_sub(&a->w->helpers_busy, 1);
	return NULL;
}

/*
 * Starts helpers for `tasks` processes: one more thread for every
 * PIDS_PER_THREAD, up to w->max. One that cannot start is simply not there.
 */
static void grow(struct walk *w, struct helper_arg *args, long tasks)
{
	while (w->started < w->max && tasks > (long)w->started * PIDS_PER_THREAD) {
		int t = w->started;

		args[t] = (struct helper_arg){ w, t };
		atomic_fetch_add(&w->helpers_busy, 1);
		if (pthread_create(&w->tid[t], NULL, helper, &args[t]) != 0) {
			atomic_fetch_sub(&w->helpers_busy, 1);
			w->max = t;
			break;
		}
		w->started++;
	}
}

/* As many threads as CPUs we may use (sched_getaffinity: `taskset` is honoured). */
static int max_threads(void)
{
	cpu_set_t set;
	int cpus = 1;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		cpus = CPU_COUNT(&set);
	return cpus > PROCWALK_MAX_THREADS ? PROCWALK_MAX_THREADS : cpus < 1 ? 1 : cpus;
}

/*
 * How many tasks (threads included) the host runs, from /proc/loadavg's
 * "running/total" field: enough to start helpers before /proc is listed,
 * since a new thread takes a while to get going. 0 if unknown.
 */
static long task_estimate(void)
{
	char *buf;
	const char *slash;
	ssize_t n = proc_read_root_file("loadavg", &buf, 256);
	long total = 0;

	if (n > 0 && (slash = strchr(buf, '/')))
		total = strtol(slash + 1, NULL, 10);
	free(buf);
	return total > 0 ? total : 0;
}

/* The numeric entries of one getdents64 batch, at most max of them. */
static size_t parse_dents(const char *buf, long len, int *pids, size_t max)
{
	size_t k = 0;

	for (long off = 0; off < len && k < max;) {
		const struct dirent64 *de = (const void *)(buf + off);
		int v;

		if (de->d_reclen == 0)
			break;
		off += de->d_reclen;
		v = proc_pid_name(de->d_name);
		if (v > 0)
			pids[k++] = v;
	}
	return k;
}

/*
 * Reads /proc into the queue a batch at a time, so that helpers start on the
 * first pids while the rest are listed (listing a thousand entries takes
 * about a millisecond).
 */
static int read_pids(struct walk *w, struct helper_arg *args)
{
	char buf[DENTS_BUF] __attribute__((aligned(8)));
	int pids[DENTS_BUF / 24]; /* a dirent64 takes at least 24 bytes */
	int dirfd = proc_dirfd();
	int fd = dirfd >= 0 ? openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
			    : open(proc_root(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long queued = 0;

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t len = getdents64(fd, buf, sizeof(buf));

		if (len <= 0) {
			queued = len < 0 ? -errno : 0;
			break;
		}
		queued = queue(w, pids, parse_dents(buf, len, pids, sizeof(pids) / sizeof(*pids)));
		if (queued < 0)
			break;
		grow(w, args, queued);
	}
	close(fd);
	return queued < 0 ? (int)queued : 0;
}

int procwalk(procwalk_fn visit, void *ctx, int *threads)
{
	struct helper_arg args[PROCWALK_MAX_THREADS];
	struct walk w = { .visit = visit, .ctx = ctx, .started = 1 };
	pthread_mutexattr_t adaptive;
	long long since = 0;
	int err;

	atomic_init(&w.published, 0);
	atomic_init(&w.taken, 0);
	atomic_init(&w.done, false);
	atomic_init(&w.helpers_busy, 0);
	/* Spins a little before sleeping: the lock is only ever held briefly. */
	pthread_mutexattr_init(&adaptive);
	pthread_mutexattr_settype(&adaptive, PTHREAD_MUTEX_ADAPTIVE_NP);
	pthread_mutex_init(&w.lock, &adaptive);
	pthread_mutexattr_destroy(&adaptive);
	w.max = max_threads();
	proc_dirfd(); /* opened once, before any thread uses it */

	grow(&w, args, task_estimate());
	err = read_pids(&w, args);
	atomic_store(&w.done, true);
	work(&w, 0);
	while (atomic_load(&w.helpers_busy) > 0)
		pause_wait(&since);
	for (int i = 1; i < w.started; i++)
		pthread_join(w.tid[i], NULL);

	*threads = w.started;
	pthread_mutex_destroy(&w.lock);
	free(w.pids);
	return err;
}
