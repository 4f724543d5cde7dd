// SPDX-License-Identifier: MIT
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fakeproc.h"
#include "proc/proc.h"

void fake_mkdir_p(const char *path)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0755);
			*s = '/';
		}
	}
	mkdir(p, 0755);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

void fake_rm_rf(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static char *saved_proc_root; /* $GOPS_PROC_ROOT before fakeproc_begin */
static int saved;

void fakeproc_begin(const char *root)
{
	const char *r = getenv("GOPS_PROC_ROOT");

	if (!saved) {
		saved_proc_root = r ? strdup(r) : NULL;
		saved = 1;
	}
	setenv("GOPS_PROC_ROOT", root, 1);
	proc_root_reset();
}

void fakeproc_end(void)
{
	if (!saved)
		return;
	if (saved_proc_root)
		setenv("GOPS_PROC_ROOT", saved_proc_root, 1);
	else
		unsetenv("GOPS_PROC_ROOT");
	free(saved_proc_root);
	saved_proc_root = NULL;
	saved = 0;
	proc_root_reset();
}
