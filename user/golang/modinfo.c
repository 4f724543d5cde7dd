// SPDX-License-Identifier: MIT
/*
 * The module info text inside Go's build info: parsed as
 * runtime/debug.ParseBuildInfo does and printed as BuildInfo.String() does,
 * so `gops buildinfo` prints what `go version -m` prints.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/escape.h"
#include "base/json.h"
#include "golang/goquote.h"
#include "golang/modinfo.h"

#define MAX_COLUMNS 4

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static bool has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix);

	return len >= plen && memcmp(s, prefix, plen) == 0;
}

/* Splits on tabs; returns the column count (up to MAX_COLUMNS + 1). */
static int split_tabs(const char *s, size_t len, const char **col, size_t *clen)
{
	int n = 0;
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '\t')
			continue;
		if (n > MAX_COLUMNS)
			return n;
		col[n] = s + start;
		clen[n] = i - start;
		n++;
		start = i + 1;
	}
	return n;
}

static int fill_module(struct go_module *m, const char **col, const size_t *clen, int n)
{
	m->path = dup_n(col[0], clen[0]);
	m->version = dup_n(col[1], clen[1]);
	m->sum = dup_n(n == 3 ? col[2] : "", n == 3 ? clen[2] : 0);
	if (!m->path || !m->version || !m->sum)
		return -ENOMEM;
	return 0;
}

static void free_module(struct go_module *m)
{
	if (m->replace) {
		free_module(m->replace);
		free(m->replace);
	}
	free(m->path);
	free(m->version);
	free(m->sum);
	memset(m, 0, sizeof(*m));
}

/* `mod` and `dep` lines: path, version and an optional sum. */
static int parse_module_line(const char *s, size_t len, struct go_module *m)
{
	const char *col[MAX_COLUMNS + 1];
	size_t clen[MAX_COLUMNS + 1];
	int n = split_tabs(s, len, col, clen);

	if (n != 2 && n != 3)
		return -EINVAL;
	return fill_module(m, col, clen, n);
}

static int parse_replace_line(const char *s, size_t len, struct go_module *last)
{
	const char *col[MAX_COLUMNS + 1];
	size_t clen[MAX_COLUMNS + 1];
	int n = split_tabs(s, len, col, clen);

	if (n != 3 || !last)
		return -EINVAL;
	if (last->replace)
		free_module(last->replace);
	else
		last->replace = calloc(1, sizeof(*last->replace));
	if (!last->replace)
		return -ENOMEM;
	return fill_module(last->replace, col, clen, n);
}

/* Either half of key=value: a Go literal, or bare text that must not need quoting. */
static int parse_build_line(const char *kv, size_t len, struct go_setting *set)
{
	const char *raw_val;
	size_t klen, vlen;
	int err;

	if (len == 0 || kv[0] == '=')
		return -EINVAL;
	if (kv[0] == '"' || kv[0] == '`') {
		klen = go_quoted_prefix(kv, len);
		if (klen == 0 || klen == len || kv[klen] != '=')
			return -EINVAL;
		err = go_unquote(kv, klen, &set->key, &set->key_len);
		if (err)
			return err;
	} else {
		const char *eq = memchr(kv, '=', len);

		if (!eq)
			return -EINVAL;
		klen = (size_t)(eq - kv);
		if (go_setting_key_needs_quote(kv, klen))
			return -EINVAL;
		set->key = dup_n(kv, klen);
		set->key_len = klen;
		if (!set->key)
			return -ENOMEM;
	}
	raw_val = kv + klen + 1;
	vlen = len - klen - 1;
	if (vlen > 0 && (raw_val[0] == '"' || raw_val[0] == '`')) {
		err = go_unquote(raw_val, vlen, &set->value, &set->value_len);
		if (err)
			return err;
		return 0;
	}
	if (go_setting_value_needs_quote(raw_val, vlen))
		return -EINVAL;
	set->value = dup_n(raw_val, vlen);
	set->value_len = vlen;
	return set->value ? 0 : -ENOMEM;
}

static int parse_line(const char *line, size_t len, struct go_modinfo *bi, struct go_module **last,
	size_t *dcap, size_t *scap)
{
	int err;

	if (has_prefix(line, len, "path\t")) {
		free(bi->path);
		bi->path = dup_n(line + 5, len - 5);
		return bi->path ? 0 : -ENOMEM;
	}
	if (has_prefix(line, len, "mod\t")) {
		free_module(&bi->main);
		*last = &bi->main;
		return parse_module_line(line + 4, len - 4, &bi->main);
	}
	if (has_prefix(line, len, "dep\t")) {
		*last = array_push(&bi->deps, &bi->ndeps, dcap, sizeof(*bi->deps));
		if (!*last)
			return -ENOMEM;
		return parse_module_line(line + 4, len - 4, *last);
	}
	if (has_prefix(line, len, "=>\t")) {
		err = parse_replace_line(line + 3, len - 3, *last);
		*last = NULL;
		return err;
	}
	if (has_prefix(line, len, "build\t")) {
		struct go_setting *set =
			array_push(&bi->settings, &bi->nsettings, scap, sizeof(*bi->settings));

		if (!set)
			return -ENOMEM;
		return parse_build_line(line + 6, len - 6, set);
	}
	return 0; /* blank and unknown lines are skipped, as Go does */
}

int modinfo_parse(const char *mod, size_t len, struct go_modinfo *bi)
{
	struct go_module *last = NULL;
	size_t dcap = 0, scap = 0, pos = 0;
	int err = 0;

	while (pos < len) {
		const char *nl = memchr(mod + pos, '\n', len - pos);

		if (!nl) /* a last line without newline is ignored, as Go does */
			break;
		err = parse_line(mod + pos, (size_t)(nl - (mod + pos)), bi, &last, &dcap, &scap);
		if (err)
			break;
		pos = (size_t)(nl - mod) + 1;
	}
	if (err)
		modinfo_free(bi);
	bi->has_main = bi->main.path && (bi->main.path[0] || bi->main.version[0] ||
						bi->main.sum[0] || bi->main.replace);
	return err;
}

void modinfo_free(struct go_modinfo *bi)
{
	free(bi->path);
	free_module(&bi->main);
	for (size_t i = 0; i < bi->ndeps; i++)
		free_module(&bi->deps[i]);
	free(bi->deps);
	for (size_t i = 0; i < bi->nsettings; i++) {
		free(bi->settings[i].key);
		free(bi->settings[i].value);
	}
	free(bi->settings);
	memset(bi, 0, sizeof(*bi));
}

/*
 * Go 1.19's formatMod ends a replaced module with the `=>` line's newline and
 * then its own, so `go version -m` shows an empty (tab-only) line after each
 * replacement. We print the same.
 */
/*
 * The text comes from the executable, which anybody may have built: control
 * bytes and invalid UTF-8 are escaped (base/escape.h), which leaves what any
 * real toolchain writes exactly as `go version -m` prints it.
 */
static void put(FILE *out, const char *s)
{
	escape_fputs(out, s, strlen(s));
}

static void print_module(FILE *out, const char *word, const struct go_module *m)
{
	fprintf(out, "\t%s\t", word);
	put(out, m->path);
	fputc('\t', out);
	put(out, m->version);
	if (m->replace) {
		fputc('\n', out);
		print_module(out, "=>", m->replace);
		fputs("\t\n", out);
	} else {
		fputc('\t', out);
		put(out, m->sum);
		fputc('\n', out);
	}
}

static void print_setting_part(FILE *out, const char *s, size_t len, bool quote)
{
	if (quote)
		go_quote(out, s, len); /* strconv.Quote escapes control bytes itself */
	else
		escape_fputs(out, s, len);
}

void modinfo_print(const struct go_modinfo *bi, FILE *out)
{
	if (bi->path && bi->path[0]) {
		fputs("\tpath\t", out);
		put(out, bi->path);
		fputc('\n', out);
	}
	if (bi->has_main)
		print_module(out, "mod", &bi->main);
	for (size_t i = 0; i < bi->ndeps; i++)
		print_module(out, "dep", &bi->deps[i]);
	for (size_t i = 0; i < bi->nsettings; i++) {
		const struct go_setting *s = &bi->settings[i];

		fputs("\tbuild\t", out);
		print_setting_part(
			out, s->key, s->key_len, go_setting_key_needs_quote(s->key, s->key_len));
		fputc('=', out);
		print_setting_part(out, s->value, s->value_len,
			go_setting_value_needs_quote(s->value, s->value_len));
		fputc('\n', out);
	}
}

/* Module fields are omitempty in Go's debug.Module; so are ours. */
static void json_module(FILE *out, const struct go_module *m)
{
	const char *sep = "";

	fputc('{', out);
	if (m->path && m->path[0]) {
		json_key(out, "Path");
		json_string(out, m->path);
		sep = ",";
	}
	if (m->version && m->version[0]) {
		fputs(sep, out);
		json_key(out, "Version");
		json_string(out, m->version);
		sep = ",";
	}
	if (m->sum && m->sum[0]) {
		fputs(sep, out);
		json_key(out, "Sum");
		json_string(out, m->sum);
		sep = ",";
	}
	if (m->replace) {
		fputs(sep, out);
		json_key(out, "Replace");
		json_module(out, m->replace);
	}
	fputc('}', out);
}

/*
 * Field names and omitempty as in Go's debug.BuildInfo JSON tags, which
 * `go version -m -json` (Go 1.24+) prints. Go prints a zero Main as "Main":{};
 * we leave it out as the text form does, so a build without modules (GOPATH,
 * Bazel) has none of these members.
 */
void modinfo_print_json(const struct go_modinfo *bi, FILE *out)
{
	if (bi->path && bi->path[0]) {
		fputc(',', out);
		json_key(out, "Path");
		json_string(out, bi->path);
	}
	if (bi->has_main) {
		fputc(',', out);
		json_key(out, "Main");
		json_module(out, &bi->main);
	}
	if (bi->ndeps) {
		fputc(',', out);
		json_key(out, "Deps");
		fputc('[', out);
		for (size_t i = 0; i < bi->ndeps; i++) {
			if (i)
				fputc(',', out);
			json_module(out, &bi->deps[i]);
		}
		fputc(']', out);
	}
	if (bi->nsettings) {
		fputc(',', out);
		json_key(out, "Settings");
		fputc('[', out);
		for (size_t i = 0; i < bi->nsettings; i++) {
			const struct go_setting *s = &bi->settings[i];

			if (i)
				fputc(',', out);
			fputc('{', out);
			json_key(out, "Key");
			json_string_n(out, s->key, s->key_len);
			fputc(',', out);
			json_key(out, "Value");
			json_string_n(out, s->value, s->value_len);
			fputc('}', out);
		}
		fputc(']', out);
	}
}
