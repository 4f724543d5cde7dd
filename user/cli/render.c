// SPDX-License-Identifier: MIT
#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/escape.h"
#include "base/json.h"
#include "base/str.h"
#include "cli/render.h"

void render_short_version(const char *v, char *buf, size_t len)
{
	if (len)
		buf[0] = '\0';
	str_append(buf, len, 0, v);
	if (strncmp(v, "devel", 5) != 0)
		return;
	/* The first match of `devel\s+\+\w+`. */
	for (const char *p = v; (p = strstr(p, "devel")); p++) {
		const char *q = p + 5, *w;

		if (!isspace((unsigned char)*q))
			continue;
		while (isspace((unsigned char)*q))
			q++;
		if (*q != '+')
			continue;
		w = q + 1;
		while (isalnum((unsigned char)*w) || *w == '_')
			w++;
		if (w == q + 1)
			continue;
		snprintf(buf, len, "%.*s", (int)(w - p), p);
		return;
	}
}

static int width_of_int(int v)
{
	return v < 0 ? 1 + str_uint_width(-(unsigned long long)v) : str_uint_width((unsigned)v);
}

/*
 * Text that came from the process (name, path, version) is escaped (see
 * base/escape.h): one row per process, whatever its name holds. Columns are
 * padded to the escaped width.
 */
static void put_text(FILE *out, const char *s)
{
	if (s)
		escape_fputs(out, s, strlen(s));
}

static void put_padded(FILE *out, const char *s, int width)
{
	escape_fputs_padded(out, s, strlen(s), width > 0 ? (size_t)width : 0);
}

static int text_width(const char *s)
{
	size_t w = escape_len(s, strlen(s));

	return w < INT_MAX ? (int)w : INT_MAX;
}

/* A process name: its backslashes too, as the kernel shows a comm (and so gops). */
static void put_name(FILE *out, const char *s)
{
	escape_name_fputs(out, s, strlen(s));
}

static void put_name_padded(FILE *out, const char *s, int width)
{
	escape_name_fputs_padded(out, s, strlen(s), width > 0 ? (size_t)width : 0);
}

static int name_width(const char *s)
{
	size_t w = escape_name_len(s, strlen(s));

	return w < INT_MAX ? (int)w : INT_MAX;
}

/* The short container id docker and podman print (12 hex digits), or "-". */
static const char *short_container(const struct go_proc *p, char *buf, size_t len)
{
	if (!p->ctr.id[0])
		return "-";
	snprintf(buf, len, "%.12s", p->ctr.id);
	return buf;
}

void render_list(const struct go_list *l, bool wide, FILE *out)
{
	int wpid = 0, wppid = 0, wnspid = 0, wctr = 1, wname = 0, wver = 0;
	char ctr[16];
	char ver[64];

	for (size_t i = 0; i < l->n; i++) {
		const struct go_proc *p = &l->procs[i];
		int w;

		render_short_version(p->version, ver, sizeof(ver));
		if ((w = width_of_int(p->pid)) > wpid)
			wpid = w;
		if ((w = width_of_int(p->ppid)) > wppid)
			wppid = w;
		if ((w = width_of_int(p->nspid)) > wnspid)
			wnspid = w;
		if (p->ctr.id[0])
			wctr = 12;
		if ((w = name_width(p->name)) > wname)
			wname = w;
		if ((w = text_width(ver)) > wver)
			wver = w;
	}
	/* gops pads every column on the right, then puts the agent mark after the name. */
	for (size_t i = 0; i < l->n; i++) {
		const struct go_proc *p = &l->procs[i];

		render_short_version(p->version, ver, sizeof(ver));
		fprintf(out, "%-*d %-*d ", wpid, p->pid, wppid, p->ppid);
		if (wide)
			fprintf(out, "%-*d %-*s ", wnspid, p->nspid, wctr,
				short_container(p, ctr, sizeof(ctr)));
		put_name_padded(out, p->name, wname);
		fputs(p->agent ? "* " : "  ", out);
		put_padded(out, ver, wver);
		fputc(' ', out);
		put_text(out, p->path);
		fputc('\n', out);
	}
}

static void json_proc_fields(const struct go_proc *p, FILE *out)
{
	fprintf(out, "\"pid\":%d,\"ppid\":%d,\"nspid\":%d,", p->pid, p->ppid, p->nspid);
	json_key(out, "name");
	json_string(out, p->name);
	fprintf(out, ",\"agent\":%s,", p->agent ? "true" : "false");
	json_key(out, "go_version");
	json_string(out, p->version);
	fputc(',', out);
	json_key(out, "path");
	json_string(out, p->path);
	container_write_json(out, &p->ns, &p->ctr);
}

void render_list_json(const struct go_list *l, FILE *out)
{
	fputc('[', out);
	for (size_t i = 0; i < l->n; i++) {
		fputs(i ? ",{" : "{", out);
		json_proc_fields(&l->procs[i], out);
		fputc('}', out);
	}
	fputs("]\n", out);
}

/*
 * The tree is built as gops builds it: processes ordered by parent pid, each
 * parent pid becomes a branch the first time it is seen (a bare pid when it
 * is not itself a Go process in that position), then its Go children below.
 */
struct tnode {
	int pid;
	const struct go_proc *proc; /* NULL for a bare parent pid */
	struct tnode **kids;
	size_t nkids, cap;
};

struct tree_ctx {
	const struct go_proc **sorted;
	size_t n;
	int *seen;
	size_t nseen, seencap;
};

static int cmp_ppid(const void *a, const void *b)
{
	const struct go_proc *x = *(const struct go_proc *const *)a;
	const struct go_proc *y = *(const struct go_proc *const *)b;

	if (x->ppid != y->ppid)
		return (x->ppid > y->ppid) - (x->ppid < y->ppid);
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static bool mark_seen(struct tree_ctx *t, int pid)
{
	int *slot;

	for (size_t i = 0; i < t->nseen; i++)
		if (t->seen[i] == pid)
			return false;
	slot = array_push(&t->seen, &t->nseen, &t->seencap, sizeof(*t->seen));
	if (!slot)
		return false;
	*slot = pid;
	return true;
}

static struct tnode *add_kid(struct tnode *parent, int pid, const struct go_proc *proc)
{
	struct tnode *k = calloc(1, sizeof(*k));
	struct tnode **slot =
		k ? array_push(&parent->kids, &parent->nkids, &parent->cap, sizeof(*parent->kids))
		  : NULL;

	if (!slot) {
		free(k);
		return NULL;
	}
	k->pid = pid;
	k->proc = proc;
	*slot = k;
	return k;
}

static void construct(struct tree_ctx *t, int ppid, const struct go_proc *p, struct tnode *node)
{
	struct tnode *branch;

	if (!mark_seen(t, ppid))
		return;
	branch = add_kid(node, ppid, ppid != p->ppid ? p : NULL);
	if (!branch)
		return;
	for (size_t i = 0; i < t->n; i++)
		if (t->sorted[i]->ppid == ppid)
			construct(t, t->sorted[i]->pid, t->sorted[i], branch);
}

static void free_tree(struct tnode *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		free_tree(n->kids[i]);
		free(n->kids[i]);
	}
	free(n->kids);
}

static int build_tree(const struct go_list *l, struct tnode *root)
{
	struct tree_ctx t = { 0 };

	memset(root, 0, sizeof(*root));
	t.n = l->n;
	t.sorted = malloc((l->n ? l->n : 1) * sizeof(*t.sorted));
	if (!t.sorted)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		t.sorted[i] = &l->procs[i];
	qsort(t.sorted, t.n, sizeof(*t.sorted), cmp_ppid);
	for (size_t i = 0; i < t.n; i++)
		construct(&t, t.sorted[i]->ppid, t.sorted[i], root);
	free(t.sorted);
	free(t.seen);
	return 0;
}

/* Prints like github.com/xlab/treeprint: "├── ", "└── ", "│   " and four spaces. */
static void print_nodes(
	const struct tnode *n, char *prefix, size_t plen, size_t pcap, bool wide, FILE *out)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const struct tnode *k = n->kids[i];
		bool last = i + 1 == n->nkids;

		fprintf(out, "%.*s%s ", (int)plen, prefix, last ? "└──" : "├──");
		if (k->proc) {
			if (k->proc->agent)
				fputs("[*]  ", out);
			fprintf(out, "%d (", k->pid);
			put_name(out, k->proc->name);
			fputs(") {", out);
			put_text(out, k->proc->version);
			fputc('}', out);
			if (wide && k->proc->ctr.id[0])
				fprintf(out, " container %.12s", k->proc->ctr.id);
			fputc('\n', out);
		} else {
			fprintf(out, "%d\n", k->pid);
		}
		if (k->nkids) {
			const char *ind = last ? "    " : "│   ";
			size_t ilen = strlen(ind);

			if (plen + ilen < pcap) {
				memcpy(prefix + plen, ind, ilen);
				print_nodes(k, prefix, plen + ilen, pcap, wide, out);
			}
		}
	}
}

void render_tree(const struct go_list *l, bool wide, FILE *out)
{
	struct tnode root;
	char prefix[4096];

	if (build_tree(l, &root))
		return;
	fputs("...\n", out);
	print_nodes(&root, prefix, 0, sizeof(prefix), wide, out);
	fputc('\n', out); /* gops prints the tree with Println: a blank line ends it */
	free_tree(&root);
}

static void json_nodes(const struct tnode *n, FILE *out)
{
	fputc('[', out);
	for (size_t i = 0; i < n->nkids; i++) {
		const struct tnode *k = n->kids[i];

		fputs(i ? ",{" : "{", out);
		if (k->proc)
			json_proc_fields(k->proc, out);
		else
			fprintf(out, "\"pid\":%d", k->pid);
		fputs(",\"children\":", out);
		json_nodes(k, out);
		fputc('}', out);
	}
	fputc(']', out);
}

void render_tree_json(const struct go_list *l, FILE *out)
{
	struct tnode root;

	if (build_tree(l, &root))
		return;
	json_nodes(&root, out);
	fputc('\n', out);
	free_tree(&root);
}

void render_buildinfo_head(const char *name, const char *go_version, FILE *out)
{
	put_text(out, name);
	fputs(": ", out);
	put_text(out, go_version);
	fputc('\n', out);
}
