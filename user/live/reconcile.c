// SPDX-License-Identifier: MIT
/*
 * Bringing the table in line with /proc: at start-up (the processes that ran
 * before the loader, for zero-restart discovery) and whenever events were
 * lost. The one place user space creates rows: it inserts them with
 * BPF_NOEXIST, then checks that the process is still alive.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "base/array.h"
#include "live/loader.h"
#include "proc/container.h"
#include "proc/proc.h"

/* The cgroup v2 id is the inode number of the cgroup's directory. */
static uint64_t cgroup_id(int pid)
{
	char *buf, path[PATH_MAX];
	struct stat st;
	uint64_t id = 0;
	ssize_t n = proc_read_file(pid, "cgroup", &buf, 65536);
	char *line;

	if (n < 0)
		return 0;
	line = strstr(buf, "0::");
	if (line && (line == buf || line[-1] == '\n')) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		snprintf(path, sizeof(path), "/sys/fs/cgroup%s", line + 3);
		if (stat(path, &st) == 0)
			id = (uint64_t)st.st_ino;
	}
	free(buf);
	return id;
}

static uint64_t stat_ctime_ns(const struct stat *st)
{
	return (uint64_t)st->st_ctim.tv_sec * 1000000000ULL + (uint64_t)st->st_ctim.tv_nsec;
}

/* Builds a Go row for a process found in /proc. */
static int row_from_proc(
	int pid, const struct stat *exe, const struct verdict *v, struct gops_row *row)
{
	struct proc_stat st;
	struct proc_status status;
	struct proc_ns ns;
	int err = proc_read_stat(pid, &st);

	if (err)
		return err;
	memset(row, 0, sizeof(*row));
	row->pid = (uint32_t)pid;
	row->ppid = (uint32_t)st.ppid;
	row->nspid = (uint32_t)pid;
	if (proc_read_status(pid, &status) == 0 && status.nspid > 0)
		row->nspid = (uint32_t)status.nspid;
	row->flags = GOPS_ROW_GO;
	row->start_boottime = proc_ticks_to_ns(st.starttime);
	row->dev = (uint64_t)exe->st_dev;
	row->ino = (uint64_t)exe->st_ino;
	row->ctime_ns = stat_ctime_ns(exe);
	proc_namespaces(pid, &ns); /* what it cannot read stays 0, as the kernel's unknown */
	row->pidns = ns.pid;
	row->mntns = ns.mnt;
	row->netns = ns.net;
	row->cgroup_id = cgroup_id(pid);
	snprintf(row->comm, sizeof(row->comm), "%.15s", st.comm);
	snprintf(row->version, sizeof(row->version), "%.*s", (int)sizeof(row->version) - 1,
		v->version);
	return 0;
}

static bool has_details(struct tracer *t, const struct gops_row *row)
{
	struct gops_details d;
	uint32_t pid = row->pid;

	return bpf_map_lookup_elem(t->details_fd, &pid, &d) == 0 &&
	       d.start_boottime == row->start_boottime && d.ino == row->ino;
}

/* The verdict for pid's executable (stat'ed as exe). NULL when it cannot be read. */
static const struct verdict *pid_verdict(
	struct tracer *t, int pid, const struct stat *exe, struct verdict *v)
{
	const struct verdict *r;
	int fd;

	if (verdict_lookup(t->verdicts, exe, v))
		return v;
	fd = proc_open_exe(pid);
	if (fd < 0)
		return NULL;
	r = classify_fd(t, fd, pid, (uint64_t)exe->st_dev, (uint64_t)exe->st_ino, v);
	close(fd);
	return r;
}

/* Makes sure a live Go process found in /proc has its row. */
static void reconcile_pid(struct tracer *t, int pid)
{
	const struct verdict *v;
	struct verdict verdict;
	struct gops_row row, cur;
	uint32_t key = (uint32_t)pid;
	struct stat exe;
	int err;

	if (proc_stat_exe(pid, &exe) != 0)
		return;
	v = pid_verdict(t, pid, &exe, &verdict);
	if (!v)
		return;
	if (!v->is_go) {
		if (bpf_map_lookup_elem(t->procs_fd, &key, &cur) == 0 &&
			(cur.flags & GOPS_ROW_UNCLASSIFIED) && cur.ino == (uint64_t)exe.st_ino)
			loader_delete(t, t->procs_fd, &key);
		return;
	}
	if (row_from_proc(pid, &exe, v, &row) != 0)
		return;
	probe_go_exe(t, key, v->version);
	if (bpf_map_lookup_elem(t->procs_fd, &key, &cur) == 0) {
		if ((cur.flags & GOPS_ROW_GO) && proc_ns_to_ticks(cur.start_boottime) ==
							 proc_ns_to_ticks(row.start_boottime)) {
			if (!has_details(t, &cur))
				record_details(t, &cur, NULL);
			return; /* the kernel has it right */
		}
		if (loader_update(t, t->procs_fd, &key, &row, BPF_EXIST) != 0)
			return;
	} else {
		err = loader_update(t, t->procs_fd, &key, &row, BPF_NOEXIST);
		if (err == -E2BIG)
			t->insert_failed = true;
		if (err)
			return;
	}
	record_details(t, &row, NULL);
	/* It may have exited between our read and the insert: check again. */
	if (!proc_is_process(pid, row.start_boottime, NULL) &&
		bpf_map_lookup_elem(t->procs_fd, &key, &cur) == 0 &&
		cur.start_boottime == row.start_boottime) {
		loader_delete(t, t->procs_fd, &key);
		forget_details(t, key, row.start_boottime);
	}
}

/* The keys of a pid-keyed map whose entries fail keep(). Returns the count, or -ENOMEM. */
static long stale_keys(
	int fd, bool (*keep)(struct tracer *, int, uint32_t), struct tracer *t, uint32_t **out)
{
	uint32_t key, next, *prev = NULL, *slot;
	size_t n = 0, cap = 0;

	*out = NULL;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (keep(t, fd, key))
			continue;
		slot = array_push(out, &n, &cap, sizeof(**out));
		if (!slot)
			return -ENOMEM;
		*slot = key;
	}
	return (long)n;
}

static bool row_alive(struct tracer *t, int fd, uint32_t pid)
{
	struct gops_row row;

	(void)t;
	return bpf_map_lookup_elem(fd, &pid, &row) != 0 ||
	       proc_is_process((int)row.pid, row.start_boottime, NULL);
}

static bool details_have_row(struct tracer *t, int fd, uint32_t pid)
{
	struct gops_details d;
	struct gops_row row;

	if (bpf_map_lookup_elem(fd, &pid, &d) != 0)
		return true;
	return bpf_map_lookup_elem(t->procs_fd, &pid, &row) == 0 &&
	       row.start_boottime == d.start_boottime && row.ino == d.ino;
}

/* Drops the entries of a map that keep() rejects. Returns 0 or -ENOMEM. */
static int drop_stale(struct tracer *t, int fd, bool (*keep)(struct tracer *, int, uint32_t))
{
	uint32_t *stale;
	long n = stale_keys(fd, keep, t, &stale);

	for (long i = 0; i < n; i++)
		loader_delete(t, fd, &stale[i]);
	free(stale);
	return n < 0 ? (int)n : 0;
}

int reconcile(struct tracer *t)
{
	int *pids, n, self = getpid(), err;

	/* Rows whose process is gone or whose pid is another process now, and their details. */
	err = drop_stale(t, t->procs_fd, row_alive);
	if (!err)
		err = drop_stale(t, t->details_fd, details_have_row);
	n = err ? err : proc_list_pids(&pids);
	if (n < 0)
		return n;
	t->insert_failed = false;
	for (int i = 0; i < n; i++)
		if (pids[i] != self)
			reconcile_pid(t, pids[i]);
	free(pids);
	t->incomplete = t->insert_failed;
	return 0;
}
