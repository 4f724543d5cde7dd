// SPDX-License-Identifier: MIT
/*
 * gunzip with a bound on the output, for pprof profiles: Go's pprof reads
 * them through compress/gzip (profile.Parse in github.com/google/pprof/profile,
 * profile.go), which takes concatenated members as one stream; so does this.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "pprof/gunzip.h"

int gunzip(const unsigned char *in, size_t len, size_t max, unsigned char **outp, size_t *outlen)
{
	unsigned char *buf = NULL, spill;
	size_t cap = 0, used = 0, left = len;
	const unsigned char *ip = in;
	z_stream zs;
	int err = 0;

	*outp = NULL;
	*outlen = 0;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return -ENOMEM;
	for (;;) {
		unsigned char *dst;
		uInt room, produced;
		int zerr;

		if (zs.avail_in == 0 && left > 0) {
			zs.next_in = (Bytef *)ip;
			zs.avail_in = left > UINT_MAX ? UINT_MAX : (uInt)left;
			ip += zs.avail_in;
			left -= zs.avail_in;
		}
		if (used == cap && cap < max) {
			/*
			 * Start at 4 times the input (at least 64 KiB), then double,
			 * but never past max: array_add's doubling would allocate up
			 * to twice the bound (512 MiB for a hostile gzip bomb).
			 */
			size_t ncap = cap ? (cap <= max / 2 ? cap * 2 : max)
					  : (len <= max / 4 ? len * 4 : max);
			unsigned char *nbuf;

			if (ncap < (64 << 10))
				ncap = 64 << 10;
			if (ncap > max)
				ncap = max;
			nbuf = realloc(buf, ncap);
			if (!nbuf) {
				err = -ENOMEM;
				goto cleanup;
			}
			buf = nbuf;
			cap = ncap;
		}
		if (used < cap) {
			dst = buf + used;
			room = cap - used > UINT_MAX ? UINT_MAX : (uInt)(cap - used);
		} else {
			/* At the bound: one more byte of output is one too many. */
			dst = &spill;
			room = 1;
		}
		zs.next_out = dst;
		zs.avail_out = room;
		zerr = inflate(&zs, Z_NO_FLUSH);
		produced = room - zs.avail_out;
		if (dst == &spill && produced) {
			err = -EFBIG;
			goto cleanup;
		}
		if (dst != &spill)
			used += produced;
		if (zerr == Z_STREAM_END) {
			if (zs.avail_in == 0 && left == 0)
				break;
			if (inflateReset(&zs) != Z_OK) {
				err = -EINVAL;
				goto cleanup;
			}
			continue;
		}
		if (zerr == Z_OK)
			continue;
		/* Z_BUF_ERROR: no progress with output room given, so the input ended early. */
		err = zerr == Z_MEM_ERROR ? -ENOMEM : -EINVAL;
		goto cleanup;
	}
	*outp = buf;
	*outlen = used;
	buf = NULL;
cleanup:
	inflateEnd(&zs);
	free(buf);
	return err;
}
