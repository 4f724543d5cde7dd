// SPDX-License-Identifier: MIT
/*
 * Build info in the pre-1.18 pointer format, with bad pointers, bad lengths,
 * bad pointer sizes and cuts: read as Go's readString reads them, never past
 * the file bytes of the segment.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buildinfo_helpers.h"
#include "golang/buildinfo.h"
#include "harness.h"

/* ---- the pointer format, with bad pointers ---- */

struct ptr_layout {
	uint64_t blob;
	unsigned int ptrsize;
	bool be;
	uint64_t vers_hdr, mod_hdr; /* file offsets of the string headers */
	struct seginfo seg;         /* the segment of the blob */
};

static bool ptr_layout(const struct buf *b, struct ptr_layout *l)
{
	long long blob = blob_offset(b);
	uint64_t a;

	if (blob < 0 || (b->p[blob + 15] & 2) || !seg_of(b, (uint64_t)blob, &l->seg))
		return false;
	l->blob = (uint64_t)blob;
	l->ptrsize = b->p[blob + 14];
	l->be = b->p[blob + 15] & 1;
	a = rd(b->p + blob + 16, l->ptrsize, l->be);
	l->vers_hdr = l->seg.offset + (a - l->seg.vaddr);
	a = rd(b->p + blob + 16 + l->ptrsize, l->ptrsize, l->be);
	l->mod_hdr = l->seg.offset + (a - l->seg.vaddr);
	return l->vers_hdr < b->len && l->mod_hdr < b->len;
}

enum ptr_field { BLOB_VERS_PTR, BLOB_MOD_PTR, VERS_DATA, VERS_LEN, MOD_DATA, MOD_LEN };

/*
 * How Go's readString (debug/buildinfo, go1.19 and master) takes a string it
 * cannot read: as "". For the version that makes the file "not a Go
 * executable"; for the module info, a build without modules: the version line only.
 */
enum ptr_outcome { NOT_GO, VERSION_ONLY };

/* Edits one pointer-format field of a copy of NAME (a copy of fixture GOVNAME.*). */
static void check_pointer_edit(
	const char *name, enum ptr_field f, uint64_t value, const char *what, enum ptr_outcome o)
{
	struct ptr_layout l;
	struct buf b;
	uint64_t at = 0;
	char desc[300], govname[256], *want = NULL;

	if (!load_fixture(name, &b))
		return;
	if (!ptr_layout(&b, &l)) {
		harness_fail(__FILE__, __LINE__, "%s: not in the pointer format", name);
		free(b.p);
		return;
	}
	switch (f) {
	case BLOB_VERS_PTR:
		at = l.blob + 16;
		break;
	case BLOB_MOD_PTR:
		at = l.blob + 16 + l.ptrsize;
		break;
	case VERS_DATA:
		at = l.vers_hdr;
		break;
	case VERS_LEN:
		at = l.vers_hdr + l.ptrsize;
		break;
	case MOD_DATA:
		at = l.mod_hdr;
		break;
	case MOD_LEN:
		at = l.mod_hdr + l.ptrsize;
		break;
	}
	wr(b.p + at, l.ptrsize, l.be, value);
	snprintf(desc, sizeof(desc), "%s: %s", name, what);
	snprintf(govname, sizeof(govname), "%.*s", (int)strcspn(name, "."), name);
	if (o == VERSION_ONLY) {
		want = gov_version_line(govname);
		CHECK(want != NULL);
	}
	CHECK_HOSTILE(desc, b.p, b.len, o == NOT_GO ? A_NOTGO : A_OK_IF_RIGHT, want);
	free(want);
	free(b.p);
}

static const char *const pointer_subjects[] = {
	"sleeper.pointer",
	"sleeper-386.pointer.nosections",
	"sleeper-s390x.pointer",
	"sleeper-pie.pointer.nosections",
};

/* The segment of the blob in a pointer subject: its end address and a .bss address. */
static bool pointer_subject(const char *name, struct ptr_layout *l, uint64_t *end, uint64_t *bss)
{
	struct buf b;
	bool ok;

	if (!load_fixture(name, &b))
		return false;
	ok = ptr_layout(&b, l);
	if (!ok)
		harness_fail(__FILE__, __LINE__, "%s: not in the pointer format", name);
	free(b.p);
	*end = l->seg.vaddr + l->seg.filesz; /* the first address past the file bytes */
	*bss = l->seg.memsz > l->seg.filesz + 16 ? *end + 16 : 0;
	return ok;
}

TEST(test_buildinfo_pointer_format_unreadable_version_is_not_a_go_executable)
{
	static const enum ptr_field addrs[] = { BLOB_VERS_PTR, VERS_DATA };

	for (size_t i = 0; i < 4; i++) {
		const char *name = pointer_subjects[i];
		struct ptr_layout l;
		uint64_t wmax, bss, end;

		if (!pointer_subject(name, &l, &end, &bss))
			continue;
		wmax = l.ptrsize == 8 ? UINT64_MAX : UINT32_MAX;
		for (size_t k = 0; k < 2; k++) {
			enum ptr_field f = addrs[k];

			check_pointer_edit(name, f, 0, "address 0", NOT_GO);
			check_pointer_edit(name, f, 0x10, "address 0x10", NOT_GO);
			check_pointer_edit(
				name, f, wmax & 0xdeadbeef000ull, "address 0xdeadbeef000", NOT_GO);
			check_pointer_edit(name, f, wmax, "address max", NOT_GO);
			check_pointer_edit(
				name, f, end, "address just past the file bytes", NOT_GO);
			if (bss)
				check_pointer_edit(name, f, bss, "address in .bss", NOT_GO);
		}
		/* A string header that starts in the segment but runs off its end. */
		check_pointer_edit(
			name, BLOB_VERS_PTR, end - l.ptrsize, "header cut by p_filesz", NOT_GO);
		/* Data at the top of the address space: address + length wraps around. */
		check_pointer_edit(name, VERS_DATA, wmax - 3, "data address wraps", NOT_GO);
		check_pointer_edit(name, VERS_LEN, 0, "empty version", NOT_GO);
		check_pointer_edit(name, VERS_LEN, wmax, "version length max", NOT_GO);
	}
}

/* What a GOPATH or Bazel build of Go 1.13-1.17 has: runtime.modinfo "", its header in .bss. */
TEST(test_buildinfo_pointer_string_in_bss_reads_as_empty)
{
	bool any = false, any_bss = false;

	for (size_t i = 0; i < 4; i++) {
		const char *name = pointer_subjects[i];
		struct ptr_layout l;
		uint64_t bss, end;

		if (!pointer_subject(name, &l, &end, &bss))
			continue;
		any = true;
		check_pointer_edit(name, MOD_LEN, 0, "module info length 0", VERSION_ONLY);
		if (!bss)
			continue;
		any_bss = true;
		check_pointer_edit(
			name, BLOB_MOD_PTR, bss, "module info header in .bss", VERSION_ONLY);
		check_pointer_edit(name, MOD_DATA, bss, "module info data in .bss", VERSION_ONLY);
		check_pointer_edit(
			name, BLOB_MOD_PTR, end, "module info header at p_filesz", VERSION_ONLY);
	}
	CHECK(!any || any_bss);
}

/* Go reads these as "" too; so does a build without modules. */
TEST(test_buildinfo_pointer_format_unreadable_module_info_reads_as_empty)
{
	for (size_t i = 0; i < 4; i++) {
		const char *name = pointer_subjects[i];
		struct ptr_layout l;
		uint64_t wmax, bss, end;

		if (!pointer_subject(name, &l, &end, &bss))
			continue;
		wmax = l.ptrsize == 8 ? UINT64_MAX : UINT32_MAX;
		check_pointer_edit(name, BLOB_MOD_PTR, 0, "header address 0", VERSION_ONLY);
		check_pointer_edit(name, MOD_DATA, wmax & 0xdeadbeef000ull, "data address unmapped",
			VERSION_ONLY);
		check_pointer_edit(
			name, BLOB_MOD_PTR, end - 1, "header cut by p_filesz", VERSION_ONLY);
		check_pointer_edit(name, MOD_DATA, wmax - 3, "data address wraps", VERSION_ONLY);
	}
}

TEST(test_buildinfo_pointer_string_lengths_out_of_bounds_are_never_read)
{
	for (size_t i = 0; i < 4; i++) {
		const char *name = pointer_subjects[i];
		struct ptr_layout l;
		struct buf b;
		uint64_t wmax, vlen, mlen;

		if (!load_fixture(name, &b))
			continue;
		if (!ptr_layout(&b, &l)) {
			harness_fail(__FILE__, __LINE__, "%s: not in the pointer format", name);
			free(b.p);
			continue;
		}
		wmax = l.ptrsize == 8 ? UINT64_MAX : UINT32_MAX;
		vlen = rd(b.p + l.vers_hdr + l.ptrsize, l.ptrsize, l.be);
		mlen = rd(b.p + l.mod_hdr + l.ptrsize, l.ptrsize, l.be);
		free(b.p);

		/* elfmangle ends the module info exactly at p_filesz: one more is too far. */
		check_pointer_edit(
			name, MOD_LEN, mlen + 1, "module info 1 byte past p_filesz", VERSION_ONLY);
		check_pointer_edit(
			name, VERS_LEN, vlen + mlen + 1, "version past p_filesz", NOT_GO);
		check_pointer_edit(name, MOD_LEN, wmax, "module info length max", VERSION_ONLY);
		if (l.ptrsize == 8) {
			check_pointer_edit(
				name, VERS_LEN, (1ull << 32) + 1, "version length 2^32+1", NOT_GO);
			check_pointer_edit(
				name, MOD_LEN, 1ull << 33, "module info length 2^33", VERSION_ONLY);
			check_pointer_edit(
				name, MOD_LEN, 1ull << 63, "module info length 2^63", VERSION_ONLY);
		}
	}
}

/* Go's master says errNotGoExe for a pointer size other than 4 or 8 (go1.19 misreads it). */
TEST(test_buildinfo_bad_pointer_size_is_not_a_go_executable)
{
	static const unsigned char sizes[] = { 0, 1, 2, 3, 5, 7, 16, 255 };

	for (size_t i = 0; i < 4; i++) {
		struct ptr_layout l;
		struct buf b;

		if (!load_fixture(pointer_subjects[i], &b))
			continue;
		if (!ptr_layout(&b, &l)) {
			harness_fail(__FILE__, __LINE__, "%s: not in the pointer format",
				pointer_subjects[i]);
			free(b.p);
			continue;
		}
		for (size_t k = 0; k < sizeof(sizes); k++) {
			char what[300];

			b.p[l.blob + 14] = sizes[k];
			snprintf(what, sizeof(what), "%s: pointer size %u", pointer_subjects[i],
				sizes[k]);
			CHECK_HOSTILE(what, b.p, b.len, A_NOTGO, NULL);
		}
		free(b.p);
	}
}

TEST(test_buildinfo_pointer_format_truncated_in_version_or_module_info)
{
	for (size_t i = 0; i < 4; i++) {
		char govname[256], *want;
		struct ptr_layout l;
		struct buf b;
		uint64_t cuts[3];

		if (!load_fixture(pointer_subjects[i], &b))
			continue;
		if (!ptr_layout(&b, &l)) {
			harness_fail(__FILE__, __LINE__, "%s: not in the pointer format",
				pointer_subjects[i]);
			free(b.p);
			continue;
		}
		/* The version's header, or its data (right before the module info at the end). */
		cuts[0] = l.vers_hdr;
		cuts[1] = l.vers_hdr + l.ptrsize;
		cuts[2] = l.mod_hdr + 2 * l.ptrsize - 1;
		check_truncations(pointer_subjects[i], &b, cuts, 3, A_NOTGO);
		/* Inside the module info: Go reads it as "". */
		snprintf(govname, sizeof(govname), "%.*s", (int)strcspn(pointer_subjects[i], "."),
			pointer_subjects[i]);
		want = gov_version_line(govname);
		CHECK_HOSTILE("cut 1 byte before the end of the module info", b.p,
			l.seg.offset + l.seg.filesz - 1, A_OK_IF_RIGHT, want);
		CHECK_HOSTILE("cut 20 bytes before the end of the module info", b.p,
			l.seg.offset + l.seg.filesz - 20, A_OK_IF_RIGHT, want);
		free(want);
		free(b.p);
	}
}
