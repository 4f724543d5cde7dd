// SPDX-License-Identifier: MIT
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "proc/procwalk.h"

#define MAX_SEEN 65536

/* What each thread visited, kept apart as procwalk promises threads may. */
struct seen {
	int pids[PROCWALK_MAX_THREADS][MAX_SEEN];
	int n[PROCWALK_MAX_THREADS];
	bool bad_thread;
};

static void record(void *ctx, int thread, int pid)
{
	struct seen *s = ctx;

	if (thread < 0 || thread >= PROCWALK_MAX_THREADS) {
		s->bad_thread = true;
		return;
	}
	if (s->n[thread] < MAX_SEEN)
		s->pids[thread][s->n[thread]++] = pid;
}

static int count(const struct seen *s, int pid)
{
	int c = 0;

	for (int t = 0; t < PROCWALK_MAX_THREADS; t++)
		for (int i = 0; i < s->n[t]; i++)
			c += s->pids[t][i] == pid;
	return c;
}

static int cpus(void)
{
	cpu_set_t set;

	return sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
}

/* Enough children (more than one thread's share) that helpers start. */
#define CHILDREN 300

TEST(test_procwalk_visits_every_process_once)
{
	struct seen *s = calloc(1, sizeof(*s));
	pid_t kids[CHILDREN];
	int nkids = 0, threads = 0, err;
	pid_t self = getpid();

	if (!s) {
		CHECK(!"out of memory");
		return;
	}
	for (int i = 0; i < CHILDREN; i++) {
		pid_t p = fork();

		if (p == 0) {
			/* Gone with the test, however it ends. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != self)
				_exit(0);
			pause();
			_exit(0);
		}
		if (p > 0)
			kids[nkids++] = p;
	}
	CHECK_INT(nkids, CHILDREN); /* fewer, and the helpers may not start */
	err = procwalk(record, s, &threads);
	CHECK_INT(err, 0);
	CHECK(!s->bad_thread);
	CHECK(threads >= 1 && threads <= PROCWALK_MAX_THREADS);
	if (cpus() >= 2)
		CHECK(threads >= 2); /* the helpers ran, too */
	/* Our children and we ourselves live throughout: each seen exactly once. */
	CHECK_INT(count(s, getpid()), 1);
	for (int i = 0; i < nkids; i++)
		if (count(s, kids[i]) != 1)
			harness_fail(__FILE__, __LINE__, "child %d seen %d times", kids[i],
				count(s, kids[i]));
	for (int i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < nkids; i++)
		waitpid(kids[i], NULL, 0);
	free(s);
}
