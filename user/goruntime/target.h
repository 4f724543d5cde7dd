/* SPDX-License-Identifier: MIT */
/*
 * A running Go process opened for agentless reads: its executable's Go
 * version, where the runtime globals are (from .symtab, or found in a
 * stripped binary's code), how its runtime structs are laid out (from its
 * DWARF, or the table of Go releases), and its memory, read through
 * /proc/PID/mem without stopping, signalling or writing to it.
 */
#ifndef GOPS_GORUNTIME_TARGET_H
#define GOPS_GORUNTIME_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "goruntime/globals.h"
#include "golang/elf.h"
#include "golang/functab.h"
#include "goruntime/layout.h"
#include "proc/procmem.h"

struct rt_target {
	int pid;
	struct procmem pm;
	uint64_t bias;              /* PIE load bias, added to every link-time address */
	char go_version[64];        /* "go1.19.8", from the build info */
	int go_minor;               /* 19, or -1 when the version is not go1.N */
	uint64_t addr[RT_NGLOBALS]; /* run-time addresses; 0 when not found */
	const char *globals_from;   /* "symbols" or "code" (a stripped binary) */
	struct rt_layout layout;
	char *maps; /* /proc/PID/maps, read once at open */
	size_t maps_len;
	/* The executable, kept open for its function table (rt_target_code). */
	int exe_fd;
	struct elf_source exe_src;
	struct elf_file *ef;
	struct functab *ft;
};

/*
 * Opens pid for reads: its executable (through /proc/PID/exe, so a process
 * in a container is read from its own file), build info, globals, layout and
 * memory. Every global found must lie inside the process's mappings. On
 * failure returns -errno or -1 with one line in why (what is missing and
 * what is still known); t is then closed.
 */
int rt_target_open(struct rt_target *t, int pid, char *why, size_t whylen);
void rt_target_close(struct rt_target *t);

/* Whether the global was found. */
static inline bool rt_have(const struct rt_target *t, enum rt_global g)
{
	return t->addr[g] != 0;
}

/*
 * The executable's function table with its line tables loaded (on first
 * use), for tracebacks; its addresses are link-time ones (subtract t->bias).
 * Returns 0, or -errno / -FUNCTAB_E* with one line in why.
 */
int rt_target_code(struct rt_target *t, struct functab **ft, char *why, size_t len);

/*
 * Reads len bytes at a run-time address, checked against the maps read at
 * open (a pointer read from the target that points elsewhere is -EFAULT, not
 * a read of whatever is there). Returns 0, -EFAULT, -ESRCH or -errno.
 */
int rt_read(struct rt_target *t, uint64_t addr, void *buf, size_t len);

/* An unsigned integer field of size 1, 2, 4 or 8 at base + f.off (-EINVAL if unknown). */
int rt_read_field(struct rt_target *t, uint64_t base, struct rt_field f, uint64_t *val);

/*
 * Several fields of one struct at base, in one read (the values of one
 * instant, or near it): vals[i] gets fields[i]'s value, 0 for an unknown
 * field. Returns 0, -EINVAL when they span more than RT_FIELDS_SPAN bytes
 * or one has a size not read, or an error of rt_read().
 */
#define RT_FIELDS_SPAN 4096
int rt_read_fields(struct rt_target *t, uint64_t base, const struct rt_field *fields,
	uint64_t *vals, size_t n);

/* The same, from a copy of the struct already read (base..base+len). */
int rt_field_in(const void *buf, size_t len, struct rt_field f, uint64_t *val);

/* The most Ps a snapshot accepts (the runtime allows more; no real GOMAXPROCS is). */
#define RT_MAX_PROCS 1024

/*
 * The Ps of runtime.allp: *ps gets their addresses (the caller frees it),
 * *n how many (1 to max). Returns 0, -ERANGE for a length out of range, or
 * an error of rt_read().
 */
int rt_read_allp(struct rt_target *t, size_t max, uint64_t **ps, size_t *n);

/* The Go minor release of a runtime.Version() string: "go1.21.3" -> 21; -1 if not go1.N. */
int rt_go_minor(const char *version);

#endif
