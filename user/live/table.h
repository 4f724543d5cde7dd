/* SPDX-License-Identifier: MIT */
/*
 * The process table a live `gops daemon` keeps pinned in bpffs, read by the
 * CLI. Trusted only while its loader is alive, its heartbeat is fresh, and it
 * speaks our ABI (bpf/gops.h).
 */
#ifndef GOPS_LIVE_TABLE_H
#define GOPS_LIVE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gops.h"
#include "list/golist.h"

/* A heartbeat older than this means the loader is gone or stuck. */
#define TABLE_HEARTBEAT_MAX_NS (3ULL * 1000000000ULL)

/*
 * Lists the Go processes from the table under pin_dir. Returns 0, or a
 * negative error with a reason in why: -ENOENT (no table), -ESTALE (no live
 * loader owns it, or it is not complete), -EPROTO (a table of another
 * version), -EACCES (not allowed to read it), or another -errno.
 */
int table_list(const char *pin_dir, struct go_list *l, char *why, size_t whylen);

/* The state of a table and of its loader, for `gops status`. */
struct table_status {
	bool live;     /* a live loader owns it */
	char why[256]; /* when not live: why not */
	uint32_t abi;  /* the ABI version its meta says */
	struct gops_meta meta;
	uint64_t heartbeat_age_ns;
	uint64_t counters[GOPS_CNT_MAX]; /* summed over CPUs */
	long go_rows, unclassified_rows;
};

/* Reads the table's state. Returns 0, or -ENOENT/-EACCES/-EPROTO/-errno with why set. */
int table_status(const char *pin_dir, struct table_status *st);

/* The loader's strings of one record, pointing into the listing (not NUL-terminated). */
struct table_rec_strings {
	const char *name, *path, *dirs[GOPS_MAX_DIRS];
};

/*
 * Takes one record (struct gops_list_rec, then its strings when it has
 * details) off a listing of len bytes at *off. Returns false at the end, or
 * when what is left is not a whole record: every length is checked against
 * its field's size and against what is left.
 */
bool table_next_rec(const char *buf, size_t len, size_t *off, struct gops_list_rec *rec,
	struct table_rec_strings *str);

/*
 * Appends the record of row, with its details d (NULL: none), to a growing
 * buffer (*buf of *len bytes, *cap allocated), exactly as the iterator
 * (list_go in bpf/tracer.bpf.c) writes it; lengths out of bounds become 0.
 * For kernels without the map iterator. Returns 0 or -ENOMEM.
 */
int table_encode_rec(char **buf, size_t *len, size_t *cap, const struct gops_row *row,
	const struct gops_details *d);

#endif
