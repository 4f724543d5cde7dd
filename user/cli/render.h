/* SPDX-License-Identifier: MIT */
/* Output of the listing verbs: gops' text formats and our JSON. */
#ifndef GOPS_RENDER_H
#define GOPS_RENDER_H

#include <stdio.h>

#include "list/golist.h"

/*
 * `gops`: one padded line per Go process, no header. Text output escapes
 * names, paths and versions (base/escape.h): exactly one line per process.
 * JSON output carries them exactly.
 */
void render_list(const struct go_list *l, bool wide, FILE *out);
void render_list_json(const struct go_list *l, FILE *out);

/* `gops tree`: the process tree of Go processes under a `...` root. */
void render_tree(const struct go_list *l, bool wide, FILE *out);
void render_tree_json(const struct go_list *l, FILE *out);

/*
 * The first line of `gops buildinfo`, as `go version -m` prints it:
 * "NAME: goX", the name (a path from the process) escaped.
 */
void render_buildinfo_head(const char *name, const char *go_version, FILE *out);

/* gops shortens development versions to "devel +hash". */
void render_short_version(const char *v, char *buf, size_t len);

#endif
