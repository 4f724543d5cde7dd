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

/* Errors, returned negated like errno values; values above any errno. */
enum {
	BI_ENOTELF = 1000, /* not an ELF file, or its headers are unusable */
	BI_ENOTGO,         /* no build info blob: not a (gc-built, >= 1.13) Go executable */
	BI_EMALFORMED,     /* a blob was found but its contents do not hold together */
	BI_ENOBLOB_GO,     /* Go toolchain markers, but no build info (Go < 1.13) */
	BI_EGCCGO,         /* linked against libgo: gccgo, which writes no build info */
};

/* Bounds on what we accept, so hostile input cannot make us allocate much. */
#define BI_MAX_STRING (16u << 20) /* a version or module-info string */
#define BI_MAX_SEGMENTS 4096u

struct go_module {
	char *path;
	char *version;
	char *sum;
	struct go_module *replace; /* the `=>` line, or NULL */
};

struct go_setting {
	char *key;   /* unquoted; may hold NUL bytes (key_len says how long) */
	char *value; /* unquoted; may hold NUL bytes */
	size_t key_len, value_len;
};

struct go_buildinfo {
	char *go_version; /* e.g. "go1.19.8" */
	char *path;       /* main package path, or NULL */
	bool has_main;
	struct go_module main;
	struct go_module *deps;
	size_t ndeps;
	struct go_setting *settings;
	size_t nsettings;
};

/* Where to read: an fd (pread) or a memory buffer. */
struct bi_source {
	int fd;                   /* used when mem is NULL */
	const unsigned char *mem; /* used when not NULL */
	uint64_t size;            /* file or buffer size */
};

/*
 * Finds the build info blob and returns the Go version and the raw module
 * info (framing stripped; "" when absent). Both are NUL-terminated heap
 * strings the caller frees; *mod may contain no NUL before its end, its length
 * is stored in *mod_len. Returns 0 or a negative error (-errno or -BI_E*).
 */
int buildinfo_read_raw(const struct bi_source *src, char **vers, char **mod, size_t *mod_len);

/* Version only: the listing's fast path. vers gets at most len-1 bytes. */
int buildinfo_read_version_fd(int fd, char *vers, size_t len);

/* Parses module info text as Go's runtime/debug.ParseBuildInfo does. */
int buildinfo_parse_modinfo(const char *mod, size_t len, struct go_buildinfo *bi);

/* Reads and parses everything from an fd or a memory buffer. */
int buildinfo_read_fd(int fd, struct go_buildinfo *bi);
int buildinfo_read_mem(const void *buf, size_t len, struct go_buildinfo *bi);

void buildinfo_free(struct go_buildinfo *bi);

/* A message for a negative return value of the functions above. */
const char *buildinfo_strerror(int err);

/*
 * Prints the module info the way `go version -m` does after its first line:
 * each line of debug.BuildInfo.String() preceded by a tab.
 */
void buildinfo_print(const struct go_buildinfo *bi, FILE *out);

/* Prints the whole build info as one JSON object (no trailing newline). */
void buildinfo_print_json(const struct go_buildinfo *bi, const char *file, FILE *out);

#endif
