/* SPDX-License-Identifier: MIT */
/*
 * Inside the loader (user/live/tracer.c and the files beside it): the state
 * they share. Not for the CLI, which reads the pinned table through
 * live/table.h.
 *
 *   pin.c        the pin dir: bpffs, the lock, clearing and pinning
 *   load.c       opening, loading and attaching the BPF programs (feature probing)
 *   classify.c   the events: classifying executables, details for the listing
 *   probes.c     the crash text probes, one per Go executable
 *   deaths.c     the deaths map `gops deaths` reads
 *   reconcile.c  seeding the table from /proc and resyncing it
 *   tracer.c     the loop: open, poll, heartbeat, close
 */
#ifndef GOPS_LIVE_LOADER_H
#define GOPS_LIVE_LOADER_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "gops.h"
#include "golang/verdict.h"
#include "live/tracer.h"

/* A crash text probe on one executable (probes.c). */
struct probe {
	uint64_t dev, ino;
	uint64_t seen;         /* the probe clock when it last ran (least recent: evicted first) */
	struct bpf_link *link; /* NULL: this executable has no place for one */
};

/* Executables probed at once; beyond, the one least recently run gives its place. */
#define PROBES_MAX 4096

/* The last crash text the kernel sent: for the exit event that follows it. */
struct pending_stderr {
	uint32_t pid;
	uint64_t start_boottime;
	size_t len;
	bool truncated;
	char buf[GOPS_STDERR_LEN];
};

struct tracer {
	struct tracer_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link *list_link; /* the pinned iterator over procs, when the kernel has it */
	struct tracer_opts opts;
	char pin_dir[PATH_MAX - 64]; /* room for the map names under it */
	bool pinned;
	bool has_list_iter;  /* the map iterator loaded: `gops` reads GOPS_PIN_LIST */
	bool has_crash_text; /* the fentry programs loaded: crash text and OOM kills */
	int lock_fd;
	int procs_fd, bins_fd, counters_fd, meta_fd, details_fd;
	uint64_t last_drops, last_full;
	bool seeded;        /* the start-up /proc scan succeeded */
	bool resync_due;    /* a resync is owed: events were lost, or the last one failed */
	bool incomplete;    /* the table is full: some Go processes have no row */
	bool insert_failed; /* set by reconcile when a row did not fit */
	uint64_t last_heartbeat;
	uint64_t parsed, resyncs, resync_failures, map_update_failures;
	int fail_resyncs; /* $GOPS_TEST_FAIL_RESYNCS: resyncs left to fail on purpose */
	int fail_updates; /* $GOPS_TEST_FAIL_MAP_UPDATES: map updates left to fail */
	struct verdict_cache *verdicts;
	struct probe *probes; /* crash text probes, PROBES_MAX of room */
	size_t nprobes;
	uint64_t probe_clock;        /* one tick per Go exec seen */
	struct pending_stderr crash; /* pid 0: none */
	uint64_t death_seq;          /* the newest death kept in the deaths map */
	int deaths_fd;
	struct gops_death *carried; /* what the previous daemon pinned, until ours is pinned */
	size_t ncarried;
};

/* pin.c */
int pin_prepare(struct tracer *t); /* bpffs, lock, a clean pin dir */
int pin_all(struct tracer *t);
void unpin_all(struct tracer *t);

/* load.c */
int load_programs(struct tracer *t);

/* classify.c */
int on_ring_event(void *ctx, void *data, size_t size);
const struct verdict *classify_fd(
	struct tracer *t, int fd, int pid, uint64_t dev, uint64_t ino, struct verdict *v);
struct go_proc;
void record_details(struct tracer *t, const struct gops_row *row, struct go_proc *p);
void forget_details(struct tracer *t, uint32_t pid, uint64_t start_boottime);
void refresh_details(struct tracer *t);

/* deaths.c */
void deaths_record(struct tracer *t, const struct tracer_event *ev);
void deaths_save(struct tracer *t);
void deaths_restore(struct tracer *t);

/* probes.c */
void probe_go_exe(struct tracer *t, uint32_t pid, const char *version);
void probes_close(struct tracer *t);

/* reconcile.c */
int reconcile(struct tracer *t);

/* tracer.c */
/*
 * bpf_map_update_elem / delete, with failures counted for `gops status`.
 * Races with the kernel are not failures: the row left meanwhile (ENOENT),
 * or came (EEXIST for BPF_NOEXIST); nor is a full procs map, which marks the
 * table incomplete instead. Return 0 or -errno.
 */
int loader_update(struct tracer *t, int fd, const void *key, const void *value, uint64_t flags);
int loader_delete(struct tracer *t, int fd, const void *key);

#endif
