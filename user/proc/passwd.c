// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc/passwd.h"

#define PASSWD_MAX (4u << 20)

int passwd_lookup(
	const char *path, unsigned int uid, char *name, size_t nlen, char *home, size_t hlen)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0, total = 0;
	ssize_t n;
	int err = -ENOENT;

	if (!f)
		return -errno;
	while ((n = getline(&line, &cap, f)) > 0 && total < PASSWD_MAX) {
		char *field[7] = { 0 }, *p = line, *end;
		int nf = 0;
		unsigned long v;

		total += (size_t)n;
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		/* name:password:uid:gid:gecos:home:shell */
		while (nf < 7) {
			field[nf++] = p;
			p = strchr(p, ':');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (nf < 6 || !*field[2])
			continue;
		errno = 0;
		v = strtoul(field[2], &end, 10);
		if (errno || *end || v != uid)
			continue;
		if (name)
			snprintf(name, nlen, "%s", field[0]);
		if (home)
			snprintf(home, hlen, "%s", field[5]);
		err = 0;
		break;
	}
	free(line);
	fclose(f);
	return err;
}
