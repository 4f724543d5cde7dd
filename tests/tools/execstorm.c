// SPDX-License-Identifier: MIT
/*
 * execstorm N PARALLEL PROG [ARGS...]: runs PROG N times, at most PARALLEL at
 * once, as fast as posix_spawn goes, and prints the wall time in ms. For the
 * exec-storm tests and benchmarks.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	long n, par, running = 0, started = 0, failed = 0;
	double t0;

	if (argc < 4) {
		fprintf(stderr, "usage: execstorm N PARALLEL PROG [ARGS...]\n");
		return 2;
	}
	n = strtol(argv[1], NULL, 10);
	par = strtol(argv[2], NULL, 10);
	if (n <= 0 || par <= 0) {
		fprintf(stderr, "execstorm: N and PARALLEL must be positive\n");
		return 2;
	}
	t0 = now_ms();
	while (started < n || running > 0) {
		int status;

		while (started < n && running < par) {
			pid_t pid;
			int err = posix_spawn(&pid, argv[3], NULL, NULL, argv + 3, environ);

			if (err) {
				fprintf(stderr, "execstorm: failed to spawn %s: %s\n", argv[3],
					strerror(err));
				return 1;
			}
			started++;
			running++;
		}
		if (wait(&status) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		running--;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	}
	printf("%.1f\n", now_ms() - t0);
	if (failed)
		fprintf(stderr, "execstorm: %ld of %ld runs failed\n", failed, n);
	return failed ? 1 : 0;
}
