// SPDX-License-Identifier: MIT
#include <string.h>

#include "base/str.h"

static size_t append_n(char *dst, size_t cap, size_t len, const char *src, size_t n)
{
	if (len + 1 < cap) {
		size_t room = cap - 1 - len, k = n < room ? n : room;

		memcpy(dst + len, src, k);
		dst[len + k] = '\0';
	}
	return len + n;
}

size_t str_append(char *dst, size_t cap, size_t len, const char *src)
{
	return append_n(dst, cap, len, src, strlen(src));
}

size_t str_copy_n(char *dst, size_t cap, const char *src, size_t n)
{
	const char *nul = memchr(src, '\0', n);

	if (cap)
		dst[0] = '\0';
	return append_n(dst, cap, 0, src, nul ? (size_t)(nul - src) : n);
}

size_t str_append_uint(char *dst, size_t cap, size_t len, unsigned long long v)
{
	char digits[20];
	int n = str_uint_width(v);

	for (int i = n - 1; i >= 0; i--, v /= 10)
		digits[i] = (char)('0' + v % 10);
	return append_n(dst, cap, len, digits, (size_t)n);
}

int str_uint_width(unsigned long long v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}
