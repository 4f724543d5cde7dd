/* SPDX-License-Identifier: MIT */
/*
 * The rows of the table of Go releases for the goroutine dump's fields
 * (runtime.g and runtime.m): table.c merges them into its own rows.
 */
#ifndef GOPS_GORUNTIME_TABLE_G_H
#define GOPS_GORUNTIME_TABLE_G_H

#include "goruntime/table.h"

/*
 * The row of Go 1.minor with only the g and m fields set (the others are
 * { 0, 0 }, size 0 meaning "left out"), or NULL outside 1.17..1.27.
 */
const struct rt_layout *rt_table_g_row(int minor);

#endif
