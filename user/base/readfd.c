// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/readfd.h"

#define FIRST_CHUNK 4096

ssize_t read_whole_fd(int fd, char **out, size_t max, bool cut, bool short_is_end)
{
	size_t cap = max < FIRST_CHUNK ? max : FIRST_CHUNK, len = 0;
	char *buf = malloc(cap + 1);

	*out = NULL;
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			size_t ncap = cap > max / 2 ? max : cap * 2;
			char *nb;

			if (ncap == cap) {
				char probe;

				/* Full: one more byte says whether there is more than max. */
				if (cut)
					break;
				n = read(fd, &probe, 1);
				if (n < 0 && errno == EINTR)
					continue;
				if (n == 0)
					break;
				free(buf);
				return n < 0 ? -errno : -EFBIG;
			}
			nb = realloc(buf, ncap + 1);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			int err = -errno;

			if (errno == EINTR)
				continue;
			free(buf);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (short_is_end && len < cap)
			break;
	}
	buf[len] = '\0';
	*out = buf;
	return (ssize_t)len;
}
