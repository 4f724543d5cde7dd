// SPDX-License-Identifier: MIT
/*
 * Completion scripts for bash, zsh and fish, written from the verb and
 * option tables so that they cannot drift from the parser. Each script scans
 * the words before the cursor the way cli_parse does (an option's value is
 * not an argument, the first argument is the verb, a pid alone means
 * `process`), then offers the verb's options, or what its next argument is:
 * pids of running processes, files, verbs, shells.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/completion.h"
#include "cli/verbs.h"

/* s in single quotes, for sh-like shells (' as '\\'') or fish (' as \\'). */
static void put_quoted(const char *s, bool fish, FILE *out)
{
	fputc('\'', out);
	for (; *s; s++) {
		if (*s == '\'' && fish)
			fputs("\\'", out);
		else if (*s == '\'')
			fputs("'\\''", out);
		else if (*s == '\\' && fish)
			fputs("\\\\", out);
		else
			fputc(*s, out);
	}
	fputc('\'', out);
}

/* The kind of argument, as the scripts name it; "top" is `gops`'s first word. */
static const char *kind_word(enum cli_arg a)
{
	static const char *const words[] = {
		[ARG_PID] = "pid",
		[ARG_PERIOD] = "period",
		[ARG_PID_OR_PATH] = "pidpath",
		[ARG_TARGET] = "target",
		[ARG_GC_PERCENT] = "gcpercent",
		[ARG_VERB] = "verb",
		[ARG_SHELL] = "shell",
	};

	return a < sizeof(words) / sizeof(words[0]) ? words[a] : "none";
}

/* The verb's options as words: "--json --scan --pin-dir -v --verbose -h --help --version". */
static void print_opts(const struct cli_verb *v, FILE *out)
{
	const char *sep = "";

	for (int o = 0; o < OPT_COUNT; o++) {
		const struct cli_option *opt = &cli_options[o];

		if (!((v->opts | OPT_GLOBAL) & OPT_BIT(o)))
			continue;
		if (opt->short_name)
			fprintf(out, "%s-%c", sep, opt->short_name), sep = " ";
		fprintf(out, "%s--%s", sep, opt->name);
		sep = " ";
	}
}

/* The kinds of the verb's arguments in order, "+" after one that repeats. */
static void print_kinds(const struct cli_verb *v, FILE *out)
{
	if (!v->name) {
		fputs("top", out);
		return;
	}
	for (int i = 0; i < v->nkinds; i++)
		fprintf(out, "%s%s%s", i ? " " : "", kind_word(v->args[i]),
			v->max_args < 0 && i == v->nkinds - 1 ? "+" : "");
}

/* Options whose value is of this kind, as "--a|--b" (a shell case pattern). */
static bool print_valued(enum cli_value kind, const char *sep, FILE *out)
{
	bool any = false;

	for (int o = 0; o < OPT_COUNT; o++) {
		if (cli_options[o].value != kind)
			continue;
		fprintf(out, "%s--%s", any ? sep : "", cli_options[o].name);
		any = true;
	}
	return any;
}

static void print_value_opts(const char *sep, FILE *out)
{
	print_valued(VALUE_DIR, sep, out);
	fputs(sep, out);
	print_valued(VALUE_FILE, sep, out);
	fputs(sep, out);
	print_valued(VALUE_OTHER, sep, out);
}

static void print_verb_names(FILE *out)
{
	for (size_t i = 0; i < cli_nverbs; i++)
		if (cli_verbs[i].name)
			fprintf(out, "%s%s", i > 1 ? " " : "", cli_verbs[i].name);
}

static void bash_script(FILE *out)
{
	fputs("# bash completion for gops (written by `gops completion bash`):\n"
	      "#   source <(gops completion bash)\n"
	      "_gops_pids() {\n"
	      "\tlocal d\n"
	      "\tfor d in /proc/[0-9]*; do printf '%s\\n' \"${d#/proc/}\"; done\n"
	      "}\n\n"
	      "_gops() {\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= verb= seen= ddash= npos=0 i w opts "
	      "kinds kind\n"
	      "\tlocal -a k\n"
	      "\tCOMPREPLY=()\n"
	      "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "\t\tw=${COMP_WORDS[i]}\n"
	      "\t\tif [[ -z $ddash ]]; then\n"
	      "\t\t\tcase $w in\n"
	      "\t\t\t",
		out);
	print_value_opts("|", out);
	fputs(")\n"
	      "\t\t\t\t((i++))\n"
	      "\t\t\t\t[[ ${COMP_WORDS[i]} == = ]] && ((i++))\n"
	      "\t\t\t\tcontinue ;;\n"
	      "\t\t\t--) ddash=1; continue ;;\n"
	      "\t\t\t-*) continue ;;\n"
	      "\t\t\tesac\n"
	      "\t\tfi\n"
	      "\t\tif [[ -z $seen ]]; then\n"
	      "\t\t\tseen=1 verb=$w\n"
	      "\t\t\t[[ $w =~ ^[0-9]+$ ]] && verb=process npos=1\n"
	      "\t\telse\n"
	      "\t\t\t((npos++))\n"
	      "\t\tfi\n"
	      "\tdone\n"
	      "\t((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
	      "\tif [[ $prev == = ]] && ((COMP_CWORD > 1)); then\n"
	      "\t\tprev=${COMP_WORDS[COMP_CWORD - 2]}\n"
	      "\tfi\n"
	      "\tcase $prev in\n\t",
		out);
	print_valued(VALUE_DIR, "|", out);
	fputs(")\n\t\tcompopt -o filenames 2>/dev/null\n"
	      "\t\tCOMPREPLY=($(compgen -d -- \"$cur\"))\n\t\treturn ;;\n\t",
		out);
	print_valued(VALUE_FILE, "|", out);
	fputs(")\n\t\tcompopt -o filenames 2>/dev/null\n"
	      "\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n\t\treturn ;;\n\t",
		out);
	print_valued(VALUE_OTHER, "|", out);
	fputs(")\n\t\treturn ;;\n\tesac\n\tcase $verb in\n", out);
	for (size_t i = 0; i < cli_nverbs; i++) {
		const struct cli_verb *v = &cli_verbs[i];

		fprintf(out, "\t%s) opts='", v->name ? v->name : "''");
		print_opts(v, out);
		fputs("' kinds='", out);
		print_kinds(v, out);
		fputs("' ;;\n", out);
	}
	fputs("\t*) opts='-h --help --version' kinds= ;;\n"
	      "\tesac\n"
	      "\tif [[ -z $ddash && $cur == -* ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tk=($kinds)\n"
	      "\tkind=${k[npos]}\n"
	      "\t[[ -z $kind && ${#k[@]} -gt 0 && ${k[-1]} == *+ ]] && kind=${k[-1]}\n"
	      "\tcase ${kind%+} in\n"
	      "\ttop)\n"
	      "\t\tif [[ $cur == [0-9]* ]]; then\n"
	      "\t\t\tCOMPREPLY=($(compgen -W \"$(_gops_pids)\" -- \"$cur\"))\n"
	      "\t\telse\n"
	      "\t\t\tCOMPREPLY=($(compgen -W '",
		out);
	print_verb_names(out);
	fputs("' -- \"$cur\"))\n"
	      "\t\tfi ;;\n"
	      "\tpid | target) COMPREPLY=($(compgen -W \"$(_gops_pids)\" -- \"$cur\")) ;;\n"
	      "\tpidpath)\n"
	      "\t\tcompopt -o filenames 2>/dev/null\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$(_gops_pids)\" -- \"$cur\") $(compgen -f -- "
	      "\"$cur\")) ;;\n"
	      "\tgcpercent) COMPREPLY=($(compgen -W 'off' -- \"$cur\")) ;;\n"
	      "\tverb) COMPREPLY=($(compgen -W '",
		out);
	print_verb_names(out);
	fputs("' -- \"$cur\")) ;;\n"
	      "\tshell) COMPREPLY=($(compgen -W 'bash zsh fish' -- \"$cur\")) ;;\n"
	      "\tesac\n"
	      "}\n\n"
	      "complete -F _gops gops\n",
		out);
}

/* A table entry as zsh's _describe takes it: "name:summary" in single quotes. */
static void zsh_describe_verbs(FILE *out)
{
	fputs("\tlocal -a verbs\n\tverbs=(\n", out);
	for (size_t i = 0; i < cli_nverbs; i++)
		if (cli_verbs[i].name) {
			char entry[256];

			snprintf(entry, sizeof(entry), "%s:%s", cli_verbs[i].name,
				cli_verbs[i].summary);
			fputs("\t\t", out);
			put_quoted(entry, false, out);
			fputc('\n', out);
		}
	fputs("\t)\n", out);
}

static void zsh_script(FILE *out)
{
	fputs("#compdef gops\n"
	      "# zsh completion for gops (written by `gops completion zsh`):\n"
	      "#   source <(gops completion zsh)    (after compinit)\n"
	      "_gops_pids() {\n"
	      "\tlocal -a pids\n"
	      "\tpids=(/proc/<->(N:t))\n"
	      "\tcompadd -a pids\n"
	      "}\n\n"
	      "_gops() {\n"
	      "\tlocal cur=$words[CURRENT] prev=$words[CURRENT-1] verb= seen= ddash= npos=0 i w "
	      "kind\n"
	      "\tlocal -a opts kinds\n",
		out);
	zsh_describe_verbs(out);
	fputs("\tfor ((i = 2; i < CURRENT; i++)); do\n"
	      "\t\tw=$words[i]\n"
	      "\t\tif [[ -z $ddash ]]; then\n"
	      "\t\t\tcase $w in\n"
	      "\t\t\t(",
		out);
	print_value_opts("|", out);
	fputs(") ((i++)); continue ;;\n"
	      "\t\t\t(--) ddash=1; continue ;;\n"
	      "\t\t\t(-*) continue ;;\n"
	      "\t\t\tesac\n"
	      "\t\tfi\n"
	      "\t\tif [[ -z $seen ]]; then\n"
	      "\t\t\tseen=1 verb=$w\n"
	      "\t\t\t[[ $w == <-> ]] && verb=process npos=1\n"
	      "\t\telse\n"
	      "\t\t\t((npos++))\n"
	      "\t\tfi\n"
	      "\tdone\n"
	      "\tcase $cur in\n\t(",
		out);
	print_valued(VALUE_DIR, "=*|", out);
	fputs("=*) compset -P '*='; _files -/; return ;;\n\t(", out);
	print_valued(VALUE_FILE, "=*|", out);
	fputs("=*) compset -P '*='; _files; return ;;\n\t(", out);
	print_valued(VALUE_OTHER, "=*|", out);
	fputs("=*) return ;;\n\tesac\n\tcase $prev in\n\t(", out);
	print_valued(VALUE_DIR, "|", out);
	fputs(") _files -/; return ;;\n\t(", out);
	print_valued(VALUE_FILE, "|", out);
	fputs(") _files; return ;;\n\t(", out);
	print_valued(VALUE_OTHER, "|", out);
	fputs(") return ;;\n\tesac\n\tcase $verb in\n", out);
	for (size_t i = 0; i < cli_nverbs; i++) {
		const struct cli_verb *v = &cli_verbs[i];

		fprintf(out, "\t(%s) opts=(", v->name ? v->name : "''");
		print_opts(v, out);
		fputs(") kinds=(", out);
		print_kinds(v, out);
		fputs(") ;;\n", out);
	}
	fputs("\t(*) opts=(-h --help --version) kinds=() ;;\n"
	      "\tesac\n"
	      "\tif [[ -z $ddash && $cur == -* ]]; then\n"
	      "\t\tcompadd -- $opts\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tkind=$kinds[npos+1]\n"
	      "\t[[ -z $kind && $kinds[-1] == *+ ]] && kind=$kinds[-1]\n"
	      "\tcase ${kind%+} in\n"
	      "\t(top)\n"
	      "\t\tif [[ $cur == [0-9]* ]]; then _gops_pids; else _describe -t verbs 'gops verb' "
	      "verbs; fi ;;\n"
	      "\t(pid|target) _gops_pids ;;\n"
	      "\t(pidpath) _gops_pids; _files ;;\n"
	      "\t(gcpercent) compadd off ;;\n"
	      "\t(verb) _describe -t verbs 'gops verb' verbs ;;\n"
	      "\t(shell) compadd bash zsh fish ;;\n"
	      "\tesac\n"
	      "}\n\n"
	      "if [[ $funcstack[1] == _gops ]]; then\n"
	      "\t_gops \"$@\"\n"
	      "else\n"
	      "\tcompdef _gops gops\n"
	      "fi\n",
		out);
}

/* fish: one `complete` line per verb, option and argument kind. */
static void fish_script(FILE *out)
{
	fputs("# fish completion for gops (written by `gops completion fish`):\n"
	      "#   gops completion fish | source\n"
	      "function __gops_state --description 'the verb and its argument count'\n"
	      "\tset -l verb ''\n"
	      "\tset -l seen 0\n"
	      "\tset -l npos 0\n"
	      "\tset -l skip 0\n"
	      "\tset -l ddash 0\n"
	      "\tfor w in (commandline -opc)[2..-1]\n"
	      "\t\tif test $skip = 1\n"
	      "\t\t\tset skip 0\n"
	      "\t\t\tcontinue\n"
	      "\t\tend\n"
	      "\t\tif test $ddash = 0\n"
	      "\t\t\tswitch $w\n"
	      "\t\t\t\tcase ",
		out);
	print_value_opts(" ", out);
	fputs("\n\t\t\t\t\tset skip 1\n"
	      "\t\t\t\t\tcontinue\n"
	      "\t\t\t\tcase --\n"
	      "\t\t\t\t\tset ddash 1\n"
	      "\t\t\t\t\tcontinue\n"
	      "\t\t\t\tcase '-*'\n"
	      "\t\t\t\t\tcontinue\n"
	      "\t\t\tend\n"
	      "\t\tend\n"
	      "\t\tif test $seen = 0\n"
	      "\t\t\tset seen 1\n"
	      "\t\t\tset verb $w\n"
	      "\t\t\tif string match -qr '^[0-9]+$' -- $w\n"
	      "\t\t\t\tset verb process\n"
	      "\t\t\t\tset npos 1\n"
	      "\t\t\tend\n"
	      "\t\telse\n"
	      "\t\t\tset npos (math $npos + 1)\n"
	      "\t\tend\n"
	      "\tend\n"
	      "\techo $verb\n"
	      "\techo $npos\n"
	      "end\n\n"
	      "# __gops_is VERB: the verb is VERB ('' for gops alone).\n"
	      "function __gops_is\n"
	      "\tset -l s (__gops_state)\n"
	      "\ttest \"$s[1]\" = \"$argv[1]\"\n"
	      "end\n\n"
	      "# __gops_at VERB N [+]: the cursor is at VERB's argument N (or later, with +).\n"
	      "function __gops_at\n"
	      "\tset -l s (__gops_state)\n"
	      "\ttest \"$s[1]\" = \"$argv[1]\"; or return 1\n"
	      "\ttest \"$s[2]\" = $argv[2]; and return 0\n"
	      "\ttest (count $argv) -ge 3; and test \"$s[2]\" -ge $argv[2]\n"
	      "end\n\n"
	      "function __gops_pids\n"
	      "\tstring replace -r '^/proc/' '' -- /proc/* | string match -r '^[0-9]+$'\n"
	      "end\n\n"
	      "complete -c gops -f\n",
		out);
	for (int o = 0; o < OPT_COUNT; o++) {
		if (!(OPT_GLOBAL & OPT_BIT(o)))
			continue;
		fputs("complete -c gops", out);
		if (cli_options[o].short_name)
			fprintf(out, " -s %c", cli_options[o].short_name);
		fprintf(out, " -l %s -d ", cli_options[o].name);
		put_quoted(cli_options[o].help, true, out);
		fputc('\n', out);
	}
	for (size_t i = 0; i < cli_nverbs; i++)
		if (cli_verbs[i].name) {
			fprintf(out, "complete -c gops -n '__gops_at \"\" 0' -a %s -d ",
				cli_verbs[i].name);
			put_quoted(cli_verbs[i].summary, true, out);
			fputc('\n', out);
		}
	fputs("complete -c gops -n '__gops_at \"\" 0; and string match -qr \"^[0-9]\" -- "
	      "(commandline -ct)' -a '(__gops_pids)'\n",
		out);
	for (size_t i = 0; i < cli_nverbs; i++) {
		const struct cli_verb *v = &cli_verbs[i];
		const char *name = v->name ? v->name : "";

		for (int o = 0; o < OPT_COUNT; o++) {
			const struct cli_option *opt = &cli_options[o];

			if (!(v->opts & OPT_BIT(o)))
				continue;
			fprintf(out, "complete -c gops -n '__gops_is \"%s\"'", name);
			if (opt->short_name)
				fprintf(out, " -s %c", opt->short_name);
			fprintf(out, " -l %s%s -d ", opt->name,
				opt->value == VALUE_DIR ? " -x -a '(__fish_complete_directories)'"
				: opt->value == VALUE_FILE ? " -r -F"
				: opt->value               ? " -x"
							   : "");
			put_quoted(opt->help, true, out);
			fputc('\n', out);
		}
		for (int k = 0; k < v->nkinds; k++) {
			static const char *const what[] = {
				[ARG_PID] = "-a '(__gops_pids)'",
				[ARG_PID_OR_PATH] = "-F -a '(__gops_pids)'",
				[ARG_TARGET] = "-a '(__gops_pids)'",
				[ARG_GC_PERCENT] = "-a off",
				[ARG_VERB] = "-a '(__gops_verbs)'",
				[ARG_SHELL] = "-a 'bash zsh fish'",
			};

			if (!what[v->args[k]])
				continue;
			fprintf(out, "complete -c gops -n '__gops_at \"%s\" %d%s' %s\n", name, k,
				v->max_args < 0 && k == v->nkinds - 1 ? " +" : "",
				what[v->args[k]]);
		}
	}
	fputs("\nfunction __gops_verbs\n\tprintf '%s\\n' ", out);
	print_verb_names(out);
	fputs("\nend\n", out);
}

int cli_print_completion(const char *shell, FILE *out)
{
	if (strcmp(shell, "bash") == 0)
		bash_script(out);
	else if (strcmp(shell, "zsh") == 0)
		zsh_script(out);
	else if (strcmp(shell, "fish") == 0)
		fish_script(out);
	else
		return -EINVAL;
	return 0;
}
