/* SPDX-License-Identifier: MIT */
/*
 * Go's function table (pclntab) read as far as its functions: each one's
 * name, entry address and end (the next function's entry), for executables
 * written by Go 1.16 and later (magics 0xfffffffa, 0xfffffff0, 0xfffffff1).
 * What a stripped binary still says about its code: the table is never
 * stripped, since the runtime needs it to unwind stacks.
 *
 * Lines, files, inline trees and funcIDs are golang/pcline.h's.
 *
 * Untrusted input: every offset, count and name is checked against the table.
 */
#ifndef GOPS_FUNCTAB_H
#define GOPS_FUNCTAB_H

#include <stddef.h>
#include <stdint.h>

#include "golang/elf.h"
#include "golang/pclntab.h"

/* Errors, negated; besides -ELF_EMALFORMED, -ENOENT, -ENOMEM and -errno. */
enum {
	FUNCTAB_ENOTAB = 1030,    /* no function table in the file */
	FUNCTAB_EVERSION = 1031,  /* a table of Go 1.2 to 1.15, or a magic we do not know */
	FUNCTAB_ENOTEXT = 1032,   /* Go 1.26 and later: the text start is not in the module data */
	FUNCTAB_EMALFORMED = 1033 /* a count, an offset or a name outside the table */
};

/* The table is read at most this far (names, and the functions' own table). */
#define FUNCTAB_MAX (512ull << 20)

struct functab;

/* One function; name points into the table (NUL-terminated), valid until functab_close(). */
struct functab_func {
	const char *name;
	uint64_t entry, end; /* link-time addresses; end is the next function's entry */
};

/*
 * Finds the function table (golang/pclntab.c) and reads its header, its
 * function names and its function table, checking that entries increase and
 * that each one's _func record agrees with it. In Go 1.26 and later, whose
 * header no longer holds the start of the text, that comes from the module
 * data (runtime.firstmoduledata: the .go.module section, or found in the
 * data by its pointer to the table). Returns 0, -ELF_ENOTELF, -FUNCTAB_*,
 * -ENOMEM or -errno.
 */
int functab_open(struct elf_file *ef, struct functab **ft);
void functab_close(struct functab *ft);

/* The function named so: its entry and end. Returns 0, -ENOENT, or -FUNCTAB_EMALFORMED. */
int functab_find(const struct functab *ft, const char *name, uint64_t *entry, uint64_t *end);

/* How many functions; the i-th of them in address order. 0, -ENOENT (i too large) or
 * -FUNCTAB_EMALFORMED. */
size_t functab_count(const struct functab *ft);
int functab_get(const struct functab *ft, size_t i, struct functab_func *f);

/* The function whose [entry, end) holds pc. Returns 0 or -ENOENT. */
int functab_at(const struct functab *ft, uint64_t pc, struct functab_func *f);

enum pclntab_version functab_version(const struct functab *ft);
/* The start of the text the entries are relative to (Go 1.18 and later; 0 before). */
uint64_t functab_text_start(const struct functab *ft);

/* A lowercase message for an error of functab_open() or functab_find(). */
const char *functab_strerror(int err);

#endif
