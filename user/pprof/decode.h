/* SPDX-License-Identifier: MIT */
/*
 * profile.proto being decoded: the tables decode.c fills and resolve.c checks
 * and turns into a struct pprof_profile (private to user/pprof).
 */
#ifndef GOPS_PPROF_DECODE_H
#define GOPS_PPROF_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "pprof/pprof.h"

/* A decoded table: the array, count and capacity array_push grows. */
struct table {
	void *a;
	size_t n, cap;
};

struct span {
	const unsigned char *p;
	size_t len;
};

/* A string label, kept to find the samples of a diff base. */
struct str_label {
	size_t sample;
	int64_t key, str;
};

struct parser {
	struct table sample_types; /* struct pprof_value_type */
	struct table samples;      /* struct pprof_sample */
	struct table loc_ids;      /* uint64_t: the samples' location ids */
	struct table values;       /* uint64_t: the samples' values, as int64 bits */
	struct table mappings;     /* struct pprof_mapping */
	struct table locations;    /* struct pprof_location */
	struct table loc_mids;     /* uint64_t: each location's mapping id */
	struct table lines;        /* struct pprof_line */
	struct table line_fids;    /* uint64_t: each line's function id */
	struct table functions;    /* struct pprof_function */
	struct table comments;     /* size_t */
	struct table strs;         /* struct span */
	struct table str_labels;   /* struct str_label */
	/* Every string index seen, checked against the table once it is complete. */
	int64_t str_min, str_max;
	/* Single-valued string references: the last one counts, as in Go. */
	int64_t period_type, period_unit, drop_frames, keep_frames, default_type;
	int64_t time_nanos, duration_nanos, period;
	/*
	 * Bytes the decoded tables may still take: a few hundred kB of gzip
	 * can hold hundreds of MB of one-byte varints, eight bytes each decoded.
	 */
	size_t budget;
};

/* Notes a string index, to be checked once the string table is complete. */
static inline size_t str_ref(struct parser *ps, int64_t v)
{
	if (v < ps->str_min)
		ps->str_min = v;
	if (v > ps->str_max)
		ps->str_max = v;
	return (size_t)v;
}

/*
 * Checks what pprof checks after decoding, resolves ids to indexes and fills
 * out, taking over the tables it hands on. Returns 0 or -EINVAL, -ENOMEM.
 */
int parser_finish(struct parser *ps, struct pprof_profile *out);

#endif
