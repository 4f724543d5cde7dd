/* SPDX-License-Identifier: MIT */
/* Go string literals as strconv quotes and unquotes them (build settings use them). */
#ifndef GOPS_GOQUOTE_H
#define GOPS_GOQUOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Length of the Go string literal ("..." or `...`) at the start of s, or 0
 * when s does not start with a valid one (strconv.QuotedPrefix).
 */
size_t go_quoted_prefix(const char *s, size_t len);

/*
 * Unquotes a whole literal (strconv.Unquote) into a heap string of *outlen
 * bytes plus a NUL. Returns 0, -EINVAL for a bad literal, or -ENOMEM.
 */
int go_unquote(const char *s, size_t len, char **out, size_t *outlen);

/* Writes s quoted as strconv.Quote does. */
void go_quote(FILE *out, const char *s, size_t len);

/* The rules of runtime/debug's build settings for when to quote. */
bool go_setting_key_needs_quote(const char *s, size_t len);
bool go_setting_value_needs_quote(const char *s, size_t len);

#endif
