// SPDX-License-Identifier: MIT
/*
 * Reading a running Go process's runtime globals through /proc/PID/mem: the
 * sleeper fixtures are started with GOMAXPROCS=3, their runtime.gomaxprocs
 * must read 3 and runtime.ncpu the CPU count of our affinity mask (which the
 * runtime reads with sched_getaffinity, and the child inherits). The symbol
 * addresses come from golang/symtab.c, the PIE's load bias from auxv. Also:
 * unmapped addresses, a process that exited, and the maps coverage check on
 * hand-written maps text. A missing fixture makes its test a skip.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "golang/elf.h"
#include "golang/symtab.h"
#include "harness.h"
#include "livefix.h"
#include "proc/procmem.h"

static int affinity_cpus(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return (int)sysconf(_SC_NPROCESSORS_ONLN);
	return CPU_COUNT(&set);
}

static void check_reads_runtime_globals(const char *name, bool pie)
{
	struct symtab_sym s[] = { { .name = "runtime.ncpu" }, { .name = "runtime.gomaxprocs" } };
	struct elf_source src = { .fd = open(fixture(name), O_RDONLY | O_CLOEXEC) };
	struct symtab_elf info;
	struct procmem pm;
	struct stat st;
	uint64_t bias = 1, phdr_vaddr = 0;
	static struct elf_file ef;
	int32_t ncpu = 0, gomaxprocs = 0;
	pid_t pid;

	if (src.fd < 0)
		SKIP("no fixture %s", fixture(name));
	CHECK(fstat(src.fd, &st) == 0);
	src.size = (uint64_t)st.st_size;
	CHECK_INT(symtab_lookup_many(&src, s, 2, &info), 0);
	if (elf_open(&ef, &src) == 0) {
		for (size_t i = 0; i < ef.nsegs; i++)
			if (ef.segs[i].type == 6) /* PT_PHDR */
				phdr_vaddr = ef.segs[i].vaddr;
		elf_close(&ef);
	}
	close(src.fd);
	CHECK(s[0].found && s[1].found);
	CHECK_INT(info.pie, pie);
	pid = livefix_start(name);
	if (pid < 0)
		SKIP("could not start %s", fixture(name));
	CHECK_INT(procmem_open(&pm, pid), 0);
	CHECK_INT(procmem_load_bias(&pm, info.entry, &bias), 0);
	if (pie)
		CHECK(bias != 0 && bias % 4096 == 0);
	else
		CHECK_INT(bias, 0);
	/* The other way to the bias agrees: AT_PHDR minus the PT_PHDR's vaddr. */
	{
		uint64_t phdr = 0;

		CHECK_INT(procmem_auxv(&pm, PROCMEM_AT_PHDR, &phdr), 0);
		CHECK(phdr_vaddr != 0);
		CHECK_INT(phdr - phdr_vaddr, bias);
	}
	CHECK_INT(procmem_mapped(&pm, s[0].addr + bias, 4), 0);
	CHECK_INT(procmem_mapped(&pm, s[1].addr + bias, 4), 0);
	CHECK_INT(procmem_read(&pm, s[0].addr + bias, &ncpu, sizeof(ncpu)), 0);
	CHECK_INT(procmem_read(&pm, s[1].addr + bias, &gomaxprocs, sizeof(gomaxprocs)), 0);
	CHECK_INT(gomaxprocs, 3);
	CHECK_INT(ncpu, affinity_cpus());
	procmem_close(&pm);
	livefix_stop(pid);
}

TEST(test_procmem_reads_gomaxprocs_and_ncpu_of_running_sleeper)
{
	check_reads_runtime_globals("sleeper", false);
}

TEST(test_procmem_reads_gomaxprocs_and_ncpu_of_running_pie_with_load_bias)
{
	check_reads_runtime_globals("sleeper-pie", true);
}

TEST(test_procmem_unmapped_address_is_efault)
{
	struct procmem pm;
	char buf[8];
	pid_t pid = livefix_start("sleeper");

	if (pid < 0)
		SKIP("could not start %s", fixture("sleeper"));
	CHECK_INT(procmem_open(&pm, pid), 0);
	CHECK_INT(procmem_read(&pm, 0, buf, sizeof(buf)), -EFAULT);
	CHECK_INT(procmem_read(&pm, UINT64_MAX - 3, buf, sizeof(buf)), -EFAULT);
	CHECK_INT(procmem_mapped(&pm, 0, 8), -EFAULT);
	CHECK_INT(procmem_mapped(&pm, UINT64_MAX - 3, 8), -EFAULT);
	CHECK_INT(procmem_read(&pm, 0x400000, buf, 0), 0);
	procmem_close(&pm);
	livefix_stop(pid);
}

TEST(test_procmem_exited_process_is_esrch)
{
	struct procmem pm;
	uint64_t v;
	char buf[4];
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	CHECK_INT(procmem_open(&pm, pid), -ESRCH);
	CHECK_INT(procmem_open(&pm, 0), -ESRCH);

	/* Opened while alive, read after it is gone. */
	pid = livefix_start("sleeper");
	if (pid < 0)
		SKIP("could not start %s", fixture("sleeper"));
	CHECK_INT(procmem_open(&pm, pid), 0);
	livefix_stop(pid);
	CHECK_INT(procmem_read(&pm, 0x401000, buf, sizeof(buf)), -ESRCH);
	CHECK(procmem_auxv(&pm, PROCMEM_AT_ENTRY, &v) < 0);
	CHECK(procmem_mapped(&pm, 0x401000, 4) < 0);
	procmem_close(&pm);
}

TEST(test_procmem_maps_cover_adjoining_mappings)
{
	static const char maps[] = "00400000-00401000 r--p 00000000 08:01 42 /bin/x\n"
				   "00401000-00480000 r-xp 00001000 08:01 42 /bin/x\n"
				   "00500000-00510000 rw-p 00100000 08:01 42 /bin/x\n"
				   "00510000-00530000 rw-p 00000000 00:00 0\n"
				   "7ffd0000-7ffd1000 rw-p 00000000 00:00 0 [stack]\n";
	size_t n = sizeof(maps) - 1;

	CHECK_INT(procmem_maps_cover(maps, n, 0x400000, 1), 0);
	CHECK_INT(procmem_maps_cover(maps, n, 0x400ff0, 0x20), 0);       /* adjoining */
	CHECK_INT(procmem_maps_cover(maps, n, 0x50fff0, 0x20), 0);       /* .data into .bss */
	CHECK_INT(procmem_maps_cover(maps, n, 0x47fff0, 0x20), -EFAULT); /* runs into a hole */
	CHECK_INT(procmem_maps_cover(maps, n, 0x490000, 4), -EFAULT);    /* in the hole */
	CHECK_INT(procmem_maps_cover(maps, n, 0x3fffff, 2), -EFAULT);
	CHECK_INT(procmem_maps_cover(maps, n, 0x7ffd0ffc, 4), 0);
	CHECK_INT(procmem_maps_cover(maps, n, 0x7ffd0ffc, 5), -EFAULT);
	CHECK_INT(procmem_maps_cover(maps, n, 0x400000, 0), -EFAULT);
	CHECK_INT(procmem_maps_cover(maps, n, UINT64_MAX, 2), -EFAULT);
	CHECK_INT(procmem_maps_cover("", 0, 0x400000, 1), -EFAULT);
	CHECK_INT(procmem_maps_cover("zzz\n", 4, 0x400000, 1), -EINVAL);
	CHECK_INT(procmem_maps_cover("00400000-0040", 13, 0x400000, 1), -EINVAL);
	CHECK_INT(procmem_maps_cover("11111111111111111-2 r\n", 22, 0x400000, 1), -EINVAL);
}
