// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "golang/goquote.h"
#include "base/hex.h"
#include "base/utf8.h"

/*
 * One character of a "..." literal at s (strconv.UnquoteChar with quote '"').
 * Writes its bytes to out (up to 4) and returns how many input bytes it used,
 * or 0 when the escape is invalid.
 */
static size_t unquote_char(const char *s, size_t n, char *out, size_t *outn)
{
	uint32_t r = 0;
	int digits;

	if (s[0] != '\\') {
		size_t rn = utf8_decode((const unsigned char *)s, n, &r);

		/* Like strconv: a byte that is not valid UTF-8 becomes U+FFFD. */
		if (rn == 0) {
			*outn = utf8_encode(0xfffd, out);
			return 1;
		}
		memcpy(out, s, rn);
		*outn = rn;
		return rn;
	}
	if (n < 2)
		return 0;
	switch (s[1]) {
	case 'a':
		out[0] = '\a';
		break;
	case 'b':
		out[0] = '\b';
		break;
	case 'f':
		out[0] = '\f';
		break;
	case 'n':
		out[0] = '\n';
		break;
	case 'r':
		out[0] = '\r';
		break;
	case 't':
		out[0] = '\t';
		break;
	case 'v':
		out[0] = '\v';
		break;
	case '\\':
		out[0] = '\\';
		break;
	case '"':
		out[0] = '"';
		break;
	case 'x':
	case 'u':
	case 'U':
		digits = s[1] == 'x' ? 2 : s[1] == 'u' ? 4 : 8;
		if (n < (size_t)digits + 2)
			return 0;
		for (int i = 0; i < digits; i++) {
			int v = hex_value(s[2 + i]);

			if (v < 0)
				return 0;
			r = (r << 4) | (uint32_t)v;
		}
		if (s[1] == 'x') {
			out[0] = (char)r;
			*outn = 1;
			return 4;
		}
		if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff))
			return 0;
		*outn = utf8_encode(r, out);
		return (size_t)digits + 2;
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
		if (n < 4)
			return 0;
		for (int i = 1; i <= 3; i++) {
			if (s[i] < '0' || s[i] > '7')
				return 0;
			r = r * 8 + (uint32_t)(s[i] - '0');
		}
		if (r > 255)
			return 0;
		out[0] = (char)r;
		*outn = 1;
		return 4;
	default:
		return 0;
	}
	*outn = 1;
	return 2;
}

/* Walks a literal; with out != NULL also stores its value. Returns its length or 0. */
static size_t scan_literal(const char *s, size_t len, char *out, size_t *outlen)
{
	size_t i = 1, o = 0;

	if (len < 2)
		return 0;
	if (s[0] == '`') {
		for (; i < len; i++) {
			if (s[i] == '`') {
				if (outlen)
					*outlen = o;
				return i + 1;
			}
			if (s[i] == '\r') /* raw strings drop carriage returns */
				continue;
			if (out)
				out[o] = s[i];
			o++;
		}
		return 0;
	}
	if (s[0] != '"')
		return 0;
	while (i < len) {
		char buf[4];
		size_t bn, used;

		if (s[i] == '"') {
			if (outlen)
				*outlen = o;
			return i + 1;
		}
		if (s[i] == '\n')
			return 0;
		used = unquote_char(s + i, len - i, buf, &bn);
		if (!used)
			return 0;
		if (out)
			memcpy(out + o, buf, bn);
		o += bn;
		i += used;
	}
	return 0;
}

size_t go_quoted_prefix(const char *s, size_t len)
{
	return scan_literal(s, len, NULL, NULL);
}

int go_unquote(const char *s, size_t len, char **out, size_t *outlen)
{
	char *buf;

	if (scan_literal(s, len, NULL, NULL) != len)
		return -EINVAL;
	/* At most 3 bytes out for 1 in: an invalid byte becomes U+FFFD. */
	buf = malloc(3 * len + 1);
	if (!buf)
		return -ENOMEM;
	scan_literal(s, len, buf, outlen);
	buf[*outlen] = '\0';
	*out = buf;
	return 0;
}

/*
 * unicode.IsPrint without Go's tables: the runes that matter in practice
 * (controls, non-ASCII spaces, format characters, private use, noncharacters)
 * are not printable; other valid runes are.
 */
static bool rune_is_print(uint32_t r)
{
	if (r < 0x20 || (r >= 0x7f && r <= 0xa0) || r == 0xad)
		return false;
	if (r == 0x61c || r == 0x1680 || r == 0x180e || (r >= 0x2000 && r <= 0x200f) ||
		(r >= 0x2028 && r <= 0x202f) || (r >= 0x205f && r <= 0x206f) || r == 0x3000 ||
		r == 0xfeff || (r >= 0xfff9 && r <= 0xfffb) || (r & 0xfffe) == 0xfffe)
		return false;
	if ((r >= 0xe000 && r <= 0xf8ff) || r >= 0xf0000)
		return false;
	return true;
}

void go_quote(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	fputc('"', out);
	while (i < len) {
		uint32_t r;
		size_t n = utf8_decode(p + i, len - i, &r);

		if (n == 0) {
			fprintf(out, "\\x%02x", p[i]);
			i++;
			continue;
		}
		if (r == '"' || r == '\\') {
			fputc('\\', out);
			fputc((int)r, out);
		} else if (r >= 0x20 && r < 0x7f) {
			fputc((int)r, out);
		} else if (rune_is_print(r)) {
			fwrite(p + i, 1, n, out);
		} else {
			switch (r) {
			case '\a':
				fputs("\\a", out);
				break;
			case '\b':
				fputs("\\b", out);
				break;
			case '\f':
				fputs("\\f", out);
				break;
			case '\n':
				fputs("\\n", out);
				break;
			case '\r':
				fputs("\\r", out);
				break;
			case '\t':
				fputs("\\t", out);
				break;
			case '\v':
				fputs("\\v", out);
				break;
			default:
				if (r < 0x20 || r == 0x7f)
					fprintf(out, "\\x%02x", r);
				else if (r < 0x10000)
					fprintf(out, "\\u%04x", r);
				else
					fprintf(out, "\\U%08x", r);
			}
		}
		i += n;
	}
	fputc('"', out);
}

static bool contains_any(const char *s, size_t len, const char *set)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] && strchr(set, s[i]))
			return true;
	return false;
}

bool go_setting_key_needs_quote(const char *s, size_t len)
{
	return len == 0 || contains_any(s, len, "= \t\r\n\"`");
}

bool go_setting_value_needs_quote(const char *s, size_t len)
{
	return contains_any(s, len, " \t\r\n\"`");
}
