// SPDX-License-Identifier: MIT
/*
 * Where a target's port file is looked for (agent/portfile.c), against a fake
 * proc root: BASE/<pid>/environ, status, root/ (the target's filesystem, with
 * its own etc/passwd) and ns/, with $GOPS_PROC_ROOT pointing at BASE. BASE/host
 * stands for the host's filesystem, where a container's symlinks must not
 * lead.
 */
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
#include "agent/portfile.h"
#include "agent/target.h"
#include "proc/inroot.h"
#include "proc/proc.h"

/* Fake pids: above any pid_max, so that no real process is ever meant. */
#define PID_A 4200001
#define PID_B 4200002
/* Our own $XDG_CONFIG_HOME lies inside this target's root (see the dedup test). */
#define PID_SHARED 4200020
/* Shares our root and mount namespace (share_our_root). */
#define PID_S 4200030

static char base[64];        /* the fake proc root: /tmp/gops-pf-<our pid> */
static char own_xdg[128];    /* our $XDG_CONFIG_HOME while the own dirs are computed */
static char own_home[128];   /* our $HOME then */
static char own_dir[2][256]; /* what portfile_own_dirs() must then give */

/* Writes len bytes to BASE/rel, creating the directories on the way. */
static void put(const char *rel, const char *data, size_t len)
{
	char path[4096], *slash;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	fake_mkdir_p(path);
	*slash = '/';
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		harness_fail(__FILE__, __LINE__, "cannot write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void put_str(const char *rel, const char *text)
{
	put(rel, text, strlen(text));
}

/*
 * A fake process: its environment (NUL-separated "K=V" strings, env_len bytes,
 * NULL for no environ file), uid and NSpid line in status (uid < 0: no Uid
 * line; nspid 0: no NSpid line), and the etc/passwd under its root (or none).
 */
static void fake_proc(
	int pid, const char *env, size_t env_len, int uid, int nspid, const char *passwd)
{
	char rel[128], status[256];
	int n;

	if (env) {
		snprintf(rel, sizeof(rel), "%d/environ", pid);
		put(rel, env, env_len);
	}
	n = snprintf(status, sizeof(status), "Name:\tfake\nPid:\t%d\n", pid);
	if (uid >= 0)
		n += snprintf(status + n, sizeof(status) - (size_t)n, "Uid:\t%d\t%d\t%d\t%d\n", uid,
			uid, uid, uid);
	if (nspid)
		snprintf(status + n, sizeof(status) - (size_t)n, "NSpid:\t%d\t%d\n", pid, nspid);
	snprintf(rel, sizeof(rel), "%d/status", pid);
	put_str(rel, status);
	snprintf(rel, sizeof(rel), "%s/%d/root", base, pid);
	fake_mkdir_p(rel);
	if (passwd) {
		snprintf(rel, sizeof(rel), "%d/root/etc/passwd", pid);
		put_str(rel, passwd);
	}
}

#define ENV(s) s, sizeof(s) - 1 /* a string literal with its inner NULs */

/* pid's root and mount namespace become ours, as for a process on the host. */
static void share_our_root(int pid)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%d/root", base, pid);
	rmdir(path);
	CHECK_INT(symlink("/", path), 0);
	snprintf(path, sizeof(path), "%s/%d/ns", base, pid);
	fake_mkdir_p(path);
	snprintf(path, sizeof(path), "%s/%d/ns/mnt", base, pid);
	CHECK_INT(symlink("/proc/self/ns/mnt", path), 0);
}

/* A symlink at BASE/rel, the directories on the way made. */
static void put_link(const char *rel, const char *target)
{
	char path[4096], *slash;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	fake_mkdir_p(path);
	*slash = '/';
	if (symlink(target, path) != 0)
		harness_fail(__FILE__, __LINE__, "cannot link %s: %s", path, strerror(errno));
}

/* The text of the file at path as gops opens it (inside a root), or "". */
static const char *read_back(const char *path)
{
	static char buf[64];
	int fd = inroot_open(path, O_RDONLY | O_NOFOLLOW);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	return buf;
}

/* BASE/<pid>/root<dir>: a directory of the target, as we open it. */
static const char *under_root(int pid, const char *dir)
{
	static char buf[4][512];
	static int next;
	char *b = buf[next++ % 4];

	snprintf(b, sizeof(buf[0]), "%s/%d/root%s", base, pid, dir);
	return b;
}

static void set_or_unset(const char *name, const char *value)
{
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

/*
 * portfile_own_dirs() reads our environment once per process (and the
 * runner may call it first from another test, through a listing): set it to
 * known values for that call before any test runs, then put it back.
 */
__attribute__((constructor)) static void own_dirs_once(void)
{
	static bool done;
	struct portfile_dirs d;
	char *cfg, *xdg, *home;

	if (done)
		return;
	done = true;
	snprintf(base, sizeof(base), "/tmp/gops-pf-%d", (int)getpid());
	snprintf(own_xdg, sizeof(own_xdg), "%s/%d/root/shared", base, PID_SHARED);
	snprintf(own_home, sizeof(own_home), "%s/ourhome", base);
	snprintf(own_dir[0], sizeof(own_dir[0]), "%s/gops", own_xdg);
	snprintf(own_dir[1], sizeof(own_dir[1]), "%s/.config/gops", own_home);
	cfg = getenv("GOPS_CONFIG_DIR") ? strdup(getenv("GOPS_CONFIG_DIR")) : NULL;
	xdg = getenv("XDG_CONFIG_HOME") ? strdup(getenv("XDG_CONFIG_HOME")) : NULL;
	home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	unsetenv("GOPS_CONFIG_DIR");
	setenv("XDG_CONFIG_HOME", own_xdg, 1);
	setenv("HOME", own_home, 1);
	portfile_own_dirs(&d);
	set_or_unset("GOPS_CONFIG_DIR", cfg);
	set_or_unset("XDG_CONFIG_HOME", xdg);
	set_or_unset("HOME", home);
	free(cfg);
	free(xdg);
	free(home);
}

/* Each test: an empty fake proc root, which proc_root() then names. */
static void begin(void)
{
	snprintf(base, sizeof(base), "/tmp/gops-pf-%d", (int)getpid());
	fake_rm_rf(base);
	fake_mkdir_p(base);
	own_dirs_once();
	fakeproc_begin(base);
	CHECK_STR(proc_root(), base);
}

static void end(void)
{
	fakeproc_end();
	fake_rm_rf(base);
}

static void check_dirs(const struct portfile_dirs *d, int n, const char *const *want)
{
	CHECK_INT(d->n, n);
	for (int i = 0; i < d->n && i < n; i++)
		CHECK_STR(d->dir[i], want[i]);
}

TEST(test_portfile_target_config_dir_is_used_as_is_and_nothing_else)
{
	struct portfile_dirs d;

	begin();
	fake_proc(PID_A, ENV("XDG_CONFIG_HOME=/x\0GOPS_CONFIG_DIR=/cfg\0HOME=/h\0"), 0, 0,
		"root:x:0:0::/r:/bin/sh\n");
	portfile_target_dirs(PID_A, false, &d);
	check_dirs(&d, 1, (const char *[]){ under_root(PID_A, "/cfg") });
	end();
}

TEST(test_portfile_target_xdg_config_home_then_home_config)
{
	struct portfile_dirs d;

	begin();
	fake_proc(PID_A, ENV("HOME=/h\0XDG_CONFIG_HOME=/x\0"), 0, 0, "root:x:0:0::/r:/bin/sh\n");
	portfile_target_dirs(PID_A, false, &d);
	check_dirs(&d, 2,
		(const char *[]){
			under_root(PID_A, "/x/gops"), under_root(PID_A, "/h/.config/gops") });

	/* Either one alone: that one, and no passwd home. */
	fake_proc(PID_B, ENV("HOME=/h\0GOPS_CONFIG_DIR=\0"), 0, 0, "root:x:0:0::/r:/bin/sh\n");
	portfile_target_dirs(PID_B, false, &d);
	check_dirs(&d, 1, (const char *[]){ under_root(PID_B, "/h/.config/gops") });
	fake_proc(PID_B, ENV("XDG_CONFIG_HOME=/x\0"), 0, 0, "root:x:0:0::/r:/bin/sh\n");
	portfile_target_dirs(PID_B, false, &d);
	check_dirs(&d, 1, (const char *[]){ under_root(PID_B, "/x/gops") });
	end();
}

TEST(test_portfile_target_without_home_or_xdg_uses_the_home_in_its_own_passwd)
{
	struct portfile_dirs d;

	begin();
	/* uid 0: our /etc/passwd says /root, the target's says /target-root. */
	fake_proc(PID_A, ENV("PATH=/bin\0HOME=\0XDG_CONFIG_HOME=\0"), 0, 0,
		"daemon:x:1:1::/usr/sbin:/bin/false\nroot:x:0:0:root:/target-root:/bin/sh\n");
	portfile_target_dirs(PID_A, false, &d);
	check_dirs(&d, 2,
		(const char *[]){ under_root(PID_A, "/target-root/.config/gops"),
			under_root(PID_A, "/target-root/.gops") });

	/* No environ to read: the same. */
	fake_proc(PID_B, NULL, 0, 1234, 0, "u:x:1234:1234::/home/u:/bin/sh\n");
	portfile_target_dirs(PID_B, false, &d);
	check_dirs(&d, 2,
		(const char *[]){ under_root(PID_B, "/home/u/.config/gops"),
			under_root(PID_B, "/home/u/.gops") });
	end();
}

TEST(test_portfile_target_without_home_and_unknown_user_has_no_dirs)
{
	struct portfile_dirs d;

	begin();
	fake_proc(PID_A, ENV("PATH=/bin\0"), 4321, 0, "root:x:0:0::/root:/bin/sh\n");
	portfile_target_dirs(PID_A, false, &d);
	CHECK_INT(d.n, 0);
	/* No Uid line, no passwd: nothing either. */
	fake_proc(PID_B, ENV("PATH=/bin\0"), -1, 0, NULL);
	portfile_target_dirs(PID_B, false, &d);
	CHECK_INT(d.n, 0);
	end();
}

TEST(test_portfile_target_sharing_our_root_gets_plain_paths_when_asked)
{
	struct portfile_dirs d;

	begin();
	fake_proc(PID_A, ENV("XDG_CONFIG_HOME=/x\0"), 0, 0, NULL);
	share_our_root(PID_A);
	portfile_target_dirs(PID_A, true, &d);
	check_dirs(&d, 1, (const char *[]){ "/x/gops" });
	portfile_target_dirs(PID_A, false, &d);
	check_dirs(&d, 1, (const char *[]){ under_root(PID_A, "/x/gops") });

	/* A root of its own: always under it. */
	fake_proc(PID_B, ENV("XDG_CONFIG_HOME=/x\0"), 0, 0, NULL);
	portfile_target_dirs(PID_B, true, &d);
	check_dirs(&d, 1, (const char *[]){ under_root(PID_B, "/x/gops") });
	end();
}

TEST(test_portfile_own_dirs_come_from_our_environment)
{
	struct portfile_dirs d;

	begin();
	portfile_own_dirs(&d);
	if (d.n != 2 || strcmp(d.dir[0], own_dir[0]) != 0)
		harness_fail(__FILE__, __LINE__,
			"portfile_own_dirs() ran before the tests set our environment");
	check_dirs(&d, 2, (const char *[]){ own_dir[0], own_dir[1] });
	end();
}

static char why[512];

static int candidates(int pid, int nspid, struct portfile_candidates *c)
{
	why[0] = '\0';
	return portfile_candidates(pid, nspid, c, why, sizeof(why));
}

TEST(test_portfile_candidates_of_a_process_with_its_own_root_are_its_files_by_nspid)
{
	struct portfile_candidates c;
	char want[3][4096];

	begin();
	/* In a pid namespace of its own, where it is pid 7. */
	fake_proc(PID_A, ENV("XDG_CONFIG_HOME=/x\0HOME=/h\0"), 0, 7, NULL);
	snprintf(want[0], sizeof(want[0]), "%s/7", under_root(PID_A, "/x/gops"));
	snprintf(want[1], sizeof(want[1]), "%s/7", under_root(PID_A, "/h/.config/gops"));
	CHECK_INT(candidates(PID_A, 0, &c), 0);
	CHECK_INT(c.n, 2);
	for (int i = 0; i < c.n && i < 2; i++)
		CHECK_STR(c.path[i], want[i]);

	/* An nspid given by the caller is used as given. */
	CHECK_INT(candidates(PID_A, 9, &c), 0);
	CHECK_INT(c.n, 2);
	if (c.n == 2)
		CHECK_STR(strrchr(c.path[0], '/'), "/9");

	/* No NSpid line (or no status at all): the host pid; and still none of ours. */
	fake_proc(PID_B, ENV("GOPS_CONFIG_DIR=/c\0"), 0, 0, NULL);
	snprintf(want[2], sizeof(want[2]), "%s/%d", under_root(PID_B, "/c"), PID_B);
	CHECK_INT(candidates(PID_B, 0, &c), 0);
	CHECK_INT(c.n, 1);
	if (c.n == 1)
		CHECK_STR(c.path[0], want[2]);
	end();
}

TEST(test_portfile_candidates_of_a_process_sharing_our_root_add_ours_by_host_pid)
{
	struct portfile_candidates c;
	char want[4][4096];

	begin();
	fake_proc(PID_S, ENV("XDG_CONFIG_HOME=/nonexistent-gops-x\0HOME=/nonexistent-gops-h\0"), 0,
		0, NULL);
	share_our_root(PID_S);
	snprintf(want[0], sizeof(want[0]), "%s/%d", under_root(PID_S, "/nonexistent-gops-x/gops"),
		PID_S);
	snprintf(want[1], sizeof(want[1]), "%s/%d",
		under_root(PID_S, "/nonexistent-gops-h/.config/gops"), PID_S);
	snprintf(want[2], sizeof(want[2]), "%s/%d", own_dir[0], PID_S);
	snprintf(want[3], sizeof(want[3]), "%s/%d", own_dir[1], PID_S);
	CHECK_INT(candidates(PID_S, 0, &c), 0);
	CHECK_INT(c.n, 4);
	for (int i = 0; i < c.n && i < 4; i++)
		CHECK_STR(c.path[i], want[i]);

	/* Our root, but a pid namespace of its own (it is 7 there): not ours either. */
	CHECK_INT(candidates(PID_S, 7, &c), 0);
	CHECK_INT(c.n, 2);
	end();
}

TEST(test_portfile_candidates_are_deduplicated)
{
	struct portfile_candidates c;
	struct portfile_dirs d;
	char want[3][4096];

	begin();
	/* $XDG_CONFIG_HOME/gops and $HOME/.config/gops are one directory. */
	fake_proc(PID_A, ENV("XDG_CONFIG_HOME=/h/.config\0HOME=/h\0"), 0, 0, NULL);
	portfile_target_dirs(PID_A, false, &d);
	check_dirs(&d, 1, (const char *[]){ under_root(PID_A, "/h/.config/gops") });

	/*
	 * Its file is one of ours, too: our XDG dir is inside its root (which is
	 * ours), same pid.
	 */
	fake_proc(PID_SHARED, ENV("XDG_CONFIG_HOME=/shared\0"), 0, PID_SHARED, NULL);
	share_our_root(PID_SHARED);
	snprintf(want[0], sizeof(want[0]), "%s/%d", own_dir[0], PID_SHARED);
	snprintf(want[1], sizeof(want[1]), "%s/%d", own_dir[1], PID_SHARED);
	CHECK_INT(candidates(PID_SHARED, 0, &c), 0);
	CHECK_INT(c.n, 2);
	if (c.n == 2) {
		CHECK_STR(c.path[0], want[0]);
		CHECK_STR(c.path[1], want[1]);
	}
	end();
}

TEST(test_portfile_find_gives_the_first_existing_candidate)
{
	char path[4096], rel[256], want[4096];

	begin();
	fake_proc(PID_A, ENV("XDG_CONFIG_HOME=/x\0HOME=/h\0"), 0, 7, NULL);
	CHECK_INT(portfile_find(PID_A, 0, path, sizeof(path)), -ENOENT);

	/* The target's second dir, then its first: each comes before ours. */
	snprintf(rel, sizeof(rel), "%d/root/h/.config/gops/7", PID_A);
	put_str(rel, "1234");
	snprintf(want, sizeof(want), "%s/7", under_root(PID_A, "/h/.config/gops"));
	CHECK_INT(portfile_find(PID_A, 0, path, sizeof(path)), 0);
	CHECK_STR(path, want);
	snprintf(rel, sizeof(rel), "%d/root/x/gops/7", PID_A);
	put_str(rel, "1234");
	snprintf(want, sizeof(want), "%s/7", under_root(PID_A, "/x/gops"));
	CHECK_INT(portfile_find(PID_A, 0, path, sizeof(path)), 0);
	CHECK_STR(path, want);

	/* A file named by the host pid in the target's dir is not its port file. */
	fake_proc(PID_B, ENV("XDG_CONFIG_HOME=/x\0"), 0, 8, NULL);
	snprintf(rel, sizeof(rel), "%d/root/x/gops/%d", PID_B, PID_B);
	put_str(rel, "1234");
	CHECK_INT(portfile_find(PID_B, 0, path, sizeof(path)), -ENOENT);

	/* Ours, for a process that shares our root. */
	fake_proc(PID_S, ENV("XDG_CONFIG_HOME=/nonexistent-gops-x\0"), 0, 0, NULL);
	share_our_root(PID_S);
	CHECK_INT(portfile_find(PID_S, 0, path, sizeof(path)), -ENOENT);
	snprintf(rel, sizeof(rel), "ourhome/.config/gops/%d", PID_S);
	put_str(rel, "1234");
	snprintf(want, sizeof(want), "%s/%d", own_dir[1], PID_S);
	CHECK_INT(portfile_find(PID_S, 0, path, sizeof(path)), 0);
	CHECK_STR(path, want);
	end();
}

TEST(test_portfile_decoy_in_our_dir_for_a_process_with_its_own_root_is_ignored)
{
	struct portfile_cache *cache;
	char path[4096], rel[256];

	begin();
	/* A container's process: its host pid is PID_A; its agent would write 7. */
	fake_proc(PID_A, ENV("HOME=/h\0"), 0, 7, NULL);
	snprintf(rel, sizeof(rel), "ourhome/.config/gops/%d", PID_A);
	put_str(rel, "1234");
	/* And one that shares our root, but not our pid namespace (it is 8 there). */
	fake_proc(PID_S, ENV("HOME=/nonexistent-gops-h\0"), 0, 8, NULL);
	share_our_root(PID_S);
	snprintf(rel, sizeof(rel), "ourhome/.config/gops/%d", PID_S);
	put_str(rel, "1234");
	CHECK_INT(portfile_find(PID_A, 0, path, sizeof(path)), -ENOENT);
	CHECK_INT(portfile_find(PID_S, 0, path, sizeof(path)), -ENOENT);
	cache = portfile_cache_new();
	CHECK(cache != NULL);
	if (cache) {
		CHECK(!portfile_has_agent(cache, PID_A, 7, NULL));
		CHECK(!portfile_has_agent(cache, PID_S, 8, NULL));
		/* Directories given (as the pinned table gives them), the same. */
		CHECK(!portfile_has_agent(cache, PID_A, 7,
			&(struct portfile_dirs){ .n = 1, .dir = { "/nonexistent-gops-d" } }));
		/* Its own file marks it. */
		snprintf(rel, sizeof(rel), "%d/root/h/.config/gops/7", PID_A);
		put_str(rel, "1234");
		CHECK(portfile_has_agent(cache, PID_A, 7, NULL));
		portfile_cache_free(cache);
	}
	end();
}

TEST(test_portfile_symlinked_config_dir_is_resolved_inside_the_target_root)
{
	struct portfile_cache *cache;
	struct portfile_dirs d;
	char path[4096], rel[4096], host[256], want[4096];

	begin();
	/* Its $HOME/.config -> BASE/host, a host path holding a port file for 7. */
	snprintf(host, sizeof(host), "%s/host", base);
	put_str("host/gops/7", "1111");
	fake_proc(PID_A, ENV("HOME=/h\0"), 0, 7, NULL);
	snprintf(rel, sizeof(rel), "%d/root/h/.config", PID_A);
	put_link(rel, host);
	for (int walk = 0; walk < 2; walk++) {
		inroot_force_walk(walk);
		CHECK_INT(portfile_find(PID_A, 0, path, sizeof(path)), -ENOENT);
		cache = portfile_cache_new();
		CHECK(cache && !portfile_has_agent(cache, PID_A, 7, NULL));
		portfile_target_dirs(PID_A, false, &d);
		CHECK(cache && !portfile_has_agent(cache, PID_A, 7, &d));
		portfile_cache_free(cache);
	}
	/* The same path inside its root is where it leads, and what is read. */
	snprintf(rel, sizeof(rel), "%d/root%s/gops/7", PID_A, host);
	put_str(rel, "2222");
	snprintf(want, sizeof(want), "%s/7", under_root(PID_A, "/h/.config/gops"));
	for (int walk = 0; walk < 2; walk++) {
		inroot_force_walk(walk);
		CHECK_INT(portfile_find(PID_A, 0, path, sizeof(path)), 0);
		CHECK_STR(path, want);
		CHECK_STR(read_back(path), "2222");
		cache = portfile_cache_new();
		CHECK(cache && portfile_has_agent(cache, PID_A, 7, NULL));
		CHECK(cache && portfile_has_agent(cache, PID_A, 7, &d));
		portfile_cache_free(cache);
	}
	inroot_force_walk(false);
	end();
}

TEST(test_portfile_that_is_a_symlink_is_refused_with_its_name)
{
	struct agent_target t;
	char arg[16], msg[4200], want[4096];

	begin();
	fake_proc(PID_A, ENV("GOPS_CONFIG_DIR=/cfg\0"), 0, 7, NULL);
	snprintf(want, sizeof(want), "%s/7", under_root(PID_A, "/cfg"));
	snprintf(msg, sizeof(msg), "%d/root/cfg/7", PID_A);
	put_link(msg, "/etc/hostname");
	snprintf(arg, sizeof(arg), "%d", PID_A);
	for (int walk = 0; walk < 2; walk++) {
		inroot_force_walk(walk);
		CHECK_INT(target_resolve(arg, 1000, &t, why, sizeof(why)), -ELOOP);
		snprintf(msg, sizeof(msg), "port file %s is a symlink: refusing it", want);
		CHECK_STR(why, msg);
	}
	inroot_force_walk(false);
	end();
}

TEST(test_portfile_target_passwd_symlink_is_resolved_inside_its_root)
{
	struct portfile_dirs d;
	char rel[4096], host[256];

	begin();
	/* No $HOME: its passwd says, and its passwd is a link to a host file. */
	snprintf(host, sizeof(host), "%s/host/passwd", base);
	put_str("host/passwd", "root:x:0:0::/host-home:/bin/sh\n");
	fake_proc(PID_A, ENV("PATH=/bin\0"), 0, 0, NULL);
	snprintf(rel, sizeof(rel), "%d/root/etc/passwd", PID_A);
	put_link(rel, host);
	for (int walk = 0; walk < 2; walk++) {
		inroot_force_walk(walk);
		portfile_target_dirs(PID_A, false, &d);
		CHECK_INT(d.n, 0);
	}
	/* A relative link that climbs out: clamped at its root too. */
	snprintf(rel, sizeof(rel), "%s/%d/root/etc/passwd", base, PID_A);
	unlink(rel);
	snprintf(rel, sizeof(rel), "%d/root/etc/passwd", PID_A);
	put_link(rel, "../../../host/passwd");
	for (int walk = 0; walk < 2; walk++) {
		inroot_force_walk(walk);
		portfile_target_dirs(PID_A, false, &d);
		CHECK_INT(d.n, 0);
	}
	/* Where it leads inside its root is its passwd. */
	snprintf(rel, sizeof(rel), "%d/root/host/passwd", PID_A);
	put_str(rel, "root:x:0:0::/its-home:/bin/sh\n");
	for (int walk = 0; walk < 2; walk++) {
		inroot_force_walk(walk);
		portfile_target_dirs(PID_A, false, &d);
		check_dirs(&d, 2,
			(const char *[]){ under_root(PID_A, "/its-home/.config/gops"),
				under_root(PID_A, "/its-home/.gops") });
	}
	inroot_force_walk(false);
	end();
}

TEST(test_portfile_cache_has_the_pid_named_entries_of_a_directory)
{
	struct portfile_cache *c;
	char dir[256], missing[256];
	static const char *const names[] = { "12", "7", "4194304", "+12", "012", "12a", "0", "-5",
		" 9", "x" };

	begin();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "cache/%s", names[i]);
		put_str(rel, "1");
	}
	snprintf(dir, sizeof(dir), "%s/cache", base);
	snprintf(missing, sizeof(missing), "%s/no-such-dir", base);
	c = portfile_cache_new();
	CHECK(c != NULL);
	if (!c) {
		end();
		return;
	}
	CHECK(portfile_cache_has(c, dir, 12));
	CHECK(portfile_cache_has(c, dir, 7));
	CHECK(portfile_cache_has(c, dir, 4194304));
	CHECK(!portfile_cache_has(c, dir, 13));
	CHECK(!portfile_cache_has(c, dir, 0));
	CHECK(!portfile_cache_has(c, dir, 5));
	CHECK(!portfile_cache_has(c, dir, 9));
	CHECK(!portfile_cache_has(c, missing, 12));
	CHECK(!portfile_cache_has(c, missing, 0));

	/* The listing is read once: a file made later is not seen by this cache. */
	put_str("cache/50", "1");
	CHECK(!portfile_cache_has(c, dir, 50));
	portfile_cache_free(c);
	c = portfile_cache_new();
	CHECK(c && portfile_cache_has(c, dir, 50));
	portfile_cache_free(c);

	/* Names that are not pids ("+12", "012", "12a") do not stand for 12. */
	fake_rm_rf(dir);
	put_str("cache/+12", "1");
	put_str("cache/012", "1");
	put_str("cache/12a", "1");
	c = portfile_cache_new();
	CHECK(c && !portfile_cache_has(c, dir, 12));
	portfile_cache_free(c);
	portfile_cache_free(NULL);
	end();
}
