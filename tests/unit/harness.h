/* SPDX-License-Identifier: MIT */
/*
 * A tiny test harness: TEST(name) registers a test; CHECK* record failures
 * without stopping the test; SKIP(reason) ends it as skipped (a fixture that
 * could not be made, say). The runner prints "ok NAME", "FAIL NAME" or
 * "skip NAME: reason" and closes with "N passed, N failed" (", N skipped" after
 * it when some were). A test that failed before skipping counts as failed.
 * Names on the runner's command line pick the tests whose names contain one;
 * a name that matches no test is a failure ("FAIL no test matches 'NAME'").
 */
#ifndef GOPS_HARNESS_H
#define GOPS_HARNESS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);
void harness_register(const char *name, test_fn fn);
void harness_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Marks the running test skipped (the first reason is kept); it goes on until it returns. */
void harness_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Directory of Go fixtures built at test time (env GOPS_FIXTURES). */
const char *fixture_dir(void);
/* Full path of a fixture file in a static buffer. */
const char *fixture(const char *name);
/* Full path of a binary of tests/fixtures/npm.sh (FIXTURES/npm/NAME), in a static buffer of its
 * own. */
const char *npm_fixture(const char *name);
/* Whether an entry of FIXTURES/npm is a binary (not NAME.gov, .src, .skip, tarballs/). */
bool npm_fixture_is_binary(const char *name);

#define TEST(name)                                                                                 \
	static void name(void);                                                                    \
	__attribute__((constructor)) static void register_##name(void)                             \
	{                                                                                          \
		harness_register(#name, name);                                                     \
	}                                                                                          \
	static void name(void)

#define SKIP(...)                                                                                  \
	do {                                                                                       \
		harness_skip(__VA_ARGS__);                                                         \
		return;                                                                            \
	} while (0)

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			harness_fail(__FILE__, __LINE__, "%s", #cond);                             \
	} while (0)

#define CHECK_INT(a, b)                                                                            \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		if (a_ != b_)                                                                      \
			harness_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #a, a_, b_); \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (!a_ || !b_ || strcmp(a_, b_) != 0)                                             \
			harness_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a,      \
				a_ ? a_ : "(null)", b_ ? b_ : "(null)");                           \
	} while (0)

#endif
