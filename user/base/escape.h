/* SPDX-License-Identifier: MIT */
/*
 * Text that came from another process (a file name, a path, a command line)
 * made safe for a terminal and for line-oriented output: any user can start a
 * program whose name holds an escape sequence or a newline, and root's gops
 * must not let it recolour the screen or print a forged row.
 *
 * Printable ASCII and valid printable UTF-8 pass unchanged (so ordinary names
 * print exactly as gops prints them); \n, \t and \r become those two-character
 * escapes; every other control character (C0, DEL, C1) and every byte of
 * invalid UTF-8 becomes \xHH, as ps and systemd write them. A backslash is
 * left alone in paths and command lines (gops prints them so); process
 * names (escape_name_*) have it as \\, as the kernel writes a comm in
 * /proc/PID/status and so gops shows it.
 */
#ifndef GOPS_BASE_ESCAPE_H
#define GOPS_BASE_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Whether s (len bytes) prints as it is. */
bool escape_needed(const char *s, size_t len);

/*
 * Writes the escaped form of s into buf (always NUL-terminated when cap > 0;
 * an escape never gets cut in half). Returns the full escaped length, which
 * may exceed cap - 1, as snprintf does; buf may be NULL when cap is 0.
 */
size_t escape_text(char *buf, size_t cap, const char *s, size_t len);

/* The length in bytes of the escaped form of s. */
size_t escape_len(const char *s, size_t len);

/* Writes the escaped form of s to out. */
void escape_fputs(FILE *out, const char *s, size_t len);

/*
 * Writes the escaped form of s to out, then spaces until width bytes are
 * written: printf's %-*s on the escaped form, so columns line up whatever
 * the name holds.
 */
void escape_fputs_padded(FILE *out, const char *s, size_t len, size_t width);

/* The same three for a process name (the kernel's comm, or argv[0]'s base name). */
size_t escape_name_len(const char *s, size_t len);
void escape_name_fputs(FILE *out, const char *s, size_t len);
void escape_name_fputs_padded(FILE *out, const char *s, size_t len, size_t width);

#endif
