// SPDX-License-Identifier: MIT
/* Reading Go crash texts (golang/crash.c), as Go 1.19 prints them and cut or mangled. */
#include <stdlib.h>
#include <string.h>

#include "golang/crash.h"
#include "harness.h"

static void parse(const char *s, struct go_crash *c)
{
	go_crash_parse(s, strlen(s), c);
}

TEST(test_crash_panic_header_and_frames)
{
	struct go_crash c;

	parse("panic: runtime error: index out of range [5] with length 3\n"
	      "\n"
	      "goroutine 1 [running]:\n"
	      "main.indexPanic(0xc00009e120?)\n"
	      "\t/src/main.go:64 +0x9a\n"
	      "main.main()\n"
	      "\t/src/main.go:33 +0x27b\n",
		&c);
	CHECK_INT(c.kind, GO_CRASH_PANIC);
	CHECK_STR(c.message, "panic: runtime error: index out of range [5] with length 3");
	CHECK_INT(c.nframes, 2);
	CHECK_STR(c.frames[0].func, "main.indexPanic");
	CHECK_STR(c.frames[0].file, "/src/main.go");
	CHECK_INT(c.frames[0].line, 64);
	CHECK_STR(c.frames[1].func, "main.main");
	CHECK_INT(c.frames[1].line, 33);
	CHECK_STR(go_crash_kind_name(c.kind), "panic");
}

TEST(test_crash_fatal_error_stops_at_created_by)
{
	struct go_crash c;

	parse("fatal error: concurrent map writes\n\n"
	      "goroutine 18 [running]:\n"
	      "main.mapWrites.func1()\n\t/src/main.go:83 +0x4a\n"
	      "created by main.mapWrites\n\t/src/main.go:81 +0x2b\n\n"
	      "goroutine 1 [sleep]:\ntime.Sleep(0xdf8475800)\n",
		&c);
	CHECK_INT(c.kind, GO_CRASH_FATAL);
	CHECK_STR(c.message, "fatal error: concurrent map writes");
	CHECK_INT(c.nframes, 1);
	CHECK_STR(c.frames[0].func, "main.mapWrites.func1");
}

/* A line the program printed itself before the real crash is not the header. */
TEST(test_crash_last_header_before_the_trace_wins)
{
	struct go_crash c;

	parse("panic: a line that only looks like one\nmore\npanic: boom\n\n"
	      "goroutine 1 [running]:\nmain.boom()\n\t/src/main.go:75 +0x27\n"
	      "panic: after the trace\n",
		&c);
	CHECK_STR(c.message, "panic: boom");
	CHECK_STR(c.frames[0].func, "main.boom");
}

TEST(test_crash_runtime_lines_alone_are_fatal_and_a_signal_header_counts)
{
	struct go_crash c;

	parse("runtime: goroutine stack exceeds 1000000000-byte limit\n"
	      "runtime: sp=0xc020160388\n",
		&c);
	CHECK_INT(c.kind, GO_CRASH_FATAL);
	CHECK_STR(c.message, "runtime: goroutine stack exceeds 1000000000-byte limit");
	CHECK_INT(c.nframes, 0);
	parse("runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack "
	      "overflow\n",
		&c);
	CHECK_STR(c.message, "fatal error: stack overflow");
	parse("SIGQUIT: quit\nPC=0x4621c1 m=0 sigcode=0\n\ngoroutine 0 [idle]:\n"
	      "runtime.futex(0x5a6f28, 0x80)\n\t/go/src/runtime/sys_linux_amd64.s:560 +0x21 fp=0x1 "
	      "sp=0x2 pc=0x3\n",
		&c);
	CHECK_INT(c.kind, GO_CRASH_FATAL);
	CHECK_STR(c.message, "SIGQUIT: quit");
	CHECK_STR(c.frames[0].func, "runtime.futex");
	CHECK_STR(c.frames[0].file, "/go/src/runtime/sys_linux_amd64.s");
	CHECK_INT(c.frames[0].line, 560);
	/* Go 1.23 and later name the g and the m in the goroutine line. */
	parse("SIGQUIT: quit\n\ngoroutine 0 gp=0x1885d00 m=0 mp=0x1887d80 [idle]:\n"
	      "runtime.futex(0x1887ed8, 0x80, 0x0)\n\truntime/sys_linux_amd64.s:575 +0x21\n",
		&c);
	CHECK_INT(c.nframes, 1);
	CHECK_STR(c.frames[0].file, "runtime/sys_linux_amd64.s");
	CHECK_INT(c.frames[0].line, 575);
}

TEST(test_crash_runtime_panic_frame_is_left_out_and_methods_keep_their_receiver)
{
	struct go_crash c;

	parse("panic: x [recovered]\n\tpanic: y\n\ngoroutine 1 [running]:\n"
	      "panic({0x45d8a0, 0xc000012018})\n\t/go/src/runtime/panic.go:884 +0x213\n"
	      "main.(*T).Get[...](0x0)\n\t/src/t.go:9 +0x1\n",
		&c);
	CHECK_STR(c.message, "panic: x [recovered]");
	CHECK_INT(c.nframes, 1);
	CHECK_STR(c.frames[0].func, "main.(*T).Get[...]");
}

TEST(test_crash_no_header_is_none)
{
	struct go_crash c;

	parse("starting up\nSIGTERM received\nsignal: not a header\n", &c);
	CHECK_INT(c.kind, GO_CRASH_NONE);
	CHECK_STR(c.message, "");
	CHECK_STR(go_crash_kind_name(c.kind), "");
	go_crash_parse(NULL, 10, &c);
	CHECK_INT(c.kind, GO_CRASH_NONE);
	go_crash_parse("", 0, &c);
	CHECK_INT(c.kind, GO_CRASH_NONE);
}

/* Cut anywhere, overlong, garbage: bounded fields, never past the input. */
TEST(test_crash_cut_and_overlong_texts_stay_in_bounds)
{
	static const char full[] = "panic: boom\n\ngoroutine 1 [running]:\nmain.boom()\n"
				   "\t/src/main.go:75 +0x27\nmain.main()\n\t/src/main.go";
	size_t big = 20000;
	char *s = malloc(big);
	struct go_crash c;

	for (size_t n = 0; n <= sizeof(full) - 1; n++) {
		char *cut = malloc(n ? n : 1);

		memcpy(cut, full, n);
		go_crash_parse(cut, n, &c);
		CHECK(strlen(c.message) <= 11);
		CHECK(c.nframes <= 2);
		free(cut);
	}
	go_crash_parse(full, sizeof(full) - 1, &c);
	CHECK_INT(c.nframes, 2);
	CHECK_STR(c.frames[1].file, "/src/main.go");
	CHECK_INT(c.frames[1].line, 0);

	memset(s, 'x', big);
	memcpy(s, "panic: ", 7);
	go_crash_parse(s, big, &c);
	CHECK_INT(strlen(c.message), GO_CRASH_MSG_LEN - 1);
	/* Twenty frames of long names: eight kept, each cut to fit. */
	memset(s, 0, big);
	strcpy(s, "panic: p\ngoroutine 1 [running]:\n");
	for (int i = 0; i < 20; i++) {
		size_t at = strlen(s);

		memset(s + at, 'f', 300);
		strcpy(s + at + 300, "()\n\t/");
		memset(s + at + 305, 'd', 300);
		strcpy(s + at + 605, ":7 +0x1\n");
	}
	go_crash_parse(s, strlen(s), &c);
	CHECK_INT(c.nframes, GO_CRASH_FRAMES);
	CHECK_INT(strlen(c.frames[7].func), GO_CRASH_FUNC_LEN - 1);
	CHECK_INT(strlen(c.frames[7].file), GO_CRASH_FILE_LEN - 1);
	CHECK_INT(c.frames[7].line, 7);
	/* A NUL in the message stands for itself, as U+FFFD. */
	go_crash_parse("panic: a\0b\n", 10, &c);
	CHECK_STR(c.message, "panic: a\xef\xbf\xbd"
			     "b");
	for (size_t i = 0; i < big; i++)
		s[i] = (char)(i * 7 + 3);
	go_crash_parse(s, big, &c);
	CHECK(strlen(c.message) < GO_CRASH_MSG_LEN);
	free(s);
}
