// SPDX-License-Identifier: MIT
/*
 * How a Go process ended, in words and in JSON: for `gops watch` (as each
 * exit happens) and `gops deaths` (the daemon's last GOPS_DEATHS_MAX).
 * Everything that comes from the process (its name, its crash text, the
 * sender's comm) is escaped: one line per death whatever it wrote.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/escape.h"
#include "base/json.h"
#include "live/deaths.h"
#include "live/live.h"
#include "live/pinned.h"

#define MIB (1024.0 * 1024.0)

static void print_size(FILE *out, uint64_t bytes)
{
	if (bytes >= 1024ULL * 1024 * 1024)
		fprintf(out, "%.1f GiB", (double)bytes / (MIB * 1024.0));
	else
		fprintf(out, "%.1f MiB", (double)bytes / MIB);
}

/* " from pid 4242 bash", " from the kernel", or nothing when not known. */
static void print_sender(FILE *out, const struct gops_death *d)
{
	if (!d->has_sender)
		return;
	if (d->sender_pid == 0) {
		fputs(" from the kernel", out);
		return;
	}
	fprintf(out, " from pid %u ", d->sender_pid);
	escape_name_fputs(out, d->sender_comm, strnlen(d->sender_comm, sizeof(d->sender_comm)));
}

void death_print_cause(FILE *out, const struct gops_death *d)
{
	switch (d->cause) {
	case GOPS_CAUSE_PANIC:
	case GOPS_CAUSE_FATAL:
		escape_fputs(out, d->message, strnlen(d->message, sizeof(d->message)));
		return;
	case GOPS_CAUSE_OOM:
		fputs("oom-kill, rss ", out);
		print_size(out, d->oom_rss_bytes);
		if (d->oom_limit_bytes) {
			fputs(", memory cgroup limit ", out);
			print_size(out, d->oom_limit_bytes);
		} else {
			fputs(", the host out of memory", out);
		}
		return;
	default:
		break;
	}
	if (d->signal) {
		fprintf(out, "signal %d (%s)", d->signal,
			sigabbrev_np(d->signal) ? sigabbrev_np(d->signal) : "?");
		print_sender(out, d);
		return;
	}
	fprintf(out, "code %d", d->exit_code);
}

void death_print_frames(FILE *out, const struct gops_death *d, const char *indent)
{
	for (uint32_t i = 0; i < d->nframes && i < GOPS_FRAMES_MAX; i++) {
		const struct gops_death_frame *f = &d->frames[i];

		fputs(indent, out);
		escape_fputs(out, f->func, strnlen(f->func, sizeof(f->func)));
		if (f->file[0]) {
			fputc(' ', out);
			escape_fputs(out, f->file, strnlen(f->file, sizeof(f->file)));
			if (f->line)
				fprintf(out, ":%u", f->line);
		}
		fputc('\n', out);
	}
}

static void json_frames(FILE *out, const struct gops_death *d)
{
	fputs(",\"frames\":[", out);
	for (uint32_t i = 0; i < d->nframes && i < GOPS_FRAMES_MAX; i++) {
		const struct gops_death_frame *f = &d->frames[i];

		fputs(i ? ",{" : "{", out);
		json_key(out, "func");
		json_string_n(out, f->func, strnlen(f->func, sizeof(f->func)));
		fputc(',', out);
		json_key(out, "file");
		json_string_n(out, f->file, strnlen(f->file, sizeof(f->file)));
		fprintf(out, ",\"line\":%u}", f->line);
	}
	fputc(']', out);
}

void death_write_json(FILE *out, const struct gops_death *d)
{
	fprintf(out, ",\"cause\":\"%s\"", deaths_cause_name((int)d->cause));
	if (d->cause == GOPS_CAUSE_PANIC || d->cause == GOPS_CAUSE_FATAL) {
		fputc(',', out);
		json_key(out, "message");
		json_string_n(out, d->message, strnlen(d->message, sizeof(d->message)));
		json_frames(out, d);
	}
	if (d->signal) {
		fprintf(out, ",\"signal\":%d", d->signal);
		if (d->has_sender) {
			fprintf(out, ",\"signal_from_kernel\":%s,\"signal_sender_pid\":%u,",
				d->sender_pid ? "false" : "true", d->sender_pid);
			json_key(out, "signal_sender_comm");
			json_string_n(out, d->sender_comm,
				strnlen(d->sender_comm, sizeof(d->sender_comm)));
		}
	} else {
		fprintf(out, ",\"exit_code\":%d", d->exit_code);
	}
	if (d->has_oom) {
		fprintf(out, ",\"oom\":{\"rss_bytes\":%llu,\"memcg_limit_bytes\":",
			(unsigned long long)d->oom_rss_bytes);
		if (d->oom_limit_bytes)
			fprintf(out, "%llu}", (unsigned long long)d->oom_limit_bytes);
		else
			fputs("null}", out);
	}
}

static void format_time(uint64_t ns, bool iso, char *buf, size_t len)
{
	time_t sec = (time_t)(ns / 1000000000ULL);
	struct tm tm;
	char base[40];

	if (iso) {
		gmtime_r(&sec, &tm);
		strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(buf, len, "%s.%03dZ", base, (int)(ns % 1000000000ULL / 1000000));
	} else {
		localtime_r(&sec, &tm);
		strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	}
}

static void print_death_json(FILE *out, const struct gops_death *d, bool first)
{
	struct container_info ctr;
	struct proc_ns ns;
	char when[64];

	pinned_unpack_identity(&d->ident, &ns, &ctr);
	format_time(d->time_ns, true, when, sizeof(when));
	fputs(first ? "{" : ",{", out);
	json_key(out, "time");
	json_string(out, when);
	fprintf(out, ",\"pid\":%u,\"ppid\":%u,\"nspid\":%u,", d->pid, d->ppid, d->nspid);
	json_key(out, "name");
	json_string_n(out, d->name, strnlen(d->name, sizeof(d->name)));
	fputc(',', out);
	json_key(out, "go_version");
	json_string_n(out, d->version, strnlen(d->version, sizeof(d->version)));
	container_write_json(out, &ns, &ctr);
	death_write_json(out, d);
	fprintf(out, ",\"lifetime_ms\":%.3f}", (double)d->lifetime_ns / 1e6);
}

static void print_death_text(FILE *out, const struct gops_death *d, bool verbose)
{
	struct container_info ctr;
	struct proc_ns ns;
	char when[64];

	pinned_unpack_identity(&d->ident, &ns, &ctr);
	format_time(d->time_ns, false, when, sizeof(when));
	fprintf(out, "%-19s  %-7u ", when, d->pid);
	escape_name_fputs_padded(out, d->name, strnlen(d->name, sizeof(d->name)), 16);
	fprintf(out, " %-12.12s %-6s ", ctr.id[0] ? ctr.id : "-", deaths_cause_name((int)d->cause));
	death_print_cause(out, d);
	fprintf(out, ", lived %.3fs\n", (double)d->lifetime_ns / 1e9);
	if (verbose)
		death_print_frames(out, d, "\t");
}

/* --container ID: only the deaths in containers whose id starts with ID. */
static bool in_container(const struct gops_death *d, const char *id)
{
	struct container_info ctr;
	struct proc_ns ns;

	if (!id)
		return true;
	pinned_unpack_identity(&d->ident, &ns, &ctr);
	return container_matches(&ctr, id);
}

int live_deaths(const struct live_opts *o)
{
	struct gops_death *d;
	size_t n;
	char why[512];

	if (deaths_read(o->pin_dir, &d, &n, why, sizeof(why)) != 0) {
		fprintf(stderr, "gops deaths: %s\n", why);
		return 1;
	}
	if (o->json)
		fputc('[', stdout);
	else
		printf("%-19s  %-7s %-16s %-12s %-6s %s\n", "TIME", "PID", "NAME", "CONTAINER",
			"CAUSE", "HOW");
	for (size_t i = 0, shown = 0; i < n; i++) {
		if (!in_container(&d[i], o->container))
			continue;
		if (o->json)
			print_death_json(stdout, &d[i], shown == 0);
		else
			print_death_text(stdout, &d[i], o->verbose);
		shown++;
	}
	if (o->json)
		fputs("]\n", stdout);
	free(d);
	return 0;
}
