// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The kernel side of live discovery: process exec, exit and fork keep the
 * process table; known executables are decided here from the verdict cache,
 * unknown ones are sent to user space once.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "gops.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/*
 * Rows exist only for Go processes and, briefly, for never-seen executables.
 * Listing walks every bucket of the map (about 20 ns each, a third of the
 * listing's own time at 8192): 4096 Go processes are room enough for a host,
 * `gops daemon --max-procs` gives more.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, GOPS_DEFAULT_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct gops_row);
} procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct gops_exe_key);
	__type(value, struct gops_verdict);
} bins SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, GOPS_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gops_meta);
} meta SEC(".maps");

/* Filled by user space (the loader); pinned with the table for the CLI. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, GOPS_DEFAULT_MAX_PROCS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct gops_details);
} details SEC(".maps");

/* Who last signalled a process in the table, until it exits (LRU: bounded). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, GOPS_DEFAULT_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct gops_signal_src);
} senders SEC(".maps");

/*
 * Crash text: what a process in the table wrote to stderr since a line that
 * looked like a Go crash (struct gops_stderr). Entries exist only for those
 * that wrote one, and go at exit: no room is taken until then.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct gops_stderr);
} stderrs SEC(".maps");

/* A zeroed gops_stderr to create entries from (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gops_stderr);
} stderr_blank SEC(".maps");

/* Processes in the table the OOM killer chose, until they exit (LRU: bounded). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct gops_oom);
} ooms SEC(".maps");

/* What `gops deaths` lists: written by the loader only (struct gops_death). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GOPS_DEATHS_MAX);
	__type(key, __u32);
	__type(value, struct gops_death);
} deaths SEC(".maps");

/* Scratch space for a row: too big for the 512-byte BPF stack with an event. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gops_row);
} scratch SEC(".maps");

/* Inode ctime moved twice: timespec64 i_ctime, then __i_ctime, then split fields. */
struct inode___pre66 {
	struct timespec64 i_ctime;
} __attribute__((preserve_access_index));

struct inode___v66 {
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		*v += 1;
}

/* The kernel packs dev_t as major << 20 | minor; stat() uses glibc's encoding. */
static __always_inline __u64 user_dev(__u32 kdev)
{
	__u64 major = kdev >> 20, minor = kdev & 0xfffff;

	return ((major & 0xfffff000ULL) << 32) | ((major & 0xfffULL) << 8) |
	       ((minor & 0xffffff00ULL) << 12) | (minor & 0xffULL);
}

static __always_inline __u64 inode_ctime_ns(struct inode *inode)
{
	/* Multigrain timestamps (6.13+) keep a "queried" flag in bit 31 of the ns. */
	if (bpf_core_field_exists(inode->i_ctime_sec))
		return BPF_CORE_READ(inode, i_ctime_sec) * 1000000000ULL +
		       (BPF_CORE_READ(inode, i_ctime_nsec) & 0x3fffffff);
	if (bpf_core_field_exists(((struct inode___v66 *)inode)->__i_ctime)) {
		struct inode___v66 *i = (void *)inode;

		return BPF_CORE_READ(i, __i_ctime.tv_sec) * 1000000000ULL +
		       BPF_CORE_READ(i, __i_ctime.tv_nsec);
	}
	{
		struct inode___pre66 *i = (void *)inode;

		return BPF_CORE_READ(i, i_ctime.tv_sec) * 1000000000ULL +
		       BPF_CORE_READ(i, i_ctime.tv_nsec);
	}
}

static __always_inline void fill_identity(struct gops_row *row, struct task_struct *task)
{
	struct pid *tp = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(tp, level);

	row->pid = BPF_CORE_READ(task, tgid);
	row->nspid = BPF_CORE_READ(tp, numbers[level].nr);
	row->pidns = BPF_CORE_READ(tp, numbers[level].ns, ns.inum);
	row->ppid = BPF_CORE_READ(task, real_parent, tgid);
	row->start_boottime = BPF_CORE_READ(task, start_boottime);
	row->mntns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	row->netns = BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);
	BPF_CORE_READ_STR_INTO(&row->comm, task, comm);
}

/*
 * Whether the parent this process had (ppid) is leaving or already gone: its
 * whole group is exiting (signal->live dropped to zero, before its exit hook
 * runs), or the process now hangs on another group. A thread of a live
 * group that exits hands its children to a sibling: same tgid, no change.
 */
static __always_inline bool parent_leaving(struct task_struct *task, __u32 ppid)
{
	struct task_struct *parent = BPF_CORE_READ(task, real_parent);

	return BPF_CORE_READ(parent, tgid) != ppid ||
	       BPF_CORE_READ(parent, signal, live.counter) == 0;
}

/*
 * A parent leaving hands this process to a new parent after its exit hook
 * has run, and that hook flags only the rows it finds: so once our row is in
 * the table, look whether the parent is leaving, and if so flag the row
 * reparented once (row->ppid is the parent that leaves). The atomic add is a
 * full barrier, as the parent's atomic_dec_and_test of signal->live is before
 * its walk: either the walk sees our row, or we see the parent leaving. Both
 * may flag it; one hand-over counted twice only costs a /proc read.
 */
static __always_inline void flag_if_parent_leaving(__u32 pid, struct task_struct *task, __u32 ppid)
{
	struct gops_row *row = bpf_map_lookup_elem(&procs, &pid);

	if (!row || __sync_fetch_and_add(&row->reparents, 0) != 0 || !parent_leaving(task, ppid))
		return;
	row->flags |= GOPS_ROW_REPARENTED;
	__sync_fetch_and_add(&row->reparents, 1);
}

/* A full table would silently miss processes: count it, the loader reacts. */
static __always_inline void put_row(__u32 pid, struct gops_row *row)
{
	if (bpf_map_update_elem(&procs, &pid, row, BPF_ANY) != 0)
		count(GOPS_CNT_TABLE_FULL);
}

static __always_inline void emit(__u32 type, const struct gops_row *row, __s32 exit_code,
	const struct gops_signal_src *src, const struct gops_oom *oom)
{
	struct gops_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count(GOPS_CNT_DROPS);
		return;
	}
	e->type = type;
	e->pid = row->pid;
	e->ppid = row->ppid;
	e->nspid = row->nspid;
	e->flags = row->flags;
	e->exit_code = exit_code;
	e->ts_boot = bpf_ktime_get_boot_ns();
	e->start_boottime = row->start_boottime;
	e->dev = row->dev;
	e->ino = row->ino;
	e->ctime_ns = row->ctime_ns;
	__builtin_memcpy(e->comm, row->comm, sizeof(e->comm));
	__builtin_memcpy(e->version, row->version, sizeof(e->version));
	if (src)
		__builtin_memcpy(&e->sender, src, sizeof(e->sender));
	else
		__builtin_memset(&e->sender, 0, sizeof(e->sender));
	e->has_oom = oom != NULL;
	e->pad = 0;
	if (oom)
		__builtin_memcpy(&e->oom, oom, sizeof(e->oom));
	else
		__builtin_memset(&e->oom, 0, sizeof(e->oom));
	bpf_ringbuf_submit(e, 0);
}

static __always_inline int on_exec(struct task_struct *task, struct linux_binprm *bprm)
{
	struct gops_exe_key key = {};
	struct gops_verdict *v;
	struct gops_row *row;
	struct inode *inode;
	__u32 zero = 0, pid;

	count(GOPS_CNT_EXEC);
	row = bpf_map_lookup_elem(&scratch, &zero);
	if (!row)
		return 0;
	inode = BPF_CORE_READ(bprm, file, f_inode);
	key.dev = user_dev(BPF_CORE_READ(inode, i_sb, s_dev));
	key.ino = BPF_CORE_READ(inode, i_ino);
	pid = BPF_CORE_READ(task, tgid);
	bpf_map_delete_elem(&stderrs, &pid); /* the old image's crash text is not the new one's */

	v = bpf_map_lookup_elem(&bins, &key);
	if (v && v->ctime_ns == inode_ctime_ns(inode)) {
		count(GOPS_CNT_VERDICT_HIT);
		if (!v->is_go) {
			/* The image is not Go any more (a Go program exec'd something else). */
			bpf_map_delete_elem(&procs, &pid);
			return 0;
		}
	}
	__builtin_memset(row, 0, sizeof(*row));
	fill_identity(row, task);
	row->dev = key.dev;
	row->ino = key.ino;
	row->ctime_ns = inode_ctime_ns(inode);
	row->cgroup_id = bpf_get_current_cgroup_id();
	if (v && v->ctime_ns == row->ctime_ns) {
		row->flags = GOPS_ROW_GO;
		__builtin_memcpy(row->version, v->version, sizeof(row->version));
		put_row(pid, row);
		flag_if_parent_leaving(pid, task, row->ppid);
		emit(GOPS_EV_EXEC, row, 0, NULL, NULL);
		return 0;
	}
	count(GOPS_CNT_CLASSIFY);
	row->flags = GOPS_ROW_UNCLASSIFIED;
	put_row(pid, row);
	flag_if_parent_leaving(pid, task, row->ppid);
	emit(GOPS_EV_CLASSIFY, row, 0, NULL, NULL);
	return 0;
}

/*
 * The children of an exiting process are about to be reparented (to a
 * subreaper or init), so the ppid their rows hold goes stale: flag them, and
 * count it, so that the loader can look up the new parent in /proc once the
 * move is done and readers know whether its answer is still current. By the
 * last thread's exit every child of the group hangs on its children list.
 */
#define MAX_CHILDREN 256

static __always_inline void mark_children_reparented(struct task_struct *task)
{
	struct list_head *head = &task->children;
	struct list_head *pos = BPF_CORE_READ(task, children.next);
	unsigned long off = bpf_core_field_offset(struct task_struct, sibling);
	__u32 ppid = BPF_CORE_READ(task, tgid);

	for (int i = 0; i < MAX_CHILDREN && pos && pos != head; i++) {
		struct task_struct *child = (void *)pos - off;
		__u32 cpid = BPF_CORE_READ(child, tgid);
		struct gops_row *row = bpf_map_lookup_elem(&procs, &cpid);

		if (row) {
			row->ppid = ppid;
			row->flags |= GOPS_ROW_REPARENTED;
			__sync_fetch_and_add(&row->reparents, 1);
		}
		pos = BPF_CORE_READ(pos, next);
	}
}

/*
 * Crash text. Go's runtime prints a panic or a fatal error piece by piece,
 * each through runtime.gwrite (one write(2) to fd 2 per piece), starting with
 * a piece that is the header alone ("panic: ", "fatal error: "; see
 * printpanics and fatalthrow in runtime/panic.go), or "runtime: " lines
 * before one, or "SIGQUIT: quit" for a signal it dies of (sighandler in
 * runtime/signal_unix.go). A piece that starts like one of these opens the
 * capture, unless one is open with room left (a crash prints several: the
 * text from the first is kept whole). User space finds the real header in
 * what was kept.
 */
static __always_inline bool crash_header(const char *ubuf, __u32 count)
{
	char h[8] = {};

	if (count < 3 || bpf_probe_read_user(h, count < 8 ? count & 7 : 8, ubuf) != 0)
		return false;
	if (h[0] == 'S' && h[1] == 'I' && h[2] == 'G')
		return true;
	if (count < 7)
		return false;
	return (h[0] == 'p' && h[1] == 'a' && h[2] == 'n' && h[3] == 'i' && h[4] == 'c' &&
		       h[5] == ':' && h[6] == ' ') ||
	       (count >= 8 && h[0] == 'f' && h[1] == 'a' && h[2] == 't' && h[3] == 'a' &&
		       h[4] == 'l' && h[5] == ' ' && h[6] == 'e' && h[7] == 'r') ||
	       (count >= 8 && h[0] == 'r' && h[1] == 'u' && h[2] == 'n' && h[3] == 't' &&
		       h[4] == 'i' && h[5] == 'm' && h[6] == 'e' && h[7] == ':');
}

/* Appends what fits of a piece to the capture. */
static __always_inline void crash_append(struct gops_stderr *c, const char *ubuf, __u32 count)
{
	__u32 off = c->len, n;

	if (off >= GOPS_STDERR_LEN) {
		c->truncated = 1;
		return;
	}
	n = count < GOPS_STDERR_LEN - off ? count : GOPS_STDERR_LEN - off;
	if (n < count)
		c->truncated = 1;
	off &= GOPS_STDERR_LEN - 1;
	barrier_var(n);
	if (n > GOPS_STDERR_LEN)
		return;
	if (bpf_probe_read_user(c->buf + off, n, ubuf) == 0)
		c->len = off + n;
}

/*
 * What the Go runtime of a process in the table prints (the probe sits in
 * each Go executable, so other processes never get here): pieces for fd 2
 * are kept once a crash header opened the capture.
 */
static __always_inline int on_runtime_write(__u64 fd, const char *ubuf, __u32 count)
{
	struct gops_stderr *c;
	struct gops_row *row;
	__u32 pid, zero = 0;

	if (fd != 2 || count == 0)
		return 0;
	pid = bpf_get_current_pid_tgid() >> 32;
	row = bpf_map_lookup_elem(&procs, &pid);
	if (!row || !(row->flags & GOPS_ROW_GO))
		return 0;
	c = bpf_map_lookup_elem(&stderrs, &pid);
	if (c && c->len < GOPS_STDERR_LEN) {
		crash_append(c, ubuf, count);
		return 0;
	}
	if (!crash_header(ubuf, count))
		return 0;
	if (!c) {
		struct gops_stderr *blank = bpf_map_lookup_elem(&stderr_blank, &zero);

		if (!blank)
			return 0;
		blank->type = GOPS_EV_STDERR;
		blank->pid = pid;
		bpf_map_update_elem(&stderrs, &pid, blank, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&stderrs, &pid);
		if (!c)
			return 0;
	}
	c->start_boottime = row->start_boottime;
	c->len = 0;
	c->truncated = 0;
	crash_append(c, ubuf, count);
	return 0;
}

/* At an unclean exit, the crash text goes to user space just before the exit event. */
static __always_inline void send_crash_text(__u32 pid, __u64 start_boottime)
{
	struct gops_stderr *c = bpf_map_lookup_elem(&stderrs, &pid);
	__u64 size;

	if (!c || c->start_boottime != start_boottime)
		return;
	size = __builtin_offsetof(struct gops_stderr, buf) + c->len;
	barrier_var(size);
	if (size > sizeof(*c))
		return;
	if (bpf_ringbuf_output(&events, c, size, 0) != 0)
		count(GOPS_CNT_DROPS);
}

/* Before kernel 6.2, mm->rss_stat was an array of atomics. */
struct mm_rss_stat___pre62 {
	atomic_long_t count[4];
} __attribute__((preserve_access_index));

struct mm_struct___pre62 {
	struct mm_rss_stat___pre62 rss_stat;
} __attribute__((preserve_access_index));

/* Resident pages: MM_FILEPAGES, MM_ANONPAGES and MM_SHMEMPAGES (0, 1, 3; 2 is swap). */
static __always_inline __u64 rss_pages(struct mm_struct *mm)
{
	__s64 n;

	if (!mm)
		return 0;
	if (bpf_core_field_exists(mm->rss_stat[0].count)) {
		n = BPF_CORE_READ(mm, rss_stat[0].count) + BPF_CORE_READ(mm, rss_stat[1].count) +
		    BPF_CORE_READ(mm, rss_stat[3].count);
	} else {
		struct mm_struct___pre62 *old = (void *)mm;

		n = BPF_CORE_READ(old, rss_stat.count[0].counter) +
		    BPF_CORE_READ(old, rss_stat.count[1].counter) +
		    BPF_CORE_READ(old, rss_stat.count[3].counter);
	}
	return n > 0 ? (__u64)n : 0;
}

#define GOPS_MEMCG_DEPTH 8
#define GOPS_MEMCG_BATCH 64 /* MEMCG_CHARGE_BATCH: how far below max a charge can fail */

/*
 * The memory cgroup limit an OOM kill hit: the nearest of the victim's memory
 * cgroups (itself, then up to GOPS_MEMCG_DEPTH ancestors) whose usage is at
 * its limit. The tracepoint is not given the OOM domain; a domain's usage is
 * at its limit when its charge failed. 0 when none is: the host ran out.
 */
static __always_inline __u64 memcg_limit_hit(struct task_struct *task)
{
	int id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	struct cgroup_subsys_state *css;

	if (id < 0 || id >= CGROUP_SUBSYS_COUNT)
		return 0;
	css = BPF_CORE_READ(task, cgroups, subsys[id]);
	for (int i = 0; i < GOPS_MEMCG_DEPTH && css; i++) {
		/* css is the first member of struct mem_cgroup */
		struct mem_cgroup *memcg = (void *)css;
		__u64 max = BPF_CORE_READ(memcg, memory.max);
		__u64 usage = BPF_CORE_READ(memcg, memory.usage.counter);

		if (max < (~0ULL >> 13) && usage + 2 * GOPS_MEMCG_BATCH >= max)
			return max;
		css = BPF_CORE_READ(css, parent);
	}
	return 0;
}

/* The OOM killer marked a victim (mm/oom_kill.c, __oom_kill_process), before its SIGKILL. */
static __always_inline int on_oom_victim(struct task_struct *task)
{
	struct gops_oom o = {};
	__u32 pid = BPF_CORE_READ(task, tgid);

	if (!bpf_map_lookup_elem(&procs, &pid))
		return 0;
	o.rss_pages = rss_pages(BPF_CORE_READ(task, mm));
	o.limit_pages = memcg_limit_hit(task);
	bpf_map_update_elem(&ooms, &pid, &o, BPF_ANY);
	return 0;
}

/*
 * Exit fires for every thread. Only the last thread of the group (signal->live
 * has dropped to zero) ends the process; pid == tgid would be wrong when the
 * group leader exits before its other threads.
 */
static __always_inline int on_exit(struct task_struct *task)
{
	struct gops_signal_src *src;
	struct gops_oom *oom;
	struct gops_row *row;
	__u32 pid;
	__s32 code;

	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	count(GOPS_CNT_EXIT);
	mark_children_reparented(task);
	pid = BPF_CORE_READ(task, tgid);
	row = bpf_map_lookup_elem(&procs, &pid);
	if (!row)
		return 0;
	code = BPF_CORE_READ(task, exit_code);
	if (code == 0)
		code = BPF_CORE_READ(task, signal, group_exit_code);
	if (code != 0)
		send_crash_text(pid, row->start_boottime);
	bpf_map_delete_elem(&stderrs, &pid);
	src = bpf_map_lookup_elem(&senders, &pid);
	oom = bpf_map_lookup_elem(&ooms, &pid);
	/* user space keeps the sender only if it sent the signal it died of */
	emit(GOPS_EV_EXIT, row, code, src, oom);
	bpf_map_delete_elem(&senders, &pid);
	bpf_map_delete_elem(&ooms, &pid);
	bpf_map_delete_elem(&procs, &pid);
	return 0;
}

/* The kernel's "no siginfo" markers (include/linux/sched/signal.h). */
#define GOPS_SEND_SIG_NOINFO ((struct kernel_siginfo *)0)
#define GOPS_SEND_SIG_PRIV ((struct kernel_siginfo *)1)
#define GOPS_SI_USER 0
#define GOPS_SI_KERNEL 0x80

/*
 * A signal generated for a process in the table (everything else pays one
 * lookup): who sent it. A process that re-raises a fault the kernel sent it
 * (Go's runtime does, to die of a SIGSEGV in C code) keeps the kernel as the
 * sender.
 */
static __always_inline int on_signal(int sig, struct kernel_siginfo *info, struct task_struct *task)
{
	struct gops_signal_src s = {}, *old;
	__u32 pid = BPF_CORE_READ(task, tgid);
	__u32 me = bpf_get_current_pid_tgid() >> 32;

	if (!bpf_map_lookup_elem(&procs, &pid))
		return 0;
	if (info == GOPS_SEND_SIG_NOINFO)
		s.code = GOPS_SI_USER;
	else if (info == GOPS_SEND_SIG_PRIV)
		s.code = GOPS_SI_KERNEL;
	else
		s.code = BPF_CORE_READ(info, si_code);
	s.sig = sig;
	if (s.code <= 0) {
		old = bpf_map_lookup_elem(&senders, &pid);
		if (me == pid && old && old->sig == sig && old->sender_pid == 0)
			return 0;
		s.sender_pid = me;
		bpf_get_current_comm(s.sender_comm, sizeof(s.sender_comm));
	}
	bpf_map_update_elem(&senders, &pid, &s, BPF_ANY);
	return 0;
}

/* A forked process (not a thread) runs its parent's image until it execs. */
static __always_inline int on_fork(struct task_struct *parent, struct task_struct *child)
{
	struct gops_row *prow, *row;
	__u32 ppid, pid, zero = 0;

	if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid))
		return 0;
	count(GOPS_CNT_FORK);
	ppid = BPF_CORE_READ(parent, tgid);
	prow = bpf_map_lookup_elem(&procs, &ppid);
	if (!prow)
		return 0;
	row = bpf_map_lookup_elem(&scratch, &zero);
	if (!row)
		return 0;
	__builtin_memcpy(row, prow, sizeof(*row));
	fill_identity(row, child);
	row->flags &= ~GOPS_ROW_REPARENTED; /* the parent's hand-overs are not its child's */
	row->reparents = 0;
	pid = row->pid;
	put_row(pid, row);
	flag_if_parent_leaving(pid, child, row->ppid);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_btf, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	return on_exec(task, bprm);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(exit_btf, struct task_struct *task)
{
	return on_exit(task);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(fork_btf, struct task_struct *parent, struct task_struct *child)
{
	return on_fork(parent, child);
}

SEC("tp_btf/signal_generate")
int BPF_PROG(signal_btf, int sig, struct kernel_siginfo *info, struct task_struct *task, int group,
	int result)
{
	return on_signal(sig, info, task);
}

/*
 * Optional (a kernel without them still lists and watches): crash text and
 * OOM kills. The probe is attached by user space to each Go executable
 * (live/probes.c), at the function its runtime prints through; the cookie
 * says where its arguments are (enum gops_print_probe):
 *   runtime.gwrite(b []byte) (runtime/print.go), the sink of print and
 *   println, of panics and fatal errors, and of nothing else: its bytes go
 *   to fd 2. In registers with Go's register ABI (amd64 from Go 1.17: RAX,
 *   RBX; arm64 from 1.18: R0, R1), else on the stack above the return
 *   address (ABI0).
 *   runtime.write1(fd, p, n), assembly with ABI0 on every release
 *   (runtime/sys_linux_amd64.s), for an executable without gwrite: every
 *   write the runtime makes, whatever the fd.
 */
SEC("uprobe")
int go_print(struct pt_regs *ctx)
{
	__u64 mode = bpf_get_attach_cookie(ctx), args[3];

	if (mode == GOPS_PROBE_GWRITE_REGS) {
#if defined(__TARGET_ARCH_x86)
		return on_runtime_write(2, (const char *)ctx->ax, (__u32)ctx->bx);
#elif defined(__TARGET_ARCH_arm64)
		return on_runtime_write(2, (const char *)ctx->regs[0], (__u32)ctx->regs[1]);
#else
		return 0;
#endif
	}
	if (bpf_probe_read_user(args, sizeof(args), (void *)(PT_REGS_SP(ctx) + 8)) != 0)
		return 0;
	if (mode == GOPS_PROBE_GWRITE_STACK)
		return on_runtime_write(2, (const char *)args[0], (__u32)args[1]);
	return on_runtime_write(args[0], (const char *)args[1], (__u32)args[2]);
}

SEC("tp_btf/mark_victim")
int BPF_PROG(oom_btf, struct task_struct *task, uid_t uid)
{
	return on_oom_victim(task);
}

/* Fallbacks for kernels without tp_btf: raw tracepoints, same arguments. */
SEC("raw_tp/sched_process_exec")
int BPF_PROG(exec_raw, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	return on_exec(task, bprm);
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(exit_raw, struct task_struct *task)
{
	return on_exit(task);
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(fork_raw, struct task_struct *parent, struct task_struct *child)
{
	return on_fork(parent, child);
}

SEC("raw_tp/signal_generate")
int BPF_PROG(signal_raw, int sig, struct kernel_siginfo *info, struct task_struct *task, int group,
	int result)
{
	return on_signal(sig, info, task);
}

/*
 * Writes len bytes of a string field of max bytes. The bound is checked right
 * before the call, on a register the compiler cannot have spilt, which is how
 * the verifier knows the write stays inside the field.
 */
static __always_inline void write_str(struct seq_file *seq, const char *s, __u64 len, __u64 max)
{
	barrier_var(len);
	if (len < max)
		bpf_seq_write(seq, s, len);
}

/*
 * `gops` lists by reading this iterator, pinned by the loader over `procs`:
 * one read returns every Go row with its details, in compact records (struct
 * gops_list_rec, then only the bytes of the strings), and no time is spent
 * on rows of other processes.
 */
SEC("iter/bpf_map_elem")
int list_go(struct bpf_iter__bpf_map_elem *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct gops_list_rec rec = {};
	struct gops_row *row = ctx->value;
	struct gops_details *d;
	__u32 *key = ctx->key, pid, ndirs;

	if (!key || !row || !(row->flags & GOPS_ROW_GO))
		return 0;
	pid = *key; /* the iterator's key is read-only: look up with a copy */
	d = bpf_map_lookup_elem(&details, &pid);
	if (d && (d->start_boottime != row->start_boottime || d->ino != row->ino))
		d = NULL;
	rec.pid = row->pid;
	rec.nspid = row->nspid;
	rec.ppid = row->ppid;
	rec.flags = row->flags;
	rec.start_boottime = row->start_boottime;
	rec.reparents = row->reparents;
	__builtin_memcpy(rec.comm, row->comm, sizeof(rec.comm));
	__builtin_memcpy(rec.version, row->version, sizeof(rec.version));
	if (!d) {
		bpf_seq_write(seq, &rec, sizeof(rec));
		return 0;
	}
	rec.has_details = 1;
	rec.details_ppid = d->ppid;
	rec.details_ppid_reparents = d->ppid_reparents;
	__builtin_memcpy(&rec.ident, &d->ident, sizeof(rec.ident));
	rec.path_ok = d->path_ok;
	rec.ndirs = d->ndirs;
	/* A length out of bounds becomes 0 here and in the record alike. */
	_Static_assert(GOPS_MAX_DIRS == 2, "list_go writes two dirs");
	ndirs = d->ndirs <= GOPS_MAX_DIRS ? d->ndirs : 0;
	rec.name_len = d->name_len < GOPS_NAME_LEN ? d->name_len : 0;
	rec.path_len = d->path_len < GOPS_PATH_LEN ? d->path_len : 0;
	rec.dir_len[0] = ndirs >= 1 && d->dir_len[0] < GOPS_DIR_LEN ? d->dir_len[0] : 0;
	rec.dir_len[1] = ndirs >= 2 && d->dir_len[1] < GOPS_DIR_LEN ? d->dir_len[1] : 0;
	bpf_seq_write(seq, &rec, sizeof(rec));
	write_str(seq, d->name, rec.name_len, GOPS_NAME_LEN);
	write_str(seq, d->path, rec.path_len, GOPS_PATH_LEN);
	write_str(seq, d->dirs[0], rec.dir_len[0], GOPS_DIR_LEN);
	write_str(seq, d->dirs[1], rec.dir_len[1], GOPS_DIR_LEN);
	return 0;
}
