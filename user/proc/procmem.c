// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/readfd.h"
#include "proc/proc.h"
#include "proc/procmem.h"

#define AUXV_MAX (64u << 10)
#define MAPS_MAX (64u << 20)

int procmem_open(struct procmem *pm, int pid)
{
	char path[4096];
	int n;

	pm->pid = pid;
	pm->dirfd = pm->memfd = -1;
	if (pid <= 0)
		return -ESRCH;
	n = snprintf(path, sizeof(path), "%s/%d", proc_root(), pid);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	pm->dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pm->dirfd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	pm->memfd = openat(pm->dirfd, "mem", O_RDONLY | O_CLOEXEC);
	if (pm->memfd < 0) {
		int err = errno == ENOENT ? -ESRCH : -errno;

		procmem_close(pm);
		return err;
	}
	return 0;
}

void procmem_close(struct procmem *pm)
{
	if (pm->memfd >= 0)
		close(pm->memfd);
	if (pm->dirfd >= 0)
		close(pm->dirfd);
	pm->memfd = pm->dirfd = -1;
}

int procmem_read(struct procmem *pm, uint64_t addr, void *buf, size_t len)
{
	size_t done = 0;

	/* pread's offset is signed: the upper half is the kernel's anyway. */
	if (addr > (uint64_t)INT64_MAX || len > (uint64_t)INT64_MAX - addr)
		return -EFAULT;
	while (done < len) {
		ssize_t n = pread(pm->memfd, (char *)buf + done, len - done, (off_t)(addr + done));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EIO ? -EFAULT : -errno;
		}
		if (n == 0) /* the kernel reads 0 bytes of a process whose memory is gone */
			return done == 0 ? -ESRCH : -EFAULT;
		done += (size_t)n;
	}
	return 0;
}

static ssize_t read_file(struct procmem *pm, const char *name, char **buf, size_t max)
{
	int fd = openat(pm->dirfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read_whole_fd(fd, buf, max, false, false);
	close(fd);
	return n;
}

int procmem_auxv(struct procmem *pm, uint64_t type, uint64_t *val)
{
	char *buf;
	ssize_t n = read_file(pm, "auxv", &buf, AUXV_MAX);
	int err = -ENOENT;

	if (n < 0)
		return (int)n;
	/* Pairs of native words; an exited process's auxv reads empty. */
	for (size_t off = 0; off + 16 <= (size_t)n; off += 16) {
		uint64_t t, v;

		memcpy(&t, buf + off, 8);
		memcpy(&v, buf + off + 8, 8);
		if (t == 0)
			break;
		if (t == type) {
			*val = v;
			err = 0;
			break;
		}
	}
	free(buf);
	return err;
}

int procmem_load_bias(struct procmem *pm, uint64_t elf_entry, uint64_t *bias)
{
	uint64_t entry;
	int err = procmem_auxv(pm, PROCMEM_AT_ENTRY, &entry);

	if (err)
		return err;
	if (entry < elf_entry)
		return -EINVAL;
	*bias = entry - elf_entry;
	return 0;
}

/* "START-END ..." in hex; false when the line is not that. */
static bool parse_range(const char *p, const char *end, uint64_t *lo, uint64_t *hi)
{
	uint64_t v[2] = { 0, 0 };

	for (int k = 0; k < 2; k++) {
		int digits = 0;

		for (; p < end; p++, digits++) {
			int c = *p, d;

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else
				break;
			if (digits >= 16)
				return false;
			v[k] = v[k] << 4 | (uint64_t)d;
		}
		if (digits == 0 || p >= end || *p != (k == 0 ? '-' : ' '))
			return false;
		p++;
	}
	*lo = v[0];
	*hi = v[1];
	return v[0] <= v[1];
}

int procmem_maps_cover(const char *maps, size_t n, uint64_t addr, uint64_t len)
{
	const char *p = maps, *end = maps + n;
	uint64_t want_end, at = addr;

	if (len == 0 || len > UINT64_MAX - addr)
		return -EFAULT;
	want_end = addr + len;
	/* Lines are sorted by address: walk forward while mappings adjoin. */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		uint64_t lo, hi;

		if (le > p) {
			if (!parse_range(p, le, &lo, &hi))
				return -EINVAL;
			if (lo <= at && at < hi) {
				at = hi;
				if (at >= want_end)
					return 0;
			} else if (lo > at) {
				break;
			}
		}
		p = nl ? nl + 1 : end;
	}
	return -EFAULT;
}

ssize_t procmem_maps(struct procmem *pm, char **buf)
{
	return read_file(pm, "maps", buf, MAPS_MAX);
}

int procmem_mapped(struct procmem *pm, uint64_t addr, uint64_t len)
{
	char *buf;
	ssize_t n = procmem_maps(pm, &buf);
	int err;

	if (n < 0)
		return (int)n;
	err = procmem_maps_cover(buf, (size_t)n, addr, len);
	free(buf);
	return err;
}
