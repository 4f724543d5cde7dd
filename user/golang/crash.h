/* SPDX-License-Identifier: MIT */
/*
 * What a Go program's crash text says: the text the runtime writes to
 * stderr when it dies of a panic ("panic: ..."), a fatal error ("fatal
 * error: ...") or a signal it does not handle ("SIGQUIT: quit"), followed by
 * the crashing goroutine's trace ("goroutine 1 [running]:", then each frame
 * as a function line and a tab-indented file:line). The input is whatever
 * the process wrote (untrusted: any bytes, cut anywhere); the output holds
 * raw bytes, to be escaped by whoever prints them.
 */
#ifndef GOPS_GOLANG_CRASH_H
#define GOPS_GOLANG_CRASH_H

#include <stddef.h>

#define GO_CRASH_MSG_LEN 256
#define GO_CRASH_FRAMES 8
#define GO_CRASH_FUNC_LEN 128
#define GO_CRASH_FILE_LEN 192

enum go_crash_kind {
	GO_CRASH_NONE = 0, /* no crash header in the text */
	GO_CRASH_PANIC,    /* "panic: ..." */
	GO_CRASH_FATAL,    /* "fatal error: ...", "SIGSEGV: ...", or only "runtime: ..." lines */
};

struct go_crash_frame {
	char func[GO_CRASH_FUNC_LEN]; /* "main.main", "main.(*T).Get": without the arguments */
	char file[GO_CRASH_FILE_LEN]; /* "" when the trace did not give one */
	int line;                     /* 0 when not known */
};

struct go_crash {
	enum go_crash_kind kind;
	char message[GO_CRASH_MSG_LEN]; /* the header's line, cut to fit; NUL-terminated */
	size_t nframes;
	struct go_crash_frame frames[GO_CRASH_FRAMES]; /* the crashing goroutine's, top first */
};

/*
 * Reads the crash in text[0, len). The header is the last "panic: ",
 * "fatal error: " or "SIGxxx: " line before the first goroutine trace that
 * follows one (a program may print such lines itself before it really
 * crashes); with none, the first "runtime: " line. Frames are those of that
 * trace, up to GO_CRASH_FRAMES, the runtime's own panic frame left out.
 * Never fails: c->kind is GO_CRASH_NONE when there is no header.
 */
void go_crash_parse(const char *text, size_t len, struct go_crash *c);

/* "panic", "fatal" or "" for GO_CRASH_NONE. */
const char *go_crash_kind_name(enum go_crash_kind k);

#endif
