/* SPDX-License-Identifier: MIT */
/*
 * The list of Go processes that `gops` and `gops tree` print, and the one
 * builder of its rows, whichever source (the /proc scan, the daemon's table,
 * the loader recording details) knows what about a process.
 */
#ifndef GOPS_LIST_GOLIST_H
#define GOPS_LIST_GOLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/portfile.h"
#include "proc/container.h"

struct go_proc {
	int pid;
	int ppid;
	int nspid;               /* pid in its own pid namespace */
	bool agent;              /* its gops agent port file exists */
	uint64_t start_boottime; /* ns after boot, as /proc/PID/stat's starttime; 0: not known */
	char name[256];
	char version[64];
	char *path;                /* executable path as /proc/PID/exe shows it; owned */
	struct proc_ns ns;         /* its pid, mount and net namespaces (0: unknown) */
	struct container_info ctr; /* its container, when its cgroup names one */
};

struct go_list {
	struct go_proc *procs; /* sorted by pid */
	size_t n, cap;
	int denied;   /* processes we were not allowed to inspect */
	int vanished; /* processes that exited while we looked */
};

/*
 * What a source knows about a Go process. Whatever is left NULL is read
 * from /proc by the builder.
 */
struct go_proc_src {
	int pid, ppid, nspid;
	uint64_t start_boottime; /* 0: not known (the scan does not need it) */
	const char *version;
	/* The kernel's comm, as it is (raw bytes; not as /proc/PID/status escapes it). */
	const char *comm;
	/* The name as gops shows it, when known already (name_len bytes). */
	const char *name;
	size_t name_len;
	/* The executable path, when known (path_len bytes); else /proc/PID/exe. */
	const char *path;
	size_t path_len;
	/* Where its agent writes port files, when known; else looked up. */
	const struct portfile_dirs *dirs;
	/* Its namespaces and container, when known; else read from /proc. */
	const struct proc_ns *ns;
	const struct container_info *ctr;
};

/*
 * Fills p from src: the name (gops' rule: comm, extended to argv[0]'s base
 * name when comm was cut), the path, and, when marks is not NULL, the agent
 * mark (portfile_has_agent), and its namespaces and container. Returns 0, or -errno when the
 * process could not be read (it is gone, or not ours to read); p->path is then NULL.
 */
int go_proc_fill(struct go_proc *p, const struct go_proc_src *src, struct portfile_cache *marks);

/* Appends a row built from src (go_proc_fill). Returns 0 or -errno (nothing appended). */
int golist_add(struct go_list *l, const struct go_proc_src *src, struct portfile_cache *marks);

/*
 * Keeps only the rows whose container id starts with prefix (a short id, as
 * docker prints them); rows outside containers go.
 */
void golist_keep_container(struct go_list *l, const char *prefix);

/* Moves every row of from to the end of l, and its counts; from is left empty. */
int golist_take(struct go_list *l, struct go_list *from);
void golist_sort(struct go_list *l);
void golist_free(struct go_list *l);

/*
 * Finds Go processes by a /proc scan: each executable is identified through
 * /proc/PID/exe (so deleted binaries and other mount namespaces work) and
 * parsed once per run, however many processes share it. Large scans run on
 * several threads. Entries come out sorted by pid.
 */
int golist_scan(struct go_list *l);

#endif
