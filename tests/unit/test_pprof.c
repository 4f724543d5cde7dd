// SPDX-License-Identifier: MIT
/*
 * pprof profile tests. The reference is `go tool pprof -top`: for the heap and
 * CPU profiles tests/fixtures/build.sh has the profiler fixture write, our
 * report must equal pprof's (NAME.top next to them, made in UTC) line for
 * line. Small profiles built here cover what those cannot show for sure
 * (inlined and partly inlined calls, recursion, ties, nameless frames,
 * comments, units, diff bases); their expected reports are what Go 1.19's
 * pprof printed for them: GOPS_PPROF_DUMP=DIR writes them to DIR/NAME.pb to
 * check again with `TZ=UTC go tool pprof -top -nodecount=20 DIR/NAME.pb`, and
 * the malformed ones, which pprof refuses as we do.
 * Then hostile inputs: truncated and corrupted gzip, a decompression bomb,
 * malformed protobuf and dangling references must give a negative error,
 * never a crash or a read out of bounds (this runs under ASan and UBSan).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "harness.h"
#include "pprof/pprof.h"

/* ---- files, buffers, gzip ---- */

struct buf {
	unsigned char *p;
	size_t n, cap;
};

static void buf_put(struct buf *b, const void *d, size_t n)
{
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->n + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			abort();
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->n, d, n);
	b->n += n;
}

static bool slurp(const char *path, struct buf *b)
{
	struct stat st;
	size_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(b, 0, sizeof(*b));
	if (fd < 0 || fstat(fd, &st) < 0) {
		harness_fail(__FILE__, __LINE__,
			"cannot open %s: %s (build the fixtures with tests/fixtures/build.sh)",
			path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	b->n = b->cap = (size_t)st.st_size;
	b->p = malloc(b->n ? b->n : 1);
	while (b->p && done < b->n) {
		ssize_t r = read(fd, b->p + done, b->n - done);

		if (r <= 0)
			break;
		done += (size_t)r;
	}
	close(fd);
	if (!b->p || done != b->n) {
		harness_fail(__FILE__, __LINE__, "cannot read %s", path);
		free(b->p);
		b->p = NULL;
		return false;
	}
	return true;
}

/* A copy in a buffer of exactly n bytes, so ASan sees a read one byte too far. */
static unsigned char *exact_copy(const void *p, size_t n)
{
	unsigned char *c = malloc(n ? n : 1);

	if (!c)
		abort();
	if (n)
		memcpy(c, p, n);
	return c;
}

/* gzip of n bytes of src, or, with src NULL, of n zero bytes (made a chunk at a time). */
static struct buf gzip_bytes(const void *src, size_t n)
{
	static const unsigned char zeros[1 << 16];
	unsigned char out[1 << 16];
	struct buf b = { 0 };
	z_stream zs;
	size_t left = n;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	for (;;) {
		size_t chunk = left > sizeof(zeros) ? sizeof(zeros) : left;
		int flush = chunk == left ? Z_FINISH : Z_NO_FLUSH, zerr;

		zs.next_in = (Bytef *)(src ? (const unsigned char *)src + (n - left) : zeros);
		zs.avail_in = (uInt)chunk;
		left -= chunk;
		do {
			zs.next_out = out;
			zs.avail_out = sizeof(out);
			zerr = deflate(&zs, flush);
			buf_put(&b, out, sizeof(out) - zs.avail_out);
		} while (zs.avail_out == 0);
		if (zerr == Z_STREAM_END)
			break;
	}
	deflateEnd(&zs);
	return b;
}

static struct buf gunzip_bytes(const struct buf *gz)
{
	unsigned char out[1 << 16];
	struct buf b = { 0 };
	z_stream zs;
	int zerr;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		abort();
	zs.next_in = gz->p;
	zs.avail_in = (uInt)gz->n;
	do {
		zs.next_out = out;
		zs.avail_out = sizeof(out);
		zerr = inflate(&zs, Z_NO_FLUSH);
		buf_put(&b, out, sizeof(out) - zs.avail_out);
	} while (zerr == Z_OK);
	inflateEnd(&zs);
	if (zerr != Z_STREAM_END)
		harness_fail(__FILE__, __LINE__, "the fixture is not valid gzip");
	return b;
}

/* ---- reports ---- */

/* The expected reports were made in UTC; other tests keep the zone they had. */
static char *utc_begin(void)
{
	const char *tz = getenv("TZ");
	char *saved = tz ? strdup(tz) : NULL;

	setenv("TZ", "UTC", 1);
	tzset();
	return saved;
}

static void utc_end(char *saved)
{
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

/* The report for a profile in memory, or NULL with *err set. */
static char *report(const void *data, size_t len, int sample_index, size_t n, int *err)
{
	struct pprof_profile p;
	char *text = NULL, *tz;
	size_t size = 0;
	FILE *out;

	*err = pprof_parse(data, len, &p);
	if (*err)
		return NULL;
	out = open_memstream(&text, &size);
	if (!out)
		abort();
	tz = utc_begin();
	*err = pprof_top(&p, sample_index, n, out);
	utc_end(tz);
	fclose(out);
	pprof_free(&p);
	if (*err) {
		free(text);
		return NULL;
	}
	return text;
}

/* Compares two reports line by line, so a failure names the first line that differs. */
static void check_same_report(const char *got, const char *want, const char *what)
{
	size_t line = 1;

	if (!got || !want) {
		harness_fail(__FILE__, __LINE__, "%s: no report", what);
		return;
	}
	while (*got || *want) {
		size_t gl = strcspn(got, "\n"), wl = strcspn(want, "\n");

		if (gl != wl || memcmp(got, want, gl) != 0 ||
			(got[gl] == '\n') != (want[wl] == '\n')) {
			harness_fail(__FILE__, __LINE__,
				"%s, line %zu:\n    got:  \"%.*s\"\n    want: \"%.*s\"", what, line,
				(int)gl, got, (int)wl, want);
			return;
		}
		got += gl + (got[gl] == '\n');
		want += wl + (want[wl] == '\n');
		line++;
	}
}

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

/* ---- small profiles built here ---- */

static void pb_varint(struct buf *b, uint64_t v)
{
	unsigned char c;

	while (v >= 0x80) {
		c = (unsigned char)(v | 0x80);
		buf_put(b, &c, 1);
		v >>= 7;
	}
	c = (unsigned char)v;
	buf_put(b, &c, 1);
}

static void pb_key(struct buf *b, unsigned int field, unsigned int wire)
{
	pb_varint(b, (uint64_t)field << 3 | wire);
}

static void pb_uint(struct buf *b, unsigned int field, uint64_t v)
{
	pb_key(b, field, 0);
	pb_varint(b, v);
}

static void pb_bytes(struct buf *b, unsigned int field, const void *d, size_t n)
{
	pb_key(b, field, 2);
	pb_varint(b, n);
	buf_put(b, d, n);
}

/* Appends message m as field and frees it. */
static void pb_msg(struct buf *b, unsigned int field, struct buf *m)
{
	pb_bytes(b, field, m->p, m->n);
	free(m->p);
	memset(m, 0, sizeof(*m));
}

/* A profile under construction: its fields, then the string table at the end. */
struct synth {
	struct buf body;
	const char *strs[64];
	size_t nstrs;
};

static void synth_init(struct synth *s)
{
	memset(s, 0, sizeof(*s));
	s->strs[0] = "";
	s->nstrs = 1;
}

static uint64_t str(struct synth *s, const char *v)
{
	for (size_t i = 0; i < s->nstrs; i++)
		if (strcmp(s->strs[i], v) == 0)
			return i;
	if (s->nstrs == 64)
		abort();
	s->strs[s->nstrs] = v;
	return s->nstrs++;
}

static void synth_type(struct synth *s, const char *type, const char *unit)
{
	struct buf m = { 0 };

	pb_uint(&m, 1, str(s, type));
	pb_uint(&m, 2, str(s, unit));
	pb_msg(&s->body, 1, &m);
}

static void synth_mapping(struct synth *s, uint64_t id, const char *file, const char *build_id)
{
	struct buf m = { 0 };

	pb_uint(&m, 1, id);
	pb_uint(&m, 2, 0x400000 * id);
	pb_uint(&m, 3, 0x400000 * id + 0x100000);
	pb_uint(&m, 5, str(s, file));
	pb_uint(&m, 6, str(s, build_id));
	pb_uint(&m, 7, 1);
	pb_msg(&s->body, 3, &m);
}

static void synth_function(struct synth *s, uint64_t id, const char *name, int64_t start_line)
{
	struct buf m = { 0 };

	pb_uint(&m, 1, id);
	pb_uint(&m, 2, str(s, name));
	pb_uint(&m, 3, str(s, name));
	pb_uint(&m, 4, str(s, "/src/x.go"));
	pb_uint(&m, 5, (uint64_t)start_line);
	pb_msg(&s->body, 5, &m);
}

/* A location whose frames are functions fids, innermost first (inlined calls). */
static void synth_location(
	struct synth *s, uint64_t id, uint64_t mapping, size_t n, const uint64_t *fids)
{
	struct buf m = { 0 };

	pb_uint(&m, 1, id);
	if (mapping)
		pb_uint(&m, 2, mapping);
	pb_uint(&m, 3, 0x400000 * mapping + 0x1000 * id);
	for (size_t i = 0; i < n; i++) {
		struct buf line = { 0 };

		pb_uint(&line, 1, fids[i]);
		pb_uint(&line, 2, 10 + i);
		pb_msg(&m, 4, &line);
	}
	pb_msg(&s->body, 4, &m);
}

static void sample_fields(
	struct buf *m, size_t nl, const uint64_t *locs, size_t nv, const int64_t *vals, bool packed)
{
	struct buf pk = { 0 };

	if (packed) {
		for (size_t i = 0; i < nl; i++)
			pb_varint(&pk, locs[i]);
		pb_msg(m, 1, &pk);
		for (size_t i = 0; i < nv; i++)
			pb_varint(&pk, (uint64_t)vals[i]);
		pb_msg(m, 2, &pk);
		return;
	}
	for (size_t i = 0; i < nl; i++)
		pb_uint(m, 1, locs[i]);
	for (size_t i = 0; i < nv; i++)
		pb_uint(m, 2, (uint64_t)vals[i]);
}

/* A sample: locations leaf first, one value per sample type. */
static void synth_sample(
	struct synth *s, size_t nl, const uint64_t *locs, size_t nv, const int64_t *vals)
{
	struct buf m = { 0 };

	sample_fields(&m, nl, locs, nv, vals, true);
	pb_msg(&s->body, 2, &m);
}

static void synth_labeled_sample(struct synth *s, size_t nl, const uint64_t *locs, size_t nv,
	const int64_t *vals, const char *key, const char *value)
{
	struct buf m = { 0 }, label = { 0 };

	sample_fields(&m, nl, locs, nv, vals, false);
	pb_uint(&label, 1, str(s, key));
	pb_uint(&label, 2, str(s, value));
	pb_msg(&m, 3, &label);
	pb_msg(&s->body, 2, &m);
}

static void synth_comment(struct synth *s, const char *c)
{
	pb_uint(&s->body, 13, str(s, c));
}

/* The encoded profile: the fields so far, then the string table. */
static struct buf synth_done(struct synth *s)
{
	struct buf out = s->body;

	for (size_t i = 0; i < s->nstrs; i++)
		pb_bytes(&out, 6, s->strs[i], strlen(s->strs[i]));
	memset(&s->body, 0, sizeof(s->body));
	return out;
}

/* clang-format off */
#define IDS(...) sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t), (const uint64_t[]){ __VA_ARGS__ }
#define VALS(...) sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t), (const int64_t[]){ __VA_ARGS__ }
/* clang-format on */

#define MS 1000000LL
#define TIME_NANOS 1700000000123456789LL /* Nov 14, 2023 at 10:13pm UTC */

static void dump(const char *name, const struct buf *b)
{
	const char *dir = getenv("GOPS_PPROF_DUMP");
	char path[4096];
	size_t at;
	FILE *f;

	if (!dir || !*dir)
		return;
	at = (size_t)snprintf(path, sizeof(path), "%s/", dir);
	for (; *name && at + 4 < sizeof(path); name++)
		path[at++] = strchr(" /()[]^'", *name) ? '_' : *name;
	snprintf(path + at, sizeof(path) - at, ".pb");
	f = fopen(path, "wb");
	if (f) {
		fwrite(b->p, 1, b->n, f);
		fclose(f);
	}
}

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

/* ---- hostile input ---- */

static int parse_exact(const void *data, size_t n, size_t max)
{
	unsigned char *copy = exact_copy(data, n);
	struct pprof_profile p;
	int err = pprof_parse_max(copy, n, max, &p);

	/* Whatever parses must also report without trouble. */
	if (err == 0) {
		FILE *null = fopen("/dev/null", "w");

		if (null) {
			for (size_t i = 0; i < p.nsample_types && i < 4; i++)
				CHECK_INT(pprof_top(&p, (int)i, i ? 20 : 0, null), 0);
			fclose(null);
		}
	}
	pprof_free(&p);
	free(copy);
	return err;
}

TEST(test_pprof_gzip_truncated_anywhere_is_an_error)
{
	struct buf gz;
	size_t bad = 0;

	if (!slurp(fixture("heap.pb.gz"), &gz))
		return;
	for (size_t n = 0; n < gz.n; n++) {
		int err = parse_exact(gz.p, n, PPROF_MAX_SIZE);

		if (err != -EINVAL && bad++ < 5)
			harness_fail(__FILE__, __LINE__, "%zu of %zu bytes: %d, expected -EINVAL",
				n, gz.n, err);
	}
	CHECK_INT(parse_exact(gz.p, gz.n, PPROF_MAX_SIZE), 0);
	free(gz.p);
}

TEST(test_pprof_gzip_corrupted_data_or_trailer_is_an_error)
{
	struct buf gz;
	unsigned char *c;

	if (!slurp(fixture("cpu.pb.gz"), &gz))
		return;
	c = exact_copy(gz.p, gz.n);
	/* A CRC that does not match; a size claim of 4 GiB - 1 that does not either. */
	c[gz.n - 8] ^= 0x55;
	CHECK_INT(parse_exact(c, gz.n, PPROF_MAX_SIZE), -EINVAL);
	memcpy(c, gz.p, gz.n);
	memset(c + gz.n - 4, 0xff, 4);
	CHECK_INT(parse_exact(c, gz.n, PPROF_MAX_SIZE), -EINVAL);
	/* Bytes after the last member that are not another member. */
	free(c);
	c = malloc(gz.n + 4);
	memcpy(c, gz.p, gz.n);
	memset(c + gz.n, 0, 4);
	CHECK_INT(parse_exact(c, gz.n + 4, PPROF_MAX_SIZE), -EINVAL);
	free(c);
	free(gz.p);
}

TEST(test_pprof_decompression_bomb_stops_at_the_size_bound)
{
	struct buf small = gzip_bytes(NULL, (2 << 20) + 1), big;

	CHECK_INT(parse_exact(small.p, small.n, 1 << 20), -EFBIG);
	CHECK_INT(parse_exact(small.p, small.n, 2 << 20), -EFBIG);
	free(small.p);
	/* The real bound: 256 MiB of zeros and one byte more, from 260 kB. */
	big = gzip_bytes(NULL, PPROF_MAX_SIZE + 1);
	CHECK(big.n < (1 << 20));
	CHECK_INT(parse_exact(big.p, big.n, PPROF_MAX_SIZE), -EFBIG);
	free(big.p);
}

/* One-byte varints decode to eight bytes each: the tables have a bound too. */
TEST(test_pprof_decoded_tables_are_bounded_like_the_input)
{
	size_t n = 3 << 20;
	unsigned char *ones = malloc(n);
	struct buf inner = { 0 }, outer = { 0 }, gz;

	memset(ones, 1, n);
	pb_bytes(&inner, 1, ones, n);
	pb_msg(&outer, 2, &inner);
	gz = gzip_bytes(outer.p, outer.n);
	CHECK(gz.n < (64 << 10));
	CHECK_INT(parse_exact(gz.p, gz.n, 4 << 20), -EFBIG);
	/* With room for them, it is only a profile without a string table. */
	CHECK_INT(parse_exact(gz.p, gz.n, 32 << 20), -EINVAL);
	free(ones);
	free(outer.p);
	free(gz.p);
}

TEST(test_pprof_size_bound_is_inclusive_for_gzip_and_plain_input)
{
	struct synth s;
	struct buf raw, gz;

	synth_init(&s);
	synth_type(&s, "samples", "count");
	raw = synth_done(&s);
	gz = gzip_bytes(raw.p, raw.n);
	CHECK_INT(parse_exact(gz.p, gz.n, raw.n), 0);
	CHECK_INT(parse_exact(gz.p, gz.n, raw.n - 1), -EFBIG);
	CHECK_INT(parse_exact(raw.p, raw.n, raw.n), 0);
	CHECK_INT(parse_exact(raw.p, raw.n, raw.n - 1), -EFBIG);
	free(raw.p);
	free(gz.p);
}

TEST(test_pprof_empty_input_is_an_error)
{
	struct buf gz = gzip_bytes("", 0);

	CHECK_INT(parse_exact("", 0, PPROF_MAX_SIZE), -EINVAL);
	CHECK_INT(parse_exact(gz.p, gz.n, PPROF_MAX_SIZE), -EINVAL);
	free(gz.p);
}

/* A valid little profile, plus whatever extra fields a test appends. */
static struct buf with_extra(void (*extra)(struct synth *s, struct buf *body))
{
	struct synth s;

	synth_init(&s);
	synth_type(&s, "samples", "count");
	synth_function(&s, 1, "main.main", 0);
	synth_location(&s, 1, 0, IDS(1));
	synth_sample(&s, IDS(1), VALS(3));
	if (extra)
		extra(&s, &s.body);
	return synth_done(&s);
}

static void check_extra(
	void (*extra)(struct synth *s, struct buf *body), int want, const char *what)
{
	struct buf b = with_extra(extra);
	int err = parse_exact(b.p, b.n, PPROF_MAX_SIZE);

	dump(what, &b);
	if (err != want)
		harness_fail(__FILE__, __LINE__, "%s: %d, expected %d", what, err, want);
	free(b.p);
}

static void x_nothing(struct synth *s, struct buf *b)
{
	(void)s, (void)b;
}

static void x_long_varint(struct synth *s, struct buf *b)
{
	(void)s;
	pb_key(b, 15, 0);
	buf_put(b, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11);
}

static void x_varint_past_end(struct synth *s, struct buf *b)
{
	(void)s;
	buf_put(b, "\x78\xff", 2); /* the string table follows: the test truncates below */
}

static void x_length_past_message(struct synth *s, struct buf *b)
{
	(void)s;
	/* A sample of 3 bytes whose packed field claims 5: it must not read on. */
	buf_put(b, "\x12\x03\x0a\x05\x01", 5);
	buf_put(b, "\x01\x02\x03\x04\x05", 5);
}

static void x_group(struct synth *s, struct buf *b)
{
	(void)s;
	pb_key(b, 15, 3);
	pb_key(b, 15, 4);
}

static void x_wire7(struct synth *s, struct buf *b)
{
	(void)s;
	pb_key(b, 15, 7);
}

static void x_time_as_bytes(struct synth *s, struct buf *b)
{
	(void)s;
	pb_bytes(b, 9, "12", 2);
}

static void x_id_as_fixed64(struct synth *s, struct buf *b)
{
	struct buf m = { 0 };

	(void)s;
	pb_key(&m, 1, 1);
	buf_put(&m, "\x02\0\0\0\0\0\0\0", 8);
	pb_msg(b, 5, &m);
}

static void x_sample_as_varint(struct synth *s, struct buf *b)
{
	(void)s;
	pb_uint(b, 2, 1);
}

static void x_function_name_out_of_range(struct synth *s, struct buf *b)
{
	struct buf m = { 0 };

	(void)s;
	pb_uint(&m, 1, 2);
	pb_uint(&m, 2, 99);
	pb_msg(b, 5, &m);
}

static void x_function_name_negative(struct synth *s, struct buf *b)
{
	struct buf m = { 0 };

	(void)s;
	pb_uint(&m, 1, 2);
	pb_uint(&m, 2, (uint64_t)-1);
	pb_msg(b, 5, &m);
}

static void x_period_unit_out_of_range(struct synth *s, struct buf *b)
{
	struct buf m = { 0 };

	(void)s;
	pb_uint(&m, 2, 1000);
	pb_msg(b, 11, &m);
}

static void x_sample_type_out_of_range(struct synth *s, struct buf *b)
{
	struct buf m = { 0 };

	(void)s;
	pb_uint(&m, 1, 40);
	pb_msg(b, 1, &m);
}

static void x_comment_out_of_range(struct synth *s, struct buf *b)
{
	(void)s;
	pb_uint(b, 13, 64);
}

static void x_mapping_file_out_of_range(struct synth *s, struct buf *b)
{
	struct buf m = { 0 };

	(void)s;
	pb_uint(&m, 1, 1);
	pb_uint(&m, 5, 1u << 31);
	pb_msg(b, 3, &m);
}

static void x_label_key_out_of_range(struct synth *s, struct buf *b)
{
	struct buf m = { 0 }, l = { 0 };

	(void)s;
	sample_fields(&m, IDS(1), VALS(1), true);
	pb_uint(&l, 1, 77);
	pb_msg(&m, 3, &l);
	pb_msg(b, 2, &m);
}

static void x_default_type_out_of_range(struct synth *s, struct buf *b)
{
	(void)s;
	pb_uint(b, 14, 500);
}

static void x_drop_frames_out_of_range(struct synth *s, struct buf *b)
{
	(void)s;
	pb_uint(b, 7, 500);
}

static void x_first_string_not_empty(struct synth *s, struct buf *b)
{
	(void)s;
	/* Moved to the front, this one becomes string_table[0]. */
	struct buf front = { 0 };

	pb_bytes(&front, 6, "oops", 4);
	buf_put(&front, b->p, b->n);
	free(b->p);
	*b = front;
}

static void x_location_id_zero(struct synth *s, struct buf *b)
{
	(void)b;
	synth_location(s, 0, 0, IDS(1));
}

static void x_duplicate_function_id(struct synth *s, struct buf *b)
{
	(void)b;
	synth_function(s, 1, "main.again", 0);
}

static void x_mapping_id_zero(struct synth *s, struct buf *b)
{
	(void)b;
	synth_mapping(s, 0, "/bin/x", "");
}

static void x_sample_missing_location(struct synth *s, struct buf *b)
{
	(void)b;
	synth_sample(s, IDS(1, 7), VALS(1));
}

static void x_line_missing_function(struct synth *s, struct buf *b)
{
	(void)b;
	synth_location(s, 2, 0, IDS(9));
}

static void x_line_function_zero(struct synth *s, struct buf *b)
{
	(void)b;
	synth_location(s, 2, 0, IDS(0));
}

static void x_location_missing_mapping(struct synth *s, struct buf *b)
{
	(void)b;
	synth_location(s, 2, 5, IDS(1));
}

static void x_too_few_values(struct synth *s, struct buf *b)
{
	(void)b;
	synth_sample(s, IDS(1), 0, NULL);
}

static void x_too_many_values(struct synth *s, struct buf *b)
{
	(void)b;
	synth_sample(s, IDS(1), VALS(1, 2));
}

static void x_two_time_stamps(struct synth *s, struct buf *b)
{
	(void)s;
	pb_uint(b, 9, 1);
	pb_uint(b, 9, 2);
}

TEST(test_pprof_malformed_protobuf_is_an_error)
{
	struct buf b;

	check_extra(x_nothing, 0, "the valid base profile");
	check_extra(x_long_varint, -EINVAL, "an 11-byte varint");
	check_extra(x_length_past_message, -EINVAL, "a length past its message");
	check_extra(x_group, -EINVAL, "group wire types");
	check_extra(x_wire7, -EINVAL, "wire type 7");
	check_extra(x_time_as_bytes, -EINVAL, "time_nanos length-delimited");
	check_extra(x_id_as_fixed64, -EINVAL, "a function id as fixed64");
	check_extra(x_sample_as_varint, -EINVAL, "a sample as a varint");
	check_extra(x_two_time_stamps, -EINVAL, "two time stamps (concatenated profiles)");

	/* A varint and a length running off the end of the input. */
	b = with_extra(x_varint_past_end);
	for (size_t i = 0; i + 2 <= b.n; i++) {
		if (b.p[i] == 0x78 && b.p[i + 1] == 0xff) {
			CHECK_INT(parse_exact(b.p, i + 2, PPROF_MAX_SIZE), -EINVAL);
			break;
		}
	}
	free(b.p);
	b = with_extra(NULL);
	buf_put(&b, "\x32\x64xyz", 5); /* a 100-byte string with 3 bytes left */
	CHECK_INT(parse_exact(b.p, b.n, PPROF_MAX_SIZE), -EINVAL);
	free(b.p);
}

TEST(test_pprof_string_index_out_of_range_is_an_error)
{
	check_extra(x_function_name_out_of_range, -EINVAL, "function name 99");
	check_extra(x_function_name_negative, -EINVAL, "function name -1");
	check_extra(x_sample_type_out_of_range, -EINVAL, "sample type 40");
	check_extra(x_period_unit_out_of_range, -EINVAL, "period unit 1000");
	check_extra(x_comment_out_of_range, -EINVAL, "comment 64");
	check_extra(x_mapping_file_out_of_range, -EINVAL, "mapping file 2^31");
	check_extra(x_label_key_out_of_range, -EINVAL, "label key 77");
	check_extra(x_default_type_out_of_range, -EINVAL, "default_sample_type 500");
	check_extra(x_drop_frames_out_of_range, -EINVAL, "drop_frames 500");
	check_extra(x_first_string_not_empty, -EINVAL, "string_table[0] not empty");
}

TEST(test_pprof_bad_ids_and_dangling_references_are_errors)
{
	check_extra(x_location_id_zero, -EINVAL, "location id 0");
	check_extra(x_duplicate_function_id, -EINVAL, "function id 1 twice");
	check_extra(x_mapping_id_zero, -EINVAL, "mapping id 0");
	check_extra(x_sample_missing_location, -EINVAL, "a sample at location 7");
	check_extra(x_line_missing_function, -EINVAL, "a line of function 9");
	check_extra(x_line_function_zero, -EINVAL, "a line of function 0");
	check_extra(x_too_few_values, -EINVAL, "a sample without values");
	check_extra(x_too_many_values, -EINVAL, "a sample with two values for one type");
	/* pprof lets a location name a mapping that is not there. */
	check_extra(x_location_missing_mapping, 0, "a location in mapping 5");
}

TEST(test_pprof_samples_without_sample_types_or_strings_are_errors)
{
	struct buf b = { 0 }, m = { 0 };

	/* No string table at all. */
	CHECK_INT(parse_exact("\x50\x01", 2, PPROF_MAX_SIZE), -EINVAL);
	/* Samples but no sample types. */
	sample_fields(&m, IDS(1), VALS(1), true);
	pb_msg(&b, 2, &m);
	pb_bytes(&b, 6, "", 0);
	CHECK_INT(parse_exact(b.p, b.n, PPROF_MAX_SIZE), -EINVAL);
	free(b.p);
}

/* A cheap xorshift, so the mutations are the same on every run. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

TEST(test_pprof_mutated_profiles_never_crash)
{
	struct buf gz, raw;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	size_t ok = 0;

	if (!slurp(fixture("cpu.pb.gz"), &gz))
		return;
	raw = gunzip_bytes(&gz);
	for (int round = 0; round < 3000 && raw.n; round++) {
		unsigned char *m = exact_copy(raw.p, raw.n);
		size_t n = raw.n, flips = 1 + next_rand(&seed) % 4;

		for (size_t i = 0; i < flips; i++) {
			size_t at = next_rand(&seed) % n;

			switch (next_rand(&seed) % 3) {
			case 0:
				m[at] ^= (unsigned char)(1u << (next_rand(&seed) % 8));
				break;
			case 1:
				m[at] = (unsigned char)next_rand(&seed);
				break;
			default:
				n = at + 1; /* cut */
				break;
			}
		}
		ok += parse_exact(m, n, PPROF_MAX_SIZE) == 0;
		free(m);
	}
	/* Some mutations hit values or names only: those still parse. */
	CHECK(ok > 0);
	free(gz.p);
	free(raw.p);
}

TEST(test_pprof_errors_have_messages)
{
	CHECK_STR(pprof_strerror(-EINVAL), "not a pprof profile, or a malformed one");
	CHECK_STR(pprof_strerror(-EFBIG), "profile too large once decompressed");
	CHECK_STR(pprof_strerror(-ENOMEM), strerror(ENOMEM));
}
