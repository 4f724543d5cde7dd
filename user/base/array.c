// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "base/array.h"

#define FIRST_CAP 16

void *array_push(void *arr, size_t *n, size_t *cap, size_t elem)
{
	void **base = arr;
	char *p;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : FIRST_CAP;
		/* Neither the doubling nor the size in bytes may wrap. */
		void *np = *cap > (size_t)-1 / 2 || ncap > (size_t)-1 / elem
				   ? NULL
				   : realloc(*base, ncap * elem);

		if (!np)
			return NULL;
		*base = np;
		*cap = ncap;
	}
	p = (char *)*base + *n * elem;
	memset(p, 0, elem);
	(*n)++;
	return p;
}
