// SPDX-License-Identifier: MIT
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "gops.h"
#include "portfile.h"
#include "proc.h"
#include "table.h"

#define BATCH 256

static uint64_t now_boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int open_pinned(const char *pin_dir, const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pin_dir, name);
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

/* A live loader: its pid runs, it is the same process, and it beat lately. */
static int check_loader(int meta_fd, char *why, size_t whylen)
{
	struct gops_meta meta;
	struct proc_stat st;
	uint32_t zero = 0;
	long ticks_ns = 1000000000L / sysconf(_SC_CLK_TCK);

	if (bpf_map_lookup_elem(meta_fd, &zero, &meta) != 0 || meta.loader_pid == 0) {
		snprintf(why, whylen, "the table has no loader");
		return -ESTALE;
	}
	if (proc_read_stat((int)meta.loader_pid, &st) != 0 ||
		st.starttime != meta.loader_start_boottime / (uint64_t)ticks_ns) {
		snprintf(why, whylen, "its loader (pid %u) is gone", meta.loader_pid);
		return -ESTALE;
	}
	if (!meta.seeded || now_boot_ns() - meta.heartbeat_boot_ns > TABLE_HEARTBEAT_MAX_NS) {
		snprintf(why, whylen, "its loader (pid %u) stopped beating", meta.loader_pid);
		return -ESTALE;
	}
	return 0;
}

/* The kernel shows comm in /proc/PID/status with \n and \ escaped: so do we. */
static void escape_comm(const char *comm, size_t len, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < len && comm[i] && o + 3 < outlen; i++) {
		if (comm[i] == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if (comm[i] == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
		} else {
			out[o++] = comm[i];
		}
	}
	out[o] = '\0';
}

/* Turns a Go row into a listing entry; -ENOENT if the process is not that row any more. */
static int entry_from_row(const struct gops_row *row, struct go_proc *p, long ticks_ns)
{
	struct proc_stat st;
	char comm[64], path[4096];
	int err = proc_read_stat((int)row->pid, &st);

	if (err)
		return err;
	if (st.starttime != row->start_boottime / (uint64_t)ticks_ns)
		return -ENOENT;
	p->pid = (int)row->pid;
	p->ppid = st.ppid; /* the row's parent may have died since: reparented */
	p->nspid = (int)row->nspid;
	escape_comm(row->comm, sizeof(row->comm), comm, sizeof(comm));
	proc_name(p->pid, comm, p->name, sizeof(p->name));
	snprintf(p->version, sizeof(p->version), "%.*s", (int)sizeof(row->version),
		row->version);
	err = proc_exe_path(p->pid, path, sizeof(path));
	if (err)
		return err;
	p->path = strdup(path);
	if (!p->path)
		return -ENOMEM;
	p->agent = portfile_find(p->pid, p->nspid, path, sizeof(path)) == 0;
	return 0;
}

static int cmp_proc(const void *a, const void *b)
{
	const struct go_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int read_rows(int procs_fd, struct go_list *l)
{
	uint32_t keys[BATCH], in = 0, out = 0;
	struct gops_row *rows = calloc(BATCH, sizeof(*rows));
	long ticks_ns = 1000000000L / sysconf(_SC_CLK_TCK);
	bool first = true, done = false;
	int err = 0;

	if (!rows)
		return -ENOMEM;
	while (!done) {
		uint32_t count = BATCH;

		err = bpf_map_lookup_batch(procs_fd, first ? NULL : &in, &out, keys, rows, &count,
			NULL);
		if (err && errno != ENOENT) {
			err = -errno;
			break;
		}
		done = err != 0; /* ENOENT: that was the last batch */
		err = 0;
		first = false;
		in = out;
		for (uint32_t i = 0; i < count; i++) {
			struct go_proc *p;

			if (!(rows[i].flags & GOPS_ROW_GO))
				continue;
			p = golist_add(l);
			if (!p) {
				err = -ENOMEM;
				done = true;
				break;
			}
			if (entry_from_row(&rows[i], p, ticks_ns) != 0) {
				free(p->path);
				l->n--;
				l->vanished++;
			}
		}
	}
	free(rows);
	if (!err)
		qsort(l->procs, l->n, sizeof(*l->procs), cmp_proc);
	return err;
}

int table_list(const char *pin_dir, struct go_list *l, char *why, size_t whylen)
{
	int meta_fd = open_pinned(pin_dir, "meta"), procs_fd = -1, err;

	if (meta_fd < 0) {
		snprintf(why, whylen, "no table at %s: %s", pin_dir, strerror(-meta_fd));
		return meta_fd == -ENOENT ? -ENOENT : meta_fd;
	}
	err = check_loader(meta_fd, why, whylen);
	if (!err) {
		procs_fd = open_pinned(pin_dir, "procs");
		if (procs_fd < 0) {
			err = procs_fd;
			snprintf(why, whylen, "failed to open %s/procs: %s", pin_dir, strerror(-err));
		}
	}
	if (!err) {
		err = read_rows(procs_fd, l);
		if (err)
			snprintf(why, whylen, "failed to read %s/procs: %s", pin_dir, strerror(-err));
	}
	close(meta_fd);
	if (procs_fd >= 0)
		close(procs_fd);
	return err;
}
