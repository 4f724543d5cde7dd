/* SPDX-License-Identifier: MIT */
/* The runtime's struct layout from an executable's own DWARF (golang/dwarf.c). */
#ifndef GOPS_GORUNTIME_LAYOUT_DWARF_H
#define GOPS_GORUNTIME_LAYOUT_DWARF_H

#include <stddef.h>

#include "goruntime/layout.h"

/*
 * Fills the fields of l that the DWARF of the executable open at fd has.
 * Returns 0 when it had the stats fields; otherwise -errno with why saying
 * what the executable lacks ("has no DWARF (built with -w or -s)", "has
 * DWARF that cannot be read: ..."), l then holding whatever was found.
 */
int rt_layout_from_dwarf(int fd, struct rt_layout *l, char *why, size_t len);

#endif
