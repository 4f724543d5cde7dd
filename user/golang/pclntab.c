// SPDX-License-Identifier: MIT
/*
 * Go's function table header, read only as far as its version and where the
 * table is (golang/functab.c reads the functions). The layout,
 * from runtime/symtab.go (pcHeader) and debug/gosym/pclntab.go (parsePclnTab):
 *
 *   magic uint32, two zero bytes, pc quantum (1, 2 or 4), pointer size (4 or 8),
 *   then pointer-sized words: Go 1.2 nfunctab and the function table itself;
 *   Go 1.16 nfunc, nfiles and five offsets from the header (function names,
 *   compilation units, files, pc tables, functions); Go 1.18 and 1.20 the same
 *   with textStart between nfiles and the offsets.
 *
 * The magic is in the file's byte order. Every read is bounded by the file and
 * by the segment the table is in.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "golang/pclntab.h"

#define HDR_MAX (8 + 8 * 8)     /* the longest header we check: 8 bytes and 8 words */
#define SCAN_ALIGN 4            /* the table is at least pointer-aligned */
#define SCAN_CHUNK (64u << 10)  /* bytes read at a time when scanning */
#define SCAN_MAX (256ull << 20) /* bytes scanned at most in one file */
#define MAX_FUNCS (1u << 24)    /* more functions than any real program has */

static enum pclntab_version version_of_magic(uint32_t magic)
{
	switch (magic) {
	case 0xfffffffb:
		return PCLNTAB_GO12;
	case 0xfffffffa:
		return PCLNTAB_GO116;
	case 0xfffffff0:
		return PCLNTAB_GO118;
	case 0xfffffff1:
		return PCLNTAB_GO120;
	default:
		return PCLNTAB_UNKNOWN;
	}
}

/* The first 8 bytes: a known magic, two zeros, a pc quantum and a pointer size. */
static enum pclntab_version check_prefix(const struct elf_file *ef, const unsigned char *h)
{
	if (h[4] != 0 || h[5] != 0 || (h[6] != 1 && h[6] != 2 && h[6] != 4) ||
		(h[7] != 4 && h[7] != 8))
		return PCLNTAB_UNKNOWN;
	return version_of_magic((uint32_t)elf_get(ef, h, 4));
}

/*
 * Without a section to trust, a magic found by scanning must be followed by a
 * header whose counts are sane and whose offsets increase inside the segment
 * (avail: the bytes from h to the segment's end).
 */
static bool plausible(
	const struct elf_file *ef, const unsigned char *h, uint64_t avail, enum pclntab_version v)
{
	unsigned int ps = h[7], first_off;
	uint64_t n = elf_get(ef, h + 8, (int)ps), prev;

	if (ps != (ef->is64 ? 8u : 4u) || n == 0 || n >= MAX_FUNCS)
		return false;
	if (v == PCLNTAB_GO12) /* nfunctab, then (2n+1) words of function table */
		return (2 * n + 1) * ps <= avail - 8 - ps;
	if (elf_get(ef, h + 8 + ps, (int)ps) >= MAX_FUNCS) /* nfiles */
		return false;
	first_off = v == PCLNTAB_GO116 ? 2 : 3;
	prev = 8 + (uint64_t)(first_off + 5) * ps; /* the end of the header */
	for (unsigned int w = first_off; w < first_off + 5; w++) {
		uint64_t off = elf_get(ef, h + 8 + w * ps, (int)ps);

		if (off < prev || off >= avail)
			return false;
		prev = off;
	}
	return true;
}

static int from_section(struct elf_file *ef, const struct elf_sec *sec, struct pclntab_loc *loc)
{
	unsigned char h[8];
	int err;

	if (sec->type == ELFR_SHT_NOBITS || sec->size < sizeof(h) || sec->offset > ef->src->size ||
		sizeof(h) > ef->src->size - sec->offset)
		return 0;
	err = elf_read(ef, sec->offset, h, sizeof(h));
	if (err)
		return err == -ELF_EMALFORMED ? 0 : err;
	loc->ver = check_prefix(ef, h);
	loc->off = sec->offset;
	loc->addr = sec->addr;
	loc->size =
		sec->size < ef->src->size - sec->offset ? sec->size : ef->src->size - sec->offset;
	return 0;
}

/* Scans [s->offset, +filesz) at SCAN_ALIGN-aligned addresses; *budget bounds the bytes read. */
static int scan_segment(
	struct elf_file *ef, const struct elf_seg *s, uint64_t *budget, struct pclntab_loc *loc)
{
	unsigned char *buf = malloc(SCAN_CHUNK + HDR_MAX);
	uint64_t pos = (SCAN_ALIGN - s->vaddr % SCAN_ALIGN) % SCAN_ALIGN;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	while (pos + 16 <= s->filesz && *budget > 0 && loc->ver == PCLNTAB_UNKNOWN) {
		uint64_t left = s->filesz - pos;
		size_t n = left < SCAN_CHUNK + HDR_MAX ? (size_t)left : SCAN_CHUNK + HDR_MAX;

		err = elf_read(ef, s->offset + pos, buf, n);
		if (err)
			break;
		*budget = *budget > n ? *budget - n : 0;
		for (size_t i = 0; i + 16 <= n && i < SCAN_CHUNK; i += SCAN_ALIGN) {
			const unsigned char *h = buf + i;
			enum pclntab_version v;

			/* The magic's three 0xff bytes are at either end, by byte order. */
			if (h[1] != 0xff || h[2] != 0xff ||
				(v = check_prefix(ef, h)) == PCLNTAB_UNKNOWN)
				continue;
			if (n - i >= HDR_MAX && plausible(ef, h, left - i, v)) {
				loc->ver = v;
				loc->off = s->offset + pos + i;
				loc->addr = s->vaddr + pos + i;
				loc->size = left - i;
				break;
			}
		}
		pos += SCAN_CHUNK;
	}
	free(buf);
	return err == -ELF_EMALFORMED ? 0 : err;
}

int pclntab_locate(struct elf_file *ef, struct pclntab_loc *loc)
{
	const struct elf_sec *sec = elf_section(ef, ".gopclntab");
	uint64_t budget = SCAN_MAX;
	int err = 0;

	memset(loc, 0, sizeof(*loc));
	loc->ver = PCLNTAB_UNKNOWN;
	if (!sec)
		sec = elf_section(ef, ".data.rel.ro.gopclntab");
	if (sec)
		return from_section(ef, sec, loc);
	/* Read-only data first, where the linker puts the table; then the rest. */
	for (int pass = 0; pass < 2 && !err && loc->ver == PCLNTAB_UNKNOWN; pass++) {
		for (size_t i = 0; i < ef->nsegs && !err && loc->ver == PCLNTAB_UNKNOWN; i++) {
			const struct elf_seg *s = &ef->segs[i];
			bool rodata = !(s->flags & (ELFR_PF_X | ELFR_PF_W));

			if (s->type == ELFR_PT_LOAD && s->filesz > 0 && rodata == (pass == 0))
				err = scan_segment(ef, s, &budget, loc);
		}
	}
	return err;
}

int pclntab_version(struct elf_file *ef, enum pclntab_version *ver)
{
	struct pclntab_loc loc;
	int err = pclntab_locate(ef, &loc);

	*ver = loc.ver;
	return err;
}
