// SPDX-License-Identifier: MIT
/*
 * pprof profiles without a Go toolchain: a bounded gunzip, a hand-written
 * decoder for profile.proto, and the report `go tool pprof -top` prints.
 *
 * The report retraces pprof's own code (internal/report, internal/graph and
 * internal/measurement, as vendored in Go 1.19): which nodes are dropped, the
 * unit picked for the columns, how ties are broken and when a node is marked
 * "(inline)" all depend on details of those functions, so the comments name
 * the pprof function each step mirrors.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "pprof/pprof.h"
#include "base/utf8.h"

/* ---- growable arrays ---- */

struct vec {
	void *a;
	size_t n, cap;
};

/* Room for one more element of size bytes; NULL when out of memory. */
static void *vec_push(struct vec *v, size_t size)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *a;

		if (v->cap > SIZE_MAX / 2 || cap > SIZE_MAX / size)
			return NULL;
		a = realloc(v->a, cap * size);
		if (!a)
			return NULL;
		v->a = a;
		v->cap = cap;
	}
	return (char *)v->a + v->n++ * size;
}

/* ---- gunzip ---- */

/*
 * Inflates every gzip member of in (Go's gzip reader reads concatenated
 * members as one stream) into a heap buffer of at most max bytes.
 */
static int gunzip(
	const unsigned char *in, size_t len, size_t max, unsigned char **outp, size_t *outlen)
{
	unsigned char *buf = NULL, spill;
	size_t cap = 0, used = 0, left = len;
	const unsigned char *ip = in;
	z_stream zs;
	int err = 0;

	*outp = NULL;
	*outlen = 0;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return -ENOMEM;
	for (;;) {
		unsigned char *dst;
		uInt room, produced;
		int zerr;

		if (zs.avail_in == 0 && left > 0) {
			zs.next_in = (Bytef *)ip;
			zs.avail_in = left > UINT_MAX ? UINT_MAX : (uInt)left;
			ip += zs.avail_in;
			left -= zs.avail_in;
		}
		if (used == cap && cap < max) {
			/* Start at 4 times the input (at least 64 KiB), then double. */
			size_t ncap = cap ? (cap <= max / 2 ? cap * 2 : max)
					  : (len <= max / 4 ? len * 4 : max);
			unsigned char *nbuf;

			if (ncap < (64 << 10))
				ncap = 64 << 10;
			if (ncap > max)
				ncap = max;
			nbuf = realloc(buf, ncap);
			if (!nbuf) {
				err = -ENOMEM;
				goto cleanup;
			}
			buf = nbuf;
			cap = ncap;
		}
		if (used < cap) {
			dst = buf + used;
			room = cap - used > UINT_MAX ? UINT_MAX : (uInt)(cap - used);
		} else {
			/* At the bound: one more byte of output is one too many. */
			dst = &spill;
			room = 1;
		}
		zs.next_out = dst;
		zs.avail_out = room;
		zerr = inflate(&zs, Z_NO_FLUSH);
		produced = room - zs.avail_out;
		if (dst == &spill && produced) {
			err = -EFBIG;
			goto cleanup;
		}
		if (dst != &spill)
			used += produced;
		if (zerr == Z_STREAM_END) {
			if (zs.avail_in == 0 && left == 0)
				break;
			if (inflateReset(&zs) != Z_OK) {
				err = -EINVAL;
				goto cleanup;
			}
			continue;
		}
		if (zerr == Z_OK)
			continue;
		/* Z_BUF_ERROR: no progress with output room given, so the input ended early. */
		err = zerr == Z_MEM_ERROR ? -ENOMEM : -EINVAL;
		goto cleanup;
	}
	*outp = buf;
	*outlen = used;
	buf = NULL;
cleanup:
	inflateEnd(&zs);
	free(buf);
	return err;
}

/* ---- protobuf wire format ---- */

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

/* At most 10 bytes, as Go's decoder: bits past the 64th are dropped. */
static int pb_varint(struct pb *b, uint64_t *v)
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

static int pb_u64(const struct pb_field *f, uint64_t *v)
{
	if (f->wire != WIRE_VARINT)
		return -EINVAL;
	*v = f->u64;
	return 0;
}

static int pb_i64(const struct pb_field *f, int64_t *v)
{
	if (f->wire != WIRE_VARINT)
		return -EINVAL;
	*v = (int64_t)f->u64;
	return 0;
}

/* ---- decoding profile.proto ---- */

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
	struct vec sample_types; /* struct pprof_value_type */
	struct vec samples;      /* struct pprof_sample */
	struct vec loc_ids;      /* uint64_t: the samples' location ids */
	struct vec values;       /* uint64_t: the samples' values, as int64 bits */
	struct vec mappings;     /* struct pprof_mapping */
	struct vec locations;    /* struct pprof_location */
	struct vec loc_mids;     /* uint64_t: each location's mapping id */
	struct vec lines;        /* struct pprof_line */
	struct vec line_fids;    /* uint64_t: each line's function id */
	struct vec functions;    /* struct pprof_function */
	struct vec comments;     /* size_t */
	struct vec strs;         /* struct span */
	struct vec str_labels;   /* struct str_label */
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

/* Room for one more table element; NULL with *err set when there is none. */
static void *push(struct parser *ps, struct vec *v, size_t size, int *err)
{
	void *slot;

	if (size > ps->budget) {
		*err = -EFBIG;
		return NULL;
	}
	ps->budget -= size;
	slot = vec_push(v, size);
	if (!slot)
		*err = -ENOMEM;
	return slot;
}

/* A repeated integer field, packed or not, appended to a vec of uint64_t. */
static int pb_push_u64s(struct parser *ps, const struct pb_field *f, struct vec *v)
{
	struct pb b = f->sub;
	uint64_t *slot;
	int err = 0;

	if (f->wire == WIRE_VARINT) {
		slot = push(ps, v, sizeof(*slot), &err);
		if (slot)
			*slot = f->u64;
		return err;
	}
	if (f->wire != WIRE_LEN)
		return -EINVAL;
	while (b.p < b.end) {
		uint64_t u;

		err = pb_varint(&b, &u);
		if (err)
			return err;
		slot = push(ps, v, sizeof(*slot), &err);
		if (!slot)
			return err;
		*slot = u;
	}
	return 0;
}

static size_t str_ref(struct parser *ps, int64_t v)
{
	if (v < ps->str_min)
		ps->str_min = v;
	if (v > ps->str_max)
		ps->str_max = v;
	return (size_t)v;
}

static int parse_value_type(struct pb b, int64_t *type, int64_t *unit)
{
	struct pb_field f;
	int err = 0;

	*type = *unit = 0;
	while (!err && b.p < b.end) {
		err = pb_next(&b, &f);
		if (err)
			break;
		if (f.num == 1)
			err = pb_i64(&f, type);
		else if (f.num == 2)
			err = pb_i64(&f, unit);
	}
	return err;
}

static int parse_label(struct parser *ps, struct pb b)
{
	int64_t v[5] = { 0 }; /* key, str, num, num_unit at [1..4] */
	struct pb_field f;
	int err = 0;

	while (b.p < b.end) {
		err = pb_next(&b, &f);
		if (!err && f.num >= 1 && f.num <= 4)
			err = pb_i64(&f, &v[f.num]);
		if (err)
			return err;
	}
	/* Go resolves the unit only for numeric labels. */
	str_ref(ps, v[1]);
	if (v[2]) {
		struct str_label *sl = push(ps, &ps->str_labels, sizeof(*sl), &err);

		if (!sl)
			return err;
		sl->sample = ps->samples.n; /* the sample being parsed comes next */
		sl->key = v[1];
		sl->str = v[2];
		str_ref(ps, v[2]);
	} else if (v[4]) {
		str_ref(ps, v[4]);
	}
	return 0;
}

static int parse_sample(struct parser *ps, struct pb b)
{
	struct pprof_sample *s;
	size_t loc_off = ps->loc_ids.n, val_off = ps->values.n;
	struct pb_field f;
	int err = 0;

	while (!err && b.p < b.end) {
		err = pb_next(&b, &f);
		if (err)
			break;
		if (f.num == 1)
			err = pb_push_u64s(ps, &f, &ps->loc_ids);
		else if (f.num == 2)
			err = pb_push_u64s(ps, &f, &ps->values);
		else if (f.num == 3)
			err = f.wire == WIRE_LEN ? parse_label(ps, f.sub) : -EINVAL;
	}
	if (err)
		return err;
	s = push(ps, &ps->samples, sizeof(*s), &err);
	if (!s)
		return err;
	s->loc_off = loc_off;
	s->nloc = ps->loc_ids.n - loc_off;
	s->val_off = val_off;
	s->diff_base = false;
	return 0;
}

static int parse_mapping(struct parser *ps, struct pb b)
{
	struct pprof_mapping *m;
	uint64_t u[5] = { 0 }; /* id, start, limit, offset at [1..4] */
	int64_t file = 0, build_id = 0;
	struct pb_field f;
	int err = 0;

	while (!err && b.p < b.end) {
		uint64_t flag;

		err = pb_next(&b, &f);
		if (err)
			break;
		if (f.num >= 1 && f.num <= 4)
			err = pb_u64(&f, &u[f.num]);
		else if (f.num == 5)
			err = pb_i64(&f, &file);
		else if (f.num == 6)
			err = pb_i64(&f, &build_id);
		else if (f.num >= 7 && f.num <= 10) /* has_functions and friends */
			err = pb_u64(&f, &flag);
	}
	if (err)
		return err;
	m = push(ps, &ps->mappings, sizeof(*m), &err);
	if (!m)
		return err;
	m->id = u[1];
	m->start = u[2];
	m->limit = u[3];
	m->offset = u[4];
	m->filename = str_ref(ps, file);
	m->build_id = str_ref(ps, build_id);
	return 0;
}

static int parse_line(struct parser *ps, struct pb b)
{
	struct pprof_line *ln;
	uint64_t fid = 0, *slot;
	int64_t line = 0;
	struct pb_field f;
	int err = 0;

	while (!err && b.p < b.end) {
		err = pb_next(&b, &f);
		if (err)
			break;
		if (f.num == 1)
			err = pb_u64(&f, &fid);
		else if (f.num == 2)
			err = pb_i64(&f, &line);
	}
	if (err)
		return err;
	ln = push(ps, &ps->lines, sizeof(*ln), &err);
	slot = ln ? push(ps, &ps->line_fids, sizeof(*slot), &err) : NULL;
	if (!slot)
		return err;
	ln->function = 0;
	ln->line = line;
	*slot = fid;
	return 0;
}

static int parse_location(struct parser *ps, struct pb b)
{
	struct pprof_location *l;
	uint64_t id = 0, mid = 0, addr = 0, folded, *slot;
	size_t line_off = ps->lines.n;
	struct pb_field f;
	int err = 0;

	while (!err && b.p < b.end) {
		err = pb_next(&b, &f);
		if (err)
			break;
		if (f.num == 1)
			err = pb_u64(&f, &id);
		else if (f.num == 2)
			err = pb_u64(&f, &mid);
		else if (f.num == 3)
			err = pb_u64(&f, &addr);
		else if (f.num == 4)
			err = f.wire == WIRE_LEN ? parse_line(ps, f.sub) : -EINVAL;
		else if (f.num == 5)
			err = pb_u64(&f, &folded);
	}
	if (err)
		return err;
	l = push(ps, &ps->locations, sizeof(*l), &err);
	slot = l ? push(ps, &ps->loc_mids, sizeof(*slot), &err) : NULL;
	if (!slot)
		return err;
	l->id = id;
	l->mapping = PPROF_NONE;
	l->address = addr;
	l->line_off = line_off;
	l->nline = ps->lines.n - line_off;
	*slot = mid;
	return 0;
}

static int parse_function(struct parser *ps, struct pb b)
{
	struct pprof_function *fn;
	int64_t v[6] = { 0 }; /* name, system_name, filename, start_line at [2..5] */
	uint64_t id = 0;
	struct pb_field f;
	int err = 0;

	while (!err && b.p < b.end) {
		err = pb_next(&b, &f);
		if (err)
			break;
		if (f.num == 1)
			err = pb_u64(&f, &id);
		else if (f.num >= 2 && f.num <= 5)
			err = pb_i64(&f, &v[f.num]);
	}
	if (err)
		return err;
	fn = push(ps, &ps->functions, sizeof(*fn), &err);
	if (!fn)
		return err;
	fn->id = id;
	fn->name = str_ref(ps, v[2]);
	fn->system_name = str_ref(ps, v[3]);
	fn->filename = str_ref(ps, v[4]);
	fn->start_line = v[5];
	return 0;
}

static int parse_profile(struct parser *ps, struct pb b)
{
	struct pb_field f;
	struct pprof_value_type *vt;
	struct span *s;
	struct vec comments = { 0 };
	int64_t type, unit;
	int err = 0;

	while (!err && b.p < b.end) {
		err = pb_next(&b, &f);
		if (err)
			break;
		/* Messages (and strings) must be length-delimited. */
		if (((f.num >= 1 && f.num <= 6) || f.num == 11) && f.wire != WIRE_LEN) {
			err = -EINVAL;
			break;
		}
		switch (f.num) {
		case 1:
			err = parse_value_type(f.sub, &type, &unit);
			vt = err ? NULL : push(ps, &ps->sample_types, sizeof(*vt), &err);
			if (vt) {
				vt->type = str_ref(ps, type);
				vt->unit = str_ref(ps, unit);
			}
			break;
		case 2:
			err = parse_sample(ps, f.sub);
			break;
		case 3:
			err = parse_mapping(ps, f.sub);
			break;
		case 4:
			err = parse_location(ps, f.sub);
			break;
		case 5:
			err = parse_function(ps, f.sub);
			break;
		case 6:
			s = push(ps, &ps->strs, sizeof(*s), &err);
			if (!s)
				break;
			s->p = f.sub.p;
			s->len = (size_t)(f.sub.end - f.sub.p);
			break;
		case 7:
			err = pb_i64(&f, &ps->drop_frames);
			break;
		case 8:
			err = pb_i64(&f, &ps->keep_frames);
			break;
		case 9:
			/* A second time stamp: concatenated profiles, which pprof refuses. */
			err = ps->time_nanos ? -EINVAL : pb_i64(&f, &ps->time_nanos);
			break;
		case 10:
			err = pb_i64(&f, &ps->duration_nanos);
			break;
		case 11:
			err = parse_value_type(f.sub, &ps->period_type, &ps->period_unit);
			break;
		case 12:
			err = pb_i64(&f, &ps->period);
			break;
		case 13:
			err = pb_push_u64s(ps, &f, &comments);
			break;
		case 14:
			err = pb_i64(&f, &ps->default_type);
			break;
		}
	}
	for (size_t i = 0; !err && i < comments.n; i++) {
		size_t *c = push(ps, &ps->comments, sizeof(*c), &err);

		if (c)
			*c = str_ref(ps, (int64_t)((uint64_t *)comments.a)[i]);
	}
	free(comments.a);
	return err;
}

/* Ids, sorted for lookups; every table starts with a uint64_t id. */
struct id_ix {
	uint64_t id;
	size_t ix;
};

static int cmp_id(const void *a, const void *b)
{
	uint64_t x = ((const struct id_ix *)a)->id, y = ((const struct id_ix *)b)->id;

	return x < y ? -1 : x > y;
}

/* As pprof's CheckValid: ids are not 0 and not repeated. */
static int index_ids(const void *table, size_t n, size_t stride, struct id_ix **out)
{
	struct id_ix *ix;

	*out = NULL;
	if (n == 0)
		return 0;
	ix = calloc(n, sizeof(*ix));
	if (!ix)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		memcpy(&ix[i].id, (const char *)table + i * stride, sizeof(uint64_t));
		ix[i].ix = i;
	}
	qsort(ix, n, sizeof(*ix), cmp_id);
	for (size_t i = 0; i < n; i++) {
		if (ix[i].id == 0 || (i > 0 && ix[i].id == ix[i - 1].id)) {
			free(ix);
			return -EINVAL;
		}
	}
	*out = ix;
	return 0;
}

static size_t lookup_id(const struct id_ix *ix, size_t n, uint64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix[mid].id == id)
			return ix[mid].ix;
		if (ix[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return PPROF_NONE;
}

/* Checks what pprof checks after decoding, resolves ids to indexes, fills out. */
static int finish(struct parser *ps, struct pprof_profile *out)
{
	struct id_ix *mix = NULL, *lix = NULL, *fix = NULL;
	const struct span *strs = ps->strs.a;
	struct pprof_sample *samples = ps->samples.a;
	struct pprof_location *locs = ps->locations.a;
	struct pprof_line *lines = ps->lines.a;
	size_t nstrings = ps->strs.n, total = 0, *slocs = NULL;
	int err;

	/* Go requires string_table[0] == "", and resolves index 0 even when unused. */
	if (nstrings == 0 || strs[0].len != 0)
		return -EINVAL;
	str_ref(ps, ps->period_type);
	str_ref(ps, ps->period_unit);
	str_ref(ps, ps->drop_frames);
	str_ref(ps, ps->keep_frames);
	str_ref(ps, ps->default_type);
	if (ps->str_min < 0 || (uint64_t)ps->str_max >= nstrings)
		return -EINVAL;

	if (ps->samples.n && !ps->sample_types.n)
		return -EINVAL;
	for (size_t i = 0; i < ps->samples.n; i++) {
		size_t end = i + 1 < ps->samples.n ? samples[i + 1].val_off : ps->values.n;

		if (end - samples[i].val_off != ps->sample_types.n)
			return -EINVAL;
	}

	err = index_ids(ps->mappings.a, ps->mappings.n, sizeof(struct pprof_mapping), &mix);
	if (!err)
		err = index_ids(
			ps->locations.a, ps->locations.n, sizeof(struct pprof_location), &lix);
	if (!err)
		err = index_ids(
			ps->functions.a, ps->functions.n, sizeof(struct pprof_function), &fix);
	if (err)
		goto cleanup;
	for (size_t i = 0; i < ps->locations.n; i++)
		locs[i].mapping = lookup_id(mix, ps->mappings.n, ((uint64_t *)ps->loc_mids.a)[i]);
	for (size_t i = 0; i < ps->lines.n; i++) {
		lines[i].function =
			lookup_id(fix, ps->functions.n, ((uint64_t *)ps->line_fids.a)[i]);
		if (lines[i].function == PPROF_NONE) {
			err = -EINVAL;
			goto cleanup;
		}
	}
	if (ps->loc_ids.n) {
		slocs = calloc(ps->loc_ids.n, sizeof(*slocs));
		if (!slocs) {
			err = -ENOMEM;
			goto cleanup;
		}
	}
	for (size_t i = 0; i < ps->loc_ids.n; i++) {
		slocs[i] = lookup_id(lix, ps->locations.n, ((uint64_t *)ps->loc_ids.a)[i]);
		if (slocs[i] == PPROF_NONE) {
			err = -EINVAL;
			goto cleanup;
		}
	}

	for (size_t i = 0; i < ps->str_labels.n; i++) {
		const struct str_label *sl = &((struct str_label *)ps->str_labels.a)[i];
		const struct span *k = &strs[sl->key], *v = &strs[sl->str];

		if (k->len == 11 && memcmp(k->p, "pprof::base", 11) == 0 && v->len == 4 &&
			memcmp(v->p, "true", 4) == 0)
			samples[sl->sample].diff_base = true;
	}

	/* The strings, NUL-terminated, in one allocation. */
	for (size_t i = 0; i < nstrings; i++)
		total += strs[i].len + 1;
	out->arena = malloc(total);
	out->strings = calloc(nstrings, sizeof(*out->strings));
	out->string_lens = calloc(nstrings, sizeof(*out->string_lens));
	if (!out->arena || !out->strings || !out->string_lens) {
		err = -ENOMEM;
		goto cleanup;
	}
	total = 0;
	for (size_t i = 0; i < nstrings; i++) {
		out->strings[i] = out->arena + total;
		out->string_lens[i] = strs[i].len;
		if (strs[i].len)
			memcpy(out->arena + total, strs[i].p, strs[i].len);
		out->arena[total + strs[i].len] = '\0';
		total += strs[i].len + 1;
	}
	out->nstrings = nstrings;

	out->sample_types = ps->sample_types.a;
	out->nsample_types = ps->sample_types.n;
	out->samples = ps->samples.a;
	out->nsamples = ps->samples.n;
	out->sample_locs = slocs;
	out->nsample_locs = ps->loc_ids.n;
	out->values =
		ps->values.a; /* uint64_t storage read as int64_t: same object size and bits */
	out->nvalues = ps->values.n;
	out->mappings = ps->mappings.a;
	out->nmappings = ps->mappings.n;
	out->locations = ps->locations.a;
	out->nlocations = ps->locations.n;
	out->lines = ps->lines.a;
	out->nlines = ps->lines.n;
	out->functions = ps->functions.a;
	out->nfunctions = ps->functions.n;
	out->comments = ps->comments.a;
	out->ncomments = ps->comments.n;
	out->period_type.type = (size_t)ps->period_type;
	out->period_type.unit = (size_t)ps->period_unit;
	out->period = ps->period;
	out->time_nanos = ps->time_nanos;
	out->duration_nanos = ps->duration_nanos;
	out->default_sample_type = (size_t)ps->default_type;
	slocs = NULL;
	ps->sample_types.a = ps->samples.a = ps->values.a = ps->mappings.a = NULL;
	ps->locations.a = ps->lines.a = ps->functions.a = ps->comments.a = NULL;
cleanup:
	free(slocs);
	free(mix);
	free(lix);
	free(fix);
	return err;
}

static void parser_free(struct parser *ps)
{
	struct vec *all[] = { &ps->sample_types, &ps->samples, &ps->loc_ids, &ps->values,
		&ps->mappings, &ps->locations, &ps->loc_mids, &ps->lines, &ps->line_fids,
		&ps->functions, &ps->comments, &ps->strs, &ps->str_labels };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		free(all[i]->a);
}

int pprof_parse_max(const void *data, size_t len, size_t max_size, struct pprof_profile *out)
{
	const unsigned char *in = data;
	unsigned char *raw = NULL;
	struct parser ps;
	struct pb b;
	size_t rawlen = len;
	int err;

	memset(out, 0, sizeof(*out));
	memset(&ps, 0, sizeof(ps));
	/* Decoded tables get the same bound; a small one would not fit even tiny tables. */
	ps.budget = max_size > (1 << 20) ? max_size : (1 << 20);
	if (!in && len)
		return -EINVAL;
	/* Gzipped as Go writes them, or the bare protobuf: pprof takes both. */
	if (len >= 2 && in[0] == 0x1f && in[1] == 0x8b) {
		err = gunzip(in, len, max_size, &raw, &rawlen);
		if (err)
			return err;
		in = raw;
	} else if (len > max_size) {
		return -EFBIG;
	}
	if (rawlen == 0) {
		err = -EINVAL; /* pprof: "empty input file" */
		goto cleanup;
	}
	b.p = in;
	b.end = in + rawlen;
	err = parse_profile(&ps, b);
	if (!err)
		err = finish(&ps, out);
cleanup:
	parser_free(&ps);
	free(raw);
	if (err)
		pprof_free(out);
	return err;
}

int pprof_parse(const void *data, size_t len, struct pprof_profile *out)
{
	return pprof_parse_max(data, len, PPROF_MAX_SIZE, out);
}

void pprof_free(struct pprof_profile *p)
{
	if (!p)
		return;
	free(p->sample_types);
	free(p->samples);
	free(p->sample_locs);
	free(p->values);
	free(p->mappings);
	free(p->locations);
	free(p->lines);
	free(p->functions);
	free(p->comments);
	free(p->strings);
	free(p->string_lens);
	free(p->arena);
	memset(p, 0, sizeof(*p));
}

const char *pprof_strerror(int err)
{
	switch (-err) {
	case EINVAL:
		return "not a pprof profile, or a malformed one";
	case EFBIG:
		return "profile too large once decompressed";
	default:
		return strerror(-err);
	}
}

/* ---- strings as Go sees them ---- */

/* A byte string that may hold NULs. */
struct sv {
	const char *p;
	size_t n;
};

static struct sv str_of(const struct pprof_profile *p, size_t i)
{
	struct sv s = { p->strings[i], p->string_lens[i] };

	return s;
}

static struct sv sv_c(const char *s)
{
	struct sv v = { s, strlen(s) };

	return v;
}

static bool sv_eq(struct sv a, const char *b)
{
	return a.n == strlen(b) && memcmp(a.p, b, a.n) == 0;
}

/* Go's string comparison: bytewise, then by length. */
static int sv_cmp(struct sv a, struct sv b)
{
	int c = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);

	if (c)
		return c;
	return a.n < b.n ? -1 : a.n > b.n;
}

/* Decodes one rune as Go's utf8.DecodeRune; an invalid byte is a rune of size 1. */
static uint32_t utf8_rune(const unsigned char *s, size_t n, size_t *size)
{
	uint32_t r;
	size_t len = utf8_decode(s, n, &r);

	*size = len ? len : 1;
	return len ? r : 0xfffd;
}

/* What fmt's %10s pads by: runes, not bytes. */
static size_t rune_count(struct sv s)
{
	size_t n = 0, size;

	for (size_t i = 0; i < s.n; i += size, n++)
		utf8_rune((const unsigned char *)s.p + i, s.n - i, &size);
	return n;
}

/* ---- measurement: units and labels ---- */

struct unit {
	const char *name;
	const char *aliases[4];
	double factor;
};

struct unit_type {
	struct unit def;
	const struct unit *units;
	size_t n;
};

static const struct unit memory_units[] = {
	{ "B", { "b", "byte" }, 1 },
	{ "kB", { "kb", "kbyte", "kilobyte" }, (double)(1ull << 10) },
	{ "MB", { "mb", "mbyte", "megabyte" }, (double)(1ull << 20) },
	{ "GB", { "gb", "gbyte", "gigabyte" }, (double)(1ull << 30) },
	{ "TB", { "tb", "tbyte", "terabyte" }, (double)(1ull << 40) },
	{ "PB", { "pb", "pbyte", "petabyte" }, (double)(1ull << 50) },
};

static const struct unit time_units[] = {
	{ "ns", { "ns", "nanosecond" }, 1 },
	{ "us", { "\xce\xbcs", "us", "microsecond" }, 1e3 },
	{ "ms", { "ms", "millisecond" }, 1e6 },
	{ "s", { "s", "sec", "second" }, 1e9 },
	{ "hrs", { "hour", "hr" }, 3600e9 },
};

static const struct unit gcu_units[] = {
	{ "n*GCU", { "nanogcu" }, 1e-9 },
	{ "u*GCU", { "microgcu" }, 1e-6 },
	{ "m*GCU", { "milligcu" }, 1e-3 },
	{ "GCU", { "gcu" }, 1 },
	{ "k*GCU", { "kilogcu" }, 1e3 },
	{ "M*GCU", { "megagcu" }, 1e6 },
	{ "G*GCU", { "gigagcu" }, 1e9 },
	{ "T*GCU", { "teragcu" }, 1e12 },
	{ "P*GCU", { "petagcu" }, 1e15 },
};

static const struct unit_type unit_types[] = {
	{ { "B", { "b", "byte" }, 1 }, memory_units,
		sizeof(memory_units) / sizeof(memory_units[0]) },
	{ { "s", { NULL }, 1e9 }, time_units, sizeof(time_units) / sizeof(time_units[0]) },
	{ { "GCU", { NULL }, 1 }, gcu_units, sizeof(gcu_units) / sizeof(gcu_units[0]) },
};

/*
 * strings.ToLower, as far as it can matter for matching the (ASCII and "μs")
 * aliases: the only runes that lower to ASCII or to μ are mapped; any other
 * non-ASCII rune is copied as is, and cannot match. Returns false when the
 * result cannot be an alias at all (too long).
 */
static bool go_lower(struct sv s, char *buf, size_t cap, size_t *len)
{
	size_t o = 0, size;

	for (size_t i = 0; i < s.n; i += size) {
		uint32_t r = utf8_rune((const unsigned char *)s.p + i, s.n - i, &size);
		const char *rep = NULL;
		char one[2] = { 0 };

		if (r >= 'A' && r <= 'Z') {
			one[0] = (char)(r - 'A' + 'a');
			rep = one;
		} else if (r == 0x212a) { /* KELVIN SIGN */
			rep = "k";
		} else if (r == 0x130) { /* LATIN CAPITAL LETTER I WITH DOT ABOVE */
			rep = "i";
		} else if (r == 0x39c) { /* GREEK CAPITAL LETTER MU */
			rep = "\xce\xbc";
		} else if (r == 0xfffd && size == 1) {
			rep = "\xef\xbf\xbd";
		}
		if (rep) {
			size_t rl = strlen(rep);

			if (o + rl > cap)
				return false;
			memcpy(buf + o, rep, rl);
			o += rl;
		} else {
			if (o + size > cap)
				return false;
			memcpy(buf + o, s.p + i, size);
			o += size;
		}
	}
	*len = o;
	return true;
}

/* unitType.sniffUnit */
static const struct unit *sniff_unit(const struct unit_type *ut, struct sv name)
{
	char buf[64];
	size_t len;

	if (!go_lower(name, buf, sizeof(buf), &len))
		return NULL;
	if (len > 2 && buf[len - 1] == 's')
		len--;
	for (size_t i = 0; i < ut->n; i++)
		for (size_t a = 0; a < 4 && ut->units[i].aliases[a]; a++)
			if (strlen(ut->units[i].aliases[a]) == len &&
				memcmp(ut->units[i].aliases[a], buf, len) == 0)
				return &ut->units[i];
	return NULL;
}

struct scaled {
	double v;
	struct sv unit;
};

/* measurement.Scale */
static struct scaled scale(int64_t value, struct sv from, struct sv to)
{
	struct scaled r;

	if (value < 0 && value != INT64_MIN) {
		r = scale(-value, from, to);
		r.v = -r.v;
		return r;
	}
	for (size_t t = 0; t < sizeof(unit_types) / sizeof(unit_types[0]); t++) {
		const struct unit_type *ut = &unit_types[t];
		const struct unit *fu = sniff_unit(ut, from), *tu;
		double v;

		if (!fu)
			continue;
		v = (double)value * fu->factor;
		if (sv_eq(to, "minimum") || sv_eq(to, "auto")) {
			double f = 0;
			const char *name = NULL;

			for (size_t i = 0; i < ut->n; i++) {
				if (ut->units[i].factor >= f && v / ut->units[i].factor >= 1.0) {
					f = ut->units[i].factor;
					name = ut->units[i].name;
				}
			}
			if (f != 0) {
				r.v = v / f;
				r.unit = sv_c(name);
				return r;
			}
			r.v = v / ut->def.factor;
			r.unit = sv_c(ut->def.name);
			return r;
		}
		tu = sniff_unit(ut, to);
		if (!tu)
			tu = &ut->def;
		r.v = v / tu->factor;
		r.unit = sv_c(tu->name);
		return r;
	}
	r.v = (double)value;
	if (sv_eq(to, "count") || sv_eq(to, "sample") || sv_eq(to, "unit") ||
		sv_eq(to, "minimum") || sv_eq(to, "auto"))
		r.unit = sv_c("");
	else
		r.unit = to;
	return r;
}

/* A formatted value: number then unit; the unit may come from the profile. */
struct label {
	char num[512];
	struct sv unit;
};

/* measurement.ScaledLabel */
static void scaled_label(int64_t value, struct sv from, struct sv to, struct label *l)
{
	struct scaled s = scale(value, from, to);
	size_t n;

	snprintf(l->num, sizeof(l->num), "%.2f", s.v);
	n = strlen(l->num);
	if (n >= 3 && strcmp(l->num + n - 3, ".00") == 0)
		l->num[n - 3] = '\0';
	l->unit = s.unit;
	if (strcmp(l->num, "0") == 0 || strcmp(l->num, "-0") == 0)
		l->unit = sv_c("");
}

/* measurement.Percentage */
static void percentage(int64_t value, int64_t total, char *buf, size_t len)
{
	double ratio = 0;

	if (total != 0) {
		ratio = (double)value / (double)total * 100;
		if (ratio < 0)
			ratio = -ratio;
	}
	if (ratio >= 99.95 && ratio <= 100.05)
		snprintf(buf, len, "  100%%");
	else if (ratio >= 1.0)
		snprintf(buf, len, "%5.2f%%", ratio);
	else
		snprintf(buf, len, "%5.2g%%", ratio);
}

/* Go's int64(f) on amd64: out of range gives the "indefinite integer". */
static int64_t f2i(double f)
{
	if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0))
		return INT64_MIN;
	return (int64_t)f;
}

/* pprof's abs64: like Go, -MinInt64 stays negative. */
static int64_t abs64(int64_t v)
{
	return v < 0 ? (int64_t)(0 - (uint64_t)v) : v;
}

/* ---- the graph (internal/graph, for -top with granularity=functions) ---- */

/*
 * A node is what pprof's NodeInfo is after aggregating to functions: the
 * function name, and only for nameless functions and frames without
 * function, the mapping's file (and the function's start line).
 */
struct node {
	struct sv name, obj;
	int64_t start_line;
	struct sv printable; /* PrintableName() */
	char *owned;         /* printable's bytes, when built */
	uint64_t flat, cum;  /* int64 sums that wrap as Go's do */
	size_t stamp;        /* 1 + the last sample counted in cum */
	bool kept, in_inline, in_call;
};

struct edge {
	size_t src, dst; /* SIZE_MAX: free slot */
	uint64_t weight;
	size_t stamp;
	bool is_inline;
};

struct graph {
	const struct pprof_profile *p;
	size_t si; /* sample index */
	struct node *nodes;
	size_t nnodes, nodes_cap;
	size_t *loc_off;   /* per location: first entry in loc_nodes */
	size_t *loc_nodes; /* per location line (one when it has none): node index */
	struct edge *edges;
	size_t nedges, edge_cap;
};

static int64_t node_flat(const struct node *n)
{
	return (int64_t)n->flat;
}

static int64_t node_cum(const struct node *n)
{
	return (int64_t)n->cum;
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint64_t node_hash(struct sv name, struct sv obj, int64_t start_line)
{
	uint64_t h = 0xcbf29ce484222325ull;

	h = hash_bytes(h, &name.n, sizeof(name.n));
	h = hash_bytes(h, name.p, name.n);
	h = hash_bytes(h, &obj.n, sizeof(obj.n));
	h = hash_bytes(h, obj.p, obj.n);
	return hash_bytes(h, &start_line, sizeof(start_line));
}

/* filepath.Base */
static struct sv path_base(struct sv s)
{
	size_t i;

	while (s.n > 0 && s.p[s.n - 1] == '/')
		s.n--;
	if (s.n == 0)
		return sv_c(s.p && s.p[0] == '/' ? "/" : ".");
	for (i = s.n; i > 0 && s.p[i - 1] != '/'; i--)
		;
	s.p += i;
	s.n -= i;
	return s;
}

static int node_printable(struct node *n)
{
	struct sv base;

	if (n->name.n) {
		n->printable = n->name;
		return 0;
	}
	if (!n->obj.n) {
		n->printable = sv_c("<unknown>");
		return 0;
	}
	/* Not empty: obj is, and filepath.Base("/") is "/". */
	base = path_base(n->obj);
	n->owned = malloc(base.n + 2);
	if (!n->owned)
		return -ENOMEM;
	n->owned[0] = '[';
	memcpy(n->owned + 1, base.p, base.n);
	n->owned[base.n + 1] = ']';
	n->printable.p = n->owned;
	n->printable.n = base.n + 2;
	return 0;
}

/* CreateNodes: one node per location line, merged by NodeInfo. */
static int create_nodes(struct graph *g)
{
	const struct pprof_profile *p = g->p;
	size_t total = 0, cap = 16, *table = NULL;
	int err = 0;

	for (size_t i = 0; i < p->nlocations; i++) {
		size_t k = p->locations[i].nline ? p->locations[i].nline : 1;

		if (total > SIZE_MAX / 64 - k)
			return -ENOMEM;
		total += k;
	}
	while (cap < total * 2)
		cap *= 2;
	g->loc_off = calloc(p->nlocations + 1, sizeof(*g->loc_off));
	g->loc_nodes = calloc(total ? total : 1, sizeof(*g->loc_nodes));
	table = malloc(cap * sizeof(*table));
	if (!g->loc_off || !g->loc_nodes || !table) {
		err = -ENOMEM;
		goto cleanup;
	}
	memset(table, 0xff, cap * sizeof(*table));

	total = 0;
	for (size_t i = 0; i < p->nlocations; i++) {
		const struct pprof_location *l = &p->locations[i];
		struct sv objfile = { "", 0 };
		size_t k = l->nline ? l->nline : 1;

		if (l->mapping != PPROF_NONE)
			objfile = str_of(p, p->mappings[l->mapping].filename);
		g->loc_off[i] = total;
		for (size_t j = 0; j < k; j++) {
			struct sv name = { "", 0 }, obj = { "", 0 };
			int64_t start_line = 0;
			size_t slot;

			if (l->nline) {
				const struct pprof_function *f =
					&p->functions[p->lines[l->line_off + j].function];

				name = str_of(p, f->name);
				if (!name.n) {
					obj = objfile;
					start_line = f->start_line;
				}
			} else {
				obj = objfile;
			}
			slot = node_hash(name, obj, start_line) & (cap - 1);
			while (table[slot] != SIZE_MAX) {
				struct node *n = &g->nodes[table[slot]];

				if (sv_cmp(n->name, name) == 0 && sv_cmp(n->obj, obj) == 0 &&
					n->start_line == start_line)
					break;
				slot = (slot + 1) & (cap - 1);
			}
			if (table[slot] == SIZE_MAX) {
				/* Nodes are few next to frames, most of the time: grow as needed.
				 */
				struct vec v = { g->nodes, g->nnodes, g->nodes_cap };
				struct node *n = vec_push(&v, sizeof(*n));

				if (!n) {
					err = -ENOMEM;
					goto cleanup;
				}
				g->nodes = v.a;
				g->nodes_cap = v.cap;
				memset(n, 0, sizeof(*n));
				n->name = name;
				n->obj = obj;
				n->start_line = start_line;
				err = node_printable(n);
				if (err)
					goto cleanup;
				table[slot] = g->nnodes++;
			}
			g->loc_nodes[total++] = table[slot];
		}
	}
	g->loc_off[p->nlocations] = total;
cleanup:
	free(table);
	return err;
}

static int64_t sample_value(const struct graph *g, const struct pprof_sample *s)
{
	return g->p->values[s->val_off + g->si];
}

/* newGraph's walk over every sample, for the flat and cum values. */
static void add_samples(struct graph *g)
{
	const struct pprof_profile *p = g->p;

	for (size_t si = 0; si < p->nsamples; si++) {
		const struct pprof_sample *s = &p->samples[si];
		uint64_t w = (uint64_t)sample_value(g, s);

		if (w == 0 || s->nloc == 0)
			continue;
		/* Root first; cum counts a node once per sample, however often it recurs. */
		for (size_t i = s->nloc; i-- > 0;) {
			size_t loc = p->sample_locs[s->loc_off + i];

			for (size_t j = g->loc_off[loc + 1]; j-- > g->loc_off[loc];) {
				struct node *n = &g->nodes[g->loc_nodes[j]];

				if (n->stamp != si + 1) {
					n->stamp = si + 1;
					n->cum += w;
				}
			}
		}
		/* The innermost frame of the leaf location gets the flat value. */
		g->nodes[g->loc_nodes[g->loc_off[p->sample_locs[s->loc_off]]]].flat += w;
	}
}

static struct edge *edge_slot(struct graph *g, size_t src, size_t dst)
{
	uint64_t h = (uint64_t)src * 0x9e3779b97f4a7c15ull ^ (uint64_t)dst * 0xc2b2ae3d27d4eb4full;
	size_t slot = (size_t)(h ^ h >> 29) & (g->edge_cap - 1);

	while (g->edges[slot].src != SIZE_MAX &&
		(g->edges[slot].src != src || g->edges[slot].dst != dst))
		slot = (slot + 1) & (g->edge_cap - 1);
	return &g->edges[slot];
}

static int edges_grow(struct graph *g)
{
	struct edge *old = g->edges;
	size_t old_cap = g->edge_cap, cap = old_cap ? old_cap * 2 : 256;

	if (old_cap > SIZE_MAX / 2 / sizeof(*old))
		return -ENOMEM;
	g->edges = malloc(cap * sizeof(*g->edges));
	if (!g->edges) {
		g->edges = old;
		return -ENOMEM;
	}
	g->edge_cap = cap;
	for (size_t i = 0; i < cap; i++)
		g->edges[i].src = SIZE_MAX;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].src != SIZE_MAX)
			*edge_slot(g, old[i].src, old[i].dst) = old[i];
	free(old);
	return 0;
}

/*
 * newGraph's edges between the kept nodes, only to tell "(inline)" apart:
 * an edge is inline when every call it stands for was an inlined frame.
 * Nodes left out are stepped over, as pprof's residual edges do.
 */
static int add_edges(struct graph *g, int64_t edge_cutoff)
{
	const struct pprof_profile *p = g->p;
	int err;

	for (size_t si = 0; si < p->nsamples; si++) {
		const struct pprof_sample *s = &p->samples[si];
		uint64_t w = (uint64_t)sample_value(g, s);
		size_t parent = SIZE_MAX;

		if (w == 0)
			continue;
		for (size_t i = s->nloc; i-- > 0;) {
			size_t loc = p->sample_locs[s->loc_off + i];
			size_t first = g->loc_off[loc], last = g->loc_off[loc + 1] - 1;

			for (size_t j = last + 1; j-- > first;) {
				size_t n = g->loc_nodes[j];
				struct edge *e;

				if (!g->nodes[n].kept)
					continue;
				if (parent != SIZE_MAX && n != parent) {
					if ((g->nedges + 1) * 2 > g->edge_cap) {
						err = edges_grow(g);
						if (err)
							return err;
					}
					e = edge_slot(g, parent, n);
					if (e->src == SIZE_MAX) {
						e->src = parent;
						e->dst = n;
						e->weight = 0;
						e->stamp = 0;
						e->is_inline = true;
						g->nedges++;
					}
					if (e->stamp != si + 1) {
						e->stamp = si + 1;
						e->weight += w;
						/* The outermost frame of a location is a real call.
						 */
						if (j == last)
							e->is_inline = false;
					}
				}
				parent = n;
			}
		}
	}
	/* TrimLowFrequencyEdges, then TextItems' look at each node's callers. */
	for (size_t i = 0; i < g->edge_cap; i++) {
		struct edge *e = &g->edges[i];

		if (e->src == SIZE_MAX || abs64((int64_t)e->weight) < edge_cutoff)
			continue;
		if (e->is_inline)
			g->nodes[e->dst].in_inline = true;
		else
			g->nodes[e->dst].in_call = true;
	}
	return 0;
}

/* A run of byte strings compared as their concatenation. */
struct cat {
	struct sv part[7];
	size_t nparts;
};

/* fmt.Sprint(NodeInfo) for our nodes: "{Name  0  StartLine 0 Objfile}". */
static void node_sprint(const struct node *n, char *num, size_t numlen, struct cat *c)
{
	snprintf(num, numlen, "%lld", (long long)n->start_line);
	c->part[0] = sv_c("{");
	c->part[1] = n->name;
	c->part[2] = sv_c("  0  ");
	c->part[3] = sv_c(num);
	c->part[4] = sv_c(" 0 ");
	c->part[5] = n->obj;
	c->part[6] = sv_c("}");
	c->nparts = 7;
}

static int cat_cmp(const struct cat *a, const struct cat *b)
{
	size_t ai = 0, ao = 0, bi = 0, bo = 0;

	for (;;) {
		while (ai < a->nparts && ao == a->part[ai].n)
			ai++, ao = 0;
		while (bi < b->nparts && bo == b->part[bi].n)
			bi++, bo = 0;
		if (ai == a->nparts || bi == b->nparts)
			return (ai < a->nparts) - (bi < b->nparts);
		if (a->part[ai].p[ao] != b->part[bi].p[bo])
			return (unsigned char)a->part[ai].p[ao] < (unsigned char)b->part[bi].p[bo]
				       ? -1
				       : 1;
		ao++, bo++;
	}
}

/* Nodes.Sort(FlatNameOrder) */
static int cmp_flat_name(const void *a, const void *b)
{
	const struct node *l = *(const struct node *const *)a, *r = *(const struct node *const *)b;
	char ln[32], rn[32];
	struct cat lc, rc;
	int64_t iv, jv;
	int c;

	iv = abs64(node_flat(l));
	jv = abs64(node_flat(r));
	if (iv != jv)
		return iv > jv ? -1 : 1;
	c = sv_cmp(l->printable, r->printable);
	if (c)
		return c;
	iv = abs64(node_cum(l));
	jv = abs64(node_cum(r));
	if (iv != jv)
		return iv > jv ? -1 : 1;
	node_sprint(l, ln, sizeof(ln), &lc);
	node_sprint(r, rn, sizeof(rn), &rc);
	return cat_cmp(&lc, &rc);
}

/* ---- the report ---- */

static void put_sv(struct sv s, FILE *out)
{
	if (s.n)
		fwrite(s.p, 1, s.n, out);
}

static void put_label(const struct label *l, size_t width, FILE *out)
{
	size_t w = rune_count(sv_c(l->num)) + rune_count(l->unit);

	for (; w < width; w++)
		fputc(' ', out);
	fputs(l->num, out);
	put_sv(l->unit, out);
}

/*
 * Go's time.Local is UTC when TZ is set but empty, "UTC", or not a zone file
 * Go can load (POSIX rules such as "<+03>-3" included), where the C library
 * would follow the rule or name the zone after the string.
 */
static bool go_local_is_utc(void)
{
	const char *tz = getenv("TZ");
	char path[4096];

	if (!tz)
		return false;
	if (*tz == ':')
		tz++;
	if (!*tz || strcmp(tz, "UTC") == 0)
		return true;
	if (*tz == '/')
		return access(tz, R_OK) != 0;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	if (access(path, R_OK) == 0)
		return false;
	snprintf(path, sizeof(path), "/usr/share/lib/zoneinfo/%s", tz);
	return access(path, R_OK) != 0;
}

/* time.Time.Format("Jan 2, 2006 at 3:04pm (MST)") in the local zone. */
static void put_time(int64_t ns, FILE *out)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
		"Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)(ns / 1000000000 - (ns % 1000000000 < 0));
	bool utc = go_local_is_utc();
	struct tm tm;
	int hour;

	if (utc ? !gmtime_r(&t, &tm) : !localtime_r(&t, &tm))
		return;
	if (utc)
		tm.tm_zone = "UTC";
	hour = tm.tm_hour % 12 ? tm.tm_hour % 12 : 12;
	fprintf(out, "Time: %s %d, %04d at %d:%02d%s (", months[tm.tm_mon % 12], tm.tm_mday,
		tm.tm_year + 1900, hour, tm.tm_min, tm.tm_hour >= 12 ? "pm" : "am");
	if (tm.tm_zone && *tm.tm_zone) {
		fputs(tm.tm_zone, out);
	} else {
		long off = tm.tm_gmtoff / 60;

		fprintf(out, "%c%02ld%02ld", off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
	}
	fputs(")\n", out);
}

static struct sv sample_unit(const struct graph *g)
{
	return str_of(g->p, g->p->sample_types[g->si].unit);
}

/* report.ProfileLabels */
static void put_profile_labels(const struct graph *g, int64_t total, struct sv out_unit,
	const bool *comment_dup, FILE *out)
{
	const struct pprof_profile *p = g->p;
	struct sv type = str_of(p, p->sample_types[g->si].type);

	if (p->nmappings) {
		struct sv file = str_of(p, p->mappings[0].filename);
		struct sv build_id = str_of(p, p->mappings[0].build_id);

		if (file.n) {
			fputs("File: ", out);
			put_sv(path_base(file), out);
			fputc('\n', out);
		}
		if (build_id.n) {
			fputs("Build ID: ", out);
			put_sv(build_id, out);
			fputc('\n', out);
		}
	}
	for (size_t i = 0; i < p->ncomments; i++) {
		struct sv c = str_of(p, p->comments[i]);

		if (!comment_dup[i] && !(c.n && c.p[0] == '#')) {
			put_sv(c, out);
			fputc('\n', out);
		}
	}
	if (type.n) {
		fputs("Type: ", out);
		put_sv(type, out);
		fputc('\n', out);
	}
	if (p->time_nanos)
		put_time(p->time_nanos, out);
	if (p->duration_nanos) {
		struct scaled tn = scale(total, sample_unit(g), sv_c("nanoseconds"));
		struct label dur, tot;
		char pct[64] = "";

		scaled_label(p->duration_nanos, sv_c("nanoseconds"), sv_c("auto"), &dur);
		scaled_label(total, sample_unit(g), out_unit, &tot);
		if (sv_eq(tn.unit, "ns") && tn.v != 0) {
			pct[0] = '(';
			percentage(f2i(tn.v), p->duration_nanos, pct + 1, sizeof(pct) - 2);
			strcat(pct, ")");
		}
		fprintf(out, "Duration: %s", dur.num);
		put_sv(dur.unit, out);
		fprintf(out, ", Total samples = %s", tot.num);
		put_sv(tot.unit, out);
		fprintf(out, " %s\n", pct);
	}
}

struct comment {
	struct sv s;
	size_t i;
};

static int cmp_comment(const void *a, const void *b)
{
	const struct comment *x = a, *y = b;
	int c = sv_cmp(x->s, y->s);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* pprof merges the profile before reporting, which keeps one of equal comments. */
static int find_dup_comments(const struct pprof_profile *p, bool **dup)
{
	struct comment *c;

	*dup = calloc(p->ncomments ? p->ncomments : 1, sizeof(**dup));
	c = calloc(p->ncomments ? p->ncomments : 1, sizeof(*c));
	if (!*dup || !c) {
		free(c);
		free(*dup);
		*dup = NULL;
		return -ENOMEM;
	}
	for (size_t i = 0; i < p->ncomments; i++) {
		c[i].s = str_of(p, p->comments[i]);
		c[i].i = i;
	}
	qsort(c, p->ncomments, sizeof(*c), cmp_comment);
	for (size_t i = 1; i < p->ncomments; i++)
		if (sv_cmp(c[i].s, c[i - 1].s) == 0)
			(*dup)[c[i].i] = true;
	free(c);
	return 0;
}

/* report.selectOutputUnit, for the nodes shown. */
static struct sv output_unit(
	const struct graph *g, struct node **shown, size_t nshown, int64_t total)
{
	struct sv su = sample_unit(g), minimum = sv_c("minimum"), unit;
	int64_t min_value = 0, max_value = total;

	if (nshown == 0)
		return minimum;
	for (size_t i = 0; i < nshown; i++) {
		int64_t v = abs64(node_flat(shown[i]));

		if (v == 0)
			v = abs64(node_cum(shown[i]));
		if (v > 0 && (min_value == 0 || v < min_value))
			min_value = v;
	}
	if (min_value == 0)
		min_value = max_value;
	unit = scale(min_value, su, minimum).unit;
	if (sv_cmp(unit, scale(max_value, su, minimum).unit) != 0 &&
		(int64_t)((uint64_t)min_value * 100) < max_value)
		unit = scale((int64_t)((uint64_t)min_value * 100), su, minimum).unit;
	return unit.n ? unit : su;
}

static void graph_free(struct graph *g)
{
	for (size_t i = 0; g->nodes && i < g->nnodes; i++)
		free(g->nodes[i].owned);
	free(g->nodes);
	free(g->loc_off);
	free(g->loc_nodes);
	free(g->edges);
}

int pprof_default_sample_index(const struct pprof_profile *p)
{
	struct sv dst;

	if (!p->nsample_types || p->nsample_types > INT_MAX)
		return -EINVAL;
	dst = str_of(p, p->default_sample_type);
	if (dst.n)
		for (size_t i = 0; i < p->nsample_types; i++)
			if (sv_cmp(str_of(p, p->sample_types[i].type), dst) == 0)
				return (int)i;
	return (int)p->nsample_types - 1;
}

int pprof_sample_index(const struct pprof_profile *p, const char *name)
{
	const char *noinuse = name, *digits = name + (*name == '+' || *name == '-');
	char *end;
	long long v;

	if (!p->nsample_types || p->nsample_types > INT_MAX)
		return -EINVAL;
	if (!*name)
		return pprof_default_sample_index(p);
	/* A number as strconv.Atoi takes one: a sign, then decimal digits only. */
	if (*digits && strspn(digits, "0123456789") == strlen(digits)) {
		errno = 0;
		v = strtoll(name, &end, 10);
		if (errno == 0)
			return v >= 0 && (unsigned long long)v < p->nsample_types ? (int)v
										  : -EINVAL;
	}
	if (strncmp(name, "inuse_", 6) == 0)
		noinuse = name + 6;
	for (size_t i = 0; i < p->nsample_types; i++) {
		struct sv t = str_of(p, p->sample_types[i].type);

		if (sv_eq(t, name) || sv_eq(t, noinuse))
			return (int)i;
	}
	return -EINVAL;
}

int pprof_top(const struct pprof_profile *p, int sample_index, size_t n, FILE *out)
{
	struct graph g = { 0 };
	struct node **shown = NULL;
	bool *comment_dup = NULL;
	size_t nshown = 0, orig_count, dropped = 0;
	uint64_t total = 0, diff_total = 0, flat_total = 0, flat_sum = 0;
	int64_t node_cutoff, edge_cutoff;
	struct sv su, unit;
	struct label l;
	char pct[64];
	int err;

	if (sample_index < 0)
		sample_index = pprof_default_sample_index(p);
	if (sample_index < 0 || (size_t)sample_index >= p->nsample_types)
		return -EINVAL;
	g.p = p;
	g.si = (size_t)sample_index;
	su = sample_unit(&g);

	/*
	 * report.computeTotal: every sample, by absolute value; for a -diff_base
	 * profile, only the base's samples.
	 */
	for (size_t i = 0; i < p->nsamples; i++) {
		uint64_t v = (uint64_t)abs64(sample_value(&g, &p->samples[i]));

		total += v;
		if (p->samples[i].diff_base)
			diff_total += v;
	}
	if ((int64_t)diff_total > 0)
		total = diff_total;

	err = create_nodes(&g);
	if (err)
		goto cleanup;
	add_samples(&g);
	shown = calloc(g.nnodes ? g.nnodes : 1, sizeof(*shown));
	if (!shown) {
		err = -ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < g.nnodes; i++) {
		if (g.nodes[i].flat || g.nodes[i].cum) {
			shown[nshown++] = &g.nodes[i];
			flat_total += g.nodes[i].flat;
		}
	}

	/*
	 * newTrimmedGraph: drop the nodes under nodefraction (0.005) of the flat
	 * total, keep the first nodecount by flat value. Rebuilding the graph
	 * from the kept nodes, as pprof does, leaves their values as they are.
	 */
	node_cutoff = abs64(f2i((double)(int64_t)flat_total * 0.005));
	edge_cutoff = abs64(f2i((double)(int64_t)flat_total * 0.001));
	if (node_cutoff > 0) {
		size_t kept = 0;

		for (size_t i = 0; i < nshown; i++)
			if (abs64(node_cum(shown[i])) >= node_cutoff)
				shown[kept++] = shown[i];
		dropped = nshown - kept;
		nshown = kept;
	}
	orig_count = nshown;
	qsort(shown, nshown, sizeof(*shown), cmp_flat_name);
	if (n > 0 && n < nshown)
		nshown = n;
	/* The graph pprof ends with: all nodes, or (rebuilt) only those shown. */
	for (size_t i = 0; i < g.nnodes; i++)
		g.nodes[i].kept = dropped == 0 && nshown == orig_count;
	for (size_t i = 0; i < nshown; i++) {
		shown[i]->kept = true;
		flat_sum += shown[i]->flat;
	}
	err = add_edges(&g, edge_cutoff);
	if (err)
		goto cleanup;
	unit = output_unit(&g, shown, nshown, (int64_t)total);
	err = find_dup_comments(p, &comment_dup);
	if (err)
		goto cleanup;

	/* report.reportLabels */
	put_profile_labels(&g, (int64_t)total, unit, comment_dup, out);
	fputs("Showing nodes accounting for ", out);
	scaled_label((int64_t)flat_sum, su, unit, &l);
	put_label(&l, 0, out);
	percentage((int64_t)flat_sum, (int64_t)total, pct, sizeof(pct));
	fprintf(out, ", %s of ", pct + strspn(pct, " "));
	scaled_label((int64_t)total, su, unit, &l);
	put_label(&l, 0, out);
	fputs(" total\n", out);
	if (total != 0) {
		if (dropped > 0) {
			fprintf(out, "Dropped %zu node%s (cum <= ", dropped,
				dropped > 1 ? "s" : "");
			scaled_label(abs64(f2i((double)(int64_t)total * 0.005)), su, unit, &l);
			put_label(&l, 0, out);
			fputs(")\n", out);
		}
		if (nshown > 0 && nshown < orig_count)
			fprintf(out, "Showing top %zu nodes out of %zu\n", nshown, orig_count);
	}

	/* report.printText */
	fprintf(out, "%10s %5s%% %5s%% %10s %5s%%\n", "flat", "flat", "sum", "cum", "cum");
	flat_sum = 0;
	for (size_t i = 0; i < nshown; i++) {
		const struct node *nd = shown[i];

		flat_sum += nd->flat;
		scaled_label(node_flat(nd), su, unit, &l);
		put_label(&l, 10, out);
		percentage(node_flat(nd), (int64_t)total, pct, sizeof(pct));
		fprintf(out, " %s ", pct);
		percentage((int64_t)flat_sum, (int64_t)total, pct, sizeof(pct));
		fprintf(out, "%s ", pct);
		scaled_label(node_cum(nd), su, unit, &l);
		put_label(&l, 10, out);
		percentage(node_cum(nd), (int64_t)total, pct, sizeof(pct));
		fprintf(out, " %s  ", pct);
		put_sv(nd->printable, out);
		if (nd->in_inline)
			fputs(nd->in_call ? " (partial-inline)" : " (inline)", out);
		fputc('\n', out);
	}
	if (ferror(out))
		err = -EIO;
cleanup:
	free(comment_dup);
	free(shown);
	graph_free(&g);
	return err;
}
