// SPDX-License-Identifier: MIT
/*
 * The call graph pprof's -top reports from (internal/graph/graph.go in
 * github.com/google/pprof, as vendored in Go 1.19, with granularity=functions):
 * nodes merged by NodeInfo, flat and cum values summed as newGraph does, the
 * edges that tell "(inline)" apart, and the order of FlatNameOrder.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "pprof/graph.h"

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
int create_nodes(struct graph *g)
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
				struct node *n = array_push(
					&g->nodes, &g->nnodes, &g->nodes_cap, sizeof(*n));

				if (!n) {
					err = -ENOMEM;
					goto cleanup;
				}
				n->name = name;
				n->obj = obj;
				n->start_line = start_line;
				err = node_printable(n);
				if (err)
					goto cleanup;
				table[slot] = g->nnodes - 1;
			}
			g->loc_nodes[total++] = table[slot];
		}
	}
	g->loc_off[p->nlocations] = total;
cleanup:
	free(table);
	return err;
}

/* newGraph's walk over every sample, for the flat and cum values. */
void add_samples(struct graph *g)
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
int add_edges(struct graph *g, int64_t edge_cutoff)
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
int cmp_flat_name(const void *a, const void *b)
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

void graph_free(struct graph *g)
{
	for (size_t i = 0; g->nodes && i < g->nnodes; i++)
		free(g->nodes[i].owned);
	free(g->nodes);
	free(g->loc_off);
	free(g->loc_nodes);
	free(g->edges);
}
