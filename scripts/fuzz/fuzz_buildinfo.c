// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the build info reader: every input is read as an ELF
 * file (buildinfo_read_mem; one without a blob goes on to the function table
 * magic) and as module info text (modinfo_parse), and whatever parses is
 * printed both ways, so the printers and the Go quoting they use are fuzzed
 * too. Built and run by scripts/fuzz/run.sh.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "golang/buildinfo.h"

static FILE *sink(void)
{
	static FILE *null;

	if (!null)
		null = fopen("/dev/null", "w");
	return null;
}

static void print_all(const struct go_buildinfo *bi)
{
	FILE *out = sink();

	if (!out)
		return;
	buildinfo_print(bi, out);
	buildinfo_print_json(bi, "fuzz", out);
}

static void print_modinfo(const struct go_modinfo *m)
{
	FILE *out = sink();

	if (!out)
		return;
	modinfo_print(m, out);
	modinfo_print_json(m, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct go_buildinfo bi;
	struct go_modinfo m;
	int err;

	err = buildinfo_read_mem(data, size, &bi);
	if (err == 0)
		print_all(&bi);
	else if (err > 0 || !buildinfo_strerror(err))
		__builtin_trap(); /* errors are negative and have a message */
	buildinfo_free(&bi);

	memset(&m, 0, sizeof(m));
	err = modinfo_parse((const char *)data, size, &m);
	if (err == 0)
		print_modinfo(&m);
	else if (err != -EINVAL && err != -ENOMEM)
		__builtin_trap(); /* a bad line is -EINVAL, nothing else */
	modinfo_free(&m);
	return 0;
}
