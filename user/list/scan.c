// SPDX-License-Identifier: MIT
/* The /proc scan: every process, on several threads, each executable parsed once. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golang/verdict.h"
#include "list/golist.h"
#include "proc/proc.h"
#include "proc/procwalk.h"

/*
 * One scan: procwalk visits each pid on up to PROCWALK_MAX_THREADS threads,
 * each keeping what it finds in its own list; the verdict cache and the
 * port-file listings are shared.
 */
struct worker {
	struct scan *s;
	struct go_list found;
	int err;
};

struct scan {
	struct verdict_cache *verdicts;
	struct portfile_cache *marks;
	int self;
	struct worker w[PROCWALK_MAX_THREADS];
};

/*
 * Decides whether pid runs a Go executable, parsing it only when unseen.
 * Returns 1 (Go, version set), 0 (not Go), or -errno.
 */
static int classify(struct scan *s, int pid, struct verdict *v)
{
	struct stat st;
	int err = proc_stat_exe(pid, &st), fd;

	if (err)
		return err;
	if (!verdict_lookup(s->verdicts, &st, v)) {
		/* Keyed by what is opened: if pid exec'd meanwhile, that is what it runs now. */
		fd = proc_open_exe(pid);
		if (fd < 0)
			return fd;
		err = verdict_of_fd(s->verdicts, fd, v, NULL);
		close(fd);
		if (err)
			return err;
	}
	return v->is_go;
}

static void count_failure(struct worker *w, int err)
{
	if (err == -EACCES || err == -EPERM)
		w->found.denied++;
	else if (err == -ENOMEM)
		w->err = err;
	else
		w->found.vanished++;
}

/* status rather than stat: one read gives the parent, the name and NSpid. */
static void inspect(struct worker *w, int pid)
{
	struct proc_status st;
	struct go_proc_src src = { .pid = pid };
	char comm[sizeof(st.name)];
	struct verdict v;
	int r = classify(w->s, pid, &v);

	if (r < 0 && (r == -EACCES || r == -EPERM || r == -ENOMEM))
		count_failure(w, r);
	if (r <= 0)
		return; /* not Go, a kernel thread, or gone */
	r = proc_read_status(pid, &st);
	if (!r && st.ppid < 0)
		r = -ENOENT;
	if (!r) {
		src.ppid = st.ppid;
		src.nspid = st.nspid;
		proc_unescape_name(st.name, comm, sizeof(comm));
		src.comm = comm;
		src.version = v.version;
		r = golist_add(&w->found, &src, w->s->marks);
	}
	if (r)
		count_failure(w, r); /* it exited while we looked, or is not ours to read */
}

static void visit(void *ctx, int thread, int pid)
{
	struct scan *s = ctx;
	struct worker *w = &s->w[thread];

	if (pid != s->self && !w->err)
		inspect(w, pid);
}

int golist_scan(struct go_list *l)
{
	struct scan *s = calloc(1, sizeof(*s));
	int threads = 0, err = 0;

	if (!s)
		return -ENOMEM;
	s->self = getpid();
	for (int i = 0; i < PROCWALK_MAX_THREADS; i++)
		s->w[i].s = s;
	s->verdicts = verdict_cache_new(0);
	s->marks = portfile_cache_new(); /* our own directories are listed before the walk */
	if (!s->verdicts || !s->marks)
		err = -ENOMEM;
	if (!err)
		err = procwalk(visit, s, &threads);
	for (int i = 0; i < threads; i++) {
		int take = golist_take(l, &s->w[i].found);

		if (!err)
			err = s->w[i].err ? s->w[i].err : take;
	}
	golist_sort(l);
	verdict_cache_free(s->verdicts);
	portfile_cache_free(s->marks);
	free(s);
	return err;
}
