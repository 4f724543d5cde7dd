// SPDX-License-Identifier: MIT
/*
 * Runtime globals found in the code of stripped binaries: the same addresses
 * as the .symtab of the unstripped build of the same program (its data moved
 * by the size of the build info, which records -ldflags: the delta of
 * .noptrdata; an external link keeps .bss where it was but moves the Go
 * data in it alike), for non-PIE, PIE and cgo;
 * the npm binaries with a .symtab (Go 1.17, 1.20) compared exactly, every
 * amd64 one of Go 1.17 to 1.25 found and consistent; a live stripped sleeper
 * with GOMAXPROCS=3 read back through /proc/PID/mem.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "golang/buildinfo.h"
#include "golang/elf.h"
#include "golang/symtab.h"
#include "goruntime/globals.h"
#include "harness.h"
#include "livefix.h"
#include "proc/procmem.h"

static const char *const names[RT_NGLOBALS] = {
	[RT_GOMAXPROCS] = "runtime.gomaxprocs",
	[RT_NCPU] = "runtime.ncpu",
	[RT_ALLGLEN] = "runtime.allglen",
	[RT_ALLGS] = "runtime.allgs",
	[RT_ALLP] = "runtime.allp",
	[RT_SCHED] = "runtime.sched",
	[RT_GCCONTROLLER] = "runtime.gcController",
	[RT_MEMSTATS] = "runtime.memstats",
	[RT_MHEAP] = "runtime.mheap_",
	[RT_CLASS_TO_SIZE] = "runtime.class_to_size",
};

static int open_src(const char *path, struct elf_source *src)
{
	struct stat st;

	*src = (struct elf_source){ .fd = open(path, O_RDONLY | O_CLOEXEC) };
	if (src->fd < 0)
		return -1;
	if (fstat(src->fd, &st) != 0) {
		close(src->fd);
		return -1;
	}
	src->size = (uint64_t)st.st_size;
	return 0;
}

/* The Go minor release from the build info: 19 for go1.19.8; -1 when unknown. */
static int go_minor(int fd)
{
	char v[64];
	const char *p;

	if (buildinfo_read_version_fd(fd, v, sizeof(v)) != 0 || !(p = strstr(v, "go1.")))
		return -1;
	return atoi(p + 4);
}

static uint64_t section_addr(const struct elf_source *src, const char *name)
{
	struct elf_file ef;
	const struct elf_sec *s;
	uint64_t a = 0;

	if (elf_open(&ef, src) != 0)
		return 0;
	s = elf_section(&ef, name);
	if (s)
		a = s->addr;
	elf_close(&ef);
	return a;
}

/*
 * The globals of code equal the symbols of syms moved by the data delta.
 * want_memstats: whether memstats is expected (Go 1.19 and later).
 */
static void check_against_symtab(const char *code_path, const char *syms_path, bool want_memstats)
{
	char code[4096], syms[4096]; /* paths under the fixture directory */
	struct symtab_sym s[RT_NGLOBALS];
	struct elf_source src, ssrc;
	struct rt_globals g;
	uint64_t delta = 0;
	int err;

	snprintf(code, sizeof(code), "%s/%s", fixture_dir(), code_path);
	snprintf(syms, sizeof(syms), "%s/%s", fixture_dir(), syms_path);
	if (open_src(code, &src) != 0)
		SKIP("no fixture %s", code);
	if (open_src(syms, &ssrc) != 0) {
		close(src.fd);
		SKIP("no fixture %s", syms);
	}
	delta = section_addr(&src, ".noptrdata") - section_addr(&ssrc, ".noptrdata");
	for (int i = 0; i < RT_NGLOBALS; i++)
		s[i] = (struct symtab_sym){ .name = names[i] };
	CHECK_INT(symtab_lookup_many(&ssrc, s, RT_NGLOBALS, NULL), 0);
	err = rt_globals_find(&src, NULL, 0, go_minor(src.fd), &g);
	if (err)
		harness_fail(__FILE__, __LINE__, "%s: %d: %s", code, err, g.msg);
	for (int i = 0; i < RT_NGLOBALS; i++) {
		if (i == RT_MEMSTATS && !want_memstats) {
			CHECK(!g.found[i]);
			continue;
		}
		if (!g.found[i] || !s[i].found || g.addr[i] != s[i].addr + delta)
			harness_fail(__FILE__, __LINE__,
				"%s: %s found %d at 0x%llx, symbol 0x%llx + 0x%llx", code, names[i],
				g.found[i], (unsigned long long)g.addr[i],
				(unsigned long long)s[i].addr, (unsigned long long)delta);
	}
	CHECK(g.sched_lock == g.addr[RT_SCHED] + 24);
	if (want_memstats)
		CHECK_STR(g.msg, "");
	close(src.fd);
	close(ssrc.fd);
}

TEST(test_globals_of_sleeper_stripped_are_sleepers_symbols)
{
	check_against_symtab("sleeper-stripped", "sleeper", true);
}

TEST(test_globals_of_sleeper_are_its_own_symbols)
{
	check_against_symtab("sleeper", "sleeper", true);
}

TEST(test_globals_of_a_stripped_pie_are_the_pies_symbols)
{
	check_against_symtab("sleeper-pie", "sleeper-pie", true);
	check_against_symtab("sleeper-pie-stripped", "sleeper-pie", true);
}

TEST(test_globals_of_stripped_cgo_are_cgos_symbols)
{
	check_against_symtab("cgo", "cgo", true);
	check_against_symtab("cgo-stripped", "cgo", true);
}

TEST(test_globals_of_go117_and_go120_npm_binaries_are_their_symbols)
{
	check_against_symtab("npm/buildifier-5.1.0", "npm/buildifier-5.1.0", false); /* 1.17.2 */
	check_against_symtab("npm/buildifier-6.1.2", "npm/buildifier-6.1.2", true);  /* 1.20.3 */
}

/* Every amd64 npm binary of Go 1.17 and later: all found, none outside the rules' checks. */
TEST(test_globals_are_found_in_every_npm_binary_of_go117_and_later)
{
	char dirpath[4096];
	struct dirent *e;
	int seen = 0;
	DIR *d;

	snprintf(dirpath, sizeof(dirpath), "%s/npm", fixture_dir());
	d = opendir(dirpath);
	if (!d)
		SKIP("no %s (tests/fixtures/npm.sh fetches them)", dirpath);
	while ((e = readdir(d))) {
		struct elf_source src;
		struct rt_globals g;
		int minor, err;

		if (!npm_fixture_is_binary(e->d_name) || strstr(e->d_name, "arm64") ||
			open_src(npm_fixture(e->d_name), &src) != 0)
			continue;
		minor = go_minor(src.fd);
		if (minor < 17) {
			close(src.fd);
			continue;
		}
		seen++;
		err = rt_globals_find(&src, NULL, 0, minor, &g);
		if (err)
			harness_fail(__FILE__, __LINE__, "%s (go1.%d): %d: %s", e->d_name, minor,
				err, g.msg);
		for (int i = 0; i < RT_NGLOBALS; i++)
			if (g.found[i] != (i != RT_MEMSTATS || minor >= 19))
				harness_fail(__FILE__, __LINE__, "%s (go1.%d): %s found %d",
					e->d_name, minor, names[i], g.found[i]);
		CHECK(g.sched_lock - g.addr[RT_SCHED] == (minor <= 23 ? 24u : 32u));
		close(src.fd);
	}
	closedir(d);
	if (!seen)
		SKIP("no npm binary of Go 1.17 or later in %s", dirpath);
}

TEST(test_globals_are_not_looked_for_in_arm64_code)
{
	struct elf_source src;
	struct rt_globals g;

	if (open_src(fixture("sleeper-arm64"), &src) != 0)
		SKIP("no fixture sleeper-arm64");
	CHECK_INT(rt_globals_find(&src, NULL, 0, 19, &g), -ENOTSUP);
	CHECK(strstr(g.msg, "amd64") != NULL);
	close(src.fd);
}

TEST(test_globals_say_what_is_missing_in_a_go116_binary)
{
	struct elf_source src;
	struct rt_globals g;

	if (open_src(npm_fixture("esbuild-0.8.57"), &src) != 0) /* go1.16 */
		SKIP("no fixture %s", npm_fixture("esbuild-0.8.57"));
	CHECK_INT(rt_globals_find(&src, NULL, 0, 16, &g), -ENOENT);
	CHECK(strstr(g.msg, "not found in the code: runtime.gomaxprocs") != NULL);
	close(src.fd);
}

static void check_live(const char *name, bool pie)
{
	struct symtab_elf info;
	struct elf_source src;
	struct procmem pm;
	struct rt_globals g;
	uint64_t bias = 0;
	int32_t gmp = 0;
	pid_t pid;

	if (open_src(fixture(name), &src) != 0)
		SKIP("no fixture %s", name);
	pid = livefix_start(name);
	if (pid < 0) {
		close(src.fd);
		SKIP("could not start %s", name);
	}
	CHECK_INT(procmem_open(&pm, pid), 0);
	CHECK_INT(symtab_elf_info(&src, &info), 0);
	CHECK_INT(info.pie, pie);
	if (pie)
		CHECK_INT(procmem_load_bias(&pm, info.entry, &bias), 0);
	CHECK_INT(rt_globals_find(&src, &pm, bias, 19, &g), 0);
	CHECK_STR(g.msg, "");
	CHECK_INT(procmem_read(&pm, g.addr[RT_GOMAXPROCS] + bias, &gmp, 4), 0);
	CHECK_INT(gmp, 3);
	procmem_close(&pm);
	livefix_stop(pid);
	close(src.fd);
}

TEST(test_globals_of_a_running_stripped_sleeper_read_gomaxprocs_3)
{
	check_live("sleeper-stripped", false);
}

TEST(test_globals_of_a_running_stripped_pie_read_gomaxprocs_3)
{
	check_live("sleeper-pie-stripped", true);
}

/* A wrong bias: the values read are not the runtime's, and the check says so. */
TEST(test_globals_with_the_wrong_bias_fail_the_memory_check)
{
	struct elf_source src;
	struct procmem pm;
	struct rt_globals g;
	pid_t pid;
	int err;

	if (open_src(fixture("sleeper-stripped"), &src) != 0)
		SKIP("no fixture sleeper-stripped");
	pid = livefix_start("sleeper-stripped");
	if (pid < 0) {
		close(src.fd);
		SKIP("could not start sleeper-stripped");
	}
	CHECK_INT(procmem_open(&pm, pid), 0);
	err = rt_globals_find(&src, &pm, 8, 19, &g);
	CHECK(err == -EINVAL || err == -EFAULT);
	CHECK(strstr(g.msg, "process") != NULL);
	procmem_close(&pm);
	livefix_stop(pid);
	close(src.fd);
}

/*
 * From Go 1.25 two globals have other names in .symtab (measured in go1.26.10
 * and go1.27.3 builds): the symbol lookup tries both; the others have one.
 */
TEST(test_globals_new_names_from_go125)
{
	CHECK_STR(rt_global_new_name(RT_NCPU), "runtime.numCPUStartup");
	CHECK_STR(rt_global_new_name(RT_CLASS_TO_SIZE), "internal/runtime/gc.SizeClassToSize");
	for (int g = 0; g < RT_NGLOBALS; g++)
		if (g != RT_NCPU && g != RT_CLASS_TO_SIZE)
			CHECK(rt_global_new_name(g) == NULL);
	CHECK(rt_global_new_name(RT_NGLOBALS) == NULL);
}
