/* SPDX-License-Identifier: MIT */
/*
 * `gops completion bash|zsh|fish`: completion scripts written from the verb
 * and option tables (verbs, each verb's options and which take a value, pids
 * for pid arguments).
 */
#ifndef GOPS_CLI_COMPLETION_H
#define GOPS_CLI_COMPLETION_H

#include <stdio.h>

/* Prints the script for shell. Returns 0, or -EINVAL for a shell we lack. */
int cli_print_completion(const char *shell, FILE *out);

#endif
