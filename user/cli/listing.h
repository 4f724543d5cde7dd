/* SPDX-License-Identifier: MIT */
/* The one place the listing verbs get their list from. */
#ifndef GOPS_CLI_LISTING_H
#define GOPS_CLI_LISTING_H

#include <stdbool.h>

#include "list/golist.h"

/* Where a listing came from, and why. */
struct listing_source {
	bool table;    /* the daemon's table; else a /proc scan */
	char why[256]; /* for a scan: why not the table */
};

/*
 * Fills l from the pinned table under pin_dir when a live daemon owns it
 * (unless scan), else from a /proc scan, and says in src (may be NULL) which
 * and why; with verbose, on stderr too. A table that is there but cannot be
 * read is said on stderr always. Returns 0, or 1 after printing why it failed.
 */
int listing_fill(const char *pin_dir, bool scan, bool verbose, struct go_list *l,
	struct listing_source *src);

#endif
