// SPDX-License-Identifier: MIT
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "livefix.h"

pid_t livefix_start(const char *name)
{
	char ready[64];
	pid_t pid;

	snprintf(ready, sizeof(ready), "/tmp/gops-livefix-%d.ready", (int)getpid());
	unlink(ready);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *argv[] = { (char *)fixture(name), "-ready", ready, NULL };
		char *envp[] = { "GOMAXPROCS=3", NULL };

		execve(argv[0], argv, envp);
		_exit(127);
	}
	for (int i = 0; i < 500; i++) { /* 5 s */
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		if (access(ready, F_OK) == 0) {
			unlink(ready);
			return pid;
		}
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return -1;
		nanosleep(&ts, NULL);
	}
	livefix_stop(pid);
	return -1;
}

void livefix_stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}
