// SPDX-License-Identifier: MIT
/*
 * The runtime's own counting rules, as runtime/proc.go has them (Go 1.17 to
 * the current release):
 *
 *   gcount() = allglen - sched.gFree.n - sched.ngsys - sum over allp of p.gFree.n
 *              (at least 1), which runtime.NumGoroutine() returns;
 *   mcount() = sched.mnext - sched.nmfreed, the Ms on the allm list that the
 *              agent's threadcreate profile counts.
 *
 * Nothing is stopped: each value is an atomic word read at some instant, and
 * the snapshot is accepted only when it holds together.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goruntime/stats.h"

#define MAX_THREADS 100000

struct snapshot {
	uint64_t allglen, allglen_after;
	int64_t mnext, nmfreed, ngsys, sched_gfree, p_gfree;
	uint64_t nprocs;
	int32_t gomaxprocs, ncpu;
};

static int64_t as_signed(uint64_t v, int32_t size)
{
	return size == 4 ? (int64_t)(int32_t)(uint32_t)v : (int64_t)v;
}

/*
 * sched's counters, from one read of the struct's head (the values of one
 * instant, or near it). The dead Gs of sched.gFree are its n, or from Go 1.25,
 * which dropped n, the sizes of its two lists.
 */
static int sched_fields(struct rt_target *t, struct snapshot *s)
{
	const struct rt_layout *l = &t->layout;
	bool split = !rt_known(l->sched_gfree_n);
	struct rt_field f[] = { l->sched_mnext, l->sched_nmfreed, l->sched_ngsys,
		split ? l->sched_gfree_stack_size : l->sched_gfree_n,
		split ? l->sched_gfree_nostack_size : (struct rt_field){ RT_UNKNOWN, 0 } };
	size_t n = split ? 5 : 4;
	uint64_t v[5];
	int err;

	for (size_t i = 0; i < n; i++)
		if (!rt_known(f[i]))
			return -ENOENT;
	err = rt_read_fields(t, t->addr[RT_SCHED], f, v, 5);
	s->mnext = as_signed(v[0], f[0].size);
	s->nmfreed = as_signed(v[1], f[1].size);
	s->ngsys = as_signed(v[2], f[2].size);
	s->sched_gfree = as_signed(v[3], f[3].size) + (split ? as_signed(v[4], f[4].size) : 0);
	return err;
}

/* allp's Ps and the dead Gs on their free lists. */
static int procs_free_gs(struct rt_target *t, struct snapshot *s)
{
	uint64_t *ps;
	size_t n = 0;
	int err = rt_read_allp(t, RT_MAX_PROCS, &ps, &n);

	s->nprocs = n;
	s->p_gfree = 0;
	for (size_t i = 0; !err && i < n; i++) {
		uint64_t v;

		err = rt_read_field(t, ps[i], t->layout.p_gfree_n, &v);
		s->p_gfree += as_signed(v, t->layout.p_gfree_n.size);
	}
	free(ps);
	return err;
}

static int take(struct rt_target *t, struct snapshot *s)
{
	int err;

	err = rt_read(t, t->addr[RT_ALLGLEN], &s->allglen, 8);
	if (!err)
		err = sched_fields(t, s);
	if (!err)
		err = procs_free_gs(t, s);
	if (!err)
		err = rt_read(t, t->addr[RT_GOMAXPROCS], &s->gomaxprocs, 4);
	if (!err)
		err = rt_read(t, t->addr[RT_NCPU], &s->ncpu, 4);
	if (!err)
		err = rt_read(t, t->addr[RT_ALLGLEN], &s->allglen_after, 8);
	return err;
}

/* Why the snapshot does not hold together, or NULL when it does. */
static const char *inconsistent(const struct snapshot *s, int64_t goroutines)
{
	int64_t threads = s->mnext - s->nmfreed;

	if (s->allglen != s->allglen_after)
		return "allglen changed during the read";
	if (s->gomaxprocs < 1 || s->gomaxprocs > RT_MAX_PROCS)
		return "GOMAXPROCS out of range";
	if ((uint64_t)s->gomaxprocs != s->nprocs)
		return "GOMAXPROCS is not the length of allp";
	if (s->ncpu < 1 || s->ncpu > 65536)
		return "the CPU count out of range";
	if (goroutines < 0 || (uint64_t)goroutines > s->allglen)
		return "the goroutine count out of range";
	if (threads < 1 || threads > MAX_THREADS)
		return "the thread count out of range";
	return NULL;
}

static void gc_settings(struct rt_target *t, struct rt_stats *st)
{
	uint64_t v;

	if (!rt_have(t, RT_GCCONTROLLER))
		return;
	if (rt_read_field(t, t->addr[RT_GCCONTROLLER], t->layout.gc_percent, &v) == 0) {
		st->gogc = as_signed(v, t->layout.gc_percent.size);
		st->have_gogc = st->gogc >= -1;
	}
	if (rt_read_field(t, t->addr[RT_GCCONTROLLER], t->layout.gc_memory_limit, &v) == 0) {
		st->gomemlimit = as_signed(v, t->layout.gc_memory_limit.size);
		st->have_gomemlimit = st->gomemlimit >= 0;
	}
}

static const char *const needed_globals[] = { "runtime.allglen", "runtime.sched", "runtime.allp",
	"runtime.gomaxprocs", "runtime.ncpu" };

int rt_read_stats(struct rt_target *t, struct rt_stats *st, char *why, size_t len)
{
	enum rt_global need[] = { RT_ALLGLEN, RT_SCHED, RT_ALLP, RT_GOMAXPROCS, RT_NCPU };
	const char *bad = NULL;
	struct snapshot s;
	int err = 0;

	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!rt_have(t, need[i])) {
			snprintf(why, len, "%s was not found in the executable", needed_globals[i]);
			return -ENOENT;
		}
	if (!rt_known(t->layout.p_gfree_n) || !rt_known(t->layout.sched_mnext)) {
		snprintf(why, len, "the layout of runtime.%s is not known for %s",
			rt_known(t->layout.sched_mnext) ? "p" : "schedt", t->go_version);
		return -ENOENT;
	}
	for (st->attempts = 1; st->attempts <= 2; st->attempts++) {
		memset(&s, 0, sizeof(s));
		err = take(t, &s);
		if (err == -ESRCH) {
			snprintf(why, len, "process %d exited during the read", t->pid);
			return err;
		}
		st->goroutines = (int64_t)s.allglen - s.sched_gfree - s.ngsys - s.p_gfree;
		bad = err ? (err == -EFAULT ? "a pointer outside the process's mappings"
					    : strerror(-err))
			  : inconsistent(&s, st->goroutines);
		if (!bad)
			break;
	}
	if (bad) {
		snprintf(
			why, len, "the runtime's state did not hold together, read twice: %s", bad);
		return err ? err : -EAGAIN;
	}
	if (st->goroutines < 1)
		st->goroutines = 1; /* as gcount() says */
	st->threads = s.mnext - s.nmfreed;
	st->gomaxprocs = s.gomaxprocs;
	st->ncpu = s.ncpu;
	gc_settings(t, st);
	return 0;
}
