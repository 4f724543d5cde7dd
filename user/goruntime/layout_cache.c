// SPDX-License-Identifier: MIT
/*
 * One file per executable: "gops-layout FORMAT NFIELDS\nKEY\n" and then the
 * fields of RT_LAYOUT_FIELDS as (offset, size) int32 pairs, hsd_size and
 * num_size_classes, in host byte order. FORMAT changes whenever the meaning
 * of a cached field does; NFIELDS whenever the list does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "goruntime/layout_cache.h"

#define CACHE_FORMAT 1
#define NFIELDS (0 RT_LAYOUT_FIELDS(RT_COUNT_FIELD))
#define RT_COUNT_FIELD(name, type, path) +1
#define NWORDS (2 * NFIELDS + 2)

/* The directory, or NULL when there is none (off, or no home). */
static const char *cache_dir(char *buf, size_t len)
{
	const char *d = getenv("GOPS_CACHE_DIR"), *home;

	if (d && strcmp(d, "off") == 0)
		return NULL;
	if (d && *d)
		return d;
	if (geteuid() == 0)
		return "/var/cache/gops";
	if ((d = getenv("XDG_CACHE_HOME")) && *d == '/')
		snprintf(buf, len, "%s/gops", d);
	else if ((home = getenv("HOME")) && *home == '/')
		snprintf(buf, len, "%s/.cache/gops", home);
	else
		return NULL;
	return buf;
}

/* Ours and writable by no one else: what we may trust, or write into. */
static int trusted(int fd)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -errno;
	return st.st_uid == geteuid() && !(st.st_mode & 022) ? 0 : -EPERM;
}

/* The directory, created if need be; an fd, or -errno. */
static int open_dir(bool create)
{
	char buf[4096];
	const char *d = cache_dir(buf, sizeof(buf));
	int fd;

	if (!d)
		return -ENOENT;
	if (create)
		mkdir(d, 0700); /* the parent of ~/.cache/gops may be missing: then no cache */
	fd = open(d, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (trusted(fd) != 0) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

/* The key and file name of the executable open at fd. */
static int key_of(int fd, char *key, size_t klen, char *name, size_t nlen)
{
	struct stat st;
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	if (fstat(fd, &st) != 0)
		return -errno;
	snprintf(key, klen, "dev %llu ino %llu size %lld mtime %lld.%09ld",
		(unsigned long long)st.st_dev, (unsigned long long)st.st_ino, (long long)st.st_size,
		(long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(name, nlen, "layout-%016llx", (unsigned long long)h);
	return 0;
}

static void header(char *buf, size_t len, const char *key)
{
	snprintf(buf, len, "gops-layout %d %d\n%s\n", CACHE_FORMAT, NFIELDS, key);
}

static void to_words(const struct rt_layout *l, int32_t *w)
{
	size_t i = 0;

#define RT_FIELD_OUT(name, type, path)                                                             \
	w[i++] = l->name.off;                                                                      \
	w[i++] = l->name.size;
	RT_LAYOUT_FIELDS(RT_FIELD_OUT)
#undef RT_FIELD_OUT
	w[i++] = l->hsd_size;
	w[i] = l->num_size_classes;
}

static void from_words(const int32_t *w, struct rt_layout *l)
{
	size_t i = 0;

#define RT_FIELD_IN(name, type, path)                                                              \
	l->name = (struct rt_field){ w[i], w[i + 1] };                                             \
	i += 2;
	RT_LAYOUT_FIELDS(RT_FIELD_IN)
#undef RT_FIELD_IN
	l->hsd_size = w[i++];
	l->num_size_classes = w[i];
}

int rt_layout_cache_get(int exe_fd, struct rt_layout *l)
{
	char key[160], name[64], want[256], buf[256 + NWORDS * 4];
	int dir, fd, err = -ENOENT;
	size_t hlen;
	ssize_t n;

	if (key_of(exe_fd, key, sizeof(key), name, sizeof(name)) != 0)
		return -ENOENT;
	dir = open_dir(false);
	if (dir < 0)
		return -ENOENT;
	fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(dir);
	if (fd < 0)
		return -ENOENT;
	header(want, sizeof(want), key);
	hlen = strlen(want);
	n = trusted(fd) == 0 ? read(fd, buf, sizeof(buf)) : -1;
	if (n == (ssize_t)(hlen + NWORDS * 4) && memcmp(buf, want, hlen) == 0) {
		int32_t w[NWORDS];

		memcpy(w, buf + hlen, sizeof(w));
		rt_layout_init(l);
		from_words(w, l);
		l->source = "DWARF (cached)";
		err = 0;
	}
	close(fd);
	return err;
}

void rt_layout_cache_put(int exe_fd, const struct rt_layout *l)
{
	char key[160], name[64], tmp[96], buf[256 + NWORDS * 4];
	int32_t w[NWORDS];
	int dir, fd;
	size_t hlen;
	bool ok;

	if (key_of(exe_fd, key, sizeof(key), name, sizeof(name)) != 0)
		return;
	dir = open_dir(true);
	if (dir < 0)
		return;
	header(buf, sizeof(buf), key);
	hlen = strlen(buf);
	to_words(l, w);
	memcpy(buf + hlen, w, sizeof(w));
	snprintf(tmp, sizeof(tmp), ".%s.%d", name, (int)getpid());
	fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0) {
		ok = write(fd, buf, hlen + sizeof(w)) == (ssize_t)(hlen + sizeof(w));
		ok = close(fd) == 0 && ok;
		if (!ok || renameat(dir, tmp, dir, name) != 0)
			unlinkat(dir, tmp, 0);
	}
	close(dir);
}
