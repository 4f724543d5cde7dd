// SPDX-License-Identifier: MIT
/*
 * Paths inside a process's root (proc/inroot.c), against a fake proc root:
 * BASE/<pid>/root is the process's filesystem, BASE/host stands for the
 * host's. Every behaviour is tested twice: through openat2(2), and through
 * the component walk that replaces it on kernels without openat2 (the
 * *_by_walk tests).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fakeproc.h"
#include "harness.h"
#include "proc/inroot.h"
#include "proc/proc.h"

#define PID 4200101 /* above any pid_max: no real process is ever meant */

static char base[64];

/* BASE/rel, in a static buffer (four at a time). */
static const char *at(const char *rel)
{
	static char buf[4][4096];
	static int next;
	char *b = buf[next++ % 4];

	snprintf(b, sizeof(buf[0]), "%s/%s", base, rel);
	return b;
}

/* BASE/<PID>/root/rel: a path in the process's filesystem, as gops builds it. */
static const char *in_root(const char *rel)
{
	static char buf[4][4096];
	static int next;
	char *b = buf[next++ % 4];

	snprintf(b, sizeof(buf[0]), "%s/%d/root%s%s", base, PID, *rel ? "/" : "", rel);
	return b;
}

static void put_file(const char *path, const char *text)
{
	char dir[4096], *slash;
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	*slash = '\0';
	fake_mkdir_p(dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		harness_fail(__FILE__, __LINE__, "cannot write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void put_link(const char *path, const char *target)
{
	char dir[4096], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	*slash = '\0';
	fake_mkdir_p(dir);
	if (symlink(target, path) != 0)
		harness_fail(__FILE__, __LINE__, "cannot link %s: %s", path, strerror(errno));
}

/* The text of the file inroot_open gives for path, or "errno N". */
static const char *read_in(const char *path, int flags)
{
	static char buf[128];
	int fd = inroot_open(path, O_RDONLY | flags);
	ssize_t n;

	if (fd < 0) {
		snprintf(buf, sizeof(buf), "errno %d", -fd);
		return buf;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

static const char *errno_text(int err)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

static void begin(bool walk)
{
	snprintf(base, sizeof(base), "/tmp/gops-ir-%d", (int)getpid());
	fake_rm_rf(base);
	fake_mkdir_p(in_root(""));
	fake_mkdir_p(at("host"));
	fakeproc_begin(base);
	inroot_force_walk(walk);
}

static void end(void)
{
	inroot_force_walk(false);
	fakeproc_end();
	fake_rm_rf(base);
}

/* NAME through openat2, NAME_by_walk through the walk: one body. */
#define BOTH_WAYS(name)                                                                            \
	static void name##_body(void);                                                             \
	TEST(name)                                                                                 \
	{                                                                                          \
		begin(false);                                                                      \
		name##_body();                                                                     \
		end();                                                                             \
	}                                                                                          \
	TEST(name##_by_walk)                                                                       \
	{                                                                                          \
		begin(true);                                                                       \
		name##_body();                                                                     \
		end();                                                                             \
	}                                                                                          \
	static void name##_body(void)

BOTH_WAYS(test_inroot_absolute_symlink_is_resolved_inside_the_root)
{
	char copy[4096];

	/* /h/.config -> BASE/host, an absolute path that exists on the host. */
	put_file(at("host/gops/7"), "host");
	put_link(in_root("h/.config"), at("host"));
	CHECK_STR(read_in(in_root("h/.config/gops/7"), 0), errno_text(ENOENT));
	/* The same path inside the root is what it leads to. */
	snprintf(copy, sizeof(copy), "%s/host/gops/7", in_root(base + 1));
	put_file(copy, "inside");
	CHECK_STR(read_in(in_root("h/.config/gops/7"), 0), "inside");
	CHECK_STR(read_in(in_root("h/.config/gops/7"), O_NOFOLLOW), "inside");
}

BOTH_WAYS(test_inroot_dotdot_and_relative_symlinks_stop_at_the_root)
{
	char path[4096];

	put_file(at("host/secret"), "host");
	put_file(in_root("secret"), "inside");
	/* Our fake root is 4 levels below /: more ".." than that is still the root. */
	snprintf(path, sizeof(path), "%s/../../../../../../..%s", in_root(""), at("host/secret"));
	CHECK_STR(read_in(path, 0), errno_text(ENOENT));
	snprintf(path, sizeof(path), "%s/a/../../../../../../../secret", in_root(""));
	fake_mkdir_p(in_root("a"));
	CHECK_STR(read_in(path, 0), "inside");
	put_link(in_root("h/up"), "../../../../../../../../..");
	snprintf(path, sizeof(path), "%s%s", in_root("h/up"), at("host/secret"));
	CHECK_STR(read_in(path, 0), errno_text(ENOENT));
	CHECK_STR(read_in(in_root("h/up/secret"), 0), "inside");
}

BOTH_WAYS(test_inroot_last_symlink_is_eloop_with_nofollow_and_followed_inside_without)
{
	struct stat st;

	put_link(in_root("cfg/7"), "/dev/zero");
	CHECK_STR(read_in(in_root("cfg/7"), O_NOFOLLOW | O_NONBLOCK), errno_text(ELOOP));
	/* Followed, it is the root's /dev/zero, which this root lacks. */
	CHECK_STR(read_in(in_root("cfg/7"), O_NONBLOCK), errno_text(ENOENT));
	CHECK_INT(inroot_lstat(in_root("cfg/7"), &st), 0);
	CHECK(S_ISLNK(st.st_mode));
	put_file(in_root("dev/zero"), "fake zero");
	CHECK_STR(read_in(in_root("cfg/7"), O_NONBLOCK), "fake zero");
}

BOTH_WAYS(test_inroot_symlink_loop_is_eloop)
{
	put_link(in_root("a"), "b");
	put_link(in_root("b"), "/a");
	CHECK_STR(read_in(in_root("a/x"), 0), errno_text(ELOOP));
	CHECK_STR(read_in(in_root("a"), 0), errno_text(ELOOP));
}

BOTH_WAYS(test_inroot_a_file_on_the_way_is_enotdir)
{
	put_file(in_root("f"), "file");
	CHECK_STR(read_in(in_root("f/x"), 0), errno_text(ENOTDIR));
	CHECK_STR(read_in(in_root("f/"), 0), errno_text(ENOTDIR));
	CHECK_STR(read_in(in_root("f"), 0), "file");
	CHECK_STR(read_in(in_root("./f"), 0), "file");
}

BOTH_WAYS(test_inroot_opendir_lists_the_directory_a_symlink_leads_to_inside)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	put_file(in_root("real/1"), "1");
	put_file(in_root("real/2"), "2");
	put_file(at("host/real/3"), "3");
	put_link(in_root("cfg"), "/real");
	put_link(in_root("hostcfg"), at("host/real"));
	d = inroot_opendir(in_root("cfg"));
	CHECK(d != NULL);
	while (d && (de = readdir(d)))
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	CHECK_INT(n, 2);
	errno = 0;
	CHECK(inroot_opendir(in_root("hostcfg")) == NULL);
	CHECK_INT(errno, ENOENT);
	/* The root itself, with or without the slash. */
	d = inroot_opendir(in_root(""));
	CHECK(d != NULL);
	if (d)
		closedir(d);
	d = inroot_opendir(in_root("/"));
	CHECK(d != NULL);
	if (d)
		closedir(d);
}

BOTH_WAYS(test_inroot_paths_not_under_a_root_are_opened_as_they_are)
{
	char path[4096];

	put_file(at("host/f"), "host");
	put_link(at("host/l"), at("host/f"));
	CHECK_STR(read_in(at("host/f"), 0), "host");
	CHECK_STR(read_in(at("host/l"), 0), "host");
	CHECK_STR(read_in(at("host/l"), O_NOFOLLOW), errno_text(ELOOP));
	/* Names that only look like a root: "rootx", a pid with a leading zero. */
	snprintf(path, sizeof(path), "%s/%d/rootx/f", base, PID);
	put_file(path, "rootx");
	CHECK_STR(read_in(path, 0), "rootx");
	snprintf(path, sizeof(path), "%s/0%d/root/f", base, PID);
	put_file(path, "zero");
	CHECK_STR(read_in(path, 0), "zero");
}

TEST(test_inroot_root_of_a_missing_process_is_enoent)
{
	char path[4096];

	begin(false);
	snprintf(path, sizeof(path), "%s/%d/root/etc/passwd", base, PID + 1);
	CHECK_STR(read_in(path, 0), errno_text(ENOENT));
	CHECK_INT(inroot_open_root(PID + 1), -ENOENT);
	end();
}
