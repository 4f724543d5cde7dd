// SPDX-License-Identifier: MIT
/*
 * Symbol table lookups: the Go runtime's int32 globals runtime.ncpu and
 * runtime.gomaxprocs in the fixtures (non-PIE, PIE, 386, read from an fd and
 * from memory), a stripped fixture (no .symtab: its own error), and copies
 * truncated and mangled in memory, which must give errors, never a crash.
 * A missing fixture makes its test a skip.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "golang/symtab.h"
#include "buildinfo_helpers.h"
#include "harness.h"

static void check_runtime_globals(const char *name, bool want_pie)
{
	struct symtab_sym s[] = { { .name = "runtime.ncpu" }, { .name = "runtime.gomaxprocs" },
		{ .name = "runtime.no_such_global" } };
	struct symtab_elf info;
	struct elf_source src = { .fd = open(fixture(name), O_RDONLY | O_CLOEXEC) };
	struct stat st;

	if (src.fd < 0)
		SKIP("no fixture %s", fixture(name));
	CHECK(fstat(src.fd, &st) == 0);
	src.size = (uint64_t)st.st_size;
	CHECK_INT(symtab_lookup_many(&src, s, 3, &info), 0);
	CHECK(s[0].found);
	CHECK(s[1].found);
	CHECK(!s[2].found);
	CHECK_INT(s[0].size, 4);
	CHECK_INT(s[1].size, 4);
	CHECK(s[0].addr != 0 && s[1].addr != 0 && s[0].addr != s[1].addr);
	CHECK_INT(info.pie, want_pie);
	CHECK(info.entry != 0);
	close(src.fd);
}

TEST(test_symtab_finds_ncpu_and_gomaxprocs_in_sleeper)
{
	check_runtime_globals("sleeper", false);
}

TEST(test_symtab_finds_ncpu_and_gomaxprocs_in_pie_and_says_pie)
{
	check_runtime_globals("sleeper-pie", true);
}

TEST(test_symtab_finds_ncpu_in_32bit_386)
{
	check_runtime_globals("sleeper-386", false);
}

TEST(test_symtab_finds_symbol_in_cgo_external_linker)
{
	struct buf b;
	uint64_t addr = 0, size = 0;

	if (!load_fixture("cgo", &b))
		SKIP("no fixture %s", fixture("cgo"));
	struct elf_source src = { .fd = -1, .mem = b.p, .size = b.len };

	CHECK_INT(symtab_lookup(&src, "runtime.gomaxprocs", &addr, &size), 0);
	CHECK_INT(size, 4);
	free(b.p);
}

TEST(test_symtab_fd_and_memory_sources_agree)
{
	struct buf b;
	uint64_t a1 = 0, a2 = 1, s1 = 0, s2 = 1;
	struct stat st;

	if (!load_fixture("sleeper", &b))
		SKIP("no fixture %s", fixture("sleeper"));
	struct elf_source mem = { .fd = -1, .mem = b.p, .size = b.len };
	struct elf_source fd = { .fd = open(fixture("sleeper"), O_RDONLY | O_CLOEXEC) };

	CHECK(fd.fd >= 0 && fstat(fd.fd, &st) == 0);
	fd.size = (uint64_t)st.st_size;
	CHECK_INT(symtab_lookup(&mem, "runtime.ncpu", &a1, &s1), 0);
	CHECK_INT(symtab_lookup(&fd, "runtime.ncpu", &a2, &s2), 0);
	CHECK_INT(a1, a2);
	CHECK_INT(s1, s2);
	close(fd.fd);
	free(b.p);
}

TEST(test_symtab_absent_name_is_enoent)
{
	struct buf b;
	uint64_t addr, size;

	if (!load_fixture("sleeper", &b))
		SKIP("no fixture %s", fixture("sleeper"));
	struct elf_source src = { .fd = -1, .mem = b.p, .size = b.len };

	CHECK_INT(symtab_lookup(&src, "runtime.not_a_symbol_here", &addr, &size), -ENOENT);
	CHECK_INT(symtab_lookup(&src, "", &addr, &size), -ENOENT);
	CHECK_STR(symtab_strerror(-ENOENT), "symbol not found");
	free(b.p);
}

TEST(test_symtab_stripped_binary_says_no_symbol_table)
{
	struct buf b;
	uint64_t addr, size;
	struct symtab_elf info;

	if (!load_fixture("sleeper-stripped", &b))
		SKIP("no fixture %s", fixture("sleeper-stripped"));
	struct elf_source src = { .fd = -1, .mem = b.p, .size = b.len };

	CHECK_INT(symtab_lookup(&src, "runtime.ncpu", &addr, &size), -SYMTAB_ENOSYMTAB);
	CHECK_STR(symtab_strerror(-SYMTAB_ENOSYMTAB), "no symbol table (stripped binary)");
	/* The header is still readable. */
	CHECK_INT(symtab_elf_info(&src, &info), 0);
	CHECK(!info.pie);
	free(b.p);
}

TEST(test_symtab_not_elf)
{
	static const unsigned char junk[128] = "#!/bin/sh\necho not an ELF file\n";
	struct elf_source src = { .fd = -1, .mem = junk, .size = sizeof(junk) };
	uint64_t addr;

	CHECK_INT(symtab_lookup(&src, "runtime.ncpu", &addr, NULL), -ELF_ENOTELF);
	src.size = 0;
	CHECK_INT(symtab_lookup(&src, "runtime.ncpu", &addr, NULL), -ELF_ENOTELF);
	CHECK_STR(symtab_strerror(-ELF_ENOTELF), "not an ELF file");
}

TEST(test_symtab_truncated_copy_is_corrupt)
{
	struct buf b;
	uint64_t addr, size;

	if (!load_fixture("sleeper", &b))
		SKIP("no fixture %s", fixture("sleeper"));
	/* Go writes .symtab and .strtab after the data: half the file lacks them. */
	struct elf_source src = { .fd = -1, .mem = b.p, .size = b.len / 2 };

	CHECK_INT(symtab_lookup(&src, "runtime.ncpu", &addr, &size), -ELF_EMALFORMED);
	CHECK_STR(symtab_strerror(-ELF_EMALFORMED), "corrupt ELF symbol table");
	/* Every cut: an answer or an error, never a crash (ASan watches). */
	for (size_t cut = 0; cut < b.len; cut += b.len / 257 + 1) {
		int err;

		src.size = cut;
		err = symtab_lookup(&src, "runtime.ncpu", &addr, &size);
		CHECK(err == 0 || err == -ENOENT || err == -ELF_EMALFORMED || err == -ELF_ENOTELF ||
			err == -SYMTAB_ENOSYMTAB);
	}
	free(b.p);
}

/* The offset of section header i's field at off in a 64-bit little-endian file. */
static unsigned char *shdr(struct buf *b, unsigned i, unsigned off)
{
	uint64_t shoff;
	uint16_t entsize;

	memcpy(&shoff, b->p + 40, 8);
	memcpy(&entsize, b->p + 58, 2);
	return b->p + shoff + (uint64_t)i * entsize + off;
}

static unsigned find_shdr_type(struct buf *b, uint32_t type)
{
	uint16_t shnum;

	memcpy(&shnum, b->p + 60, 2);
	for (unsigned i = 0; i < shnum; i++) {
		uint32_t t;

		memcpy(&t, shdr(b, i, 4), 4);
		if (t == type)
			return i;
	}
	return 0;
}

TEST(test_symtab_mangled_headers_give_errors)
{
	struct buf b, orig;
	uint64_t addr, size, big = UINT64_MAX - 8;
	uint32_t bad_link = 0;
	unsigned sym;

	if (!load_fixture("sleeper", &b) || !load_fixture("sleeper", &orig))
		SKIP("no fixture %s", fixture("sleeper"));
	struct elf_source src = { .fd = -1, .mem = b.p, .size = b.len };

	sym = find_shdr_type(&b, 2);
	CHECK(sym != 0);
	/* sh_link to the null section: no string table. */
	memcpy(shdr(&b, sym, 40), &bad_link, 4);
	CHECK_INT(symtab_lookup(&src, "runtime.ncpu", &addr, &size), -ELF_EMALFORMED);
	memcpy(b.p, orig.p, b.len);
	/* A symbol table past the end of the file, and one whose size wraps. */
	memcpy(shdr(&b, sym, 24), &big, 8);
	CHECK_INT(symtab_lookup(&src, "runtime.ncpu", &addr, &size), -ELF_EMALFORMED);
	memcpy(b.p, orig.p, b.len);
	memcpy(shdr(&b, sym, 32), &big, 8);
	CHECK_INT(symtab_lookup(&src, "runtime.ncpu", &addr, &size), -ELF_EMALFORMED);
	memcpy(b.p, orig.p, b.len);
	/* The string table's size past the end. */
	{
		uint32_t link;

		memcpy(&link, shdr(&b, sym, 40), 4);
		memcpy(shdr(&b, link, 32), &big, 8);
		CHECK_INT(symtab_lookup(&src, "runtime.ncpu", &addr, &size), -ELF_EMALFORMED);
		memcpy(b.p, orig.p, b.len);
	}
	/* A section table that does not fit: corrupt, not stripped. */
	memcpy(b.p + 40, &big, 8);
	CHECK_INT(symtab_lookup(&src, "runtime.ncpu", &addr, &size), -ELF_EMALFORMED);
	memcpy(b.p, orig.p, b.len);
	/* Random bytes over the section headers and the symbol table: no crash. */
	srand(10);
	for (int round = 0; round < 200; round++) {
		uint64_t symoff;
		int err;

		memcpy(&symoff, shdr(&orig, sym, 24), 8);
		for (int k = 0; k < 8; k++) {
			size_t at = (size_t)rand() % 2
					    ? (size_t)(shdr(&b, 0, 0) - b.p) + (size_t)rand() % 1024
					    : (size_t)symoff + (size_t)rand() % 4096;

			if (at < b.len)
				b.p[at] = (unsigned char)rand();
		}
		err = symtab_lookup(&src, "runtime.ncpu", &addr, &size);
		CHECK(err <= 0 && (err == 0 || symtab_strerror(err)));
		memcpy(b.p, orig.p, b.len);
	}
	free(b.p);
	free(orig.p);
}
