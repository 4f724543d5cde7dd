/* SPDX-License-Identifier: MIT */
/*
 * Reading a running process's memory through /proc/PID/mem, without stopping,
 * signalling or writing to it: the agentless way to a Go runtime global. The
 * files of one process (mem, auxv, maps) are opened relative to one
 * /proc/PID directory fd, so a pid reused after the open is never read.
 * A read needs ptrace access to the target (same user without yama's
 * restrictions, or CAP_SYS_PTRACE), as /proc/PID/mem checks it at open.
 */
#ifndef GOPS_PROCMEM_H
#define GOPS_PROCMEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PROCMEM_AT_PHDR 3
#define PROCMEM_AT_ENTRY 9

struct procmem {
	int pid;
	int dirfd; /* /proc/PID, O_PATH */
	int memfd; /* /proc/PID/mem, O_RDONLY */
};

/* Opens /proc/PID/mem read-only. Returns 0, -ESRCH when there is no such process, or -errno. */
int procmem_open(struct procmem *pm, int pid);
void procmem_close(struct procmem *pm);

/*
 * Reads len bytes at addr with pread. Returns 0; -EFAULT when part of the
 * range is not mapped (the kernel's EIO, or a short read); -ESRCH when the
 * process has exited since the open (its memory is gone: reads return 0
 * bytes); or another -errno.
 */
int procmem_read(struct procmem *pm, uint64_t addr, void *buf, size_t len);

/* The value of one /proc/PID/auxv entry. Returns 0, -ENOENT when absent, or -errno. */
int procmem_auxv(struct procmem *pm, uint64_t type, uint64_t *val);

/*
 * How far the executable was moved when loaded: AT_ENTRY from /proc/PID/auxv
 * minus elf_entry, the e_entry of the executable's ELF header (0 for a
 * non-PIE). AT_ENTRY rather than AT_PHDR because every executable has an
 * entry point, while PT_PHDR is optional (static binaries often lack it).
 * Wrong only when the program was started as an argument of ld.so, whose
 * entry the kernel then recorded. Returns 0, -EINVAL when AT_ENTRY is below
 * elf_entry, or an error of procmem_auxv().
 */
int procmem_load_bias(struct procmem *pm, uint64_t elf_entry, uint64_t *bias);

/*
 * Whether [addr, addr+len) lies inside the mappings of /proc/PID/maps, one
 * mapping or several adjoining ones (.data, then .bss in an anonymous one).
 * Returns 0, -EFAULT when it does not (or wraps), or -errno.
 */
int procmem_mapped(struct procmem *pm, uint64_t addr, uint64_t len);

/*
 * The text of /proc/PID/maps, in *buf (the caller frees it), for many checks
 * against one reading. Returns its length, -ESRCH or -errno.
 */
ssize_t procmem_maps(struct procmem *pm, char **buf);

/*
 * The same check against the text of a maps file (for tests): 0 or -EFAULT;
 * -EINVAL when a line is not "START-END ...".
 */
int procmem_maps_cover(const char *maps, size_t n, uint64_t addr, uint64_t len);

#endif
