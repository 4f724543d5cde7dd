// SPDX-License-Identifier: MIT
/*
 * Module info tests: the text inside the build info, parsed as Go's
 * runtime/debug.ParseBuildInfo does and printed as BuildInfo.String() does
 * (the expected texts come from Go 1.19), and its JSON members.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golang/modinfo.h"
#include "harness.h"

/* A copy of the first n bytes in an allocation of exactly n bytes. */
static char *exact_copy(const char *p, size_t n)
{
	char *c = malloc(n ? n : 1);

	if (c && n)
		memcpy(c, p, n);
	return c;
}

static char *render_modinfo(const struct go_modinfo *m)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	if (!f)
		return NULL;
	modinfo_print(m, f);
	fclose(f);
	return s;
}

static char *render_json(const struct go_modinfo *m)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	if (!f)
		return NULL;
	modinfo_print_json(m, f);
	fclose(f);
	return s;
}

static void check_same_text(
	const char *file, int line, const char *what, const char *got, const char *want)
{
	size_t i = 0;

	if (got && want && strcmp(got, want) == 0)
		return;
	if (got && want)
		while (got[i] && got[i] == want[i])
			i++;
	harness_fail(file, line, "%s: output differs at byte %zu\n--- got\n%s--- want\n%s", what, i,
		got ? got : "(null)\n", want ? want : "(null)\n");
}

/* ---- the module info parser, against runtime/debug.ParseBuildInfo ---- */

static int parse(const char *text, struct go_modinfo *bi)
{
	memset(bi, 0, sizeof(*bi));
	return modinfo_parse(text, strlen(text), bi);
}

/* Parses text and checks that printing gives want (taken from Go 1.19). */
static void check_modinfo_prints(const char *file, int line, const char *text, const char *want)
{
	struct go_modinfo bi;
	int err = parse(text, &bi);
	char *got;

	if (err) {
		harness_fail(file, line, "parse failed: %d (%s)", err, strerror(-err));
		return;
	}
	got = render_modinfo(&bi);
	check_same_text(file, line, "modinfo_print", got, want);
	free(got);
	modinfo_free(&bi);
}

#define CHECK_MODINFO_PRINTS(text, want) check_modinfo_prints(__FILE__, __LINE__, text, want)

static void check_modinfo_rejects(const char *file, int line, const char *text)
{
	struct go_modinfo bi;
	char *c = exact_copy(text, strlen(text));
	int err;

	memset(&bi, 0, sizeof(bi));
	err = modinfo_parse(c, strlen(text), &bi);
	free(c);
	if (err >= 0) {
		harness_fail(file, line, "accepted bad module info: \"%s\"", text);
		if (err == 0)
			modinfo_free(&bi);
	} else if (err != -EINVAL) {
		harness_fail(file, line, "rejected with %d, expected -EINVAL: \"%s\"", err, text);
	}
}

#define CHECK_MODINFO_REJECTS(text) check_modinfo_rejects(__FILE__, __LINE__, text)

TEST(test_modinfo_parses_path_mod_dep_and_build_lines)
{
	struct go_modinfo bi;
	const char *text = "path\tex.com/cmd\n"
			   "mod\tex.com\tv1.0.0\th1:abc=\n"
			   "dep\tgolang.org/x/sys\tv0.1.0\th1:def=\n"
			   "dep\tex.com/nosum\tv0.2.0\n"
			   "build\t-compiler=gc\n"
			   "build\tCGO_ENABLED=1\n";

	CHECK_INT(parse(text, &bi), 0);
	CHECK_STR(bi.path, "ex.com/cmd");
	CHECK(bi.has_main);
	CHECK_STR(bi.main.path, "ex.com");
	CHECK_STR(bi.main.version, "v1.0.0");
	CHECK_STR(bi.main.sum, "h1:abc=");
	CHECK(bi.main.replace == NULL);
	CHECK_INT(bi.ndeps, 2);
	if (bi.ndeps == 2) {
		CHECK_STR(bi.deps[0].path, "golang.org/x/sys");
		CHECK_STR(bi.deps[0].version, "v0.1.0");
		CHECK_STR(bi.deps[0].sum, "h1:def=");
		CHECK_STR(bi.deps[1].path, "ex.com/nosum");
		CHECK_STR(bi.deps[1].sum, "");
	}
	CHECK_INT(bi.nsettings, 2);
	if (bi.nsettings == 2) {
		CHECK_STR(bi.settings[0].key, "-compiler");
		CHECK_STR(bi.settings[0].value, "gc");
		CHECK_STR(bi.settings[1].key, "CGO_ENABLED");
		CHECK_STR(bi.settings[1].value, "1");
	}
	modinfo_free(&bi);
}

TEST(test_modinfo_replacement_applies_to_the_module_line_before_it)
{
	struct go_modinfo bi;
	const char *text = "mod\tex.com\t(devel)\t\n"
			   "=>\t../ex\t(devel)\t\n"
			   "dep\ta.com\tv1.0.0\th1:a=\n"
			   "dep\tb.com\tv1.1.0\th1:b=\n"
			   "=>\tc.com\tv2.0.0\th1:c=\n";

	CHECK_INT(parse(text, &bi), 0);
	CHECK(bi.main.replace != NULL);
	if (bi.main.replace) {
		CHECK_STR(bi.main.replace->path, "../ex");
		CHECK_STR(bi.main.replace->version, "(devel)");
		CHECK_STR(bi.main.replace->sum, "");
	}
	CHECK_INT(bi.ndeps, 2);
	if (bi.ndeps == 2) {
		CHECK(bi.deps[0].replace == NULL);
		CHECK(bi.deps[1].replace != NULL);
		if (bi.deps[1].replace) {
			CHECK_STR(bi.deps[1].replace->path, "c.com");
			CHECK_STR(bi.deps[1].replace->version, "v2.0.0");
			CHECK_STR(bi.deps[1].replace->sum, "h1:c=");
		}
	}
	modinfo_free(&bi);
}

TEST(test_modinfo_replacement_may_follow_other_lines_after_its_module)
{
	struct go_modinfo bi;

	/* Go only forgets the module after a replacement, not after path or build lines. */
	CHECK_INT(parse("mod\ta\tb\nbuild\tk=v\npath\tp\n=>\tc\td\te\n", &bi), 0);
	CHECK(bi.main.replace != NULL);
	modinfo_free(&bi);
}

TEST(test_modinfo_replacement_without_previous_module_is_an_error)
{
	CHECK_MODINFO_REJECTS("=>\ta\tb\tc\n");
	CHECK_MODINFO_REJECTS("path\tp\n=>\tc\td\te\n");
	CHECK_MODINFO_REJECTS("build\tk=v\n=>\tc\td\te\n");
	/* A second replacement: the first one used the module up. */
	CHECK_MODINFO_REJECTS("mod\ta\tb\n=>\tc\td\te\n=>\tf\tg\th\n");
	CHECK_MODINFO_REJECTS("dep\ta\tb\th\n=>\tc\td\te\n=>\tf\tg\th\n");
}

TEST(test_modinfo_replacement_needs_three_columns)
{
	CHECK_MODINFO_REJECTS("dep\ta\tb\n=>\tc\td\n");
	CHECK_MODINFO_REJECTS("dep\ta\tb\n=>\tc\n");
	CHECK_MODINFO_REJECTS("dep\ta\tb\n=>\tc\td\te\tf\n");
}

TEST(test_modinfo_module_line_needs_two_or_three_columns)
{
	CHECK_MODINFO_REJECTS("mod\ta\n");
	CHECK_MODINFO_REJECTS("mod\ta\tb\tc\td\n");
	CHECK_MODINFO_REJECTS("dep\ta\n");
	CHECK_MODINFO_REJECTS("dep\ta\tb\tc\td\te\tf\tg\n");
	CHECK_MODINFO_REJECTS("mod\t\n");
}

TEST(test_modinfo_quoted_keys_and_values_are_unquoted)
{
	struct go_modinfo bi;
	const char *text = "build\t\"a b\"=\"x\\ty\"\n"
			   "build\tk=\"v\"\n"
			   "build\t`q`=`a\"b`\n"
			   "build\t\"\"=v\n"
			   "build\tu=\"\\x41\\u00e9\\101\\n\"\n"
			   "build\tz=\n"
			   "build\t-ldflags=\"-X \\\"main.v=a b\\\"\"\n"
			   "build\tk=`a\\x`\n";

	CHECK_INT(parse(text, &bi), 0);
	CHECK_INT(bi.nsettings, 8);
	if (bi.nsettings == 8) {
		CHECK_STR(bi.settings[0].key, "a b");
		CHECK_STR(bi.settings[0].value, "x\ty");
		CHECK_STR(bi.settings[1].value, "v");
		CHECK_STR(bi.settings[2].key, "q");
		CHECK_STR(bi.settings[2].value, "a\"b");
		CHECK_STR(bi.settings[3].key, "");
		CHECK_STR(bi.settings[4].value, "A\xc3\xa9"
						"A\n");
		CHECK_STR(bi.settings[5].key, "z");
		CHECK_STR(bi.settings[5].value, "");
		CHECK_STR(bi.settings[6].key, "-ldflags");
		CHECK_STR(bi.settings[6].value, "-X \"main.v=a b\"");
		CHECK_STR(bi.settings[7].value, "a\\x");
	}
	modinfo_free(&bi);
}

TEST(test_modinfo_bad_build_lines_are_errors)
{
	CHECK_MODINFO_REJECTS("build\t=x\n");
	CHECK_MODINFO_REJECTS("build\t\n");
	CHECK_MODINFO_REJECTS("build\tkey\n");
	CHECK_MODINFO_REJECTS("build\ta b=c\n");
	CHECK_MODINFO_REJECTS("build\tk=a b\n");
	CHECK_MODINFO_REJECTS("build\tk=v\r\n");
	CHECK_MODINFO_REJECTS("build\t\"k\"x\n");
	CHECK_MODINFO_REJECTS("build\t\"k\"\n");
	CHECK_MODINFO_REJECTS("build\tk=\"abc\n");
	CHECK_MODINFO_REJECTS("build\t\"k=v\n");
	CHECK_MODINFO_REJECTS("build\tk=\"a\\x\"\n");
	CHECK_MODINFO_REJECTS("build\tk=\"a\" \n");
	CHECK_MODINFO_REJECTS("build\tk=`a\n");
	CHECK_MODINFO_REJECTS("build\tk=\"\\q\"\n");
	CHECK_MODINFO_REJECTS("build\tk=\"\\u12\"\n");
	CHECK_MODINFO_REJECTS("build\tk=\"\\400\"\n");
}

TEST(test_modinfo_blank_and_unknown_lines_are_skipped)
{
	struct go_modinfo bi;

	CHECK_INT(parse("\n\npath\tx\n\nfoo\tbar\n\t\nmodule\tm\tv\n", &bi), 0);
	CHECK_STR(bi.path, "x");
	CHECK(!bi.has_main);
	CHECK_INT(bi.ndeps, 0);
	modinfo_free(&bi);
}

TEST(test_modinfo_last_line_without_newline_is_ignored)
{
	struct go_modinfo bi;

	CHECK_INT(parse("path\tx\nmod\ta\tb", &bi), 0);
	CHECK_STR(bi.path, "x");
	CHECK(!bi.has_main);
	modinfo_free(&bi);
	/* Even a broken one. */
	CHECK_INT(parse("path\tx\nbuild\t=", &bi), 0);
	CHECK_INT(bi.nsettings, 0);
	modinfo_free(&bi);
}

TEST(test_modinfo_nul_bytes_do_not_end_the_text)
{
	static const char text[] = "mod\ta\tb\n\0\0\nbuild\tk=v\n";
	struct go_modinfo bi;

	memset(&bi, 0, sizeof(bi));
	CHECK_INT(modinfo_parse(text, sizeof(text) - 1, &bi), 0);
	CHECK_INT(bi.nsettings, 1);
	modinfo_free(&bi);
}

TEST(test_modinfo_empty_text_gives_empty_info)
{
	struct go_modinfo bi;
	char *got;

	CHECK_INT(parse("", &bi), 0);
	CHECK(bi.path == NULL || !*bi.path);
	CHECK(!bi.has_main);
	CHECK_INT(bi.ndeps, 0);
	CHECK_INT(bi.nsettings, 0);
	got = render_modinfo(&bi);
	CHECK_STR(got, "");
	free(got);
	modinfo_free(&bi);
}

/* Expected texts come from Go 1.19's ParseBuildInfo + String(), tab-indented as go version -m does.
 */
TEST(test_modinfo_prints_like_go_version_m)
{
	CHECK_MODINFO_PRINTS("path\tp\nmod\tm\tv1\th1\n=>\t../m\t(devel)\t\ndep\td\tv2\th2\n"
			     "dep\te\tv3\n=>\tf\tv4\th4\nbuild\tk=v\n",
		"\tpath\tp\n\tmod\tm\tv1\n\t=>\t../m\t(devel)\t\n\t\n\tdep\td\tv2\th2\n"
		"\tdep\te\tv3\n\t=>\tf\tv4\th4\n\t\n\tbuild\tk=v\n");
	CHECK_MODINFO_PRINTS("build\t\"a b\"=\"x\\ty\"\nbuild\tk=\"v\"\nbuild\t`q`=`a\"b`\n"
			     "build\t\"\"=v\nbuild\tu=\"\\x41\\u00e9\\101\\n\"\nbuild\tz=\n",
		"\tbuild\t\"a b\"=\"x\\ty\"\n\tbuild\tk=v\n\tbuild\tq=\"a\\\"b\"\n"
		"\tbuild\t\"\"=v\n\tbuild\tu=\"A\xc3\xa9"
		"A\\n\"\n\tbuild\tz=\n");
	/* Build lines come last, whatever the input order; path before mod. */
	CHECK_MODINFO_PRINTS("mod\ta\tb\nbuild\tk=v\npath\tp\n=>\tc\td\te\n",
		"\tpath\tp\n\tmod\ta\tb\n\t=>\tc\td\te\n\t\n\tbuild\tk=v\n");
	/* A replaced module's sum is not printed. */
	CHECK_MODINFO_PRINTS("dep\ta\tb\tc\n=>\td\te\t\n", "\tdep\ta\tb\n\t=>\td\te\t\n\t\n");
	CHECK_MODINFO_PRINTS("mod\tm\tv\th\n", "\tmod\tm\tv\th\n");
	CHECK_MODINFO_PRINTS("path\tp\npath\tq\n", "\tpath\tq\n");
	CHECK_MODINFO_PRINTS("dep\t\t\n", "\tdep\t\t\t\n");
	/* Values that need quoting are quoted as strconv.Quote does. */
	CHECK_MODINFO_PRINTS("build\tk=\"a \\x01\\xff\\u00e9\\x7f\\u00a0\\\\\"\n",
		"\tbuild\tk=\"a \\x01\\xff\xc3\xa9\\x7f\\u00a0\\\\\"\n");
	/*
	 * And only those: these need none. Go then prints the bytes raw; we
	 * escape them, as every text from the executable, for the terminal.
	 */
	CHECK_MODINFO_PRINTS("build\tk=\"\\xff\\x01\"\n", "\tbuild\tk=\\xff\\x01\n");
	/* Module lines too: a hostile binary's path cannot reach the terminal raw. */
	CHECK_MODINFO_PRINTS(
		"path\t\x1b[31mx\nmod\tm\x1b\tv\n", "\tpath\t\\x1b[31mx\n\tmod\tm\\x1b\tv\t\n");
	CHECK_MODINFO_PRINTS("build\tk=`a\\tb`\n", "\tbuild\tk=a\\tb\n");
}

/*
 * strconv.Unquote turns a raw byte that is not UTF-8 inside a "..." literal
 * into U+FFFD; inside a `...` literal it keeps the byte, but drops '\r'.
 */
TEST(test_modinfo_unquote_replaces_invalid_utf8_like_go)
{
	struct go_modinfo bi;

	CHECK_INT(parse("build\tk=\"a \x88\"\nbuild\tr=`a\rb`\nbuild\tq=`a \x88`\n", &bi), 0);
	CHECK_INT(bi.nsettings, 3);
	if (bi.nsettings == 3) {
		CHECK_STR(bi.settings[0].value, "a \xef\xbf\xbd");
		CHECK_STR(bi.settings[1].value, "ab");
		CHECK_STR(bi.settings[2].value, "a \x88");
	}
	modinfo_free(&bi);
	CHECK_MODINFO_PRINTS("build\tk=\"a \x88\"\n", "\tbuild\tk=\"a \xef\xbf\xbd\"\n");
	CHECK_MODINFO_PRINTS("build\t\"k \x88\"=v\n", "\tbuild\t\"k \xef\xbf\xbd\"=v\n");
	CHECK_MODINFO_PRINTS("build\tk=\"\\x41 \x88\"\n", "\tbuild\tk=\"A \xef\xbf\xbd\"\n");
	CHECK_MODINFO_PRINTS(
		"build\tk=\"\xe9t\xc3\xa9 x\"\n", "\tbuild\tk=\"\xef\xbf\xbdt\xc3\xa9 x\"\n");
	CHECK_MODINFO_PRINTS("build\tk=`a \x88`\n", "\tbuild\tk=\"a \\x88\"\n");
	CHECK_MODINFO_PRINTS("build\tk=`a\rb`\n", "\tbuild\tk=ab\n");
}

TEST(test_modinfo_zero_main_module_is_not_printed)
{
	CHECK_MODINFO_PRINTS("mod\t\t\n", "");
	CHECK_MODINFO_PRINTS("mod\t\t\nbuild\tk=v\n", "\tbuild\tk=v\n");
}

TEST(test_modinfo_json_leaves_out_empty_members)
{
	struct go_modinfo m;
	char *got;

	CHECK_INT(parse("", &m), 0);
	got = render_json(&m);
	CHECK_STR(got, "");
	free(got);
	modinfo_free(&m);
}

TEST(test_modinfo_json_has_go_field_names_and_omits_empty_module_fields)
{
	struct go_modinfo m;
	char *got;

	CHECK_INT(parse("path\tp\nmod\tm\t(devel)\t\ndep\td\tv1\th1\n=>\t./d\t(devel)\t\n"
			"build\tk=v\nbuild\te=\n",
			  &m),
		0);
	got = render_json(&m);
	CHECK_STR(got,
		",\"Path\":\"p\",\"Main\":{\"Path\":\"m\",\"Version\":\"(devel)\"},"
		"\"Deps\":[{\"Path\":\"d\",\"Version\":\"v1\",\"Sum\":\"h1\","
		"\"Replace\":{\"Path\":\"./d\",\"Version\":\"(devel)\"}}],"
		"\"Settings\":[{\"Key\":\"k\",\"Value\":\"v\"},{\"Key\":\"e\",\"Value\":\"\"}]");
	free(got);
	modinfo_free(&m);
}
