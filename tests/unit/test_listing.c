// SPDX-License-Identifier: MIT
/*
 * The listing's one seam: which source it used and why. (That the table is
 * used when a live daemon owns one is tested with a real daemon, in
 * tests/integration/test_live.sh.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/listing.h"
#include "harness.h"

TEST(test_listing_without_a_daemon_scans_and_says_why)
{
	struct listing_source src;
	struct go_list l = { 0 };
	char pin[64];

	snprintf(pin, sizeof(pin), "/tmp/gops-no-daemon-%d", getpid());
	CHECK_INT(listing_fill(pin, false, false, &l, &src), 0);
	CHECK(!src.table);
	CHECK(strstr(src.why, "no daemon") != NULL);
	CHECK(strstr(src.why, pin) != NULL);
	golist_free(&l);
}

TEST(test_listing_with_scan_asked_says_so)
{
	struct listing_source src;
	struct go_list l = { 0 };

	CHECK_INT(listing_fill("/tmp/gops-never-read", true, false, &l, &src), 0);
	CHECK(!src.table);
	CHECK_STR(src.why, "--scan asks for it");
	golist_free(&l);
}
