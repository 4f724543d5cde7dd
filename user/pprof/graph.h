/* SPDX-License-Identifier: MIT */
/* The call graph pprof_top reports from (private to user/pprof). */
#ifndef GOPS_PPROF_GRAPH_H
#define GOPS_PPROF_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pprof/pprof.h"
#include "pprof/str.h"

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

static inline int64_t node_flat(const struct node *n)
{
	return (int64_t)n->flat;
}

static inline int64_t node_cum(const struct node *n)
{
	return (int64_t)n->cum;
}

/* pprof's abs64: like Go, -MinInt64 stays negative. */
static inline int64_t abs64(int64_t v)
{
	return v < 0 ? (int64_t)(0 - (uint64_t)v) : v;
}

/* The value of sample s in the graph's sample type. */
static inline int64_t sample_value(const struct graph *g, const struct pprof_sample *s)
{
	return g->p->values[s->val_off + g->si];
}

/* CreateNodes: one node per location line, merged by NodeInfo. Returns 0 or -ENOMEM. */
int create_nodes(struct graph *g);

/* newGraph's walk over every sample, for the flat and cum values. */
void add_samples(struct graph *g);

/*
 * newGraph's edges between the kept nodes, only to mark the nodes called
 * inline (in_inline, in_call); edges lighter than edge_cutoff do not count.
 * Returns 0 or -ENOMEM.
 */
int add_edges(struct graph *g, int64_t edge_cutoff);

/* Nodes.Sort(FlatNameOrder), for qsort on an array of struct node *. */
int cmp_flat_name(const void *a, const void *b);

void graph_free(struct graph *g);

#endif
