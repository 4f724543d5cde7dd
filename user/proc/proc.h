/* SPDX-License-Identifier: MIT */
/* Readers for /proc/PID/... Every file is untrusted: lengths are bounded. */
#ifndef GOPS_PROC_H
#define GOPS_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* /proc, or $GOPS_PROC_ROOT for tests. */
const char *proc_root(void);
/*
 * For unit tests: forgets the root and proc_dirfd(), so that the next call
 * reads $GOPS_PROC_ROOT again. Not while other threads read /proc.
 */
void proc_root_reset(void);

struct proc_stat {
	int pid;
	int ppid;
	char state;
	char comm[64];                   /* as in /proc/PID/stat, without the parentheses */
	unsigned long long utime, stime; /* clock ticks */
	unsigned long long starttime;    /* clock ticks after boot */
	long num_threads;
	unsigned long long flags;       /* the task's PF_* flags */
	unsigned long long blkio_ticks; /* delayacct_blkio_ticks (field 42), 0 if absent */
};

/* Parses /proc/PID/stat. Returns 0, -ENOENT when the pid is gone, or -errno. */
int proc_read_stat(int pid, struct proc_stat *st);
/* Parses the text of a stat file (comm may hold spaces and parentheses). */
int proc_parse_stat(const char *buf, size_t len, struct proc_stat *st);

/*
 * Reads a whole /proc file into a NUL-terminated heap buffer of at most max
 * bytes (longer files are cut). Returns the length, or -errno.
 */
ssize_t proc_read_file(int pid, const char *name, char **buf, size_t max);

/* Same for a file directly under the proc root: "meminfo", "stat"... */
ssize_t proc_read_root_file(const char *name, char **buf, size_t max);

/* The fields of /proc/PID/status that gops shows. */
struct proc_status {
	bool has_threads;
	long threads; /* Threads: */
	bool has_uid;
	unsigned int uid[4]; /* Uid: real, effective, saved, filesystem */
	int nspid;           /* the last NSpid: the pid in its own pid namespace (0: unknown) */
	int ppid;            /* PPid: (-1: unknown) */
	char name[64]; /* Name: the comm, as the kernel escapes it there (proc_unescape_name) */
};

/* Parses /proc/PID/status. Returns 0, -ENOENT when the pid is gone, or -errno. */
int proc_read_status(int pid, struct proc_status *st);
int proc_parse_status(const char *buf, size_t len, struct proc_status *st);

/* Resident set size in bytes: /proc/PID/statm resident pages times the page size. */
int proc_read_rss(int pid, unsigned long long *bytes);
/* The resident page count (second field) of a statm text. Returns 0 or -EINVAL. */
int proc_parse_statm_rss(const char *buf, size_t len, unsigned long long *pages);

/* MemTotal of /proc/meminfo in bytes. Returns 0 or -errno. */
int proc_mem_total(unsigned long long *bytes);
int proc_parse_meminfo_total(const char *buf, size_t len, unsigned long long *bytes);

/* Boot time (btime of /proc/stat) in seconds since the epoch. Returns 0 or -errno. */
int proc_boot_time(unsigned long long *btime);
int proc_parse_btime(const char *buf, size_t len, unsigned long long *btime);

/* Clock ticks per second (sysconf(_SC_CLK_TCK), 100 if unknown). */
long proc_clk_tck(void);
/* A /proc/PID/stat time in clock ticks, in ns; and back (ns cut to whole ticks). */
uint64_t proc_ticks_to_ns(unsigned long long ticks);
unsigned long long proc_ns_to_ticks(uint64_t ns);

/*
 * Whether pid is still the process that started at start_boottime_ns (ns
 * after boot, as the kernel and the BPF table keep it), and not another one
 * that got its pid since. Compared at clock-tick precision, as /proc shows it.
 * st (may be NULL) gets the stat that was read.
 */
bool proc_is_process(int pid, uint64_t start_boottime_ns, struct proc_stat *st);

/* The passwd name of uid. Returns 0, -ENOENT when there is no entry, or -errno. */
int proc_username(unsigned int uid, char *buf, size_t len);

/* readlink /proc/PID/exe into buf. Returns 0 or -errno. */
int proc_exe_path(int pid, char *buf, size_t len);

/* Opens /proc/PID/exe read-only (the executable as the process sees it). */
int proc_open_exe(int pid);
/* stat(2) of /proc/PID/exe: the executable's identity. Returns 0 or -errno. */
int proc_stat_exe(int pid, struct stat *st);

/*
 * The proc_root() directory, opened on first use (O_PATH; -1 if it cannot be
 * opened). Call it once before starting threads that read /proc.
 */
int proc_dirfd(void);

/*
 * Where PID/NAME is: relative to proc_dirfd() when it is open (each lookup
 * then skips walking /proc itself, which adds up over a thousand processes),
 * else the whole path. Returns the directory fd to use with path (AT_FDCWD
 * for a whole path).
 */
int proc_at(int pid, const char *name, char *path, size_t len);

/*
 * The process name as gops shows it: comm, extended to the base name of
 * argv[0] when comm was truncated (15 bytes) and argv[0]'s base starts with it.
 */
void proc_name(int pid, const char *comm, char *buf, size_t len);

/*
 * The pid as the process sees it in its own pid namespace. Costs one stat
 * when the process shares our pid namespace, a read of its status otherwise.
 */
int proc_nspid(int pid);

/*
 * The comm back from its form in /proc/PID/status, where the kernel writes
 * a newline as \n and a backslash as \\ (and nothing else escaped).
 */
void proc_unescape_name(const char *name, char *out, size_t outlen);

/*
 * The pid a directory entry of /proc (or a port file) is named by: decimal
 * digits only, no leading zero, up to INT_MAX. -1 for any other name.
 */
int proc_pid_name(const char *name);

/* Value of key in a NUL-separated environment block, or NULL (points into env). */
const char *proc_env_lookup(const char *env, size_t len, const char *key);

/* Lists numeric entries of /proc in ascending order. Returns count or -errno. */
int proc_list_pids(int **pids);

#endif
