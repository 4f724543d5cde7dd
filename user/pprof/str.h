/* SPDX-License-Identifier: MIT */
/*
 * Byte strings as Go sees them, for the report (private to user/pprof):
 * profile strings may hold NULs, compare as Go's strings do, and are
 * measured in runes where fmt pads them. Decoding is base/utf8's.
 */
#ifndef GOPS_PPROF_STR_H
#define GOPS_PPROF_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/utf8.h"
#include "pprof/pprof.h"

/* A byte string that may hold NULs. */
struct sv {
	const char *p;
	size_t n;
};

static inline struct sv str_of(const struct pprof_profile *p, size_t i)
{
	struct sv s = { p->strings[i], p->string_lens[i] };

	return s;
}

static inline struct sv sv_c(const char *s)
{
	struct sv v = { s, strlen(s) };

	return v;
}

static inline bool sv_eq(struct sv a, const char *b)
{
	return a.n == strlen(b) && memcmp(a.p, b, a.n) == 0;
}

/* Go's string comparison: bytewise, then by length. */
static inline int sv_cmp(struct sv a, struct sv b)
{
	int c = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);

	if (c)
		return c;
	return a.n < b.n ? -1 : a.n > b.n;
}

/* Decodes one rune as Go's utf8.DecodeRune; an invalid byte is a rune of size 1. */
static inline uint32_t utf8_rune(const unsigned char *s, size_t n, size_t *size)
{
	uint32_t r;
	size_t len = utf8_decode(s, n, &r);

	*size = len ? len : 1;
	return len ? r : 0xfffd;
}

/* What fmt's %10s pads by: runes, not bytes. */
static inline size_t rune_count(struct sv s)
{
	size_t n = 0, size;

	for (size_t i = 0; i < s.n; i += size, n++)
		utf8_rune((const unsigned char *)s.p + i, s.n - i, &size);
	return n;
}

/* filepath.Base */
static inline struct sv path_base(struct sv s)
{
	size_t i;

	while (s.n > 0 && s.p[s.n - 1] == '/')
		s.n--;
	if (s.n == 0)
		return sv_c(s.p && s.p[0] == '/' ? "/" : ".");
	for (i = s.n; i > 0 && s.p[i - 1] != '/'; i--)
		;
	s.p += i;
	s.n -= i;
	return s;
}

#endif
