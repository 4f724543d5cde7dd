/* SPDX-License-Identifier: MIT */
/*
 * The command line: one table of options, one of verbs (cli/verbs.h), one
 * parser filling one struct env. The same tables feed the usage lines,
 * `gops help` and the completion scripts.
 */
#ifndef GOPS_CLI_OPTIONS_H
#define GOPS_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/verbs.h"

#define CLI_MAX_ARGS 256

enum cli_opt {
	OPT_JSON,
	OPT_SCAN,
	OPT_PIN_DIR,
	OPT_KEEP,
	OPT_MAX_PROCS,
	OPT_RINGBUF_KB,
	OPT_TIMEOUT,
	OPT_OUTPUT,
	OPT_TOP,
	OPT_VERBOSE,
	OPT_WIDE,
	OPT_CONTAINER,
	OPT_NO_AGENT,
	OPT_METRICS,
	OPT_METRICS_TEXTFILE,
	OPT_METRICS_INTERVAL,
	OPT_HELP,
	OPT_VERSION,
	OPT_COUNT,
};

#define OPT_BIT(o) (1u << (o))
/* Every verb takes these. */
#define OPT_GLOBAL (OPT_BIT(OPT_HELP) | OPT_BIT(OPT_VERSION))

/* How a shell completes an option's value. */
enum cli_value {
	VALUE_NONE, /* a flag */
	VALUE_DIR,
	VALUE_FILE,
	VALUE_OTHER, /* a number or a duration: nothing to offer */
};

struct cli_option {
	const char *name; /* long name, without "--" */
	char short_name;  /* 0: none */
	enum cli_value value;
	const char *value_name; /* in usage lines: --pin-dir DIR */
	const char *help;       /* one line */
	const char *want;       /* what a value must be, for errors */
};

extern const struct cli_option cli_options[OPT_COUNT];

struct cli_verb;

/* Options, parsed in one place. */
struct env {
	const struct cli_verb *verb; /* the verb (the listing when none is given) */
	bool help;                   /* -h/--help: show the verb's help instead */
	bool version;                /* --version */
	unsigned int seen;           /* OPT_BIT of each option given */
	bool json;
	bool verbose;
	bool no_agent;           /* stats, memstats: read memory even when an agent runs */
	bool read_memory;        /* set when the fallback to memory answered instead of an agent */
	bool wide;               /* the listing with namespace pid and container */
	const char *container;   /* --container: only that container's processes */
	bool scan;               /* list from /proc even when a daemon runs */
	bool keep;               /* daemon: leave the table pinned on exit */
	const char *pin_dir;     /* where the daemon pins its table */
	unsigned int ringbuf_kb; /* ring buffer size; 0: default */
	unsigned int max_procs;  /* table size; 0: default */
	const char *metrics;     /* daemon --metrics ADDR */
	const char *metrics_textfile; /* daemon --metrics-textfile DIR */
	unsigned int metrics_interval_s;
	struct agentcmd_opts agent; /* --timeout, --output, --top */
	int nargs;
	const char *args[CLI_MAX_ARGS]; /* the verb's arguments (not the verb) */
};

/* cli_parse's errors, besides 0. */
#define CLI_USAGE (-1)        /* wrong options or arguments for env->verb */
#define CLI_UNKNOWN_VERB (-2) /* env->args[0] names no verb */

/*
 * Parses argv into env (whose pin_dir holds the default): options before or
 * after the verb and its arguments, --opt V or --opt=V, `--` ends options.
 * Checks that every option belongs to the verb, values (numbers, ranges,
 * durations) and the number of arguments. Returns 0 or an error above, with
 * a one-line reason in why.
 */
int cli_parse(int argc, char **argv, struct env *env, char *why, size_t whylen);

/* Parses a positive pid, in decimal. */
bool cli_parse_pid(const char *s, int *pid);

#endif
