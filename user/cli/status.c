// SPDX-License-Identifier: MIT
/* `gops status`: the daemon and its counters. */
#include <stdio.h>

#include "base/json.h"
#include "cli/status.h"
#include "gops.h"
#include "live/table.h"

typedef unsigned long long ull;

static const char *listing_way(const struct table_status *st)
{
	return st->meta.flags & GOPS_META_LIST_ITER ? "iterator" : "maps";
}

static void print_status_json(const char *pin_dir, const struct table_status *st)
{
	printf("{\"pin_dir\":");
	json_string(stdout, pin_dir);
	printf(",\"live\":%s,\"loader_pid\":%u,\"abi\":%u,\"heartbeat_age_ms\":%.1f,",
		st->live ? "true" : "false", st->meta.loader_pid, st->abi,
		(double)st->heartbeat_age_ns / 1e6);
	if (!st->live) {
		json_key(stdout, "why");
		json_string(stdout, st->why);
		putchar(',');
	}
	printf("\"listing\":\"%s\",\"full\":%s,", listing_way(st),
		st->meta.flags & GOPS_META_INCOMPLETE ? "true" : "false");
	printf("\"go_rows\":%ld,\"unclassified_rows\":%ld,\"execs\":%llu,\"exits\":%llu,"
	       "\"forks\":%llu,\"kernel_verdicts\":%llu,\"classify_requests\":%llu,"
	       "\"lost_events\":%llu,\"rows_not_fitting\":%llu,\"parsed\":%llu,\"resyncs\":%llu,"
	       "\"resync_failures\":%llu,\"map_update_failures\":%llu}\n",
		st->go_rows, st->unclassified_rows, (ull)st->counters[GOPS_CNT_EXEC],
		(ull)st->counters[GOPS_CNT_EXIT], (ull)st->counters[GOPS_CNT_FORK],
		(ull)st->counters[GOPS_CNT_VERDICT_HIT], (ull)st->counters[GOPS_CNT_CLASSIFY],
		(ull)st->counters[GOPS_CNT_DROPS], (ull)st->counters[GOPS_CNT_TABLE_FULL],
		(ull)st->meta.parsed, (ull)st->meta.resyncs, (ull)st->meta.resync_failures,
		(ull)st->meta.map_update_failures);
}

static void print_status_text(const char *pin_dir, const struct table_status *st)
{
	if (st->live)
		printf("daemon:\tlive (pid %u), heartbeat %.1fs ago\n", st->meta.loader_pid,
			(double)st->heartbeat_age_ns / 1e9);
	else
		printf("daemon:\tnot running: %s\n", st->why);
	printf("table:\t%s: %ld Go processes, %ld waiting to be classified, read from its %s\n",
		pin_dir, st->go_rows, st->unclassified_rows, listing_way(st));
	printf("execs:\t%llu (%llu decided in the kernel, %llu sent to the daemon)\n",
		(ull)st->counters[GOPS_CNT_EXEC], (ull)st->counters[GOPS_CNT_VERDICT_HIT],
		(ull)st->counters[GOPS_CNT_CLASSIFY]);
	printf("exits:\t%llu\nforks:\t%llu\n", (ull)st->counters[GOPS_CNT_EXIT],
		(ull)st->counters[GOPS_CNT_FORK]);
	printf("parsed:\t%llu executables\n", (ull)st->meta.parsed);
	if (st->meta.flags & GOPS_META_INCOMPLETE)
		printf("full:\t%llu rows did not fit: listing scans /proc (raise --max-procs)\n",
			(ull)st->counters[GOPS_CNT_TABLE_FULL]);
	printf("lost:\t%llu events (%llu resyncs from /proc, %llu failed and retried)\n",
		(ull)st->counters[GOPS_CNT_DROPS], (ull)st->meta.resyncs,
		(ull)st->meta.resync_failures);
	printf("failed:\t%llu map updates\n", (ull)st->meta.map_update_failures);
}

int status_print(const char *pin_dir, bool json)
{
	struct table_status st;

	if (table_status(pin_dir, &st) != 0) {
		fprintf(stderr, "gops: %s\n", st.why);
		return 1;
	}
	if (json)
		print_status_json(pin_dir, &st);
	else
		print_status_text(pin_dir, &st);
	return st.live ? 0 : 1;
}
