// SPDX-License-Identifier: MIT
/*
 * The function table: entries and ends against the .symtab of the same code
 * (sleeper, and sleeper-stripped whose text is sleeper's), the npm binaries
 * of Go 1.16 to 1.25 (their runtime functions found in each; the two with a
 * .symtab compared whole), a Go 1.26-style header without text start, the
 * amd64 decoder over whole functions, and mangled tables (errors, no crash).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "golang/functab.h"
#include "golang/symtab.h"
#include "buildinfo_helpers.h"
#include "golang/x86.h"
#include "harness.h"

/* Opens the function table of a file in memory. */
static int open_mem(
	const struct buf *b, struct elf_source *src, struct elf_file *ef, struct functab **ft)
{
	int err;

	*src = (struct elf_source){ .mem = b->p, .size = b->len };
	err = elf_open(ef, src);
	if (err)
		return err;
	err = functab_open(ef, ft);
	if (err)
		elf_close(ef);
	return err;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(
		(*(struct symtab_sym *const *)a)->name, (*(struct symtab_sym *const *)b)->name);
}

/*
 * Names the table has more than once (an assembly function and its ABI
 * wrapper) are left out: the symbol table's first one may be the other.
 */
static bool *duplicates(struct symtab_sym *want, size_t n)
{
	struct symtab_sym **p = calloc(n, sizeof(*p));
	bool *dup = calloc(n, sizeof(*dup));

	if (!p || !dup) {
		free(p);
		free(dup);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		p[i] = &want[i];
	qsort(p, n, sizeof(*p), by_name);
	for (size_t i = 0; i + 1 < n; i++)
		if (strcmp(p[i]->name, p[i + 1]->name) == 0)
			dup[p[i] - want] = dup[p[i + 1] - want] = true;
	free(p);
	return dup;
}

/*
 * Every function of the table of code is in the .symtab of syms at its
 * entry, its size fits before its end, and its end is the next one's entry.
 */
static void check_against_symtab(const char *code_path, const char *syms_path)
{
	char code[4096], syms[4096]; /* paths under the fixture directory */
	struct buf b, s;
	struct elf_source src, ssrc;
	struct elf_file ef;
	struct functab *ft;
	struct symtab_sym *want, *abi0;
	bool *dup;
	char *abi0_names;
	size_t n, mismatched = 0, absent = 0;

	snprintf(code, sizeof(code), "%s/%s", fixture_dir(), code_path);
	snprintf(syms, sizeof(syms), "%s/%s", fixture_dir(), syms_path);
	if (!load_path(code, &b) || !load_path(syms, &s)) {
		free(b.p);
		SKIP("no fixture %s or %s", code, syms);
	}
	CHECK_INT(open_mem(&b, &src, &ef, &ft), 0);
	if (!ft) {
		free(b.p);
		free(s.p);
		return;
	}
	n = functab_count(ft);
	CHECK(n > 1000);
	want = calloc(n, sizeof(*want));
	for (size_t i = 0; want && i < n; i++) {
		struct functab_func f;

		CHECK_INT(functab_get(ft, i, &f), 0);
		want[i].name = f.name;
	}
	dup = want ? duplicates(want, n) : NULL;
	abi0_names = calloc(n, 128);
	CHECK(abi0_names != NULL);
	CHECK(dup != NULL);
	ssrc = (struct elf_source){ .mem = s.p, .size = s.len };
	CHECK_INT(symtab_lookup_many(&ssrc, want, n, NULL), 0);
	abi0 = calloc(n, sizeof(*abi0));
	for (size_t i = 0; abi0 && abi0_names && i < n;
		i++) { /* assembly functions: NAME.abi0 in .symtab */
		abi0[i].name = abi0_names + 128 * i;
		snprintf(abi0_names + 128 * i, 128, "%s.abi0", want[i].found ? "" : want[i].name);
	}
	if (abi0 && abi0_names)
		CHECK_INT(symtab_lookup_many(&ssrc, abi0, n, NULL), 0);
	for (size_t i = 0; dup && abi0 && abi0_names && i < n; i++) {
		struct functab_func f, next;

		functab_get(ft, i, &f);
		if (dup[i])
			continue;
		if (!want[i].found && abi0[i].found)
			want[i] = abi0[i];
		if (!want[i].found) { /* linker-made names spelled otherwise there (type:.eq,
					 type..eq) */
			absent++;
			continue;
		}
		if (want[i].addr != f.entry || f.entry + want[i].size > f.end ||
			(i + 1 < n &&
				(functab_get(ft, i + 1, &next) != 0 || next.entry != f.end))) {
			if (mismatched++ < 5)
				harness_fail(__FILE__, __LINE__,
					"%s: table 0x%llx-0x%llx, symtab 0x%llx+%llu", f.name,
					(unsigned long long)f.entry, (unsigned long long)f.end,
					(unsigned long long)want[i].addr,
					(unsigned long long)want[i].size);
		}
	}
	CHECK_INT(mismatched, 0);
	CHECK(absent < n / 50);
	free(abi0);
	free(abi0_names);
	free(dup);
	free(want);
	functab_close(ft);
	elf_close(&ef);
	free(b.p);
	free(s.p);
}

TEST(test_functab_entries_and_ends_match_the_symtab_of_sleeper)
{
	check_against_symtab("sleeper", "sleeper");
}

TEST(test_functab_of_sleeper_stripped_matches_the_symtab_of_sleeper)
{
	check_against_symtab("sleeper-stripped", "sleeper");
}

TEST(test_functab_of_a_pie_and_cgo_match_their_symtabs)
{
	check_against_symtab("sleeper-pie", "sleeper-pie");
	check_against_symtab("cgo", "cgo");
}

TEST(test_functab_of_go117_and_go120_npm_binaries_match_their_symtabs)
{
	check_against_symtab("npm/buildifier-5.1.0", "npm/buildifier-5.1.0"); /* go1.17.2 */
	check_against_symtab("npm/buildifier-6.1.2", "npm/buildifier-6.1.2"); /* go1.20.3 */
}

/* Decodes a function whole: instructions end exactly at its end, or at an opcode we do not know. */
static int decode_all(struct elf_file *ef, uint64_t entry, uint64_t end, size_t *count)
{
	uint64_t off, avail;
	unsigned char *buf;
	size_t n = (size_t)(end - entry), pos = 0;
	int err = 0;

	*count = 0;
	if (elf_vaddr_to_offset(ef, entry, &off, &avail) != 0 || n > avail || !(buf = malloc(n)))
		return -EFAULT;
	if (elf_read(ef, off, buf, n) == 0) {
		while (pos < n) {
			struct x86_insn in;

			err = x86_decode(buf + pos, n - pos, entry + pos, &in);
			if (err)
				break;
			CHECK(in.len >= 1 && in.len <= 15 && in.len <= n - pos);
			pos += in.len;
			(*count)++;
		}
	}
	free(buf);
	return err;
}

static const char *const runtime_funcs[] = { "runtime.osinit", "runtime.GOMAXPROCS",
	"runtime.allgadd", "runtime.procresize", "runtime.newproc1", "runtime.mallocinit",
	"runtime.gcinit" };

/* Every npm binary: Go 1.16 and later read, the runtime functions found and decoded whole. */
TEST(test_functab_finds_runtime_functions_in_every_npm_binary)
{
	char dirpath[4096];
	DIR *d;
	struct dirent *e;
	int seen = 0;

	snprintf(dirpath, sizeof(dirpath), "%s/npm", fixture_dir());
	d = opendir(dirpath);
	if (!d)
		SKIP("no %s (tests/fixtures/npm.sh fetches them)", dirpath);
	while ((e = readdir(d))) {
		struct elf_source src;
		struct elf_file ef;
		struct functab *ft;
		struct buf b;
		int err;

		if (!npm_fixture_is_binary(e->d_name))
			continue;
		if (!load_path(npm_fixture(e->d_name), &b))
			continue;
		err = open_mem(&b, &src, &ef, &ft);
		if (err == -FUNCTAB_EVERSION) { /* Go 1.15 and older */
			free(b.p);
			continue;
		}
		if (err) {
			harness_fail(
				__FILE__, __LINE__, "%s: %s", e->d_name, functab_strerror(err));
			free(b.p);
			continue;
		}
		seen++;
		for (size_t i = 0; i < sizeof(runtime_funcs) / sizeof(runtime_funcs[0]); i++) {
			uint64_t entry = 0, end = 0;
			struct functab_func f;
			size_t count;

			err = functab_find(ft, runtime_funcs[i], &entry, &end);
			if (err) {
				harness_fail(__FILE__, __LINE__, "%s: no %s", e->d_name,
					runtime_funcs[i]);
				continue;
			}
			CHECK(entry < end && end - entry < (1u << 16));
			CHECK_INT(functab_at(ft, entry, &f), 0);
			CHECK_STR(f.name, runtime_funcs[i]);
			CHECK_INT(functab_at(ft, end - 1, &f), 0);
			CHECK_STR(f.name, runtime_funcs[i]);
			if (ef.machine == 62) {
				CHECK_INT(decode_all(&ef, entry, end, &count), 0);
				CHECK(count > 3);
			}
		}
		functab_close(ft);
		elf_close(&ef);
		free(b.p);
	}
	closedir(d);
	if (!seen)
		SKIP("no npm binary of Go 1.16 or later in %s", dirpath);
}

TEST(test_functab_says_a_go115_table_is_too_old)
{
	struct elf_source src;
	struct elf_file ef;
	struct functab *ft = NULL;
	struct buf b;

	if (!load_path(npm_fixture("esbuild-0.7.22"), &b)) /* go1.15 */
		SKIP("no fixture %s", npm_fixture("esbuild-0.7.22"));
	CHECK_INT(open_mem(&b, &src, &ef, &ft), -FUNCTAB_EVERSION);
	CHECK(ft == NULL);
	free(b.p);
}

/* pclntab's header, found by its section: a Go 1.20 table, textStart its third word. */
static unsigned char *pclntab_header(const struct buf *b)
{
	struct elf_source src = { .mem = b->p, .size = b->len };
	struct elf_file ef;
	const struct elf_sec *sec;
	unsigned char *h = NULL;

	if (elf_open(&ef, &src) != 0)
		return NULL;
	sec = elf_section(&ef, ".gopclntab");
	if (sec && sec->offset + 64 <= b->len)
		h = b->p + sec->offset;
	elf_close(&ef);
	return h;
}

/* Go 1.26 zeroes textStart; the table then takes it from the module data (here in .noptrdata). */
TEST(test_functab_takes_the_text_start_from_the_module_data_when_the_header_has_none)
{
	struct elf_source src;
	struct elf_file ef;
	struct functab *ft;
	struct buf b;
	unsigned char *h;
	uint64_t entry, end, entry0, end0;

	if (!load_path(fixture("sleeper"), &b))
		SKIP("no fixture sleeper");
	CHECK_INT(open_mem(&b, &src, &ef, &ft), 0);
	CHECK_INT(functab_find(ft, "runtime.osinit", &entry0, &end0), 0);
	functab_close(ft);
	elf_close(&ef);
	h = pclntab_header(&b);
	CHECK(h != NULL);
	if (!h) {
		free(b.p);
		return;
	}
	h[0] = 0xf1; /* a Go 1.20+ magic, which is what Go 1.26 writes */
	memset(h + 8 + 2 * 8, 0, 8);
	CHECK_INT(open_mem(&b, &src, &ef, &ft), 0);
	CHECK_INT(functab_text_start(ft), 0x401000);
	CHECK_INT(functab_find(ft, "runtime.osinit", &entry, &end), 0);
	CHECK_INT(entry, entry0);
	CHECK_INT(end, end0);
	functab_close(ft);
	elf_close(&ef);
	/* Without module data to agree (its text word changed too), no table at all. */
	for (size_t i = 0; i + 8 <= b.len; i += 8) {
		uint64_t w;

		memcpy(&w, b.p + i, 8);
		if (w == 0x401000 && i >= 22 * 8) {
			uint64_t minpc;

			memcpy(&minpc, b.p + i - 16, 8);
			if (minpc == 0x401000)
				memset(b.p + i, 0x11, 8);
		}
	}
	CHECK_INT(open_mem(&b, &src, &ef, &ft), -FUNCTAB_ENOTEXT);
	free(b.p);
}

/* Header words set to hostile values, and the table cut short: errors, never a crash. */
TEST(test_functab_rejects_mangled_headers_and_truncated_tables)
{
	static const uint64_t values[] = { 0, 1, 0x7fffffff, 0xffffffff, 1ull << 40, ~0ull };
	struct elf_source src;
	struct elf_file ef;
	struct functab *ft;
	struct buf b;
	unsigned char *h, saved[72];
	int err;

	if (!load_path(fixture("sleeper"), &b))
		SKIP("no fixture sleeper");
	h = pclntab_header(&b);
	CHECK(h != NULL);
	if (!h) {
		free(b.p);
		return;
	}
	memcpy(saved, h, sizeof(saved));
	for (int w = 0; w < 8; w++) {
		for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
			memcpy(h, saved, sizeof(saved));
			memcpy(h + 8 + 8 * w, &values[v], 8);
			err = open_mem(&b, &src, &ef, &ft);
			if (err == 0) { /* an accepted table is still walked safely */
				struct functab_func f;

				for (size_t i = 0; i < functab_count(ft); i++)
					functab_get(ft, i, &f);
				functab_close(ft);
				elf_close(&ef);
			} else {
				CHECK(err < 0 && functab_strerror(err) != NULL);
			}
			/* nfunc, and the five offsets past the header's end, are never accepted */
			if (values[v] >= (1ull << 40) && (w == 0 || w >= 3))
				CHECK(err != 0);
		}
	}
	memcpy(h, saved, sizeof(saved));
	/* The table cut anywhere inside: the section now runs past the file. */
	for (size_t cut = 64; cut < 0x8f000; cut = cut * 3 + 17) {
		struct buf t = { .p = b.p, .len = (size_t)(h - b.p) + cut };

		err = open_mem(&t, &src, &ef, &ft);
		CHECK(err != 0);
		if (!err) {
			functab_close(ft);
			elf_close(&ef);
		}
	}
	free(b.p);
}

TEST(test_x86_decodes_the_forms_go_emits)
{
	static const struct {
		const char *bytes;
		unsigned int len;
		enum x86_kind kind;
		unsigned int width;
		enum x86_mem mem;
	} cases[] = {
		{ "\x89\x05\x5b\xac\x1e\x00", 6, X86_STORE, 4, X86_MEM_RIP }, /* MOVL AX, x(SB) */
		{ "\x48\x63\x0d\x7f\x4d\x21\x00", 7, X86_LOAD, 4,
			X86_MEM_RIP }, /* MOVSXD x(SB), CX */
		{ "\x48\x8d\x05\x53\x6c\x1e\x00", 7, X86_LEA, 8, X86_MEM_RIP }, /* LEAQ x(SB), AX */
		{ "\x48\x87\x0a", 3, X86_XCHG, 8, X86_MEM_BASE },               /* XCHGQ CX, (DX) */
		{ "\xf0\x48\x0f\xc1\x0a", 5, X86_XADD, 8, X86_MEM_BASE },       /* LOCK XADDQ */
		{ "\x80\x3d\xcd\x0c\x1a\x00\x00", 7, X86_CMP, 1, X86_MEM_RIP }, /* CMPB $0, x(SB) */
		{ "\x66\x83\x3d\x00\x00\x00\x00\x10", 8, X86_CMP, 2, X86_MEM_RIP }, /* CMPW $16 */
		{ "\x48\x8b\x44\x24\x28", 5, X86_LOAD, 8, X86_MEM_BASE }, /* MOVQ 0x28(SP), AX */
		{ "\xe8\x69\xf8\xff\xff", 5, X86_CALL, 4, X86_MEM_NONE },
		{ "\x0f\x86\x9a\x00\x00\x00", 6, X86_JCC, 4, X86_MEM_NONE },
		{ "\x48\xb8\x01\x02\x03\x04\x05\x06\x07\x08", 10, X86_OTHER, 8, X86_MEM_NONE },
		{ "\x0f\x1f\x44\x00\x00", 5, X86_OTHER, 16, X86_MEM_OTHER }, /* NOPL 0(AX)(AX*1) */
		{ "\xc5\xf8\x77", 3, X86_OTHER, 16, X86_MEM_NONE },          /* VZEROUPPER */
		{ "\xc3", 1, X86_RET, 4, X86_MEM_NONE },
	};
	struct x86_insn in;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_INT(x86_decode(
				  (const unsigned char *)cases[i].bytes, cases[i].len, 0x1000, &in),
			0);
		CHECK_INT(in.len, cases[i].len);
		CHECK_INT(in.kind, cases[i].kind);
		if (cases[i].mem != X86_MEM_NONE)
			CHECK_INT(in.width, cases[i].width);
		CHECK_INT(in.mem, cases[i].mem);
		/* One byte short is truncated, never read past. */
		CHECK_INT(x86_decode((const unsigned char *)cases[i].bytes, cases[i].len - 1,
				  0x1000, &in),
			-X86_ETRUNC);
	}
	CHECK_INT(
		x86_decode((const unsigned char *)"\x89\x05\x5b\xac\x1e\x00", 6, 0x4326b7, &in), 0);
	CHECK_INT(in.target, 0x61d318); /* runtime.ncpu in sleeper: after the instruction, + disp */
	CHECK_INT(
		x86_decode((const unsigned char *)"\xd8\xc1", 2, 0, &in), -X86_EUNKNOWN); /* x87 */
	CHECK_INT(x86_decode((const unsigned char *)"\x06", 1, 0, &in), -X86_EUNKNOWN);
}
