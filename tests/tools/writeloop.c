// SPDX-License-Identifier: MIT
/*
 * writeloop COUNT: COUNT writes of 16 bytes to fd 2, one write(2) each, then
 * exits 0 (1 if a write fails). `make bench` times it with and without the
 * daemon: a write-heavy program that is not Go pays nothing for the crash
 * text probes, which sit in Go executables only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static const char piece[16] = "0123456789abcde\n";
	long n = argc == 2 ? strtol(argv[1], NULL, 10) : -1;

	if (n < 0) {
		fputs("usage: writeloop COUNT\n", stderr);
		return 2;
	}
	for (long i = 0; i < n; i++)
		if (write(2, piece, sizeof(piece)) != (ssize_t)sizeof(piece))
			return 1;
	return 0;
}
