/* SPDX-License-Identifier: MIT */
/*
 * Opening paths inside another process's root. A path that begins with
 * proc_root()/PID/root is resolved as that process resolves it: a symlink,
 * absolute or not, and ".." never lead out of its root, so a container's
 * `/.config -> /etc` is its /etc, never the host's. Magic links (/proc/self/…)
 * are not followed. Any other path is opened as it is.
 */
#ifndef GOPS_PROC_INROOT_H
#define GOPS_PROC_INROOT_H

#include <dirent.h>
#include <stdbool.h>
#include <sys/stat.h>

/*
 * open(2) of path with flags (O_CLOEXEC is added; no O_CREAT). O_NOFOLLOW
 * applies to the last component as usual: a symlink there is ELOOP. Returns
 * the fd or -errno.
 */
int inroot_open(const char *path, int flags);

/* lstat(2) of path: the last component is not followed. Returns 0 or -errno. */
int inroot_lstat(const char *path, struct stat *st);

/* opendir(3) of path. NULL with errno set. */
DIR *inroot_opendir(const char *path);

/*
 * The root directory of pid (proc_root()/PID/root), opened O_PATH. Returns
 * the fd or -errno (EACCES when we may not look into that process).
 */
int inroot_open_root(int pid);

/*
 * For unit tests: resolve by the component walk that stands in for
 * openat2(2) on kernels without it (before 5.6), or by openat2 again.
 */
void inroot_force_walk(bool on);

#endif
