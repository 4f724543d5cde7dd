// SPDX-License-Identifier: MIT
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "portfile.h"
#include "proc.h"

static void add(struct portfile_candidates *c, const char *root, const char *dir,
	const char *suffix, int pid)
{
	if (c->n >= PORTFILE_MAX_CANDIDATES || !dir || !*dir)
		return;
	snprintf(c->path[c->n], sizeof(c->path[0]), "%s%s%s/%d", root, dir, suffix, pid);
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->path[i], c->path[c->n]) == 0)
			return;
	c->n++;
}

/* The target's real uid, from /proc/PID/status. */
static int proc_uid(int pid, unsigned int *uid)
{
	char *buf, *line;
	ssize_t n = proc_read_file(pid, "status", &buf, 16384);
	int err = -ENOENT;

	if (n < 0)
		return (int)n;
	line = strstr(buf, "\nUid:");
	if (line && sscanf(line + 5, "%u", uid) == 1)
		err = 0;
	free(buf);
	return err;
}

/* The home of uid in the target's own /etc/passwd (it may be a container's). */
static int passwd_home(int pid, unsigned int uid, char *home, size_t len)
{
	char *buf, *line, *save = NULL;
	ssize_t n = proc_read_file(pid, "root/etc/passwd", &buf, 1 << 20);
	int err = -ENOENT;

	if (n < 0)
		return (int)n;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[7] = { 0 }, *p = line;
		int nf = 0;

		while (nf < 7) {
			f[nf++] = p;
			p = strchr(p, ':');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (nf >= 6 && strtoul(f[2], NULL, 10) == uid) {
			snprintf(home, len, "%s", f[5]);
			err = 0;
			break;
		}
	}
	free(buf);
	return err;
}

static void target_candidates(int pid, struct portfile_candidates *c)
{
	char root[64], home[1024];
	const char *v;
	char *env = NULL;
	ssize_t n;
	unsigned int uid;
	int nspid = proc_nspid(pid);

	snprintf(root, sizeof(root), "%s/%d/root", proc_root(), pid);
	n = proc_read_file(pid, "environ", &env, 1 << 20);
	if (n >= 0) {
		v = proc_env_lookup(env, (size_t)n, "GOPS_CONFIG_DIR");
		if (v && *v) {
			add(c, root, v, "", nspid);
			goto out; /* used as is: nothing else applies */
		}
		add(c, root, proc_env_lookup(env, (size_t)n, "XDG_CONFIG_HOME"), "/gops", nspid);
		add(c, root, proc_env_lookup(env, (size_t)n, "HOME"), "/.config/gops", nspid);
	}
	if (proc_uid(pid, &uid) == 0 && passwd_home(pid, uid, home, sizeof(home)) == 0) {
		add(c, root, home, "/.config/gops", nspid);
		add(c, root, home, "/.gops", nspid); /* gops' last resort */
	}
out:
	free(env);
}

/* gops' own rule: our environment, the host pid. */
static void own_candidates(int pid, struct portfile_candidates *c)
{
	const char *v = getenv("GOPS_CONFIG_DIR");
	struct passwd *pw;

	if (v && *v) {
		add(c, "", v, "", pid);
		return;
	}
	add(c, "", getenv("XDG_CONFIG_HOME"), "/gops", pid);
	add(c, "", getenv("HOME"), "/.config/gops", pid);
	pw = getpwuid(getuid());
	if (pw)
		add(c, "", pw->pw_dir, "/.gops", pid);
}

void portfile_candidates(int pid, struct portfile_candidates *c)
{
	c->n = 0;
	target_candidates(pid, c);
	own_candidates(pid, c);
}

int portfile_find(int pid, char *path, size_t len)
{
	struct portfile_candidates c;
	struct stat st;

	portfile_candidates(pid, &c);
	for (int i = 0; i < c.n; i++) {
		if (stat(c.path[i], &st) == 0) {
			snprintf(path, len, "%s", c.path[i]);
			return 0;
		}
	}
	return -ENOENT;
}
