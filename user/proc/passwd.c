// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc/inroot.h"
#include "proc/passwd.h"

#define PASSWD_MAX (4u << 20)

int passwd_lookup(
	const char *path, unsigned int uid, char *name, size_t nlen, char *home, size_t hlen)
{
	int fd = inroot_open(path, O_RDONLY | O_NONBLOCK), err = -ENOENT;
	char *line = NULL;
	size_t cap = 0, total = 0;
	struct stat st;
	ssize_t n;
	FILE *f;

	if (fd < 0)
		return fd;
	/* A container's passwd may be a fifo or a device: only a file is read. */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		err = -errno;
		close(fd);
		return err;
	}
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
