// SPDX-License-Identifier: MIT
/*
 * Struct layouts from DWARF (golang/dwarf.c) against the Go 1.19 fixtures:
 * the offsets of Go 1.19's runtime structs on amd64 as `gdb -batch -ex 'set
 * language c' -ex "ptype/o 'runtime.schedt'"` prints them for sleeper (the
 * same for every member of schedt, p, gcControllerState, heapStatsDelta,
 * mstats, g and m; runtime/runtime2.go, mstats.go, mgcpacer.go of go1.19),
 * read from DWARF compressed as Go 1.19 writes it (SHF_COMPRESSED), as GNU ld
 * does (cgo), as objcopy leaves it uncompressed or in the older .zdebug_* form,
 * and from npm binaries of Go 1.14, 1.17 (.zdebug_*) and 1.20. Hostile: no
 * DWARF, not ELF, empty, cut short, and copies with their .debug_info mangled,
 * which must give errors, never a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "buildinfo_helpers.h"
#include "golang/dwarf.h"
#include "harness.h"

struct want {
	const char *type, *path;
	int64_t off, size;
};

/* Go 1.19, amd64. */
static const struct want go119_amd64[] = {
	{ "runtime.schedt", "lock", 24, 8 },
	{ "runtime.schedt", "mnext", 48, 8 },
	{ "runtime.schedt", "nmfreed", 64, 8 },
	{ "runtime.schedt", "ngsys", 72, 4 },
	{ "runtime.schedt", "gFree", 152, 32 },
	{ "runtime.schedt", "gFree.n", 176, 4 },
	{ "runtime.p", "id", 0, 4 },
	{ "runtime.p", "status", 4, 4 },
	/* gFree is struct { gList; n int32 }: n follows the 8-byte gList. */
	{ "runtime.p", "gFree", 2464, 16 },
	{ "runtime.p", "gFree.n", 2472, 4 },
	/* atomic.Int32 and atomic.Int64 wrappers: the wrapper's offset and size. */
	{ "runtime.gcControllerState", "gcPercent", 0, 4 },
	{ "runtime.gcControllerState", "memoryLimit", 8, 8 },
	{ "runtime.gcControllerState", "gcPercentHeapGoal", 104, 8 },
	{ "runtime.gcControllerState", "sweepDistMinTrigger", 112, 8 },
	{ "runtime.gcControllerState", "triggered", 120, 8 },
	{ "runtime.gcControllerState", "heapInUse", 304, 8 },
	{ "runtime.gcControllerState", "heapReleased", 312, 8 },
	{ "runtime.gcControllerState", "heapFree", 320, 8 },
	{ "runtime.mstats", "heapStats", 0, 3544 },
	{ "runtime.mstats", "stacks_sys", 3544, 8 },
	{ "runtime.mstats", "mspan_sys", 3552, 8 },
	{ "runtime.mstats", "mcache_sys", 3560, 8 },
	{ "runtime.mstats", "buckhash_sys", 3568, 8 },
	{ "runtime.mstats", "gcMiscSys", 3576, 8 },
	{ "runtime.mstats", "other_sys", 3584, 8 },
	{ "runtime.mstats", "last_gc_unix", 3592, 8 },
	{ "runtime.mstats", "pause_total_ns", 3600, 8 },
	{ "runtime.mstats", "pause_ns", 3608, 2048 },
	{ "runtime.mstats", "pause_end", 5656, 2048 },
	{ "runtime.mstats", "numgc", 7704, 4 },
	{ "runtime.mstats", "numforcedgc", 7708, 4 },
	{ "runtime.mstats", "gc_cpu_fraction", 7712, 8 },
	{ "runtime.mstats", "enablegc", 7736, 1 },
	{ "runtime.mstats", "heapStats.stats", 0, 3528 },
	{ "runtime.consistentHeapStats", "stats", 0, 3528 },
	{ "runtime.heapStatsDelta", "committed", 0, 8 },
	{ "runtime.heapStatsDelta", "released", 8, 8 },
	{ "runtime.heapStatsDelta", "inHeap", 16, 8 },
	{ "runtime.heapStatsDelta", "inStacks", 24, 8 },
	{ "runtime.heapStatsDelta", "inWorkBufs", 32, 8 },
	{ "runtime.heapStatsDelta", "inPtrScalarBits", 40, 8 },
	{ "runtime.heapStatsDelta", "tinyAllocCount", 48, 8 },
	{ "runtime.heapStatsDelta", "largeAlloc", 56, 8 },
	{ "runtime.heapStatsDelta", "largeAllocCount", 64, 8 },
	{ "runtime.heapStatsDelta", "smallAllocCount", 72, 544 },
	{ "runtime.heapStatsDelta", "largeFree", 616, 8 },
	{ "runtime.heapStatsDelta", "largeFreeCount", 624, 8 },
	{ "runtime.heapStatsDelta", "smallFreeCount", 632, 544 },
	/* mheap.spanalloc at 92224 and cachealloc at 92296; fixalloc.inuse at 48. */
	{ "runtime.mheap", "spanalloc.inuse", 92272, 8 },
	{ "runtime.mheap", "cachealloc.inuse", 92344, 8 },
	{ "runtime.g", "stack", 0, 16 },
	{ "runtime.g", "sched", 56, 56 },
	{ "runtime.g", "atomicstatus", 144, 4 },
	{ "runtime.g", "goid", 152, 8 },
	{ "runtime.m", "alllink", 336, 8 },
	/* A Go func value is one pointer (gdb, reading it as C, says 1). */
	{ "runtime.m", "mstartfn", 184, 8 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Opens fixture name, or skips when it is missing; NULL then. */
static struct godwarf *open_fixture_dwarf(const char *name)
{
	struct godwarf *d = NULL;
	int err;

	if (access(fixture(name), F_OK) != 0) {
		skip_missing(fixture(name));
		return NULL;
	}
	err = godwarf_open(fixture(name), &d);
	if (err)
		harness_fail(__FILE__, __LINE__, "godwarf_open(%s) = %d (%s)", name, err,
			godwarf_strerror(err));
	return d;
}

static void check_members(const char *name, const struct want *w, size_t n)
{
	struct godwarf *d = open_fixture_dwarf(name);

	if (!d)
		return;
	for (size_t i = 0; i < n; i++) {
		int64_t off = -1, size = -1;
		int err = godwarf_member(d, w[i].type, w[i].path, &off, &size);

		if (err || off != w[i].off || size != w[i].size)
			harness_fail(__FILE__, __LINE__,
				"%s: %s %s: err %d off %lld size %lld, expected off %lld size %lld",
				name, w[i].type, w[i].path, err, (long long)off, (long long)size,
				(long long)w[i].off, (long long)w[i].size);
	}
	godwarf_close(d);
}

static void check_sizes(const char *name)
{
	struct godwarf *d = open_fixture_dwarf(name);
	int64_t v = -1;

	if (!d)
		return;
	CHECK_INT(godwarf_type_size(d, "runtime.heapStatsDelta", &v), 0);
	CHECK_INT(v, 1176);
	CHECK_INT(godwarf_type_size(d, "runtime.consistentHeapStats", &v), 0);
	CHECK_INT(v, 3544);
	CHECK_INT(godwarf_type_size(d, "runtime.mstats", &v), 0);
	CHECK_INT(v, 13512);
	CHECK_INT(godwarf_type_size(d, "runtime.g", &v), 0);
	CHECK_INT(v, 392);
	CHECK_INT(godwarf_type_size(d, "runtime.m", &v), 0);
	CHECK_INT(v, 1008);
	CHECK_INT(godwarf_type_size(d, "uint32", &v), 0);
	CHECK_INT(v, 4);
	/* _NumSizeClasses is 68 in Go 1.19 (runtime/sizeclasses.go). */
	CHECK_INT(godwarf_array_len(d, "runtime.heapStatsDelta", "smallAllocCount", &v), 0);
	CHECK_INT(v, 68);
	CHECK_INT(godwarf_array_len(d, "runtime.consistentHeapStats", "stats", &v), 0);
	CHECK_INT(v, 3);
	CHECK_INT(godwarf_array_len(d, "runtime.mstats", "pause_ns", &v), 0);
	CHECK_INT(v, 256);
	godwarf_close(d);
}

TEST(test_godwarf_go119_offsets_in_sleeper)
{
	check_members("sleeper", go119_amd64, N(go119_amd64));
	check_sizes("sleeper");
}

TEST(test_godwarf_go119_offsets_in_pie)
{
	check_members("sleeper-pie", go119_amd64, N(go119_amd64));
}

TEST(test_godwarf_go119_offsets_in_cgo_external_linker)
{
	/* GNU ld compressed the DWARF, and gcc's DWARF 5 units sit beside Go's. */
	check_members("cgo", go119_amd64, N(go119_amd64));
	check_sizes("cgo");
}

TEST(test_godwarf_uncompressed_and_zdebug_copies_agree)
{
	check_members("sleeper-dwarf-plain", go119_amd64, N(go119_amd64));
	check_members("sleeper-zdebug", go119_amd64, N(go119_amd64));
}

TEST(test_godwarf_32bit_and_big_endian)
{
	/* Go 1.19, 386: pointers and ints are 4 bytes. */
	static const struct want w386[] = {
		{ "runtime.schedt", "mnext", 40, 8 },
		{ "runtime.p", "id", 0, 4 },
		{ "runtime.gcControllerState", "memoryLimit", 8, 8 },
		{ "runtime.heapStatsDelta", "smallAllocCount", 72, 544 },
		{ "runtime.schedt", "gFree.n", 120, 4 },
		{ "runtime.p", "gFree.n", 1272, 4 },
	};
	/* Go 1.19, s390x: the amd64 layout, read in big-endian ELF and DWARF. */
	static const struct want ws390x[] = {
		{ "runtime.schedt", "mnext", 48, 8 },
		{ "runtime.schedt", "gFree.n", 176, 4 },
		{ "runtime.p", "gFree.n", 2472, 4 },
		{ "runtime.gcControllerState", "memoryLimit", 8, 8 },
	};

	check_members("sleeper-386", w386, N(w386));
	check_members("sleeper-s390x", ws390x, N(ws390x));
}

TEST(test_godwarf_other_go_releases_from_npm)
{
	/* Go 1.17 and 1.14 wrote .zdebug_*; 1.20 SHF_COMPRESSED. gcPercent is a plain int32
	 * before 1.19. */
	static const struct want go117[] = {
		{ "runtime.schedt", "mnext", 48, 8 },
		{ "runtime.gcControllerState", "gcPercent", 0, 4 },
		{ "runtime.gcControllerState", "heapLive", 48, 8 },
	};
	static const struct want go120[] = {
		{ "runtime.schedt", "mnext", 48, 8 },
		{ "runtime.gcControllerState", "gcPercent", 0, 4 },
		{ "runtime.gcControllerState", "memoryLimit", 8, 8 },
	};
	struct godwarf *d;
	int64_t off, size;

	check_members("npm/buildifier-5.1.0", go117, N(go117));
	check_members("npm/esbuild-0.1.26", go117, 1);
	check_members("npm/buildifier-6.1.2", go120, N(go120));
	/* Before Go 1.19 there was no memory limit. */
	if ((d = open_fixture_dwarf("npm/buildifier-5.1.0"))) {
		CHECK_INT(
			godwarf_member(d, "runtime.gcControllerState", "memoryLimit", &off, &size),
			-ENOENT);
		godwarf_close(d);
	}
}

TEST(test_godwarf_absent_names_and_bad_paths)
{
	struct godwarf *d = open_fixture_dwarf("sleeper");
	int64_t off = 7, size = 7;

	if (!d)
		return;
	CHECK_INT(godwarf_member(d, "runtime.no_such_type", "n", &off, &size), -ENOENT);
	CHECK_INT(godwarf_member(d, "runtime.p", "no_such_member", &off, &size), -ENOENT);
	CHECK_INT(godwarf_member(d, "runtime.p", "gFree.no_such", &off, &size), -ENOENT);
	/* n is an int32, not a struct with members. */
	CHECK_INT(godwarf_member(d, "runtime.p", "gFree.n.x", &off, &size), -ENOENT);
	/* A prefix of a member's name is not that member. */
	CHECK_INT(godwarf_member(d, "runtime.p", "gFre", &off, &size), -ENOENT);
	CHECK_INT(godwarf_member(d, "runtime.p", "", &off, &size), -EINVAL);
	CHECK_INT(godwarf_member(d, "runtime.p", "gFree.", &off, &size), -EINVAL);
	CHECK_INT(godwarf_member(d, "runtime.p", ".n", &off, &size), -EINVAL);
	CHECK_INT(godwarf_member(d, "", "n", &off, &size), -ENOENT);
	CHECK_INT(godwarf_type_size(d, "runtime.no_such_type", &size), -ENOENT);
	/* Not an array. */
	CHECK_INT(godwarf_array_len(d, "runtime.p", "gFree", &size), -ENOENT);
	/* Nothing written on failure. */
	CHECK_INT(off, 7);
	CHECK_INT(size, 7);
	CHECK_STR(godwarf_strerror(-ENOENT), "type or member not in the DWARF");
	CHECK(godwarf_strerror(0) == NULL);
	godwarf_close(d);
}

TEST(test_godwarf_stripped_binary_has_no_dwarf)
{
	struct godwarf *d = (struct godwarf *)1;

	if (access(fixture("sleeper-stripped"), F_OK) != 0)
		SKIP("no fixture %s", fixture("sleeper-stripped"));
	CHECK_INT(godwarf_open(fixture("sleeper-stripped"), &d), -GODWARF_ENODWARF);
	CHECK(d == NULL);
	CHECK_STR(godwarf_strerror(-GODWARF_ENODWARF),
		"no DWARF debug info (built with -ldflags=-w or -s)");
}

/* ---- hostile files, handed over as memfds ---- */

/* godwarf_open on the n bytes at p. */
static int open_bytes(const void *p, size_t n)
{
	int fd = memfd_create("godwarf-test", MFD_CLOEXEC), err;
	struct godwarf *d = NULL;
	char path[64];

	if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n)) {
		harness_fail(__FILE__, __LINE__, "memfd: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	err = godwarf_open(path, &d);
	if (!err) {
		/* Whatever it found, lookups must give answers or errors. */
		int64_t off, size;

		for (size_t i = 0; i < N(go119_amd64); i++) {
			int e = godwarf_member(
				d, go119_amd64[i].type, go119_amd64[i].path, &off, &size);

			CHECK(e == 0 || e == -ENOENT || e == -GODWARF_EMALFORMED);
		}
		int e = godwarf_array_len(d, "runtime.heapStatsDelta", "smallAllocCount", &size);
		CHECK(e == 0 || e == -ENOENT || e == -GODWARF_EMALFORMED);
		godwarf_close(d);
	}
	close(fd);
	return err;
}

TEST(test_godwarf_not_elf_empty_and_missing)
{
	static const char text[] = "#!/bin/sh\necho not an ELF file\n";
	static const unsigned char magic[] = { 0x7f, 'E', 'L', 'F' };
	struct godwarf *d;

	CHECK_INT(open_bytes(text, sizeof(text)), -ELF_ENOTELF);
	CHECK_INT(open_bytes("", 0), -ELF_ENOTELF);
	CHECK_INT(open_bytes(magic, sizeof(magic)), -ELF_ENOTELF);
	CHECK_INT(godwarf_open("/nonexistent/gops-test", &d), -ENOENT);
	CHECK_INT(godwarf_open("/", &d), -ELF_ENOTELF);
	CHECK_STR(godwarf_strerror(-ELF_ENOTELF), "not an ELF file");
}

/* The file range of section name: 0 when there is none. */
static uint64_t section_range(const struct buf *b, const char *name, uint64_t *size)
{
	struct elfinfo e;
	uint64_t h;

	elf_info(b, &e);
	h = section_header(b, &e, name);
	if (!h)
		return 0;
	*size = rd(b->p + h + (e.is64 ? 32 : 20), e.wordsize, e.be);
	return rd(b->p + h + (e.is64 ? 24 : 16), e.wordsize, e.be);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

TEST(test_godwarf_mangled_compressed_debug_info_is_corrupt)
{
	struct buf b;
	uint64_t at, size = 0;
	unsigned char *copy;

	if (!load_fixture("sleeper", &b))
		return;
	at = section_range(&b, ".debug_info", &size);
	CHECK(at != 0 && size > 64 && at + size <= b.len);
	if (!at || size <= 64 || at + size > b.len) {
		free(b.p);
		return;
	}
	copy = malloc(b.len);
	/* The zlib stream after the 24-byte header, all garbage. */
	memcpy(copy, b.p, b.len);
	for (uint64_t i = 24; i < size; i++)
		copy[at + i] = (unsigned char)rng();
	CHECK_INT(open_bytes(copy, b.len), -GODWARF_EMALFORMED);
	/* The header's size claims 4 GiB: refused before allocating it. */
	memcpy(copy, b.p, b.len);
	memset(copy + at + 8, 0, 8);
	copy[at + 12] = 1;
	CHECK_INT(open_bytes(copy, b.len), -GODWARF_EMALFORMED);
	/* A size one byte short of the stream's. */
	memcpy(copy, b.p, b.len);
	copy[at + 8]--;
	CHECK_INT(open_bytes(copy, b.len), -GODWARF_EMALFORMED);
	/* zstd (ELFCOMPRESS_ZSTD, 2): not ours to inflate. */
	memcpy(copy, b.p, b.len);
	copy[at] = 2;
	CHECK_INT(open_bytes(copy, b.len), -GODWARF_EUNSUPPORTED);
	/* A few bytes flipped anywhere in the stream: zlib's checksum or the size says so. */
	for (int round = 0; round < 16; round++) {
		memcpy(copy, b.p, b.len);
		copy[at + 24 + rng() % (size - 24)] ^= (unsigned char)(1 + rng() % 255);
		int err = open_bytes(copy, b.len);

		CHECK(err == -GODWARF_EMALFORMED || err == 0);
	}
	free(copy);
	free(b.p);
}

TEST(test_godwarf_mangled_plain_debug_info_errs_or_answers)
{
	struct buf b;
	uint64_t at, size = 0;
	unsigned char *copy;

	if (!load_fixture("sleeper-dwarf-plain", &b))
		return;
	at = section_range(&b, ".debug_info", &size);
	CHECK(at != 0 && size > 4096 && at + size <= b.len);
	if (!at || size <= 4096 || at + size > b.len) {
		free(b.p);
		return;
	}
	copy = malloc(b.len);
	/* All of it garbage: the first unit header already fails. */
	memcpy(copy, b.p, b.len);
	for (uint64_t i = 0; i < size; i++)
		copy[at + i] = (unsigned char)rng();
	CHECK_INT(open_bytes(copy, b.len), -GODWARF_EMALFORMED);
	/* Runs of garbage in the DIEs (most of all in the runtime unit, in its last 60%). */
	for (int round = 0; round < 24; round++) {
		uint64_t start = size * 2 / 5 + rng() % (size * 3 / 5), len = 1 + rng() % 64;

		memcpy(copy, b.p, b.len);
		for (uint64_t i = start; i < start + len && i < size; i++)
			copy[at + i] = (unsigned char)rng();
		int err = open_bytes(copy, b.len);

		CHECK(err == 0 || err == -GODWARF_EMALFORMED);
	}
	/* Truncated: the section runs past the end of the file. */
	CHECK_INT(open_bytes(b.p, at + size / 2), -GODWARF_EMALFORMED);
	free(copy);
	free(b.p);
}

/* Every cut errs, but one that leaves the section table, .debug_info and .debug_abbrev whole. */
static void check_cuts(const char *name)
{
	struct buf b;
	uint64_t info, info_size = 0, abbrev, abbrev_size = 0, need;

	if (!load_fixture(name, &b))
		return;
	struct elfinfo e;

	elf_info(&b, &e);
	info = section_range(&b, ".debug_info", &info_size);
	abbrev = section_range(&b, ".debug_abbrev", &abbrev_size);
	need = e.shoff + (uint64_t)e.shnum * e.shentsize;
	if (info + info_size > need)
		need = info + info_size;
	if (abbrev + abbrev_size > need)
		need = abbrev + abbrev_size;
	CHECK(info && abbrev && need <= b.len);
	for (size_t cut = 0; cut < b.len; cut += b.len / 97 + 1) {
		int err = open_bytes(b.p, cut);

		if (cut >= need ? err != 0 : err != -ELF_ENOTELF && err != -GODWARF_EMALFORMED)
			harness_fail(__FILE__, __LINE__, "%s cut at %zu of %zu (%llu needed): %d",
				name, cut, b.len, (unsigned long long)need, err);
	}
	free(b.p);
}

TEST(test_godwarf_every_cut_errs_unless_the_dwarf_is_whole)
{
	check_cuts("sleeper");
	/* objcopy writes the section table last. */
	check_cuts("sleeper-dwarf-plain");
}

/* ---- speed ---- */

TEST(test_godwarf_open_and_30_lookups_are_fast)
{
	struct timespec t0, t1;
	double best = 1e9;

	if (access(fixture("sleeper"), F_OK) != 0)
		SKIP("no fixture %s", fixture("sleeper"));
	for (int round = 0; round < 5; round++) {
		struct godwarf *d;
		int64_t off, size;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (godwarf_open(fixture("sleeper"), &d) != 0) {
			CHECK(!"godwarf_open failed");
			return;
		}
		for (size_t i = 0; i < 30; i++)
			godwarf_member(d, go119_amd64[i].type, go119_amd64[i].path, &off, &size);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		godwarf_close(d);
		double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
			    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;

		if (ms < best)
			best = ms;
	}
	/* About 2.5 ms without sanitizers; ASan and UBSan slow our part, not libdw's. */
	if (best > 50)
		harness_fail(__FILE__, __LINE__, "open and 30 lookups took %.1f ms at best", best);
}
