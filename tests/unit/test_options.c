// SPDX-License-Identifier: MIT
/*
 * The command line: both forms of every value option, options before and
 * after the verb, options a verb does not take, ranges, and help and the
 * completion scripts written from the same tables.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/completion.h"
#include "cli/help.h"
#include "cli/options.h"
#include "cli/verbs.h"
#include "harness.h"

static struct env env;
static char why[512];

/* Parses "gops LINE", the words split on spaces. */
static int parse(const char *line)
{
	static char buf[1024];
	char *argv[64] = { "gops" };
	int argc = 1;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok(buf, " "); w && argc < 63; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	memset(&env, 0, sizeof(env));
	env.pin_dir = "/default";
	why[0] = '\0';
	return cli_parse(argc, argv, &env, why, sizeof(why));
}

static const char *verb_of(void)
{
	return env.verb && env.verb->name ? env.verb->name : "(list)";
}

TEST(test_options_every_value_option_takes_both_forms)
{
	static const char *const forms[] = { "%s --%s %s", "%s --%s=%s" };

	for (int f = 0; f < 2; f++) {
		char line[128];

		snprintf(line, sizeof(line), forms[f], "daemon", "pin-dir", "/p");
		CHECK_INT(parse(line), 0);
		CHECK_STR(env.pin_dir, "/p");
		snprintf(line, sizeof(line), forms[f], "daemon", "max-procs", "100");
		CHECK_INT(parse(line), 0);
		CHECK_INT(env.max_procs, 100);
		snprintf(line, sizeof(line), forms[f], "watch", "ringbuf-kb", "64");
		CHECK_INT(parse(line), 0);
		CHECK_INT(env.ringbuf_kb, 64);
		snprintf(line, sizeof(line), forms[f], "stack 1", "timeout", "5s");
		CHECK_INT(parse(line), 0);
		CHECK_INT(env.agent.timeout_ms, 5000);
		snprintf(line, sizeof(line), forms[f], "trace 1", "output", "t.out");
		CHECK_INT(parse(line), 0);
		CHECK_STR(env.agent.output, "t.out");
		snprintf(line, sizeof(line), forms[f], "", "pin-dir", "/q");
		CHECK_INT(parse(line), 0);
		CHECK_STR(env.pin_dir, "/q");
	}
}

TEST(test_options_before_or_after_the_verb_and_its_arguments)
{
	CHECK_INT(parse("--json tree"), 0);
	CHECK_STR(verb_of(), "tree");
	CHECK(env.json);
	CHECK_INT(parse("tree --json"), 0);
	CHECK(env.json);
	CHECK_INT(parse("stack 123 --timeout 5s"), 0);
	CHECK_STR(verb_of(), "stack");
	CHECK_INT(env.nargs, 1);
	CHECK_STR(env.args[0], "123");
	CHECK_INT(env.agent.timeout_ms, 5000);
	CHECK_INT(parse("--timeout=2m stack 123"), 0);
	CHECK_INT(env.agent.timeout_ms, 120000);
	CHECK_INT(parse("setgc --timeout 1s 7 off"), 0);
	CHECK_INT(env.nargs, 2);
	CHECK_STR(env.args[1], "off");
	CHECK_INT(parse("-v --scan"), 0);
	CHECK_STR(verb_of(), "(list)");
	CHECK(env.verbose && env.scan);
	CHECK_INT(parse("pprof-heap 5 --top --output=x"), 0);
	CHECK(env.agent.top);
}

TEST(test_options_posixly_correct_does_not_stop_at_the_verb)
{
	setenv("POSIXLY_CORRECT", "1", 1);
	CHECK_INT(parse("stack 123 --timeout 5s"), 0);
	CHECK_INT(env.agent.timeout_ms, 5000);
	unsetenv("POSIXLY_CORRECT");
}

TEST(test_options_double_dash_ends_options)
{
	CHECK_INT(parse("buildinfo -- --json -v"), 0);
	CHECK(!env.json && !env.verbose);
	CHECK_INT(env.nargs, 2);
	CHECK_STR(env.args[0], "--json");
	CHECK_INT(parse("--json -- tree"), 0);
	CHECK_STR(verb_of(), "tree");
	CHECK(env.json);
}

TEST(test_options_a_verb_does_not_take_are_usage_errors)
{
	CHECK_INT(parse("tree --top"), CLI_USAGE);
	CHECK_STR(why, "tree does not take --top");
	CHECK_STR(verb_of(), "tree");
	CHECK_INT(parse("stack 1 --keep"), CLI_USAGE);
	CHECK_STR(why, "stack does not take --keep");
	CHECK_INT(parse("daemon --output x"), CLI_USAGE);
	CHECK_STR(why, "daemon does not take --output");
	CHECK_INT(parse("--top"), CLI_USAGE);
	CHECK_STR(why, "the listing does not take --top");
	CHECK_INT(parse("123 --scan"), CLI_USAGE);
	CHECK_STR(why, "process does not take --scan");
	CHECK_INT(parse("stats 1 -v"), CLI_USAGE);
	CHECK_STR(why, "stats does not take -v");
	CHECK_INT(parse("watch --pin-dir /x"), CLI_USAGE);
	CHECK_INT(parse("status --scan"), CLI_USAGE);
	CHECK_INT(parse("daemon --json"), CLI_USAGE);
	CHECK_INT(parse("gc 1 --json"), CLI_USAGE);
	CHECK_INT(parse("help --json"), CLI_USAGE);
}

TEST(test_options_each_verb_takes_what_its_help_says)
{
	CHECK_INT(parse("daemon --pin-dir /d --keep --max-procs 64 --ringbuf-kb 8 -v"), 0);
	CHECK(env.keep && env.verbose);
	CHECK_INT(parse("watch --json --ringbuf-kb 8 -v"), 0);
	CHECK_INT(parse("status --json --pin-dir /d"), 0);
	CHECK_INT(parse("tree --json --scan --pin-dir /d -v"), 0);
	CHECK_INT(parse("process 1 2s --json"), 0);
	CHECK_INT(parse("buildinfo 1 /bin/sh --json"), 0);
	CHECK_INT(parse("trace 1 --timeout 9s --output f"), 0);
	CHECK_INT(parse("pprof-cpu 1 --timeout 9s --output f --top"), 0);
	CHECK_INT(parse("version 1 --timeout 1s"), 0);
}

TEST(test_options_numbers_are_checked_for_range)
{
	CHECK_INT(parse("daemon --max-procs 16"), 0);
	CHECK_INT(parse("daemon --max-procs 4194304"), 0);
	CHECK_INT(env.max_procs, 4194304);
	CHECK_INT(parse("daemon --max-procs 15"), CLI_USAGE);
	CHECK_STR(why, "invalid --max-procs '15': want a number from 16 to 4194304");
	CHECK_INT(parse("daemon --max-procs 4194305"), CLI_USAGE);
	CHECK_INT(parse("daemon --max-procs 99999999999999999999"), CLI_USAGE);
	CHECK_INT(parse("daemon --max-procs 10x"), CLI_USAGE);
	CHECK_INT(parse("daemon --max-procs -20"), CLI_USAGE);
	CHECK_INT(parse("daemon --max-procs +20"), CLI_USAGE);
	CHECK_INT(parse("daemon --max-procs="), CLI_USAGE);
	CHECK_INT(parse("watch --ringbuf-kb 4"), 0);
	CHECK_INT(parse("watch --ringbuf-kb 1048576"), 0);
	CHECK_INT(parse("watch --ringbuf-kb 3"), CLI_USAGE);
	CHECK_INT(parse("watch --ringbuf-kb 6"), CLI_USAGE);
	CHECK_STR(why, "invalid --ringbuf-kb '6': want a power of two from 4 to 1048576");
	CHECK_INT(parse("watch --ringbuf-kb 2097152"), CLI_USAGE);
	CHECK_INT(parse("stack 1 --timeout 1us"), 0);
	CHECK_INT(env.agent.timeout_ms, 1);
	CHECK_INT(parse("stack 1 --timeout 0s"), CLI_USAGE);
	CHECK_INT(parse("stack 1 --timeout -1s"), CLI_USAGE);
	CHECK_INT(parse("stack 1 --timeout forever"), CLI_USAGE);
	CHECK_STR(why, "invalid --timeout 'forever': want a duration such as 10s or 2m");
	CHECK_INT(parse("stack 1 --timeout 100000000h"), CLI_USAGE);
	CHECK_INT(parse("trace 1 --output="), CLI_USAGE);
	CHECK_INT(parse("daemon --pin-dir="), CLI_USAGE);
}

TEST(test_options_missing_unknown_and_ambiguous)
{
	CHECK_INT(parse("daemon --pin-dir"), CLI_USAGE);
	CHECK_STR(why, "--pin-dir needs a value (a directory)");
	CHECK_STR(verb_of(), "daemon");
	CHECK_INT(parse("--frob tree"), CLI_USAGE);
	CHECK_STR(why, "unknown option --frob");
	CHECK_STR(verb_of(), "tree");
	CHECK_INT(parse("--frob=1"), CLI_USAGE);
	CHECK_STR(why, "unknown option --frob");
	CHECK_INT(parse("-x"), CLI_USAGE);
	CHECK_STR(why, "unknown option -x");
	CHECK_INT(parse("-vx"), CLI_USAGE);
	CHECK_STR(why, "unknown option -x");
	CHECK_INT(parse("stack 1 --t"), CLI_USAGE);
	CHECK_STR(why, "ambiguous option --t");
	CHECK_INT(parse("--json=yes"), CLI_USAGE);
	CHECK_STR(why, "--json takes no value");
}

TEST(test_options_verbs_and_arguments)
{
	CHECK_INT(parse(""), 0);
	CHECK_STR(verb_of(), "(list)");
	CHECK_INT(parse("123 2s"), 0);
	CHECK_STR(verb_of(), "process");
	CHECK_INT(env.nargs, 2);
	CHECK_STR(env.args[0], "123");
	CHECK_INT(parse("frobnicate --json"), CLI_UNKNOWN_VERB);
	CHECK_STR(why, "unknown verb: frobnicate");
	CHECK_INT(parse("stack"), CLI_USAGE);
	CHECK_STR(why, "stack: missing pid|host:port");
	CHECK_INT(parse("stack 1 2"), CLI_USAGE);
	CHECK_STR(why, "unexpected argument: 2");
	CHECK_INT(parse("setgc 1"), CLI_USAGE);
	CHECK_STR(why, "setgc: missing percent|off");
	CHECK_INT(parse("tree x"), CLI_USAGE);
	CHECK_INT(parse("process"), CLI_USAGE);
	CHECK_INT(parse("buildinfo"), CLI_USAGE);
	CHECK_INT(parse("buildinfo 1 2 3 4"), 0);
	CHECK_INT(parse("completion"), CLI_USAGE);
	CHECK_INT(parse("help stack extra"), CLI_USAGE);
}

TEST(test_options_help_and_version_answer_anywhere)
{
	CHECK_INT(parse("tree -h"), 0);
	CHECK(env.help);
	CHECK_STR(verb_of(), "tree");
	CHECK_INT(parse("--help"), 0);
	CHECK(env.help);
	CHECK_INT(parse("stack --keep --help"), 0);
	CHECK(env.help);
	CHECK_INT(parse("--version"), 0);
	CHECK(env.version);
}

/* Runs fn into a string. */
static char *captured(void (*fn)(const void *arg, FILE *out), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fn(arg, f);
	fclose(f);
	return buf;
}

static void overview(const void *arg, FILE *out)
{
	(void)arg;
	cli_print_help(out);
}

static void verb_help(const void *arg, FILE *out)
{
	cli_print_verb_help(arg, out);
}

static void script(const void *arg, FILE *out)
{
	cli_print_completion(arg, out);
}

TEST(test_options_every_verb_and_option_is_in_help_and_completion)
{
	static const char *const shells[] = { "bash", "zsh", "fish" };
	char *help = captured(overview, NULL), *scripts[3];

	for (int s = 0; s < 3; s++)
		scripts[s] = captured(script, shells[s]);
	for (size_t i = 0; i < cli_nverbs; i++) {
		const struct cli_verb *v = &cli_verbs[i];
		char want[64], *vh;

		if (!v->name)
			continue;
		snprintf(want, sizeof(want), "gops %s", v->name);
		if (!help || !strstr(help, want))
			harness_fail(__FILE__, __LINE__, "gops help lacks %s", want);
		for (int s = 0; s < 3; s++)
			if (!scripts[s] || !strstr(scripts[s], v->name))
				harness_fail(__FILE__, __LINE__, "%s script lacks %s", shells[s],
					v->name);
		vh = captured(verb_help, v);
		snprintf(want, sizeof(want), "usage: gops %s", v->name);
		if (!vh || strncmp(vh, want, strlen(want)) != 0)
			harness_fail(__FILE__, __LINE__, "help %s: %s", v->name, vh ? vh : "");
		free(vh);
	}
	for (int o = 0; o < OPT_COUNT; o++) {
		char want[64];

		snprintf(want, sizeof(want), "--%s", cli_options[o].name);
		if (!help || !strstr(help, want))
			harness_fail(__FILE__, __LINE__, "gops help lacks %s", want);
		for (int s = 0; s < 3; s++)
			if (!scripts[s] || !strstr(scripts[s], cli_options[o].name))
				harness_fail(
					__FILE__, __LINE__, "%s script lacks %s", shells[s], want);
	}
	CHECK_INT(cli_print_completion("tcsh", stdout), -EINVAL);
	free(help);
	for (int s = 0; s < 3; s++)
		free(scripts[s]);
}

/* No option is a digit: "-1" is setgc's argument (GC off), not an unknown option. */
TEST(test_options_negative_numbers_are_arguments)
{
	CHECK_INT(parse("setgc 123 -1"), 0);
	CHECK_STR(verb_of(), "setgc");
	CHECK_INT(env.nargs, 2);
	CHECK_STR(env.args[1], "-1");
	CHECK_INT(parse("setgc -1 123 --timeout 5s"), 0);
	CHECK_STR(env.args[0], "-1");
	CHECK_INT(env.agent.timeout_ms, 5000);
	/* Anything else with a dash is still an option. */
	CHECK(parse("setgc 123 -1x") != 0);
	CHECK(strstr(why, "unknown option") != NULL);
	CHECK(parse("setgc 123 -") != 0 || env.nargs == 2);
}
