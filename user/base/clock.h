/* SPDX-License-Identifier: MIT */
/* The clocks this code reads, in nanoseconds: one place for each. */
#ifndef GOPS_BASE_CLOCK_H
#define GOPS_BASE_CLOCK_H

#include <stdint.h>

#define NS_PER_SEC 1000000000LL

/* CLOCK_BOOTTIME: what the kernel stamps events and process starts with. */
uint64_t clock_boot_ns(void);
/* CLOCK_MONOTONIC: for timeouts and spans; and in milliseconds. */
int64_t clock_mono_ns(void);
int64_t clock_mono_ms(void);
/* CLOCK_REALTIME: wall-clock time since the epoch. */
int64_t clock_real_ns(void);
/* The wall-clock time of a CLOCK_BOOTTIME stamp, in ns since the epoch. */
int64_t clock_boot_to_real_ns(uint64_t boot_ns);

#endif
