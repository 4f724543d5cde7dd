/* SPDX-License-Identifier: MIT */
/*
 * pprof profiles (profile.proto, usually gzipped) read without a Go toolchain,
 * and the report `go tool pprof -top` prints for them.
 *
 * Every byte is untrusted: the decompressed size is bounded, every length,
 * index and id is checked, and a profile that pprof itself would reject as
 * malformed (ids 0 or repeated, references to missing locations or
 * functions, string indexes out of range) is rejected here too.
 */
#ifndef GOPS_PPROF_H
#define GOPS_PPROF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Largest decompressed profile pprof_parse accepts; its decoded tables are bounded alike. */
#define PPROF_MAX_SIZE ((size_t)256 << 20)

/* "No such thing" for the size_t references below (a location's mapping). */
#define PPROF_NONE ((size_t)-1)

/* String references are indexes into strings[], checked to be in range. */
struct pprof_value_type {
	size_t type, unit;
};

struct pprof_sample {
	size_t loc_off, nloc; /* locations in sample_locs[], leaf first */
	size_t val_off;       /* nsample_types values in values[] */
	bool diff_base;       /* labeled pprof::base=true: the base of a -diff_base profile */
};

struct pprof_mapping {
	uint64_t id, start, limit, offset;
	size_t filename, build_id;
};

/* One frame: a location has several when calls were inlined, innermost first. */
struct pprof_line {
	size_t function; /* index in functions[] */
	int64_t line;
};

struct pprof_location {
	uint64_t id;
	size_t mapping; /* index in mappings[], or PPROF_NONE */
	uint64_t address;
	size_t line_off, nline; /* frames in lines[] */
};

struct pprof_function {
	uint64_t id;
	size_t name, system_name, filename;
	int64_t start_line;
};

struct pprof_profile {
	struct pprof_value_type *sample_types;
	size_t nsample_types;
	struct pprof_sample *samples;
	size_t nsamples;
	size_t *sample_locs; /* indexes in locations[] */
	size_t nsample_locs;
	int64_t *values;
	size_t nvalues;
	struct pprof_mapping *mappings;
	size_t nmappings;
	struct pprof_location *locations;
	size_t nlocations;
	struct pprof_line *lines;
	size_t nlines;
	struct pprof_function *functions;
	size_t nfunctions;
	size_t *comments;
	size_t ncomments;

	/* NUL-terminated; a string may also hold NUL bytes, string_lens[] has its length. */
	char **strings;
	size_t *string_lens;
	size_t nstrings;

	struct pprof_value_type period_type;
	int64_t period;
	int64_t time_nanos, duration_nanos;
	size_t default_sample_type; /* 0 ("") when not set */

	char *arena; /* owns the bytes strings[] point to */
};

/*
 * Reads a profile: gzipped (as Go writes them) or not. out is filled on
 * success and zeroed on failure; free it with pprof_free either way.
 * Returns 0, -EINVAL when the input is not a well-formed profile (bad gzip
 * data, truncated, malformed protobuf, dangling references), -EFBIG when it
 * decompresses to more than PPROF_MAX_SIZE bytes or its tables would take
 * more once decoded, -ENOMEM.
 */
int pprof_parse(const void *data, size_t len, struct pprof_profile *out);

/* As pprof_parse, with another bound (the tables' is at least 1 MiB). */
int pprof_parse_max(const void *data, size_t len, size_t max_size, struct pprof_profile *out);

void pprof_free(struct pprof_profile *p);

/* A message for a negative return value of pprof_parse. */
const char *pprof_strerror(int err);

/*
 * The sample type pprof reports by default: the one default_sample_type
 * names, else the last one. -EINVAL when the profile has no sample types.
 */
int pprof_default_sample_index(const struct pprof_profile *p);

/*
 * A sample type chosen as pprof's -sample_index option does: "" for the
 * default, a number, or a type name ("inuse_" may be left off). -EINVAL when
 * there is no such type.
 */
int pprof_sample_index(const struct pprof_profile *p, const char *name);

/*
 * Prints what `go tool pprof -top -nodecount=N PROFILE` prints (n = 0: every
 * node, as plain -top): the header lines, the totals, then one line per
 * function (inlined frames count as functions), by flat value. sample_index < 0
 * means the default (pprof_default_sample_index). Returns 0, -EINVAL for a
 * bad sample index, -ENOMEM, -EIO when writing to out failed.
 */
int pprof_top(const struct pprof_profile *p, int sample_index, size_t n, FILE *out);

#endif
