/* SPDX-License-Identifier: MIT */
/*
 * The Go runtime's globals in a stripped amd64 executable (no .symtab), found
 * in the code of the runtime functions that use them: the function table
 * (golang/functab.h) gives each function's bounds, the decoder
 * (golang/x86.h) its RIP-relative operands, and a few patterns the compiler
 * has kept from Go 1.17 to 1.27 name the globals. Each find is checked
 * against the others (one address from several functions, slices whose
 * three words are all written, a table's known contents), against the data
 * segments, and, given the process, against its memory.
 */
#ifndef GOPS_GORUNTIME_GLOBALS_H
#define GOPS_GORUNTIME_GLOBALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "golang/elf.h"
#include "proc/procmem.h"

/* The runtime globals the agentless reads start from. */
enum rt_global {
	RT_GOMAXPROCS,    /* runtime.gomaxprocs int32 */
	RT_NCPU,          /* runtime.ncpu int32 (numCPUStartup from Go 1.25) */
	RT_ALLGLEN,       /* runtime.allglen uintptr */
	RT_ALLGS,         /* runtime.allgs []*g */
	RT_ALLP,          /* runtime.allp []*p */
	RT_SCHED,         /* runtime.sched schedt */
	RT_GCCONTROLLER,  /* runtime.gcController gcControllerState */
	RT_MEMSTATS,      /* runtime.memstats mstats */
	RT_MHEAP,         /* runtime.mheap_ mheap */
	RT_CLASS_TO_SIZE, /* runtime.class_to_size [_NumSizeClasses]uint16 (moved in 1.25) */
	RT_NGLOBALS,
};

/* The name of a global, for messages and symbol lookups ("runtime.allp"). */
const char *rt_global_name(enum rt_global g);

/*
 * The name a newer runtime gives the global in its symbol table, or NULL:
 * from Go 1.25 ncpu is runtime.numCPUStartup and class_to_size
 * internal/runtime/gc.SizeClassToSize.
 */
const char *rt_global_new_name(enum rt_global g);

/* The globals rt_globals_find() must find (and check) to succeed; the others are extras. */
#define RT_GLOBALS_CORE                                                                            \
	((1u << RT_GOMAXPROCS) | (1u << RT_NCPU) | (1u << RT_ALLGLEN) | (1u << RT_ALLGS) |         \
		(1u << RT_ALLP) | (1u << RT_SCHED))

struct rt_globals {
	uint64_t addr[RT_NGLOBALS]; /* link-time addresses (add the load bias for a PIE) */
	bool found[RT_NGLOBALS];
	const char *from[RT_NGLOBALS]; /* the function it was found in, e.g. "runtime.osinit" */
	uint64_t sched_lock;           /* &sched.lock, from runtime.GOMAXPROCS (0 if not found) */
	char msg[320]; /* what was not found or did not agree, one line; "" when all was found */
};

/*
 * Finds the globals in the executable src (link-time addresses). With pm
 * (may be NULL), the process running it, loaded at bias, the values are
 * checked too: gomaxprocs 1..1024 and the length of allp, ncpu 1..65536,
 * allglen the length of allgs. go_minor is the Go release (21 for go1.21.x)
 * when the build info told it, else -1: it decides whether memstats can be
 * had (Go 1.19 and later) and checks sched.lock's offset.
 *
 * Returns 0 when every global of RT_GLOBALS_CORE was found and agrees (msg
 * then names the extras that were not found, if any); -ENOENT when one of
 * them was not found, -EINVAL when finds disagree or a value is implausible,
 * -ENOTSUP for a file that is not amd64, or an error of functab_open()
 * (-FUNCTAB_*, -ELF_ENOTELF, -errno). msg always says why.
 */
int rt_globals_find(const struct elf_source *src, struct procmem *pm, uint64_t bias, int go_minor,
	struct rt_globals *out);

#endif
