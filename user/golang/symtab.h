/* SPDX-License-Identifier: MIT */
/*
 * Symbols by name from an ELF executable's .symtab (SHT_SYMTAB), the table Go's
 * linker writes unless built with -ldflags=-s: where a runtime global such as
 * runtime.gomaxprocs lives, to read it from a running process. 32/64-bit files
 * of either byte order; every offset and size is checked against the file.
 */
#ifndef GOPS_SYMTAB_H
#define GOPS_SYMTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "golang/elf.h"

/* Errors, negated; besides -ELF_ENOTELF, -ELF_EMALFORMED, -ENOENT and -errno. */
enum {
	SYMTAB_ENOSYMTAB = 1020, /* no .symtab: a stripped binary */
};

/* The string table is read whole: at most this much of it. */
#define SYMTAB_STRTAB_MAX (256u << 20)

/* One name to look up; addr and size are set, and found true, when it is there. */
struct symtab_sym {
	const char *name;
	uint64_t addr, size;
	bool found;
};

/* What the file header says about loading it. */
struct symtab_elf {
	bool pie;       /* e_type is ET_DYN: loaded at a bias, see procmem_load_bias() */
	uint64_t entry; /* e_entry */
	uint16_t machine;
};

/*
 * Looks up n names in one pass over the symbol table (the first defined symbol
 * of each name wins). Names that are absent are left found = false: that is
 * not an error. info, when not NULL, gets the header's facts. Returns 0,
 * -ELF_ENOTELF, -SYMTAB_ENOSYMTAB, -ELF_EMALFORMED (an offset or size outside
 * the file, a name not terminated in its table) or -errno.
 */
int symtab_lookup_many(
	const struct elf_source *src, struct symtab_sym *syms, size_t n, struct symtab_elf *info);

/* One name: 0, or -ENOENT when it is not there, or an error as above. */
int symtab_lookup(const struct elf_source *src, const char *name, uint64_t *addr, uint64_t *size);

/* The header's facts alone. Returns 0, -ELF_ENOTELF or -errno. */
int symtab_elf_info(const struct elf_source *src, struct symtab_elf *info);

/* A lowercase message for an error of these functions, or NULL for 0. */
const char *symtab_strerror(int err);

#endif
