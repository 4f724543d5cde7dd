// SPDX-License-Identifier: MIT
/*
 * libdw reads the DWARF; what is ours is getting it there fast.
 *
 * libdw 0.188's dwarf_begin_elf inflates every .debug_* section it knows
 * (elf_compress, elf_compress_gnu for .zdebug_*) before it returns: 10 ms on
 * a 3 MB Go 1.19 binary, for .debug_line, .debug_loc and .debug_frame we
 * never read. So we copy the few sections that type lookups need into an ELF
 * image in memory, inflated with libdeflate (2.5 times zlib's speed), and hand
 * that to libdw with elf_memory. The original is read with libelf's pread
 * mode (ELF_C_READ), never mapped: a file cut short under us is an error, not
 * a SIGBUS.
 *
 * Go's linker writes all type DIEs as children of one compile unit: the last
 * unit of package runtime (cmd/link/internal/ld/dwarf.go, Go 1.19: runtimeCU
 * is set for each runtime unit in turn, and movetomodule appends the types to
 * it; the same in Go 1.14, 1.17 and 1.20 binaries). Only that unit is indexed,
 * a walk over its top-level DIEs, unless it holds no struct at all: then all
 * the others are.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libdeflate.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "golang/dwarf.h"

/* What type lookups read: the DIEs, their abbreviations, and strings they point at. */
static const char *const wanted[] = { "info", "abbrev", "str", "line_str", "str_offsets" };
#define NWANTED (sizeof(wanted) / sizeof(wanted[0]))

/* Members of a struct nested deeper than this, or typedef chains longer: corrupt. */
#define MAX_DEPTH 32
/* Any offset or size past this is corrupt: no Go struct is a terabyte. */
#define MAX_OFFSET ((int64_t)1 << 40)

struct entry {
	const char *name; /* in libdw's section data */
	Dwarf_Off off;    /* of the DIE */
	int rank;         /* 0 a struct, 1 another type: a struct wins a name they share */
};

struct godwarf {
	unsigned char *image; /* the ELF libdw reads */
	Elf *elf;
	Dwarf *dw;
	struct entry *tab; /* open addressing, cap a power of two */
	size_t cap, n;
};

/* ---- the image ---- */

struct section {
	Elf_Scn *scn;
	bool gnu;                     /* .zdebug_*: "ZLIB", a big-endian size, a zlib stream */
	const unsigned char *payload; /* what to copy or inflate */
	size_t payload_len;
	uint64_t size; /* in the image */
	bool zlib;
	size_t at; /* offset in the image */
};

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static int find_sections(Elf *e, uint64_t file_size, struct section sec[NWANTED])
{
	size_t shstrndx, shnum;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;

	if (!gelf_getehdr(e, &eh))
		return -ELF_ENOTELF;
	/*
	 * libelf drops a section table that lies past the end of the file: that
	 * is a file cut short, not a -w build, so the header's count is checked.
	 */
	if (elf_getshdrnum(e, &shnum) != 0 || elf_getshdrstrndx(e, &shstrndx) != 0)
		return -GODWARF_EMALFORMED;
	if (eh.e_shnum)
		shnum = eh.e_shnum;
	if (shnum && (eh.e_shoff > file_size ||
			     (uint64_t)shnum * eh.e_shentsize > file_size - eh.e_shoff))
		return -GODWARF_EMALFORMED;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		const char *name, *base;
		bool gnu;

		if (!gelf_getshdr(scn, &sh))
			return -GODWARF_EMALFORMED;
		if (sh.sh_type == SHT_NOBITS)
			continue;
		/* A name that cannot be read: the name table is cut short or damaged. */
		if (!(name = elf_strptr(e, shstrndx, sh.sh_name)))
			return -GODWARF_EMALFORMED;
		if (strncmp(name, ".debug_", 7) == 0)
			base = name + 7, gnu = false;
		else if (strncmp(name, ".zdebug_", 8) == 0)
			base = name + 8, gnu = true;
		else
			continue;
		for (size_t i = 0; i < NWANTED; i++) {
			if (strcmp(base, wanted[i]) == 0 && !sec[i].scn) {
				sec[i].scn = scn;
				sec[i].gnu = gnu;
			}
		}
	}
	return 0;
}

static uint64_t be64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Where the section's bytes are and how many it has once inflated. */
static int measure(Elf *e, struct section *s)
{
	GElf_Shdr sh;
	Elf_Data *data;

	if (!gelf_getshdr(s->scn, &sh))
		return -GODWARF_EMALFORMED;
	if (sh.sh_flags & SHF_COMPRESSED) {
		GElf_Chdr ch;
		size_t hdr =
			gelf_getclass(e) == ELFCLASS32 ? sizeof(Elf32_Chdr) : sizeof(Elf64_Chdr);

		if (!gelf_getchdr(s->scn, &ch) || !(data = elf_getdata(s->scn, NULL)) ||
			!data->d_buf || data->d_size < hdr)
			return -GODWARF_EMALFORMED;
		if (ch.ch_type != ELFCOMPRESS_ZLIB)
			return -GODWARF_EUNSUPPORTED;
		s->payload = (const unsigned char *)data->d_buf + hdr;
		s->payload_len = data->d_size - hdr;
		s->size = ch.ch_size;
		s->zlib = true;
	} else {
		if (!(data = elf_rawdata(s->scn, NULL)))
			return -GODWARF_EMALFORMED;
		s->payload = data->d_buf;
		s->payload_len = data->d_size;
		s->size = data->d_size;
		/* binutils leaves a .zdebug_ section that would not shrink as it was. */
		if (s->gnu && data->d_buf && data->d_size >= 12 &&
			memcmp(data->d_buf, "ZLIB", 4) == 0) {
			s->size = be64(s->payload + 4);
			s->payload += 12;
			s->payload_len -= 12;
			s->zlib = true;
		}
	}
	if (s->size > GODWARF_SECTION_MAX || (!s->payload && s->payload_len))
		return -GODWARF_EMALFORMED;
	return 0;
}

static int fill(struct section *s, unsigned char *dst)
{
	struct libdeflate_decompressor *dec;
	enum libdeflate_result r;

	if (!s->zlib) {
		if (s->size)
			memcpy(dst, s->payload, s->size);
		return 0;
	}
	if (!(dec = libdeflate_alloc_decompressor()))
		return -ENOMEM;
	/* No actual size asked for: anything but exactly s->size bytes is an error. */
	r = libdeflate_zlib_decompress(dec, s->payload, s->payload_len, dst, s->size, NULL);
	libdeflate_free_decompressor(dec);
	return r == LIBDEFLATE_SUCCESS ? 0 : -GODWARF_EMALFORMED;
}

/* Writes a header of type t (n bytes at src, native) at dst in the image's class and byte order. */
static int put(void *dst, void *src, size_t n, Elf_Type t, bool is64, unsigned char enc)
{
	Elf_Data from = { .d_buf = src, .d_type = t, .d_size = n, .d_version = EV_CURRENT };
	Elf_Data to = { .d_buf = dst, .d_size = n, .d_version = EV_CURRENT };

	if (!(is64 ? elf64_xlatetof(&to, &from, enc) : elf32_xlatetof(&to, &from, enc)))
		return -GODWARF_EMALFORMED;
	return 0;
}

static int write_headers(
	unsigned char *img, const GElf_Ehdr *eh, const GElf_Shdr *shdrs, size_t nsh)
{
	unsigned char enc = eh->e_ident[EI_DATA];
	bool is64 = eh->e_ident[EI_CLASS] == ELFCLASS64;
	int err;

	if (is64) {
		Elf64_Ehdr e64 = *eh;

		err = put(img, &e64, sizeof(e64), ELF_T_EHDR, true, enc);
		for (size_t i = 0; i < nsh && !err; i++) {
			Elf64_Shdr one = shdrs[i];

			err = put(img + eh->e_shoff + i * sizeof(one), &one, sizeof(one),
				ELF_T_SHDR, true, enc);
		}
		return err;
	}
	Elf32_Ehdr e32 = { .e_type = (Elf32_Half)eh->e_type,
		.e_machine = (Elf32_Half)eh->e_machine,
		.e_version = (Elf32_Word)eh->e_version,
		.e_shoff = (Elf32_Off)eh->e_shoff,
		.e_ehsize = sizeof(Elf32_Ehdr),
		.e_shentsize = sizeof(Elf32_Shdr),
		.e_shnum = eh->e_shnum,
		.e_shstrndx = eh->e_shstrndx };

	memcpy(e32.e_ident, eh->e_ident, EI_NIDENT);
	err = put(img, &e32, sizeof(e32), ELF_T_EHDR, false, enc);
	for (size_t i = 0; i < nsh && !err; i++) {
		/* A 32-bit image is under 4 GiB (build_image). */
		Elf32_Shdr one = { .sh_name = shdrs[i].sh_name,
			.sh_type = shdrs[i].sh_type,
			.sh_offset = (Elf32_Off)shdrs[i].sh_offset,
			.sh_size = (Elf32_Word)shdrs[i].sh_size,
			.sh_addralign = (Elf32_Word)shdrs[i].sh_addralign };

		err = put(img + eh->e_shoff + i * sizeof(one), &one, sizeof(one), ELF_T_SHDR, false,
			enc);
	}
	return err;
}

/* Appends a NUL-terminated a+b to the name table (big enough for all of wanted[]). */
static size_t add_name(char *names, size_t at, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	memcpy(names + at, a, la);
	memcpy(names + at + la, b, lb);
	names[at + la + lb] = '\0';
	return at + la + lb + 1;
}

/*
 * The image: the ELF header, the sections (8-aligned, each followed by a NUL
 * so that no string can run off its end), the section names, the section
 * headers (null, one per section found, the name table).
 */
static int build_image(Elf *e, struct section sec[NWANTED], unsigned char **out, size_t *out_len)
{
	GElf_Ehdr orig, eh;
	GElf_Shdr shdrs[NWANTED + 2];
	char names[128];
	size_t nnames = 1, nsh = 1, at, len;
	bool is64;
	unsigned char *img;
	int err;

	if (!gelf_getehdr(e, &orig))
		return -ELF_ENOTELF;
	is64 = orig.e_ident[EI_CLASS] == ELFCLASS64;
	at = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	memset(shdrs, 0, sizeof(shdrs));
	names[0] = '\0';
	for (size_t i = 0; i < NWANTED; i++) {
		if (!sec[i].scn)
			continue;
		if ((err = measure(e, &sec[i])))
			return err;
		at = align8(at);
		sec[i].at = at;
		shdrs[nsh] = (GElf_Shdr){ .sh_name = nnames,
			.sh_type = SHT_PROGBITS,
			.sh_offset = at,
			.sh_size = sec[i].size,
			.sh_addralign = 1 };
		nsh++;
		/* At most 512 MiB each (measure), NWANTED of them: no overflow. */
		at += sec[i].size + 1;
		nnames = add_name(names, nnames, ".debug_", wanted[i]);
	}
	shdrs[nsh] = (GElf_Shdr){
		.sh_name = nnames, .sh_type = SHT_STRTAB, .sh_offset = at, .sh_addralign = 1
	};
	nnames = add_name(names, nnames, ".shstrtab", "");
	shdrs[nsh].sh_size = nnames;
	memcpy(&eh, &orig, sizeof(eh));
	memset(&eh.e_ident[EI_VERSION], 0, EI_NIDENT - EI_VERSION);
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_version = EV_CURRENT;
	eh.e_entry = eh.e_phoff = 0;
	eh.e_flags = 0;
	eh.e_ehsize = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	eh.e_phentsize = eh.e_phnum = 0;
	eh.e_shentsize = is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	eh.e_shnum = (GElf_Half)(nsh + 1);
	eh.e_shstrndx = (GElf_Half)nsh;
	eh.e_shoff = align8(at + nnames);
	len = eh.e_shoff + (nsh + 1) * eh.e_shentsize;
	if (!is64 && len > UINT32_MAX)
		return -GODWARF_EMALFORMED;
	if (!(img = calloc(1, len)))
		return -ENOMEM;
	memcpy(img + at, names, nnames);
	for (size_t i = 0; i < NWANTED; i++) {
		if (sec[i].scn && (err = fill(&sec[i], img + sec[i].at))) {
			free(img);
			return err;
		}
	}
	if ((err = write_headers(img, &eh, shdrs, nsh + 1))) {
		free(img);
		return err;
	}
	*out = img;
	*out_len = len;
	return 0;
}

/* ---- the index of named types ---- */

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static struct entry *slot(struct entry *tab, size_t cap, const char *name, size_t len)
{
	size_t i = (size_t)hash(name, len) & (cap - 1);

	while (tab[i].name && (strncmp(tab[i].name, name, len) != 0 || tab[i].name[len] != '\0'))
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static int insert(struct godwarf *d, const char *name, Dwarf_Off off, int rank)
{
	struct entry *e;

	if (2 * (d->n + 1) > d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 2048;
		struct entry *tab = calloc(cap, sizeof(*tab));

		if (!tab)
			return -ENOMEM;
		for (size_t i = 0; i < d->cap; i++) {
			if (d->tab[i].name)
				*slot(tab, cap, d->tab[i].name, strlen(d->tab[i].name)) = d->tab[i];
		}
		free(d->tab);
		d->tab = tab;
		d->cap = cap;
	}
	e = slot(d->tab, d->cap, name, strlen(name));
	if (!e->name)
		d->n++;
	else if (e->rank <= rank)
		return 0;
	*e = (struct entry){ name, off, rank };
	return 0;
}

/* Indexes the named types among the unit's top-level DIEs; *structs counts the structs. */
static int index_unit(struct godwarf *d, Dwarf_Die *cu, size_t *structs)
{
	Dwarf_Die die;
	int r = dwarf_child(cu, &die), err;

	for (; r == 0; r = dwarf_siblingof(&die, &die)) {
		int tag = dwarf_tag(&die), rank;
		const char *name;

		if (tag == DW_TAG_structure_type)
			rank = 0;
		else if (tag == DW_TAG_typedef || tag == DW_TAG_base_type)
			rank = 1;
		else
			continue;
		if (!(name = dwarf_diename(&die)) || !*name)
			continue;
		if ((err = insert(d, name, dwarf_dieoffset(&die), rank)))
			return err;
		*structs += rank == 0;
	}
	return r < 0 ? -GODWARF_EMALFORMED : 0;
}

/* The last unit named runtime; then, only if it held no struct, all the others. */
static int index_types(struct godwarf *d)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie, runtime;
	Dwarf_Off runtime_off = (Dwarf_Off)-1;
	size_t structs = 0;
	int r, err;

	while ((r = dwarf_get_units(d->dw, cu, &cu, NULL, NULL, &cudie, NULL)) == 0) {
		const char *name = dwarf_diename(&cudie);

		if (name && strcmp(name, "runtime") == 0) {
			runtime = cudie;
			runtime_off = dwarf_dieoffset(&cudie);
		}
	}
	if (r < 0)
		return -GODWARF_EMALFORMED;
	if (runtime_off != (Dwarf_Off)-1 && (err = index_unit(d, &runtime, &structs)))
		return err;
	if (structs)
		return 0;
	for (cu = NULL; (r = dwarf_get_units(d->dw, cu, &cu, NULL, NULL, &cudie, NULL)) == 0;) {
		if (dwarf_dieoffset(&cudie) != runtime_off &&
			(err = index_unit(d, &cudie, &structs)))
			return err;
	}
	return r < 0 ? -GODWARF_EMALFORMED : 0;
}

/* ---- open, close ---- */

static int open_elf(const char *path, int *fd, Elf **e, uint64_t *size)
{
	struct stat st;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOTSUP;
	/* O_NONBLOCK: a FIFO must not hang us; it is refused below. */
	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (*fd < 0)
		return -errno;
	if (fstat(*fd, &st) != 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_size < EI_NIDENT)
		return -ELF_ENOTELF;
	*size = (uint64_t)st.st_size;
	*e = elf_begin(*fd, ELF_C_READ, NULL);
	if (!*e || elf_kind(*e) != ELF_K_ELF)
		return -ELF_ENOTELF;
	return 0;
}

int godwarf_open(const char *path, struct godwarf **out)
{
	struct section sec[NWANTED] = { { 0 } };
	struct godwarf *d = calloc(1, sizeof(*d));
	Elf *e = NULL;
	uint64_t file_size = 0;
	size_t len;
	int fd = -1, err;

	*out = NULL;
	if (!d)
		return -ENOMEM;
	if ((err = open_elf(path, &fd, &e, &file_size)) || (err = find_sections(e, file_size, sec)))
		goto cleanup;
	if (!sec[0].scn) {
		err = -GODWARF_ENODWARF;
		goto cleanup;
	}
	if (!sec[1].scn) {
		err = -GODWARF_EMALFORMED;
		goto cleanup;
	}
	if ((err = build_image(e, sec, &d->image, &len)))
		goto cleanup;
	if (sec[0].size == 0) {
		err = -GODWARF_ENODWARF;
		goto cleanup;
	}
	if (!(d->elf = elf_memory((char *)d->image, len))) {
		err = -GODWARF_EMALFORMED;
		goto cleanup;
	}
	if (!(d->dw = dwarf_begin_elf(d->elf, DWARF_C_READ, NULL))) {
		err = -GODWARF_EMALFORMED;
		goto cleanup;
	}
	if ((err = index_types(d)))
		goto cleanup;
	*out = d;
	d = NULL;
cleanup:
	if (e)
		elf_end(e);
	if (fd >= 0)
		close(fd);
	godwarf_close(d);
	return err;
}

void godwarf_close(struct godwarf *d)
{
	if (!d)
		return;
	if (d->dw)
		dwarf_end(d->dw);
	if (d->elf)
		elf_end(d->elf);
	free(d->image);
	free(d->tab);
	free(d);
}

/* ---- lookups ---- */

static int find_type(struct godwarf *d, const char *name, Dwarf_Die *die)
{
	struct entry *e;

	if (!d->cap)
		return -ENOENT;
	e = slot(d->tab, d->cap, name, strlen(name));
	if (!e->name)
		return -ENOENT;
	return dwarf_offdie(d->dw, e->off, die) ? 0 : -GODWARF_EMALFORMED;
}

/* The type a DIE has (DW_AT_type). */
static int type_of(Dwarf_Die *die, Dwarf_Die *type)
{
	Dwarf_Attribute a;

	if (!dwarf_attr_integrate(die, DW_AT_type, &a) || !dwarf_formref_die(&a, type))
		return -GODWARF_EMALFORMED;
	return 0;
}

/* The type itself, behind any typedefs (and C's qualifiers). */
static int strip(Dwarf_Die *type)
{
	for (int i = 0; i < MAX_DEPTH; i++) {
		int tag = dwarf_tag(type);

		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type &&
			tag != DW_TAG_volatile_type)
			return 0;
		if (type_of(type, type))
			return -GODWARF_EMALFORMED;
	}
	return -GODWARF_EMALFORMED;
}

static int member_offset(Dwarf_Die *m, int64_t *off)
{
	Dwarf_Attribute a;
	Dwarf_Word w;

	if (!dwarf_attr_integrate(m, DW_AT_data_member_location, &a))
		return -GODWARF_EMALFORMED;
	switch (dwarf_whatform(&a)) {
	case DW_FORM_block:
	case DW_FORM_block1:
	case DW_FORM_block2:
	case DW_FORM_block4:
	case DW_FORM_exprloc: {
		/* DWARF 2's way: DW_OP_plus_uconst N. */
		Dwarf_Op *ops;
		size_t nops;

		if (dwarf_getlocation(&a, &ops, &nops) != 0 || nops != 1 ||
			ops[0].atom != DW_OP_plus_uconst)
			return -GODWARF_EMALFORMED;
		w = ops[0].number;
		break;
	}
	default:
		if (dwarf_formudata(&a, &w) != 0)
			return -GODWARF_EMALFORMED;
	}
	if (w >= (Dwarf_Word)MAX_OFFSET)
		return -GODWARF_EMALFORMED;
	*off = (int64_t)w;
	return 0;
}

static int find_member(Dwarf_Die *st, const char *name, size_t len, Dwarf_Die *m)
{
	int r = dwarf_child(st, m);

	for (; r == 0; r = dwarf_siblingof(m, m)) {
		const char *n;

		if (dwarf_tag(m) == DW_TAG_member && (n = dwarf_diename(m)) &&
			strncmp(n, name, len) == 0 && n[len] == '\0')
			return 0;
	}
	return r < 0 ? -GODWARF_EMALFORMED : -ENOENT;
}

/* The member at path in struct type: its offset from the struct's start, and its type. */
static int resolve(
	struct godwarf *d, const char *type, const char *path, int64_t *off, Dwarf_Die *mtype)
{
	Dwarf_Die st, m;
	int64_t total = 0, o;
	int err, depth = 0;

	if (!path || !*path)
		return -EINVAL;
	if ((err = find_type(d, type, &st)) || (err = strip(&st)))
		return err;
	for (const char *p = path;; p++) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);

		if (len == 0)
			return -EINVAL;
		if (++depth > MAX_DEPTH || dwarf_tag(&st) != DW_TAG_structure_type)
			return -ENOENT;
		if ((err = find_member(&st, p, len, &m)) || (err = member_offset(&m, &o)) ||
			(err = type_of(&m, mtype)))
			return err;
		total += o;
		if (total >= MAX_OFFSET)
			return -GODWARF_EMALFORMED;
		if (!dot)
			break;
		st = *mtype;
		if ((err = strip(&st)))
			return err;
		p = dot;
	}
	*off = total;
	return 0;
}

static int size_of(Dwarf_Die *type, int64_t *size)
{
	Dwarf_Word w;

	if (dwarf_aggregate_size(type, &w) != 0 || w >= (Dwarf_Word)MAX_OFFSET)
		return -GODWARF_EMALFORMED;
	*size = (int64_t)w;
	return 0;
}

int godwarf_member(
	struct godwarf *d, const char *type, const char *path, int64_t *off, int64_t *size)
{
	Dwarf_Die t;
	int64_t o, s;
	int err;

	if ((err = resolve(d, type, path, &o, &t)) || (err = size_of(&t, &s)))
		return err;
	*off = o;
	*size = s;
	return 0;
}

int godwarf_type_size(struct godwarf *d, const char *type, int64_t *size)
{
	Dwarf_Die t;
	int err = find_type(d, type, &t);

	return err ? err : size_of(&t, size);
}

int godwarf_array_len(struct godwarf *d, const char *type, const char *path, int64_t *len)
{
	Dwarf_Die t, sub;
	Dwarf_Attribute a;
	Dwarf_Word count;
	Dwarf_Sword lo = 0, hi;
	int64_t off;
	int err, r;

	if ((err = resolve(d, type, path, &off, &t)) || (err = strip(&t)))
		return err;
	if (dwarf_tag(&t) != DW_TAG_array_type)
		return -ENOENT;
	for (r = dwarf_child(&t, &sub); r == 0; r = dwarf_siblingof(&sub, &sub)) {
		if (dwarf_tag(&sub) == DW_TAG_subrange_type)
			break;
	}
	if (r != 0)
		return -GODWARF_EMALFORMED;
	if (dwarf_attr_integrate(&sub, DW_AT_count, &a)) {
		if (dwarf_formudata(&a, &count) != 0)
			return -GODWARF_EMALFORMED;
	} else if (dwarf_attr_integrate(&sub, DW_AT_upper_bound, &a)) {
		Dwarf_Attribute b;

		if (dwarf_formsdata(&a, &hi) != 0 ||
			(dwarf_attr_integrate(&sub, DW_AT_lower_bound, &b) &&
				dwarf_formsdata(&b, &lo) != 0) ||
			lo < 0 || lo >= MAX_OFFSET || hi < lo - 1 || hi - lo >= MAX_OFFSET)
			return -GODWARF_EMALFORMED;
		count = (Dwarf_Word)(hi - lo + 1);
	} else {
		return -GODWARF_EMALFORMED;
	}
	if (count >= (Dwarf_Word)MAX_OFFSET)
		return -GODWARF_EMALFORMED;
	*len = (int64_t)count;
	return 0;
}

const char *godwarf_strerror(int err)
{
	switch (err) {
	case 0:
		return NULL;
	case -ELF_ENOTELF:
		return "not an ELF file";
	case -GODWARF_ENODWARF:
		return "no DWARF debug info (built with -ldflags=-w or -s)";
	case -GODWARF_EMALFORMED:
		return "corrupt DWARF debug info";
	case -GODWARF_EUNSUPPORTED:
		return "DWARF compressed in a format we cannot inflate (only zlib)";
	case -ENOENT:
		return "type or member not in the DWARF";
	default:
		return err < 0 ? strerror(-err) : "unknown error";
	}
}
