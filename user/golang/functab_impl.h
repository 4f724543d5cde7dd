/* SPDX-License-Identifier: MIT */
/*
 * The function table's insides, shared by golang/functab.c (the header, the
 * functions, the module data) and golang/pcline.c (pc-value tables, files,
 * lines, inline trees). Not for other files: they use functab.h and pcline.h.
 */
#ifndef GOPS_FUNCTAB_IMPL_H
#define GOPS_FUNCTAB_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "golang/elf.h"
#include "golang/pclntab.h"

/*
 * runtime.moduledata, in words (runtime/symtab.go of go1.16 to go1.27): 0
 * pcHeader, 1-3 funcnametab, 4-6 cutab, 7-9 filetab, 10-12 pctab, 13-15
 * pclntable, 16-18 ftab, 19 findfunctab, 20 minpc, 21 maxpc, 22 text, 23
 * etext, 24-31 noptrdata..enoptrbss, [Go 1.20+: 32-33 covctrs, ecovctrs],
 * then end, gcdata, gcbss, types, [Go 1.27: typedesclen], etypes, [Go 1.27:
 * itaboffset, itabsize], rodata, gofunc (Go 1.18+), epclntab. So rodata,
 * gofunc and epclntab are words 37-39 in Go 1.18 and 1.19, 39-41 in 1.20 to
 * 1.26 and 42-44 in 1.27, which has the same pclntab header as 1.20.
 */
#define MD_WORDS 45
#define MD_FUNCNAMETAB 1
#define MD_MINPC 20
#define MD_MAXPC 21
#define MD_TEXT 22
#define MD_RODATA_118 37
#define MD_RODATA_120 39
#define MD_RODATA_127 42

/* Header offsets, in the order Go 1.18 writes them (Go 1.16's moved up to match). */
enum { HDR_FUNCNAME = 3, HDR_CU, HDR_FILE, HDR_PC, HDR_PCLN };

struct functab {
	enum pclntab_version ver;
	bool be;
	unsigned int ps;      /* pointer size */
	unsigned int quantum; /* pc quantum: instruction alignment (1 on amd64, 4 on arm64) */
	uint64_t text_start;  /* Go 1.18+: entries are offsets from it */
	uint64_t nfunc, nfiles;
	uint64_t tab_off, tab_addr, tab_size; /* the whole table in the file */
	uint64_t hdr[8];                      /* header words, HDR_* offsets from the table */
	unsigned char *names;                 /* funcnametab */
	uint64_t names_len;
	unsigned char *pcln; /* pclntable: the ftab, then the _func records */
	uint64_t pcln_len;
	unsigned int entsize; /* bytes of one ftab entry */
	/* The module data, when looked for and found (words as its layout above). */
	bool md_searched, md_found;
	uint64_t md_addr, md[MD_WORDS];
	/* golang/pcline.c, after functab_load_lines(). */
	struct pcline_data *lines;
};

/* A word of size bytes in the file's byte order. */
uint64_t functab_word(const struct functab *ft, const unsigned char *p, unsigned int size);

/* Entry i of the ftab (i <= nfunc): its address and its funcoff. */
void functab_ftab_entry(const struct functab *ft, uint64_t i, uint64_t *entry, uint64_t *funcoff);

/*
 * Searches the file's data for runtime.moduledata (its first words pointing at
 * the table and its names, minpc and maxpc the table's first entry and end),
 * once; md_found says whether it was. Returns 0 or -errno (not for not found).
 */
int functab_find_moduledata(struct elf_file *ef, struct functab *ft);

/* golang/pcline.c: frees what functab_load_lines() read. */
void pcline_free(struct functab *ft);

#endif
