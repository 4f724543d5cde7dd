/* SPDX-License-Identifier: MIT */
/* Minimal JSON writing: strings escaped from arbitrary bytes. */
#ifndef GOPS_JSON_H
#define GOPS_JSON_H

#include <stddef.h>
#include <stdio.h>

/*
 * Writes s (len bytes, may hold any byte) as a JSON string. Invalid UTF-8
 * bytes become U+FFFD so the output is always valid JSON.
 */
void json_string_n(FILE *out, const char *s, size_t len);
/* Same for a NUL-terminated string; NULL is written as null. */
void json_string(FILE *out, const char *s);
/* Writes `"key":` */
void json_key(FILE *out, const char *key);

#endif
