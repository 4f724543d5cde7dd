// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/array.h"
#include "base/readfd.h"
#include "base/str.h"
#include "proc/passwd.h"
#include "proc/proc.h"

static const char *root;
static int root_fd = -2;

const char *proc_root(void)
{
	if (!root) {
		const char *r = getenv("GOPS_PROC_ROOT");

		root = r && *r ? r : "/proc";
	}
	return root;
}

void proc_root_reset(void)
{
	if (root_fd >= 0)
		close(root_fd);
	root_fd = -2;
	root = NULL;
}

int proc_dirfd(void)
{
	if (root_fd == -2)
		root_fd = open(proc_root(), O_PATH | O_DIRECTORY | O_CLOEXEC);
	return root_fd;
}

int proc_at(int pid, const char *name, char *path, size_t len)
{
	int dirfd = proc_dirfd();

	size_t n = 0;

	if (len)
		path[0] = '\0';
	if (dirfd < 0) {
		n = str_append(path, len, n, proc_root());
		n = str_append(path, len, n, "/");
	}
	n = str_append_uint(path, len, n, pid > 0 ? (unsigned long long)pid : 0);
	n = str_append(path, len, n, "/");
	str_append(path, len, n, name);
	return dirfd >= 0 ? dirfd : AT_FDCWD;
}

static ssize_t read_path(int dirfd, const char *path, char **out, size_t max)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	*out = NULL;
	if (fd < 0)
		return -errno;
	n = read_whole_fd(fd, out, max, true, true);
	close(fd);
	return n;
}

ssize_t proc_read_file(int pid, const char *name, char **out, size_t max)
{
	char path[PATH_MAX];
	int dirfd = proc_at(pid, name, path, sizeof(path));

	return read_path(dirfd, path, out, max);
}

ssize_t proc_read_root_file(const char *name, char **out, size_t max)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", proc_root(), name);
	return read_path(AT_FDCWD, path, out, max);
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
	/* ppid is field 4, utime 14, stime 15, num_threads 20, starttime 22, blkio 42. */
	if (n < 19)
		return -EINVAL;
	st->blkio_ticks = n > 38 ? f[38] : 0;
	st->ppid = (int)f[0];
	st->flags = f[5];
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
	char path[PATH_MAX];
	int dirfd = proc_at(pid, "exe", path, sizeof(path));
	ssize_t n = readlinkat(dirfd, path, buf, len - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int proc_open_exe(int pid)
{
	char path[PATH_MAX];
	int dirfd = proc_at(pid, "exe", path, sizeof(path));
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int proc_stat_exe(int pid, struct stat *st)
{
	char path[PATH_MAX];
	int dirfd = proc_at(pid, "exe", path, sizeof(path));

	return fstatat(dirfd, path, st, 0) < 0 ? -errno : 0;
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

/* Inode of a namespace link, or 0. */
static ino_t ns_inode(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_ino : 0;
}

int proc_nspid(int pid)
{
	static ino_t own_pidns;
	struct proc_status status;
	char path[64];

	if (!own_pidns)
		own_pidns = ns_inode("/proc/self/ns/pid");
	snprintf(path, sizeof(path), "%s/%d/ns/pid", proc_root(), pid);
	if (own_pidns && ns_inode(path) == own_pidns)
		return pid;
	if (proc_read_status(pid, &status) == 0 && status.nspid > 0)
		return status.nspid;
	return pid;
}

void proc_unescape_name(const char *name, char *out, size_t outlen)
{
	size_t o = 0;

	if (!outlen)
		return;
	for (size_t i = 0; name[i] && o + 1 < outlen; i++) {
		if (name[i] == '\\' && (name[i + 1] == 'n' || name[i + 1] == '\\')) {
			out[o++] = name[i + 1] == 'n' ? '\n' : '\\';
			i++;
		} else {
			out[o++] = name[i];
		}
	}
	out[o] = '\0';
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

int proc_pid_name(const char *name)
{
	long long v = 0;

	if (name[0] < '1' || name[0] > '9')
		return -1;
	for (const char *c = name; *c; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		v = v * 10 + (*c - '0');
		if (v > INT_MAX)
			return -1;
	}
	return (int)v;
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
	size_t n = 0, cap = 0;
	int *slot;

	*out = NULL;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		int v = proc_pid_name(de->d_name);

		if (v < 0)
			continue;
		slot = array_push(out, &n, &cap, sizeof(**out));
		if (!slot) {
			free(*out);
			*out = NULL;
			closedir(d);
			return -ENOMEM;
		}
		*slot = v;
	}
	closedir(d);
	qsort(*out, n, sizeof(**out), cmp_int);
	return (int)n;
}

/* A decimal number at *p (after blanks); advances *p. Returns false if there is none. */
static bool parse_ull(const char **p, const char *end, unsigned long long *v)
{
	const char *s = *p;
	unsigned long long x = 0;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s >= end || *s < '0' || *s > '9')
		return false;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (x > (ULLONG_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	*p = s;
	return true;
}

/* The value after "key" at the start of a line, or NULL. */
static const char *find_line(const char *buf, size_t len, const char *key)
{
	size_t klen = strlen(key);
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		if ((size_t)(le - p) >= klen && memcmp(p, key, klen) == 0)
			return p + klen;
		p = le + 1;
	}
	return NULL;
}

static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl : end;
}

int proc_parse_status(const char *buf, size_t len, struct proc_status *st)
{
	const char *end = buf + len, *p;
	unsigned long long v;

	memset(st, 0, sizeof(*st));
	st->ppid = -1;
	p = find_line(buf, len, "Name:");
	if (p) {
		const char *le = line_end(p, end);
		size_t n;

		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		n = (size_t)(le - p) < sizeof(st->name) ? (size_t)(le - p) : sizeof(st->name) - 1;
		memcpy(st->name, p, n);
		st->name[n] = '\0';
	}
	p = find_line(buf, len, "PPid:");
	if (p && parse_ull(&p, line_end(p, end), &v) && v <= INT_MAX)
		st->ppid = (int)v;
	p = find_line(buf, len, "Threads:");
	if (p && parse_ull(&p, line_end(p, end), &v) && v <= LONG_MAX) {
		st->threads = (long)v;
		st->has_threads = true;
	}
	p = find_line(buf, len, "Uid:");
	if (p) {
		const char *le = line_end(p, end);
		int i;

		for (i = 0; i < 4; i++) {
			if (!parse_ull(&p, le, &v) || v > UINT_MAX)
				break;
			st->uid[i] = (unsigned int)v;
		}
		st->has_uid = i == 4;
	}
	/* NSpid lists the pid from the outermost namespace in; the last is its own. */
	p = find_line(buf, len, "NSpid:");
	if (p) {
		const char *le = line_end(p, end);

		while (parse_ull(&p, le, &v) && v <= INT_MAX)
			st->nspid = (int)v;
	}
	return 0;
}

int proc_read_status(int pid, struct proc_status *st)
{
	char *buf;
	ssize_t n = proc_read_file(pid, "status", &buf, 65536);
	int err;

	memset(st, 0, sizeof(*st));
	if (n < 0)
		return (int)n;
	err = proc_parse_status(buf, (size_t)n, st);
	free(buf);
	return err;
}

int proc_parse_statm_rss(const char *buf, size_t len, unsigned long long *pages)
{
	const char *p = memchr(buf, ' ', len), *end = buf + len;

	/* size resident shared text lib data dt: the second field, digits only */
	if (!p || !parse_ull(&p, end, pages))
		return -EINVAL;
	if (p < end && *p != ' ' && *p != '\n')
		return -EINVAL;
	return 0;
}

int proc_read_rss(int pid, unsigned long long *bytes)
{
	unsigned long long pages;
	char *buf;
	ssize_t n = proc_read_file(pid, "statm", &buf, 4096);
	long psz = sysconf(_SC_PAGESIZE);
	int err;

	if (n < 0)
		return (int)n;
	err = proc_parse_statm_rss(buf, (size_t)n, &pages);
	free(buf);
	if (err)
		return err;
	*bytes = pages * (unsigned long long)(psz > 0 ? psz : 4096);
	return 0;
}

int proc_parse_meminfo_total(const char *buf, size_t len, unsigned long long *bytes)
{
	const char *p = find_line(buf, len, "MemTotal:");
	unsigned long long kb;

	if (!p || !parse_ull(&p, line_end(p, buf + len), &kb) || kb > ULLONG_MAX / 1024)
		return -EINVAL;
	*bytes = kb * 1024;
	return 0;
}

int proc_mem_total(unsigned long long *bytes)
{
	char *buf;
	ssize_t n = proc_read_root_file("meminfo", &buf, 65536);
	int err;

	if (n < 0)
		return (int)n;
	err = proc_parse_meminfo_total(buf, (size_t)n, bytes);
	free(buf);
	return err;
}

int proc_parse_btime(const char *buf, size_t len, unsigned long long *btime)
{
	const char *p = find_line(buf, len, "btime ");

	if (!p || !parse_ull(&p, line_end(p, buf + len), btime))
		return -EINVAL;
	return 0;
}

int proc_boot_time(unsigned long long *btime)
{
	char *buf;
	/* Large on many-CPU hosts: one line per CPU before btime. */
	ssize_t n = proc_read_root_file("stat", &buf, 4u << 20);
	int err;

	if (n < 0)
		return (int)n;
	err = proc_parse_btime(buf, (size_t)n, btime);
	free(buf);
	return err;
}

long proc_clk_tck(void)
{
	static long tck;

	if (!tck) {
		long t = sysconf(_SC_CLK_TCK);

		tck = t > 0 ? t : 100;
	}
	return tck;
}

uint64_t proc_ticks_to_ns(unsigned long long ticks)
{
	return (uint64_t)ticks * (uint64_t)(1000000000L / proc_clk_tck());
}

unsigned long long proc_ns_to_ticks(uint64_t ns)
{
	return ns / (uint64_t)(1000000000L / proc_clk_tck());
}

bool proc_is_process(int pid, uint64_t start_boottime_ns, struct proc_stat *out)
{
	struct proc_stat st;

	/* The kernel's start_boottime is in ns, /proc shows it in clock ticks. */
	if (proc_read_stat(pid, &st) != 0 || st.starttime != proc_ns_to_ticks(start_boottime_ns))
		return false;
	if (out)
		*out = st;
	return true;
}

int proc_username(unsigned int uid, char *buf, size_t len)
{
	return passwd_lookup("/etc/passwd", uid, buf, len, NULL, 0);
}
