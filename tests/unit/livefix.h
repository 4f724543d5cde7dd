/* SPDX-License-Identifier: MIT */
/* Running a Go fixture for the tests that read a live process. */
#ifndef GOPS_LIVEFIX_H
#define GOPS_LIVEFIX_H

#include <sys/types.h>

/*
 * Starts the fixture name (a program taking -ready FILE, like sleeper) with
 * GOMAXPROCS=3 and waits (5 s at most) until it wrote its ready file: its
 * runtime is up then. Returns its pid, or -1.
 */
pid_t livefix_start(const char *name);

/* Kills it and reaps it. */
void livefix_stop(pid_t pid);

#endif
