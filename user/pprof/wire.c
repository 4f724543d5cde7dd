// SPDX-License-Identifier: MIT
/*
 * The protobuf wire format for profile.proto: varints, fixed 32 and 64 bit
 * fields and length-delimited ones, every length checked against what is
 * left. Follows pprof's own decoder (proto.go in github.com/google/pprof/profile:
 * decodeVarint, decodeField), which also refuses groups.
 */
#include <errno.h>
#include <stddef.h>

#include "pprof/wire.h"

int pb_varint(struct pb *b, uint64_t *v)
{
	uint64_t u = 0;

	for (unsigned int i = 0; i < 10; i++) {
		unsigned char c;

		if (b->p >= b->end)
			return -EINVAL;
		c = *b->p++;
		u |= (uint64_t)(c & 0x7f) << (7 * i);
		if (!(c & 0x80)) {
			*v = u;
			return 0;
		}
	}
	return -EINVAL;
}

static int pb_next(struct pb *b, struct pb_field *f)
{
	uint64_t key, n;
	int err = pb_varint(b, &key);

	if (err)
		return err;
	f->num = key >> 3;
	f->wire = (int)(key & 7);
	f->u64 = 0;
	f->sub.p = f->sub.end = b->p;
	switch (f->wire) {
	case WIRE_VARINT:
		return pb_varint(b, &f->u64);
	case WIRE_I64:
	case WIRE_I32:
		n = f->wire == WIRE_I64 ? 8 : 4;
		if ((size_t)(b->end - b->p) < n)
			return -EINVAL;
		for (unsigned int i = 0; i < n; i++)
			f->u64 |= (uint64_t)b->p[i] << (8 * i);
		b->p += n;
		return 0;
	case WIRE_LEN:
		err = pb_varint(b, &n);
		if (err)
			return err;
		if (n > (uint64_t)(b->end - b->p))
			return -EINVAL;
		f->sub.p = b->p;
		f->sub.end = b->p + n;
		b->p += n;
		return 0;
	default: /* groups are not part of profile.proto; Go rejects them too */
		return -EINVAL;
	}
}

bool pb_more(struct pb *b, struct pb_field *f, int *err)
{
	if (*err || b->p >= b->end)
		return false;
	*err = pb_next(b, f);
	return !*err;
}

int pb_u64(const struct pb_field *f, uint64_t *v)
{
	if (f->wire != WIRE_VARINT)
		return -EINVAL;
	*v = f->u64;
	return 0;
}

int pb_i64(const struct pb_field *f, int64_t *v)
{
	if (f->wire != WIRE_VARINT)
		return -EINVAL;
	*v = (int64_t)f->u64;
	return 0;
}
