// SPDX-License-Identifier: MIT
/* Usage lines and help, written from the verb and option tables. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/help.h"

/* " <pid> [period]": a verb's arguments, appended to buf. */
static void append_args(const struct cli_verb *v, char *buf, size_t len)
{
	for (int i = 0; i < v->nkinds; i++) {
		const char *name = cli_arg_name(v->args[i]);
		bool repeats = v->max_args < 0 && i == v->nkinds - 1;
		size_t n = strlen(buf);

		snprintf(buf + n, len - n, i < v->min_args ? " <%s>%s" : " [%s]%s", name,
			repeats ? "..." : "");
	}
}

/* "gops tree", "gops process <pid> [period]", or "gops <pid> [period]". */
static void verb_line(const struct cli_verb *v, bool pid_form, char *buf, size_t len)
{
	snprintf(buf, len, "gops%s%s", v->name && !pid_form ? " " : "",
		v->name && !pid_form ? v->name : "");
	append_args(v, buf, len);
}

/* "--pin-dir DIR", "-v", "--json". */
static int print_option(enum cli_opt o, bool both, FILE *out)
{
	const struct cli_option *opt = &cli_options[o];
	int n = 0;

	if (opt->short_name)
		n += fprintf(out, both ? "-%c, " : "-%c", opt->short_name);
	if (!opt->short_name || both)
		n += fprintf(out, "--%s", opt->name);
	if (opt->value_name)
		n += fprintf(out, " %s", opt->value_name);
	return n;
}

void cli_print_synopsis(const struct cli_verb *v, FILE *out)
{
	char line[256];

	verb_line(v, false, line, sizeof(line));
	fputs(line, out);
	for (int o = 0; o < OPT_COUNT; o++) {
		if (!(v->opts & OPT_BIT(o)))
			continue;
		fputs(" [", out);
		print_option((enum cli_opt)o, false, out);
		fputc(']', out);
	}
}

int cli_usage_error(const struct cli_verb *v, const char *fmt, ...)
{
	va_list ap;

	fputs("gops: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nusage: ", stderr);
	cli_print_synopsis(v, stderr);
	fputc('\n', stderr);
	return 2;
}

int cli_unknown_verb(const char *name)
{
	fprintf(stderr,
		"gops: unknown verb: %s\n"
		"run `gops help` for the list of verbs\n",
		name);
	return 2;
}

static void print_option_help(enum cli_opt o, FILE *out)
{
	int n;

	fputs("  ", out);
	n = print_option(o, true, out);
	if (n >= 20) /* a long option and value: its help on the next line */
		fprintf(out, "\n%22s%s\n", "", cli_options[o].help);
	else
		fprintf(out, "%*s%s\n", 20 - n, "", cli_options[o].help);
}

void cli_print_help(FILE *out)
{
	char line[256];
	int width = 0;

	for (size_t i = 0; i < cli_nverbs; i++) {
		verb_line(&cli_verbs[i], false, line, sizeof(line));
		width = (int)strlen(line) > width ? (int)strlen(line) : width;
	}
	fputs("gops lists and diagnoses Go processes currently running on this host.\n\n"
	      "usage: gops [verb] [arguments] [options]\n\nverbs:\n",
		out);
	for (size_t i = 0; i < cli_nverbs; i++) {
		const struct cli_verb *v = &cli_verbs[i];

		verb_line(v, false, line, sizeof(line));
		fprintf(out, "  %-*s  %s\n", width, line, v->summary);
		if (v == cli_process_verb()) {
			verb_line(v, true, line, sizeof(line));
			fprintf(out, "  %-*s  the same\n", width, line);
		}
	}
	fputs("\nA target is a pid (its agent's port file gives the port) or host:port, where\n"
	      "host is a name (from /etc/hosts, else DNS), an IPv4 address or [IPv6]. The\n"
	      "agent verbs need a gops agent in the program (github.com/google/gops/agent,\n"
	      "or ours in agent/).\n\n"
	      "options (each verb takes those `gops help VERB` lists; --opt V or --opt=V;\n"
	      "before or after the verb; -- ends them):\n",
		out);
	for (int o = 0; o < OPT_COUNT; o++)
		print_option_help((enum cli_opt)o, out);
	fputs("\nShell completion: source <(gops completion bash), or zsh, or fish\n"
	      "(`gops help completion`).\n",
		out);
}

void cli_print_verb_help(const struct cli_verb *v, FILE *out)
{
	fputs("usage: ", out);
	cli_print_synopsis(v, out);
	fprintf(out, "\n\n%s\n", v->help);
	if (!v->opts)
		return;
	fputs("\noptions:\n", out);
	for (int o = 0; o < OPT_COUNT; o++)
		if (v->opts & OPT_BIT(o))
			print_option_help((enum cli_opt)o, out);
}
