// SPDX-License-Identifier: MIT
/*
 * The option table and the one parser of the command line. getopt_long
 * reads the words; which options a verb takes is checked afterwards, since
 * options may come before the verb (`gops --json tree`).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "cli/options.h"
#include "cli/verbs.h"
#include "gops.h"
#include "live/metrics.h"
#include "live/tracer.h"

#define STR_(x) #x
#define STR(x) STR_(x) /* a macro's value as a string literal */

#define MAX_PROCS_MIN 16
#define MAX_PROCS_MAX 4194304
#define RINGBUF_KB_MIN 4 /* a page: the kernel wants a power of two of at least that */
#define RINGBUF_KB_MAX 1048576

const struct cli_option cli_options[OPT_COUNT] = {
	[OPT_JSON] = { "json", 0, VALUE_NONE, NULL,
		"print one JSON document (watch: one JSON object per line)" },
	[OPT_SCAN] = { "scan", 0, VALUE_NONE, NULL,
		"list from a /proc scan even when a daemon keeps the table" },
	[OPT_PIN_DIR] = { "pin-dir", 0, VALUE_DIR, "DIR",
		"the daemon's table (default " GOPS_DEFAULT_PIN_DIR ", or $GOPS_PIN_DIR)",
		"a directory" },
	[OPT_KEEP] = { "keep", 0, VALUE_NONE, NULL,
		"leave the table pinned when the daemon stops" },
	[OPT_MAX_PROCS] = { "max-procs", 0, VALUE_OTHER, "N",
		"the table's size in processes (" STR(MAX_PROCS_MIN) " to " STR(
			MAX_PROCS_MAX) ", default " STR(GOPS_DEFAULT_MAX_PROCS) ")",
		"a number from " STR(MAX_PROCS_MIN) " to " STR(MAX_PROCS_MAX) },
	[OPT_RINGBUF_KB] = { "ringbuf-kb", 0, VALUE_OTHER, "N",
		"event ring buffer in KiB (power of two, " STR(RINGBUF_KB_MIN) " to " STR(
			RINGBUF_KB_MAX) ", default 256)",
		"a power of two from " STR(RINGBUF_KB_MIN) " to " STR(RINGBUF_KB_MAX) },
	[OPT_TIMEOUT] = { "timeout", 0, VALUE_OTHER, "DURATION",
		"how long to wait for the agent (a duration: 10s, 2m)",
		"a duration such as 10s or 2m" },
	[OPT_OUTPUT] = { "output", 0, VALUE_FILE, "FILE", "save the profile or trace to FILE",
		"a file name" },
	[OPT_TOP] = { "top", 0, VALUE_NONE, NULL,
		"print the top functions instead of opening go tool pprof" },
	[OPT_VERBOSE] = { "verbose", 'v', VALUE_NONE, NULL,
		"say more (where a listing came from; each exec and exit of a daemon)" },
	[OPT_WIDE] = { "wide", 'w', VALUE_NONE, NULL,
		"add each process's pid in its namespace and its container" },
	[OPT_CONTAINER] = { "container", 0, VALUE_OTHER, "ID",
		"only processes in the container whose id starts with ID (a short id will do)",
		"a container id or its first hex digits" },
	[OPT_NO_AGENT] = { "no-agent", 0, VALUE_NONE, NULL,
		"read the facts from the process's memory even when it runs an agent" },
	[OPT_METRICS] = { "metrics", 0, VALUE_OTHER, "ADDR",
		"daemon: Prometheus metrics on http://ADDR/metrics (127.0.0.1:9979, [::1]:9979)",
		"IPV4:PORT or [IPV6]:PORT" },
	[OPT_METRICS_TEXTFILE] = { "metrics-textfile", 0, VALUE_DIR, "DIR",
		"daemon: write the metrics to DIR/gops.prom, for node_exporter", "a directory" },
	[OPT_METRICS_INTERVAL] = { "metrics-interval", 0, VALUE_OTHER, "SECONDS",
		"daemon: re-read runtime facts and rewrite the textfile this often (default " STR(
			METRICS_DEFAULT_INTERVAL) ")",
		"a number of seconds from 1 to " STR(METRICS_MAX_INTERVAL) },
	[OPT_HELP] = { "help", 'h', VALUE_NONE, NULL, "show help, of the verb when there is one" },
	[OPT_VERSION] = { "version", 0, VALUE_NONE, NULL, "print the version of gops-bpf" },
};

/* getopt_long returns OPT_BASE + the option for long options. */
#define OPT_BASE 256
_Static_assert(OPT_COUNT <= 32, "struct env's seen holds one bit per option");

bool cli_parse_pid(const char *s, int *pid)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > INT_MAX)
		return false;
	*pid = (int)v;
	return true;
}

/* A decimal number in [min, max]: strtol, errno and the range. */
static int parse_number(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* 1 to 64 hex digits (ids are lowercase; docker accepts either case in a prefix: so do we). */
static bool is_container_prefix(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Checks an option's value and stores it. */
static int set_value(struct env *env, enum cli_opt o, const char *v, char *why, size_t whylen)
{
	long n;
	long long ns;

	switch (o) {
	case OPT_PIN_DIR:
	case OPT_OUTPUT:
		if (!*v)
			goto bad;
		if (o == OPT_PIN_DIR)
			env->pin_dir = v;
		else
			env->agent.output = v;
		return 0;
	case OPT_METRICS: {
		struct sockaddr_storage sa;
		socklen_t len;
		bool loopback;
		char unused[128];

		if (metrics_parse_addr(v, &sa, &len, &loopback, unused, sizeof(unused)))
			goto bad;
		env->metrics = v;
		return 0;
	}
	case OPT_METRICS_TEXTFILE:
		if (!*v)
			goto bad;
		env->metrics_textfile = v;
		return 0;
	case OPT_METRICS_INTERVAL:
		if (parse_number(v, 1, METRICS_MAX_INTERVAL, &n))
			goto bad;
		env->metrics_interval_s = (unsigned int)n;
		return 0;
	case OPT_CONTAINER:
		if (!is_container_prefix(v))
			goto bad;
		env->container = v;
		return 0;
	case OPT_MAX_PROCS:
		if (parse_number(v, MAX_PROCS_MIN, MAX_PROCS_MAX, &n))
			goto bad;
		env->max_procs = (unsigned int)n;
		return 0;
	case OPT_RINGBUF_KB:
		if (parse_number(v, RINGBUF_KB_MIN, RINGBUF_KB_MAX, &n) || (n & (n - 1)))
			goto bad;
		env->ringbuf_kb = (unsigned int)n;
		return 0;
	case OPT_TIMEOUT:
		if (duration_parse(v, &ns) || ns <= 0 || ns / 1000000 > INT_MAX)
			goto bad;
		env->agent.timeout_ms = ns / 1000000 ? (int)(ns / 1000000) : 1;
		return 0;
	default:
		return 0;
	}
bad:
	snprintf(why, whylen, "invalid --%s '%s': want %s", cli_options[o].name, v,
		cli_options[o].want);
	return CLI_USAGE;
}

static void set_flag(struct env *env, enum cli_opt o)
{
	switch (o) {
	case OPT_JSON:
		env->json = true;
		break;
	case OPT_SCAN:
		env->scan = true;
		break;
	case OPT_KEEP:
		env->keep = true;
		break;
	case OPT_TOP:
		env->agent.top = true;
		break;
	case OPT_VERBOSE:
		env->verbose = true;
		break;
	case OPT_WIDE:
		env->wide = true;
		break;
	case OPT_NO_AGENT:
		env->no_agent = true;
		break;
	case OPT_HELP:
		env->help = true;
		break;
	case OPT_VERSION:
		env->version = true;
		break;
	default:
		break;
	}
}

static int find_short(char c)
{
	for (int o = 0; o < OPT_COUNT; o++)
		if (c && cli_options[o].short_name == c)
			return o;
	return -1;
}

/* What getopt_long refused ('?'), as one line. */
static void explain_refusal(const char *word, int optopt_, char *why, size_t whylen)
{
	size_t len = strcspn(word, "=");
	int matches = 0;

	if (optopt_ >= OPT_BASE) {
		snprintf(why, whylen, "--%s takes no value", cli_options[optopt_ - OPT_BASE].name);
		return;
	}
	if (optopt_ > 0 || strncmp(word, "--", 2) != 0) {
		snprintf(why, whylen, "unknown option -%c", optopt_ > 0 ? optopt_ : '?');
		return;
	}
	for (int o = 0; o < OPT_COUNT; o++)
		matches += len > 2 && strncmp(cli_options[o].name, word + 2, len - 2) == 0;
	snprintf(why, whylen, "%s option %.*s", matches > 1 ? "ambiguous" : "unknown", (int)len,
		word);
}

/* The options given: the last value of each wins; order for the first error. */
struct given {
	const char *value[OPT_COUNT];
	int order[OPT_COUNT]; /* each option once, in the order first given */
	int n;
};

static int add_arg(const char **args, int *nargs, const char *arg, char *why, size_t whylen)
{
	if (*nargs == CLI_MAX_ARGS) {
		snprintf(why, whylen, "too many arguments (%d at most)", CLI_MAX_ARGS);
		return CLI_USAGE;
	}
	args[(*nargs)++] = arg;
	return 0;
}

/* "-1", "-20": no option is a digit, so these are arguments (setgc -1). */
static bool is_negative_number(const char *s)
{
	if (s[0] != '-' || !s[1])
		return false;
	for (s++; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/*
 * getopt would take "-1" for an option: it is shown a copy of argv where each
 * negative number is an empty string of its own (masks[i]), and unmask()
 * gives back the word it stands for.
 */
struct masked {
	char **words;
	char *masks; /* one NUL byte per word */
	char **argv;
	int argc;
};

static int mask_negatives(struct masked *m, int argc, char **argv)
{
	m->argc = argc;
	m->argv = argv;
	m->words = calloc((size_t)argc + 1, sizeof(*m->words));
	m->masks = calloc((size_t)argc + 1, 1);
	if (!m->words || !m->masks)
		return -ENOMEM;
	for (int i = 0; i < argc; i++) {
		m->words[i] = argv[i];
		if (strcmp(argv[i], "--") == 0) {
			for (i++; i < argc; i++)
				m->words[i] = argv[i];
			break;
		}
		if (i > 0 && is_negative_number(argv[i]))
			m->words[i] = &m->masks[i];
	}
	return 0;
}

static const char *unmask(const struct masked *m, const char *w)
{
	if (w >= m->masks && w < m->masks + m->argc)
		return m->argv[w - m->masks];
	return w;
}

static void free_masked(struct masked *m)
{
	free(m->words);
	free(m->masks);
}

/* read_words on the masked words. */
static int read_masked(const struct masked *m, struct given *g, const char **args, int *nargs,
	char *why, size_t whylen)
{
	int argc = m->argc;
	char **argv = m->words;
	struct option longopts[OPT_COUNT + 1] = { 0 };
	char shortopts[3 + 2 * OPT_COUNT] = "-:";
	unsigned int seen = 0;
	size_t sl = 2;
	int c, err = 0;

	for (int o = 0; o < OPT_COUNT; o++) {
		longopts[o].name = cli_options[o].name;
		longopts[o].has_arg = cli_options[o].value ? required_argument : no_argument;
		longopts[o].val = OPT_BASE + o;
		if (cli_options[o].short_name) {
			shortopts[sl++] = cli_options[o].short_name;
			if (cli_options[o].value)
				shortopts[sl++] = ':';
		}
	}
	shortopts[sl] = '\0';
	/*
	 * "-" first: arguments come back in order as 1, wherever the options
	 * are, and POSIXLY_CORRECT cannot make getopt stop at the first one.
	 * ":" then: a missing value is ':', not a message of getopt's own.
	 * optind = 0 starts a new parse (glibc).
	 */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		int o = c >= OPT_BASE ? c - OPT_BASE : find_short((char)c);

		if (c == 1) {
			if (add_arg(args, nargs, unmask(m, optarg), why, whylen))
				return CLI_USAGE;
		} else if (c == ':') {
			o = optopt >= OPT_BASE ? optopt - OPT_BASE : find_short((char)optopt);
			if (!err && o >= 0)
				snprintf(why, whylen, "--%s needs a value (%s)",
					cli_options[o].name, cli_options[o].want);
			err = CLI_USAGE;
		} else if (c == '?' || o < 0) {
			if (!err)
				explain_refusal(argv[optind - 1], optopt, why, whylen);
			err = CLI_USAGE;
		} else {
			if (!(seen & OPT_BIT(o)))
				g->order[g->n++] = o;
			seen |= OPT_BIT(o);
			g->value[o] = optarg ? unmask(m, optarg) : NULL;
		}
	}
	/* After "--": arguments, whatever they look like. */
	for (; optind < argc; optind++)
		if (add_arg(args, nargs, unmask(m, argv[optind]), why, whylen))
			return CLI_USAGE;
	return err;
}

/* Reads the words: options, arguments in order; the first refusal in why. */
static int read_words(int argc, char **argv, struct given *g, const char **args, int *nargs,
	char *why, size_t whylen)
{
	struct masked m;
	int rc;

	if (mask_negatives(&m, argc, argv) != 0) {
		free_masked(&m);
		snprintf(why, whylen, "out of memory");
		return CLI_USAGE;
	}
	rc = read_masked(&m, g, args, nargs, why, whylen);
	free_masked(&m);
	return rc;
}

/* The verb, from the first argument: none is the listing, a pid is `process`. */
static int pick_verb(struct env *env, const char **args, int *nargs, char *why, size_t whylen)
{
	int pid;

	if (*nargs == 0) {
		env->verb = cli_list_verb();
	} else if (cli_parse_pid(args[0], &pid)) {
		env->verb = cli_process_verb();
	} else {
		env->verb = cli_find_verb(args[0]);
		if (!env->verb) {
			snprintf(why, whylen, "unknown verb: %s", args[0]);
			env->args[0] = args[0];
			env->nargs = 1;
			return CLI_UNKNOWN_VERB;
		}
		(*nargs)--;
		memmove(args, args + 1, (size_t)*nargs * sizeof(*args));
	}
	return 0;
}

int cli_parse(int argc, char **argv, struct env *env, char *why, size_t whylen)
{
	const char *args[CLI_MAX_ARGS];
	const struct cli_verb *v;
	struct given g = { 0 };
	int nargs = 0, err, rc;

	why[0] = '\0';
	err = read_words(argc, argv, &g, args, &nargs, why, whylen);
	rc = pick_verb(env, args, &nargs, why, whylen);
	if (rc)
		return rc;
	v = env->verb;
	for (int i = 0; i < g.n; i++)
		env->seen |= OPT_BIT(g.order[i]);
	/* -h and --version answer whatever else is wrong. */
	if (env->seen & OPT_GLOBAL) {
		set_flag(env, env->seen & OPT_BIT(OPT_HELP) ? OPT_HELP : OPT_VERSION);
		return 0;
	}
	if (err)
		return err;
	for (int i = 0; i < g.n; i++) {
		enum cli_opt o = (enum cli_opt)g.order[i];
		const struct cli_option *opt = &cli_options[o];

		if (!(v->opts & OPT_BIT(o))) {
			if (opt->short_name)
				snprintf(why, whylen, "%s does not take -%c",
					v->name ? v->name : "the listing", opt->short_name);
			else
				snprintf(why, whylen, "%s does not take --%s",
					v->name ? v->name : "the listing", opt->name);
			return CLI_USAGE;
		}
		if (opt->value && set_value(env, o, g.value[o], why, whylen) != 0)
			return CLI_USAGE;
		if (!opt->value)
			set_flag(env, o);
	}
	if (nargs < v->min_args) {
		snprintf(why, whylen, "%s: missing %s", v->name ? v->name : "gops",
			cli_arg_name(v->args[nargs < v->nkinds ? nargs : v->nkinds - 1]));
		return CLI_USAGE;
	}
	if (v->max_args >= 0 && nargs > v->max_args) {
		snprintf(why, whylen, "unexpected argument: %s", args[v->max_args]);
		return CLI_USAGE;
	}
	memcpy(env->args, args, (size_t)nargs * sizeof(*args));
	env->nargs = nargs;
	return 0;
}
