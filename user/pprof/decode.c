// SPDX-License-Identifier: MIT
/*
 * Decoding profile.proto into tables, as pprof's decoders do (encode.go in
 * github.com/google/pprof/profile: profileDecoder, sampleDecoder and the
 * rest): unknown fields are skipped, a field of the wrong wire type is an
 * error, and every table grows within one budget of bytes. The entry points
 * of the public API for reading (pprof_parse and friends) are here too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "pprof/decode.h"
#include "pprof/gunzip.h"
#include "pprof/wire.h"

/* Room for one more table element; NULL with *err set when there is none. */
static void *push(struct parser *ps, struct table *v, size_t size, int *err)
{
	void *slot;

	if (size > ps->budget) {
		*err = -EFBIG;
		return NULL;
	}
	ps->budget -= size;
	slot = array_push(&v->a, &v->n, &v->cap, size);
	if (!slot)
		*err = -ENOMEM;
	return slot;
}

/* A repeated integer field, packed or not, appended to a table of uint64_t. */
static int pb_push_u64s(struct parser *ps, const struct pb_field *f, struct table *v)
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

static int parse_value_type(struct pb b, int64_t *type, int64_t *unit)
{
	struct pb_field f;
	int err = 0;

	*type = *unit = 0;
	while (pb_more(&b, &f, &err)) {
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

	while (pb_more(&b, &f, &err))
		if (f.num >= 1 && f.num <= 4)
			err = pb_i64(&f, &v[f.num]);
	if (err)
		return err;
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

	while (pb_more(&b, &f, &err)) {
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

	while (pb_more(&b, &f, &err)) {
		uint64_t flag;

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

	while (pb_more(&b, &f, &err)) {
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

	while (pb_more(&b, &f, &err)) {
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

	while (pb_more(&b, &f, &err)) {
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
	struct table comments = { 0 };
	int64_t type, unit;
	int err = 0;

	while (pb_more(&b, &f, &err)) {
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

static void parser_free(struct parser *ps)
{
	struct table *all[] = { &ps->sample_types, &ps->samples, &ps->loc_ids, &ps->values,
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
		err = parser_finish(&ps, out);
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
