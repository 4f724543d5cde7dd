// SPDX-License-Identifier: MIT
/*
 * The line tables, from runtime/symtab.go and runtime2.go of each release
 * (go1.16, go1.17, go1.18, go1.20, go1.21.0 to go1.25.0; Debian's go-1.19):
 *
 *   _func: entry (a word in 1.16/1.17, a uint32 offset from the text after),
 *          then int32/uint32 nameOff, args, deferreturn, pcsp, pcfile, pcln,
 *          npcdata, cuOffset, [1.20+: startLine], then bytes funcID, flag
 *          (1.17+; a pad in 1.16), a pad, nfuncdata. Then npcdata uint32
 *          offsets into pctab, then nfuncdata funcdata: 1.16/1.17 pointers
 *          (aligned to 8 on 64-bit, by address), 1.18+ uint32 offsets from
 *          moduledata.gofunc (^0 for nil).
 *   pc-value table: pairs of varints, a zig-zag value delta and a pc delta
 *          in pc quanta, from value -1 at the entry; a zero value delta
 *          (other than at the entry) ends it. The value holds for pcs before
 *          the pc reached so far (pcvalue's "targetpc < pc").
 *   file: cutab[cuOffset + pcfile value] is an offset into filetab (^0 none).
 *   inlinedCall: 1.16-1.19 {int16 parent, uint8 funcID, pad, int32 file
 *          (per-CU index), line, func_ (funcnametab offset), parentPc};
 *          1.20+ {uint8 funcID, pad[3], int32 nameOff, parentPc, startLine}.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "golang/functab_impl.h"
#include "golang/pcline.h"
#include "golang/symtab.h"

#define INL_MAX (1u << 20) /* the runtime indexes its tree as [1 << 20]inlinedCall */

struct pcline_data {
	struct elf_file *ef;
	unsigned char *cutab, *filetab, *pctab;
	uint64_t cutab_len, filetab_len, pctab_len;
	uint64_t gofunc;  /* Go 1.18+; 0 when not known */
	uint8_t ids[256]; /* raw funcID -> enum functab_funcid */
};

#define get functab_word

static unsigned char *copy_part(const struct functab *ft, struct elf_file *ef, unsigned int from,
	unsigned int to, uint64_t *len, int *err)
{
	unsigned char *buf;

	*len = ft->hdr[to] - ft->hdr[from]; /* the header's offsets increase (functab.c's parse) */
	buf = malloc(*len ? (size_t)*len : 1);
	if (!buf) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = *len ? elf_read(ef, ft->tab_off + ft->hdr[from], buf, (size_t)*len) : 0;
	if (*err) {
		free(buf);
		if (*err == -ELF_EMALFORMED)
			*err = -FUNCTAB_EMALFORMED;
		return NULL;
	}
	return buf;
}

void pcline_free(struct functab *ft)
{
	if (!ft->lines)
		return;
	free(ft->lines->cutab);
	free(ft->lines->filetab);
	free(ft->lines->pctab);
	free(ft->lines);
	ft->lines = NULL;
}

/* Bytes of the fixed part of _func, and where its funcID is. */
static unsigned int func_size(const struct functab *ft)
{
	switch (ft->ver) {
	case PCLNTAB_GO116:
		return ft->ps + 36;
	case PCLNTAB_GO118:
		return 40;
	default:
		return 44;
	}
}

/*
 * Go 1.16/1.17 funcdata pointers are aligned by address (funcdata's
 * "uintptr(p)&4"): the pad before them, for the array at pclntable offset off.
 */
static unsigned int funcdata_pad(const struct functab *ft, uint64_t off)
{
	return ft->ps == 8 && ((ft->tab_addr + ft->hdr[HDR_PCLN] + off) & 4) ? 4 : 0;
}

/* The record at funcoff, fixed part and both arrays inside pclntable. */
static int read_record(const struct functab *ft, uint64_t funcoff, struct functab_info *fi)
{
	unsigned int esz = ft->ver == PCLNTAB_GO116 ? ft->ps : 4, size = func_size(ft);
	const unsigned char *r;
	uint64_t need;

	if (funcoff > ft->pcln_len || ft->pcln_len - funcoff < size)
		return -FUNCTAB_EMALFORMED;
	r = ft->pcln + funcoff + esz;
	fi->funcoff = funcoff;
	fi->args = (int32_t)(uint32_t)get(ft, r + 4, 4);
	fi->deferreturn = (uint32_t)get(ft, r + 8, 4);
	fi->pcsp = (uint32_t)get(ft, r + 12, 4);
	fi->pcfile = (uint32_t)get(ft, r + 16, 4);
	fi->pcln = (uint32_t)get(ft, r + 20, 4);
	fi->npcdata = (uint32_t)get(ft, r + 24, 4);
	fi->cu_offset = (uint32_t)get(ft, r + 28, 4);
	fi->start_line = ft->ver == PCLNTAB_GO120 ? (int32_t)(uint32_t)get(ft, r + 32, 4) : 0;
	r = ft->pcln + funcoff + size - 4;
	fi->raw_id = r[0];
	fi->flag = r[1]; /* a pad, 0, in Go 1.16 */
	fi->nfuncdata = r[3];
	/* pcdata, the alignment pad, funcdata: all inside pclntable */
	need = (uint64_t)size + 4ull * fi->npcdata;
	if (ft->ver == PCLNTAB_GO116)
		need += funcdata_pad(ft, funcoff + need) + (uint64_t)fi->nfuncdata * ft->ps;
	else
		need += 4ull * fi->nfuncdata;
	if (fi->npcdata > (1u << 16) || ft->pcln_len - funcoff < need)
		return -FUNCTAB_EMALFORMED;
	fi->id = ft->lines ? (enum functab_funcid)ft->lines->ids[fi->raw_id] : FUNCTAB_ID_UNKNOWN;
	if (fi->raw_id == 0)
		fi->id = FUNCTAB_ID_NORMAL;
	return 0;
}

int functab_info_get(const struct functab *ft, size_t i, struct functab_info *fi)
{
	struct functab_func f;
	uint64_t entry, funcoff;
	int err;

	memset(fi, 0, sizeof(*fi));
	err = functab_get(ft, i, &f);
	if (err)
		return err;
	functab_ftab_entry(ft, i, &entry, &funcoff);
	fi->name = f.name;
	fi->entry = f.entry;
	fi->end = f.end;
	fi->index = i;
	return read_record(ft, funcoff, fi);
}

int functab_info_at(const struct functab *ft, uint64_t pc, struct functab_info *fi)
{
	uint64_t lo = 0, hi = ft->nfunc, entry, funcoff;

	functab_ftab_entry(ft, 0, &entry, &funcoff);
	if (pc < entry)
		return -ENOENT;
	functab_ftab_entry(ft, ft->nfunc, &entry, &funcoff);
	if (pc >= entry)
		return -ENOENT;
	while (hi - lo > 1) { /* the last entry <= pc; entries increase (functab.c) */
		uint64_t mid = lo + (hi - lo) / 2;

		functab_ftab_entry(ft, mid, &entry, &funcoff);
		if (entry <= pc)
			lo = mid;
		else
			hi = mid;
	}
	if (functab_info_get(ft, (size_t)lo, fi) != 0)
		return -FUNCTAB_EMALFORMED;
	return pc < fi->end ? 0 : -ENOENT;
}

/* A varint of at most 32 bits from [*p, end); false when cut short or too long. */
static bool varint(const unsigned char **p, const unsigned char *end, uint32_t *v)
{
	uint32_t r = 0;

	for (unsigned int shift = 0; shift < 35; shift += 7) {
		unsigned char b;

		if (*p >= end)
			return false;
		b = *(*p)++;
		r |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return true;
		}
	}
	return false;
}

int functab_pcvalue(const struct functab *ft, const struct functab_info *fi, uint32_t table_off,
	uint64_t pc, int32_t *val)
{
	const struct pcline_data *d = ft->lines;
	const unsigned char *p, *end;
	uint64_t at = fi->entry;
	uint32_t v = (uint32_t)-1;

	if (!d)
		return -FUNCTAB_ENOLINES;
	if (table_off == 0 || pc < fi->entry || pc >= fi->end)
		return -ENOENT;
	if (table_off >= d->pctab_len)
		return -FUNCTAB_EMALFORMED;
	p = d->pctab + table_off;
	end = d->pctab + d->pctab_len;
	for (;;) {
		uint32_t vdelta, pcdelta;

		if (p >= end)
			return -FUNCTAB_EMALFORMED;
		if (*p == 0 && at != fi->entry)
			return -ENOENT; /* the table ends before pc: padding after the code */
		if (!varint(&p, end, &vdelta) || !varint(&p, end, &pcdelta))
			return -FUNCTAB_EMALFORMED;
		v += (uint32_t) - (vdelta & 1) ^ (vdelta >> 1);
		at += (uint64_t)pcdelta * ft->quantum;
		if (pc < at) {
			*val = (int32_t)v;
			return 0;
		}
		if (at >= fi->end)
			return -ENOENT;
	}
}

int functab_pcdata(const struct functab *ft, const struct functab_info *fi, uint32_t index,
	uint64_t pc, int32_t *val)
{
	uint64_t off = fi->funcoff + func_size(ft) + 4ull * index;

	if (index >= fi->npcdata)
		return -ENOENT;
	/* inside pclntable: read_record() checked the arrays */
	return functab_pcvalue(ft, fi, (uint32_t)get(ft, ft->pcln + off, 4), pc, val);
}

int functab_funcdata(
	const struct functab *ft, const struct functab_info *fi, uint32_t index, uint64_t *addr)
{
	uint64_t off = fi->funcoff + func_size(ft) + 4ull * fi->npcdata;
	uint32_t rel;

	if (index >= fi->nfuncdata)
		return -ENOENT;
	if (ft->ver == PCLNTAB_GO116) {
		off += funcdata_pad(ft, off); /* read_record() left room for it */
		*addr = get(ft, ft->pcln + off + (uint64_t)index * ft->ps, ft->ps);
		return *addr ? 0 : -ENOENT;
	}
	rel = (uint32_t)get(ft, ft->pcln + off + 4ull * index, 4);
	if (rel == UINT32_MAX)
		return -ENOENT;
	if (!ft->lines || !ft->lines->gofunc)
		return ft->lines ? -FUNCTAB_ENOGOFUNC : -FUNCTAB_ENOLINES;
	*addr = ft->lines->gofunc + rel;
	return 0;
}

/* filetab's string at off, NUL-terminated inside it. */
static const char *file_at(const struct pcline_data *d, uint64_t off)
{
	if (off >= d->filetab_len || !memchr(d->filetab + off, '\0', d->filetab_len - off))
		return NULL;
	return (const char *)d->filetab + off;
}

/* The function's file number fileno: "?" when its cutab entry is ^0, NULL when out of bounds. */
static const char *func_file(
	const struct functab *ft, const struct functab_info *fi, int32_t fileno)
{
	const struct pcline_data *d = ft->lines;
	uint64_t idx = (uint64_t)fi->cu_offset + (uint32_t)fileno;
	uint32_t off;

	if (fileno < 0 || idx >= d->cutab_len / 4)
		return NULL;
	off = (uint32_t)get(ft, d->cutab + idx * 4, 4);
	return off == UINT32_MAX ? "?" : file_at(d, off);
}

int functab_fileline_in(const struct functab *ft, const struct functab_info *fi, uint64_t pc,
	const char **file, int32_t *line)
{
	int32_t fileno, ln;
	int err;

	err = functab_pcvalue(ft, fi, fi->pcfile, pc, &fileno);
	if (!err)
		err = functab_pcvalue(ft, fi, fi->pcln, pc, &ln);
	if (err)
		return err;
	if (fileno < 0 || ln < 0)
		return -ENOENT;
	*file = func_file(ft, fi, fileno);
	if (!*file)
		return -FUNCTAB_EMALFORMED;
	*line = ln;
	return 0;
}

int functab_fileline(const struct functab *ft, uint64_t pc, const char **file, int32_t *line)
{
	struct functab_info fi;
	int err = functab_info_at(ft, pc, &fi);

	return err ? err : functab_fileline_in(ft, &fi, pc, file, line);
}

int functab_spdelta(const struct functab *ft, uint64_t pc, int32_t *delta)
{
	struct functab_info fi;
	int err = functab_info_at(ft, pc, &fi);

	return err ? err : functab_pcvalue(ft, &fi, fi.pcsp, pc, delta);
}

static const char *name_at(const struct functab *ft, int32_t off)
{
	if (off < 0 || (uint64_t)off >= ft->names_len ||
		!memchr(ft->names + off, '\0', ft->names_len - (uint64_t)off))
		return NULL;
	return (const char *)ft->names + off;
}

int functab_inlined_get(const struct functab *ft, const struct functab_info *fi, int32_t ix,
	struct functab_inlined *in)
{
	unsigned char e[20];
	unsigned int size = ft->ver == PCLNTAB_GO120 ? 16 : 20;
	uint64_t tree, addr, off, avail;
	int err;

	err = functab_funcdata(ft, fi, FUNCTAB_FUNCDATA_INLTREE, &tree);
	if (err)
		return err;
	if (ix < 0 || (uint32_t)ix >= INL_MAX)
		return -FUNCTAB_EMALFORMED;
	addr = tree + (uint64_t)ix * size;
	if (addr < tree || elf_vaddr_to_offset(ft->lines->ef, addr, &off, &avail) != 0 ||
		avail < size)
		return -FUNCTAB_EMALFORMED;
	err = elf_read(ft->lines->ef, off, e, size);
	if (err)
		return err == -ELF_EMALFORMED ? -FUNCTAB_EMALFORMED : err;
	memset(in, 0, sizeof(*in));
	if (ft->ver == PCLNTAB_GO120) {
		in->raw_id = e[0];
		in->name = name_at(ft, (int32_t)(uint32_t)get(ft, e + 4, 4));
		in->parent_pc = (int32_t)(uint32_t)get(ft, e + 8, 4);
		in->start_line = (int32_t)(uint32_t)get(ft, e + 12, 4);
		in->parent = -1;
	} else {
		in->parent = (int16_t)(uint16_t)get(ft, e, 2);
		in->raw_id = e[2];
		in->file = func_file(ft, fi, (int32_t)(uint32_t)get(ft, e + 4, 4));
		in->line = (int32_t)(uint32_t)get(ft, e + 8, 4);
		in->name = name_at(ft, (int32_t)(uint32_t)get(ft, e + 12, 4));
		in->parent_pc = (int32_t)(uint32_t)get(ft, e + 16, 4);
		if (!in->file)
			return -FUNCTAB_EMALFORMED;
	}
	in->id = in->raw_id ? (enum functab_funcid)ft->lines->ids[in->raw_id] : FUNCTAB_ID_NORMAL;
	if (!in->name || in->parent_pc < 0 || (uint64_t)in->parent_pc >= fi->end - fi->entry)
		return -FUNCTAB_EMALFORMED;
	return 0;
}

/* Where pc is in fi, or "?" and 0 where its tables do not say (as the runtime prints it). */
static int frame_line(const struct functab *ft, const struct functab_info *fi, uint64_t pc,
	struct functab_frame *f)
{
	int err = functab_fileline_in(ft, fi, pc, &f->file, &f->line);

	if (err == -ENOENT) {
		f->file = "?";
		f->line = 0;
		err = 0;
	}
	f->pc = pc;
	return err;
}

int functab_frames(
	const struct functab *ft, uint64_t pc, struct functab_frame *frames, size_t max, size_t *n)
{
	struct functab_info fi;
	uint64_t tracepc = pc;
	int err, inl_err = 0;

	*n = 0;
	if (!ft->lines)
		return -FUNCTAB_ENOLINES;
	err = functab_info_at(ft, pc, &fi);
	if (err)
		return err;
	for (bool outermost = false;;) {
		struct functab_inlined in;
		struct functab_frame f = { 0 };
		int32_t ix = -1;

		if (*n == max)
			return -E2BIG;
		err = outermost
			      ? 0
			      : functab_pcdata(ft, &fi, FUNCTAB_PCDATA_INLTREEINDEX, tracepc, &ix);
		if (err && err != -ENOENT)
			return err;
		if (ix >= 0) {
			inl_err = functab_inlined_get(ft, &fi, ix, &in);
			if (inl_err && inl_err != -FUNCTAB_ENOGOFUNC && inl_err != -ENOENT)
				return inl_err;
		}
		err = frame_line(ft, &fi, tracepc, &f);
		if (err)
			return err;
		if (ix < 0 || inl_err) {
			f.name = fi.name;
			f.start_line = fi.start_line;
			f.raw_id = fi.raw_id;
			f.id = fi.id;
			frames[(*n)++] = f;
			return inl_err == -FUNCTAB_ENOGOFUNC ? inl_err : 0;
		}
		f.name = in.name;
		f.start_line = in.start_line;
		f.raw_id = in.raw_id;
		f.id = in.id;
		f.inlined = true;
		frames[(*n)++] = f;
		/* Back up to the call site. A call site at this very pc would loop
		 * (Go 1.26 writes one at the entry of some generated init functions,
		 * where no return address can point): the function itself is next. */
		outermost = fi.entry + (uint64_t)in.parent_pc == tracepc;
		tracepc = fi.entry + (uint64_t)in.parent_pc;
	}
}

/* Names of the special functions, and which funcID each stands for. */
static const struct {
	const char *name;
	enum functab_funcid id;
} specials[] = {
	{ "runtime.abort", FUNCTAB_ID_ABORT },
	{ "runtime.asmcgocall", FUNCTAB_ID_ASMCGOCALL },
	{ "runtime.asyncPreempt", FUNCTAB_ID_ASYNCPREEMPT },
	{ "runtime.cgocallback", FUNCTAB_ID_CGOCALLBACK },
	{ "runtime.corostart", FUNCTAB_ID_COROSTART },
	{ "runtime.debugCallV1", FUNCTAB_ID_DEBUGCALL },
	{ "runtime.debugCallV2", FUNCTAB_ID_DEBUGCALL },
	{ "runtime.externalthreadhandler", FUNCTAB_ID_EXTERNALTHREADHANDLER },
	{ "runtime.gcBgMarkWorker", FUNCTAB_ID_GCBGMARKWORKER },
	{ "runtime.goexit", FUNCTAB_ID_GOEXIT },
	{ "runtime.gogo", FUNCTAB_ID_GOGO },
	{ "runtime.gopanic", FUNCTAB_ID_GOPANIC },
	{ "runtime.handleAsyncEvent", FUNCTAB_ID_HANDLEASYNCEVENT },
	{ "runtime.jmpdefer", FUNCTAB_ID_JMPDEFER },
	{ "runtime.mcall", FUNCTAB_ID_MCALL },
	{ "runtime.morestack", FUNCTAB_ID_MORESTACK },
	{ "runtime.mstart", FUNCTAB_ID_MSTART },
	{ "runtime.panicwrap", FUNCTAB_ID_PANICWRAP },
	{ "runtime.rt0_go", FUNCTAB_ID_RT0_GO },
	{ "runtime.runfinq", FUNCTAB_ID_RUNFINQ },
	{ "runtime.runFinalizers", FUNCTAB_ID_RUNFINQ },
	{ "runtime.runCleanups", FUNCTAB_ID_RUNCLEANUPS },
	{ "runtime.main", FUNCTAB_ID_RUNTIME_MAIN },
	{ "runtime.sigpanic", FUNCTAB_ID_SIGPANIC },
	{ "runtime.systemstack", FUNCTAB_ID_SYSTEMSTACK },
	{ "runtime.systemstack_switch", FUNCTAB_ID_SYSTEMSTACK_SWITCH },
};

static const char *const id_names[] = { "normal", "abort", "asmcgocall", "asyncPreempt",
	"cgocallback", "corostart", "debugCall", "externalthreadhandler", "gcBgMarkWorker",
	"goexit", "gogo", "gopanic", "handleAsyncEvent", "jmpdefer", "mcall", "morestack", "mstart",
	"panicwrap", "rt0_go", "runfinq", "runCleanups", "runtime_main", "sigpanic", "systemstack",
	"systemstack_switch", "wrapper", "unknown" };

const char *functab_funcid_name(enum functab_funcid id)
{
	return (size_t)id < sizeof(id_names) / sizeof(id_names[0]) ? id_names[id] : "unknown";
}

/*
 * What this binary's funcIDs mean: wrapper is runtime.deferreturn's (or, without
 * one, the commonest), and each special function's name gives its own.
 */
static void learn_ids(const struct functab *ft, uint8_t *ids)
{
	uint32_t count[256] = { 0 };
	int wrapper = -1;

	memset(ids, FUNCTAB_ID_UNKNOWN, 256);
	ids[0] = FUNCTAB_ID_NORMAL;
	for (size_t i = 0; i < ft->nfunc; i++) {
		struct functab_info fi;

		if (functab_info_get(ft, i, &fi) != 0 || !fi.raw_id)
			continue;
		count[fi.raw_id]++;
		if (strcmp(fi.name, "runtime.deferreturn") == 0)
			wrapper = fi.raw_id;
	}
	for (int id = 1; id < 256 && wrapper < 0; id++)
		if (count[id] && (wrapper < 0 || count[id] > count[wrapper]))
			wrapper = id;
	for (size_t i = 0; i < ft->nfunc; i++) {
		struct functab_info fi;

		if (functab_info_get(ft, i, &fi) != 0 || !fi.raw_id || fi.raw_id == wrapper ||
			strncmp(fi.name, "runtime.", 8) != 0)
			continue;
		for (size_t k = 0; k < sizeof(specials) / sizeof(specials[0]); k++)
			if (strcmp(fi.name, specials[k].name) == 0)
				ids[fi.raw_id] = (uint8_t)specials[k].id;
	}
	if (wrapper > 0)
		ids[wrapper] = FUNCTAB_ID_WRAPPER;
}

/* Whether addr is in the file part of a loaded segment. */
static bool loaded(const struct elf_file *ef, uint64_t addr)
{
	uint64_t off, avail;

	return elf_vaddr_to_offset(ef, addr, &off, &avail) == 0 && avail > 0;
}

/*
 * The module data's go:func.* when its words at RODATA (rodata, gofunc, and
 * in Go 1.27 epclntab after them) fit together: go:func.* loaded, at or
 * after rodata, and with EPCLNTAB, before the end of the pclntab, which ends
 * after the pcHeader (word 0). Go 1.27 moved the words and go:func.* itself
 * (into the pclntab's range) under the same pclntab header as 1.20, so both
 * places are tried; 1.20's words read in 1.27's layout are etypes and
 * itaboffset, a small offset that fails the test.
 */
static uint64_t gofunc_at(
	const struct functab *ft, struct elf_file *ef, unsigned int rodata, bool epclntab)
{
	uint64_t ro = ft->md[rodata], g = ft->md[rodata + 1], end = ft->md[rodata + 2];

	if (!ro || g < ro || !loaded(ef, g))
		return 0;
	return !epclntab || (g < end && end > ft->md[0]) ? g : 0;
}

/* Go 1.18+: go:func.*, from the module data or else the symbol table. */
static int find_gofunc(struct functab *ft, struct elf_file *ef, uint64_t *gofunc)
{
	static const char *const syms[] = { "go:func.*", "go.func.*" };
	int err;

	*gofunc = 0;
	err = functab_find_moduledata(ef, ft);
	if (err)
		return err;
	if (ft->md_found && ft->ver != PCLNTAB_GO120) {
		*gofunc = gofunc_at(ft, ef, MD_RODATA_118, false);
	} else if (ft->md_found) {
		*gofunc = gofunc_at(ft, ef, MD_RODATA_120, false);
		if (!*gofunc)
			*gofunc = gofunc_at(ft, ef, MD_RODATA_127, true);
	}
	if (*gofunc)
		return 0;
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		uint64_t addr, size;

		if (symtab_lookup(ef->src, syms[i], &addr, &size) == 0 && loaded(ef, addr)) {
			*gofunc = addr;
			return 0;
		}
	}
	return 0;
}

uint64_t functab_gofunc(const struct functab *ft)
{
	return ft->lines ? ft->lines->gofunc : 0;
}

int functab_load_lines(struct functab *ft, struct elf_file *ef)
{
	struct pcline_data *d;
	int err = 0;

	if (ft->lines)
		return 0;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->ef = ef;
	if (!(d->cutab = copy_part(ft, ef, HDR_CU, HDR_FILE, &d->cutab_len, &err)) ||
		!(d->filetab = copy_part(ft, ef, HDR_FILE, HDR_PC, &d->filetab_len, &err)) ||
		!(d->pctab = copy_part(ft, ef, HDR_PC, HDR_PCLN, &d->pctab_len, &err)))
		goto fail;
	if (ft->ver != PCLNTAB_GO116) {
		err = find_gofunc(ft, ef, &d->gofunc);
		if (err)
			goto fail;
	}
	learn_ids(ft, d->ids);
	ft->lines = d;
	return 0;
fail:
	free(d->cutab);
	free(d->filetab);
	free(d->pctab);
	free(d);
	return err;
}
