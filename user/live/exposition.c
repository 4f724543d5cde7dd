// SPDX-License-Identifier: MIT
/*
 * The Prometheus text exposition format, version 0.0.4
 * (prometheus.io/docs/instrumenting/exposition_formats): per metric family
 * one # HELP and one # TYPE line, then all its samples together. Label
 * values escape backslash, double quote and newline; bytes that are not
 * UTF-8 (a process may name itself anything) become U+FFFD, since the
 * format is UTF-8. Runtime series carry the names the Prometheus Go client
 * gives them (go_goroutines, go_memstats_heap_inuse_bytes, ...), so that
 * dashboards made for it apply, with the process's labels added.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "live/deaths.h"
#include "live/metrics_impl.h"
#include "live/table.h"
#include "list/golist.h"

void metrics_label_value(FILE *out, const char *s, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n;) {
		const unsigned char *c = (const unsigned char *)s + i;
		uint32_t r;
		size_t len;

		if (*c == '\\' || *c == '"') {
			fputc('\\', out);
			fputc(*c, out);
			i++;
			continue;
		}
		if (*c == '\n') {
			fputs("\\n", out);
			i++;
			continue;
		}
		len = utf8_decode(c, n - i, &r);
		if (len == 0) {
			fputs("\xef\xbf\xbd", out); /* U+FFFD */
			i++;
			continue;
		}
		fwrite(c, 1, len, out);
		i += len;
	}
	fputc('"', out);
}

static void label(FILE *out, bool first, const char *key, const char *value)
{
	fprintf(out, "%s%s=", first ? "" : ",", key);
	metrics_label_value(out, value, strlen(value));
}

/* A sample's value: integers as integers (up to 2^53, where doubles are exact), else %.17g. */
static void value(FILE *out, double v)
{
	if (v == (double)(int64_t)v && v > -9007199254740992.0 && v < 9007199254740992.0)
		fprintf(out, " %" PRId64 "\n", (int64_t)v);
	else
		fprintf(out, " %.17g\n", v);
}

static void family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The labels every per-process series has: pid, name, container_id. */
static void process_labels(FILE *out, const struct go_proc *p)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", p->pid);
	fputc('{', out);
	label(out, true, "pid", pid);
	label(out, false, "name", p->name);
	label(out, false, "container_id", p->ctr.id);
	fputc('}', out);
}

static void info_sample(FILE *out, const struct go_proc *p, const struct facts *f)
{
	char pid[16], nspid[16];

	snprintf(pid, sizeof(pid), "%d", p->pid);
	snprintf(nspid, sizeof(nspid), "%d", p->nspid);
	fputs("gops_go_process_info{", out);
	label(out, true, "pid", pid);
	label(out, false, "nspid", nspid);
	label(out, false, "name", p->name);
	label(out, false, "path", p->path ? p->path : "");
	label(out, false, "go_version", p->version);
	label(out, false, "main_module", f && f->have_module ? f->main_module : "");
	label(out, false, "container_id", p->ctr.id);
	label(out, false, "agent", p->agent ? "true" : "false");
	fputs("} 1\n", out);
}

/* The runtime series, one family at a time over every process whose facts were read. */
enum rt_series {
	RS_GOROUTINES,
	RS_THREADS,
	RS_GOMAXPROCS,
	RS_GOGC,
	RS_GOMEMLIMIT,
	RS_HEAP_ALLOC,
	RS_HEAP_INUSE,
	RS_NEXT_GC,
	RS_LAST_GC,
	RS_GC_CYCLES,
	RS_COUNT,
};

static const struct {
	const char *name, *type, *help;
} rt_series[RS_COUNT] = {
	[RS_GOROUTINES] = { "go_goroutines", "gauge",
		"Number of goroutines that currently exist (read from the process's memory)." },
	[RS_THREADS] = { "go_threads", "gauge", "Number of OS threads created." },
	[RS_GOMAXPROCS] = { "go_sched_gomaxprocs_threads", "gauge",
		"The current runtime.GOMAXPROCS setting." },
	[RS_GOGC] = { "go_gc_gogc_percent", "gauge",
		"Heap size target percentage configured by GOGC or debug.SetGCPercent (-1: off)." },
	[RS_GOMEMLIMIT] = { "go_gc_gomemlimit_bytes", "gauge",
		"Go runtime memory limit configured by GOMEMLIMIT or debug.SetMemoryLimit." },
	[RS_HEAP_ALLOC] = { "go_memstats_heap_alloc_bytes", "gauge",
		"Number of heap bytes allocated and still in use." },
	[RS_HEAP_INUSE] = { "go_memstats_heap_inuse_bytes", "gauge",
		"Number of heap bytes that are in use." },
	[RS_NEXT_GC] = { "go_memstats_next_gc_bytes", "gauge",
		"Number of heap bytes when next garbage collection will take place." },
	[RS_LAST_GC] = { "go_memstats_last_gc_time_seconds", "gauge",
		"Number of seconds since 1970 of last garbage collection." },
	[RS_GC_CYCLES] = { "go_gc_cycles_total", "counter",
		"Count of completed GC cycles since the process started." },
};

/* The value of series s for f; false when it was not read. */
static bool rt_value(enum rt_series s, const struct facts *f, double *v)
{
	const struct rt_memstats *ms = &f->memstats;
	enum rt_ms_key k;

	switch (s) {
	case RS_GOROUTINES:
		*v = (double)f->stats.goroutines;
		return f->ok;
	case RS_THREADS:
		*v = (double)f->stats.threads;
		return f->ok;
	case RS_GOMAXPROCS:
		*v = (double)f->stats.gomaxprocs;
		return f->ok;
	case RS_GOGC:
		*v = f->stats.gogc < 0 ? -1 : (double)f->stats.gogc;
		return f->ok && f->stats.have_gogc;
	case RS_GOMEMLIMIT:
		*v = (double)f->stats.gomemlimit;
		return f->ok && f->stats.have_gomemlimit;
	case RS_HEAP_ALLOC:
		k = MS_HEAP_ALLOC;
		break;
	case RS_HEAP_INUSE:
		k = MS_HEAP_IN_USE;
		break;
	case RS_NEXT_GC:
		k = MS_NEXT_GC;
		break;
	case RS_LAST_GC:
		*v = (double)ms->v[MS_LAST_GC] / 1e9;
		return f->have_memstats && ms->have[MS_LAST_GC];
	case RS_GC_CYCLES:
		k = MS_NUM_GC;
		break;
	default:
		return false;
	}
	*v = (double)ms->v[k];
	return f->have_memstats && ms->have[k];
}

/* Each process's facts (or NULL), looked up once per scrape, not once per family. */
static const struct facts **facts_of_list(struct metrics *m, const struct go_list *l)
{
	const struct facts **fs = calloc(l->n ? l->n : 1, sizeof(*fs));

	for (size_t i = 0; fs && i < l->n; i++)
		fs[i] = metrics_facts_of(m, l->procs[i].pid, l->procs[i].start_boottime);
	return fs;
}

static void process_series(FILE *out, struct metrics *m, const struct go_list *l)
{
	int64_t boot_epoch_ns = clock_real_ns() - (int64_t)clock_boot_ns();
	const struct facts **fs = facts_of_list(m, l);

	if (!fs)
		return;
	family(out, "gops_go_process_info", "gauge",
		"A live Go process, from the daemon's table (always 1).");
	for (size_t i = 0; i < l->n; i++)
		info_sample(out, &l->procs[i], fs[i]);
	family(out, "gops_go_process_start_time_seconds", "gauge",
		"Start time of the Go process since unix epoch in seconds.");
	for (size_t i = 0; i < l->n; i++) {
		const struct go_proc *p = &l->procs[i];

		if (!p->start_boottime)
			continue;
		fputs("gops_go_process_start_time_seconds", out);
		process_labels(out, p);
		fprintf(out, " %.3f\n", (double)(boot_epoch_ns + (int64_t)p->start_boottime) / 1e9);
	}
	family(out, "gops_go_process_runtime_readable", "gauge",
		"Whether the runtime facts of the process could be read from its memory.");
	for (size_t i = 0; i < l->n; i++) {
		const struct go_proc *p = &l->procs[i];
		const struct facts *f = fs[i];

		if (!f)
			continue; /* not tried yet */
		fputs("gops_go_process_runtime_readable", out);
		process_labels(out, p);
		fprintf(out, " %d\n", f->ok);
	}
	for (int s = 0; s < RS_COUNT; s++) {
		family(out, rt_series[s].name, rt_series[s].type, rt_series[s].help);
		for (size_t i = 0; i < l->n; i++) {
			const struct go_proc *p = &l->procs[i];
			const struct facts *f = fs[i];
			double v;

			if (!f || !rt_value((enum rt_series)s, f, &v))
				continue;
			fputs(rt_series[s].name, out);
			process_labels(out, p);
			value(out, v);
		}
	}
	free(fs);
}

static void lifecycle_series(FILE *out, struct metrics *m)
{
	static const char *const keys[] = { "go_version", "code", "signal" };

	family(out, "gops_go_process_execs_total", "counter",
		"Go executables started since the daemon started, by name and Go version.");
	for (size_t i = 0; i < m->nlc; i++) {
		if (m->lc[i].kind != LC_EXEC)
			continue;
		fputs("gops_go_process_execs_total{", out);
		label(out, true, "name", m->lc[i].name);
		label(out, false, keys[m->lc[i].kind], m->lc[i].label);
		fprintf(out, "} %" PRIu64 "\n", m->lc[i].n);
	}
	family(out, "gops_go_process_exits_total", "counter",
		"Go processes that exited since the daemon started, by name, exit code or "
		"signal, and cause (exit, panic, fatal, oom, signal).");
	for (size_t i = 0; i < m->nlc; i++) {
		if (m->lc[i].kind == LC_EXEC)
			continue;
		fputs("gops_go_process_exits_total{", out);
		label(out, true, "name", m->lc[i].name);
		label(out, false, keys[m->lc[i].kind], m->lc[i].label);
		label(out, false, "cause", deaths_cause_name(m->lc[i].cause));
		fprintf(out, "} %" PRIu64 "\n", m->lc[i].n);
	}
}

static void counter(FILE *out, const char *name, const char *help, uint64_t v)
{
	family(out, name, "counter", help);
	fprintf(out, "%s %" PRIu64 "\n", name, v);
}

static void gauge(FILE *out, const char *name, const char *help, double v)
{
	family(out, name, "gauge", help);
	fputs(name, out);
	value(out, v);
}

static void daemon_series(FILE *out, struct metrics *m, const struct table_status *st, bool seeded)
{
	const uint64_t *c = st->counters;

	family(out, "gops_daemon_events_total", "counter",
		"Process events the BPF programs saw, by kind.");
	fprintf(out, "gops_daemon_events_total{kind=\"exec\"} %" PRIu64 "\n", c[GOPS_CNT_EXEC]);
	fprintf(out, "gops_daemon_events_total{kind=\"exit\"} %" PRIu64 "\n", c[GOPS_CNT_EXIT]);
	fprintf(out, "gops_daemon_events_total{kind=\"fork\"} %" PRIu64 "\n", c[GOPS_CNT_FORK]);
	counter(out, "gops_daemon_execs_decided_in_kernel_total",
		"Execs the kernel decided from the verdict cache, without user space.",
		c[GOPS_CNT_VERDICT_HIT]);
	counter(out, "gops_daemon_events_lost_total",
		"Events lost because the ring buffer was full (each one starts a resync).",
		c[GOPS_CNT_DROPS]);
	counter(out, "gops_daemon_resyncs_total",
		"Resyncs of the table with /proc after lost events.", st->meta.resyncs);
	counter(out, "gops_daemon_executables_parsed_total",
		"Executables whose build info the daemon parsed.", st->meta.parsed);
	counter(out, "gops_daemon_map_update_failures_total",
		"Writes to the BPF maps that failed, races with exits aside.",
		st->meta.map_update_failures);
	counter(out, "gops_daemon_table_full_total",
		"Processes that did not fit in the table (--max-procs raises it).",
		c[GOPS_CNT_TABLE_FULL]);
	family(out, "gops_daemon_table_rows", "gauge", "Rows in the process table, by kind.");
	fprintf(out, "gops_daemon_table_rows{kind=\"go\"} %ld\n", st->go_rows);
	fprintf(out, "gops_daemon_table_rows{kind=\"unclassified\"} %ld\n", st->unclassified_rows);
	gauge(out, "gops_daemon_table_capacity", "Rows the process table can hold.",
		(double)m->o.max_procs);
	gauge(out, "gops_daemon_table_seeded",
		"Whether the table is complete (seeded from /proc and not full).", seeded);
	counter(out, "gops_daemon_runtime_reads_total",
		"Reads of a process's runtime facts from its memory.", m->runtime_reads);
	counter(out, "gops_daemon_runtime_read_failures_total",
		"Reads of runtime facts that failed (a release or build gops cannot read).",
		m->runtime_read_failures);
}

int metrics_write(struct metrics *m, FILE *out)
{
	int64_t start = clock_mono_ns();
	struct go_list l = { 0 };
	struct table_status st;
	char why[256];
	bool seeded;

	seeded = table_list(m->o.pin_dir, &l, why, sizeof(why)) == 0;
	if (table_status(m->o.pin_dir, &st) != 0)
		memset(&st, 0, sizeof(st));
	pthread_mutex_lock(&m->mu);
	process_series(out, m, &l);
	lifecycle_series(out, m);
	daemon_series(out, m, &st, seeded);
	pthread_mutex_unlock(&m->mu);
	golist_free(&l);
	family(out, "gops_daemon_scrape_duration_seconds", "gauge",
		"How long this exposition took to build (the table read included).");
	fprintf(out, "gops_daemon_scrape_duration_seconds %.6f\n",
		(double)(clock_mono_ns() - start) / 1e9);
	fflush(out);
	return ferror(out) ? -EIO : 0;
}
