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

int listing_fill(
	const char *pin_dir, bool scan, bool verbose, struct go_list *l, struct listing_source *src)
{
	struct listing_source own;
	int err;

	if (!src)
		src = &own;
	src->table = false;
	snprintf(src->why, sizeof(src->why), "--scan asks for it");
	if (!scan) {
		err = table_list(pin_dir, l, src->why, sizeof(src->why));
		if (err == 0) {
			src->table = true;
			src->why[0] = '\0';
			if (verbose)
				fprintf(stderr, "gops: listing from the table at %s\n", pin_dir);
			return 0;
		}
		golist_free(l);
		/* A daemon runs for nothing: worth a line. No table at all is not. */
		if (err == -EACCES || err == -EPERM)
			fprintf(stderr,
				"gops: live discovery is off: %s; listing from a /proc scan\n",
				src->why);
	}
	if (verbose)
		fprintf(stderr, "gops: scanning /proc: %s\n", src->why);
	err = golist_scan(l);
	if (err) {
		fprintf(stderr, "gops: failed to scan %s: %s\n", proc_root(), strerror(-err));
		return 1;
	}
	report_uninspected(l);
	return 0;
}
