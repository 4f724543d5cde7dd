/* SPDX-License-Identifier: MIT */
/* Reading a whole file descriptor into memory, with a bound. */
#ifndef GOPS_BASE_READFD_H
#define GOPS_BASE_READFD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Reads fd to its end into a NUL-terminated heap buffer (*out, freed by the
 * caller). More than max bytes is -EFBIG, or with cut, the first max bytes.
 * With short_is_end, a read that returns less than asked ends it: /proc
 * files fill a read as far as they go, which saves a last empty read.
 * Retries on EINTR. Returns the length, or -errno (nothing to free then).
 */
ssize_t read_whole_fd(int fd, char **out, size_t max, bool cut, bool short_is_end);

#endif
