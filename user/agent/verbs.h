/* SPDX-License-Identifier: MIT */
/* The runtime verbs that talk to a gops agent. */
#ifndef GOPS_AGENTCMD_H
#define GOPS_AGENTCMD_H

#include <stdbool.h>

struct agentcmd_opts {
	int timeout_ms;     /* 0: the verb's default */
	const char *output; /* profiles and traces: save here instead of a temp file */
	bool top;           /* profiles: print the top functions, do not run go tool pprof */
	int out_fd;         /* where a reply goes: 0 for stdout */
	/*
	 * When set and the target is a pid without an agent (no port file),
	 * called instead, with why the agent could not be asked; its return is
	 * agentcmd_run's.
	 */
	int (*no_agent)(const char *verb, int pid, const char *why, void *ctx);
	void *no_agent_ctx;
};

/*
 * Runs verb against argv[0] (a pid or host:port; setgc takes argv[1] too).
 * Returns the exit status, or -EINVAL when the arguments are wrong (usage).
 */
int agentcmd_run(
	const char *verb, int argc, const char *const *argv, const struct agentcmd_opts *o);

#endif
