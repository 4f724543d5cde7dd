// SPDX-License-Identifier: MIT
#include <time.h>

#include "base/clock.h"

static int64_t read_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

uint64_t clock_boot_ns(void)
{
	return (uint64_t)read_clock(CLOCK_BOOTTIME);
}

int64_t clock_mono_ns(void)
{
	return read_clock(CLOCK_MONOTONIC);
}

int64_t clock_mono_ms(void)
{
	return read_clock(CLOCK_MONOTONIC) / 1000000;
}

int64_t clock_real_ns(void)
{
	return read_clock(CLOCK_REALTIME);
}

int64_t clock_boot_to_real_ns(uint64_t boot_ns)
{
	int64_t real = clock_real_ns(), boot = (int64_t)clock_boot_ns();

	return real - (boot - (int64_t)boot_ns);
}
