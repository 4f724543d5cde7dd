// SPDX-License-Identifier: MIT
/*
 * runtime.ReadMemStats without stopping the world: the same sums as
 * runtime/mstats.go's readmemstats_m (Go 1.19 and later) over the same
 * sources, read while the program runs:
 *
 *   memstats.heapStats  the consistent heap stats: its three generations
 *                       summed (heapStats.unsafeRead), giving allocation
 *                       and free counts per size class, stack and work
 *                       buffer bytes;
 *   gcController        heapInUse, heapFree, heapReleased, the heap goal;
 *   memstats            the *_sys counters and the GC history;
 *   mheap_              spanalloc.inuse and cachealloc.inuse.
 *
 * ReadMemStats first flushes every P's mcache into the heap stats; we add
 * what that flush would (the slots used in each P's cached spans, its tiny
 * allocations) without flushing. Allocations made while we read are
 * counted or not, as with any snapshot.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "base/gofmt.h"
#include "goruntime/memstats.h"

static const char *const key_names[MS_NKEYS] = {
	"alloc",
	"total-alloc",
	"sys",
	"lookups",
	"mallocs",
	"frees",
	"heap-alloc",
	"heap-sys",
	"heap-idle",
	"heap-in-use",
	"heap-released",
	"heap-objects",
	"stack-in-use",
	"stack-sys",
	"mspan-in-use",
	"mspan-sys",
	"mcache-in-use",
	"mcache-sys",
	"buck-hash-sys",
	"other-sys",
	"gc-sys",
	"next-gc",
	"last-gc",
	"gc-pause-total",
	"gc-pause",
	"gc-pause-end",
	"num-gc",
	"num-forced-gc",
	"gc-cpu-fraction",
	"enable-gc",
	"debug-gc",
};

const char *rt_ms_key_name(enum rt_ms_key k)
{
	return k < MS_NKEYS ? key_names[k] : "?";
}

#define MAX_HEAP_STATS (64u << 10)
#define MAX_SIZE_CLASSES 256

static void set(struct rt_memstats *m, enum rt_ms_key k, uint64_t v)
{
	m->v[k] = v;
	m->have[k] = true;
}

/* One field of a global into *v; false when unknown or unreadable. */
static bool field(struct rt_target *t, enum rt_global g, struct rt_field f, uint64_t *v)
{
	return rt_have(t, g) && rt_read_field(t, t->addr[g], f, v) == 0;
}

/* The sums of readmemstats_m over the heap stats' generations. */
struct heap_sums {
	uint64_t total_alloc, total_free, nmalloc, nfree, in_stacks, in_work_bufs, in_ptr_bits;
};

static uint64_t word(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* The slots used in one cached span since it was cached (racy: a torn read is dropped). */
static uint64_t span_slots_used(struct rt_target *t, uint64_t span)
{
	const struct rt_layout *l = &t->layout;
	const struct rt_field f[2] = { l->mspan_alloc_count, l->mspan_alloc_count_before_cache };
	uint64_t v[2]; /* allocCount, allocCountBeforeCache */

	if (rt_read_fields(t, span, f, v, 2) != 0 || v[0] < v[1])
		return 0;
	return v[0] - v[1];
}

/*
 * What ReadMemStats' flushallmcaches adds before it sums (mcache.releaseAll,
 * Go 1.19 and later): for each P's mcache, the slots used in each cached
 * span since it was cached, and the tiny allocations not yet counted.
 * emptymspan, the placeholder of an empty class, is all zeros: it adds 0.
 */
static int add_cached_spans(
	struct rt_target *t, struct heap_sums *s, const uint16_t *sizes, int32_t n)
{
	const struct rt_layout *l = &t->layout;
	size_t nspc = 2 * (size_t)n; /* a span class is a size class and a noscan bit */
	uint64_t *ps, alloc[2 * MAX_SIZE_CLASSES];
	size_t np;
	int err;

	if (!rt_known(l->p_mcache) || !rt_known(l->mcache_alloc) ||
		!rt_known(l->mcache_tiny_allocs) || !rt_known(l->mspan_alloc_count) ||
		!rt_known(l->mspan_alloc_count_before_cache) ||
		(size_t)l->mcache_alloc.size != nspc * 8)
		return -ENOENT;
	err = rt_read_allp(t, RT_MAX_PROCS, &ps, &np);
	for (size_t i = 0; !err && i < np; i++) {
		uint64_t mc, tiny;

		err = rt_read_field(t, ps[i], l->p_mcache, &mc);
		if (err || mc == 0)
			continue;
		err = rt_read(t, mc + (uint64_t)l->mcache_alloc.off, alloc, nspc * 8);
		if (!err)
			err = rt_read_field(t, mc, l->mcache_tiny_allocs, &tiny);
		if (err)
			break;
		s->nmalloc += tiny;
		s->nfree += tiny;
		for (size_t c = 0; c < nspc; c++) {
			uint64_t used = alloc[c] ? span_slots_used(t, alloc[c]) : 0;

			s->nmalloc += used;
			s->total_alloc += used * sizes[c / 2];
		}
	}
	free(ps);
	return err;
}

static int sum_heap_stats(struct rt_target *t, struct heap_sums *s)
{
	const struct rt_layout *l = &t->layout;
	int32_t n = l->num_size_classes, stride = l->hsd_size;
	uint16_t sizes[MAX_SIZE_CLASSES];
	unsigned char *buf;
	size_t total;
	int err;

	if (!rt_known(l->ms_heap_stats) || !rt_known(l->chs_stats) || stride <= 0 || n <= 0 ||
		n > MAX_SIZE_CLASSES || !rt_known(l->hsd_small_alloc_count) ||
		!rt_known(l->hsd_small_free_count) || !rt_known(l->hsd_large_alloc) ||
		!rt_known(l->hsd_large_free) || !rt_known(l->hsd_large_alloc_count) ||
		!rt_known(l->hsd_large_free_count) || !rt_known(l->hsd_tiny_alloc_count) ||
		!rt_known(l->hsd_in_stacks) || !rt_have(t, RT_CLASS_TO_SIZE))
		return -ENOENT;
	if ((int64_t)l->hsd_small_alloc_count.off + 8 * n > stride ||
		(int64_t)l->hsd_small_free_count.off + 8 * n > stride)
		return -EINVAL;
	total = 3 * (size_t)stride; /* consistentHeapStats.stats [3]heapStatsDelta */
	if (total > MAX_HEAP_STATS)
		return -EINVAL;
	err = rt_read(t, t->addr[RT_CLASS_TO_SIZE], sizes, 2 * (size_t)n);
	buf = err ? NULL : malloc(total);
	if (!err && !buf)
		err = -ENOMEM;
	if (!err)
		err = rt_read(t,
			t->addr[RT_MEMSTATS] + (uint64_t)l->ms_heap_stats.off +
				(uint64_t)l->chs_stats.off,
			buf, total);
	for (int g = 0; !err && g < 3; g++) {
		const unsigned char *d = buf + (size_t)g * (size_t)stride;
		uint64_t tiny = word(d + l->hsd_tiny_alloc_count.off);

		s->total_alloc += word(d + l->hsd_large_alloc.off);
		s->total_free += word(d + l->hsd_large_free.off);
		s->nmalloc += word(d + l->hsd_large_alloc_count.off) + tiny;
		s->nfree += word(d + l->hsd_large_free_count.off) + tiny;
		s->in_stacks += word(d + l->hsd_in_stacks.off);
		if (rt_known(l->hsd_in_work_bufs))
			s->in_work_bufs += word(d + l->hsd_in_work_bufs.off);
		if (rt_known(l->hsd_in_ptr_scalar_bits))
			s->in_ptr_bits += word(d + l->hsd_in_ptr_scalar_bits.off);
		for (int i = 0; i < n; i++) {
			uint64_t a = word(d + l->hsd_small_alloc_count.off + 8 * i);
			uint64_t f = word(d + l->hsd_small_free_count.off + 8 * i);

			s->total_alloc += a * sizes[i];
			s->total_free += f * sizes[i];
			s->nmalloc += a;
			s->nfree += f;
		}
	}
	free(buf);
	return err ? err : add_cached_spans(t, s, sizes, n);
}

/* The heap goal as gcControllerState.heapGoal() has it without a memory limit. */
static bool next_gc(struct rt_target *t, uint64_t *goal)
{
	const struct rt_layout *l = &t->layout;
	uint64_t limit, sweep = 0, trig = UINT64_MAX;

	if (!field(t, RT_GCCONTROLLER, l->gc_percent_heap_goal, goal))
		return false;
	/* Under a memory limit the goal depends on state we do not read: leave it out. */
	if (!field(t, RT_GCCONTROLLER, l->gc_memory_limit, &limit) || limit != INT64_MAX)
		return false;
	if (field(t, RT_GCCONTROLLER, l->gc_sweep_dist_min_trigger, &sweep) && sweep > *goal)
		*goal = sweep;
	if (field(t, RT_GCCONTROLLER, l->gc_triggered, &trig) && trig != UINT64_MAX &&
		*goal < trig + (64 << 10))
		*goal = trig + (64 << 10);
	return true;
}

/* All of a global's fields, in one read; false when one is unknown or the read fails. */
static bool fields(
	struct rt_target *t, enum rt_global g, const struct rt_field *f, uint64_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!rt_known(f[i]))
			return false;
	return rt_have(t, g) && rt_read_fields(t, t->addr[g], f, v, n) == 0;
}

static void heap_fields(struct rt_target *t, struct rt_memstats *m)
{
	const struct rt_layout *l = &t->layout;
	const struct rt_field heapf[3] = { l->gc_heap_inuse, l->gc_heap_free, l->gc_heap_released };
	const struct rt_field sysf[6] = { l->ms_stacks_sys, l->ms_mspan_sys, l->ms_mcache_sys,
		l->ms_buckhash_sys, l->ms_gc_misc_sys, l->ms_other_sys };
	uint64_t heap[3] = { 0 }, sys[6] = { 0 }, goal, v;
	struct heap_sums s = { 0 };
	bool have_sums = sum_heap_stats(t, &s) == 0;
	bool have_heap = fields(t, RT_GCCONTROLLER, heapf, heap, 3);
	bool have_sys = fields(t, RT_MEMSTATS, sysf, sys, 6);
	uint64_t inuse = heap[0], hfree = heap[1], released = heap[2];

	if (have_sums) {
		set(m, MS_ALLOC, s.total_alloc - s.total_free);
		set(m, MS_TOTAL_ALLOC, s.total_alloc);
		set(m, MS_LOOKUPS, 0); /* MemStats.Lookups has been 0 since Go 1.17 */
		set(m, MS_MALLOCS, s.nmalloc);
		set(m, MS_FREES, s.nfree);
		set(m, MS_HEAP_ALLOC, s.total_alloc - s.total_free);
		set(m, MS_HEAP_OBJECTS, s.nmalloc - s.nfree);
		set(m, MS_STACK_IN_USE, s.in_stacks);
	}
	if (have_heap) {
		set(m, MS_HEAP_SYS, inuse + hfree + released);
		set(m, MS_HEAP_IDLE, hfree + released);
		set(m, MS_HEAP_IN_USE, inuse);
		set(m, MS_HEAP_RELEASED, released);
	}
	if (have_sys) {
		if (have_sums)
			set(m, MS_STACK_SYS, s.in_stacks + sys[0]);
		set(m, MS_MSPAN_SYS, sys[1]);
		set(m, MS_MCACHE_SYS, sys[2]);
		set(m, MS_BUCK_HASH_SYS, sys[3]);
		set(m, MS_OTHER_SYS, sys[5]);
		if (have_sums)
			set(m, MS_GC_SYS, sys[4] + s.in_work_bufs + s.in_ptr_bits);
		if (have_sums && have_heap)
			set(m, MS_SYS,
				inuse + hfree + released + sys[0] + sys[1] + sys[2] + sys[3] +
					sys[4] + sys[5] + s.in_stacks + s.in_work_bufs +
					s.in_ptr_bits);
	}
	if (field(t, RT_MHEAP, l->mheap_spanalloc_inuse, &v))
		set(m, MS_MSPAN_IN_USE, v);
	if (field(t, RT_MHEAP, l->mheap_cachealloc_inuse, &v))
		set(m, MS_MCACHE_IN_USE, v);
	if (next_gc(t, &goal))
		set(m, MS_NEXT_GC, goal);
}

static void gc_fields(struct rt_target *t, struct rt_memstats *m, uint64_t numgc)
{
	const struct rt_layout *l = &t->layout;
	uint64_t v, base = t->addr[RT_MEMSTATS];
	size_t last = (size_t)((numgc + 255) % 256); /* the most recent GC in the rings */

	set(m, MS_NUM_GC, numgc);
	if (field(t, RT_MEMSTATS, l->ms_numforcedgc, &v))
		set(m, MS_NUM_FORCED_GC, v);
	if (field(t, RT_MEMSTATS, l->ms_last_gc_unix, &v))
		set(m, MS_LAST_GC, v);
	if (field(t, RT_MEMSTATS, l->ms_pause_total_ns, &v))
		set(m, MS_GC_PAUSE_TOTAL, v);
	if (rt_known(l->ms_pause_ns) && l->ms_pause_ns.size == 256 * 8 &&
		rt_read(t, base + (uint64_t)l->ms_pause_ns.off + 8 * last, &v, 8) == 0)
		set(m, MS_GC_PAUSE, v);
	if (rt_known(l->ms_pause_end) && l->ms_pause_end.size == 256 * 8 &&
		rt_read(t, base + (uint64_t)l->ms_pause_end.off + 8 * last, &v, 8) == 0)
		set(m, MS_GC_PAUSE_END, v);
	if (l->ms_gc_cpu_fraction.size == 8 && field(t, RT_MEMSTATS, l->ms_gc_cpu_fraction, &v))
		set(m, MS_GC_CPU_FRACTION, v);
	if (field(t, RT_MEMSTATS, l->ms_enablegc, &v)) {
		set(m, MS_ENABLE_GC, v != 0);
		set(m, MS_DEBUG_GC, 0); /* MemStats.DebugGC: "currently unused", always false */
	}
}

static uint32_t numgc_now(struct rt_target *t, int *err)
{
	uint64_t v = 0;

	*err = rt_read_field(t, t->addr[RT_MEMSTATS], t->layout.ms_numgc, &v);
	return (uint32_t)v;
}

int rt_read_memstats(struct rt_target *t, struct rt_memstats *m, char *why, size_t len)
{
	uint32_t before, after;
	int err;

	memset(m, 0, sizeof(*m));
	if (!rt_have(t, RT_MEMSTATS) || !rt_known(t->layout.ms_numgc)) {
		snprintf(why, len, "%s",
			rt_have(t, RT_MEMSTATS)
				? "the layout of runtime.mstats is not known"
				: "runtime.memstats was not found in the executable");
		return -ENOENT;
	}
	for (m->attempts = 1;; m->attempts++) {
		before = numgc_now(t, &err);
		if (!err) {
			memset(m->have, 0, sizeof(m->have));
			heap_fields(t, m);
			gc_fields(t, m, before);
			after = numgc_now(t, &err);
		}
		if (err) {
			snprintf(why, len, "%s",
				err == -ESRCH ? "the process exited during the read"
					      : "runtime.memstats could not be read");
			return err;
		}
		if (before == after)
			return 0;
		if (m->attempts == 2) {
			snprintf(why, len, "a garbage collection ended during each of two reads");
			return -EAGAIN;
		}
	}
}

void rt_memstats_print(const struct rt_memstats *m, FILE *out)
{
	char buf[96];

	for (int k = 0; k < MS_NKEYS; k++) {
		uint64_t v = m->v[k];
		double d;

		if (!m->have[k])
			continue;
		switch (k) {
		case MS_LOOKUPS:
		case MS_MALLOCS:
		case MS_FREES:
		case MS_HEAP_OBJECTS:
		case MS_GC_PAUSE:
		case MS_GC_PAUSE_END:
		case MS_NUM_GC:
		case MS_NUM_FORCED_GC:
			snprintf(buf, sizeof(buf), "%" PRIu64, v);
			break;
		case MS_NEXT_GC: {
			char b[64];

			gofmt_bytes(v, b, sizeof(b));
			snprintf(buf, sizeof(buf), "when heap-alloc >= %s", b);
			break;
		}
		case MS_LAST_GC:
			if (v == 0)
				snprintf(buf, sizeof(buf), "-");
			else
				gofmt_time((int64_t)v, buf, sizeof(buf));
			break;
		case MS_GC_PAUSE_TOTAL:
			duration_format((long long)v, buf, sizeof(buf));
			break;
		case MS_GC_CPU_FRACTION:
			memcpy(&d, &v, 8);
			gofmt_float(d, buf, sizeof(buf));
			break;
		case MS_ENABLE_GC:
		case MS_DEBUG_GC:
			snprintf(buf, sizeof(buf), "%s", v ? "true" : "false");
			break;
		default:
			gofmt_bytes(v, buf, sizeof(buf));
		}
		fprintf(out, "%s: %s\n", key_names[k], buf);
	}
}
