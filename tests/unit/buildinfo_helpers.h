/* SPDX-License-Identifier: MIT */
/*
 * What the build info tests share (test_buildinfo*.c). The reference is
 * `go version -m`: "<version>\n" + buildinfo_print() must equal what follows
 * "NAME: " in the fixture's NAME.gov. A fixture or copy that is missing makes
 * the running test a skip, with the reason, not a failure.
 *
 * Hostile inputs go through check_hostile: each is handed over in a buffer of
 * its exact size, on the heap (ASan) or, when big, right before a PROT_NONE
 * page, so a read one byte too far is caught.
 */
#ifndef GOPS_BUILDINFO_HELPERS_H
#define GOPS_BUILDINFO_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "golang/buildinfo.h"

/* The magic a build info blob starts with. */
extern const char bi_magic[14];

/* Every fixture that tests/fixtures/build.sh makes. */
#define NFIXTURES 8
extern const char *const fixtures[NFIXTURES];

/* ---- files and buffers ---- */

struct buf {
	unsigned char *p;
	size_t len;
};

/*
 * A fixture that is not there: skip, saying why. tests/fixtures/npm.sh leaves
 * NAME.skip with its reason when it could not fetch NAME.
 */
void skip_missing(const char *path);
/* Reads fixture NAME into b, or says why not (false): a skip when it is missing, else a failure. */
bool load_fixture(const char *name, struct buf *b);
/* The same for a file by its path. */
bool load_path(const char *path, struct buf *b);
/* Opens fixture NAME read-only, or says why not (-1): a skip when it is missing, else a failure. */
int open_fixture(const char *name);
/* A copy of the first n bytes in an allocation of exactly n bytes. */
unsigned char *exact_copy(const unsigned char *p, size_t n);

/* ---- the reference: NAME.gov ---- */

/*
 * What `go version -m` printed after "PATH: " for the fixture NAME, where PATH
 * is however the fixture builder spelled OUTDIR/NAME.
 */
char *gov_tail(const char *name);
/* "<go version>\n" + buildinfo_print(): comparable with gov_tail(). */
char *render(const struct go_buildinfo *bi);
/* "<go version>\n" of NAME.gov: what go version -m prints for a build without module info. */
char *gov_version_line(const char *name);
/* Reads FILE through an fd, as gops does with /proc/PID/exe, and compares with GOVNAME.gov. */
void check_file_matches_gov(const char *src, int line, const char *file, const char *govname);
#define CHECK_MATCHES_GOV(file, govname) check_file_matches_gov(__FILE__, __LINE__, file, govname)

/* ---- ELF fields, for the tests that damage them ---- */

struct elfinfo {
	bool is64, be;
	uint64_t phoff, shoff;
	unsigned int phentsize, phnum, shentsize, shnum, shstrndx;
	/* Field offsets in the ELF header. */
	unsigned int o_phoff, o_shoff, o_phentsize, o_phnum, o_shentsize, o_shnum, o_shstrndx;
	unsigned int wordsize;
};

struct seginfo {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz;
	uint64_t at; /* file offset of the program header */
};

uint64_t rd(const unsigned char *p, unsigned int n, bool be);
void wr(unsigned char *p, unsigned int n, bool be, uint64_t v);
void elf_info(const struct buf *b, struct elfinfo *e);
void seg_info(const struct buf *b, const struct elfinfo *e, unsigned int i, struct seginfo *s);
/* Field offsets inside a program header. */
unsigned int ph_offset_field(const struct elfinfo *e);
unsigned int ph_filesz_field(const struct elfinfo *e);
/* The file offset of the (first) blob: the magic at a 16-aligned offset. */
long long blob_offset(const struct buf *b);
/* The PT_LOAD segment holding file offset off. */
bool seg_of(const struct buf *b, uint64_t off, struct seginfo *s);
/* The file offset of the section header named name, or 0. */
uint64_t section_header(const struct buf *b, const struct elfinfo *e, const char *name);

/* Where the parts of an inline blob start and end, as file offsets. */
struct inline_layout {
	uint64_t blob, vers, vers_end, mod, mod_end;
};

bool inline_layout(const struct buf *b, struct inline_layout *l);

/* ---- calling the reader on hostile bytes ---- */

enum {
	A_NOTELF = 1 << 0,
	A_NOTGO = 1 << 1,
	A_MALFORMED = 1 << 2,
	A_NOBLOB_GO = 1 << 3,
	A_GCCGO = 1 << 4,
	/* Success is acceptable too, if and only if the output is exactly right. */
	A_OK_IF_RIGHT = 1 << 5,
	A_NOBLOB = A_NOTGO | A_NOBLOB_GO,
	A_ANY_ERROR = A_NOTELF | A_NOTGO | A_MALFORMED | A_NOBLOB_GO | A_GCCGO,
};

/* The name of a reader error ("BI_ENOTGO"), "success" or "an errno". */
const char *err_name(int err);
/* The A_* bit of a reader error, or 0. */
int allowed_bit(int err);
/*
 * Runs buildinfo_read_mem on the first n bytes of p (an exact-size copy) and
 * checks the outcome is among the allowed ones. want is the expected rendering
 * for A_OK_IF_RIGHT. Returns the error.
 */
int check_hostile(const char *file, int line, const char *what, const unsigned char *p, size_t n,
	int allowed, const char *want);
#define CHECK_HOSTILE(what, p, n, allowed, want)                                                   \
	check_hostile(__FILE__, __LINE__, what, p, n, allowed, want)
/* The truncations of one file that must fail, and how. */
void check_truncations(
	const char *name, const struct buf *b, const uint64_t *cuts, size_t ncuts, int allowed);
/* buildinfo_read_fd on a memfd holding the n bytes of p: its error. */
int read_fd_of(const void *p, size_t n);

#endif
