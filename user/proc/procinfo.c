// SPDX-License-Identifier: MIT
/*
 * Process info as gops prints it. gops asks gopsutil v3 for each value and
 * prints a line only when that call succeeds, so each value here is read on
 * its own and may be missing. The arithmetic follows gopsutil's, including
 * its quirks: the start time is cut to whole seconds, memory percent is a
 * float32, and CPU time includes delayacct_blkio_ticks.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/clock.h"
#include "base/duration.h"
#include "base/escape.h"
#include "base/json.h"
#include "proc/proc.h"
#include "proc/procinfo.h"

#define CMDLINE_MAX (16u << 20)

/* Go's Duration.Seconds(): whole and fractional parts converted separately. */
static double go_seconds(long long ns)
{
	return (double)(ns / NS_PER_SEC) + (double)(ns % NS_PER_SEC) / 1e9;
}

/* gopsutil's Times().Total() for a process: user + system + iowait seconds. */
static double cpu_total(const struct proc_stat *st, long ck)
{
	double c = (double)ck;

	return (double)st->utime / c + (double)st->stime / c + (double)st->blkio_ticks / c;
}

static bool pid_exists(int pid)
{
	char path[PATH_MAX];
	struct stat sb;

	if (pid <= 0)
		return false;
	snprintf(path, sizeof(path), "%s/%d", proc_root(), pid);
	return stat(path, &sb) == 0;
}

static void sleep_ns(long long ns)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += (time_t)(ns / NS_PER_SEC);
	until.tv_nsec += (long)(ns % NS_PER_SEC);
	if (until.tv_nsec >= NS_PER_SEC) {
		until.tv_sec++;
		until.tv_nsec -= NS_PER_SEC;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR)
		;
}

/* Its namespaces and container; whether its pid namespace is another than ours. */
static void collect_identity(int pid, const struct proc_status *status, struct procinfo *pi)
{
	struct stat own;

	pi->nspid = status->nspid;
	if (proc_namespaces(pid, &pi->ns) < 0)
		memset(&pi->ns, 0, sizeof(pi->ns));
	pi->other_pidns = pi->ns.pid && stat("/proc/self/ns/pid", &own) == 0 &&
			  (unsigned long long)own.st_ino != pi->ns.pid;
	if (proc_container(pid, &pi->ctr) <= 0)
		memset(&pi->ctr, 0, sizeof(pi->ctr));
}

int procinfo_collect(int pid, long long period_ns, struct procinfo *pi)
{
	struct proc_status status;
	struct proc_stat st;
	unsigned long long rss, total, btime = 0;
	long ck = proc_clk_tck();
	bool have_stat;
	ssize_t n;

	memset(pi, 0, sizeof(*pi));
	pi->pid = pid;
	pi->period_ns = period_ns > 0 ? period_ns : 0;
	if (!pid_exists(pid))
		return -ENOENT;

	have_stat = proc_read_stat(pid, &st) == 0;
	/* gopsutil ignores a missing btime: the start time is then off by it. */
	proc_boot_time(&btime);
	if (have_stat) {
		pi->has_ppid = true;
		pi->ppid = st.ppid;
		pi->parent_alive = pid_exists(st.ppid);
		pi->has_start = true;
		pi->start_time = st.starttime / (unsigned long long)ck + btime;
	}
	if (proc_read_status(pid, &status) == 0 && status.has_threads) {
		pi->has_threads = true;
		pi->threads = status.threads;
	}
	if (proc_read_rss(pid, &rss) == 0 && proc_mem_total(&total) == 0) {
		pi->has_mem = true;
		pi->mem_percent = 100 * (float)rss / (float)total;
	}
	if (have_stat) {
		double lifetime;

		/* A fresh read, as gopsutil's CPUPercent makes; then the clock. */
		if (proc_read_stat(pid, &st) == 0) {
			lifetime = go_seconds(
				clock_real_ns() - (long long)pi->start_time * NS_PER_SEC);
			pi->has_cpu = true;
			pi->cpu_percent = lifetime <= 0 ? 0 : 100 * cpu_total(&st, ck) / lifetime;
		}
	}
	if (pi->period_ns > 0) {
		struct proc_stat st2;

		if (proc_read_stat(pid, &st) == 0) {
			sleep_ns(pi->period_ns);
			if (proc_read_stat(pid, &st2) == 0) {
				pi->has_cpu_period = true;
				pi->cpu_period_percent =
					100 * (cpu_total(&st2, ck) - cpu_total(&st, ck)) /
					go_seconds(pi->period_ns);
			}
		}
	}
	if (status.has_uid && proc_username(status.uid[0], pi->username, sizeof(pi->username)) == 0)
		pi->has_username = true;
	n = proc_read_file(pid, "cmdline", &pi->cmdline, CMDLINE_MAX);
	if (n >= 0) {
		pi->has_cmdline = true;
		pi->cmdline_len = (size_t)n;
	}
	if (pi->has_start)
		pi->elapsed_ns = clock_real_ns() - (long long)pi->start_time * NS_PER_SEC;
	if (sockets_for_pid(pid, &pi->sockets) == 0)
		pi->has_sockets = true;
	collect_identity(pid, &status, pi);
	return 0;
}

void procinfo_free(struct procinfo *pi)
{
	free(pi->cmdline);
	pi->cmdline = NULL;
	sock_list_free(&pi->sockets);
}

void procinfo_format_etime(long long ns, char *buf, size_t len)
{
	const long long day = 24 * 3600 * NS_PER_SEC, hour = 3600 * NS_PER_SEC;
	long long days = ns / day, hours = ns % day, minutes = hours % hour;
	/*
	 * math.Mod(minutes.Seconds(), 60) without libm: the whole seconds decide
	 * the multiple of 60, and the subtraction is exact, as fmod is.
	 */
	double seconds = go_seconds(minutes) - 60.0 * (double)(minutes / NS_PER_SEC / 60);
	char d[32] = "", h[32] = "";

	if (days > 0)
		snprintf(d, sizeof(d), "%02lld-", days);
	if (days > 0 || hours / hour > 0)
		snprintf(h, sizeof(h), "%02lld:", hours / hour);
	snprintf(buf, len, "%s%s%02lld:%02.0f", d, h, minutes / (60 * NS_PER_SEC), seconds);
}

/* fmt's %.3f, which spells infinities and NaN its own way. */
static void print_go_float3(FILE *out, double v)
{
	if (isnan(v))
		fputs("NaN", out);
	else if (isinf(v))
		fputs(v > 0 ? "+Inf" : "-Inf", out);
	else
		fprintf(out, "%.3f", v);
}

void procinfo_write_text(const struct procinfo *pi, FILE *out)
{
	if (pi->has_ppid && pi->parent_alive)
		fprintf(out, "parent PID:\t%d\n", pi->ppid);
	if (pi->other_pidns && pi->nspid > 0)
		fprintf(out, "namespace PID:\t%d\n", pi->nspid);
	if (pi->ctr.runtime != CONTAINER_NONE) {
		fprintf(out, "container:\t%s (%s", pi->ctr.id,
			container_runtime_name(pi->ctr.runtime));
		if (pi->ctr.pod_uid[0])
			fprintf(out, ", pod %s", pi->ctr.pod_uid);
		fputs(")\n", out);
	}
	if (pi->has_threads)
		fprintf(out, "threads:\t%ld\n", pi->threads);
	if (pi->has_mem) {
		fputs("memory usage:\t", out);
		print_go_float3(out, pi->mem_percent);
		fputs("%\n", out);
	}
	if (pi->has_cpu) {
		fputs("cpu usage:\t", out);
		print_go_float3(out, pi->cpu_percent);
		fputs("%\n", out);
	}
	if (pi->period_ns > 0 && pi->has_cpu_period) {
		char d[32];

		duration_format(pi->period_ns, d, sizeof(d));
		fprintf(out, "cpu usage (%s):\t", d);
		print_go_float3(out, pi->cpu_period_percent);
		fputs("%\n", out);
	}
	/* What comes from the process is escaped (base/escape.h): one line per field. */
	if (pi->has_username) {
		fputs("username:\t", out);
		escape_fputs(out, pi->username, strlen(pi->username));
		fputc('\n', out);
	}
	if (pi->has_cmdline) {
		/* strings.FieldsFunc on NUL, joined by spaces: empty arguments vanish. */
		bool first = true;
		size_t i = 0;

		fputs("cmd+args:\t", out);
		while (i < pi->cmdline_len) {
			const char *a = pi->cmdline + i;
			const char *nul = memchr(a, '\0', pi->cmdline_len - i);
			size_t alen = nul ? (size_t)(nul - a) : pi->cmdline_len - i;

			if (alen) {
				if (!first)
					fputc(' ', out);
				escape_fputs(out, a, alen);
				first = false;
			}
			i += alen + 1;
		}
		fputc('\n', out);
	}
	if (pi->has_start) {
		char e[64];

		procinfo_format_etime(pi->elapsed_ns, e, sizeof(e));
		fprintf(out, "elapsed time:\t%s\n", e);
	}
	if (pi->has_sockets) {
		for (size_t i = 0; i < pi->sockets.n; i++) {
			const struct sock_entry *s = &pi->sockets.v[i];

			/* A unix socket's path is the process's choice. */
			fputs("local/remote:\t", out);
			escape_fputs(out, s->local, strlen(s->local));
			fprintf(out, ":%u <-> ", s->local_port);
			escape_fputs(out, s->remote, strlen(s->remote));
			fprintf(out, ":%u (%s)\n", s->remote_port, s->state);
		}
	}
}

/* JSON has no infinities: such a value is left out. */
static void json_percent(FILE *out, const char *key, double v)
{
	if (!isfinite(v))
		return;
	fputc(',', out);
	json_key(out, key);
	fprintf(out, "%.3f", v);
}

/* The listing's fields for where it lives. */
static void write_identity_json(const struct procinfo *pi, FILE *out)
{
	fprintf(out, ",\"nspid\":%d", pi->nspid > 0 ? pi->nspid : pi->pid);
	container_write_json(out, &pi->ns, &pi->ctr);
}

void procinfo_write_json(const struct procinfo *pi, FILE *out)
{
	fprintf(out, "{\"pid\":%d", pi->pid);
	if (pi->has_ppid)
		fprintf(out, ",\"ppid\":%d", pi->ppid);
	if (pi->has_threads)
		fprintf(out, ",\"threads\":%ld", pi->threads);
	write_identity_json(pi, out);
	if (pi->has_mem)
		json_percent(out, "memory_percent", pi->mem_percent);
	if (pi->has_cpu)
		json_percent(out, "cpu_percent", pi->cpu_percent);
	if (pi->period_ns > 0) {
		char d[32];

		if (pi->has_cpu_period)
			json_percent(out, "cpu_percent_period", pi->cpu_period_percent);
		duration_format(pi->period_ns, d, sizeof(d));
		fputc(',', out);
		json_key(out, "period");
		json_string(out, d);
	}
	if (pi->has_username) {
		fputc(',', out);
		json_key(out, "username");
		json_string(out, pi->username);
	}
	if (pi->has_cmdline) {
		/* The real argv: one trailing NUL ends the last argument, empty ones are kept. */
		size_t len = pi->cmdline_len, i = 0;

		if (len && pi->cmdline[len - 1] == '\0')
			len--;
		fputs(",\"cmdline\":[", out);
		while (pi->cmdline_len && i <= len) {
			const char *a = pi->cmdline + i;
			const char *nul = i < len ? memchr(a, '\0', len - i) : NULL;
			size_t alen = nul ? (size_t)(nul - a) : len - i;

			if (i)
				fputc(',', out);
			json_string_n(out, a, alen);
			i += alen + 1;
		}
		fputc(']', out);
	}
	if (pi->has_start) {
		char e[64];

		procinfo_format_etime(pi->elapsed_ns, e, sizeof(e));
		fputc(',', out);
		json_key(out, "elapsed");
		json_string(out, e);
		fprintf(out, ",\"start_time\":%llu", pi->start_time);
	}
	if (pi->has_sockets) {
		fputs(",\"sockets\":[", out);
		for (size_t i = 0; i < pi->sockets.n; i++) {
			const struct sock_entry *s = &pi->sockets.v[i];

			fputs(i ? ",{" : "{", out);
			json_key(out, "kind");
			json_string(out, sock_kind_name(s->kind));
			fputc(',', out);
			json_key(out, "local");
			json_string(out, s->local);
			fprintf(out, ",\"local_port\":%u,", s->local_port);
			json_key(out, "remote");
			json_string(out, s->remote);
			fprintf(out, ",\"remote_port\":%u,", s->remote_port);
			json_key(out, "state");
			json_string(out, s->state);
			fputc('}', out);
		}
		fputc(']', out);
	}
	fputs("}\n", out);
}

int procinfo_print(int pid, long long period_ns, bool json, FILE *out)
{
	struct procinfo pi;
	int err = procinfo_collect(pid, period_ns, &pi);

	if (err) {
		procinfo_free(&pi);
		return err;
	}
	if (json)
		procinfo_write_json(&pi, out);
	else
		procinfo_write_text(&pi, out);
	procinfo_free(&pi);
	if (fflush(out) != 0 || ferror(out))
		return -EIO;
	return 0;
}
