/* SPDX-License-Identifier: MIT */
/*
 * Where a process's gops agent wrote its port file. The target's own
 * environment and filesystem decide that: $GOPS_CONFIG_DIR, else
 * $XDG_CONFIG_HOME/gops, else $HOME/.config/gops, else its passwd home, all
 * under /proc/PID/root and named by the pid as the process sees it. Then gops'
 * own rule with our environment and the host pid, only for a process that
 * shares our root and mount namespace and is that pid in its own pid
 * namespace too. Every path under /proc/PID/root is
 * opened inside that root (proc/inroot.h): a symlink in a container never
 * leads to a host file.
 */
#ifndef GOPS_PORTFILE_H
#define GOPS_PORTFILE_H

#include <stdbool.h>
#include <stddef.h>

#define PORTFILE_MAX_CANDIDATES 8
#define PORTFILE_MAX_DIRS 4
#define PORTFILE_DIR_LEN 512

struct portfile_candidates {
	int n;
	char path[PORTFILE_MAX_CANDIDATES][4096];
};

/* Config directories, as paths we can open from here. */
struct portfile_dirs {
	int n;
	char dir[PORTFILE_MAX_DIRS][PORTFILE_DIR_LEN];
};

/*
 * Where pid's agent would write its port file (named by its nspid): from its
 * environment, under /proc/PID/root. With resolve_root, a process that shares
 * our root and mount namespace gets plain paths instead, which other
 * processes' lookups can share. Returns 0, or -EACCES / -EPERM (and no
 * directories) when we may not read its root or its environment.
 */
int portfile_target_dirs(int pid, bool resolve_root, struct portfile_dirs *d);

/* gops' own rule, from our environment (port files named by the host pid). */
void portfile_own_dirs(struct portfile_dirs *d);

/*
 * Fills the places to look, most likely first. nspid is the pid as the
 * process sees it (0 to look it up). Our own directories are among them only
 * when pid shares our root and mount namespace and is nspid in ours: for any
 * other process, a file there named by its host pid is not its agent's.
 * Returns 0, or -EACCES / -EPERM with why set ("cannot read the root of
 * process N: ...") when we may not look into the process.
 */
int portfile_candidates(
	int pid, int nspid, struct portfile_candidates *c, char *why, size_t whylen);

/*
 * Finds an existing port file for pid (a symlink counts: reading it is what
 * refuses it). Returns 0 and its path, -ENOENT, or portfile_candidates' error.
 */
int portfile_find(int pid, int nspid, char *path, size_t len);

/*
 * The same question over many processes at once: directory listings are
 * read once and kept, so each lookup costs no system call. Safe to share
 * between threads. Our own directories are listed when it is made.
 */
struct portfile_cache;
struct portfile_cache *portfile_cache_new(void);
void portfile_cache_free(struct portfile_cache *c);
/* Does dir/<id> exist? */
bool portfile_cache_has(struct portfile_cache *c, const char *dir, int id);

/*
 * The agent mark that `gops` and `gops tree` show: whether pid's agent wrote
 * a port file, in the directories its own environment names (target, or NULL
 * to look them up; files named by nspid, the pid as it sees itself), or where
 * gops' own rule looks (named by pid; only for a process sharing our root,
 * as in portfile_candidates). The one place that decides it.
 */
bool portfile_has_agent(
	struct portfile_cache *c, int pid, int nspid, const struct portfile_dirs *target);

#endif
