// SPDX-License-Identifier: MIT
#include <stdint.h>
#include <string.h>

#include "base/escape.h"
#include "base/utf8.h"

/*
 * The length of the run at s that passes unchanged (one rune), or 0 when the
 * byte at s must be escaped.
 */
static size_t plain_len(const unsigned char *s, size_t n)
{
	uint32_t r;
	size_t k;

	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f;
	k = utf8_decode(s, n, &r);
	if (k == 0 || (r >= 0x80 && r <= 0x9f)) /* invalid, or a C1 control */
		return 0;
	return k;
}

/*
 * The length of the run at s that passes unchanged: printable ASCII in a
 * tight loop (nearly every name and path is that), runes past it one by one.
 * For names, a backslash does not pass either.
 */
static size_t plain_run(const unsigned char *s, size_t n, bool name)
{
	size_t i = 0, k;

	for (;;) {
		while (i < n && s[i] >= 0x20 && s[i] < 0x7f && !(name && s[i] == '\\'))
			i++;
		if (i == n || s[i] < 0x80 || (k = plain_len(s + i, n - i)) == 0)
			return i;
		i += k;
	}
}

/* The escape of one byte that cannot pass: "\n", "\\", or "\x1b". Returns its length. */
static size_t escape_byte(unsigned char c, char out[5])
{
	static const char hex[] = "0123456789abcdef";

	out[0] = '\\';
	switch (c) {
	case '\n':
		out[1] = 'n';
		return 2;
	case '\t':
		out[1] = 't';
		return 2;
	case '\r':
		out[1] = 'r';
		return 2;
	case '\\':
		out[1] = '\\';
		return 2;
	default:
		out[1] = 'x';
		out[2] = hex[c >> 4];
		out[3] = hex[c & 0xf];
		return 4;
	}
}

bool escape_needed(const char *s, size_t len)
{
	return plain_run((const unsigned char *)s, len, false) < len;
}

static size_t escape_into(char *buf, size_t cap, const char *s, size_t len, bool name)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0, w = 0, k;
	bool full = cap == 0;
	char e[5];
	const char *piece;

	while (i < len) {
		k = plain_run(p + i, len - i, name);
		if (k) {
			piece = s + i;
			i += k;
		} else {
			k = escape_byte(p[i++], e);
			piece = e;
		}
		/* Whole pieces only: once one does not fit, nothing more is written. */
		if (!full && w + k < cap) {
			memcpy(buf + w, piece, k);
			w += k;
		} else {
			full = true;
		}
		o += k;
	}
	if (cap)
		buf[w] = '\0';
	return o;
}

size_t escape_text(char *buf, size_t cap, const char *s, size_t len)
{
	return escape_into(buf, cap, s, len, false);
}

static size_t escaped_len(const char *s, size_t len, bool name)
{
	size_t plain = plain_run((const unsigned char *)s, len, name);

	return plain == len ? len : plain + escape_into(NULL, 0, s + plain, len - plain, name);
}

size_t escape_len(const char *s, size_t len)
{
	return escaped_len(s, len, false);
}

static void put_escaped(FILE *out, const char *s, size_t len, bool name)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	char e[5];

	while (i < len) {
		k = plain_run(p + i, len - i, name);
		if (k) {
			fwrite(s + i, 1, k, out);
			i += k;
		} else {
			fwrite(e, 1, escape_byte(p[i++], e), out);
		}
	}
}

void escape_fputs(FILE *out, const char *s, size_t len)
{
	put_escaped(out, s, len, false);
}

static void put_padded(FILE *out, const char *s, size_t len, size_t width, bool name)
{
	size_t w = escaped_len(s, len, name);

	put_escaped(out, s, len, name);
	if (w < width)
		fprintf(out, "%*s", (int)(width - w), "");
}

void escape_fputs_padded(FILE *out, const char *s, size_t len, size_t width)
{
	put_padded(out, s, len, width, false);
}

size_t escape_name_len(const char *s, size_t len)
{
	return escaped_len(s, len, true);
}

void escape_name_fputs(FILE *out, const char *s, size_t len)
{
	put_escaped(out, s, len, true);
}

void escape_name_fputs_padded(FILE *out, const char *s, size_t len, size_t width)
{
	put_padded(out, s, len, width, true);
}
