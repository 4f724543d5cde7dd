// SPDX-License-Identifier: MIT
/*
 * Build info of real binaries built by other Go releases, from npm packages
 * (tests/fixtures/npm.sh puts them under FIXTURES/npm/), against their NAME.gov.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildinfo_helpers.h"
#include "golang/buildinfo.h"
#include "harness.h"

/* ---- real binaries of other Go releases (tests/fixtures/npm.sh) ---- */

struct npm_fixture {
	const char *name;    /* under FIXTURES/ */
	const char *version; /* what go version -m says built it */
	bool modules;        /* built in module mode (else GOPATH or Bazel: no module info) */
};

/* Every npm fixture Go 1.19's go version -m reads; the comments say the format. */
static const struct npm_fixture npm_readable[] = {
	{ "npm/buildifier-2.2.1", "go1.13.6", false },     /* pointer format, Bazel */
	{ "npm/ibazel-0.15.10", "go1.14.2", false },       /* pointer, Bazel */
	{ "npm/bazelisk-1.7.5", "go1.15.2", false },       /* pointer, Bazel */
	{ "npm/bazelisk-1.7.5-arm64", "go1.15.2", false }, /* pointer, Bazel, arm64 */
	{ "npm/bazelisk-1.12.1", "go1.16.4", false },      /* pointer, Bazel */
	{ "npm/buildifier-5.1.0", "go1.17.2", false },     /* pointer, Bazel */
	{ "npm/buildifier-6.1.2", "go1.20.3 X:nocoverageredesign", false }, /* inline, Bazel */
	{ "npm/esbuild-0.1.26", "go1.14.2", true },                         /* pointer, modules */
	{ "npm/esbuild-0.7.22", "go1.15", true },    /* pointer, modules, a dep */
	{ "npm/esbuild-0.8.57", "go1.16", true },    /* pointer */
	{ "npm/esbuild-0.13.15", "go1.17.2", true }, /* pointer */
	{ "npm/esbuild-0.14.54", "go1.19", true },   /* inline, build settings */
	{ "npm/esbuild-0.17.19", "go1.20.4", true }, /* inline */
	{ "npm/esbuild-0.23.1", "go1.22.5", true },  /* inline */
	{ "npm/esbuild-0.25.0", "go1.23.5", true },  /* inline */
};
#define NNPM (sizeof(npm_readable) / sizeof(npm_readable[0]))

/* The version on the first line of NAME.gov, checked against what we pinned. */
static bool check_npm_gov_version(const struct npm_fixture *f)
{
	char *line = gov_version_line(f->name);
	bool ok = line && strlen(line) == strlen(f->version) + 1 &&
		  strncmp(line, f->version, strlen(f->version)) == 0;

	if (line && !ok)
		harness_fail(__FILE__, __LINE__, "%s.gov says %s, the pinned list %s", f->name,
			line, f->version);
	free(line);
	return ok;
}

TEST(test_buildinfo_real_binaries_of_go_1_13_to_1_23_match_go_version_m)
{
	for (size_t i = 0; i < NNPM; i++)
		if (check_npm_gov_version(&npm_readable[i]))
			CHECK_MATCHES_GOV(npm_readable[i].name, npm_readable[i].name);
}

/* GOPATH and Bazel builds: runtime.modinfo is "", go version -m prints the version alone. */
TEST(test_buildinfo_builds_without_modules_print_only_the_version_line)
{
	size_t checked = 0;

	for (size_t i = 0; i < NNPM; i++) {
		const struct npm_fixture *f = &npm_readable[i];
		struct go_buildinfo bi;
		char *want;
		int fd;

		if (f->modules)
			continue;
		want = gov_tail(f->name);
		if (!want)
			continue;
		/* The reference itself: one line, nothing after the version. */
		CHECK(strchr(want, '\n') == want + strlen(want) - 1);
		free(want);
		fd = open_fixture(f->name);
		if (fd < 0)
			continue;
		CHECK_INT(buildinfo_read_fd(fd, &bi), 0);
		close(fd);
		CHECK_STR(bi.go_version, f->version);
		CHECK(bi.mod.path == NULL && !bi.mod.has_main && bi.mod.ndeps == 0 &&
			bi.mod.nsettings == 0);
		buildinfo_free(&bi);
		CHECK_MATCHES_GOV(f->name, f->name);
		checked++;
	}
	if (checked == 0)
		SKIP("no npm fixture built without modules (tests/fixtures/npm.sh)");
}

TEST(test_buildinfo_json_of_build_without_modules_is_file_and_version_only)
{
	static const struct npm_fixture *const subjects[] = { &npm_readable[0], &npm_readable[4],
		&npm_readable[6] };

	for (size_t i = 0; i < 3; i++) {
		struct go_buildinfo bi;
		char *s = NULL, want[256];
		size_t n = 0;
		struct buf b;
		FILE *f;

		if (!load_fixture(subjects[i]->name, &b))
			continue;
		CHECK_INT(buildinfo_read_mem(b.p, b.len, &bi), 0);
		free(b.p);
		f = open_memstream(&s, &n);
		buildinfo_print_json(&bi, "x", f);
		fclose(f);
		snprintf(want, sizeof(want), "{\"File\":\"x\",\"GoVersion\":\"%s\"}",
			subjects[i]->version);
		CHECK_STR(s, want);
		free(s);
		buildinfo_free(&bi);
	}
}
