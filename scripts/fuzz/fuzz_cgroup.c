// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the cgroup parser (proc/container.c): every input is
 * read as /proc/PID/cgroup text. libFuzzer's buffer ends at size, so ASan
 * stops any read past it; what the parser gives back must be one of its
 * answers: 0 and all zero, or 1 with a known runtime, 64 lowercase hex digits
 * of id and an empty or 8-4-4-4-12 pod UID. Built and run by scripts/fuzz/run.sh.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "proc/container.h"

static bool lower_hex(const char *s, size_t n, bool dashes)
{
	for (size_t i = 0; i < n; i++) {
		bool hex = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f');

		if (dashes && (i == 8 || i == 13 || i == 18 || i == 23)) {
			if (s[i] != '-')
				return false;
		} else if (!hex) {
			return false;
		}
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct container_info zero;
	struct container_info c;
	int r;

	memset(&c, 0xa5, sizeof(c));
	r = container_from_cgroup((const char *)data, size, &c);
	if (r == 0) {
		if (memcmp(&c, &zero, sizeof(c)) != 0)
			__builtin_trap(); /* no container: out is zeroed */
		return 0;
	}
	if (r != 1 || c.runtime <= CONTAINER_NONE || c.runtime > CONTAINER_PODMAN ||
		!*container_runtime_name(c.runtime))
		__builtin_trap();
	if (c.id[CONTAINER_ID_LEN] || !lower_hex(c.id, CONTAINER_ID_LEN, false))
		__builtin_trap(); /* exactly 64 lowercase hex digits */
	if (c.pod_uid[0] && (c.pod_uid[POD_UID_LEN] || !lower_hex(c.pod_uid, POD_UID_LEN, true)))
		__builtin_trap();
	/* The id was in the input. */
	if (!memmem(data, size, c.id, CONTAINER_ID_LEN))
		__builtin_trap();
	return 0;
}
