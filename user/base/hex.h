/* SPDX-License-Identifier: MIT */
/* Hex digits, as Go escapes and /proc/net tables write them. */
#ifndef GOPS_HEX_H
#define GOPS_HEX_H

/* The value of one hex digit (either case), or -1. */
static inline int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
