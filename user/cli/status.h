/* SPDX-License-Identifier: MIT */
/* `gops status`. */
#ifndef GOPS_CLI_STATUS_H
#define GOPS_CLI_STATUS_H

#include <stdbool.h>

/* Prints the state of the table under pin_dir. Returns the exit status. */
int status_print(const char *pin_dir, bool json);

#endif
