// SPDX-License-Identifier: MIT
/*
 * The pinned table's listing records (struct gops_list_rec and its strings):
 * the parser takes whole records only, whatever lengths a record claims, and
 * the encoder used without the map iterator writes what the parser reads.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "live/table.h"

static struct gops_row row_of(uint32_t pid)
{
	struct gops_row r;

	memset(&r, 0, sizeof(r));
	r.pid = pid;
	r.nspid = pid + 1;
	r.ppid = 1;
	r.flags = GOPS_ROW_GO;
	r.start_boottime = 123456789;
	r.ino = 42;
	memcpy(r.comm, "sleeper", 8);
	memcpy(r.version, "go1.19.8", 9);
	return r;
}

static struct gops_details details_of(const char *name, const char *path, const char *dir)
{
	struct gops_details d;

	memset(&d, 0, sizeof(d));
	d.start_boottime = 123456789;
	d.ino = 42;
	d.name_len = (uint16_t)strlen(name);
	memcpy(d.name, name, d.name_len);
	d.path_len = (uint16_t)strlen(path);
	memcpy(d.path, path, d.path_len);
	d.path_ok = 1;
	d.ndirs = 1;
	d.dir_len[0] = (uint16_t)strlen(dir);
	memcpy(d.dirs[0], dir, d.dir_len[0]);
	d.ppid = 7;
	d.ppid_reparents = 2;
	return d;
}

TEST(test_table_empty_listing_has_no_record)
{
	struct gops_list_rec rec;
	struct table_rec_strings str;
	size_t off = 0;

	CHECK(!table_next_rec("", 0, &off, &rec, &str));
	CHECK_INT(off, 0);
}

TEST(test_table_record_without_details_round_trips)
{
	struct gops_row r = row_of(100);
	struct gops_list_rec rec;
	struct table_rec_strings str;
	char *buf = NULL;
	size_t len = 0, cap = 0, off = 0;

	CHECK_INT(table_encode_rec(&buf, &len, &cap, &r, NULL), 0);
	CHECK_INT(len, sizeof(struct gops_list_rec));
	CHECK(table_next_rec(buf, len, &off, &rec, &str));
	CHECK_INT(rec.pid, 100);
	CHECK_INT(rec.nspid, 101);
	CHECK_INT(rec.flags, GOPS_ROW_GO);
	CHECK_INT(rec.has_details, 0);
	CHECK_STR(rec.version, "go1.19.8");
	CHECK(str.name == NULL);
	CHECK_INT(off, len);
	CHECK(!table_next_rec(buf, len, &off, &rec, &str));
	free(buf);
}

TEST(test_table_records_with_details_point_at_their_strings)
{
	struct gops_row a = row_of(100), b = row_of(200);
	struct gops_details da = details_of("sleeper", "/srv/sleeper", "/root/.config/gops");
	struct gops_details db = details_of("x", "/y (deleted)", "/home/u/.config/gops");
	struct gops_list_rec rec;
	struct table_rec_strings str;
	char *buf = NULL;
	size_t len = 0, cap = 0, off = 0;

	CHECK_INT(table_encode_rec(&buf, &len, &cap, &a, &da), 0);
	CHECK_INT(table_encode_rec(&buf, &len, &cap, &b, &db), 0);
	CHECK(table_next_rec(buf, len, &off, &rec, &str));
	CHECK_INT(rec.pid, 100);
	CHECK_INT(rec.has_details, 1);
	CHECK_INT(rec.details_ppid, 7);
	CHECK_INT(rec.details_ppid_reparents, 2);
	CHECK_INT(rec.ndirs, 1);
	CHECK(rec.name_len == 7 && memcmp(str.name, "sleeper", 7) == 0);
	CHECK(rec.path_len == 12 && memcmp(str.path, "/srv/sleeper", 12) == 0);
	CHECK(rec.dir_len[0] == 18 && memcmp(str.dirs[0], "/root/.config/gops", 18) == 0);
	CHECK_INT(rec.dir_len[1], 0);
	CHECK(table_next_rec(buf, len, &off, &rec, &str));
	CHECK_INT(rec.pid, 200);
	CHECK(rec.path_len == 12 && memcmp(str.path, "/y (deleted)", 12) == 0);
	CHECK_INT(off, len);
	CHECK(!table_next_rec(buf, len, &off, &rec, &str));
	free(buf);
}

TEST(test_table_record_cut_anywhere_is_not_taken)
{
	struct gops_row r = row_of(100);
	struct gops_details d = details_of("sleeper", "/srv/sleeper", "/root/.config/gops");
	struct gops_list_rec rec;
	struct table_rec_strings str;
	char *buf = NULL;
	size_t len = 0, cap = 0;

	CHECK_INT(table_encode_rec(&buf, &len, &cap, &r, &d), 0);
	for (size_t cut = 0; cut < len; cut++) {
		size_t off = 0;
		/* A copy of exactly cut bytes, so that ASan sees any read past it. */
		char *part = malloc(cut ? cut : 1);

		memcpy(part, buf, cut);
		if (table_next_rec(part, cut, &off, &rec, &str))
			harness_fail(__FILE__, __LINE__, "a record cut at %zu of %zu was taken",
				cut, len);
		CHECK_INT(off, 0);
		free(part);
	}
	free(buf);
}

/* A record whose lengths claim more than their fields hold is refused, not read. */
TEST(test_table_record_with_lengths_past_their_fields_is_refused)
{
	struct gops_list_rec rec, bad;
	struct table_rec_strings str;
	char buf[sizeof(struct gops_list_rec) + 4096];
	size_t off;

	memset(&bad, 0, sizeof(bad));
	bad.has_details = 1;
	for (int field = 0; field < 3; field++) {
		struct gops_list_rec r = bad;

		if (field == 0)
			r.name_len = GOPS_NAME_LEN;
		else if (field == 1)
			r.path_len = GOPS_PATH_LEN;
		else
			r.dir_len[1] = GOPS_DIR_LEN;
		memset(buf, 'x', sizeof(buf));
		memcpy(buf, &r, sizeof(r));
		off = 0;
		CHECK(!table_next_rec(buf, sizeof(buf), &off, &rec, &str));
	}
	/* The largest lengths that fit their fields are taken. */
	bad.name_len = GOPS_NAME_LEN - 1;
	bad.path_len = GOPS_PATH_LEN - 1;
	bad.dir_len[0] = bad.dir_len[1] = GOPS_DIR_LEN - 1;
	memcpy(buf, &bad, sizeof(bad));
	off = 0;
	CHECK(table_next_rec(buf, sizeof(buf), &off, &rec, &str));
	CHECK_INT(
		off, sizeof(bad) + GOPS_NAME_LEN - 1 + GOPS_PATH_LEN - 1 + 2 * (GOPS_DIR_LEN - 1));
}

TEST(test_table_offset_past_the_end_is_the_end)
{
	struct gops_list_rec rec;
	struct table_rec_strings str;
	char buf[8] = { 0 };
	size_t off = 9;

	CHECK(!table_next_rec(buf, sizeof(buf), &off, &rec, &str));
	CHECK_INT(off, 9);
}

TEST(test_table_encoder_zeroes_lengths_out_of_bounds)
{
	struct gops_row r = row_of(100);
	struct gops_details d = details_of("sleeper", "/srv/sleeper", "/root/.config/gops");
	struct gops_list_rec rec;
	struct table_rec_strings str;
	char *buf = NULL;
	size_t len = 0, cap = 0, off = 0;

	d.name_len = 1000;
	d.ndirs = GOPS_DIRS_UNKNOWN;
	CHECK_INT(table_encode_rec(&buf, &len, &cap, &r, &d), 0);
	CHECK(table_next_rec(buf, len, &off, &rec, &str));
	CHECK_INT(rec.name_len, 0);
	CHECK_INT(rec.dir_len[0], 0);
	CHECK_INT(rec.ndirs, GOPS_DIRS_UNKNOWN);
	CHECK_INT(rec.path_len, 12);
	free(buf);
}
