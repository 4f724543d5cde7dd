// SPDX-License-Identifier: MIT
/*
 * Build info from truncated files: cut in every part of the ELF and the build
 * info, each cut must fail as Go's debug/buildinfo does (or, past the build
 * info, succeed with exactly the right output), never over-read.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "buildinfo_helpers.h"
#include "golang/buildinfo.h"
#include "harness.h"

/* ---- truncated files ---- */

static const char *const truncation_subjects[] = {
	"sleeper",
	"sleeper-386",
	"sleeper-s390x",
	"sleeper-pie.nosections",
	"cgo",
};

TEST(test_buildinfo_truncated_inside_elf_header_is_not_elf)
{
	for (size_t i = 0; i < 5; i++) {
		struct buf b;
		uint64_t cuts[64];
		size_t n = 0;

		if (!load_fixture(truncation_subjects[i], &b))
			continue;
		for (uint64_t c = 0; c < (b.p[4] == 2 ? 64u : 52u); c++)
			cuts[n++] = c;
		check_truncations(truncation_subjects[i], &b, cuts, n, A_NOTELF);
		free(b.p);
	}
}

TEST(test_buildinfo_truncated_inside_program_headers_is_not_elf)
{
	for (size_t i = 0; i < 5; i++) {
		struct elfinfo e;
		struct buf b;
		uint64_t cuts[4], end;

		if (!load_fixture(truncation_subjects[i], &b))
			continue;
		elf_info(&b, &e);
		end = e.phoff + (uint64_t)e.phnum * e.phentsize;
		cuts[0] = e.phoff + 1;
		cuts[1] = e.phoff + e.phentsize;
		cuts[2] = e.phoff + e.phentsize + 7;
		cuts[3] = end - 1;
		check_truncations(truncation_subjects[i], &b, cuts, 4, A_NOTELF);
		free(b.p);
	}
}

TEST(test_buildinfo_truncated_inside_blob_header_is_an_error)
{
	for (size_t i = 0; i < 5; i++) {
		struct inline_layout l;
		struct buf b;
		uint64_t cuts[32];

		if (!load_fixture(truncation_subjects[i], &b))
			continue;
		CHECK(inline_layout(&b, &l));
		for (size_t k = 0; k < 32; k++)
			cuts[k] = l.blob + k;
		check_truncations(truncation_subjects[i], &b, cuts, 32, A_NOBLOB | A_MALFORMED);
		free(b.p);
	}
}

/* Go: a version that cannot be read means "not a Go executable" (errNotGoExe). */
TEST(test_buildinfo_truncated_inside_version_string_is_not_a_go_executable)
{
	for (size_t i = 0; i < 5; i++) {
		struct inline_layout l;
		struct buf b;
		uint64_t cuts[3];

		if (!load_fixture(truncation_subjects[i], &b))
			continue;
		CHECK(inline_layout(&b, &l));
		cuts[0] = l.blob + 32; /* before the length */
		cuts[1] = l.vers + 3;
		cuts[2] = l.vers_end - 1;
		check_truncations(truncation_subjects[i], &b, cuts, 3, A_NOTGO);
		free(b.p);
	}
}

TEST(test_buildinfo_truncated_inside_module_info_is_malformed)
{
	for (size_t i = 0; i < 5; i++) {
		struct inline_layout l;
		struct buf b;
		uint64_t cuts[5];

		if (!load_fixture(truncation_subjects[i], &b))
			continue;
		CHECK(inline_layout(&b, &l));
		cuts[0] = l.vers_end;     /* before the length */
		cuts[1] = l.vers_end + 1; /* inside a two-byte length */
		cuts[2] = l.mod + 1;
		cuts[3] = l.mod + (l.mod_end - l.mod) / 2;
		cuts[4] = l.mod_end - 1;
		check_truncations(truncation_subjects[i], &b, cuts, 5, A_MALFORMED);
		free(b.p);
	}
}

/* Is c within 64 bytes of [lo, hi)? */
static bool near(uint64_t c, uint64_t lo, uint64_t hi)
{
	return c + 64 >= lo && c < hi + 64;
}

/*
 * Cuts a file at many offsets: every byte of the headers and around the parts
 * of the build info, and points spread over the whole file. Before the end of
 * the build info data each cut must fail; after it, success is fine if the
 * output is right.
 */
static void sweep(const char *name, const char *govname)
{
	struct elfinfo e;
	struct seginfo s;
	struct buf b;
	char what[320], *want, *want_vers;
	long long blob;
	uint64_t data, data_end, hdr_end, phend, seg_end, c, stride, vers_end;
	bool pointer;

	if (!load_fixture(name, &b))
		return;
	want = gov_tail(govname);
	want_vers = gov_version_line(govname);
	elf_info(&b, &e);
	phend = e.phoff + (uint64_t)e.phnum * e.phentsize;
	blob = blob_offset(&b);
	if (blob < 0 || !seg_of(&b, (uint64_t)blob, &s)) {
		harness_fail(__FILE__, __LINE__, "%s: no blob", name);
		goto out;
	}
	seg_end = s.offset + s.filesz;
	pointer = !(b.p[blob + 15] & 2);
	if (!pointer) {
		struct inline_layout l;

		inline_layout(&b, &l);
		hdr_end = data = data_end = l.mod_end;
		vers_end = l.vers_end;
	} else {
		unsigned int p = b.p[blob + 14];
		bool be = b.p[blob + 15] & 1;
		uint64_t vlen = rd(b.p + blob + 32 + p, p, be);
		uint64_t mlen = rd(b.p + blob + 32 + 3 * p, p, be);

		/* elfmangle puts the string headers after the blob, the strings at the end. */
		hdr_end = (uint64_t)blob + 32 + 4 * p;
		data_end = seg_end;
		data = seg_end - vlen - mlen;
		vers_end = data + vlen;
	}

	stride = b.len / 211 + 1;
	for (c = 0; c < b.len; c++) {
		const uint64_t dense[4][2] = { { 0, phend }, { (uint64_t)blob, hdr_end },
			{ data, data_end }, { seg_end, seg_end } };
		bool pick = c % stride == 0;
		const char *w = want;
		int allowed;

		for (size_t k = 0; k < 4; k++)
			pick = pick || near(c, dense[k][0], dense[k][1]);
		if (!pick)
			continue;
		if (c < phend)
			allowed = A_NOTELF;
		else if (c < (uint64_t)blob + 32)
			allowed = A_NOBLOB | A_MALFORMED;
		else if (c < vers_end)
			allowed = A_NOTGO; /* the version cannot be read */
		else if (c < data_end && pointer)
			allowed = A_OK_IF_RIGHT, w = want_vers; /* module info reads as empty */
		else if (c < data_end)
			allowed = A_MALFORMED;
		else
			allowed = A_ANY_ERROR | A_OK_IF_RIGHT;
		snprintf(what, sizeof(what), "%s cut at %llu", name, (unsigned long long)c);
		CHECK_HOSTILE(what, b.p, (size_t)c, allowed, w);
	}
out:
	free(want);
	free(want_vers);
	free(b.p);
}

TEST(test_buildinfo_truncation_sweep_never_crashes_or_over_reads)
{
	sweep("sleeper", "sleeper");
	sweep("sleeper-386", "sleeper-386");
	sweep("sleeper-s390x.nosections", "sleeper-s390x");
	sweep("sleeper-pie.nosections", "sleeper-pie");
	sweep("cgo", "cgo");
}

TEST(test_buildinfo_truncation_sweep_of_pointer_format)
{
	sweep("sleeper.pointer", "sleeper");
	sweep("sleeper-386.pointer.nosections", "sleeper-386");
	sweep("sleeper-s390x.pointer", "sleeper-s390x");
}

/* Minimal files: every single cut. Before the last build info byte, each must fail. */
static void sweep_every_byte(const char *name, const char *govname)
{
	struct elfinfo e;
	struct buf b;
	char what[320], *want, *want_vers;
	uint64_t phend, data_end = 0;

	if (!load_fixture(name, &b))
		return;
	want = gov_tail(govname);
	want_vers = gov_version_line(govname);
	elf_info(&b, &e);
	phend = e.phoff + (uint64_t)e.phnum * e.phentsize;
	for (unsigned int i = 0; i < e.phnum; i++) {
		struct seginfo s;

		seg_info(&b, &e, i, &s);
		if (s.type == 1 && s.offset + s.filesz > data_end)
			data_end = s.offset + s.filesz;
	}
	if (blob_offset(&b) < 0) {
		harness_fail(__FILE__, __LINE__, "%s: no blob", name);
		goto out;
	}
	/* The inline minis keep up to 16 bytes of padding after the module info. */
	if (b.p[blob_offset(&b) + 15] & 2) {
		struct inline_layout l;

		if (inline_layout(&b, &l))
			data_end = l.mod_end;
	}
	/* Pointer minis end with the module info: cut, it reads as empty (version only). */
	for (uint64_t c = 0; c < b.len; c++) {
		bool pointer = !(b.p[blob_offset(&b) + 15] & 2);
		int allowed = c < phend      ? A_NOTELF
			      : c < data_end ? A_ANY_ERROR | (pointer ? A_OK_IF_RIGHT : 0)
					     : A_ANY_ERROR | A_OK_IF_RIGHT;

		snprintf(what, sizeof(what), "%s cut at %llu", name, (unsigned long long)c);
		CHECK_HOSTILE(what, b.p, (size_t)c, allowed, c < data_end ? want_vers : want);
	}
out:
	free(want);
	free(want_vers);
	free(b.p);
}

TEST(test_buildinfo_minimal_elf_cut_at_every_byte)
{
	for (size_t i = 0; i < NFIXTURES; i++) {
		char name[256];

		snprintf(name, sizeof(name), "%s.mini", fixtures[i]);
		sweep_every_byte(name, fixtures[i]);
		snprintf(name, sizeof(name), "%s.pointer.mini", fixtures[i]);
		sweep_every_byte(name, fixtures[i]);
	}
}

TEST(test_buildinfo_truncated_file_through_fd_is_an_error)
{
	struct inline_layout l;
	struct buf b;
	uint64_t cuts[] = { 0, 10, 63, 64, 200, 0, 0, 0 };

	if (!load_fixture("sleeper", &b))
		return;
	CHECK(inline_layout(&b, &l));
	cuts[5] = l.blob + 20;
	cuts[6] = l.vers + 2;
	cuts[7] = l.mod + 40;
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		int err = read_fd_of(b.p, (size_t)cuts[i]);

		CHECK(err < 0);
		if (err >= 0 || !allowed_bit(err))
			harness_fail(__FILE__, __LINE__, "cut at %llu through fd: %d",
				(unsigned long long)cuts[i], err);
	}
	free(b.p);
}
