// SPDX-License-Identifier: MIT
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/array.h"
#include "golang/buildinfo.h"
#include "list/golist.h"
#include "agent/portfile.h"
#include "proc/proc.h"
#include "proc/procwalk.h"

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
 * One scan: procwalk visits each pid on up to PROCWALK_MAX_THREADS threads,
 * each keeping what it finds in its own list; only the verdict cache is
 * shared.
 */
struct worker {
	struct scan *s;
	struct go_list found;
	int err;
};

struct scan {
	/* Every pid looks the cache up, a few dozen add to it: lookups run side by side. */
	pthread_rwlock_t cache_lock;
	struct verdict_cache cache;

	int self;
	struct portfile_dirs own;           /* gops' rule with our environment */
	struct portfile_cache *own_listing; /* those directories, listed before the walk */
	struct worker w[PROCWALK_MAX_THREADS];
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
	memset(out->version, 0, sizeof(out->version));
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

static void visit(void *ctx, int thread, int pid)
{
	struct scan *s = ctx;
	struct worker *w = &s->w[thread];

	if (pid != s->self && !w->err)
		inspect(w, pid);
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

/* Our own port-file directories, listed once, before any thread reads them. */
static int list_own_dirs(struct scan *s)
{
	portfile_own_dirs(&s->own);
	s->own_listing = portfile_cache_new();
	if (!s->own_listing)
		return -ENOMEM;
	for (int i = 0; i < s->own.n; i++)
		portfile_cache_has(s->own_listing, s->own.dir[i], 0);
	return 0;
}

int golist_scan(struct go_list *l)
{
	struct scan *s = calloc(1, sizeof(*s));
	int threads = 0, err, merge_err;

	if (!s)
		return -ENOMEM;
	s->self = getpid();
	for (int i = 0; i < PROCWALK_MAX_THREADS; i++)
		s->w[i].s = s;
	pthread_rwlock_init(&s->cache_lock, NULL);
	err = list_own_dirs(s);
	if (!err) {
		err = procwalk(visit, s, &threads);
		merge_err = merge(s->w, threads, l);
		if (merge_err)
			err = merge_err;
	}
	pthread_rwlock_destroy(&s->cache_lock);
	portfile_cache_free(s->own_listing);
	free(s->cache.v);
	free(s);
	return err;
}
