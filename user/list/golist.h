/* SPDX-License-Identifier: MIT */
/* The list of Go processes that `gops` and `gops tree` print. */
#ifndef GOPS_GOLIST_H
#define GOPS_GOLIST_H

#include <stdbool.h>
#include <stddef.h>

struct go_proc {
	int pid;
	int ppid;
	int nspid;  /* pid in its own pid namespace */
	bool agent; /* its gops agent port file exists */
	char name[256];
	char version[64];
	char *path; /* executable path as /proc/PID/exe shows it; owned */
};

struct go_list {
	struct go_proc *procs; /* sorted by pid */
	size_t n, cap;
	int denied;   /* processes we were not allowed to inspect */
	int vanished; /* processes that exited while we looked */
};

/* Appends a zeroed entry; NULL on allocation failure. */
struct go_proc *golist_add(struct go_list *l);
void golist_free(struct go_list *l);

/*
 * Finds Go processes by a /proc scan: each executable is identified through
 * /proc/PID/exe (so deleted binaries and other mount namespaces work) and
 * parsed once per run, however many processes share it. Large scans run on
 * several threads. Entries come out sorted by pid.
 */
int golist_scan(struct go_list *l);

#endif
