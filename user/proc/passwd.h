/* SPDX-License-Identifier: MIT */
/*
 * Reading a passwd file directly, as Go's os/user does without cgo: gops is
 * linked statically, where glibc's NSS lookups are not available, and a
 * container's users live in its own /etc/passwd anyway.
 */
#ifndef GOPS_PASSWD_H
#define GOPS_PASSWD_H

#include <stddef.h>

/*
 * Finds uid in the passwd file at path; name and home (either may be NULL)
 * get its user name and home directory. A path under proc_root()/PID/root
 * is resolved inside that root (proc/inroot.h), and only a regular file is
 * read. Returns 0, -ENOENT, or -errno.
 */
int passwd_lookup(
	const char *path, unsigned int uid, char *name, size_t nlen, char *home, size_t hlen);

#endif
