/* SPDX-License-Identifier: MIT */
/*
 * Where a process's gops agent wrote its port file. The target's own
 * environment and filesystem decide that: $GOPS_CONFIG_DIR, else
 * $XDG_CONFIG_HOME/gops, else $HOME/.config/gops, else its passwd home, all
 * under /proc/PID/root and named by the pid as the process sees it. Then gops'
 * own rule with our environment and the host pid.
 */
#ifndef GOPS_PORTFILE_H
#define GOPS_PORTFILE_H

#include <stddef.h>

#define PORTFILE_MAX_CANDIDATES 8

struct portfile_candidates {
	int n;
	char path[PORTFILE_MAX_CANDIDATES][4096];
};

/*
 * Fills the places to look, most likely first. nspid is the pid as the
 * process sees it (0 to look it up).
 */
void portfile_candidates(int pid, int nspid, struct portfile_candidates *c);

/* Finds an existing port file for pid. Returns 0 and its path, or -ENOENT. */
int portfile_find(int pid, int nspid, char *path, size_t len);

#endif
