// SPDX-License-Identifier: MIT
/*
 * walltime OUT ERR PROG [ARGS...]: runs PROG with stdout to OUT and stderr to
 * ERR and prints "MICROSECONDS STATUS": the wall time from posix_spawn to the
 * end of wait, and the exit status (128 + N when killed by signal N).
 *
 * The benchmarks time each command with it rather than with the shell's own
 * fork: forking bash copies its page tables, which costs both sides of a
 * comparison the same few hundred microseconds and would blur the ratio of
 * two fast commands.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	long long t0, t1;
	pid_t pid;
	int status, err;

	if (argc < 4) {
		fprintf(stderr, "usage: walltime OUT ERR PROG [ARGS...]\n");
		return 2;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	t0 = now_us();
	err = posix_spawnp(&pid, argv[3], &fa, NULL, argv + 3, environ);
	if (err) {
		fprintf(stderr, "walltime: failed to run %s: %s\n", argv[3], strerror(err));
		return 1;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("walltime: waitpid");
			return 1;
		}
	}
	t1 = now_us();
	printf("%lld %d\n", t1 - t0,
		WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
