// SPDX-License-Identifier: MIT
/*
 * The loader's loop: BPF programs on exec/exit/fork keep the process table;
 * this side opens them (load.c, pin.c), handles their events (classify.c),
 * seeds the table from /proc and resyncs it when events are lost
 * (reconcile.c), and beats a heartbeat into the pinned meta so that readers
 * know a live loader owns the table.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "base/clock.h"
#include "live/loader.h"
#include "live/pinned.h"
#include "proc/proc.h"
#include "tracer.skel.h"

#define HEARTBEAT_NS 1000000000ULL

/* A failure the loader counts: not a race with the kernel, not a full table. */
static int counted(struct tracer *t, int fd, uint64_t flags, int err)
{
	if (err == 0 || (err == -ENOENT && flags != BPF_NOEXIST) ||
		(err == -EEXIST && flags == BPF_NOEXIST) || (err == -E2BIG && fd == t->procs_fd))
		return err;
	t->map_update_failures++;
	if (t->opts.verbose)
		fprintf(stderr, "gops daemon: a map update failed: %s\n", strerror(-err));
	return err;
}

int loader_update(struct tracer *t, int fd, const void *key, const void *value, uint64_t flags)
{
	int err;

	if (t->fail_updates > 0) {
		t->fail_updates--;
		return counted(t, fd, flags, -EIO);
	}
	err = bpf_map_update_elem(fd, key, value, flags) ? -errno : 0;

	return counted(t, fd, flags, err);
}

int loader_delete(struct tracer *t, int fd, const void *key)
{
	int err = bpf_map_delete_elem(fd, key) ? -errno : 0;

	return counted(t, fd, BPF_ANY, err);
}

void tracer_stats(struct tracer *t, struct tracer_stats *s)
{
	memset(s, 0, sizeof(*s));
	pinned_sum_counters(t->counters_fd, s->counters);
	s->parsed = t->parsed;
	s->resyncs = t->resyncs;
	s->resync_failures = t->resync_failures;
	s->map_update_failures = t->map_update_failures;
}

static void heartbeat(struct tracer *t)
{
	struct gops_meta meta = { .abi_version = GOPS_ABI_VERSION };
	struct proc_stat st;
	uint32_t zero = 0;

	meta.loader_pid = (uint32_t)getpid();
	if (proc_read_stat((int)meta.loader_pid, &st) == 0)
		meta.loader_start_boottime = proc_ticks_to_ns(st.starttime);
	meta.heartbeat_boot_ns = clock_boot_ns();
	meta.flags = (t->seeded ? GOPS_META_SEEDED : 0) |
		     (t->incomplete ? GOPS_META_INCOMPLETE : 0) |
		     (t->list_link ? GOPS_META_LIST_ITER : 0);
	meta.parsed = t->parsed;
	meta.resyncs = t->resyncs;
	meta.resync_failures = t->resync_failures;
	meta.map_update_failures = t->map_update_failures;
	loader_update(t, t->meta_fd, &zero, &meta, BPF_ANY);
	t->last_heartbeat = meta.heartbeat_boot_ns;
}

/*
 * Seeds or resyncs the table from /proc. One that fails (say /proc could not
 * be listed for lack of memory or fds) is counted and owed: the next
 * heartbeat tries again, and until the seed succeeds the table is not
 * published as seeded.
 */
static void resync(struct tracer *t)
{
	int err;

	ring_buffer__consume(t->rb);
	err = t->fail_resyncs > 0 ? (t->fail_resyncs--, -EIO) : reconcile(t);
	if (err) {
		t->resync_failures++;
		t->resync_due = true;
		fprintf(stderr, "gops daemon: failed to %s the table from %s: %s (trying again)\n",
			t->seeded ? "resync" : "seed", proc_root(), strerror(-err));
		return;
	}
	t->resync_due = false;
	t->seeded = true;
}

int tracer_poll(struct tracer *t, int timeout_ms)
{
	uint64_t drops, full, counters[GOPS_CNT_MAX];
	int err = ring_buffer__poll(t->rb, timeout_ms);
	bool beat_due;

	if (err < 0 && err != -EINTR)
		return err;
	/*
	 * Events were lost, or rows did not fit: the table may be missing rows or
	 * holding stale ones. A full table stays marked incomplete (readers then
	 * scan /proc) until a resync finds room for every Go process.
	 */
	pinned_sum_counters(t->counters_fd, counters);
	drops = counters[GOPS_CNT_DROPS];
	full = counters[GOPS_CNT_TABLE_FULL];
	beat_due = clock_boot_ns() - t->last_heartbeat >= HEARTBEAT_NS;
	if (drops != t->last_drops || full != t->last_full) {
		t->last_drops = drops;
		t->last_full = full;
		t->resyncs++;
		resync(t);
		heartbeat(t);
	} else if ((t->resync_due || t->incomplete) && beat_due) {
		resync(t);
	}
	if (clock_boot_ns() - t->last_heartbeat >= HEARTBEAT_NS) {
		refresh_details(t);
		heartbeat(t);
	}
	return 0;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

static void take_fds(struct tracer *t)
{
	t->procs_fd = bpf_map__fd(t->skel->maps.procs);
	t->bins_fd = bpf_map__fd(t->skel->maps.bins);
	t->counters_fd = bpf_map__fd(t->skel->maps.counters);
	t->meta_fd = bpf_map__fd(t->skel->maps.meta);
	t->details_fd = bpf_map__fd(t->skel->maps.details);
	t->deaths_fd = bpf_map__fd(t->skel->maps.deaths);
}

int tracer_open(struct tracer **out, const struct tracer_opts *opts)
{
	struct tracer *t = calloc(1, sizeof(*t));
	const char *why = tracer_unavailable_reason();
	int err;

	*out = NULL;
	if (!t)
		return -ENOMEM;
	t->opts = *opts;
	t->lock_fd = -1;
	/*
	 * For the tests, failures on purpose: the first N seeds or resyncs, as if
	 * /proc could not be read; the first N map updates, as if the kernel
	 * refused them.
	 */
	if (getenv("GOPS_TEST_FAIL_RESYNCS"))
		t->fail_resyncs = atoi(getenv("GOPS_TEST_FAIL_RESYNCS"));
	if (getenv("GOPS_TEST_FAIL_MAP_UPDATES"))
		t->fail_updates = atoi(getenv("GOPS_TEST_FAIL_MAP_UPDATES"));
	if (why) {
		fprintf(stderr, "gops: %s\n", why);
		free(t);
		return -EPERM;
	}
	if (!opts->verbose)
		libbpf_set_print(libbpf_quiet);
	t->verdicts = verdict_cache_new(0);
	if (!t->verdicts) {
		err = -ENOMEM;
		goto fail;
	}
	if (opts->pin_dir) {
		snprintf(t->pin_dir, sizeof(t->pin_dir), "%s", opts->pin_dir);
		err = pin_prepare(t);
		if (err)
			goto fail;
	}
	err = load_programs(t);
	if (err)
		goto fail;
	take_fds(t);
	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_ring_event, t, NULL);
	if (!t->rb) {
		err = -errno;
		fprintf(stderr, "gops: failed to create the ring buffer: %s\n", strerror(errno));
		goto fail;
	}
	if (opts->pin_dir) {
		err = pin_all(t);
		if (err)
			goto fail;
	}
	/* Attached first, then seeded: nothing falls between the two. */
	resync(t);
	heartbeat(t);
	/*
	 * Loading parsed the kernel's BTF (megabytes, in many small blocks) and
	 * freed it: give that back, the loader runs for months.
	 */
	malloc_trim(0);
	*out = t;
	return 0;
fail:
	tracer_close(t);
	return err;
}

void tracer_close(struct tracer *t)
{
	if (!t)
		return;
	if (t->pinned && !t->opts.keep)
		unpin_all(t);
	ring_buffer__free(t->rb);
	probes_close(t);
	bpf_link__destroy(t->list_link);
	tracer_bpf__destroy(t->skel);
	if (t->lock_fd >= 0)
		close(t->lock_fd);
	verdict_cache_free(t->verdicts);
	free(t->carried);
	free(t);
}
