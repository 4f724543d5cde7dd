// SPDX-License-Identifier: MIT
/*
 * The report `go tool pprof -top` prints (internal/report/report.go in
 * github.com/google/pprof, as vendored in Go 1.19): the sample type chosen,
 * the total, which nodes are dropped and shown, the unit picked for the
 * columns, the header lines (reportLabels, ProfileLabels) and the text
 * (printText). Which nodes are dropped, the unit picked, how ties are broken
 * and when a node is marked "(inline)" all depend on details of pprof's
 * functions, so the comments name the pprof function each step mirrors.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pprof/graph.h"
#include "pprof/pprof.h"
#include "pprof/units.h"

/* Go's int64(f) on amd64: out of range gives the "indefinite integer". */
static int64_t f2i(double f)
{
	if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0))
		return INT64_MIN;
	return (int64_t)f;
}

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
