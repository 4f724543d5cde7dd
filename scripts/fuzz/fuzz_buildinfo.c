// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the build info reader: every input is read as an ELF
 * file (buildinfo_read_mem) and as module info text (buildinfo_parse_modinfo),
 * and whatever parses is printed both ways, so the printers and the Go quoting
 * they use are fuzzed too. Built and run by scripts/fuzz/run.sh.
 */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct go_buildinfo bi;
	int err;

	err = buildinfo_read_mem(data, size, &bi);
	if (err == 0)
		print_all(&bi);
	else if (err > 0 || !buildinfo_strerror(err))
		__builtin_trap(); /* errors are negative and have a message */
	buildinfo_free(&bi);

	memset(&bi, 0, sizeof(bi));
	err = buildinfo_parse_modinfo((const char *)data, size, &bi);
	if (err == 0)
		print_all(&bi);
	buildinfo_free(&bi);
	return 0;
}
