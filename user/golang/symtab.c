// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "golang/symtab.h"

#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHN_UNDEF 0
#define ET_DYN 3
#define SYMS_PER_READ 2048u

static void header_info(const struct elf_file *ef, struct symtab_elf *info)
{
	info->pie = elf_get(ef, ef->head + 16, 2) == ET_DYN;
	info->entry = elf_get(ef, ef->head + 24, ef->is64 ? 8 : 4);
	info->machine = ef->machine;
}

int symtab_elf_info(const struct elf_source *src, struct symtab_elf *info)
{
	struct elf_file *ef = malloc(sizeof(*ef));
	int err;

	if (!ef)
		return -ENOMEM;
	err = elf_open(ef, src);
	if (!err) {
		header_info(ef, info);
		elf_close(ef);
	}
	free(ef);
	return err;
}

/* The symbol table section, or NULL; *err says whether its absence means stripped or corrupt. */
static const struct elf_sec *find_symtab(const struct elf_file *ef, int *err)
{
	uint16_t shnum = (uint16_t)elf_get(ef, ef->head + (ef->is64 ? 60 : 48), 2);

	for (size_t i = 0; i < ef->nsecs; i++) {
		if (ef->secs[i].type == SHT_SYMTAB) {
			*err = 0;
			return &ef->secs[i];
		}
	}
	/* elf_open drops a section table it cannot use: that is a corrupt file, not a stripped one.
	 */
	*err = shnum != 0 && ef->nsecs == 0 ? -ELF_EMALFORMED : -SYMTAB_ENOSYMTAB;
	return NULL;
}

static char *read_strtab(struct elf_file *ef, const struct elf_sec *sym, size_t *len, int *err)
{
	const struct elf_sec *str;
	char *buf;

	if (sym->link >= ef->nsecs || ef->secs[sym->link].type != SHT_STRTAB) {
		*err = -ELF_EMALFORMED;
		return NULL;
	}
	str = &ef->secs[sym->link];
	if (str->size == 0 || str->size > SYMTAB_STRTAB_MAX || str->offset > ef->src->size ||
		str->size > ef->src->size - str->offset) {
		*err = -ELF_EMALFORMED;
		return NULL;
	}
	buf = malloc(str->size + 1);
	if (!buf) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = elf_read(ef, str->offset, buf, str->size);
	if (*err) {
		free(buf);
		return NULL;
	}
	buf[str->size] = '\0'; /* a last name without its NUL ends here, and cannot match */
	*len = str->size;
	return buf;
}

/* Matches one symbol table entry against the names still wanted. */
static void match(const struct elf_file *ef, const unsigned char *e, const char *strtab,
	size_t strlen_, struct symtab_sym *syms, size_t n)
{
	uint64_t name = elf_get(ef, e, 4), value, size;
	uint16_t shndx;
	const char *s;

	if (name == 0 || name >= strlen_)
		return;
	if (ef->is64) {
		shndx = (uint16_t)elf_get(ef, e + 6, 2);
		value = elf_get(ef, e + 8, 8);
		size = elf_get(ef, e + 16, 8);
	} else {
		value = elf_get(ef, e + 4, 4);
		size = elf_get(ef, e + 8, 4);
		shndx = (uint16_t)elf_get(ef, e + 14, 2);
	}
	s = strtab + name;
	if (shndx == SHN_UNDEF || *s == '\0') /* an empty name is no name: never a match */
		return;
	for (size_t i = 0; i < n; i++) {
		if (!syms[i].found && strcmp(s, syms[i].name) == 0) {
			syms[i].found = true;
			syms[i].addr = value;
			syms[i].size = size;
		}
	}
}

static int scan(struct elf_file *ef, const struct elf_sec *sym, const char *strtab, size_t strlen_,
	struct symtab_sym *syms, size_t n)
{
	size_t entsize = ef->is64 ? 24 : 16;
	uint64_t count, done = 0;
	unsigned char *buf;
	int err = 0;

	if (sym->offset > ef->src->size || sym->size > ef->src->size - sym->offset ||
		sym->size % entsize != 0)
		return -ELF_EMALFORMED;
	count = sym->size / entsize;
	buf = malloc(SYMS_PER_READ * entsize);
	if (!buf)
		return -ENOMEM;
	while (done < count) {
		size_t k = count - done < SYMS_PER_READ ? (size_t)(count - done) : SYMS_PER_READ;

		err = elf_read(ef, sym->offset + done * entsize, buf, k * entsize);
		if (err)
			break;
		for (size_t i = 0; i < k; i++)
			match(ef, buf + i * entsize, strtab, strlen_, syms, n);
		done += k;
	}
	free(buf);
	return err;
}

int symtab_lookup_many(
	const struct elf_source *src, struct symtab_sym *syms, size_t n, struct symtab_elf *info)
{
	struct elf_file *ef = malloc(sizeof(*ef));
	const struct elf_sec *sym;
	char *strtab = NULL;
	size_t strlen_ = 0;
	int err;

	for (size_t i = 0; i < n; i++)
		syms[i].found = false;
	if (!ef)
		return -ENOMEM;
	err = elf_open(ef, src);
	if (err)
		goto out;
	if (info)
		header_info(ef, info);
	sym = find_symtab(ef, &err);
	if (sym)
		strtab = read_strtab(ef, sym, &strlen_, &err);
	if (strtab)
		err = scan(ef, sym, strtab, strlen_, syms, n);
	if (err) /* nothing half-found on an error */
		for (size_t i = 0; i < n; i++)
			syms[i].found = false;
	free(strtab);
	elf_close(ef);
out:
	free(ef);
	return err;
}

int symtab_lookup(const struct elf_source *src, const char *name, uint64_t *addr, uint64_t *size)
{
	struct symtab_sym s = { .name = name };
	int err = symtab_lookup_many(src, &s, 1, NULL);

	if (err)
		return err;
	if (!s.found)
		return -ENOENT;
	*addr = s.addr;
	if (size)
		*size = s.size;
	return 0;
}

const char *symtab_strerror(int err)
{
	switch (err) {
	case 0:
		return NULL;
	case -ELF_ENOTELF:
		return "not an ELF file";
	case -SYMTAB_ENOSYMTAB:
		return "no symbol table (stripped binary)";
	case -ELF_EMALFORMED:
		return "corrupt ELF symbol table";
	case -ENOENT:
		return "symbol not found";
	default:
		return err < 0 ? strerror(-err) : "unknown error";
	}
}
