// SPDX-License-Identifier: MIT
#include <string.h>

#include "base/json.h"
#include "base/utf8.h"

void json_string_n(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t r;

	fputc('"', out);
	while (i < len) {
		unsigned char c = p[i];

		switch (c) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
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
		default:
			if (c < 0x20) {
				fprintf(out, "\\u%04x", c);
				break;
			}
			n = utf8_decode(p + i, len - i, &r);
			if (n == 0) {
				fputs("\\ufffd", out);
				break;
			}
			fwrite(p + i, 1, n, out);
			i += n;
			continue;
		}
		i++;
	}
	fputc('"', out);
}

void json_string(FILE *out, const char *s)
{
	if (!s) {
		fputs("null", out);
		return;
	}
	json_string_n(out, s, strlen(s));
}

void json_key(FILE *out, const char *key)
{
	json_string(out, key);
	fputc(':', out);
}
