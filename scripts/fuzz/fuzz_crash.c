// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the Go crash text reader (golang/crash.c): every input
 * is read as what a process wrote to stderr. libFuzzer's buffer ends at size,
 * so ASan stops any read past it; what the reader gives back must hold: a
 * known kind, NUL-terminated fields within their sizes, at most
 * GO_CRASH_FRAMES frames, and no message without a kind. Built and run by
 * scripts/fuzz/run.sh.
 */
#include <stdint.h>
#include <string.h>

#include "golang/crash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct go_crash c;

	memset(&c, 0xa5, sizeof(c));
	go_crash_parse((const char *)data, size, &c);
	if (c.kind != GO_CRASH_NONE && c.kind != GO_CRASH_PANIC && c.kind != GO_CRASH_FATAL)
		__builtin_trap();
	if (!memchr(c.message, '\0', sizeof(c.message)) || c.nframes > GO_CRASH_FRAMES)
		__builtin_trap();
	if (c.kind == GO_CRASH_NONE && (c.message[0] || c.nframes))
		__builtin_trap();
	for (size_t i = 0; i < c.nframes; i++)
		if (!memchr(c.frames[i].func, '\0', sizeof(c.frames[i].func)) ||
			!memchr(c.frames[i].file, '\0', sizeof(c.frames[i].file)) ||
			c.frames[i].line < 0)
			__builtin_trap();
	return 0;
}
