/* SPDX-License-Identifier: MIT */
/*
 * Live discovery: loads and attaches the BPF programs, keeps the process
 * table in step with /proc, classifies executables the kernel has not seen,
 * and hands Go exec/exit events to a callback. Used by `gops daemon` (maps
 * pinned for later `gops` runs) and `gops watch` (private maps).
 */
#ifndef GOPS_LIVE_TRACER_H
#define GOPS_LIVE_TRACER_H

#include <stdbool.h>
#include <stdint.h>

#include "gops.h"
#include "golang/crash.h"
#include "proc/container.h"

#define GOPS_DEFAULT_PIN_DIR "/sys/fs/bpf/gops"

struct tracer;

struct tracer_event {
	int type; /* GOPS_EV_EXEC or GOPS_EV_EXIT */
	int pid, ppid, nspid;
	uint64_t ts_boot;  /* ns after boot */
	uint64_t lifetime; /* ns, for exits */
	int exit_code;     /* for exits: the code, or -1 when killed by a signal */
	int signal;        /* for exits: the signal, or 0 */
	/* For exits by a signal, who sent it, when known: */
	bool have_sender;
	int sender_pid;        /* 0: the kernel (a fault, the OOM killer) */
	char sender_comm[16];  /* the sending process's comm, "" for the kernel */
	int cause;             /* for exits: enum gops_cause */
	struct go_crash crash; /* for a panic or fatal error: its header and frames */
	/* For OOM kills: resident memory, and the memory cgroup limit hit (0: the host's). */
	uint64_t oom_rss_bytes, oom_limit_bytes;
	char name[256];
	char version[GOPS_GOVERSION_LEN];
	char path[4096];           /* for execs; empty when it could not be read */
	struct proc_ns ns;         /* its namespaces (0: unknown) */
	struct container_info ctr; /* its container, when it is in one */
};

typedef void (*tracer_event_fn)(void *ctx, const struct tracer_event *ev);

struct tracer_opts {
	const char *pin_dir;     /* pin the maps here; NULL for private maps */
	unsigned int ringbuf_kb; /* 0: the default (256 KiB) */
	unsigned int max_procs;  /* table size; 0: GOPS_DEFAULT_MAX_PROCS */
	bool keep;               /* leave the pinned table behind on close */
	bool verbose;            /* let libbpf say what it does (the verifier's log) */
	tracer_event_fn on_event;
	void *ctx;
};

struct tracer_stats {
	uint64_t counters[GOPS_CNT_MAX]; /* summed over CPUs */
	uint64_t parsed;                 /* executables parsed in user space */
	uint64_t resyncs;                /* /proc resyncs after lost events */
	uint64_t resync_failures;        /* resyncs (or the seed) that failed and were retried */
	uint64_t map_update_failures;    /* map writes that failed, races aside */
};

/*
 * Loads, attaches, pins and seeds the table from /proc. Errors are printed.
 * A seed that fails is retried at every heartbeat; the table is published as
 * seeded (listing uses it) only once one succeeded.
 */
int tracer_open(struct tracer **t, const struct tracer_opts *opts);
/* Handles events for up to timeout_ms; heartbeat and loss checks included. */
int tracer_poll(struct tracer *t, int timeout_ms);
void tracer_stats(struct tracer *t, struct tracer_stats *s);
/* Detaches; unpins unless keep was asked for. */
void tracer_close(struct tracer *t);

/* Why BPF cannot be used here, or NULL if it can (root, BTF, bpf syscall). */
const char *tracer_unavailable_reason(void);

#endif
