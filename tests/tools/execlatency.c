// SPDX-License-Identifier: MIT
/*
 * execlatency PIN_DIR N [--fresh] PROG [ARGS...]: exec-to-row latency. Runs
 * PROG N times; each time measures from just before the exec to the moment
 * the pinned table holds the new process as Go. With --fresh every run execs
 * a never-seen copy of PROG (so user space must classify it). Prints
 * "p50 p99 max" in milliseconds, or fails if a row never shows up.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "gops.h"

#define TIMEOUT_MS 2000.0

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int copy_file(const char *src, const char *dst)
{
	int in = open(src, O_RDONLY), out;
	struct stat st;
	ssize_t n;

	if (in < 0 || fstat(in, &st) < 0)
		return -1;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (out < 0) {
		close(in);
		return -1;
	}
	n = sendfile(out, in, NULL, (size_t)st.st_size);
	close(in);
	close(out);
	return n == st.st_size ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Starts prog held on a pipe; releases it and times until its row is Go. */
static double measure(int procs_fd, const char *prog, char **argv)
{
	struct gops_row row;
	int go[2];
	double t0, t1 = -1;
	pid_t pid;
	char c = 0;

	if (pipe(go) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execv(prog, argv);
		_exit(127);
	}
	close(go[0]);
	t0 = now_ms();
	if (write(go[1], &c, 1) != 1)
		t0 = -1;
	close(go[1]);
	while (t0 >= 0 && now_ms() - t0 < TIMEOUT_MS) {
		uint32_t key = (uint32_t)pid;

		if (bpf_map_lookup_elem(procs_fd, &key, &row) == 0 && (row.flags & GOPS_ROW_GO)) {
			t1 = now_ms();
			break;
		}
		usleep(20);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return t1 < 0 ? -1 : t1 - t0;
}

int main(int argc, char **argv)
{
	char path[4096], dir[] = "/tmp/execlatency.XXXXXX";
	bool fresh = false;
	int n, first = 3, procs_fd;
	double *lat;

	if (argc < 4) {
		fprintf(stderr, "usage: execlatency PIN_DIR N [--fresh] PROG [ARGS...]\n");
		return 2;
	}
	n = atoi(argv[2]);
	if (strcmp(argv[3], "--fresh") == 0) {
		fresh = true;
		first = 4;
	}
	if (n <= 0 || first >= argc)
		return 2;
	snprintf(path, sizeof(path), "%s/procs", argv[1]);
	procs_fd = bpf_obj_get(path);
	if (procs_fd < 0) {
		fprintf(stderr, "execlatency: failed to open %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (fresh && !mkdtemp(dir))
		return 1;
	lat = calloc((size_t)n, sizeof(*lat));
	for (int i = 0; i < n; i++) {
		const char *prog = argv[first];

		if (fresh) {
			snprintf(path, sizeof(path), "%s/copy%d", dir, i);
			if (copy_file(argv[first], path) < 0) {
				fprintf(stderr, "execlatency: failed to copy %s\n", argv[first]);
				return 1;
			}
			prog = path;
		}
		lat[i] = measure(procs_fd, prog, argv + first);
		if (fresh)
			unlink(path);
		if (lat[i] < 0) {
			fprintf(stderr, "execlatency: no Go row for run %d within %.0f ms\n", i,
				TIMEOUT_MS);
			return 1;
		}
	}
	if (fresh)
		rmdir(dir);
	qsort(lat, (size_t)n, sizeof(*lat), cmp_double);
	printf("%.3f %.3f %.3f\n", lat[n / 2], lat[(n * 99 + 99) / 100 - 1], lat[n - 1]);
	return 0;
}
