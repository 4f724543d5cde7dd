// SPDX-License-Identifier: MIT
/*
 * pprof hostile input: truncated and corrupted gzip, a decompression bomb,
 * malformed protobuf and dangling references must give a negative error,
 * never a crash or a read out of bounds (this runs under ASan and UBSan). The
 * malformed profiles are dumped with GOPS_PPROF_DUMP=DIR too: pprof refuses
 * them as we do.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pprof/pprof.h"
#include "pprof_helpers.h"

/* ---- hostile input ---- */

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
