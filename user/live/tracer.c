// SPDX-License-Identifier: MIT
/*
 * The loader: BPF programs on exec/exit/fork keep the process table; this
 * side classifies executables the kernel has no verdict for, seeds the table
 * from /proc, and resyncs it when events are lost.
 *
 * Rows are created only by BPF. User space upgrades a row only if it still
 * describes the same process (same executable and start time), with
 * BPF_EXIST, so a process that exits before it is classified never leaves a
 * row behind. The one exception is the seed/resync from /proc, which inserts
 * rows with BPF_NOEXIST and then checks the process is still alive.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "base/array.h"
#include "golang/buildinfo.h"
#include "agent/portfile.h"
#include "proc/proc.h"
#include "live/tracer.h"
#include "tracer.skel.h"

#define BPF_FS_MAGIC 0xcafe4a11
#define HEARTBEAT_NS 1000000000ULL

/* What user space learnt about an executable: parsed once per identity. */
struct memo {
	uint64_t dev, ino, ctime_ns;
	bool is_go;
	char version[GOPS_GOVERSION_LEN];
};

struct tracer {
	struct tracer_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link *list_link; /* the pinned iterator over procs */
	struct tracer_opts opts;
	char pin_dir[PATH_MAX - 64]; /* room for the map names under it */
	bool pinned;
	int lock_fd;
	int procs_fd, bins_fd, counters_fd, meta_fd, details_fd;
	uint64_t last_drops, last_full;
	bool incomplete;    /* the table is full: some Go processes have no row */
	bool insert_failed; /* set by reconcile when a row did not fit */
	uint64_t last_heartbeat;
	uint64_t parsed, resyncs;
	long ticks_ns; /* ns per clock tick of /proc/PID/stat */
	struct memo *memo;
	size_t nmemo, memocap;
};

static uint64_t now_boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

const char *tracer_unavailable_reason(void)
{
	if (geteuid() != 0)
		return "BPF needs root (CAP_BPF and CAP_PERFMON)";
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return "this kernel has no BTF (/sys/kernel/btf/vmlinux), which the BPF programs "
		       "need";
	return NULL;
}

/* Mounts bpffs on /sys/fs/bpf when nothing is mounted there yet. */
static int ensure_bpffs(const char *pin_dir)
{
	struct statfs sfs;

	if (strncmp(pin_dir, "/sys/fs/bpf", 11) != 0)
		return 0;
	if (statfs("/sys/fs/bpf", &sfs) == 0 && (unsigned long)sfs.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700") < 0) {
		fprintf(stderr, "gops: failed to mount bpffs on /sys/fs/bpf: %s\n",
			strerror(errno));
		return -errno;
	}
	return 0;
}

/* One loader per pin dir: an exclusive flock on the directory itself. */
static int lock_pin_dir(struct tracer *t)
{
	if (mkdir(t->pin_dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "gops: failed to create %s: %s\n", t->pin_dir, strerror(errno));
		return -errno;
	}
	t->lock_fd = open(t->pin_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->lock_fd < 0) {
		fprintf(stderr, "gops: failed to open %s: %s\n", t->pin_dir, strerror(errno));
		return -errno;
	}
	if (flock(t->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		int err = -errno;

		if (errno == EWOULDBLOCK)
			fprintf(stderr, "gops: another gops daemon already owns %s\n", t->pin_dir);
		else
			fprintf(stderr, "gops: failed to lock %s: %s\n", t->pin_dir,
				strerror(errno));
		return err;
	}
	return 0;
}

static const char *const pinned_maps[] = { "procs", "bins", "counters", "meta", "details" };
#define LIST_PIN "list" /* the iterator link that `gops` reads */

static int pin_maps(struct tracer *t)
{
	struct bpf_map *maps[] = { t->skel->maps.procs, t->skel->maps.bins, t->skel->maps.counters,
		t->skel->maps.meta, t->skel->maps.details };
	DECLARE_LIBBPF_OPTS(bpf_iter_attach_opts, iopts);
	union bpf_iter_link_info linfo;
	char path[PATH_MAX];
	int err;

	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", t->pin_dir, pinned_maps[i]);
		unlink(path); /* left by a loader that was killed: we hold the lock */
		err = bpf_map__pin(maps[i], path);
		if (err) {
			fprintf(stderr, "gops: failed to pin %s: %s\n", path, strerror(-err));
			return err;
		}
	}
	t->pinned = true;
	memset(&linfo, 0, sizeof(linfo));
	linfo.map.map_fd = t->procs_fd;
	iopts.link_info = &linfo;
	iopts.link_info_len = sizeof(linfo);
	t->list_link = bpf_program__attach_iter(t->skel->progs.list_go, &iopts);
	if (!t->list_link) {
		err = -errno;
		fprintf(stderr, "gops: failed to create the table iterator: %s\n", strerror(errno));
		return err;
	}
	snprintf(path, sizeof(path), "%s/%s", t->pin_dir, LIST_PIN);
	unlink(path);
	err = bpf_link__pin(t->list_link, path);
	if (err)
		fprintf(stderr, "gops: failed to pin %s: %s\n", path, strerror(-err));
	return err;
}

static void unpin_maps(struct tracer *t)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(pinned_maps) / sizeof(pinned_maps[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", t->pin_dir, pinned_maps[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/%s", t->pin_dir, LIST_PIN);
	unlink(path);
	rmdir(t->pin_dir);
	t->pinned = false;
}

static void choose_programs(struct tracer_bpf *skel, bool btf)
{
	bpf_program__set_autoload(skel->progs.exec_btf, btf);
	bpf_program__set_autoload(skel->progs.exit_btf, btf);
	bpf_program__set_autoload(skel->progs.fork_btf, btf);
	bpf_program__set_autoload(skel->progs.exec_raw, !btf);
	bpf_program__set_autoload(skel->progs.exit_raw, !btf);
	bpf_program__set_autoload(skel->progs.fork_raw, !btf);
}

/*
 * Prefers tp_btf (BTF-typed tracepoints, no tracefs needed); falls back to
 * raw tracepoints on kernels that cannot load tracing programs.
 */
static int load_programs(struct tracer *t)
{
	bool btf = libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACING, NULL) == 1;
	int err;

	for (int attempt = 0; attempt < 2; attempt++) {
		t->skel = tracer_bpf__open();
		if (!t->skel) {
			fprintf(stderr, "gops: failed to open the BPF object: %s\n",
				strerror(errno));
			return -errno;
		}
		choose_programs(t->skel, btf);
		/* Attached to the procs map by hand, and only when pinning. */
		bpf_program__set_autoattach(t->skel->progs.list_go, false);
		if (t->opts.ringbuf_kb)
			bpf_map__set_max_entries(t->skel->maps.events, t->opts.ringbuf_kb * 1024);
		if (t->opts.max_procs) {
			bpf_map__set_max_entries(t->skel->maps.procs, t->opts.max_procs);
			bpf_map__set_max_entries(t->skel->maps.details, t->opts.max_procs);
		}
		err = tracer_bpf__load(t->skel);
		if (!err)
			err = tracer_bpf__attach(t->skel);
		if (!err)
			return 0;
		tracer_bpf__destroy(t->skel);
		t->skel = NULL;
		if (!btf)
			break;
		btf = false;
	}
	fprintf(stderr,
		"gops: failed to load BPF programs (tp_btf, then raw tracepoints on "
		"sched_process_exec/exit/fork): %s%s\n",
		strerror(-err), t->opts.verbose ? "" : "; -v shows the kernel's log");
	return err;
}

/* ---- classification ---- */

static struct memo *memo_find(struct tracer *t, uint64_t dev, uint64_t ino, uint64_t ctime_ns)
{
	for (size_t i = 0; i < t->nmemo; i++) {
		struct memo *m = &t->memo[i];

		if (m->ino == ino && m->dev == dev && m->ctime_ns == ctime_ns)
			return m;
	}
	return NULL;
}

static struct memo *memo_add(struct tracer *t)
{
	return array_push(&t->memo, &t->nmemo, &t->memocap, sizeof(*t->memo));
}

static uint64_t stat_ctime_ns(const struct stat *st)
{
	return (uint64_t)st->st_ctim.tv_sec * 1000000000ULL + (uint64_t)st->st_ctim.tv_nsec;
}

/*
 * The verdict for the executable behind fd (whose kernel identity is dev/ino),
 * parsing it only if this identity was never seen; written to the kernel's
 * verdict cache so its next execs are decided there.
 */
static const struct memo *classify_fd(struct tracer *t, int fd, int pid, uint64_t dev, uint64_t ino)
{
	struct gops_exe_key key = { .dev = dev, .ino = ino };
	struct gops_verdict v = { 0 };
	struct stat st;
	struct memo *m;

	if (fstat(fd, &st) < 0)
		return NULL;
	m = memo_find(t, dev, ino, stat_ctime_ns(&st));
	if (!m) {
		m = memo_add(t);
		if (!m)
			return NULL;
		m->dev = dev;
		m->ino = ino;
		m->ctime_ns = stat_ctime_ns(&st);
		m->is_go = buildinfo_read_version_fd(fd, m->version, sizeof(m->version)) == 0;
		t->parsed++;
		if (t->opts.verbose) {
			char path[4096];

			if (proc_exe_path(pid, path, sizeof(path)) < 0)
				snprintf(path, sizeof(path), "pid %d", pid);
			fprintf(stderr, "gops daemon: parsed %s: %s\n", path,
				m->is_go ? m->version : "not Go");
		}
	}
	v.ctime_ns = m->ctime_ns;
	v.is_go = m->is_go;
	memcpy(v.version, m->version, sizeof(v.version));
	bpf_map_update_elem(t->bins_fd, &key, &v, BPF_ANY);
	return m;
}

static uint64_t ticks_of(const struct tracer *t, uint64_t boot_ns)
{
	return boot_ns / (uint64_t)t->ticks_ns;
}

/* Is the row still the process /proc shows under its pid? */
static bool row_is_current(const struct tracer *t, const struct gops_row *row)
{
	struct proc_stat st;

	return proc_read_stat((int)row->pid, &st) == 0 &&
	       st.starttime == ticks_of(t, row->start_boottime);
}

static void set_details_path(struct gops_details *d, int pid)
{
	char path[4096];
	size_t len = 0;

	d->path_ok = proc_exe_path(pid, path, sizeof(path)) == 0 &&
		     (len = strlen(path)) < sizeof(d->path);
	memset(d->path, 0, sizeof(d->path));
	d->path_len = 0;
	if (d->path_ok) {
		memcpy(d->path, path, len);
		d->path_len = (uint16_t)len;
	}
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
	if (proc_read_stat((int)pid, &st) != 0 || st.starttime != ticks_of(t, row.start_boottime) ||
		st.ppid < 0 || (uint32_t)st.ppid == row.ppid)
		return false; /* gone, or still being handed over: next time */
	d->ppid = (uint32_t)st.ppid;
	d->ppid_reparents = row.reparents;
	return true;
}

/*
 * At every heartbeat: the executable path changes when the file is deleted
 * or renamed ("(deleted)" appears), and reparented rows need their new parent.
 */
static void refresh_details(struct tracer *t)
{
	uint32_t key, next, *prev = NULL;
	struct gops_details d;
	char old[GOPS_PATH_LEN];

	while (bpf_map_get_next_key(t->details_fd, prev, &next) == 0) {
		bool changed;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(t->details_fd, &key, &d) != 0)
			continue;
		memcpy(old, d.path, sizeof(old));
		set_details_path(&d, (int)key);
		changed = memcmp(old, d.path, sizeof(old)) != 0;
		changed |= resolve_parent(t, key, &d);
		if (changed)
			bpf_map_update_elem(t->details_fd, &key, &d, BPF_EXIST);
	}
}

/*
 * Everything the listing shows that is not in the row, read from /proc once
 * here so that `gops` reads none of it.
 */
static void record_details(struct tracer *t, const struct gops_row *row)
{
	struct gops_details d;
	struct portfile_dirs dirs;
	char comm[64];
	uint32_t pid = row->pid;

	memset(&d, 0, sizeof(d));
	d.start_boottime = row->start_boottime;
	d.ino = row->ino;
	proc_escape_comm(row->comm, sizeof(row->comm), comm, sizeof(comm));
	proc_name((int)pid, comm, d.name, sizeof(d.name));
	d.name_len = (uint16_t)strlen(d.name);
	set_details_path(&d, (int)pid);
	portfile_target_dirs((int)pid, true, &dirs);
	d.ndirs = dirs.n <= GOPS_MAX_DIRS ? (uint32_t)dirs.n : GOPS_DIRS_UNKNOWN;
	for (int i = 0; i < dirs.n && d.ndirs != GOPS_DIRS_UNKNOWN; i++) {
		size_t len = strlen(dirs.dir[i]);

		if (len >= GOPS_DIR_LEN) {
			d.ndirs = GOPS_DIRS_UNKNOWN;
		} else {
			memcpy(d.dirs[i], dirs.dir[i], len);
			d.dir_len[i] = (uint16_t)len;
		}
	}
	bpf_map_update_elem(t->details_fd, &pid, &d, BPF_ANY);
}

static void forget_details(struct tracer *t, uint32_t pid, uint64_t start_boottime)
{
	struct gops_details d;

	if (bpf_map_lookup_elem(t->details_fd, &pid, &d) == 0 && d.start_boottime == start_boottime)
		bpf_map_delete_elem(t->details_fd, &pid);
}

/* A row just became a Go process: details for `gops`, an event for `watch`. */
static void on_go_row(struct tracer *t, const struct gops_row *row, uint64_t ts)
{
	struct tracer_event ev = { 0 };

	record_details(t, row);
	if (!t->opts.on_event)
		return;
	ev.type = GOPS_EV_EXEC;
	ev.pid = (int)row->pid;
	ev.ppid = (int)row->ppid;
	ev.nspid = (int)row->nspid;
	ev.ts_boot = ts;
	memcpy(ev.version, row->version, sizeof(ev.version));
	ev.version[sizeof(ev.version) - 1] = '\0';
	proc_name(ev.pid, row->comm, ev.name, sizeof(ev.name));
	if (proc_exe_path(ev.pid, ev.path, sizeof(ev.path)) < 0)
		ev.path[0] = '\0';
	t->opts.on_event(t->opts.ctx, &ev);
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
	bpf_map_update_elem(t->procs_fd, &pid, row, BPF_EXIST);
}

/* A CLASSIFY event: decide, then upgrade or drop the row if it is still ours. */
static void handle_classify(struct tracer *t, const struct gops_event *e)
{
	const struct memo *m;
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
	m = classify_fd(t, fd, (int)e->pid, e->dev, e->ino);
	close(fd);
	if (!m)
		return;
	if (bpf_map_lookup_elem(t->procs_fd, &pid, &row) != 0 || row.ino != e->ino ||
		row.start_boottime != e->start_boottime)
		return;
	if (!m->is_go) {
		bpf_map_delete_elem(t->procs_fd, &pid);
		return;
	}
	row.flags = (row.flags & GOPS_ROW_REPARENTED) | GOPS_ROW_GO;
	memcpy(row.version, m->version, sizeof(row.version));
	if (bpf_map_update_elem(t->procs_fd, &pid, &row, BPF_EXIST) != 0)
		return;
	keep_reparent_flag(t, &row);
	on_go_row(t, &row, e->ts_boot);
}

static void handle_exit(struct tracer *t, const struct gops_event *e)
{
	struct tracer_event ev = { 0 };
	const struct memo *m;

	forget_details(t, e->pid, e->start_boottime);
	if (!t->opts.on_event)
		return;
	/* The row may have exited before its upgrade: the verdict decides. */
	if (!(e->flags & GOPS_ROW_GO)) {
		m = memo_find(t, e->dev, e->ino, e->ctime_ns);
		if (!m || !m->is_go)
			return;
		memcpy(ev.version, m->version, sizeof(ev.version));
	} else {
		memcpy(ev.version, e->version, sizeof(ev.version));
	}
	ev.version[sizeof(ev.version) - 1] = '\0';
	ev.type = GOPS_EV_EXIT;
	ev.pid = (int)e->pid;
	ev.ppid = (int)e->ppid;
	ev.nspid = (int)e->nspid;
	ev.ts_boot = e->ts_boot;
	ev.lifetime = e->ts_boot > e->start_boottime ? e->ts_boot - e->start_boottime : 0;
	if (e->exit_code & 0x7f) {
		ev.exit_code = -1;
		ev.signal = e->exit_code & 0x7f;
	} else {
		ev.exit_code = (e->exit_code >> 8) & 0xff;
	}
	memcpy(ev.name, e->comm, sizeof(e->comm));
	ev.name[sizeof(e->comm)] = '\0';
	t->opts.on_event(t->opts.ctx, &ev);
}

static int on_ring_event(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;
	struct gops_event e;

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

/* ---- seeding and resync from /proc ---- */

static uint64_t ns_inode(int pid, const char *ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%d/ns/%s", proc_root(), pid, ns);
	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

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

/* Builds a Go row for a process found in /proc. */
static int row_from_proc(struct tracer *t, int pid, const struct stat *exe, const struct memo *m,
	struct gops_row *row)
{
	struct proc_stat st;
	struct proc_status status;
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
	row->start_boottime = st.starttime * (uint64_t)t->ticks_ns;
	row->dev = (uint64_t)exe->st_dev;
	row->ino = (uint64_t)exe->st_ino;
	row->ctime_ns = stat_ctime_ns(exe);
	row->pidns = ns_inode(pid, "pid");
	row->mntns = ns_inode(pid, "mnt");
	row->netns = ns_inode(pid, "net");
	row->cgroup_id = cgroup_id(pid);
	snprintf(row->comm, sizeof(row->comm), "%.15s", st.comm);
	memcpy(row->version, m->version, sizeof(row->version));
	return 0;
}

static bool has_details(struct tracer *t, const struct gops_row *row)
{
	struct gops_details d;
	uint32_t pid = row->pid;

	return bpf_map_lookup_elem(t->details_fd, &pid, &d) == 0 &&
	       d.start_boottime == row->start_boottime && d.ino == row->ino;
}

/* Makes sure a live Go process found in /proc has its row. */
static void reconcile_pid(struct tracer *t, int pid)
{
	char path[64];
	struct stat exe;
	const struct memo *m;
	struct gops_row row, cur;
	uint32_t key = (uint32_t)pid;
	int fd;

	snprintf(path, sizeof(path), "%s/%d/exe", proc_root(), pid);
	if (stat(path, &exe) < 0)
		return;
	m = memo_find(t, (uint64_t)exe.st_dev, (uint64_t)exe.st_ino, stat_ctime_ns(&exe));
	if (!m) {
		fd = proc_open_exe(pid);
		if (fd < 0)
			return;
		m = classify_fd(t, fd, pid, (uint64_t)exe.st_dev, (uint64_t)exe.st_ino);
		close(fd);
		if (!m)
			return;
	}
	if (!m->is_go) {
		if (bpf_map_lookup_elem(t->procs_fd, &key, &cur) == 0 &&
			(cur.flags & GOPS_ROW_UNCLASSIFIED) && cur.ino == (uint64_t)exe.st_ino)
			bpf_map_delete_elem(t->procs_fd, &key);
		return;
	}
	if (row_from_proc(t, pid, &exe, m, &row) != 0)
		return;
	if (bpf_map_lookup_elem(t->procs_fd, &key, &cur) == 0) {
		if ((cur.flags & GOPS_ROW_GO) &&
			cur.start_boottime / t->ticks_ns == row.start_boottime / t->ticks_ns) {
			if (!has_details(t, &cur))
				record_details(t, &cur);
			return; /* the kernel has it right */
		}
		bpf_map_update_elem(t->procs_fd, &key, &row, BPF_EXIST);
	} else if (bpf_map_update_elem(t->procs_fd, &key, &row, BPF_NOEXIST) != 0) {
		if (errno == E2BIG)
			t->insert_failed = true;
		return;
	}
	record_details(t, &row);
	/* It may have exited between our read and the insert: check again. */
	if (!row_is_current(t, &row) && bpf_map_lookup_elem(t->procs_fd, &key, &cur) == 0 &&
		cur.start_boottime == row.start_boottime) {
		bpf_map_delete_elem(t->procs_fd, &key);
		forget_details(t, key, row.start_boottime);
	}
}

/* Collects the keys of a pid-keyed map whose entries fail keep(). */
static size_t stale_keys(
	int fd, bool (*keep)(struct tracer *, int, uint32_t), struct tracer *t, uint32_t **out)
{
	uint32_t key, next, *prev = NULL, *stale = NULL;
	size_t n = 0, cap = 0;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (keep(t, fd, key))
			continue;
		if (n == cap) {
			uint32_t *s = realloc(stale, (cap = cap ? cap * 2 : 64) * sizeof(*s));

			if (!s)
				break;
			stale = s;
		}
		stale[n++] = key;
	}
	*out = stale;
	return n;
}

static bool row_alive(struct tracer *t, int fd, uint32_t pid)
{
	struct gops_row row;

	return bpf_map_lookup_elem(fd, &pid, &row) != 0 || row_is_current(t, &row);
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

/* Drops rows whose process is gone or whose pid is another process now, and their details. */
static void drop_stale_rows(struct tracer *t)
{
	uint32_t *stale;
	size_t n = stale_keys(t->procs_fd, row_alive, t, &stale);

	for (size_t i = 0; i < n; i++)
		bpf_map_delete_elem(t->procs_fd, &stale[i]);
	free(stale);
	n = stale_keys(t->details_fd, details_have_row, t, &stale);
	for (size_t i = 0; i < n; i++)
		bpf_map_delete_elem(t->details_fd, &stale[i]);
	free(stale);
}

/* Brings the table in line with /proc: at start-up and after lost events. */
static int reconcile(struct tracer *t)
{
	int *pids, n = proc_list_pids(&pids);
	int self = getpid();

	if (n < 0)
		return n;
	drop_stale_rows(t);
	t->insert_failed = false;
	for (int i = 0; i < n; i++)
		if (pids[i] != self)
			reconcile_pid(t, pids[i]);
	free(pids);
	t->incomplete = t->insert_failed;
	return 0;
}

/* ---- counters, heartbeat, loop ---- */

static uint64_t counter(struct tracer *t, uint32_t idx)
{
	int ncpus = libbpf_num_possible_cpus();
	uint64_t *vals, sum = 0;

	if (ncpus <= 0)
		return 0;
	vals = calloc((size_t)ncpus, sizeof(*vals));
	if (!vals)
		return 0;
	if (bpf_map_lookup_elem(t->counters_fd, &idx, vals) == 0)
		for (int i = 0; i < ncpus; i++)
			sum += vals[i];
	free(vals);
	return sum;
}

void tracer_stats(struct tracer *t, struct tracer_stats *s)
{
	memset(s, 0, sizeof(*s));
	for (uint32_t i = 0; i < GOPS_CNT_MAX; i++)
		s->counters[i] = counter(t, i);
	s->parsed = t->parsed;
	s->resyncs = t->resyncs;
}

static void heartbeat(struct tracer *t, bool seeded)
{
	struct gops_meta meta = { 0 };
	struct proc_stat st;
	uint32_t zero = 0;

	meta.loader_pid = (uint32_t)getpid();
	if (proc_read_stat((int)meta.loader_pid, &st) == 0)
		meta.loader_start_boottime = st.starttime * (uint64_t)t->ticks_ns;
	meta.heartbeat_boot_ns = now_boot_ns();
	meta.seeded = seeded;
	meta.parsed = t->parsed;
	meta.resyncs = t->resyncs;
	meta.incomplete = t->incomplete;
	bpf_map_update_elem(t->meta_fd, &zero, &meta, BPF_ANY);
	t->last_heartbeat = meta.heartbeat_boot_ns;
}

int tracer_poll(struct tracer *t, int timeout_ms)
{
	uint64_t drops, full;
	int err = ring_buffer__poll(t->rb, timeout_ms);

	if (err < 0 && err != -EINTR)
		return err;
	/*
	 * Events were lost, or rows did not fit: the table may be missing rows or
	 * holding stale ones. A full table stays marked incomplete (readers then
	 * scan /proc) until a resync finds room for every Go process.
	 */
	drops = counter(t, GOPS_CNT_DROPS);
	full = counter(t, GOPS_CNT_TABLE_FULL);
	if (drops != t->last_drops || full != t->last_full) {
		t->last_drops = drops;
		t->last_full = full;
		t->resyncs++;
		ring_buffer__consume(t->rb);
		reconcile(t);
		heartbeat(t, true);
	} else if (t->incomplete && now_boot_ns() - t->last_heartbeat >= HEARTBEAT_NS) {
		reconcile(t);
	}
	if (now_boot_ns() - t->last_heartbeat >= HEARTBEAT_NS) {
		refresh_details(t);
		heartbeat(t, true);
	}
	return 0;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

int tracer_open(struct tracer **out, const struct tracer_opts *opts)
{
	struct tracer *t = calloc(1, sizeof(*t));
	const char *why = tracer_unavailable_reason();
	int err;

	*out = NULL;
	if (!t)
		return -ENOMEM;
	t->opts = *opts;
	t->lock_fd = -1;
	t->ticks_ns = 1000000000L / sysconf(_SC_CLK_TCK);
	if (why) {
		fprintf(stderr, "gops: %s\n", why);
		free(t);
		return -EPERM;
	}
	if (!opts->verbose)
		libbpf_set_print(libbpf_quiet);
	if (opts->pin_dir) {
		snprintf(t->pin_dir, sizeof(t->pin_dir), "%s", opts->pin_dir);
		err = ensure_bpffs(t->pin_dir);
		if (!err)
			err = lock_pin_dir(t);
		if (err)
			goto fail;
	}
	err = load_programs(t);
	if (err)
		goto fail;
	t->procs_fd = bpf_map__fd(t->skel->maps.procs);
	t->bins_fd = bpf_map__fd(t->skel->maps.bins);
	t->counters_fd = bpf_map__fd(t->skel->maps.counters);
	t->meta_fd = bpf_map__fd(t->skel->maps.meta);
	t->details_fd = bpf_map__fd(t->skel->maps.details);
	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_ring_event, t, NULL);
	if (!t->rb) {
		err = -errno;
		fprintf(stderr, "gops: failed to create the ring buffer: %s\n", strerror(errno));
		goto fail;
	}
	if (opts->pin_dir) {
		err = pin_maps(t);
		if (err)
			goto fail;
	}
	/* Attached first, then seeded: nothing falls between the two. */
	reconcile(t);
	heartbeat(t, true);
	*out = t;
	return 0;
fail:
	tracer_close(t);
	return err;
}

void tracer_close(struct tracer *t)
{
	if (!t)
		return;
	if (t->pinned && !t->opts.keep)
		unpin_maps(t);
	ring_buffer__free(t->rb);
	bpf_link__destroy(t->list_link);
	tracer_bpf__destroy(t->skel);
	if (t->lock_fd >= 0)
		close(t->lock_fd);
	free(t->memo);
	free(t);
}
