// SPDX-License-Identifier: MIT
/*
 * pprof profile tests. The reference is `go tool pprof -top`: for the heap and
 * CPU profiles tests/fixtures/build.sh has the profiler fixture write, our
 * report must equal pprof's (NAME.top next to them, made in UTC) line for
 * line. A fixture that is missing makes its test a skip, with the reason.
 * Small profiles built here are in test_pprof_report.c, hostile input in
 * test_pprof_hostile.c; what they share is in pprof_helpers.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "pprof/pprof.h"
#include "pprof_helpers.h"

/* Our report for fixture PROFILE against pprof's in fixture TOP. */
static void check_fixture(const char *profile, const char *top, const char *sample, size_t n)
{
	struct buf gz, want;
	struct pprof_profile p;
	char *got = NULL, label[256], *tz;
	size_t size = 0;
	FILE *out;
	int err, si;

	if (!slurp(fixture(profile), &gz))
		return;
	if (!slurp(fixture(top), &want)) {
		free(gz.p);
		return;
	}
	buf_put(&want, "", 1);
	err = pprof_parse(gz.p, gz.n, &p);
	CHECK_INT(err, 0);
	if (!err) {
		si = pprof_sample_index(&p, sample);
		CHECK(si >= 0);
		out = open_memstream(&got, &size);
		tz = utc_begin();
		CHECK_INT(pprof_top(&p, si, n, out), 0);
		utc_end(tz);
		fclose(out);
		snprintf(label, sizeof(label), "%s against %s", profile, top);
		check_same_report(got, (const char *)want.p, label);
		free(got);
		pprof_free(&p);
	}
	free(gz.p);
	free(want.p);
}

/* ---- the fixtures, against go tool pprof ---- */

TEST(test_pprof_heap_profile_top_matches_go_tool_pprof)
{
	check_fixture("heap.pb.gz", "heap.top", "", 20);
}

TEST(test_pprof_cpu_profile_top_matches_go_tool_pprof)
{
	check_fixture("cpu.pb.gz", "cpu.top", "", 20);
}

TEST(test_pprof_sample_index_by_name_matches_pprof_sample_index_flag)
{
	check_fixture("heap.pb.gz", "heap-alloc_space.top", "alloc_space", 20);
}

TEST(test_pprof_nodecount_zero_shows_every_node_like_plain_top)
{
	check_fixture("cpu.pb.gz", "cpu-all.top", "", 0);
}

TEST(test_pprof_nodecount_limit_says_showing_top_n_of_k)
{
	check_fixture("cpu.pb.gz", "cpu-top3.top", "", 3);
}

TEST(test_pprof_uncompressed_profile_reads_like_gzipped)
{
	struct buf gz, raw;
	char *a, *b;
	int err;

	if (!slurp(fixture("heap.pb.gz"), &gz))
		return;
	raw = gunzip_bytes(&gz);
	a = report(gz.p, gz.n, -1, 20, &err);
	CHECK_INT(err, 0);
	b = report(raw.p, raw.n, -1, 20, &err);
	CHECK_INT(err, 0);
	check_same_report(b, a, "uncompressed heap profile");
	free(a);
	free(b);
	free(gz.p);
	free(raw.p);
}

TEST(test_pprof_concatenated_gzip_members_read_as_one_stream)
{
	struct buf gz, raw, two = { 0 }, first, second;
	char *a, *b;
	int err;

	if (!slurp(fixture("cpu.pb.gz"), &gz))
		return;
	raw = gunzip_bytes(&gz);
	/* Split at a field boundary is not needed: members concatenate as bytes. */
	first = gzip_bytes(raw.p, raw.n / 2);
	second = gzip_bytes(raw.p + raw.n / 2, raw.n - raw.n / 2);
	buf_put(&two, first.p, first.n);
	buf_put(&two, second.p, second.n);
	a = report(gz.p, gz.n, -1, 20, &err);
	b = report(two.p, two.n, -1, 20, &err);
	CHECK_INT(err, 0);
	check_same_report(b, a, "two gzip members");
	free(a);
	free(b);
	free(gz.p);
	free(raw.p);
	free(two.p);
	free(first.p);
	free(second.p);
}

TEST(test_pprof_default_sample_types_are_inuse_space_and_cpu)
{
	const char *names[] = { "heap.pb.gz", "cpu.pb.gz" };
	const char *want[] = { "inuse_space", "cpu" };

	for (int i = 0; i < 2; i++) {
		struct pprof_profile p;
		struct buf gz;
		int si;

		if (!slurp(fixture(names[i]), &gz))
			continue;
		CHECK_INT(pprof_parse(gz.p, gz.n, &p), 0);
		si = pprof_default_sample_index(&p);
		CHECK_INT(si, (long long)p.nsample_types - 1);
		if (si >= 0)
			CHECK_STR(p.strings[p.sample_types[si].type], want[i]);
		pprof_free(&p);
		free(gz.p);
	}
}
