/* SPDX-License-Identifier: MIT */
/* The bounded gunzip pprof profiles are read through (private to user/pprof). */
#ifndef GOPS_PPROF_GUNZIP_H
#define GOPS_PPROF_GUNZIP_H

#include <stddef.h>

/*
 * Inflates every gzip member of in (Go's gzip reader reads concatenated
 * members as one stream) into a heap buffer of at most max bytes, which the
 * caller frees. Returns 0, -EINVAL for bad or truncated gzip data, -EFBIG
 * when the output would pass max, -ENOMEM.
 */
int gunzip(const unsigned char *in, size_t len, size_t max, unsigned char **outp, size_t *outlen);

#endif
