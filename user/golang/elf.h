/* SPDX-License-Identifier: MIT */
/*
 * Just enough ELF to find Go's build info: the file header, program headers
 * and section headers of 32/64-bit files of either byte order, read with
 * explicit bounds from an fd (pread) or a buffer. A file truncated or rewritten
 * underneath us gives an error, never a SIGBUS, which is why this does not mmap.
 */
#ifndef GOPS_ELFREAD_H
#define GOPS_ELFREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Errors, returned negated like errno values; values above any errno. The
 * build info reader passes them on as its own (BI_ENOTELF, BI_EMALFORMED). */
enum {
	ELF_ENOTELF = 1000,    /* not an ELF file, or its headers are unusable */
	ELF_EMALFORMED = 1002, /* an offset, size or address points outside the file */
};

/* At most this many program headers: hostile input cannot make us allocate much. */
#define ELF_MAX_SEGMENTS 4096u

#define ELFR_PT_LOAD 1
#define ELFR_PT_NOTE 4
#define ELFR_PF_X 1
#define ELFR_PF_W 2
#define ELFR_SHT_NOTE 7
#define ELFR_SHT_NOBITS 8

/* Where to read: an fd (pread) or a memory buffer. */
struct elf_source {
	int fd;                   /* used when mem is NULL */
	const unsigned char *mem; /* used when not NULL */
	uint64_t size;            /* file or buffer size */
};

struct elf_seg {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz;
	uint64_t memsz; /* as the header says: bss beyond filesz, not checked against the file */
};

struct elf_sec {
	uint32_t name, type, link; /* link: sh_link, e.g. a symbol table's string table */
	uint64_t addr, offset, size;
};

struct elf_file {
	const struct elf_source *src;
	bool is64, be;
	uint16_t machine;
	struct elf_seg *segs;
	size_t nsegs;
	struct elf_sec *secs;
	size_t nsecs;
	char *shstr; /* section name table, NUL-terminated copy */
	size_t shstr_len;
	/* The first bytes of the file, to serve the many small header reads. */
	unsigned char head[4096];
	size_t head_len;
	/* A second window, wherever the caller points it (the build info blob). */
	unsigned char win[4096];
	uint64_t win_off;
	size_t win_len;
};

/* Reads exactly len bytes at off; -ELF_EMALFORMED past the end, or -errno. */
int elf_read(struct elf_file *ef, uint64_t off, void *buf, size_t len);

/* Reads up to sizeof(ef->win) bytes at off (not past limit) into the window. */
int elf_window(struct elf_file *ef, uint64_t off, uint64_t limit);

/* Parses the headers. Returns 0, -ELF_ENOTELF, or -errno. */
int elf_open(struct elf_file *ef, const struct elf_source *src);
void elf_close(struct elf_file *ef);

/* The section with that name, or NULL. */
const struct elf_sec *elf_section(const struct elf_file *ef, const char *name);

/* Translates a virtual address to a file offset through PT_LOAD segments;
 * *avail gets how many file bytes follow it in that segment. */
int elf_vaddr_to_offset(const struct elf_file *ef, uint64_t vaddr, uint64_t *off, uint64_t *avail);

/*
 * Whether a note with this owner name and type is in a PT_NOTE segment (or an
 * SHT_NOTE section): what marks files without section headers, e.g. Go's build ID.
 */
bool elf_has_note(struct elf_file *ef, const char *owner, uint32_t type);

uint64_t elf_get(const struct elf_file *ef, const unsigned char *p, int size);

#endif
