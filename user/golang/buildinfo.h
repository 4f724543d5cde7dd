/* SPDX-License-Identifier: MIT */
/*
 * Go build info: what `go version -m` reads from an executable.
 *
 * The reader takes an fd (callers pass /proc/PID/exe, never a path string)
 * or a memory buffer (the fuzzer), and treats every byte as untrusted.
 */
#ifndef GOPS_BUILDINFO_H
#define GOPS_BUILDINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "golang/elf.h"
#include "golang/modinfo.h"

/* Errors, returned negated like errno values; values above any errno. */
enum {
	BI_ENOTELF = ELF_ENOTELF,       /* not an ELF file, or its headers are unusable */
	BI_ENOTGO = 1001,               /* no build info blob, or its Go version unreadable */
	BI_EMALFORMED = ELF_EMALFORMED, /* a blob was found but does not hold together */
	BI_ENOBLOB_GO = 1003, /* Go toolchain markers, no build info, no telling which Go */
	BI_EGCCGO = 1004,     /* linked against libgo: gccgo, which writes no build info */
	/* Go markers and no build info; the function table's magic says which Go. */
	BI_ENOBLOB_GO12 = 1005,  /* Go 1.2 to 1.15: likely before Go 1.13 wrote build info */
	BI_ENOBLOB_GO116 = 1006, /* Go 1.16 or 1.17: the build info was removed or damaged */
	BI_ENOBLOB_GO118 = 1007, /* Go 1.18 or 1.19: likewise */
	BI_ENOBLOB_GO120 = 1008, /* Go 1.20 or later: likewise */
};

/* Whether err says "a gc-built Go executable, but without build info". */
bool buildinfo_is_go_without_blob(int err);

/* Bounds on what we accept, so hostile input cannot make us allocate much. */
#define BI_MAX_STRING (16u << 20) /* a version or module-info string */

struct go_buildinfo {
	char *go_version; /* e.g. "go1.19.8" */
	struct go_modinfo mod;
};

/*
 * Finds the build info blob and returns the Go version and the raw module
 * info (framing stripped; "" when absent). Both are NUL-terminated heap
 * strings the caller frees; *mod may contain NUL bytes before its end, its
 * length is stored in *mod_len. Returns 0 or a negative error (-errno or -BI_E*).
 */
int buildinfo_read_raw(const struct elf_source *src, char **vers, char **mod, size_t *mod_len);

/* Version only: the listing's fast path. vers gets at most len-1 bytes. */
int buildinfo_read_version_fd(int fd, char *vers, size_t len);

/* Reads and parses everything from an fd or a memory buffer. */
int buildinfo_read_fd(int fd, struct go_buildinfo *bi);
int buildinfo_read_mem(const void *buf, size_t len, struct go_buildinfo *bi);

void buildinfo_free(struct go_buildinfo *bi);

/* A message for a negative return value of the functions above. */
const char *buildinfo_strerror(int err);

/*
 * Prints the module info the way `go version -m` does after its first line:
 * each line of debug.BuildInfo.String() but the go line, preceded by a tab.
 */
void buildinfo_print(const struct go_buildinfo *bi, FILE *out);

/* Prints the whole build info as one JSON object (no trailing newline). */
void buildinfo_print_json(const struct go_buildinfo *bi, const char *file, FILE *out);

#endif
