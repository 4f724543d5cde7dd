// SPDX-License-Identifier: MIT
/*
 * The layout cache: an entry round-trips; it is keyed by the executable's
 * identity (a changed modification time is a miss); a directory others may
 * write to, a cut or foreign entry, and GOPS_CACHE_DIR=off are all misses.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "goruntime/layout_cache.h"
#include "harness.h"

static char dir[64];

/* A fresh cache dir and a file standing for an executable. */
static int setup(void)
{
	char exe[96];
	int fd;

	snprintf(dir, sizeof(dir), "/tmp/gops-lcache-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	setenv("GOPS_CACHE_DIR", dir, 1);
	snprintf(exe, sizeof(exe), "%s.exe", dir);
	fd = open(exe, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0 && write(fd, "\177ELF", 4) != 4) {
		close(fd);
		fd = -1;
	}
	unlink(exe);
	return fd;
}

static void teardown(int fd)
{
	char cmd[128];

	close(fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	unsetenv("GOPS_CACHE_DIR");
}

static struct rt_layout sample(void)
{
	struct rt_layout l;

	rt_layout_init(&l);
	l.sched_mnext = (struct rt_field){ 48, 8 };
	l.p_gfree_n = (struct rt_field){ 2472, 4 };
	l.hsd_size = 1176;
	l.num_size_classes = 68;
	l.source = "DWARF";
	return l;
}

TEST(test_layout_cache_round_trip)
{
	struct rt_layout in = sample(), out;
	int fd = setup();

	if (fd < 0)
		SKIP("cannot make a temporary dir");
	CHECK_INT(rt_layout_cache_get(fd, &out), -ENOENT);
	rt_layout_cache_put(fd, &in);
	CHECK_INT(rt_layout_cache_get(fd, &out), 0);
	CHECK_INT(out.sched_mnext.off, 48);
	CHECK_INT(out.p_gfree_n.off, 2472);
	CHECK_INT(out.p_gfree_n.size, 4);
	CHECK_INT(out.gc_percent.off, RT_UNKNOWN);
	CHECK_INT(out.hsd_size, 1176);
	CHECK_INT(out.num_size_classes, 68);
	CHECK_STR(out.source, "DWARF (cached)");
	teardown(fd);
}

TEST(test_layout_cache_changed_executable_is_a_miss)
{
	struct rt_layout in = sample(), out;
	struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
	int fd = setup();

	if (fd < 0)
		SKIP("cannot make a temporary dir");
	rt_layout_cache_put(fd, &in);
	CHECK_INT(futimens(fd, ts), 0);
	CHECK_INT(rt_layout_cache_get(fd, &out), -ENOENT);
	teardown(fd);
}

TEST(test_layout_cache_untrusted_dir_cut_entry_and_off_are_misses)
{
	struct rt_layout in = sample(), out;
	char cmd[160];
	int fd = setup();

	if (fd < 0)
		SKIP("cannot make a temporary dir");
	rt_layout_cache_put(fd, &in);
	CHECK_INT(chmod(dir, 0777), 0);
	CHECK_INT(rt_layout_cache_get(fd, &out), -ENOENT); /* others may write there */
	CHECK_INT(chmod(dir, 0700), 0);
	CHECK_INT(rt_layout_cache_get(fd, &out), 0);
	snprintf(cmd, sizeof(cmd), "truncate -s 40 '%s'/layout-*", dir);
	CHECK_INT(system(cmd), 0);
	CHECK_INT(rt_layout_cache_get(fd, &out), -ENOENT); /* cut */
	setenv("GOPS_CACHE_DIR", "off", 1);
	rt_layout_cache_put(fd, &in);
	CHECK_INT(rt_layout_cache_get(fd, &out), -ENOENT);
	setenv("GOPS_CACHE_DIR", dir, 1);
	teardown(fd);
}
