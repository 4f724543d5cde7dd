// SPDX-License-Identifier: MIT
/*
 * pprof reports of small profiles built here: they cover what the fixtures
 * (test_pprof.c) cannot show for sure (inlined and partly inlined calls,
 * recursion, ties, nameless frames, comments, units, diff bases); their
 * expected reports are what Go 1.19's pprof printed for them: GOPS_PPROF_DUMP=DIR
 * writes them to DIR/NAME.pb to check again with
 * `TZ=UTC go tool pprof -top -nodecount=20 DIR/NAME.pb`.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "pprof/pprof.h"
#include "pprof_helpers.h"

#define MS 1000000LL
#define TIME_NANOS 1700000000123456789LL /* Nov 14, 2023 at 10:13pm UTC */

/* Builds a profile, dumps it if asked, checks our report against pprof's. */
static void check_synth(
	const char *name, struct buf prof, int sample_index, size_t n, const char *want)
{
	char *got;
	int err;

	dump(name, &prof);
	got = report(prof.p, prof.n, sample_index, n, &err);
	CHECK_INT(err, 0);
	check_same_report(got, want, name);
	free(got);
	free(prof.p);
}

/* A CPU profile of one program; the frames of location 2 are inlined. */
static struct synth cpu_header(void)
{
	struct synth s;

	synth_init(&s);
	synth_type(&s, "samples", "count");
	synth_type(&s, "cpu", "nanoseconds");
	synth_mapping(&s, 1, "/opt/app/server", "");
	pb_uint(&s.body, 9, TIME_NANOS);
	pb_uint(&s.body, 10, 2000 * MS);
	return s;
}

/*
 * helper is inlined into outer at location 2, and called for real from main
 * at location 3: callers through both kinds of edge make it partly inlined;
 * leaf, only ever reached by real calls, is not marked.
 */
TEST(test_pprof_inlined_frames_are_functions_marked_inline_or_partial_inline)
{
	struct synth s = cpu_header();

	synth_function(&s, 1, "main.main", 0);
	synth_function(&s, 2, "main.outer", 0);
	synth_function(&s, 3, "main.helper", 0);
	synth_function(&s, 4, "main.leaf", 0);
	synth_function(&s, 5, "main.small", 0);
	synth_location(&s, 1, 1, IDS(4));
	synth_location(&s, 2, 1, IDS(3, 2));
	synth_location(&s, 3, 1, IDS(3));
	synth_location(&s, 4, 1, IDS(1));
	synth_location(&s, 5, 1, IDS(5, 2));
	synth_sample(&s, IDS(1, 2, 4), VALS(1, 10 * MS));
	synth_sample(&s, IDS(1, 3, 4), VALS(2, 20 * MS));
	synth_sample(&s, IDS(2, 4), VALS(3, 30 * MS));
	synth_sample(&s, IDS(5, 4), VALS(4, 40 * MS));
	check_synth("inline", synth_done(&s), -1, 20,
		"File: server\n"
		"Type: cpu\n"
		"Time: Nov 14, 2023 at 10:13pm (UTC)\n"
		"Duration: 2s, Total samples = 100ms ( 5.00%)\n"
		"Showing nodes accounting for 100ms, 100% of 100ms total\n"
		"      flat  flat%   sum%        cum   cum%\n"
		"      40ms 40.00% 40.00%       40ms 40.00%  main.small (inline)\n"
		"      30ms 30.00% 70.00%       60ms 60.00%  main.helper (partial-inline)\n"
		"      30ms 30.00%   100%       30ms 30.00%  main.leaf\n"
		"         0     0%   100%      100ms   100%  main.main\n"
		"         0     0%   100%       80ms 80.00%  main.outer\n");
}

TEST(test_pprof_recursive_function_counts_cum_once_per_sample)
{
	struct synth s = cpu_header();

	synth_function(&s, 1, "main.main", 0);
	synth_function(&s, 2, "main.rec", 0);
	synth_function(&s, 3, "main.leaf", 0);
	synth_location(&s, 1, 1, IDS(1));
	synth_location(&s, 2, 1, IDS(2));
	synth_location(&s, 3, 1, IDS(2));
	synth_location(&s, 4, 1, IDS(3));
	synth_sample(&s, IDS(4, 2, 3, 2, 3, 1), VALS(5, 50 * MS));
	synth_sample(&s, IDS(3, 2, 1), VALS(1, 10 * MS));
	check_synth("recursion", synth_done(&s), -1, 20,
		"File: server\n"
		"Type: cpu\n"
		"Time: Nov 14, 2023 at 10:13pm (UTC)\n"
		"Duration: 2s, Total samples = 60ms ( 3.00%)\n"
		"Showing nodes accounting for 60ms, 100% of 60ms total\n"
		"      flat  flat%   sum%        cum   cum%\n"
		"      50ms 83.33% 83.33%       50ms 83.33%  main.leaf\n"
		"      10ms 16.67%   100%       60ms   100%  main.rec\n"
		"         0     0%   100%       60ms   100%  main.main\n");
}

/* pprof sorts by flat value, then by name, and only then by cum. */
TEST(test_pprof_equal_flat_values_are_ordered_by_name_before_cum)
{
	struct synth s;

	synth_init(&s);
	synth_type(&s, "samples", "count");
	synth_function(&s, 1, "b.two", 0);
	synth_function(&s, 2, "a.one", 0);
	synth_function(&s, 3, "c.three", 0);
	synth_location(&s, 1, 0, IDS(1));
	synth_location(&s, 2, 0, IDS(2));
	synth_location(&s, 3, 0, IDS(3));
	synth_sample(&s, IDS(2), VALS(10));
	synth_sample(&s, IDS(1), VALS(10));
	synth_sample(&s, IDS(3, 1), VALS(5));
	check_synth("ties", synth_done(&s), -1, 20,
		"Type: samples\n"
		"Showing nodes accounting for 25, 100% of 25 total\n"
		"      flat  flat%   sum%        cum   cum%\n"
		"        10 40.00% 40.00%         10 40.00%  a.one\n"
		"        10 40.00% 80.00%         15 60.00%  b.two\n"
		"         5 20.00%   100%          5 20.00%  c.three\n");
}

/*
 * Frames without a function name are named after their mapping's file, and
 * told apart by the function's start line; frames without a mapping either
 * are <unknown>.
 */
TEST(test_pprof_nameless_frames_show_binary_name_or_unknown)
{
	struct synth s;

	synth_init(&s);
	synth_type(&s, "cpu", "nanoseconds");
	synth_mapping(&s, 1, "/app/bin/main", "");
	synth_mapping(&s, 2, "/usr/lib/x86_64-linux-gnu/libfoo.so.1", "");
	synth_function(&s, 1, "main.main", 0);
	synth_function(&s, 2, "", 0);
	synth_function(&s, 3, "", 42);
	synth_location(&s, 1, 2, IDS(2));
	synth_location(&s, 2, 2, 0, NULL);
	synth_location(&s, 3, 2, IDS(3));
	synth_location(&s, 4, 0, 0, NULL);
	synth_location(&s, 5, 1, IDS(1));
	synth_sample(&s, IDS(1, 5), VALS(20 * MS));
	synth_sample(&s, IDS(3, 5), VALS(10 * MS));
	synth_sample(&s, IDS(3, 2, 5), VALS(10 * MS));
	synth_sample(&s, IDS(4, 5), VALS(5 * MS));
	check_synth("nameless", synth_done(&s), -1, 20,
		"File: main\n"
		"Type: cpu\n"
		"Showing nodes accounting for 45ms, 100% of 45ms total\n"
		"      flat  flat%   sum%        cum   cum%\n"
		"      20ms 44.44% 44.44%       30ms 66.67%  [libfoo.so.1]\n"
		"      20ms 44.44% 88.89%       20ms 44.44%  [libfoo.so.1]\n"
		"       5ms 11.11%   100%        5ms 11.11%  <unknown>\n"
		"         0     0%   100%       45ms   100%  main.main\n");
}

/*
 * Comments are shown once each, except those starting with '#'; the build
 * ID of the first mapping is shown; default_sample_type picks the column.
 * Bytes are scaled to one unit for all rows, small enough for the smallest.
 */
TEST(test_pprof_comments_build_id_and_default_sample_type)
{
	struct synth s;

	synth_init(&s);
	synth_type(&s, "alloc_space", "bytes");
	synth_type(&s, "inuse_space", "bytes");
	synth_mapping(&s, 1, "/app/bin/server", "5e3c1a2b");
	synth_comment(&s, "hello world");
	synth_comment(&s, "#hidden");
	synth_comment(&s, "hello world");
	synth_comment(&s, "second");
	pb_uint(&s.body, 14, str(&s, "alloc_space"));
	synth_function(&s, 1, "main.big", 0);
	synth_function(&s, 2, "main.tiny", 0);
	synth_location(&s, 1, 1, IDS(1));
	synth_location(&s, 2, 1, IDS(2));
	synth_sample(&s, IDS(1), VALS(10 << 20, 2048));
	synth_sample(&s, IDS(2), VALS(60 << 10, 0));
	check_synth("comments", synth_done(&s), -1, 20,
		"File: server\n"
		"Build ID: 5e3c1a2b\n"
		"hello world\n"
		"second\n"
		"Type: alloc_space\n"
		"Showing nodes accounting for 10.06MB, 100% of 10.06MB total\n"
		"      flat  flat%   sum%        cum   cum%\n"
		"      10MB 99.42% 99.42%       10MB 99.42%  main.big\n"
		"    0.06MB  0.58%   100%     0.06MB  0.58%  main.tiny\n");
}

TEST(test_pprof_explicit_sample_index_overrides_the_default)
{
	struct synth s;

	synth_init(&s);
	synth_type(&s, "alloc_space", "bytes");
	synth_type(&s, "inuse_space", "bytes");
	pb_uint(&s.body, 14, str(&s, "alloc_space"));
	synth_function(&s, 1, "main.big", 0);
	synth_function(&s, 2, "main.tiny", 0);
	synth_location(&s, 1, 0, IDS(1));
	synth_location(&s, 2, 0, IDS(2));
	synth_sample(&s, IDS(1), VALS(10 << 20, 2048));
	synth_sample(&s, IDS(2), VALS(100, 0));
	check_synth("sample_index", synth_done(&s), 1, 20,
		"Type: inuse_space\n"
		"Showing nodes accounting for 2kB, 100% of 2kB total\n"
		"      flat  flat%   sum%        cum   cum%\n"
		"       2kB   100%   100%        2kB   100%  main.big\n");
}

/* A count has no unit, so the Duration line ends with a space and no ratio. */
TEST(test_pprof_counts_print_plain_and_duration_without_ratio)
{
	struct synth s;

	synth_init(&s);
	synth_type(&s, "goroutine", "count");
	pb_uint(&s.body, 10, 1500 * MS);
	synth_function(&s, 1, "runtime.gopark", 0);
	synth_function(&s, 2, "main.worker", 0);
	synth_location(&s, 1, 0, IDS(1));
	synth_location(&s, 2, 0, IDS(2));
	synth_sample(&s, IDS(1, 2), VALS(7));
	check_synth("count", synth_done(&s), -1, 20,
		"Type: goroutine\n"
		"Duration: 1.50s, Total samples = 7 \n"
		"Showing nodes accounting for 7, 100% of 7 total\n"
		"      flat  flat%   sum%        cum   cum%\n"
		"         7   100%   100%          7   100%  runtime.gopark\n"
		"         0     0%   100%          7   100%  main.worker\n");
}

/* Nodes under 0.5% of the total are dropped first, then the top n kept. */
TEST(test_pprof_small_nodes_dropped_then_top_n_shown)
{
	static const char *const names[] = { "f.a", "f.b", "f.c", "f.d", "f.e", "f.f", "f.g" };
	static const int64_t values[] = { 1000, 900, 800, 700, 1, 2, 3 };
	struct synth s;

	synth_init(&s);
	synth_type(&s, "samples", "count");
	for (uint64_t i = 0; i < 7; i++) {
		synth_function(&s, i + 1, names[i], 0);
		synth_location(&s, i + 1, 0, 1, (uint64_t[]){ i + 1 });
		synth_sample(&s, 1, (uint64_t[]){ i + 1 }, 1, &values[i]);
	}
	check_synth("dropped", synth_done(&s), -1, 2,
		"Type: samples\n"
		"Showing nodes accounting for 1900, 55.78% of 3406 total\n"
		"Dropped 3 nodes (cum <= 17)\n"
		"Showing top 2 nodes out of 4\n"
		"      flat  flat%   sum%        cum   cum%\n"
		"      1000 29.36% 29.36%       1000 29.36%  f.a\n"
		"       900 26.42% 55.78%        900 26.42%  f.b\n");
}

/* A -diff_base profile: the total is the base's, values may be negative. */
TEST(test_pprof_diff_base_profile_totals_the_base_only)
{
	struct synth s;

	synth_init(&s);
	synth_type(&s, "cpu", "nanoseconds");
	synth_function(&s, 1, "main.slower", 0);
	synth_function(&s, 2, "main.faster", 0);
	synth_location(&s, 1, 0, IDS(1));
	synth_location(&s, 2, 0, IDS(2));
	synth_labeled_sample(&s, IDS(1), VALS(-30 * MS), "pprof::base", "true");
	synth_labeled_sample(&s, IDS(2), VALS(-50 * MS), "pprof::base", "true");
	synth_sample(&s, IDS(1), VALS(70 * MS));
	synth_sample(&s, IDS(2), VALS(20 * MS));
	check_synth("diff_base", synth_done(&s), -1, 20,
		"Type: cpu\n"
		"Showing nodes accounting for 10ms, 12.50% of 80ms total\n"
		"      flat  flat%   sum%        cum   cum%\n"
		"      40ms 50.00% 50.00%       40ms 50.00%  main.slower\n"
		"     -30ms 37.50% 12.50%      -30ms 37.50%  main.faster\n");
}

/* Units pprof does not know are printed as they are, padded by runes. */
TEST(test_pprof_unknown_units_print_verbatim_and_known_ones_scale)
{
	struct synth s;

	synth_init(&s);
	synth_type(&s, "power", "\xc2\xb5W");
	synth_type(&s, "wall", "microseconds");
	synth_function(&s, 1, "main.heater", 0);
	synth_function(&s, 2, "main.fan", 0);
	synth_location(&s, 1, 0, IDS(1));
	synth_location(&s, 2, 0, IDS(2));
	synth_sample(&s, IDS(1), VALS(12, 1500));
	synth_sample(&s, IDS(2), VALS(3, 250000));
	check_synth("units_power", synth_done(&s), 0, 20,
		"Type: power\n"
		"Showing nodes accounting for 15\xc2\xb5W, 100% of 15\xc2\xb5W total\n"
		"      flat  flat%   sum%        cum   cum%\n"
		"      12\xc2\xb5W 80.00% 80.00%       12\xc2\xb5W 80.00%  main.heater\n"
		"       3\xc2\xb5W 20.00%   100%        3\xc2\xb5W 20.00%  main.fan\n");
}

TEST(test_pprof_microseconds_scale_to_milliseconds)
{
	struct synth s;

	synth_init(&s);
	synth_type(&s, "power", "\xc2\xb5W");
	synth_type(&s, "wall", "microseconds");
	synth_function(&s, 1, "main.heater", 0);
	synth_function(&s, 2, "main.fan", 0);
	synth_location(&s, 1, 0, IDS(1));
	synth_location(&s, 2, 0, IDS(2));
	synth_sample(&s, IDS(1), VALS(12, 1500));
	synth_sample(&s, IDS(2), VALS(3, 250000));
	check_synth("units_wall", synth_done(&s), 1, 20,
		"Type: wall\n"
		"Showing nodes accounting for 251.50ms, 100% of 251.50ms total\n"
		"      flat  flat%   sum%        cum   cum%\n"
		"     250ms 99.40% 99.40%      250ms 99.40%  main.fan\n"
		"    1.50ms   0.6%   100%     1.50ms   0.6%  main.heater\n");
}

/* The Time: line of a profile made at TIME_NANOS, with TZ set to tz. */
static void check_time_line(const char *tz, const char *want)
{
	struct synth s = cpu_header();
	struct pprof_profile p;
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL, *text = NULL, *line;
	size_t size = 0;
	struct buf b;
	FILE *out;

	b = synth_done(&s);
	CHECK_INT(pprof_parse(b.p, b.n, &p), 0);
	out = open_memstream(&text, &size);
	setenv("TZ", tz, 1);
	tzset();
	CHECK_INT(pprof_top(&p, -1, 20, out), 0);
	fclose(out);
	line = strstr(text, "Time: ");
	if (line)
		line[strcspn(line, "\n")] = '\0';
	CHECK_STR(line, want);
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	free(text);
	pprof_free(&p);
	free(b.p);
}

/* Go names the zone from its zone file; TZ rules Go cannot load mean UTC. */
TEST(test_pprof_time_line_is_in_the_local_zone_as_go_sees_it)
{
	if (access("/usr/share/zoneinfo/Asia/Kolkata", R_OK) == 0)
		check_time_line("Asia/Kolkata", "Time: Nov 15, 2023 at 3:43am (IST)");
	if (access("/usr/share/zoneinfo/America/New_York", R_OK) == 0)
		check_time_line(":America/New_York", "Time: Nov 14, 2023 at 5:13pm (EST)");
	check_time_line("<+0330>-3:30", "Time: Nov 14, 2023 at 10:13pm (UTC)");
	check_time_line("No/Such_Zone", "Time: Nov 14, 2023 at 10:13pm (UTC)");
	check_time_line("", "Time: Nov 14, 2023 at 10:13pm (UTC)");
}

/* Repeated fields may come packed or one by one; unknown fields are skipped. */
TEST(test_pprof_packed_and_unpacked_fields_and_unknown_fields_read_alike)
{
	struct synth a, b;
	struct buf pa, pb2, m = { 0 };
	char *ra, *rb;
	int err;

	a = cpu_header();
	synth_function(&a, 1, "main.main", 0);
	synth_location(&a, 1, 1, IDS(1));
	synth_sample(&a, IDS(1), VALS(1, 10 * MS));
	pa = synth_done(&a);

	b = cpu_header();
	synth_function(&b, 1, "main.main", 0);
	synth_location(&b, 1, 1, IDS(1));
	sample_fields(&m, IDS(1), VALS(1, 10 * MS), false);
	/* Unknown fields of each wire type, in the sample and at the top. */
	pb_uint(&m, 9, 77);
	pb_bytes(&m, 10, "xyz", 3);
	pb_key(&m, 11, 1);
	buf_put(&m, "12345678", 8);
	pb_key(&m, 12, 5);
	buf_put(&m, "1234", 4);
	pb_msg(&b.body, 2, &m);
	pb_uint(&b.body, 99, 1);
	pb_bytes(&b.body, 100, "\xff\xff", 2);
	pb_key(&b.body, 101, 1);
	buf_put(&b.body, "abcdefgh", 8);
	pb_key(&b.body, 102, 5);
	buf_put(&b.body, "abcd", 4);
	pb2 = synth_done(&b);

	ra = report(pa.p, pa.n, -1, 20, &err);
	CHECK_INT(err, 0);
	rb = report(pb2.p, pb2.n, -1, 20, &err);
	CHECK_INT(err, 0);
	check_same_report(rb, ra, "unpacked with unknown fields");
	free(ra);
	free(rb);
	free(pa.p);
	free(pb2.p);
}

TEST(test_pprof_sample_index_accepts_names_numbers_and_inuse_prefix)
{
	struct pprof_profile p;
	struct synth s;
	struct buf b;

	synth_init(&s);
	synth_type(&s, "alloc_objects", "count");
	synth_type(&s, "space", "bytes");
	synth_type(&s, "inuse_objects", "count");
	b = synth_done(&s);
	CHECK_INT(pprof_parse(b.p, b.n, &p), 0);
	CHECK_INT(pprof_sample_index(&p, ""), 2);
	CHECK_INT(pprof_default_sample_index(&p), 2);
	CHECK_INT(pprof_sample_index(&p, "0"), 0);
	CHECK_INT(pprof_sample_index(&p, "+1"), 1);
	CHECK_INT(pprof_sample_index(&p, "3"), -EINVAL);
	CHECK_INT(pprof_sample_index(&p, "-1"), -EINVAL);
	CHECK_INT(pprof_sample_index(&p, "alloc_objects"), 0);
	CHECK_INT(pprof_sample_index(&p, "inuse_space"), 1);
	CHECK_INT(pprof_sample_index(&p, "inuse_objects"), 2);
	CHECK_INT(pprof_sample_index(&p, "cpu"), -EINVAL);
	CHECK_INT(pprof_top(&p, 3, 20, stdout), -EINVAL);
	pprof_free(&p);
	free(b.p);
}

TEST(test_pprof_profile_without_sample_types_has_no_report)
{
	struct pprof_profile p;
	struct synth s;
	struct buf b;

	synth_init(&s);
	b = synth_done(&s);
	CHECK_INT(pprof_parse(b.p, b.n, &p), 0);
	CHECK_INT(pprof_default_sample_index(&p), -EINVAL);
	CHECK_INT(pprof_top(&p, -1, 20, stdout), -EINVAL);
	pprof_free(&p);
	free(b.p);
}

TEST(test_pprof_write_error_is_reported)
{
	struct synth s = cpu_header();
	struct pprof_profile p;
	struct buf b;
	FILE *ro = fopen("/dev/null", "r");

	synth_function(&s, 1, "main.main", 0);
	synth_location(&s, 1, 1, IDS(1));
	synth_sample(&s, IDS(1), VALS(1, 10 * MS));
	b = synth_done(&s);
	CHECK_INT(pprof_parse(b.p, b.n, &p), 0);
	CHECK(ro != NULL);
	if (ro) {
		CHECK_INT(pprof_top(&p, -1, 20, ro), -EIO);
		fclose(ro);
	}
	pprof_free(&p);
	free(b.p);
}
