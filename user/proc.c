// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"

const char *proc_root(void)
{
	static const char *root;

	if (!root) {
		const char *r = getenv("GOPS_PROC_ROOT");

		root = r && *r ? r : "/proc";
	}
	return root;
}

ssize_t proc_read_file(int pid, const char *name, char **out, size_t max)
{
	char path[PATH_MAX];
	size_t cap = 4096, len = 0;
	char *buf;
	int fd;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/%d/%s", proc_root(), pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (cap > max)
		cap = max;
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			size_t ncap = cap * 2 > max ? max : cap * 2;
			char *nb;

			if (ncap == cap)
				break;
			nb = realloc(buf, ncap + 1);
			if (!nb) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nb;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			int err = -errno;

			if (errno == EINTR)
				continue;
			free(buf);
			close(fd);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	return (ssize_t)len;
}

int proc_parse_stat(const char *buf, size_t len, struct proc_stat *st)
{
	const char *open, *close_paren, *p, *end = buf + len;
	unsigned long long f[52];
	size_t clen;
	int n = 0;

	memset(st, 0, sizeof(*st));
	open = memchr(buf, '(', len);
	/* comm may contain ')': the last one closes it. */
	close_paren = NULL;
	for (p = end; p > buf; p--)
		if (p[-1] == ')') {
			close_paren = p - 1;
			break;
		}
	if (!open || !close_paren || close_paren < open)
		return -EINVAL;
	st->pid = atoi(buf);
	clen = (size_t)(close_paren - open - 1);
	if (clen >= sizeof(st->comm))
		clen = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, clen);
	st->comm[clen] = '\0';

	p = close_paren + 1;
	while (p < end && *p == ' ')
		p++;
	if (p >= end)
		return -EINVAL;
	st->state = *p++;
	/* Fields after the state, numbered from 4 (ppid) as in proc(5). */
	while (p < end && n < 52) {
		char *e;

		while (p < end && *p == ' ')
			p++;
		if (p >= end || *p == '\n')
			break;
		errno = 0;
		if (*p == '-') {
			f[n] = (unsigned long long)strtoll(p, &e, 10);
		} else {
			f[n] = strtoull(p, &e, 10);
		}
		if (e == p)
			return -EINVAL;
		n++;
		p = e;
	}
	/* ppid is field 4, utime 14, stime 15, num_threads 20, starttime 22. */
	if (n < 19)
		return -EINVAL;
	st->ppid = (int)f[0];
	st->utime = f[10];
	st->stime = f[11];
	st->num_threads = (long)f[16];
	st->starttime = f[18];
	return 0;
}

int proc_read_stat(int pid, struct proc_stat *st)
{
	char *buf;
	ssize_t n = proc_read_file(pid, "stat", &buf, 4096);
	int err;

	if (n < 0)
		return (int)n;
	err = proc_parse_stat(buf, (size_t)n, st);
	free(buf);
	return err;
}

int proc_exe_path(int pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%d/exe", proc_root(), pid);
	n = readlink(path, buf, len - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int proc_open_exe(int pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "%s/%d/exe", proc_root(), pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

void proc_name(int pid, const char *comm, char *buf, size_t len)
{
	size_t clen = strlen(comm);
	char *cmd;
	ssize_t n;

	snprintf(buf, len, "%s", comm);
	/* The kernel keeps 15 bytes of the name; gops then looks at argv[0]. */
	if (clen < 15)
		return;
	n = proc_read_file(pid, "cmdline", &cmd, 4096);
	if (n <= 0) {
		free(cmd);
		return;
	}
	{
		const char *argv0 = cmd, *base = strrchr(argv0, '/');

		base = base ? base + 1 : argv0;
		if (strncmp(base, comm, clen) == 0)
			snprintf(buf, len, "%s", base);
	}
	free(cmd);
}

int proc_nspid(int pid)
{
	char *buf, *line;
	ssize_t n = proc_read_file(pid, "status", &buf, 16384);
	int nspid = pid;

	if (n < 0)
		return pid;
	line = strstr(buf, "\nNSpid:");
	if (line) {
		char *p = line + 7, *e;

		for (;;) {
			long v;

			while (*p == ' ' || *p == '\t')
				p++;
			v = strtol(p, &e, 10);
			if (e == p)
				break;
			nspid = (int)v;
			p = e;
		}
	}
	free(buf);
	return nspid;
}

const char *proc_env_lookup(const char *env, size_t len, const char *key)
{
	size_t klen = strlen(key), i = 0;

	while (i < len) {
		const char *s = env + i;
		const char *nul = memchr(s, '\0', len - i);
		size_t slen = nul ? (size_t)(nul - s) : len - i;

		if (slen > klen && memcmp(s, key, klen) == 0 && s[klen] == '=')
			return nul ? s + klen + 1 : NULL;
		i += slen + 1;
	}
	return NULL;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int proc_list_pids(int **out)
{
	DIR *d = opendir(proc_root());
	struct dirent *de;
	int *pids = NULL, n = 0, cap = 0;

	*out = NULL;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char *e;
		long v;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		v = strtol(de->d_name, &e, 10);
		if (*e || v <= 0 || v > INT_MAX)
			continue;
		if (n == cap) {
			int *np;

			cap = cap ? cap * 2 : 1024;
			np = realloc(pids, (size_t)cap * sizeof(*pids));
			if (!np) {
				free(pids);
				closedir(d);
				return -ENOMEM;
			}
			pids = np;
		}
		pids[n++] = (int)v;
	}
	closedir(d);
	qsort(pids, (size_t)n, sizeof(*pids), cmp_int);
	*out = pids;
	return n;
}
