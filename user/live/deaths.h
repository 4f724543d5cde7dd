/* SPDX-License-Identifier: MIT */
/*
 * The deaths the daemon keeps (bpf/gops.h, struct gops_death): the last
 * GOPS_DEATHS_MAX Go processes that did not end cleanly, in a pinned map
 * beside the table, for `gops deaths`.
 */
#ifndef GOPS_LIVE_DEATHS_H
#define GOPS_LIVE_DEATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "gops.h"

struct tracer_event;
struct live_opts;

/*
 * Reads the deaths pinned under pin_dir, newest first, into *out (n of
 * them, malloc'd; NULL when none). Returns 0, or a negative error with a
 * reason in why: -ENOENT (no daemon keeps them there), -EPROTO (another gops
 * version's), -EACCES, or another -errno.
 */
int deaths_read(const char *pin_dir, struct gops_death **out, size_t *n, char *why, size_t len);

/* "exit", "panic", "fatal", "oom" or "signal". */
const char *deaths_cause_name(int cause);

/* An exit event as a death record (seq left 0). */
void death_from_event(const struct tracer_event *ev, struct gops_death *d);

/*
 * How it ended, on one line, escaped: "panic: runtime error: ...",
 * "oom-kill, rss 63.9 MiB, memory cgroup limit 64.0 MiB", "signal 9 (KILL)
 * from pid 4242 bash", "code 3".
 */
void death_print_cause(FILE *out, const struct gops_death *d);

/* The crashing goroutine's frames, one per line after indent: "main.f /src/main.go:12". */
void death_print_frames(FILE *out, const struct gops_death *d, const char *indent);

/*
 * The JSON members of how it ended, each after a comma: "cause", "message"
 * and "frames" for a crash, "exit_code" or "signal" with its sender, "oom".
 */
void death_write_json(FILE *out, const struct gops_death *d);

/* `gops deaths`: the deaths the daemon keeps, newest first. Returns the exit status. */
int live_deaths(const struct live_opts *o);

#endif
