// SPDX-License-Identifier: MIT
/* Where the listing verbs get their list: the daemon's table, else a /proc scan. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/listing.h"
#include "live/table.h"
#include "proc/proc.h"

static void report_uninspected(const struct go_list *l)
{
	if (l->denied)
		fprintf(stderr, "gops: %d process%s could not be inspected: permission denied%s\n",
			l->denied, l->denied == 1 ? "" : "es",
			geteuid() ? " (run as root to see every process)" : "");
}

/*
 * From the pinned table when a live daemon owns one, else from a /proc scan.
 * Which one, and why, is said with -v; a table that exists but cannot be
 * read is said always, since a daemon is then running for nothing.
 */
int listing_fill(const char *pin_dir, bool scan, bool verbose, struct go_list *l)
{
	char why[256] = "--scan asks for it";
	int err;

	if (!scan) {
		err = table_list(pin_dir, l, why, sizeof(why));
		if (err == 0) {
			if (verbose)
				fprintf(stderr, "gops: listing from the table at %s\n", pin_dir);
			return 0;
		}
		golist_free(l);
		if (err == -EACCES || err == -EPERM)
			fprintf(stderr,
				"gops: live discovery is off: %s; listing from a /proc scan\n",
				why);
	}
	if (verbose)
		fprintf(stderr, "gops: scanning /proc: %s\n", why);
	err = golist_scan(l);
	if (err) {
		fprintf(stderr, "gops: failed to scan %s: %s\n", proc_root(), strerror(-err));
		return 1;
	}
	report_uninspected(l);
	return 0;
}
