/* SPDX-License-Identifier: MIT */
/*
 * `gops <pid> [period]`: what gops' processInfo prints for any process (Go or
 * not), computed the way gopsutil v3 computes it, and a JSON form.
 */
#ifndef GOPS_PROCINFO_H
#define GOPS_PROCINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "proc/container.h"
#include "proc/sockets.h"

/* Every has_* flag false means the value could not be read and is left out. */
struct procinfo {
	int pid;
	bool has_ppid;
	int ppid;
	bool parent_alive; /* ppid > 0 and /proc/PPID exists: gops prints the line only then */
	bool has_threads;
	long threads;
	bool has_mem;
	float mem_percent; /* float32, as gopsutil's MemoryPercent */
	bool has_cpu;
	double cpu_percent;  /* over the process's lifetime */
	long long period_ns; /* 0: no period asked */
	bool has_cpu_period;
	double cpu_period_percent;
	bool has_username;
	char username[256];
	bool has_cmdline;
	char *cmdline; /* raw /proc/PID/cmdline bytes (NUL-separated) */
	size_t cmdline_len;
	bool has_start;
	unsigned long long start_time; /* unix seconds, whole as gopsutil has it */
	long long elapsed_ns;
	bool has_sockets;
	struct sock_list sockets;
	/* Where it lives, shown when that is not where we are: */
	bool other_pidns;          /* its pid namespace is not ours */
	int nspid;                 /* its pid there (0: unknown) */
	struct proc_ns ns;         /* its namespaces (0: unknown) */
	struct container_info ctr; /* runtime CONTAINER_NONE: not in a container */
};

/*
 * Reads everything about pid; sleeps period_ns (if > 0) to measure CPU over
 * it. Returns 0, -ENOENT if the pid does not exist (also for pid <= 0), or
 * -errno. Free with procinfo_free().
 */
int procinfo_collect(int pid, long long period_ns, struct procinfo *pi);
void procinfo_free(struct procinfo *pi);

/* The `label:\tvalue` lines of gops, byte for byte. */
void procinfo_write_text(const struct procinfo *pi, FILE *out);
/* One JSON object and a newline; absent values are left out. */
void procinfo_write_json(const struct procinfo *pi, FILE *out);

/*
 * The verb: collect and write. Returns 0, -ENOENT if the pid does not exist
 * (nothing is written then; the caller says "process N not found"), -EIO if
 * writing failed, or another -errno.
 */
int procinfo_print(int pid, long long period_ns, bool json, FILE *out);

/* ps' etime format, [[DD-]hh:]mm:ss, exactly as gops' fmtEtimeDuration. */
void procinfo_format_etime(long long ns, char *buf, size_t len);

#endif
