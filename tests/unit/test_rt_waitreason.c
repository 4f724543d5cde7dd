// SPDX-License-Identifier: MIT
/*
 * The names of G states per Go release (goruntime/waitreason.c): the wait
 * reasons in each release's enum order, the _G status names, what the
 * runtime prints past the end of either array, no names outside
 * 1.17..1.27; and both tables equal runtime.waitReasonStrings and
 * runtime.gStatusStrings as the fixtures built by go1.17.2, go1.19.8 and
 * go1.20.3 carry them in their .data (so did the go1.26.10 and go1.27.3
 * builds that test_rt_table.c's rows were measured on).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildinfo_helpers.h"
#include "golang/elf.h"
#include "golang/symtab.h"
#include "goruntime/table.h"
#include "goruntime/waitreason.h"
#include "harness.h"

TEST(test_rt_wait_reason_go119_chan_receive_is_its_enum_index)
{
	/* runtime2.go of go1.19: waitReasonChanReceive is the 15th of the enum */
	CHECK_STR(rt_wait_reason(19, 14), "chan receive");
	CHECK_STR(rt_wait_reason(19, 15), "chan send");
	CHECK_STR(rt_wait_reason(19, 2), "IO wait");
	CHECK_STR(rt_wait_reason(19, 9), "select");
	CHECK_STR(rt_wait_reason(19, 19), "sleep");
	CHECK_STR(rt_wait_reason(19, 21), "timer goroutine (idle)");
	CHECK_STR(rt_wait_reason(19, 26), "debug call");
}

TEST(test_rt_wait_reason_follows_each_release_enum)
{
	/* 1.20 drops timer goroutine (idle) for the sync.Mutex waits */
	CHECK_STR(rt_wait_reason(20, 21), "sync.Mutex.Lock");
	CHECK_STR(rt_wait_reason(21, 31), "stopping the world");
	CHECK_STR(rt_wait_reason(22, 36), "coroutine");
	/* appended in go1.23.4 */
	CHECK_STR(rt_wait_reason(23, 37), "GC weak to strong wait");
	/* 1.24 inserts sync.WaitGroup.Wait after the sync.RWMutex waits */
	CHECK_STR(rt_wait_reason(24, 24), "sync.WaitGroup.Wait");
	CHECK_STR(rt_wait_reason(24, 14), "chan receive");
	/* 1.25 inserts the GOMAXPROCS updater: chan receive is still 14, sleep one on */
	CHECK_STR(rt_wait_reason(25, 18), "GOMAXPROCS updater (idle)");
	CHECK_STR(rt_wait_reason(25, 20), "sleep");
	CHECK_STR(rt_wait_reason(25, 42), "chan receive (durable)");
	/* 1.26 regroups the channel waits after sleep */
	for (int m = 26; m <= 27; m++) {
		CHECK_STR(rt_wait_reason(m, 3), "dumping heap");
		CHECK_STR(rt_wait_reason(m, 14), "sleep");
		CHECK_STR(rt_wait_reason(m, 16), "chan send (nil chan)");
		CHECK_STR(rt_wait_reason(m, 18), "select");
		CHECK_STR(rt_wait_reason(m, 19), "chan receive");
		CHECK_STR(rt_wait_reason(m, 21), "sync.Cond.Wait");
		CHECK_STR(rt_wait_reason(m, 46), "cleanup wait");
	}
}

TEST(test_rt_wait_reason_counts_zero_and_past_the_end)
{
	static const unsigned count[] = { 27, 27, 27, 32, 32, 37, 38, 44, 47, 47, 47 };

	CHECK_INT(RT_TABLE_LAST_MINOR - RT_TABLE_FIRST_MINOR + 1, sizeof(count) / sizeof(count[0]));
	for (int m = RT_TABLE_FIRST_MINOR; m <= RT_TABLE_LAST_MINOR; m++) {
		unsigned n = rt_wait_reason_count(m);

		CHECK_INT(n, count[m - RT_TABLE_FIRST_MINOR]);
		CHECK_STR(rt_wait_reason(m, 0), ""); /* waitReasonZero */
		/* as waitReason.String says past len(waitReasonStrings) */
		CHECK_STR(rt_wait_reason(m, n), "unknown wait reason");
		CHECK_STR(rt_wait_reason(m, 255), "unknown wait reason");
		CHECK_STR(rt_wait_reason(m, UINT_MAX), "unknown wait reason");
		/* every other reason has a name of its own */
		for (unsigned i = 1; i < n; i++) {
			CHECK(rt_wait_reason(m, i) && rt_wait_reason(m, i)[0] != '\0');
			for (unsigned j = 1; j < i; j++)
				CHECK(strcmp(rt_wait_reason(m, i), rt_wait_reason(m, j)) != 0);
		}
	}
	static const int outside[] = { 16, 28, 0, -1, INT_MIN, INT_MAX };
	for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		CHECK(rt_wait_reason(outside[i], 0) == NULL);
		CHECK(rt_wait_reason(outside[i], 14) == NULL);
		CHECK_INT(rt_wait_reason_count(outside[i]), 0);
		CHECK(rt_g_status(outside[i], RT_G_RUNNING) == NULL);
	}
}

TEST(test_rt_g_status_names_and_the_scan_bit)
{
	for (int m = RT_TABLE_FIRST_MINOR; m <= RT_TABLE_LAST_MINOR; m++) {
		CHECK_STR(rt_g_status(m, RT_G_IDLE), "idle");
		CHECK_STR(rt_g_status(m, RT_G_RUNNABLE), "runnable");
		CHECK_STR(rt_g_status(m, RT_G_RUNNING), "running");
		CHECK_STR(rt_g_status(m, RT_G_SYSCALL), "syscall");
		CHECK_STR(rt_g_status(m, RT_G_WAITING), "waiting");
		CHECK_STR(rt_g_status(m, RT_G_MORIBUND_UNUSED), "");
		CHECK_STR(rt_g_status(m, RT_G_DEAD), "dead");
		CHECK_STR(rt_g_status(m, RT_G_ENQUEUE_UNUSED), "");
		CHECK_STR(rt_g_status(m, RT_G_COPYSTACK), "copystack");
		CHECK_STR(rt_g_status(m, RT_G_PREEMPTED), "preempted");
		/* _Gscanrunning, _Gscanwaiting: the name without the scan bit */
		CHECK_STR(rt_g_status(m, RT_G_SCAN | RT_G_RUNNING), "running");
		CHECK_STR(rt_g_status(m, RT_G_SCAN | RT_G_WAITING), "waiting");
		CHECK_STR(rt_g_status(m, 0x2000), "???");
		CHECK_STR(rt_g_status(m, UINT32_MAX), "???");
	}
	/* _Gleaked and _Gdeadextra are from 1.26 */
	CHECK_STR(rt_g_status(25, RT_G_LEAKED), "???");
	CHECK_STR(rt_g_status(25, RT_G_DEADEXTRA), "???");
	for (int m = 26; m <= 27; m++) {
		CHECK_STR(rt_g_status(m, RT_G_LEAKED), "leaked");
		CHECK_STR(rt_g_status(m, RT_G_SCAN | RT_G_LEAKED), "leaked");
		CHECK_STR(rt_g_status(m, RT_G_DEADEXTRA), "waiting for cgo callback");
		CHECK_STR(rt_g_status(m, 12), "???");
	}
}

/*
 * Reads the Go string array at symbol sym ([N]string: {ptr, len} pairs) of
 * the executable and checks it against name(minor, i) for each i; returns
 * the array's length, or -1 when the executable lacks it.
 */
static int check_strings(struct elf_file *ef, const struct elf_source *src, const char *sym,
	int minor, const char *(*name)(int, unsigned))
{
	uint64_t addr, size, off, avail;
	int n;

	if (symtab_lookup(src, sym, &addr, &size) != 0 || size % 16 != 0 || size > 16 * 256)
		return -1;
	n = (int)(size / 16);
	for (int i = 0; i < n; i++) {
		unsigned char hdr[16];
		char s[64] = "";
		uint64_t p, len;

		CHECK_INT(elf_vaddr_to_offset(ef, addr + 16 * (uint64_t)i, &off, &avail), 0);
		CHECK_INT(elf_read(ef, off, hdr, sizeof(hdr)), 0);
		p = elf_get(ef, hdr, 8);
		len = elf_get(ef, hdr + 8, 8);
		CHECK(len < sizeof(s));
		if (len > 0 && len < sizeof(s)) {
			CHECK_INT(elf_vaddr_to_offset(ef, p, &off, &avail), 0);
			CHECK_INT(elf_read(ef, off, s, len), 0);
		}
		if (!name(minor, (unsigned)i) || strcmp(name(minor, (unsigned)i), s) != 0)
			harness_fail(__FILE__, __LINE__,
				"go1.%d: %s[%d] is \"%s\", the table says \"%s\"", minor, sym, i, s,
				name(minor, (unsigned)i) ? name(minor, (unsigned)i) : "(null)");
	}
	return n;
}

static const char *g_status_name(int minor, unsigned status)
{
	return rt_g_status(minor, status);
}

static void check_against_binary(const char *name, int minor)
{
	const char *path = fixture(name);
	struct elf_source src = { .fd = open(path, O_RDONLY | O_CLOEXEC) };
	struct elf_file ef;
	struct stat st;

	if (src.fd < 0) {
		skip_missing(path);
		return;
	}
	CHECK(fstat(src.fd, &st) == 0);
	src.size = (uint64_t)st.st_size;
	CHECK_INT(elf_open(&ef, &src), 0);
	CHECK_INT(check_strings(&ef, &src, "runtime.waitReasonStrings", minor, rt_wait_reason),
		rt_wait_reason_count(minor));
	CHECK_INT(check_strings(&ef, &src, "runtime.gStatusStrings", minor, g_status_name),
		minor >= 26 ? 12 : 10);
	elf_close(&ef);
	close(src.fd);
}

TEST(test_rt_wait_reasons_are_the_sleeper_runtime_strings)
{
	check_against_binary("sleeper", 19); /* Debian's go1.19.8 */
}

TEST(test_rt_wait_reasons_are_a_go1172_runtime_strings)
{
	check_against_binary("npm/buildifier-5.1.0", 17);
}

TEST(test_rt_wait_reasons_are_a_go1203_runtime_strings)
{
	check_against_binary("npm/buildifier-6.1.2", 20);
}
