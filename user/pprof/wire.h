/* SPDX-License-Identifier: MIT */
/* The protobuf wire format, as far as profile.proto uses it (private to user/pprof). */
#ifndef GOPS_PPROF_WIRE_H
#define GOPS_PPROF_WIRE_H

#include <stdbool.h>
#include <stdint.h>

enum { WIRE_VARINT = 0, WIRE_I64 = 1, WIRE_LEN = 2, WIRE_I32 = 5 };

struct pb {
	const unsigned char *p, *end;
};

struct pb_field {
	uint64_t num;
	int wire;
	uint64_t u64;  /* WIRE_VARINT, WIRE_I64, WIRE_I32 */
	struct pb sub; /* WIRE_LEN */
};

/* A varint of at most 10 bytes, as Go's decoder: bits past the 64th are dropped. */
int pb_varint(struct pb *b, uint64_t *v);

/*
 * Reads the next field of b into f, its payload checked to fit in b: the
 * loop over a message's fields, as `while (pb_more(&b, &f, &err))`. False at
 * the end of b, or with *err set (by it, or before it by the loop's body).
 */
bool pb_more(struct pb *b, struct pb_field *f, int *err);

/* A varint field's value, unsigned or as int64 bits; -EINVAL for another wire type. */
int pb_u64(const struct pb_field *f, uint64_t *v);
int pb_i64(const struct pb_field *f, int64_t *v);

#endif
