// SPDX-License-Identifier: MIT
/*
 * Build info tests. The reference is `go version -m`: for every Go fixture, and
 * for copies rewritten by tests/tools/elfmangle (section headers removed, blob
 * turned into the pre-1.18 pointer format, the ELF shrunk to the blob; made by
 * tests/buildinfo-copies.sh), "<version>\n" + buildinfo_print() must equal what
 * follows "NAME: " in the fixture's NAME.gov. Hostile inputs are in
 * test_buildinfo_hostile.c, test_buildinfo_truncated.c and
 * test_buildinfo_pointer.c; real binaries of other Go releases in
 * test_buildinfo_npm.c; binaries without build info in test_buildinfo_noblob.c.
 * What they share is in buildinfo_helpers.c. A fixture or copy that is missing
 * makes its test a skip, with the reason, not a failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildinfo_helpers.h"
#include "golang/buildinfo.h"
#include "harness.h"

/* ---- every fixture, as go version -m reads it ---- */

TEST(test_buildinfo_sleeper_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper", "sleeper");
}

TEST(test_buildinfo_stripped_sleeper_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper-stripped", "sleeper-stripped");
}

TEST(test_buildinfo_pie_blob_in_second_writable_segment_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper-pie", "sleeper-pie");
}

TEST(test_buildinfo_cgo_external_linker_matches_go_version_m)
{
	CHECK_MATCHES_GOV("cgo", "cgo");
}

TEST(test_buildinfo_386_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper-386", "sleeper-386");
}

TEST(test_buildinfo_arm64_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper-arm64", "sleeper-arm64");
}

TEST(test_buildinfo_s390x_big_endian_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper-s390x", "sleeper-s390x");
}

TEST(test_buildinfo_replacements_and_quoted_settings_match_go_version_m)
{
	CHECK_MATCHES_GOV("withdeps", "withdeps");
}

TEST(test_buildinfo_pie_without_section_headers)
{
	/* Go 1.19 itself fails here: it only looks at the first writable segment. */
	CHECK_MATCHES_GOV("sleeper-pie.nosections", "sleeper-pie");
}

TEST(test_buildinfo_every_fixture_without_section_headers_matches_go_version_m)
{
	char name[256];

	for (size_t i = 0; i < NFIXTURES; i++) {
		snprintf(name, sizeof(name), "%s.nosections", fixtures[i]);
		CHECK_MATCHES_GOV(name, fixtures[i]);
	}
}

TEST(test_buildinfo_pointer_format_amd64_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper.pointer", "sleeper");
}

TEST(test_buildinfo_pointer_format_386_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper-386.pointer", "sleeper-386");
}

TEST(test_buildinfo_pointer_format_s390x_big_endian_matches_go_version_m)
{
	CHECK_MATCHES_GOV("sleeper-s390x.pointer", "sleeper-s390x");
}

TEST(test_buildinfo_pointer_format_every_fixture_matches_go_version_m)
{
	char name[256];

	for (size_t i = 0; i < NFIXTURES; i++) {
		snprintf(name, sizeof(name), "%s.pointer", fixtures[i]);
		CHECK_MATCHES_GOV(name, fixtures[i]);
	}
}

TEST(test_buildinfo_pointer_format_without_section_headers_matches_go_version_m)
{
	char name[256];

	for (size_t i = 0; i < NFIXTURES; i++) {
		snprintf(name, sizeof(name), "%s.pointer.nosections", fixtures[i]);
		CHECK_MATCHES_GOV(name, fixtures[i]);
	}
}

/* elfmangle shrink: the ELF header, the build info in one or two PT_LOADs, three sections. */
TEST(test_buildinfo_minimal_elf_holding_only_the_blob_matches_go_version_m)
{
	static const char *const suffixes[] = { ".mini", ".pointer.mini" };

	for (size_t i = 0; i < NFIXTURES; i++) {
		for (size_t j = 0; j < 2; j++) {
			char name[256], *want;
			struct elfinfo e;
			struct buf b;

			snprintf(name, sizeof(name), "%s%s", fixtures[i], suffixes[j]);
			CHECK_MATCHES_GOV(name, fixtures[i]);
			if (!load_fixture(name, &b))
				continue;
			/* Without its section table, found by scanning the segments. */
			want = gov_tail(fixtures[i]);
			elf_info(&b, &e);
			wr(b.p + e.o_shoff, e.wordsize, e.be, 0);
			wr(b.p + e.o_shnum, 2, e.be, 0);
			wr(b.p + e.o_shstrndx, 2, e.be, 0);
			CHECK_HOSTILE(name, b.p, b.len, A_OK_IF_RIGHT, want);
			free(want);
			free(b.p);
		}
	}
}

TEST(test_buildinfo_read_mem_agrees_with_read_fd)
{
	static const char *const suffixes[] = { "", ".nosections", ".pointer" };

	for (size_t i = 0; i < NFIXTURES; i++) {
		for (size_t j = 0; j < 3; j++) {
			char name[256];
			struct buf b;
			char *want;

			snprintf(name, sizeof(name), "%s%s", fixtures[i], suffixes[j]);
			if (!load_fixture(name, &b))
				continue;
			want = gov_tail(fixtures[i]);
			CHECK_HOSTILE(name, b.p, b.len, A_OK_IF_RIGHT, want);
			CHECK(want != NULL);
			free(want);
			free(b.p);
		}
	}
}

TEST(test_buildinfo_read_raw_strips_module_framing)
{
	struct buf b;
	struct elf_source src;
	char *vers = NULL, *mod = NULL, *want;
	size_t mod_len = 0;
	int err;

	if (!load_fixture("sleeper", &b))
		return;
	want = gov_tail("sleeper");
	src = (struct elf_source){ .fd = -1, .mem = b.p, .size = b.len };
	err = buildinfo_read_raw(&src, &vers, &mod, &mod_len);
	CHECK_INT(err, 0);
	if (!err && want) {
		CHECK(strncmp(want, vers, strlen(vers)) == 0 && want[strlen(vers)] == '\n');
		CHECK(mod_len > 0 && strncmp(mod, "path\t", 5) == 0);
		CHECK(mod[mod_len - 1] == '\n');
		CHECK(mod[mod_len] == '\0');
		CHECK(memchr(mod, '\0', mod_len) == NULL);
	}
	free(vers);
	free(mod);
	free(want);
	free(b.p);
}

TEST(test_buildinfo_read_version_fd_fills_and_bounds_the_buffer)
{
	char *want = gov_tail("sleeper-s390x");
	char *small = malloc(5), big[64];
	int fd = open_fixture("sleeper-s390x");

	if (fd >= 0 && want && small) {
		*strchr(want, '\n') = '\0';
		CHECK_INT(buildinfo_read_version_fd(fd, big, sizeof(big)), 0);
		CHECK_STR(big, want);
		/* At most len-1 bytes: ASan watches the 5-byte heap buffer. */
		CHECK_INT(buildinfo_read_version_fd(fd, small, 5), 0);
		CHECK(strlen(small) <= 4 && strncmp(small, want, strlen(small)) == 0);
	}
	if (fd >= 0)
		close(fd);
	free(small);
	free(want);
}

TEST(test_buildinfo_json_is_one_object_with_the_version)
{
	struct go_buildinfo bi;
	char *s = NULL, *want = gov_tail("withdeps");
	size_t n = 0;
	int fd = open_fixture("withdeps");
	FILE *f;

	if (fd < 0 || !want) {
		if (fd >= 0)
			close(fd);
		free(want);
		return;
	}
	CHECK_INT(buildinfo_read_fd(fd, &bi), 0);
	close(fd);
	*strchr(want, '\n') = '\0';
	f = open_memstream(&s, &n);
	buildinfo_print_json(&bi, "withdeps", f);
	fclose(f);
	CHECK(n >= 2 && s[0] == '{' && s[n - 1] == '}');
	CHECK(strstr(s, want) != NULL);
	free(s);
	free(want);
	buildinfo_free(&bi);
}

/* The pointer copies keep their strings at the very end of the segment's file bytes. */
TEST(test_buildinfo_pointer_strings_ending_exactly_at_eof_are_read)
{
	static const char *const names[] = { "sleeper", "sleeper-386", "sleeper-s390x" };

	for (size_t i = 0; i < 3; i++) {
		char name[256], *want = gov_tail(names[i]);
		struct seginfo s;
		struct buf b;
		long long blob;

		snprintf(name, sizeof(name), "%s.pointer.nosections", names[i]);
		if (!want || !load_fixture(name, &b)) {
			free(want);
			continue;
		}
		blob = blob_offset(&b);
		CHECK(blob >= 0 && seg_of(&b, (uint64_t)blob, &s));
		if (blob >= 0 && seg_of(&b, (uint64_t)blob, &s))
			CHECK_HOSTILE(name, b.p, s.offset + s.filesz, A_OK_IF_RIGHT, want);
		free(b.p);
		free(want);
	}
}
