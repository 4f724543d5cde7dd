/* SPDX-License-Identifier: MIT */
/*
 * What the pprof tests share (test_pprof*.c): fixture files, gzip, reports
 * compared line by line, and small profiles built in memory.
 */
#ifndef GOPS_PPROF_HELPERS_H
#define GOPS_PPROF_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- files, buffers, gzip ---- */

struct buf {
	unsigned char *p;
	size_t n, cap;
};

void buf_put(struct buf *b, const void *d, size_t n);
/*
 * Reads the file at path into b. A missing file (a fixture not built) makes
 * the running test a skip, saying so; any other trouble is a failure.
 */
bool slurp(const char *path, struct buf *b);
/* gzip of n bytes of src, or, with src NULL, of n zero bytes (made a chunk at a time). */
struct buf gzip_bytes(const void *src, size_t n);
struct buf gunzip_bytes(const struct buf *gz);

/* ---- reports ---- */

/* The expected reports were made in UTC; other tests keep the zone they had. */
char *utc_begin(void);
void utc_end(char *saved);
/* The report for a profile in memory, or NULL with *err set. */
char *report(const void *data, size_t len, int sample_index, size_t n, int *err);
/* Compares two reports line by line, so a failure names the first line that differs. */
void check_same_report(const char *got, const char *want, const char *what);

/* ---- small profiles built here ---- */

void pb_key(struct buf *b, unsigned int field, unsigned int wire);
void pb_uint(struct buf *b, unsigned int field, uint64_t v);
void pb_bytes(struct buf *b, unsigned int field, const void *d, size_t n);
/* Appends message m as field and frees it. */
void pb_msg(struct buf *b, unsigned int field, struct buf *m);

/* A profile under construction: its fields, then the string table at the end. */
struct synth {
	struct buf body;
	const char *strs[64];
	size_t nstrs;
};

void synth_init(struct synth *s);
/* The index of string v in the table, added if new. */
uint64_t str(struct synth *s, const char *v);
void synth_type(struct synth *s, const char *type, const char *unit);
void synth_mapping(struct synth *s, uint64_t id, const char *file, const char *build_id);
void synth_function(struct synth *s, uint64_t id, const char *name, int64_t start_line);
/* A location whose frames are functions fids, innermost first (inlined calls). */
void synth_location(struct synth *s, uint64_t id, uint64_t mapping, size_t n, const uint64_t *fids);
void sample_fields(struct buf *m, size_t nl, const uint64_t *locs, size_t nv, const int64_t *vals,
	bool packed);
/* A sample: locations leaf first, one value per sample type. */
void synth_sample(struct synth *s, size_t nl, const uint64_t *locs, size_t nv, const int64_t *vals);
void synth_labeled_sample(struct synth *s, size_t nl, const uint64_t *locs, size_t nv,
	const int64_t *vals, const char *key, const char *value);
void synth_comment(struct synth *s, const char *c);
/* The encoded profile: the fields so far, then the string table. */
struct buf synth_done(struct synth *s);

/* clang-format off */
#define IDS(...) sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t), (const uint64_t[]){ __VA_ARGS__ }
#define VALS(...) sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t), (const int64_t[]){ __VA_ARGS__ }
/* clang-format on */

/* With GOPS_PPROF_DUMP=DIR, writes b to DIR/NAME.pb (to check it with go tool pprof). */
void dump(const char *name, const struct buf *b);

#endif
