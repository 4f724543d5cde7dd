// SPDX-License-Identifier: MIT
/*
 * Opening a Go process for agentless reads. The order matters for the
 * messages: a process we may not read, then one that is not Go, then one
 * whose globals or layout cannot be had, each says what is still known.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "golang/buildinfo.h"
#include "golang/pcline.h"
#include "golang/symtab.h"
#include "goruntime/globals.h"
#include "goruntime/layout_cache.h"
#include "goruntime/layout_dwarf.h"
#include "goruntime/table.h"
#include "goruntime/target.h"
#include "proc/proc.h"

static int say(char *why, size_t len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int say(char *why, size_t len, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return err;
}

int rt_go_minor(const char *v)
{
	const char *p = strstr(v, "go1.");
	long minor = 0;
	int digits = 0;

	if (!p)
		return -1;
	for (p += 4; *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
		minor = minor * 10 + (*p - '0');
	return digits ? (int)minor : -1;
}

int rt_read(struct rt_target *t, uint64_t addr, void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (procmem_maps_cover(t->maps, t->maps_len, addr, len) != 0)
		return -EFAULT;
	return procmem_read(&t->pm, addr, buf, len);
}

static int field_value(const unsigned char *p, int32_t size, uint64_t *val)
{
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (size) {
	case 1:
		*val = p[0];
		return 0;
	case 2:
		memcpy(&v16, p, 2);
		*val = v16;
		return 0;
	case 4:
		memcpy(&v32, p, 4);
		*val = v32;
		return 0;
	case 8:
		memcpy(&v64, p, 8);
		*val = v64;
		return 0;
	}
	return -EINVAL;
}

int rt_read_field(struct rt_target *t, uint64_t base, struct rt_field f, uint64_t *val)
{
	unsigned char buf[8];
	int err;

	if (!rt_known(f) || f.size <= 0 || f.size > 8)
		return -EINVAL;
	err = rt_read(t, base + (uint64_t)f.off, buf, (size_t)f.size);
	return err ? err : field_value(buf, f.size, val);
}

int rt_field_in(const void *buf, size_t len, struct rt_field f, uint64_t *val)
{
	if (!rt_known(f) || f.size <= 0 || f.size > 8 || (uint64_t)f.off + (uint64_t)f.size > len)
		return -EINVAL;
	return field_value((const unsigned char *)buf + f.off, f.size, val);
}

int rt_read_fields(
	struct rt_target *t, uint64_t base, const struct rt_field *fields, uint64_t *vals, size_t n)
{
	unsigned char buf[RT_FIELDS_SPAN];
	size_t end = 0;
	int err;

	for (size_t i = 0; i < n; i++)
		if (rt_known(fields[i]) && (size_t)fields[i].off + (size_t)fields[i].size > end)
			end = (size_t)fields[i].off + (size_t)fields[i].size;
	if (end > sizeof(buf))
		return -EINVAL;
	err = rt_read(t, base, buf, end);
	for (size_t i = 0; i < n; i++) {
		vals[i] = 0;
		if (!err && rt_known(fields[i]))
			err = rt_field_in(buf, end, fields[i], &vals[i]);
	}
	return err;
}

int rt_read_allp(struct rt_target *t, size_t max, uint64_t **ps, size_t *n)
{
	uint64_t hdr[2]; /* a slice: data pointer, length (then capacity) */
	int err;

	*ps = NULL;
	err = rt_read(t, t->addr[RT_ALLP], hdr, sizeof(hdr));
	if (err)
		return err;
	if (hdr[1] == 0 || hdr[1] > max)
		return -ERANGE;
	*n = (size_t)hdr[1];
	*ps = calloc(*n, sizeof(**ps));
	if (!*ps)
		return -ENOMEM;
	err = rt_read(t, hdr[0], *ps, *n * sizeof(**ps));
	if (err) {
		free(*ps);
		*ps = NULL;
	}
	return err;
}

/*
 * The globals from .symtab, under their old or new name (one pass for both);
 * -SYMTAB_ENOSYMTAB for a stripped binary.
 */
static int globals_from_symtab(struct rt_target *t, const struct elf_source *src,
	uint64_t size[RT_NGLOBALS], struct symtab_elf *info)
{
	struct symtab_sym s[2 * RT_NGLOBALS];
	enum rt_global of[2 * RT_NGLOBALS];
	size_t n = 0;
	int err;

	for (int g = 0; g < RT_NGLOBALS; g++) {
		of[n] = g;
		s[n++] = (struct symtab_sym){ .name = rt_global_name(g) };
		if (rt_global_new_name(g)) {
			of[n] = g;
			s[n++] = (struct symtab_sym){ .name = rt_global_new_name(g) };
		}
	}
	err = symtab_lookup_many(src, s, n, info);
	if (err)
		return err;
	for (int g = 0; g < RT_NGLOBALS; g++)
		t->addr[g] = size[g] = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i].found && !t->addr[of[i]]) {
			t->addr[of[i]] = s[i].addr;
			size[of[i]] = s[i].size;
		}
	t->globals_from = "symbols";
	return 0;
}

/* A stripped binary: the globals from the code that uses them. */
static int globals_from_code(struct rt_target *t, const struct elf_source *src,
	uint64_t size[RT_NGLOBALS], char *why, size_t len)
{
	struct rt_globals g;
	int err = rt_globals_find(src, &t->pm, t->bias, t->go_minor, &g);

	if (err)
		return say(why, len, err, "a stripped binary: %s",
			g.msg[0] ? g.msg : "its runtime globals were not found");
	for (int i = 0; i < RT_NGLOBALS; i++) {
		t->addr[i] = g.found[i] ? g.addr[i] : 0;
		size[i] = 0;
	}
	t->globals_from = "code";
	return 0;
}

/* Every global found lies inside the mappings; run-time addresses from here on. */
static int check_mapped(
	struct rt_target *t, const uint64_t size[RT_NGLOBALS], char *why, size_t len)
{
	for (int g = 0; g < RT_NGLOBALS; g++) {
		uint64_t n = size[g] ? size[g] : 4;

		if (!t->addr[g])
			continue;
		t->addr[g] += t->bias;
		if (procmem_maps_cover(t->maps, t->maps_len, t->addr[g], n) != 0)
			return say(why, len, -EFAULT,
				"%s at 0x%llx is outside process %d's mappings: the executable "
				"does not match the process",
				rt_global_name(g), (unsigned long long)t->addr[g], t->pid);
	}
	return 0;
}

/* The layout from DWARF, the table filling what DWARF lacks (or all of it). */
static int layout_for(struct rt_target *t, int exe_fd, char *why, size_t len)
{
	struct rt_layout table;
	char dwhy[160] = "";
	bool have_table, have_dwarf;

	have_dwarf = rt_layout_cache_get(exe_fd, &t->layout) == 0;
	if (!have_dwarf) {
		rt_layout_init(&t->layout);
		have_dwarf = rt_layout_from_dwarf(exe_fd, &t->layout, dwhy, sizeof(dwhy)) == 0;
		if (have_dwarf)
			rt_layout_cache_put(exe_fd, &t->layout);
	}
	have_table = rt_table_layout_of(t->go_minor, t->go_version, &table) == 0;
	if (!have_dwarf && !have_table)
		return say(why, len, -ENOENT,
			"%s has no row in the table of runtime layouts (Go 1.%d to 1.%d), and the "
			"executable %s",
			t->go_version, RT_TABLE_FIRST_MINOR, RT_TABLE_LAST_MINOR,
			dwhy[0] ? dwhy : "has no DWARF");
	if (have_table)
		rt_layout_merge(&t->layout, &table);
	return 0;
}

static int open_memory(struct rt_target *t, int pid, char *why, size_t len)
{
	int err = procmem_open(&t->pm, pid);
	ssize_t n;

	if (err == -ESRCH)
		return say(why, len, err, "no process %d", pid);
	if (err == -EACCES || err == -EPERM)
		return say(why, len, err,
			"cannot read process %d's memory: %s (needs root or CAP_SYS_PTRACE)", pid,
			strerror(-err));
	if (err)
		return say(
			why, len, err, "cannot read process %d's memory: %s", pid, strerror(-err));
	n = procmem_maps(&t->pm, &t->maps);
	if (n < 0)
		return say(why, len, (int)n, "cannot read /proc/%d/maps: %s", pid,
			n == -ESRCH ? "the process exited" : strerror((int)-n));
	t->maps_len = (size_t)n;
	return 0;
}

static int open_exe(struct rt_target *t, int *fd, struct elf_source *src, char *why, size_t len)
{
	struct stat st;
	int err;

	*fd = openat(t->pm.dirfd, "exe", O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return say(
			why, len, -errno, "cannot open /proc/%d/exe: %s", t->pid, strerror(errno));
	if (fstat(*fd, &st) != 0)
		return say(
			why, len, -errno, "cannot stat /proc/%d/exe: %s", t->pid, strerror(errno));
	*src = (struct elf_source){ .fd = *fd, .size = (uint64_t)st.st_size };
	err = buildinfo_read_version_fd(*fd, t->go_version, sizeof(t->go_version));
	if (err == -BI_ENOTGO || err == -BI_ENOTELF || err == -BI_EGCCGO)
		return say(why, len, err, "process %d is not a Go program: %s", t->pid,
			buildinfo_strerror(err));
	if (err) /* a gc-built program whose build info is gone: no version, no layout */
		return say(why, len, err, "the Go version of process %d is unknown: %s", t->pid,
			buildinfo_strerror(err));
	t->go_minor = rt_go_minor(t->go_version);
	return 0;
}

/* The load bias of a PIE (0 otherwise). */
static int load_bias(struct rt_target *t, const struct symtab_elf *info, char *why, size_t len)
{
	int err = info->pie ? procmem_load_bias(&t->pm, info->entry, &t->bias) : 0;

	if (err)
		return say(why, len, err, "cannot tell where process %d's executable is loaded: %s",
			t->pid, strerror(-err));
	return 0;
}

/* A binary without .symtab: its header, its load bias (the finder checks values in memory), its
 * code. */
static int stripped_globals(struct rt_target *t, const struct elf_source *src,
	uint64_t size[RT_NGLOBALS], struct symtab_elf *info, char *why, size_t len)
{
	int err = symtab_elf_info(src, info);

	if (err)
		return say(why, len, err, "cannot read the ELF header of /proc/%d/exe: %s", t->pid,
			symtab_strerror(err));
	err = load_bias(t, info, why, len);
	return err ? err : globals_from_code(t, src, size, why, len);
}

int rt_target_open(struct rt_target *t, int pid, char *why, size_t len)
{
	uint64_t size[RT_NGLOBALS] = { 0 };
	struct symtab_elf info = { 0 };
	struct elf_source src = { .fd = -1 };
	int fd = -1, err;

	memset(t, 0, sizeof(*t));
	t->exe_fd = -1;
	t->pid = pid;
	t->pm.dirfd = t->pm.memfd = -1;
	err = open_memory(t, pid, why, len);
	if (!err)
		err = open_exe(t, &fd, &src, why, len);
	if (!err) {
		err = globals_from_symtab(t, &src, size, &info);
		if (err == -SYMTAB_ENOSYMTAB)
			err = stripped_globals(t, &src, size, &info, why, len);
		else if (err)
			say(why, len, err, "cannot read the symbols of /proc/%d/exe: %s", pid,
				symtab_strerror(err));
	}
	if (!err && (info.machine != EM_X86_64 && info.machine != EM_AARCH64))
		err = say(why, len, -ENOTSUP, "%s executables are not read (amd64 and arm64 are)",
			info.machine == EM_386 ? "386" : "this architecture's");
	if (!err && !t->bias)
		err = load_bias(t, &info, why, len);
	if (!err)
		err = check_mapped(t, size, why, len);
	if (!err)
		err = layout_for(t, fd, why, len);
	t->exe_fd = fd;
	t->exe_src = src;
	if (err)
		rt_target_close(t);
	return err;
}

int rt_target_code(struct rt_target *t, struct functab **ft, char *why, size_t len)
{
	int err;

	if (t->ft) {
		*ft = t->ft;
		return 0;
	}
	t->ef = calloc(1, sizeof(*t->ef));
	if (!t->ef)
		return say(why, len, -ENOMEM, "out of memory");
	t->exe_src.fd = t->exe_fd;
	err = elf_open(t->ef, &t->exe_src);
	if (err) {
		free(t->ef);
		t->ef = NULL;
		return say(why, len, err, "cannot read /proc/%d/exe as ELF", t->pid);
	}
	err = functab_open(t->ef, &t->ft);
	if (!err && (err = functab_load_lines(t->ft, t->ef)) != 0) {
		functab_close(t->ft);
		t->ft = NULL;
	}
	if (err)
		return say(why, len, err, "cannot read the function table of /proc/%d/exe: %s",
			t->pid, functab_strerror(err));
	*ft = t->ft;
	return 0;
}

void rt_target_close(struct rt_target *t)
{
	if (t->ft)
		functab_close(t->ft);
	t->ft = NULL;
	if (t->ef) {
		elf_close(t->ef);
		free(t->ef);
		t->ef = NULL;
	}
	if (t->exe_fd >= 0)
		close(t->exe_fd);
	t->exe_fd = -1;
	if (t->pm.memfd >= 0 || t->pm.dirfd >= 0)
		procmem_close(&t->pm);
	t->pm.memfd = t->pm.dirfd = -1;
	free(t->maps);
	t->maps = NULL;
}
