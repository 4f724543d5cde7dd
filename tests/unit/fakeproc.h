/* SPDX-License-Identifier: MIT */
/*
 * For unit tests that build a fake /proc in a directory: making and removing
 * trees, and pointing proc_root() at one ($GOPS_PROC_ROOT) and back.
 */
#ifndef GOPS_TEST_FAKEPROC_H
#define GOPS_TEST_FAKEPROC_H

/* mkdir -p path (each missing level, mode 0755; errors are left to the test). */
void fake_mkdir_p(const char *path);

/* rm -rf path, not following symlinks. */
void fake_rm_rf(const char *path);

/* Makes proc_root() name root until fakeproc_end(); the old $GOPS_PROC_ROOT is kept. */
void fakeproc_begin(const char *root);

/* Puts $GOPS_PROC_ROOT back as it was and proc_root() with it. */
void fakeproc_end(void);

#endif
