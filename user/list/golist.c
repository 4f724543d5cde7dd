// SPDX-License-Identifier: MIT
/* The rows of the Go process list: built in one place, whatever the source. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/str.h"
#include "list/golist.h"
#include "proc/proc.h"

/* Where the process lives: what the source knows, else /proc (unknown stays zero). */
static void fill_identity(struct go_proc *p, const struct go_proc_src *src)
{
	if (src->ns)
		p->ns = *src->ns;
	else if (proc_namespaces(p->pid, &p->ns) < 0)
		memset(&p->ns, 0, sizeof(p->ns));
	if (src->ctr)
		p->ctr = *src->ctr;
	else if (proc_container(p->pid, &p->ctr) <= 0)
		memset(&p->ctr, 0, sizeof(p->ctr));
}

int go_proc_fill(struct go_proc *p, const struct go_proc_src *src, struct portfile_cache *marks)
{
	char path[4096];
	int err;

	p->pid = src->pid;
	p->ppid = src->ppid;
	p->nspid = src->nspid > 0 ? src->nspid : src->pid;
	p->agent = false;
	p->start_boottime = src->start_boottime;
	p->path = NULL;
	str_copy_n(p->version, sizeof(p->version), src->version ? src->version : "",
		sizeof(p->version));
	if (src->name)
		str_copy_n(p->name, sizeof(p->name), src->name, src->name_len);
	else
		proc_name(p->pid, src->comm ? src->comm : "", p->name, sizeof(p->name));
	if (src->path) {
		str_copy_n(path, sizeof(path), src->path, src->path_len);
	} else {
		err = proc_exe_path(p->pid, path, sizeof(path));
		if (err)
			return err;
	}
	p->path = strdup(path);
	if (!p->path)
		return -ENOMEM;
	fill_identity(p, src);
	if (marks)
		p->agent = portfile_has_agent(marks, p->pid, p->nspid, src->dirs);
	return 0;
}

int golist_add(struct go_list *l, const struct go_proc_src *src, struct portfile_cache *marks)
{
	struct go_proc *p = array_push(&l->procs, &l->n, &l->cap, sizeof(*l->procs));
	int err;

	if (!p)
		return -ENOMEM;
	err = go_proc_fill(p, src, marks);
	if (err) {
		free(p->path);
		l->n--;
	}
	return err;
}

void golist_keep_container(struct go_list *l, const char *prefix)
{
	size_t kept = 0;

	for (size_t i = 0; i < l->n; i++) {
		struct go_proc *p = &l->procs[i];

		if (container_matches(&p->ctr, prefix))
			l->procs[kept++] = *p;
		else
			free(p->path);
	}
	l->n = kept;
}

int golist_take(struct go_list *l, struct go_list *from)
{
	int err = 0;

	for (size_t i = 0; i < from->n; i++) {
		struct go_proc *p = err ? NULL : array_push(&l->procs, &l->n, &l->cap, sizeof(*p));

		if (!p) {
			err = -ENOMEM;
			free(from->procs[i].path);
			continue;
		}
		*p = from->procs[i];
	}
	l->denied += from->denied;
	l->vanished += from->vanished;
	free(from->procs);
	memset(from, 0, sizeof(*from));
	return err;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct go_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

void golist_sort(struct go_list *l)
{
	if (l->n)
		qsort(l->procs, l->n, sizeof(*l->procs), cmp_pid);
}

void golist_free(struct go_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->procs[i].path);
	free(l->procs);
	memset(l, 0, sizeof(*l));
}
