/* SPDX-License-Identifier: MIT */
/* `gops stats` and `gops memstats` read from a process's memory, without its agent. */
#ifndef GOPS_CLI_AGENTLESS_H
#define GOPS_CLI_AGENTLESS_H

#include <stdbool.h>

/*
 * Runs verb ("stats" or "memstats") on pid from its memory. why_no_agent is
 * why the agent was not asked (NULL: --no-agent). Prints the facts on stdout,
 * one line on stderr saying where they came from (and which memstats fields
 * were left out). Returns the exit status.
 */
int cli_agentless(const char *verb, int pid, bool json, const char *why_no_agent);

#endif
