// SPDX-License-Identifier: MIT
/*
 * The crash text probes: one uprobe per Go executable, at its
 * runtime.gwrite, the one door of everything the Go runtime prints (the
 * kernel side keeps what follows a crash header: bpf/tracer.bpf.c). A probe
 * sits on the file, so every process running it, now or later, is covered
 * and no other process pays anything. Placed when the loader first sees the
 * executable run (its exec, or the start-up /proc scan): a first run that
 * crashes within milliseconds of its exec may be over before.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "golang/elf.h"
#include "golang/functab.h"
#include "golang/symtab.h"
#include "live/loader.h"
#include "proc/proc.h"
#include "tracer.skel.h"

#define EM_X86_64_ 62
#define EM_AARCH64_ 183

static bool host_machine(uint16_t machine)
{
#if defined(__x86_64__)
	return machine == EM_X86_64_;
#elif defined(__aarch64__)
	return machine == EM_AARCH64_;
#else
	(void)machine;
	return false;
#endif
}

/* The file offset of a virtual address, from the load segment holding it; 0 if none. */
static uint64_t file_offset(const struct elf_file *ef, uint64_t vaddr)
{
	for (size_t i = 0; i < ef->nsegs; i++) {
		const struct elf_seg *s = &ef->segs[i];

		if (s->type == ELFR_PT_LOAD && vaddr >= s->vaddr && vaddr - s->vaddr < s->filesz)
			return vaddr - s->vaddr + s->offset;
	}
	return 0;
}

/* The minor release of a "go1.N[.P]" version (anywhere in v, as in "devel go1.22-abc"), or -1. */
static int go_minor(const char *v)
{
	const char *p = v ? strstr(v, "go1.") : NULL;
	int n = 0;

	if (!p || p[4] < '0' || p[4] > '9')
		return -1;
	for (p += 4; *p >= '0' && *p <= '9' && n < 1000; p++)
		n = n * 10 + (*p - '0');
	return n;
}

/* Whether gwrite takes its slice in registers: Go's register ABI, amd64 1.17+, arm64 1.18+. */
static bool regabi(uint16_t machine, int minor)
{
	return (machine == EM_X86_64_ && minor >= 17) || (machine == EM_AARCH64_ && minor >= 18);
}

/*
 * Where to probe the file behind fd, and how (*mode): runtime.gwrite, the
 * sink of the runtime's print alone (not of its other writes, such as the
 * netpoller's wake-ups), when the Go version says its ABI; else
 * runtime.write1, or for Go 1.13 and earlier the assembly runtime.write with
 * the same ABI0 arguments. 0 when none can be probed.
 */
static uint64_t print_offset(int fd, const struct stat *st, const char *version, uint64_t *mode)
{
	struct elf_source src = { .fd = fd, .size = (uint64_t)st->st_size };
	struct elf_file ef;
	struct functab *ft = NULL;
	uint64_t entry = 0, end, off = 0;
	int minor = go_minor(version);

	if (elf_open(&ef, &src) != 0)
		return 0;
	if (!host_machine(ef.machine)) {
		elf_close(&ef);
		return 0;
	}
	/* Before Go 1.16 the function table is not one we read: the symbol table, unless stripped.
	 */
	if (minor >= 0 && minor < 16 && symtab_lookup(&src, "runtime.gwrite", &entry, &end) == 0) {
		*mode = GOPS_PROBE_GWRITE_STACK;
		off = file_offset(&ef, entry);
	} else if (functab_open(&ef, &ft) == 0) {
		if (minor >= 0 && functab_find(ft, "runtime.gwrite", &entry, &end) == 0) {
			*mode = regabi(ef.machine, minor) ? GOPS_PROBE_GWRITE_REGS
							  : GOPS_PROBE_GWRITE_STACK;
			off = file_offset(&ef, entry);
		} else if (functab_find(ft, "runtime.write1", &entry, &end) == 0 ||
			   (functab_version(ft) < PCLNTAB_GO116 &&
				   functab_find(ft, "runtime.write", &entry, &end) == 0)) {
			*mode = GOPS_PROBE_WRITE1;
			off = file_offset(&ef, entry);
		}
		functab_close(ft);
	}
	elf_close(&ef);
	return off;
}

static struct probe *find_probe(struct tracer *t, uint64_t dev, uint64_t ino)
{
	for (size_t i = 0; i < t->nprobes; i++)
		if (t->probes[i].dev == dev && t->probes[i].ino == ino)
			return &t->probes[i];
	return NULL;
}

/*
 * A slot for a new probe: a free one, else the one whose executable ran
 * least recently (deploys replace executables: their old files would
 * otherwise fill the table for good). NULL without memory.
 */
static struct probe *probe_slot(struct tracer *t)
{
	struct probe *old;

	if (!t->probes) {
		t->probes = calloc(PROBES_MAX, sizeof(*t->probes));
		if (!t->probes)
			return NULL;
	}
	if (t->nprobes < PROBES_MAX)
		return &t->probes[t->nprobes++];
	old = &t->probes[0];
	for (size_t i = 1; i < t->nprobes; i++)
		if (t->probes[i].seen < old->seen)
			old = &t->probes[i];
	bpf_link__destroy(old->link);
	memset(old, 0, sizeof(*old));
	return old;
}

/*
 * Probes the executable of Go process pid (of Go version, from its build
 * info), unless it is probed already. The
 * identity is the file's own (fstat), as the kernel's events and /proc may
 * spell the device differently: two probes on one file would keep each piece
 * twice.
 */
void probe_go_exe(struct tracer *t, uint32_t pid, const char *version)
{
	DECLARE_LIBBPF_OPTS(bpf_uprobe_opts, uo);
	uint64_t off, mode = GOPS_PROBE_WRITE1;
	char path[64], v[GOPS_GOVERSION_LEN + 1];
	struct probe *p = NULL;
	struct stat st;
	int fd;

	if (!t->has_crash_text)
		return;
	fd = proc_open_exe((int)pid);
	if (fd < 0)
		return; /* gone: its next run is probed */
	t->probe_clock++;
	if (fstat(fd, &st) < 0 || (p = find_probe(t, (uint64_t)st.st_dev, (uint64_t)st.st_ino))) {
		if (p)
			p->seen = t->probe_clock;
		close(fd);
		return;
	}
	snprintf(v, sizeof(v), "%.*s", GOPS_GOVERSION_LEN, version); /* a row's may fill it */
	off = print_offset(fd, &st, v, &mode);
	close(fd);
	p = probe_slot(t);
	if (!p)
		return;
	p->dev = (uint64_t)st.st_dev;
	p->ino = (uint64_t)st.st_ino;
	p->seen = t->probe_clock;
	if (!off)
		return;
	/* The kernel opens the path: /proc/PID/exe reaches the file in any mount namespace. */
	snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	uo.bpf_cookie = mode;
	p->link = bpf_program__attach_uprobe_opts(t->skel->progs.go_print, -1, path, off, &uo);
	if (!p->link && t->opts.verbose)
		fprintf(stderr, "gops daemon: cannot probe %s for crash text: %s\n", path,
			strerror(errno));
}

void probes_close(struct tracer *t)
{
	for (size_t i = 0; i < t->nprobes; i++)
		bpf_link__destroy(t->probes[i].link);
	free(t->probes);
	t->probes = NULL;
	t->nprobes = 0;
}
