// SPDX-License-Identifier: MIT
/*
 * Text from other processes made safe for a terminal: what passes, what is
 * escaped and how, and that a short buffer never gets half an escape.
 */
#include <stdlib.h>
#include <string.h>

#include "base/escape.h"
#include "harness.h"

/* The escaped form of len bytes at s, through escape_text with ample room. */
static const char *esc_n(const char *s, size_t len)
{
	static char buf[1024];
	size_t n = escape_text(buf, sizeof(buf), s, len);

	if (n != strlen(buf))
		harness_fail(__FILE__, __LINE__, "escape_text returned %zu for \"%s\"", n, buf);
	if (n != escape_len(s, len))
		harness_fail(
			__FILE__, __LINE__, "escape_len differs from escape_text for \"%s\"", buf);
	return buf;
}

static const char *esc(const char *s)
{
	return esc_n(s, strlen(s));
}

/* The escaped form through escape_fputs, into a memory FILE; caller frees. */
static char *fputs_of(const char *s, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	escape_fputs(f, s, len);
	fclose(f);
	return buf;
}

TEST(test_escape_esc_becomes_hex)
{
	CHECK_STR(esc("\x1b[31mred"), "\\x1b[31mred");
	CHECK_STR(esc("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
	CHECK(escape_needed("\x1b", 1));
}

TEST(test_escape_newline_tab_cr_become_backslash_letters)
{
	CHECK_STR(esc("x\n1 1 forged"), "x\\n1 1 forged");
	CHECK_STR(esc("a\tb"), "a\\tb");
	CHECK_STR(esc("a\rb"), "a\\rb");
	CHECK(escape_needed("\n", 1));
	CHECK(escape_needed("\t", 1));
	CHECK(escape_needed("\r", 1));
}

TEST(test_escape_other_c0_controls_and_nul_become_hex)
{
	CHECK_STR(esc("\x01\x08\x0b\x0c\x1f"), "\\x01\\x08\\x0b\\x0c\\x1f");
	CHECK_STR(esc_n("a\0b", 3), "a\\x00b");
}

TEST(test_escape_del_becomes_hex)
{
	CHECK_STR(esc("a\x7f"
		      "b"),
		"a\\x7fb");
	CHECK(escape_needed("\x7f", 1));
}

TEST(test_escape_c1_controls_become_hex_bytes)
{
	/* U+0080, U+0085 (NEL), U+009B (CSI), U+009F: each byte of the sequence. */
	CHECK_STR(esc("\xc2\x80"), "\\xc2\\x80");
	CHECK_STR(esc("\xc2\x85"), "\\xc2\\x85");
	CHECK_STR(esc("\xc2\x9b"
		      "31m"),
		"\\xc2\\x9b31m");
	CHECK_STR(esc("\xc2\x9f"), "\\xc2\\x9f");
	/* U+00A0, the first rune past them, passes. */
	CHECK_STR(esc("\xc2\xa0"), "\xc2\xa0");
}

TEST(test_escape_invalid_utf8_lone_continuation_byte)
{
	CHECK_STR(esc("a\x80"
		      "b"),
		"a\\x80b");
	CHECK_STR(esc("\xbf"), "\\xbf");
	CHECK(escape_needed("\x80", 1));
}

TEST(test_escape_invalid_utf8_truncated_sequence)
{
	CHECK_STR(esc("\xe2\x82"), "\\xe2\\x82");
	/* Cut short by an ASCII byte, which then passes. */
	CHECK_STR(esc("\xe2\x82"
		      "a"),
		"\\xe2\\x82a");
	CHECK_STR(esc("\xf0\x9f\x98"), "\\xf0\\x9f\\x98");
	CHECK_STR(esc("\xc3"), "\\xc3");
}

TEST(test_escape_invalid_utf8_overlong_encoding)
{
	CHECK_STR(esc("\xc0\xaf"), "\\xc0\\xaf");          /* '/' in two bytes */
	CHECK_STR(esc("\xc1\xbf"), "\\xc1\\xbf");          /* U+007F in two bytes */
	CHECK_STR(esc("\xe0\x80\xaf"), "\\xe0\\x80\\xaf"); /* '/' in three */
	CHECK_STR(esc("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf");
	CHECK_STR(esc("\xc0\x8a"), "\\xc0\\x8a"); /* a newline in disguise */
}

TEST(test_escape_invalid_utf8_surrogate_and_past_max)
{
	CHECK_STR(esc("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	CHECK_STR(esc("\xed\xbf\xbf"), "\\xed\\xbf\\xbf");
	CHECK_STR(esc("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	CHECK_STR(esc("\xff\xfe"), "\\xff\\xfe");
}

TEST(test_escape_valid_utf8_and_printable_ascii_pass_unchanged)
{
	static const char *const plain[] = {
		"sleeper",
		"/usr/local/bin/my app",
		"back\\slash", /* left as the kernel writes it */
		"h\xc3\xa9llo",
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
		"\xf0\x9f\x98\x80",
		"\xed\x9f\xbf",     /* U+D7FF, just below the surrogates */
		"\xf4\x8f\xbf\xbf", /* U+10FFFF */
		" !~",
		"",
	};

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		char *f = fputs_of(plain[i], strlen(plain[i]));

		CHECK_STR(esc(plain[i]), plain[i]);
		CHECK_STR(f, plain[i]);
		CHECK(!escape_needed(plain[i], strlen(plain[i])));
		free(f);
	}
}

TEST(test_escape_fputs_writes_what_escape_text_returns)
{
	static const char s[] = "ok \x1b[2J\n\xff h\xc3\xa9 \xe2\x82 \x7f\tend";
	char *f = fputs_of(s, sizeof(s) - 1);

	CHECK_STR(f, esc_n(s, sizeof(s) - 1));
	CHECK_STR(f, "ok \\x1b[2J\\n\\xff h\xc3\xa9 \\xe2\\x82 \\x7f\\tend");
	free(f);
}

TEST(test_escape_stops_at_len_not_at_nul_or_beyond)
{
	CHECK_STR(esc_n("abc\x1b", 3), "abc");
	/* A rune cut by len is invalid there, even if the bytes after it would complete it. */
	CHECK_STR(esc_n("\xc3\xa9", 1), "\\xc3");
}

/*
 * "a\x1b日\n" escapes to the pieces "a", "\x1b", "日", "\n": a short buffer
 * holds whole pieces only, and always ends with a NUL.
 */
TEST(test_escape_text_truncates_at_whole_escapes_and_terminates)
{
	static const char s[] = "a\x1b\xe6\x97\xa5\n";
	const char *full = "a\\x1b\xe6\x97\xa5\\n";
	static const size_t bounds[] = { 0, 1, 5, 8, 10 }; /* prefix lengths that end a piece */
	char buf[32];

	for (size_t cap = 1; cap <= strlen(full) + 2; cap++) {
		size_t want = 0, n;

		for (size_t b = 0; b < sizeof(bounds) / sizeof(bounds[0]); b++)
			if (bounds[b] < cap)
				want = bounds[b];
		memset(buf, '#', sizeof(buf));
		n = escape_text(buf, cap, s, sizeof(s) - 1);
		CHECK_INT(n, strlen(full)); /* the full length, as snprintf returns it */
		CHECK_INT(strnlen(buf, cap), want);
		CHECK(strncmp(buf, full, want) == 0);
		CHECK_INT(buf[cap], '#'); /* nothing written past cap */
	}
}

TEST(test_escape_text_writes_nothing_more_after_a_piece_that_did_not_fit)
{
	char buf[4];

	/* "\x1b" does not fit in 3 bytes; the "ab" after it would, but must not follow. */
	CHECK_INT(escape_text(buf, sizeof(buf),
			  "\x1b"
			  "ab",
			  3),
		6);
	CHECK_STR(buf, "");
	CHECK_INT(escape_text(buf, sizeof(buf), "x\nyz", 4), 5);
	CHECK_STR(buf, "x\\n");
}

TEST(test_escape_text_with_zero_cap_touches_nothing)
{
	char buf[1] = { '#' };

	CHECK_INT(escape_text(buf, 0, "\x1b", 1), 4);
	CHECK_INT(buf[0], '#');
	CHECK_INT(escape_text(NULL, 0, "abc", 3), 3);
	CHECK_INT(escape_len("\n\xff", 2), 6);
}

TEST(test_escape_fputs_padded_pads_to_escaped_width)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	escape_fputs_padded(f, "ab", 2, 5);
	fputc('|', f);
	escape_fputs_padded(f, "\x1b", 1, 6); /* four bytes wide */
	fputc('|', f);
	escape_fputs_padded(f, "\x1b[2J", 4, 3); /* wider than asked: no padding */
	fputc('|', f);
	escape_fputs_padded(f, "", 0, 0);
	fputc('|', f);
	fclose(f);
	CHECK_STR(buf, "ab   |\\x1b  |\\x1b[2J||");
	free(buf);
}

/* A name through escape_name_fputs_padded, into a memory FILE; caller frees. */
static char *name_of(const char *s, size_t width)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	escape_name_fputs_padded(f, s, strlen(s), width);
	fclose(f);
	return buf;
}

/* Names show a backslash as \\ (the kernel's way with a comm); text leaves it. */
TEST(test_escape_names_double_their_backslashes_and_text_does_not)
{
	char *n = name_of("back\\slash\n", 0), *p = name_of("ok", 5), *t = fputs_of("a\\b", 3);

	CHECK_STR(n, "back\\\\slash\\n");
	CHECK_INT(escape_name_len("back\\slash\n", 11), 13);
	CHECK_STR(p, "ok   ");
	CHECK_STR(t, "a\\b");
	CHECK_INT(escape_len("a\\b", 3), 3);
	CHECK(!escape_needed("a\\b", 3));
	free(n);
	free(p);
	free(t);
}
