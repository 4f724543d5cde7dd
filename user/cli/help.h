/* SPDX-License-Identifier: MIT */
/* Usage lines, usage errors and `gops help`, from the verb and option tables. */
#ifndef GOPS_CLI_HELP_H
#define GOPS_CLI_HELP_H

#include <stdio.h>

#include "cli/verbs.h"

/* "gops tree [--json] [--scan] [--pin-dir DIR] [-v]" (no newline). */
void cli_print_synopsis(const struct cli_verb *v, FILE *out);

/* A usage error: "gops: WHAT" and v's usage line, on stderr. Returns 2. */
int cli_usage_error(const struct cli_verb *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "gops: unknown verb: NAME" and where to look, on stderr. Returns 2. */
int cli_unknown_verb(const char *name);

/* `gops help`: every verb and option. */
void cli_print_help(FILE *out);

/* `gops help VERB`: its usage, what it does, its options. */
void cli_print_verb_help(const struct cli_verb *v, FILE *out);

#endif
