// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "buildinfo.h"
#include "golist.h"
#include "portfile.h"
#include "proc.h"

static int cmp_pid(const void *a, const void *b)
{
	const struct go_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

struct go_proc *golist_add(struct go_list *l)
{
	return array_push(&l->procs, &l->n, &l->cap, sizeof(*l->procs));
}

void golist_free(struct go_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->procs[i].path);
	free(l->procs);
	memset(l, 0, sizeof(*l));
}

/*
 * Verdicts by executable identity. ctime and size are part of the key so a
 * binary rewritten in place is parsed again.
 */
struct verdict {
	dev_t dev;
	ino_t ino;
	struct timespec ctime;
	off_t size;
	bool is_go;
	char version[64];
};

struct verdict_cache {
	struct verdict *v;
	size_t n, cap;
};

static struct verdict *cache_find(struct verdict_cache *c, const struct stat *st)
{
	for (size_t i = 0; i < c->n; i++) {
		struct verdict *v = &c->v[i];

		if (v->ino == st->st_ino && v->dev == st->st_dev && v->size == st->st_size &&
			v->ctime.tv_sec == st->st_ctim.tv_sec &&
			v->ctime.tv_nsec == st->st_ctim.tv_nsec)
			return v;
	}
	return NULL;
}

static struct verdict *cache_add(struct verdict_cache *c, const struct stat *st)
{
	struct verdict *v = array_push(&c->v, &c->n, &c->cap, sizeof(*c->v));

	if (!v)
		return NULL;
	v->dev = st->st_dev;
	v->ino = st->st_ino;
	v->ctime = st->st_ctim;
	v->size = st->st_size;
	return v;
}

/*
 * One scan, shared by its threads. The main thread reads /proc about 150
 * entries at a time and queues the pids; workers take CHUNK of them at a
 * time, and the main thread joins them once /proc is read. Each thread keeps
 * what it finds in a list of its own; the queue and the verdict cache are
 * shared, each under its lock.
 *
 * Nobody sleeps while waiting for the others: a thread that waits for more
 * pids, or for the helpers to finish, yields the CPU and looks again. Waking
 * a sleeping thread means waking an idle CPU, which on a virtual machine can
 * take longer than the whole scan.
 */
#define CHUNK 16
#define MAX_WORKERS 8
#define PIDS_PER_WORKER 128 /* a helper thread for every this many processes */
#define DENTS_BUF 4096      /* about 150 /proc entries per getdents64 */

struct scan {
	pthread_mutex_t queue_lock; /* guards pids, n, cap, next, err */
	int *pids;
	size_t n, cap, next;
	int err;                 /* reading /proc failed */
	atomic_size_t published; /* n and next, to wait on without the lock */
	atomic_size_t taken;
	atomic_bool done;        /* /proc is read: no more pids will come */
	atomic_int helpers_busy; /* helper threads not finished yet */

	/* Every pid looks the cache up, a few dozen add to it: lookups run side by side. */
	pthread_rwlock_t cache_lock;
	struct verdict_cache cache;

	int self;
	struct portfile_dirs own;           /* gops' rule with our environment */
	struct portfile_cache *own_listing; /* those directories, listed before the workers start */
};

struct worker {
	struct scan *s;
	struct go_list found;
	int err;
	pthread_t tid;
};

/* Copies the cached verdict for st, if any. Returns whether there was one. */
static bool verdict_lookup(struct scan *s, const struct stat *st, struct verdict *out)
{
	struct verdict *v;

	pthread_rwlock_rdlock(&s->cache_lock);
	v = cache_find(&s->cache, st);
	if (v)
		*out = *v;
	pthread_rwlock_unlock(&s->cache_lock);
	return v != NULL;
}

/*
 * Parses pid's executable (outside the lock) and records the verdict, keyed
 * by what was opened: if pid exec'd since its exe was looked at, the verdict
 * is the new executable's, which is what pid runs now.
 */
static int verdict_parse(struct scan *s, int pid, struct verdict *out)
{
	int fd = proc_open_exe(pid);
	struct verdict *v;
	struct stat st;

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	out->is_go = buildinfo_read_version_fd(fd, out->version, sizeof(out->version)) == 0;
	close(fd);
	pthread_rwlock_wrlock(&s->cache_lock);
	v = cache_find(&s->cache, &st); /* another worker may have parsed it meanwhile */
	if (!v) {
		v = cache_add(&s->cache, &st);
		if (v) {
			v->is_go = out->is_go;
			memcpy(v->version, out->version, sizeof(v->version));
		}
	}
	pthread_rwlock_unlock(&s->cache_lock);
	return v ? 0 : -ENOMEM;
}

/* Decides whether pid runs a Go executable, parsing it only when unseen. */
static int classify(struct scan *s, int pid, char *version, size_t len)
{
	struct verdict v;
	struct stat st;
	int err = proc_stat_exe(pid, &st);

	if (err)
		return err;
	if (!verdict_lookup(s, &st, &v)) {
		err = verdict_parse(s, pid, &v);
		if (err)
			return err;
	}
	if (!v.is_go)
		return 0;
	snprintf(version, len, "%s", v.version);
	return 1;
}

/*
 * Whether the agent port file of p exists. Our own directories first: they
 * were listed once, so they cost no system call here. Then where the target's
 * environment says, under its root.
 */
static bool scan_agent(const struct scan *s, const struct go_proc *p)
{
	struct portfile_dirs d;
	char path[PORTFILE_DIR_LEN + 16];
	struct stat sb;

	for (int i = 0; i < s->own.n; i++)
		if (portfile_cache_has(s->own_listing, s->own.dir[i], p->pid))
			return true;
	portfile_target_dirs(p->pid, false, &d);
	for (int i = 0; i < d.n; i++) {
		snprintf(path, sizeof(path), "%s/%d", d.dir[i], p->nspid);
		if (stat(path, &sb) == 0)
			return true;
	}
	return false;
}

/* status rather than stat: one read gives the parent, the name and NSpid. */
static int fill(const struct scan *s, struct go_proc *p)
{
	struct proc_status st;
	char path[4096];
	int err = proc_read_status(p->pid, &st);

	if (err)
		return err;
	if (st.ppid < 0)
		return -ENOENT;
	p->ppid = st.ppid;
	p->nspid = st.nspid > 0 ? st.nspid : p->pid;
	proc_name(p->pid, st.name, p->name, sizeof(p->name));
	err = proc_exe_path(p->pid, path, sizeof(path));
	if (err)
		return err;
	p->path = strdup(path);
	if (!p->path)
		return -ENOMEM;
	p->agent = scan_agent(s, p);
	return 0;
}

static void inspect(struct worker *w, int pid)
{
	struct go_list *l = &w->found;
	char version[64];
	struct go_proc *p;
	int r = classify(w->s, pid, version, sizeof(version));

	if (r == -EACCES || r == -EPERM)
		l->denied++;
	else if (r == -ENOMEM)
		w->err = r;
	if (r <= 0)
		return; /* not Go, a kernel thread, or gone */
	p = golist_add(l);
	if (!p) {
		w->err = -ENOMEM;
		return;
	}
	p->pid = pid;
	snprintf(p->version, sizeof(p->version), "%s", version);
	r = fill(w->s, p);
	if (r) {
		free(p->path);
		l->n--; /* it exited while we looked */
		if (r == -EACCES || r == -EPERM)
			l->denied++;
		else if (r == -ENOMEM)
			w->err = r;
		else
			l->vanished++;
	}
}

/*
 * Copies up to CHUNK queued pids into out, waiting while /proc is still being
 * read. Returns 0 once every pid has been taken and no more will come.
 */
static size_t take(struct scan *s, int *out)
{
	for (;;) {
		size_t k = 0;

		while (atomic_load(&s->taken) == atomic_load(&s->published) &&
			!atomic_load(&s->done))
			sched_yield();
		pthread_mutex_lock(&s->queue_lock);
		while (k < CHUNK && s->next < s->n)
			out[k++] = s->pids[s->next++];
		atomic_store(&s->taken, s->next);
		pthread_mutex_unlock(&s->queue_lock);
		/* Empty with done set: every pid was queued before done was. */
		if (k > 0 || atomic_load(&s->done))
			return k;
	}
}

static void work(struct worker *w)
{
	int pids[CHUNK];
	size_t k;

	while (!w->err && (k = take(w->s, pids)) > 0)
		for (size_t i = 0; i < k; i++)
			if (pids[i] != w->s->self)
				inspect(w, pids[i]);
}

static void *helper(void *arg)
{
	struct worker *w = arg;

	work(w);
	atomic_fetch_sub(&w->s->helpers_busy, 1);
	return NULL;
}

/* Appends pids to the queue. Returns the queue's length. */
static long queue(struct scan *s, const int *pids, size_t k)
{
	long n = 0;

	pthread_mutex_lock(&s->queue_lock);
	for (size_t i = 0; i < k && n >= 0; i++) {
		int *slot = array_push(&s->pids, &s->n, &s->cap, sizeof(*s->pids));

		if (slot)
			*slot = pids[i];
		else
			n = -ENOMEM;
	}
	if (n == 0)
		n = (long)s->n;
	atomic_store(&s->published, s->n);
	pthread_mutex_unlock(&s->queue_lock);
	return n;
}

/* Marks the queue complete (with an error, if reading failed). */
static void queue_done(struct scan *s, int err)
{
	pthread_mutex_lock(&s->queue_lock);
	s->err = err;
	pthread_mutex_unlock(&s->queue_lock);
	atomic_store(&s->done, true);
}

/* The numeric entries of one getdents64 batch, at most max of them. */
static size_t parse_dents(const char *buf, long len, int *pids, size_t max)
{
	size_t k = 0;

	for (long off = 0; off < len && k < max;) {
		const struct dirent64 *de = (const void *)(buf + off);
		char *end;
		long v;

		if (de->d_reclen == 0)
			break;
		off += de->d_reclen;
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		v = strtol(de->d_name, &end, 10);
		if (*end || v <= 0 || v > INT_MAX)
			continue;
		pids[k++] = (int)v;
	}
	return k;
}

/*
 * The scan's threads: the main thread plus helpers, one more for every
 * PIDS_PER_WORKER pids queued, up to one per CPU we may use
 * (sched_getaffinity, so `taskset` is honoured) and MAX_WORKERS. The work is
 * system calls into /proc, which run in parallel on as many CPUs as there are.
 */
struct pool {
	struct worker w[MAX_WORKERS];
	int max, started; /* w[0] is the main thread */
};

static void pool_init(struct pool *pool, struct scan *s)
{
	cpu_set_t set;
	int cpus = 1;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		cpus = CPU_COUNT(&set);
	memset(pool, 0, sizeof(*pool));
	pool->max = cpus > MAX_WORKERS ? MAX_WORKERS : cpus < 1 ? 1 : cpus;
	pool->started = 1;
	for (int i = 0; i < MAX_WORKERS; i++)
		pool->w[i].s = s;
}

/* Starts helpers as the queue grows; one that cannot start is simply not there. */
static void pool_grow(struct pool *pool, long queued)
{
	while (pool->started < pool->max && queued > (long)pool->started * PIDS_PER_WORKER) {
		atomic_fetch_add(&pool->w[0].s->helpers_busy, 1);
		if (pthread_create(&pool->w[pool->started].tid, NULL, helper,
			    &pool->w[pool->started]) != 0) {
			atomic_fetch_sub(&pool->w[0].s->helpers_busy, 1);
			pool->max = pool->started;
			break;
		}
		pool->started++;
	}
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

/*
 * Reads /proc into the queue a batch at a time, so that helpers start on the
 * first pids while the rest are listed (listing a thousand entries takes
 * about a millisecond).
 */
static int read_pids(struct scan *s, struct pool *pool)
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
		queued = queue(s, pids, parse_dents(buf, len, pids, sizeof(pids) / sizeof(*pids)));
		if (queued < 0)
			break;
		pool_grow(pool, queued);
	}
	close(fd);
	return queued < 0 ? (int)queued : 0;
}

/* Moves every worker's finds into l, in pid order. */
static int merge(struct worker *w, int nw, struct go_list *l)
{
	int err = 0;

	for (int i = 0; i < nw; i++) {
		struct go_list *f = &w[i].found;

		for (size_t j = 0; j < f->n; j++) {
			struct go_proc *p = err ? NULL : golist_add(l);

			if (!p) {
				err = -ENOMEM;
				free(f->procs[j].path);
				continue;
			}
			*p = f->procs[j];
		}
		l->denied += f->denied;
		l->vanished += f->vanished;
		free(f->procs);
		if (w[i].err && !err)
			err = w[i].err;
	}
	if (!err)
		qsort(l->procs, l->n, sizeof(*l->procs), cmp_pid);
	return err;
}

int golist_scan(struct go_list *l)
{
	struct scan s = { .self = getpid() };
	pthread_mutexattr_t adaptive;
	struct pool pool;
	int err;

	atomic_init(&s.published, 0);
	atomic_init(&s.taken, 0);
	atomic_init(&s.done, false);
	atomic_init(&s.helpers_busy, 0);
	/* Spins a little before sleeping: the lock is only ever held briefly. */
	pthread_mutexattr_init(&adaptive);
	pthread_mutexattr_settype(&adaptive, PTHREAD_MUTEX_ADAPTIVE_NP);
	pthread_mutex_init(&s.queue_lock, &adaptive);
	pthread_mutexattr_destroy(&adaptive);
	pthread_rwlock_init(&s.cache_lock, NULL);
	pool_init(&pool, &s);
	/* Everything that initialises itself on first use, before any thread runs. */
	proc_dirfd();
	portfile_own_dirs(&s.own);
	s.own_listing = portfile_cache_new();
	if (!s.own_listing)
		return -ENOMEM;
	for (int i = 0; i < s.own.n; i++)
		portfile_cache_has(s.own_listing, s.own.dir[i], 0);

	pool_grow(&pool, task_estimate());
	queue_done(&s, read_pids(&s, &pool));
	work(&pool.w[0]);
	while (atomic_load(&s.helpers_busy) > 0)
		sched_yield();
	for (int i = 1; i < pool.started; i++)
		pthread_join(pool.w[i].tid, NULL);

	err = merge(pool.w, pool.started, l);
	if (!err)
		err = s.err;
	pthread_mutex_destroy(&s.queue_lock);
	pthread_rwlock_destroy(&s.cache_lock);
	portfile_cache_free(s.own_listing);
	free(s.pids);
	free(s.cache.v);
	return err;
}
