// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the DWARF layout reader (golang/dwarf.c): any input
 * is an executable, handed over as a memfd (godwarf_open takes a path). Open
 * and the lookups must return 0 or one of their errors, each with a message,
 * and sizes and offsets must be sane. The seeds are small C programs' DWARF
 * (no runtime unit: every unit is indexed), so the names are C's too.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "golang/dwarf.h"

static const char *const lookups[][2] = {
	{ "p", "gFree.n" },
	{ "p", "gFree" },
	{ "p", "id" },
	{ "schedt", "mnext" },
	{ "heapStatsDelta", "smallAllocCount" },
	{ "runtime.p", "gFree.n" },
};

static void check(int err)
{
	if (err > 0 || (err && !godwarf_strerror(err)))
		__builtin_trap(); /* errors are negative and have a message */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-dwarf", MFD_CLOEXEC);
	struct godwarf *d = NULL;
	char path[64];
	int64_t off, sz, n;
	int err;

	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	err = godwarf_open(path, &d);
	check(err);
	if (err && d)
		__builtin_trap(); /* nothing to close on an error */
	if (!err) {
		for (size_t i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
			err = godwarf_member(d, lookups[i][0], lookups[i][1], &off, &sz);
			check(err);
			if (!err && (off < 0 || sz < 0))
				__builtin_trap();
			err = godwarf_array_len(d, lookups[i][0], lookups[i][1], &n);
			check(err);
			if (!err && n < 0)
				__builtin_trap();
			err = godwarf_type_size(d, lookups[i][0], &sz);
			check(err);
			if (!err && sz < 0)
				__builtin_trap();
		}
		godwarf_close(d);
	}
	close(fd);
	return 0;
}
