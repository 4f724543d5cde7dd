// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/array.h"
#include "base/str.h"
#include "proc/inroot.h"
#include "proc/passwd.h"
#include "agent/portfile.h"
#include "proc/proc.h"

/* dir/PID then suffix, into buf: built often enough (a scan) that snprintf shows. */
static void pid_path(char *buf, size_t cap, const char *dir, int pid, const char *suffix)
{
	size_t n;

	buf[0] = '\0';
	n = str_append(buf, cap, 0, dir);
	n = str_append(buf, cap, n, "/");
	n = str_append_uint(buf, cap, n, pid > 0 ? (unsigned)pid : 0);
	str_append(buf, cap, n, suffix);
}

static void add_dir(struct portfile_dirs *d, const char *root, const char *dir, const char *suffix)
{
	char *out = d->dir[d->n];
	size_t n;

	if (d->n >= PORTFILE_MAX_DIRS || !dir || !*dir)
		return;
	out[0] = '\0';
	n = str_append(out, sizeof(d->dir[0]), 0, root);
	n = str_append(out, sizeof(d->dir[0]), n, dir);
	str_append(out, sizeof(d->dir[0]), n, suffix);
	for (int i = 0; i < d->n; i++)
		if (strcmp(d->dir[i], d->dir[d->n]) == 0)
			return;
	d->n++;
}

static void add_file(struct portfile_candidates *c, const char *dir, int id)
{
	if (c->n >= PORTFILE_MAX_CANDIDATES)
		return;
	pid_path(c->path[c->n], sizeof(c->path[0]), dir, id, "");
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->path[i], c->path[c->n]) == 0)
			return;
	c->n++;
}

/* The home of uid in the target's own /etc/passwd (it may be a container's). */
static int passwd_home(int pid, unsigned int uid, char *home, size_t len)
{
	char path[64];

	snprintf(path, sizeof(path), "%s/%d/root/etc/passwd", proc_root(), pid);
	return passwd_lookup(path, uid, NULL, 0, home, len);
}

/* Our own root and mount namespace, looked at once (scan threads share them). */
static struct stat own_root, own_mnt;
static bool have_own;
static pthread_once_t own_once = PTHREAD_ONCE_INIT;

static void look_at_own_root(void)
{
	have_own = stat("/", &own_root) == 0 && stat("/proc/self/ns/mnt", &own_mnt) == 0;
}

/*
 * Same root directory and same mount namespace as ours? 1 or 0; -EACCES or
 * -EPERM when we may not look at its root at all.
 */
static int shares_our_root(int pid)
{
	struct stat root, mnt;
	char path[64];

	pthread_once(&own_once, look_at_own_root);
	snprintf(path, sizeof(path), "%s/%d/root", proc_root(), pid);
	if (stat(path, &root) < 0)
		return errno == EACCES || errno == EPERM ? -errno : 0;
	if (!have_own || root.st_dev != own_root.st_dev || root.st_ino != own_root.st_ino)
		return 0;
	snprintf(path, sizeof(path), "%s/%d/ns/mnt", proc_root(), pid);
	return stat(path, &mnt) == 0 && mnt.st_ino == own_mnt.st_ino &&
	       mnt.st_dev == own_mnt.st_dev;
}

/*
 * gops' own rule (our directories, files named by the host pid) is only for a
 * process that sees our filesystem and our pids: for any other, a file there
 * under its host pid was not written by its agent, and is a decoy.
 */
static bool own_rule_for(int pid, int nspid, int shared)
{
	return nspid == pid && shared == 1;
}

static bool own_rule_applies(int pid, int nspid)
{
	if (nspid <= 0)
		nspid = proc_nspid(pid);
	return own_rule_for(pid, nspid, shares_our_root(pid));
}

static void denied(char *why, size_t whylen, const char *what, int pid, int err)
{
	snprintf(why, whylen, "cannot read the %s of process %d: %s (needs root or CAP_SYS_PTRACE)",
		what, pid, err == -EPERM ? "operation not permitted" : "permission denied");
}

/* The directories, and in *shared_out whether pid shares our root (shares_our_root). */
static int target_dirs(int pid, bool resolve_root, struct portfile_dirs *d, int *shared_out,
	char *why, size_t whylen)
{
	struct proc_status st;
	char root[PORTFILE_DIR_LEN], home[1024];
	const char *v, *xdg = NULL, *homeenv = NULL;
	char *env = NULL;
	ssize_t n;
	int shared = shares_our_root(pid);

	*shared_out = shared;
	d->n = 0;
	if (shared < 0) {
		denied(why, whylen, "root", pid, shared);
		return shared;
	}
	if (resolve_root && shared)
		root[0] = '\0';
	else
		pid_path(root, sizeof(root), proc_root(), pid, "/root");
	n = proc_read_file(pid, "environ", &env, 1 << 20);
	if (n == -EACCES || n == -EPERM) {
		denied(why, whylen, "environment", pid, (int)n);
		return (int)n;
	}
	if (n >= 0) {
		v = proc_env_lookup(env, (size_t)n, "GOPS_CONFIG_DIR");
		if (v && *v) {
			add_dir(d, root, v, "");
			goto out; /* used as is: nothing else applies */
		}
		xdg = proc_env_lookup(env, (size_t)n, "XDG_CONFIG_HOME");
		homeenv = proc_env_lookup(env, (size_t)n, "HOME");
		add_dir(d, root, xdg, "/gops");
		add_dir(d, root, homeenv, "/.config/gops");
	}
	/* Only without both does the agent fall back to its user's passwd home. */
	if ((!xdg || !*xdg) && (!homeenv || !*homeenv) && proc_read_status(pid, &st) == 0 &&
		st.has_uid && passwd_home(pid, st.uid[0], home, sizeof(home)) == 0) {
		add_dir(d, root, home, "/.config/gops");
		add_dir(d, root, home, "/.gops"); /* gops' last resort */
	}
out:
	free(env);
	return 0;
}

int portfile_target_dirs(int pid, bool resolve_root, struct portfile_dirs *d)
{
	char why[160];
	int shared;

	return target_dirs(pid, resolve_root, d, &shared, why, sizeof(why));
}

/* gops' own rule, from our environment: worked out once. */
static struct portfile_dirs own_dirs;
static pthread_once_t own_dirs_once = PTHREAD_ONCE_INIT;

static void find_own_dirs(void)
{
	const char *v = getenv("GOPS_CONFIG_DIR");
	char home[1024];

	if (v && *v) {
		add_dir(&own_dirs, "", v, "");
		return;
	}
	add_dir(&own_dirs, "", getenv("XDG_CONFIG_HOME"), "/gops");
	add_dir(&own_dirs, "", getenv("HOME"), "/.config/gops");
	/* gops looks up its user's home only when it has no $HOME. */
	v = getenv("HOME");
	if ((!v || !*v) && passwd_lookup("/etc/passwd", getuid(), NULL, 0, home, sizeof(home)) == 0)
		add_dir(&own_dirs, "", home, "/.gops");
}

void portfile_own_dirs(struct portfile_dirs *out)
{
	pthread_once(&own_dirs_once, find_own_dirs);
	*out = own_dirs;
}

int portfile_candidates(int pid, int nspid, struct portfile_candidates *c, char *why, size_t whylen)
{
	struct portfile_dirs d;
	int err, shared;

	c->n = 0;
	if (nspid <= 0)
		nspid = proc_nspid(pid);
	err = target_dirs(pid, false, &d, &shared, why, whylen);
	if (err)
		return err;
	for (int i = 0; i < d.n; i++)
		add_file(c, d.dir[i], nspid);
	if (!own_rule_for(pid, nspid, shared))
		return 0;
	portfile_own_dirs(&d);
	for (int i = 0; i < d.n; i++)
		add_file(c, d.dir[i], pid);
	return 0;
}

int portfile_find(int pid, int nspid, char *path, size_t len)
{
	struct portfile_candidates c;
	struct stat sb;
	char why[160];
	int err = portfile_candidates(pid, nspid, &c, why, sizeof(why));

	if (err)
		return err;
	for (int i = 0; i < c.n; i++) {
		if (inroot_lstat(c.path[i], &sb) == 0) {
			snprintf(path, len, "%s", c.path[i]);
			return 0;
		}
	}
	return -ENOENT;
}

/* A directory's numeric entries, sorted; n < 0 when it could not be read. */
struct dir_listing {
	char *dir;
	int *ids;
	int n;
};

struct portfile_cache {
	/* Scan threads share it: lookups side by side, a new directory alone. */
	pthread_rwlock_t lock;
	struct dir_listing *dirs;
	size_t n, cap;
	struct portfile_dirs own; /* gops' own rule, listed at creation */
};

void portfile_cache_free(struct portfile_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->dirs[i].dir);
		free(c->dirs[i].ids);
	}
	pthread_rwlock_destroy(&c->lock);
	free(c->dirs);
	free(c);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void list_dir(struct dir_listing *l)
{
	DIR *d = inroot_opendir(l->dir);
	struct dirent *de;
	size_t n = 0, cap = 0;

	l->n = -1;
	if (!d)
		return;
	while ((de = readdir(d))) {
		int v = proc_pid_name(de->d_name), *slot;

		if (v < 0)
			continue;
		slot = array_push(&l->ids, &n, &cap, sizeof(*l->ids));
		if (!slot)
			break;
		*slot = v;
	}
	closedir(d);
	if (n > 1) /* ids is NULL when there are none */
		qsort(l->ids, n, sizeof(int), cmp_int);
	l->n = (int)n;
}

static const struct dir_listing *find_listing(const struct portfile_cache *c, const char *dir)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->dirs[i].dir, dir) == 0)
			return &c->dirs[i];
	return NULL;
}

static bool listing_has(const struct dir_listing *l, int id)
{
	return l->n > 0 && bsearch(&id, l->ids, (size_t)l->n, sizeof(int), cmp_int);
}

/* Lists dir into the cache unless another thread did. Returns whether id is in it. */
static bool add_listing(struct portfile_cache *c, const char *dir, int id)
{
	const struct dir_listing *found;
	struct dir_listing *l;
	bool has = false;
	char *copy;

	pthread_rwlock_wrlock(&c->lock);
	found = find_listing(c, dir);
	if (found) {
		has = listing_has(found, id);
		goto out;
	}
	copy = strdup(dir);
	l = copy ? array_push(&c->dirs, &c->n, &c->cap, sizeof(*c->dirs)) : NULL;
	if (!l) {
		free(copy);
		goto out;
	}
	l->dir = copy;
	list_dir(l);
	has = listing_has(l, id);
out:
	pthread_rwlock_unlock(&c->lock);
	return has;
}

bool portfile_cache_has(struct portfile_cache *c, const char *dir, int id)
{
	const struct dir_listing *l;
	bool has = false;

	pthread_rwlock_rdlock(&c->lock);
	l = find_listing(c, dir);
	if (l)
		has = listing_has(l, id);
	pthread_rwlock_unlock(&c->lock);
	return l ? has : add_listing(c, dir, id);
}

struct portfile_cache *portfile_cache_new(void)
{
	struct portfile_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	pthread_rwlock_init(&c->lock, NULL);
	portfile_own_dirs(&c->own);
	for (int i = 0; i < c->own.n; i++)
		portfile_cache_has(c, c->own.dir[i], 0);
	return c;
}

bool portfile_has_agent(
	struct portfile_cache *c, int pid, int nspid, const struct portfile_dirs *target)
{
	struct portfile_dirs looked;
	char path[PORTFILE_DIR_LEN + 16];
	struct stat sb;

	/* The listing first: the checks behind it cost system calls, and are rare. */
	for (int i = 0; i < c->own.n; i++)
		if (portfile_cache_has(c, c->own.dir[i], pid) && own_rule_applies(pid, nspid))
			return true;
	if (target) {
		for (int i = 0; i < target->n; i++)
			if (portfile_cache_has(c, target->dir[i], nspid))
				return true;
		return false;
	}
	/*
	 * Looked up here, the directories are under /proc/PID/root: that
	 * process's alone, so one stat each costs less than listing them.
	 */
	portfile_target_dirs(pid, false, &looked);
	for (int i = 0; i < looked.n; i++) {
		pid_path(path, sizeof(path), looked.dir[i], nspid, "");
		if (inroot_lstat(path, &sb) == 0)
			return true;
	}
	return false;
}
