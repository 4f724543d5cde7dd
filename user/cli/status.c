// SPDX-License-Identifier: MIT
/* `gops status`: the daemon and its counters. */
#include <stdio.h>

#include "base/json.h"
#include "cli/status.h"
#include "gops.h"
#include "live/table.h"

static void print_status_json(const char *pin_dir, const struct table_status *st)
{
	printf("{\"pin_dir\":");
	json_string(stdout, pin_dir);
	printf(",\"live\":%s,\"loader_pid\":%u,\"heartbeat_age_ms\":%.1f,",
		st->live ? "true" : "false", st->meta.loader_pid,
		(double)st->heartbeat_age_ns / 1e6);
	if (!st->live) {
		json_key(stdout, "why");
		json_string(stdout, st->why);
		putchar(',');
	}
	printf("\"go_rows\":%ld,\"unclassified_rows\":%ld,\"execs\":%llu,\"exits\":%llu,"
	       "\"forks\":%llu,\"kernel_verdicts\":%llu,\"classify_requests\":%llu,"
	       "\"lost_events\":%llu,\"parsed\":%llu,\"resyncs\":%llu}\n",
		st->go_rows, st->unclassified_rows, (unsigned long long)st->counters[GOPS_CNT_EXEC],
		(unsigned long long)st->counters[GOPS_CNT_EXIT],
		(unsigned long long)st->counters[GOPS_CNT_FORK],
		(unsigned long long)st->counters[GOPS_CNT_VERDICT_HIT],
		(unsigned long long)st->counters[GOPS_CNT_CLASSIFY],
		(unsigned long long)st->counters[GOPS_CNT_DROPS],
		(unsigned long long)st->meta.parsed, (unsigned long long)st->meta.resyncs);
}

int status_print(const char *pin_dir, bool json)
{
	struct table_status st;
	int err;

	err = table_status(pin_dir, &st);
	if (err) {
		fprintf(stderr, "gops: %s\n", st.why);
		return 1;
	}
	if (json) {
		print_status_json(pin_dir, &st);
		return st.live ? 0 : 1;
	}
	if (st.live)
		printf("daemon:\tlive (pid %u), heartbeat %.1fs ago\n", st.meta.loader_pid,
			(double)st.heartbeat_age_ns / 1e9);
	else
		printf("daemon:\tnot running: %s\n", st.why);
	printf("table:\t%s: %ld Go processes, %ld waiting to be classified\n", pin_dir,
		st.go_rows, st.unclassified_rows);
	printf("execs:\t%llu (%llu decided in the kernel, %llu sent to the daemon)\n",
		(unsigned long long)st.counters[GOPS_CNT_EXEC],
		(unsigned long long)st.counters[GOPS_CNT_VERDICT_HIT],
		(unsigned long long)st.counters[GOPS_CNT_CLASSIFY]);
	printf("exits:\t%llu\nforks:\t%llu\n", (unsigned long long)st.counters[GOPS_CNT_EXIT],
		(unsigned long long)st.counters[GOPS_CNT_FORK]);
	printf("parsed:\t%llu executables\n", (unsigned long long)st.meta.parsed);
	if (st.meta.incomplete)
		printf("full:\t%llu rows did not fit: listing scans /proc (raise --max-procs)\n",
			(unsigned long long)st.counters[GOPS_CNT_TABLE_FULL]);
	printf("lost:\t%llu events (%llu resyncs from /proc)\n",
		(unsigned long long)st.counters[GOPS_CNT_DROPS],
		(unsigned long long)st.meta.resyncs);
	return st.live ? 0 : 1;
}

