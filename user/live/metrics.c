// SPDX-License-Identifier: MIT
/*
 * The metrics' state: counts of Go execs and exits (from the tracer's
 * events), and a cache of runtime facts per process, keyed by pid and start
 * time so that a reused pid never inherits another process's numbers. The
 * refresher fills the cache from the processes' memory, outside the lock;
 * a scrape only reads it (exposition.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/clock.h"
#include "base/str.h"
#include "golang/buildinfo.h"
#include "live/metrics_impl.h"
#include "live/table.h"
#include "list/golist.h"

/* Distinct (name, label) pairs kept for the lifecycle counters; later ones share one row. */
#define MAX_LIFECYCLE_ROWS 4096

static struct lifecycle *find_row(
	struct metrics *m, enum lifecycle_kind kind, const char *name, const char *label, int cause)
{
	struct lifecycle *r;

	for (size_t i = 0; i < m->nlc; i++) {
		r = &m->lc[i];
		if (r->kind == kind && r->cause == cause && strcmp(r->name, name) == 0 &&
			strcmp(r->label, label) == 0)
			return r;
	}
	if (m->nlc >= MAX_LIFECYCLE_ROWS) {
		name = "(other)"; /* a bound on memory, whatever an exec storm names */
		for (size_t i = 0; i < m->nlc; i++) {
			r = &m->lc[i];
			if (r->kind == kind && strcmp(r->name, name) == 0)
				return r;
		}
	}
	r = array_push(&m->lc, &m->nlc, &m->caplc, sizeof(*m->lc));
	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->cause = cause;
	str_copy_n(r->name, sizeof(r->name), name, strlen(name));
	str_copy_n(r->label, sizeof(r->label), label, strlen(label));
	return r;
}

void metrics_count_event(struct metrics *m, const struct tracer_event *ev)
{
	enum lifecycle_kind kind = LC_EXEC;
	char label[sizeof(ev->version)];
	struct lifecycle *r;

	if (!m)
		return;
	if (ev->type == GOPS_EV_EXEC) {
		str_copy_n(label, sizeof(label), ev->version, strlen(ev->version));
	} else if (ev->exit_code >= 0) {
		kind = LC_EXIT_CODE;
		snprintf(label, sizeof(label), "%d", ev->exit_code);
	} else {
		kind = LC_EXIT_SIGNAL;
		snprintf(label, sizeof(label), "%d", ev->signal);
	}
	pthread_mutex_lock(&m->mu);
	r = find_row(m, kind, ev->name, label, ev->type == GOPS_EV_EXEC ? 0 : ev->cause);
	if (r)
		r->n++;
	pthread_mutex_unlock(&m->mu);
}

struct facts *metrics_facts_of(struct metrics *m, int pid, uint64_t start_boottime)
{
	for (size_t i = 0; i < m->nf; i++)
		if (m->f[i].pid == pid && m->f[i].start_boottime == start_boottime)
			return &m->f[i];
	return NULL;
}

/* The main module's path from the executable's build info ("" when it has none). */
static void read_main_module(struct rt_target *t, char *out, size_t len)
{
	struct go_buildinfo bi;

	*out = '\0';
	memset(&bi, 0, sizeof(bi));
	if (buildinfo_read_fd(t->exe_fd, &bi) != 0)
		return;
	if (bi.mod.has_main && bi.mod.main.path)
		str_copy_n(out, len, bi.mod.main.path, strlen(bi.mod.main.path));
	buildinfo_free(&bi);
}

/* One process's facts, read from its memory (no lock held: this takes milliseconds). */
static void read_facts(int pid, struct facts *f, bool want_module)
{
	struct rt_target t;
	char why[256];

	f->ok = false;
	f->have_memstats = false;
	if (rt_target_open(&t, pid, why, sizeof(why)) != 0)
		return;
	if (want_module)
		read_main_module(&t, f->main_module, sizeof(f->main_module));
	f->have_module = true;
	f->ok = rt_read_stats(&t, &f->stats, why, sizeof(why)) == 0;
	f->have_memstats = rt_read_memstats(&t, &f->memstats, why, sizeof(why)) == 0;
	rt_target_close(&t);
}

/* Whether p's cached facts are older than the interval (or there are none). */
static bool stale(struct metrics *m, const struct go_proc *p, int64_t now, struct facts *out)
{
	struct facts *f;
	bool old = true;

	pthread_mutex_lock(&m->mu);
	f = metrics_facts_of(m, p->pid, p->start_boottime);
	if (f) {
		*out = *f;
		/* 1/10 of the interval early, so a scrape every interval finds them renewed */
		old = now - f->read_at_ns >= (int64_t)m->o.interval_s * 900000000LL;
	}
	pthread_mutex_unlock(&m->mu);
	return old;
}

static void store(struct metrics *m, const struct facts *f)
{
	struct facts *slot;

	pthread_mutex_lock(&m->mu);
	slot = metrics_facts_of(m, f->pid, f->start_boottime);
	if (!slot)
		slot = array_push(&m->f, &m->nf, &m->capf, sizeof(*m->f));
	if (slot)
		*slot = *f;
	m->runtime_reads++;
	m->runtime_read_failures += !f->ok;
	pthread_mutex_unlock(&m->mu);
}

/* Drops the cached facts of processes no longer in the table. */
static void forget_gone(struct metrics *m, const struct go_list *l)
{
	size_t kept = 0;

	pthread_mutex_lock(&m->mu);
	for (size_t i = 0; i < m->nf; i++) {
		bool live = false;

		for (size_t j = 0; j < l->n && !live; j++)
			live = l->procs[j].pid == m->f[i].pid &&
			       l->procs[j].start_boottime == m->f[i].start_boottime;
		if (live)
			m->f[kept++] = m->f[i];
	}
	m->nf = kept;
	pthread_mutex_unlock(&m->mu);
}

void metrics_refresh(struct metrics *m)
{
	struct go_list l = { 0 };
	char why[256];

	if (table_list(m->o.pin_dir, &l, why, sizeof(why)) != 0) {
		golist_free(&l);
		return; /* not seeded yet, or full: the next round tries again */
	}
	for (size_t i = 0; i < l.n && !metrics_stopping(m); i++) {
		const struct go_proc *p = &l.procs[i];
		int64_t now = clock_mono_ns();
		struct facts f = { 0 };

		if (!stale(m, p, now, &f))
			continue;
		f.pid = p->pid;
		f.start_boottime = p->start_boottime;
		read_facts(p->pid, &f, !f.have_module);
		f.read_at_ns = now;
		store(m, &f);
	}
	forget_gone(m, &l);
	golist_free(&l);
}
