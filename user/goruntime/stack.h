/* SPDX-License-Identifier: MIT */
/*
 * The goroutine dump read from a process's memory: every goroutine the
 * runtime's own dump (runtime.Stack(buf, true), what `gops stack` asks an
 * agent for) would print, in its text: header, frames, "created by".
 */
#ifndef GOPS_GORUNTIME_STACK_H
#define GOPS_GORUNTIME_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "goruntime/target.h"

#define RT_MAX_FRAMES 100 /* the runtime's _TracebackMaxFrames */

struct rt_frame {
	const char *func; /* points into the function table */
	const char *file;
	int32_t line;
	uint64_t off; /* pc - entry, printed "+0x..." for a physical frame */
	bool inlined;
	bool no_args; /* a physical frame of a function without arguments: "()", not "(...)" */
};

struct rt_goroutine {
	uint64_t goid, parent_goid;
	uint32_t status;      /* atomicstatus, scan bit dropped */
	const char *state;    /* "chan receive", "running" ... */
	int64_t wait_minutes; /* -1: not printed */
	bool locked;          /* lockedm set: ", locked to thread" */
	bool running;         /* on a CPU: no saved registers to start from */
	bool changed;         /* changed twice while read: frames left out */
	bool elided;          /* more than RT_MAX_FRAMES */
	size_t nframes;
	struct rt_frame *frames; /* nframes of them, innermost first */
	bool has_created;
	struct rt_frame created;
};

/*
 * Reads every goroutine but the dead and the runtime's own (as the runtime's
 * dump leaves them out). Returns 0 with *gs (the caller frees it) and *n, or
 * -errno with one line in why.
 */
int rt_read_goroutines(
	struct rt_target *t, struct rt_goroutine **gs, size_t *n, char *why, size_t len);

/* Frees what rt_read_goroutines() returned. */
void rt_goroutines_free(struct rt_goroutine *gs, size_t n);

/* The dump, as the runtime prints it (blank line between goroutines). */
void rt_goroutines_print(
	const struct rt_target *t, const struct rt_goroutine *gs, size_t n, FILE *out);

/* One JSON object per goroutine, in an array. */
void rt_goroutines_json(const struct rt_goroutine *gs, size_t n, FILE *out);

#endif
