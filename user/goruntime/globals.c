// SPDX-License-Identifier: MIT
/*
 * Runtime globals from the code that uses them. The patterns, with the
 * source lines (the runtime package, the same from Go 1.17 to 1.27 unless said):
 *
 *   ncpu        runtime.osinit: "ncpu = getproccount()" ("numCPUStartup =
 *               getCPUCount()" from 1.25): the first 32-bit store to a
 *               global after the first CALL. runtime.NumCPU, when linked in:
 *               "return int(ncpu)", a 32-bit load right before RET.
 *   gomaxprocs  runtime.GOMAXPROCS: "lock(&sched.lock); ret :=
 *               int(gomaxprocs)": LEA &sched.lock into AX, CALL, then the
 *               first 32-bit load. runtime.procresize must use it too.
 *   allgs       runtime.allgadd: "allgs = append(allgs, gp)" writes the
 *               slice's three words; the only global whose A, A+8 and A+16
 *               are all stored to.
 *   allglen     the same: "atomic.Storeuintptr(&allglen, ...)", the last XCHG.
 *   allp        runtime.procresize: "allp = nallp" etc., the one global with
 *               A, A+8 and A+16 stored to.
 *   sched       runtime.newproc1: "sched.goidgen.Add(_GoidCacheBatch)",
 *               goidgen being schedt's first field and _GoidCacheBatch 16:
 *               LOCK XADDQ of a register just set to 16 into a global.
 *               Checked with &sched.lock: lock is at 24 (goidgen, lastpoll,
 *               pollUntil before it) or 32 (pollingNet int32 added before it).
 *   gcController runtime.gcinit: "gcController.init(...)": the receiver (LEA
 *               into AX) of the CALL to runtime.(*gcControllerState).init.
 *   mheap_      runtime.mallocinit: "mheap_.init()", the same way.
 *   memstats    runtime.(*mcache).refill: "memstats.heapStats.acquire()"; from
 *               Go 1.19, heapStats is mstats' first field (runtime/mstats.go).
 *   class_to_size runtime.mallocinit: "class_to_size[_TinySizeClass] !=
 *               _TinySize" (2, 16; gc.SizeClassToSize from 1.25): a
 *               16-bit CMP with 16 at class_to_size+4; checked in the file,
 *               where the table starts 0, 8, 16.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golang/functab.h"
#include "golang/x86.h"
#include "goruntime/globals.h"

#define EM_X86_64_ 62
#define FN_MAX (64u << 10)  /* bytes of one function decoded at most */
#define GOID_CACHE_BATCH 16 /* runtime/proc.go: _GoidCacheBatch */
#define TINY_SIZE_CLASS 2   /* runtime/malloc.go: _TinySizeClass */
#define TINY_SIZE 16        /* runtime/malloc.go: _TinySize */
#define MAX_GOMAXPROCS 1024 /* what we believe; the runtime allows more */
#define MAX_NCPU 65536

struct code {
	const char *name;
	uint64_t entry, end;
	struct x86_insn *in;
	size_t n;
	bool cut; /* decoding stopped at an opcode the decoder does not know */
};

struct ctx {
	struct elf_file *ef;
	struct functab *ft;
	struct rt_globals *out;
	int go_minor;
	int err; /* the first disagreement: -EINVAL */
};

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

const char *rt_global_name(enum rt_global g)
{
	return g < RT_NGLOBALS ? names[g] : "?";
}

/*
 * Go 1.25 renamed ncpu (runtime2.go: "numCPUStartup int32", set by osinit)
 * and moved class_to_size to internal/runtime/gc (sizeclasses.go: "var
 * SizeClassToSize"); go1.25 to go1.27 keep both names.
 */
static const char *const new_names[RT_NGLOBALS] = {
	[RT_NCPU] = "runtime.numCPUStartup",
	[RT_CLASS_TO_SIZE] = "internal/runtime/gc.SizeClassToSize",
};

const char *rt_global_new_name(enum rt_global g)
{
	return g < RT_NGLOBALS ? new_names[g] : NULL;
}

static void note(struct rt_globals *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends one clause to the message ("; " between clauses). */
static void note(struct rt_globals *out, const char *fmt, ...)
{
	size_t used = strlen(out->msg);
	va_list ap;

	if (used + 3 >= sizeof(out->msg))
		return;
	if (used) {
		memcpy(out->msg + used, "; ", 3);
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(out->msg + used, sizeof(out->msg) - used, fmt, ap);
	va_end(ap);
}

/* Decodes the named function up to its end, or to the first opcode not known. */
static int decode(struct ctx *c, const char *name, struct code *code)
{
	uint64_t off, avail, size;
	unsigned char *buf;
	size_t pos = 0, cap = 0;
	int err;

	memset(code, 0, sizeof(*code));
	code->name = name;
	err = functab_find(c->ft, name, &code->entry, &code->end);
	if (err)
		return err;
	size = code->end - code->entry;
	if (elf_vaddr_to_offset(c->ef, code->entry, &off, &avail) != 0 || size == 0)
		return -ENOENT;
	if (size > avail)
		size = avail;
	if (size > FN_MAX)
		size = FN_MAX;
	buf = malloc((size_t)size);
	if (!buf)
		return -ENOMEM;
	err = elf_read(c->ef, off, buf, (size_t)size);
	while (!err && pos < size) {
		struct x86_insn in;

		if (x86_decode(buf + pos, (size_t)size - pos, code->entry + pos, &in) != 0) {
			code->cut = true;
			break;
		}
		if (code->n == cap) {
			size_t ncap = cap ? 2 * cap : 256;
			struct x86_insn *p = realloc(code->in, ncap * sizeof(*p));

			if (!p) {
				err = -ENOMEM;
				break;
			}
			code->in = p;
			cap = ncap;
		}
		code->in[code->n++] = in;
		pos += in.len;
	}
	free(buf);
	if (err) {
		free(code->in);
		code->in = NULL;
		code->n = 0;
	}
	return err == -ELF_EMALFORMED ? -ENOENT : err;
}

static void code_free(struct code *code)
{
	free(code->in);
	code->in = NULL;
}

/* The global instruction i accesses: RIP-relative, or through a register the LEA before it set. */
static bool global_of(const struct code *code, size_t i, uint64_t *addr)
{
	const struct x86_insn *in = &code->in[i], *prev = i ? &code->in[i - 1] : NULL;

	if (in->kind == X86_LEA)
		return in->mem == X86_MEM_RIP ? (*addr = in->target, true) : false;
	if (in->mem == X86_MEM_RIP) {
		*addr = in->target;
		return true;
	}
	if (in->mem == X86_MEM_BASE && prev && prev->kind == X86_LEA && prev->mem == X86_MEM_RIP &&
		prev->width == 8 && prev->reg == (int)in->base) {
		*addr = prev->target + (uint64_t)in->disp;
		return true;
	}
	return false;
}

/* Whether addr lies in a writable loaded segment (data or bss) for len bytes. */
static bool in_data(const struct elf_file *ef, uint64_t addr, uint64_t len)
{
	for (size_t i = 0; i < ef->nsegs; i++) {
		const struct elf_seg *s = &ef->segs[i];
		uint64_t size = s->memsz > s->filesz ? s->memsz : s->filesz;

		if (s->type == ELFR_PT_LOAD && (s->flags & ELFR_PF_W) && addr >= s->vaddr &&
			addr - s->vaddr < size && len <= size - (addr - s->vaddr))
			return true;
	}
	return false;
}

static const uint64_t global_len[RT_NGLOBALS] = {
	[RT_GOMAXPROCS] = 4,
	[RT_NCPU] = 4,
	[RT_ALLGLEN] = 8,
	[RT_ALLGS] = 24,
	[RT_ALLP] = 24,
	[RT_SCHED] = 40,
	[RT_GCCONTROLLER] = 8,
	[RT_MEMSTATS] = 8,
	[RT_MHEAP] = 8,
	[RT_CLASS_TO_SIZE] = 6,
};

/* Records a find; a second find of the same global must agree with the first. */
static void set(struct ctx *c, enum rt_global g, uint64_t addr, const char *from)
{
	struct rt_globals *out = c->out;

	if (!in_data(c->ef, addr, global_len[g])) {
		note(out, "%s: %s points at 0x%llx, outside the data segments", names[g], from,
			(unsigned long long)addr);
		c->err = c->err ?: -EINVAL;
		return;
	}
	if (out->found[g] && out->addr[g] != addr) {
		note(out, "%s: %s says 0x%llx, %s 0x%llx", names[g], out->from[g],
			(unsigned long long)out->addr[g], from, (unsigned long long)addr);
		c->err = c->err ?: -EINVAL;
		out->found[g] = false;
		return;
	}
	if (!out->found[g]) {
		out->found[g] = true;
		out->addr[g] = addr;
		out->from[g] = from;
	}
}

/* The first instruction from i on of this kind and width with a global operand; n when none. */
static size_t next_access(const struct code *code, size_t i, enum x86_kind kind, unsigned int width)
{
	uint64_t a;

	for (; i < code->n; i++)
		if (code->in[i].kind == kind && code->in[i].width == width &&
			global_of(code, i, &a))
			return i;
	return code->n;
}

static size_t next_kind(const struct code *code, size_t i, enum x86_kind kind)
{
	for (; i < code->n; i++)
		if (code->in[i].kind == kind)
			return i;
	return code->n;
}

static void find_ncpu(struct ctx *c)
{
	struct code code;
	size_t call, st;
	uint64_t a;

	if (decode(c, "runtime.osinit", &code) == 0) {
		call = next_kind(&code, 0, X86_CALL);
		st = next_access(&code, call, X86_STORE, 4);
		if (st < code.n && global_of(&code, st, &a))
			set(c, RT_NCPU, a, "runtime.osinit");
		code_free(&code);
	}
	if (decode(c, "runtime.NumCPU", &code) == 0) {
		for (size_t i = 0; i + 1 < code.n; i++)
			if (code.in[i].kind == X86_LOAD && code.in[i].width == 4 &&
				code.in[i + 1].kind == X86_RET && global_of(&code, i, &a)) {
				set(c, RT_NCPU, a, "runtime.NumCPU");
				break;
			}
		code_free(&code);
	}
}

static void find_gomaxprocs(struct ctx *c)
{
	struct code code;
	uint64_t a;

	if (decode(c, "runtime.GOMAXPROCS", &code) != 0)
		return;
	for (size_t i = 0; i + 1 < code.n; i++) {
		const struct x86_insn *in = &code.in[i];
		size_t ld, call = i + 1;

		while (call < code.n && x86_is_nop(&code.in[call]))
			call++;
		if (in->kind != X86_LEA || in->mem != X86_MEM_RIP || in->reg != 0 ||
			call >= code.n || code.in[call].kind != X86_CALL)
			continue;
		if (in_data(c->ef, in->target, 8))
			c->out->sched_lock = in->target;
		ld = next_access(&code, call + 1, X86_LOAD, 4);
		if (ld < code.n && global_of(&code, ld, &a))
			set(c, RT_GOMAXPROCS, a, "runtime.GOMAXPROCS");
		break;
	}
	code_free(&code);
}

static bool stored8(const struct code *code, uint64_t want)
{
	uint64_t b;

	for (size_t j = 0; j < code->n; j++)
		if (code->in[j].kind == X86_STORE && code->in[j].width == 8 &&
			global_of(code, j, &b) && b == want)
			return true;
	return false;
}

/*
 * A slice global the function assigns: one whose three words are all stored
 * to. When several are (procresize also resizes idlepMask, timerpMask and
 * stealOrder), the one the function touches first: "if nprocs >
 * int32(len(allp))" comes before the others in every release. 0 when none.
 */
static uint64_t stored_slice(const struct code *code)
{
	uint64_t a;

	for (size_t i = 0; i < code->n; i++) {
		if (!global_of(code, i, &a) || code->in[i].kind == X86_CALL)
			continue;
		for (uint64_t w = 0; w < 3; w++) {
			uint64_t base = a - 8 * w;

			if (a >= 8 * w && stored8(code, base) && stored8(code, base + 8) &&
				stored8(code, base + 16))
				return base;
		}
	}
	return 0;
}

static void find_allgs(struct ctx *c)
{
	uint64_t slice, len = 0, cmp = 0, a;
	struct code code;

	if (decode(c, "runtime.allgadd", &code) != 0)
		return;
	slice = stored_slice(&code);
	if (slice)
		set(c, RT_ALLGS, slice, "runtime.allgadd");
	for (size_t i = 0; i < code.n; i++) {
		if (code.in[i].kind == X86_XCHG && code.in[i].width == 8 && global_of(&code, i, &a))
			len = a;
		if (!cmp && code.in[i].kind == X86_CMP && code.in[i].width == 8 &&
			code.in[i].mem == X86_MEM_RIP)
			cmp = code.in[i].target; /* allgptr, compared with &allgs[0] */
	}
	if (len && len != cmp && (!slice || len < slice || len >= slice + 24))
		set(c, RT_ALLGLEN, len, "runtime.allgadd");
	code_free(&code);
}

static void find_allp(struct ctx *c)
{
	struct code code;
	bool uses = false;
	uint64_t slice, a;

	if (decode(c, "runtime.procresize", &code) != 0)
		return;
	slice = stored_slice(&code);
	if (slice)
		set(c, RT_ALLP, slice, "runtime.procresize");
	for (size_t i = 0; i < code.n && c->out->found[RT_GOMAXPROCS]; i++)
		uses |= global_of(&code, i, &a) && a == c->out->addr[RT_GOMAXPROCS];
	if (c->out->found[RT_GOMAXPROCS] && !uses && !code.cut) {
		note(c->out, "runtime.gomaxprocs: runtime.procresize does not use 0x%llx",
			(unsigned long long)c->out->addr[RT_GOMAXPROCS]);
		c->err = c->err ?: -EINVAL;
	}
	code_free(&code);
}

/* LOCK XADDQ R, sched: R set to _GoidCacheBatch by one of the two instructions before. */
static void find_sched(struct ctx *c)
{
	struct code code;
	uint64_t found = 0, a;
	int count = 0;

	if (decode(c, "runtime.newproc1", &code) != 0)
		return;
	for (size_t i = 1; i < code.n; i++) {
		const struct x86_insn *in = &code.in[i];
		bool batch = false;

		if (!in->lock || in->kind != X86_XADD || in->width != 8 || !global_of(&code, i, &a))
			continue;
		for (size_t k = i >= 3 ? i - 3 : 0; k < i; k++)
			batch |= code.in[k].kind == X86_OTHER && code.in[k].mem == X86_MEM_NONE &&
				 code.in[k].reg == in->reg && code.in[k].imm == GOID_CACHE_BATCH;
		if (batch && a != found) {
			found = a;
			count++;
		}
	}
	if (count == 1)
		set(c, RT_SCHED, found, "runtime.newproc1");
	else if (count > 1)
		note(c->out, "runtime.sched: runtime.newproc1 adds the goid batch to %d globals",
			count);
	code_free(&code);
}

/* The receiver (LEA into AX) of a call from fn to the method named callee. */
static void find_receiver(
	struct ctx *c, enum rt_global g, const char *fn, const char *callee, uint64_t field_off)
{
	uint64_t entry, end, recv = 0;
	struct code code;

	if (functab_find(c->ft, callee, &entry, &end) != 0 || decode(c, fn, &code) != 0)
		return;
	for (size_t i = 0; i < code.n; i++) {
		const struct x86_insn *in = &code.in[i];

		if (in->kind == X86_LEA && in->mem == X86_MEM_RIP && in->reg == 0)
			recv = in->target;
		else if (in->reg == 0 && in->kind != X86_CMP && in->kind != X86_STORE &&
			 !x86_is_nop(in))
			recv = 0; /* AX written by something else */
		if (in->kind == X86_CALL) {
			if (in->has_target && in->target == entry && recv && recv >= field_off) {
				set(c, g, recv - field_off, fn);
				break;
			}
			recv = 0;
		}
	}
	code_free(&code);
}

/* class_to_size+4 compared with 16, and the table starting 0, 8, 16 in the file. */
static void find_class_to_size(struct ctx *c)
{
	uint64_t a, off, avail;
	unsigned char v[6];
	struct code code;

	if (decode(c, "runtime.mallocinit", &code) != 0)
		return;
	for (size_t i = 0; i < code.n; i++) {
		const struct x86_insn *in = &code.in[i];

		if (in->kind != X86_CMP || in->width != 2 || in->imm != TINY_SIZE ||
			in->mem != X86_MEM_RIP)
			continue;
		a = in->target - 2 * TINY_SIZE_CLASS;
		if (elf_vaddr_to_offset(c->ef, a, &off, &avail) == 0 && avail >= sizeof(v) &&
			elf_read(c->ef, off, v, sizeof(v)) == 0 && elf_get(c->ef, v, 2) == 0 &&
			elf_get(c->ef, v + 2, 2) == 8 && elf_get(c->ef, v + 4, 2) == 16)
			set(c, RT_CLASS_TO_SIZE, a, "runtime.mallocinit");
		break;
	}
	code_free(&code);
}

/*
 * &sched.lock - &sched: 24 (goidgen, lastpoll, pollUntil before it), or 32
 * once schedt gained pollingNet int32 before lock. Measured on the npm
 * fixtures: 24 in go1.17.2 to go1.23.5, 32 in go1.25.4 (1.24: either).
 */
static int lock_offset(int go_minor)
{
	return go_minor < 0 || go_minor == 24 ? -1 : go_minor < 24 ? 24 : 32;
}

/* sched from newproc1 and sched.lock from GOMAXPROCS agree; without newproc1's, sched from the
 * lock. */
static void check_sched_lock(struct ctx *c)
{
	struct rt_globals *out = c->out;
	int want = lock_offset(c->go_minor);
	uint64_t d;

	if (!out->sched_lock)
		return;
	if (!out->found[RT_SCHED]) {
		if (want > 0)
			set(c, RT_SCHED, out->sched_lock - (uint64_t)want, "runtime.GOMAXPROCS");
		return;
	}
	d = out->sched_lock - out->addr[RT_SCHED];
	if ((d != 24 && d != 32) || (want > 0 && d != (uint64_t)want)) {
		note(out,
			"runtime.sched: runtime.newproc1 says 0x%llx, runtime.GOMAXPROCS locks "
			"0x%llx (not sched.lock)",
			(unsigned long long)out->addr[RT_SCHED],
			(unsigned long long)out->sched_lock);
		c->err = c->err ?: -EINVAL;
		out->found[RT_SCHED] = false;
	}
}

/* Distinct globals do not overlap. */
static void check_disjoint(struct ctx *c)
{
	struct rt_globals *out = c->out;

	for (int g = 0; g < RT_NGLOBALS; g++)
		for (int h = g + 1; h < RT_NGLOBALS; h++) {
			uint64_t a = out->addr[g], b = out->addr[h];

			if (!out->found[g] || !out->found[h] || g == RT_MEMSTATS ||
				h == RT_MEMSTATS)
				continue;
			if (a < b + global_len[h] && b < a + global_len[g]) {
				note(out, "%s and %s overlap (0x%llx, 0x%llx)", names[g], names[h],
					(unsigned long long)a, (unsigned long long)b);
				c->err = c->err ?: -EINVAL;
			}
		}
}

static int read_u64s(struct procmem *pm, uint64_t addr, uint64_t *v, size_t n)
{
	return procmem_read(pm, addr, v, n * sizeof(*v));
}

/* The values, read from the process: twice at most, as the runtime may be changing them. */
static int check_memory(struct ctx *c, struct procmem *pm, uint64_t bias)
{
	struct rt_globals *out = c->out;
	char why[160] = "";
	int err = 0;

	for (int attempt = 0; attempt < 2; attempt++) {
		uint64_t allp[3], allgs[3], allglen;
		int32_t gmp, ncpu;

		why[0] = '\0';
		err = procmem_read(pm, out->addr[RT_GOMAXPROCS] + bias, &gmp, 4) ?:
		      procmem_read(pm, out->addr[RT_NCPU] + bias, &ncpu, 4) ?:
		      read_u64s(pm, out->addr[RT_ALLP] + bias, allp, 3) ?:
		      read_u64s(pm, out->addr[RT_ALLGS] + bias, allgs, 3) ?:
		      read_u64s(pm, out->addr[RT_ALLGLEN] + bias, &allglen, 1);
		if (err) {
			note(out, "cannot read the globals from process %d: %s", pm->pid,
				strerror(-err));
			return err;
		}
		if (gmp < 1 || gmp > MAX_GOMAXPROCS)
			snprintf(why, sizeof(why), "runtime.gomaxprocs reads %d", gmp);
		else if (allp[1] != (uint64_t)gmp || allp[2] < allp[1] || !allp[0])
			snprintf(why, sizeof(why), "runtime.allp has length %llu, gomaxprocs is %d",
				(unsigned long long)allp[1], gmp);
		else if (ncpu < 1 || ncpu > MAX_NCPU)
			snprintf(why, sizeof(why), "runtime.ncpu reads %d", ncpu);
		else if (allgs[1] != allglen || allgs[2] < allgs[1] || !allgs[0] || !allglen)
			snprintf(why, sizeof(why),
				"runtime.allglen reads %llu, allgs has length %llu",
				(unsigned long long)allglen, (unsigned long long)allgs[1]);
		if (!why[0])
			return 0;
	}
	note(out, "process %d: %s", pm->pid, why);
	return -EINVAL;
}

static int find_all(struct ctx *c)
{
	find_ncpu(c);
	find_gomaxprocs(c);
	find_allgs(c);
	find_allp(c);
	find_sched(c);
	check_sched_lock(c);
	find_receiver(c, RT_GCCONTROLLER, "runtime.gcinit", "runtime.(*gcControllerState).init", 0);
	find_receiver(c, RT_MHEAP, "runtime.mallocinit", "runtime.(*mheap).init", 0);
	if (c->go_minor >= 19)
		find_receiver(c, RT_MEMSTATS, "runtime.(*mcache).refill",
			"runtime.(*consistentHeapStats).acquire", 0);
	find_class_to_size(c);
	check_disjoint(c);
	return c->err;
}

int rt_globals_find(const struct elf_source *src, struct procmem *pm, uint64_t bias, int go_minor,
	struct rt_globals *out)
{
	struct elf_file *ef = malloc(sizeof(*ef));
	struct ctx c = { .ef = ef, .out = out, .go_minor = go_minor };
	unsigned int missing = 0;
	int err;

	memset(out, 0, sizeof(*out));
	if (!ef)
		return -ENOMEM;
	err = elf_open(ef, src);
	if (err) {
		note(out, "cannot read the executable: %s",
			err == -ELF_ENOTELF ? "not an ELF file" : strerror(-err));
		free(ef);
		return err;
	}
	if (ef->machine != EM_X86_64_ || !ef->is64) {
		note(out, "the runtime globals of a stripped binary are found in amd64 code only");
		err = -ENOTSUP;
		goto out;
	}
	err = functab_open(ef, &c.ft);
	if (err) {
		note(out, "cannot read the function table: %s", functab_strerror(err));
		goto out;
	}
	err = find_all(&c);
	for (int g = 0; g < RT_NGLOBALS; g++)
		if (!out->found[g]) {
			missing |= 1u << g;
			out->addr[g] = 0;
		}
	if (missing) {
		char list[200] = "";

		for (int g = 0; g < RT_NGLOBALS; g++)
			if (missing & (1u << g))
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
					list[0] ? ", " : "", names[g]);
		note(out, "not found in the code: %s", list);
	}
	if (!err && (missing & RT_GLOBALS_CORE))
		err = -ENOENT;
	if (!err && pm)
		err = check_memory(&c, pm, bias);
	functab_close(c.ft);
out:
	elf_close(ef);
	free(ef);
	return err;
}
