/* SPDX-License-Identifier: MIT */
/* Growable arrays: the one way this code appends to a heap array. */
#ifndef GOPS_ARRAY_H
#define GOPS_ARRAY_H

#include <stddef.h>

/*
 * Appends a zeroed element of elem bytes to *arr (holding *n of *cap),
 * doubling the capacity when full. Returns the new element, or NULL when
 * memory runs out (the array is left as it was).
 */
void *array_push(void *arr, size_t *n, size_t *cap, size_t elem);

/* Same for count elements at once: returns the first of them, zeroed, or NULL. */
void *array_add(void *arr, size_t *n, size_t *cap, size_t elem, size_t count);

#endif
