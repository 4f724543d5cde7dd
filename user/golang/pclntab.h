/* SPDX-License-Identifier: MIT */
/*
 * The header of Go's function table (pclntab): its magic number says which
 * range of Go releases wrote it, which is all that is left to tell of a gc-built
 * executable without build info.
 */
#ifndef GOPS_PCLNTAB_H
#define GOPS_PCLNTAB_H

#include "golang/elf.h"

/*
 * The magics, as debug/gosym/pclntab.go names them (go12magic, go116magic,
 * go118magic, go120magic; the last added in Go 1.20), and the Go releases
 * whose linkers write them (runtime/symtab.go's pcHeader of each release).
 */
enum pclntab_version {
	PCLNTAB_UNKNOWN, /* no function table found, or a magic we do not know */
	PCLNTAB_GO12,    /* 0xfffffffb: Go 1.2 to 1.15 */
	PCLNTAB_GO116,   /* 0xfffffffa: Go 1.16 and 1.17 */
	PCLNTAB_GO118,   /* 0xfffffff0: Go 1.18 and 1.19 */
	PCLNTAB_GO120,   /* 0xfffffff1: Go 1.20 and later */
};

/*
 * Finds the function table, from its section (.gopclntab, or
 * .data.rel.ro.gopclntab in an internally linked PIE) or, in a file without
 * section headers, by scanning the loaded segments for a magic followed by a
 * header that holds together, and says which magic it has. Returns 0 (with
 * PCLNTAB_UNKNOWN when there is none to tell) or -errno.
 */
int pclntab_version(struct elf_file *ef, enum pclntab_version *ver);

/* Where the function table is: its file offset and address, and how many file
 * bytes it may span (its section's size, or the rest of its segment). */
struct pclntab_loc {
	enum pclntab_version ver;
	uint64_t off, addr, size;
};

/* The same search, keeping where the table is. Returns 0 (ver PCLNTAB_UNKNOWN when none) or -errno.
 */
int pclntab_locate(struct elf_file *ef, struct pclntab_loc *loc);

#endif
