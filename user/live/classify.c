// SPDX-License-Identifier: MIT
/*
 * The loader's side of each event: an executable the kernel has no verdict
 * for is parsed here once and its verdict written back to the kernel's cache
 * (bins); a row that became a Go process gets the details the listing shows,
 * so that `gops` reads no /proc; exits clear them.
 *
 * Rows are created only by BPF. User space upgrades a row only if it still
 * describes the same process (same executable and start time), with
 * BPF_EXIST, so a process that exits before it is classified never leaves a
 * row behind.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "base/array.h"
#include "base/escape.h"
#include "list/golist.h"
#include "live/loader.h"
#include "live/pinned.h"
#include "proc/proc.h"

/*
 * The verdict for the executable behind fd (whose kernel identity is dev/ino),
 * parsing it only if this identity was never seen; written to the kernel's
 * verdict cache so its next execs are decided there. NULL if fd cannot be
 * read.
 */
const struct verdict *classify_fd(
	struct tracer *t, int fd, int pid, uint64_t dev, uint64_t ino, struct verdict *v)
{
	struct gops_exe_key key = { .dev = dev, .ino = ino };
	struct gops_verdict kv = { 0 };
	struct stat st;
	bool parsed;

	if (fstat(fd, &st) < 0 || verdict_of_fd(t->verdicts, fd, v, &parsed) != 0)
		return NULL;
	if (parsed) {
		t->parsed++;
		if (t->opts.verbose) {
			char path[4096];

			if (proc_exe_path(pid, path, sizeof(path)) < 0)
				snprintf(path, sizeof(path), "pid %d", pid);
			fputs("gops daemon: parsed ", stderr);
			escape_fputs(stderr, path, strlen(path));
			fprintf(stderr, ": %s\n", v->is_go ? v->version : "not Go");
		}
	}
	kv.ctime_ns = (uint64_t)st.st_ctim.tv_sec * 1000000000ULL + (uint64_t)st.st_ctim.tv_nsec;
	kv.is_go = v->is_go;
	snprintf(kv.version, sizeof(kv.version), "%.*s", (int)sizeof(kv.version) - 1, v->version);
	loader_update(t, t->bins_fd, &key, &kv, BPF_ANY);
	return v;
}

/* The executable path, kept in the details when it fits. */
static void set_details_path(struct gops_details *d, const char *path)
{
	size_t len = path ? strlen(path) : 0;

	d->path_ok = path && len < sizeof(d->path);
	memset(d->path, 0, sizeof(d->path));
	d->path_len = 0;
	if (d->path_ok) {
		memcpy(d->path, path, len);
		d->path_len = (uint16_t)len;
	}
}

static void set_details_dirs(struct gops_details *d, int pid)
{
	struct portfile_dirs dirs;

	portfile_target_dirs(pid, true, &dirs);
	d->ndirs = dirs.n <= GOPS_MAX_DIRS ? (uint32_t)dirs.n : GOPS_DIRS_UNKNOWN;
	for (int i = 0; i < dirs.n && d->ndirs != GOPS_DIRS_UNKNOWN; i++) {
		size_t len = strlen(dirs.dir[i]);

		if (len >= GOPS_DIR_LEN) {
			d->ndirs = GOPS_DIRS_UNKNOWN;
		} else {
			memcpy(d->dirs[i], dirs.dir[i], len);
			d->dir_len[i] = (uint16_t)len;
		}
	}
}

/*
 * Everything the listing shows that is not in the row, read from /proc once
 * here by the listing's own row builder (so that `gops` reads none of it and
 * shows what a scan would). p, when not NULL, gets that row too (p->path may
 * be NULL when the process is gone; the caller frees it).
 */
void record_details(struct tracer *t, const struct gops_row *row, struct go_proc *p)
{
	struct go_proc_src src = { .pid = (int)row->pid, .ppid = (int)row->ppid };
	struct go_proc own;
	struct gops_details d;
	char comm[GOPS_COMM_LEN + 1];
	uint32_t pid = row->pid;

	memset(&d, 0, sizeof(d));
	d.start_boottime = row->start_boottime;
	d.ino = row->ino;
	snprintf(comm, sizeof(comm), "%.*s", GOPS_COMM_LEN, row->comm);
	src.comm = comm;
	src.nspid = (int)row->nspid;
	if (!p)
		p = &own;
	go_proc_fill(p, &src, NULL);
	snprintf(d.name, sizeof(d.name), "%.*s", (int)sizeof(d.name) - 1, p->name);
	d.name_len = (uint16_t)strlen(d.name);
	set_details_path(&d, p->path);
	set_details_dirs(&d, (int)pid);
	pinned_pack_identity(&d.ident, &p->ns, &p->ctr);
	loader_update(t, t->details_fd, &pid, &d, BPF_ANY);
	if (p == &own)
		free(own.path);
}

void forget_details(struct tracer *t, uint32_t pid, uint64_t start_boottime)
{
	struct gops_details d;

	if (bpf_map_lookup_elem(t->details_fd, &pid, &d) == 0 && d.start_boottime == start_boottime)
		loader_delete(t, t->details_fd, &pid);
}

/*
 * The new parent of a row the kernel flagged REPARENTED (reparents times),
 * once /proc shows the hand-over done: the parent that left (row.ppid) is no
 * longer the parent. Returns whether d changed. A later hand-over bumps the
 * row's count, so readers never take this answer for that one.
 */
static bool resolve_parent(struct tracer *t, uint32_t pid, struct gops_details *d)
{
	struct gops_row row;
	struct proc_stat st;

	if (bpf_map_lookup_elem(t->procs_fd, &pid, &row) != 0 ||
		!(row.flags & GOPS_ROW_REPARENTED) || row.reparents == d->ppid_reparents ||
		row.start_boottime != d->start_boottime || row.ino != d->ino)
		return false;
	if (!proc_is_process((int)pid, row.start_boottime, &st) || st.ppid < 0 ||
		(uint32_t)st.ppid == row.ppid)
		return false; /* gone, or still being handed over: next time */
	d->ppid = (uint32_t)st.ppid;
	d->ppid_reparents = row.reparents;
	return true;
}

/* Do the details still describe the row under their pid (same process)? */
static bool details_have_row(struct tracer *t, uint32_t pid, const struct gops_details *d)
{
	struct gops_row row;

	return bpf_map_lookup_elem(t->procs_fd, &pid, &row) == 0 && (row.flags & GOPS_ROW_GO) &&
	       row.start_boottime == d->start_boottime && row.ino == d->ino;
}

/*
 * A process can be moved to another cgroup after its exec (cgclassify,
 * systemd, a runtime adopting it): its container is read again. Returns
 * whether it changed.
 */
static bool refresh_container(uint32_t pid, struct gops_details *d)
{
	struct gops_identity was = d->ident;
	struct container_info ctr, old;
	struct proc_ns ns;

	if (proc_container((int)pid, &ctr) < 0)
		return false; /* gone, or not ours to read: keep what we knew */
	pinned_unpack_identity(&d->ident, &ns, &old);
	pinned_pack_identity(&d->ident, &ns, &ctr);
	return memcmp(&was, &d->ident, sizeof(was)) != 0;
}

/*
 * At every heartbeat: the executable path changes when the file is deleted
 * or renamed ("(deleted)" appears), reparented rows need their new
 * parent, and a process may have changed cgroup. Details whose row is gone go: a Go process that
 * exec'd a binary the kernel knows is not Go loses its row in the kernel, with no event.
 */
void refresh_details(struct tracer *t)
{
	uint32_t key, next, *prev = NULL, *slot, *orphans = NULL;
	size_t norphans = 0, cap = 0;
	struct gops_details d;
	char old[GOPS_PATH_LEN], path[4096];

	while (bpf_map_get_next_key(t->details_fd, prev, &next) == 0) {
		bool changed;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(t->details_fd, &key, &d) != 0)
			continue;
		if (!details_have_row(t, key, &d)) {
			/* Deleted after the walk: deleting now could cut it short. */
			slot = array_push(&orphans, &norphans, &cap, sizeof(*orphans));
			if (slot)
				*slot = key;
			continue;
		}
		memcpy(old, d.path, sizeof(old));
		set_details_path(
			&d, proc_exe_path((int)key, path, sizeof(path)) == 0 ? path : NULL);
		changed = memcmp(old, d.path, sizeof(old)) != 0;
		changed |= resolve_parent(t, key, &d);
		changed |= refresh_container(key, &d);
		if (changed)
			loader_update(t, t->details_fd, &key, &d, BPF_EXIST);
	}
	for (size_t i = 0; i < norphans; i++)
		if (bpf_map_lookup_elem(t->details_fd, &orphans[i], &d) == 0 &&
			!details_have_row(t, orphans[i], &d))
			loader_delete(t, t->details_fd, &orphans[i]);
	free(orphans);
}

/* A row just became a Go process: details for `gops`, an event for `watch`. */
static void on_go_row(struct tracer *t, const struct gops_row *row, uint64_t ts)
{
	struct tracer_event ev = { 0 };
	struct go_proc p;

	record_details(t, row, &p);
	probe_go_exe(t, row->pid, row->version);
	if (t->opts.on_event) {
		ev.type = GOPS_EV_EXEC;
		ev.pid = (int)row->pid;
		ev.ppid = (int)row->ppid;
		ev.nspid = (int)row->nspid;
		ev.ts_boot = ts;
		memcpy(ev.version, row->version, sizeof(ev.version));
		ev.version[sizeof(ev.version) - 1] = '\0';
		/* What the listing shows, from the same builder. */
		snprintf(ev.name, sizeof(ev.name), "%s", p.name);
		snprintf(ev.path, sizeof(ev.path), "%s", p.path ? p.path : "");
		ev.ns = p.ns;
		ev.ctr = p.ctr;
		t->opts.on_event(t->opts.ctx, &ev);
	}
	free(p.path);
}

#define PF_EXITING 0x4

/*
 * Our upgrade rewrote the whole row: had the parent's exit hook flagged it as
 * reparented between our read and our write, that is lost. A parent that is
 * gone or exiting now means just that (it sets PF_EXITING before its exit
 * hook runs; if it only starts exiting after this check, its hook sees our
 * row). A row that was flagged already may have been handed over once more
 * meanwhile: count one more hand-over, so that the parent is looked up again.
 */
static void keep_reparent_flag(struct tracer *t, struct gops_row *row)
{
	struct proc_stat st;
	uint32_t pid = row->pid;

	if (!(row->flags & GOPS_ROW_REPARENTED) && proc_read_stat((int)row->ppid, &st) == 0 &&
		!(st.flags & PF_EXITING))
		return;
	row->flags |= GOPS_ROW_REPARENTED;
	row->reparents++;
	loader_update(t, t->procs_fd, &pid, row, BPF_EXIST);
}

/* A CLASSIFY event: decide, then upgrade or drop the row if it is still ours. */
static void handle_classify(struct tracer *t, const struct gops_event *e)
{
	const struct verdict *v;
	struct verdict verdict;
	struct gops_row row;
	struct stat st;
	uint32_t pid = e->pid;
	int fd = proc_open_exe((int)e->pid);

	if (fd < 0)
		return; /* gone already: its exit removed the row */
	/* Only the inode is compared: st_dev may not match the kernel's s_dev
	 * on overlay or btrfs, and the event's key is what the kernel looks up. */
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_ino != e->ino) {
		close(fd);
		return; /* it exec'd again; that exec has its own event */
	}
	v = classify_fd(t, fd, (int)e->pid, e->dev, e->ino, &verdict);
	close(fd);
	if (!v)
		return;
	if (bpf_map_lookup_elem(t->procs_fd, &pid, &row) != 0 || row.ino != e->ino ||
		row.start_boottime != e->start_boottime)
		return;
	if (!v->is_go) {
		/* A Go process that exec'd something else: no exit will clear its details. */
		loader_delete(t, t->procs_fd, &pid);
		forget_details(t, pid, row.start_boottime);
		return;
	}
	row.flags = (row.flags & GOPS_ROW_REPARENTED) | GOPS_ROW_GO;
	snprintf(
		row.version, sizeof(row.version), "%.*s", (int)sizeof(row.version) - 1, v->version);
	if (loader_update(t, t->procs_fd, &pid, &row, BPF_EXIST) != 0)
		return;
	keep_reparent_flag(t, &row);
	on_go_row(t, &row, e->ts_boot);
}

/*
 * The version of an exiting row's executable: the row's when it was
 * classified, else the verdict the kernel's cache holds for its executable
 * (it may have exited before its upgrade). Returns false when it was not Go.
 */
static bool exit_version(struct tracer *t, const struct gops_event *e, char *version, size_t len)
{
	struct gops_exe_key key = { .dev = e->dev, .ino = e->ino };
	struct gops_verdict v;

	if (e->flags & GOPS_ROW_GO) {
		snprintf(version, len, "%.*s", (int)sizeof(e->version), e->version);
		return true;
	}
	if (bpf_map_lookup_elem(t->bins_fd, &key, &v) != 0 || v.ctime_ns != e->ctime_ns || !v.is_go)
		return false;
	snprintf(version, len, "%.*s", (int)sizeof(v.version), v.version);
	return true;
}

/*
 * Why it ended. An OOM kill is the SIGKILL the OOM killer sent a victim it
 * marked. A panic or fatal error is exit code 2 (or a SIGABRT, with
 * GOTRACEBACK=crash) after the runtime printed a crash header: os.Exit(2)
 * alone is just an exit, and so is a crash text before a clean exit.
 */
static void set_cause(struct tracer *t, const struct gops_event *e, struct tracer_event *ev)
{
	long page = sysconf(_SC_PAGESIZE);
	bool crashed = ev->exit_code == 2 || ev->signal == SIGABRT;

	if (t->crash.pid == e->pid && t->crash.start_boottime == e->start_boottime && crashed)
		go_crash_parse(t->crash.buf, t->crash.len, &ev->crash);
	t->crash.pid = 0;
	if (ev->signal == SIGKILL && e->has_oom) {
		ev->cause = GOPS_CAUSE_OOM;
		ev->oom_rss_bytes = e->oom.rss_pages * (uint64_t)(page > 0 ? page : 4096);
		ev->oom_limit_bytes = e->oom.limit_pages * (uint64_t)(page > 0 ? page : 4096);
	} else if (ev->crash.kind == GO_CRASH_PANIC) {
		ev->cause = GOPS_CAUSE_PANIC;
	} else if (ev->crash.kind == GO_CRASH_FATAL) {
		ev->cause = GOPS_CAUSE_FATAL;
	} else if (ev->signal) {
		ev->cause = GOPS_CAUSE_SIGNAL;
	} else {
		ev->cause = GOPS_CAUSE_EXIT;
	}
}

static void handle_exit(struct tracer *t, const struct gops_event *e)
{
	struct tracer_event ev = { 0 };
	struct gops_details d;
	uint32_t pid = e->pid;
	bool named = false;

	/* The name its exec showed (the listing's), while its details are there. */
	if ((t->opts.on_event || t->pinned) && bpf_map_lookup_elem(t->details_fd, &pid, &d) == 0 &&
		d.start_boottime == e->start_boottime && d.name_len < sizeof(d.name)) {
		snprintf(ev.name, sizeof(ev.name), "%.*s", (int)d.name_len, d.name);
		named = true;
		pinned_unpack_identity(&d.ident, &ev.ns, &ev.ctr);
	}
	forget_details(t, e->pid, e->start_boottime);
	if ((!t->opts.on_event && !t->pinned) ||
		!exit_version(t, e, ev.version, sizeof(ev.version))) {
		t->crash.pid = 0;
		return;
	}
	ev.type = GOPS_EV_EXIT;
	ev.pid = (int)e->pid;
	ev.ppid = (int)e->ppid;
	ev.nspid = (int)e->nspid;
	ev.ts_boot = e->ts_boot;
	ev.lifetime = e->ts_boot > e->start_boottime ? e->ts_boot - e->start_boottime : 0;
	if (e->exit_code & 0x7f) {
		ev.exit_code = -1;
		ev.signal = e->exit_code & 0x7f;
		/* the last signal it was sent, if that is the one it died of */
		ev.have_sender = e->sender.sig == ev.signal;
		ev.sender_pid = (int)e->sender.sender_pid;
		snprintf(ev.sender_comm, sizeof(ev.sender_comm), "%.*s",
			(int)sizeof(e->sender.sender_comm), e->sender.sender_comm);
	} else {
		ev.exit_code = (e->exit_code >> 8) & 0xff;
	}
	set_cause(t, e, &ev);
	if (!named)
		snprintf(ev.name, sizeof(ev.name), "%.*s", (int)sizeof(e->comm), e->comm);
	if (t->pinned)
		deaths_record(t, &ev);
	if (t->opts.on_event)
		t->opts.on_event(t->opts.ctx, &ev);
}

/* Kept for the exit event that follows (same ring, same order). */
static void handle_stderr(struct tracer *t, const void *data, size_t size)
{
	struct gops_stderr hdr;
	size_t n;

	if (size < offsetof(struct gops_stderr, buf))
		return;
	memcpy(&hdr, data, offsetof(struct gops_stderr, buf));
	n = size - offsetof(struct gops_stderr, buf);
	if (n > hdr.len)
		n = hdr.len;
	if (n > sizeof(t->crash.buf))
		n = sizeof(t->crash.buf);
	t->crash.pid = hdr.pid;
	t->crash.start_boottime = hdr.start_boottime;
	t->crash.truncated = hdr.truncated != 0;
	t->crash.len = n;
	memcpy(t->crash.buf, (const char *)data + offsetof(struct gops_stderr, buf), n);
}

int on_ring_event(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;
	struct gops_event e;
	uint32_t type;

	if (size < sizeof(type))
		return 0;
	memcpy(&type, data, sizeof(type));
	if (type == GOPS_EV_STDERR) {
		handle_stderr(t, data, size);
		return 0;
	}
	if (size < sizeof(e))
		return 0;
	memcpy(&e, data, sizeof(e));
	e.comm[sizeof(e.comm) - 1] = '\0';
	switch (e.type) {
	case GOPS_EV_EXEC: {
		struct gops_row row = { 0 };

		row.pid = e.pid;
		row.ppid = e.ppid;
		row.nspid = e.nspid;
		row.start_boottime = e.start_boottime;
		row.ino = e.ino;
		memcpy(row.comm, e.comm, sizeof(row.comm));
		memcpy(row.version, e.version, sizeof(row.version));
		on_go_row(t, &row, e.ts_boot);
		break;
	}
	case GOPS_EV_CLASSIFY:
		handle_classify(t, &e);
		break;
	case GOPS_EV_EXIT:
		handle_exit(t, &e);
		break;
	}
	return 0;
}
