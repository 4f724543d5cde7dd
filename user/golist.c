// SPDX-License-Identifier: MIT
#include <errno.h>
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

/* Decides whether pid runs a Go executable, parsing it only when unseen. */
static int classify(struct verdict_cache *c, int pid, char *version, size_t len)
{
	char path[64];
	struct stat st;
	struct verdict *v;
	int fd, err;

	snprintf(path, sizeof(path), "%s/%d/exe", proc_root(), pid);
	if (stat(path, &st) < 0)
		return -errno;
	v = cache_find(c, &st);
	if (!v) {
		fd = proc_open_exe(pid);
		if (fd < 0)
			return fd;
		v = cache_add(c, &st);
		if (!v) {
			close(fd);
			return -ENOMEM;
		}
		err = buildinfo_read_version_fd(fd, v->version, sizeof(v->version));
		v->is_go = err == 0;
		close(fd);
	}
	if (!v->is_go)
		return 0;
	snprintf(version, len, "%s", v->version);
	return 1;
}

/* status rather than stat: one read gives the parent, the name and NSpid. */
int golist_fill(struct go_proc *p)
{
	struct proc_status st;
	char agent[4096], path[4096];
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
	free(p->path);
	p->path = strdup(path);
	if (!p->path)
		return -ENOMEM;
	p->agent = portfile_find(p->pid, p->nspid, agent, sizeof(agent)) == 0;
	return 0;
}

int golist_scan(struct go_list *l)
{
	struct verdict_cache cache = { 0 };
	int *pids, n, err = 0;
	int self = getpid();

	n = proc_list_pids(&pids);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		char version[64];
		struct go_proc *p;
		int r;

		if (pids[i] == self)
			continue;
		r = classify(&cache, pids[i], version, sizeof(version));
		if (r == -EACCES || r == -EPERM)
			l->denied++;
		if (r <= 0)
			continue; /* not Go, a kernel thread, or gone */
		p = golist_add(l);
		if (!p) {
			err = -ENOMEM;
			break;
		}
		p->pid = pids[i];
		snprintf(p->version, sizeof(p->version), "%s", version);
		r = golist_fill(p);
		if (r) {
			free(p->path);
			l->n--; /* it exited while we looked */
			if (r == -EACCES || r == -EPERM)
				l->denied++;
			else
				l->vanished++;
		}
	}
	free(pids);
	free(cache.v);
	return err;
}
