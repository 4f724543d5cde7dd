/* SPDX-License-Identifier: MIT */
/* The metrics' insides, shared by metrics.c, exposition.c and metrics_http.c. */
#ifndef GOPS_LIVE_METRICS_IMPL_H
#define GOPS_LIVE_METRICS_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "goruntime/memstats.h"
#include "goruntime/stats.h"
#include "live/metrics.h"

enum lifecycle_kind { LC_EXEC, LC_EXIT_CODE, LC_EXIT_SIGNAL };

/*
 * One counter row: execs by (name, go_version), exits by (name, code, cause)
 * or (name, signal, cause).
 */
struct lifecycle {
	enum lifecycle_kind kind;
	int cause; /* exits: enum gops_cause */
	char name[256];
	char label[64];
	uint64_t n;
};

/* What was last read of one process's runtime (pid and start time: its identity). */
struct facts {
	int pid;
	uint64_t start_boottime;
	int64_t read_at_ns; /* CLOCK_MONOTONIC */
	bool ok;            /* the stats were read */
	bool have_memstats;
	bool have_module; /* main_module was looked up (it may be "") */
	char main_module[256];
	struct rt_stats stats;
	struct rt_memstats memstats;
};

struct event_base;
struct evhttp;

struct metrics {
	struct metrics_opts o;
	pthread_mutex_t mu; /* guards everything below but the threads */
	struct lifecycle *lc;
	size_t nlc, caplc;
	struct facts *f;
	size_t nf, capf;
	uint64_t runtime_reads, runtime_read_failures;

	atomic_bool stopping;
	pthread_mutex_t wake_mu;
	pthread_cond_t wake;
	pthread_t refresher, server;
	bool have_refresher, have_server;
	struct event_base *base;
	struct evhttp *http;
};

static inline bool metrics_stopping(struct metrics *m)
{
	return atomic_load(&m->stopping);
}

/*
 * A label value between double quotes, as the text format wants it: \\, \"
 * and \n escaped, bytes that are not UTF-8 as U+FFFD.
 */
void metrics_label_value(FILE *out, const char *s, size_t n);

/* The cached facts of (pid, start time), or NULL. Called with mu held. */
struct facts *metrics_facts_of(struct metrics *m, int pid, uint64_t start_boottime);

#endif
