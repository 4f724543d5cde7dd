/* SPDX-License-Identifier: MIT */
/*
 * The module info text inside Go's build info (runtime.modinfo without its
 * framing): parsed as runtime/debug.ParseBuildInfo does, printed as
 * BuildInfo.String() does, so `gops buildinfo` prints what `go version -m`
 * prints. Empty for binaries built without modules (GOPATH, Bazel).
 */
#ifndef GOPS_MODINFO_H
#define GOPS_MODINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct go_module {
	char *path;
	char *version;
	char *sum;
	struct go_module *replace; /* the `=>` line, or NULL */
};

struct go_setting {
	char *key;   /* unquoted; may hold NUL bytes (key_len says how long) */
	char *value; /* unquoted; may hold NUL bytes */
	size_t key_len, value_len;
};

struct go_modinfo {
	char *path; /* main package path, or NULL */
	bool has_main;
	struct go_module main;
	struct go_module *deps;
	size_t ndeps;
	struct go_setting *settings;
	size_t nsettings;
};

/*
 * Parses len bytes of module info text (NUL bytes and all) into a zeroed m.
 * Returns 0, -EINVAL for a line ParseBuildInfo rejects, or -ENOMEM; on error
 * m holds nothing to free.
 */
int modinfo_parse(const char *text, size_t len, struct go_modinfo *m);

void modinfo_free(struct go_modinfo *m);

/* Each line of BuildInfo.String() but the go line, preceded by a tab: `go version -m`. */
void modinfo_print(const struct go_modinfo *m, FILE *out);

/*
 * The members Path, Main, Deps and Settings of debug.BuildInfo's JSON, each
 * preceded by a comma, to go inside an object; empty ones are left out.
 */
void modinfo_print_json(const struct go_modinfo *m, FILE *out);

#endif
