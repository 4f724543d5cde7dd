// SPDX-License-Identifier: MIT
#include <errno.h>
#include <pwd.h>
#include <stdbool.h>
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

static void target_candidates(int pid, int nspid, struct portfile_candidates *c)
{
	struct proc_status st;
	char root[64], home[1024];
	const char *v, *xdg = NULL, *homeenv = NULL;
	char *env = NULL;
	ssize_t n;

	snprintf(root, sizeof(root), "%s/%d/root", proc_root(), pid);
	n = proc_read_file(pid, "environ", &env, 1 << 20);
	if (n >= 0) {
		v = proc_env_lookup(env, (size_t)n, "GOPS_CONFIG_DIR");
		if (v && *v) {
			add(c, root, v, "", nspid);
			goto out; /* used as is: nothing else applies */
		}
		xdg = proc_env_lookup(env, (size_t)n, "XDG_CONFIG_HOME");
		homeenv = proc_env_lookup(env, (size_t)n, "HOME");
		add(c, root, xdg, "/gops", nspid);
		add(c, root, homeenv, "/.config/gops", nspid);
	}
	/* Only without both does the agent fall back to its user's passwd home. */
	if ((!xdg || !*xdg) && (!homeenv || !*homeenv) && proc_read_status(pid, &st) == 0 &&
		st.has_uid && passwd_home(pid, st.uid[0], home, sizeof(home)) == 0) {
		add(c, root, home, "/.config/gops", nspid);
		add(c, root, home, "/.gops", nspid); /* gops' last resort */
	}
out:
	free(env);
}

/* gops' own rule: our environment (looked up once), the host pid. */
static void own_candidates(int pid, struct portfile_candidates *c)
{
	static struct {
		bool done;
		char dir[3][2048];
		int n;
	} own;
	const char *v;

	if (!own.done) {
		struct passwd *pw;

		own.done = true;
		v = getenv("GOPS_CONFIG_DIR");
		if (v && *v) {
			snprintf(own.dir[own.n++], sizeof(own.dir[0]), "%s", v);
		} else {
			v = getenv("XDG_CONFIG_HOME");
			if (v && *v)
				snprintf(own.dir[own.n++], sizeof(own.dir[0]), "%s/gops", v);
			v = getenv("HOME");
			if (v && *v)
				snprintf(own.dir[own.n++], sizeof(own.dir[0]), "%s/.config/gops", v);
			pw = getpwuid(getuid());
			if (pw && pw->pw_dir[0])
				snprintf(own.dir[own.n++], sizeof(own.dir[0]), "%s/.gops", pw->pw_dir);
		}
	}
	for (int i = 0; i < own.n; i++)
		add(c, "", own.dir[i], "", pid);
}

void portfile_candidates(int pid, int nspid, struct portfile_candidates *c)
{
	c->n = 0;
	target_candidates(pid, nspid > 0 ? nspid : proc_nspid(pid), c);
	own_candidates(pid, c);
}

int portfile_find(int pid, int nspid, char *path, size_t len)
{
	struct portfile_candidates c;
	struct stat sb;

	portfile_candidates(pid, nspid, &c);
	for (int i = 0; i < c.n; i++) {
		if (stat(c.path[i], &sb) == 0) {
			snprintf(path, len, "%s", c.path[i]);
			return 0;
		}
	}
	return -ENOENT;
}
