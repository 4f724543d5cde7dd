/* SPDX-License-Identifier: MIT */
/* UTF-8, strictly: what JSON output and Go string quoting both need. */
#ifndef GOPS_UTF8_H
#define GOPS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the rune at s (n bytes available). Returns its length, or 0 for an
 * invalid sequence: truncated, overlong, a surrogate, or past U+10FFFF.
 */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *r);

/* Encodes a valid rune into out (4 bytes at most). Returns its length. */
size_t utf8_encode(uint32_t r, char *out);

#endif
