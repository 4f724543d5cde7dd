// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "base/array.h"

#define FIRST_CAP 16

void *array_add(void *arr, size_t *n, size_t *cap, size_t elem, size_t count)
{
	void **base = arr;
	char *p;

	if (count > (size_t)-1 / elem - *n)
		return NULL;
	if (*n + count > *cap) {
		size_t ncap = *cap ? *cap : FIRST_CAP;
		void *np;

		while (ncap < *n + count)
			ncap = ncap > (size_t)-1 / 2 ? *n + count : ncap * 2;
		np = ncap > (size_t)-1 / elem ? NULL : realloc(*base, ncap * elem);
		if (!np)
			return NULL;
		*base = np;
		*cap = ncap;
	}
	p = (char *)*base + *n * elem;
	memset(p, 0, count * elem);
	*n += count;
	return p;
}

void *array_push(void *arr, size_t *n, size_t *cap, size_t elem)
{
	return array_add(arr, n, cap, elem, 1);
}
