/* SPDX-License-Identifier: MIT */
/*
 * What the kernel side (tracer.bpf.c) and user space (user/live/) share: map
 * layouts, the pinned table's ABI, and the events on the ring buffer.
 */
#ifndef GOPS_BPF_SHARED_H
#define GOPS_BPF_SHARED_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define GOPS_DEFAULT_MAX_PROCS 4096 /* rows in the table, unless --max-procs */
#define GOPS_COMM_LEN 16
#define GOPS_GOVERSION_LEN 48

/* An executable's identity. dev uses the user-space (stat) encoding. */
struct gops_exe_key {
	__u64 dev;
	__u64 ino;
};

/* The verdict cache: is this executable Go? ctime detects in-place rewrites. */
struct gops_verdict {
	__u64 ctime_ns;
	__u32 is_go;
	__u32 pad;
	char version[GOPS_GOVERSION_LEN];
};

enum gops_row_flags {
	GOPS_ROW_GO = 1,           /* classified: a Go executable */
	GOPS_ROW_UNCLASSIFIED = 2, /* exec seen, verdict pending in user space */
	GOPS_ROW_REPARENTED = 4,   /* its parent exited: ppid is stale (see reparents) */
};

/* One process in the table, keyed by host pid (tgid). */
struct gops_row {
	__u32 pid;   /* host pid */
	__u32 nspid; /* pid in its own pid namespace */
	__u32 ppid;  /* host pid of the parent; with REPARENTED, of the one that left */
	__u32 flags;
	__u32 reparents; /* times the kernel flagged it REPARENTED: one more each time */
	__u32 pad;
	__u64 start_boottime; /* ns after boot, as /proc/PID/stat's starttime */
	__u64 dev, ino, ctime_ns;
	__u64 pidns, mntns, netns; /* namespace inode numbers */
	__u64 cgroup_id;
	char comm[GOPS_COMM_LEN];
	char version[GOPS_GOVERSION_LEN];
};

#define GOPS_NAME_LEN 256 /* as long as a name gops shows (struct go_proc) */
#define GOPS_PATH_LEN 256
#define GOPS_DIR_LEN 160
#define GOPS_MAX_DIRS 2
#define GOPS_DIRS_UNKNOWN 0xffffffffu

/*
 * Where a Go process lives, as the loader read it from /proc when it exec'd:
 * its namespaces and, when its cgroup path names one, its container. The
 * strings are fixed-length, without NUL (the lengths are the ids' own).
 */
#define GOPS_CONTAINER_ID_LEN 64 /* hex digits */
#define GOPS_POD_UID_LEN 36      /* 8-4-4-4-12 */

struct gops_identity {
	__u64 pidns, mntns, netns; /* namespace inode numbers; 0: unknown */
	__u32 runtime;             /* 0: not in a container (enum container_runtime) */
	__u32 has_pod_uid;
	char container_id[GOPS_CONTAINER_ID_LEN];
	char pod_uid[GOPS_POD_UID_LEN];
	__u32 pad;
};

/*
 * What the loader learnt about a Go process from /proc, so that listing
 * needs no /proc reads. Written by user space only; valid while start_boottime
 * and ino match the row's.
 */
struct gops_details {
	__u64 start_boottime;
	__u64 ino;
	char name[GOPS_NAME_LEN]; /* as gops shows it */
	char path[GOPS_PATH_LEN]; /* /proc/PID/exe's target, kept current by the loader */
	__u32 path_ok;            /* 0: too long to keep, read /proc/PID/exe */
	__u32 ndirs;              /* GOPS_DIRS_UNKNOWN: too long to keep, look them up */
	char dirs[GOPS_MAX_DIRS][GOPS_DIR_LEN]; /* where its agent writes its port file */
	/* The lengths of name, path and dirs (without NUL), for the listing. */
	__u16 name_len, path_len, dir_len[GOPS_MAX_DIRS];
	/*
	 * The parent /proc showed after the kernel flagged the row REPARENTED
	 * for the ppid_reparents-th time; valid while the row's reparents equals
	 * that (0: not known).
	 */
	__u32 ppid;
	__u32 ppid_reparents;
	struct gops_identity ident;
};

/*
 * What reading the pinned `list` iterator returns, per Go row: this record,
 * then, when has_details, the loader's strings back to back (name_len bytes
 * of name, path_len of path, then dir_len[i] of each of the ndirs dirs, none
 * NUL-terminated). Only what the listing needs, so one read is short.
 */
struct gops_list_rec {
	__u32 pid, nspid, ppid, flags;
	__u64 start_boottime;
	__u32 reparents;
	__u32 has_details;
	/* From the details, when has_details: */
	__u32 details_ppid, details_ppid_reparents;
	__u32 path_ok, ndirs;
	__u16 name_len, path_len, dir_len[GOPS_MAX_DIRS];
	char comm[GOPS_COMM_LEN];
	char version[GOPS_GOVERSION_LEN];
	struct gops_identity ident; /* from the details, when has_details */
};

enum gops_event_type {
	GOPS_EV_EXEC = 1,     /* a known Go executable started */
	GOPS_EV_CLASSIFY = 2, /* an unknown executable started: user space decides */
	GOPS_EV_EXIT = 3,     /* a process in the table exited */
	GOPS_EV_STDERR = 4, /* what it wrote to stderr since a crash header: just before its exit */
};

/*
 * What a process in the table wrote to fd 2 from the last line that looked
 * like the start of a Go crash ("panic: ", "fatal error: ", "runtime: ",
 * "SIGQUIT: " ...), up to GOPS_STDERR_LEN bytes. Kept only for processes that
 * wrote such a line, and sent to user space only when they exit unclean
 * (code or signal): a clean exit drops it. The value is the event itself
 * (type GOPS_EV_STDERR): the exit hook sends the first offsetof(buf) + len
 * bytes. buf is twice the length only so the verifier can see any append
 * below GOPS_STDERR_LEN stays inside it.
 */
#define GOPS_STDERR_LEN 4096
struct gops_stderr {
	__u32 type;
	__u32 pid;
	__u64 start_boottime;
	__u32 len;       /* bytes in buf, at most GOPS_STDERR_LEN */
	__u32 truncated; /* more was written after buf filled */
	char buf[2 * GOPS_STDERR_LEN];
};

/* Where the crash text probe finds its arguments: its attach cookie. */
enum gops_print_probe {
	GOPS_PROBE_WRITE1 = 0,       /* runtime.write1(fd, p, n), ABI0 */
	GOPS_PROBE_GWRITE_STACK = 1, /* runtime.gwrite(b), ABI0 */
	GOPS_PROBE_GWRITE_REGS = 2,  /* runtime.gwrite(b), the register ABI */
};

/*
 * The OOM killer chose this process (oom_kill_process): its resident memory
 * then, and the memory cgroup limit that was hit (0 for a host-wide OOM).
 * All in pages of the kernel's page size.
 */
struct gops_oom {
	__u64 rss_pages;   /* anon + file + shmem */
	__u64 limit_pages; /* the OOM domain's memory.max; 0: the whole host */
	__u64 total_pages; /* what the OOM killer weighed against (limit + swap, or RAM + swap) */
};

/*
 * The last signal sent to a process in the table, and by whom: a process
 * (kill(2), tgkill(2), sigqueue(2): si_code <= 0, the sender is the task that
 * generated it) or the kernel (a fault, the OOM killer: si_code > 0).
 */
struct gops_signal_src {
	__s32 sig;
	__s32 code;       /* si_code */
	__u32 sender_pid; /* tgid; 0 when the kernel sent it */
	__u32 pad;
	char sender_comm[GOPS_COMM_LEN];
};

struct gops_event {
	__u32 type;
	__u32 pid, ppid, nspid;
	__u32 flags;     /* the row's flags */
	__s32 exit_code; /* wait status: code << 8, or the signal number */
	__u64 ts_boot;   /* when, ns after boot */
	__u64 start_boottime;
	__u64 dev, ino, ctime_ns;
	char comm[GOPS_COMM_LEN];
	char version[GOPS_GOVERSION_LEN];
	/* exits by a signal: who last signalled it (sender.sig 0: nobody known) */
	struct gops_signal_src sender;
	__u32 has_oom; /* the OOM killer chose it: oom says more */
	__u32 pad;
	struct gops_oom oom;
};

enum gops_counter {
	GOPS_CNT_EXEC = 0,    /* execs seen */
	GOPS_CNT_EXIT,        /* process exits seen */
	GOPS_CNT_FORK,        /* process forks seen */
	GOPS_CNT_VERDICT_HIT, /* execs decided in the kernel from the verdict cache */
	GOPS_CNT_CLASSIFY,    /* execs sent to user space to classify */
	GOPS_CNT_DROPS,       /* events lost: ring buffer full */
	GOPS_CNT_TABLE_FULL,  /* rows that did not fit in the table */
	GOPS_CNT_MAX,
};

/*
 * The pinned table's ABI, between a loader and every CLI that reads its pin
 * dir (they may come from different builds): the objects pinned there (names
 * below), and the layouts of struct gops_meta, gops_row, gops_details,
 * gops_list_rec and gops_death. Bump GOPS_ABI_VERSION whenever any of them changes. A CLI
 * that finds another version (or a value size it does not expect) scans
 * /proc instead; a loader clears a pin dir of another version before it pins.
 */
#define GOPS_ABI_VERSION 4

#define GOPS_PIN_PROCS "procs"       /* hash: pid -> struct gops_row */
#define GOPS_PIN_BINS "bins"         /* LRU hash: struct gops_exe_key -> struct gops_verdict */
#define GOPS_PIN_COUNTERS "counters" /* per-CPU array of __u64, enum gops_counter */
#define GOPS_PIN_META "meta"         /* array of one struct gops_meta */
#define GOPS_PIN_DETAILS "details"   /* hash: pid -> struct gops_details */
#define GOPS_PIN_LIST "list"         /* iterator link over procs: gops_list_rec records */
#define GOPS_PIN_DEATHS "deaths"     /* array of GOPS_DEATHS_MAX struct gops_death */

/*
 * How a Go process ended, as the daemon keeps the last GOPS_DEATHS_MAX that
 * were not clean (code 0) for `gops deaths`: written by the loader only, in
 * slot seq % GOPS_DEATHS_MAX. A restarted daemon carries over the ones its
 * predecessor pinned. Strings are NUL-terminated.
 */
#define GOPS_DEATHS_MAX 100
#define GOPS_MSG_LEN 256
#define GOPS_FRAMES_MAX 8
#define GOPS_FUNC_LEN 128
#define GOPS_FILE_LEN 192

enum gops_cause {
	GOPS_CAUSE_EXIT = 1, /* exited with a code, no crash text */
	GOPS_CAUSE_PANIC,    /* a Go panic: "panic: ..." */
	GOPS_CAUSE_FATAL,    /* the runtime threw: "fatal error: ...", "SIGQUIT: quit" ... */
	GOPS_CAUSE_OOM,      /* killed by the OOM killer */
	GOPS_CAUSE_SIGNAL,   /* killed by another signal */
};

struct gops_death_frame {
	char func[GOPS_FUNC_LEN];
	char file[GOPS_FILE_LEN];
	__u32 line;
	__u32 pad;
};

struct gops_death {
	__u64 seq;     /* 0: an empty slot; the newest death has the highest */
	__u64 time_ns; /* when it died, ns since the Unix epoch */
	__u64 lifetime_ns;
	__u32 pid, ppid, nspid;
	__u32 cause;     /* enum gops_cause */
	__s32 exit_code; /* -1 when killed by a signal */
	__s32 signal;    /* 0 when it exited */
	__u32 has_sender, sender_pid;
	char sender_comm[GOPS_COMM_LEN];
	char name[GOPS_NAME_LEN];
	char version[GOPS_GOVERSION_LEN];
	char message[GOPS_MSG_LEN];
	__u32 nframes;
	__u32 has_oom;
	__u64 oom_rss_bytes, oom_limit_bytes;
	struct gops_death_frame frames[GOPS_FRAMES_MAX];
	struct gops_identity ident;
};

enum gops_meta_flags {
	GOPS_META_SEEDED = 1,     /* the start-up /proc scan succeeded and is in the table */
	GOPS_META_INCOMPLETE = 2, /* rows are missing (the table is full): readers scan */
	GOPS_META_LIST_ITER = 4,  /* GOPS_PIN_LIST is there; else read procs and details */
};

/* Written by the loader at every heartbeat; read by the CLI to know a live daemon owns the table.
 */
struct gops_meta {
	__u32 abi_version; /* GOPS_ABI_VERSION; the first field in every version */
	__u32 loader_pid;
	__u64 loader_start_boottime; /* the loader's own start, to spot pid reuse */
	__u64 heartbeat_boot_ns;     /* CLOCK_BOOTTIME of the last heartbeat */
	__u64 flags;                 /* enum gops_meta_flags */
	__u64 parsed;                /* executables the loader parsed */
	__u64 resyncs;               /* /proc resyncs after lost events */
	__u64 resync_failures;       /* resyncs that could not read /proc (retried) */
	__u64 map_update_failures;   /* the loader's map writes that failed, other than races */
};

#endif
