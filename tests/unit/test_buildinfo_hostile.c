// SPDX-License-Identifier: MIT
/*
 * Build info from hostile input: files that are not ELF or not Go, bad
 * lengths and varints, garbage in the ELF headers. Each must give a clear
 * negative error, never a crash or an over-read: every mutated input is handed
 * over in a buffer of its exact size (check_hostile, buildinfo_helpers.c).
 */
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

/* ---- not ELF, not Go ---- */

TEST(test_buildinfo_empty_file_is_not_elf)
{
	CHECK_HOSTILE("empty", (const unsigned char *)"", 0, A_NOTELF, NULL);
	CHECK_INT(read_fd_of("", 0), -BI_ENOTELF);
}

TEST(test_buildinfo_text_file_is_not_elf)
{
	static const char text[] = "#!/bin/sh\necho not a Go program\n";

	CHECK_HOSTILE("text", (const unsigned char *)text, sizeof(text) - 1, A_NOTELF, NULL);
	CHECK_INT(read_fd_of(text, sizeof(text) - 1), -BI_ENOTELF);
}

TEST(test_buildinfo_bare_elf_magic_is_not_elf)
{
	CHECK_HOSTILE("7f ELF", (const unsigned char *)"\177ELF", 4, A_NOTELF, NULL);
}

TEST(test_buildinfo_bad_elf_class_or_byte_order_is_not_elf)
{
	struct buf b;
	unsigned char *c;

	if (!load_fixture("sleeper", &b))
		return;
	c = exact_copy(b.p, b.len);
	c[4] = 0;
	CHECK_HOSTILE("class 0", c, b.len, A_NOTELF, NULL);
	c[4] = 3;
	CHECK_HOSTILE("class 3", c, b.len, A_NOTELF, NULL);
	c[4] = b.p[4];
	c[5] = 0;
	CHECK_HOSTILE("data 0", c, b.len, A_NOTELF, NULL);
	c[5] = 3;
	CHECK_HOSTILE("data 3", c, b.len, A_NOTELF, NULL);
	free(c);
	free(b.p);
}

TEST(test_buildinfo_c_program_is_not_go)
{
	struct go_buildinfo bi;
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int err;

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	err = buildinfo_read_fd(fd, &bi);
	close(fd);
	CHECK_INT(err, -BI_ENOTGO);
	CHECK(strstr(buildinfo_strerror(err), "Go") != NULL);
}

TEST(test_buildinfo_fd_that_is_not_a_regular_file_is_rejected)
{
	struct go_buildinfo bi;
	int p[2], dir;

	CHECK(pipe(p) == 0);
	CHECK(buildinfo_read_fd(p[0], &bi) < 0);
	close(p[0]);
	close(p[1]);
	dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(buildinfo_read_fd(dir, &bi) < 0);
	close(dir);
	CHECK(buildinfo_read_fd(-1, &bi) < 0);
}

/* ---- lengths and varints ---- */

/* A copy of fixture NAME with a varint written at file offset off (relative to the blob). */
static void check_with_varint(const char *name, bool at_mod, const unsigned char *v, size_t vlen,
	int allowed, const char *what)
{
	struct inline_layout l;
	struct buf b;

	if (!load_fixture(name, &b))
		return;
	if (!inline_layout(&b, &l)) {
		harness_fail(__FILE__, __LINE__, "%s: no inline blob", name);
		free(b.p);
		return;
	}
	memcpy(b.p + (at_mod ? l.vers_end : l.blob + 32), v, vlen);
	CHECK_HOSTILE(what, b.p, b.len, allowed, NULL);
	free(b.p);
}

static size_t put_uvarint(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* v in exactly n bytes, padded with continuation bits (Go's Uvarint accepts that). */
static void put_uvarint_n(unsigned char *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++, v >>= 7)
		p[i] = (unsigned char)((v & 0x7f) | (i + 1 < n ? 0x80 : 0));
}

TEST(test_buildinfo_version_length_past_end_of_file_is_not_a_go_executable)
{
	struct inline_layout l;
	struct seginfo s;
	struct buf b;

	if (!load_fixture("sleeper", &b))
		return;
	if (inline_layout(&b, &l)) {
		/* One byte more than the file holds after a 4-byte length. */
		put_uvarint_n(b.p + l.blob + 32, b.len - (l.blob + 32 + 4) + 1, 4);
		CHECK_HOSTILE("version one byte past EOF", b.p, b.len, A_NOTGO, NULL);
		/* One byte more than the segment's file bytes, though the file has more. */
		if (seg_of(&b, l.blob, &s)) {
			put_uvarint_n(
				b.p + l.blob + 32, s.offset + s.filesz - (l.blob + 36) + 1, 4);
			CHECK_HOSTILE("version one byte past p_filesz", b.p, b.len, A_NOTGO, NULL);
		}
	}
	free(b.p);
}

TEST(test_buildinfo_module_info_length_past_end_of_file_is_malformed)
{
	struct inline_layout l;
	struct buf b;

	if (!load_fixture("sleeper-386", &b))
		return;
	if (inline_layout(&b, &l)) {
		put_uvarint_n(b.p + l.vers_end, b.len - (l.vers_end + 4) + 1, 4);
		CHECK_HOSTILE("module info one byte past EOF", b.p, b.len, A_MALFORMED, NULL);
		put_uvarint_n(b.p + l.vers_end, 10, 1);
		CHECK_HOSTILE(
			"module info one byte short", b.p, l.vers_end + 1 + 9, A_MALFORMED, NULL);
	}
	free(b.p);
}

/* A bad varint: before the version, not a Go executable (Go); before module info, malformed. */
TEST(test_buildinfo_varint_with_ten_continuation_bytes_is_rejected)
{
	static const unsigned char ten[11] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0x01 };
	static const unsigned char twelve[12] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
		0x80, 0x80, 0x80, 0x00 };

	check_with_varint("sleeper", false, ten, sizeof(ten), A_NOTGO, "version: 10 x 0xff");
	check_with_varint("sleeper", false, twelve, sizeof(twelve), A_NOTGO, "version: 11 x 0x80");
	check_with_varint(
		"sleeper-s390x", true, ten, sizeof(ten), A_MALFORMED, "module info: 10 x 0xff");
}

TEST(test_buildinfo_varint_overflowing_64_bits_is_rejected)
{
	/* Ten bytes, but the last carries more than the 64th bit. */
	static const unsigned char over[10] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
		0x80, 0x02 };

	check_with_varint("sleeper", false, over, sizeof(over), A_NOTGO, "version: 2^64");
	check_with_varint(
		"sleeper-386", true, over, sizeof(over), A_MALFORMED, "module info: 2^64");
}

TEST(test_buildinfo_huge_declared_length_is_rejected_without_allocating_it)
{
	/* ASan aborts on an allocation this large, so these also prove we never try. */
	static const uint64_t lens[] = { UINT64_MAX, 1ull << 63, (1ull << 32) + 1, 1ull << 40,
		BI_MAX_STRING + 1ull };
	unsigned char v[10];

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t n = put_uvarint(v, lens[i]);

		check_with_varint("sleeper", false, v, n, A_NOTGO, "huge version length");
		check_with_varint(
			"sleeper-s390x", true, v, n, A_MALFORMED, "huge module info length");
	}
}

TEST(test_buildinfo_empty_version_is_not_a_go_executable)
{
	static const unsigned char zero[1] = { 0 };

	check_with_varint("sleeper", false, zero, 1, A_NOTGO, "empty version");
}

TEST(test_buildinfo_magic_only_at_unaligned_offset_is_not_found)
{
	static const char *const names[] = { "sleeper", "sleeper.nosections",
		"sleeper-s390x.nosections", "sleeper-pie.nosections" };
	static const unsigned int shifts[] = { 1, 4, 8, 15 };

	for (size_t i = 0; i < 4; i++) {
		struct buf b;
		long long blob;

		if (!load_fixture(names[i], &b))
			continue;
		blob = blob_offset(&b);
		CHECK(blob >= 0);
		for (size_t k = 0; blob >= 0 && k < 4; k++) {
			unsigned char *c = exact_copy(b.p, b.len);
			char what[300];

			memmove(c + blob + shifts[k], c + blob, 0x100);
			memset(c + blob, 0, shifts[k]);
			snprintf(what, sizeof(what), "%s, blob moved by %u", names[i], shifts[k]);
			CHECK_HOSTILE(what, c, b.len, A_NOBLOB, NULL);
			free(c);
		}
		free(b.p);
	}
}

TEST(test_buildinfo_magic_in_last_bytes_of_segment_is_not_read_past_it)
{
	struct seginfo s;
	struct buf b;
	long long blob;

	if (!load_fixture("sleeper.nosections", &b))
		return;
	blob = blob_offset(&b);
	if (blob < 0 || !seg_of(&b, (uint64_t)blob, &s)) {
		CHECK(blob >= 0);
		free(b.p);
		return;
	}
	/* Only the magic survives, at the last aligned slot; the file ends with the segment. */
	memset(b.p + blob, 0, 16);
	for (uint64_t room = 16; room < 32; room += 16) {
		uint64_t at = (s.offset + s.filesz - room) & ~15ull;

		memcpy(b.p + at, bi_magic, sizeof(bi_magic));
		b.p[at + 14] = 8;
		b.p[at + 15] = 2;
		CHECK_HOSTILE("magic at segment end", b.p, s.offset + s.filesz,
			A_NOBLOB | A_MALFORMED, NULL);
	}
	free(b.p);
}

/* ---- garbage in the ELF headers ---- */

/* Applies one change to a copy of NAME and checks the outcome. */
struct edit {
	const char *what;
	unsigned int field; /* offset in the ELF header, or ~0u for a program/section header */
	unsigned int size;
	uint64_t value;
};

static void check_header_edits(
	const char *name, const char *govname, const struct edit *edits, size_t n, int allowed)
{
	char *want = gov_tail(govname);
	struct buf b;

	if (!load_fixture(name, &b)) {
		free(want);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char *c = exact_copy(b.p, b.len);
		struct elfinfo e;
		char what[300];

		elf_info(&b, &e);
		wr(c + edits[i].field, edits[i].size, e.be, edits[i].value);
		snprintf(what, sizeof(what), "%s: %s", name, edits[i].what);
		CHECK_HOSTILE(what, c, b.len, allowed, want);
		free(c);
	}
	free(b.p);
	free(want);
}

TEST(test_buildinfo_unusable_program_headers_are_not_elf)
{
	static const char *const names[] = { "sleeper", "sleeper-386", "sleeper-s390x" };

	for (size_t i = 0; i < 3; i++) {
		struct elfinfo e;
		struct buf b;

		if (!load_fixture(names[i], &b))
			continue;
		elf_info(&b, &e);
		{
			const uint64_t wmax = e.is64 ? UINT64_MAX : UINT32_MAX;
			struct edit edits[] = {
				{ "phnum 0xffff", e.o_phnum, 2, 0xffff },
				{ "phnum 0xfff0", e.o_phnum, 2, 0xfff0 },
				{ "phentsize 0", e.o_phentsize, 2, 0 },
				{ "phentsize 1", e.o_phentsize, 2, 1 },
				{ "phentsize one short", e.o_phentsize, 2, e.phentsize - 1 },
				{ "phoff at EOF", e.o_phoff, e.wordsize, b.len },
				{ "phoff past EOF", e.o_phoff, e.wordsize, b.len + 4096 },
				{ "phoff near EOF", e.o_phoff, e.wordsize, b.len - e.phentsize },
				{ "phoff wraps around", e.o_phoff, e.wordsize, wmax - 15 },
				{ "phoff max", e.o_phoff, e.wordsize, wmax },
			};

			check_header_edits(names[i], names[i], edits,
				sizeof(edits) / sizeof(edits[0]), A_NOTELF);
		}
		free(b.p);
	}
}

TEST(test_buildinfo_odd_program_header_sizes_are_safe)
{
	struct elfinfo e;
	struct buf b;

	if (!load_fixture("sleeper", &b))
		return;
	elf_info(&b, &e);
	{
		struct edit edits[] = {
			{ "phentsize one long", e.o_phentsize, 2, e.phentsize + 1 },
			{ "phentsize 0xffff", e.o_phentsize, 2, 0xffff },
			{ "phnum 0", e.o_phnum, 2, 0 },
		};

		check_header_edits("sleeper", "sleeper", edits, 3, A_ANY_ERROR | A_OK_IF_RIGHT);
		check_header_edits(
			"sleeper.nosections", "sleeper", edits, 3, A_ANY_ERROR | A_OK_IF_RIGHT);
	}
	free(b.p);
}

/*
 * Section headers are optional to find the blob: when they are broken the
 * reader may fall back to the segments, but it must then be right.
 */
TEST(test_buildinfo_broken_section_headers_are_safe)
{
	static const char *const names[] = { "sleeper", "sleeper-386", "sleeper-s390x", "cgo" };

	for (size_t i = 0; i < 4; i++) {
		struct elfinfo e;
		struct buf b;

		if (!load_fixture(names[i], &b))
			continue;
		elf_info(&b, &e);
		{
			const uint64_t wmax = e.is64 ? UINT64_MAX : UINT32_MAX;
			struct edit edits[] = {
				{ "shoff at EOF", e.o_shoff, e.wordsize, b.len },
				{ "shoff past EOF", e.o_shoff, e.wordsize, b.len + 1 },
				{ "shoff inside the last header", e.o_shoff, e.wordsize,
					b.len - e.shentsize / 2 },
				{ "shoff wraps around", e.o_shoff, e.wordsize, wmax - 7 },
				{ "shnum 0xffff", e.o_shnum, 2, 0xffff },
				{ "shnum one more", e.o_shnum, 2, e.shnum + 1 },
				{ "shentsize 0", e.o_shentsize, 2, 0 },
				{ "shentsize 1", e.o_shentsize, 2, 1 },
				{ "shentsize 0xffff", e.o_shentsize, 2, 0xffff },
				{ "shstrndx = shnum", e.o_shstrndx, 2, e.shnum },
				{ "shstrndx 0xffff", e.o_shstrndx, 2, 0xffff },
				{ "shstrndx 0 (the null section)", e.o_shstrndx, 2, 0 },
			};

			check_header_edits(names[i], names[i], edits,
				sizeof(edits) / sizeof(edits[0]), A_ANY_ERROR | A_OK_IF_RIGHT);
		}
		free(b.p);
	}
}

TEST(test_buildinfo_section_past_end_of_file_is_safe)
{
	static const char *const names[] = { "sleeper", "sleeper-386", "sleeper-s390x" };

	for (size_t i = 0; i < 3; i++) {
		struct elfinfo e;
		struct buf b;

		if (!load_fixture(names[i], &b))
			continue;
		elf_info(&b, &e);
		{
			const uint64_t wmax = e.is64 ? UINT64_MAX : UINT32_MAX;
			unsigned int so = e.is64 ? 24 : 16, ss = e.is64 ? 32 : 20;
			uint64_t bi = section_header(&b, &e, ".go.buildinfo");
			uint64_t str = e.shoff + (uint64_t)e.shstrndx * e.shentsize;
			struct edit edits[] = {
				{ ".go.buildinfo size past EOF", (unsigned int)(bi + ss),
					e.wordsize, b.len },
				{ ".go.buildinfo size max", (unsigned int)(bi + ss), e.wordsize,
					wmax },
				{ ".go.buildinfo offset past EOF", (unsigned int)(bi + so),
					e.wordsize, b.len + 16 },
				{ ".go.buildinfo offset 16 before EOF", (unsigned int)(bi + so),
					e.wordsize, (b.len - 16) & ~15ull },
				{ ".go.buildinfo offset max", (unsigned int)(bi + so), e.wordsize,
					wmax & ~15ull },
				{ ".shstrtab size past EOF", (unsigned int)(str + ss), e.wordsize,
					b.len },
				{ ".shstrtab size max", (unsigned int)(str + ss), e.wordsize,
					wmax },
				{ ".shstrtab offset past EOF", (unsigned int)(str + so), e.wordsize,
					b.len + 1 },
				{ ".shstrtab offset 1 before EOF", (unsigned int)(str + so),
					e.wordsize, b.len - 1 },
			};

			CHECK(bi != 0);
			if (bi)
				check_header_edits(names[i], names[i], edits,
					sizeof(edits) / sizeof(edits[0]),
					A_ANY_ERROR | A_OK_IF_RIGHT);
		}
		free(b.p);
	}
}

TEST(test_buildinfo_section_names_unterminated_at_eof_are_safe)
{
	struct elfinfo e;
	struct buf b;
	uint64_t str, stroff;
	unsigned int so, ss;

	if (!load_fixture("sleeper", &b))
		return;
	elf_info(&b, &e);
	so = e.is64 ? 24 : 16;
	ss = e.is64 ? 32 : 20;
	/* Point the name table at the last 4 bytes of the file, all non-NUL. */
	str = e.shoff + (uint64_t)e.shstrndx * e.shentsize;
	stroff = b.len - 4;
	wr(b.p + str + so, e.wordsize, e.be, stroff);
	wr(b.p + str + ss, e.wordsize, e.be, 4);
	memset(b.p + stroff, 'x', 4);
	{
		char *want = gov_tail("sleeper");

		CHECK_HOSTILE("unterminated names", b.p, b.len, A_ANY_ERROR | A_OK_IF_RIGHT, want);
		free(want);
	}
	free(b.p);
}

TEST(test_buildinfo_writable_segment_past_end_of_file_is_safe)
{
	static const char *const names[] = { "sleeper.nosections", "sleeper-386.nosections",
		"sleeper-pie.nosections" };
	static const char *const originals[] = { "sleeper", "sleeper-386", "sleeper-pie" };

	for (size_t i = 0; i < 3; i++) {
		struct elfinfo e;
		struct seginfo s;
		struct buf b;
		long long blob;

		if (!load_fixture(names[i], &b))
			continue;
		elf_info(&b, &e);
		blob = blob_offset(&b);
		if (blob < 0 || !seg_of(&b, (uint64_t)blob, &s)) {
			CHECK(blob >= 0);
			free(b.p);
			continue;
		}
		{
			const uint64_t wmax = e.is64 ? UINT64_MAX : UINT32_MAX;
			unsigned int off = (unsigned int)(s.at + ph_offset_field(&e));
			unsigned int fsz = (unsigned int)(s.at + ph_filesz_field(&e));
			struct edit edits[] = {
				{ "p_offset past EOF", off, e.wordsize, b.len + 16 },
				{ "p_offset max", off, e.wordsize, wmax & ~15ull },
				{ "p_filesz max", fsz, e.wordsize, wmax },
				{ "p_filesz past EOF", fsz, e.wordsize, b.len },
				{ "p_offset+p_filesz wraps", off, e.wordsize, wmax - 0xff },
			};

			check_header_edits(names[i], originals[i], edits,
				sizeof(edits) / sizeof(edits[0]), A_ANY_ERROR | A_OK_IF_RIGHT);
		}
		free(b.p);
	}
}
