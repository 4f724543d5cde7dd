// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc/inroot.h"
#include "proc/proc.h"

#define WALK_MAX_LINKS 40  /* the kernel's MAXSYMLINKS */
#define WALK_MAX_DEPTH 128 /* directories held open on the way down */
#define OPENAT2_TRIES 8    /* EAGAIN: a rename raced a ".."; the kernel asks to retry */

/* Set once openat2 turned out to be missing (or by a test). */
static atomic_bool walk_only;

void inroot_force_walk(bool on)
{
	atomic_store(&walk_only, on);
}

/* Is path proc_root()/PID/root, or below it? Then *rest is the part inside. */
static bool split_root(const char *path, int *pid, const char **rest)
{
	const char *r = proc_root(), *p;
	size_t rlen = strlen(r), n;
	char num[16];

	if (strncmp(path, r, rlen) != 0 || path[rlen] != '/')
		return false;
	p = path + rlen + 1;
	n = strspn(p, "0123456789");
	if (n == 0 || n >= sizeof(num) || strncmp(p + n, "/root", 5) != 0 ||
		(p[n + 5] != '\0' && p[n + 5] != '/'))
		return false;
	memcpy(num, p, n);
	num[n] = '\0';
	*pid = proc_pid_name(num);
	if (*pid < 0)
		return false;
	for (p += n + 5; *p == '/'; p++)
		;
	*rest = p;
	return true;
}

int inroot_open_root(int pid)
{
	int dirfd = proc_dirfd(), fd;
	char path[PATH_MAX];

	if (dirfd >= 0) {
		snprintf(path, sizeof(path), "%d/root", pid);
		fd = openat(dirfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	} else {
		snprintf(path, sizeof(path), "%s/%d/root", proc_root(), pid);
		fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	return fd < 0 ? -errno : fd;
}

static int open_openat2(int root, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	for (int i = 0; i < OPENAT2_TRIES; i++) {
		long fd = syscall(SYS_openat2, root, *rel ? rel : ".", &how, sizeof(how));

		if (fd >= 0)
			return (int)fd;
		if (errno != EAGAIN)
			return -errno;
	}
	return -EAGAIN;
}

/*
 * What openat2's RESOLVE_IN_ROOT does, one component at a time, for kernels
 * before 5.6. Each step opens one name in the directory reached so far with
 * O_PATH | O_NOFOLLOW, so the kernel never follows a symlink for us: a
 * symlink is read and its text put in front of the rest of the path, from
 * the root when it is absolute. ".." goes back to the directory we came from
 * (kept open), and stays at the root there, so no ".." is ever looked up and
 * a directory moved away meanwhile cannot take us out. A magic link is read
 * as text too, never followed. The last component is opened with the
 * caller's flags plus O_NOFOLLOW (a symlink that replaced it since is ELOOP).
 */
static int open_walk(int root, const char *rel, int flags)
{
	char buf[PATH_MAX], link[PATH_MAX], joined[PATH_MAX], *p = buf;
	int dirs[WALK_MAX_DEPTH], n = 0, links = 0, fd = -ENOENT;

	if ((size_t)snprintf(buf, sizeof(buf), "%s", rel) >= sizeof(buf))
		return -ENAMETOOLONG;
	for (;;) {
		int cur = n ? dirs[n - 1] : root;
		char *name, *next;
		struct stat st;
		ssize_t len;

		while (*p == '/')
			p++;
		if (!*p) {
			fd = openat(cur, ".", flags | O_CLOEXEC);
			fd = fd < 0 ? -errno : fd;
			break;
		}
		name = p;
		next = strchr(p, '/'); /* "a/" is "a/.": a must be a directory */
		if (next)
			*next++ = '\0';
		p = next ? next : name + strlen(name);
		if (strcmp(name, ".") == 0)
			continue;
		if (strcmp(name, "..") == 0) {
			if (n)
				close(dirs[--n]);
			continue;
		}
		if (!next && (flags & O_NOFOLLOW)) {
			fd = openat(cur, name, flags | O_CLOEXEC);
			fd = fd < 0 ? -errno : fd;
			break;
		}
		fd = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			fd = -errno;
			break;
		}
		if (fstat(fd, &st) < 0) {
			int err = -errno;

			close(fd);
			fd = err;
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			len = readlinkat(fd, "", link, sizeof(link));
			close(fd);
			fd = len < 0 ? -errno : ++links > WALK_MAX_LINKS ? -ELOOP : 0;
			if (!fd && (size_t)len >= sizeof(link))
				fd = -ENAMETOOLONG;
			if (fd)
				break;
			link[len] = '\0';
			if ((size_t)snprintf(joined, sizeof(joined), "%s%s%s", link, *p ? "/" : "",
				    p) >= sizeof(joined)) {
				fd = -ENAMETOOLONG;
				break;
			}
			memcpy(buf, joined, strlen(joined) + 1);
			p = buf;
			if (link[0] == '/')
				while (n)
					close(dirs[--n]);
			continue;
		}
		if (!next) {
			close(fd);
			fd = openat(cur, name, flags | O_NOFOLLOW | O_CLOEXEC);
			fd = fd < 0 ? -errno : fd;
			break;
		}
		if (!S_ISDIR(st.st_mode) || n == WALK_MAX_DEPTH) {
			close(fd);
			fd = S_ISDIR(st.st_mode) ? -ENAMETOOLONG : -ENOTDIR;
			break;
		}
		dirs[n++] = fd;
	}
	while (n)
		close(dirs[--n]);
	return fd;
}

/*
 * openat2(2) has no glibc wrapper on Debian 12. Without it (ENOSYS, kernels
 * before 5.6) the walk above does the same.
 */
static int open_in_root(int root, const char *rel, int flags)
{
	int fd;

	if (!atomic_load(&walk_only)) {
		fd = open_openat2(root, rel, flags);
		if (fd != -ENOSYS)
			return fd;
		atomic_store(&walk_only, true);
	}
	return open_walk(root, rel, flags);
}

int inroot_open(const char *path, int flags)
{
	const char *rest;
	int pid, root, fd;

	if (!split_root(path, &pid, &rest)) {
		fd = open(path, flags | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	root = inroot_open_root(pid);
	if (root < 0)
		return root;
	fd = open_in_root(root, rest, flags);
	close(root);
	return fd;
}

int inroot_lstat(const char *path, struct stat *st)
{
	int fd = inroot_open(path, O_PATH | O_NOFOLLOW), err = 0;

	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0)
		err = -errno;
	close(fd);
	return err;
}

DIR *inroot_opendir(const char *path)
{
	int fd = inroot_open(path, O_RDONLY | O_DIRECTORY), err;
	DIR *d;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	d = fdopendir(fd);
	if (!d) {
		err = errno;
		close(fd);
		errno = err;
	}
	return d;
}
