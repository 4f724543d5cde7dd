/* SPDX-License-Identifier: MIT */
/*
 * Struct layouts from a Go executable's DWARF, read with elfutils' libdw:
 * where a member sits in a named struct ("runtime.schedt", "gFree.n"), how big
 * a type is, how many elements an array member has. Go writes every type into
 * the DWARF unit of package runtime; that unit is indexed once, at open, so a
 * lookup is a hash probe and a walk over one struct's members.
 */
#ifndef GOPS_GOLANG_DWARF_H
#define GOPS_GOLANG_DWARF_H

#include <stdint.h>

#include "golang/elf.h"

/* Errors, negated; besides -ELF_ENOTELF (not an ELF file, empty), -ENOENT and -errno. */
enum {
	GODWARF_ENODWARF = 1030,     /* no .debug_info: built with -ldflags=-w or -s */
	GODWARF_EMALFORMED = 1031,   /* DWARF that libdw or the decompressor refused */
	GODWARF_EUNSUPPORTED = 1032, /* compressed other than with zlib (zstd) */
};

/* The largest section inflated: hostile headers cannot make us allocate more. */
#define GODWARF_SECTION_MAX (512u << 20)

struct godwarf;

/*
 * Opens path's DWARF: .debug_info and what reading its types needs, inflated
 * when compressed (SHF_COMPRESSED, as Go 1.11+ and GNU ld write it, or the
 * older .zdebug_* form), then indexes the named types of the runtime unit.
 * Returns 0 with *out set, -ELF_ENOTELF, -GODWARF_ENODWARF,
 * -GODWARF_EMALFORMED, -GODWARF_EUNSUPPORTED or -errno.
 */
int godwarf_open(const char *path, struct godwarf **out);
void godwarf_close(struct godwarf *d);

/*
 * Offset and byte size of the member at path (names joined by '.', each a
 * member of the struct the one before it is, typedefs looked through) inside
 * the struct named type. A wrapper struct such as atomic.Int64 is a member like
 * any other: "memoryLimit" gives the wrapper's offset and size. Returns 0,
 * -ENOENT (no such type, member, or a name on the path that is not a struct),
 * -EINVAL (an empty path or name in it) or -GODWARF_EMALFORMED.
 */
int godwarf_member(
	struct godwarf *d, const char *type, const char *path, int64_t *off, int64_t *size);

/* Byte size of the type named type (a struct, typedef or base type): 0, -ENOENT or
 * -GODWARF_EMALFORMED. */
int godwarf_type_size(struct godwarf *d, const char *type, int64_t *size);

/*
 * Element count of the array member at path in struct type, e.g.
 * ("runtime.heapStatsDelta", "smallAllocCount"). Returns 0, -ENOENT (also when
 * the member is not an array), -EINVAL or -GODWARF_EMALFORMED.
 */
int godwarf_array_len(struct godwarf *d, const char *type, const char *path, int64_t *len);

/* A lowercase message for an error of these functions, or NULL for 0. */
const char *godwarf_strerror(int err);

#endif
