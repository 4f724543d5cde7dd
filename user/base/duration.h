/* SPDX-License-Identifier: MIT */
/* Go time.Duration text: parsing as gops reads a period, printing as Go prints one. */
#ifndef GOPS_DURATION_H
#define GOPS_DURATION_H

#include <stddef.h>

/*
 * Parses s as gops parses a period: a Go duration ("2s", "1m30s", "1.5h",
 * "300ms", "10us", "10µs", "5ns"), or failing that a plain decimal integer
 * meaning seconds. Stores nanoseconds in *ns.
 * Returns 0, -EINVAL for empty or malformed text, -ERANGE for a negative
 * value or one that does not fit in 64 bits of nanoseconds.
 */
int duration_parse(const char *s, long long *ns);

/* Writes ns exactly as Go's time.Duration.String() does ("1m30s", "1.5s", "500ms", "0s"). */
void duration_format(long long ns, char *buf, size_t len);

#endif
