/* SPDX-License-Identifier: MIT */
/*
 * The table of Go releases: where the fields of struct rt_layout sit in the
 * runtime of Go 1.17 to 1.27 on amd64 (64-bit), for executables without
 * DWARF. Each row was laid out from that release's runtime sources; table.c
 * cites them.
 */
#ifndef GOPS_GORUNTIME_TABLE_H
#define GOPS_GORUNTIME_TABLE_H

#include "goruntime/layout.h"

#define RT_TABLE_FIRST_MINOR 17
#define RT_TABLE_LAST_MINOR 27

/*
 * Fills l from the row of Go 1.minor (amd64): every field RT_UNKNOWN but the
 * ones the row has, l->source naming the row ("table: go1.21"). Returns 0,
 * or -ENOENT when there is no row (outside 1.17..1.27; l is left alone).
 * A row may lack a field: one the release does not have (memoryLimit before
 * 1.19, gFree.n from 1.25, inPtrScalarBits from 1.25, g.parentGoid before
 * 1.21, g.syscallbp before 1.23), or one whose meaning
 * changed in 1.19 (in 1.17 and 1.18 the gcControllerState heap counters and
 * heapStatsDelta.smallAllocCount), or one that moved within the release
 * (m.alllink in 1.23 and 1.24).
 */
int rt_table_layout(int minor, struct rt_layout *l);

/*
 * The row for an executable whose runtime.Version() is go_version (of Go
 * 1.minor): rt_table_layout(), less the fields a GOEXPERIMENT the version
 * names ("go1.25.1 X:greenteagc") moves away from the row's default.
 */
int rt_table_layout_of(int minor, const char *go_version, struct rt_layout *l);

#endif
