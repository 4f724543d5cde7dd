// SPDX-License-Identifier: MIT
/*
 * Binaries without a build info blob (Go before 1.13, a Go 1.25 build shipped
 * without it, copies with the blob dropped by elfmangle): the function table's
 * magic names the range of Go releases, found by section or by scanning the
 * segments; damaged tables are errors, never over-reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildinfo_helpers.h"
#include "golang/buildinfo.h"
#include "harness.h"

/* Reads NAME through an fd and from memory; both must fail with err. */
static void check_error_both_ways(const char *file, int line, const char *name, int err)
{
	struct go_buildinfo bi;
	struct buf b;
	int fd, got;

	if (!load_fixture(name, &b))
		return;
	got = buildinfo_read_mem(b.p, b.len, &bi);
	free(b.p);
	if (got == 0)
		buildinfo_free(&bi);
	if (got != err)
		harness_fail(file, line, "%s from memory: %s (%d), expected %s", name,
			err_name(got), got, err_name(err));
	fd = open(fixture(name), O_RDONLY | O_CLOEXEC);
	got = fd < 0 ? -errno : buildinfo_read_fd(fd, &bi);
	if (fd >= 0)
		close(fd);
	if (got == 0)
		buildinfo_free(&bi);
	if (got != err)
		harness_fail(file, line, "%s through an fd: %s (%d), expected %s", name,
			err_name(got), got, err_name(err));
}

#define CHECK_ERROR(name, err) check_error_both_ways(__FILE__, __LINE__, name, err)

/*
 * buildifier 0.19.2 and 0.29.0 (go1.11.2 and go1.12.5, by their
 * runtime.buildVersion) predate build info. go version -m, Go 1.19's and
 * master's alike, finds no blob and says "not a Go executable" (errNotGoExe in
 * debug/buildinfo's readRawBuildInfo); we say what their pclntab magic says.
 */
TEST(test_buildinfo_go_1_11_and_1_12_binaries_say_go_1_2_to_1_15_without_build_info)
{
	static const char *const names[] = { "npm/buildifier-0.19.2", "npm/buildifier-0.29.0" };

	CHECK(strstr(buildinfo_strerror(-BI_ENOBLOB_GO12), "Go 1.2 to 1.15") != NULL);
	for (size_t i = 0; i < 2; i++)
		CHECK_ERROR(names[i], -BI_ENOBLOB_GO12);
}

/*
 * esbuild 0.27.0 (go1.25.4 by its runtime.buildVersion) ships without a build
 * info blob: go version -m says "not a Go executable"; its pclntab says 1.20+.
 * Without its section headers too, the table is found by scanning.
 */
TEST(test_buildinfo_go_1_25_binary_without_blob_says_go_1_20_or_later)
{
	struct go_buildinfo bi;
	struct elfinfo e;
	struct buf b;
	int err;

	CHECK_ERROR("npm/esbuild-0.27.0", -BI_ENOBLOB_GO120);
	if (!load_fixture("npm/esbuild-0.27.0", &b))
		return;
	elf_info(&b, &e);
	wr(b.p + e.o_shoff, e.wordsize, e.be, 0);
	wr(b.p + e.o_shnum, 2, e.be, 0);
	err = buildinfo_read_mem(b.p, b.len, &bi);
	CHECK_INT(err, -BI_ENOBLOB_GO120);
	if (!err)
		buildinfo_free(&bi);
	free(b.p);
}

struct noblob_case {
	const char *name;
	int err;
};

/* Copies with the blob's magic zeroed (elfmangle drop-buildinfo), with and without sections. */
static const struct noblob_case noblob_cases[] = {
	{ "sleeper.noblob", -BI_ENOBLOB_GO118 },
	{ "sleeper-pie.noblob", -BI_ENOBLOB_GO118 }, /* .data.rel.ro.gopclntab */
	{ "cgo.noblob", -BI_ENOBLOB_GO118 }, { "sleeper-386.noblob", -BI_ENOBLOB_GO118 },
	{ "sleeper-arm64.noblob", -BI_ENOBLOB_GO118 },
	{ "sleeper-s390x.noblob", -BI_ENOBLOB_GO118 },           /* magic in big-endian order */
	{ "npm/buildifier-2.2.1.noblob", -BI_ENOBLOB_GO12 },     /* go1.13.6 */
	{ "npm/bazelisk-1.7.5.noblob", -BI_ENOBLOB_GO12 },       /* go1.15.2 */
	{ "npm/bazelisk-1.7.5-arm64.noblob", -BI_ENOBLOB_GO12 }, /* go1.15.2 */
	{ "npm/bazelisk-1.12.1.noblob", -BI_ENOBLOB_GO116 },     /* go1.16.4 */
	{ "npm/buildifier-5.1.0.noblob", -BI_ENOBLOB_GO116 },    /* go1.17.2 */
	{ "npm/esbuild-0.13.15.noblob", -BI_ENOBLOB_GO116 },     /* go1.17.2 */
	{ "npm/esbuild-0.14.54.noblob", -BI_ENOBLOB_GO118 },     /* go1.19 */
	{ "npm/esbuild-0.17.19.noblob", -BI_ENOBLOB_GO120 },     /* go1.20.4 */
	{ "npm/buildifier-6.1.2.noblob", -BI_ENOBLOB_GO120 },    /* go1.20.3 */
	{ "npm/esbuild-0.25.0.noblob", -BI_ENOBLOB_GO120 },      /* go1.23.5 */
};

TEST(test_buildinfo_without_blob_the_function_table_names_the_go_range)
{
	for (size_t i = 0; i < sizeof(noblob_cases) / sizeof(noblob_cases[0]); i++)
		CHECK_ERROR(noblob_cases[i].name, noblob_cases[i].err);
}

/* No section headers: the Go build ID note says Go, a scan of the segments finds the table. */
TEST(test_buildinfo_without_blob_or_sections_the_function_table_is_found_by_scanning)
{
	for (size_t i = 0; i < sizeof(noblob_cases) / sizeof(noblob_cases[0]); i++) {
		char name[256];

		snprintf(name, sizeof(name), "%s.nosections", noblob_cases[i].name);
		CHECK_ERROR(name, noblob_cases[i].err);
	}
}

/* The file offset of the function table of a fixture with sections, or 0. */
static uint64_t pclntab_offset(const struct buf *b)
{
	struct elfinfo e;
	uint64_t h;

	elf_info(b, &e);
	h = section_header(b, &e, ".gopclntab");
	return h ? rd(b->p + h + (e.is64 ? 24 : 16), e.wordsize, e.be) : 0;
}

TEST(test_buildinfo_without_blob_an_unknown_pclntab_magic_cannot_tell_the_version)
{
	static const char *const names[] = { "sleeper.noblob", "sleeper-s390x.noblob" };

	for (size_t i = 0; i < 2; i++) {
		struct buf b;
		uint64_t off;

		if (!load_fixture(names[i], &b))
			continue;
		off = pclntab_offset(&b);
		CHECK(off != 0 && off + 8 <= b.len);
		if (off && off + 8 <= b.len) {
			unsigned char saved[4];

			memcpy(saved, b.p + off, 4);
			memcpy(b.p + off, "\x12\x34\x56\x78", 4);
			CHECK_HOSTILE("unknown magic", b.p, b.len, A_NOBLOB_GO, NULL);
			CHECK_INT(check_hostile(__FILE__, __LINE__, "unknown magic", b.p, b.len,
					  A_NOBLOB_GO, NULL),
				-BI_ENOBLOB_GO);
			/* The right magic in the other byte order is not it. */
			for (int k = 0; k < 4; k++)
				b.p[off + k] = saved[3 - k];
			CHECK_INT(check_hostile(__FILE__, __LINE__, "swapped magic", b.p, b.len,
					  A_NOBLOB_GO, NULL),
				-BI_ENOBLOB_GO);
			/* A bad pointer size or pad byte makes it no table header. */
			memcpy(b.p + off, saved, 4);
			b.p[off + 7] = 3;
			CHECK_INT(check_hostile(__FILE__, __LINE__, "pointer size 3", b.p, b.len,
					  A_NOBLOB_GO, NULL),
				-BI_ENOBLOB_GO);
		}
		free(b.p);
	}
}

/* Without sections or a Go note, nothing says Go: not a Go executable (no scan either). */
TEST(test_buildinfo_without_blob_sections_or_go_note_is_not_go)
{
	struct elfinfo e;
	struct buf b;
	bool had_note = false;

	if (!load_fixture("sleeper.noblob.nosections", &b))
		return;
	elf_info(&b, &e);
	for (unsigned int i = 0; i < e.phnum; i++) {
		struct seginfo s;

		seg_info(&b, &e, i, &s);
		if (s.type == 4) { /* PT_NOTE -> PT_NULL */
			wr(b.p + s.at, 4, e.be, 0);
			had_note = true;
		}
	}
	CHECK(had_note);
	CHECK_INT(check_hostile(__FILE__, __LINE__, "no note", b.p, b.len, A_NOTGO, NULL),
		-BI_ENOTGO);
	free(b.p);
}

/* Every cut of the table's header and the bytes around it: an error, never an over-read. */
TEST(test_buildinfo_without_blob_truncated_function_table_is_safe)
{
	static const char *const names[] = { "sleeper.noblob", "sleeper-386.noblob",
		"npm/bazelisk-1.12.1.noblob" };

	for (size_t i = 0; i < 3; i++) {
		char nosec[256];
		struct buf b, n;
		uint64_t off;

		if (!load_fixture(names[i], &b))
			continue;
		snprintf(nosec, sizeof(nosec), "%s.nosections", names[i]);
		if (!load_fixture(nosec, &n)) {
			free(b.p);
			continue;
		}
		off = pclntab_offset(&b);
		CHECK(off != 0);
		for (uint64_t c = off; off && c < off + 96 && c < b.len; c++) {
			char what[300];

			snprintf(what, sizeof(what), "%s cut at %llu", names[i],
				(unsigned long long)c);
			CHECK_HOSTILE(what, b.p, (size_t)c, A_NOBLOB, NULL);
			snprintf(
				what, sizeof(what), "%s cut at %llu", nosec, (unsigned long long)c);
			CHECK_HOSTILE(what, n.p, (size_t)c, A_NOBLOB, NULL);
		}
		free(n.p);
		free(b.p);
	}
}
