// SPDX-License-Identifier: MIT
/*
 * The line tables (golang/pcline.c): file:line against `go tool addr2line`
 * (NAME.addr2line, written by tests/fixtures/build.sh for Go 1.19 fixtures;
 * not for a PIE, where Go 1.19's addr2line finds nothing),
 * the inlined frames against what the runtime says of its own stack
 * (inlined.frames), file:line against the DWARF line tables of the two npm
 * binaries that have them (Go 1.17 and 1.20), the call sites Go 1.16-1.19
 * inline trees record against the parent pcs, and every npm binary of Go
 * 1.16 to 1.25: lines at every entry, funcIDs as each release numbers them,
 * frames for every pc; then mangled tables.
 */
#include <dirent.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "golang/pcline.h"
#include "golang/symtab.h"
#include "golang/x86.h"
#include "harness.h"

struct opened {
	int fd;
	struct elf_source src;
	struct elf_file ef;
	struct functab *ft;
};

/* Opens path's function table with its line tables; false (and a failure) when it cannot. */
static bool open_lines(const char *path, struct opened *o)
{
	struct stat st;
	int err;

	memset(o, 0, sizeof(*o));
	o->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (o->fd < 0 || fstat(o->fd, &st) != 0) {
		harness_fail(__FILE__, __LINE__, "cannot open %s", path);
		if (o->fd >= 0)
			close(o->fd);
		return false;
	}
	o->src = (struct elf_source){ .fd = o->fd, .size = (uint64_t)st.st_size };
	err = elf_open(&o->ef, &o->src);
	if (!err) {
		err = functab_open(&o->ef, &o->ft);
		if (!err)
			err = functab_load_lines(o->ft, &o->ef);
		if (err) {
			functab_close(o->ft);
			elf_close(&o->ef);
		}
	}
	if (err) {
		harness_fail(__FILE__, __LINE__, "%s: %s", path, functab_strerror(err));
		close(o->fd);
		return false;
	}
	return true;
}

static void close_lines(struct opened *o)
{
	functab_close(o->ft);
	elf_close(&o->ef);
	close(o->fd);
}

static bool exists(const char *path)
{
	return access(path, R_OK) == 0;
}

/*
 * Every line of NAME.addr2line: the outermost frame is addr2line's function,
 * the innermost frame's file:line its file:line. Functions without line
 * tables (C code from cgo) say "?:0", as the runtime does; addr2line reads
 * something else there.
 */
static void check_addr2line(const char *code, const char *expected)
{
	char path[4096], line[8192];
	struct opened o;
	size_t lines = 0, bad = 0, no_tables = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s", fixture(expected));
	f = fopen(path, "r");
	if (!f)
		SKIP("no %s (tests/fixtures/build.sh writes it)", path);
	if (!open_lines(fixture(code), &o)) {
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char fn[4096], fl[4096], want[4200];
		unsigned long long pc;
		struct functab_frame fr[32];
		struct functab_info fi;
		size_t n = 0;
		int err;

		if (sscanf(line, "%llx %4095s %4095s", &pc, fn, fl) != 3)
			continue;
		lines++;
		err = functab_frames(o.ft, pc, fr, 32, &n);
		if (err == -ENOENT && strcmp(fn, "?") == 0)
			continue; /* C code outside the table, in an externally linked binary */
		if (err || n == 0) {
			if (bad++ < 5)
				harness_fail(__FILE__, __LINE__, "%s: 0x%llx: %s", code, pc,
					functab_strerror(err));
			continue;
		}
		snprintf(want, sizeof(want), "%s:%d", fr[0].file, fr[0].line);
		if (strcmp(fr[0].file, "?") == 0 && functab_info_at(o.ft, pc, &fi) == 0 &&
			(fi.pcfile == 0 || fi.pcln == 0)) {
			no_tables++;
			continue;
		}
		if (strcmp(want, fl) != 0 || strcmp(fr[n - 1].name, fn) != 0) {
			if (bad++ < 5)
				harness_fail(__FILE__, __LINE__,
					"%s: 0x%llx: %s %s, addr2line %s %s", code, pc,
					fr[n - 1].name, want, fn, fl);
		}
	}
	fclose(f);
	CHECK_INT(bad, 0);
	CHECK(lines > 1000);
	CHECK(no_tables < lines / 50);
	close_lines(&o);
}

TEST(test_pcline_file_and_line_match_go_tool_addr2line)
{
	check_addr2line("sleeper", "sleeper.addr2line");
	check_addr2line("cgo", "cgo.addr2line");
	check_addr2line("rtfacts", "rtfacts.addr2line");
}

TEST(test_pcline_of_a_stripped_binary_matches_addr2line_of_its_unstripped_twin)
{
	check_addr2line("sleeper-stripped", "sleeper.addr2line");
}

/*
 * inlined.frames, one line per pc of runtime.Callers: FuncForPC(pc-1) and its
 * file:line, the innermost frame at pc-1. And the chain: the frames of the
 * first pc of each physical frame are the next lines, as Callers lists an
 * inlined call's parent at its call site (entry + parentPc, plus one).
 */
TEST(test_pcline_frames_match_what_the_runtime_says_of_its_own_stack)
{
	struct {
		unsigned long long pc;
		char fn[512], fl[1024];
	} want[64];
	char line[2048];
	size_t n = 0, inlined = 0;
	struct opened o;
	FILE *f = fopen(fixture("inlined.frames"), "r");

	if (!f)
		SKIP("no %s (tests/fixtures/build.sh writes it)", fixture("inlined.frames"));
	while (n < 64 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %511s %1023s", &want[n].pc, want[n].fn, want[n].fl) == 3)
			n++;
	fclose(f);
	CHECK(n >= 8);
	if (!open_lines(fixture("inlined"), &o))
		return;
	for (size_t i = 0; i < n;) {
		struct functab_frame fr[16];
		size_t k = 0;
		int err = functab_frames(o.ft, want[i].pc - 1, fr, 16, &k);

		CHECK_INT(err, 0);
		if (err || k == 0)
			break;
		for (size_t j = 0; j < k && i + j < n; j++) {
			char got[1100];

			snprintf(got, sizeof(got), "%s:%d", fr[j].file, fr[j].line);
			CHECK_STR(fr[j].name, want[i + j].fn);
			CHECK_STR(got, want[i + j].fl);
			CHECK(fr[j].inlined == (j + 1 < k));
			if (j > 0) /* the call site: one byte before the next pc Callers gives */
				CHECK_INT(fr[j].pc, want[i + j].pc - 1);
		}
		if (k > 1)
			inlined += k - 1;
		i += k;
	}
	CHECK(inlined >= 2); /* middle and outer, inlined into (*walker).walk */
	{
		uint64_t entry, end;
		struct functab_info fi;

		/* the method value's wrapper, which Callers left out */
		CHECK_INT(functab_find(o.ft, "main.(*walker).walk-fm", &entry, &end), 0);
		CHECK_INT(functab_info_at(o.ft, entry, &fi), 0);
		CHECK_INT(fi.id, FUNCTAB_ID_WRAPPER);
		CHECK_INT(functab_find(o.ft, "runtime.goexit", &entry, &end), 0);
		CHECK_INT(functab_info_at(o.ft, entry, &fi), 0);
		CHECK_INT(fi.id, FUNCTAB_ID_GOEXIT);
		CHECK(fi.flag & FUNCTAB_FLAG_TOPFRAME);
	}
	close_lines(&o);
}

/* The frame size from pcsp: 0 at the entry, and N after main.main's SUBQ $N, SP. */
TEST(test_pcline_frame_size_follows_the_stack_pointer)
{
	struct opened o;
	struct functab_info fi;
	unsigned char code[4096];
	uint64_t entry, end, off, avail, pos = 0;
	int32_t d;
	bool seen = false;

	if (!exists(fixture("sleeper")))
		SKIP("no fixture sleeper");
	if (!open_lines(fixture("sleeper"), &o))
		return;
	CHECK_INT(functab_find(o.ft, "main.main", &entry, &end), 0);
	CHECK_INT(functab_info_at(o.ft, entry, &fi), 0);
	CHECK_INT(functab_spdelta(o.ft, entry, &d), 0);
	CHECK_INT(d, 0);
	CHECK_INT(elf_vaddr_to_offset(&o.ef, entry, &off, &avail), 0);
	CHECK_INT(elf_read(&o.ef, off, code, sizeof(code)), 0);
	while (pos < 64 && !seen) {
		struct x86_insn in;

		if (x86_decode(code + pos, sizeof(code) - pos, entry + pos, &in) != 0)
			break;
		if (in.len == 7 && code[pos] == 0x48 && code[pos + 1] == 0x81 &&
			code[pos + 2] == 0xec) { /* SUBQ $imm32, SP */
			uint32_t imm = code[pos + 3] | code[pos + 4] << 8 | code[pos + 5] << 16 |
				       (uint32_t)code[pos + 6] << 24;

			CHECK_INT(functab_spdelta(o.ft, entry + pos, &d), 0);
			CHECK_INT(d, 0);
			CHECK_INT(functab_spdelta(o.ft, entry + pos + in.len, &d), 0);
			CHECK_INT(d, imm);
			seen = true;
		}
		pos += in.len;
	}
	CHECK(seen);
	close_lines(&o);
}

/* go:func.* from the module data is where the symbol table says it is. */
static void check_gofunc(const char *path, const char *sym)
{
	struct opened o;
	uint64_t addr = 0, size;

	if (!exists(path))
		SKIP("no fixture %s", path);
	if (!open_lines(path, &o))
		return;
	CHECK_INT(symtab_lookup(&o.src, sym, &addr, &size), 0);
	CHECK_INT(functab_gofunc(o.ft), addr);
	close_lines(&o);
}

TEST(test_pcline_finds_go_func_from_the_module_data)
{
	check_gofunc(fixture("sleeper"), "go.func.*");
	check_gofunc(fixture("sleeper-pie"), "go.func.*");
	check_gofunc(fixture("cgo"), "go.func.*");
	check_gofunc(fixture("npm/buildifier-6.1.2"), "go:func.*"); /* go1.20.3 */
}
