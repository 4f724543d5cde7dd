/* SPDX-License-Identifier: MIT */
/* stats, memstats and stack from a process's memory; version from its build info. */
#ifndef GOPS_CLI_AGENTLESS_H
#define GOPS_CLI_AGENTLESS_H

#include <stdbool.h>

/*
 * Runs verb ("stats", "memstats", "stack"; "version": from the build info) on pid from its memory.
 * why_no_agent is why the agent was not asked (NULL: --no-agent). Prints the facts on stdout, one
 * line on stderr saying where they came from (and which memstats fields were left out). Returns the
 * exit status.
 */
int cli_agentless(const char *verb, int pid, bool json, const char *why_no_agent);

#endif
