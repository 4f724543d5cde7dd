// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the pprof profile reader: every input is read as a
 * profile (gzipped or not; pprof_parse_max with a 16 MiB bound so a bomb
 * costs little), and whatever parses is reported for each sample type, with
 * and without a node count, so the report code is fuzzed too. Built and run
 * by scripts/fuzz/run.sh.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "pprof/pprof.h"

static FILE *sink(void)
{
	static FILE *null;

	if (!null)
		null = fopen("/dev/null", "w");
	return null;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pprof_profile p;
	FILE *out = sink();
	int err;

	err = pprof_parse_max(data, size, 16u << 20, &p);
	if (err == 0 && out) {
		if (pprof_top(&p, -1, 20, out) != 0 && p.nsample_types)
			__builtin_trap(); /* a parsed profile with sample types always reports */
		for (size_t i = 0; i < p.nsample_types && i < 4; i++)
			pprof_top(&p, (int)i, 0, out);
	} else if (err != 0 && err != -EINVAL && err != -EFBIG && err != -ENOMEM) {
		__builtin_trap(); /* errors are these three, negative */
	}
	pprof_free(&p);
	return 0;
}
