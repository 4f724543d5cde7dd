// SPDX-License-Identifier: MIT
/*
 * What pprof does once profile.proto is decoded: postDecode (encode.go in
 * github.com/google/pprof/profile) resolves the string indexes and the ids
 * of mappings, locations and functions, CheckValid (profile.go) refuses ids
 * that are 0 or repeated and references to what is not there. The tables of
 * decode.c become a struct pprof_profile here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pprof/decode.h"

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

int parser_finish(struct parser *ps, struct pprof_profile *out)
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
