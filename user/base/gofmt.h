/* SPDX-License-Identifier: MIT */
/* Values printed as the gops agent prints them with Go's fmt and time packages. */
#ifndef GOPS_GOFMT_H
#define GOPS_GOFMT_H

#include <stddef.h>
#include <stdint.h>

/* gops' formatBytes: "512 bytes", "1.50KB (1536 bytes)", up to PB. */
void gofmt_bytes(uint64_t n, char *buf, size_t len);

/*
 * time.Unix(0, ns).String() in the local time zone, as Go prints a time
 * without a monotonic reading: "2026-12-02 05:30:00.123456789 +0000 UTC",
 * the fraction without trailing zeros (and without the dot when zero).
 */
void gofmt_time(int64_t ns, char *buf, size_t len);

/* A float64 as fmt's %v prints it: the shortest text that reads back, %e from 1e6 or below 1e-4. */
void gofmt_float(double v, char *buf, size_t len);

#endif
