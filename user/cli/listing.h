/* SPDX-License-Identifier: MIT */
/* The one place the listing verbs get their list from. */
#ifndef GOPS_CLI_LISTING_H
#define GOPS_CLI_LISTING_H

#include <stdbool.h>

#include "list/golist.h"

/*
 * Fills l from the pinned table under pin_dir when a live daemon owns it
 * (unless scan), else from a /proc scan. Returns 0, or 1 after printing why.
 */
int listing_fill(const char *pin_dir, bool scan, bool verbose, struct go_list *l);

#endif
