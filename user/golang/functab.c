// SPDX-License-Identifier: MIT
/*
 * The function table, from runtime/symtab.go of each release (pcHeader,
 * functab, _func) and debug/gosym/pclntab.go:
 *
 *   header: magic, pad, quantum, ptrsize, then words nfunc, nfiles,
 *           [textStart: Go 1.18 and later], and offsets from the header of
 *           funcnametab, cutab, filetab, pctab and pclntable.
 *   pclntable starts with nfunc+1 functab entries {entry, funcoff}: Go 1.16
 *           two words, entry an address; Go 1.18 two uint32, entry an offset
 *           from textStart. The last entry is the end of the text. funcoff
 *           is from the start of pclntable, and there the _func begins with
 *           its entry again (a word in Go 1.16, a uint32 later) and nameOff,
 *           an int32 offset into funcnametab, where names end with a NUL.
 *
 * Go 1.26 writes 0 for textStart ("no longer stored as it requires a
 * relocation", runtime/symtab.go of go1.26; its release notes: moduledata
 * moved to its own section, .go.module). runtime.moduledata's first fields
 * have kept one layout since Go 1.16: pcHeader, six slices (funcnametab,
 * cutab, filetab, pctab, pclntable, ftab), findfunctab, minpc, maxpc, text:
 * text is word 22, minpc and maxpc (words 20 and 21) the first entry and the
 * end, which is how a candidate is checked. So found in the executables of
 * Debian's go1.26.10 and go1.27.3 (textStart 0, the module data in .go.module).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "golang/functab.h"
#include "golang/functab_impl.h"
#include "golang/pcline.h"

#define MD_SCAN_MAX (64u << 20) /* bytes of data searched for the module data */
#define MD_CHUNK (64u << 10)

uint64_t functab_word(const struct functab *ft, const unsigned char *p, unsigned int size)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < size; i++)
		v = (v << 8) | p[ft->be ? i : size - 1 - i];
	return v;
}

#define get functab_word

/* Entry i of the ftab (i <= nfunc): its address and its funcoff. */
void functab_ftab_entry(const struct functab *ft, uint64_t i, uint64_t *entry, uint64_t *funcoff)
{
	const unsigned char *e = ft->pcln + i * ft->entsize;

	if (ft->ver == PCLNTAB_GO116) {
		*entry = get(ft, e, ft->ps);
		*funcoff = get(ft, e + ft->ps, ft->ps);
	} else {
		*entry = ft->text_start + get(ft, e, 4);
		*funcoff = get(ft, e + 4, 4);
	}
}

/* The _func at funcoff: its entry and nameOff; false when it is not inside pclntable. */
static bool func_record(
	const struct functab *ft, uint64_t funcoff, uint64_t *entry, int32_t *nameoff)
{
	unsigned int esz = ft->ver == PCLNTAB_GO116 ? ft->ps : 4;

	if (funcoff > ft->pcln_len || ft->pcln_len - funcoff < esz + 4)
		return false;
	*entry = get(ft, ft->pcln + funcoff, esz);
	if (ft->ver != PCLNTAB_GO116)
		*entry += ft->text_start;
	*nameoff = (int32_t)(uint32_t)get(ft, ft->pcln + funcoff + esz, 4);
	return true;
}

static const char *name_at(const struct functab *ft, int32_t nameoff)
{
	if (nameoff < 0 || (uint64_t)nameoff >= ft->names_len)
		return NULL;
	if (!memchr(ft->names + nameoff, '\0', ft->names_len - (uint64_t)nameoff))
		return NULL;
	return (const char *)ft->names + nameoff;
}

static unsigned char *read_range(struct elf_file *ef, uint64_t off, uint64_t len, int *err)
{
	unsigned char *buf;

	if (len == 0 || len > FUNCTAB_MAX) {
		*err = -FUNCTAB_EMALFORMED;
		return NULL;
	}
	buf = malloc((size_t)len);
	if (!buf) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = elf_read(ef, off, buf, (size_t)len);
	if (*err) {
		free(buf);
		if (*err == -ELF_EMALFORMED)
			*err = -FUNCTAB_EMALFORMED;
		return NULL;
	}
	return buf;
}

/*
 * Whether the words of a module data candidate agree with the table's first
 * entry and end. With a text start of 0 in a Go 1.18+ table (Go 1.26), the
 * entries read so far are offsets from 0, and the candidate's text says where
 * they start; otherwise its text is the header's text start.
 */
static bool moduledata_fits(
	const struct functab *ft, const uint64_t *w, uint64_t first, uint64_t last)
{
	uint64_t base = 0;

	if (ft->ver != PCLNTAB_GO116) {
		if (w[MD_TEXT] == 0 || (ft->text_start != 0 && w[MD_TEXT] != ft->text_start))
			return false;
		if (ft->text_start == 0)
			base = w[MD_TEXT];
	}
	return w[MD_MINPC] == base + first && w[MD_MAXPC] == base + last &&
	       w[MD_MINPC] <= w[MD_MAXPC];
}

/* Searches [off, off+len) of the file for the module data; 0 found, 1 not, or -errno. */
static int scan_moduledata(struct elf_file *ef, struct functab *ft, uint64_t off, uint64_t len,
	uint64_t vaddr, uint64_t *budget)
{
	unsigned int ps = ft->ps, need = MD_WORDS * ps;
	uint64_t first, last, funcoff, pos = 0;
	uint64_t names_addr = ft->tab_addr + ft->hdr[HDR_FUNCNAME];
	unsigned char *buf;
	int err = 0;

	functab_ftab_entry(ft, 0, &first, &funcoff);
	functab_ftab_entry(ft, ft->nfunc, &last, &funcoff);
	buf = malloc(MD_CHUNK + MD_WORDS * 8);
	if (!buf)
		return -ENOMEM;
	while (pos + need <= len && *budget > 0) {
		size_t n = len - pos < MD_CHUNK + need ? (size_t)(len - pos) : MD_CHUNK + need;

		err = elf_read(ef, off + pos, buf, n);
		if (err)
			break;
		*budget = *budget > n ? *budget - n : 0;
		for (size_t i = 0; i + need <= n && i < MD_CHUNK; i += ps) {
			uint64_t w[MD_WORDS];

			if (get(ft, buf + i, ps) != ft->tab_addr ||
				get(ft, buf + i + MD_FUNCNAMETAB * ps, ps) != names_addr)
				continue;
			for (unsigned int k = 0; k < MD_WORDS; k++)
				w[k] = get(ft, buf + i + k * ps, ps);
			if (moduledata_fits(ft, w, first, last)) {
				memcpy(ft->md, w, sizeof(w));
				ft->md_addr = vaddr + pos + i;
				ft->md_found = true;
				free(buf);
				return 0;
			}
		}
		pos += MD_CHUNK;
	}
	free(buf);
	return err && err != -ELF_EMALFORMED ? err : 1;
}

int functab_find_moduledata(struct elf_file *ef, struct functab *ft)
{
	static const char *const secs[] = { ".go.module", ".noptrdata", ".data", ".data.rel.ro" };
	uint64_t budget = MD_SCAN_MAX;
	int err = 1;

	if (ft->md_searched)
		return 0;
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]) && err == 1; i++) {
		const struct elf_sec *s = elf_section(ef, secs[i]);

		if (s && s->type != ELFR_SHT_NOBITS)
			err = scan_moduledata(ef, ft, s->offset, s->size, s->addr, &budget);
	}
	for (size_t i = 0; i < ef->nsegs && err == 1 && !ef->nsecs; i++) {
		const struct elf_seg *s = &ef->segs[i];

		if (s->type == ELFR_PT_LOAD && (s->flags & ELFR_PF_W))
			err = scan_moduledata(ef, ft, s->offset, s->filesz, s->vaddr, &budget);
	}
	if (err < 0)
		return err;
	ft->md_searched = true;
	return 0;
}

/* Go 1.26: the text start from the module data. */
static int text_from_moduledata(struct elf_file *ef, struct functab *ft)
{
	int err = functab_find_moduledata(ef, ft);

	if (err)
		return err;
	if (!ft->md_found)
		return -FUNCTAB_ENOTEXT;
	ft->text_start = ft->md[MD_TEXT];
	return 0;
}

/* Every entry increases, and each one's _func names the same entry. */
static int check_entries(const struct functab *ft)
{
	uint64_t prev = 0;

	for (uint64_t i = 0; i <= ft->nfunc; i++) {
		uint64_t entry, funcoff, fentry;
		int32_t nameoff;

		functab_ftab_entry(ft, i, &entry, &funcoff);
		if (entry < prev)
			return -FUNCTAB_EMALFORMED;
		prev = entry;
		if (i == ft->nfunc)
			break;
		if (!func_record(ft, funcoff, &fentry, &nameoff) || fentry != entry)
			return -FUNCTAB_EMALFORMED;
	}
	return 0;
}

static int parse(struct elf_file *ef, const struct pclntab_loc *loc, struct functab *ft)
{
	unsigned char h[8 + 8 * 8];
	uint64_t w[8], hdr_len;
	unsigned int nw, ps;
	int err;

	if (loc->size < 8)
		return -FUNCTAB_EMALFORMED;
	err = elf_read(ef, loc->off, h, 8);
	if (err)
		return err == -ELF_EMALFORMED ? -FUNCTAB_EMALFORMED : err;
	ps = h[7];
	if (ps != 4 && ps != 8)
		return -FUNCTAB_EMALFORMED;
	ft->ps = ps;
	nw = loc->ver == PCLNTAB_GO116 ? 7 : 8;
	hdr_len = 8 + (uint64_t)nw * ps;
	if (loc->size < hdr_len)
		return -FUNCTAB_EMALFORMED;
	err = elf_read(ef, loc->off + 8, h + 8, nw * ps);
	if (err)
		return err == -ELF_EMALFORMED ? -FUNCTAB_EMALFORMED : err;
	for (unsigned int i = 0; i < nw; i++)
		w[i] = get(ft, h + 8 + i * ps, ps);
	if (nw == 7) { /* no textStart: shift the offsets to where they are in Go 1.18 */
		memmove(w + 3, w + 2, 5 * sizeof(w[0]));
		w[2] = 0;
	}
	/* w: nfunc, nfiles, textStart, funcname, cu, filetab, pctab, pcln */
	ft->nfunc = w[0];
	ft->nfiles = w[1];
	ft->text_start = w[2];
	ft->quantum = h[6];
	if (ft->quantum != 1 && ft->quantum != 2 && ft->quantum != 4)
		return -FUNCTAB_EMALFORMED;
	ft->tab_off = loc->off;
	ft->tab_addr = loc->addr;
	ft->tab_size = loc->size;
	memcpy(ft->hdr, w, sizeof(ft->hdr));
	ft->entsize = loc->ver == PCLNTAB_GO116 ? 2 * ps : 8;
	if (ft->nfunc == 0 || ft->nfunc > FUNCTAB_MAX / ft->entsize)
		return -FUNCTAB_EMALFORMED;
	for (unsigned int i = 3; i < 8; i++)
		if (w[i] < (i == 3 ? hdr_len : w[i - 1]) || w[i] >= loc->size)
			return -FUNCTAB_EMALFORMED;
	ft->names_len = w[4] - w[3];
	ft->pcln_len = loc->size - w[7];
	if (ft->pcln_len > FUNCTAB_MAX)
		ft->pcln_len = FUNCTAB_MAX;
	if ((ft->nfunc + 1) * ft->entsize > ft->pcln_len)
		return -FUNCTAB_EMALFORMED;
	ft->names = read_range(ef, loc->off + w[3], ft->names_len, &err);
	if (!ft->names)
		return err;
	ft->pcln = read_range(ef, loc->off + w[7], ft->pcln_len, &err);
	if (!ft->pcln)
		return err;
	err = check_entries(ft);
	if (!err && ft->ver == PCLNTAB_GO120 && ft->text_start == 0)
		err = text_from_moduledata(ef, ft);
	return err;
}

int functab_open(struct elf_file *ef, struct functab **out)
{
	struct pclntab_loc loc;
	struct functab *ft;
	int err;

	*out = NULL;
	err = pclntab_locate(ef, &loc);
	if (err)
		return err;
	if (loc.ver == PCLNTAB_UNKNOWN)
		return -FUNCTAB_ENOTAB;
	if (loc.ver == PCLNTAB_GO12)
		return -FUNCTAB_EVERSION;
	ft = calloc(1, sizeof(*ft));
	if (!ft)
		return -ENOMEM;
	ft->ver = loc.ver;
	ft->be = ef->be;
	err = parse(ef, &loc, ft);
	if (err) {
		functab_close(ft);
		return err;
	}
	*out = ft;
	return 0;
}

void functab_close(struct functab *ft)
{
	if (!ft)
		return;
	pcline_free(ft);
	free(ft->names);
	free(ft->pcln);
	free(ft);
}

size_t functab_count(const struct functab *ft)
{
	return (size_t)ft->nfunc;
}

int functab_get(const struct functab *ft, size_t i, struct functab_func *f)
{
	uint64_t funcoff, fentry, dummy;
	int32_t nameoff;

	if (i >= ft->nfunc)
		return -ENOENT;
	functab_ftab_entry(ft, i, &f->entry, &funcoff);
	functab_ftab_entry(ft, i + 1, &f->end, &dummy);
	if (!func_record(ft, funcoff, &fentry, &nameoff) || !(f->name = name_at(ft, nameoff)))
		return -FUNCTAB_EMALFORMED;
	return 0;
}

int functab_find(const struct functab *ft, const char *name, uint64_t *entry, uint64_t *end)
{
	for (size_t i = 0; i < ft->nfunc; i++) {
		struct functab_func f;

		/* A function whose name cannot be read is skipped: it is not the one asked for. */
		if (functab_get(ft, i, &f) == 0 && strcmp(f.name, name) == 0) {
			*entry = f.entry;
			if (end)
				*end = f.end;
			return 0;
		}
	}
	return -ENOENT;
}

int functab_at(const struct functab *ft, uint64_t pc, struct functab_func *f)
{
	uint64_t lo = 0, hi = ft->nfunc, entry, funcoff;

	functab_ftab_entry(ft, 0, &entry, &funcoff);
	if (pc < entry)
		return -ENOENT;
	functab_ftab_entry(ft, ft->nfunc, &entry, &funcoff);
	if (pc >= entry)
		return -ENOENT;
	/* The last entry whose start is <= pc; entries increase (check_entries). */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		functab_ftab_entry(ft, mid, &entry, &funcoff);
		if (entry <= pc)
			lo = mid;
		else
			hi = mid;
	}
	return functab_get(ft, (size_t)lo, f) == 0 && pc < f->end ? 0 : -ENOENT;
}

enum pclntab_version functab_version(const struct functab *ft)
{
	return ft->ver;
}

uint64_t functab_text_start(const struct functab *ft)
{
	return ft->text_start;
}

const char *functab_strerror(int err)
{
	switch (err) {
	case 0:
		return NULL;
	case -ELF_ENOTELF:
		return "not an ELF file";
	case -FUNCTAB_ENOTAB:
		return "no Go function table (.gopclntab)";
	case -FUNCTAB_EVERSION:
		return "a function table older than Go 1.16";
	case -FUNCTAB_ENOTEXT:
		return "the function table has no text start, and no module data was found to give "
		       "it";
	case -FUNCTAB_EMALFORMED:
		return "corrupt Go function table";
	case -FUNCTAB_ENOLINES:
		return "the function table's line tables were not read";
	case -FUNCTAB_ENOGOFUNC:
		return "no go:func.* address (module data or symbol) to read the inline tree from";
	case -ENOENT:
		return "function not found";
	default:
		return err < 0 ? strerror(-err) : "unknown error";
	}
}
