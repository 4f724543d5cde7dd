// SPDX-License-Identifier: MIT
#include "base/utf8.h"

size_t utf8_encode(uint32_t r, char *out)
{
	if (r < 0x80) {
		out[0] = (char)r;
		return 1;
	}
	if (r < 0x800) {
		out[0] = (char)(0xc0 | (r >> 6));
		out[1] = (char)(0x80 | (r & 0x3f));
		return 2;
	}
	if (r < 0x10000) {
		out[0] = (char)(0xe0 | (r >> 12));
		out[1] = (char)(0x80 | ((r >> 6) & 0x3f));
		out[2] = (char)(0x80 | (r & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (r >> 18));
	out[1] = (char)(0x80 | ((r >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((r >> 6) & 0x3f));
	out[3] = (char)(0x80 | (r & 0x3f));
	return 4;
}

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *r)
{
	unsigned int c = s[0];
	size_t len;

	if (c < 0x80) {
		*r = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, *r = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, *r = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, *r = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*r = (*r << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && *r < 0x800) || (len == 4 && (*r < 0x10000 || *r > 0x10ffff)) ||
		(*r >= 0xd800 && *r <= 0xdfff))
		return 0;
	return len;
}
