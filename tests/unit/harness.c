// SPDX-License-Identifier: MIT
/*
 * The test runner: runs every registered test, or those whose names contain
 * one of the substrings on the command line; a substring that is in no test's
 * name is a failure.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "harness.h"

#define MAX_TESTS 1024

static struct {
	const char *name;
	test_fn fn;
} tests[MAX_TESTS];
static int ntests;
static int current_failed;
static char current_skip[512];

void harness_register(const char *name, test_fn fn)
{
	if (ntests < MAX_TESTS) {
		tests[ntests].name = name;
		tests[ntests].fn = fn;
		ntests++;
	}
}

void harness_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	current_failed = 1;
}

void harness_skip(const char *fmt, ...)
{
	va_list ap;

	if (current_skip[0])
		return;
	va_start(ap, fmt);
	vsnprintf(current_skip, sizeof(current_skip), fmt, ap);
	va_end(ap);
	if (!current_skip[0])
		snprintf(current_skip, sizeof(current_skip), "skipped");
}

const char *fixture_dir(void)
{
	const char *d = getenv("GOPS_FIXTURES");

	return d && *d ? d : "build/fixtures";
}

const char *fixture(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", fixture_dir(), name);
	return buf;
}

const char *npm_fixture(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/npm/%s", fixture_dir(), name);
	return buf;
}

bool npm_fixture_is_binary(const char *name)
{
	static const char *const not_binaries[] = { ".gov", ".src", ".skip" };
	size_t len = strlen(name);

	if (name[0] == '.' || strcmp(name, "tarballs") == 0)
		return false;
	for (size_t i = 0; i < sizeof(not_binaries) / sizeof(not_binaries[0]); i++) {
		size_t n = strlen(not_binaries[i]);

		if (len >= n && strcmp(name + len - n, not_binaries[i]) == 0)
			return false;
	}
	return true;
}

/* Is the test named for one of the substrings on the command line (all, without any)? */
static int selected(const char *name, int argc, char **argv, char *matched)
{
	int hit = argc < 2;

	for (int i = 1; i < argc; i++) {
		if (strstr(name, argv[i])) {
			matched[i] = 1;
			hit = 1;
		}
	}
	return hit;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0;
	char *matched = calloc((size_t)argc, 1);

	if (!matched) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < ntests; i++) {
		if (!selected(tests[i].name, argc, argv, matched))
			continue;
		current_failed = 0;
		current_skip[0] = '\0';
		tests[i].fn();
		if (current_failed) {
			printf("FAIL %s\n", tests[i].name);
			failed++;
		} else if (current_skip[0]) {
			printf("skip %s: %s\n", tests[i].name, current_skip);
			skipped++;
		} else {
			printf("ok   %s\n", tests[i].name);
			passed++;
		}
	}
	/* A name that matches nothing is a mistake (a typo, a renamed test): it fails. */
	for (int i = 1; i < argc; i++) {
		if (!matched[i]) {
			printf("FAIL no test matches '%s'\n", argv[i]);
			failed++;
		}
	}
	free(matched);
	if (skipped)
		printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	else
		printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
