// SPDX-License-Identifier: MIT
/*
 * gops: lists and diagnoses running Go processes. The command line is parsed
 * in cli/options.c against the tables of cli/verbs.c; this runs the verb.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/help.h"
#include "cli/options.h"
#include "cli/verbs.h"
#include "live/tracer.h"

int main(int argc, char **argv)
{
	const char *pin_dir = getenv("GOPS_PIN_DIR");
	struct env env = { .pin_dir = pin_dir && *pin_dir ? pin_dir : GOPS_DEFAULT_PIN_DIR };
	char why[512];
	int rc = cli_parse(argc, argv, &env, why, sizeof(why));

	if (rc == CLI_UNKNOWN_VERB)
		return cli_unknown_verb(env.args[0]);
	if (rc)
		return cli_usage_error(env.verb, "%s", why);
	if (env.help) {
		if (env.verb == cli_list_verb())
			cli_print_help(stdout);
		else
			cli_print_verb_help(env.verb, stdout);
		return 0;
	}
	if (env.version) {
		env.verb = cli_find_verb("version");
		env.nargs = 0;
	}
	return env.verb->run(&env);
}
