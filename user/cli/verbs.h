/* SPDX-License-Identifier: MIT */
/* The verbs: what each takes (options, arguments), its help, the function that runs it. */
#ifndef GOPS_CLI_VERBS_H
#define GOPS_CLI_VERBS_H

#include <stddef.h>

#include "cli/options.h"

/* The kinds of arguments, for usage lines and for completing them. */
enum cli_arg {
	ARG_PID,         /* a running process */
	ARG_PERIOD,      /* a duration */
	ARG_PID_OR_PATH, /* a running process or an executable file */
	ARG_TARGET,      /* a pid or host:port */
	ARG_GC_PERCENT,  /* a number, or off */
	ARG_VERB,        /* one of the verbs */
	ARG_SHELL,       /* bash, zsh or fish */
};

#define CLI_MAX_KINDS 2

struct cli_verb {
	const char *name; /* NULL: the listing, `gops` alone */
	int (*run)(struct env *env);
	unsigned int opts; /* OPT_BIT() of each option it takes, besides OPT_GLOBAL */
	int min_args;
	int max_args; /* -1: any number (the last kind repeats) */
	int nkinds;
	enum cli_arg args[CLI_MAX_KINDS]; /* the kind of each argument */
	const char *summary;              /* one line, for `gops help` */
	const char *help;                 /* the rest, for `gops help VERB` */
};

extern const struct cli_verb cli_verbs[];
extern const size_t cli_nverbs;

/* A named verb, or NULL. */
const struct cli_verb *cli_find_verb(const char *name);
/* `gops` alone, and what `gops <pid>` is. */
const struct cli_verb *cli_list_verb(void);
const struct cli_verb *cli_process_verb(void);

/* An argument's name in usage lines: "pid", "pid|host:port"... */
const char *cli_arg_name(enum cli_arg a);

#endif
