/* SPDX-License-Identifier: MIT */
/*
 * The process table a live `gops daemon` keeps pinned in bpffs, read by the
 * CLI. Trusted only while its loader is alive and its heartbeat is fresh.
 */
#ifndef GOPS_TABLE_H
#define GOPS_TABLE_H

#include <stddef.h>

#include <stdbool.h>
#include <stdint.h>

#include "list/golist.h"
#include "gops.h"

/* A heartbeat older than this means the loader is gone or stuck. */
#define TABLE_HEARTBEAT_MAX_NS (3ULL * 1000000000ULL)

/*
 * Lists the Go processes from the table under pin_dir. Returns 0, or a
 * negative error with a reason in why: -ENOENT (no table), -ESTALE (no live
 * loader owns it), -EACCES (not allowed to read it), or another -errno.
 */
int table_list(const char *pin_dir, struct go_list *l, char *why, size_t whylen);

/* The state of a table and of its loader, for `gops status`. */
struct table_status {
	bool live;     /* a live loader owns it */
	char why[256]; /* when not live: why not */
	struct gops_meta meta;
	uint64_t heartbeat_age_ns;
	uint64_t counters[GOPS_CNT_MAX]; /* summed over CPUs */
	long go_rows, unclassified_rows;
};

/* Reads the table's state. Returns 0, or -ENOENT/-EACCES/-errno with why set. */
int table_status(const char *pin_dir, struct table_status *st);

#endif
