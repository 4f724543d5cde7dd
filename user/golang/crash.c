// SPDX-License-Identifier: MIT
/*
 * Reading a Go crash text. What the runtime prints (runtime/panic.go,
 * runtime/traceback.go), Go 1.x alike:
 *
 *	panic: runtime error: index out of range [5] with length 3
 *	                                              (more lines of the value)
 *	goroutine 1 [running]:
 *	main.indexPanic(0xc00009e120?)
 *		/src/main.go:64 +0x9a
 *	main.main()
 *		/src/main.go:33 +0x27b
 *
 * A fatal error is the same with "fatal error: " (the runtime's own frames
 * may come first, after "runtime stack:", with " fp=... sp=... pc=..." after
 * the file line). Frames stop at a blank line or "created by". Every line is
 * taken as bytes: nothing here trusts the text to be UTF-8 or terminated.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "golang/crash.h"

struct line {
	const char *p;
	size_t n;
};

static bool starts(struct line l, const char *prefix)
{
	size_t k = strlen(prefix);

	return l.n >= k && memcmp(l.p, prefix, k) == 0;
}

/* "SIGSEGV: segmentation violation": SIG, upper-case letters, ": ". */
static bool signal_header(struct line l)
{
	size_t i = 3;

	if (!starts(l, "SIG"))
		return false;
	while (i < l.n && l.p[i] >= 'A' && l.p[i] <= 'Z')
		i++;
	return i > 3 && i + 1 < l.n && l.p[i] == ':' && l.p[i + 1] == ' ';
}

static enum go_crash_kind header_kind(struct line l)
{
	if (starts(l, "panic: "))
		return GO_CRASH_PANIC;
	if (starts(l, "fatal error: ") || signal_header(l))
		return GO_CRASH_FATAL;
	return GO_CRASH_NONE;
}

/* "goroutine 18 [running]:", since Go 1.23 "goroutine 0 gp=0x1885d00 m=0 mp=0x1887d80 [idle]:" */
static bool goroutine_line(struct line l)
{
	size_t i = 10;

	if (!starts(l, "goroutine "))
		return false;
	while (i < l.n && l.p[i] >= '0' && l.p[i] <= '9')
		i++;
	return i > 10 && i + 1 < l.n && l.p[i] == ' ' && memchr(l.p + i, '[', l.n - i) &&
	       l.n >= 2 && l.p[l.n - 2] == ']' && l.p[l.n - 1] == ':';
}

/* The line starting at off (without its newline); *next is where the following one starts. */
static struct line line_at(const char *text, size_t len, size_t off, size_t *next)
{
	const char *nl = memchr(text + off, '\n', len - off);
	struct line l = { text + off, nl ? (size_t)(nl - (text + off)) : len - off };

	*next = nl ? off + l.n + 1 : len;
	return l;
}

/* A NUL byte becomes U+FFFD, so that the field is a C string holding all that fits. */
static void copy_field(char *dst, size_t cap, const char *src, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (src[i] != '\0' && o + 1 < cap) {
			dst[o++] = src[i];
		} else if (src[i] == '\0' && o + 3 < cap) {
			memcpy(dst + o, "\xef\xbf\xbd", 3);
			o += 3;
		} else {
			break;
		}
	}
	dst[o] = '\0';
}

/* "main.indexPanic(0xc00009e120?)" -> "main.indexPanic"; "main.(*T).M(...)" -> "main.(*T).M". */
static void frame_func(struct go_crash_frame *f, struct line l)
{
	size_t n = l.n;

	if (n > 0 && l.p[n - 1] == ')') {
		for (size_t i = n - 1; i > 0; i--) {
			if (l.p[i] == '(') {
				n = i;
				break;
			}
		}
	}
	copy_field(f->func, sizeof(f->func), l.p, n);
}

/* "\t/src/main.go:64 +0x9a fp=... sp=..." -> "/src/main.go", 64. */
static void frame_file(struct go_crash_frame *f, struct line l)
{
	size_t n = l.n, colon = 0;
	int line = 0;

	for (size_t i = 1; i < l.n; i++) {
		if (l.p[i] == ' ') {
			n = i;
			break;
		}
	}
	for (size_t i = n; i > 1; i--) {
		if (l.p[i - 1] == ':') {
			colon = i - 1;
			break;
		}
	}
	for (size_t i = colon + 1; colon && i < n && line < 100000000; i++) {
		if (l.p[i] < '0' || l.p[i] > '9') {
			colon = 0; /* not file:line after all */
			break;
		}
		line = line * 10 + (l.p[i] - '0');
	}
	if (!colon || colon + 1 == n) {
		copy_field(f->file, sizeof(f->file), l.p + 1, n - 1);
		return;
	}
	copy_field(f->file, sizeof(f->file), l.p + 1, colon - 1);
	f->line = line;
}

/* The frames of the trace whose goroutine line ends at off. */
static void read_frames(const char *text, size_t len, size_t off, struct go_crash *c)
{
	while (off < len && c->nframes < GO_CRASH_FRAMES) {
		size_t next;
		struct line l = line_at(text, len, off, &next);
		struct go_crash_frame *f = &c->frames[c->nframes];

		if (l.n == 0 || l.p[0] == '\t' || starts(l, "created by ") || l.p[0] == ' ')
			break;
		memset(f, 0, sizeof(*f));
		frame_func(f, l);
		off = next;
		if (off < len) {
			struct line fl = line_at(text, len, off, &next);

			if (fl.n > 1 && fl.p[0] == '\t') {
				frame_file(f, fl);
				off = next;
			}
		}
		/* The runtime's own panic frame, shown when a deferred call panics. */
		if (strcmp(f->func, "panic") == 0 || strcmp(f->func, "runtime.gopanic") == 0)
			continue;
		c->nframes++;
	}
}

void go_crash_parse(const char *text, size_t len, struct go_crash *c)
{
	struct line header = { NULL, 0 }, weak = { NULL, 0 };
	enum go_crash_kind kind = GO_CRASH_NONE;
	size_t off = 0, trace = 0;

	memset(c, 0, sizeof(*c));
	if (!text)
		return;
	while (off < len) {
		size_t next;
		struct line l = line_at(text, len, off, &next);
		enum go_crash_kind k = header_kind(l);

		if (k != GO_CRASH_NONE) {
			header = l;
			kind = k;
		} else if (!weak.p && starts(l, "runtime: ")) {
			weak = l;
		} else if (kind != GO_CRASH_NONE && goroutine_line(l)) {
			trace = next;
			break;
		}
		off = next;
	}
	if (kind == GO_CRASH_NONE && weak.p) {
		header = weak;
		kind = GO_CRASH_FATAL;
	}
	if (kind == GO_CRASH_NONE)
		return;
	c->kind = kind;
	copy_field(c->message, sizeof(c->message), header.p, header.n);
	if (trace)
		read_frames(text, len, trace, c);
}

const char *go_crash_kind_name(enum go_crash_kind k)
{
	switch (k) {
	case GO_CRASH_PANIC:
		return "panic";
	case GO_CRASH_FATAL:
		return "fatal";
	default:
		return "";
	}
}
