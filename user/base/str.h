/* SPDX-License-Identifier: MIT */
/*
 * Copying and joining C strings into fixed buffers, cut to fit as snprintf
 * cuts them, without its cost: a scan builds a few thousand paths, and
 * formatting them with snprintf took a fifth of its instructions.
 */
#ifndef GOPS_BASE_STR_H
#define GOPS_BASE_STR_H

#include <stddef.h>

/*
 * Writes src after the len bytes already in dst (cap bytes in all), keeping
 * dst NUL-terminated and cut to fit. Returns the new length as it would be
 * uncut (snprintf's return), so that a caller can tell a cut (>= cap).
 */
size_t str_append(char *dst, size_t cap, size_t len, const char *src);

/* Copies the first n bytes of src (fewer at a NUL), cut to fit and NUL-terminated. */
size_t str_copy_n(char *dst, size_t cap, const char *src, size_t n);

/* The same for the decimal digits of v. */
size_t str_append_uint(char *dst, size_t cap, size_t len, unsigned long long v);

/* How many decimal digits v has. */
int str_uint_width(unsigned long long v);

#endif
